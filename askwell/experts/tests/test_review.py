from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts import actions, roles
from askwell.experts.models import Contributor, CredentialApplication
from askwell.experts.tests.factories import (
    ContributorFactory,
    CredentialApplicationFactory,
)
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


def _snapshot(application):
    application.refresh_from_db()
    return (
        application.status,
        application.reason,
        application.decided_by_id,
        application.decided_at,
        Contributor.objects.count(),
    )


def test_the_queue_lists_pending_applications_oldest_first(client):
    # given
    now = timezone.now()
    newer = CredentialApplicationFactory(full_name="Newer Nurse", created_at=now)
    older = CredentialApplicationFactory(
        full_name="Older Doctor", created_at=now - timedelta(days=3)
    )
    CredentialApplicationFactory(
        full_name="Decided Already", status=CredentialApplication.Status.APPROVED
    )
    client.force_login(EditorFactory())

    # when
    response = client.get("/experts/applications/")

    # then
    assert list(response.context["page"].object_list) == [older, newer]
    html = response.content.decode()
    assert html.index("Older Doctor") < html.index("Newer Nurse")
    assert "Decided Already" not in html


def test_the_queue_costs_the_same_queries_for_any_length(client):
    """One query loads the page of applications with their applicants; the
    rest (session, user, editor group, paginator count, and whatever the
    page header needs) do not grow with the queue."""
    # given
    client.force_login(EditorFactory())
    CredentialApplicationFactory()
    with CaptureQueriesContext(connection) as short_queue:
        client.get("/experts/applications/")
    CredentialApplicationFactory.create_batch(5)

    # when
    with CaptureQueriesContext(connection) as long_queue:
        response = client.get("/experts/applications/")

    # then
    assert len(response.context["page"].object_list) == 6
    assert len(long_queue) == len(short_queue)
    (page_query,) = [
        q["sql"]
        for q in long_queue
        if "experts_credentialapplication" in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert "accounts_user" in page_query  # applicants joined, not fetched one by one


def test_readers_cannot_see_the_queue(client):
    # given
    CredentialApplicationFactory(full_name="Private Person")
    client.force_login(UserFactory())

    # when
    response = client.get("/experts/applications/")

    # then
    assert response.status_code == 403
    html = response.content.decode()
    assert "Only editors can review expert applications." in html
    assert "Private Person" not in html


def test_anonymous_visitors_are_sent_to_sign_in(client):
    # given / when
    response = client.get("/experts/applications/")

    # then
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/experts/applications/"


def test_approving_creates_a_verified_contributor_mails_and_reindexes(
    client, mailoutbox, django_capture_on_commit_callbacks, indexed
):
    # given
    editor = EditorFactory()
    application = CredentialApplicationFactory(
        full_name="Dana Okafor", credentials="RN", specialty="Diabetes care"
    )
    client.force_login(editor)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/experts/applications/{application.pk}/approve/")

    # then
    assert response.status_code == 302
    assert response.url == "/experts/applications/"
    application.refresh_from_db()
    contributor = Contributor.objects.get(user=application.applicant)
    assert application.status == CredentialApplication.Status.APPROVED
    assert application.decided_by == editor
    assert application.decided_at is not None
    assert application.contributor == contributor
    assert contributor.kind == Contributor.Kind.PERSON
    assert contributor.name == "Dana Okafor"
    assert contributor.slug == "dana-okafor"
    assert contributor.credentials == "RN"
    assert contributor.specialty == "Diabetes care"
    assert contributor.is_verified is True
    assert contributor.verified_at == application.decided_at
    assert roles.is_expert(application.applicant)
    assert [m.to for m in mailoutbox] == [[application.applicant.email]]
    assert mailoutbox[0].subject == "You are a verified expert on Askwell"
    assert "http://testserver/contributors/dana-okafor/" in mailoutbox[0].body
    assert indexed == []  # no answers yet: nothing to reindex


def test_approving_updates_an_existing_profile_and_reindexes_its_answers(
    mailoutbox, django_capture_on_commit_callbacks, indexed
):
    # given
    editor = EditorFactory()
    reader = UserFactory()
    profile = ContributorFactory(
        user=reader,
        name="D. Okafor",
        slug="d-okafor",
        credentials="",
        is_verified=False,
        verified_at=None,
    )
    answers = AnswerFactory.create_batch(2, contributor=profile)
    AnswerFactory()  # someone else's
    application = CredentialApplicationFactory(
        applicant=reader, full_name="Dana Okafor", credentials="RN, MSc"
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve_application(editor, application)

    # then
    profile.refresh_from_db()
    assert Contributor.objects.filter(user=reader).get() == profile
    assert profile.slug == "d-okafor"  # links to the profile keep working
    assert profile.signature == "Dana Okafor, RN, MSc"
    assert profile.is_verified is True
    assert indexed == [sorted(a.pk for a in answers)]
    assert len(mailoutbox) == 1


def test_a_second_person_of_the_same_name_gets_a_distinct_slug():
    # given
    ContributorFactory(name="Dana Okafor", slug="dana-okafor")
    application = CredentialApplicationFactory(full_name="Dana Okafor")

    # when
    actions.approve_application(EditorFactory(), application)

    # then
    assert Contributor.objects.get(user=application.applicant).slug == "dana-okafor-2"


def test_the_profile_shows_the_verification_date(client):
    # given
    application = CredentialApplicationFactory(full_name="Dana Okafor")
    actions.approve_application(EditorFactory(), application)
    contributor = Contributor.objects.get(user=application.applicant)
    contributor.verified_at = datetime(2026, 3, 5, 12, tzinfo=UTC)
    contributor.save(update_fields=["verified_at"])

    # when
    html = client.get("/contributors/dana-okafor/").content.decode()

    # then
    assert (
        'Verified on <time datetime="2026-03-05T12:00:00+00:00">5 March 2026</time>'
        in html
    )


def test_rejecting_records_the_reason_and_mails_it(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    editor = EditorFactory()
    application = CredentialApplicationFactory()
    client.force_login(editor)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/experts/applications/{application.pk}/reject/",
            {"reason": "  The register has no licence with this number.  "},
        )

    # then
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == CredentialApplication.Status.REJECTED
    assert application.reason == "The register has no licence with this number."
    assert application.decided_by == editor
    assert application.decided_at is not None
    assert not Contributor.objects.filter(user=application.applicant).exists()
    assert [m.to for m in mailoutbox] == [[application.applicant.email]]
    assert "The register has no licence with this number." in mailoutbox[0].body
    assert "http://testserver/experts/apply/" in mailoutbox[0].body


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_needs_a_reason(
    client, mailoutbox, django_capture_on_commit_callbacks, reason
):
    # given
    application = CredentialApplicationFactory()
    before = _snapshot(application)
    client.force_login(EditorFactory())

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/experts/applications/{application.pk}/reject/", {"reason": reason}
        )

    # then
    assert response.status_code == 400
    assert "Give the applicant a reason for the rejection." in response.content.decode()
    assert _snapshot(application) == before
    assert mailoutbox == []


def test_the_reject_action_itself_needs_a_reason():
    # given
    application = CredentialApplicationFactory()

    # when / then
    with pytest.raises(ValidationError) as raised:
        actions.reject_application(EditorFactory(), application, reason=" ")
    assert raised.value.code == "reason_required"


@pytest.mark.parametrize("decision", ["approve", "reject"])
@pytest.mark.parametrize("who", ["reader", "verified expert"])
def test_non_editors_cannot_decide(
    client, mailoutbox, django_capture_on_commit_callbacks, indexed, decision, who
):
    # given
    user = UserFactory()
    if who == "verified expert":
        ContributorFactory(user=user)
    application = CredentialApplicationFactory()
    before = _snapshot(application)
    client.force_login(user)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/experts/applications/{application.pk}/{decision}/",
            {"reason": "Not good enough."},
        )

    # then
    assert response.status_code == 403
    assert "Only editors can review expert applications." in response.content.decode()
    assert _snapshot(application) == before
    assert mailoutbox == []
    assert indexed == []


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_anonymous_visitors_cannot_decide(client, mailoutbox, decision):
    # given
    application = CredentialApplicationFactory()
    before = _snapshot(application)

    # when
    response = client.post(
        f"/experts/applications/{application.pk}/{decision}/", {"reason": "No."}
    )

    # then
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert _snapshot(application) == before
    assert mailoutbox == []


