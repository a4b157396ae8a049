"""The README's local `askwell` commands run as written after `askwell demo`.

A newcomer runs `python3 dev.py demo`, then copies commands from the README.
These tests do the same with real processes: a fresh data directory set up
by `askwell demo --no-serve`, then each command from a temporary checkout
whose `.venv` is this test run's virtual environment, with no SECRET_KEY,
ALLOWED_HOSTS or DEBUG in the environment (what the demo's `.env` gives).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tarfile
from pathlib import Path

from askwell.paths import BASE_DIR
from askwell.testing.processes import TEST_RUN_VARIABLES

README = BASE_DIR / "README.md"
MEDQUAD_SAMPLE = BASE_DIR / "askwell/testing/data/medquad"
BASH_BLOCK = re.compile(r"^```bash\n(.*?)^```", re.MULTILINE | re.DOTALL)
COMMAND = ".venv/bin/askwell "
# The files the README's commands name, made small in the temporary checkout.
QUERIES = '{"id": "1", "query": "plasma exchange for MS"}\n'
PAIRS = '{"id": "1", "a": "Is MS inherited?", "b": "Is multiple sclerosis genetic?"}\n'


def readme_commands(text: str) -> list[str]:
    """The README's local commands, in the README's order.

    Selection rule: every line of a ```bash block that starts with
    `.venv/bin/askwell ` (its `#` comment removed). Other lines are not run:
    `python3 dev.py …` (the whole set-up, run by CI itself), `curl` (a
    running server) and the PostgreSQL block's `createdb`, `psql` and
    `export DATABASE_URL=…` (a PostgreSQL server); that block's
    `askwell migrate` runs on the demo's SQLite database instead.
    """
    lines = []
    for block in BASH_BLOCK.findall(text):
        for line in block.splitlines():
            if line.startswith(COMMAND):
                lines.append(shlex.join(shlex.split(line, comments=True)))
    return lines


def newcomer_env(data_dir: Path) -> dict[str, str]:
    """This run's environment without what the test run sets for its own
    settings: only the demo's `.env` may supply them."""
    env = {k: v for k, v in os.environ.items() if k not in TEST_RUN_VARIABLES}
    # The README's commands use the default data directory, data/ in the
    # checkout; the temporary checkout's is this one.
    env["ASKWELL_DATA_DIR"] = str(data_dir)
    return env


def prepare_checkout(checkout: Path) -> None:
    """A checkout as the README's commands expect it: `.venv` (this run's
    virtual environment), the MedQuAD sample packed as
    `../shared/data/medquad.tar.gz`, and the files the commands read."""
    checkout.mkdir()
    (checkout / ".venv").symlink_to(sys.prefix)
    shared = checkout.parent / "shared" / "data"
    shared.mkdir(parents=True)
    with tarfile.open(shared / "medquad.tar.gz", "w:gz") as archive:
        archive.add(MEDQUAD_SAMPLE, arcname="MedQuAD")
    (checkout / "queries.jsonl").write_text(QUERIES)
    (checkout / "pairs.jsonl").write_text(PAIRS)


def run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    result = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stdout


def test_the_selection_finds_the_readme_commands():
    # when
    commands = readme_commands(README.read_text(encoding="utf-8"))

    # then: the commands of Importing content and Search, at least
    assert ".venv/bin/askwell import medquad ../shared/data/medquad.tar.gz" in commands
    assert ".venv/bin/askwell search --batch queries.jsonl --json" in commands
    assert ".venv/bin/askwell reindex" in commands
    assert all(command.startswith(COMMAND) for command in commands)


def test_every_local_readme_command_runs_after_the_demo(tmp_path: Path):
    # given: the demo set up on a fresh data directory, and a checkout
    data_dir = tmp_path / "data"
    checkout = tmp_path / "askwell"
    prepare_checkout(checkout)
    env = newcomer_env(data_dir)
    code, output = run([".venv/bin/askwell", "demo", "--no-serve"], checkout, env)
    assert code == 0, output
    # `import jsonl content.jsonl` comes before the README's export.
    code, output = run([".venv/bin/askwell", "export", "content.jsonl"], checkout, env)
    assert code == 0, output

    # when
    failures = []
    for command in readme_commands(README.read_text(encoding="utf-8")):
        code, output = run(shlex.split(command), checkout, env)
        if code != 0:
            failures.append(f"$ {command}\nexit {code}\n{output}")

    # then
    assert not failures, "\n\n".join(failures)
