"""Read and write Askwell JSON Lines files (see records.py and docs/import-format.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from pydantic import ValidationError

from askwell.importers.records import FORMAT, VERSION, Header, Record, record_adapter
from askwell.lib.progress import Stream

if TYPE_CHECKING:
    from askwell.importers.sources import Reading


@dataclass(frozen=True)
class Problem:
    """Something wrong with one place in an input: shown to the operator as is."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class FormatError(Exception):
    """The whole file cannot be read (e.g. a wrong header): nothing is imported."""


def describe_validation_error(error: ValidationError) -> str:
    parts = []
    for item in error.errors(include_url=False):
        location = ".".join(str(p) for p in item["loc"][1:]) or "record"
        parts.append(f"{location}: {item['msg']}")
    return "; ".join(parts)


def read_jsonl(path: Path) -> Iterator[tuple[str, Record] | Problem]:
    """Each record of the file in order with where it is ("file line N"), or a
    Problem for a line that cannot be one.

    The first non-empty line must be the header with a version this code reads;
    otherwise FormatError is raised before anything is yielded.
    """
    with path.open("rb") as stream:
        header_seen = False
        for number, raw in enumerate(stream, start=1):
            where = f"{path.name} line {number}"
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as error:
                yield Problem(where, f"not valid UTF-8 (byte {error.start + 1})")
                continue
            if not header_seen:
                _check_header(text, where)
                header_seen = True
                continue
            try:
                yield where, record_adapter.validate_json(text)
            except ValidationError as error:
                yield Problem(where, _describe(error, text))
        if not header_seen:
            raise FormatError(f"{path.name}: empty file (no header line)")


def read(path: Path, out: Stream) -> Reading:
    """The `jsonl` import source (sources.py): the file's records as they
    are read, one line at a time."""
    with path.open("rb") as stream:
        lines = sum(1 for _ in stream)
    return read_jsonl(path), max(lines - 1, 0)


def _check_header(text: str, where: str) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(
            f"{where}: the header is not valid JSON ({error.msg})"
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("type") != "header"
        or data.get("format") != FORMAT
    ):
        raise FormatError(
            f'{where}: the first line must be {{"type": "header", "format": "{FORMAT}", "version": {VERSION}}}'
        )
    if data.get("version") != VERSION:
        raise FormatError(
            f"{where}: schema version {data.get('version')!r} is not supported (this Askwell reads version {VERSION})"
        )
    Header.model_validate(data)


def _describe(error: ValidationError, text: str) -> str:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as json_error:
        return f"invalid JSON ({json_error.msg.removesuffix(' at')} at column {json_error.colno})"
    if not isinstance(data, dict):
        return "each line must be a JSON object"
    if data.get("type") not in {
        "topic",
        "contributor",
        "book",
        "video",
        "question",
        "answer",
    }:
        return f"unknown record type {data.get('type')!r}"
    ident = data.get("external_id")
    prefix = (
        f"{data['type']} {ident!r}: " if isinstance(ident, str) else f"{data['type']}: "
    )
    return prefix + describe_validation_error(error)


def write_jsonl(records: Iterable[Record], stream: IO[str]) -> int:
    """Write the header and then every record, one per line; return the record count."""
    header = Header(type="header", format=FORMAT, version=VERSION)
    stream.write(_dump(header) + "\n")
    count = 0
    for record in records:
        stream.write(_dump(record) + "\n")
        count += 1
    return count


def _dump(record: Header | Record) -> str:
    return json.dumps(
        record.model_dump(mode="json"), ensure_ascii=False, sort_keys=False
    )
