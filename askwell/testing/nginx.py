"""docs/nginx/askwell.conf made runnable on loopback, for the deployment tests
(askwell/operations/tests/test_nginx.py) and bench/http_load.py.

Debian's nginx with its brotli modules runs as the current user with a prefix
of its own; only the names an operator changes are replaced in the site file
(ports, folders, host name, certificate), each of them checked to be there.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from askwell.paths import BASE_DIR

NGINX = Path("/usr/sbin/nginx")
MODULES = Path("/usr/lib/nginx/modules")
TEMPLATE = BASE_DIR / "docs" / "nginx" / "askwell.conf"


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """(certificate, key) for localhost, valid for a day, written to FOLDER."""
    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"),
            *("-keyout", str(key), "-out", str(certificate)),
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key


def render_site(replacements: dict[str, str]) -> str:
    """The repository's site file with the operator's names replaced by ours.

    Raises AssertionError when a name is no longer in the file, so a test
    cannot pass on a configuration the guide no longer shows.
    """
    text = TEMPLATE.read_text()
    for old, new in replacements.items():
        if old not in text:
            raise AssertionError(f"{TEMPLATE} no longer contains {old!r}")
        text = text.replace(old, new)
    return text


def main_config(folder: Path, site: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf provides, with every path in FOLDER."""
    temp = folder / "temp"
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / name).mkdir(parents=True)
    # As root, nginx starts its workers as the `user` named here; they read
    # files under pytest's private temporary folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}load_module {MODULES}/ngx_http_brotli_filter_module.so;
load_module {MODULES}/ngx_http_brotli_static_module.so;
worker_processes 1;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site};
}}
"""
