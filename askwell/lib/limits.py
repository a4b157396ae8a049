"""How many characters each text a person writes may hold, in one table.

Every way text reaches Askwell checks these before anything else reads it:
the page forms (askwell/core/forms.py, `TextField`), the API's request
schemas (askwell/api/schemas.py, `Text`), the search box, and the
endpoints that analyse a question or an answer while it is typed (similar
questions, topic suggestions, the answer preview). Text over its limit is
refused with "At most N characters (you sent M)." and nothing is done with
it; the form shows again with the text as it was sent.

The limits are characters (Python `len`), not bytes. Account fields that
Django defines (username 150, email 254) keep Django's limits; imports
(askwell/importers/records.py) have their own, looser ones, since an
operator's data set is not typed into a form.
"""

from __future__ import annotations

# Questions.
QUESTION_TITLE = 300
QUESTION_DETAILS = 10_000
# What the while-typing endpoints read of a question: title, newline, details.
QUESTION_TEXT = QUESTION_TITLE + 1 + QUESTION_DETAILS

# The words of the ask page's "Find a topic" box (topic names are at most 200).
TOPIC_FIND = 200

# Answers.
ANSWER_BODY = 30_000
# One source: a web address (at most 500 characters), a DOI or a PubMed ID,
# then optionally " | title" (at most 300).
REFERENCE_LINE = 1_000
REFERENCES = 30_000  # the form's box of references, one per line

# Short texts shown with a change or a decision.
EDIT_REASON = 200  # "What did you change?" in a question's or answer's history
ENDORSEMENT_REASON = 300
COMMENT = 1_000
FLAG_TEXT = 1_000
MODERATION_REASON = 300  # an editor's reason for hiding, deleting or restoring
REVIEW_NOTE = 4_000
REJECTION_REASON = 2_000  # why an expert application was rejected

# A contributor's bio or an organization's description, on its profile form.
BIO = 2_000

# Searching: the search box (page and GET /api/v1/search).
SEARCH_QUERY = 500


def length_message(limit: int, sent: int) -> str:
    """What a person reads when a text is too long."""
    return f"At most {limit:,} characters (you sent {sent:,})."


def first_unencodable(value: str) -> int | None:
    """The index of the first character that cannot be stored as UTF-8 (a
    lone surrogate such as U+D800, which JSON's "\\ud800" escape can carry),
    or None when there is none."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        return error.start
    return None


def unencodable_message(value: str, index: int) -> str:
    return (
        f"Contains a character that is not valid text (U+{ord(value[index]):04X} at "
        f"position {index + 1}): lone surrogates cannot be stored."
    )
