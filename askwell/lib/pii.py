"""Personal details in text a reader is about to post publicly.

A question about one's health should not carry the means to identify its
author: email addresses, phone numbers, full dates of birth, street
addresses, medical record or ID numbers. `find_personal_details` points them
out (the ask form warns before posting) and `remove_personal_details`
replaces them with a neutral placeholder when the reader asks it to.

Patterns, not a model: they err towards warning (a false alarm costs a
click; a leak cannot be undone), and they never block posting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_STREET = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct"
    r"|place|pl|terrace|way|close|crescent|highway|hwy)"
)

# (kind, label, pattern); the first pattern to claim a span wins.
PATTERNS: list[tuple[str, str, re.Pattern[str]]] = [
    (
        "email",
        "an email address",
        # The part before "@" is at most 64 characters (RFC 5321): unbounded,
        # every start in a long run of "a.a.a…" rescanned the rest of the run.
        re.compile(r"\b[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+\b", re.IGNORECASE),
    ),
    (
        "record",
        "a record or ID number",
        re.compile(
            r"\b(?:mrn|medical record|record|patient id|patient number|nhs number|"
            r"ssn|social security|insurance|member id|policy)(?:\s*(?:no\.?|number|#|id))?"
            r"\s*(?:[:#]\s*)?[A-Z0-9](?:[A-Z0-9-]| (?=\d)){4,}\b",
            re.IGNORECASE,
        ),
    ),
    (
        "ssn",
        "a social security number",
        re.compile(r"\b\d{3}-\d{2}-\d{4}\b"),
    ),
    (
        "date_of_birth",
        "a full date of birth",
        re.compile(
            r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}"
            r"|(?:19|20)\d{2}-\d{1,2}-\d{1,2}"
            rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\.?,?\s+(?:19|20)\d{{2}}"
            rf"|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "phone",
        "a phone number",
        re.compile(
            r"(?<![\w/.-])(?:\+\d{1,3}[\s.-]?)?"
            r"(?:\(\d{2,4}\)[\s.-]?\d{3,4}[\s.-]?\d{3,4}|\d{2,4}[\s.-]\d{3,4}[\s.-]?\d{3,4})"
            r"(?![\w/-]|\.\d)"
        ),
    ),
    (
        "address",
        "a street address",
        re.compile(
            rf"\b\d{{1,5}}\s+(?:[A-Z][\w'-]*\s+){{1,3}}{_STREET}\b\.?",
            re.IGNORECASE,
        ),
    ),
]
PLACEHOLDER = "[removed]"


@dataclass(frozen=True)
class Finding:
    kind: str
    label: str  # "a phone number"
    start: int
    end: int
    text: str


def find_personal_details(text: str) -> list[Finding]:
    """Non-overlapping personal details in `text`, in order of appearance.

    Each pattern's matches come in order and do not overlap one another, so
    each is checked against the findings of earlier patterns by walking both
    in order (linear, where comparing every pair was quadratic)."""
    found: list[Finding] = []  # in order of appearance
    for kind, label, pattern in PATTERNS:
        merged: list[Finding] = []
        earlier = iter(found)
        ahead = next(earlier, None)
        for match in pattern.finditer(text or ""):
            start, end = match.span()
            while ahead is not None and ahead.end <= start:
                merged.append(ahead)
                ahead = next(earlier, None)
            if ahead is not None and ahead.start < end:
                continue  # overlaps a finding of an earlier pattern
            merged.append(Finding(kind, label, start, end, match.group()))
        if ahead is not None:
            merged.append(ahead)
        merged.extend(earlier)
        found = merged
    return found


def personal_detail_labels(text: str) -> list[str]:
    """What kinds of personal details `text` has ("a phone number"), each
    once, in order of appearance: what the ask form warns of."""
    return list(dict.fromkeys(f.label for f in find_personal_details(text)))


def remove_personal_details(text: str) -> str:
    """`text` with every finding replaced by "[removed]"."""
    pieces, last = [], 0
    for finding in find_personal_details(text):
        pieces += [text[last : finding.start], PLACEHOLDER]
        last = finding.end
    pieces.append(text[last:])
    return "".join(pieces)
