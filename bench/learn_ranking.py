"""Learn the ranking weights from the LiveQA questions, judged on the other file.

    .venv/bin/python bench/learn_ranking.py [--data-dir DIR] [--l2 X] [--label on_target|f1|either]

Runs every LiveQA question once through the engine and keeps every candidate
answer's ranking features (the terms of `ranking.score`), then fits a
conditional-logit model (softmax over a question's candidates; the
probability of the correct ones is maximised, with an L2 penalty) on one
LiveQA file and scores it on the other, beside the default weights and the
RRF baseline's figures from `search_quality.py`. A candidate is correct when
its question's topic matches the annotated focus and its question type the
annotated type ("on target"), or its text reaches token-F1 0.5 with a
reference answer ("f1"), or either (the default).

Because the model is linear in exactly the terms `ranking.score` adds up,
its coefficients are ranking weights: the printed JSON can be given to
`ASKWELL_SEARCH_WEIGHTS` as it is.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from common import (
    DEFAULT_DATA_DIR,
    LIVEQA_FILES,
    RESULTS_DIR,
    load_liveqa,
    machine,
    machine_line,
    require_shared_data,
    setup_django,
)
from evaluation import bootstrap_mean, paired_bootstrap
from search_quality import ANSWERABLE_CACHE, focus_matches, map_type

TERMS = (
    "lexical",
    "passage",
    "passage_cosine",
    "question",
    "question_cosine",
    "focus",
    "type",
    "focus_and_type",
    "verified",
)


def term_values(f: Any) -> list[float]:
    """The value each weight multiplies in ranking.score, in TERMS order."""
    from askwell.search.ranking import _rrf

    return [
        _rrf(f.rank_lexical),
        _rrf(f.rank_passage),
        f.passage_cosine,
        _rrf(f.rank_question),
        f.question_cosine,
        f.focus_match,
        f.type_match,
        f.focus_match * f.type_match,
        f.verified,
    ]


def collect(questions: list[Any], answerable: dict[str, Any]) -> list[dict[str, Any]]:
    """Per question: candidate ids, their term values and their labels."""
    from askwell.search import engine, snapshot
    from askwell.search.indexing import current_version
    from askwell.topics.models import Topic

    names = {
        pk: [name, *(other or [])]
        for pk, name, other in Topic.objects.values_list("pk", "name", "other_names")
    }
    captured: list[dict[int, Any]] = []
    original = engine._fetch_hits

    def keep(scored, features, *args):  # type: ignore[no-untyped-def]
        captured.append(dict(features))
        return original(scored, features, *args)

    engine._fetch_hits = keep
    rows = []
    try:
        for question in questions:
            captured.clear()
            engine.search(question.query, limit=10)
            features = captured[0] if captured else {}
            ids = sorted(features)
            snap = snapshot.get(current_version())
            docs = {d[0]: d for d in snap.documents(ids)}
            topics = snap.topics_of_many(list({d[1] for d in docs.values()}))
            gold = [(sub.foci, map_type(sub.type)) for sub in question.subs]
            f1_hits = {int(a) for a, _ in answerable.get(question.id, [])}
            on_target = []
            for pk in ids:
                _, qid, qtype, _ = docs[pk]
                topic_names = [names[t] for t in topics.get(qid, []) if t in names]
                on_target.append(
                    any(
                        t == qtype
                        and any(focus_matches(f, n) for f in foci for n in topic_names)
                        for foci, t in gold
                    )
                )
            rows.append(
                {
                    "id": question.id,
                    "fold": question.id.split(":", 1)[0],
                    "ids": ids,
                    "x": np.array([term_values(features[pk]) for pk in ids])
                    if ids
                    else np.zeros((0, len(TERMS))),
                    "on_target": np.array(on_target, dtype=bool),
                    "f1": np.array([pk in f1_hits for pk in ids], dtype=bool),
                }
            )
    finally:
        engine._fetch_hits = original
    return rows


def labels(row: dict[str, Any], kind: str) -> np.ndarray:
    if kind == "on_target":
        return row["on_target"]
    if kind == "f1":
        return row["f1"]
    return row["on_target"] | row["f1"]


def fit(
    rows: list[dict[str, Any]], kind: str, l2: float, start: np.ndarray
) -> np.ndarray:
    """Conditional logit by gradient descent (Adam) on the mean negative log
    probability of a question's correct candidates, plus l2·|w - start|²."""
    data = [(r["x"], labels(r, kind)) for r in rows if labels(r, kind).any()]
    spread = np.concatenate([x for x, _ in data]).std(axis=0)
    # A term that never varies among the candidates (e.g. "verified" when every
    # answer comes from a verified source) cannot be learned: keep its weight.
    fixed = spread < 1e-6
    scale = np.where(fixed, 1.0, spread)
    w = start * scale  # work in standardised units
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    anchor = w.copy()
    for step in range(1, 3001):
        grad = 2 * l2 * (w - anchor)
        for x, y in data:
            z = (x / scale) @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            q = p * y
            q /= q.sum()
            grad += ((p - q) @ (x / scale)) / len(data)
        grad[fixed] = 0.0
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= 0.01 * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w / scale


