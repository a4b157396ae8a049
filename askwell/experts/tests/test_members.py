"""Organization membership: an administrator or an editor invites, the
invitee accepts, and only then posts as the organization; every step is
audited and nothing is deleted."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from askwell.accounts.models import User
from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.audit.models import LogEntry
from askwell.experts import actions, roles
from askwell.experts.models import Membership
from askwell.experts.permissions import can_manage_members, can_see_members
from askwell.experts.tests.factories import (
    ContributorFactory,
    MembershipFactory,
    OrganizationFactory,
)
from askwell.questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganizationFactory(name="Heart Society", slug="heart-society")


@pytest.fixture
def admin_member(org):
    """mo, the organization's administrator."""
    user = UserFactory(username="mo")
    MembershipFactory(organization=org, user=user, role=Membership.Role.ADMIN)
    return user


def _members(org):
    return sorted(org.memberships.active().values_list("user__username", flat=True))


def _statuses(org):
    return sorted(org.memberships.values_list("user__username", "status", "role"))


def _fresh(user):
    """The account read again: roles are cached on the user object."""
    return User.objects.get(pk=user.pk)


def _audit():
    return list(
        LogEntry.objects.order_by("pk").values_list("action", "actor__username", "data")
    )


def test_an_invitee_posts_as_the_organization_only_once_they_accept(
    client, org, admin_member, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    nina = UserFactory(username="nina")
    client.force_login(admin_member)

    # when: the administrator invites
    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(
            "/contributors/heart-society/members/",
            {"username": "nina", "role": "member"},
        )

    # then: nina is told, but cannot post as the organization yet
    assert invited.status_code == 302
    assert invited.url == "/contributors/heart-society/members/"
    assert _members(org) == ["mo"]
    assert roles.posting_contributors(_fresh(nina)) == []
    client.force_login(nina)
    question = QuestionFactory(status="open")
    assert client.get(f"/questions/{question.slug}/answer/").status_code == 403
    assert [m.to for m in mailoutbox] == [[nina.email]]
    assert mailoutbox[0].subject == "mo invites you to post as Heart Society on Askwell"
    assert "http://testserver/experts/invitations/" in mailoutbox[0].body
    page = client.get("/experts/invitations/").content.decode()
    assert "Heart Society" in page
    assert "invited by mo" in page

    # when: nina accepts
    invitation = Membership.objects.get(user=nina)
    accepted = client.post(f"/experts/invitations/{invitation.pk}/accept/")

    # then
    assert accepted.status_code == 302
    assert accepted.url == "/contributors/heart-society/"
    assert _members(org) == ["mo", "nina"]
    assert roles.posting_contributors(_fresh(nina)) == [org]
    assert client.get(f"/questions/{question.slug}/answer/").status_code == 200
    assert _audit() == [
        (
            "organization.member_invited",
            "mo",
            {"member": "nina", "role": "member"},
        ),
        (
            "organization.invitation_accepted",
            "nina",
            {"member": "nina", "role": "member"},
        ),
    ]


def test_an_invitee_may_decline(client, org, admin_member):
    # given
    nina = UserFactory(username="nina")
    invitation = actions.invite_member(admin_member, org, nina)
    client.force_login(nina)

    # when
    response = client.post(f"/experts/invitations/{invitation.pk}/decline/")

    # then
    assert response.status_code == 302
    assert response.url == "/experts/invitations/"
    assert _members(org) == ["mo"]
    assert roles.posting_contributors(_fresh(nina)) == []
    assert _statuses(org) == [("mo", "active", "admin"), ("nina", "declined", "member")]
    assert _audit()[-1] == (
        "organization.invitation_declined",
        "nina",
        {"member": "nina"},
    )
    assert (
        "No invitation is waiting for you."
        in client.get("/experts/invitations/").content.decode()
    )


def test_nobody_answers_another_persons_invitation(client, org, admin_member):
    # given
    invitation = actions.invite_member(admin_member, org, UserFactory(username="nina"))
    before = _statuses(org)

    # when: the administrator, an editor and a stranger try to accept for nina
    refused = []
    for user in (admin_member, EditorFactory(), UserFactory()):
        client.force_login(user)
        refused.append(client.post(f"/experts/invitations/{invitation.pk}/accept/"))
        refused.append(client.post(f"/experts/invitations/{invitation.pk}/decline/"))

    # then: the invitation is not theirs to see
    assert [r.status_code for r in refused] == [404] * 6
    assert _statuses(org) == before
    with pytest.raises(PermissionDenied):
        actions.accept_invitation(admin_member, invitation)


def test_an_editor_invites_and_an_administrator_follows(
    client, org, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    client.force_login(EditorFactory(username="ed"))
    lee = UserFactory(username="lee")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/contributors/heart-society/members/",
            {"username": "lee", "role": "admin"},
        )
    actions.accept_invitation(lee, Membership.objects.get(user=lee))

    # then: lee administers the organization, and may invite in turn
    assert response.status_code == 302
    assert _statuses(org) == [("lee", "active", "admin")]
    assert can_manage_members(_fresh(lee), org)
    assert [m.to for m in mailoutbox] == [[lee.email]]


def test_a_plain_member_cannot_invite(client, org, admin_member, mailoutbox):
    # given
    member = UserFactory(username="pat")
    MembershipFactory(organization=org, user=member)
    UserFactory(username="nina")
    client.force_login(member)
    before = _statuses(org)

    # when
    page = client.get("/contributors/heart-society/members/")
    invited = client.post(
        "/contributors/heart-society/members/", {"username": "nina", "role": "member"}
    )
    removed = client.post(
        "/contributors/heart-society/members/remove/", {"username": "mo"}
    )

    # then: pat sees the members and may leave, but brings nobody in
    assert page.status_code == 200
    html = page.content.decode()
    assert "Invite a member" not in html
    assert 'Remove<span class="visually-hidden"> mo</span>' not in html
    assert "Leave" in html
    for response in (invited, removed):
        assert response.status_code == 403
        assert (
            "Only editors and administrators of Heart Society can invite and "
            "remove its members." in response.content.decode()
        )
    assert _statuses(org) == before
    assert mailoutbox == []
    with pytest.raises(PermissionDenied):
        actions.invite_member(member, org, UserFactory())


def test_an_administrator_withdraws_an_invitation_and_removes_a_member(
    client, org, admin_member, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    nina = UserFactory(username="nina")
    lee = UserFactory(username="lee")
    actions.invite_member(admin_member, org, nina)
    MembershipFactory(organization=org, user=lee)
    client.force_login(admin_member)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = client.post(
            "/contributors/heart-society/members/remove/", {"username": "nina"}
        )
        removed = client.post(
            "/contributors/heart-society/members/remove/", {"username": "lee"}
        )

    # then: the rows stay, as history
    assert (withdrawn.status_code, removed.status_code) == (302, 302)
    assert _statuses(org) == [
        ("lee", "ended", "member"),
        ("mo", "active", "admin"),
        ("nina", "withdrawn", "member"),
    ]
    assert org.memberships.get(user=lee).left_at is not None
    assert [a for a, _, _ in _audit()] == [
        "organization.member_invited",
        "organization.invitation_withdrawn",
        "organization.member_removed",
    ]
    assert [m.subject for m in mailoutbox] == [
        "You no longer post as Heart Society on Askwell",
    ]


def test_a_member_leaves_and_goes_back_to_the_profile(client, org, admin_member):
    # given
    member = UserFactory(username="pat")
    MembershipFactory(organization=org, user=member)
    client.force_login(member)

    # when
    response = client.post(
        "/contributors/heart-society/members/remove/", {"username": "pat"}
    )

    # then
    assert response.status_code == 302
    assert response.url == "/contributors/heart-society/"
    assert _members(org) == ["mo"]
    assert roles.posting_contributors(_fresh(member)) == []
    assert _audit() == [("organization.member_left", "pat", {"member": "pat"})]


def test_the_manage_page_lists_members_and_invitations_with_accessible_controls(
    client, org, admin_member
):
    # given
    actions.invite_member(admin_member, org, UserFactory(username="nina"))
    client.force_login(admin_member)

    # when
    html = client.get("/contributors/heart-society/members/").content.decode()

    # then
    assert "<h1>Members of Heart Society</h1>" in html
    assert "mo (you) · Administrator" in html
    assert "nina · invited as member on" in html
    assert (
        'Withdraw<span class="visually-hidden"> the invitation of nina</span>' in html
    )
    assert '<label for="id_username">Username</label>' in html
    assert "<legend>Role</legend>" in html


@pytest.mark.parametrize(
    "who", ["reader", "member of another organization", "the person"]
)
def test_outsiders_cannot_see_or_manage_members(
    client, org, admin_member, mailoutbox, django_capture_on_commit_callbacks, who
):
    # given
    UserFactory(username="nina")
    outsider = UserFactory()
    if who == "member of another organization":
        MembershipFactory(user=outsider, role=Membership.Role.ADMIN)
    elif who == "the person":
        ContributorFactory(user=outsider)
    client.force_login(outsider)
    before = _statuses(org)

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
            "Only editors and members of Heart Society can see its members."
            in response.content.decode()
        )
    assert _statuses(org) == before
    assert mailoutbox == []


def test_anonymous_visitors_are_sent_to_sign_in(client, org, mailoutbox):
    # given
    UserFactory(username="nina")

    # when
    response = client.post("/contributors/heart-society/members/", {"username": "nina"})

    # then
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert _statuses(org) == []
    assert mailoutbox == []


def test_the_actions_check_permission_themselves(org, admin_member, mailoutbox):
    # given
    outsider = UserFactory()
    member = UserFactory()
    MembershipFactory(organization=org, user=member)
    before = _statuses(org)

    # when / then
    with pytest.raises(PermissionDenied):
        actions.invite_member(outsider, org, UserFactory())
    with pytest.raises(PermissionDenied):
        actions.remove_member(outsider, org, member)
    with pytest.raises(PermissionDenied):
        actions.withdraw_invitation(member, org, admin_member)
    with pytest.raises(PermissionDenied):
        actions.leave_organization(outsider, org)
    assert _statuses(org) == before
    assert mailoutbox == []
    assert not LogEntry.objects.exists()


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
        ("nina", "nina is already invited."),
        ("waiting", "waiting has not verified their account yet."),
        (
            "ed",
            "You cannot invite yourself: ask an administrator of Heart Society or "
            "an editor to invite you.",
        ),
    ],
)
def test_inviting_explains_what_is_wrong(
    client, org, admin_member, mailoutbox, username, message
):
    # given
    editor = EditorFactory(username="ed")
    actions.invite_member(admin_member, org, UserFactory(username="nina"))
    UserFactory(username="waiting", is_active=False)
    client.force_login(editor)
    before = _statuses(org)

    # when
    response = client.post(
        "/contributors/heart-society/members/", {"username": username, "role": "member"}
    )

    # then
    assert response.status_code == 400
    assert response.context["form"].errors["username"] == [message]
    assert _statuses(org) == before
    assert mailoutbox == []


