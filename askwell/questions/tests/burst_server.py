"""A threaded HTTP server for Askwell that takes a burst of connections.

Django's development and live-test servers listen with a queue of 10
pending connections: a burst of 30 simultaneous clicks overflows it and
the kernel resets some connections before Django ever sees them. This one
queues 256. Run in-process (`start()`) or as a process:

    python -m askwell.questions.tests.burst_server PORT
"""

from __future__ import annotations

import sys
import threading

from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler


class BurstServer(ThreadedWSGIServer):
    request_queue_size = 256


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return None


def make_server(port: int = 0) -> BurstServer:
    from django.core.wsgi import get_wsgi_application

    server = BurstServer(("127.0.0.1", port), QuietHandler)
    server.set_app(get_wsgi_application())
    return server


def start() -> tuple[BurstServer, str]:
    """Serve in a background thread; returns the server and its base URL."""
    server = make_server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


if __name__ == "__main__":
    import django

    django.setup()
    make_server(int(sys.argv[1])).serve_forever()
