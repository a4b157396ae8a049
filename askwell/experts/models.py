from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse

from askwell.core.models import Importable, Timestamped, importable_constraint

if TYPE_CHECKING:
    from askwell.accounts.models import User


class ContributorQuerySet(models.QuerySet["Contributor"]):
    def people(self) -> ContributorQuerySet:
        return self.filter(kind=Contributor.Kind.PERSON)

    def organizations(self) -> ContributorQuerySet:
        return self.filter(kind=Contributor.Kind.ORGANIZATION)


class Contributor(Importable, Timestamped):
    """Whoever signs an answer: a person with credentials, or an organization.

    One model serves both kinds so that one profile page and one answer list
    work for either; fields that only make sense for one kind stay blank for
    the other.
    """

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANIZATION = "organization", "Organization"

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(
        max_length=200,
        help_text="A person's display name, or the organization's name.",
    )
    slug = models.SlugField(max_length=220, unique=True)
    credentials = models.CharField(
        max_length=100,
        blank=True,
        help_text="Degrees and licences as shown after the name, e.g. 'MD, PhD' or 'RN'.",
    )
    specialty = models.CharField(max_length=120, blank=True)
    bio = models.TextField(
        blank=True,
        verbose_name="bio or description",
        help_text="A person's short bio, or what the organization does.",
    )
    photo = models.ImageField(
        upload_to="contributors/",
        blank=True,
        help_text="A person's photo or an organization's logo.",
    )
    website = models.URLField(blank=True)
    is_verified = models.BooleanField(
        default=False,
        verbose_name="verified",
        help_text="An editor has checked this contributor's credentials or identity.",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributor",
        help_text="The account that posts as this person, if any.",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organizations",
        help_text="For an organization: the accounts that may post as it.",
    )

    objects = ContributorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [importable_constraint("contributor")]

    def __str__(self) -> str:
        return self.signature

    def get_absolute_url(self) -> str:
        return reverse("experts:contributor", kwargs={"slug": self.slug})

    @property
    def is_organization(self) -> bool:
        return self.kind == self.Kind.ORGANIZATION

    @property
    def signature(self) -> str:
        """The name as an answer is signed: "Jane Doe, RN"."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class Book(Importable, Timestamped):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=320, unique=True)
    authors = models.ManyToManyField(Contributor, related_name="books", blank=True)
    description = models.TextField(blank=True)
    cover = models.ImageField(upload_to="books/", blank=True)
    link = models.URLField(
        blank=True,
        help_text="The publisher's or a store's page for the book.",
    )
    published_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [importable_constraint("book")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("experts:book", kwargs={"slug": self.slug})


class Video(Importable, Timestamped):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=320, unique=True)
    presenter = models.ForeignKey(
        Contributor,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="videos",
    )
    topics = models.ManyToManyField("topics.Topic", related_name="videos", blank=True)
    description = models.TextField(blank=True)
    duration = models.DurationField(null=True, blank=True)
    media_url = models.URLField(blank=True, verbose_name="media URL")
    transcript = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [importable_constraint("video")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("experts:video", kwargs={"slug": self.slug})

    @property
    def duration_label(self) -> str:
        if self.duration is None:
            return ""
        minutes, seconds = divmod(int(self.duration.total_seconds()), 60)
        return f"{minutes}:{seconds:02d}"


class CredentialApplicationQuerySet(models.QuerySet["CredentialApplication"]):
    def pending(self) -> CredentialApplicationQuerySet:
        return self.filter(status=CredentialApplication.Status.PENDING)

    def review_queue(self) -> CredentialApplicationQuerySet:
        """Pending applications, oldest first, with the applicant loaded."""
        return self.pending().select_related("applicant").order_by("created_at", "pk")

    def latest_for(self, user: User) -> CredentialApplication | None:
        return self.filter(applicant=user).order_by("-created_at", "-pk").first()


class CredentialApplication(Timestamped):
    """A reader's request to be shown as a verified expert.

    An editor checks the licence against the issuing body's register and the
    evidence link, then approves (which verifies the applicant's person
    contributor) or rejects with a reason the applicant is told.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="credential_applications",
    )
    full_name = models.CharField(
        max_length=200, help_text="Your name as it appears on your licence."
    )
    credentials = models.CharField(
        max_length=100,
        help_text="Shown after your name, e.g. 'MD', 'RN' or 'MD, PhD'.",
    )
    degree = models.CharField(
        max_length=200,
        help_text="Your highest relevant degree, e.g. 'Doctor of Medicine'.",
    )
    licence_number = models.CharField(max_length=100)
    licence_issuer = models.CharField(
        max_length=200,
        verbose_name="issuing body",
        help_text="The board or register that issued the licence, e.g. 'General Medical Council'.",
    )
    specialty = models.CharField(max_length=120)
    evidence_url = models.URLField(
        max_length=500,
        verbose_name="evidence link",
        help_text="A public page that confirms your licence, such as the register's entry for you.",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(
        blank=True, help_text="Why the application was rejected; the applicant sees it."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The editor who approved or rejected the application.",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    contributor = models.ForeignKey(
        Contributor,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        help_text="The person contributor the approval verified.",
    )

    objects = CredentialApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The editors' queue: pending applications, oldest first.
            models.Index(
                fields=["status", "created_at"], name="experts_application_queue_idx"
            ),
        ]
        constraints = [
            # One application waits at a time; the applicant may apply again
            # once it is decided.
            models.UniqueConstraint(
                fields=["applicant"],
                condition=models.Q(status="pending"),
                name="experts_application_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.credentials} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def signature(self) -> str:
        return f"{self.full_name}, {self.credentials}"
