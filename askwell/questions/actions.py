"""Every write to questions and answers: one function per action.

Each checks permission (permissions.py), writes inside one transaction,
keeps a Revision of every version of a question or answer, and sends the
event of what happened (signals.py), to which notifications and search
subscribe. Pages, the API and the admin call these, so they all behave the
same.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from askwell.accounts.roles import is_editor
from askwell.audit import log_action
from askwell.core.importing import Imported, ImportRow, Slugs, upsert
from askwell.language.understanding import find_types
from askwell.lib import limits
from askwell.questions import permissions, signals
from askwell.questions.models import (
    Answer,
    Comment,
    Endorsement,
    HelpfulMark,
    Question,
    QuestionType,
    Reference,
    Revision,
    render_html,
)

if TYPE_CHECKING:
    from datetime import datetime

    from askwell.accounts.models import User
    from askwell.experts.models import Book, Contributor
    from askwell.topics.models import Topic


@dataclass(frozen=True)
class ReferenceData:
    """One cited source: exactly one of url, doi, pmid, plus an optional title."""

    url: str = ""
    doi: str = ""
    pmid: str = ""
    title: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "url": self.url,
            "doi": self.doi,
            "pmid": self.pmid,
            "title": self.title,
        }


# --- questions ----------------------------------------------------------------------


def ask_question(
    user: User,
    *,
    title: str,
    details: str = "",
    topics: Iterable[Topic] = (),
    anonymous: bool = False,
) -> Question:
    """Post a reader's question; its type is read from its wording."""
    permissions.check_can_ask(user)
    topics = list(topics)
    with transaction.atomic():
        question = Question(
            title=title,
            slug=_unique_slug(title),
            details=details,
            asker=user,
            is_anonymous=anonymous,
            question_type=_question_type(title, details),
            status=Question.Status.OPEN,
        )
        question.full_clean(exclude=["slug"])
        question.save()
        question.topics.set(topics)
        _record_question_revision(question, user, reason="Asked")
        # A held question reaches topic followers when an editor approves it.
        if not hold_if_new(question):
            signals.question_asked.send(sender=Question, question=question, actor=user)
    return question


def hold_if_new(question: Question) -> bool:
    """Hold `question` for a first review when ASKWELL_HOLD_NEW_QUESTIONS is
    on and its asker has no earlier approved (visible) question. Editors are
    never held. Returns whether it was held.

    Call it inside the transaction that posts the question, right after the
    question is saved; when it returns True, tell topic followers only once
    an editor approves (moderation.actions.approve_question does).
    """
    asker = question.asker
    if not settings.ASKWELL_HOLD_NEW_QUESTIONS or asker is None or is_editor(asker):
        return False
    approved = (
        Question.objects.visible().filter(asker=asker).exclude(pk=question.pk).exists()
    )
    if approved:
        return False
    before = question.moderation
    question.moderation = Question.Moderation.HELD
    question.save(update_fields=["moderation", "updated_at"])
    log_action(
        question,
        "question.held",
        None,
        {"rule": "first question of a new account"},
        before={"moderation": before},
        after={"moderation": question.moderation},
    )
    return True


def edit_question(
    user: User,
    question: Question,
    *,
    title: str,
    details: str,
    topics: Iterable[Topic],
    reason: str = "",
) -> Question:
    permissions.check_can_edit_question(user, question)
    topics = list(topics)
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        question.title = title
        question.details = details
        question.full_clean(exclude=["slug"])
        question.save(update_fields=["title", "details", "updated_at"])
        question.topics.set(topics)
        _record_question_revision(question, user, reason=reason or "Edited")
        signals.questions_changed([question.pk])
        signals.question_edited.send(sender=Question, question=question, actor=user)
    return question


def record_view(question: Question) -> None:
    """Count one view of `question`'s page.

    Kept to one statement, UPDATE … SET view_count = view_count + 1: no
    lock, no revision, no event and no audit. The content generation
    ignores exactly this statement (core.generation._UNSHOWN_UPDATES): a
    view changes no page's text, so it must not make every cached page
    obsolete.
    """
    Question.objects.filter(pk=question.pk).update(view_count=F("view_count") + 1)


def _question_type(title: str, details: str) -> str:
    types = find_types(f"{title}\n{details}")
    return types[0][0] if types else QuestionType.OTHER