def test_the_actions_refuse_non_editors_too():
    # given
    application = CredentialApplicationFactory()
    before = _snapshot(application)

    # when / then
    with pytest.raises(PermissionDenied):
        actions.approve_application(UserFactory(), application)
    with pytest.raises(PermissionDenied):
        actions.reject_application(UserFactory(), application, reason="No.")
    assert _snapshot(application) == before


def test_an_editor_cannot_decide_their_own_application(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    editor = EditorFactory()
    application = CredentialApplicationFactory(applicant=editor)
    before = _snapshot(application)
    client.force_login(editor)

    # when
    page = client.get(f"/experts/applications/{application.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/experts/applications/{application.pk}/approve/")

    # then
    assert "Another editor must decide on your own application." in page
    assert 'action="/experts/applications/' not in page
    assert response.status_code == 403
    assert _snapshot(application) == before
    assert mailoutbox == []


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_decided_application_stays_decided(
    client, mailoutbox, django_capture_on_commit_callbacks, decision
):
    # given
    application = CredentialApplicationFactory()
    actions.reject_application(EditorFactory(), application, reason="Not found.")
    before = _snapshot(application)
    client.force_login(EditorFactory())

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/experts/applications/{application.pk}/{decision}/",
            {"reason": "Changed my mind."},
        )

    # then
    assert response.status_code in (302, 400)
    assert _snapshot(application) == before
    assert mailoutbox == []
    with pytest.raises(ValidationError) as raised:
        actions.approve_application(EditorFactory(), application)
    assert raised.value.code == "decided"


def test_the_application_page_shows_everything_the_editor_must_check(client):
    # given
    application = CredentialApplicationFactory(
        full_name="Dana Okafor",
        licence_number="12A3456B",
        licence_issuer="Nursing and Midwifery Council",
        evidence_url="https://register.example.org/12A3456B",
    )
    client.force_login(EditorFactory())

    # when
    html = client.get(f"/experts/applications/{application.pk}/").content.decode()

    # then
    assert "<h1>Dana Okafor, RN</h1>" in html
    assert "12A3456B" in html
    assert "Nursing and Midwifery Council" in html
    assert 'href="https://register.example.org/12A3456B"' in html
    assert f'action="/experts/applications/{application.pk}/approve/"' in html
    assert f'action="/experts/applications/{application.pk}/reject/"' in html
    assert '<label for="id_reason">Reason for rejecting</label>' in html
