"""How many gunicorn workers `askwell serve` starts when not told."""

from __future__ import annotations

import os

# One sync worker per CPU. A request is CPU-bound work in Python (templates,
# ranking, the embedding model), so workers beyond the CPU count only queue for
# the same cores, and each one holds the embedding model (about 290 MB
# resident). Measured with wrk, 16 connections, the demo question page on
# SQLite, 2 cores, 2026-11-25 (machine shared, load 3-5): 1 worker 18 req/s,
# 2 workers 34, 3 workers 31, 5 workers 27 (gunicorn's rule of thumb,
# 2 x CPUs + 1, is for I/O-bound apps). On PostgreSQL across a network, try
# ASKWELL_WORKERS=CPUs + 1. The cap keeps memory bounded on big machines.
MAX_DEFAULT_WORKERS = 8


def cpu_count() -> int:
    """CPUs this process may run on (a container's or cgroup's share, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """ASKWELL_WORKERS, or one sync worker per CPU, at most MAX_DEFAULT_WORKERS."""
    if configured := os.environ.get("ASKWELL_WORKERS"):
        try:
            return int(configured)
        except ValueError:
            raise ValueError(
                f"ASKWELL_WORKERS must be a whole number, not {configured!r}"
            ) from None
    return min(cpu_count(), MAX_DEFAULT_WORKERS)
