"""Import sources are a registry: a new source is a function that reads a
path into records, plus one entry in importers/sources.py. The command,
its options, the checks and the summary come with it."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TextIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from askwell.importers.jsonl import Problem
from askwell.importers.records import TopicRecord
from askwell.importers.sources import SOURCES, Reading, Source
from askwell.topics.models import Topic

pytestmark = pytest.mark.django_db


def read_topics_csv(path: Path, out: TextIO) -> Reading:
    """A hospital's list of services, one "code,name" line each."""
    items = []
    with path.open(newline="", encoding="utf-8") as stream:
        for number, (code, name) in enumerate(csv.reader(stream), start=1):
            if not name.strip():
                items.append(Problem(f"{path.name} line {number}", "no name"))
                continue
            record = TopicRecord(
                type="topic", source="hospital", external_id=code, name=name
            )
            items.append((f"{path.name} line {number}", record))
    out.write(f"Read {len(items)} lines.\n")
    return items, len(items)


@pytest.fixture
def hospital_source(monkeypatch):
    monkeypatch.setitem(
        SOURCES,
        "hospital",
        Source("hospital", "FILE", "a hospital's services (CSV)", read_topics_csv),
    )


def test_a_registered_source_is_imported_like_any_other(hospital_source, tmp_path):
    # given
    path = tmp_path / "services.csv"
    path.write_text("CARD,Cardiology\nNEPH,Nephrology\n", encoding="utf-8")
    out = io.StringIO()

    # when
    call_command("import", "hospital", str(path), "--no-embed", stdout=out)

    # then
    assert sorted(Topic.objects.values_list("source", "external_id", "name")) == [
        ("hospital", "CARD", "Cardiology"),
        ("hospital", "NEPH", "Nephrology"),
    ]
    lines = out.getvalue().splitlines()
    assert lines[0] == "Read 2 lines."
    assert "topics              2        0          0" in lines


def test_a_registered_source_gets_the_checks_and_the_dry_run(hospital_source, tmp_path):
    # given
    path = tmp_path / "services.csv"
    path.write_text("CARD,Cardiology\nEMPTY, \n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()

    # when
    with pytest.raises(CommandError) as raised:
        call_command(
            "import", "hospital", str(path), "--dry-run", stdout=out, stderr=err
        )

    # then
    assert raised.value.returncode == 1
    assert err.getvalue() == "  skipped services.csv line 2: no name\n"
    assert "Dry run: nothing was written." in out.getvalue()
    assert not Topic.objects.exists()
