"""Each signed-in person's own pages: an expert's home (For you: questions
waiting for them; My answers: where each of their answers stands in
medical review) and everyone's My questions. The header links to them
(templates/accounts/_header_account.html); the reads are queries.py's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from askwell.accounts.requests import SignedInRequest
from askwell.core.pagination import paginate
from askwell.questions import permissions, queries
from askwell.questions.forms import ForYouFilterForm
from askwell.questions.models import Answer, Question


@login_required
@require_GET
def for_you(request: SignedInRequest) -> HttpResponse:
    """Unanswered questions in the expert's specialty and followed topics.
    Anyone else is told what the page is for and how to become an expert."""
    user = request.user
    if not permissions.can_answer_questions(user):
        return render(request, "questions/for_you.html", {"expert": False}, status=403)
    topics = queries.expert_topics(user)
    filters = ForYouFilterForm(request.GET, topics=topics.choices())
    only, topic = "", None
    if filters.is_valid():
        only, topic = filters.cleaned_data["show"], filters.chosen_topic()
    questions = queries.questions_for_expert(user, topics, only=only, topic=topic)
    return render(
        request,
        "questions/for_you.html",
        {
            "expert": True,
            "page": paginate(request, questions),
            "filters": filters,
            "filtered": bool(only or topic),
            "topics": topics,
        },
    )


@dataclass(frozen=True)
class MyAnswer:
    """One row of My answers."""

    answer: Answer
    state: str
    # The newest medical review decision (a review.MedicalReview), whose
    # note says what to change or why.
    last_review: object | None
    can_edit: bool


# Where an answer stands, in the words its author reads, by review state.
ANSWER_STATES: dict[str, str] = {
    Answer.Review.DRAFT: "Draft",
    Answer.Review.PENDING: "Waiting for medical review",
    Answer.Review.PUBLISHED: "Approved",
    Answer.Review.NEEDS_RE_REVIEW: "Approved, due for medical review again",
    Answer.Review.CHANGES_REQUESTED: "Changes requested",
    Answer.Review.REJECTED: "Not accepted",
}
# The same, for an answer whose readers keep its approved words while a
# newer version (its draft) waits.
REVISION_STATES: dict[str, str] = {
    Answer.Review.CHANGES_REQUESTED: (
        "Changes requested on your new version; readers see the approved one"
    ),
}
REVISION_WAITING = (
    "New version waiting for medical review; readers see the approved one"
)
REMOVED = "Removed by an editor"


def answer_state(answer: Answer) -> str:
    """Where `answer` stands, for its author (Answer.review_state, and its
    `draft` when a new version waits behind approved words)."""
    if answer.status in (Answer.Status.HIDDEN, Answer.Status.DELETED):
        return REMOVED
    if answer.draft_id is not None:
        return REVISION_STATES.get(answer.review_state, REVISION_WAITING)
    return ANSWER_STATES[answer.review_state]


@login_required
@require_GET
def my_answers(request: SignedInRequest) -> HttpResponse:
    """The answers the signed-in person wrote, with their review state, the
    reviewer's newest note and an Edit link. Open to every reader: someone
    no longer verified still sees what became of their answers."""
    user = request.user
    page = paginate(request, queries.answers_of(user))
    rows = [
        MyAnswer(
            answer=answer,
            state=answer_state(answer),
            last_review=next(iter(answer.reviews.all()), None),
            can_edit=answer.status == Answer.Status.PUBLISHED
            and permissions.can_edit_answer(user, answer),
        )
        for answer in page.object_list
    ]
    return render(
        request,
        "questions/my_answers.html",
        {
            "page": page,
            "rows": rows,
            "expert": permissions.can_answer_questions(user),
        },
    )


@dataclass(frozen=True)
class MyQuestion:
    """One row of My questions."""

    question: Question
    state: str
    # Whether the asker can open the question's page.
    shown: bool


def question_state(question: Question) -> str:
    """Where `question` stands, for its asker: held, removed, closed,
    answered (readers see an answer) or waiting for an expert. Needs
    `published_answer_count` (QuestionQuerySet.with_published_answer_count)."""
    if question.moderation == Question.Moderation.HELD:
        return "Held: an editor checks a first question before it is public"
    if question.moderation != Question.Moderation.VISIBLE:
        return REMOVED
    if question.status == Question.Status.CLOSED:
        return "Closed as a duplicate" if question.duplicate_of_id else "Closed"
    if question.published_answer_count:  # type: ignore[attr-defined]  # annotated by the query
        return "Answered"
    return "Waiting for an expert"


@login_required
@require_GET
def my_questions(request: SignedInRequest) -> HttpResponse:
    """Every question the signed-in person asked, anonymous ones included
    (the page is theirs alone), with answer counts and where each stands."""
    page = paginate(request, queries.questions_asked_by(request.user))
    rows = [
        MyQuestion(
            question=question,
            state=question_state(question),
            # The asker opens their visible and held questions
            # (queries.questions_visible_to); removed ones are gone for them.
            shown=question.moderation
            in (Question.Moderation.VISIBLE, Question.Moderation.HELD),
        )
        for question in page.object_list
    ]
    return render(request, "questions/my_questions.html", {"page": page, "rows": rows})
