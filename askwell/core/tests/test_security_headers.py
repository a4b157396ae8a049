"""Security headers on every response, a strict Content-Security-Policy the
templates comply with, and production settings that pass check --deploy."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from askwell.core.security import CONTENT_SECURITY_POLICY

TEMPLATE_DIRS = [
    p for p in (Path(__file__).resolve().parents[2]).glob("**/templates") if p.is_dir()
]
EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/questions/",
        "/accounts/login/",
        "/no-such-page/",
        "/static/askwell/site.css",
        "/api/v1/search",
        "/admin/login/",
    ],
)
def test_every_response_carries_the_security_headers(client, url):
    # when
    response = client.get(url)

    # then
    assert response.status_code in (200, 302, 404, 422)
    for header, value in EXPECTED.items():
        assert response.headers[header] == value, header
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    # Plain HTTP, no HSTS configured: no Strict-Transport-Security.
    assert "Strict-Transport-Security" not in response.headers


def test_the_policy_allows_no_inline_or_eval_script_and_no_framing():
    directives = dict(
        part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";")
    )

    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.django_db
def test_hsts_is_sent_over_https_when_configured(client, settings):
    # given
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    # when
    secure = client.get("/", secure=True)
    plain = client.get("/")

    # then
    assert secure.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )
    assert "Strict-Transport-Security" not in plain.headers


@pytest.mark.django_db
def test_htmx_is_told_not_to_inject_its_indicator_style(client):
    response = client.get("/")

    assert (
        b'<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>'
        in response.content
    )


_INLINE = [
    (re.compile(r"""\sstyle\s*=""", re.I), "a style attribute"),
    (re.compile(r"<style\b", re.I), "a <style> block"),
    (
        re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)", re.I),
        "an inline <script>",
    ),
    (re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I), "an event-handler attribute"),
    (re.compile(r"""\shx-on""", re.I), "hx-on (runs through eval)"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_no_template_needs_inline_script_or_style():
    """The policy would block them; their styles belong in site.css."""
    found = []
    for directory in TEMPLATE_DIRS:
        for template in directory.glob("**/*.html"):
            text = template.read_text()
            for pattern, what in _INLINE:
                if pattern.search(text):
                    found.append(f"{template.relative_to(directory)}: {what}")

    assert TEMPLATE_DIRS
    assert found == []


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment a production deploy behind a TLS proxy would have; the
    test suite's own variables (askwell/testing/env.py) are left out."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV"}
    return {
        **{k: v for k, v in os.environ.items() if k in keep},
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "askwell.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'askwell.sqlite3'}",
        "ASKWELL_DATA_DIR": str(tmp_path),
        **extra,
    }


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "askwell", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    # given
    env = _production_env(
        tmp_path,
        SECURE_SSL_REDIRECT="True",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="True",
        SECURE_HSTS_PRELOAD="True",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
    )

    # when
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")

    # then
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr


def _print_settings(env: dict[str, str], *names: str) -> list[str]:
    code = "import askwell.settings as s; print(*(getattr(s, n, None) for n in {!r}))"
    result = subprocess.run(
        [sys.executable, "-c", code.format(names)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


COOKIES = ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT")


def test_production_cookies_are_secure_by_default_but_https_is_not_forced(tmp_path):
    assert _print_settings(_production_env(tmp_path), *COOKIES) == [
        "True",
        "True",
        "False",
    ]


def test_a_plain_http_run_switches_secure_cookies_off(tmp_path):
    env = _production_env(tmp_path, ASKWELL_HTTPS="False")

    assert _print_settings(env, *COOKIES) == ["False", "False", "False"]


def test_debug_runs_over_plain_http(tmp_path):
    env = _production_env(tmp_path, DEBUG="True")

    assert _print_settings(env, *COOKIES) == ["False", "False", "False"]


def test_the_demo_environment_runs_over_plain_http(tmp_path, monkeypatch):
    """`askwell demo` runs with DEBUG off on http://127.0.0.1."""
    from askwell import localenv
    from askwell.demo.environment import prepare_demo_environment

    # given
    monkeypatch.setenv("ASKWELL_DATA_DIR", str(tmp_path))

    # when
    prepare_demo_environment([])

    # then
    assert localenv.read(tmp_path / ".env")["ASKWELL_HTTPS"] == "False"


def test_the_proxy_ssl_header_needs_a_header_and_a_value(tmp_path):
    env = _production_env(tmp_path, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")

    result = subprocess.run(
        [sys.executable, "-c", "import askwell.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must be HEADER,value" in result.stderr
