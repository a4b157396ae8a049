"""Read the MedQuAD collection into typed records.

MedQuAD (Ben Abacha & Demner-Fushman, BMC Bioinformatics 2019; CC BY 4.0) is
one XML file per document, 12 folders, 11,274 files, 47,457 question-answer
pairs. This module only reads: no Django, no database. The importer maps the
records into models.

The schema is not uniform. A survey of every file found these variants, all
handled here:

- `<Document id source url>` with `<FocusAnnotations>` (`<Category>`,
  `<UMLS><CUIs><CUI>`, `<SemanticTypes><SemanticType>`, `<SemanticGroup>`)
  and `<Synonyms>`: most files. `<Category>` only in the MedlinePlus folders;
  `<UMLS>`, `<Synonyms>` and `<SemanticType>` are each absent from some files.
- `9_CDC_QA`: `<UMLS>` directly under `<Document>`, without `<FocusAnnotations>`,
  `<CUIs>` or `<SemanticTypes>`, holding one (usually empty) `<CUI>` and
  `<SemanticType>`.
- `9_CDC_QA/0000397.xml`: root `<DiseaseFile fid source url>`.
- `6_NINDS_QA/0000007, 0000018, 0000182, 0000244.xml`: lower-case
  `<doc docid corpus url>`, `<doctitle-focus>`, `<umls><cui>`, `<qaPairs>`,
  `<pair pid>`, `<question>`, `<answer>`.
- `5_NIDDK_QA/0000056, 0000064, 0000065, 0000077, 0000175, 0000177.xml`:
  an empty `<QAPairs/>`. They are documents with no pairs, not errors.
- `10_MPlus_ADAM_QA`, `11_MPlusDrugs_QA`, `12_MPlusHerbsSupplements_QA`:
  empty `<Answer/>` (removed by the authors for copyright), and pids with
  gaps (1, 6, 7), so a pair's position in its file is not its pid.
"""

from __future__ import annotations

import html
import os
import re
import tarfile
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# A MedQuAD file is a few kilobytes; anything this large is not one.
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Organization:
    code: str
    name: str
    website: str
    id_prefix: str


def _org(code: str, name: str, website: str, id_prefix: str = "") -> Organization:
    return Organization(code, name, website, id_prefix or code)


# Keyed by the `source` attribute exactly as the XML spells it (`corpus` in
# the lower-case NINDS variant). `id_prefix` is the SOURCE part of external
# ids, which abbreviates the herbs collection.
SOURCES: dict[str, Organization] = {
    org.code: org
    for org in (
        _org("CancerGov", "National Cancer Institute", "https://www.cancer.gov/"),
        _org(
            "GARD",
            "Genetic and Rare Diseases Information Center",
            "https://rarediseases.info.nih.gov/",
        ),
        _org("GHR", "Genetics Home Reference", "https://ghr.nlm.nih.gov/"),
        _org(
            "MPlusHealthTopics",
            "MedlinePlus Health Topics",
            "https://medlineplus.gov/healthtopics.html",
        ),
        _org(
            "NIDDK",
            "National Institute of Diabetes and Digestive and Kidney Diseases",
            "https://www.niddk.nih.gov/",
        ),
        _org(
            "NINDS",
            "National Institute of Neurological Disorders and Stroke",
            "https://www.ninds.nih.gov/",
        ),
        _org("NIHSeniorHealth", "NIHSeniorHealth", "https://nihseniorhealth.gov/"),
        _org(
            "NHLBI",
            "National Heart, Lung, and Blood Institute",
            "https://www.nhlbi.nih.gov/",
        ),
        _org(
            "CDC", "Centers for Disease Control and Prevention", "https://www.cdc.gov/"
        ),
        _org(
            "ADAM",
            "A.D.A.M. Medical Encyclopedia",
            "https://medlineplus.gov/encyclopedia.html",
        ),
        _org(
            "MPlusDrugs",
            "MedlinePlus Drugs",
            "https://medlineplus.gov/druginformation.html",
        ),
        _org(
            "MPlusHerbsSupplements",
            "MedlinePlus Herbs and Supplements",
            "https://medlineplus.gov/druginfo/herb_All.html",
            id_prefix="MPlusHerbsSuppls",
        ),
    )
}


