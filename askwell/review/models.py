"""Medical review: each decision a reviewer takes on an answer's text."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class MedicalReview(models.Model):
    """One decision on one version of an answer; the answer keeps the outcome
    (Answer.review_state, reviewed_by, reviewed_at), this keeps the history."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        REJECTED = "rejected", "Rejected"

    answer = models.ForeignKey(
        "questions.Answer", on_delete=models.CASCADE, related_name="reviews"
    )
    revision = models.ForeignKey(
        "questions.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version of the answer that was reviewed.",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    note = models.TextField(
        blank=True, help_text="What the author should change, or why it was rejected."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("review_answer", "Can medically review answers")]
        indexes = [
            # An answer's review history, newest first.
            models.Index(fields=["answer", "-created_at"], name="review_answer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} answer {self.answer_id}"

    @property
    def reviewer_name(self) -> str:
        """Who decided, as reviews are signed: their signature ("Rita
        Review, MD"), else their username, or "a former reviewer" once the
        account is gone. Needs `reviewer__contributor` selected."""
        if self.reviewer is None:
            return "a former reviewer"
        profile = getattr(self.reviewer, "contributor", None)
        return profile.signature if profile else self.reviewer.get_username()
