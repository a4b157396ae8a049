from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from askwell.accounts.requests import SignedInRequest
from askwell.audit import display
from askwell.audit.models import LogEntry
from askwell.core.pagination import paginate
from askwell.core.ratelimit import rate_limit
from askwell.moderation import actions, permissions, queries
from askwell.moderation.forms import (
    AuditFilterForm,
    DeleteAccountForm,
    DuplicateForm,
    FlagFilterForm,
    FlagForm,
    ReasonForm,
)
from askwell.moderation.models import TARGET_KINDS, Flag, Target
from askwell.moderation.privacy import DELETION_RULE
from askwell.questions.models import Answer, Comment, Question

FLAGS_PER_PAGE = 25
AUDIT_PER_PAGE = 50


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Redirect to `next` when it stays on this site, else to `fallback`."""
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(url)
    return redirect(fallback)


def _target_url(target: Target) -> str:
    if isinstance(target, Question):
        return target.get_absolute_url()
    question = target.question if isinstance(target, Answer) else target.answer.question
    anchor = "answer" if isinstance(target, Answer) else "comment"
    return f"{question.get_absolute_url()}#{anchor}-{target.pk}"


# --- flagging -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("flag")
def flag(request: SignedInRequest, kind: str, pk: int) -> HttpResponse:
    permissions.check_can_flag(request.user)
    target = queries.flaggable(request.user, kind, pk)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.flag_content(
                request.user,
                target,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Thank you: the editors will look at what you reported."
            )
            return redirect(_target_url(target))
    return render(
        request,
        "moderation/flag.html",
        {"form": form, "target": target, "kind": kind, "url": _target_url(target)},
    )


# --- the editors' queues ------------------------------------------------------------


@login_required
def flag_queue(request: SignedInRequest) -> HttpResponse:
    permissions.check_can_moderate(request.user)
    filters = FlagFilterForm(request.GET or None)
    flags = Flag.objects.open().with_targets().order_by("created_at", "pk")
    if filters.is_valid():
        if filters.cleaned_data["reason"]:
            flags = flags.filter(reason=filters.cleaned_data["reason"])
        if filters.cleaned_data["kind"]:
            flags = flags.of_kind(filters.cleaned_data["kind"])
    return render(
        request,
        "moderation/flag_queue.html",
        {
            "filters": filters,
            "page": paginate(request, flags, per_page=FLAGS_PER_PAGE),
        },
    )


@login_required
@require_POST
def dismiss(request: SignedInRequest, pk: int) -> HttpResponse:
    permissions.check_can_moderate(request.user)
    found = get_object_or_404(Flag.objects.open().with_targets(), pk=pk)
    closed = actions.dismiss_flag(
        request.user, found, reason=request.POST.get("reason", "")
    )
    messages.success(
        request, f"Dismissed {closed} report{'s' if closed != 1 else ''}: no change."
    )
    return _back(request, "moderation:flags")


MODERATE = {
    "hide": actions.hide_content,
    "delete": actions.delete_content,
    "restore": actions.restore_content,
}
DONE = {"hide": "hidden", "delete": "deleted", "restore": "restored"}
MODELS: dict[str, type[Target]] = {
    "question": Question,
    "answer": Answer,
    "comment": Comment,
}


@login_required
@require_POST
def moderate(request: SignedInRequest, kind: str, pk: int, verb: str) -> HttpResponse:
    """Hide, delete or restore one item, with the reason the form gives."""
    permissions.check_can_moderate(request.user)
    if kind not in TARGET_KINDS or verb not in MODERATE:
        raise Http404("No such moderation action.")
    target = get_object_or_404(_with_context(MODELS[kind]), pk=pk)
    form = ReasonForm(request.POST)
    fallback = _target_url(target)
    if not form.is_valid():
        messages.error(request, "Give a reason: the author and the audit log see it.")
        return _back(request, fallback)
    try:
        MODERATE[verb](request.user, target, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"The {kind} is {DONE[verb]}.")
    return _back(request, fallback)


def _with_context(model: type[Target]) -> QuerySet[Target]:
    """Load what the author's email and the redirect need (saves two queries)."""
    if model is Answer:
        return Answer.objects.select_related("question", "contributor__user", "author")
    if model is Comment:
        return Comment.objects.select_related("answer__question", "author")
    return Question.objects.select_related("asker")