def top1(rows: list[dict[str, Any]], w: np.ndarray, kind: str) -> list[float]:
    out = []
    for r in rows:
        if not len(r["ids"]):
            out.append(0.0)
            continue
        scores = r["x"] @ w
        best = min(range(len(scores)), key=lambda i: (-scores[i], r["ids"][i]))
        out.append(float(labels(r, kind)[best]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--l2", type=float, default=0.01)
    parser.add_argument(
        "--label", choices=("on_target", "f1", "either"), default="either"
    )
    args = parser.parse_args()
    paths = require_shared_data(*LIVEQA_FILES)
    data_dir = args.data_dir.resolve()
    cache = data_dir / ANSWERABLE_CACHE
    if not cache.exists():
        sys.exit(f"Run bench/search_quality.py first: {cache} is missing.")
    setup_django(data_dir)
    from askwell.search import ranking

    answerable = json.loads(cache.read_text())["matches"]
    questions = load_liveqa([paths[name] for name in LIVEQA_FILES])
    print(f"Collecting candidate features for {len(questions)} questions...")
    rows = collect(questions, answerable)
    defaults = np.array([ranking.weights()[t] for t in TERMS])
    report: dict[str, Any] = {"machine": machine(), "label": args.label, "folds": {}}
    print(machine_line(report["machine"]))
    folds = sorted({r["fold"] for r in rows})
    for fold in folds:
        train = [r for r in rows if r["fold"] != fold]
        test = [r for r in rows if r["fold"] == fold]
        learned = fit(train, args.label, args.l2, defaults)
        entry: dict[str, Any] = {
            "weights": {
                t: round(float(w), 4) for t, w in zip(TERMS, learned, strict=True)
            }
        }
        print(f"\nfitted without {fold}, judged on {fold} ({len(test)} questions)")
        for kind in ("on_target", "f1"):
            base = top1(test, defaults, kind)
            mine = top1(test, learned, kind)
            entry[kind] = {
                "default": bootstrap_mean(base).as_dict(),
                "learned": bootstrap_mean(mine).as_dict(),
                "difference": paired_bootstrap(mine, base).as_dict(),
            }
            e = entry[kind]
            print(
                f"  top-1 {kind:<10} default {100 * e['default']['value']:5.1f} %"
                f"  learned {100 * e['learned']['value']:5.1f} %"
                f"  diff {100 * e['difference']['value']:+5.1f}"
                f" [{100 * e['difference']['low']:+.1f}, {100 * e['difference']['high']:+.1f}]"
            )
        print("  weights:", json.dumps(entry["weights"]))
        report["folds"][fold] = entry
    report["positives"] = dict(
        Counter(
            ("on_target" if r["on_target"].any() else "")
            + ("+f1" if r["f1"].any() else "")
            for r in rows
        )
    )
    everything = fit(rows, args.label, args.l2, defaults)
    report["weights_all"] = {
        t: round(float(w), 4) for t, w in zip(TERMS, everything, strict=True)
    }
    print("\nfitted on both files:", json.dumps(report["weights_all"]))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"learn_ranking-{args.label}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print("Wrote", out)


if __name__ == "__main__":
    sys.exit(main())
