from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from askwell.search.engine import similarity


class Command(BaseCommand):
    help = (
        "Score question pairs from 0 to 1: `askwell similarity --batch IN.jsonl` with one "
        '{"id", "a", "b"} per line prints {"id", "score"} lines. The same score drives '
        "similar-question suggestions and duplicate detection."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", metavar="IN.jsonl", required=True)

    def handle(self, *args: Any, batch: str, **options: Any) -> None:
        path = Path(batch)
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        problems = 0
        with path.open("rb") as lines:
            for number, raw in enumerate(lines, start=1):
                if not raw.strip():
                    continue
                try:
                    item = json.loads(raw.decode("utf-8"))
                    if not isinstance(item, dict) or not all(
                        isinstance(item.get(k), str) for k in ("a", "b")
                    ):
                        raise ValueError(
                            'each line must be an object with string "a" and "b"'
                        )
                except (ValueError, UnicodeDecodeError) as error:
                    self.stderr.write(f"{path.name} line {number}: {error}")
                    problems += 1
                    continue
                score = similarity(item["a"], item["b"])
                self.stdout.write(
                    json.dumps({"id": item.get("id"), "score": round(score, 6)})
                )
        if problems:
            raise CommandError(
                f"{problems} line(s) could not be read; see above", returncode=1
            )
