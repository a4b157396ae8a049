"""Every write of the notifications app: follows, saves, read marks,
preferences, and the notify_* functions that receivers.py calls when
something happens to the content (questions/signals.py).

Email is never sent inside a transaction. A notification that will go out by
email is marked `emailed_at` in the transaction that creates (or, for the
digest, claims) it, and the mail is sent by a `transaction.on_commit`
callback; if sending fails the mark is taken back, so a later digest can
pick the notification up again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from askwell.accounts.models import User
from askwell.experts.models import Membership
from askwell.notifications.models import (
    Kind,
    Notification,
    Preference,
    QuestionFollow,
    SavedQuestion,
    TopicFollow,
)
from askwell.notifications.permissions import (
    check_can_follow,
    check_can_manage_notifications,
)
from askwell.topics.models import Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from askwell.questions.models import Answer, Question

logger = logging.getLogger(__name__)

# A first digest after a long "never" covers the last week only: older news
# is no longer news.
DIGEST_MAX_AGE = timedelta(days=7)
TITLE_CHARS = 200
TEXT_CHARS = 400


class Comment(Protocol):
    """What notify_comment_posted needs of a comment (the comments app owns the model)."""

    answer: Answer
    author: User | None

    def get_absolute_url(self) -> str: ...


# Follows and saved questions. Each is idempotent: following twice keeps
# one row, unfollowing what is not followed does nothing.


def follow_topic(user: User | AnonymousUser, topic: Topic) -> TopicFollow:
    user = check_can_follow(user)
    with transaction.atomic():
        follow, _ = TopicFollow.objects.get_or_create(user=user, topic=topic)
    return follow


def unfollow_topic(user: User | AnonymousUser, topic: Topic) -> None:
    user = check_can_follow(user)
    with transaction.atomic():
        TopicFollow.objects.filter(user=user, topic=topic).delete()


def follow_question(user: User | AnonymousUser, question: Question) -> QuestionFollow:
    user = check_can_follow(user)
    with transaction.atomic():
        follow, _ = QuestionFollow.objects.get_or_create(user=user, question=question)
    return follow


def unfollow_question(user: User | AnonymousUser, question: Question) -> None:
    user = check_can_follow(user)
    with transaction.atomic():
        QuestionFollow.objects.filter(user=user, question=question).delete()


def save_question(user: User | AnonymousUser, question: Question) -> SavedQuestion:
    user = check_can_follow(user)
    with transaction.atomic():
        saved, _ = SavedQuestion.objects.get_or_create(user=user, question=question)
    return saved


def unsave_question(user: User | AnonymousUser, question: Question) -> None:
    user = check_can_follow(user)
    with transaction.atomic():
        SavedQuestion.objects.filter(user=user, question=question).delete()


# The reader's own notifications and preferences.


def mark_read(
    user: User | AnonymousUser, notification_ids: Iterable[int] | None = None
) -> int:
    """Mark `user`'s unread notifications read: those listed, or all of them.

    Ids of other users' notifications are ignored. Returns how many changed.
    """
    user = check_can_manage_notifications(user)
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    with transaction.atomic():
        return unread.update(read_at=timezone.now())


def update_preferences(user: User | AnonymousUser, **changes: Any) -> Preference:
    """Change some of `user`'s preferences; the row is created on first change.

    Keys are `Preference.field_names()`: `<kind>_in_app`, `<kind>_email` and
    `email_frequency`.
    """
    user = check_can_manage_notifications(user)
    unknown = set(changes) - set(Preference.field_names())
    if unknown:
        raise TypeError(f"Unknown preferences: {', '.join(sorted(unknown))}")
    frequency = changes.get("email_frequency")
    if frequency is not None and frequency not in Preference.EmailFrequency.values:
        raise ValidationError(
            "%(value)s is not an email frequency.",
            code="invalid_frequency",
            params={"value": frequency},
        )
    with transaction.atomic():
        preference, _ = Preference.objects.select_for_update().get_or_create(user=user)
        for name, value in changes.items():
            setattr(
                preference, name, value if name == "email_frequency" else bool(value)
            )
        preference.save(update_fields=[*changes, "updated_at"])
    return preference


# What receivers.py calls when something happens, inside the transaction of
# the action that sent the event.


def notify_answer_posted(answer: Answer, *, actor: User | None) -> list[Notification]:
    """Tell the asker and the question's followers about a new answer.

    Call it when the answer becomes visible to readers (published).
    """
    question = answer.question
    title = _title(question)
    return _notify(
        Kind.ANSWER_POSTED,
        [question.asker_id, *_follower_ids(question)],
        actor=actor,
        question=question,
        url=answer.get_absolute_url(),
        text=f"{answer.contributor.signature} answered “{title}”",
    )


def notify_comment_posted(
    comment: Comment, *, actor: User | None
) -> list[Notification]:
    """Tell the asker, the answer's author (the person, or every member of the
    organization) and the question's followers about a new comment."""
    answer = comment.answer
    question = answer.question
    contributor = answer.contributor
    author = comment.author
    if author is None:
        who = "Someone"
    elif question.is_anonymous and author.pk == question.asker_id:
        who = "The asker"
    else:
        who = _display_name(author)
    return _notify(
        Kind.COMMENT_POSTED,
        [
            question.asker_id,
            contributor.user_id,
            *Membership.objects.active()
            .filter(organization=contributor)
            .values_list("user_id", flat=True),
            *_follower_ids(question),
        ],
        actor=actor,
        question=question,
        url=comment.get_absolute_url(),
        text=f"{who} commented on an answer to “{_title(question)}”",
    )