@dataclass(frozen=True)
class QAPair:
    position: int  # 1-based position in its file; pids have gaps
    pid: str
    qid: str
    qtype: str
    question: str
    answer: str  # Markdown; "" when the collection ships no answer
    external_id: str


@dataclass(frozen=True)
class MedquadDocument:
    path: str  # relative to the MedQuAD folder, e.g. "2_GARD_QA/0000001.xml"
    source: str
    doc_id: str
    url: str
    focus: str
    category: str
    cuis: tuple[str, ...]
    semantic_types: tuple[str, ...]
    semantic_group: str
    synonyms: tuple[str, ...]
    pairs: tuple[QAPair, ...]


@dataclass(frozen=True)
class ReadError:
    path: str
    line: int | None
    message: str


class MedquadError(ValueError):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


# Reading ---------------------------------------------------------------------


def read_medquad(path: str | Path) -> Iterator[MedquadDocument | ReadError]:
    """Yield one document, or one error, per XML file, in natural path order.

    `path` is the MedQuAD folder, its parent, or the published .tar.gz. A file
    that cannot be read or parsed becomes a `ReadError` and reading goes on;
    a damaged archive yields what it could read, then one error for itself.
    """
    path = Path(path)
    members, archive_error = _read_members(path)
    for member_path, data in sorted(members, key=_natural_key):
        if isinstance(data, ReadError):
            yield data
            continue
        try:
            yield parse_document(member_path, data)
        except MedquadError as error:
            yield ReadError(member_path, error.line, error.message)
    if archive_error:
        yield ReadError(path.name, None, archive_error)


def count_members(path: str | Path) -> int:
    """The number of files `read_medquad` yields for, without parsing them."""
    path = Path(path)
    if path.is_dir():
        return sum(1 for _ in _folder_files(path))
    try:
        with tarfile.open(path) as archive:
            return sum(1 for member in archive if _is_document_member(member))
    except (OSError, EOFError, tarfile.TarError, zlib.error) as error:
        raise MedquadError(f"cannot read {path.name}: {error}") from error


_Member = tuple[str, bytes | ReadError]


def _read_members(path: Path) -> tuple[list[_Member], str]:
    """Every XML file's path and content, or the error met reading it.

    A gzip stream cannot seek back cheaply, so an archive is read in its own
    order (36 MB for the whole collection) and sorted afterwards.
    """
    members: list[_Member] = []
    if path.is_dir():
        for file in _folder_files(path):
            name = _member_path(file.relative_to(path).parts)
            content: bytes | ReadError
            try:
                too_large = file.stat().st_size > MAX_FILE_BYTES
                content = _too_large(name) if too_large else file.read_bytes()
            except OSError as error:
                content = ReadError(name, None, f"cannot read: {error.strerror}")
            members.append((name, content))
        return members, ""
    try:
        with tarfile.open(path) as archive:
            for member in archive:
                if not _is_document_member(member):
                    continue
                name = _member_path(member.name.split("/"))
                handle = None
                if member.size <= MAX_FILE_BYTES:
                    handle = archive.extractfile(member)
                members.append((name, handle.read() if handle else _too_large(name)))
    except (OSError, EOFError, tarfile.TarError, zlib.error) as error:
        if not path.exists():
            raise MedquadError(f"{path} does not exist") from error
        if not members:
            return members, f"not a readable tar archive: {error}"
        return members, f"archive damaged after {len(members)} files: {error}"
    return members, ""


def _too_large(name: str) -> ReadError:
    return ReadError(
        name, None, f"larger than {MAX_FILE_BYTES:,} bytes: not a MedQuAD file"
    )


def _folder_files(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not _is_hidden(d)]
        for name in files:
            if _is_document_name(name):
                yield Path(folder, name)


def _is_document_member(member: tarfile.TarInfo) -> bool:
    parts = member.name.split("/")
    return (
        member.isfile()
        and _is_document_name(parts[-1])
        and not any(_is_hidden(part) for part in parts[:-1])
    )


def _is_document_name(name: str) -> bool:
    # readme.txt and LICENSE.txt are not XML; "._x.xml" are macOS resource forks.
    return name.lower().endswith(".xml") and not _is_hidden(name)


