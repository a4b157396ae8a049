"""The audit log: entries record who, what, which object and when, mask
secrets, and can never be changed or deleted."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from askwell.accounts.tests.factories import EditorFactory
from askwell.audit import log_action
from askwell.audit.models import LogEntry
from askwell.questions.tests.factories import AnswerFactory

pytestmark = pytest.mark.django_db


def test_an_entry_records_actor_action_object_and_states():
    # given
    editor = EditorFactory()
    answer = AnswerFactory()

    # when
    entry = log_action(
        answer,
        "answer.hidden",
        editor,
        {"reason": "Spam", "token": "abc123"},
        before={"status": "published"},
        after={"status": "hidden"},
    )

    # then
    entry.refresh_from_db()
    assert (entry.actor, entry.action, entry.object_id) == (
        editor,
        "answer.hidden",
        str(answer.pk),
    )
    assert entry.object_repr == str(answer)
    assert (entry.before, entry.after) == (
        {"status": "published"},
        {"status": "hidden"},
    )
    assert entry.data == {"reason": "Spam", "token": "•••"}
    assert list(LogEntry.objects.for_object(answer)) == [entry]


def test_system_actions_have_no_actor():
    entry = log_action(None, "import.finished", AnonymousUser(), {"records": 3})

    assert (entry.actor, entry.object_repr, entry.content_type) == (None, "", None)


def test_entries_are_never_changed_or_deleted():
    entry = log_action(AnswerFactory(), "answer.approved", EditorFactory())

    entry.action = "answer.rejected"
    with pytest.raises(ValueError, match="never changed"):
        entry.save()
    with pytest.raises(ValueError, match="never deleted"):
        entry.delete()

    assert LogEntry.objects.get().action == "answer.approved"


def test_editorial_actions_write_entries():
    """Restoring a revision and verifying an expert are audited."""
    from askwell.accounts.tests.factories import UserFactory
    from askwell.experts.actions import apply_for_verification, approve_application
    from askwell.experts.models import CredentialApplication
    from askwell.questions import actions
    from askwell.questions.models import Revision

    # given
    editor = EditorFactory()
    answer = AnswerFactory()
    Revision.objects.create(
        question=answer.question, answer=answer, number=1, body="Old."
    )
    applicant = UserFactory()
    apply_for_verification(
        applicant,
        full_name="Ana Applicant",
        credentials="RN",
        degree="BSN",
        licence_number="RN-1",
        licence_issuer="Board",
        specialty="Neurology",
        evidence_url="https://example.org/rn",
    )

    # when
    actions.restore_revision(editor, Revision.objects.get(), reason="Back")
    other_editor = EditorFactory()
    approve_application(other_editor, CredentialApplication.objects.get())

    # then
    assert list(LogEntry.objects.order_by("pk").values_list("action", "actor")) == [
        ("revision.restored", editor.pk),
        ("expert.verified", other_editor.pk),
    ]


def test_granting_a_role_in_the_admin_is_audited(admin_client, admin_user):
    """Adding someone to the Editors group through the admin leaves an entry."""
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from askwell.accounts.tests.factories import UserFactory

    # given
    user = UserFactory(username="soon-editor")
    editors, _ = Group.objects.get_or_create(name="Editors")
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None
    }
    data["groups"] = [editors.pk]
    data.pop("password", None)
    data["last_login_0"] = data["last_login_1"] = ""
    data["date_joined_0"] = user.date_joined.strftime("%Y-%m-%d")
    data["date_joined_1"] = user.date_joined.strftime("%H:%M:%S")

    # when
    response = admin_client.post(url, data)

    # then
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get(action="user.roles_changed")
    assert entry.actor == admin_user
    assert (entry.before["groups"], entry.after["groups"]) == ([], ["Editors"])
