"""schema.org JSON-LD for a question page: a QAPage whose main entity is the
Question with each of its published answers.

Built from what the page view has already loaded (the answers with their
contributors, reviewers and helpful counts), so it costs no query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from askwell.core.links import site_url
from askwell.experts.structured_data import contributor_entity
from askwell.lib.markdown import html_to_text
from askwell.questions.models import Answer, Question


def qa_page(question: Question, answers: Sequence[Answer]) -> dict[str, Any] | None:
    """The page's JSON-LD, or None for a question readers cannot see (an
    editor looking at a hidden one).

    `answers` are the published answers the page shows, in its order, with
    `helpful_count` annotated (AnswerQuerySet.ordered_for_display) and
    `reviewed_by__contributor` loaded. The asker is named only when the
    question was not asked anonymously, whoever is looking.
    """
    if question.moderation != Question.Moderation.VISIBLE:
        return None
    url = site_url(question.get_absolute_url())
    entity: dict[str, Any] = {
        "@type": "Question",
        "name": question.title,
        "text": html_to_text(question.details_html) or question.title,
        "dateCreated": question.created_at.isoformat(),
        "answerCount": len(answers),
        "url": url,
    }
    if question.asker is not None and not question.is_anonymous:
        entity["author"] = {"@type": "Person", "name": question.asker.get_username()}
    if answers:
        entity["suggestedAnswer"] = [_answer(answer, url) for answer in answers]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "QAPage",
        "url": url,
        "name": question.title,
        "mainEntity": entity,
    }
    reviewed = [a for a in answers if a.is_medically_reviewed and a.reviewed_at]
    if reviewed:
        data["@type"] = ["QAPage", "MedicalWebPage"]
        data["lastReviewed"] = (
            max(a.reviewed_at for a in reviewed if a.reviewed_at).date().isoformat()
        )
        data["reviewedBy"] = _reviewers(reviewed)
    return data


def _answer(answer: Answer, page_url: str) -> dict[str, Any]:
    return {
        "@type": "Answer",
        "text": html_to_text(answer.body_html),
        "dateCreated": answer.created_at.isoformat(),
        "dateModified": answer.updated_at.isoformat(),
        "upvoteCount": answer.helpful_count,  # type: ignore[attr-defined]  # ordered_for_display()'s
        "url": f"{page_url}#answer-{answer.pk}",
        "author": contributor_entity(answer.contributor),
    }


def _reviewers(answers: Sequence[Answer]) -> list[dict[str, Any]]:
    """Who reviewed the answers, each once, as the page names them: the
    reviewer's contributor profile (never a username: a reviewer without
    one is left out); an imported
    answer's source organization when no reviewer is recorded."""
    found: dict[str, dict[str, Any]] = {}
    for answer in answers:
        reviewer = answer.reviewed_by
        if reviewer is not None:
            profile = getattr(reviewer, "contributor", None)
            if profile is not None:
                found.setdefault(f"c{profile.pk}", contributor_entity(profile))
        elif answer.source:
            found.setdefault(
                f"c{answer.contributor_id}", contributor_entity(answer.contributor)
            )
    return list(found.values())
