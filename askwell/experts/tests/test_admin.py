"""Contributors in the admin: verification is an audited decision that
search follows, never a box on the form; renames reach search too."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from askwell.audit.models import LogEntry
from askwell.experts import actions
from askwell.experts.models import Contributor
from askwell.experts.tests.factories import ContributorFactory
from askwell.questions.tests.factories import AnswerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(monkeypatch):
    """The answer ids search was asked to reindex, after the commit."""
    calls: list[list[int]] = []
    monkeypatch.setattr(
        "askwell.search.indexing.index_answers",
        lambda ids, embed=True: calls.append(sorted(ids)),
    )
    return calls


def _form_data(admin_client, contributor):
    url = reverse("admin:experts_contributor_change", args=[contributor.pk])
    form = admin_client.get(url).context["adminform"].form
    return url, form, {name: form[name].value() or "" for name in form.fields}


def test_the_admin_form_cannot_verify_a_contributor(admin_client):
    # given
    contributor = ContributorFactory(is_verified=False, verified_at=None)
    url, form, data = _form_data(admin_client, contributor)

    # when: a forged post ticks the box anyway
    response = admin_client.post(url, {**data, "is_verified": "on"})

    # then
    assert response.status_code == 302
    contributor.refresh_from_db()
    assert (contributor.is_verified, contributor.verified_at) == (False, None)
    assert "is_verified" not in form.fields
    assert not LogEntry.objects.filter(action="expert.verified").exists()


@pytest.mark.parametrize(
    ("action", "before", "after", "code"),
    [
        ("verify", False, True, "expert.verified"),
        ("withdraw_verification", True, False, "expert.verification_withdrawn"),
    ],
)
def test_an_admin_decision_on_verification_is_audited_and_reaches_search(
    admin_client,
    admin_user,
    indexed,
    django_capture_on_commit_callbacks,
    action,
    before,
    after,
    code,
):
    # given
    contributor = ContributorFactory(is_verified=before)
    answer = AnswerFactory(contributor=contributor)
    changelist = reverse("admin:experts_contributor_changelist")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            changelist, {"action": action, "_selected_action": [contributor.pk]}
        )

    # then
    assert response.status_code == 302
    contributor.refresh_from_db()
    assert contributor.is_verified is after
    assert (contributor.verified_at is not None) is after
    entry = LogEntry.objects.get(action=code)
    assert (entry.actor, entry.object_id) == (admin_user, str(contributor.pk))
    assert (entry.before, entry.after) == (
        {"is_verified": before},
        {"is_verified": after},
    )
    assert indexed == [[answer.pk]]


def test_renaming_a_contributor_in_the_admin_is_audited_and_reaches_search(
    admin_client, admin_user, indexed, django_capture_on_commit_callbacks
):
    # given
    contributor = ContributorFactory(name="Ana Ruiz")
    answer = AnswerFactory(contributor=contributor)
    url, _, data = _form_data(admin_client, contributor)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {**data, "name": "Ana Ruiz-Medina"})

    # then
    assert response.status_code == 302
    assert Contributor.objects.get(pk=contributor.pk).name == "Ana Ruiz-Medina"
    entry = LogEntry.objects.get(action="contributor.changed")
    assert (entry.actor, entry.data, entry.after) == (
        admin_user,
        {"fields": ["name"]},
        {"name": "Ana Ruiz-Medina"},
    )
    assert indexed == [[answer.pk]]


def test_an_editor_cannot_verify_their_own_profile(editor):
    # given
    own = ContributorFactory(user=editor, is_verified=False, verified_at=None)

    # when
    with pytest.raises(PermissionDenied):
        actions.verify_contributor(editor, own)

    # then
    own.refresh_from_db()
    assert own.is_verified is False
    assert not LogEntry.objects.filter(action="expert.verified").exists()
