"""How search figures are read: folds, a simple baseline, bootstrap intervals.

The development method (bench/README.md, "Judging a change"): every figure is
given per fold (LiveQA training file 1 and file 2; the two halves of mqp.csv,
doctors 1-3 and 4-6), beside a simple baseline computed in the same run on
the same corpus, with a 95 % bootstrap interval; a change is kept only when
it helps on the fold it was not designed on.

- `bootstrap_mean` / `paired_bootstrap`: percentile intervals over questions
  (or pairs) resampled with replacement; the paired form resamples the same
  questions for both systems, so it answers "is A better than B on these
  questions", not "are their intervals apart".
- `RRFBaseline`: the baseline printed beside Askwell — reciprocal-rank fusion
  (k = 60) of two lists: BM25 over each answer's question and answer text
  (SQLite FTS5, Porter stemming, every query word OR-ed) and the cosine of the
  query with each question title under the base all-MiniLM-L6-v2 model,
  whatever model the site's index uses. Nothing Askwell-specific: no focus,
  no type, no vocabulary.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RESAMPLES = 2000
SEED = 20261207
RRF_K = 60
RRF_DEPTH = 100
MQP_HALVES = {"doctors 1-3": {"1", "2", "3"}, "doctors 4-6": {"4", "5", "6"}}


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float

    def as_dict(self, digits: int = 4) -> dict[str, float]:
        return {
            "value": round(self.value, digits),
            "low": round(self.low, digits),
            "high": round(self.high, digits),
        }


def _indices(n: int, resamples: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n, size=(resamples, n))


def bootstrap_mean(
    values: Sequence[float], resamples: int = RESAMPLES, seed: int = SEED
) -> Estimate:
    """The mean of `values` and its 95 % percentile interval."""
    data = np.asarray(values, dtype=np.float64)
    if not len(data):
        return Estimate(float("nan"), float("nan"), float("nan"))
    means = data[_indices(len(data), resamples, seed)].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return Estimate(float(data.mean()), float(low), float(high))


def paired_bootstrap(
    a: Sequence[float],
    b: Sequence[float],
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> Estimate:
    """mean(a) - mean(b) over the same items, with its 95 % interval."""
    diff = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    return bootstrap_mean(diff, resamples, seed)


def bootstrap_statistic(
    statistic: Callable[[np.ndarray], float],
    n: int,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> Estimate:
    """A statistic of a sample of n items (given the resampled indices), with
    its 95 % interval; e.g. ROC-AUC of resampled pairs."""
    values = [statistic(rows) for rows in _indices(n, resamples, seed)]
    low, high = np.percentile(values, [2.5, 97.5])
    return Estimate(statistic(np.arange(n)), float(low), float(high))


def roc_auc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """ROC-AUC by the rank-sum (Mann-Whitney) formula; ties get their average rank."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=np.int64)
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s), dtype=np.float64)
    sorted_scores = s[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    positives = int(y.sum())
    negatives = len(y) - positives
    if not positives or not negatives:
        return float("nan")
    rank_sum = float(ranks[y == 1].sum())
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def auc_interval(scores: Sequence[float], labels: Sequence[int]) -> Estimate:
    s, y = np.asarray(scores), np.asarray(labels)
    return bootstrap_statistic(lambda rows: roc_auc(s[rows], y[rows]), len(s))


def paired_auc_difference(
    a: Sequence[float], b: Sequence[float], labels: Sequence[int]
) -> Estimate:
    """ROC-AUC of scores a minus that of scores b on the same resampled pairs."""
    sa, sb, y = np.asarray(a), np.asarray(b), np.asarray(labels)
    return bootstrap_statistic(
        lambda rows: roc_auc(sa[rows], y[rows]) - roc_auc(sb[rows], y[rows]), len(y)
    )


# --- the RRF baseline -------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


class RRFBaseline:
    """Two-list reciprocal-rank fusion over the published answers of the site
    in the current Django database (see the module docstring)."""

    def __init__(self, cache_dir: Path) -> None:
        from askwell.search.embeddings import MiniLMEmbedder
        from askwell.search.models import SearchDocument

        rows = list(
            SearchDocument.objects.order_by("answer_id").values_list(
                "answer_id", "question_id", "title", "body"
            )
        )
        self._fts = sqlite3.connect(":memory:")
        self._fts.execute(
            "CREATE VIRTUAL TABLE doc USING fts5(text, tokenize='porter unicode61')"
        )
        self._fts.executemany(
            "INSERT INTO doc(rowid, text) VALUES (?, ?)",
            [(answer, f"{title}\n{body}") for answer, _, title, body in rows],
        )
        answers_of: dict[int, list[int]] = defaultdict(list)
        titles: dict[int, str] = {}
        for answer, question, title, _ in rows:
            answers_of[question].append(answer)
            titles[question] = title
        self._questions = sorted(answers_of)
        self._answers_of = answers_of
        # The base model, whatever the site's index was built with.
        self._embedder = MiniLMEmbedder()
        self._titles = self._title_vectors(
            [titles[q] for q in self._questions], cache_dir
        )

    def _title_vectors(self, titles: list[str], cache_dir: Path) -> np.ndarray:
        key = hashlib.sha256(json.dumps(titles).encode()).hexdigest()[:16]
        path = cache_dir / f"rrf-base-title-vectors-{key}.npy"
        if path.is_file():
            return np.load(path)
        vectors = self._embedder.embed(titles)
        cache_dir.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
        return vectors

    def query_vectors(self, texts: list[str]) -> np.ndarray:
        return self._embedder.embed(texts)

    def search(self, text: str, vector: np.ndarray, limit: int = 10) -> list[int]:
        """Answer ids, best first."""
        terms = list(dict.fromkeys(_WORD.findall(text.casefold())))
        lexical: list[int] = []
        if terms:
            match = " OR ".join(f'"{t}"' for t in terms)
            lexical = [
                rowid
                for (rowid,) in self._fts.execute(
                    "SELECT rowid FROM doc WHERE doc MATCH ? ORDER BY bm25(doc) LIMIT ?",
                    (match, RRF_DEPTH),
                )
            ]
        cosines = self._titles @ vector
        semantic: list[int] = []
        for position in np.argsort(-cosines)[:RRF_DEPTH]:
            semantic.extend(self._answers_of[self._questions[position]])
        scores: dict[int, float] = defaultdict(float)
        for ranked in (lexical, semantic[:RRF_DEPTH]):
            for rank, answer in enumerate(ranked, 1):
                scores[answer] += 1.0 / (RRF_K + rank)
        return sorted(scores, key=lambda a: (-scores[a], a))[:limit]
