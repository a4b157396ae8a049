"""`askwell export` then `askwell import jsonl`: the content comes back exactly.

An export of the demo content, loaded into an empty database and exported
again, is byte-for-byte the same file; re-importing a file changes nothing;
an edited file updates exactly the rows that were edited.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from askwell.demo.loader import load_demo_content
from askwell.experts.models import Book, Contributor, Video
from askwell.importers.records import Header, json_schema, record_adapter
from askwell.lib.markdown import render_markdown
from askwell.questions.models import Answer, Question
from askwell.topics.models import Topic

pytestmark = pytest.mark.django_db

SCHEMA_FILE = (
    Path(__file__).resolve().parents[3]
    / "docs"
    / "schema"
    / "askwell-jsonl-v1.schema.json"
)
KINDS = ("topic", "contributor", "book", "video", "question", "answer")
SUMMARY_ROW = re.compile(
    r"^(?P<kind>topic|contributor|book|video|question|answer)s +"
    r"(?P<created>\d+) +(?P<updated>\d+) +(?P<unchanged>\d+)$"
)


def _export(path: Path) -> str:
    out = io.StringIO()
    call_command("export", str(path), stdout=out)
    return out.getvalue()


def _import(path: Path) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "jsonl", str(path), stdout=out, stderr=err)
    assert err.getvalue() == ""
    return out.getvalue()


def _summary(output: str) -> dict[str, tuple[int, int, int]]:
    """The (created, updated, unchanged) row of each kind in the import summary."""
    rows = {}
    for line in output.splitlines():
        match = SUMMARY_ROW.match(line)
        if match:
            rows[match["kind"]] = (
                int(match["created"]),
                int(match["updated"]),
                int(match["unchanged"]),
            )
    return rows


def _records(path: Path) -> list[dict]:
    """Every line after the header, parsed."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[1:]]


def _write(path: Path, header: str, records: list[dict]) -> None:
    lines = [header] + [json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _row_counts() -> dict[str, int]:
    return {
        "topics": Topic.objects.count(),
        "contributors": Contributor.objects.count(),
        "books": Book.objects.count(),
        "book authors": Book.authors.through.objects.count(),
        "videos": Video.objects.count(),
        "video topics": Video.topics.through.objects.count(),
        "questions": Question.objects.count(),
        "question topics": Question.topics.through.objects.count(),
        "answers": Answer.objects.count(),
    }


def _delete_all_content() -> None:
    Answer.objects.all().delete()
    Question.objects.all().delete()
    Video.objects.all().delete()
    Book.objects.all().delete()
    Contributor.objects.all().delete()
    # Topic.parent is PROTECT: the deepest topics go first.
    for depth in sorted(set(Topic.objects.values_list("depth", flat=True)))[::-1]:
        Topic.objects.filter(depth=depth).delete()


def test_export_import_export_of_the_demo_content_is_byte_identical(tmp_path):
    """The demo content exported, imported into an empty database and exported
    again gives the same bytes, and the import creates every record."""
    # given
    load_demo_content()
    first = tmp_path / "a.jsonl"
    _export(first)
    per_kind = Counter(r["type"] for r in _records(first))
    assert set(per_kind) == set(KINDS)
    _delete_all_content()
    assert set(_row_counts().values()) == {0}

    # when
    output = _import(first)
    second = tmp_path / "b.jsonl"
    _export(second)

    # then
    assert second.read_bytes() == first.read_bytes()
    assert _summary(output) == {kind: (per_kind[kind], 0, 0) for kind in KINDS}
    assert "skipped: 0" in output.splitlines()


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    """Importing an export of what is already in the database reports every
    record unchanged and adds no rows."""
    # given
    load_demo_content()
    path = tmp_path / "a.jsonl"
    _export(path)
    per_kind = Counter(r["type"] for r in _records(path))
    before = _row_counts()

    # when
    output = _import(path)

    # then
    assert _summary(output) == {kind: (0, 0, per_kind[kind]) for kind in KINDS}
    assert "skipped: 0" in output.splitlines()
    assert _row_counts() == before
    again = tmp_path / "again.jsonl"
    _export(again)
    assert again.read_bytes() == path.read_bytes()


def test_an_edited_file_updates_exactly_the_edited_records(tmp_path):
    """Changing one answer body, one topic name and one question's topics in an
    export updates those three rows, re-renders the answer's HTML, sets the
    question's topics to exactly the new list and leaves the rest unchanged."""
    # given
    load_demo_content()
    exported = tmp_path / "a.jsonl"
    _export(exported)
    header = exported.read_text(encoding="utf-8").splitlines()[0]
    records = _records(exported)
    per_kind = Counter(r["type"] for r in records)
    answer = next(r for r in records if r["type"] == "answer")
    answer["body"] += "\n\nThis part is **new**."
    topic = next(r for r in records if r["type"] == "topic")
    topic["name"] = "A renamed topic"
    question = next(r for r in records if r["type"] == "question" and r["topics"])
    old_topics = {(t["source"], t["external_id"]) for t in question["topics"]}
    new_topics = [
        {"source": r["source"], "external_id": r["external_id"]}
        for r in records
        if r["type"] == "topic" and (r["source"], r["external_id"]) not in old_topics
    ][:2]
    question["topics"] = new_topics
    edited = tmp_path / "edited.jsonl"
    _write(edited, header, records)
    before = _row_counts()

    # when
    output = _import(edited)

    # then
    changed = {"topic": 1, "question": 1, "answer": 1}
    assert _summary(output) == {
        kind: (0, changed.get(kind, 0), per_kind[kind] - changed.get(kind, 0))
        for kind in KINDS
    }
    assert _row_counts() == {
        **before,
        "question topics": before["question topics"] - len(old_topics) + 2,
    }
    stored_answer = Answer.objects.get(
        source=answer["source"], external_id=answer["external_id"]
    )
    assert stored_answer.body == answer["body"]
    assert "<strong>new</strong>" in stored_answer.body_html
    assert stored_answer.body_html == render_markdown(answer["body"])
    stored_topic = Topic.objects.get(
        source=topic["source"], external_id=topic["external_id"]
    )
    assert stored_topic.name == "A renamed topic"
    stored_question = Question.objects.get(
        source=question["source"], external_id=question["external_id"]
    )
    assert len(new_topics) == 2
    assert set(stored_question.topics.values_list("source", "external_id")) == {
        (t["source"], t["external_id"]) for t in new_topics
    }


def test_the_committed_schema_file_is_the_generated_schema():
    """docs/schema/askwell-jsonl-v1.schema.json is what records.json_schema() generates."""
    # given
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))

    # when
    generated = json_schema()

    # then
    assert committed == generated


