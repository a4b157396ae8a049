"""What happens to questions, answers and comments, for the apps that
follow them: notifications tells people (notifications/receivers.py), and
search keeps its documents in step (search/receivers.py). The content never
calls those apps; it sends these events, and they subscribe in their
AppConfig.ready().

Events carry side effects only: notifying, indexing. Never a business rule
(STYLE.md: "no signals for business rules"): every permission check, state
change, audit entry and rule (the hold on a new asker's question, the
return to medical review) runs in the action that sends the event, before
it is sent, and the change is complete and correct with no receiver
connected.

Each event is sent where the change is written (an action, whether the
site, the API or the admin calls it), inside its transaction, after its
writes, with `sender` the model class. Receivers run at once, inside that
transaction: rows they write (notifications) commit or roll back with the
change, and an exception in one fails the action, as a direct call did.
What must wait for the commit (email, search indexing) they schedule with
`transaction.on_commit`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

from askwell.questions.models import Answer, Question

question_asked = Signal()
"""A new question reached readers: posted without being held, or approved
by an editor after being held. Arguments: `question`, `actor` (the asker,
even on approval)."""

question_edited = Signal()
"""The asker or an editor edited a question's title, details or topics
(actions.edit_question). Arguments: `question`, `actor`."""

question_closed_as_duplicate = Signal()
"""An editor closed a question as a duplicate of `original`. Arguments:
`question`, `original`, `actor`."""

answer_posted = Signal()
"""Readers can see an answer for the first time: when it is posted (if
unreviewed answers are shown) or when a reviewer first approves it. Sent
once per answer, never again for a revision of it
(actions.announce_when_shown). Arguments: `answer`, `actor` (its author)."""

answer_edited = Signal()
"""Its signer or an editor edited an answer (actions.edit_answer); it is
back in the medical review queue. Arguments: `answer`, `actor`."""

answer_revised = Signal()
"""A new version of an answer's words was kept: an edit, a restored
revision, or a change in the admin. `revision.by_signer` says whether the
person who signs the answer made it. Arguments: `answer`, `revision`,
`actor`."""

answer_reviewed = Signal()
"""A medical reviewer decided on an answer (review.actions): approved it,
asked for changes or rejected it; the answer holds the outcome. Arguments:
`answer`, `decision` (a review.MedicalReview.Decision value: "approved",
"changes_requested" or "rejected"), `note` (the reviewer's words to the
author, empty only on approval) and `actor` (the reviewer). The review app
mails the decision to the author itself; followers tell them on the site."""

comment_posted = Signal()
"""A comment was published under an answer. Arguments: `comment`, `actor`."""

content_changed = Signal()
"""What readers see of some questions or answers changed: their words,
topics, visibility (hidden, deleted, restored, approved) or medical review
state, or they were deleted. Anything derived from them (search documents)
must follow. Arguments: `question_ids` (each question with all its answers)
and `answer_ids`, either may be empty, and `embed`: False when the sender
is a bulk load (an import), which computes embeddings as a step of its own
(`askwell reindex --embeddings-only`), so followers only keep the lexical
index in step. Sent through `questions_changed` and `answers_changed`."""


def questions_changed(question_ids: Iterable[int], *, embed: bool = True) -> None:
    """Send content_changed for these questions (and all their answers)."""
    content_changed.send(
        sender=Question, question_ids=list(question_ids), answer_ids=[], embed=embed
    )


def answers_changed(answer_ids: Iterable[int], *, embed: bool = True) -> None:
    """Send content_changed for these answers."""
    content_changed.send(
        sender=Answer, question_ids=[], answer_ids=list(answer_ids), embed=embed
    )
