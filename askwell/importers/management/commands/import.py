from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from askwell.importers import convert_medquad, medquad
from askwell.importers.jsonl import FormatError, Problem, read_jsonl
from askwell.importers.loader import Loader, NewAnswers, StrictStop, Summary
from askwell.lib.progress import Progress
from askwell.search import refresh_statistics, run_embeddings


class _DryRunRollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Import content: `import medquad PATH` (the MedQuAD folder or .tar.gz) or "
        "`import jsonl FILE` (Askwell's own format). Re-running updates what changed "
        "and creates no duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="format", required=True, metavar="{medquad,jsonl}"
        )
        for name, target, text in (
            ("medquad", "PATH", "the MedQuAD folder or medquad.tar.gz"),
            ("jsonl", "FILE", "an Askwell JSON Lines file (docs/import-format.md)"),
        ):
            command = sub.add_parser(
                name,
                help=f"import {text}",
                called_from_command_line=getattr(
                    parser, "called_from_command_line", None
                ),
            )
            command.add_argument("path", metavar=target, help=text)
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
                if format == "medquad":
                    self._medquad(source, loader)
                else:
                    self._jsonl(source, loader)
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

    def _medquad(self, path: Path, loader: Loader) -> None:
        total = medquad.count_members(path)
        reading = Progress("Reading MedQuAD files", total, self.stdout)
        documents: list[medquad.MedquadDocument] = []
        for item in medquad.read_medquad(path):
            reading.advance()
            if isinstance(item, medquad.ReadError):
                where = f"{item.path} line {item.line}" if item.line else item.path
                loader.summary.skipped.append(Problem(where, item.message))
                if loader.strict:
                    raise StrictStop(Problem(where, item.message))
            else:
                documents.append(item)
        reading.close()
        stats = convert_medquad.Conversion()
        records = list(convert_medquad.convert(documents, stats))
        self.stdout.write(
            f"Read {stats.pairs:,} question-answer pairs from {stats.documents:,} files: "
            f"{stats.pairs_with_answer:,} with answer text, {stats.pairs_without_answer:,} without "
            f"(those sources ship no answers). They make {stats.questions:,} questions "
            f"({stats.open_questions:,} open, awaiting an expert) under {stats.topics:,} topics."
        )
        self._load(loader, records, len(records))

    def _jsonl(self, path: Path, loader: Loader) -> None:
        total = sum(1 for _ in path.open("rb"))
        self._load(loader, read_jsonl(path), max(total - 1, 0))

    def _load(self, loader: Loader, items: Any, total: int) -> None:
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
