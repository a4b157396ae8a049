from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from askwell.experts.models import (
    Book,
    Contributor,
    CredentialApplication,
    Membership,
    Video,
)


class ContributorFactory(factory.django.DjangoModelFactory):
    """A verified person; use OrganizationFactory for an organization."""

    class Meta:
        model = Contributor

    kind = Contributor.Kind.PERSON
    name = factory.Sequence(lambda n: f"Expert {n}")
    slug = factory.Sequence(lambda n: f"expert-{n}")
    credentials = "MD"
    specialty = "Neurology"
    bio = "Sees patients in a city clinic."
    is_verified = True
    verified_at = factory.LazyFunction(timezone.now)


class OrganizationFactory(ContributorFactory):
    kind = Contributor.Kind.ORGANIZATION
    name = factory.Sequence(lambda n: f"Health Society {n}")
    slug = factory.Sequence(lambda n: f"society-{n}")
    credentials = ""
    specialty = ""
    website = "https://society.example.org"


class BookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Book

    title = factory.Sequence(lambda n: f"A Book on Health, Volume {n}")
    slug = factory.Sequence(lambda n: f"book-{n}")
    description = "A plain-language guide."
    link = "https://books.example.org/guide"


class VideoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Video
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Video {n}")
    slug = factory.Sequence(lambda n: f"video-{n}")
    presenter = factory.SubFactory(ContributorFactory)
    duration = timedelta(minutes=6, seconds=5)
    transcript = "Hello and welcome."

    @factory.post_generation
    def topics(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.topics.set(extracted)


class CredentialApplicationFactory(factory.django.DjangoModelFactory):
    """A pending application from a fresh reader."""

    class Meta:
        model = CredentialApplication

    applicant = factory.SubFactory("askwell.accounts.tests.factories.UserFactory")
    full_name = factory.Sequence(lambda n: f"Dana Applicant {n}")
    credentials = "RN"
    degree = "Bachelor of Science in Nursing"
    licence_number = factory.Sequence(lambda n: f"RN-{100000 + n}")
    licence_issuer = "Nursing and Midwifery Council"
    specialty = "Diabetes care"
    evidence_url = "https://register.example.org/rn/100000"


class MembershipFactory(factory.django.DjangoModelFactory):
    """An accepted membership: `user` posts as `organization` (an invitation
    is a Membership with status INVITED)."""

    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory("askwell.accounts.tests.factories.UserFactory")
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE
    joined_at = factory.LazyFunction(timezone.now)
