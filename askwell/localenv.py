"""The local site's `.env`: the settings `askwell demo` keeps for every `askwell` command.

The demo runs with DEBUG off, like production, so it needs a secret key and
allowed hosts; it also knows the address it serves on. It writes them to
`$ASKWELL_DATA_DIR/.env` (git-ignored, like the whole data directory), and
every `askwell` command loads that file before Django reads its settings, so
`.venv/bin/askwell migrate`, `import`, `search`… work on the demo's site as
the README writes them.

A variable already set in the environment wins over the file. Without the
file (production: nobody ran the demo on that data directory) nothing is
added, and settings still refuse to start without a real SECRET_KEY and
ALLOWED_HOSTS.

Format: one NAME=value per line; blank lines and lines starting with # are
ignored; the value is everything after the first "=", taken as it is (no
quotes, no expansion).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from askwell.paths import data_dir

# A hand-written .env is a few hundred bytes; refuse anything that is not one
# before reading it.
MAX_BYTES = 64 * 1024
NAME = re.compile(r"[A-Z_][A-Z0-9_]*")


def env_file() -> Path:
    return data_dir() / ".env"


def read(path: Path) -> dict[str, str]:
    """NAME → value from the file at PATH.

    Raises ImproperlyConfigured naming the file and line of anything that is
    not a comment, a blank line or NAME=value.
    """
    if path.stat().st_size > MAX_BYTES:
        raise ImproperlyConfigured(f"{path} is larger than {MAX_BYTES} bytes.")
    values: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.partition("=")
        name = name.strip()
        if not equals or not NAME.fullmatch(name):
            raise ImproperlyConfigured(
                f"{path}, line {number}: expected NAME=value, not {line!r}."
            )
        values[name] = value.strip()
    return values


def load() -> None:
    """Add the variables of the data directory's `.env`, if there is one, to
    the environment; variables already set keep their values."""
    path = env_file()
    if not path.is_file():
        return
    for name, value in read(path).items():
        os.environ.setdefault(name, value)


def write(path: Path, values: dict[str, str], comment: str) -> None:
    """Replace the file at PATH with VALUES, COMMENT on top; readable by its
    owner only (it holds the secret key)."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    for name, value in values.items():
        if not NAME.fullmatch(name) or set(value) & {"\n", "\r"}:
            raise ValueError(f"cannot write {name}={value!r} to {path}")
        lines.append(f"{name}={value}")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.touch(mode=0o600)
    partial.chmod(0o600)
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    partial.replace(path)
