"""Reads on questions and answers that depend on who is asking, or on the
time: which questions a person may open, when an answer's medical review
falls due, and each person's own lists (an expert's For you and My
answers, everyone's My questions). Moderation and review apply these
rules; questions owns them, so the question page needs neither app.
"""

from __future__ import annotations

import operator
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from askwell.accounts.roles import is_editor, is_reader
from askwell.experts.roles import posting_contributors
from askwell.questions.models import (
    Answer,
    AnswerQuerySet,
    Comment,
    Question,
    QuestionQuerySet,
)
from askwell.topics.models import Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from askwell.accounts.models import User

# The topic filter of For you lists at most this many topics of a specialty
# (the busiest specialties of an imported collection file answers under
# thousands); the list itself is not cut.
SPECIALTY_TOPIC_CHOICES = 100


def questions_visible_to(user: User | AnonymousUser) -> QuestionQuerySet:
    """Questions `user` may open: visible ones for everyone, every one for
    editors (hidden and deleted pages show a banner), and their own held
    questions for askers (with a "waiting for review" note).

    No extra query for anonymous readers; for others the editor check is read
    once per request (roles.is_editor caches it on the user).
    """
    questions = Question.objects.all()
    # Editors are who moderate (moderation.permissions.can_moderate).
    if is_editor(user):
        return questions
    if is_reader(user):
        return questions.filter(
            Q(moderation=Question.Moderation.VISIBLE)
            | Q(moderation=Question.Moderation.HELD, asker=user)
        )
    return questions.visible()


def question_pages_visible_to(user: User | AnonymousUser) -> QuerySet[Question]:
    """`questions_visible_to(user)`, each annotated with `has_duplicates`.

    The question page lists the questions closed as duplicates of it; the
    EXISTS in the same query saves a query on every page that has none.
    """
    duplicates = Question.objects.visible().filter(duplicate_of=OuterRef("pk"))
    return questions_visible_to(user).annotate(has_duplicates=Exists(duplicates))


def due_cutoff() -> datetime:
    return timezone.now() - timedelta(days=settings.ASKWELL_REVIEW_DAYS)


def is_overdue(answer: Answer) -> bool:
    """A reviewed answer whose last review (or, never reviewed here, its
    publication) is older than the review period."""
    if answer.review_state == Answer.Review.NEEDS_RE_REVIEW:
        return True
    if answer.review_state != Answer.Review.PUBLISHED:
        return False
    return (answer.reviewed_at or answer.created_at) < due_cutoff()


def has_published(user: User) -> bool:
    """Whether readers can see anything `user` posted: a visible question, a
    published answer or a published comment."""
    return (
        Question.objects.visible().filter(asker=user).exists()
        or Answer.objects.published().filter(author=user).exists()
        or Comment.objects.filter(author=user, status=Comment.Status.PUBLISHED).exists()
    )


# --- a person's own lists -----------------------------------------------------------


@dataclass(frozen=True)
class ExpertTopics:
    """The topics an expert's For you draws on.

    `specialties`: the specialties of the contributors they sign as, as
    written. `specialty`: the topics under which answers by experts of one
    of those specialties (any expert, them included) are published, by name,
    at most SPECIALTY_TOPIC_CHOICES of them: a specialty is free text, and
    where its experts answer is what ties it to topics. `followed`: the
    topics they follow, by name; `followed_ids` adds every topic below them,
    as following a topic tells of questions under its subtopics
    (notifications.actions.notify_question_asked).
    """

    specialties: list[str]
    specialty: list[Topic]
    followed: list[Topic]
    followed_ids: list[int]

    def choices(self) -> list[Topic]:
        """Every topic of either kind once, by name: For you's topic filter."""
        found = {t.pk: t for t in [*self.specialty, *self.followed]}
        return sorted(found.values(), key=lambda t: (t.name.lower(), t.pk))