def notify_question_asked(
    question: Question, *, actor: User | None
) -> list[Notification]:
    """Tell the followers of the question's topics, and of the topics above
    them, about a new question. Each follower hears once, naming the most
    specific topic of theirs it was filed under."""
    topics = _with_ancestors(question.topics.all())
    followed: dict[int, Topic] = {}
    follows = TopicFollow.objects.filter(topic_id__in=topics).values_list(
        "user_id", "topic_id"
    )
    for user_id, topic_id in sorted(follows, key=lambda f: -topics[f[1]].depth):
        followed.setdefault(user_id, topics[topic_id])
    title = _title(question)
    asker = question.asker
    if asker is not None and not question.is_anonymous:
        name = _display_name(asker)

        def text(user_id: int) -> str:
            return f"{name} asked in {followed[user_id].name}: “{title}”"

    else:

        def text(user_id: int) -> str:
            return f"New question in {followed[user_id].name}: “{title}”"

    return _notify(
        Kind.QUESTION_IN_FOLLOWED_TOPIC,
        followed,
        actor=actor,
        question=question,
        url=question.get_absolute_url(),
        text=text,
    )


def notify_question_changed(
    question: Question, *, actor: User | None, what: str
) -> list[Notification]:
    """Tell the question's followers that it changed; `what` completes the
    sentence "“<title>” …", e.g. "was edited" or "was closed"."""
    return _notify(
        Kind.FOLLOWED_QUESTION_CHANGED,
        _follower_ids(question),
        actor=actor,
        question=question,
        url=question.get_absolute_url(),
        text=f"“{_title(question)}” {what or 'changed'}",
    )


def notify_answer_edited(answer: Answer, *, actor: User | None) -> list[Notification]:
    """Tell the answer's signer (the person, or every current member of the
    organization) that someone else changed the words under their name.

    Call it when an edit by anyone but the signer is saved; the link leads
    to the answer's history, which shows the change word by word.
    """
    contributor = answer.contributor
    who = _display_name(actor) if actor is not None else "Someone"
    return _notify(
        Kind.ANSWER_EDITED,
        [
            contributor.user_id,
            *Membership.objects.active()
            .filter(organization=contributor)
            .values_list("user_id", flat=True),
        ],
        actor=actor,
        question=answer.question,
        url=reverse("questions:answer-history", kwargs={"pk": answer.pk}),
        text=f"{who} edited your answer to “{_title(answer.question)}”; it waits "
        "for medical review again",
    )


# What the author reads of each medical review decision (the decisions are
# review.MedicalReview.Decision values, which questions/signals.py lists).
REVIEW_DECISION_TEXT = {
    "approved": "Your answer to “{title}” was approved in medical review",
    "changes_requested": "A medical reviewer asked for changes to your answer "
    "to “{title}”: {note}",
    "rejected": "A medical reviewer did not accept your answer to “{title}”: {note}",
}


def notify_answer_reviewed(
    answer: Answer, *, decision: str, note: str, actor: User | None
) -> list[Notification]:
    """Tell the answer's author (the member who wrote it for an
    organization, else its person) a medical reviewer's decision, with the
    start of their note. On the site only: the review app mails the
    decision itself (models.IN_APP_ONLY).

    Approved, the link leads to the answer as readers see it; otherwise to
    its edit form, which shows the reviewer's note in full.
    """
    if decision == "approved":
        url = answer.get_absolute_url()
    else:
        url = reverse("questions:edit-answer", kwargs={"pk": answer.pk})
    return _notify(
        Kind.REVIEW_DECISION,
        [answer.author_id or answer.contributor.user_id],
        actor=actor,
        question=answer.question,
        url=url,
        text=REVIEW_DECISION_TEXT[decision].format(
            title=_title(answer.question), note=note
        ),
    )


# The daily digest.


@dataclass(frozen=True)
class DigestSummary:
    digests: int
    notifications: int