# Paths under /questions/ that are not questions (see urls.py).
RESERVED_SLUGS = frozenset({"ask", "preview", "mine", "answers", "revisions"})


def _unique_slug(title: str) -> str:
    max_length = Question._meta.get_field("slug").max_length - 8  # type: ignore[operator]  # a SlugField has one
    base = slugify(title)[:max_length].strip("-") or "question"
    if base in RESERVED_SLUGS:
        base = f"{base}-question"
    taken = set(
        Question.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _record_question_revision(
    question: Question, user: User, *, reason: str
) -> Revision:
    return Revision.objects.create(
        question=question,
        answer=None,
        number=_next_number(Revision.objects.filter(question=question, answer=None)),
        author=user,
        # An editor's edit (moderation) is not the asker's: the history says so.
        by_signer=question.asker_id is not None and question.asker_id == user.pk,
        reason=reason[:200],
        title=question.title,
        body=question.details,
        extra={"topics": sorted(t.pk for t in question.topics.all())},
    )


# --- answers ------------------------------------------------------------------------


def post_answer(
    user: User,
    question: Question,
    *,
    contributor: Contributor,
    body: str,
    references: Sequence[ReferenceData] = (),
    source_book: Book | None = None,
    stance: str = "",
) -> Answer:
    """Publish an answer signed by `contributor` (one answer per contributor)."""
    with transaction.atomic():
        # Serialise answers to one question so two clicks cannot post twice.
        question = Question.objects.select_for_update().get(pk=question.pk)
        permissions.check_can_answer(user, question, contributor)
        _check_book(source_book, contributor)
        answer = Answer(
            question=question,
            contributor=contributor,
            author=user,
            body=body,
            source_book=source_book,
            stance=stance,
            status=Answer.Status.PUBLISHED,
            review_state=Answer.Review.PENDING,
        )
        answer.full_clean(exclude=ANSWER_CLEAN_EXCLUDE)
        answer.save()
        _write_references(answer, references)
        _record_answer_revision(answer, user, reason="Answered")
        if question.status == Question.Status.OPEN:
            question.status = Question.Status.ANSWERED
            question.save(update_fields=["status", "updated_at"])
        signals.answers_changed([answer.pk])
        announce_when_shown(answer, actor=user)
    return answer


def announce_when_shown(answer: Answer, *, actor: User | None) -> bool:
    """Send answer_posted (the asker and the question's followers hear "X
    answered") the first time readers can see `answer`, and never again.

    Called wherever an answer may first reach readers, inside that action's
    transaction: when it is posted (ASKWELL_SHOW_UNREVIEWED shows it before
    review) and when a reviewer approves it (review/actions.py). An answer
    approved again after requested changes was announced already:
    `first_published_at` says so. Returns whether it was announced now.
    """
    if answer.first_published_at is not None:
        return False
    if not Answer.objects.published().filter(pk=answer.pk).exists():
        return False
    answer.first_published_at = timezone.now()
    answer.save(update_fields=["first_published_at"])
    signals.answer_posted.send(sender=Answer, answer=answer, actor=actor)
    return True


def edit_answer(
    user: User,
    answer: Answer,
    *,
    body: str,
    references: Sequence[ReferenceData] = (),
    source_book: Book | None = None,
    stance: str = "",
    reason: str = "",
) -> Answer:
    """Save new words for `answer`; they go back to medical review (see
    _revise: approved words stay before readers meanwhile)."""
    permissions.check_can_edit_answer(user, answer)
    with transaction.atomic():
        answer = Answer.objects.select_for_update().get(pk=answer.pk)
        _check_book(source_book, answer.contributor)
        _revise(
            answer,
            user,
            body=body,
            references=references,
            source_book=source_book,
            stance=stance,
            reason=reason or "Edited",
        )
        signals.answers_changed([answer.pk])
        signals.answer_edited.send(sender=Answer, answer=answer, actor=user)
    return answer


# Fields a new version of an answer does not set, left out of its full_clean().
ANSWER_CLEAN_EXCLUDE = ["question", "contributor", "author", "source_book", "draft"]


def _revise(
    answer: Answer,
    user: User,
    *,
    body: str,
    references: Sequence[ReferenceData],
    source_book: Book | None,
    stance: str,
    reason: str,
) -> Revision:
    """Keep a new version of `answer` (locked by the caller) and send it to
    medical review.

    Words a reviewer approved stay before readers while the new ones wait:
    when the row holds approved words (Answer.is_medically_reviewed), the
    new version becomes the answer's `draft` and the row keeps its words,
    references, stance and book (and "Medically reviewed by", which is
    theirs) until a reviewer approves the draft (publish_draft). An answer
    never approved takes the new words at once and is pending again.
    """
    if answer.is_medically_reviewed:
        proposed = copy(answer)
        proposed.body, proposed.stance = body, stance
        proposed.full_clean(exclude=ANSWER_CLEAN_EXCLUDE)
        revision = _record_answer_revision(
            answer,
            user,
            reason=reason,
            body=body,
            extra=_revision_extra(stance, source_book, references),
        )
        answer.draft = revision
        answer.review_state = Answer.Review.PENDING
        answer.save(update_fields=["draft", "review_state", "updated_at"])
        return revision
    answer.body = body
    answer.source_book = source_book
    answer.stance = stance
    answer.review_state = Answer.Review.PENDING
    answer.draft = None
    answer.full_clean(exclude=ANSWER_CLEAN_EXCLUDE)
    answer.save(
        update_fields=[
            "body",
            "source_book",
            "stance",
            "review_state",
            "draft",
            "updated_at",
        ]
    )
    answer.references.all().delete()
    _write_references(answer, references)
    return _record_answer_revision(answer, user, reason=reason)


def publish_draft(answer: Answer) -> None:
    """Make `answer`'s draft the words readers see: its text, stance, book
    and references replace the row's. Review's approval calls it, inside its
    transaction with `answer` locked, before it records who approved; no new
    revision is kept (the draft is one). Nothing happens without a draft."""
    draft = answer.draft
    if draft is None:
        return
    from askwell.experts.models import Book

    book_id = draft.extra.get("source_book")
    answer.body = draft.body
    answer.stance = draft.extra.get("stance", "")
    answer.source_book = Book.objects.filter(pk=book_id).first() if book_id else None
    answer.draft = None
    answer.save(update_fields=["body", "stance", "source_book", "draft", "updated_at"])
    answer.references.all().delete()
    _write_references(
        answer, [ReferenceData(**r) for r in draft.extra.get("references", [])]
    )


def _check_book(book: Book | None, contributor: Contributor) -> None:
    if book is not None and not book.authors.filter(pk=contributor.pk).exists():
        raise ValidationError(
            {
                "source_book": f"“{book.title}” is not a book by {contributor.signature}."
            },
            code="not_their_book",
        )


def _write_references(answer: Answer, references: Sequence[ReferenceData]) -> None:
    Reference.objects.bulk_create(
        Reference(answer=answer, position=i, **ref.as_dict())
        for i, ref in enumerate(references)
    )


def _record_answer_revision(
    answer: Answer,
    user: User,
    *,
    reason: str,
    body: str | None = None,
    extra: dict[str, object] | None = None,
) -> Revision:
    """Keep this version of the answer: the row's words, or `body` and
    `extra` (a draft's, which the row does not hold). A version written by
    anyone but its signer (an editor's edit or restore, an admin's edit) is
    marked as such, which the answer and its history show (and
    notifications tells the signer: the words under their name changed).
    The callers have already sent a changed answer back to medical review."""
    by_signer = permissions.signs(user, answer)
    revision = Revision.objects.create(
        question_id=answer.question_id,
        answer=answer,
        number=_next_number(Revision.objects.filter(answer=answer)),
        author=user,
        by_signer=by_signer,
        reason=reason[:200],
        body=answer.body if body is None else body,
        extra=_revision_extra(answer.stance, answer.source_book, _references_of(answer))
        if extra is None
        else extra,
    )
    signals.answer_revised.send(
        sender=Answer, answer=answer, revision=revision, actor=user
    )
    return revision


def _revision_extra(
    stance: str, source_book: Book | None, references: Sequence[ReferenceData]
) -> dict[str, object]:
    return {
        "stance": stance,
        "source_book": source_book.pk if source_book else None,
        "references": [r.as_dict() for r in references],
    }


def _references_of(answer: Answer) -> list[ReferenceData]:
    return [
        ReferenceData(url=r.url, doi=r.doi, pmid=r.pmid, title=r.title)
        for r in answer.references.all()
    ]


def _next_number(revisions: object) -> int:
    return (revisions.aggregate(n=Max("number"))["n"] or 0) + 1  # type: ignore[attr-defined]  # a QuerySet[Revision]


# --- the admin ----------------------------------------------------------------------
#
# Editors may change any field in the admin. The admin saves nothing itself:
# it fills in the row and calls these, which keep the same history and send
# the same events as the site.

# What readers take as the answer: changing any of it needs a new review.
ANSWER_WORDS = frozenset({"body", "stance", "source_book", "source_url"})
ADMIN_REASON = "Edited in the admin"


def save_question(
    editor: User,
    question: Question,
    *,
    topics: Iterable[Topic],
    changed: Collection[str],
    created: bool = False,
) -> Question:
    """Save an editor's change to any field of `question` as the admin's form
    filled it in (`changed`: the form's changed fields), with its `topics`.

    Every version is kept, as on the site: a new or changed question gets a
    revision. The admin has checked the editor's model permissions.
    """
    with transaction.atomic():
        question.save()
        question.topics.set(topics)
        if changed or created:
            _record_question_revision(question, editor, reason=ADMIN_REASON)
        signals.questions_changed([question.pk])
    return question


def save_answer(
    editor: User, answer: Answer, *, changed: Collection[str], created: bool = False
) -> Answer:
    """Save an editor's change to any field of `answer` as the admin's form
    filled it in (`changed`: the form's changed fields).

    A new answer, or one whose words (ANSWER_WORDS) changed, goes back to
    medical review, as an edit on the site does; every new or changed
    answer gets a revision. The admin has checked the editor's model
    permissions.
    """
    with transaction.atomic():
        if created or ANSWER_WORDS & set(changed):
            # The row's words are the newest now: a draft waiting behind
            # them is superseded (its revision stays in the history).
            answer.review_state = Answer.Review.PENDING
            answer.draft = None
        answer.save()
        if changed or created:
            _record_answer_revision(answer, editor, reason=ADMIN_REASON)
        signals.answers_changed([answer.pk])
    return answer


def delete_questions(editor: User, questions: Iterable[Question]) -> int:
    """Delete `questions` and their answers for good (the admin; on the site
    editors delete restorably, moderation.actions.delete_content). Returns
    how many questions were deleted."""
    ids = [q.pk for q in questions]
    with transaction.atomic():
        answer_ids = list(
            Answer.objects.filter(question__in=ids).values_list("pk", flat=True)
        )
        deleted = (
            Question.objects.filter(pk__in=ids).delete()[1].get(Question._meta.label, 0)
        )
        signals.answers_changed(answer_ids)
    return deleted


def delete_answers(editor: User, answers: Iterable[Answer]) -> int:
    """Delete `answers` for good (the admin; see delete_questions). Returns
    how many were deleted."""
    ids = [a.pk for a in answers]
    with transaction.atomic():
        deleted = (
            Answer.objects.filter(pk__in=ids).delete()[1].get(Answer._meta.label, 0)
        )
        signals.answers_changed(ids)
    return deleted


# --- revisions ----------------------------------------------------------------------


def restore_revision(user: User, revision: Revision, *, reason: str = "") -> Revision:
    """Bring back an earlier version; the restore is itself a new revision."""
    permissions.check_can_restore_revision(user, revision)
    note = reason or f"Restored revision {revision.number}"
    if revision.answer_id is None:
        question = revision.question
        topic_ids = revision.extra.get("topics", [])
        from askwell.topics.models import Topic

        with transaction.atomic():
            question = Question.objects.select_for_update().get(pk=question.pk)
            question.title = revision.title
            question.details = revision.body
            question.save(update_fields=["title", "details", "updated_at"])
            question.topics.set(Topic.objects.filter(pk__in=topic_ids))
            restored = _record_question_revision(question, user, reason=note)
            signals.questions_changed([question.pk])
            log_action(
                question,
                "revision.restored",
                user,
                {"revision": revision.number, "reason": note},
            )
        return restored
    from askwell.experts.models import Book

    with transaction.atomic():
        answer = Answer.objects.select_for_update().get(pk=revision.answer_id)
        book_id = revision.extra.get("source_book")
        restored = _revise(
            answer,
            user,
            body=revision.body,
            references=[
                ReferenceData(**r) for r in revision.extra.get("references", [])
            ],
            source_book=Book.objects.filter(pk=book_id).first() if book_id else None,
            stance=revision.extra.get("stance", ""),
            reason=note,
        )
        signals.answers_changed([answer.pk])
        log_action(
            answer,
            "revision.restored",
            user,
            {"revision": revision.number, "reason": note},
        )
    return restored


# --- signals of quality -------------------------------------------------------------


def mark_helpful(user: User, answer: Answer) -> bool:
    """Mark `answer` helpful for `user`; False when it already was (one mark each)."""
    permissions.check_can_mark_helpful(user, answer)
    with transaction.atomic():
        _, created = HelpfulMark.objects.get_or_create(answer=answer, user=user)
    return created


def unmark_helpful(user: User, answer: Answer) -> bool:
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to change your marks.")
    with transaction.atomic():
        deleted, _ = HelpfulMark.objects.filter(answer=answer, user=user).delete()
    return bool(deleted)


def endorse_answer(
    user: User,
    answer: Answer,
    *,
    contributor: Contributor,
    kind: str = Endorsement.Kind.ENDORSE,
    reason: str,
) -> Endorsement:
    """Endorse (or dispute) `answer` as `contributor`, with a short reason.

    One stand per contributor per answer: endorsing again replaces it.
    """
    permissions.check_can_endorse(user, answer, contributor)
    if kind not in Endorsement.Kind.values:
        raise ValidationError({"kind": "Choose endorse or disagree."}, code="invalid")
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": "Say in a few words why you endorse or dispute this answer."},
            code="required",
        )
    if len(reason) > 300:
        raise ValidationError(
            {"reason": "Keep the reason under 300 characters."}, code="max_length"
        )
    with transaction.atomic():
        endorsement, _ = Endorsement.objects.update_or_create(
            answer=answer,
            contributor=contributor,
            defaults={"user": user, "kind": kind, "reason": reason},
        )
    return endorsement


