"""Jobs for the job worker's tests: they write to a file the test names, so a
worker in another process shows what it did."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task


@task()
def note(path: str, text: str) -> None:
    with Path(path).open("a", encoding="utf-8") as file:
        file.write(text + "\n")


@task()
def fail(message: str) -> None:
    raise ConnectionRefusedError(message)


@task()
def fail_times(path: str, failures: int) -> None:
    """Fail the first `failures` runs (counted in the file at `path`), then succeed."""
    counter = Path(path)
    runs = int(counter.read_text()) + 1 if counter.exists() else 1
    counter.write_text(str(runs))
    if runs <= failures:
        raise ConnectionRefusedError(f"run {runs} fails")


@task()
def slow_note(path: str, text: str, seconds: float = 60) -> None:
    """note(), slowly the first time: each run adds a line to PATH.runs, and
    the first one then sleeps (a test kills or stops its worker meanwhile)."""
    runs = Path(path + ".runs")
    with runs.open("a", encoding="utf-8") as file:
        file.write("run\n")
    if runs.read_text().count("run") == 1:
        time.sleep(seconds)
    note.call(path, text)