def _is_hidden(name: str) -> bool:
    return name.startswith(".") or name == "__MACOSX"


def _member_path(parts: Iterable[str]) -> str:
    # "medquad/2_GARD_QA/0000001.xml" and "2_GARD_QA/0000001.xml" both name the
    # file by its collection folder, whichever level the caller pointed at.
    kept = [part for part in parts if part not in ("", ".")]
    return "/".join(kept[-2:])


def _natural_key(member: _Member) -> list[tuple[int, str]]:
    # "2_GARD_QA" sorts before "10_MPlus_ADAM_QA".
    return [
        (int(chunk), "") if chunk.isdecimal() else (-1, chunk)
        for chunk in re.split(r"(\d+)", member[0])
        if chunk
    ]


# Parsing ---------------------------------------------------------------------

_ROOTS = {"document", "doc", "diseasefile"}
# Lower-case tag names of the NINDS variant, mapped to the common schema.
_ALIASES = {"doctitle-focus": "focus", "pair": "qapair"}


def parse_document(member_path: str, data: bytes) -> MedquadDocument:
    """Parse one MedQuAD XML file; raise `MedquadError` when it is unusable."""
    if len(data) > MAX_FILE_BYTES:
        raise MedquadError(_too_large(member_path).message)
    if not data.strip():
        raise MedquadError("empty file")
    root = _parse_xml(data)
    if _tag(root) not in _ROOTS:
        raise MedquadError(f"unexpected root element <{root.tag}>, expected <Document>")

    source = (root.get("source") or root.get("corpus") or "").strip()
    if not source:
        raise MedquadError("no source attribute on the root element")
    organization = SOURCES.get(source)
    if organization is None:
        raise MedquadError(f"unknown source {source!r}")

    elements: dict[str, list[ET.Element]] = {}
    for element in root.iter():
        elements.setdefault(_tag(element), []).append(element)
    containers = elements.get("qapairs", [])
    if not containers:
        raise MedquadError("no QAPairs element")
    if len(containers) > 1:
        raise MedquadError(f"{len(containers)} QAPairs elements, expected one")

    stem = PurePosixPath(member_path).stem
    pairs = tuple(
        _pair(element, position, f"{organization.id_prefix}_{stem}_Sec{position}")
        for position, element in enumerate(
            (child for child in containers[0] if _tag(child) == "qapair"), start=1
        )
    )
    return MedquadDocument(
        path=member_path,
        source=source,
        doc_id=(root.get("id") or root.get("docid") or root.get("fid") or "").strip(),
        url=(root.get("url") or "").strip(),
        focus=_first_text(elements, "focus"),
        category=_first_text(elements, "category"),
        cuis=_texts(elements, "cui"),
        semantic_types=_texts(elements, "semantictype"),
        semantic_group=_first_text(elements, "semanticgroup"),
        synonyms=_texts(elements, "synonym"),
        pairs=pairs,
    )


def _parse_xml(data: bytes) -> ET.Element:
    # Python's expat never fetches external entities, and expat >= 2.4 (2.5 in
    # our Python 3.11 builds) caps entity amplification ("billion laughs").
    # MedQuAD has no DTD, so a DOCTYPE is refused outright as well, which also
    # rules out internal entity tricks.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise MedquadError("DOCTYPE and ENTITY declarations are not allowed")
    parser = ET.XMLParser()  # noqa: S314 (guarded as explained above)
    try:
        parser.feed(data)
        return parser.close()
    except ET.ParseError as error:
        line, column = error.position
        raise MedquadError(_parse_message(error, data, line, column), line) from None


def _parse_message(error: ET.ParseError, data: bytes, line: int, column: int) -> str:
    reason = str(error).split(":", 1)[0]
    if "invalid token" in reason:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as decode_error:
            return (
                f"not valid UTF-8 (byte 0x{data[decode_error.start]:02x} "
                f"at offset {decode_error.start}), at line {line}, column {column + 1}"
            )
    return f"malformed XML: {reason}, at line {line}, column {column + 1}"


