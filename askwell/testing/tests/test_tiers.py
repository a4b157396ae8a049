"""The corpus tier (askwell/testing/tiers.py) in a pytest run of its own:
deselected and counted by name when its files are absent, run when they are
there, an error when they are required; also under pytest-xdist."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from askwell.paths import BASE_DIR

TESTS = """
import pytest

def test_ordinary():
    pass

@pytest.mark.corpus("big.tar.gz")
def test_whole_corpus():
    pass
"""


def _pytest(folder: Path, shared: Path, *args: str, **env: str):
    """Run pytest on FOLDER with only the tiers plugin (and xdist if asked)."""
    (folder / "test_sample.py").write_text(TESTS)
    variables = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ASKWELL_", "PYTEST_", "DJANGO_"))
    }
    variables |= {
        "PYTHONPATH": str(BASE_DIR),
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "ASKWELL_SHARED_DATA": str(shared),
        "ASKWELL_TIER_REPORT": str(folder / "tiers.json"),
        **env,
    }
    command = [sys.executable, "-m", "pytest", "-p", "askwell.testing.tiers"]
    command += ["-p", "no:cacheprovider", "--rootdir", str(folder), *args]
    return subprocess.run(
        [*command, str(folder)],
        cwd=folder,
        env=variables,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def run(tmp_path: Path):
    folder = tmp_path / "suite"
    folder.mkdir()
    shared = tmp_path / "corpora"
    shared.mkdir()
    return folder, shared


@pytest.mark.parametrize(
    "xdist", [[], ["-p", "xdist", "-n", "2"]], ids=["alone", "xdist"]
)
def test_absent_corpus_tests_are_deselected_and_named_in_the_summary(run, xdist):
    # given
    folder, shared = run

    # when
    result = _pytest(folder, shared, *xdist)

    # then
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "1 passed" in out
    assert (
        f"corpus tier: 1 test not run: {shared / 'big.tar.gz'} absent "
        "(set ASKWELL_SHARED_DATA to the folder that holds it)"
    ) in out
    assert json.loads((folder / "tiers.json").read_text()) == {
        "corpus": {"ran": 0, "not_run": 1, "missing": [str(shared / "big.tar.gz")]}
    }


def test_corpus_tests_run_when_their_files_are_there(run):
    # given
    folder, shared = run
    (shared / "big.tar.gz").write_bytes(b"")

    # when
    result = _pytest(folder, shared)

    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    assert "corpus tier" not in result.stdout
    assert json.loads((folder / "tiers.json").read_text())["corpus"]["ran"] == 1


def test_a_required_corpus_that_is_absent_fails_the_run(run):
    # given
    folder, shared = run

    # when
    result = _pytest(folder, shared, ASKWELL_CORPUS_REQUIRED="1")

    # then
    assert result.returncode != 0
    assert "corpus tier required (ASKWELL_CORPUS_REQUIRED is set) but " in (
        result.stdout + result.stderr
    )
    assert "passed" not in result.stdout