def send_digests() -> DigestSummary:
    """Email each daily-digest reader one message listing what they have not
    been emailed yet, of the kinds they want by email. Running it again sends
    nothing new."""
    now = timezone.now()
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__gte=now - DIGEST_MAX_AGE,
            recipient__is_active=True,
            recipient__notification_preference__email_frequency=(
                Preference.EmailFrequency.DAILY
            ),
        )
        .exclude(recipient__email="")
        .select_related("recipient__notification_preference")
        .order_by("recipient_id", "created_at", "pk")
    )
    by_recipient: dict[int, list[Notification]] = {}
    for notification in pending:
        preference = notification.recipient.notification_preference
        if notification.kind in preference.email_kinds():
            by_recipient.setdefault(notification.recipient_id, []).append(notification)
    digests = covered = 0
    for notifications in by_recipient.values():
        with transaction.atomic():
            # A second run started at the same time must not send these twice.
            claimed = set(
                Notification.objects.select_for_update()
                .filter(pk__in=[n.pk for n in notifications], emailed_at__isnull=True)
                .values_list("pk", flat=True)
            )
            if not claimed:
                continue
            Notification.objects.filter(pk__in=claimed).update(emailed_at=now)
            message = _digest_message([n for n in notifications if n.pk in claimed])
            transaction.on_commit(partial(_send, [message], claimed), robust=True)
        digests += 1
        covered += len(claimed)
    return DigestSummary(digests=digests, notifications=covered)


# Helpers.


def _notify(
    kind: Kind,
    recipient_ids: Iterable[int | None],
    *,
    actor: User | None,
    question: Question | None,
    url: str,
    text: str | Callable[[int], str],
) -> list[Notification]:
    """Create one notification per wanting recipient, and schedule the
    immediate emails for after the commit.

    Recipients are deduplicated, the actor is left out, and so are inactive
    accounts and anyone who switched this kind off both in-app and by email.
    """
    ids = {pk for pk in recipient_ids if pk is not None}
    if actor is not None:
        ids.discard(actor.pk)
    if not ids:
        return []
    users = (
        User.objects.filter(pk__in=ids, is_active=True)
        .select_related("notification_preference")
        .order_by("pk")
    )
    now = timezone.now()
    rows: list[Notification] = []
    for user in users:
        preference = _preference(user)
        in_app = preference.wants_in_app(kind)
        email = preference.wants_email(kind) and bool(user.email)
        if not (in_app or email):
            continue
        immediately = (
            email
            and preference.email_frequency == Preference.EmailFrequency.IMMEDIATELY
        )
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                actor=actor,
                question=question,
                url=url,
                text=_one_line(text if isinstance(text, str) else text(user.pk)),
                in_app=in_app,
                created_at=now,
                # Claimed for the immediate email sent after the commit.
                emailed_at=now if immediately else None,
            )
        )
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        emailed = [n for n in created if n.emailed_at is not None]
        if emailed:
            messages = [_single_message(n) for n in emailed]
            transaction.on_commit(
                partial(_send, messages, {n.pk for n in emailed}), robust=True
            )
    return created


def _send(messages: list[EmailMessage], notification_ids: set[int]) -> None:
    """Send after the commit; on failure release the claim and log it."""
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except Exception:
        with transaction.atomic():
            Notification.objects.filter(pk__in=notification_ids).update(emailed_at=None)
        logger.exception(
            "Sending %d notification email(s) failed; they stay pending.",
            len(messages),
        )


def _single_message(notification: Notification) -> EmailMessage:
    body = "\n".join(
        [
            notification.text,
            "",
            f"Open it: {_absolute(notification.url)}",
            "",
            _footer(),
        ]
    )
    subject = Truncator(f"{settings.ASKWELL_SITE_NAME}: {notification.text}").chars(150)
    return EmailMessage(subject, body, to=[notification.recipient.email])


def _digest_message(notifications: list[Notification]) -> EmailMessage:
    count = len(notifications)
    lines = [f"{count} update{'s' if count != 1 else ''} since the last digest:", ""]
    for n in notifications:
        lines += [f"- {n.text}", f"  {_absolute(n.url)}"]
    lines += ["", _footer()]
    subject = (
        f"{settings.ASKWELL_SITE_NAME}: your daily digest "
        f"({count} update{'s' if count != 1 else ''})"
    )
    return EmailMessage(
        subject, "\n".join(lines), to=[notifications[0].recipient.email]
    )


def _footer() -> str:
    preferences = _absolute(reverse("notifications:preferences"))
    return f"Choose what we send you: {preferences}"


def _absolute(path: str) -> str:
    """Emails need full links; ASKWELL_SITE_URL (e.g. https://askwell.example.org)
    gives the scheme and host. Without it the link is a path on the site."""
    return getattr(settings, "ASKWELL_SITE_URL", "").rstrip("/") + path


def _preference(user: User) -> Preference:
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return Preference(user=user)


def _follower_ids(question: Question) -> list[int]:
    return list(
        QuestionFollow.objects.filter(question=question).values_list(
            "user_id", flat=True
        )
    )


def _with_ancestors(topics: Iterable[Topic]) -> dict[int, Topic]:
    """The topics and every topic above them, by id: one query per level,
    shared between topics that have ancestors in common."""
    found = {topic.pk: topic for topic in topics}
    missing = {t.parent_id for t in found.values() if t.parent_id} - found.keys()
    while missing:
        parents = list(Topic.objects.filter(pk__in=missing))
        found.update((parent.pk, parent) for parent in parents)
        missing = {p.parent_id for p in parents if p.parent_id} - found.keys()
    return found


def _title(question: Question) -> str:
    return Truncator(_one_line(question.title)).chars(TITLE_CHARS)


def _display_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _one_line(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(TEXT_CHARS)
