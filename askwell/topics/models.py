from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.urls import reverse

from askwell.core.models import Importable, importable_constraint

DIRECTORY_CHILDREN = 8


class TopicQuerySet(models.QuerySet["Topic"]):
    def roots(self) -> TopicQuerySet:
        return self.filter(parent__isnull=True)

    def directory(self, children: int = DIRECTORY_CHILDREN) -> TopicQuerySet:
        """Top-level topics, each with its child count and its first few children.

        Imported collections put thousands of topics under one parent; the
        directory shows a handful and links to the rest.
        """
        return (
            self.roots()
            .annotate(child_count=models.Count("children"))
            .prefetch_related(
                models.Prefetch(
                    "children",
                    queryset=Topic.objects.order_by("name", "pk")[:children],
                    to_attr="first_children",
                )
            )
        )

    def matching(self, words: str) -> TopicQuerySet:
        """Topics whose name, or one of their other names, contains `words`
        (in any case), those whose name starts with them first, then the
        broader ones. The caller bounds `words`."""
        words = words.strip()
        if not words:
            return self.none()
        return (
            self.filter(
                models.Q(name__icontains=words) | models.Q(other_names__icontains=words)
            )
            .annotate(
                name_starts=models.Case(
                    models.When(name__istartswith=words, then=0), default=1
                )
            )
            .order_by("name_starts", "depth", "name", "pk")
        )


class Topic(Importable):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    depth = models.PositiveSmallIntegerField(
        default=0,
        editable=False,
        help_text="0 for a top-level topic; kept in step with the parent on save.",
    )
    other_names = models.JSONField(
        default=list,
        blank=True,
        help_text='Synonyms and abbreviations readers use, e.g. ["MS"].',
    )
    codes = models.JSONField(
        default=dict,
        blank=True,
        help_text='External vocabulary codes, e.g. {"umls_cui": ["C0026769"]}.',
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [importable_constraint("topic")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_depth = self.depth
        self.depth = self.parent.depth + 1 if self.parent is not None else 0
        super().save(*args, **kwargs)
        if self.depth != old_depth:
            self.refresh_descendant_depths()

    def get_absolute_url(self) -> str:
        return reverse("topics:detail", kwargs={"slug": self.slug})

    def refresh_descendant_depths(self) -> None:
        """A moved topic moves its whole subtree: one save per descendant."""
        for child in self.children.all():
            child.save(update_fields=["depth"])

    def ancestors(self) -> list[Topic]:
        """The path from the top-level topic down to this one's parent.

        One query per level; topic trees are a handful of levels deep.
        """
        path: list[Topic] = []
        node = self.parent
        while node is not None:
            path.append(node)
            node = node.parent
        return path[::-1]

    def path(self) -> list[Topic]:
        return [*self.ancestors(), self]

    def descendant_ids(self) -> list[int]:
        """Ids of this topic and every topic below it: one query per level."""
        ids = [self.pk]
        level: Iterable[int] = [self.pk]
        while level:
            level = list(
                Topic.objects.filter(parent__in=level).values_list("pk", flat=True)
            )
            ids.extend(level)
        return ids
