"""docs/nginx/askwell.conf, the file docs/deploy.md shows, in front of `askwell serve`.

Real processes: gunicorn through `askwell serve`, and Debian's nginx with its
brotli modules, run as the current user with a prefix of its own. Only the
names an operator changes are replaced (ports, folders, host name,
certificate), each of them checked to be in the file.
"""

from __future__ import annotations

import gzip
import http.cookiejar
import json
import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from askwell.paths import BASE_DIR
from askwell.testing.nginx import (
    NGINX,
    TEMPLATE,
    main_config,
    render_site,
    self_signed_certificate,
)
from askwell.testing.processes import (
    NoRedirects,
    Started,
    askwell,
    free_port,
    get,
    production_env,
    running,
    wait_for_http,
)

REDIS = Path("/usr/bin/redis-server")
GUIDE = BASE_DIR / "docs" / "deploy.md"
HASHED_STYLESHEET = re.compile(r'href="(/static/askwell/site\.[0-9a-f]{12}\.css)"')


@dataclass
class Stack:
    app: Started
    nginx: Started
    data: Path
    env: dict[str, str]
    redis_port: int
    app_url: str
    http_url: str
    https_url: str
    tls: ssl.SSLContext

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        return get(self.https_url + path, headers=headers, context=self.tls)

    def app_requests(self, path: str, expected: int) -> int:
        """How many GETs of PATH reached the app, from its access log (written
        just after each response): waits for EXPECTED, then a little longer
        for any more."""

        def count() -> int:
            return sum(
                1
                for r in self.app.requests()
                if r["method"] == "GET" and r["path"] == path
            )

        deadline = time.monotonic() + 5
        while count() < expected:
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
        time.sleep(0.3)
        return count()


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    assert NGINX.exists(), (
        f"{NGINX} is missing: the deployment tests need Debian's nginx, "
        "libnginx-mod-http-brotli-filter and libnginx-mod-http-brotli-static "
        "(`python3 dev.py test` installs them as root)"
    )
    data = tmp_path_factory.mktemp("data")
    folder = tmp_path_factory.mktemp("nginx")
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    certificate, key = self_signed_certificate(folder)
    site = folder / "askwell.conf"
    site.write_text(
        render_site(
            {
                "127.0.0.1:8000": f"127.0.0.1:{app_port}",
                "/srv/askwell/data": str(data),
                "/var/cache/nginx/askwell": str(folder / "cache"),
                "/etc/letsencrypt/live/askwell.example.org/fullchain.pem": str(
                    certificate
                ),
                "/etc/letsencrypt/live/askwell.example.org/privkey.pem": str(key),
                "askwell.example.org": "localhost",
                "listen 80;": f"listen 127.0.0.1:{http_port};",
                "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
                # No IPv6 loopback is needed for the test.
                "listen [::]:80;": "",
                "listen [::]:443 ssl http2;": "",
            }
        )
    )
    main = folder / "nginx.conf"
    main.write_text(main_config(folder, site))
    nginx = [str(NGINX), "-p", str(folder), "-e", str(folder / "error.log")]
    nginx += ["-c", str(main), "-g", f"daemon off; pid {folder / 'nginx.pid'};"]
    checked = subprocess.run(
        [*nginx, "-t"], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr

    assert REDIS.exists(), f"{REDIS} is missing: install Debian's redis-server"
    redis_port = free_port()
    redis = [str(REDIS), "--port", str(redis_port), "--bind", "127.0.0.1"]
    redis += ["--save", "", "--appendonly", "no", "--dir", str(folder)]
    env = production_env(
        data,
        # What docs/deploy.md sets behind this nginx: several workers share
        # rate-limit counts and pages through Redis.
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        ASKWELL_HTTPS="True",
        ASKWELL_PROXY_COUNT="1",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        SECURE_SSL_REDIRECT="True",
        ASKWELL_RATE_LIMITS=json.dumps({"search": {"ip": "3/m", "user": "3/m"}}),
        ASKWELL_SESSIONS="cached_db",
        # nginx passes the host without the port (`Host $host`), as it is on
        # 443; the test's random port must be trusted explicitly.
        CSRF_TRUSTED_ORIGINS=f"https://localhost:{https_port}",
    )
    serve = [sys.executable, "-m", "askwell", "serve", "--migrate"]
    serve += ["--bind", f"127.0.0.1:{app_port}", "--workers", "2"]
    tls = ssl.create_default_context(cafile=str(certificate))
    with (
        running(redis) as _,
        running(serve, env=env) as app,
        running(nginx) as server,
    ):
        stack = Stack(
            app=app,
            nginx=server,
            data=data,
            env=env,
            redis_port=redis_port,
            app_url=f"http://127.0.0.1:{app_port}",
            http_url=f"http://localhost:{http_port}",
            https_url=f"https://localhost:{https_port}",
            tls=tls,
        )
        wait_for_http(stack.app_url + "/", app)
        wait_for_http(stack.http_url + "/", server)
        yield stack


def test_pages_come_through_nginx_over_https(stack: Stack):
    # when
    status, headers, body = stack.get("/")
    # then
    assert status == 200
    assert b"Health questions, answered by many experts" in body
    assert "x-cache-status" in headers
    # plain HTTP goes to HTTPS
    status, headers, _ = get(stack.http_url + "/questions/?page=2")
    assert status == 301
    assert headers["location"] == "https://localhost/questions/?page=2"
    # the app itself, asked without nginx's X-Forwarded-Proto, redirects too:
    # it knows https only from nginx
    status, headers, _ = get(stack.app_url + "/", headers={"Host": "localhost"})
    assert status == 301
    assert headers["location"] == "https://localhost/"


def test_pages_are_compressed_with_gzip_or_brotli(stack: Stack):
    # when
    _, plain_headers, plain = stack.get("/topics/", **{"Accept-Encoding": "identity"})
    _, gzip_headers, gzipped = stack.get("/topics/", **{"Accept-Encoding": "gzip"})
    _, br_headers, brotli = stack.get("/topics/", **{"Accept-Encoding": "br, gzip"})
    # then
    assert "content-encoding" not in plain_headers
    assert gzip_headers["content-encoding"] == "gzip"
    assert gzip.decompress(gzipped) == plain
    assert br_headers["content-encoding"] == "br"
    assert len(brotli) < len(plain) / 2
    assert brotli != gzipped
    assert "Accept-Encoding" in br_headers["vary"]


def test_static_files_come_from_nginx_with_long_cache_headers(stack: Stack):
    # given
    _, _, home = stack.get("/")
    hashed = HASHED_STYLESHEET.search(home.decode()).group(1)
    # when
    status, headers, css = stack.get(hashed)
    gz_status, gz_headers, _ = stack.get(hashed, **{"Accept-Encoding": "gzip"})
    plain_status, plain_headers, _ = stack.get("/static/askwell/site.css")
    # then: nginx's headers (WhiteNoise would write "max-age=…, public, immutable")
    assert status == 200
    assert b":root" in css
    assert headers["cache-control"] == "public, max-age=315360000, immutable"
    assert headers["content-type"] == "text/css"
    assert headers["x-content-type-options"] == "nosniff"
    assert "x-cache-status" not in headers
    assert gz_status == 200
    assert gz_headers["content-encoding"] == "gzip"
    assert plain_status == 200
    assert plain_headers["cache-control"] == "public, max-age=60"
    # and the app never saw a request for a static file
    assert "GET /static/" not in stack.app.output()


def test_uploads_come_from_nginx_as_inert_files(stack: Stack):
    # given: an upload in MEDIA_ROOT
    upload = stack.data / "media" / "photos" / "portrait.png"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"\x89PNG\r\n\x1a\n not really an image")
    # when
    status, headers, body = stack.get("/media/photos/portrait.png")
    # then
    assert status == 200
    assert body == upload.read_bytes()
    assert headers["content-type"] == "image/png"
    assert headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in headers["content-security-policy"]
    assert headers["cache-control"] == "public, max-age=3600"
    assert "GET /media/" not in stack.app.output()


