from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from askwell.search.engine import Hit, search


def hit_to_dict(hit: Hit) -> dict[str, Any]:
    answer = hit.answer
    return {
        "answer_id": answer.pk,
        "external_id": answer.external_id,
        "question_id": answer.question_id,
        "question": answer.question.title,
        "contributor": answer.contributor.signature,
        "score": round(hit.score, 6),
    }


class Command(BaseCommand):
    help = (
        'Search answers: `askwell search "TEXT" [--json] [--limit N]`, or '
        '`askwell search --batch IN.jsonl --json` with one {"id", "query"} per line.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("text", nargs="?", help="what to search for")
        parser.add_argument(
            "--batch", metavar="IN.jsonl", help='a file of {"id", "query"} lines'
        )
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument(
            "--limit", type=int, default=10, help="answers per query (default 10)"
        )

    def handle(
        self,
        *args: Any,
        text: str | None,
        batch: str | None,
        json: bool,
        limit: int,
        **options: Any,
    ) -> None:
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        if batch and text:
            raise CommandError("give either TEXT or --batch, not both")
        if batch:
            self._batch(Path(batch), limit)
        elif text is not None:
            results = [hit_to_dict(h) for h in search(text, limit=limit).hits]
            if json:
                self.stdout.write(_dumps({"query": text, "results": results}))
            else:
                self._print(results)
        else:
            raise CommandError("give TEXT to search for, or --batch IN.jsonl")

    def _batch(self, path: Path, limit: int) -> None:
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        problems = 0
        with path.open("rb") as lines:
            for number, raw in enumerate(lines, start=1):
                if not raw.strip():
                    continue
                try:
                    item = _loads(raw)
                    if (
                        not isinstance(item, dict)
                        or "query" not in item
                        or not isinstance(item["query"], str)
                    ):
                        raise ValueError(
                            'each line must be an object with a string "query"'
                        )
                except (ValueError, UnicodeDecodeError) as error:
                    self.stderr.write(f"{path.name} line {number}: {error}")
                    problems += 1
                    continue
                hits = search(item["query"], limit=limit).hits
                self.stdout.write(
                    _dumps(
                        {
                            "id": item.get("id"),
                            "results": [hit_to_dict(h) for h in hits],
                        }
                    )
                )
        if problems:
            raise CommandError(
                f"{problems} line(s) could not be read; see above", returncode=1
            )

    def _print(self, results: list[dict[str, Any]]) -> None:
        if not results:
            self.stdout.write("No answers found.")
        for n, r in enumerate(results, 1):
            self.stdout.write(
                f"{n:>2}. {r['question']}\n    {r['contributor']} · answer {r['answer_id']} · {r['score']:.3f}"
            )


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _loads(raw: bytes) -> Any:
    return json.loads(raw.decode("utf-8"))
