"""Search follows an import: what a batch writes is findable once the
batch commits (the lexical index), and the embeddings are a step of their
own, skipped with --no-embed and computed later."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from askwell.questions.models import Answer
from askwell.search.engine import search
from askwell.search.models import SearchDocument

pytestmark = pytest.mark.django_db(transaction=True)


def _ref(ext: str) -> dict[str, str]:
    return {"source": "test", "external_id": ext}


def _write(path: Path, topic_name: str) -> Path:
    records = [
        {"type": "header", "format": "askwell", "version": 1},
        {"type": "topic", "source": "test", "external_id": "t1", "name": topic_name},
        {
            "type": "contributor",
            "source": "test",
            "external_id": "c1",
            "kind": "organization",
            "name": "Sleep Society",
            "verified": True,
        },
        {
            "type": "question",
            "source": "test",
            "external_id": "q1",
            "title": "How can I sleep better with restless legs?",
            "topics": [_ref("t1")],
        },
        {
            "type": "answer",
            "source": "test",
            "external_id": "a1",
            "question": _ref("q1"),
            "contributor": _ref("c1"),
            "body": "Stretching before bed and less caffeine calm restless legs.",
        },
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _found(text: str) -> list[int]:
    return [hit.answer.pk for hit in search(text, limit=10).hits]


def test_an_import_is_findable_at_once_and_embedded_as_a_step_of_its_own(tmp_path):
    # when
    call_command(
        "import",
        "jsonl",
        str(_write(tmp_path / "a.jsonl", "Sleep")),
        "--no-embed",
        stdout=io.StringIO(),
    )

    # then
    answer = Answer.objects.get(external_id="a1")
    assert _found("caffeine restless legs") == [answer.pk]
    document = SearchDocument.objects.get(answer=answer)
    assert (document.topics, document.embedding) == ("Sleep", None)


def test_a_topic_renamed_by_an_import_is_renamed_in_search(tmp_path):
    # given
    call_command(
        "import",
        "jsonl",
        str(_write(tmp_path / "a.jsonl", "Sleep")),
        "--no-embed",
        stdout=io.StringIO(),
    )

    # when
    call_command(
        "import",
        "jsonl",
        str(_write(tmp_path / "b.jsonl", "Sleep disorders")),
        "--no-embed",
        stdout=io.StringIO(),
    )

    # then
    answer = Answer.objects.get(external_id="a1")
    assert SearchDocument.objects.get(answer=answer).topics == "Sleep disorders"