def _pair(element: ET.Element, position: int, external_id: str) -> QAPair:
    children = {_tag(child): child for child in element}
    question = children.get("question")
    if question is None:
        raise MedquadError(f"pair {position} has no Question element")
    text = _normalize_space("".join(question.itertext()))
    if not text:
        raise MedquadError(f"pair {position} has an empty question")
    answer = children.get("answer")
    return QAPair(
        position=position,
        pid=(element.get("pid") or "").strip(),
        qid=(question.get("qid") or "").strip(),
        qtype=(question.get("qtype") or "").strip(),
        question=text,
        answer=answer_to_markdown(_inner_text(answer)) if answer is not None else "",
        external_id=external_id,
    )


def _inner_text(element: ET.Element) -> str:
    if len(element) == 0:
        return element.text or ""
    # Markup nested in an answer is kept as markup, so answer_to_markdown can
    # turn <p>, <br> and <li> into breaks rather than losing them.
    inner = html.escape(element.text or "", quote=False)
    return inner + "".join(ET.tostring(child, encoding="unicode") for child in element)


def _tag(element: ET.Element) -> str:
    tag = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
    return _ALIASES.get(tag, tag)


def _first_text(elements: dict[str, list[ET.Element]], tag: str) -> str:
    return next(iter(_texts(elements, tag)), "")


def _texts(elements: dict[str, list[ET.Element]], tag: str) -> tuple[str, ...]:
    texts = (_normalize_space("".join(e.itertext())) for e in elements.get(tag, []))
    return tuple(dict.fromkeys(text for text in texts if text))


def _normalize_space(text: str) -> str:
    return " ".join(text.split())


# Answers to Markdown ---------------------------------------------------------
#
# MedQuAD answers are web pages flattened to plain text. Breaks survive only
# as runs of whitespace, whose meaning varies by source: NHLBI and NIDDK use
# newlines, GHR and GARD two spaces between paragraphs, CancerGov and
# MedlinePlus four or more before list items, NINDS two between sentences.
# Bullets survive as "- " after a run of spaces, or glued to the text before
# ("include - joint pain  - stiffness"). The conversion below recovers
# paragraphs and lists from those runs, rebuilds the GARD symptom tables,
# drops site chrome, and escapes everything else so it renders as written.

_HTML_TAG = re.compile(
    r"<!--.*?-->|</?(?P<name>a|abbr|b|big|blockquote|br|center|code|div|em|font|"
    r"h[1-6]|hr|i|img|li|ol|p|pre|small|span|strong|sub|sup|table|tbody|td|th|"
    r"thead|tr|u|ul)\b[^<>]*>",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK_TAGS = {"blockquote", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
_BLOCK_TAGS |= {"ol", "p", "pre", "table", "tr", "ul"}
# Control characters go; no-break spaces, tabs and line separators normalise.
_CHARACTERS: dict[int, str | None] = {
    **dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]),
    **dict.fromkeys([0x200B, 0xFEFF]),
    **{0x09: " ", 0xA0: " ", 0x0D: "\n", 0x2028: "\n", 0x2029: "\n"},
}
_CITATION = re.compile(r"\[(?<=[\w.,;:)]\[)\d+(?:\s*[,–-]\s*\d+)*\]")
# A lone "-" followed by a run of spaces is a bullet marker: "-  Seizures".
_SPACED_BULLET = re.compile(r"-(?<![\w-]-) {2,}(?=\S)")
_GAP = re.compile(r"\n[ \n]*|  [ \n]*")
_SENTENCE_END = re.compile(r"[.!?:;][\"')\]]*$")
_FUNCTION_WORD = re.compile(
    r"(?:^|\s)(?:a|an|and|as|at|by|for|from|in|of|on|or|see|the|to|with|'s)$",
    re.IGNORECASE,
)
_SINGLE_GAPS = re.compile(r"[.!?][\"')]? (?=[A-Z])")
_DOUBLE_GAPS = re.compile(r"[.!?][\"')]? {2,3}(?=[A-Z])")
# "- item", "• item", "-Item" (GARD), and "-  - item" (an empty outer item).
_BULLET = re.compile(r"(?:(?:[-*](?=\s)|•|-(?=[A-Z][a-z]))\s*)+")
# A dash glued after a sentence or a colon starts a list item: "follows: - Pads".
_GLUED_AFTER_SENTENCE = re.compile(
    r" - (?=\S)(?:(?<=[.!?:] - )|(?<=[.!?:][\"')\]] - ))"
)
_NUMBERED = re.compile(r"^(\d{1,3})[.)] +(?=\S)")
_QUESTION_LEAD = re.compile(
    r"^((?:What|How|Is|Are|Can|Could|Do|Does|Who|Why|When|Where|Which|Should)\b"
    r"[^.?!]{0,200}\?) +(?=[A-Z\"(])"
)
_SPACE_BEFORE_PUNCTUATION = re.compile(r" +(?=[,;:?](?:\s|$))")
_PUNCTUATION_AFTER_SPACE = re.compile(r"[,;:?](?<= [,;:?])(?=\s|$)")
_HPO_TABLE = re.compile(
    r"Signs and Symptoms Approximate number of patients \(when available\) "
    r"(?P<body>.+?) ?(?=The Human Phenotype Ontology \(HPO\) has collected)",
    re.DOTALL,
)
_HPO_FREQUENCY = re.compile(r"(?P<name>\S.*?) (?P<freq>\d+(?:\.\d+)?%|\d+/\d+)(?: |$)")
_INTRODUCES_ITEMS = re.compile(r"(?::|\binclud(?:e|es|ing))$")
_ARTIFACTS = {"Espaol", "Español"}  # NHLBI's link to its Spanish page
_SUMMARY_LABEL = re.compile(r"^Summary ?: +")


