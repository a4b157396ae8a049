"""What happens to questions, answers and comments, for the apps that
follow them: notifications tells people (notifications/receivers.py). The
content never calls that app; it sends these events, and the app
subscribes in its AppConfig.ready().

Events carry side effects only: notifying. Never a business rule
(STYLE.md: "no signals for business rules"): every permission check, state
change, audit entry and rule (the hold on a new asker's question, the
return to medical review) runs in the action that sends the event, before
it is sent, and the change is complete and correct with no receiver
connected.

Each event is sent by an action, inside its transaction, after its writes,
with `sender` the model class. Receivers run at once, inside that
transaction: rows they write (notifications) commit or roll back with the
change, and an exception in one fails the action, as a direct call did.
What must wait for the commit (email) they schedule with
`transaction.on_commit`.
"""

from __future__ import annotations

from django.dispatch import Signal

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
"""An answer was published. Arguments: `answer`, `actor`."""

answer_edited = Signal()
"""Its signer or an editor edited an answer (actions.edit_answer); it is
back in the medical review queue. Arguments: `answer`, `actor`."""

answer_revised = Signal()
"""A new version of an answer's words was kept: an edit, a restored
revision, or a change in the admin. `revision.by_signer` says whether the
person who signs the answer made it. Arguments: `answer`, `revision`,
`actor`."""

comment_posted = Signal()
"""A comment was published under an answer. Arguments: `comment`, `actor`."""
