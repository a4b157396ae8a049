"""Notifications' part of a person's data (askwell/accounts/personal_data.py):
follows, saved questions, notifications and preferences, and what their
account deletion does to them. Registered in NotificationsConfig.ready()."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from askwell.accounts.personal_data import when
from askwell.notifications.models import (
    Notification,
    Preference,
    QuestionFollow,
    SavedQuestion,
    TopicFollow,
)

if TYPE_CHECKING:
    from askwell.accounts.models import User

    Owned = TopicFollow | QuestionFollow | SavedQuestion | Notification | Preference


def export(user: User) -> dict[str, Any]:
    preference = Preference.objects.filter(user=user).first()
    return {
        "followed_topics": [
            {"topic": f.topic.name, "since": when(f.created_at)}
            for f in TopicFollow.objects.filter(user=user)
            .select_related("topic")
            .order_by("created_at", "pk")
        ],
        "followed_questions": [
            {
                "question": f.question.title,
                "url": f.question.get_absolute_url(),
                "since": when(f.created_at),
            }
            for f in QuestionFollow.objects.filter(user=user)
            .select_related("question")
            .order_by("created_at", "pk")
        ],
        "saved_questions": [
            {
                "question": s.question.title,
                "url": s.question.get_absolute_url(),
                "saved_at": when(s.created_at),
            }
            for s in SavedQuestion.objects.filter(user=user)
            .select_related("question")
            .order_by("created_at", "pk")
        ],
        "notifications": [
            {
                "kind": n.kind,
                "text": n.text,
                "url": n.url,
                "created_at": when(n.created_at),
                "read_at": when(n.read_at),
                "emailed_at": when(n.emailed_at),
            }
            for n in Notification.objects.filter(recipient=user).order_by(
                "created_at", "pk"
            )
        ],
        "notification_preferences": {
            name: getattr(preference or Preference(user=user), name)
            for name in Preference.field_names()
        },
    }


def erase(user: User) -> dict[str, int]:
    """Notifications others got about the person stay without naming them;
    everything of the person's own goes."""
    done = {
        "notifications_unlinked_as_actor": Notification.objects.filter(
            actor=user
        ).update(actor=None),
    }
    owned: list[tuple[str, type[Owned], str]] = [
        ("topic_follows_deleted", TopicFollow, "user"),
        ("question_follows_deleted", QuestionFollow, "user"),
        ("saved_questions_deleted", SavedQuestion, "user"),
        ("notifications_deleted", Notification, "recipient"),
        ("preferences_deleted", Preference, "user"),
    ]
    for key, model, field in owned:
        done[key] = model.objects.filter(**{field: user}).delete()[0]
    return done