@dataclass
class _Block:
    kind: str  # "p" paragraph, "ul" bullet, "ul2" sub-bullet, "ol" numbered, "table"
    text: str
    number: int = 0


def answer_to_markdown(text: str) -> str:
    """Turn a MedQuAD answer (plain text flattened from HTML) into Markdown."""
    text = _clean(text)
    blocks: list[_Block] = []
    position = 0
    for match in _HPO_TABLE.finditer(text):
        table = _hpo_table(match["body"])
        if table is None:
            continue
        blocks += _text_blocks(text[position : match.start()])
        blocks += table
        position = match.end()
    blocks += _text_blocks(text[position:])
    return _render(_tidy(blocks))


def _clean(text: str) -> str:
    # Entities first, so that escaped markup ("&lt;br&gt;") is stripped too.
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _HTML_TAG.sub(_replace_tag, text)
    text = text.translate(_CHARACTERS)
    text = _CITATION.sub("", text)
    return _SPACED_BULLET.sub("- ", text)


def _replace_tag(match: re.Match[str]) -> str:
    name = (match["name"] or "").lower()
    if name == "li":
        return "\n- " if not match[0].startswith("</") else "\n"
    return "\n" if name in _BLOCK_TAGS else ""


def _text_blocks(text: str) -> list[_Block]:
    blocks = []
    for line in _lines(text):
        bullet = _BULLET.match(line)
        if bullet:
            blocks.append(_Block("ul", line[bullet.end() :]))
        else:
            blocks.append(_Block("p", line))
    return _unglue_bullets([block for block in blocks if block.text])


def _lines(text: str) -> list[str]:
    """Split at the whitespace runs that stand for a lost paragraph or item break."""
    typewriter = "  " in text and len(_DOUBLE_GAPS.findall(text)) > max(
        1, 3 * len(_SINGLE_GAPS.findall(text))
    )
    lines: list[str] = []
    start = 0
    for gap in _GAP.finditer(text):
        if gap.end() < len(text) and _is_break(text, start, gap, typewriter=typewriter):
            lines.append(text[start : gap.start()])
            start = gap.end()
    lines.append(text[start:])
    return [" ".join(words) for line in lines if (words := line.split())]


def _is_break(text: str, start: int, gap: re.Match[str], *, typewriter: bool) -> bool:
    if "\n" in gap[0]:
        return True
    following = text[gap.end()]
    if _BULLET.match(text, gap.end()):
        return True
    if following.islower() or following in ",;:.)]%":
        return False
    if typewriter:
        return False  # two spaces after every sentence, not paragraph breaks
    previous = text[max(start, gap.start() - 80) : gap.start()]
    if _SENTENCE_END.search(previous) or not previous.strip():
        return True
    if _FUNCTION_WORD.search(previous):
        return False
    if _BULLET.match(text, start):
        return True  # list items never hold a wide gap: the list has ended
    # A short run since the last sentence is a heading or an unmarked item.
    recent = text[max(start, gap.start() - 200) : gap.start()].split()[-7:]
    since_sentence = next(
        (n for n, word in enumerate(reversed(recent)) if _SENTENCE_END.search(word)),
        len(recent),
    )
    return since_sentence <= 6


