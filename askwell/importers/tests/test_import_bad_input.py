"""`askwell import jsonl` on bad input: each bad line is skipped with its file,
line number and reason, the good records around it are loaded, and the
command exits with status 1; a file it cannot read at all is refused whole.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from askwell.experts.models import Book, Contributor, Video
from askwell.questions.models import Answer, Question
from askwell.testing.datasets import naughty_strings
from askwell.topics.models import Topic

pytestmark = pytest.mark.django_db

HEADER = {"type": "header", "format": "askwell", "version": 1}
SKIPPED_ONE = "1 record(s) skipped; see the reasons above"
SUMMARY_HEADER = "              created  updated  unchanged"


def _line(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def _topic(ext: str, name: str) -> bytes:
    return _line({"type": "topic", "source": "test", "external_id": ext, "name": name})


def _contributor(ext: str) -> bytes:
    return _line(
        {
            "type": "contributor",
            "source": "test",
            "external_id": ext,
            "kind": "organization",
            "name": "Sleep Society",
        }
    )


def _question(ext: str, title: str, **fields: object) -> bytes:
    return _line(
        {
            "type": "question",
            "source": "test",
            "external_id": ext,
            "title": title,
            **fields,
        }
    )


def _answer(ext: str, question: str) -> bytes:
    return _line(
        {
            "type": "answer",
            "source": "test",
            "external_id": ext,
            "question": {"source": "test", "external_id": question},
            "contributor": {"source": "test", "external_id": "c1"},
            "body": "Keep a **regular** schedule.",
        }
    )


def _ref(ext: str) -> dict[str, str]:
    return {"source": "test", "external_id": ext}


def _file(tmp_path: Path, lines: list[bytes], name: str = "bad.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return path


def _with_bad_line(tmp_path: Path, bad: bytes) -> Path:
    """A file whose line 5 is `bad`, with good records on lines 2-4 and 6."""
    return _file(
        tmp_path,
        [
            _line(HEADER),
            _topic("t1", "Sleep"),
            _contributor("c1"),
            _question("q1", "How much sleep do adults need?", topics=[_ref("t1")]),
            bad,
            _answer("a1", "q1"),
        ],
    )


def _run(path: Path | str, *options: str) -> tuple[CommandError | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "jsonl", str(path), *options, stdout=out, stderr=err)
    except CommandError as error:
        return error, out.getvalue(), err.getvalue()
    return None, out.getvalue(), err.getvalue()


def _summary_block(out: str) -> list[str]:
    """The summary table, its "skipped: N" line and the reasons under it."""
    lines = out.splitlines()
    start = lines.index(SUMMARY_HEADER)
    end = next(n for n in range(start, len(lines)) if lines[n].startswith("skipped: "))
    end += 1
    while end < len(lines) and lines[end].startswith("  ") and " × " in lines[end]:
        end += 1
    return lines[start:end]


def _row_counts() -> dict[str, int]:
    return {
        "topics": Topic.objects.count(),
        "contributors": Contributor.objects.count(),
        "books": Book.objects.count(),
        "videos": Video.objects.count(),
        "questions": Question.objects.count(),
        "answers": Answer.objects.count(),
    }


GOOD_ROWS = {
    "topics": 1,
    "contributors": 1,
    "books": 0,
    "videos": 0,
    "questions": 1,
    "answers": 1,
}
NOTHING = dict.fromkeys(GOOD_ROWS, 0)

INVALID_UTF8 = (
    b'{"type": "topic", "source": "test", "external_id": "t2", "name": "Caf\xe9"}'
)
INVALID_BYTE = INVALID_UTF8.index(b"\xe9") + 1

BAD_LINES = [
    pytest.param(
        b'{"type": "topic", "source": "test" "external_id": "t2", "name": "Sleep"}',
        "invalid JSON (Expecting ',' delimiter at column 36)",
        "invalid JSON (Expecting ',' delimiter at column 36)",
        id="malformed-json",
    ),
    pytest.param(
        INVALID_UTF8,
        f"not valid UTF-8 (byte {INVALID_BYTE})",
        f"not valid UTF-8 (byte {INVALID_BYTE})",
        id="invalid-utf8",
    ),
    pytest.param(
        b'{"type": "question", "source": "test", "external_id": "q2", '
        b'"title": "Is \\ud800 safe?"}',
        "question 'q2': record: Invalid JSON: unexpected end of hex escape at "
        "line 1 column 80",
        "record: Invalid JSON: unexpected end of hex escape at line 1 column 80",
        id="lone-surrogate",
    ),
    pytest.param(
        b'{"type": "topic", "source": "test", "external_id": "t2"}',
        "topic 't2': name: Field required",
        "name: Field required",
        id="missing-required-field",
    ),
    pytest.param(
        _question("q2", "x" * 301),
        "question 'q2': title: String should have at most 300 characters",
        "title: String should have at most 300 characters",
        id="question-title-301-chars",
    ),
    pytest.param(
        _topic("t2", "x" * 201),
        "topic 't2': name: String should have at most 200 characters",
        "name: String should have at most 200 characters",
        id="topic-name-201-chars",
    ),
    pytest.param(
        b'{"type": "comment", "source": "test", "external_id": "x1"}',
        "unknown record type 'comment'",
        "unknown record type 'comment'",
        id="unknown-record-type",
    ),
    pytest.param(
        _answer("a2", "missing"),
        "answer 'a2': question test/missing not found",
        "question test/missing not found",
        id="answer-to-missing-question",
    ),
    pytest.param(
        _question("q2", "Is the moon to blame?", question_type="astrology"),
        "question 'q2': unknown question_type 'astrology'",
        "unknown question_type 'astrology'",
        id="unknown-question-type",
    ),
]


@pytest.mark.parametrize(("bad", "message", "reason"), BAD_LINES)
def test_a_bad_line_is_skipped_with_its_place_and_reason(
    tmp_path, bad, message, reason
):
    """A bad line is reported as "<file> line N: <what is wrong>", the good
    records around it are loaded, the summary counts it under its reason and
    the command exits with status 1."""
    # given
    path = _with_bad_line(tmp_path, bad)

    # when
    error, out, err = _run(path)

    # then
    assert error is not None
    assert str(error) == SKIPPED_ONE
    assert error.returncode == 1
    assert err == f"  skipped bad.jsonl line 5: {message}\n"
    assert _summary_block(out) == [
        SUMMARY_HEADER,
        "topics              1        0          0",
        "contributors        1        0          0",
        "questions           1        0          0",
        "answers             1        0          0",
        "skipped: 1",
        f"  1 × {reason}",
    ]
    assert _row_counts() == GOOD_ROWS
    answer = Answer.objects.get()
    assert (answer.external_id, answer.question.external_id) == ("a1", "q1")


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        pytest.param(
            [
                _line({**HEADER, "version": 2}),
                _topic("t1", "Sleep"),
                _question("q1", "How much sleep do adults need?"),
            ],
            "bad.jsonl line 1: schema version 2 is not supported "
            "(this Askwell reads version 1)",
            id="unknown-version",
        ),
        pytest.param(
            [_topic("t1", "Sleep"), _question("q1", "How much sleep do adults need?")],
            'bad.jsonl line 1: the first line must be {"type": "header", '
            '"format": "askwell", "version": 1}',
            id="missing-header",
        ),
        pytest.param([], "bad.jsonl: empty file (no header line)", id="empty-file"),
    ],
)
def test_a_file_without_a_usable_header_is_refused_whole(tmp_path, lines, message):
    """Without a header of a supported version nothing is read: the command
    fails with status 1 naming the file and the problem, and writes nothing."""
    # given
    path = _file(tmp_path, lines)

    # when
    error, out, err = _run(path)

    # then
    assert error is not None
    assert str(error) == message
    assert error.returncode == 1
    assert (out, err) == ("", "")
    assert _row_counts() == NOTHING


def test_a_truncated_line_is_described_as_unterminated(tmp_path):
    """A line cut off inside a string is reported as an unterminated string
    where that string starts, not as a control character."""
    # given
    path = _with_bad_line(
        tmp_path,
        b'{"type": "topic", "source": "test", "external_id": "t2", "name": "Sl',
    )

    # when
    _, _, err = _run(path)

    # then
    assert err.startswith(
        "  skipped bad.jsonl line 5: invalid JSON (Unterminated string"
    )
    assert "column 66)" in err
    assert "control character" not in err


def test_an_unknown_version_is_named_in_the_error(tmp_path):
    """The refusal of a newer file says that its version is the problem."""
    # given
    path = _file(tmp_path, [_line({**HEADER, "version": 99}), _topic("t1", "Sleep")])

    # when
    error, _, _ = _run(path)

    # then
    assert error is not None
    assert "version 99" in str(error)
    assert Topic.objects.count() == 0


def test_strict_stops_at_the_first_bad_record(tmp_path):
    """With --strict the first bad line stops the import with an error naming
    it, and nothing after it is loaded."""
    # given
    path = _file(
        tmp_path,
        [
            _line(HEADER),
            _topic("t1", "Sleep"),
            _contributor("c1"),
            b'{"type": "question", "source": "test" "external_id": "q1", "title": "Why?"}',
            _question("q2", "How much sleep do adults need?", topics=[_ref("t1")]),
            _answer("a2", "q2"),
            _topic("t9", "Diet"),
        ],
    )

    # when
    error, out, err = _run(path, "--strict")

    # then
    assert error is not None
    assert str(error) == (
        "stopped at the first error (--strict): bad.jsonl line 4: "
        "invalid JSON (Expecting ',' delimiter at column 39)"
    )
    assert error.returncode == 1
    assert "skipped: 0" in out.splitlines()
    assert err == ""
    assert Question.objects.count() == 0
    assert Answer.objects.count() == 0
    assert not Topic.objects.filter(external_id="t9").exists()


def test_strict_stops_at_the_first_record_the_loader_rejects(tmp_path):
    """A record that is valid JSON but cannot be loaded (an unknown question
    type) stops a --strict import too, and nothing after it is loaded."""
    # given
    path = _file(
        tmp_path,
        [
            _line(HEADER),
            _topic("t1", "Sleep"),
            _question("q1", "Is the moon to blame?", question_type="astrology"),
            _topic("t9", "Diet"),
        ],
    )

    # when
    error, _, _ = _run(path, "--strict")

    # then
    assert error is not None
    assert str(error) == (
        "stopped at the first error (--strict): bad.jsonl line 3: "
        "question 'q1': unknown question_type 'astrology'"
    )
    assert Question.objects.count() == 0
    assert list(Topic.objects.values_list("external_id", flat=True)) == ["t1"]


def test_strict_keeps_the_records_before_the_bad_line(tmp_path):
    """With --strict the records before the first bad line stay loaded
    (docs/import-format.md: "what was loaded before it stays")."""
    # given
    path = _file(
        tmp_path,
        [
            _line(HEADER),
            _topic("t1", "Sleep"),
            _topic("t2", "Diet"),
            b'{"type": "topic", "source": "test", "external_id": "t3"',
            _topic("t4", "Exercise"),
        ],
    )

    # when
    error, _, _ = _run(path, "--strict")

    # then
    assert error is not None
    assert sorted(Topic.objects.values_list("external_id", flat=True)) == ["t1", "t2"]


def test_dry_run_reports_what_it_would_create_and_writes_nothing(tmp_path):
    """--dry-run on a good file prints the summary with what would be created
    and leaves the database empty."""
    # given
    path = _file(
        tmp_path,
        [
            _line(HEADER),
            _topic("t1", "Sleep"),
            _topic("t2", "Diet"),
            _contributor("c1"),
            _question("q1", "How much sleep do adults need?", topics=[_ref("t1")]),
            _answer("a1", "q1"),
        ],
    )

    # when
    error, out, err = _run(path, "--dry-run")

    # then
    assert error is None
    assert err == ""
    lines = out.splitlines()
    start = lines.index(
        "Dry run: nothing was written. This is what the import would do:"
    )
    assert lines[start + 1] == SUMMARY_HEADER
    assert _summary_block(out) == [
        SUMMARY_HEADER,
        "topics              2        0          0",
        "contributors        1        0          0",
        "questions           1        0          0",
        "answers             1        0          0",
        "skipped: 0",
    ]
    assert _row_counts() == NOTHING


def test_a_missing_file_is_refused(tmp_path):
    """A path that does not exist fails with "no such file or folder"."""
    # given
    path = tmp_path / "nowhere.jsonl"

    # when
    error, _, _ = _run(path)

    # then
    assert error is not None
    assert str(error) == f"{path}: no such file or folder"
    assert _row_counts() == NOTHING


def _blns() -> list[str]:
    return naughty_strings()


def _blns_file(tmp_path: Path, strings: list[str]) -> Path:
    lines = [_line(HEADER)]
    lines += [_topic(f"blns-{n}", text[:200]) for n, text in enumerate(strings) if text]
    lines += [
        _question(f"blns-q-{n}", text, topics=[_ref(f"blns-{n}")] if text else [])
        for n, text in enumerate(strings)
    ]
    return _file(tmp_path, lines, "blns.jsonl")


def test_naughty_strings_are_stored_exactly_as_sent(tmp_path):
    """Every string of the Big List of Naughty Strings, as a topic name and as
    a question title, is stored exactly as written; the one the format does not
    allow (an empty title) is skipped with its reason instead of crashing."""
    # given
    strings = _blns()
    path = _blns_file(tmp_path, strings)
    empty = [n for n, text in enumerate(strings) if not text]
    question_lines = {n: 2 + (len(strings) - len(empty)) + n for n in empty}

    # when
    error, out, err = _run(path)

    # then
    assert error is not None
    assert str(error) == f"{len(empty)} record(s) skipped; see the reasons above"
    assert err == "".join(
        f"  skipped blns.jsonl line {question_lines[n]}: "
        f"question 'blns-q-{n}': title: String should have at least 1 character\n"
        for n in empty
    )
    kept = len(strings) - len(empty)
    assert _summary_block(out) == [
        SUMMARY_HEADER,
        f"topics       {kept:>8}        0          0",
        f"questions    {kept:>8}        0          0",
        f"skipped: {len(empty)}",
        f"  {len(empty)} × title: String should have at least 1 character",
    ]
    topics = dict(Topic.objects.values_list("external_id", "name"))
    assert topics == {f"blns-{n}": text[:200] for n, text in enumerate(strings) if text}
    questions = dict(Question.objects.values_list("external_id", "title"))
    assert questions == {f"blns-q-{n}": text for n, text in enumerate(strings) if text}


def test_naughty_strings_reimported_are_unchanged(tmp_path):
    """A second import of the naughty strings finds every stored row equal to
    its record: nothing is created or updated."""
    # given
    strings = _blns()
    path = _blns_file(tmp_path, strings)
    _run(path)
    kept = sum(1 for text in strings if text)

    # when
    error, out, _ = _run(path)

    # then
    assert error is not None
    assert error.returncode == 1
    lines = out.splitlines()
    assert f"topics              0        0{kept:>11}" in lines
    assert f"questions           0        0{kept:>11}" in lines
    assert Topic.objects.count() == kept
    assert Question.objects.count() == kept
