"""The audit log: an append-only record of every editorial and administrative action."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class LogEntryQuerySet(models.QuerySet["LogEntry"]):
    def for_object(self, obj: models.Model) -> LogEntryQuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )


class LogEntry(models.Model):
    """Who did what to which object, when, with the state before and after.

    Rows are only ever added (audit.log_action); the admin shows them read-only
    and nothing in the site edits or deletes them.
    """

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for actions by the system (imports, scheduled jobs).",
    )
    action = models.CharField(
        max_length=64, help_text='A namespaced code, e.g. "answer.approved".'
    )
    content_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(
        max_length=200, help_text="What the object was called when this happened."
    )
    before = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    data = models.JSONField(
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text="Anything else worth keeping: a reason, a note. Secrets are masked.",
    )

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "log entries"
        indexes = [
            # The history of one object (its audit trail on editor pages).
            models.Index(
                fields=["content_type", "object_id", "-created_at"],
                name="audit_object_idx",
            ),
            # Filtering the log by action code.
            models.Index(fields=["action", "-created_at"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Audit log entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Audit log entries are never deleted.")
