"""What a question page offers next besides "Continue learning" (which
search adds: askwell/search/templatetags/search_tags.py): related videos."""

from __future__ import annotations

from askwell.experts.models import Video
from askwell.questions.models import Question

VIDEO_LIMIT = 3


def related_videos(question: Question, *, limit: int = VIDEO_LIMIT) -> list[Video]:
    topic_ids = [t.pk for t in question.topics.all()]
    if not topic_ids:
        return []
    return list(
        Video.objects.filter(topics__in=topic_ids)
        .distinct()
        .select_related("presenter")
        .order_by("-created_at", "-pk")[:limit]
    )
