"""Notifications, the reader's preferences for them, and what a reader follows or saves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from askwell.accounts.models import User
from askwell.accounts.roles import is_reader

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from askwell.questions.models import Question
    from askwell.topics.models import Topic


class Kind(models.TextChoices):
    """What happened. Each kind can be switched off in-app and by email."""

    ANSWER_POSTED = "answer_posted", "New answers"
    COMMENT_POSTED = "comment_posted", "New comments"
    QUESTION_IN_FOLLOWED_TOPIC = (
        "question_in_followed_topic",
        "New questions in topics you follow",
    )
    FOLLOWED_QUESTION_CHANGED = (
        "followed_question_changed",
        "Changes to questions you follow",
    )
    ANSWER_EDITED = "answer_edited", "Edits of your answers by someone else"
    REVIEW_DECISION = "review_decision", "Medical review decisions on your answers"


# Kinds told on the site only, each with what the preferences page says of
# its email: their sender mails them itself, always. The review app mails
# each decision to the answer's author with the reviewer's note in full
# (review/actions.py), so a notification of it is never emailed again, and
# the reader has no email choice for it.
IN_APP_ONLY: dict[str, str] = {
    Kind.REVIEW_DECISION: "Always: the reviewer’s decision and note are mailed to you",
}


class NotificationQuerySet(models.QuerySet["Notification"]):
    def inbox(self, user: User) -> NotificationQuerySet:
        """What `user` sees in their inbox, newest first."""
        return self.filter(recipient=user, in_app=True).order_by("-created_at", "-pk")

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        # The inbox index below starts with the recipient.
        db_index=False,
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who did what the notification is about, if a person did.",
    )
    question = models.ForeignKey(
        "questions.Question",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    url = models.CharField(
        max_length=500,
        verbose_name="URL",
        help_text="Where opening the notification leads: a path on this site.",
    )
    text = models.CharField(
        max_length=400, help_text="One line of plain text, shown as is."
    )
    in_app = models.BooleanField(
        default=True,
        verbose_name="shown in the inbox",
        help_text=(
            "Off when the recipient wanted this kind by email only: the row "
            "then exists for the email digest."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it went out by email, on its own or in a digest.",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The inbox: a user's notifications, newest first.
            models.Index(
                fields=["recipient", "in_app", "-created_at"],
                name="notification_inbox_idx",
            ),
            # The header badge counts a user's unread notifications; only
            # unread rows are indexed, so the index stays small.
            models.Index(
                fields=["recipient", "in_app", "-created_at"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            # The daily digest looks for notifications not yet emailed.
            models.Index(
                fields=["recipient", "created_at"],
                condition=models.Q(emailed_at__isnull=True),
                name="notification_unemailed_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """One reader's choices; a reader without a row has the defaults (all on,
    email immediately). The row is created the first time they change one."""

    class EmailFrequency(models.TextChoices):
        IMMEDIATELY = "immediately", "As it happens"
        DAILY = "daily", "Once a day, in a digest"
        NEVER = "never", "Never"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    answer_posted_in_app = models.BooleanField(
        default=True, verbose_name="new answers, on the site"
    )
    answer_posted_email = models.BooleanField(
        default=True, verbose_name="new answers, by email"
    )
    comment_posted_in_app = models.BooleanField(
        default=True, verbose_name="new comments, on the site"
    )
    comment_posted_email = models.BooleanField(
        default=True, verbose_name="new comments, by email"
    )
    question_in_followed_topic_in_app = models.BooleanField(
        default=True, verbose_name="new questions in followed topics, on the site"
    )
    question_in_followed_topic_email = models.BooleanField(
        default=True, verbose_name="new questions in followed topics, by email"
    )
    followed_question_changed_in_app = models.BooleanField(
        default=True, verbose_name="changes to followed questions, on the site"
    )
    followed_question_changed_email = models.BooleanField(
        default=True, verbose_name="changes to followed questions, by email"
    )
    answer_edited_in_app = models.BooleanField(
        default=True, verbose_name="edits of your answers by someone else, on the site"
    )
    answer_edited_email = models.BooleanField(
        default=True, verbose_name="edits of your answers by someone else, by email"
    )
    review_decision_in_app = models.BooleanField(
        default=True,
        verbose_name="medical review decisions on your answers, on the site",
    )
    email_frequency = models.CharField(
        max_length=16,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATELY,
        help_text="Applies to every kind switched on for email.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Notification preferences of {self.user}"

    @classmethod
    def for_user(cls, user: User) -> Preference:
        """The saved preferences, or unsaved defaults when there are none yet."""
        try:
            return cls.objects.get(user=user)
        except cls.DoesNotExist:
            return cls(user=user)

    @staticmethod
    def field_names() -> list[str]:
        """The fields a reader may change, as `update_preferences` accepts
        them: `<kind>_in_app` for every kind, `<kind>_email` for those not
        IN_APP_ONLY."""
        names = []
        for kind in Kind:
            names.append(f"{kind.value}_in_app")
            if kind not in IN_APP_ONLY:
                names.append(f"{kind.value}_email")
        return [*names, "email_frequency"]

    def wants_in_app(self, kind: str) -> bool:
        return bool(getattr(self, f"{kind}_in_app"))

    def wants_email(self, kind: str) -> bool:
        """Never for a kind IN_APP_ONLY: its sender mails it."""
        if kind in IN_APP_ONLY:
            return False
        return self.email_frequency != self.EmailFrequency.NEVER and bool(
            getattr(self, f"{kind}_email")
        )

    def email_kinds(self) -> list[str]:
        return [kind.value for kind in Kind if self.wants_email(kind.value)]


class TopicFollow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="topic_follows",
    )
    topic = models.ForeignKey(
        "topics.Topic", on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic"], name="topic_follow_user_topic_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.topic}"


class QuestionFollow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="question_follows",
    )
    question = models.ForeignKey(
        "questions.Question", on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="question_follow_user_question_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.question}"


class SavedQuestion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_questions",
    )
    question = models.ForeignKey(
        "questions.Question", on_delete=models.CASCADE, related_name="saved_by"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="saved_question_user_question_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} saved {self.question}"


@dataclass(frozen=True)
class QuestionState:
    """What the follow and save buttons of one question show to one reader."""

    signed_in: bool
    following: bool = False
    saved: bool = False


def question_state(user: User | AnonymousUser, question: Question) -> QuestionState:
    """Whether `user` follows and has saved `question`: one query, none when
    signed out."""
    if not is_reader(user):
        return QuestionState(signed_in=False)
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            following=Exists(
                QuestionFollow.objects.filter(user=OuterRef("pk"), question=question)
            ),
            saved=Exists(
                SavedQuestion.objects.filter(user=OuterRef("pk"), question=question)
            ),
        )
        .values("following", "saved")
        .get()
    )
    return QuestionState(signed_in=True, **row)


def follows_topic(user: User | AnonymousUser, topic: Topic) -> bool:
    """One query, none when signed out."""
    if not is_reader(user):
        return False
    return TopicFollow.objects.filter(user=user, topic=topic).exists()
