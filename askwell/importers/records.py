"""The canonical import/export records: Askwell's JSON Lines format, version 1.

One pydantic model per record type. The same models validate what an import
reads and shape what an export writes; docs/schema/askwell-jsonl-v1.schema.json
is generated from them (`askwell export --schema`), and a test keeps the two
in step. docs/import-format.md describes the format for people.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

FORMAT: Literal["askwell"] = "askwell"
VERSION = 1

Key = Annotated[str, StringConstraints(min_length=1, max_length=255)]
Source = Annotated[str, StringConstraints(max_length=64)]
Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=220)]
ShortText = Annotated[str, StringConstraints(max_length=300)]
LongText = Annotated[str, StringConstraints(max_length=200_000)]
Url = Annotated[str, StringConstraints(pattern=r"^(https?://\S+)?$", max_length=500)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Ref(_Record):
    """Points at another record by its (source, external_id)."""

    source: Source
    external_id: Key


class Header(_Record):
    type: Literal["header"]
    format: Literal["askwell"]
    version: int


class TopicRecord(_Record):
    type: Literal["topic"]
    source: Source
    external_id: Key
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    slug: Slug | None = None
    description: LongText = ""
    parent: Ref | None = None
    other_names: list[Annotated[str, StringConstraints(max_length=300)]] = []
    codes: dict[str, list[Annotated[str, StringConstraints(max_length=100)]]] = {}


class ContributorRecord(_Record):
    type: Literal["contributor"]
    source: Source
    external_id: Key
    kind: Literal["person", "organization"]
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    slug: Slug | None = None
    credentials: Annotated[str, StringConstraints(max_length=100)] = ""
    specialty: Annotated[str, StringConstraints(max_length=120)] = ""
    bio: LongText = ""
    website: Url = ""
    photo: Annotated[str, StringConstraints(max_length=100)] = ""
    verified: bool = False
    verified_at: datetime | None = None


class BookRecord(_Record):
    type: Literal["book"]
    source: Source
    external_id: Key
    title: Annotated[ShortText, StringConstraints(min_length=1)]
    slug: Slug | None = None
    authors: list[Ref] = []
    description: LongText = ""
    cover: Annotated[str, StringConstraints(max_length=100)] = ""
    link: Url = ""
    published_year: Annotated[int, Field(ge=1000, le=3000)] | None = None


class VideoRecord(_Record):
    type: Literal["video"]
    source: Source
    external_id: Key
    title: Annotated[ShortText, StringConstraints(min_length=1)]
    slug: Slug | None = None
    presenter: Ref | None = None
    topics: list[Ref] = []
    description: LongText = ""
    duration_seconds: Annotated[int, Field(ge=0)] | None = None
    media_url: Url = ""
    transcript: LongText = ""


class QuestionRecord(_Record):
    type: Literal["question"]
    source: Source
    external_id: Key
    title: Annotated[ShortText, StringConstraints(min_length=1)]
    slug: Slug | None = None
    details: LongText = ""
    question_type: Annotated[str, StringConstraints(max_length=64)] = "other"
    status: Literal["open", "answered", "closed"] = "open"
    topics: list[Ref] = []
    view_count: Annotated[int, Field(ge=0)] = 0
    created_at: datetime | None = None


class AnswerRecord(_Record):
    type: Literal["answer"]
    source: Source
    external_id: Key
    question: Ref
    contributor: Ref
    body: Annotated[LongText, StringConstraints(min_length=1)]
    stance: Literal["", "supports", "mixed", "against", "neutral"] = ""
    status: Literal["draft", "published", "hidden"] = "published"
    source_url: Url = ""
    source_book: Ref | None = None
    created_at: datetime | None = None


Record = (
    TopicRecord
    | ContributorRecord
    | BookRecord
    | VideoRecord
    | QuestionRecord
    | AnswerRecord
)
RECORD_TYPES: tuple[type[_Record], ...] = (
    TopicRecord,
    ContributorRecord,
    BookRecord,
    VideoRecord,
    QuestionRecord,
    AnswerRecord,
)
record_adapter: TypeAdapter[Record] = TypeAdapter(
    Annotated[Record, Field(discriminator="type")]
)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of one line of the format (header or record)."""
    line = TypeAdapter(Annotated[Header | Record, Field(discriminator="type")])
    schema = line.json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://askwell.invalid/schema/askwell-jsonl-v{VERSION}.schema.json",
        "title": f"Askwell JSON Lines, version {VERSION}: one line",
        "description": (
            "Each line of an Askwell JSONL file is one JSON object. The first line is "
            "the header; every other line is a record. A record may refer only to "
            "records earlier in the file or already in the database."
        ),
        **schema,
    }
