"""Readers' flags on questions, answers and comments, for editors to handle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from askwell.lib import limits
from askwell.questions.models import Answer, Comment, Question

# What a flag can point at, by the name used in URLs and filters.
TARGET_KINDS = ("question", "answer", "comment")
Target = Question | Answer | Comment


class FlagQuerySet(models.QuerySet["Flag"]):
    def open(self) -> FlagQuerySet:
        return self.filter(status=Flag.Status.OPEN)

    def for_target(self, target: Target) -> FlagQuerySet:
        return self.filter(**{kind_of(target): target})

    def of_kind(self, kind: str) -> FlagQuerySet:
        """Flags on questions, answers or comments (`kind` is one of TARGET_KINDS)."""
        return self.filter(**{f"{kind}__isnull": False})

    def with_targets(self) -> FlagQuerySet:
        """Load the reporter and every kind of target with what the queue shows
        of it (the answer's question and contributor, the comment's answer's
        question): one query for a page of flags."""
        return self.select_related(
            "reporter",
            "question",
            "answer__question",
            "answer__contributor",
            "comment__author",
            "comment__answer__question",
        )


class Flag(models.Model):
    """One reader's report that a question, answer or comment needs an editor.

    Exactly one of `question`, `answer` and `comment` is set. A reader has at
    most one open flag per item; once editors handle it they may flag again.
    """

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        HARMFUL = "harmful", "Harmful or false health claim"
        PERSONAL = "personal", "Personal information"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="flags",
        help_text="Empty once the reporter deleted their account.",
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    text = models.TextField(
        blank=True,
        max_length=limits.FLAG_TEXT,
        help_text="The reporter's own words; required when the reason is “something else”.",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.OPEN
    )
    resolution = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the editor did and why, e.g. “hidden: spam link”.",
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(question__isnull=False, answer=None, comment=None)
                    | models.Q(question=None, answer__isnull=False, comment=None)
                    | models.Q(question=None, answer=None, comment__isnull=False)
                ),
                name="flag_exactly_one_target",
            ),
            # One open flag per reporter per item (NULL targets never clash).
            *(
                models.UniqueConstraint(
                    fields=["reporter", kind],
                    condition=models.Q(status="open"),
                    name=f"flag_one_open_per_{kind}",
                )
                for kind in TARGET_KINDS
            ),
        ]
        indexes = [
            # The editors' queue: open flags, oldest first.
            models.Index(fields=["status", "created_at"], name="flag_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} flag on {self.kind} {self.target_id}"

    @property
    def target(self) -> Target:
        return self.question or self.answer or self.comment  # type: ignore[return-value]  # the constraint sets exactly one

    @property
    def target_id(self) -> int | None:
        return self.question_id or self.answer_id or self.comment_id

    @property
    def kind(self) -> str:
        if self.question_id:
            return "question"
        return "answer" if self.answer_id else "comment"


def kind_of(target: Target) -> str:
    """ "question", "answer" or "comment"."""
    return type(target)._meta.model_name  # type: ignore[return-value]  # a model always has one
