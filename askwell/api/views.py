"""JSON API v1 (docs/api.md).

Reads use the pages' querysets and visibility rules (`Answer.published_q`,
`questions_visible_to`); writes run the pages' forms, the same actions in
`<app>/actions.py` (which check the permission rules) and the same rate
limits, so the API can do exactly what a person can do on the site, no
more. Failures are answered in one shape (errors.py).

Rate limits are counted in each view's body, not by a wrapping decorator:
django-ninja reads a view's annotations through the globals of the
function it is given.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import NinjaAPI, Query, Schema
from ninja.openapi.docs import Swagger
from pydantic import Field

from askwell.accounts.roles import posting_contributors
from askwell.api import output
from askwell.api.auth import WRITE_AUTH, reader
from askwell.api.errors import ApiError, form_error, install_handlers
from askwell.api.pagination import cursor_page
from askwell.api.schemas import (
    AnswerEditIn,
    AnswerIn,
    AnswerOut,
    AskIn,
    BookPage,
    ContributorDetail,
    ContributorPage,
    EndorseIn,
    EndorsementOut,
    Error,
    FlagIn,
    FlagOut,
    HelpfulOut,
    Id,
    QuestionDetail,
    QuestionEditIn,
    QuestionPage,
    QuestionTypeValue,
    SearchResponse,
    SimilarResponse,
    Text,
    TopicTree,
    VideoPage,
    WithdrawnOut,
)
from askwell.core.ratelimit import hit
from askwell.experts.models import Book, Contributor, Video
from askwell.language.emergency import suggests_emergency
from askwell.lib import limits
from askwell.lib.pii import remove_personal_details
from askwell.moderation import actions as moderation_actions
from askwell.moderation import permissions as moderation_permissions
from askwell.moderation.forms import FlagForm
from askwell.moderation.queries import flaggable, questions_visible_to
from askwell.questions import actions, permissions
from askwell.questions.forms import (
    AnswerForm,
    AskForm,
    EditAnswerForm,
    EditQuestionForm,
    EndorseForm,
)
from askwell.questions.models import (
    Answer,
    Endorsement,
    HelpfulMark,
    Question,
    summarize_stances,
)
from askwell.search import hit_to_dict, similar_questions
from askwell.search import search as run_search
from askwell.topics.models import Topic

api = NinjaAPI(
    title="Askwell API",
    version="1",
    description=(
        "Expert health questions and answers. Reads are public; writes take a "
        "personal API token (`Authorization: Bearer <token>`, created on your "
        "account page) or a signed-in session with its CSRF token. Every "
        'failure is `{"error": {"code", "message", "details"}}`. Lists page '
        "with an opaque `cursor`: pass back `next_cursor` until it is null."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"tryItOutEnabled": False}),
)
install_handlers(api)

READ_ERRORS: dict[int, Any] = {400: Error, 401: Error, 404: Error, 422: Error}
WRITE_ERRORS: dict[int, Any] = {
    400: Error,
    401: Error,
    403: Error,
    404: Error,
    409: Error,
    422: Error,
    429: Error,
}
PAGE_DEFAULT = 20
PAGE_MAX = 100


class PageParams(Schema):
    cursor: str | None = Field(
        None, max_length=500, description="`next_cursor` of the previous page."
    )
    limit: int = Field(PAGE_DEFAULT, ge=1, le=PAGE_MAX)


def _visible_question_list() -> Any:
    """Questions readers see, with what a summary shows: the asker (joined),
    the topics (one more query a page) and the published answer count."""
    return (
        Question.objects.visible()
        .with_published_answer_count()
        .select_related("asker")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
    )


def _summaries(user: Any, questions: list[Question]) -> list[dict[str, Any]]:
    return [
        output.question_dict(q, show_asker=permissions.can_see_asker(user, q))
        for q in questions
    ]


# --- search -------------------------------------------------------------------------


class SearchParams(Schema):
    q: Text(limits.SEARCH_QUERY) = Field(
        min_length=1, description="What to search for, in the reader's words."
    )
    limit: int = Field(10, ge=1, le=50, description="Answers to return.")


@api.get(
    "/search",
    response={200: SearchResponse, 422: Error, 429: Error},
    summary="Search answers",
    tags=["search"],
)
def search(request: HttpRequest, params: Query[SearchParams]) -> dict[str, object]:
    """Published answers ranked best first: the same results as `askwell search`."""
    hit(request, "search")
    hits = run_search(params.q, limit=params.limit).hits
    return {"query": params.q, "results": [hit_to_dict(h) for h in hits]}


class SimilarParams(Schema):
    q: Text(limits.QUESTION_TEXT) = Field(
        min_length=1, description="A question being typed."
    )
    limit: int = Field(5, ge=1, le=20)


@api.get(
    "/similar",
    response={200: SimilarResponse, **READ_ERRORS, 429: Error},
    summary="Answered questions similar to a text",
    tags=["search"],
)
def similar(request: HttpRequest, params: Query[SimilarParams]) -> dict[str, object]:
    """What the ask page shows while a question is typed."""
    user = reader(request)
    hit(request, "search")
    return _similar(user, params.q, params.limit, exclude=None)


def _similar(user: Any, text: str, limit: int, exclude: int | None) -> dict[str, Any]:
    found = similar_questions(text, limit=limit, exclude=exclude)
    loaded = _visible_question_list().in_bulk([q.pk for q, _ in found])
    return {
        "results": [
            {"question": _summaries(user, [loaded[q.pk]])[0], "score": round(score, 6)}
            for q, score in found
            if q.pk in loaded
        ]
    }


# --- topics -------------------------------------------------------------------------


class TopicParams(Schema):
    parent: Id | None = Field(
        None, description="List the subtopics of this topic (default: the top level)."
    )
    depth: int = Field(2, ge=1, le=10, description="Levels of subtopics to include.")


@api.get(
    "/topics",
    response={200: TopicTree, **READ_ERRORS},
    summary="The topic tree",
    tags=["topics"],
)
def topic_tree(request: HttpRequest, params: Query[TopicParams]) -> dict[str, Any]:
    """Topics as a tree, from the top level or from `parent`, `depth` levels
    deep. One query, whatever the size of the tree."""
    rows = Topic.objects.order_by("name", "pk").values_list(
        "pk", "parent_id", "name", "slug"
    )
    children: dict[int | None, list[tuple[int, int | None, str, str]]] = defaultdict(
        list
    )
    known: set[int] = set()
    for row in rows:
        children[row[1]].append(row)
        known.add(row[0])
    if params.parent is not None and params.parent not in known:
        raise Http404
    url = reverse("topics:detail", kwargs={"slug": "SLUG"})

    def node(row: tuple[int, int | None, str, str], depth: int) -> dict[str, Any]:
        pk, _, name, slug = row
        below = children.get(pk, [])
        return {
            "id": pk,
            "name": name,
            "slug": slug,
            "url": url.replace("SLUG", slug),
            "child_count": len(below),
            "children": [node(c, depth - 1) for c in below] if depth > 1 else [],
        }

    return {"topics": [node(r, params.depth) for r in children.get(params.parent, [])]}


# --- questions ----------------------------------------------------------------------


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


@api.get(
    "/questions",
    response={200: QuestionPage, **READ_ERRORS},
    summary="Questions, newest first",
    tags=["questions"],
)
def list_questions(
    request: HttpRequest, params: Query[QuestionFilters]
) -> dict[str, Any]:
    """Queries: the page of questions (with the asker and answer count), their
    topics; plus one per topic level with `topic`, one with `contributor`."""
    user = reader(request)
    questions = _visible_question_list()
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
    return {"results": _summaries(user, page), "next_cursor": next_cursor}


def _for_output(answers: Any) -> Any:
    """`answers` in page order with what output.answer_dict reads: the
    signal counts (subqueries), contributor, book and reviewer (joined),
    then one query each for references, endorsements and edits by others
    than the signer."""
    return (
        answers.ordered_for_display()
        .with_outside_edits()
        .select_related("contributor", "source_book", "reviewed_by__contributor")
        .prefetch_related(
            "references",
            Prefetch(
                "endorsements",
                queryset=Endorsement.objects.select_related("contributor"),
            ),
        )
    )


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
    answers = list(_for_output(question.answers.published()))
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


@api.get(
    "/questions/{int:question_id}",
    response={200: QuestionDetail, **READ_ERRORS},
    summary="A question with its published answers",
    tags=["questions"],
)
def get_question(request: HttpRequest, question_id: Id) -> dict[str, Any]:
    return _question_detail(reader(request), question_id)


class SimilarToParams(Schema):
    limit: int = Field(5, ge=1, le=20)


@api.get(
    "/questions/{int:question_id}/similar",
    response={200: SimilarResponse, **READ_ERRORS, 429: Error},
    summary="Answered questions that ask the same",
    tags=["questions"],
)
def similar_to_question(
    request: HttpRequest, question_id: Id, params: Query[SimilarToParams]
) -> dict[str, Any]:
    user = reader(request)
    question = get_object_or_404(questions_visible_to(user), pk=question_id)
    hit(request, "search")
    return _similar(
        user, f"{question.title}\n{question.details}", params.limit, question.pk
    )


# --- contributors, books, videos ----------------------------------------------------


class ContributorFilters(PageParams):
    kind: str | None = Field(
        None, pattern="^(person|organization)$", description="person or organization."
    )


def _contributors() -> Any:
    """Contributors with `published_answers`, a correlated subquery: a page
    counts its own rows' answers, not every contributor's before the LIMIT."""
    counts = (
        Answer.objects.published()
        .filter(contributor=OuterRef("pk"))
        .order_by()
        .values("contributor")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Contributor.objects.annotate(
        published_answers=Coalesce(Subquery(counts), Value(0))
    )


@api.get(
    "/contributors",
    response={200: ContributorPage, **READ_ERRORS},
    summary="Experts and organizations, by name",
    tags=["contributors"],
)
def list_contributors(
    request: HttpRequest, params: Query[ContributorFilters]
) -> dict[str, Any]:
    """One query: the contributors with their published answer counts."""
    contributors = _contributors()
    if params.kind:
        contributors = contributors.filter(kind=params.kind)
    page, next_cursor = cursor_page(
        contributors, ("name", "pk"), params.cursor, params.limit
    )
    return {
        "results": [output.contributor_dict(c) for c in page],
        "next_cursor": next_cursor,
    }


@api.get(
    "/contributors/{int:contributor_id}",
    response={200: ContributorDetail, **READ_ERRORS},
    summary="One expert or organization",
    tags=["contributors"],
)
def get_contributor(request: HttpRequest, contributor_id: Id) -> dict[str, Any]:
    contributor = get_object_or_404(
        _contributors().prefetch_related("books", "videos"), pk=contributor_id
    )
    return {
        **output.contributor_dict(contributor),
        "bio": contributor.bio,
        "website": contributor.website,
        "photo_url": contributor.photo.url if contributor.photo else None,
        "books": [output.book_ref(b) for b in contributor.books.all()],
        "videos": [output.video_ref(v) for v in contributor.videos.all()],
    }


@api.get(
    "/books",
    response={200: BookPage, **READ_ERRORS},
    summary="Books by contributors, by title",
    tags=["contributors"],
)
def list_books(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """Two queries: the books, their authors."""
    books = Book.objects.prefetch_related("authors")
    page, next_cursor = cursor_page(books, ("title", "pk"), params.cursor, params.limit)
    return {"results": [output.book_dict(b) for b in page], "next_cursor": next_cursor}


@api.get(
    "/videos",
    response={200: VideoPage, **READ_ERRORS},
    summary="Videos, newest first",
    tags=["contributors"],
)
def list_videos(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """Two queries: the videos with their presenters, their topics."""
    videos = Video.objects.select_related("presenter").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name"))
    )
    page, next_cursor = cursor_page(
        videos, ("-created_at", "-pk"), params.cursor, params.limit
    )
    return {
        "results": [output.video_dict(v) for v in page],
        "next_cursor": next_cursor,
    }


# --- writes: asking and answering ---------------------------------------------------


def _valid(form: Any) -> dict[str, Any]:
    """The form's cleaned data, or 422 with its errors, as the page shows them."""
    if not form.is_valid():
        raise form_error(form)
    return form.cleaned_data  # type: ignore[no-any-return]


