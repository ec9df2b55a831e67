"""The naive baseline: fixed 300-character windows, character-bigram BM25.

What a first RAG demo would do: no cleaning, no structure, no model. It runs in
the same eval run as our pipeline so every figure can be compared.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from index.bm25 import bigrams

WINDOW = 300


class BaselineRetriever:
    """Windows over every document's raw text, BM25 on character bigrams."""

    def __init__(self, docs: dict[str, str], window: int = WINDOW):
        import bm25s

        self.windows: list[tuple[str, str]] = []
        for name, text in docs.items():
            flat = re.sub(r"\s+", " ", text).strip()
            self.windows += [(name, flat[i:i + window]) for i in range(0, len(flat), window)]
        self.model = bm25s.BM25()
        self.model.index([bigrams(t) or ["<empty>"] for _, t in self.windows], show_progress=False)

    @classmethod
    def from_corpus(cls, corpus_dir: Path, doc_names: list[str]) -> "BaselineRetriever":
        from ingest.load import load_file

        return cls({n: load_file(corpus_dir / n, max_bytes=1 << 30).text for n in doc_names})

    def retrieve(self, question: str, k: int = 10) -> list[tuple[str, str, float]]:
        toks = [t for t in bigrams(question) if t in self.model.vocab_dict]
        if not toks:
            return []
        scores = np.asarray(self.model.get_scores(toks))
        order = np.argsort(-scores, kind="stable")[:k]
        return [(self.windows[i][0], self.windows[i][1], float(scores[i])) for i in order]
