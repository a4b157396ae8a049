from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser

from askwell.language.emergency import NOTICE, suggests_emergency
from askwell.lib import limits
from askwell.search.engine import hit_to_dict, query_vectors, search

T = TypeVar("T")


class Command(BaseCommand):
    help = (
        'Search answers: `askwell search "TEXT" [--json] [--limit N]`, or '
        '`askwell search --batch IN.jsonl --json` with one {"id", "query"} per line. '
        "When the words suggest an emergency, plain output says what to do first "
        'and JSON carries "emergency": true.'
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
            try:
                check_query(text)
            except ValueError as error:
                raise CommandError(str(error)) from None
            found = search(text, limit=limit)
            results = [hit_to_dict(h) for h in found.hits]
            if json:
                self.stdout.write(
                    _dumps(
                        {
                            "query": text,
                            "close_match": found.close_match,
                            "emergency": suggests_emergency(text),
                            "results": results,
                        }
                    )
                )
            else:
                if suggests_emergency(text):
                    self.stdout.write(NOTICE)
                self._print(results, found.close_match)
        else:
            raise CommandError("give TEXT to search for, or --batch IN.jsonl")

    def _batch(self, path: Path, limit: int) -> None:
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        problems = 0
        with path.open("rb") as lines:
            for chunk in _chunks(enumerate(lines, start=1), BATCH_EMBEDDINGS):
                items = []
                for number, raw in chunk:
                    if not raw.strip():
                        continue
                    try:
                        items.append(_item(raw))
                    except (ValueError, UnicodeDecodeError) as error:
                        self.stderr.write(f"{path.name} line {number}: {error}")
                        problems += 1
                vectors = query_vectors([item["query"] for item in items])
                for n, item in enumerate(items):
                    vector = None if vectors is None else vectors[n]
                    found = search(item["query"], limit=limit, vector=vector)
                    self.stdout.write(
                        _dumps(
                            {
                                "id": item.get("id"),
                                "close_match": found.close_match,
                                "emergency": suggests_emergency(item["query"]),
                                "results": [hit_to_dict(h) for h in found.hits],
                            }
                        )
                    )
        if problems:
            raise CommandError(
                f"{problems} line(s) could not be read; see above", returncode=1
            )

    def _print(self, results: list[dict[str, Any]], close_match: bool) -> None:
        if not results:
            self.stdout.write("No answers found.")
        elif not close_match:
            self.stdout.write(
                "No close match: the first answer may be about something else."
            )
        for n, r in enumerate(results, 1):
            self.stdout.write(
                f"{n:>2}. {r['question']}\n    {r['contributor']} · answer {r['answer_id']} · {r['score']:.3f}"
            )


# Queries embedded together in one run of the model (and lines read ahead).
BATCH_EMBEDDINGS = 64


def _chunks(iterable: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def check_query(text: str) -> None:
    """Raise ValueError unless `text` is a message the engine may read: at
    most limits.QUESTION_TEXT characters (a reader's whole question), all
    of them storable text."""
    if len(text) > limits.QUESTION_TEXT:
        raise ValueError(
            "the query is too long: "
            + limits.length_message(limits.QUESTION_TEXT, len(text))
        )
    index = limits.first_unencodable(text)
    if index is not None:
        raise ValueError(limits.unencodable_message(text, index))


def _item(raw: bytes) -> dict[str, Any]:
    item = _loads(raw)
    if not isinstance(item, dict) or not isinstance(item.get("query"), str):
        raise ValueError('each line must be an object with a string "query"')
    check_query(item["query"])
    return item


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _loads(raw: bytes) -> Any:
    return json.loads(raw.decode("utf-8"))
