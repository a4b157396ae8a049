from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from askwell.accounts.requests import SignedInRequest
from askwell.core.pagination import paginate
from askwell.notifications import actions
from askwell.notifications.forms import PreferenceForm
from askwell.notifications.models import Notification, Preference, SavedQuestion
from askwell.questions.models import Question
from askwell.topics.models import Topic


@login_required
@require_GET
def inbox(request: SignedInRequest) -> HttpResponse:
    page = paginate(request, Notification.objects.inbox(request.user))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def mark_all_read(request: SignedInRequest) -> HttpResponse:
    actions.mark_read(request.user)
    return redirect("notifications:inbox")


@login_required
@require_GET
def open_notification(request: SignedInRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go where it leads.

    A GET that writes, like following a link in an email: marking read is
    idempotent and only ever touches the reader's own notification.
    """
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    actions.mark_read(request.user, [notification.pk])
    if not url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect("notifications:inbox")
    return HttpResponseRedirect(notification.url)


@login_required
def preferences(request: SignedInRequest) -> HttpResponse:
    form = PreferenceForm(
        request.POST or None, instance=Preference.for_user(request.user)
    )
    if request.method == "POST" and form.is_valid():
        actions.update_preferences(request.user, **form.cleaned_data)
        messages.success(request, "Your notification settings are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
@require_GET
def saved(request: SignedInRequest) -> HttpResponse:
    saved_questions = (
        SavedQuestion.objects.filter(user=request.user)
        .select_related("question")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "notifications/saved.html",
        {"page": paginate(request, saved_questions)},
    )


@require_POST
def follow_topic(request: HttpRequest, slug: str, follow: bool) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    if follow:
        actions.follow_topic(request.user, topic)
    else:
        actions.unfollow_topic(request.user, topic)
    return _button_response(
        request,
        "notifications/_follow_topic_button.html",
        {"topic": topic, "following": follow},
        fallback=topic.get_absolute_url(),
        message=f"{'Following' if follow else 'No longer following'} {topic.name}.",
    )


@require_POST
def follow_question(request: HttpRequest, slug: str, follow: bool) -> HttpResponse:
    question = get_object_or_404(Question.objects.visible(), slug=slug)
    if follow:
        actions.follow_question(request.user, question)
    else:
        actions.unfollow_question(request.user, question)
    return _button_response(
        request,
        "notifications/_follow_question_button.html",
        {"question": question, "following": follow},
        fallback=question.get_absolute_url(),
        message=(
            "You will hear about answers and changes to this question."
            if follow
            else "You no longer follow this question."
        ),
    )


@require_POST
def save_question(request: HttpRequest, slug: str, save: bool) -> HttpResponse:
    question = get_object_or_404(Question.objects.visible(), slug=slug)
    if save:
        actions.save_question(request.user, question)
    else:
        actions.unsave_question(request.user, question)
    return _button_response(
        request,
        "notifications/_save_question_button.html",
        {"question": question, "saved": save},
        fallback=question.get_absolute_url(),
        message="Saved for later." if save else "Removed from your saved questions.",
    )


def _button_response(
    request: HttpRequest,
    template: str,
    context: dict[str, object],
    *,
    fallback: str,
    message: str,
) -> HttpResponse:
    """htmx swaps in the re-rendered button; without JavaScript, go back to
    the page the form was on (`next`) and say what happened."""
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        next_url = fallback
    if request.headers.get("HX-Request") == "true":
        return render(request, template, {**context, "next_url": next_url})
    messages.success(request, message)
    return HttpResponseRedirect(next_url)
