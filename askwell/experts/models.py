from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from askwell.core.models import Importable, Timestamped, importable_constraint
from askwell.lib import avatars
from askwell.lib.markdown import render_markdown

if TYPE_CHECKING:
    from datetime import datetime

    from django.db.models.expressions import Combinable

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
        help_text="A person's short bio, or what the organization does, in "
        "Markdown (*emphasis*, **bold**, [links](https://…)).",
    )
    bio_html = models.TextField(
        blank=True,
        editable=False,
        help_text="The bio rendered from its Markdown and sanitised "
        "(askwell/lib/markdown.py) whenever it is saved.",
    )
    photo = models.ImageField(
        upload_to="contributors/",
        blank=True,
        help_text="A person's photo or an organization's logo, stored as a "
        "256 × 256 WebP without metadata (askwell/experts/photos.py).",
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

    objects = ContributorQuerySet.as_manager()

    # Not a column: the answers a topic page counts (questions/browse.py).
    topic_answers: int

    class Meta:
        ordering = ["name"]
        constraints = [importable_constraint("contributor")]

    def __str__(self) -> str:
        return self.signature

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Render the bio's Markdown into bio_html, with it in update_fields."""
        self.render_bio()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "bio" in update_fields:
            kwargs["update_fields"] = {*update_fields, "bio_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("experts:contributor", kwargs={"slug": self.slug})

    def render_bio(self) -> set[str]:
        """Render `bio` into `bio_html`, as answers are rendered: on save,
        and by imports, whose bulk writes skip save(). Returns the field set."""
        self.bio_html = render_markdown(self.bio)
        return {"bio_html"}

    @property
    def is_organization(self) -> bool:
        return self.kind == self.Kind.ORGANIZATION

    @property
    def signature(self) -> str:
        """The name as an answer is signed: "Jane Doe, RN"."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def initials(self) -> str:
        """What the avatar shows without a photo: "Dr. Erin Walsh" → "EW"."""
        return avatars.initials(self.name, organization=self.is_organization)

    @property
    def avatar_colour(self) -> int:
        """The initials' background, one of site.css's `.avatar--colour-N`."""
        return avatars.colour(self.name)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        """Members who may post as the organization now."""
        return self.filter(status=Membership.Status.ACTIVE)

    def invited(self) -> MembershipQuerySet:
        """Invitations waiting for the invitee's answer."""
        return self.filter(status=Membership.Status.INVITED)

    def open(self) -> MembershipQuerySet:
        """Invitations waiting and memberships running: at most one per
        organization and account."""
        return self.filter(
            status__in=[Membership.Status.INVITED, Membership.Status.ACTIVE]
        )

    def during(self, moment: datetime | Combinable) -> MembershipQuerySet:
        """Memberships that were running at `moment`, a datetime or an
        expression such as OuterRef("created_at"): joined by then, and not
        yet left."""
        return self.filter(joined_at__lte=moment).filter(
            Q(left_at__isnull=True) | Q(left_at__gt=moment)
        )


class Membership(Timestamped):
    """One account's membership of an organization, from invitation to end.

    Membership is by consent on both sides: an administrator of the
    organization, or an editor, invites an account (INVITED), and only when
    the invitee accepts (ACTIVE, from `joined_at`) may they post as the
    organization. Ending a membership (leaving, removal) or an invitation
    (declining, withdrawing) changes the row's status and never deletes
    it, so who was a member when stays known: medical review relies on it
    (nobody reviews an answer signed by an organization they belonged to
    when it was written), and so does the audit trail.
    """

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        ADMIN = "admin", "Administrator"

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACTIVE = "active", "Member"
        DECLINED = "declined", "Declined the invitation"
        WITHDRAWN = "withdrawn", "Invitation withdrawn"
        ENDED = "ended", "Left or removed"

    organization = models.ForeignKey(
        Contributor,
        on_delete=models.CASCADE,
        related_name="memberships",
        limit_choices_to={"kind": Contributor.Kind.ORGANIZATION},
        # The (organization, user) index below starts with the organization.
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        # The (user, status) index below starts with the user.
        db_index=False,
    )
    role = models.CharField(
        max_length=16,
        choices=Role.choices,
        default=Role.MEMBER,
        help_text="Administrators invite and remove members; members post.",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The administrator or editor who invited the member.",
    )
    joined_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the invitee accepted: from then on they post as the "
        "organization.",
    )
    left_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the member left or was removed.",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "-created_at", "-pk"]
        indexes = [
            # Whom a user posts as (experts.roles.posting_contributors, on
            # every page an expert opens).
            models.Index(fields=["user", "status"], name="experts_membership_user_idx"),
            # The members page, and medical review's "member when it was
            # written" check, which reads ended memberships too.
            models.Index(
                fields=["organization", "user"], name="experts_membership_org_idx"
            ),
        ]
        constraints = [
            # One invitation or running membership per account and
            # organization; ended ones stay as history.
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=Q(status__in=["invited", "active"]),
                name="experts_membership_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization.name} ({self.get_status_display()})"

    @property
    def is_admin(self) -> bool:
        return self.status == self.Status.ACTIVE and self.role == self.Role.ADMIN


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
