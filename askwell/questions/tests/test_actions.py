"""The question and answer actions: permission, the write, its revision, and
nothing changed when refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from askwell.experts.tests.factories import (
    BookFactory,
    MembershipFactory,
    OrganizationFactory,
)
from askwell.questions import actions
from askwell.questions.actions import ReferenceData
from askwell.questions.models import (
    Answer,
    Comment,
    Endorsement,
    HelpfulMark,
    Question,
    Reference,
    Revision,
)
from askwell.questions.tests.factories import AnswerFactory
from askwell.search.models import SearchDocument
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def _post(
    expert,
    question,
    body="Plasma exchange can help in a severe relapse that steroids did not calm.",
    **kwargs,
):
    return actions.post_answer(
        expert, question, contributor=expert.contributor, body=body, **kwargs
    )


# --- asking -------------------------------------------------------------------------


def test_ask_question_records_the_question_and_its_first_revision(asker):
    # given
    topic = TopicFactory(name="Multiple Sclerosis")

    # when
    question = actions.ask_question(
        asker,
        title="How is multiple sclerosis treated?",
        details="My mother was diagnosed last year.",
        topics=[topic],
        anonymous=True,
    )

    # then
    question.refresh_from_db()
    assert question.asker == asker
    assert question.is_anonymous is True
    assert question.status == Question.Status.OPEN
    assert question.question_type == "treatment"
    assert question.slug == "how-is-multiple-sclerosis-treated"
    assert list(question.topics.all()) == [topic]
    revision = Revision.objects.get(question=question)
    assert (revision.number, revision.title, revision.body, revision.author) == (
        1,
        "How is multiple sclerosis treated?",
        "My mother was diagnosed last year.",
        asker,
    )
    assert revision.extra == {"topics": [topic.pk]}


def test_a_view_is_counted_in_one_statement_that_keeps_cached_pages(open_question):
    """record_view is the one UPDATE that core.generation knows changes no
    page's text, so counting a view never makes cached pages obsolete."""
    from django.db import connection

    from askwell.core.generation import changes_content

    # given
    Question.objects.filter(pk=open_question.pk).update(view_count=41)
    statements: list[str] = []

    def capture(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements.append(sql)
        return execute(sql, params, many, context)

    # when
    with connection.execute_wrapper(capture):
        actions.record_view(open_question)

    # then
    assert [changes_content(sql) for sql in statements] == [False]
    assert Question.objects.get(pk=open_question.pk).view_count == 42


def test_same_title_gets_a_fresh_slug_and_reserved_words_are_avoided(asker):
    first = actions.ask_question(asker, title="What is gout?")
    second = actions.ask_question(asker, title="What is gout?")
    reserved = actions.ask_question(asker, title="Ask?")

    assert (first.slug, second.slug) == ("what-is-gout", "what-is-gout-2")
    assert reserved.slug == "ask-question"


@pytest.mark.parametrize("who", ["anonymous", "inactive"])
def test_only_signed_in_active_readers_can_ask(who, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    from askwell.accounts.tests.factories import UserFactory

    user = AnonymousUser() if who == "anonymous" else UserFactory(is_active=False)

    with pytest.raises(PermissionDenied):
        actions.ask_question(user, title="What is gout?")

    assert Question.objects.count() == 0


def test_asker_edits_the_question_and_a_revision_keeps_the_old_one(
    asker, open_question
):
    # when
    actions.edit_question(
        asker,
        open_question,
        title="Can plasma exchange help relapsing MS?",
        details="Added: she has relapsing MS.",
        topics=[],
        reason="Clarified the type of MS",
    )

    # then
    open_question.refresh_from_db()
    assert open_question.title == "Can plasma exchange help relapsing MS?"
    revision = Revision.objects.get(question=open_question, answer=None, number=1)
    assert revision.reason == "Clarified the type of MS"
    assert revision.title == "Can plasma exchange help relapsing MS?"


def test_a_stranger_cannot_edit_someone_elses_question(stranger, open_question):
    with pytest.raises(PermissionDenied):
        actions.edit_question(
            stranger, open_question, title="Vandalised?", details="", topics=[]
        )

    open_question.refresh_from_db()
    assert open_question.title == "Can plasma exchange help multiple sclerosis?"
    assert not Revision.objects.exists()


# --- answering ----------------------------------------------------------------------


def test_verified_expert_answers_with_references_and_the_question_is_answered(
    expert, open_question
):
    # when
    answer = _post(
        expert,
        open_question,
        references=[
            ReferenceData(doi="10.1000/ms.2020.1", title="A trial"),
            ReferenceData(url="https://example.org/ms"),
        ],
        stance="supports",
    )

    # then
    answer.refresh_from_db()
    assert answer.status == Answer.Status.PUBLISHED
    assert answer.contributor == expert.contributor
    assert answer.author == expert
    assert answer.stance == "supports"
    assert [(r.link, r.label) for r in answer.references.all()] == [
        ("https://doi.org/10.1000/ms.2020.1", "A trial"),
        ("https://example.org/ms", "https://example.org/ms"),
    ]
    open_question.refresh_from_db()
    assert open_question.status == Question.Status.ANSWERED
    revision = Revision.objects.get(answer=answer)
    assert revision.number == 1
    assert revision.extra["references"][0]["doi"] == "10.1000/ms.2020.1"


def test_answer_is_indexed_after_commit(
    expert, open_question, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = _post(expert, open_question)

    assert SearchDocument.objects.filter(answer=answer).exists()


def test_one_answer_per_contributor(expert, open_question):
    _post(expert, open_question)

    with pytest.raises(PermissionDenied, match="already answered"):
        _post(expert, open_question, body="A second go at the very same question here.")

    assert Answer.objects.filter(question=open_question).count() == 1


@pytest.mark.parametrize("who", ["asker", "stranger", "unverified", "editor"])
def test_only_verified_experts_answer(who, request, open_question):
    from askwell.experts.tests.factories import ContributorFactory

    user = request.getfixturevalue(who)
    contributor = getattr(user, "contributor", None) or ContributorFactory()

    with pytest.raises(PermissionDenied):
        actions.post_answer(
            user,
            open_question,
            contributor=contributor,
            body="I think it may well help you.",
        )

    assert not Answer.objects.exists()
    assert not Revision.objects.exists()


def test_organization_member_answers_as_the_organization(stranger, open_question):
    # given
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=stranger)

    # when
    answer = actions.post_answer(
        stranger,
        open_question,
        contributor=organization,
        body="Our society's guidance: plasma exchange is for severe relapses.",
    )

    # then
    assert answer.contributor == organization
    assert answer.author == stranger


def test_closed_question_takes_no_answers(expert, open_question):
    Question.objects.filter(pk=open_question.pk).update(status=Question.Status.CLOSED)
    open_question.refresh_from_db()

    with pytest.raises(PermissionDenied, match="closed"):
        _post(expert, open_question)

    assert not Answer.objects.exists()


def test_a_book_must_be_the_authors_own(expert, open_question):
    # given
    someone_elses = BookFactory()

    # when / then
    with pytest.raises(ValidationError) as caught:
        _post(expert, open_question, source_book=someone_elses)

    assert caught.value.message_dict["source_book"][0].endswith(
        "is not a book by Jane Doe, RN."
    )
    assert not Answer.objects.exists()


def test_editing_an_answer_replaces_references_and_keeps_each_revision(
    expert, open_question
):
    # given
    answer = _post(expert, open_question, references=[ReferenceData(pmid="123")])

    # when
    actions.edit_answer(
        expert,
        answer,
        body="Updated: plasma exchange helps some severe relapses, per new trials.",
        references=[ReferenceData(pmid="456", title="Newer trial")],
        stance="mixed",
        reason="New evidence",
    )

    # then
    answer.refresh_from_db()
    assert answer.stance == "mixed"
    assert list(
        Reference.objects.filter(answer=answer).values_list("pmid", flat=True)
    ) == ["456"]
    assert list(
        Revision.objects.filter(answer=answer)
        .order_by("number")
        .values_list("number", "reason")
    ) == [(1, "Answered"), (2, "New evidence")]


def test_a_stranger_cannot_edit_an_answer(expert, stranger, open_question):
    answer = _post(expert, open_question)

    with pytest.raises(PermissionDenied):
        actions.edit_answer(
            stranger, answer, body="Replaced by a stranger, quite rudely."
        )

    answer.refresh_from_db()
    assert answer.body.startswith("Plasma exchange can help")
    assert Revision.objects.filter(answer=answer).count() == 1


# --- revisions ----------------------------------------------------------------------


def test_editor_restores_an_earlier_answer_as_a_new_revision(
    expert, editor, open_question
):
    # given
    answer = _post(expert, open_question, references=[ReferenceData(pmid="123")])
    actions.edit_answer(
        expert,
        answer,
        body="A worse second version of this answer, sadly.",
        references=[],
    )
    first = Revision.objects.get(answer=answer, number=1)

    # when
    restored = actions.restore_revision(
        editor, first, reason="Back to the reviewed text"
    )

    # then
    answer.refresh_from_db()
    assert answer.body == first.body
    assert list(answer.references.values_list("pmid", flat=True)) == ["123"]
    assert (restored.number, restored.author, restored.reason) == (
        3,
        editor,
        "Back to the reviewed text",
    )


def test_editor_restores_a_question_revision(asker, editor, open_question):
    actions.edit_question(
        asker, open_question, title="Changed title?", details="", topics=[]
    )
    actions.edit_question(
        asker, open_question, title="Changed again?", details="", topics=[]
    )
    first = Revision.objects.get(question=open_question, answer=None, number=1)

    actions.restore_revision(editor, first)

    open_question.refresh_from_db()
    assert open_question.title == "Changed title?"
    assert Revision.objects.filter(question=open_question, answer=None).count() == 3


def test_only_editors_restore(expert, open_question):
    answer = _post(expert, open_question)
    actions.edit_answer(expert, answer, body="The second text of this answer is here.")
    first = Revision.objects.get(answer=answer, number=1)

    with pytest.raises(PermissionDenied):
        actions.restore_revision(expert, first)

    answer.refresh_from_db()
    assert answer.body == "The second text of this answer is here."


# --- helpful, endorse, comment ------------------------------------------------------


def test_helpful_is_one_mark_per_reader_and_can_be_undone(
    stranger, expert, open_question
):
    answer = _post(expert, open_question)

    assert actions.mark_helpful(stranger, answer) is True
    assert actions.mark_helpful(stranger, answer) is False
    assert HelpfulMark.objects.filter(answer=answer).count() == 1
    assert actions.unmark_helpful(stranger, answer) is True
    assert not HelpfulMark.objects.exists()


def test_authors_cannot_mark_their_own_answer_helpful(expert, open_question):
    answer = _post(expert, open_question)

    with pytest.raises(PermissionDenied, match="own answer"):
        actions.mark_helpful(expert, answer)

    assert not HelpfulMark.objects.exists()


def test_expert_endorses_with_a_reason_and_can_change_their_mind(
    expert, other_expert, open_question
):
    answer = _post(expert, open_question)

    actions.endorse_answer(
        other_expert,
        answer,
        contributor=other_expert.contributor,
        reason="Matches the trials.",
    )
    actions.endorse_answer(
        other_expert,
        answer,
        contributor=other_expert.contributor,
        kind="disagree",
        reason="On reflection, the evidence is thin.",
    )

    endorsement = Endorsement.objects.get(answer=answer)
    assert (endorsement.kind, endorsement.reason) == (
        "disagree",
        "On reflection, the evidence is thin.",
    )
    assert actions.withdraw_endorsement(
        other_expert, answer, contributor=other_expert.contributor
    )
    assert not Endorsement.objects.exists()


@pytest.mark.parametrize("who", ["expert", "stranger", "asker"])
def test_only_other_verified_experts_endorse(who, request, expert, open_question):
    from askwell.experts.tests.factories import ContributorFactory

    answer = _post(expert, open_question)
    user = request.getfixturevalue(who)
    contributor = getattr(user, "contributor", None) or ContributorFactory()

    with pytest.raises(PermissionDenied):
        actions.endorse_answer(
            user, answer, contributor=contributor, reason="Looks right."
        )

    assert not Endorsement.objects.exists()


def test_an_endorsement_needs_a_reason(expert, other_expert, open_question):
    answer = _post(expert, open_question)

    with pytest.raises(ValidationError) as caught:
        actions.endorse_answer(
            other_expert, answer, contributor=other_expert.contributor, reason="   "
        )

    assert "why" in caught.value.message_dict["reason"][0]
    assert not Endorsement.objects.exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("asker", True), ("other_expert", True), ("editor", True), ("stranger", False)],
)
def test_comments_are_for_the_asker_experts_and_editors(
    who, allowed, request, expert, open_question
):
    answer = _post(expert, open_question)
    user = request.getfixturevalue(who)

    if allowed:
        comment = actions.post_comment(
            user, answer, body="Does this apply to *primary* progressive MS?"
        )
        assert (
            comment.body_html
            == "<p>Does this apply to <em>primary</em> progressive MS?</p>\n"
        )
    else:
        with pytest.raises(PermissionDenied):
            actions.post_comment(user, answer, body="Nice answer, thanks a lot for it.")
        assert not Comment.objects.exists()


