"""Videos, expert verification, organization membership and editing a
profile's bio and photo. The pages that
list a contributor's or a book's answers, and the contributor directory
with its answer counts, are the questions' (questions/browse.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from askwell.accounts.models import User
from askwell.accounts.requests import SignedInRequest
from askwell.core.pagination import paginate
from askwell.experts import actions, permissions
from askwell.experts.forms import (
    ApplicationForm,
    InvitationForm,
    ProfileForm,
    RejectForm,
)
from askwell.experts.models import (
    Contributor,
    CredentialApplication,
    Membership,
    Video,
)

View = Callable[..., HttpResponse]


def _explain_denial(view: View) -> View:
    """Show PermissionDenied's message on the 403 page instead of a bare error."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as denial:
            return render(
                request,
                "experts/forbidden.html",
                {"message": str(denial) or "You may not do this."},
                status=403,
            )

    return wrapper


def video_list(request: HttpRequest) -> HttpResponse:
    videos = Video.objects.select_related("presenter").order_by("-created_at", "-pk")
    return render(
        request, "experts/video_list.html", {"page": paginate(request, videos)}
    )


def video(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Video.objects.select_related("presenter"), slug=slug)
    return render(
        request, "experts/video.html", {"video": item, "topics": item.topics.all()}
    )


@login_required
@_explain_denial
@require_http_methods(["GET", "POST"])
def apply(request: SignedInRequest) -> HttpResponse:
    user = request.user
    latest = CredentialApplication.objects.latest_for(user)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.apply_for_verification(user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                "Thank you. An editor will check your credentials and email you "
                "the decision.",
            )
            return redirect("experts:apply")
    return render(
        request,
        "experts/apply.html",
        {
            "form": form,
            "latest": latest,
            "contributor": getattr(user, "contributor", None),
        },
    )


@login_required
@_explain_denial
def review_queue(request: SignedInRequest) -> HttpResponse:
    permissions.check_can_review_applications(request.user)
    queue = CredentialApplication.objects.review_queue()
    return render(
        request,
        "experts/review_queue.html",
        {"page": paginate(request, queue)},
    )


def _application_page(
    request: HttpRequest,
    application: CredentialApplication,
    reject_form: RejectForm,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "experts/application.html",
        {
            "application": application,
            "reject_form": reject_form,
            "can_decide": permissions.can_decide_application(request.user, application),
        },
        status=status,
    )


def _get_application(pk: int) -> CredentialApplication:
    """The application with its applicant and deciding editor in the same query."""
    return get_object_or_404(
        CredentialApplication.objects.select_related(
            "applicant", "decided_by", "contributor"
        ),
        pk=pk,
    )


@login_required
@_explain_denial
def application(request: SignedInRequest, pk: int) -> HttpResponse:
    permissions.check_can_review_applications(request.user)
    return _application_page(request, _get_application(pk), RejectForm())


