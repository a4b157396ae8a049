from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from askwell.accounts import roles
from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts import actions
from askwell.experts.permissions import can_manage_members
from askwell.experts.tests.factories import ContributorFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganizationFactory(name="Heart Society", slug="heart-society")


def _members(org):
    return sorted(org.members.values_list("username", flat=True))


def test_an_editor_adds_a_member_who_can_then_post_as_the_organization(
    client, org, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    editor = EditorFactory(username="ed")
    newcomer = UserFactory(username="nina")
    client.force_login(editor)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/contributors/heart-society/members/", {"username": "nina"}
        )

    # then
    assert response.status_code == 302
    assert response.url == "/contributors/heart-society/members/"
    assert _members(org) == ["nina"]
    assert roles.posting_contributors(newcomer) == [org]
    assert [m.to for m in mailoutbox] == [[newcomer.email]]
    assert mailoutbox[0].subject == "You can now post as Heart Society on Askwell"
    assert (
        "nina can now post as Heart Society."
        in client.get(response.url).content.decode()
    )


def test_a_member_adds_and_removes_other_members(
    client, org, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    member = UserFactory(username="mo")
    leaving = UserFactory(username="lee")
    UserFactory(username="nina")
    org.members.add(member, leaving)
    client.force_login(member)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contributors/heart-society/members/", {"username": "nina"})
        removed = client.post(
            "/contributors/heart-society/members/remove/", {"username": "lee"}
        )

    # then
    assert removed.status_code == 302
    assert _members(org) == ["mo", "nina"]
    assert [m.subject for m in mailoutbox] == [
        "You can now post as Heart Society on Askwell",
        "You no longer post as Heart Society on Askwell",
    ]


def test_the_manage_page_lists_members_with_accessible_controls(client, org):
    # given
    member = UserFactory(username="mo")
    org.members.add(member)
    client.force_login(member)

    # when
    html = client.get("/contributors/heart-society/members/").content.decode()

    # then
    assert "<h1>Members of Heart Society</h1>" in html
    assert "mo (you)" in html
    assert 'name="username" value="mo"' in html
    assert 'Remove<span class="visually-hidden"> mo</span>' in html
    assert '<label for="id_username">Username</label>' in html


@pytest.mark.parametrize(
    "who", ["reader", "member of another organization", "the person"]
)
def test_outsiders_cannot_manage_members(
    client, org, mailoutbox, django_capture_on_commit_callbacks, who
):
    # given
    existing = UserFactory(username="mo")
    org.members.add(existing)
    UserFactory(username="nina")
    outsider = UserFactory()
    if who == "member of another organization":
        OrganizationFactory().members.add(outsider)
    elif who == "the person":
        ContributorFactory(user=outsider)
    client.force_login(outsider)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get("/contributors/heart-society/members/")
        added = client.post(
            "/contributors/heart-society/members/", {"username": "nina"}
        )
        removed = client.post(
            "/contributors/heart-society/members/remove/", {"username": "mo"}
        )

    # then
    for response in (page, added, removed):
        assert response.status_code == 403
        assert (
            "Only editors and members of Heart Society can manage its members."
            in response.content.decode()
        )
    assert _members(org) == ["mo"]
    assert mailoutbox == []


def test_anonymous_visitors_are_sent_to_sign_in(client, org, mailoutbox):
    # given
    UserFactory(username="nina")

    # when
    response = client.post("/contributors/heart-society/members/", {"username": "nina"})

    # then
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert _members(org) == []
    assert mailoutbox == []


def test_the_actions_check_permission_themselves(org, mailoutbox):
    # given
    outsider = UserFactory()
    member = UserFactory(username="mo")
    org.members.add(member)

    # when / then
    with pytest.raises(PermissionDenied):
        actions.add_member(outsider, org, UserFactory())
    with pytest.raises(PermissionDenied):
        actions.remove_member(outsider, org, member)
    assert _members(org) == ["mo"]
    assert mailoutbox == []


def test_people_have_no_members_page(client):
    # given
    ContributorFactory(slug="a-person")
    client.force_login(EditorFactory())

    # when
    response = client.get("/contributors/a-person/members/")

    # then
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("ghost", "No account has the username ghost."),
        ("mo", "mo is already a member."),
        ("waiting", "waiting has not verified their account yet."),
    ],
)
def test_adding_explains_what_is_wrong(client, org, mailoutbox, username, message):
    # given
    org.members.add(UserFactory(username="mo"))
    UserFactory(username="waiting", is_active=False)
    client.force_login(EditorFactory())

    # when
    response = client.post(
        "/contributors/heart-society/members/", {"username": username}
    )

    # then
    assert response.status_code == 400
    assert response.context["form"].errors["username"] == [message]
    assert _members(org) == ["mo"]
    assert mailoutbox == []


def test_a_member_who_leaves_goes_back_to_the_profile(client, org):
    # given
    member = UserFactory(username="mo")
    org.members.add(member)
    client.force_login(member)

    # when
    response = client.post(
        "/contributors/heart-society/members/remove/", {"username": "mo"}
    )

    # then
    assert response.status_code == 302
    assert response.url == "/contributors/heart-society/"
    assert _members(org) == []


def test_the_profile_links_to_the_manage_page_for_those_who_may(client, org):
    # given
    member = UserFactory()
    org.members.add(member)

    # when
    anonymous = client.get("/contributors/heart-society/").content.decode()
    client.force_login(member)
    as_member = client.get("/contributors/heart-society/").content.decode()

    # then
    assert 'href="/contributors/heart-society/members/"' not in anonymous
    assert 'href="/contributors/heart-society/members/"' in as_member


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("anonymous", False),
        ("reader", False),
        ("member", True),
        ("inactive member", False),
        ("editor", True),
        ("admin", True),
    ],
)
def test_who_may_manage_members(org, who, allowed):
    # given
    users = {
        "anonymous": lambda: AnonymousUser(),
        "reader": lambda: UserFactory(),
        "member": lambda: UserFactory(),
        "inactive member": lambda: UserFactory(is_active=False),
        "editor": lambda: EditorFactory(),
        "admin": lambda: UserFactory(is_superuser=True),
    }
    user = users[who]()
    if who.endswith("member"):
        org.members.add(user)

    # when / then
    assert can_manage_members(user, org) is allowed
