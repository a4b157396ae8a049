"""Step 3: fine-tune all-MiniLM-L6-v2 on the examples of pairs.py (CPU, seeded).

    python training/train.py --pairs work/pairs/both-s0.jsonl --out work/runs/NAME \
        [--init DIR] [--epochs 1] [--max-examples N] [--batch-size 32] [--lr 2e-5] [--seed 0]

A plain PyTorch loop around the Hugging Face BertModel, with the runtime's
pooling (masked mean of last_hidden_state, L2 norm): what is trained is what
the ONNX export computes. Loss: multiple negatives ranking (InfoNCE with
cosine x 20, as sentence-transformers' MultipleNegativesRankingLoss), every
anchor against every positive and hard negative of its batch. Batches never
hold two examples touching the same MedQuAD question.

Runs are resumable: a checkpoint is written every --save-every steps and
picked up again when the same command is run with the same --out. The
finished model is saved as a sentence-transformers directory (config,
safetensors, tokenizer) with train_config.json; export.py turns it into ONNX.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np
import torch
from tools import TOKENIZER, TRAINING, base_model_dir, read_jsonl, sha256

SCALE = 20.0  # sentence-transformers' MultipleNegativesRankingLoss default
COPY_FILES = (
    "config_sentence_transformers.json",
    "modules.json",
    "sentence_bert_config.json",
    "special_tokens_map.json",
    "tokenizer_config.json",
    "vocab.txt",
    "LICENSE",
    "NOTICE",
)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def batches(
    examples: list[dict], batch_size: int, rng: random.Random
) -> list[list[int]]:
    """Shuffled batches in which no MedQuAD question key (or anchor) appears twice."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    keys = [
        {*e["keys"], "anchor:" + e["anchor"], "positive:" + e["positive"]}
        for e in examples
    ]
    result: list[list[int]] = []
    pending = order
    while pending:
        # Take examples in order while they conflict with nothing taken; the
        # rest waits, in order, for the next batch.
        batch: list[int] = []
        used: set[str] = set()
        left = []
        for position, i in enumerate(pending):
            if len(batch) == batch_size:
                left.extend(pending[position:])
                break
            if keys[i] & used:
                left.append(i)
            else:
                batch.append(i)
                used |= keys[i]
        result.append(batch)
        pending = left
    # The greedy pass packs conflicts into the last batches; drop a small last one.
    return [b for b in result if len(b) >= batch_size // 2]


class Encoder:
    """Tokenise once, pad per batch."""

    def __init__(self, max_tokens: dict[str, int]) -> None:
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(TOKENIZER))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.max_tokens = max_tokens
        self.cache: dict[tuple[str, int], list[int]] = {}

    def ids(self, text: str, limit: int) -> list[int]:
        key = (text, limit)
        if key not in self.cache:
            ids = self.tokenizer.encode(text).ids
            if len(ids) > limit:
                ids = [*ids[: limit - 1], ids[-1]]  # keep [SEP]
            self.cache[key] = ids
        return self.cache[key]

    def batch(self, texts: list[str], limit: int) -> tuple[torch.Tensor, torch.Tensor]:
        rows = [self.ids(t, limit) for t in texts]
        width = max(len(r) for r in rows)
        ids = torch.zeros((len(rows), width), dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = torch.tensor(r)
            mask[i, : len(r)] = 1
        return ids, mask


def embed(
    model: torch.nn.Module, ids: torch.Tensor, mask: torch.Tensor
) -> torch.Tensor:
    hidden = model(
        input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)
    ).last_hidden_state
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, dim=-1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pairs",
        type=Path,
        required=True,
        action="append",
        help="examples (jsonl); repeatable",
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--init",
        type=Path,
        help="start from this model directory (default: the base model)",
    )
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument(
        "--max-examples",
        type=int,
        default=0,
        help="use only the first N examples after a seeded shuffle (0: all)",
    )
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--warmup", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--anchor-tokens", type=int, default=128)
    parser.add_argument("--text-tokens", type=int, default=96)
    parser.add_argument(
        "--freeze-embeddings", action=argparse.BooleanOptionalAction, default=True
    )
    parser.add_argument(
        "--train-layers",
        type=int,
        default=6,
        help="train only the top N of the 6 transformer layers (the rest is frozen, so no backward pass runs through it)",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--save-every", type=int, default=50)
    parser.add_argument(
        "--max-steps", type=int, default=0, help="stop after N steps (timing runs)"
    )
    parser.add_argument(
        "--liveqa",
        type=int,
        nargs="*",
        default=None,
        help="LiveQA files the pairs used (recorded; default: read from the pairs' metadata)",
    )
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    out = args.out if args.out.is_absolute() else TRAINING / args.out
    out.mkdir(parents=True, exist_ok=True)
    pair_paths = [p if p.is_absolute() else TRAINING / p for p in args.pairs]
    examples = [e for p in pair_paths for e in read_jsonl(p)]
    rng = random.Random(args.seed)
    if args.max_examples and args.max_examples < len(examples):
        rng.shuffle(examples)
        examples = examples[: args.max_examples]
    plan: list[list[int]] = []
    for epoch in range(math.ceil(args.epochs)):
        epoch_batches = batches(
            examples, args.batch_size, random.Random(args.seed * 1000 + epoch)
        )
        if epoch + 1 > args.epochs:  # a fractional last epoch
            epoch_batches = epoch_batches[
                : int(len(epoch_batches) * (args.epochs - epoch))
            ]
        plan += epoch_batches
    total = len(plan) if not args.max_steps else min(len(plan), args.max_steps)

    from transformers import AutoModel

    init = args.init if args.init else base_model_dir()
    init = init if init.is_absolute() else TRAINING / init
    model = AutoModel.from_pretrained(str(init))
    if args.freeze_embeddings:
        model.embeddings.word_embeddings.weight.requires_grad_(False)
    if args.train_layers < len(model.encoder.layer):
        model.embeddings.requires_grad_(False)
        for layer in model.encoder.layer[
            : len(model.encoder.layer) - args.train_layers
        ]:
            layer.requires_grad_(False)
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(parameters, lr=args.lr, weight_decay=0.01)
    warmup = max(1, int(total * args.warmup))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup))),
    )
    encoder = Encoder({})
    checkpoint = out / "checkpoint.pt"
    step = 0
    if checkpoint.is_file():
        state = torch.load(checkpoint, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"])
        step = state["step"]
        print(f"resuming at step {step}/{total}", flush=True)
    log = (out / "train_log.jsonl").open("a")
    model.train()
    started = time.perf_counter()
    window: list[float] = []
    while step < total:
        batch = [examples[i] for i in plan[step]]
        t0 = time.perf_counter()
        anchors = embed(
            model, *encoder.batch([e["anchor"] for e in batch], args.anchor_tokens)
        )
        texts = [e["positive"] for e in batch] + [
            e["negative"] for e in batch if "negative" in e
        ]
        candidates = embed(model, *encoder.batch(texts, args.text_tokens))
        logits = anchors @ candidates.T * SCALE
        loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        step += 1
        seconds = time.perf_counter() - t0
        window = ([*window, seconds])[-20:]
        log.write(
            json.dumps(
                {
                    "step": step,
                    "loss": round(loss.item(), 4),
                    "seconds": round(seconds, 2),
                    "examples": len(batch),
                    "candidates": len(texts),
                }
            )
            + "\n"
        )
        log.flush()
        if step % 10 == 0 or step == total:
            rate = args.batch_size * len(window) / sum(window)
            eta = (total - step) * sum(window) / len(window) / 60
            print(
                f"step {step}/{total} loss {loss.item():.3f} {rate:.1f} pairs/s eta {eta:.0f} min",
                flush=True,
            )
        if step % args.save_every == 0 and step < total:
            torch.save(
                {
                    "model": model.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(),
                    "torch_rng": torch.get_rng_state(),
                    "step": step,
                },
                checkpoint.with_suffix(".tmp"),
            )
            os.replace(checkpoint.with_suffix(".tmp"), checkpoint)
    model.save_pretrained(str(out), safe_serialization=True)
    source = base_model_dir()
    for name in COPY_FILES:
        if (source / name).is_file():
            shutil.copy(source / name, out / name)
    shutil.copy(TOKENIZER, out / "tokenizer.json")
    if (source / "1_Pooling").is_dir():
        shutil.copytree(source / "1_Pooling", out / "1_Pooling", dirs_exist_ok=True)
    liveqa = (
        set(args.liveqa)
        if args.liveqa is not None
        else {f for p in pair_paths for f in _liveqa_files(p)}
    )
    if (
        init / "train_config.json"
    ).is_file():  # what the starting model saw, it still knows
        liveqa |= set(
            json.loads((init / "train_config.json").read_text())["liveqa_files"]
        )
    config = {
        **{
            k: (str(v) if isinstance(v, Path) else v)
            for k, v in vars(args).items()
            if k not in ("pairs", "out", "init", "liveqa")
        },
        "pairs": [
            str(p.relative_to(TRAINING)) if p.is_relative_to(TRAINING) else str(p)
            for p in pair_paths
        ],
        "pairs_sha256": [sha256(p) for p in pair_paths],
        "init": str(init.relative_to(TRAINING))
        if init.is_relative_to(TRAINING)
        else "all-MiniLM-L6-v2 (base)",
        "liveqa_files": sorted(liveqa),
        "examples": len(examples),
        "steps": step,
        "train_seconds": round(time.perf_counter() - started),
        "torch": torch.__version__,
    }
    (out / "train_config.json").write_text(json.dumps(config, indent=1) + "\n")
    checkpoint.unlink(missing_ok=True)
    print(f"saved {out}", flush=True)


def _liveqa_files(path: Path) -> list[int]:
    meta = path.with_suffix(".meta.json")
    if meta.is_file():
        return json.loads(meta.read_text()).get("liveqa_files", [])
    return []


if __name__ == "__main__":
    main()
