"""`askwell import medquad` on a small MedQuAD folder: files of the sample
carried in askwell/testing/data/medquad/, cut from the real archive.

The folder holds the three documents about Alagille syndrome (GARD, GHR and
NIDDK), one A.D.A.M., one drug and one herb document (which ship no answers),
and the two files whose XML schema differs from the rest.
"""

from __future__ import annotations

import io
import re
import shutil
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from askwell.experts.models import Book, Contributor, Video
from askwell.importers.medquad import SOURCES
from askwell.questions.models import Answer, Question
from askwell.testing.datasets import MEDQUAD_SAMPLE
from askwell.topics.models import Topic

pytestmark = pytest.mark.django_db

GARD = "2_GARD_QA/0000210.xml"
GHR = "3_GHR_QA/0000030.xml"
NIDDK = "5_NIDDK_QA/0000181.xml"
ADAM = "10_MPlus_ADAM_QA/0000001.xml"
DRUG = "11_MPlusDrugs_QA/0000001.xml"
HERB = "12_MPlusHerbsSupplements_QA/0000001.xml"
NINDS_LOWER_CASE = "6_NINDS_QA/0000007.xml"
CDC_DISEASE_FILE = "9_CDC_QA/0000397.xml"
CHOSEN = (GARD, GHR, NIDDK, ADAM, DRUG, HERB, NINDS_LOWER_CASE, CDC_DISEASE_FILE)
KINDS = ("topic", "contributor", "book", "video", "question", "answer")
READ_LINE = re.compile(
    r"^Read (?P<pairs>[\d,]+) question-answer pairs from (?P<files>[\d,]+) files: "
    r"(?P<answered>[\d,]+) with answer text, (?P<unanswered>[\d,]+) without "
)
SUMMARY_ROW = re.compile(
    r"^(?P<kind>topic|contributor|book|video|question|answer)s +"
    r"(?P<created>\d+) +(?P<updated>\d+) +(?P<unchanged>\d+)$"
)
ALAGILLE_INFORMATION = "alagille syndrome|information|1"
GARD_FIRST_ANSWER = (
    "Alagille syndrome is an inherited disorder in which a person has fewer than "
    "the normal number of small bile ducts inside the liver."
)
BROKEN_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document id="0009999" source="GARD" url="https://example.org/broken">
<Focus>Broken syndrome</Focus>
<QAPairs>
<QAPair pid="1"><Question qid="0009999-1">Oops</Answer></QAPair>
</QAPairs>
</Document>
"""


@pytest.fixture
def folder(tmp_path) -> Path:
    """The chosen files of the carried sample, copied into a fresh
    medquad/<folder>/ that a test may change."""
    root = tmp_path / "medquad"
    for name in CHOSEN:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(MEDQUAD_SAMPLE / name, root / name)
    return root


def _import(path: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "medquad", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


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


def _read_line(output: str) -> dict[str, int]:
    matches = [m for m in map(READ_LINE.match, output.splitlines()) if m]
    assert len(matches) == 1, output
    return {
        key: int(value.replace(",", ""))
        for key, value in matches[0].groupdict().items()
    }


def _pairs_in(paths: list[Path]) -> tuple[int, int]:
    """(pairs, pairs with answer text) in the files, counted with ElementTree."""
    pairs = answered = 0
    for path in paths:
        for element in ET.parse(path).getroot().iter():  # noqa: S314 (trusted test data)
            if element.tag not in ("QAPair", "pair"):
                continue
            pairs += 1
            answer = next(c for c in element if c.tag.lower() == "answer")
            answered += bool("".join(answer.itertext()).strip())
    return pairs, answered


def _row_counts() -> dict[str, int]:
    return {
        "topics": Topic.objects.count(),
        "contributors": Contributor.objects.count(),
        "books": Book.objects.count(),
        "videos": Video.objects.count(),
        "questions": Question.objects.count(),
        "question topics": Question.topics.through.objects.count(),
        "answers": Answer.objects.count(),
    }


def test_every_source_becomes_a_verified_organization(folder):
    """Each MedQuAD source is an organization contributor with its full name,
    its website and a verification date."""
    # given / when
    _import(folder)

    # then
    organizations = Contributor.objects.filter(source="medquad")
    assert {c.external_id: c.name for c in organizations} == {
        f"org:{code}": org.name for code, org in SOURCES.items()
    }
    gard = Contributor.objects.get(source="medquad", external_id="org:GARD")
    assert gard.name == "Genetic and Rare Diseases Information Center"
    assert gard.kind == Contributor.Kind.ORGANIZATION
    assert gard.website == "https://rarediseases.info.nih.gov/"
    assert set(organizations.values_list("kind", "is_verified")) == {
        (Contributor.Kind.ORGANIZATION, True)
    }
    assert not organizations.filter(verified_at__isnull=True).exists()


def test_the_same_question_from_three_sources_is_one_question_with_three_answers(
    folder,
):
    """GARD, GHR and NIDDK each answer "What is Alagille syndrome?": one
    answered question, one answer per organization, each with the document's
    URL and a `<SOURCE>_<stem>_Sec<N>` external id."""
    # given / when
    _import(folder)

    # then
    question = Question.objects.get(source="medquad", external_id=ALAGILLE_INFORMATION)
    assert question.title == "What is Alagille syndrome?"
    assert question.status == Question.Status.ANSWERED
    assert question.question_type == "information"
    answers = question.answers.select_related("contributor").order_by("external_id")
    assert [
        (a.external_id, a.contributor.external_id, a.source_url) for a in answers
    ] == [
        (
            "GARD_0000210_Sec1",
            "org:GARD",
            "https://rarediseases.info.nih.gov/gard/804/alagille-syndrome",
        ),
        (
            "GHR_0000030_Sec1",
            "org:GHR",
            "https://ghr.nlm.nih.gov/condition/alagille-syndrome",
        ),
        (
            "NIDDK_0000181_Sec1",
            "org:NIDDK",
            "http://www.niddk.nih.gov/health-information/health-topics/"
            "liver-disease/Alagille-Syndrome/Pages/facts.aspx",
        ),
    ]
    gard = answers[0]
    assert gard.body.startswith(GARD_FIRST_ANSWER)
    assert gard.status == Answer.Status.PUBLISHED
    assert gard.body_html.startswith(f"<p>{GARD_FIRST_ANSWER}")


def test_a_topic_merges_the_names_and_codes_of_its_documents(folder):
    """The Alagille syndrome topic, under "Diseases and Conditions", carries
    every source's synonyms once (case-insensitively) and the UMLS codes."""
    # given / when
    _import(folder)

    # then
    topic = Topic.objects.get(source="medquad", external_id="focus:alagille syndrome")
    assert topic.name == "Alagille syndrome"
    assert topic.parent.name == "Diseases and Conditions"
    assert topic.depth == 1
    assert topic.other_names == [
        "Alagille's syndrome",
        "Alagille-Watson syndrome",
        "Arteriohepatic dysplasia",
        "arteriohepatic dysplasia (AHD)",
        "cardiovertebral syndrome",
        "Cholestasis with peripheral pulmonary stenosis",
        "Hepatic ductular hypoplasia",
        "hepatofacioneurocardiovertebral syndrome",
        "paucity of interlobular bile ducts",
        "Watson Alagille syndrome",
        "Watson-Miller syndrome",
    ]
    assert topic.codes == {
        "umls_cui": ["C0085280"],
        "semantic_type": ["T019"],
        "semantic_group": ["Disorders"],
    }
    assert set(
        Question.objects.filter(topics=topic).values_list("status", flat=True)
    ) == {Question.Status.ANSWERED}


