"""The questions' section of sitemap.xml (askwell/core/sitemaps.py)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from askwell.core.sitemaps import SiteSitemap
from askwell.questions.models import Answer, Question


class QuestionSitemap(SiteSitemap):
    """Visible questions; a question changes when it or one of its published
    answers does."""

    def items(self) -> QuerySet[Question]:
        last_answer = (
            Answer.objects.published()
            .filter(question=OuterRef("pk"))
            .order_by("-updated_at")
            .values("updated_at")[:1]
        )
        return (
            Question.objects.visible()
            .annotate(
                changed_at=Greatest(
                    "updated_at", Coalesce(Subquery(last_answer), F("updated_at"))
                )
            )
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item: Question) -> datetime:
        changed: datetime = item.changed_at  # type: ignore[attr-defined]  # items() annotates it
        return changed

    def get_latest_lastmod(self) -> datetime | None:
        latest = [
            Question.objects.visible().aggregate(at=Max("updated_at"))["at"],
            Answer.objects.published().aggregate(at=Max("updated_at"))["at"],
        ]
        return max((at for at in latest if at is not None), default=None)
