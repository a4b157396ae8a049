"""Abstract bases shared by every content model."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


def new_external_id() -> str:
    """A stable id for content made on the site, so exports can refer to it."""
    return uuid.uuid4().hex


class Importable(models.Model):
    """A record that an import can find again.

    `(source, external_id)` is unique among rows that have an external id, so a
    second import of the same collection updates rows instead of duplicating
    them. Content created on the site gets a random external id with an empty
    source, so an export and re-import can find it again too.
    """

    source = models.CharField(
        max_length=64,
        blank=True,
        help_text="Where an imported record came from, e.g. 'medquad'.",
    )
    external_id = models.CharField(
        max_length=255,
        blank=True,
        default=new_external_id,
        help_text="The record's id in its source collection.",
    )

    class Meta:
        abstract = True


def importable_constraint(model_name: str) -> models.UniqueConstraint:
    """The partial unique index every importable model declares in its Meta."""
    return models.UniqueConstraint(
        fields=["source", "external_id"],
        condition=~models.Q(external_id=""),
        name=f"{model_name}_source_external_id_uniq",
    )


class Timestamped(models.Model):
    # A default rather than auto_now_add, so imports can keep original dates.
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Counter(models.Model):
    """A count every process of the site sees: a rate-limit window, a form
    token's use (askwell/core/counters.py). Only written without Redis;
    short-lived, and deleted once expired."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField(
        help_text="Unix time at which the count ends and its row may be deleted."
    )

    class Meta:
        indexes = [
            # Deleting the expired counts (counters._prune).
            models.Index(fields=["expires_at"], name="core_counter_expires_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
