"""JSON-LD on contributor profiles: a ProfilePage about a Person or an
Organization, with only what the profile shows."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from askwell.experts.models import CredentialApplication
from askwell.experts.tests.factories import (
    ContributorFactory,
    CredentialApplicationFactory,
    OrganizationFactory,
)
from askwell.testing.pages import json_ld

pytestmark = pytest.mark.django_db

SITE = "https://askwell.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.ASKWELL_SITE_URL = SITE


def png(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _profile(client, contributor) -> dict:
    response = client.get(contributor.get_absolute_url())
    assert response.status_code == 200
    (data,) = json_ld(response.content.decode())
    return data


def test_a_physician_is_a_person_with_credentials_and_occupation(client):
    # given: a verified doctor whose application (licence number and all)
    # stays private
    doctor = ContributorFactory(
        name="Samuel Okafor",
        slug="samuel-okafor",
        credentials="MD",
        specialty="Neurology",
        bio="Sees people with MS in Leeds.",
        website="https://okafor.example.org",
        photo=png("okafor.png"),
    )
    CredentialApplicationFactory(
        contributor=doctor,
        licence_number="GMC-7654321",
        status=CredentialApplication.Status.APPROVED,
    )

    # when
    data = _profile(client, doctor)

    # then
    assert data == {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": f"{SITE}/contributors/samuel-okafor/",
        "mainEntity": {
            "@type": "Person",
            "name": "Samuel Okafor",
            "url": f"{SITE}/contributors/samuel-okafor/",
            "image": f"{SITE}{doctor.photo.url}",
            "honorificSuffix": "MD",
            "hasCredential": [
                {"@type": "EducationalOccupationalCredential", "name": "MD"}
            ],
            "jobTitle": "Neurology",
            "knowsAbout": "Neurology",
            "hasOccupation": {"@type": "Occupation", "name": "Physician"},
            "description": "Sees people with MS in Leeds.",
            "sameAs": ["https://okafor.example.org"],
        },
    }
    assert "GMC-7654321" not in json.dumps(data)


@pytest.mark.parametrize(
    ("credentials", "physician"),
    [
        ("M.D.", True),
        ("MBBS, FRCP", True),
        ("DO", True),
        ("RN", False),
        ("PharmD", False),
    ],
)
def test_physician_degrees_are_recognised(client, credentials, physician):
    person = ContributorFactory(credentials=credentials)

    entity = _profile(client, person)["mainEntity"]

    assert ("hasOccupation" in entity) is physician


def test_an_organization_is_an_organization_with_its_logo(client):
    society = OrganizationFactory(
        name="Northfield MS Society",
        slug="northfield",
        bio="Support for people with MS.",
        website="https://northfield.example.org",
        photo=png("northfield.png"),
    )

    entity = _profile(client, society)["mainEntity"]

    assert entity == {
        "@type": "Organization",
        "name": "Northfield MS Society",
        "url": f"{SITE}/contributors/northfield/",
        "logo": f"{SITE}{society.photo.url}",
        "description": "Support for people with MS.",
        "sameAs": ["https://northfield.example.org"],
    }


def test_a_person_without_credentials_has_none_listed(client):
    person = ContributorFactory(credentials="", specialty="", bio="", website="")

    entity = _profile(client, person)["mainEntity"]

    assert set(entity) == {"@type", "name", "url"}
