from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from askwell.accounts.requests import HtmxRequest, SignedInRequest
from askwell.accounts.roles import is_editor
from askwell.core.generation import content_generation
from askwell.core.pagination import paginate
from askwell.core.ratelimit import rate_limit
from askwell.core.requests import refuse_oversized, request_bytes
from askwell.language.emergency import suggests_emergency
from askwell.lib import limits
from askwell.lib.pii import remove_personal_details
from askwell.questions import actions, permissions
from askwell.questions.diff import word_diff
from askwell.questions.forms import (
    AnswerForm,
    AskForm,
    CommentForm,
    EditAnswerForm,
    EditQuestionForm,
    EndorseForm,
    PreviewForm,
    QuestionDraftForm,
    RestoreForm,
)
from askwell.questions.models import (
    Answer,
    Comment,
    Endorsement,
    HelpfulMark,
    Question,
    Reference,
    Revision,
    summarize_stances,
)
from askwell.questions.queries import is_overdue, question_pages_visible_to
from askwell.questions.related import related_videos
from askwell.questions.structured_data import qa_page
from askwell.questions.writing import TARGET_GRADE
from askwell.questions.writing import preview as writing_preview
from askwell.topics.models import Topic

if TYPE_CHECKING:
    from askwell.questions.permissions import AnyUser


def question_list(request: HttpRequest) -> HttpResponse:
    questions = (
        Question.objects.visible()
        .with_published_answer_count()
        .order_by("-created_at", "-pk")
    )
    return render(
        request, "questions/list.html", {"page": paginate(request, questions)}
    )


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    question = get_object_or_404(
        question_pages_visible_to(request.user)
        .select_related("asker")
        .prefetch_related("topics"),
        slug=slug,
    )
    actions.record_view(question)
    answers = list(
        question.answers.published()
        .for_display()
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=Comment.objects.filter(
                    status=Comment.Status.PUBLISHED
                ).select_related("author"),
                to_attr="published_comments",
            ),
        )
    )
    user = request.user
    marked: set[int] = set()
    if user.is_authenticated and answers:
        marked = set(
            HelpfulMark.objects.filter(
                user=user, answer__in=[a.pk for a in answers]
            ).values_list("answer_id", flat=True)
        )
    for answer in answers:
        answer.marked_helpful = answer.pk in marked
        answer.endorsed_by = [
            e for e in answer.endorsements.all() if e.kind == Endorsement.Kind.ENDORSE
        ]
        answer.disputed_by = [
            e for e in answer.endorsements.all() if e.kind == Endorsement.Kind.DISAGREE
        ]
        answer.can_edit = permissions.can_edit_answer(user, answer)
        answer.can_comment = permissions.can_comment(user, answer)
        answer.can_endorse = permissions.can_endorse(user, answer)
        answer.can_mark_helpful = permissions.can_mark_helpful(user, answer)
        answer.review_overdue = is_overdue(answer)
    revising = _answers_in_revision(user, question, shown=answers)
    topic = question.primary_topic()
    return render(
        request,
        "questions/detail.html",
        {
            "question": question,
            "answers": answers,
            **revising,
            "stance_summary": summarize_stances(answers),
            # Each book the answers come from, once, in the answers' order.
            "books": list(
                {
                    a.source_book.pk: a.source_book for a in answers if a.source_book
                }.values()
            ),
            "topic": topic,
            "topic_path": topic.path() if topic else [],
            # Computed only when the side column's fragment is not cached: it
            # is the same for everyone until content changes (the template
            # caches it per content generation, "Continue learning" included).
            "related_videos": partial(related_videos, question),
            "content_generation": content_generation(),
            "show_asker": permissions.can_see_asker(user, question),
            "can_answer": permissions.can_answer(user, question),
            "can_edit": permissions.can_edit_question(user, question),
            "emergency": suggests_emergency(f"{question.title}\n{question.details}"),
            "structured_data": qa_page(question, answers),
        },
    )


