from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts import permissions
from askwell.experts.tests.factories import (
    ContributorFactory,
    CredentialApplicationFactory,
)

pytestmark = pytest.mark.django_db


def _make(who):
    if who == "anonymous":
        return AnonymousUser()
    if who == "reader":
        return UserFactory()
    if who == "unverified expert":
        user = UserFactory()
        ContributorFactory(user=user, is_verified=False, verified_at=None)
        return user
    if who == "verified expert":
        user = UserFactory()
        ContributorFactory(user=user)
        return user
    if who == "editor":
        return EditorFactory()
    if who == "admin":
        return UserFactory(is_superuser=True)
    raise AssertionError(who)


@pytest.mark.parametrize(
    ("who", "apply", "review"),
    [
        ("anonymous", False, False),
        ("reader", True, False),
        ("unverified expert", True, False),
        ("verified expert", True, False),
        ("editor", True, True),
        ("admin", True, True),
    ],
)
def test_permission_matrix(who, apply, review):
    # given
    user = _make(who)
    application = CredentialApplicationFactory()

    # when / then
    assert permissions.can_apply_for_verification(user) is apply
    assert permissions.can_review_applications(user) is review
    assert permissions.can_decide_application(user, application) is review
    if not review:
        with pytest.raises(PermissionDenied, match="Only editors can review"):
            permissions.check_can_review_applications(user)
        with pytest.raises(PermissionDenied, match="Only editors can review"):
            permissions.check_can_decide_application(user, application)


def test_no_one_decides_on_their_own_application():
    # given
    admin = UserFactory(is_superuser=True)
    application = CredentialApplicationFactory(applicant=admin)

    # when / then
    assert permissions.can_decide_application(admin, application) is False
    with pytest.raises(PermissionDenied, match="Another editor must decide"):
        permissions.check_can_decide_application(admin, application)


def test_inactive_accounts_may_not_apply():
    # given
    user = UserFactory(is_active=False)

    # when / then
    with pytest.raises(PermissionDenied, match="Sign in to apply"):
        permissions.check_can_apply_for_verification(user)
