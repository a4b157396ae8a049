"""Fit and measure search's close-match judgement (askwell/search/close_match.py).

    .venv/bin/python bench/search_quality.py --reuse --skip-mqp --tag close
    .venv/bin/python bench/fit_close_match.py bench/results/search_quality-close_details.jsonl [--write]

Reads the per-question details search_quality.py writes (each LiveQA
question's `close_features`: what the ranking knew about its top answer) and
a label per question: the top answer is *right* when it is a hit by the
token-F1 rule or on target (its topic is the annotated focus and its type the
annotated type; bench/README.md). The model is a logistic regression over the
standardised features (L2, fitted here with numpy), and its threshold is the
lowest one whose precision on the training questions reaches --precision.

The method (bench/README.md, "Judging a change"): fitted on LiveQA file 1,
measured on file 2, and the other way round, each beside a one-feature
baseline (the top answer's passage cosine, thresholded the same way on the
same training file). Precision (of "close") and coverage (share of questions
called close) come with 95 % bootstrap intervals over questions.

--write fits on both files and writes askwell/search/close_match.json, with
the per-fold figures as its provenance.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from evaluation import RESAMPLES, SEED

from askwell.search.close_match import FEATURES, MODEL_PATH

ROOT = Path(__file__).resolve().parents[1]

L2 = 1.0
BASELINE_FEATURE = FEATURES.index("passage_cosine")


def load(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per fold (train1, train2): the feature rows and the right/wrong labels."""
    rows: dict[str, tuple[list[list[float]], list[int]]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row.get("close_features") is None:
                continue  # no answer at all: never a close match
            x, y = rows.setdefault(row["fold"], ([], []))
            x.append(row["close_features"])
            y.append(int(row["first_hit_rank"] == 1 or bool(row["on_target_top1"])))
    return {fold: (np.array(x), np.array(y)) for fold, (x, y) in rows.items()}


def fit(x: np.ndarray, y: np.ndarray) -> dict[str, object]:
    """Standardised L2 logistic regression by Newton's method."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    penalty = np.diag([0.0, *([L2] * x.shape[1])])
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        gradient = z.T @ (p - y) + penalty @ w
        hessian = z.T @ (z * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return {
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "intercept": float(w[0]),
        "coef": w[1:].tolist(),
    }


def probabilities(model: dict[str, object], x: np.ndarray) -> np.ndarray:
    mean, scale = np.array(model["mean"]), np.array(model["scale"])
    z = model["intercept"] + ((x - mean) / scale) @ np.array(model["coef"])
    return 1 / (1 + np.exp(-z))


def threshold_for(scores: np.ndarray, y: np.ndarray, precision: float) -> float:
    """The lowest threshold whose precision on (scores, y) reaches `precision`
    (the highest score when none does: almost nothing is called close)."""
    order = np.argsort(-scores)
    hits = np.cumsum(y[order])
    called = np.arange(1, len(y) + 1)
    ok = np.nonzero(hits / called >= precision)[0]
    if len(ok) == 0:
        return float(scores.max()) + 1e-9
    return float(scores[order][ok.max()])


def precision_coverage(called: np.ndarray, y: np.ndarray) -> dict[str, object]:
    rng = np.random.default_rng(SEED)
    samples = rng.integers(0, len(y), size=(RESAMPLES, len(y)))
    precisions, coverages = [], []
    for index in samples:
        c, t = called[index], y[index]
        coverages.append(c.mean())
        if c.any():
            precisions.append(t[c].mean())

    def interval(values: list[float], point: float | None) -> dict[str, float | None]:
        if point is None:
            return {"value": None, "low": None, "high": None}
        low, high = np.percentile(values, [2.5, 97.5]) if values else (None, None)
        return {"value": round(point, 3), "low": round(low, 3), "high": round(high, 3)}

    point_precision = float(y[called].mean()) if called.any() else None
    return {
        "precision": interval(precisions, point_precision),
        "coverage": interval(coverages, float(called.mean())),
        "right_share": round(float(y.mean()), 3),
        "questions": len(y),
    }


def cross_fold(
    folds: dict[str, tuple[np.ndarray, np.ndarray]], target: float
) -> dict[str, object]:
    report = {}
    names = sorted(folds)
    for train in names:
        for test in names:
            if test == train:
                continue
            (xa, ya), (xb, yb) = folds[train], folds[test]
            model = fit(xa, ya)
            cut = threshold_for(probabilities(model, xa), ya, target)
            base_cut = threshold_for(xa[:, BASELINE_FEATURE], ya, target)
            report[f"fitted on {train}, measured on {test}"] = {
                "model": precision_coverage(probabilities(model, xb) >= cut, yb),
                "baseline (passage cosine)": precision_coverage(
                    xb[:, BASELINE_FEATURE] >= base_cut, yb
                ),
            }
    return report


def _fmt(entry: dict[str, object]) -> str:
    p, c = entry["precision"], entry["coverage"]
    if p["value"] is None:
        ptext = "   —"
    else:
        ptext = f"{p['value']:.2f} [{p['low']:.2f}, {p['high']:.2f}]"
    return f"precision {ptext}   coverage {c['value']:.2f} [{c['low']:.2f}, {c['high']:.2f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("details", type=Path)
    parser.add_argument("--precision", type=float, default=0.75)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    folds = load(args.details)
    report = cross_fold(folds, args.precision)
    print(
        f"Close match, threshold set for precision ≥ {args.precision} on the training file"
    )
    for name, entry in report.items():
        print(f"  {name}")
        for system, figures in entry.items():
            print(
                f"    {system:<26} {_fmt(figures)}   (right: {figures['right_share']:.2f} of {figures['questions']})"
            )
    if args.write:
        x = np.vstack([folds[f][0] for f in sorted(folds)])
        y = np.concatenate([folds[f][1] for f in sorted(folds)])
        model = fit(x, y)
        model["threshold"] = threshold_for(probabilities(model, x), y, args.precision)
        model["features"] = list(FEATURES)
        model["provenance"] = {
            "fitted_on": "LiveQA training files 1 and 2 (all questions with an answer)",
            "details": args.details.name,
            "label": "top answer is a token-F1 hit or on target (focus and type)",
            "precision_target": args.precision,
            "cross_fold": report,
        }
        MODEL_PATH.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