def test_an_answered_invitation_cannot_be_answered_again(org, admin_member):
    # given
    nina = UserFactory(username="nina")
    invitation = actions.invite_member(admin_member, org, nina)
    actions.decline_invitation(nina, invitation)

    # when / then
    with pytest.raises(ValidationError, match="now declined the invitation"):
        actions.accept_invitation(nina, invitation)
    assert _members(org) == ["mo"]


def test_a_former_member_may_be_invited_again(org, admin_member):
    # given
    nina = UserFactory(username="nina")
    MembershipFactory(organization=org, user=nina)
    actions.remove_member(admin_member, org, nina)

    # when
    invitation = actions.invite_member(admin_member, org, nina)
    actions.accept_invitation(nina, invitation)

    # then: two rows, one per period
    assert _statuses(org) == [
        ("mo", "active", "admin"),
        ("nina", "active", "member"),
        ("nina", "ended", "member"),
    ]


def test_settings_point_to_waiting_invitations(client, org, admin_member):
    # given
    nina = UserFactory(username="nina")
    actions.invite_member(admin_member, org, nina)
    client.force_login(nina)

    # when
    html = client.get("/accounts/settings/").content.decode()

    # then
    assert (
        '<a href="/experts/invitations/">1 invitation to join an organization</a>'
        in html
    )