@api.post(
    "/questions",
    auth=WRITE_AUTH,
    response={201: QuestionDetail, **WRITE_ERRORS},
    summary="Ask a question",
    tags=["questions"],
)
def ask_question(request: HttpRequest, payload: AskIn) -> tuple[int, dict[str, Any]]:
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
    data = _valid(form)
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
        user,  # type: ignore[arg-type]
        title=data["title"],
        details=data["details"],
        topics=data["topics"],
        anonymous=data["anonymous"],
    )
    return 201, _question_detail(user, question.pk)


@api.patch(
    "/questions/{int:question_id}",
    auth=WRITE_AUTH,
    response={200: QuestionDetail, **WRITE_ERRORS},
    summary="Edit a question (its asker, or an editor)",
    tags=["questions"],
)
def edit_question(
    request: HttpRequest, question_id: Id, payload: QuestionEditIn
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
    data = _valid(form)
    actions.edit_question(
        user,  # type: ignore[arg-type]
        question,
        title=data["title"],
        details=data["details"],
        topics=data["topics"],
        reason=data["reason"],
    )
    return _question_detail(user, question.pk)


def _one_of(allowed: list[Contributor], chosen: int | None, user: Any) -> Contributor:
    """The contributor to sign as: `chosen`, or the only one `user` may use."""
    if chosen is None:
        if len(allowed) == 1:
            return allowed[0]
        raise ApiError(
            422,
            "invalid",
            "Say which contributor to sign as.",
            [
                {
                    "where": "contributor",
                    "message": "Choose one of: "
                    + ", ".join(f"{c.pk} ({c.signature})" for c in allowed),
                    "code": "required",
                }
            ],
        )
    for contributor in allowed:
        if contributor.pk == chosen:
            return contributor
    if any(c.pk == chosen for c in posting_contributors(user)):
        # Theirs, but not allowed here: answered already, or its own answer.
        raise PermissionDenied("You cannot sign this as that contributor.")
    raise PermissionDenied("You may only sign as yourself or your organizations.")


def _answer_out(pk: int) -> dict[str, Any]:
    """An answer as its author sees it just after writing it (it may wait
    for medical review, so not `published()`)."""
    answer = _for_output(Answer.objects.filter(pk=pk)).get()
    return output.answer_dict(answer)


@api.post(
    "/questions/{int:question_id}/answers",
    auth=WRITE_AUTH,
    response={201: AnswerOut, **WRITE_ERRORS},
    summary="Answer a question (verified experts, once per contributor)",
    tags=["questions"],
)
def answer_question(
    request: HttpRequest, question_id: Id, payload: AnswerIn
) -> tuple[int, dict[str, Any]]:
    hit(request, "answer")
    user = request.user
    question = get_object_or_404(Question.objects.visible(), pk=question_id)
    mine = posting_contributors(user)
    if not mine:
        raise PermissionDenied(
            "Only verified experts, or members of a verified organization, can answer."
        )
    contributor = _one_of(mine, payload.contributor, user)
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
    data = _valid(form)
    posted = actions.post_answer(
        user,  # type: ignore[arg-type]
        question,
        contributor=contributor,
        body=data["body"],
        references=data["references"],
        source_book=data["source_book"],
        stance=data["stance"],
    )
    return 201, _answer_out(posted.pk)


@api.patch(
    "/answers/{int:answer_id}",
    auth=WRITE_AUTH,
    response={200: AnswerOut, **WRITE_ERRORS},
    summary="Edit an answer (its author, or an editor)",
    tags=["answers"],
)
def edit_answer(
    request: HttpRequest, answer_id: Id, payload: AnswerEditIn
) -> dict[str, Any]:
    """Fields left out keep their value; the answer goes back to medical
    review, as on the page."""
    user = request.user
    existing = get_object_or_404(
        Answer.objects.select_related("question", "contributor"), pk=answer_id
    )
    if not permissions.can_edit_answer(user, existing):
        # Only those who may edit an unpublished answer learn it exists.
        if not Answer.objects.published().filter(pk=existing.pk).exists():
            raise Http404
        permissions.check_can_edit_answer(user, existing)
    references = (
        payload.references
        if payload.references is not None
        else [r.as_line() for r in existing.references.all()]
    )
    book = (
        payload.source_book
        if "source_book" in payload.model_fields_set
        else existing.source_book_id
    )
    form = EditAnswerForm(
        {
            "contributor": str(existing.contributor_id),
            "body": existing.body if payload.body is None else payload.body,
            "references": "\n".join(references),
            "source_book": "" if book is None else str(book),
            "stance": existing.stance if payload.stance is None else payload.stance,
            "reason": payload.reason,
        },
        contributors=[existing.contributor],
        author=user,
        shown=False,
    )
    data = _valid(form)
    actions.edit_answer(
        user,  # type: ignore[arg-type]
        existing,
        body=data["body"],
        references=data["references"],
        source_book=data["source_book"],
        stance=data["stance"],
        reason=data["reason"],
    )
    return _answer_out(existing.pk)


# --- writes: helpful, endorse, flag -------------------------------------------------


def _published_answer(pk: int) -> Answer:
    """The answer with its question and contributor (saves two queries in the checks)."""
    return get_object_or_404(
        Answer.objects.published().select_related("question", "contributor"), pk=pk
    )


def _helpful_state(user: Any, answer: Answer) -> dict[str, Any]:
    return {
        "answer_id": answer.pk,
        "marked": HelpfulMark.objects.filter(answer=answer, user=user).exists(),
        "helpful_count": HelpfulMark.objects.filter(answer=answer).count(),
    }


@api.post(
    "/answers/{int:answer_id}/helpful",
    auth=WRITE_AUTH,
    response={200: HelpfulOut, **WRITE_ERRORS},
    summary="Mark an answer helpful (once; marking again changes nothing)",
    tags=["answers"],
)
def mark_helpful(request: HttpRequest, answer_id: Id) -> dict[str, Any]:
    hit(request, "vote")
    target = _published_answer(answer_id)
    actions.mark_helpful(request.user, target)  # type: ignore[arg-type]
    return _helpful_state(request.user, target)


@api.delete(
    "/answers/{int:answer_id}/helpful",
    auth=WRITE_AUTH,
    response={200: HelpfulOut, **WRITE_ERRORS},
    summary="Take back a helpful mark",
    tags=["answers"],
)
def unmark_helpful(request: HttpRequest, answer_id: Id) -> dict[str, Any]:
    hit(request, "vote")
    target = _published_answer(answer_id)
    actions.unmark_helpful(request.user, target)  # type: ignore[arg-type]
    return _helpful_state(request.user, target)


def _endorsing_as(request: HttpRequest, answer: Answer, chosen: int | None) -> Any:
    allowed = permissions.endorsing_contributors(request.user, answer)
    if not allowed:
        raise PermissionDenied("Only verified experts can endorse or dispute answers.")
    return _one_of(allowed, chosen, request.user)


@api.post(
    "/answers/{int:answer_id}/endorsement",
    auth=WRITE_AUTH,
    response={200: EndorsementOut, **WRITE_ERRORS},
    summary="Endorse or dispute an answer (verified experts; again replaces it)",
    tags=["answers"],
)
def endorse_answer(
    request: HttpRequest, answer_id: Id, payload: EndorseIn
) -> dict[str, Any]:
    hit(request, "vote")
    target = _published_answer(answer_id)
    contributor = _endorsing_as(request, target, payload.contributor)
    data = _valid(
        EndorseForm(
            {
                "contributor": str(contributor.pk),
                "kind": payload.kind,
                "reason": payload.reason,
            },
            contributors=[contributor],
        )
    )
    endorsement = actions.endorse_answer(
        request.user,  # type: ignore[arg-type]
        target,
        contributor=contributor,
        kind=data["kind"],
        reason=data["reason"],
    )
    return {"answer_id": target.pk, **output.endorsement_ref(endorsement)}


class WithdrawParams(Schema):
    contributor: Id | None = Field(
        None, description="Needed only when you may sign as more than one."
    )


@api.delete(
    "/answers/{int:answer_id}/endorsement",
    auth=WRITE_AUTH,
    response={200: WithdrawnOut, **WRITE_ERRORS},
    summary="Withdraw an endorsement or dispute",
    tags=["answers"],
)
def withdraw_endorsement(
    request: HttpRequest, answer_id: Id, params: Query[WithdrawParams]
) -> dict[str, Any]:
    hit(request, "vote")
    target = _published_answer(answer_id)
    contributor = _endorsing_as(request, target, params.contributor)
    withdrawn = actions.withdraw_endorsement(
        request.user,  # type: ignore[arg-type]
        target,
        contributor=contributor,
    )
    return {"answer_id": target.pk, "withdrawn": withdrawn}


@api.post(
    "/flags",
    auth=WRITE_AUTH,
    response={201: FlagOut, **WRITE_ERRORS},
    summary="Report a question, answer or comment to the editors",
    tags=["moderation"],
)
def flag(request: HttpRequest, payload: FlagIn) -> tuple[int, dict[str, Any]]:
    """One open report per reader per item: a second one is 409."""
    hit(request, "flag")
    moderation_permissions.check_can_flag(request.user)
    target = flaggable(request.user, payload.kind, payload.id)
    data = _valid(FlagForm({"reason": payload.reason, "text": payload.text}))
    created = moderation_actions.flag_content(
        request.user, target, reason=data["reason"], text=data["text"]
    )
    return 201, {
        "id": created.pk,
        "kind": created.kind,
        "target_id": created.target_id,
        "reason": created.reason,
        "status": created.status,
        "created_at": created.created_at,
    }