def test_a_comment_must_be_short_and_not_empty(asker, expert, open_question):
    answer = _post(expert, open_question)

    with pytest.raises(
        ValidationError, match=r"At most 1,000 characters \(you sent 1,001\)"
    ):
        actions.post_comment(asker, answer, body="x" * 1001)
    with pytest.raises(ValidationError, match="Write a comment"):
        actions.post_comment(asker, answer, body="  ")

    assert not Comment.objects.exists()


# --- the order of answers -----------------------------------------------------------


def test_verified_and_endorsed_answers_come_first_helpful_marks_next(
    open_question, stranger, asker, other_expert
):
    # given: three verified experts' answers and one unverified contributor's
    from askwell.experts.tests.factories import ContributorFactory

    plain, endorsed, helpful = (AnswerFactory(question=open_question) for _ in range(3))
    unverified = AnswerFactory(
        question=open_question,
        contributor=ContributorFactory(is_verified=False, verified_at=None),
    )
    Endorsement.objects.create(
        answer=endorsed,
        contributor=other_expert.contributor,
        kind="endorse",
        reason="Yes",
    )
    for user in (stranger, asker):
        HelpfulMark.objects.create(answer=helpful, user=user)
    # Many readers' marks do not lift an unverified answer above verified ones.
    HelpfulMark.objects.create(answer=unverified, user=other_expert)

    # when
    ordered = list(open_question.answers.ordered_for_display())

    # then
    assert ordered == [endorsed, helpful, plain, unverified]
    assert [a.helpful_count for a in ordered] == [0, 2, 0, 1]
    assert [a.endorsement_count for a in ordered] == [1, 0, 0, 0]