@login_required
@_explain_denial
@require_POST
def approve(request: SignedInRequest, pk: int) -> HttpResponse:
    editor = request.user
    item = _get_application(pk)
    try:
        actions.approve_application(
            editor, item, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("experts:application", pk=item.pk)
    messages.success(request, f"{item.signature} is now a verified expert.")
    return redirect("experts:review_queue")


@login_required
@_explain_denial
@require_POST
def reject(request: SignedInRequest, pk: int) -> HttpResponse:
    editor = request.user
    item = _get_application(pk)
    permissions.check_can_decide_application(editor, item)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            actions.reject_application(
                editor,
                item,
                reason=form.cleaned_data["reason"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"The application of {item.full_name} was rejected."
            )
            return redirect("experts:review_queue")
    return _application_page(request, item, form, status=400)


def _get_organization(slug: str) -> Contributor:
    return get_object_or_404(Contributor.objects.organizations(), slug=slug)


@login_required
@_explain_denial
@require_http_methods(["GET", "POST"])
def members(request: SignedInRequest, slug: str) -> HttpResponse:
    """The members of an organization; its administrators and editors also
    see the invitations waiting and invite people here."""
    actor = request.user
    organization = _get_organization(slug)
    permissions.check_can_see_members(actor, organization)
    can_manage = permissions.can_manage_members(actor, organization)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        permissions.check_can_manage_members(actor, organization)
        if form.is_valid():
            invitee: User = form.cleaned_data["username"]
            try:
                actions.invite_member(
                    actor,
                    organization,
                    invitee,
                    role=form.cleaned_data["role"],
                    base_url=request.build_absolute_uri("/"),
                )
            except ValidationError as error:
                form.add_error("username", error)
            else:
                messages.success(
                    request,
                    f"{invitee.get_username()} is invited. They can post as "
                    f"{organization.name} once they accept.",
                )
                return redirect("experts:members", slug=organization.slug)
    memberships = organization.memberships.open().select_related("user")
    return render(
        request,
        "experts/members.html",
        {
            "organization": organization,
            "members": memberships.active().order_by("user__username"),
            "invitations": memberships.invited().order_by("user__username")
            if can_manage
            else [],
            "can_manage": can_manage,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@_explain_denial
@require_POST
def remove_member(request: SignedInRequest, slug: str) -> HttpResponse:
    """One button for three acts: a member leaves (their own name), an
    administrator or editor withdraws an invitation or removes a member."""
    actor = request.user
    organization = _get_organization(slug)
    permissions.check_can_see_members(actor, organization)
    member = get_object_or_404(User, username=request.POST.get("username", ""))
    name = member.get_username()
    try:
        if member.pk == actor.pk:
            actions.leave_organization(actor, organization)
            done = f"You no longer post as {organization.name}."
        elif organization.memberships.invited().filter(user=member).exists():
            actions.withdraw_invitation(actor, organization, member)
            done = f"The invitation of {name} is withdrawn."
        else:
            actions.remove_member(actor, organization, member)
            done = f"{name} no longer posts as {organization.name}."
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    if member.pk == actor.pk and not permissions.can_see_members(actor, organization):
        return redirect(organization.get_absolute_url())
    return redirect("experts:members", slug=organization.slug)


def _my_invitation(request: HttpRequest, pk: int) -> Membership:
    """One of the signed-in person's waiting invitations, with its
    organization: anyone else's is not found, not forbidden."""
    return get_object_or_404(
        Membership.objects.invited().select_related("organization"),
        pk=pk,
        user=request.user,
    )


@login_required
def invitations(request: SignedInRequest) -> HttpResponse:
    """The invitations waiting for the signed-in person's answer."""
    waiting = (
        Membership.objects.invited()
        .filter(user=request.user)
        .select_related("organization", "invited_by")
        .order_by("-created_at", "-pk")
    )
    return render(request, "experts/invitations.html", {"invitations": waiting})


@login_required
@_explain_denial
@require_POST
def accept_invitation(request: SignedInRequest, pk: int) -> HttpResponse:
    user = request.user
    invitation = _my_invitation(request, pk)
    try:
        actions.accept_invitation(user, invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("experts:invitations")
    organization = invitation.organization
    messages.success(
        request,
        f"You are a member of {organization.name} and can answer as it"
        + ("." if organization.is_verified else " once an editor has verified it."),
    )
    return redirect(organization.get_absolute_url())


@login_required
@_explain_denial
@require_POST
def decline_invitation(request: SignedInRequest, pk: int) -> HttpResponse:
    user = request.user
    invitation = _my_invitation(request, pk)
    try:
        actions.decline_invitation(user, invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"You declined to join {invitation.organization.name}."
        )
    return redirect("experts:invitations")


@login_required
@_explain_denial
@require_http_methods(["GET", "POST"])
def edit_profile(request: SignedInRequest, slug: str) -> HttpResponse:
    """A contributor's bio and photo, edited by the person (or an
    organization's administrators and editors). A refused form keeps the
    bio as typed and says what is wrong with the photo."""
    contributor = get_object_or_404(Contributor, slug=slug)
    permissions.check_can_edit_profile(request.user, contributor)
    posted = request.method == "POST"
    form = ProfileForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial={"bio": contributor.bio},
        organization=contributor.is_organization,
    )
    if posted and form.is_valid():
        actions.change_profile(
            request.user,
            contributor,
            bio=form.cleaned_data["bio"],
            photo=form.cleaned_data["photo"],
            remove_photo=form.cleaned_data["remove_photo"],
        )
        messages.success(request, "Your changes to the profile are saved.")
        return redirect(contributor.get_absolute_url())
    return render(
        request,
        "experts/edit_profile.html",
        {"contributor": contributor, "form": form},
        status=400 if form.errors else 200,
    )