def expert_topics(user: User) -> ExpertTopics:
    """Read the topics of `user`'s For you: the contributors they sign as
    (none more when the request asked already: roles.posting_contributors),
    the specialty's topics (one query, none without a specialty), the
    followed topics (one) and the topics below them (one per level)."""
    specialties = sorted(
        {c.specialty.strip() for c in posting_contributors(user) if c.specialty.strip()}
    )
    specialty: list[Topic] = []
    if specialties:
        specialty = list(
            Topic.objects.filter(pk__in=_specialty_topic_ids(specialties)).order_by(
                "name", "pk"
            )[:SPECIALTY_TOPIC_CHOICES]
        )
    # Topic follows are notifications' (TopicFollow, related name
    # "follows"); questions reads them through the relation, as it may not
    # import that app.
    followed = list(Topic.objects.filter(follows__user=user).order_by("name", "pk"))
    return ExpertTopics(
        specialties=specialties,
        specialty=specialty,
        followed=followed,
        followed_ids=_with_subtopics([t.pk for t in followed]),
    )


def questions_for_expert(
    user: User,
    topics: ExpertTopics,
    *,
    only: str = "",
    topic: Topic | None = None,
) -> QuestionQuerySet:
    """What `user` may answer, newest first: unanswered questions
    (QuestionQuerySet.unanswered) filed under a topic of their specialty or
    under a topic they follow or one below it, leaving out those that every
    contributor they sign as has answered already (an answer waiting for
    review included: one answer per contributor). `only` keeps one of the
    two sources ("specialty" or "followed"); `topic` keeps the questions
    under it or a topic below it.

    Each question comes with its topics: a page is two queries and its
    count one, however many questions, topics or follows there are.
    """
    links = Question.topics.through.objects
    sources = []
    if only != "followed" and topics.specialties:
        sources.append(
            Q(
                pk__in=links.filter(
                    topic_id__in=_specialty_topic_ids(topics.specialties)
                ).values("question_id")
            )
        )
    if only != "specialty" and topics.followed_ids:
        sources.append(
            Q(
                pk__in=links.filter(topic_id__in=topics.followed_ids).values(
                    "question_id"
                )
            )
        )
    if not sources:
        return Question.objects.none()
    rows = Question.objects.unanswered().filter(reduce(operator.or_, sources))
    if topic is not None:
        rows = rows.for_topics(topic.descendant_ids())
    contributors = posting_contributors(user)
    if contributors:
        answered_by_all = reduce(
            operator.and_,
            [
                Exists(Answer.objects.filter(question=OuterRef("pk"), contributor=c))
                for c in contributors
            ],
        )
        rows = rows.exclude(answered_by_all)
    return rows.prefetch_related("topics").order_by("-created_at", "-pk")


def answers_of(user: User) -> AnswerQuerySet:
    """The answers `user` wrote, or that are signed by their own person
    contributor (an imported answer has no writer), newest first, whatever
    their state: never another member's answers for an organization, nor
    another expert's. Each with its question and contributor (joined) and
    its medical review decisions, newest first (one query for the page)."""
    return (
        Answer.objects.filter(Q(author=user) | Q(contributor__user=user))
        .select_related("question", "contributor")
        .prefetch_related("reviews")
        .order_by("-created_at", "-pk")
    )


def questions_asked_by(user: User) -> QuestionQuerySet:
    """Every question `user` asked, newest first, whatever its state (held,
    hidden, anonymous: only they see this list), with
    `published_answer_count` and the question it duplicates (joined)."""
    return (
        Question.objects.filter(asker=user)
        .with_published_answer_count()
        .select_related("duplicate_of")
        .order_by("-created_at", "-pk")
    )


def _specialty_topic_ids(specialties: list[str]) -> QuerySet[Any, int]:
    """The ids of the topics under which answers readers see, signed by
    contributors of any of `specialties` (ignoring case, as the review
    queue's specialty filter does), are filed: a subquery."""
    of_specialty = reduce(
        operator.or_, [Q(contributor__specialty__iexact=s) for s in specialties]
    )
    answered = Answer.objects.published().filter(of_specialty).values("question_id")
    return Question.topics.through.objects.filter(question_id__in=answered).values_list(
        "topic_id", flat=True
    )


def _with_subtopics(topic_ids: Collection[int]) -> list[int]:
    """The topics and every topic below them: one query per level, none
    without topics."""
    found = set(topic_ids)
    level = list(found)
    while level:
        below = Topic.objects.filter(parent_id__in=level).values_list("pk", flat=True)
        level = [pk for pk in below if pk not in found]
        found.update(level)
    return sorted(found)
