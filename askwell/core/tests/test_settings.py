"""Settings come from the environment and refuse unsafe production values."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _load_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import askwell.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG)",
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_without_secret_key_is_refused():
    result = _load_settings({"DEBUG": "False", "ALLOWED_HOSTS": "example.org"})

    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_production_without_allowed_hosts_is_refused():
    result = _load_settings({"DEBUG": "False", "SECRET_KEY": "x" * 50})

    assert result.returncode != 0
    assert "ALLOWED_HOSTS is required when DEBUG is off" in result.stderr


@pytest.mark.parametrize("value", ["yes", "1", "true", ""])
def test_booleans_must_be_spelled_out(value):
    result = _load_settings({"DEBUG": value})

    assert result.returncode != 0
    assert f"DEBUG must be True or False, not {value!r}" in result.stderr


@pytest.mark.parametrize("value", ["high", "1.5", "-0.1", "nan"])
def test_scores_must_lie_between_0_and_1(value):
    result = _load_settings({"DEBUG": "True", "ASKWELL_SIMILAR_MIN_SCORE": value})

    assert result.returncode != 0
    assert (
        f"ASKWELL_SIMILAR_MIN_SCORE must be a number from 0 to 1, not {value!r}"
        in result.stderr
    )


def test_database_url_selects_the_engine():
    sqlite = _load_settings({"DEBUG": "True"})
    postgres = _load_settings(
        {"DEBUG": "True", "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/askwell"}
    )

    assert sqlite.stdout.strip() == "django.db.backends.sqlite3 True"
    assert postgres.stdout.strip() == "django.db.backends.postgresql True"


def test_env_example_lists_every_variable_settings_read():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    code = (root / "askwell" / "settings.py").read_text() + (
        root / "askwell" / "paths.py"
    ).read_text()
    read = set(
        re.findall(
            r"""(?:environ\.get|envbool|envint|envscore|envlist)\(\s*["']([A-Z_]+)["']""",
            code,
        )
    )
    listed = set(
        re.findall(
            r"^#?\s*([A-Z][A-Z_]+)=", (root / ".env.example").read_text(), re.MULTILINE
        )
    )

    assert read, "found no variables in settings"
    assert read - listed == set()
