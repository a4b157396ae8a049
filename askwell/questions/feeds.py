"""Atom feeds: what is new on a topic, and a contributor's newest answers.

Only what a signed-out reader may see goes in: visible questions and
published answers (Answer.published_q), never the name of an anonymous
asker. Every link is on the public site (ASKWELL_SITE_URL).
"""

from __future__ import annotations

import re
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from askwell.core.links import site_url
from askwell.experts.models import Contributor
from askwell.lib.markdown import html_to_text
from askwell.questions.models import Answer, AnswerQuerySet, Question
from askwell.topics.models import Topic

FEED_LENGTH = 30
# XML 1.0 cannot carry these, and Django's feed writer refuses them; a
# title pasted from a terminal may hold one.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Entry = Question | Answer


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def newest_answers(answers: AnswerQuerySet) -> list[Answer]:
    return list(
        answers.published()
        .select_related("question", "contributor")
        .order_by("-created_at", "-pk")[:FEED_LENGTH]
    )


class _EntryFeed(Feed):  # type: ignore[type-arg]  # Django's class is not generic at run time
    """Items are questions and answers; the feed's object is a topic or a
    contributor, whose page is the feed's link."""

    feed_type = Atom1Feed
    # The URL name of the feed itself, reversed with the object's slug.
    url_name: str

    def link(self, obj: Topic | Contributor) -> str:
        return site_url(obj.get_absolute_url())

    def feed_url(self, obj: Topic | Contributor) -> str:
        return site_url(reverse(self.url_name, kwargs={"slug": obj.slug}))

    def author_name(self) -> str:
        return settings.ASKWELL_SITE_NAME

    def item_title(self, item: Entry) -> str:
        if isinstance(item, Answer):
            return _xml_text(
                f"{item.contributor.signature} answered: {item.question.title}"
            )
        return _xml_text(f"Asked: {item.title}")

    def item_description(self, item: Entry) -> str:
        # Stored HTML is sanitised when saved (lib.markdown); Atom carries it
        # escaped, as type="html".
        if isinstance(item, Answer):
            note = (
                "<p><em>Not yet medically reviewed.</em></p>"
                if item.is_unreviewed
                else ""
            )
            return _xml_text(note + item.body_html)
        return _xml_text(item.details_html or f"<p>{escape(item.title)}</p>")

    def item_link(self, item: Entry) -> str:
        return site_url(item.get_absolute_url())

    def item_author_name(self, item: Entry) -> str | None:
        if isinstance(item, Answer):
            return _xml_text(item.contributor.signature)
        if item.asker is not None and not item.is_anonymous:
            return _xml_text(item.asker.get_username())
        return None  # the feed's author, the site, stands in

    def item_author_link(self, item: Entry) -> str | None:
        if isinstance(item, Answer):
            return site_url(item.contributor.get_absolute_url())
        return None

    def item_pubdate(self, item: Entry) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Entry) -> datetime:
        return item.updated_at


class TopicFeed(_EntryFeed):
    """New questions and answers on a topic and its subtopics, newest first."""

    url_name = "topics:feed"

    def get_object(self, request: HttpRequest, slug: str) -> Topic:
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj: Topic) -> str:
        return _xml_text(f"{obj.name}: new on {settings.ASKWELL_SITE_NAME}")

    def subtitle(self, obj: Topic) -> str:
        return _xml_text(
            obj.description or f"New questions and expert answers about {obj.name}."
        )

    def items(self, obj: Topic) -> list[Entry]:
        topic_ids = obj.descendant_ids()
        questions = list(
            Question.objects.visible()
            .for_topics(topic_ids)
            .select_related("asker")
            .order_by("-created_at", "-pk")[:FEED_LENGTH]
        )
        answers = newest_answers(
            Answer.objects.filter(
                question__in=Question.objects.for_topics(topic_ids).values("pk")
            )
        )
        entries: list[Entry] = [*questions, *answers]
        entries.sort(key=lambda e: (e.created_at, e.pk), reverse=True)
        return entries[:FEED_LENGTH]


class ContributorFeed(_EntryFeed):
    """A contributor's newest published answers."""

    url_name = "experts:contributor_feed"

    def get_object(self, request: HttpRequest, slug: str) -> Contributor:
        return get_object_or_404(Contributor, slug=slug)

    def title(self, obj: Contributor) -> str:
        return _xml_text(
            f"Answers from {obj.signature} on {settings.ASKWELL_SITE_NAME}"
        )

    def subtitle(self, obj: Contributor) -> str:
        return _xml_text(
            html_to_text(obj.bio_html) or f"New answers from {obj.signature}."
        )

    def items(self, obj: Contributor) -> list[Entry]:
        return list(newest_answers(Answer.objects.filter(contributor=obj)))