def withdraw_endorsement(
    user: User, answer: Answer, *, contributor: Contributor
) -> bool:
    permissions.check_can_endorse(user, answer, contributor)
    with transaction.atomic():
        deleted, _ = Endorsement.objects.filter(
            answer=answer, contributor=contributor
        ).delete()
    return bool(deleted)


# --- comments -----------------------------------------------------------------------


def post_comment(user: User, answer: Answer, *, body: str) -> Comment:
    permissions.check_can_comment(user, answer)
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write a comment first."}, code="required")
    if len(body) > limits.COMMENT:
        raise ValidationError(
            {"body": limits.length_message(limits.COMMENT, len(body))},
            code="max_length",
        )
    with transaction.atomic():
        comment = Comment.objects.create(answer=answer, author=user, body=body)
        signals.comment_posted.send(sender=Comment, comment=comment, actor=user)
    return comment


# --- imports ------------------------------------------------------------------------


def import_questions_batch(
    rows: Sequence[ImportRow], *, slugs: Slugs
) -> list[Imported]:
    """Create or update a batch of questions from an import (core.importing),
    with their topics (`relations`), rendering the details' HTML.

    Search follows the questions created or changed (content_changed), the
    lexical index only: an import computes embeddings as a step of its own.
    """
    with transaction.atomic():
        imported = upsert(
            Question, rows, slugs=slugs, slug_from="title", derive=render_html
        )
        touched = [i.pk for i in imported if i.touched]
        if touched:
            signals.questions_changed(touched, embed=False)
    return imported


def import_answers_batch(
    rows: Sequence[ImportRow],
    *,
    review_state: str = Answer.Review.PUBLISHED,
    reviewed_at: datetime | None = None,
) -> list[Imported]:
    """Create or update a batch of answers from an import (core.importing),
    rendering their HTML. New answers get `review_state` and `reviewed_at`;
    answers already here keep their medical review.

    Search follows the answers created or changed, lexically (see
    import_questions_batch).
    """
    with transaction.atomic():
        imported = upsert(
            Answer,
            rows,
            derive=render_html,
            on_create={"review_state": review_state, "reviewed_at": reviewed_at},
        )
        touched = [i.pk for i in imported if i.touched]
        if touched:
            signals.answers_changed(touched, embed=False)
    return imported
