"""Set up the environment `askwell demo` needs before Django reads its settings.

The demo runs with DEBUG off, like production, so it needs a secret key and
allowed hosts. It generates the key once and keeps it in the data directory,
so sessions survive a restart.
"""

from __future__ import annotations

import os
import secrets

from askwell.paths import data_dir

LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"]


def prepare_demo_environment(args: list[str]) -> None:
    directory = data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("SECRET_KEY"):
        key_file = directory / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        os.environ["SECRET_KEY"] = key_file.read_text().strip()
    # runserver speaks plain HTTP: Secure-only cookies would never come back.
    os.environ.setdefault("ASKWELL_HTTPS", "False")
    # A terminal, not a log collector, and runserver prints each request.
    os.environ.setdefault("ASKWELL_LOG_FORMAT", "text")
    os.environ.setdefault("ASKWELL_ACCESS_LOG", "False")
    if not os.environ.get("ALLOWED_HOSTS"):
        hosts = [*LOCAL_HOSTS, *_host_argument(args)]
        os.environ["ALLOWED_HOSTS"] = ",".join(dict.fromkeys(hosts))


def _host_argument(args: list[str]) -> list[str]:
    for i, arg in enumerate(args):
        if arg == "--host" and i + 1 < len(args):
            return [args[i + 1]]
        if arg.startswith("--host="):
            return [arg.split("=", 1)[1]]
    return []
