"""The search commands: `askwell search` (one query or a JSONL batch),
`askwell similarity --batch` and `askwell reindex`, over the indexed demo.

The demo content is loaded and embedded once for the module; every test runs
in a savepoint that is rolled back.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from askwell.questions.models import Answer
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.search.engine import search
from askwell.search.indexing import count_pending_embeddings, index_answers
from askwell.search.management.commands import search as search_command
from askwell.search.models import SearchDocument

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indexed_demo")]

TARGET_QUERY = "my mom was told she has MS, would having her plasma cleaned help?"
PLASMAPHERESIS = "Can plasmapheresis help treat multiple sclerosis (MS)?"
RESULT_KEYS = {
    "answer_id",
    "external_id",
    "question_id",
    "question",
    "contributor",
    "score",
}


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _jsonl(path: Path, lines: list[object]) -> Path:
    """Write `lines` (objects as JSON, strings as they are) one per line."""
    path.write_text(
        "".join(
            (line if isinstance(line, str) else json.dumps(line)) + "\n"
            for line in lines
        ),
        encoding="utf-8",
    )
    return path


# --- search "TEXT" ----------------------------------------------------------------


def test_search_json_prints_one_object_with_ranked_results():
    """`search TEXT --json --limit 3` prints the query and three answers, best
    first, each with exactly the documented keys."""
    # when
    out, err = _run("search", TARGET_QUERY, "--json", "--limit", "3")

    # then
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 1
    printed = json.loads(lines[0])
    assert set(printed) == {"query", "close_match", "emergency", "results"}
    assert printed["query"] == TARGET_QUERY
    assert isinstance(printed["close_match"], bool)
    results = printed["results"]
    assert len(results) == 3
    assert all(set(result) == RESULT_KEYS for result in results)
    scores = [result["score"] for result in results]
    assert scores == sorted(scores, reverse=True)
    assert [r["question"] for r in results[:2]] == [PLASMAPHERESIS, PLASMAPHERESIS]


def test_search_json_describes_each_answer():
    """Each result carries the answer's ids, its question and its contributor's
    signature, matching the database."""
    # when
    out, _ = _run("search", TARGET_QUERY, "--json", "--limit", "1")

    # then
    (result,) = json.loads(out)["results"]
    answer = Answer.objects.select_related("question", "contributor").get(
        pk=result["answer_id"]
    )
    assert result == {
        "answer_id": answer.pk,
        "external_id": answer.external_id,
        "question_id": answer.question_id,
        "question": PLASMAPHERESIS,
        "contributor": answer.contributor.signature,
        "score": round(search(TARGET_QUERY, limit=1).hits[0].score, 6),
    }
    assert answer.external_id.startswith(
        "can-plasmapheresis-help-treat-multiple-sclerosis-ms/"
    )


def test_search_json_keeps_non_ascii_text_readable():
    """Queries are printed as written, not as \\u escapes."""
    # when
    out, _ = _run("search", "Sjögren’s syndrome — dry eyes?", "--json", "--limit", "1")

    # then
    assert '"query": "Sjögren’s syndrome — dry eyes?"' in out


def test_search_json_says_when_a_close_match_was_found():
    out, _ = _run("search", "would plasma exchange help my MS?", "--json")
    assert json.loads(out)["close_match"] is True


def test_search_json_says_when_nothing_close_was_found():
    out, _ = _run("search", "tylenol and alcohol", "--json")
    printed = json.loads(out)
    assert printed["results"]
    assert printed["close_match"] is False


def test_search_without_json_says_when_nothing_close_was_found():
    out, _ = _run("search", "tylenol and alcohol")
    assert out.splitlines()[0] == (
        "No close match: the first answer may be about something else."
    )


EMERGENCY_QUERY = "chest pain and left arm numb"


@pytest.mark.parametrize(
    ("query", "emergency"),
    [(EMERGENCY_QUERY, True), ("would plasma exchange help my MS?", False)],
)
def test_search_json_carries_the_emergency_flag(query, emergency):
    out, _ = _run("search", query, "--json")
    assert json.loads(out)["emergency"] is emergency


def test_batch_lines_carry_the_emergency_flag(tmp_path):
    # given
    path = _jsonl(
        tmp_path / "in.jsonl",
        [{"id": 1, "query": EMERGENCY_QUERY}, {"id": 2, "query": "gout diet"}],
    )

    # when
    out, _ = _run("search", "--batch", str(path), "--json")

    # then
    printed = [json.loads(line) for line in out.splitlines()]
    assert [p["emergency"] for p in printed] == [True, False]


def test_search_without_json_says_what_to_do_in_an_emergency_first():
    # when
    out, _ = _run("search", EMERGENCY_QUERY)

    # then the notice comes before any answer
    assert out.splitlines()[0].startswith("If this is an emergency, get help now")
    assert "911" in out.splitlines()[0]


def test_search_without_json_prints_no_emergency_notice_otherwise():
    out, _ = _run("search", "would plasma exchange help my MS?")
    assert "emergency" not in out


def test_search_without_json_prints_a_numbered_list():
    """Plain output numbers the answers and names question and contributor."""
    # when
    out, _ = _run("search", "would plasma exchange help my MS?", "--limit", "2")

    # then
    lines = out.splitlines()
    assert len(lines) == 4
    assert lines[0] == f" 1. {PLASMAPHERESIS}"
    assert lines[2] == f" 2. {PLASMAPHERESIS}"


def test_search_for_nothing_says_so():
    """A query without words finds no answers."""
    # when
    out, _ = _run("search", "?!")

    # then
    assert out == "No answers found.\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search"], "give TEXT to search for, or --batch IN.jsonl"),
        (["search", "gout", "--limit", "0"], "--limit must be at least 1"),
        (
            ["search", "gout", "--batch", "in.jsonl"],
            "give either TEXT or --batch, not both",
        ),
    ],
)
def test_search_rejects_bad_arguments(args, message):
    """Missing text, a limit below one, or both TEXT and --batch are refused."""
    with pytest.raises(CommandError, match=message):
        _run(*args)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "gout " * 2_061,
            r"the query is too long: At most 10,301 characters \(you sent 10,305\)\.",
        ),
        ("gout \ud800", r"not valid text \(U\+D800 at position 6\)"),
    ],
    ids=["overlong", "lone-surrogate"],
)
def test_search_refuses_a_query_it_may_not_read(monkeypatch, text, message):
    """Over the length of a whole question (title and details), or with a
    character that is not text (a shell passes undecodable bytes as lone
    surrogates), the query is refused before the engine sees it."""
    # given
    searched = []
    monkeypatch.setattr(search_command, "search", lambda *a, **k: searched.append(a))

    # when / then
    with pytest.raises(CommandError, match=message):
        _run("search", text)
    assert searched == []


# --- search --batch ---------------------------------------------------------------


def test_batch_prints_one_line_per_query_in_order(tmp_path):
    """One {"id", "results"} line per input line, in input order, each with the
    same results a single search gives."""
    # given
    queries = [
        ("q-ms", TARGET_QUERY),
        (7, "warning signs of a heart attack in women"),
        ("q-diabetes", "can I eat fruit with diabetes"),
    ]
    path = _jsonl(tmp_path / "in.jsonl", [{"id": i, "query": q} for i, q in queries])

    # when
    out, err = _run("search", "--batch", str(path), "--json", "--limit", "3")

    # then
    assert err == ""
    printed = [json.loads(line) for line in out.splitlines()]
    assert [p["id"] for p in printed] == ["q-ms", 7, "q-diabetes"]
    assert all(set(p) == {"id", "close_match", "emergency", "results"} for p in printed)
    for (_, query), p in zip(queries, printed, strict=True):
        single = json.loads(_run("search", query, "--json", "--limit", "3")[0])
        assert p["results"] == single["results"]
        assert p["close_match"] is single["close_match"]
        assert p["emergency"] is single["emergency"]
    assert printed[1]["results"][0]["question"] == (
        "What are the warning signs of a heart attack in women?"
    )


def test_batch_embeds_queries_in_groups_and_gives_the_single_search_results(
    tmp_path, monkeypatch
):
    """Queries are embedded a group at a time (here two); results, order and
    error reports are those of one search per line."""
    # given
    monkeypatch.setattr(search_command, "BATCH_EMBEDDINGS", 2)
    queries = [
        "plasma exchange for MS",
        "warning signs of a heart attack in women",
        "can I eat fruit with diabetes",
        "is Tylenol safe while pregnant",
        "what causes gout",
    ]
    lines = [{"id": n, "query": q} for n, q in enumerate(queries)]
    lines.insert(3, "{broken")
    path = _jsonl(tmp_path / "in.jsonl", lines)
    out, err = StringIO(), StringIO()

    # when
    with pytest.raises(CommandError):
        call_command("search", "--batch", str(path), "--json", stdout=out, stderr=err)

    # then
    printed = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [p["id"] for p in printed] == [0, 1, 2, 3, 4]
    assert err.getvalue().startswith("in.jsonl line 4: ")
    for query, p in zip(queries, printed, strict=True):
        single = json.loads(_run("search", query, "--json")[0])
        assert [r["answer_id"] for r in p["results"]] == [
            r["answer_id"] for r in single["results"]
        ]
        for got, want in zip(p["results"], single["results"], strict=True):
            assert got["score"] == pytest.approx(want["score"], abs=1e-4)


def test_batch_skips_blank_lines_and_allows_a_missing_id(tmp_path):
    """Blank lines are ignored; a line without "id" is answered with id null."""
    # given
    path = _jsonl(tmp_path / "in.jsonl", ["", {"query": "gout"}, "   "])

    # when
    out, _ = _run("search", "--batch", str(path), "--limit", "1")

    # then
    lines = out.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["id"] is None


def test_batch_reports_malformed_lines_and_fails_after_the_good_ones(tmp_path):
    """Bad lines are named on stderr by line number; every good line is still
    answered, then the command fails with exit status 1."""
    # given
    path = _jsonl(
        tmp_path / "queries.jsonl",
        [
            {"id": "a", "query": "plasma exchange for MS"},
            "{not json",
            {"id": "b", "query": "heart attack signs"},
            {"id": "c"},
            ["a", "list"],
            {"id": "d", "query": 42},
            {"id": "e", "query": "type 2 diabetes fruit"},
        ],
    )
    out, err = StringIO(), StringIO()

    # when
    with pytest.raises(CommandError) as raised:
        call_command("search", "--batch", str(path), "--json", stdout=out, stderr=err)

    # then
    assert raised.value.returncode == 1
    assert str(raised.value) == "4 line(s) could not be read; see above"
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [
        "a",
        "b",
        "e",
    ]
    problems = err.getvalue().splitlines()
    assert [line.split(":")[0] for line in problems] == [
        "queries.jsonl line 2",
        "queries.jsonl line 4",
        "queries.jsonl line 5",
        "queries.jsonl line 6",
    ]
    assert problems[1] == (
        'queries.jsonl line 4: each line must be an object with a string "query"'
    )


def test_batch_reports_queries_it_may_not_read(tmp_path):
    """An over-long query, or one with a lone surrogate (a JSON escape), is
    a bad line: named on stderr, the other lines answered."""
    # given
    path = _jsonl(
        tmp_path / "queries.jsonl",
        [
            {"id": "long", "query": "gout " * 2_061},
            '{"id": "surrogate", "query": "gout \\ud800"}',
            {"id": "ok", "query": "gout"},
        ],
    )
    out, err = StringIO(), StringIO()

    # when
    with pytest.raises(CommandError, match="2 line"):
        call_command("search", "--batch", str(path), "--json", stdout=out, stderr=err)

    # then
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == ["ok"]
    assert err.getvalue().splitlines() == [
        "queries.jsonl line 1: the query is too long: At most 10,301 characters "
        "(you sent 10,305).",
        "queries.jsonl line 2: Contains a character that is not valid text "
        "(U+D800 at position 6): lone surrogates cannot be stored.",
    ]


def test_batch_reports_invalid_utf8(tmp_path):
    """A line that is not UTF-8 is reported like any malformed line."""
    # given
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": 1, "query": "gout"}\n{"id": 2, "query": "\xff"}\n')
    out, err = StringIO(), StringIO()

    # when
    with pytest.raises(CommandError):
        call_command("search", "--batch", str(path), stdout=out, stderr=err)

    # then
    assert len(out.getvalue().splitlines()) == 1
    assert err.getvalue().startswith("in.jsonl line 2: ")


def test_batch_with_a_missing_file_fails(tmp_path):
    """A batch file that does not exist is an error, not an empty run."""
    with pytest.raises(CommandError, match="no such file"):
        _run("search", "--batch", str(tmp_path / "missing.jsonl"))


# --- similarity --batch -----------------------------------------------------------


def test_similarity_batch_prints_scores_between_0_and_1(tmp_path):
    """One {"id", "score"} per pair, in order, each score within [0, 1]; a
    paraphrase scores higher than a different question on the same condition."""
    # given
    path = _jsonl(
        tmp_path / "pairs.jsonl",
        [
            {"id": "same", "a": "What causes gout?", "b": "Why do people get gout?"},
            {"id": "different", "a": "What causes gout?", "b": "How is gout treated?"},
            {
                "id": "unrelated",
                "a": "Is MS inherited?",
                "b": "How do I fix a flat tyre?",
            },
            {"id": 4, "a": "", "b": ""},
        ],
    )

    # when
    out, err = _run("similarity", "--batch", str(path))

    # then
    assert err == ""
    printed = [json.loads(line) for line in out.splitlines()]
    assert [p["id"] for p in printed] == ["same", "different", "unrelated", 4]
    assert all(set(p) == {"id", "score"} for p in printed)
    assert all(0.0 <= p["score"] <= 1.0 for p in printed)
    scores = {p["id"]: p["score"] for p in printed}
    assert scores["same"] > scores["different"] > scores["unrelated"]


def test_similarity_batch_reports_malformed_lines(tmp_path):
    """Pairs missing "a" or "b", or not JSON, are reported; good pairs are scored."""
    # given
    path = _jsonl(
        tmp_path / "pairs.jsonl",
        [
            {"id": 1, "a": "What causes gout?"},
            "nonsense",
            {"id": 3, "a": "Is gout inherited?", "b": "Does gout run in families?"},
        ],
    )
    out, err = StringIO(), StringIO()

    # when
    with pytest.raises(CommandError) as raised:
        call_command("similarity", "--batch", str(path), stdout=out, stderr=err)

    # then
    assert raised.value.returncode == 1
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [3]
    assert [line.split(":")[0] for line in err.getvalue().splitlines()] == [
        "pairs.jsonl line 1",
        "pairs.jsonl line 2",
    ]


# --- reindex ----------------------------------------------------------------------


def test_reindex_prints_the_count_and_keeps_results():
    """`reindex` reports how many answers it indexed; running it twice changes
    neither the index nor the results."""
    # given
    queries = [TARGET_QUERY, "warning signs of a heart attack", "fruit and diabetes"]
    before = {q: [h.answer.pk for h in search(q).hits] for q in queries}

    # when
    first, _ = _run("reindex")
    second, _ = _run("reindex")

    # then
    for out in (first, second):
        lines = out.splitlines()
        assert "Indexed 78 published answers." in lines
        assert "Embeddings: all up to date." in lines
        assert lines[-1] == "Search index: 78 documents."
    assert {q: [h.answer.pk for h in search(q).hits] for q in queries} == before


def test_reindex_leaves_out_answers_that_are_no_longer_published():
    """An answer hidden since it was indexed is dropped by the rebuild."""
    # given
    answer = Answer.objects.order_by("pk").first()
    Answer.objects.filter(pk=answer.pk).update(status=Answer.Status.HIDDEN)

    # when
    out, _ = _run("reindex")

    # then
    assert "Indexed 77 published answers." in out.splitlines()
    assert not SearchDocument.objects.filter(answer_id=answer.pk).exists()


def test_reindex_embeddings_only_computes_what_is_missing():
    """`reindex --embeddings-only` embeds new content and nothing else."""
    # given
    answer = AnswerFactory(
        question=QuestionFactory(title="Does tart cherry juice help gout?"),
        body="It may lower uric acid slightly; it does not replace medicine.",
    )
    index_answers([answer.pk], embed=False)
    assert count_pending_embeddings() == 2

    # when
    out, _ = _run("reindex", "--embeddings-only")

    # then
    assert "Indexed" not in out
    assert "Computing embeddings: 2/2 (100%)" in out
    assert out.splitlines()[-1] == "Search index: 79 documents."
    assert count_pending_embeddings() == 0


def test_reindex_without_a_model_skips_embeddings(settings):
    """Without a model the rebuild still indexes and says embeddings were skipped."""
    # given
    settings.ASKWELL_EMBEDDING_MODEL = "none"
    answer = AnswerFactory(
        question=QuestionFactory(title="Does tart cherry juice help gout?"),
        body="It may lower uric acid slightly.",
    )
    index_answers([answer.pk], embed=False)

    # when
    out, _ = _run("reindex")

    # then
    lines = out.splitlines()
    assert "Indexed 79 published answers." in lines
    assert (
        "Embeddings skipped: no embedding model is installed (search is lexical only)."
        in lines
    )
