"""/questions: reading, asking, editing and answering questions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from askwell.accounts.requests import SignedInRequest
from askwell.api import output
from askwell.api.auth import WRITE_AUTH, reader
from askwell.api.errors import ApiError
from askwell.api.pagination import cursor_page
from askwell.api.schemas import (
    AnswerIn,
    AnswerOut,
    AskIn,
    Error,
    Id,
    QuestionDetail,
    QuestionEditIn,
    QuestionPage,
    QuestionTypeValue,
    SimilarResponse,
)
from askwell.api.views.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    PageParams,
    answer_out,
    one_of,
    similar_results,
    summaries,
    valid,
    visible_question_list,
)
from askwell.core.ratelimit import hit
from askwell.experts.models import Contributor
from askwell.experts.roles import posting_contributors
from askwell.language.emergency import suggests_emergency
from askwell.lib.pii import remove_personal_details
from askwell.questions import actions, permissions
from askwell.questions.forms import AnswerForm, AskForm, EditQuestionForm
from askwell.questions.models import Answer, Question, summarize_stances
from askwell.questions.queries import questions_visible_to
from askwell.topics.models import Topic

router = Router(tags=["questions"])


class QuestionFilters(PageParams):
    topic: Id | None = Field(None, description="Filed under this topic or below it.")
    status: str | None = Field(
        None,
        pattern="^(open|answered|closed)$",
        description="open, answered or closed.",
    )
    contributor: Id | None = Field(
        None, description="With a published answer by this contributor."
    )
    question_type: QuestionTypeValue | None = None


@router.get(
    "/questions",
    response={200: QuestionPage, **READ_ERRORS},
    summary="Questions, newest first",
)
def list_questions(
    request: HttpRequest, params: Query[QuestionFilters]
) -> dict[str, Any]:
    """Queries: the page of questions (with the asker and answer count), their
    topics; plus one per topic level with `topic`, one with `contributor`."""
    user = reader(request)
    questions = visible_question_list()
    if params.topic is not None:
        topic = get_object_or_404(Topic, pk=params.topic)
        questions = questions.for_topics(topic.descendant_ids())
    if params.contributor is not None:
        contributor = get_object_or_404(Contributor, pk=params.contributor)
        questions = questions.filter(
            pk__in=Answer.objects.published()
            .filter(contributor=contributor)
            .values("question_id")
        )
    if params.status:
        questions = questions.filter(status=params.status)
    if params.question_type:
        questions = questions.filter(question_type=params.question_type)
    page, next_cursor = cursor_page(
        questions, ("-created_at", "-pk"), params.cursor, params.limit
    )
    return {"results": summaries(user, page), "next_cursor": next_cursor}


def _question_detail(user: Any, pk: int) -> dict[str, Any]:
    """The question page's content for `user`: the question if they may open
    it, its published answers in page order. Four queries, plus one for
    the topics and one per answer-related prefetch."""
    question = get_object_or_404(
        questions_visible_to(user)
        .with_published_answer_count()
        .select_related("asker")
        .prefetch_related("topics"),
        pk=pk,
    )
    answers = list(question.answers.published().for_display())
    return {
        **output.question_dict(
            question, show_asker=permissions.can_see_asker(user, question)
        ),
        "details": question.details,
        "details_html": question.details_html,
        "updated_at": question.updated_at,
        "duplicate_of": question.duplicate_of_id,
        "stance_summary": summarize_stances(answers),
        "emergency": suggests_emergency(f"{question.title}\n{question.details}"),
        "answers": [output.answer_dict(a) for a in answers],
    }


@router.get(
    "/questions/{int:question_id}",
    response={200: QuestionDetail, **READ_ERRORS},
    summary="A question with its published answers",
)
def get_question(request: HttpRequest, question_id: Id) -> dict[str, Any]:
    return _question_detail(reader(request), question_id)


class SimilarToParams(Schema):
    limit: int = Field(5, ge=1, le=20)


@router.get(
    "/questions/{int:question_id}/similar",
    response={200: SimilarResponse, **READ_ERRORS, 429: Error},
    summary="Answered questions that ask the same",
)
def similar_to_question(
    request: HttpRequest, question_id: Id, params: Query[SimilarToParams]
) -> dict[str, Any]:
    user = reader(request)
    question = get_object_or_404(questions_visible_to(user), pk=question_id)
    hit(request, "search")
    return similar_results(
        user, f"{question.title}\n{question.details}", params.limit, question.pk
    )


@router.post(
    "/questions",
    auth=WRITE_AUTH,
    response={201: QuestionDetail, **WRITE_ERRORS},
    summary="Ask a question",
)
def ask_question(
    request: SignedInRequest, payload: AskIn
) -> tuple[int, dict[str, Any]]:
    """As on the ask page: the same form, the personal-details check, the
    `ask` rate limit. A held question (a new account's first, when the
    site holds them) is returned to its asker but shown to no one else."""
    hit(request, "ask")
    user = request.user
    permissions.check_can_ask(user)
    title, details = payload.title, payload.details
    if payload.personal_details == "remove":
        title, details = (
            remove_personal_details(title),
            remove_personal_details(details),
        )
    form = AskForm(
        {
            "title": title,
            "details": details,
            "topics": [str(t) for t in payload.topics],
            "anonymous": payload.anonymous,
        },
        author=user,
        shown=False,
    )
    data = valid(form)
    found = form.personal_details()
    if found and payload.personal_details == "warn":
        raise ApiError(
            422,
            "personal_details",
            "Your question seems to hold personal details: "
            + ", ".join(found)
            + '. Send personal_details "remove" to replace them, or "keep".',
            {"found": found},
        )
    question = actions.ask_question(
        user,
        title=data["title"],
        details=data["details"],
        topics=data["topics"],
        anonymous=data["anonymous"],
    )
    return 201, _question_detail(user, question.pk)


@router.patch(
    "/questions/{int:question_id}",
    auth=WRITE_AUTH,
    response={200: QuestionDetail, **WRITE_ERRORS},
    summary="Edit a question (its asker, or an editor)",
)
def edit_question(
    request: SignedInRequest, question_id: Id, payload: QuestionEditIn
) -> dict[str, Any]:
    """Fields left out keep their value. Keeps a revision, as the page does."""
    user = request.user
    question = get_object_or_404(Question.objects.visible(), pk=question_id)
    permissions.check_can_edit_question(user, question)
    topics = (
        payload.topics
        if payload.topics is not None
        else [t.pk for t in question.topics.all()]
    )
    form = EditQuestionForm(
        {
            "title": question.title if payload.title is None else payload.title,
            "details": question.details if payload.details is None else payload.details,
            "topics": [str(t) for t in topics],
            "reason": payload.reason,
        },
        author=user,
        shown=False,
    )
    data = valid(form)
    actions.edit_question(
        user,
        question,
        title=data["title"],
        details=data["details"],
        topics=data["topics"],
        reason=data["reason"],
    )
    return _question_detail(user, question.pk)


@router.post(
    "/questions/{int:question_id}/answers",
    auth=WRITE_AUTH,
    response={201: AnswerOut, **WRITE_ERRORS},
    summary="Answer a question (verified experts, once per contributor)",
)
def answer_question(
    request: SignedInRequest, question_id: Id, payload: AnswerIn
) -> tuple[int, dict[str, Any]]:
    hit(request, "answer")
    user = request.user
    question = get_object_or_404(Question.objects.visible(), pk=question_id)
    mine = posting_contributors(user)
    if not mine:
        raise PermissionDenied(
            "Only verified experts, or members of a verified organization, can answer."
        )
    contributor = one_of(mine, payload.contributor, user)
    if question.answers.filter(contributor=contributor).exists():
        raise ApiError(
            409,
            "already_answered",
            f"{contributor.signature} has already answered; edit that answer instead.",
        )
    form = AnswerForm(
        {
            "contributor": str(contributor.pk),
            "body": payload.body,
            "references": "\n".join(payload.references),
            "source_book": ""
            if payload.source_book is None
            else str(payload.source_book),
            "stance": payload.stance,
        },
        contributors=[contributor],
        author=user,
        shown=False,
    )
    data = valid(form)
    posted = actions.post_answer(
        user,
        question,
        contributor=contributor,
        body=data["body"],
        references=data["references"],
        source_book=data["source_book"],
        stance=data["stance"],
    )
    return 201, answer_out(posted.pk)