def _unglue_bullets(blocks: list[_Block]) -> list[_Block]:
    result: list[_Block] = []
    for index, block in enumerate(blocks):
        pieces = _GLUED_AFTER_SENTENCE.split(block.text)
        kinds = [block.kind] + ["ul"] * (len(pieces) - 1)
        next_is_item = index + 1 < len(blocks) and blocks[index + 1].kind == "ul"
        last = pieces[-1]
        if next_is_item and kinds[-1] == "p" and " - " in last:
            # "more common in - people over 65  - African-Americans": the list
            # starts at the last glued dash when an item follows.
            head, tail = last.rsplit(" - ", 1)
            if len(tail.split()) <= 15 and not re.search(r"[.!?] ", tail) and head:
                pieces[-1:] = [head, tail]
                kinds.append("ul")
        if next_is_item and kinds[-1] == "p" and last.endswith(" -"):
            pieces[-1] = last[:-2]
        result += [
            _Block(kind, piece.strip())
            for kind, piece in zip(kinds, pieces, strict=True)
        ]
    return [block for block in result if block.text]


def _hpo_table(body: str) -> list[_Block] | None:
    """GARD's symptom table, flattened to "Name 90% Name 7.5% Name - Name -"."""
    rows: list[tuple[str, str]] = []
    position = 0
    while match := _HPO_FREQUENCY.match(body, position):
        if " - " in match["name"]:
            break
        rows.append((match["name"], match["freq"]))
        position = match.end()
    rest = body[position:].strip()
    if rest:
        if not rest.endswith(" -") and rest != "-":
            return None
        rows += [(name.strip(), "") for name in rest[:-1].split(" - ") if name.strip()]
    if not rows:
        return None
    if not any(frequency for _, frequency in rows):
        return [_Block("p", "Signs and Symptoms:")] + [
            _Block("ul", name) for name, _ in rows
        ]
    lines = [
        "| Signs and Symptoms | Approximate number of patients (when available) |",
        "| --- | --- |",
    ]
    lines += [
        f"| {_escape(name, cell=True)} | {frequency} |" for name, frequency in rows
    ]
    return [_Block("table", "\n".join(lines))]


