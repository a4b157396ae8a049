from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from askwell.importers.exporter import count_rows, export_records
from askwell.importers.jsonl import write_jsonl
from askwell.importers.records import json_schema
from askwell.lib.progress import Progress


class Command(BaseCommand):
    help = (
        "Export all content (topics, contributors, books, videos, questions, answers) "
        "as Askwell JSON Lines; `askwell import jsonl FILE` reads it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", metavar="FILE", help="where to write; - for standard output"
        )
        parser.add_argument(
            "--schema",
            action="store_true",
            help="write the format's JSON Schema instead of the content",
        )

    def handle(self, *args: Any, file: str, schema: bool, **options: Any) -> None:
        to_stdout = file == "-"
        path = Path(file)
        if not to_stdout and not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such folder")
        stream = (
            sys.stdout if to_stdout else path.open("w", encoding="utf-8", newline="\n")
        )
        try:
            if schema:
                stream.write(
                    json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
                )
                return
            # Progress goes to stderr when the export itself goes to stdout.
            progress = Progress(
                "Exporting records",
                count_rows(),
                self.stderr if to_stdout else self.stdout,
            )
            count = write_jsonl(_counted(export_records(), progress), stream)
            progress.close()
        finally:
            if not to_stdout:
                stream.close()
        (self.stderr if to_stdout else self.stdout).write(
            f"Exported {count:,} records to {file}"
        )


def _counted(records: Any, progress: Progress) -> Any:
    for record in records:
        progress.advance()
        yield record