def test_nginx_refuses_request_bodies_over_10_mb(stack: Stack):
    # when: a request announcing an 11 MB body
    host, port = "localhost", int(stack.https_url.rsplit(":", 1)[1])
    with (
        socket.create_connection((host, port), timeout=10) as raw,
        stack.tls.wrap_socket(raw, server_hostname=host) as connection,
    ):
        connection.sendall(
            b"POST /questions/ask/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 11000000\r\n\r\n"
        )
        reply = connection.recv(100)
    # then: nginx answers, and the app never sees it
    assert reply.startswith(b"HTTP/1.1 413 "), reply
    assert "POST /questions/ask/" not in stack.app.output()


def test_the_guide_shows_the_tested_file():
    assert f"```nginx\n{TEMPLATE.read_text()}```" in GUIDE.read_text()


def test_the_microcache_keeps_anonymous_pages_and_honours_the_app(stack: Stack):
    path = "/questions/"
    # when: an anonymous page, twice
    _, first_headers, first = stack.get(path)
    _, second_headers, second = stack.get(path)
    # then: the second comes from nginx, with the app's own Cache-Control
    assert first_headers["x-cache-status"] == "MISS"
    assert second_headers["x-cache-status"] == "HIT"
    assert second == first
    assert second_headers["cache-control"].startswith("public, max-age=")
    assert "stale-while-revalidate=" in second_headers["cache-control"]
    assert stack.app_requests(path, 1) == 1

    # when: the same page with a session cookie
    _, personal_headers, _ = stack.get(path, Cookie="sessionid=somebody")
    # then: it goes to the app, and what the app answered is not kept
    assert personal_headers["x-cache-status"] == "BYPASS"
    assert personal_headers["cache-control"] == "private, no-store"
    assert stack.app_requests(path, 2) == 2
    _, again_headers, again = stack.get(path)
    assert again_headers["x-cache-status"] == "HIT"
    assert again == first

    # when: a page the app marks `private, no-store` (a form with a CSRF token)
    login = "/accounts/login/"
    _, login_headers, _ = stack.get(login)
    _, login_again_headers, _ = stack.get(login)
    # then: never kept
    assert "no-store" in login_headers["cache-control"]
    assert login_again_headers["x-cache-status"] == "MISS"
    assert stack.app_requests(login, 2) == 2


