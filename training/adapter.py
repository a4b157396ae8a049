"""A cheap alternative to fine-tuning: a linear map learned on the base model's vectors.

    python training/adapter.py study          # nested cross-validation, figures
    python training/adapter.py fit --liveqa 1 2 --out work/runs/adapter-both.npy

The runtime mean-pools last_hidden_state and normalises. A linear map W
applied to every token's hidden state commutes with the mean, so a model
whose ONNX graph ends in ``last_hidden_state @ W.T`` gives
normalise(W · v) where v is the base model's pooled vector: W can be learned
from cached base vectors in seconds (no backpropagation through the
transformer), and shipped by appending one MatMul to the base graph
(export.py --adapter).

Training: the examples of pairs.py (question -> passage, rewordings, LiveQA),
multiple-negatives ranking loss with hard negatives (cosine x 20), plus
lam · ||W - I||² to stay near the base model. Hyperparameters are chosen by
nested cross-validation: for the fold trained with LiveQA file k, each
candidate setting is trained on MedQuAD + half of file k and scored on the
other half (and the other way round); the best setting is then trained on
MedQuAD + all of file k and judged once on the other file.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np
import torch
from tools import RESULTS, TRAINING, VectorCache, base_int8_model

GRID = [
    {
        "lam": lam,
        "epochs": epochs,
        "lr": 1e-3,
        "batch": 256,
        "live_repeat": repeat,
        "medquad": medquad,
    }
    for lam in (0.01, 0.1)
    for epochs in (1, 3)
    for repeat in (1, 5)
    for medquad in ("qa+para", "para")
]


def selected(medquad: list[dict], live: list[dict], config: dict) -> list[dict]:
    """The training examples a setting uses: its MedQuAD kinds, LiveQA repeated."""
    kinds = set(config.get("medquad", "qa+para").split("+"))
    return [e for e in medquad if e["kind"] in kinds] + live * config.get(
        "live_repeat", 1
    )


def examples_for(liveqa_files: list[int], seed: int = 0) -> list[dict]:
    import pairs

    return pairs.build(
        liveqa_files, seed, qa_positive="passage", para_answered_only=True
    )


def vectors_for(examples: list[dict], cache: VectorCache) -> dict[str, np.ndarray]:
    anchors = cache.get([e["anchor"] for e in examples])
    positives = cache.get([e["positive"] for e in examples])
    has_negative = np.array(["negative" in e for e in examples])
    negatives = np.zeros_like(anchors)
    if has_negative.any():
        negatives[has_negative] = cache.get(
            [e["negative"] for e in examples if "negative" in e]
        )
    return {
        "anchor": anchors,
        "positive": positives,
        "negative": negatives,
        "has_negative": has_negative,
    }


def fit(
    examples: list[dict], vectors: dict[str, np.ndarray], config: dict, seed: int = 0
) -> np.ndarray:
    """W (384 x 384), trained with in-batch and hard negatives."""
    from train import batches

    torch.manual_seed(seed)
    anchor = torch.from_numpy(vectors["anchor"])
    positive = torch.from_numpy(vectors["positive"])
    negative = torch.from_numpy(vectors["negative"])
    has_negative = torch.from_numpy(vectors["has_negative"])
    weight = torch.nn.Parameter(torch.eye(384))
    optimizer = torch.optim.Adam([weight], lr=config["lr"])
    identity = torch.eye(384)
    for epoch in range(config["epochs"]):
        for batch in batches(
            examples, config["batch"], random.Random(seed * 1000 + epoch)
        ):
            index = torch.tensor(batch)
            a = torch.nn.functional.normalize(anchor[index] @ weight.T, dim=-1)
            p = torch.nn.functional.normalize(positive[index] @ weight.T, dim=-1)
            n = torch.nn.functional.normalize(
                negative[index][has_negative[index]] @ weight.T, dim=-1
            )
            logits = a @ torch.cat([p, n]).T * 20.0
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
            loss = loss + config["lam"] * ((weight - identity) ** 2).sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return weight.detach().numpy().copy()


def transformed(
    vectors: dict[str, np.ndarray], weight: np.ndarray
) -> dict[str, np.ndarray]:
    out = {}
    for name, v in vectors.items():
        w = v @ weight.T
        out[name] = (w / np.linalg.norm(w, axis=1, keepdims=True)).astype(np.float32)
    return out


def score(data, vectors: dict[str, np.ndarray], mask: np.ndarray) -> float:
    """The selection score: mean of passage and title MRR@10 on the masked questions."""
    from evaluate import retrieval

    figures = retrieval(vectors, data)
    return float(
        np.mean([figures[v]["mrr10"][mask].mean() for v in ("title", "passage")])
    )


def study(seed: int = 0) -> dict:
    import evaluate

    data = evaluate.Data()
    base_model = base_int8_model()
    base_vectors = evaluate.embeddings(base_model, data)
    cache = VectorCache(base_model)
    cache.add(data.titles, base_vectors["titles"])
    cache.add(data.passages, base_vectors["passages"])
    cache.add(data.queries, base_vectors["queries"])
    medquad = examples_for([], seed)
    live = {
        k: [e for e in examples_for([k], seed) if e["kind"] == "live"] for k in (1, 2)
    }
    every = medquad + live[1] + live[2]
    all_vectors = vectors_for(every, cache)
    position = {id(e): i for i, e in enumerate(every)}

    def subset(examples: list[dict]) -> tuple[list[dict], dict[str, np.ndarray]]:
        rows = [position[id(e)] for e in examples]
        return examples, {k: v[rows] for k, v in all_vectors.items()}

    ids = np.array([q["id"] for q in data.liveqa])
    report: dict = {"grid": GRID, "folds": {}}
    weights: dict[str, np.ndarray] = {}
    for train_file in (1, 2):
        rng = random.Random(seed)
        file_ids = sorted(ids[data.files == train_file].tolist())
        rng.shuffle(file_ids)
        halves = [
            set(file_ids[: len(file_ids) // 2]),
            set(file_ids[len(file_ids) // 2 :]),
        ]
        inner = []
        for config in GRID:
            values = []
            for fit_half, check_half in ((0, 1), (1, 0)):
                part = [e for e in live[train_file] if e["live_id"] in halves[fit_half]]
                weight = fit(*subset(selected(medquad, part, config)), config, seed)
                mask = np.isin(ids, list(halves[check_half]))
                values.append(score(data, transformed(base_vectors, weight), mask))
            inner.append(
                {"config": config, "inner_score": round(float(np.mean(values)), 4)}
            )
            print(
                f"fold train={train_file} {config}: inner {np.mean(values):.4f}",
                flush=True,
            )
        base_inner = score(data, base_vectors, data.files == train_file)
        best = max(inner, key=lambda r: r["inner_score"])
        weight = fit(
            *subset(selected(medquad, live[train_file], best["config"])),
            best["config"],
            seed,
        )
        weights[f"adapter-live{train_file}"] = weight
        report["folds"][f"trained with file {train_file}"] = {
            "inner": inner,
            "base_score_on_training_file": round(base_inner, 4),
            "chosen": best["config"],
        }
    # MedQuAD only (no LiveQA at all): the setting both folds chose most, ties to the first.
    chosen = [json.dumps(f["chosen"], sort_keys=True) for f in report["folds"].values()]
    config = json.loads(max(chosen, key=chosen.count))
    weights["adapter-medquad"] = fit(
        *subset(selected(medquad, [], config)), config, seed
    )
    report["medquad_only_config"] = config
    return data, base_vectors, weights, report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("study")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--out", default="adapter_study")
    f = sub.add_parser("fit")
    f.add_argument("--liveqa", type=int, nargs="*", default=[])
    f.add_argument(
        "--config",
        required=True,
        help='JSON, e.g. {"lam": 0.1, "epochs": 1, "lr": 1e-3, "batch": 256}',
    )
    f.add_argument("--seed", type=int, default=0)
    f.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "study":
        import evaluate

        data, base_vectors, weights, report = study(args.seed)
        # Judge each adapter as evaluate.py judges a model, from transformed vectors.
        models = {
            "base": base_vectors,
            **{n: transformed(base_vectors, w) for n, w in weights.items()},
        }
        seen = {"adapter-live1": [1], "adapter-live2": [2], "adapter-medquad": []}
        result = evaluate.evaluate_vectors(models, data, seen)
        result["study"] = report
        text = evaluate.table(result)
        print(text)
        out = RESULTS / f"{args.out}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1) + "\n")
        out.with_suffix(".md").write_text(text)
        for name, weight in weights.items():
            np.save(TRAINING / "work" / f"{name}-s{args.seed}.npy", weight)
    else:
        cache = VectorCache(base_int8_model())
        config = json.loads(args.config)
        every = examples_for(args.liveqa, args.seed)
        examples = selected(
            [e for e in every if e["kind"] != "live"],
            [e for e in every if e["kind"] == "live"],
            config,
        )
        weight = fit(examples, vectors_for(examples, cache), config, args.seed)
        out = args.out if args.out.is_absolute() else TRAINING / args.out
        out.parent.mkdir(parents=True, exist_ok=True)
        np.save(out, weight)
        out.with_suffix(".json").write_text(
            json.dumps(
                {
                    "liveqa_files": args.liveqa,
                    "config": json.loads(args.config),
                    "seed": args.seed,
                }
            )
            + "\n"
        )
        print(f"saved {out}")


if __name__ == "__main__":
    sys.exit(main())
