from __future__ import annotations

import re

import pytest

from askwell.accounts.tests.factories import UserFactory
from askwell.experts.models import CredentialApplication
from askwell.experts.tests.factories import (
    ContributorFactory,
    CredentialApplicationFactory,
)

pytestmark = pytest.mark.django_db

FIELDS = {
    "full_name": "Dana Okafor",
    "credentials": "RN",
    "degree": "Bachelor of Science in Nursing",
    "licence_number": "12A3456B",
    "licence_issuer": "Nursing and Midwifery Council",
    "specialty": "Diabetes care",
    "evidence_url": "https://register.example.org/12A3456B",
}


def test_a_reader_applies_to_become_a_verified_expert(client):
    # given
    reader = UserFactory()
    client.force_login(reader)

    # when
    response = client.post("/experts/apply/", FIELDS)

    # then
    assert response.status_code == 302
    assert response.url == "/experts/apply/"
    application = CredentialApplication.objects.get()
    assert application.applicant == reader
    assert application.status == CredentialApplication.Status.PENDING
    assert {name: getattr(application, name) for name in FIELDS} == FIELDS
    assert application.decided_by is None
    assert application.decided_at is None
    html = client.get(response.url).content.decode()
    assert "An editor will check your credentials" in html
    assert '<span class="status status--pending">Pending</span>' in html
    assert 'action="/experts/apply/"' not in html  # no second form while pending


def test_one_application_waits_at_a_time(client):
    # given
    earlier = CredentialApplicationFactory()
    client.force_login(earlier.applicant)

    # when
    response = client.post("/experts/apply/", FIELDS)

    # then
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "You already have an application waiting for an editor."
    ]
    assert CredentialApplication.objects.get() == earlier


def test_a_rejected_applicant_may_apply_again(client):
    # given
    rejected = CredentialApplicationFactory(
        status=CredentialApplication.Status.REJECTED, reason="Licence not found."
    )
    client.force_login(rejected.applicant)

    # when
    page = client.get("/experts/apply/").content.decode()
    response = client.post("/experts/apply/", FIELDS)

    # then
    assert "Licence not found." in page
    assert response.status_code == 302
    assert CredentialApplication.objects.pending().get().full_name == "Dana Okafor"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("full_name", "", "required"),
        ("licence_number", "", "required"),
        ("evidence_url", "not a link", "invalid"),
        ("evidence_url", "ftp://register.example.org/1", "not_web"),
    ],
)
def test_the_application_form_explains_what_is_wrong(client, field, value, code):
    # given
    client.force_login(UserFactory())

    # when
    response = client.post("/experts/apply/", FIELDS | {field: value})

    # then
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()[field]] == [code]
    html = response.content.decode()
    (tag,) = re.findall(rf'<input[^>]*id="id_{field}"[^>]*>', html)
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error"', tag)
    assert 'aria-invalid="true"' in tag
    assert f'<ul class="errorlist" id="id_{field}_error">' in html
    assert not CredentialApplication.objects.exists()


def test_applying_needs_a_sign_in(client):
    # given / when
    response = client.post("/experts/apply/", FIELDS)

    # then
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/experts/apply/"
    assert not CredentialApplication.objects.exists()


def test_a_verified_expert_sees_their_verification(client):
    # given
    reader = UserFactory()
    ContributorFactory(user=reader, name="Sam Roe", credentials="MD")
    client.force_login(reader)

    # when
    html = client.get("/experts/apply/").content.decode()

    # then
    assert "You are verified" in html
    assert "Sam Roe, MD" in html
