"""Benchmark: the full MedQuAD import into an empty SQLite database.

Runs each step as the operator would, as a separate `askwell` process on a
fresh data directory, and prints the wall-clock time of each:

    .venv/bin/python bench/import_medquad.py [--archive $ASKWELL_SHARED_DATA/medquad.tar.gz]

Steps: migrate; import (empty database, search indexing included, embeddings
left for the next step); compute the embeddings; import again (nothing
changes); export to JSONL; import that JSONL into another empty database.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from askwell.testing.datasets import shared_data  # noqa: E402

DEFAULT_ARCHIVE = shared_data() / "medquad.tar.gz"


def run(args: list[str], data_dir: Path) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ASKWELL_DATA_DIR=str(data_dir), DEBUG="True")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "askwell", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"askwell {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    args = parser.parse_args()
    if not args.archive.exists():
        sys.exit(f"{args.archive}: not found")
    with (
        tempfile.TemporaryDirectory() as first,
        tempfile.TemporaryDirectory() as second,
    ):
        first_dir, second_dir = Path(first), Path(second)
        rows = []
        rows.append(("migrate (empty SQLite)", *run(["migrate", "-v0"], first_dir)))
        rows.append(
            (
                "import medquad (empty database)",
                *run(["import", "medquad", str(args.archive)], first_dir),
            )
        )
        rows.append(
            (
                "import medquad again (no changes)",
                *run(["import", "medquad", str(args.archive)], first_dir),
            )
        )
        export = first_dir / "export.jsonl"
        rows.append(
            ("export (all content to JSONL)", *run(["export", str(export)], first_dir))
        )
        run(["migrate", "-v0"], second_dir)
        rows.append(
            (
                "import jsonl (empty database)",
                *run(["import", "jsonl", str(export)], second_dir),
            )
        )
        size_mb = (first_dir / "askwell.sqlite3").stat().st_size / 1e6
    print(f"MedQuAD import benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"{'step':<46}{'seconds':>9}")
    for label, seconds, _ in rows:
        print(f"{label:<46}{seconds:>9.1f}")
    summary = next(line for line in rows[1][2].splitlines() if line.startswith("Read "))
    print(summary)
    print(f"SQLite database after import: {size_mb:.0f} MB")


if __name__ == "__main__":
    main()
