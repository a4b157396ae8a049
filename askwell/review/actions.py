"""Medical review decisions: approve, request changes, reject; and the
group whose members make them.

Each checks the reviewer's permission and that readers can be shown who
they are (a display name: review/permissions.reviewer_identity_missing), records a MedicalReview and an audit
entry in the same transaction as the answer's new state, tells search the
answer changed (what readers see may change: questions/signals.py), tells
the author on the site (questions/signals.answer_reviewed, which
notifications follows), and mails the author after commit.

Readers keep an answer's approved words while a newer version (its draft)
waits or changes are requested of it; approval makes the draft the words
readers see, rejection of a draft leaves the approved words. The asker and
followers hear "answered" when readers first can see an answer, at most
once (questions/actions.announce_when_shown).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from askwell.accounts.mail import send_after_commit
from askwell.audit import log_action
from askwell.questions import actions as question_actions
from askwell.questions import signals
from askwell.questions.models import Answer
from askwell.review.models import MedicalReview
from askwell.review.permissions import (
    REVIEWERS,
    check_can_review,
    reviewer_identity_missing,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import Group

    from askwell.accounts.models import User

REVIEWABLE = {
    Answer.Review.PENDING,
    Answer.Review.NEEDS_RE_REVIEW,
    Answer.Review.PUBLISHED,  # a reviewed answer falling due again
}
OUTCOME: dict[str, str] = {
    MedicalReview.Decision.APPROVED: Answer.Review.PUBLISHED,
    MedicalReview.Decision.CHANGES_REQUESTED: Answer.Review.CHANGES_REQUESTED,
    MedicalReview.Decision.REJECTED: Answer.Review.REJECTED,
}


def ensure_reviewers_group() -> Group:
    """The "Medical reviewers" group with its permission: migration 0002
    creates it; this brings it back wherever it was removed (a flushed
    database), for whoever makes someone a reviewer (the demo, tests)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=REVIEWERS)
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="review", codename="review_answer"
        )
    )
    return group


def approve_answer(reviewer: User, answer: Answer, *, note: str = "") -> MedicalReview:
    return _decide(reviewer, answer, MedicalReview.Decision.APPROVED, note)


def request_changes(reviewer: User, answer: Answer, *, note: str) -> MedicalReview:
    return _decide(reviewer, answer, MedicalReview.Decision.CHANGES_REQUESTED, note)


def reject_answer(reviewer: User, answer: Answer, *, note: str) -> MedicalReview:
    return _decide(reviewer, answer, MedicalReview.Decision.REJECTED, note)


def _decide(reviewer: User, answer: Answer, decision: str, note: str) -> MedicalReview:
    check_can_review(reviewer, answer)
    missing = reviewer_identity_missing(reviewer)
    if missing:
        raise ValidationError(missing, code="no_display_name")
    note = note.strip()
    if decision != MedicalReview.Decision.APPROVED and not note:
        raise ValidationError(
            {"note": "Tell the author what to change, or why the answer is rejected."},
            code="required",
        )
    with transaction.atomic():
        answer = (
            Answer.objects.select_for_update(of=("self",))
            .select_related("question", "contributor", "author")
            .get(pk=answer.pk)
        )
        if answer.review_state not in REVIEWABLE:
            raise ValidationError(
                f"This answer is {answer.get_review_state_display().lower()}: "
                "it waits for its author, not for a review.",
                code="not_reviewable",
            )
        before = {"review_state": answer.review_state}
        was_shown = Answer.objects.published().filter(pk=answer.pk).exists()
        # The version decided on: a draft waiting behind approved words, or
        # the words the row holds (its newest revision).
        reviewed = answer.draft or answer.revisions.order_by("-number").first()
        holds_approved_words = answer.is_medically_reviewed
        answer.review_state = OUTCOME[decision]
        fields = ["review_state"]
        if (
            decision == MedicalReview.Decision.CHANGES_REQUESTED
            and holds_approved_words
            and answer.draft_id is None
            and reviewed is not None
        ):
            # Changes asked of approved words at a re-review: the words
            # decided on become the version in revision (a draft), so readers
            # keep the approved words, signed off, while the author revises.
            answer.draft = reviewed
            fields.append("draft")
        if decision == MedicalReview.Decision.APPROVED:
            question_actions.publish_draft(answer)
            answer.reviewed_by = reviewer
            answer.reviewed_at = timezone.now()
            fields += ["reviewed_by", "reviewed_at"]
        elif decision == MedicalReview.Decision.REJECTED and answer.draft_id:
            # The new version is turned down; the approved words readers
            # have stay, as approved (the draft stays in the history).
            answer.draft = None
            answer.review_state = Answer.Review.PUBLISHED
            fields.append("draft")
        answer.save(update_fields=fields)
        review = MedicalReview.objects.create(
            answer=answer,
            revision=reviewed,
            reviewer=reviewer,
            decision=decision,
            note=note,
        )
        log_action(
            answer,
            f"answer.review.{decision}",
            reviewer,
            {"note": note},
            before=before,
            after={"review_state": answer.review_state},
        )
        signals.answers_changed([answer.pk])
        signals.answer_reviewed.send(
            sender=Answer, answer=answer, decision=decision, note=note, actor=reviewer
        )
        if decision == MedicalReview.Decision.APPROVED and not was_shown:
            question_actions.announce_when_shown(answer, actor=answer.author)
        _tell_author(answer, review)
    return review


def _tell_author(answer: Answer, review: MedicalReview) -> None:
    author = answer.author or answer.contributor.user
    if author is None:
        return
    send_after_commit(
        author.email,
        "review/email/decision",
        {
            "answer": answer,
            "review": review,
            "url": settings.ASKWELL_SITE_URL.rstrip("/") + answer.get_absolute_url(),
        },
    )