def _answers_in_revision(
    user: AnyUser, question: Question, *, shown: list[Answer]
) -> dict[str, object]:
    """What the question page says of answers whose words are being revised
    (AnswerQuerySet.in_revision; one query, two when there are some).

    `waiting_answers`: those readers do not see, so that a page told
    "answered" does not say "No answers yet". `my_answers_in_review`: those
    `user` signs, each with `last_review` (its newest medical review
    decision, whose note says what to change) and `is_shown` (readers see
    its approved words meanwhile), for the signer's note and Edit link.
    """
    rows = list(
        question.answers.in_revision()
        .select_related("contributor")
        .prefetch_related("reviews")
    )
    shown_ids = {a.pk for a in shown}
    mine = []
    for answer in rows:
        if user.is_authenticated and permissions.signs(user, answer):
            answer.last_review = next(iter(answer.reviews.all()), None)
            answer.is_shown = answer.pk in shown_ids
            mine.append(answer)
    return {
        "waiting_answers": [a for a in rows if a.pk not in shown_ids],
        "my_answers_in_review": mine,
    }


# --- asking -------------------------------------------------------------------------


def _ask_initial(request: HttpRequest) -> dict[str, object]:
    """What the ask form starts with, from the link that led to it: search
    offers the reader's words as ?title=, a topic page its slug as ?topic=.
    A slug no topic has is ignored (the asker picks topics on the form)."""
    initial: dict[str, object] = {"title": request.GET.get("title", "")}
    slug = request.GET.get("topic", "")
    topic = Topic.objects.filter(slug=slug).first() if slug else None
    if topic is not None:
        initial["topics"] = [topic]
    return initial


@login_required
@rate_limit("ask")
def ask(request: SignedInRequest) -> HttpResponse:
    permissions.check_can_ask(request.user)
    initial = _ask_initial(request)
    form = AskForm(request.POST or None, author=request.user, initial=initial)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        choice = request.POST.get("personal_details", "")
        if choice == "remove":
            # Take the details out and show the form again to check and post.
            # It keeps the time it was first shown (antispam), so posting it
            # at once is not refused as too fast.
            started = form.form_started
            form = AskForm(
                initial={
                    "title": remove_personal_details(data["title"]),
                    "details": remove_personal_details(data["details"]),
                    "topics": data["topics"],
                    "anonymous": data["anonymous"],
                }
            )
            form.form_started = started
            messages.info(
                request,
                "We replaced the personal details with “[removed]”. Check your question, then post it.",
            )
            context["form"] = form
        elif form.personal_details() and choice != "keep":
            context["personal_details"] = form.personal_details()
        else:
            question = actions.ask_question(
                request.user,
                title=data["title"],
                details=data["details"],
                topics=data["topics"],
                anonymous=data["anonymous"],
            )
            messages.success(
                request,
                "Your question is posted. We will tell you when an expert answers.",
            )
            return redirect(question)
    # The aids read the text only when it is within the form's limits (the
    # form says what is too long).
    text = QuestionDraftForm(request.POST).text() if request.method == "POST" else ""
    context["emergency"] = suggests_emergency(text)
    context["draft_text"] = text  # search suggests the topics it names
    return render(request, "questions/ask.html", context)


def _refused(request: HttpRequest, form: forms.Form) -> HttpResponse:
    """htmx: why the text was not analysed (over a limit), field by field."""
    return render(request, "components/_input_refused.html", {"form": form}, status=400)


