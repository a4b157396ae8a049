"""`askwell backup` and `askwell restore` as real commands on real databases.

The engine is the test run's (SQLite, or PostgreSQL under `dev.py test`): each
test makes databases of its own beside the test database, and runs the
commands as separate processes, as an operator would.
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import sqlite3
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from askwell.testing.processes import askwell, production_env

ENGINE = connection.vendor
ENGINE_NAME = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[ENGINE]


@dataclass
class Site:
    """A database and a data directory (MEDIA_ROOT is its media/)."""

    url: str
    data_dir: Path

    @property
    def env(self) -> dict[str, str]:
        return production_env(self.data_dir, DATABASE_URL=self.url)

    @property
    def media(self) -> Path:
        return self.data_dir / "media"

    def run(self, *args: str) -> tuple[int, str]:
        result = askwell(*args, env=self.env)
        return result.returncode, result.stdout

    def export(self, name: str) -> bytes:
        path = self.data_dir.parent / f"{self.data_dir.name}-{name}.jsonl"
        code, output = self.run("export", str(path))
        assert code == 0, output
        return path.read_bytes()


def _postgresql(database: str = "postgres"):
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(
        dbname=database,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"],
        port=settings["PORT"],
        autocommit=True,
    )


def _postgresql_url(name: str) -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST']}:"
        f"{settings['PORT']}/{name}"
    )


@pytest.fixture(scope="module")
def new_site(tmp_path_factory) -> Iterator[Callable[[str], Site]]:
    """Make an empty database (and data directory) of the test run's engine;
    PostgreSQL databases are dropped afterwards."""
    made: list[str] = []

    def make(name: str) -> Site:
        data_dir = tmp_path_factory.mktemp(name)
        if ENGINE == "sqlite":
            return Site(f"sqlite:///{data_dir / 'askwell.sqlite3'}", data_dir)
        database = f"askwell_ops_{name}_{secrets.token_hex(4)}"
        with _postgresql() as server:
            # template1 has pgvector in test runs, as the README asks of production.
            server.execute(f'CREATE DATABASE "{database}" TEMPLATE template1')
        made.append(database)
        return Site(_postgresql_url(database), data_dir)

    yield make
    if made:
        with _postgresql() as server:
            for database in made:
                server.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@dataclass
class Seeded:
    site: Site
    backup: Path
    export: bytes


@pytest.fixture(scope="module")
def seeded(new_site) -> Seeded:
    """The demo site (content, accounts, drawn book covers), its export, and
    a backup taken of it."""
    site = new_site("source")
    code, output = site.run("demo", "--no-serve")
    assert code == 0, output
    export = site.export("before")
    backup = site.data_dir.parent / "site-backup.tar.gz"
    code, output = site.run("backup", str(backup))
    assert code == 0, output
    covers = len(_files(site.media))
    assert covers >= 3
    assert f"Backed up the {ENGINE_NAME} database and {covers} media files" in output
    return Seeded(site, backup, export)


def _files(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _row_counts(site: Site) -> dict[str, int]:
    """Rows in every table: what the export leaves out (accounts, sessions,
    audit entries, search index) must come back too."""
    if ENGINE == "sqlite":
        database = sqlite3.connect(site.url.removeprefix("sqlite:///"))
        tables = [
            name
            for (name,) in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {
            t: database.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # noqa: S608
            for t in tables
        }
        database.close()
        return counts
    with _postgresql(site.url.rsplit("/", 1)[1]) as database:
        tables = [
            name
            for (name,) in database.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
        ]
        return {
            t: database.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # noqa: S608
            for t in tables
        }


def test_restore_into_a_fresh_database_gives_back_the_same_site(new_site, seeded):
    # given: an empty database and data directory
    site = new_site("target")
    # when
    code, output = site.run("restore", str(seeded.backup))
    # then
    assert code == 0, output
    assert f"Restored the {ENGINE_NAME} database" in output
    assert f"Restored {len(_files(seeded.site.media))} media files" in output
    assert site.export("after") == seeded.export
    assert _files(site.media) == _files(seeded.site.media)
    counts = _row_counts(site)
    assert counts == _row_counts(seeded.site)
    assert counts["accounts_user"] >= 7  # admin and the six demo sign-ins
    # and a demo account signs in with its password
    code, output = site.run(
        "shell",
        "-c",
        "from django.contrib.auth import authenticate; "
        "print(authenticate(username='reader', password='askwell-demo-reader'))",
    )
    assert code == 0, output
    assert output.splitlines()[-1] == "reader"


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(new_site, seeded):
    # given: a site restored once, then changed (a question renamed)
    site = new_site("forced")
    code, output = site.run("restore", str(seeded.backup))
    assert code == 0, output
    code, output = site.run(
        "shell",
        "-c",
        "from askwell.questions.models import Question; "
        "Question.objects.filter(pk=Question.objects.order_by('pk')[0].pk)"
        ".update(title='Renamed after the backup')",
    )
    assert code == 0, output
    changed = site.export("changed")
    assert changed != seeded.export
    # when: restoring over it
    code, output = site.run("restore", str(seeded.backup))
    # then: refused, nothing changed
    assert code == 1
    assert "Nothing was restored: the database is not empty" in output
    assert "--force" in output
    assert site.export("refused") == changed
    # when: forced
    code, output = site.run("restore", "--force", str(seeded.backup))
    # then: the backup's content again, and the old media kept beside the new
    assert code == 0, output
    assert site.export("forced") == seeded.export
    assert _row_counts(site) == _row_counts(seeded.site)
    kept = [
        p for p in site.data_dir.iterdir() if p.name.startswith("media.before-restore-")
    ]
    assert len(kept) == 1
    assert f"The media files that were there are now in {kept[0]}" in output
    assert _files(kept[0]) == _files(seeded.site.media)


# --- bad files -------------------------------------------------------------------


def _members(backup: Path) -> dict[str, bytes]:
    with tarfile.open(backup, "r:gz") as archive:
        return {
            m.name: archive.extractfile(m).read()
            for m in archive.getmembers()
            if m.isfile()
        }


def _write(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def _with_manifest(members: dict[str, bytes], **changes) -> dict[str, bytes]:
    manifest = json.loads(members["manifest.json"]) | changes
    return members | {"manifest.json": json.dumps(manifest).encode()}


def _bad_files(backup: Path, folder: Path) -> list[tuple[str, Path, str]]:
    """(what, file, the error it must give)."""
    good = _members(backup)
    database = next(name for name in good if name.startswith("database."))
    raw = backup.read_bytes()
    flipped = bytearray(good[database])
    flipped[len(flipped) // 2] ^= 0xFF
    garbage = b"not a database at all " * 100
    other_engine = "postgresql" if ENGINE == "sqlite" else "sqlite"
    other_member = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[
        other_engine
    ]
    files = json.loads(good["manifest.json"])["files"]

    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    without_manifest = {k: v for k, v in good.items() if k != "manifest.json"}
    other = {k: v for k, v in good.items() if k != database} | {
        other_member: good[database]
    }
    other_files = {k: v for k, v in files.items() if k != database} | {
        other_member: digest(good[database])
    }
    (folder / "notes.txt").write_text("my backup\n")
    (folder / "half.tar.gz").write_bytes(raw[: len(raw) // 2])
    return [
        ("a text file", folder / "notes.txt", "is not a readable Askwell backup"),
        ("half a backup", folder / "half.tar.gz", "is not a readable Askwell backup"),
        (
            "no manifest",
            _write(folder / "no-manifest.tar.gz", without_manifest),
            "has no manifest.json",
        ),
        (
            "a later format",
            _write(folder / "v2.tar.gz", _with_manifest(good, format_version=2)),
            "backup format version 2: this Askwell reads version 1 only",
        ),
        (
            "a damaged database copy",
            _write(folder / "flipped.tar.gz", good | {database: bytes(flipped)}),
            f"{database} is damaged (sha256 differs)",
        ),
        (
            "a database copy that is not one, checksum and all",
            _write(
                folder / "garbage.tar.gz",
                _with_manifest(
                    good | {database: garbage},
                    files=files | {database: digest(garbage)},
                ),
            ),
            "the backup's SQLite database is damaged"
            if ENGINE == "sqlite"
            else "the backup's PostgreSQL dump is unreadable",
        ),
        (
            "the other engine",
            _write(
                folder / "other-engine.tar.gz",
                _with_manifest(other, engine=other_engine, files=other_files),
            ),
            "Restore into the same engine",
        ),
        (
            "a file outside the manifest",
            _write(folder / "extra.tar.gz", good | {"../evil.sh": b"rm -rf /\n"}),
            "unexpected entries in the backup: ['../evil.sh']",
        ),
    ]


def test_a_bad_backup_file_is_refused_with_a_clear_error_and_changes_nothing(
    new_site, seeded, tmp_path
):
    # given: a site with content (forced restores would replace it) and an empty one
    full = seeded.site
    empty = new_site("empty")
    for what, bad, message in _bad_files(seeded.backup, tmp_path):
        for site, args in ((full, ["--force"]), (empty, [])):
            # when
            code, output = site.run("restore", *args, str(bad))
            # then
            assert code == 1, (what, output)
            assert "Nothing was restored" in output, what
            assert message in output, (what, output)
            assert "Traceback" not in output, what
    assert full.export("after-bad-files") == seeded.export
    assert _files(full.media) == _files(seeded.site.media)
    assert not empty.media.exists() or not any(empty.media.iterdir())
    assert _row_counts(empty) == {}


def test_a_backup_never_overwrites_the_sqlite_database_itself(tmp_path):
    # given: a SQLite site (whatever engine this test run uses)
    database = tmp_path / "askwell.sqlite3"
    with sqlite3.connect(database) as made:
        made.execute("CREATE TABLE kept (value TEXT)")
        made.execute("INSERT INTO kept VALUES ('still here')")
    made.close()
    before = database.read_bytes()
    site = Site(f"sqlite:///{database}", tmp_path)
    # when: told to write the backup over the database file
    code, output = site.run("backup", str(database))
    # then
    assert code == 1
    assert f"Nothing was backed up: {database} is the database itself" in output
    assert database.read_bytes() == before
