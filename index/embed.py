"""Embedders: turn texts into L2-normalised float32 vectors.

`Embedder` is the protocol; `E5Embedder` is the real multilingual model
(converted into `models/` by `python -m index.convert_e5`) on torch, and
`index.embed_openvino.E5OpenVINOEmbedder` the same model on OpenVINO (exported by
`python -m index.export_backend`); `HashEmbedder` is a deterministic character
n-gram test double behind the same protocol. `make_embedder(settings)` picks one
by name and backend; the backend is recorded in the index manifest. torch,
sentence-transformers and openvino are imported only when a model is first used.
"""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Literal, Protocol, Sequence

import numpy as np

log = logging.getLogger(__name__)
Kind = Literal["query", "passage"]


class ModelMissing(RuntimeError):
    """The converted model folder is absent or incomplete."""


class Embedder(Protocol):
    name: str
    dim: int
    backend: str  # what computes the vectors (torch, openvino, ...); recorded in the manifest

    @property
    def checksum(self) -> str: ...

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        """Vectors of shape (len(texts), dim), float32, unit length."""
        ...


def model_checksum(model_dir: Path) -> str:
    """The checksum recorded at conversion time (cheap: no 250 MB hash per run)."""
    info = model_dir / "conversion.json"
    if not info.is_file():
        raise ModelMissing(
            f"no converted model at {model_dir} (conversion.json missing): run `make model` "
            "(or `.venv/bin/python -m index.convert_e5`)")
    data = json.loads(info.read_text(encoding="utf-8"))
    for key in ("model_sha256", "safetensors_sha256", "checksum"):
        if isinstance(data.get(key), str):
            return data[key]
    for v in data.values():  # nested {"model.safetensors": {"sha256": ...}} layouts
        if isinstance(v, dict) and isinstance(v.get("sha256"), str):
            return v["sha256"]
    return hashlib.sha256(info.read_bytes()).hexdigest()


class E5Embedder:
    """multilingual-e5-small through sentence-transformers, with e5's prompts."""

    name = "multilingual-e5-small"
    dim = 384
    backend = "torch"

    def __init__(self, model_dir: Path, batch_size: int = 32, threads: int = 0):
        self.model_dir = Path(model_dir)
        self.batch_size = batch_size
        self.threads = threads
        self._checksum = model_checksum(self.model_dir)
        self._model = None

    @property
    def checksum(self) -> str:
        return self._checksum

    def _load(self):
        if self._model is None:
            import torch
            from sentence_transformers import SentenceTransformer

            if self.threads:
                torch.set_num_threads(self.threads)
            log.info("loading embedding model from %s", self.model_dir)
            self._model = SentenceTransformer(str(self.model_dir), device="cpu")
        return self._model

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        if kind == "query":  # one short text: a second thread only adds contention (measured 46 vs 391 ms under load)
            import torch

            before = torch.get_num_threads()
            torch.set_num_threads(1)
            try:
                return self._encode(model, texts, kind)
            finally:
                torch.set_num_threads(before)
        return self._encode(model, texts, kind)

    def _encode(self, model, texts: Sequence[str], kind: Kind) -> np.ndarray:
        vecs = model.encode(list(texts), prompt_name=kind, batch_size=self.batch_size,
                                   normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)


class HashEmbedder:
    """Character uni+bigram feature hashing: fast, deterministic, no model.

    For tests of the plumbing only; every test suite also drives E5Embedder.
    """

    name = "hash-ngram"
    backend = "numpy"

    def __init__(self, dim: int = 256):
        self.dim = dim

    @property
    def checksum(self) -> str:
        return f"hash-ngram-{self.dim}"

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            grams = list(text) + [text[i:i + 2] for i in range(len(text) - 1)]
            for g in grams:
                h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "little")
                out[row, h % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)


EMBEDDERS = ("e5", "hash")
BACKENDS = ("openvino", "torch")  # for e5; the hash embedder has only numpy


def backend_for(settings) -> str:
    """The backend `make_embedder(settings)` uses, without loading anything.

    >>> from types import SimpleNamespace as S
    >>> backend_for(S(embedder="e5", embed_backend="openvino")), backend_for(S(embedder="hash"))
    ('openvino', 'numpy')
    """
    if settings.embedder == "hash":
        return HashEmbedder.backend
    return getattr(settings, "embed_backend", "torch")


def make_embedder(settings) -> Embedder:
    """The embedder named by `settings.embedder` on `settings.embed_backend` (e5 only)."""
    if settings.embedder == "e5":
        backend = backend_for(settings)
        if backend == "torch":
            return E5Embedder(settings.model_dir, settings.embed_batch_size, settings.torch_threads)
        if backend == "openvino":
            from index.embed_openvino import E5OpenVINOEmbedder

            return E5OpenVINOEmbedder(settings.model_dir, settings.embed_batch_size, settings.torch_threads)
        raise ValueError(f"unknown embedding backend {backend!r}: choose from {', '.join(BACKENDS)}")
    if settings.embedder == "hash":
        return HashEmbedder()
    raise ValueError(f"unknown embedder {settings.embedder!r}: choose from {', '.join(EMBEDDERS)}")