@login_required
def edit_question(request: SignedInRequest, slug: str) -> HttpResponse:
    question = get_object_or_404(Question.objects.visible(), slug=slug)
    permissions.check_can_edit_question(request.user, question)
    form = EditQuestionForm(
        request.POST or None,
        author=request.user,
        initial={
            "title": question.title,
            "details": question.details,
            "topics": list(question.topics.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.edit_question(
                request.user,
                question,
                title=data["title"],
                details=data["details"],
                topics=data["topics"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(question)
    return render(
        request,
        "questions/edit_question.html",
        # The topic picker suggests topics once the question is typed.
        {"form": form, "question": question, "draft_text": ""},
    )


# --- answering ----------------------------------------------------------------------


@login_required
@rate_limit("answer")
def answer(request: SignedInRequest, slug: str) -> HttpResponse:
    question = get_object_or_404(Question.objects.visible(), slug=slug)
    contributors = permissions.answering_contributors(request.user, question)
    if not contributors:
        raise PermissionDenied(
            "Only verified experts, or members of a verified organization, can answer "
            "— and each of them once per question."
        )
    form = AnswerForm(
        request.POST or None, contributors=contributors, author=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            posted = actions.post_answer(
                request.user,
                question,
                contributor=data["contributor"],
                body=data["body"],
                references=data["references"],
                source_book=data["source_book"],
                stance=data["stance"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your answer is published.")
            return redirect(posted.get_absolute_url())
    return render(
        request,
        "questions/answer_form.html",
        {"form": form, "question": question, "editing": None},
    )


@login_required
def edit_answer(request: SignedInRequest, pk: int) -> HttpResponse:
    existing = get_object_or_404(
        Answer.objects.select_related("question", "contributor", "draft"), pk=pk
    )
    permissions.check_can_edit_answer(request.user, existing)
    form = EditAnswerForm(
        request.POST or None,
        author=request.user,
        contributors=[existing.contributor],
        initial=_newest_words(existing),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.edit_answer(
                request.user,
                existing,
                body=data["body"],
                references=data["references"],
                source_book=data["source_book"],
                stance=data["stance"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(existing.get_absolute_url())
    return render(
        request,
        "questions/answer_form.html",
        {
            "form": form,
            "question": existing.question,
            "editing": existing,
            "edits_as_signer": permissions.signs(request.user, existing),
            "last_review": existing.reviews.select_related("reviewer").first(),
        },
    )


def _newest_words(answer: Answer) -> dict[str, object]:
    """The edit form's start: the newest version of the answer
    (Answer.newest_version: its draft when one waits behind approved words)."""
    newest = answer.newest_version()
    references: list[Reference] = newest["references"]  # type: ignore[assignment]  # newest_version's contract
    return {
        "contributor": answer.contributor_id,
        "body": newest["body"],
        "references": "\n".join(r.as_line() for r in references),
        "source_book": newest["source_book"],
        "stance": newest["stance"],
    }


# The largest request the answer form sends (its preview button posts it all).
PREVIEW_BYTES = request_bytes(limits.ANSWER_BODY, limits.REFERENCES, limits.EDIT_REASON)


@login_required
@require_POST
@rate_limit("preview")
@refuse_oversized(PREVIEW_BYTES)
def preview(request: SignedInRequest) -> HttpResponse:
    """htmx: the answer as it will look, its reading level and jargon to explain."""
    permissions.check_can_preview(request.user)
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return _refused(request, form)
    shown = writing_preview(form.cleaned_data["body"])
    return render(
        request,
        "questions/_preview.html",
        {
            "html": shown.html,
            "level": shown.level,
            "target_grade": TARGET_GRADE,
            "jargon": shown.jargon,
        },
    )


# --- revisions ----------------------------------------------------------------------


def question_history(request: HttpRequest, slug: str) -> HttpResponse:
    question = get_object_or_404(Question.objects.visible(), slug=slug)
    revisions = list(
        question.revisions.filter(answer=None)
        .select_related("author__contributor")
        .order_by("number")
    )
    return _history(request, question, None, revisions)


def answer_history(request: HttpRequest, pk: int) -> HttpResponse:
    shown = get_object_or_404(
        Answer.objects.published().select_related("question", "contributor"), pk=pk
    )
    revisions = shown.revisions.select_related("author__contributor").order_by("number")
    if shown.draft_id is not None and not permissions.can_edit_answer(
        request.user, shown
    ):
        # A version waiting behind approved words is not yet the readers':
        # its author and the editors see it, everyone else the versions
        # readers had.
        revisions = revisions.exclude(pk=shown.draft_id)
    return _history(request, shown.question, shown, list(revisions))


def _history(
    request: HttpRequest,
    question: Question,
    shown: Answer | None,
    revisions: list[Revision],
) -> HttpResponse:
    entries = []
    previous: Revision | None = None
    hide_asker = not permissions.can_see_asker(request.user, question)
    for revision in revisions:
        entries.append(
            {
                "revision": revision,
                "title_diff": word_diff(
                    previous.title if previous else "", revision.title
                )
                if shown is None
                else [],
                "body_diff": word_diff(
                    previous.body if previous else "", revision.body
                ),
                "anonymous": hide_asker
                and revision.author_id is not None
                and revision.author_id == question.asker_id,
            }
        )
        previous = revision
    entries.reverse()
    return render(
        request,
        "questions/history.html",
        {
            "question": question,
            "answer": shown,
            "entries": entries,
            "can_restore": is_editor(request.user),
        },
    )


@login_required
@require_POST
def restore(request: SignedInRequest, pk: int) -> HttpResponse:
    revision = get_object_or_404(Revision.objects.select_related("question"), pk=pk)
    form = RestoreForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    actions.restore_revision(request.user, revision, reason=reason)
    messages.success(
        request, f"Revision {revision.number} is restored as a new revision."
    )
    if revision.answer_id:
        return redirect("questions:answer-history", pk=revision.answer_id)
    return redirect("questions:history", slug=revision.question.slug)


# --- helpful, endorse, comment ------------------------------------------------------


def _published_answer(pk: int) -> Answer:
    """The answer with its question and contributor (saves two queries in the checks)."""
    return get_object_or_404(
        Answer.objects.published().select_related("question", "contributor"), pk=pk
    )


@require_POST
@rate_limit("vote")
def helpful(request: HtmxRequest, pk: int) -> HttpResponse:
    target = _published_answer(pk)
    if not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={target.get_absolute_url()}")
    if request.POST.get("undo"):
        actions.unmark_helpful(request.user, target)
    else:
        actions.mark_helpful(request.user, target)
    if request.htmx:
        target = Answer.objects.with_signal_counts().get(pk=target.pk)
        target.marked_helpful = HelpfulMark.objects.filter(
            answer=target, user=request.user
        ).exists()
        target.can_mark_helpful = True
        return render(request, "questions/_helpful.html", {"answer": target})
    return redirect(target.get_absolute_url())


def _login_url() -> str:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


@login_required
@rate_limit("vote")
def endorse(request: SignedInRequest, pk: int) -> HttpResponse:
    target = _published_answer(pk)
    contributors = permissions.endorsing_contributors(request.user, target)
    if not contributors:
        raise PermissionDenied("Only verified experts can endorse or dispute answers.")
    form = EndorseForm(request.POST or None, contributors=contributors)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("withdraw"):
            actions.withdraw_endorsement(
                request.user, target, contributor=data["contributor"]
            )
            messages.success(request, "Your endorsement is withdrawn.")
            return redirect(target.get_absolute_url())
        try:
            actions.endorse_answer(
                request.user,
                target,
                contributor=data["contributor"],
                kind=data["kind"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Thank you: your view is shown with the answer.")
            return redirect(target.get_absolute_url())
    return render(request, "questions/endorse.html", {"form": form, "answer": target})


@login_required
@require_POST
@rate_limit("comment")
def comment(request: SignedInRequest, pk: int) -> HttpResponse:
    target = _published_answer(pk)
    permissions.check_can_comment(request.user, target)
    form = CommentForm(request.POST, author=request.user)
    if form.is_valid():
        try:
            posted = actions.post_comment(
                request.user, target, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(posted.get_absolute_url())
    return render(
        request,
        "questions/comment_error.html",
        {"form": form, "answer": target},
        status=400,
    )
