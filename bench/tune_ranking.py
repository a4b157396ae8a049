"""Tune the ranking weights on the LiveQA development questions, with a held-back half.

    .venv/bin/python bench/tune_ranking.py [--data-dir DIR] [--rounds N]

Runs every LiveQA question once through the engine, keeping the features of
every candidate answer (not only the top 10), and labels each candidate a hit
when it is one of the question's "answerable" matches (token-overlap F1 >= 0.5
with a reference answer; see search_quality.py, whose data dir and cache this
reuses). Then, for each of the two LiveQA files in turn, it tunes the weights
on that file by coordinate ascent (each weight tried at a few multiples of its
value, kept when the file's MRR@10 improves) and reports top-1 and MRR@10 of
the default and the tuned weights on the *other* file. Weights that only help
the file they were tuned on are fitting those questions, not ranking better.

Scores are recomputed from the stored features with ranking.score, so the
tuning sees exactly the production scoring function; candidates hidden by the
engine's visibility check are absent here too (all indexed answers are
published in the benchmark data).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

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
from search_quality import ANSWERABLE_CACHE

FACTORS = (0.0, 0.5, 0.8, 1.25, 2.0)


def collect(questions: list[Any], answerable: dict[str, Any]) -> list[dict[str, Any]]:
    """Per question: the candidates' features and which candidates are hits."""
    from askwell.search import engine

    captured: list[dict[int, Any]] = []
    original = engine._fetch_hits

    def keep_features(scored, features, *args):  # type: ignore[no-untyped-def]
        captured.append(dict(features))
        return original(scored, features, *args)

    engine._fetch_hits = keep_features
    try:
        rows = []
        for question in questions:
            captured.clear()
            engine.search(question.query, limit=10)
            hits = {int(a) for a, _ in answerable.get(question.id, [])}
            rows.append(
                {
                    "id": question.id,
                    "features": captured[0] if captured else {},
                    "hits": hits,
                }
            )
        return rows
    finally:
        engine._fetch_hits = original


def evaluate(rows: list[dict[str, Any]], weights: dict[str, float]) -> dict[str, float]:
    from askwell.search import ranking

    top1 = mrr = 0.0
    for row in rows:
        ranked = sorted(
            ((ranking.score(f, weights), pk) for pk, f in row["features"].items()),
            key=lambda item: (-item[0], item[1]),
        )[:10]
        for rank, (_, pk) in enumerate(ranked, 1):
            if pk in row["hits"]:
                mrr += 1.0 / rank
                top1 += rank == 1
                break
    n = max(len(rows), 1)
    return {"top1": top1 / n, "mrr": mrr / n}


def tune(
    rows: list[dict[str, Any]], start: dict[str, float], rounds: int
) -> dict[str, float]:
    best = dict(start)
    best_mrr = evaluate(rows, best)["mrr"]
    for _ in range(rounds):
        improved = False
        for name in start:
            base = best[name] or 0.1
            for factor in FACTORS:
                trial = {**best, name: base * factor}
                mrr = evaluate(rows, trial)["mrr"]
                if mrr > best_mrr + 1e-9:
                    best, best_mrr, improved = trial, mrr, True
        if not improved:
            break
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--rounds", type=int, default=3)
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
    halves = [
        [q for q in questions if q.id.startswith(f"train{i + 1}:")]
        for i in range(len(LIVEQA_FILES))
    ]
    print("Collecting candidate features for", sum(map(len, halves)), "questions...")
    rows = [collect(half, answerable) for half in halves]
    defaults = ranking.weights()
    report: dict[str, Any] = {"machine": machine(), "defaults": defaults, "folds": []}
    print(machine_line(report["machine"]))
    print(f"{'tuned on':<26}{'evaluated on':<26}{'default':>16}{'tuned':>16}")
    for i, name in enumerate(LIVEQA_FILES):
        other = LIVEQA_FILES[1 - i]
        tuned = tune(rows[i], defaults, args.rounds)
        before, after = evaluate(rows[1 - i], defaults), evaluate(rows[1 - i], tuned)
        print(
            f"{name:<26}{other:<26}"
            f"{before['top1']:>7.1%} {before['mrr']:.3f} "
            f"{after['top1']:>7.1%} {after['mrr']:.3f}"
        )
        print(
            "  tuned weights:", json.dumps({k: round(v, 3) for k, v in tuned.items()})
        )
        report["folds"].append(
            {
                "tuned_on": name,
                "evaluated_on": other,
                "default": before,
                "tuned": after,
                "weights": tuned,
            }
        )
    both = rows[0] + rows[1]
    report["all_default"] = evaluate(both, defaults)
    print("all questions, default weights:", report["all_default"])
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / "tune_ranking.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print("Wrote", out)


if __name__ == "__main__":
    sys.exit(main())
