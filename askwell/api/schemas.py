"""The shapes of the API's requests and responses (the OpenAPI document is
built from these). Views build plain dicts that fit them (askwell/api/output.py)."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from askwell.lib import limits
from askwell.moderation.models import TARGET_KINDS, Flag
from askwell.questions.models import Answer, Endorsement, QuestionType

# Primary keys are 64-bit; larger numbers cannot name anything.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _bounded(value: str, *, limit: int) -> str:
    if len(value) > limit:
        raise PydanticCustomError(
            "max_length", limits.length_message(limit, len(value))
        )
    index = limits.first_unencodable(value)
    if index is not None:
        raise PydanticCustomError(
            "unencodable", limits.unencodable_message(value, index)
        )
    return value


def Text(limit: int) -> Any:
    """A string a person writes: at most `limit` characters (askwell.lib.limits),
    storable as UTF-8. Every text field of a request uses it, so an over-long
    text or a lone surrogate ("\\ud800") is a 422 naming the field before
    the view does anything with it."""
    return Annotated[
        str,
        AfterValidator(partial(_bounded, limit=limit)),
        Field(json_schema_extra={"maxLength": limit}),
    ]


QuestionTypeValue = Literal[tuple(QuestionType.values)]
StanceValue = Literal[("", *Answer.Stance.values)]


class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class Error(Schema):
    """Every failure has this shape: {"error": {"code", "message", "details"}}."""

    error: ErrorBody


class SearchResult(Schema):
    answer_id: int
    external_id: str
    question_id: int
    question: str
    contributor: str
    score: float


class SearchResponse(Schema):
    query: str
    close_match: bool = Field(
        description="Whether the first result probably answers the query; "
        "false means nothing close was found (offer to ask instead)."
    )
    emergency: bool = Field(
        description="The query's words suggest an emergency: show the emergency "
        "notice first, before any result."
    )
    results: list[SearchResult]


# --- reads --------------------------------------------------------------------------


class TopicRef(Schema):
    id: int
    name: str
    slug: str


class TopicNode(Schema):
    id: int
    name: str
    slug: str
    url: str
    child_count: int = Field(description="Direct subtopics, listed or not.")
    children: list[TopicNode] = Field(
        description="Subtopics, down to the requested depth."
    )


class TopicTree(Schema):
    topics: list[TopicNode]


class ContributorRef(Schema):
    id: int
    kind: Literal["person", "organization"]
    name: str
    slug: str
    credentials: str
    signature: str = Field(
        description='The name as answers are signed: "Jane Doe, RN".'
    )
    verified: bool
    url: str


class Contributor(ContributorRef):
    specialty: str
    verified_at: datetime | None
    answer_count: int = Field(description="Published answers.")


class BookRef(Schema):
    id: int
    title: str
    slug: str
    url: str


class Book(BookRef):
    description: str
    link: str
    published_year: int | None
    cover_url: str | None
    authors: list[ContributorRef]


class VideoRef(Schema):
    id: int
    title: str
    slug: str
    url: str


class Video(VideoRef):
    description: str
    duration_seconds: int | None
    media_url: str
    presenter: ContributorRef | None
    topics: list[TopicRef]


class ContributorDetail(Contributor):
    bio: str = Field(description="The bio as written, in Markdown.")
    bio_html: str = Field(description="The bio as sanitised HTML readers see.")
    website: str
    photo_url: str | None
    books: list[BookRef]
    videos: list[VideoRef]


class QuestionSummary(Schema):
    id: int
    title: str
    slug: str
    url: str
    question_type: str
    status: Literal["open", "answered", "closed"]
    created_at: datetime
    answer_count: int = Field(description="Published answers.")
    asker: str | None = Field(
        description="The asker's username; null when asked anonymously."
    )
    topics: list[TopicRef]


class Reference(Schema):
    url: str
    doi: str
    pmid: str
    title: str
    link: str


class EndorsementRef(Schema):
    contributor: ContributorRef
    kind: Literal["endorse", "disagree"]
    reason: str
    created_at: datetime


class Review(Schema):
    state: str
    medically_reviewed: bool
    reviewed_by: str | None
    reviewed_at: datetime | None
    pending_revision: int | None = Field(
        description="The number of a newer version of the answer waiting for "
        "medical review (or for changes), or null. Until a reviewer approves "
        "it, `body` and the rest stay the approved version, and `state` is the "
        "newer version's. It is in the answer's history."
    )


class OutsideEdit(Schema):
    by: str = Field(description="Who made the edit, as the answer card names them.")
    at: datetime


class AnswerOut(Schema):
    id: int
    question_id: int
    url: str
    contributor: ContributorRef
    body: str = Field(description="Markdown, as the author wrote it.")
    body_html: str = Field(description="The sanitised HTML readers see.")
    stance: str
    source_book: BookRef | None
    references: list[Reference]
    helpful_count: int
    endorsement_count: int
    disagreement_count: int
    endorsements: list[EndorsementRef]
    review: Review
    outside_edit: OutsideEdit | None = Field(
        description="The newest edit by someone other than the signing "
        "contributor (an editor's), or null. Show it with the answer, as the "
        "site does: the words under the signature are not all the signer's."
    )
    created_at: datetime
    updated_at: datetime


class QuestionDetail(QuestionSummary):
    details: str
    details_html: str
    updated_at: datetime
    duplicate_of: int | None
    stance_summary: str = Field(
        description='"Experts differ: …" when the answers take different stances.'
    )
    emergency: bool = Field(
        description="The words suggest an emergency: show the emergency notice."
    )
    answers: list[AnswerOut] = Field(description="Published answers, in page order.")


class SimilarQuestion(Schema):
    question: QuestionSummary
    score: float = Field(
        description="How likely it asks the same, from 0 to 1: the score "
        "`askwell similarity` prints (ASKWELL_SIMILAR_MIN_SCORE drops lower ones)."
    )


class SimilarResponse(Schema):
    results: list[SimilarQuestion]


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """{"results": [item], "next_cursor": str | null}."""
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {"results": list[item], "next_cursor": str | None},
            "next_cursor": Field(
                description="Pass as `cursor` for the next page; null on the last."
            ),
        },
    )


QuestionPage = page_of(QuestionSummary, "QuestionPage")
ContributorPage = page_of(Contributor, "ContributorPage")
BookPage = page_of(Book, "BookPage")
VideoPage = page_of(Video, "VideoPage")


# --- writes -------------------------------------------------------------------------


class AskIn(Schema):
    title: Text(limits.QUESTION_TITLE) = Field(
        description="The question, ending with a question mark."
    )
    details: Text(limits.QUESTION_DETAILS) = ""
    topics: list[Id] = Field(default=[], description="Topic ids, at most 5.")
    anonymous: bool = False
    personal_details: Literal["warn", "keep", "remove"] = Field(
        default="warn",
        description="When the text seems to hold personal details: refuse "
        "with 422 `personal_details` (warn), post as is (keep), or replace "
        'them with "[removed]" and post (remove).',
    )


class QuestionEditIn(Schema):
    title: Text(limits.QUESTION_TITLE) | None = None
    details: Text(limits.QUESTION_DETAILS) | None = None
    topics: list[Id] | None = None
    reason: Text(limits.EDIT_REASON) = Field(
        default="", description="Shown in the question's history."
    )


class AnswerIn(Schema):
    contributor: Id | None = Field(
        default=None,
        description="Sign as this contributor; needed only when you may sign "
        "as more than one (yourself and an organization).",
    )
    body: Text(limits.ANSWER_BODY) = Field(description="Markdown.")
    references: list[Text(limits.REFERENCE_LINE)] = Field(
        default=[],
        description='One source each: a URL, "doi:10.…" or "pmid:…", optionally '
        'followed by " | title".',
    )
    source_book: Id | None = None
    stance: StanceValue = ""


class AnswerEditIn(Schema):
    body: Text(limits.ANSWER_BODY) | None = None
    references: list[Text(limits.REFERENCE_LINE)] | None = None
    source_book: Id | None = Field(
        default=None, description="Omit to keep it; null to remove it."
    )
    stance: StanceValue | None = None
    reason: Text(limits.EDIT_REASON) = Field(
        default="", description="Shown in the answer's history."
    )


class HelpfulOut(Schema):
    answer_id: int
    marked: bool
    helpful_count: int


class EndorseIn(Schema):
    contributor: Id | None = None
    kind: Literal[tuple(Endorsement.Kind.values)] = "endorse"
    reason: Text(limits.ENDORSEMENT_REASON)


class EndorsementOut(Schema):
    answer_id: int
    contributor: ContributorRef
    kind: Literal["endorse", "disagree"]
    reason: str
    created_at: datetime


class WithdrawnOut(Schema):
    answer_id: int
    withdrawn: bool


class FlagIn(Schema):
    kind: Literal[TARGET_KINDS]
    id: Id
    reason: Literal[tuple(Flag.Reason.values)]
    text: Text(limits.FLAG_TEXT) = Field(
        default="", description='Required when the reason is "other".'
    )


class FlagOut(Schema):
    id: int
    kind: str
    target_id: int
    reason: str
    status: str
    created_at: datetime