def test_the_profile_links_to_the_members_page_for_those_who_may_see_it(client, org):
    # given
    member = UserFactory()
    MembershipFactory(organization=org, user=member)

    # when
    anonymous = client.get("/contributors/heart-society/").content.decode()
    client.force_login(member)
    as_member = client.get("/contributors/heart-society/").content.decode()

    # then
    assert 'href="/contributors/heart-society/members/"' not in anonymous
    assert 'href="/contributors/heart-society/members/"' in as_member


@pytest.mark.parametrize(
    ("who", "sees", "manages"),
    [
        ("anonymous", False, False),
        ("reader", False, False),
        ("invitee", False, False),
        ("member", True, False),
        ("former member", False, False),
        ("inactive administrator", False, False),
        ("administrator", True, True),
        ("editor", True, True),
        ("admin", True, True),
    ],
)
def test_who_may_see_and_manage_members(org, who, sees, manages):
    # given
    users = {
        "anonymous": lambda: AnonymousUser(),
        "reader": lambda: UserFactory(),
        "invitee": lambda: (
            MembershipFactory(
                organization=org, status=Membership.Status.INVITED, joined_at=None
            ).user
        ),
        "member": lambda: MembershipFactory(organization=org).user,
        "former member": lambda: (
            MembershipFactory(organization=org, status=Membership.Status.ENDED).user
        ),
        "inactive administrator": lambda: (
            MembershipFactory(
                organization=org,
                role=Membership.Role.ADMIN,
                user=UserFactory(is_active=False),
            ).user
        ),
        "administrator": lambda: (
            MembershipFactory(organization=org, role=Membership.Role.ADMIN).user
        ),
        "editor": lambda: EditorFactory(),
        "admin": lambda: UserFactory(is_superuser=True),
    }
    user = users[who]()

    # when / then
    assert (can_see_members(user, org), can_manage_members(user, org)) == (
        sees,
        manages,
    )