def test_a_forged_x_forwarded_for_does_not_dodge_rate_limits(stack: Stack):
    # given: ASKWELL_PROXY_COUNT=1 and 3 searches a minute per address
    statuses = [
        stack.get(f"/search/?q=asthma+{n}", **{"X-Forwarded-For": f"203.0.113.{n}"})[0]
        for n in range(5)
    ]
    # then: the app counts the address nginx saw, not the forged one
    assert statuses == [200, 200, 200, 429, 429]


def test_a_reader_signs_in_through_nginx_with_sessions_in_redis(stack: Stack):
    # given: an account, and a browser-like client that keeps cookies
    created = askwell(
        "shell",
        "-c",
        "from askwell.accounts.models import User; "
        "User.objects.create_user('nginxreader', 'reader@example.org', "
        "'a sufficiently long password')",
        env=stack.env,
    )
    assert created.returncode == 0, created.stdout
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar),
        urllib.request.HTTPSHandler(context=stack.tls),
        NoRedirects,
    )
    login = stack.https_url + "/accounts/login/"
    with browser.open(login, timeout=10) as response:
        token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()
        )
    # when
    form = urllib.parse.urlencode(
        {
            "login": "nginxreader",
            "password": "a sufficiently long password",
            "csrfmiddlewaretoken": token.group(1),
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback only
        login, data=form, headers={"Origin": stack.https_url}
    )
    try:
        browser.open(request, timeout=10)
        raise AssertionError("signing in should redirect")
    except urllib.error.HTTPError as redirect:
        status, cookies = redirect.code, redirect.headers.get_all("Set-Cookie")
    # then: signed in, with a Secure, HttpOnly session cookie
    assert status == 302
    session = next(c for c in cookies if c.startswith("sessionid="))
    assert "Secure" in session
    assert "HttpOnly" in session
    # and every worker knows the session; nginx neither answers nor keeps these pages
    for _ in range(4):
        with browser.open(stack.https_url + "/questions/", timeout=10) as response:
            assert response.headers["X-Cache-Status"] == "BYPASS"
            assert response.headers["Cache-Control"] == "private, no-store"
            assert "nginxreader" in response.read().decode()
    sessions = redis.Redis(port=stack.redis_port).keys("*cached_db*")
    assert len(sessions) == 1
