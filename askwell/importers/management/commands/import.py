from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from askwell.importers.jsonl import FormatError
from askwell.importers.loader import Loader, NewAnswers, StrictStop, Summary
from askwell.importers.sources import SOURCES, Item
from askwell.lib.progress import Progress
from askwell.search import refresh_statistics, run_embeddings


class _DryRunRollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Import content from one of the sources below (importers/sources.py), "
        "e.g. `import medquad PATH` or `import jsonl FILE` (Askwell's own "
        "format). Re-running updates what changed and creates no duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="format", required=True, metavar="{" + ",".join(SOURCES) + "}"
        )
        for source in SOURCES.values():
            command = sub.add_parser(
                source.name,
                help=f"import {source.help}",
                called_from_command_line=getattr(
                    parser, "called_from_command_line", None
                ),
            )
            command.add_argument("path", metavar=source.argument, help=source.help)
            command.add_argument(
                "--strict", action="store_true", help="stop at the first bad record"
            )
            command.add_argument(
                "--dry-run",
                action="store_true",
                help="report what would change, write nothing",
            )
            command.add_argument(
                "--batch-size", type=int, default=500, help="records per transaction"
            )
            command.add_argument(
                "--unreviewed",
                action="store_true",
                help="new answers wait for medical review (default: they count as "
                "reviewed by their source at import time)",
            )
            command.add_argument(
                "--no-embed",
                action="store_true",
                help="skip computing search embeddings (`askwell reindex --embeddings-only` does it later)",
            )

    def handle(self, *args: Any, format: str, path: str, **options: Any) -> None:
        # Options of a subcommand are absent from `options` when call_command()
        # leaves them out, so each is read with its default.
        strict = bool(options.get("strict"))
        dry_run = bool(options.get("dry_run"))
        no_embed = bool(options.get("no_embed"))
        batch_size = int(options.get("batch_size") or 500)
        source = Path(path)
        if not source.exists():
            raise CommandError(f"{path}: no such file or folder")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        loader = Loader(
            strict=strict,
            batch_size=batch_size,
            new_answers=NewAnswers.PENDING
            if options.get("unreviewed")
            else NewAnswers.REVIEWED_BY_SOURCE,
        )
        # A normal run commits batch by batch (each batch is one transaction, see
        # loader.py); a dry run wraps everything in one transaction and rolls it back.
        outer = transaction.atomic() if dry_run else contextlib.nullcontext()
        try:
            with outer:
                items, total = SOURCES[format].read(source, self.stdout)
                self._load(loader, items, total)
                if dry_run:
                    raise _DryRunRollback
        except _DryRunRollback:
            self.stdout.write(
                "Dry run: nothing was written. This is what the import would do:"
            )
        except StrictStop as stop:
            self._report(loader.summary)
            raise CommandError(
                f"stopped at the first error (--strict): {stop.problem}"
            ) from None
        except FormatError as error:
            raise CommandError(str(error)) from None
        self._report(loader.summary)
        if not dry_run:
            refresh_statistics()
        if not dry_run and not no_embed:
            run_embeddings(self.stdout)
        if loader.summary.skipped:
            raise CommandError(
                f"{len(loader.summary.skipped)} record(s) skipped; see the reasons above",
                returncode=1,
            )

    def _load(self, loader: Loader, items: Iterable[Item], total: int) -> None:
        progress = Progress("Loading records", total, self.stdout)
        loader.on_record = progress.advance
        loader.load(items)
        progress.close()

    def _report(self, summary: Summary) -> None:
        self.stdout.write("\n".join(summary.lines()))
        for problem in summary.skipped[:50]:
            self.stderr.write(f"  skipped {problem}")
        if len(summary.skipped) > 50:
            self.stderr.write(f"  … and {len(summary.skipped) - 50} more")