@pytest.mark.parametrize(
    ("focus", "category"),
    [
        ("focus:alagille syndrome", "Diseases and Conditions"),
        ("focus:a guide to clinical trials for cancer", "Diseases and Conditions"),
        ("focus:abacavir", "Drugs"),
        ("focus:activated charcoal", "Herbs and Supplements"),
        ("focus:holmes adie", "Diseases and Conditions"),
        ("focus:parasites taeniasis", "Diseases and Conditions"),
    ],
)
def test_each_topic_sits_under_its_category(folder, focus, category):
    """A document's topic is filed under the category topic of its collection."""
    # given / when
    _import(folder)

    # then
    topic = Topic.objects.select_related("parent").get(
        source="medquad", external_id=focus
    )
    assert topic.parent.name == category
    assert topic.parent.parent_id is None


@pytest.mark.parametrize(
    ("member", "focus", "pairs"),
    [
        (ADAM, "focus:a guide to clinical trials for cancer", 5),
        (DRUG, "focus:abacavir", 12),
        (HERB, "focus:activated charcoal", 8),
    ],
)
def test_pairs_without_answer_text_become_open_questions(folder, member, focus, pairs):
    """A pair whose answer the collection removed is an open question with no
    answers, awaiting an expert."""
    # given
    assert _pairs_in([folder / member]) == (pairs, 0)

    # when
    _import(folder)

    # then
    questions = Question.objects.filter(topics__external_id=focus)
    assert questions.count() == pairs
    assert set(questions.values_list("status", flat=True)) == {Question.Status.OPEN}
    assert not Answer.objects.filter(question__in=questions).exists()