@login_required
def removed(request: SignedInRequest) -> HttpResponse:
    """Hidden and deleted content, newest change first, each with a restore form."""
    permissions.check_can_moderate(request.user)
    return render(
        request,
        "moderation/removed.html",
        {
            "questions": queries.removed_questions()[:100],
            "answers": queries.removed_answers()[:100],
            "comments": queries.removed_comments()[:100],
        },
    )


@login_required
def held(request: SignedInRequest) -> HttpResponse:
    permissions.check_can_moderate(request.user)
    return render(
        request,
        "moderation/held.html",
        {"page": paginate(request, queries.held_questions())},
    )


@login_required
@require_POST
def approve(request: SignedInRequest, slug: str) -> HttpResponse:
    permissions.check_can_moderate(request.user)
    question = get_object_or_404(Question, slug=slug)
    try:
        actions.approve_question(
            request.user, question, note=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"“{question.title}” is published.")
    return _back(request, "moderation:held")


@login_required
@require_POST
def reject(request: SignedInRequest, slug: str) -> HttpResponse:
    permissions.check_can_moderate(request.user)
    question = get_object_or_404(Question, slug=slug)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason: the asker sees it.")
        return _back(request, "moderation:held")
    try:
        actions.reject_question(
            request.user, question, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"“{question.title}” is turned down.")
    return _back(request, "moderation:held")


# --- duplicates ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def duplicate(request: SignedInRequest, slug: str) -> HttpResponse:
    permissions.check_can_moderate(request.user)
    question = get_object_or_404(Question.objects.select_related("asker"), slug=slug)
    form = DuplicateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.close_as_duplicate(
                request.user,
                question,
                original=form.cleaned_data["original"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The question is closed as a duplicate.")
            return redirect(question)
    return render(
        request, "moderation/duplicate.html", {"form": form, "question": question}
    )


@login_required
@require_POST
def reopen(request: SignedInRequest, slug: str) -> HttpResponse:
    permissions.check_can_moderate(request.user)
    question = get_object_or_404(Question, slug=slug)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason for reopening it.")
        return redirect(question)
    try:
        actions.reopen_question(
            request.user, question, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "The question is open again.")
    return redirect(question)


# --- the audit log ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def audit_log(request: SignedInRequest) -> HttpResponse:
    """Read-only and filtered; there is no view that writes to the log."""
    permissions.check_can_browse_audit_log(request.user)
    filters = AuditFilterForm(request.GET or None)
    entries = LogEntry.objects.select_related("actor", "content_type").order_by(
        "-created_at", "-pk"
    )
    if filters.is_valid():
        data = filters.cleaned_data
        if data["action"]:
            entries = entries.filter(action__istartswith=data["action"].strip())
        if data["actor"]:
            entries = entries.filter(actor__username__iexact=data["actor"].strip())
        if data["object_type"]:
            entries = entries.filter(content_type=data["object_type"])
        if data["since"]:
            entries = entries.filter(created_at__gte=_day_start(data["since"]))
        if data["until"]:
            entries = entries.filter(
                created_at__lt=_day_start(data["until"]) + timedelta(days=1)
            )
    page = paginate(request, entries, per_page=AUDIT_PER_PAGE)
    return render(
        request,
        "moderation/audit.html",
        {
            "filters": filters,
            "page": page,
            "rows": display.describe(page.object_list),
        },
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


# --- privacy ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def export(request: SignedInRequest) -> HttpResponse:
    """GET explains; POST downloads (a POST, because the export is audited)."""
    permissions.check_can_manage_own_data(request.user)
    if request.method == "GET":
        return render(request, "moderation/export.html")
    data = actions.export_own_data(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = (
        f'attachment; filename="askwell-data-{request.user.pk}-{stamp}.json"'
    )
    return response


@login_required
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@rate_limit("password_confirm")
def delete_account(request: SignedInRequest) -> HttpResponse:
    permissions.check_can_delete_account(request.user)
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.delete_account(
                request.user,
                password=form.cleaned_data["password"],
                confirmation=form.cleaned_data["confirmation"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, "Your account is deleted. Goodbye, and be well.")
            return redirect("home")
    return render(
        request,
        "moderation/delete_account.html",
        {
            "form": form,
            "rule": DELETION_RULE,
            "confirmation": actions.DELETE_CONFIRMATION,
        },
    )
