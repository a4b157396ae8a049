"""Compare two search_quality.py runs question by question, per LiveQA file.

    .venv/bin/python bench/compare_runs.py bench/results/search_quality_details.jsonl \
        bench/results/search_quality-no_overview_details.jsonl

For each fold (LiveQA file 1, file 2, both) and each measure (top-1 hit,
MRR@10 on the answerable questions, on target at top 1) prints the second
run minus the first with a paired 95 % bootstrap interval: the same
questions resampled for both runs (bench/README.md, "Judging a change").
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from evaluation import paired_bootstrap
from search_quality import _per_question


def read(path: Path) -> dict[str, dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return {row["id"]: row for row in map(json.loads, lines)}


def compare(first: Path, second: Path) -> dict[str, dict[str, dict[str, float]]]:
    a, b = read(first), read(second)
    if a.keys() != b.keys():
        raise SystemExit("the two runs did not search the same questions")
    folds: dict[str, list[str]] = defaultdict(list)
    for qid, row in a.items():
        folds[row["fold"]].append(qid)
    folds["all"] = list(a)
    report: dict[str, dict[str, dict[str, float]]] = {}
    for fold, ids in sorted(folds.items()):
        mine = _per_question([a[i] for i in ids])
        theirs = _per_question([b[i] for i in ids])
        report[fold] = {
            measure: paired_bootstrap(theirs[measure], mine[measure]).as_dict()
            for measure in mine
        }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", type=Path, help="the reference run's details")
    parser.add_argument("second", type=Path, help="the changed run's details")
    args = parser.parse_args()
    report = compare(args.first, args.second)
    print(f"{args.second.name} minus {args.first.name} (paired 95 % intervals)")
    for fold, measures in report.items():
        cells = [
            f"{name} {100 * e['value']:+.1f} [{100 * e['low']:+.1f}, {100 * e['high']:+.1f}]"
            for name, e in measures.items()
        ]
        print(f"  {fold:<7} " + "   ".join(cells))


if __name__ == "__main__":
    main()