def _tidy(blocks: list[_Block]) -> list[_Block]:
    tidy: list[_Block] = []
    for block in blocks:
        if _PUNCTUATION_AFTER_SPACE.search(block.text):
            block.text = _SPACE_BEFORE_PUNCTUATION.sub("", block.text)
        if block.kind == "p" and block.text in _ARTIFACTS:
            continue
        # SeniorHealth repeats each item's text right after the item, either as
        # the next block or within the same one.
        if tidy and block.text == tidy[-1].text:
            continue
        half = block.text[: len(block.text) // 2]
        if half and block.text == f"{half} {half}":
            block.text = half
        tidy.append(block)
    if tidy and tidy[0].kind == "p":
        tidy[0].text = _SUMMARY_LABEL.sub("", tidy[0].text)
        lead = _QUESTION_LEAD.match(tidy[0].text)
        if lead:
            tidy[:1] = [_Block("p", lead[1]), _Block("p", tidy[0].text[lead.end() :])]
    _number_items(tidy)
    _unmarked_items(tidy)
    tidy = _drop_list_echoes(tidy)
    _nest_items(tidy)
    return tidy


def _drop_list_echoes(blocks: list[_Block]) -> list[_Block]:
    """Remove a list repeated as run-on text right after it (SeniorHealth).

    "- urine tests  - blood tests. urine tests blood tests. In addition, ..."
    """
    result: list[_Block] = []
    for index, block in enumerate(blocks):
        result.append(block)
        items: list[str] = []
        for item in reversed(result):
            if item.kind != "ul":
                break
            items.insert(0, item.text)
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if len(items) < 2 or (following and following.kind == "ul"):
            continue
        # The echo may be glued to the last item, or be the next paragraph.
        last = items[-1]
        echo_at = last.find(f" {items[0]} ", 1)
        if echo_at > 0:
            head = last[:echo_at]
            echo = " ".join([*items[:-1], head])
            if last[echo_at + 1 :].startswith(echo):
                block.text = head
                rest = last[echo_at + 1 + len(echo) :].strip()
                if rest:
                    result.append(_Block("p", rest))
                continue
        if following and following.text.startswith(" ".join(items)):
            following.text = following.text[len(" ".join(items)) :].strip()
    return [block for block in result if block.text]


def _nest_items(blocks: list[_Block]) -> None:
    """Short items after an item ending "...include:" are its sub-items."""
    parent = False
    for block in blocks:
        if block.kind != "ul":
            parent = False
        elif parent and _is_sub_item(block.text):
            block.kind = "ul2"
        else:
            parent = bool(_INTRODUCES_ITEMS.search(block.text))


def _is_sub_item(text: str) -> bool:
    return text[0].islower() or (
        len(text.split()) <= 8 and not _SENTENCE_END.search(text)
    )


def _number_items(blocks: list[_Block]) -> None:
    """Consecutive paragraphs "1. ...", "2. ..." become a numbered list."""
    index = 0
    while index < len(blocks):
        run = index
        while run < len(blocks):
            match = (
                _NUMBERED.match(blocks[run].text) if blocks[run].kind == "p" else None
            )
            if not match or int(match[1]) != run - index + 1:
                break
            run += 1
        if run - index >= 2:
            for number, block in enumerate(blocks[index:run], start=1):
                block.kind, block.number = "ol", number
                block.text = _NUMBERED.sub("", block.text)
        index = max(run, index + 1)


def _unmarked_items(blocks: list[_Block]) -> None:
    """Short unpunctuated lines after a line ending ":" are list items (NHLBI)."""
    for index, block in enumerate(blocks):
        if block.kind != "p" or not block.text.endswith(":"):
            continue
        run = index + 1
        while run < len(blocks) and _is_unmarked_item(blocks[run]):
            run += 1
        if run - index > 2:
            for item in blocks[index + 1 : run]:
                item.kind = "ul"


def _is_unmarked_item(block: _Block) -> bool:
    return (
        block.kind == "p"
        and len(block.text.split()) <= 12
        and not _SENTENCE_END.search(block.text)
    )


def _render(blocks: list[_Block]) -> str:
    out: list[str] = []
    previous = ""
    for block in blocks:
        if block.kind == "table":
            line = block.text
        elif block.kind == "ul":
            line = "- " + _escape(block.text, line_start=True)
        elif block.kind == "ul2":
            line = "  - " + _escape(block.text, line_start=True)
        elif block.kind == "ol":
            line = f"{block.number}. " + _escape(block.text, line_start=True)
        else:
            line = _escape(block.text, line_start=True)
        if out:
            same_list = {block.kind, previous} <= {"ul", "ul2"} or (
                block.kind == previous == "ol"
            )
            out.append("\n" if same_list else "\n\n")
        out.append(line)
        previous = block.kind
    return "".join(out)


# Only what would change the rendering: "[1]" stays as typed, "](" does not.
_INLINE_SYNTAX = re.compile(
    r"[\\`*]|~~+|_(?:(?<![A-Za-z0-9]_)|(?![A-Za-z0-9]))|<(?=[A-Za-z/!?])"
    r"|&(?=#?\w+;)|\](?=[(\[:])"
)
_LINE_START_SYNTAX = re.compile(r"^(?:[#>+=\[-]|(?P<number>\d{1,9})(?=[.)](?:\s|$)))")


def _escape(text: str, *, line_start: bool = False, cell: bool = False) -> str:
    """Backslash-escape what Markdown would otherwise read as syntax."""
    text = _INLINE_SYNTAX.sub(lambda m: "".join("\\" + c for c in m[0]), text)
    if cell:
        text = text.replace("|", "\\|")
    if line_start:
        # "1986. A year..." is not a list: escape the dot, not the digits.
        text = _LINE_START_SYNTAX.sub(
            lambda m: m[0] + "\\" if m["number"] else "\\" + m[0], text, count=1
        )
    return text
