"""An import killed with SIGKILL midway leaves a consistent database, and
running it again completes it.

The import runs as a real `python -m askwell import jsonl` process on its own
SQLite file (whatever DATABASE_URL the suite runs with), so the kill is a real
kill: no Python cleanup, no rollback but SQLite's own.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TOPICS = 20
QUESTIONS = 6000
BATCH = 50
START_TIMEOUT = 60.0
POLL_SECONDS = 0.02
SUMMARY_ROW = re.compile(
    r"^(?P<kind>topic|contributor|book|video|question|answer)s +"
    r"(?P<created>\d+) +(?P<updated>\d+) +(?P<unchanged>\d+)$"
)


def _environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ASKWELL_DATA_DIR=str(data_dir), DEBUG="True")
    return env


def _askwell(*args: str) -> list[str]:
    return [sys.executable, "-m", "askwell", *args]


def _write_import_file(path: Path) -> None:
    def ref(ext: str) -> dict[str, str]:
        return {"source": "killtest", "external_id": ext}

    lines = [{"type": "header", "format": "askwell", "version": 1}]
    lines += [
        {
            "type": "topic",
            "source": "killtest",
            "external_id": f"t{n}",
            "name": f"Topic {n}",
        }
        for n in range(TOPICS)
    ]
    lines.append(
        {
            "type": "contributor",
            "source": "killtest",
            "external_id": "org",
            "kind": "organization",
            "name": "Kill Test Health Society",
            "verified": True,
        }
    )
    lines += [
        {
            "type": "question",
            "source": "killtest",
            "external_id": f"q{n}",
            "title": f"What helps with complaint number {n}?",
            "question_type": "treatment",
            "status": "answered",
            "topics": [ref(f"t{n % TOPICS}"), ref(f"t{(n + 1) % TOPICS}")],
        }
        for n in range(QUESTIONS)
    ]
    lines += [
        {
            "type": "answer",
            "source": "killtest",
            "external_id": f"a{n}",
            "question": ref(f"q{n}"),
            "contributor": ref("org"),
            "body": (
                f"For complaint number {n}, **rest** and *plenty of fluids* help "
                "most people within a week.\n\n"
                "- Drink water through the day.\n- Sleep at regular hours.\n\n"
                "See a doctor if it lasts longer than two weeks, or sooner if "
                f"it gets worse. More in [the guide](https://example.org/guide/{n})."
            ),
        }
        for n in range(QUESTIONS)
    ]
    path.write_text(
        "".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8"
    )


def _read_only(database: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{database}?mode=ro", uri=True)


def _count(connection: sqlite3.Connection, sql: str) -> int:
    return connection.execute(sql).fetchone()[0]


def _summary(output: str) -> dict[str, tuple[int, int, int]]:
    rows = {}
    for line in output.splitlines():
        match = SUMMARY_ROW.match(line)
        if match:
            rows[match["kind"]] = (
                int(match["created"]),
                int(match["updated"]),
                int(match["unchanged"]),
            )
    return rows


def _kill_once_answers_appear(
    process: subprocess.Popen[bytes], database: Path, log: Path
) -> None:
    connection = _read_only(database)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while _count(connection, "SELECT count(*) FROM questions_answer") == 0:
            if process.poll() is not None:
                pytest.fail(
                    f"the import exited ({process.returncode}) before any answer "
                    f"was written:\n{log.read_text()}"
                )
            if time.monotonic() > deadline:
                process.kill()
                process.wait()
                pytest.fail(
                    f"no answer written within {START_TIMEOUT:.0f} s:\n{log.read_text()}"
                )
            time.sleep(POLL_SECONDS)
    finally:
        connection.close()
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def test_an_import_killed_midway_leaves_whole_batches_and_a_rerun_completes_it(
    tmp_path,
):
    """SIGKILL during the answers leaves every written answer on an existing
    question, every question with both its topics, whole batches only and an
    intact SQLite file; the same import run again creates exactly the missing
    answers and duplicates nothing."""
    # given
    env = _environment(tmp_path)
    database = tmp_path / "askwell.sqlite3"
    subprocess.run(
        _askwell("migrate", "-v0"), env=env, cwd=ROOT, check=True, capture_output=True
    )
    data = tmp_path / "content.jsonl"
    _write_import_file(data)
    command = _askwell(
        "import", "jsonl", str(data), "--batch-size", str(BATCH), "--no-embed"
    )
    log = tmp_path / "killed-import.log"

    # when
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
        _kill_once_answers_appear(process, database, log)

    # then
    assert process.returncode == -signal.SIGKILL
    connection = _read_only(database)
    try:
        answers_before = _count(connection, "SELECT count(*) FROM questions_answer")
        assert answers_before < QUESTIONS, (
            "the import finished before the kill landed: make the file bigger"
        )
        assert answers_before % BATCH == 0
        assert _count(connection, "SELECT count(*) FROM questions_question") == (
            QUESTIONS
        )
        assert (
            _count(
                connection,
                "SELECT count(*) FROM questions_answer a LEFT JOIN questions_question q"
                " ON q.id = a.question_id WHERE q.id IS NULL",
            )
            == 0
        )
        assert (
            _count(
                connection,
                "SELECT count(*) FROM questions_question q WHERE (SELECT count(*)"
                " FROM questions_question_topics t WHERE t.question_id = q.id) != 2",
            )
            == 0
        )
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        connection.close()

    # when the same import runs again
    rerun = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)

    # then
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert rerun.stderr == ""
    assert _summary(rerun.stdout) == {
        "topic": (0, 0, TOPICS),
        "contributor": (0, 0, 1),
        "question": (0, 0, QUESTIONS),
        "answer": (QUESTIONS - answers_before, 0, answers_before),
    }
    connection = _read_only(database)
    try:
        for table in ("questions_question", "questions_answer"):
            assert _count(connection, f"SELECT count(*) FROM {table}") == QUESTIONS  # noqa: S608
            assert (
                _count(connection, f"SELECT count(DISTINCT external_id) FROM {table}")  # noqa: S608
                == QUESTIONS
            )
        assert (
            _count(connection, "SELECT count(*) FROM questions_question_topics")
            == 2 * QUESTIONS
        )
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        connection.close()