def test_every_exported_line_validates_against_the_record_models(tmp_path):
    """The header line is a Header and every other line a record, and each
    line is exactly how the models write that record back."""
    # given
    load_demo_content()
    path = tmp_path / "a.jsonl"
    _export(path)
    header, *lines = path.read_text(encoding="utf-8").splitlines()

    # when
    parsed_header = Header.model_validate_json(header)
    records = [record_adapter.validate_json(line) for line in lines]

    # then
    assert parsed_header.model_dump() == {
        "type": "header",
        "format": "askwell",
        "version": 1,
    }
    assert len(records) == len(lines)
    for line, record in zip(lines, records, strict=True):
        assert json.dumps(record.model_dump(mode="json"), ensure_ascii=False) == line


def test_imported_answers_count_as_reviewed_by_their_source_unless_asked(
    tmp_path, settings
):
    """By default new answers are reviewed by their source at import time;
    --unreviewed puts them in the review queue; a re-import never changes the
    review state of answers already there."""
    # given: the demo content exported, then removed
    load_demo_content()
    exported = tmp_path / "demo.jsonl"
    _export(exported)
    _delete_all_content()

    # when: imported for review
    out = io.StringIO()
    call_command("import", "jsonl", str(exported), "--unreviewed", stdout=out)

    # then
    assert set(Answer.objects.values_list("review_state", flat=True)) == {"pending"}
    settings.ASKWELL_SHOW_UNREVIEWED = False
    assert not Answer.objects.published().exists()
    settings.ASKWELL_SHOW_UNREVIEWED = True

    # when: an editor approves one, and the file is imported again by default
    first = Answer.objects.order_by("pk").first()
    Answer.objects.filter(pk=first.pk).update(review_state="published")
    _import(exported)

    # then: states are untouched
    assert Answer.objects.filter(review_state="published").count() == 1

    # when: imported into an empty database by default
    _delete_all_content()
    _import(exported)

    # then: reviewed by their source, with the date
    states = set(Answer.objects.values_list("review_state", flat=True))
    assert states == {"published"}
    assert not Answer.objects.filter(reviewed_at=None).exists()
    page = Client().get(Answer.objects.first().question.get_absolute_url())
    assert "Reviewed by its source," in page.content.decode()
