"""The review page shows a reviewer everything about one answer: the
question, the answer as readers will see it, its references, stance,
reading level, who signed and who edited it, and what changed since the
last approved version (or since a reviewer last saw it), word by word."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.questions import actions as question_actions
from askwell.questions.actions import ReferenceData
from askwell.questions.tests.factories import QuestionFactory
from askwell.review import actions
from askwell.review.actions import ensure_reviewers_group
from askwell.testing.datasets import naughty_strings

pytestmark = pytest.mark.django_db

APPROVED = (
    "**Rest** and ice help most gout flares settle within a week or two. "
    "Drink plenty of water, and keep the joint raised while you sit. "
    "See your doctor if the pain is new, severe, or comes with a fever."
)
REVISED = APPROVED.replace("help most", "help many").replace(
    "settle within", "settle quickly within"
)
GUIDE = ReferenceData(
    url="https://www.nhs.uk/conditions/gout/", title="Gout - NHS guide"
)
TRIAL = ReferenceData(doi="10.1000/gout.2024.17", title="Colchicine in early flares")


@pytest.fixture
def reviewer():
    user = EditorFactory(username="reviewer")
    ContributorFactory(user=user, name="Rita Review", credentials="MD")
    user.groups.add(ensure_reviewers_group())
    return user


@pytest.fixture
def author():
    user = UserFactory(username="author")
    ContributorFactory(
        user=user, name="Alex Author", credentials="RN", specialty="Rheumatology"
    )
    return user


@pytest.fixture
def outside_editor():
    user = EditorFactory(username="ed")
    ContributorFactory(user=user, name="Ed Itor", credentials="PhD")
    return user


@pytest.fixture
def answer(author):
    question = QuestionFactory(
        title="Does rest help a gout flare?",
        details="My big toe has been *swollen* for two days.",
        status="open",
    )
    return question_actions.post_answer(
        author,
        question,
        contributor=author.contributor,
        body=APPROVED,
        references=[GUIDE],
        stance="supports",
    )


def _page(client, user, answer) -> str:
    client.force_login(user)
    response = client.get(reverse("review:answer", args=[answer.pk]))
    assert response.status_code == 200
    return response.content.decode()


class _DiffReader(HTMLParser):
    """The word diff on a page, as (op, text) segments in order, text as
    the reader reads it (entities decoded); the words said only to screen
    readers are left out, and every tag met inside the diff is kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.segments: list[tuple[str, str]] = []
        self.tags: list[str] = []
        self._in_diff = False
        self._op = "same"
        self._hidden = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "pre" and values.get("class") == "diff":
            self._in_diff = True
        elif self._in_diff:
            self.tags.append(tag)
            if tag in ("ins", "del"):
                self._op = "added" if tag == "ins" else "removed"
            elif tag == "span" and values.get("class") == "visually-hidden":
                self._hidden = True

    def handle_endtag(self, tag):
        if not self._in_diff:
            return
        if tag == "pre":
            self._in_diff = False
        elif tag in ("ins", "del"):
            self._op = "same"
        elif tag == "span":
            self._hidden = False

    def handle_data(self, data):
        if not self._in_diff or self._hidden:
            return
        if self.segments and self.segments[-1][0] == self._op:
            self.segments[-1] = (self._op, self.segments[-1][1] + data)
        else:
            self.segments.append((self._op, data))


def _diff(page: str) -> _DiffReader:
    reader = _DiffReader()
    reader.feed(page)
    reader.close()
    return reader


def _versions(segments: list[tuple[str, str]]) -> tuple[str, str]:
    """The earlier and the new text, put back together from the diff."""
    old = "".join(text for op, text in segments if op != "added")
    new = "".join(text for op, text in segments if op != "removed")
    return old, new


def _changed(segments: list[tuple[str, str]], op: str) -> list[str]:
    return [text.strip() for kind, text in segments if kind == op]


