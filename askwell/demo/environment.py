"""Write the local site's `.env` (askwell/localenv.py) before `askwell demo` starts.

The demo runs with DEBUG off, like production, so it needs a secret key and
allowed hosts. It generates the key once and keeps it in the data directory's
`.env`, so sessions survive a restart; the address it serves on is written
each time, so mail links (ASKWELL_SITE_URL) lead to the running demo. Every
`askwell` command then reads the same file.
"""

from __future__ import annotations

import secrets

from askwell import localenv

LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# Listening on every address: mail links use the loopback address.
WILDCARD_HOSTS = {"0.0.0.0", "::"}  # noqa: S104 - names compared, not bound

COMMENT = """\
Written by `askwell demo` for this local demo site; every `askwell` command
with this data directory reads it. Variables set in the environment win.
The demo rewrites the other lines on each start: keep your own settings in
the environment. Never use this file in production."""


def prepare_demo_environment(args: list[str]) -> None:
    """Write the data directory's `.env` for `askwell demo ARGS`, keeping the
    secret key of an earlier run."""
    path = localenv.env_file()
    previous = localenv.read(path) if path.is_file() else {}
    host = _option(args, "--host") or DEFAULT_HOST
    port = _option(args, "--port") or str(DEFAULT_PORT)
    link_host = "127.0.0.1" if host in WILDCARD_HOSTS else host
    address = f"[{link_host}]:{port}" if ":" in link_host else f"{link_host}:{port}"
    localenv.write(
        path,
        {
            "SECRET_KEY": previous.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": ",".join(dict.fromkeys([*LOCAL_HOSTS, host])),
            # runserver speaks plain HTTP: Secure-only cookies would never come back.
            "ASKWELL_HTTPS": "False",
            # A terminal, not a log collector, and runserver prints each request.
            "ASKWELL_LOG_FORMAT": "text",
            "ASKWELL_ACCESS_LOG": "False",
            "ASKWELL_SITE_URL": f"http://{address}",
        },
        COMMENT,
    )


def _option(args: list[str], name: str) -> str | None:
    for i, arg in enumerate(args):
        if arg == name and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None
