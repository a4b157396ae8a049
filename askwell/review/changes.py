"""What changed in an answer since a reviewer last approved it (or, for an
answer never approved, since a reviewer last saw it): its words, word by
word, its stance and its references.

The version under review is the answer's draft when one waits behind its
approved words, else the words the answer holds. It is compared with the
earlier version the first of these rules finds:

1. a draft waits: the approved words the answer holds, which readers see;
2. a reviewer approved a version before: the last one approved (an
   editor's edit in the admin, say, sent the answer back to review);
3. a reviewer saw a version and asked for changes or rejected it: the last
   one they saw, so that they see what the author did about it;
4. none of these: it is the first version, with nothing to compare.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from askwell.questions.diff import WordDiff, compare
from askwell.questions.models import Answer, Reference, Revision
from askwell.review.models import MedicalReview


@dataclass(frozen=True)
class Version:
    """One version of an answer's words: text, stance and references
    (unsaved Reference rows for a revision's)."""

    body: str
    stance: str
    references: list[Reference]

    @classmethod
    def of_answer(cls, answer: Answer) -> Version:
        """The words the answer row holds (reads its references: one query
        unless prefetched)."""
        return cls(answer.body, answer.stance, list(answer.references.all()))

    @classmethod
    def of_revision(cls, revision: Revision) -> Version:
        return cls(
            revision.body,
            revision.extra.get("stance", ""),
            [Reference(**r) for r in revision.extra.get("references", [])],
        )

    @property
    def stance_label(self) -> str:
        if not self.stance:
            return "No stance given"
        known = self.stance in Answer.Stance.values
        return Answer.Stance(self.stance).label if known else self.stance


class Basis:
    """Which earlier version a comparison is with (the rules above)."""

    READERS_SEE = "readers_see"
    APPROVED = "approved"
    SEEN = "seen"
    FIRST = "first"


@dataclass(frozen=True)
class Changes:
    basis: str  # a Basis
    # The review of the earlier version, for APPROVED and SEEN.
    review: MedicalReview | None = None
    words: WordDiff | None = None
    # The stance's labels before and after, when it changed.
    stance: tuple[str, str] | None = None
    added_references: list[Reference] = field(default_factory=list)
    removed_references: list[Reference] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(
            (self.words and self.words.changed)
            or self.stance
            or self.added_references
            or self.removed_references
        )


def under_review(answer: Answer) -> Version:
    """The version a reviewer decides on (reads the draft: select it)."""
    if answer.draft is not None:
        return Version.of_revision(answer.draft)
    return Version.of_answer(answer)


def revision_under_review(answer: Answer) -> Revision | None:
    """The Revision row of the version under review, with its author (for
    who wrote it and why): the draft (select `draft__author__contributor`),
    else the answer's newest revision (one query); None for an answer kept
    without revisions (an import's)."""
    if answer.draft is not None:
        return answer.draft
    return (
        answer.revisions.select_related("author__contributor")
        .order_by("-number")
        .first()
    )


def since_last_review(
    answer: Answer, current: Version, reviews: Sequence[MedicalReview]
) -> Changes:
    """How `current` (under_review) differs from the earlier version the
    rules above find. `reviews`: the answer's reviews, newest first, with
    their revisions selected; no query but the answer's references under
    rule 1 (one, unless prefetched)."""
    if answer.draft is not None:
        return _compared(Basis.READERS_SEE, None, Version.of_answer(answer), current)
    approved = next(
        (
            r
            for r in reviews
            if r.decision == MedicalReview.Decision.APPROVED and r.revision
        ),
        None,
    )
    if approved is not None and approved.revision is not None:
        earlier = Version.of_revision(approved.revision)
        return _compared(Basis.APPROVED, approved, earlier, current)
    seen = next((r for r in reviews if r.revision), None)
    if seen is not None and seen.revision is not None:
        return _compared(Basis.SEEN, seen, Version.of_revision(seen.revision), current)
    return Changes(Basis.FIRST)


def _compared(
    basis: str, review: MedicalReview | None, earlier: Version, current: Version
) -> Changes:
    before = {r.as_line(): r for r in earlier.references}
    after = {r.as_line(): r for r in current.references}
    return Changes(
        basis,
        review,
        words=compare(earlier.body, current.body),
        stance=(earlier.stance_label, current.stance_label)
        if earlier.stance != current.stance
        else None,
        added_references=[r for line, r in after.items() if line not in before],
        removed_references=[r for line, r in before.items() if line not in after],
    )