def test_the_page_shows_the_question_the_answer_and_its_facts(client, reviewer, answer):
    # when
    page = _page(client, reviewer, answer)

    # then: the question, title and details
    assert "Does rest help a gout flare?" in page
    assert "My big toe has been <em>swollen</em> for two days." in page
    # the answer rendered as readers see it (the same HTML as its page's)
    assert answer.body_html in page
    assert "<strong>Rest</strong> and ice help" in page
    # its references by title, with their addresses
    assert (
        '<a href="https://www.nhs.uk/conditions/gout/" rel="nofollow ugc noopener">'
        "Gout - NHS guide</a>"
    ) in page
    # its stance, reading level and signer
    assert '<span class="stance stance--supports">Supports</span>' in page
    assert "Grade " in page
    assert "(Flesch-Kincaid, 39 words)" in page
    assert "Alex Author, RN, Rheumatology" in page
    assert "Version 1, written by Alex Author, RN on" in page
    # and no earlier version
    assert "First version: nothing to compare." in page
    assert _diff(page).segments == []


def test_a_draft_is_compared_with_the_approved_words_readers_see(
    client, reviewer, author, answer
):
    # given: approved words, then a new version with other words, stance
    # and references
    actions.approve_answer(reviewer, answer)
    question_actions.edit_answer(
        author,
        answer,
        body=REVISED,
        references=[TRIAL],
        stance="mixed",
        reason="Fewer flares settle",
    )

    # when
    page = _page(client, reviewer, answer)

    # then: the new version is shown, and compared with the approved one
    assert "The answer’s new version" in page
    assert "Version 2, written by Alex Author, RN on" in page
    assert "“Fewer flares settle”" in page
    assert "Compared with the approved version readers see now." in page
    diff = _diff(page)
    assert _changed(diff.segments, "removed") == ["most"]
    assert _changed(diff.segments, "added") == ["many", "quickly"]
    assert _versions(diff.segments) == (APPROVED, REVISED)
    assert set(diff.tags) == {"ins", "del", "span"}
    assert "The stance changed from “Supports” to “Mixed”." in page
    assert '<span class="stance stance--mixed">Mixed</span>' in page
    assert "<h3>References added</h3>" in page
    assert (
        '<a href="https://doi.org/10.1000/gout.2024.17" rel="nofollow ugc noopener">'
        "Colchicine in early flares</a>"
    ) in page
    assert "<h3>References removed</h3>" in page
    assert "<li>Gout - NHS guide" in page


def test_an_answer_never_approved_is_compared_with_what_the_reviewer_last_saw(
    client, reviewer, author, answer
):
    # given: changes requested of the first version; the author edits it
    actions.request_changes(reviewer, answer, note="Say how many flares settle.")
    question_actions.edit_answer(
        author, answer, body=REVISED, references=[GUIDE], stance="supports"
    )

    # when
    page = _page(client, reviewer, answer)

    # then
    assert (
        "Compared with version 1, the one Rita Review, MD last reviewed "
        "(changes requested) on"
    ) in page
    assert "no version was approved yet." in page
    diff = _diff(page)
    assert _changed(diff.segments, "removed") == ["most"]
    assert _changed(diff.segments, "added") == ["many", "quickly"]
    assert _versions(diff.segments) == (APPROVED, REVISED)
    assert "The stance changed" not in page
    assert "References added" not in page
    assert "Changes requested (version 1) by Rita Review, MD" in page
    assert "Say how many flares settle." in page


def test_after_an_edit_in_the_admin_the_last_approved_version_is_the_basis(
    client, reviewer, outside_editor, answer
):
    # given: approved words, then an editor's change in the admin, which
    # replaces them and sends the answer back to review (no draft)
    actions.approve_answer(reviewer, answer)
    answer.body = REVISED
    question_actions.save_answer(outside_editor, answer, changed=["body"])

    # when
    page = _page(client, reviewer, answer)

    # then
    assert "Compared with version 1, the last one approved, by Rita Review, MD" in page
    assert _versions(_diff(page).segments) == (APPROVED, REVISED)
    assert (
        "Version 2, written by Ed Itor, PhD, <strong>not by Alex Author, RN</strong>"
        in page
    )
    assert "Edited by Ed Itor, PhD, not by Alex Author, RN, on" in page
    assert "(version 2): “Edited in the admin”" in page


def test_an_unchanged_answer_due_again_says_nothing_changed(client, reviewer, answer):
    # given
    actions.approve_answer(reviewer, answer)

    # when
    page = _page(client, reviewer, answer)

    # then
    assert "Compared with version 1, the last one approved" in page
    assert "No changes: the words, stance and references are the same." in page
    assert _diff(page).segments == []


