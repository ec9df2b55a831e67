"""multilingual-e5-small on the OpenVINO runtime: the same model, about 5x faster here.

Runs the graph written by `python -m index.export_backend` (BERT + masked mean
pooling + L2 normalisation) with the folder's own `tokenizer.json`, e5's
prompts ("query: ", "passage: ") and 512-token truncation, exactly as the
sentence-transformers folder does; embeddings agree with the torch fp32 model at
cosine >= 0.9999 (OpenVINO computes in bf16 on CPUs that have it). Passages run on
all cores in length-sorted batches; queries on a second compiled copy pinned to
one thread (steadier on a shared 2-core machine: measured p50 11.5 vs 24.8 ms).
It does not export: a missing export raises ModelMissing saying what to run.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Sequence

import numpy as np

from index.embed import Kind, ModelMissing, model_checksum

log = logging.getLogger(__name__)
PROMPTS = {"query": "query: ", "passage": "passage: "}
MAX_TOKENS = 512


class E5OpenVINOEmbedder:
    """E5 through OpenVINO; same protocol and vectors as index.embed.E5Embedder."""

    name = "multilingual-e5-small"
    dim = 384
    backend = "openvino"

    def __init__(self, model_dir: Path, batch_size: int = 32, threads: int = 0):
        from index.export_backend import XML, export_dir, is_exported

        self.model_dir = Path(model_dir)
        self.batch_size = batch_size
        self.threads = threads
        self._checksum = model_checksum(self.model_dir)
        if not is_exported(self.model_dir):
            raise ModelMissing(
                f"no OpenVINO export of {self.model_dir} (or it is stale): run `make model` "
                "(or `.venv/bin/python -m index.export_backend`), or set HPQA_EMBED_BACKEND=torch")
        self._xml = export_dir(self.model_dir) / XML
        self._passage = self._query = self._tokenizer = None

    @property
    def checksum(self) -> str:
        return self._checksum

    def _load(self) -> None:
        if self._tokenizer is not None:
            return
        import openvino as ov
        from tokenizers import Tokenizer

        log.info("loading OpenVINO model from %s", self._xml)
        core = ov.Core()
        model = core.read_model(str(self._xml))
        passage_cfg = {"INFERENCE_NUM_THREADS": self.threads} if self.threads else {}
        self._passage = core.compile_model(model, "CPU", passage_cfg)
        self._query = core.compile_model(model, "CPU", {"INFERENCE_NUM_THREADS": 1})
        tok = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        tok.enable_truncation(MAX_TOKENS)
        self._pad_id = tok.token_to_id("<pad>")
        self._tokenizer = tok

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        self._load()
        if kind not in PROMPTS:
            raise ValueError(f"unknown kind {kind!r}: choose from {', '.join(PROMPTS)}")
        compiled = self._query if kind == "query" else self._passage
        encs = self._tokenizer.encode_batch([PROMPTS[kind] + t for t in texts])
        order = np.argsort([len(e.ids) for e in encs], kind="stable")  # less padding per batch
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for b in range(0, len(order), self.batch_size):
            rows = order[b:b + self.batch_size]
            ids, mask = pad_batch([encs[i].ids for i in rows], self._pad_id)
            # A fresh infer request per batch: calling the CompiledModel shares one request between threads
            # (issue 11: 337 of 400 concurrent query vectors came back wrong or failed).
            out[rows] = compiled.create_infer_request().infer({"input_ids": ids, "attention_mask": mask})[0]
        return out


def pad_batch(token_ids: list[list[int]], pad_id: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Right-pad token id lists into (ids, attention mask) int64 arrays.

    >>> ids, mask = pad_batch([[0, 5, 2], [0, 2]])
    >>> ids.tolist(), mask.tolist()
    ([[0, 5, 2], [0, 2, 1]], [[1, 1, 1], [1, 1, 0]])
    """
    width = max(len(t) for t in token_ids)
    ids = np.full((len(token_ids), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(token_ids), width), dtype=np.int64)
    for i, t in enumerate(token_ids):
        ids[i, :len(t)] = t
        mask[i, :len(t)] = 1
    return ids, mask
