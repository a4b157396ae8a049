"""The demo's `.env` (askwell/localenv.py): written by `askwell demo`, read by
every `askwell` command, never needed or invented in production."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from askwell import localenv
from askwell.demo.environment import prepare_demo_environment
from askwell.paths import BASE_DIR
from askwell.testing.processes import TEST_RUN_VARIABLES

GIT = shutil.which("git") or "git"
PRINT_SETTINGS = (
    "from django.conf import settings; "
    "print(settings.ASKWELL_SITE_URL, settings.ALLOWED_HOSTS, settings.DEBUG)"
)


def _env_without_settings(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in TEST_RUN_VARIABLES}
    env["ASKWELL_DATA_DIR"] = str(data_dir)
    return env


def _askwell(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "askwell", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_demo_writes_its_address_key_and_hosts(tmp_path, monkeypatch):
    # given
    monkeypatch.setenv("ASKWELL_DATA_DIR", str(tmp_path))

    # when
    prepare_demo_environment(["--port", "8123"])

    # then
    values = localenv.read(tmp_path / ".env")
    assert values["ASKWELL_SITE_URL"] == "http://127.0.0.1:8123"
    assert values["ALLOWED_HOSTS"] == "127.0.0.1,localhost,[::1]"
    assert values["ASKWELL_HTTPS"] == "False"
    assert len(values["SECRET_KEY"]) >= 50
    assert "DEBUG" not in values
    assert (tmp_path / ".env").stat().st_mode & 0o077 == 0


def test_a_second_start_keeps_the_key_and_takes_the_new_address(tmp_path, monkeypatch):
    # given
    monkeypatch.setenv("ASKWELL_DATA_DIR", str(tmp_path))
    prepare_demo_environment([])
    key = localenv.read(tmp_path / ".env")["SECRET_KEY"]

    # when: listening on every address
    prepare_demo_environment(["--host=0.0.0.0", "--port=8001"])

    # then: mail links lead to the loopback address
    values = localenv.read(tmp_path / ".env")
    assert values["SECRET_KEY"] == key
    assert values["ASKWELL_SITE_URL"] == "http://127.0.0.1:8001"
    assert values["ALLOWED_HOSTS"] == "127.0.0.1,localhost,[::1],0.0.0.0"


def test_every_command_reads_the_demos_env(tmp_path, monkeypatch):
    # given: the demo's .env for port 8123, nothing in the environment
    monkeypatch.setenv("ASKWELL_DATA_DIR", str(tmp_path))
    prepare_demo_environment(["--port", "8123"])

    # when
    result = _askwell(
        "shell",
        "--no-imports",
        "-c",
        PRINT_SETTINGS,
        env=_env_without_settings(tmp_path),
    )

    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "http://127.0.0.1:8123",
        "['127.0.0.1',",
        "'localhost',",
        "'[::1]']",
        "False",
    ]


def test_the_environment_wins_over_the_file(tmp_path, monkeypatch):
    # given
    (tmp_path / ".env").write_text("SECRET_KEY=from-file\nALLOWED_HOSTS=file.test\n")
    monkeypatch.setenv("ASKWELL_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(os, "environ", {**os.environ, "SECRET_KEY": "from-env"})
    os.environ.pop("ALLOWED_HOSTS", None)

    # when
    localenv.load()

    # then
    assert os.environ["SECRET_KEY"] == "from-env"
    assert os.environ["ALLOWED_HOSTS"] == "file.test"


def test_production_without_the_file_still_needs_a_secret_key(tmp_path):
    # given: a data directory the demo never ran on
    env = _env_without_settings(tmp_path)

    # when
    result = _askwell("check", env=env)

    # then
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr
    assert not (tmp_path / ".env").exists()


def test_production_without_the_file_still_needs_allowed_hosts(tmp_path):
    # given
    env = _env_without_settings(tmp_path) | {"SECRET_KEY": "x" * 50}

    # when
    result = _askwell("check", env=env)

    # then
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is required when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SECRET_KEY\n", "line 1: expected NAME=value"),
        ("# comment\n\nlower=1\n", "line 3: expected NAME=value"),
        ("export SECRET_KEY=x\n", "line 1: expected NAME=value"),
        ("X=" + "x" * localenv.MAX_BYTES, "is larger than"),
    ],
)
def test_a_damaged_file_is_refused_with_its_line(tmp_path, text, message):
    # given
    path = tmp_path / ".env"
    path.write_text(text)

    # when / then
    with pytest.raises(ImproperlyConfigured, match=message):
        localenv.read(path)


def test_a_damaged_file_stops_a_command_with_the_reason(tmp_path):
    # given
    (tmp_path / ".env").write_text("not a setting\n")

    # when
    result = _askwell("check", env=_env_without_settings(tmp_path))

    # then
    assert result.returncode != 0
    assert "line 1: expected NAME=value" in result.stderr
    assert "Traceback" not in result.stderr


def test_git_never_takes_a_local_env_file():
    # when: the checkout's own git asks
    result = subprocess.run(
        [GIT, "check-ignore", "--no-index", "data/.env", ".env", "askwell/.env"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )

    # then: every one is ignored
    assert result.stdout.split() == ["data/.env", ".env", "askwell/.env"]