def test_a_change_too_long_to_match_word_by_word_shows_both_versions(
    client, reviewer, author, answer
):
    # given: a new version that changes the first and the last word of
    # thousands of the same word, more pairs of equal words than the diff
    # may read (questions/diff.py WORK_LIMIT)
    same = "again " * 3_000
    actions.request_changes(reviewer, answer, note="Longer, please.")
    question_actions.edit_answer(author, answer, body=f"First {same}last.")
    actions.request_changes(reviewer, answer, note="Other ends, please.")
    question_actions.edit_answer(author, answer, body=f"Start {same}end.")

    # when
    page = _page(client, reviewer, answer)

    # then
    assert "This change is too long to show word by word" in page
    diff = _diff(page)
    assert [op for op, _ in diff.segments] == ["removed", "added"]
    assert _versions(diff.segments) == (f"First {same}last.", f"Start {same}end.")


def test_hostile_strings_in_an_answer_show_escaped_in_the_diff(
    client, reviewer, author, answer
):
    # given: every naughty string added to approved words
    hostile = "\n\n".join(naughty_strings())
    actions.approve_answer(reviewer, answer)
    question_actions.edit_answer(author, answer, body=f"{APPROVED}\n\n{hostile}")

    # when
    page = _page(client, reviewer, answer)

    # then: the diff holds no tag but its own, and reads as the texts do
    diff = _diff(page)
    assert set(diff.tags) == {"ins", "span"}
    assert _versions(diff.segments) == (APPROVED, f"{APPROVED}\n\n{hostile}")
    assert "<script>alert(" not in page


def _one_round(reviewer, author, outside_editor, answer) -> None:
    """A draft behind approved words."""
    actions.approve_answer(reviewer, answer)
    question_actions.edit_answer(author, answer, body=REVISED)


def _many_rounds(reviewer, author, outside_editor, answer) -> None:
    """A draft after many rounds: more of every row the page reads
    (reviews, versions, references, edits by others)."""
    actions.approve_answer(reviewer, answer)
    for n in range(3):
        question_actions.edit_answer(
            author,
            answer,
            body=f"{REVISED} Round {n}.",
            references=[GUIDE, TRIAL, ReferenceData(pmid=f"1234{n}")],
        )
        actions.request_changes(reviewer, answer, note=f"Round {n}.")
        question_actions.edit_answer(outside_editor, answer, body=f"{APPROVED} {n}.")
        actions.approve_answer(reviewer, answer)
    question_actions.edit_answer(author, answer, body=REVISED, references=[TRIAL])


def _never_approved(reviewer, author, outside_editor, answer) -> None:
    """No draft: words never approved, edited after changes were requested."""
    for n in range(3):
        actions.request_changes(reviewer, answer, note=f"Round {n}.")
        question_actions.edit_answer(
            outside_editor if n % 2 else author,
            answer,
            body=f"{REVISED} Round {n}.",
            references=[GUIDE, TRIAL],
        )


# The session and its user; the answer with its question, contributor,
# reviewer and draft (joined); its edits by others (a prefetch); the
# reviewer role (the Editors group, the user's and their groups'
# permissions: three); the reviewer's memberships and the conflicts of
# interest (two); the reviews with their
# reviewers and versions; the references of the row (the approved words
# beside a draft, else the version under review); the reviewer's profile
# (their display name); the header's unread notifications and whether its
# visitor answers as an expert (For you, My answers).
QUERIES = 14


@pytest.mark.parametrize(
    ("history", "queries"),
    [
        (_one_round, QUERIES),
        (_many_rounds, QUERIES),
        # ...and, without a draft, the newest version's revision and author.
        (_never_approved, QUERIES + 1),
    ],
)
def test_the_page_reads_a_fixed_number_of_queries(
    client,
    django_assert_num_queries,
    reviewer,
    author,
    outside_editor,
    answer,
    history,
    queries,
):
    # given
    history(reviewer, author, outside_editor, answer)
    client.force_login(reviewer)
    url = reverse("review:answer", args=[answer.pk])

    # when / then
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_an_answer_waiting_for_its_author_offers_no_decision(client, reviewer, answer):
    # given: changes requested, no new version yet
    actions.request_changes(reviewer, answer, note="Say how many flares settle.")

    # when
    page = _page(client, reviewer, answer)

    # then: the page says why there is nothing to decide, without a form
    assert "This answer waits for its author (changes requested)" in page
    assert "Record decision" not in page