def test_a_disagreement_counts_against_an_answer(open_question, other_expert):
    disputed, plain = (
        AnswerFactory(question=open_question),
        AnswerFactory(question=open_question),
    )
    Endorsement.objects.create(
        answer=disputed,
        contributor=other_expert.contributor,
        kind="disagree",
        reason="No",
    )

    assert list(open_question.answers.ordered_for_display()) == [plain, disputed]


def test_first_question_of_a_new_account_is_held_when_the_operator_asks(
    asker, settings
):
    """With ASKWELL_HOLD_NEW_QUESTIONS on, a first question waits for an
    editor, and topic followers hear of it only after approval."""
    from askwell.accounts.tests.factories import UserFactory
    from askwell.notifications.models import Notification, TopicFollow

    # given
    settings.ASKWELL_HOLD_NEW_QUESTIONS = True
    topic = TopicFactory(name="Gout")
    TopicFollow.objects.create(user=UserFactory(), topic=topic)

    # when
    question = actions.ask_question(asker, title="Is gout hereditary?", topics=[topic])

    # then
    question.refresh_from_db()
    assert question.moderation == Question.Moderation.HELD
    assert not Question.objects.visible().filter(pk=question.pk).exists()
    assert not Notification.objects.exists()


def test_questions_are_not_held_by_default(asker):
    question = actions.ask_question(asker, title="Is gout hereditary?")

    question.refresh_from_db()
    assert question.moderation == Question.Moderation.VISIBLE
