"""Rows to the dicts the API answers with (shapes in schemas.py).

Each function reads only what its caller loaded (the docstring says what
to select or prefetch), so building a page of output costs no query.
What readers must not see never gets here: callers pass published answers
only, and `question_dict` leaves the asker out unless `show_asker`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from askwell.questions.models import Answer, Endorsement

if TYPE_CHECKING:
    from askwell.experts.models import Book, Contributor, Video
    from askwell.questions.models import Question
    from askwell.topics.models import Topic


def topic_ref(topic: Topic) -> dict[str, Any]:
    return {"id": topic.pk, "name": topic.name, "slug": topic.slug}


def contributor_ref(contributor: Contributor) -> dict[str, Any]:
    return {
        "id": contributor.pk,
        "kind": contributor.kind,
        "name": contributor.name,
        "slug": contributor.slug,
        "credentials": contributor.credentials,
        "signature": contributor.signature,
        "verified": contributor.is_verified,
        "url": contributor.get_absolute_url(),
    }


def contributor_dict(contributor: Contributor) -> dict[str, Any]:
    """Needs the `published_answers` annotation."""
    return {
        **contributor_ref(contributor),
        "specialty": contributor.specialty,
        "verified_at": contributor.verified_at,
        # Annotated by the caller (api/views/contributors.py), which the
        # Contributor type cannot say.
        "answer_count": contributor.published_answers,  # type: ignore[attr-defined]  # annotated by the caller
    }


def book_ref(book: Book) -> dict[str, Any]:
    return {
        "id": book.pk,
        "title": book.title,
        "slug": book.slug,
        "url": book.get_absolute_url(),
    }


def book_dict(book: Book) -> dict[str, Any]:
    """Needs `authors` prefetched."""
    return {
        **book_ref(book),
        "description": book.description,
        "link": book.link,
        "published_year": book.published_year,
        "cover_url": book.cover.url if book.cover else None,
        "authors": [contributor_ref(c) for c in book.authors.all()],
    }


def video_ref(video: Video) -> dict[str, Any]:
    return {
        "id": video.pk,
        "title": video.title,
        "slug": video.slug,
        "url": video.get_absolute_url(),
    }


def video_dict(video: Video) -> dict[str, Any]:
    """Needs `presenter` selected and `topics` prefetched."""
    return {
        **video_ref(video),
        "description": video.description,
        "duration_seconds": int(video.duration.total_seconds())
        if video.duration is not None
        else None,
        "media_url": video.media_url,
        "presenter": contributor_ref(video.presenter) if video.presenter else None,
        "topics": [topic_ref(t) for t in video.topics.all()],
    }


def question_dict(question: Question, *, show_asker: bool) -> dict[str, Any]:
    """Needs `asker` selected, `topics` prefetched and the
    `published_answer_count` annotation."""
    return {
        "id": question.pk,
        "title": question.title,
        "slug": question.slug,
        "url": question.get_absolute_url(),
        "question_type": question.question_type,
        "status": question.status,
        "created_at": question.created_at,
        # with_published_answer_count()'s: the stubs lose annotations across
        # a custom QuerySet method (as the three counts in answer_dict).
        "answer_count": question.published_answer_count,  # type: ignore[attr-defined]  # with_published_answer_count()'s
        "asker": question.asker.get_username()
        if show_asker and question.asker is not None
        else None,
        "topics": [topic_ref(t) for t in question.topics.all()],
    }


def answer_dict(answer: Answer) -> dict[str, Any]:
    """`answer` as loaded by AnswerQuerySet.for_display()."""
    reviewer = answer.reviewed_by
    edit = answer.last_outside_edit
    return {
        "id": answer.pk,
        "question_id": answer.question_id,
        "url": answer.get_absolute_url(),
        "contributor": contributor_ref(answer.contributor),
        "body": answer.body,
        "body_html": answer.body_html,
        "stance": answer.stance,
        "source_book": book_ref(answer.source_book) if answer.source_book else None,
        "references": [
            {
                "url": r.url,
                "doi": r.doi,
                "pmid": r.pmid,
                "title": r.title,
                "link": r.link,
            }
            for r in answer.references.all()
        ],
        "helpful_count": answer.helpful_count,  # type: ignore[attr-defined]  # ordered_for_display()'s
        "endorsement_count": answer.endorsement_count,  # type: ignore[attr-defined]  # ordered_for_display()'s
        "disagreement_count": answer.disagreement_count,  # type: ignore[attr-defined]  # ordered_for_display()'s
        "endorsements": [endorsement_ref(e) for e in answer.endorsements.all()],
        "review": {
            "state": answer.review_state,
            # The words in "body": approved ones stay while a draft waits.
            "medically_reviewed": answer.is_medically_reviewed,
            "reviewed_by": _reviewer_name(reviewer)
            if reviewer and answer.is_medically_reviewed
            else None,
            "reviewed_at": answer.reviewed_at if answer.is_medically_reviewed else None,
            "pending_revision": answer.draft.number if answer.draft else None,
        },
        "outside_edit": {"by": edit.author_name, "at": edit.created_at}
        if edit
        else None,
        "created_at": answer.created_at,
        "updated_at": answer.updated_at,
    }


def _reviewer_name(user: Any) -> str | None:
    """As the answer card shows it: the reviewer's signature (display name
    and credentials); None when their profile is gone (never a username)."""
    contributor = getattr(user, "contributor", None)
    return contributor.signature if contributor else None


def endorsement_ref(endorsement: Endorsement) -> dict[str, Any]:
    return {
        "contributor": contributor_ref(endorsement.contributor),
        "kind": endorsement.kind,
        "reason": endorsement.reason,
        "created_at": endorsement.created_at,
    }
