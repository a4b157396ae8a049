"""Where Askwell keeps its files, shared by settings and the demo's pre-settings setup."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The SQLite database, uploads and collected static files live here by default."""
    return Path(os.environ.get("ASKWELL_DATA_DIR", BASE_DIR / "data"))