@pytest.mark.parametrize(
    ("answer", "topic_name", "url"),
    [
        (
            "NINDS_0000007_Sec1",
            "Holmes-Adie",
            "http://www.ninds.nih.gov/disorders/holmes_adie/holmes_adie.htm",
        ),
        (
            "CDC_0000397_Sec1",
            "Parasites - Taeniasis",
            "http://www.cdc.gov/parasites/taeniasis/",
        ),
    ],
)
def test_the_schema_variants_are_imported(folder, answer, topic_name, url):
    """The lower-case NINDS file and CDC's <DiseaseFile> load like the others."""
    # given / when
    _import(folder)

    # then
    stored = Answer.objects.select_related("question").get(
        source="medquad", external_id=answer
    )
    assert stored.source_url == url
    assert list(stored.question.topics.values_list("name", flat=True)) == [topic_name]


def test_the_output_accounts_for_every_pair(folder):
    """The "Read N pairs" line counts every pair of every file, split into
    those with and without answer text."""
    # given
    pairs, answered = _pairs_in([folder / name for name in CHOSEN])

    # when
    out, err = _import(folder)

    # then
    assert err == ""
    read = _read_line(out)
    assert read == {
        "pairs": pairs,
        "files": len(CHOSEN),
        "answered": answered,
        "unanswered": pairs - answered,
    }
    assert read["answered"] + read["unanswered"] == read["pairs"]
    assert (pairs, answered) == (52, 27)
    assert Answer.objects.count() == answered
    assert "skipped: 0" in out.splitlines()


def test_a_changed_answer_is_updated_and_an_unchanged_folder_changes_nothing(folder):
    """After one answer's text changes on disk, a second import updates exactly
    that answer and creates nothing; a third import finds everything unchanged."""
    # given
    first, _ = _import(folder)
    created = _summary(first)
    rows = _row_counts()
    gard = folder / GARD
    gard.write_bytes(
        gard.read_bytes().replace(
            b"is an inherited disorder", b"is a rare inherited disorder", 1
        )
    )

    # when
    second, second_err = _import(folder)
    third, third_err = _import(folder)

    # then
    total = {kind: created[kind][0] for kind in created}
    assert _summary(second) == {
        kind: (0, 1 if kind == "answer" else 0, n - (kind == "answer"))
        for kind, n in total.items()
    }
    assert _summary(third) == {kind: (0, 0, n) for kind, n in total.items()}
    assert (second_err, third_err) == ("", "")
    assert _row_counts() == rows
    answer = Answer.objects.get(source="medquad", external_id="GARD_0000210_Sec1")
    assert answer.body.startswith("Alagille syndrome is a rare inherited disorder")
    assert "is a rare inherited disorder" in answer.body_html


def test_the_archive_gives_the_same_result_as_the_folder(folder, tmp_path):
    """A .tar.gz of the folder imports the same records: importing the folder
    afterwards creates and updates nothing."""
    # given
    archive = tmp_path / "medquad.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(folder, arcname="medquad")

    # when
    from_archive, archive_err = _import(archive)
    rows = _row_counts()
    from_folder, folder_err = _import(folder)

    # then
    assert (archive_err, folder_err) == ("", "")
    assert _read_line(from_archive) == _read_line(from_folder)
    created = _summary(from_archive)
    assert {
        kind
        for kind, (_, updated, unchanged) in created.items()
        if updated or unchanged
    } == set()
    assert _summary(from_folder) == {
        kind: (0, 0, n) for kind, (n, _, _) in created.items()
    }
    assert _row_counts() == rows


def test_the_parent_of_the_medquad_folder_is_accepted(folder):
    """Pointing the import at the folder that holds the MedQuAD folder reads
    the same files."""
    # given
    pairs, _ = _pairs_in([folder / name for name in CHOSEN])

    # when
    out, _ = _import(folder.parent)

    # then
    assert _read_line(out)["pairs"] == pairs
    assert _read_line(out)["files"] == len(CHOSEN)


def test_a_malformed_file_is_skipped_and_the_rest_is_loaded(folder):
    """A file that is not well-formed XML is skipped with its path and line;
    everything else is loaded and the command exits with status 1."""
    # given
    (folder / "2_GARD_QA" / "0009999.xml").write_bytes(BROKEN_XML)
    pairs, answered = _pairs_in([folder / name for name in CHOSEN])
    out, err = io.StringIO(), io.StringIO()

    # when
    with pytest.raises(CommandError) as raised:
        call_command("import", "medquad", str(folder), stdout=out, stderr=err)

    # then
    assert raised.value.returncode == 1
    assert str(raised.value) == "1 record(s) skipped; see the reasons above"
    assert err.getvalue() == (
        "  skipped 2_GARD_QA/0009999.xml line 5: "
        "malformed XML: mismatched tag, at line 5, column 49\n"
    )
    assert "skipped: 1" in out.getvalue().splitlines()
    assert _read_line(out.getvalue())["pairs"] == pairs
    assert Answer.objects.count() == answered
    assert not Topic.objects.filter(name="Broken syndrome").exists()
