"""Check the shipped domain-tuned model file: its sha256, and that it embeds.

    python training/verify.py [PATH]

PATH defaults to the file named in training/shipped.json, whose sha256 it must
have. The file is loaded the way askwell/search/embeddings.py loads a model
(onnxruntime, the committed tokenizer.json, inputs input_ids / attention_mask /
token_type_ids, output last_hidden_state, mean pooling, L2 norm); a few
sentences must come out as finite 384-dimensional unit vectors, a paraphrase
closer than an unrelated question. Needs only numpy, onnxruntime and
tokenizers (Askwell's own dependencies). Exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from tools import ROOT, TRAINING, OnnxEmbedder, sha256

SENTENCES = [
    "Can plasmapheresis help treat multiple sclerosis?",
    "Is plasma exchange an effective therapy for MS?",
    "What foods should I avoid if I have gout?",
]


def verify(path: Path, expected: str | None) -> list[str]:
    """The problems found (none: the file is good)."""
    if not path.is_file():
        return [f"{path}: missing"]
    problems = []
    digest = sha256(path)
    if expected and digest != expected:
        problems.append(f"{path}: sha256 {digest}, expected {expected}")
    try:
        vectors = OnnxEmbedder(path).embed(SENTENCES)
    except Exception as error:
        return [*problems, f"{path}: does not load or run: {error}"]
    norms = np.linalg.norm(vectors, axis=1)
    if vectors.shape != (len(SENTENCES), 384) or not np.isfinite(vectors).all():
        problems.append(
            f"vectors of shape {vectors.shape}, finite: {np.isfinite(vectors).all()}"
        )
    elif not np.allclose(norms, 1.0, atol=1e-5):
        problems.append(f"vectors are not unit length: norms {norms}")
    elif not vectors[0] @ vectors[1] > vectors[0] @ vectors[2]:
        problems.append("a paraphrase is not closer than an unrelated question")
    return problems


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, nargs="?")
    args = parser.parse_args(argv)
    shipped = json.loads((TRAINING / "shipped.json").read_text())
    path = args.path or ROOT / shipped["file"]
    expected = shipped["sha256"] if args.path is None else None
    problems = verify(path, expected)
    for problem in problems:
        print(f"FAIL {problem}")
    if problems:
        sys.exit(1)
    print(f"OK {path}: sha256 {sha256(path)}, loads, gives unit vectors")


if __name__ == "__main__":
    main()
