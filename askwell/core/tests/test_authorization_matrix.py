"""Every URL × anonymous, reader, expert, editor, admin: allowed or denied.

ROUTES holds one entry per named route: how to build its URL, the method,
and the expected outcome for each role. A test fails when a route exists
without an entry, so a new page cannot ship without a decision here.

Outcomes: "ok" (the page or action works: 200, a redirect that is not to
sign-in, or 400 for a form refused for its content), "login" (redirected to
sign in), "deny" (403), "404" (not found for this person).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from askwell.accounts.actions import create_api_token
from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts.models import CredentialApplication, Membership
from askwell.experts.tests.factories import (
    BookFactory,
    ContributorFactory,
    MembershipFactory,
    OrganizationFactory,
    VideoFactory,
)
from askwell.moderation.models import Flag
from askwell.notifications.models import Notification
from askwell.questions.models import Revision
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.review.actions import ensure_reviewers_group
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "expert", "editor", "admin"]
ALLOWED = {200, 201, 204, 400}


def _all(outcome: str) -> dict[str, str]:
    return dict.fromkeys(ROLES, outcome)


PUBLIC = _all("ok")
SIGNED_IN = {**_all("ok"), "anonymous": "login"}
# Follow and save buttons: signed-out visitors see a sign-in link instead;
# a direct POST is refused.
READERS_POST = {**_all("ok"), "anonymous": "deny"}
EDITORS = {
    "anonymous": "login",
    "reader": "deny",
    "expert": "deny",
    "editor": "ok",
    "admin": "ok",
}
EXPERTS_ONLY = {
    "anonymous": "login",
    "reader": "deny",
    "expert": "ok",
    "editor": "deny",
    "admin": "deny",
}


@dataclass
class World:
    """Content owned by other people than the acting user."""

    topic: Any
    question: Any
    answer: Any
    revision: Any
    person: Any
    organization: Any
    book: Any
    video: Any
    application: Any
    flag: Any
    invitation: Any
    user: Any = None
    notification: Any = None
    token: Any = None


@dataclass(frozen=True)
class Route:
    expected: dict[str, str]
    kwargs: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    method: str = "get"
    data: dict[str, Any] | Callable[[World], dict[str, Any]] = field(
        default_factory=dict
    )
    # The JSON API's writes take a JSON body.
    json: bool = False


def _question(w: World) -> dict[str, Any]:
    return {"slug": w.question.slug}


def _answer(w: World) -> dict[str, Any]:
    return {"pk": w.answer.pk}


def _api_question(w: World) -> dict[str, Any]:
    return {"question_id": w.question.pk}


def _api_answer(w: World) -> dict[str, Any]:
    return {"answer_id": w.answer.pk}


# The JSON API answers a write without credentials with 401, not a redirect.
API_SIGNED_IN = {**_all("ok"), "anonymous": "401"}

ROUTES: dict[str, Route] = {
    "healthz": Route(PUBLIC),
    "readyz": Route(PUBLIC),
    "home": Route(PUBLIC),
    "robots": Route(PUBLIC),
    "sitemap": Route(PUBLIC),
    "sitemap-section": Route(PUBLIC, lambda w: {"section": "questions"}),
    "search": Route(PUBLIC),
    "search-similar": Route(PUBLIC),
    "media": Route(_all("404"), lambda w: {"path": "nothing/here.png"}),
    "topics:directory": Route(PUBLIC),
    "topics:detail": Route(PUBLIC, lambda w: {"slug": w.topic.slug}),
    "topics:subtopics": Route(PUBLIC, lambda w: {"slug": w.topic.slug}),
    "topics:feed": Route(PUBLIC, lambda w: {"slug": w.topic.slug}),
    "questions:list": Route(PUBLIC),
    "questions:detail": Route(PUBLIC, _question),
    "questions:history": Route(PUBLIC, _question),
    "questions:answer-history": Route(PUBLIC, _answer),
    # The ask page's and the answer form's aids: for those who may ask or answer.
    "questions:suggest-topics": Route(SIGNED_IN),
    "questions:preview": Route(SIGNED_IN, method="post", data={"body": "Rest helps."}),
    "questions:ask": Route(SIGNED_IN),
    "questions:answer": Route(EXPERTS_ONLY, _question),
    "questions:edit": Route(EDITORS, _question),
    "questions:edit-answer": Route(EDITORS, _answer),
    "questions:helpful": Route(SIGNED_IN, _answer, method="post"),
    "questions:endorse": Route(EXPERTS_ONLY, _answer),
    "questions:comment": Route(
        {**EDITORS, "expert": "ok"}, _answer, method="post", data={"body": "Why?"}
    ),
    "questions:restore": Route(EDITORS, lambda w: {"pk": w.revision.pk}, method="post"),
    # Each person's own list: never anyone else's (questions/tests/test_home.py).
    "questions:mine": Route(SIGNED_IN),
    # An expert's home: For you explains itself to others with a 403; My
    # answers is every reader's (someone no longer verified keeps their
    # answers' review notes).
    "experts:for_you": Route(EXPERTS_ONLY),
    "experts:my_answers": Route(SIGNED_IN),
    "experts:contributors": Route(PUBLIC),
    "experts:contributor": Route(PUBLIC, lambda w: {"slug": w.person.slug}),
    "experts:contributor_feed": Route(PUBLIC, lambda w: {"slug": w.person.slug}),
    "experts:book": Route(PUBLIC, lambda w: {"slug": w.book.slug}),
    "experts:videos": Route(PUBLIC),
    "experts:video": Route(PUBLIC, lambda w: {"slug": w.video.slug}),
    "experts:members": Route(EDITORS, lambda w: {"slug": w.organization.slug}),
    # A person's own profile only (test_profile.py); an organization's by
    # its administrators and the editors.
    "experts:edit_profile": Route(EDITORS, lambda w: {"slug": w.organization.slug}),
    "experts:remove_member": Route(
        EDITORS,
        lambda w: {"slug": w.organization.slug},
        method="post",
        data={"username": "orgmember"},
    ),
    "experts:invitations": Route(SIGNED_IN),
    # Only the invitee answers an invitation; to anyone else it does not exist.
    "experts:accept_invitation": Route(
        _all("404") | {"anonymous": "login"},
        lambda w: {"pk": w.invitation.pk},
        method="post",
    ),
    "experts:decline_invitation": Route(
        _all("404") | {"anonymous": "login"},
        lambda w: {"pk": w.invitation.pk},
        method="post",
    ),
    "experts:apply": Route(SIGNED_IN),
    "experts:review_queue": Route(EDITORS),
    "experts:application": Route(EDITORS, lambda w: {"pk": w.application.pk}),
    "experts:approve": Route(
        EDITORS, lambda w: {"pk": w.application.pk}, method="post"
    ),
    "experts:reject": Route(
        EDITORS,
        lambda w: {"pk": w.application.pk},
        method="post",
        data={"reason": "Licence not found."},
    ),
    "accounts:signup": Route(PUBLIC),
    "accounts:verification_sent": Route(PUBLIC),
    "accounts:resend_verification": Route(PUBLIC),
    "accounts:verify_email": Route(PUBLIC, lambda w: {"token": "not-a-token"}),
    "accounts:login": Route(PUBLIC),
    "accounts:logout": Route(PUBLIC),
    "accounts:settings": Route(SIGNED_IN),
    "accounts:create_api_token": Route(
        SIGNED_IN, method="post", data={"name": "My reading app"}
    ),
    "accounts:revoke_api_token": Route(
        _all("404") | {"anonymous": "login"},
        lambda w: {"pk": w.token.pk},
        method="post",
    ),
    "accounts:email_change": Route(SIGNED_IN),
    "accounts:email_change_confirm": Route(
        SIGNED_IN, lambda w: {"token": "not-a-token"}
    ),
    "accounts:password_change": Route(SIGNED_IN),
    "accounts:password_reset": Route(PUBLIC),
    "accounts:password_reset_done": Route(PUBLIC),
    "accounts:password_reset_complete": Route(PUBLIC),
    "accounts:password_reset_confirm": Route(
        PUBLIC, lambda w: {"uidb64": "MQ", "token": "set-password"}
    ),
    "notifications:inbox": Route(SIGNED_IN),
    "notifications:mark-all-read": Route(SIGNED_IN, method="post"),
    "notifications:open": Route(
        SIGNED_IN, lambda w: {"pk": w.notification.pk if w.notification else 1}
    ),
    "notifications:preferences": Route(SIGNED_IN),
    "notifications:saved": Route(SIGNED_IN),
    "notifications:follow-topic": Route(
        READERS_POST, lambda w: {"slug": w.topic.slug}, method="post"
    ),
    "notifications:unfollow-topic": Route(
        READERS_POST, lambda w: {"slug": w.topic.slug}, method="post"
    ),
    "notifications:follow-question": Route(READERS_POST, _question, method="post"),
    "notifications:unfollow-question": Route(READERS_POST, _question, method="post"),
    "notifications:save-question": Route(READERS_POST, _question, method="post"),
    "notifications:unsave-question": Route(READERS_POST, _question, method="post"),
    "review:queue": Route(EDITORS),
    "review:due": Route(EDITORS),
    "review:answer": Route(EDITORS, _answer),
    "moderation:flag": Route(
        SIGNED_IN, lambda w: {"kind": "answer", "pk": w.answer.pk}
    ),
    "moderation:flags": Route(EDITORS),
    "moderation:dismiss": Route(EDITORS, lambda w: {"pk": w.flag.pk}, method="post"),
    "moderation:moderate": Route(
        EDITORS,
        lambda w: {"kind": "answer", "pk": w.answer.pk, "verb": "hide"},
        method="post",
        data={"reason": "Spam."},
    ),
    "moderation:removed": Route(EDITORS),
    "moderation:held": Route(EDITORS),
    "moderation:approve": Route(EDITORS, _question, method="post"),
    "moderation:reject": Route(
        EDITORS, _question, method="post", data={"reason": "Off topic."}
    ),
    "moderation:duplicate": Route(EDITORS, _question),
    "moderation:reopen": Route(
        EDITORS, _question, method="post", data={"reason": "Ok."}
    ),
    "moderation:audit": Route(EDITORS),
    "moderation:export": Route(SIGNED_IN),
    # Administrators cannot delete their own account from the site.
    "moderation:delete-account": Route({**SIGNED_IN, "admin": "deny"}),
    "api:api-root": Route(_all("404")),
    "api:openapi-json": Route(PUBLIC),
    "api:openapi-view": Route(PUBLIC),
    "api:search": Route(PUBLIC, data={"q": "gout"}),
    "api:similar": Route(PUBLIC, data={"q": "does rest help a cold"}),
    "api:topic_tree": Route(PUBLIC),
    "api:list_questions": Route(PUBLIC),
    "api:get_question": Route(PUBLIC, _api_question),
    "api:similar_to_question": Route(PUBLIC, _api_question),
    "api:list_contributors": Route(PUBLIC),
    "api:get_contributor": Route(PUBLIC, lambda w: {"contributor_id": w.person.pk}),
    "api:list_books": Route(PUBLIC),
    "api:list_videos": Route(PUBLIC),
    # Writes: the page's rule, and 401 instead of the sign-in page.
    "api:ask_question": Route(
        API_SIGNED_IN,
        method="post",
        data={"title": "Does rest help a cold get better?"},
        json=True,
    ),
    "api:edit_question": Route(
        {**EDITORS, "anonymous": "401"},
        _api_question,
        method="patch",
        data={"reason": "Typo."},
        json=True,
    ),
    "api:answer_question": Route(
        {**EXPERTS_ONLY, "anonymous": "401"},
        _api_question,
        method="post",
        data={"body": "Rest and plenty of fluids help most people recover."},
        json=True,
    ),
    "api:edit_answer": Route(
        {**EDITORS, "anonymous": "401"},
        _api_answer,
        method="patch",
        data={"reason": "Typo."},
        json=True,
    ),
    "api:mark_helpful": Route(API_SIGNED_IN, _api_answer, method="post", json=True),
    "api:unmark_helpful": Route(API_SIGNED_IN, _api_answer, method="delete", json=True),
    "api:endorse_answer": Route(
        {**EXPERTS_ONLY, "anonymous": "401"},
        _api_answer,
        method="post",
        data={"reason": "It matches the evidence."},
        json=True,
    ),
    "api:withdraw_endorsement": Route(
        {**EXPERTS_ONLY, "anonymous": "401"}, _api_answer, method="delete", json=True
    ),
    "api:flag": Route(
        API_SIGNED_IN,
        method="post",
        data=lambda w: {"kind": "answer", "id": w.answer.pk, "reason": "spam"},
        json=True,
    ),
}


def _named_routes(
    patterns: list[Any], namespace: str = "", prefix: str = ""
) -> list[str]:
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace
                    else pattern.namespace
                )
            if str(pattern.pattern).startswith("admin/"):
                continue  # Django's admin: staff only, its own permission system
            names += _named_routes(
                pattern.url_patterns, inner, prefix + str(pattern.pattern)
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_route_has_an_entry_in_the_matrix():
    routes = set(_named_routes(get_resolver().url_patterns))

    assert sorted(routes - set(ROUTES)) == []
    assert sorted(set(ROUTES) - routes) == []


def _world() -> World:
    topic = TopicFactory()
    author = UserFactory()
    person = ContributorFactory(user=author)
    question = QuestionFactory(topics=[topic], asker=UserFactory(), status="open")
    answer = AnswerFactory(question=question, contributor=person, author=author)
    revision = Revision.objects.create(
        question=question, answer=answer, number=1, body=answer.body
    )
    application = CredentialApplication.objects.create(
        applicant=UserFactory(),
        full_name="Pat Applicant",
        credentials="RN",
        degree="BSN",
        licence_number="RN-1",
        licence_issuer="Board",
        specialty="Neurology",
        evidence_url="https://example.org/rn",
    )
    organization = _organization()
    return World(
        topic=topic,
        question=question,
        answer=answer,
        revision=revision,
        person=person,
        organization=organization,
        invitation=Membership.objects.create(
            organization=organization,
            user=UserFactory(),
            status=Membership.Status.INVITED,
        ),
        book=BookFactory(),
        video=VideoFactory(),
        application=application,
        flag=Flag.objects.create(
            reporter=UserFactory(), answer=answer, reason=Flag.Reason.SPAM
        ),
        # Someone else's: nobody but its owner may revoke it.
        token=create_api_token(UserFactory(), name="Their app")[0],
    )


def _organization():
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=UserFactory(username="orgmember"))
    return organization


def _acting(role: str):
    if role == "anonymous":
        return None
    if role == "admin":
        return UserFactory(is_superuser=True, is_staff=True)
    if role == "editor":
        editor = EditorFactory()
        editor.groups.add(ensure_reviewers_group())
        return editor
    user = UserFactory()
    if role == "expert":
        ContributorFactory(user=user)
    return user


def _outcome(response) -> str:
    if response.status_code in (301, 302):
        return (
            "login"
            if response["Location"].startswith(reverse("accounts:login"))
            else "ok"
        )
    if response.status_code in ALLOWED:
        return "ok"
    if response.status_code == 403:
        return "deny"
    return str(response.status_code)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_authorization_matrix(client, name, role):
    # given
    route = ROUTES[name]
    world = _world()
    user = _acting(role)
    if user is not None:
        client.force_login(user)
        world.user = user
        world.notification = Notification.objects.create(
            recipient=user, kind="answer_posted", url="/", text="Answered"
        )
    url = reverse(name, kwargs=route.kwargs(world))

    data = route.data(world) if callable(route.data) else route.data
    extra = {"content_type": "application/json"} if route.json else {}

    # when
    response = getattr(client, route.method)(url, data, **extra)

    # then
    assert _outcome(response) == route.expected[role], (
        f"{route.method.upper()} {url} as {role}: {response.status_code}"
    )
