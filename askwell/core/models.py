"""Abstract bases shared by every content model."""

from __future__ import annotations

from django.db import models


class Importable(models.Model):
    """A record that an import can find again.

    `(source, external_id)` is unique among rows that have an external id, so a
    second import of the same collection updates rows instead of duplicating
    them. Content created on the site itself has an empty external id.
    """

    source = models.CharField(
        max_length=64,
        blank=True,
        help_text="Where an imported record came from, e.g. 'medquad'.",
    )
    external_id = models.CharField(
        max_length=255,
        blank=True,
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
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
