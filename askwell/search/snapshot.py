"""What ranking needs to know about every indexed answer, held in memory.

For the few hundred candidate answers of a query the engine needs each one's
question, question type, whether its contributor is verified, the topics of those questions, the
questions filed under the focus topics and the subtopics of the focus. Asking
the database costs several queries per search (about 40 ms of a 60 ms search
on the full MedQuAD); this snapshot answers from sorted numpy arrays instead.

One snapshot per process and index version (IndexState, bumped after every
index change), built in three queries. It is a ranking aid only: whether an
answer may be shown is always checked against the live rows
(engine._fetch_hits).

Past ASKWELL_SEARCH_SNAPSHOT_LIMIT indexed answers (default 300,000) a copy in
every worker costs too much memory (about 50 bytes per answer and topic link)
and too much time to reload after each change, so `get` hands out
`DatabaseFeatures` instead: the same questions answered by a few indexed
queries per search. Both keep only the small topic tree in memory.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from django.conf import settings
from django.db import connection, models

from askwell.questions.models import Question
from askwell.search.models import SearchDocument
from askwell.topics.models import Topic


@dataclass(frozen=True)
class Grouped:
    """int64 values grouped by an int64 key: keys sorted, values[offsets[i]:offsets[i+1]]."""

    keys: np.ndarray
    offsets: np.ndarray
    values: np.ndarray

    @classmethod
    def build(cls, keys: np.ndarray, values: np.ndarray) -> Grouped:
        order = np.argsort(keys, kind="stable")
        keys, values = keys[order], values[order]
        unique, starts = np.unique(keys, return_index=True)
        offsets = np.append(starts, len(keys)).astype(np.int64)
        return cls(unique, offsets, values)

    def get(self, key: int) -> np.ndarray:
        i = int(np.searchsorted(self.keys, key))
        if i == len(self.keys) or self.keys[i] != key:
            return self.values[:0]
        return self.values[self.offsets[i] : self.offsets[i + 1]]

    def spans(self, keys: list[int]) -> list[tuple[int, int]]:
        """(start, end) in `values` of each key's group; (0, 0) for absent keys.
        One binary search for all keys: a search asks for hundreds."""
        if not keys or not len(self.keys):
            return [(0, 0)] * len(keys)
        wanted = np.asarray(keys, np.int64)
        at = np.searchsorted(self.keys, wanted).clip(0, len(self.keys) - 1)
        present = self.keys[at] == wanted
        starts = np.where(present, self.offsets[at], 0)
        ends = np.where(present, self.offsets[at + 1], 0)
        return list(zip(starts.tolist(), ends.tolist(), strict=True))

    def get_many(self, keys: list[int]) -> np.ndarray:
        found = [self.values[start:end] for start, end in self.spans(keys)]
        return np.concatenate(found) if found else self.values[:0]

    def get_each(self, keys: list[int]) -> dict[int, list[int]]:
        values = self.values
        return {
            key: values[start:end].tolist()
            for key, (start, end) in zip(keys, self.spans(keys), strict=True)
        }


class Features(Protocol):
    """What ranking asks about candidate answers, from memory or the database."""

    def documents(self, answer_ids: list[int]) -> list[tuple[int, int, str, bool]]: ...
    def answers_of(self, question_ids: list[int]) -> list[int]: ...
    def questions_about(self, topic_ids: list[int], limit: int) -> list[int]: ...
    def topics_of_many(self, question_ids: list[int]) -> dict[int, list[int]]: ...
    def descendants(self, topic_id: int, limit: int) -> list[int]: ...


def _topic_children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent_id in Topic.objects.exclude(parent=None).values_list(
        "pk", "parent_id"
    ):
        children[parent_id].append(pk)
    return dict(children)


def _descendants(
    children: dict[int, list[int]], topic_id: int, limit: int
) -> list[int]:
    """Topics below `topic_id`, level by level, at most `limit`."""
    below: list[int] = []
    level = [topic_id]
    while level and len(below) < limit:
        level = [child for pk in level for child in children.get(pk, ())]
        below.extend(level)
    return below[:limit]


@dataclass(frozen=True)
class Snapshot:
    answer_ids: np.ndarray  # sorted
    question_ids: np.ndarray  # question of each answer
    type_codes: np.ndarray  # index into `types`
    types: tuple[str, ...]
    verified: np.ndarray  # bool: the answer's contributor is verified
    answers_by_question: Grouped
    topics_by_question: Grouped
    questions_by_topic: Grouped
    children: dict[int, list[int]]

    @classmethod
    def load(cls) -> Snapshot:
        rows = list(
            SearchDocument.objects.order_by("answer_id").values_list(
                "answer_id",
                "question_id",
                "question_type",
                "answer__contributor__is_verified",
            )
        )
        types = tuple(sorted({row[2] for row in rows}))
        code = {name: i for i, name in enumerate(types)}
        answer_ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        question_ids = np.fromiter((r[1] for r in rows), np.int64, len(rows))
        type_codes = np.fromiter((code[r[2]] for r in rows), np.int32, len(rows))
        verified = np.fromiter((bool(r[3]) for r in rows), np.bool_, len(rows))

        links = list(
            Question.topics.through.objects.filter(
                question_id__in=SearchDocument.objects.values("question_id")
            ).values_list("question_id", "topic_id")
        )
        link_questions = np.fromiter((q for q, _ in links), np.int64, len(links))
        link_topics = np.fromiter((t for _, t in links), np.int64, len(links))

        return cls(
            answer_ids=answer_ids,
            question_ids=question_ids,
            type_codes=type_codes,
            types=types,
            verified=verified,
            answers_by_question=Grouped.build(question_ids, answer_ids),
            topics_by_question=Grouped.build(link_questions, link_topics),
            questions_by_topic=Grouped.build(link_topics, link_questions),
            children=_topic_children(),
        )

    def documents(self, answer_ids: list[int]) -> list[tuple[int, int, str, bool]]:
        """(answer_id, question_id, question_type, verified) of the given
        answers that are indexed."""
        if not answer_ids or not len(self.answer_ids):
            return []
        wanted = np.unique(np.asarray(answer_ids, np.int64))
        at = np.searchsorted(self.answer_ids, wanted).clip(0, len(self.answer_ids) - 1)
        at = at[self.answer_ids[at] == wanted]
        return [
            (int(a), int(q), self.types[t], bool(v))
            for a, q, t, v in zip(
                self.answer_ids[at],
                self.question_ids[at],
                self.type_codes[at],
                self.verified[at],
                strict=True,
            )
        ]

    def answers_of(self, question_ids: list[int]) -> list[int]:
        answer_ids: list[int] = self.answers_by_question.get_many(question_ids).tolist()
        return answer_ids

    def questions_about(self, topic_ids: list[int], limit: int) -> list[int]:
        """Indexed questions filed under any of `topic_ids`, at most `limit`."""
        found: dict[int, None] = {}
        for topic_id in topic_ids:
            for question_id in self.questions_by_topic.get(topic_id).tolist():
                found.setdefault(question_id, None)
                if len(found) >= limit:
                    return list(found)
        return list(found)

    def topics_of_many(self, question_ids: list[int]) -> dict[int, list[int]]:
        return self.topics_by_question.get_each(question_ids)

    def descendants(self, topic_id: int, limit: int) -> list[int]:
        return _descendants(self.children, topic_id, limit)


class DatabaseFeatures:
    """The Snapshot's answers from indexed queries, for indexes too big to copy."""

    def __init__(self) -> None:
        self.children = _topic_children()

    def documents(self, answer_ids: list[int]) -> list[tuple[int, int, str, bool]]:
        if not answer_ids:
            return []
        return list(
            SearchDocument.objects.filter(answer_id__in=set(answer_ids)).values_list(
                "answer_id",
                "question_id",
                "question_type",
                "answer__contributor__is_verified",
            )
        )

    def answers_of(self, question_ids: list[int]) -> list[int]:
        if not question_ids:
            return []
        return list(
            SearchDocument.objects.filter(question_id__in=set(question_ids))
            .order_by("answer_id")
            .values_list("answer_id", flat=True)
        )

    def questions_about(self, topic_ids: list[int], limit: int) -> list[int]:
        """Like Snapshot.questions_about, the first topic first; the rest in
        chunks, each query stopping at the limit instead of sorting a big topic."""
        found: dict[int, None] = {}
        indexed = SearchDocument.objects.filter(
            question_id=models.OuterRef("question_id")
        )
        chunks = [topic_ids[:1]] + [
            topic_ids[i : i + 50] for i in range(1, len(topic_ids), 50)
        ]
        for chunk in filter(None, chunks):
            links = (
                Question.topics.through.objects.filter(topic_id__in=chunk)
                .filter(models.Exists(indexed))
                .values_list("question_id", flat=True)
            )
            for question_id in links[: 2 * (limit - len(found))]:
                found.setdefault(question_id, None)
                if len(found) >= limit:
                    return list(found)
        return list(found)

    def topics_of_many(self, question_ids: list[int]) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {q: [] for q in question_ids}
        links = Question.topics.through.objects.filter(
            question_id__in=set(question_ids)
        )
        for question_id, topic_id in links.values_list("question_id", "topic_id"):
            found[question_id].append(topic_id)
        return found

    def descendants(self, topic_id: int, limit: int) -> list[int]:
        return _descendants(self.children, topic_id, limit)


# Below this many rows an exact count is cheap and an estimate may be stale.
EXACT_COUNT_BELOW = 100_000


def _indexed_answers() -> int:
    """How many answers are indexed: PostgreSQL's estimate for big tables
    (counting millions of rows takes seconds), else an exact count."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = 'search_searchdocument'::regclass"
            )
            estimate: int = cursor.fetchone()[0]
        if estimate >= EXACT_COUNT_BELOW:
            return estimate
    return SearchDocument.objects.count()


def load() -> Features:
    if _indexed_answers() > settings.ASKWELL_SEARCH_SNAPSHOT_LIMIT:
        return DatabaseFeatures()
    return Snapshot.load()


_current: tuple[int, Features] | None = None
_lock = threading.Lock()


def get(version: int) -> Features:
    """The ranking features of `version` (engine passes indexing.current_version())."""
    global _current
    cached = _current
    if cached is None or cached[0] != version:
        with _lock:
            cached = _current
            if cached is None or cached[0] != version:
                cached = (version, load())
                _current = cached
    return cached[1]


def forget() -> None:
    global _current
    _current = None
