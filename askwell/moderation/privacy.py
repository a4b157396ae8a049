"""What Askwell holds about one person, and how it is erased.

`collect_user_data` reads; `erase_user` writes and is called only by
actions.delete_account, inside its transaction and after its checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from askwell.accounts.models import ApiToken
from askwell.experts.actions import end_memberships_of
from askwell.experts.models import Contributor, CredentialApplication, Membership
from askwell.moderation.models import Flag
from askwell.notifications.models import (
    Notification,
    Preference,
    QuestionFollow,
    SavedQuestion,
    TopicFollow,
)
from askwell.questions.models import (
    Answer,
    Comment,
    Endorsement,
    HelpfulMark,
    Question,
    Revision,
)

if TYPE_CHECKING:
    from askwell.accounts.models import User

EXPORT_FORMAT = "askwell-personal-data/1"

# The rule the delete page and the README state, kept here next to the code
# that applies it.
DELETION_RULE = [
    "Your questions stay on the site, so others can still read their answers, "
    "but they become anonymous and are no longer linked to you.",
    "Your comments stay, shown as from “a former member”.",
    "Your helpful marks, follows, saved questions, notifications, notification "
    "preferences, API tokens and expert applications are deleted.",
    "Your memberships of organizations end, and invitations waiting for you "
    "are declined; the record of when you belonged stays.",
    "Your reports to the editors stay, without your name.",
    "If you answer as a verified expert, your signed answers and endorsements "
    "stay under your professional name (they were published under it), but "
    "the profile is no longer linked to any account.",
    "Your account itself is kept only as an empty, disabled record: the "
    "username, name and email address are erased and the password can never "
    "be used again. The audit log keeps its entries (it is append-only), "
    "now pointing at that empty record.",
]


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def collect_user_data(user: User) -> dict[str, Any]:
    """Everything linked to `user`, as JSON-ready data.

    Other people appear only as what the site already shows publicly
    (a contributor's signature, a question's title): never an asker's
    name, even for the person's own activity on someone else's question.
    """
    questions = Question.objects.filter(asker=user).prefetch_related("topics")
    contributor = Contributor.objects.filter(user=user).first()
    preference = Preference.objects.filter(user=user).first()
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "groups": sorted(user.groups.values_list("name", flat=True)),
        },
        "questions": [
            {
                "title": q.title,
                "details": q.details,
                "url": q.get_absolute_url(),
                "anonymous": q.is_anonymous,
                "status": q.status,
                "moderation": q.moderation,
                "topics": sorted(t.name for t in q.topics.all()),
                "created_at": _when(q.created_at),
            }
            for q in questions.order_by("created_at", "pk")
        ],
        "answers": [
            {
                "question": a.question.title,
                "url": a.get_absolute_url(),
                "signed_as": a.contributor.signature,
                "body": a.body,
                "status": a.status,
                "created_at": _when(a.created_at),
                "updated_at": _when(a.updated_at),
            }
            for a in Answer.objects.filter(author=user)
            .select_related("question", "contributor")
            .order_by("created_at", "pk")
        ],
        "comments": [
            {
                "question": c.answer.question.title,
                "url": c.get_absolute_url(),
                "body": c.body,
                "status": c.status,
                "created_at": _when(c.created_at),
            }
            for c in Comment.objects.filter(author=user)
            .select_related("answer__question")
            .order_by("created_at", "pk")
        ],
        "helpful_marks": [
            {
                "answer": m.answer.get_absolute_url(),
                "question": m.answer.question.title,
                "created_at": _when(m.created_at),
            }
            for m in HelpfulMark.objects.filter(user=user)
            .select_related("answer__question")
            .order_by("created_at", "pk")
        ],
        "endorsements": [
            {
                "answer": e.answer.get_absolute_url(),
                "as": e.contributor.signature,
                "kind": e.kind,
                "reason": e.reason,
                "created_at": _when(e.created_at),
            }
            for e in Endorsement.objects.filter(user=user)
            .select_related("answer__question", "contributor")
            .order_by("created_at", "pk")
        ],
        "followed_topics": [
            {"topic": f.topic.name, "since": _when(f.created_at)}
            for f in TopicFollow.objects.filter(user=user)
            .select_related("topic")
            .order_by("created_at", "pk")
        ],
        "followed_questions": [
            {
                "question": f.question.title,
                "url": f.question.get_absolute_url(),
                "since": _when(f.created_at),
            }
            for f in QuestionFollow.objects.filter(user=user)
            .select_related("question")
            .order_by("created_at", "pk")
        ],
        "saved_questions": [
            {
                "question": s.question.title,
                "url": s.question.get_absolute_url(),
                "saved_at": _when(s.created_at),
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
                "created_at": _when(n.created_at),
                "read_at": _when(n.read_at),
                "emailed_at": _when(n.emailed_at),
            }
            for n in Notification.objects.filter(recipient=user).order_by(
                "created_at", "pk"
            )
        ],
        "notification_preferences": {
            name: getattr(preference or Preference(user=user), name)
            for name in Preference.field_names()
        },
        "flags": [
            {
                "kind": f.kind,
                "reason": f.reason,
                "text": f.text,
                "status": f.status,
                "created_at": _when(f.created_at),
            }
            for f in Flag.objects.filter(reporter=user).order_by("created_at", "pk")
        ],
        "expert_profile": None
        if contributor is None
        else {
            "name": contributor.name,
            "credentials": contributor.credentials,
            "specialty": contributor.specialty,
            "bio": contributor.bio,
            "website": contributor.website,
            "verified": contributor.is_verified,
            "url": contributor.get_absolute_url(),
        },
        "organizations": sorted(
            Contributor.objects.filter(
                memberships__user=user, memberships__status=Membership.Status.ACTIVE
            ).values_list("name", flat=True)
        ),
        "memberships": [
            {
                "organization": m.organization.name,
                "role": m.role,
                "status": m.status,
                "invited_at": _when(m.created_at),
                "joined_at": _when(m.joined_at),
                "left_at": _when(m.left_at),
            }
            for m in Membership.objects.filter(user=user)
            .select_related("organization")
            .order_by("created_at", "pk")
        ],
        # What each token was for and when it was used; never the token,
        # which Askwell does not have.
        "api_tokens": [
            {
                "name": t.name,
                "starts_with": t.prefix,
                "created_at": _when(t.created_at),
                "last_used_at": _when(t.last_used_at),
                "revoked_at": _when(t.revoked_at),
            }
            for t in user.api_tokens.order_by("created_at", "pk")
        ],
        "expert_applications": [
            {
                "full_name": a.full_name,
                "credentials": a.credentials,
                "degree": a.degree,
                "licence_number": a.licence_number,
                "licence_issuer": a.licence_issuer,
                "specialty": a.specialty,
                "evidence_url": a.evidence_url,
                "status": a.status,
                "reason": a.reason,
                "created_at": _when(a.created_at),
            }
            for a in CredentialApplication.objects.filter(applicant=user).order_by(
                "created_at", "pk"
            )
        ],
    }


def erase_user(user: User) -> dict[str, int]:
    """Apply DELETION_RULE to `user`; returns how many rows of each kind changed.

    The account row stays as a disabled, nameless record so that audit
    entries and reviews keep pointing at one account.
    """
    done = {
        "questions_anonymized": Question.objects.filter(asker=user).update(
            asker=None, is_anonymous=True
        ),
        "comments_kept_without_author": Comment.objects.filter(author=user).update(
            author=None
        ),
        "answers_unlinked": Answer.objects.filter(author=user).update(author=None),
        "revisions_unlinked": Revision.objects.filter(author=user).update(author=None),
        "endorsements_unlinked": Endorsement.objects.filter(user=user).update(
            user=None
        ),
        "profiles_unlinked": Contributor.objects.filter(user=user).update(user=None),
        "flags_kept_without_reporter": Flag.objects.filter(reporter=user).update(
            reporter=None
        ),
        "notifications_unlinked_as_actor": Notification.objects.filter(
            actor=user
        ).update(actor=None),
    }
    for key, model, field in [
        ("helpful_marks_deleted", HelpfulMark, "user"),
        ("topic_follows_deleted", TopicFollow, "user"),
        ("question_follows_deleted", QuestionFollow, "user"),
        ("saved_questions_deleted", SavedQuestion, "user"),
        ("notifications_deleted", Notification, "recipient"),
        ("preferences_deleted", Preference, "user"),
        ("applications_deleted", CredentialApplication, "applicant"),
        ("api_tokens_deleted", ApiToken, "user"),
    ]:
        done[key] = model.objects.filter(**{field: user}).delete()[0]
    # Ended, not deleted: medical review still needs to know who belonged
    # to an organization when its answers were written.
    done["organizations_left"] = end_memberships_of(user)
    user.groups.clear()
    user.user_permissions.clear()
    user.username = f"deleted-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.save(
        update_fields=[
            "username",
            "first_name",
            "last_name",
            "email",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "last_login",
        ]
    )
    return done
