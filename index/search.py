"""Hybrid search: dense (FAISS) + BM25 scores fused, steered by query understanding.

`Searcher.search(question, k, filters)` returns ranked `Hit`s. Three signals are
fused as a weighted sum of their min-max-normalised scores: dense (e5 + FAISS),
word BM25 (jieba) and character-bigram BM25 (robust to typos and paraphrase);
English questions are expanded with glossary terms for the two BM25s, everyday
Chinese with the documents' terms for it (weighed less than the asker's own
words: `expansion_weight`), and
district names and years are left out of the BM25 query (they act through
the metadata boosts instead, see index/query.py). The sum
is multiplied by metadata boosts (district, year, target vs achieved) and, for a
how-many question, by `count_boost` where a question term is followed by a figure. Weights
live in `SearchParams`: the fusion weights tuned on eval/dev.jsonl only (never the
holdout); `expansion_weight` from a plateau shared by every set (docs/eval.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from index.expand import lexical_query
from index.query import QueryInfo, strip_place_and_time, to_simplified, understand
from ingest.types import Chunk

TARGET_TYPES = {"plan", "work_programme"}
# A question asking for a count or an amount.
COUNT_CUE = re.compile(r"how many|how much|多少|几[个家所项支名台人万]")
_CJK3 = re.compile(r"[\u4e00-\u9fff]{3,}")
ACHIEVED_TYPES = {"work_summary", "highlights", "newspaper"}


@dataclass(frozen=True)
class Filters:
    """Hard filters; None means any."""

    district: str | None = None
    year: int | None = None
    doc_type: str | None = None


@dataclass(frozen=True)
class SearchParams:
    # Tuned on eval/dev.jsonl (grid over 0-0.7); see the issue 4 notes.
    dense_weight: float = 0.3
    bm25_weight: float = 0.1
    bigram_weight: float = 0.4
    # BM25 weight of the colloquial glossary's document terms relative to the question's own words.
    # At 1 (a plain union) one phrase's 3-5 alternative terms outvoted the rest of the question;
    # 0.3-0.4 is a plateau on dev, holdout, fresh and the format samples alike (docs/eval.md).
    expansion_weight: float = 0.35
    district_boost: float = 0.25
    other_district_penalty: float = 0.5
    year_boost: float = 0.1
    kind_boost: float = 0.1
    # "How many teams?": a chunk where one of the question's terms is directly followed by a figure
    # (家庭医生服务团队153个) gets this boost. 0.05-0.075 lost nothing on any set; 0.1 cost one dev hit@1.
    count_boost: float = 0.05
    candidates: int = 1000  # dense candidates from FAISS; the rest get the lowest candidate score
    rerank_depth: int = 20  # hits handed to the reranker (when one is configured)


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    dense: float
    bm25: float
    meta: dict = field(default_factory=dict)


def _minmax(x: np.ndarray) -> np.ndarray:
    lo, hi = float(x.min()), float(x.max())
    return (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)


def _lexical_scores(bm25, words: str, synonyms: str, weight: float) -> np.ndarray:
    """BM25 of the question's words plus `weight` times BM25 of the expansion terms (scores add over terms)."""
    scores = bm25.scores(words)
    return scores + weight * bm25.scores(synonyms) if synonyms and weight else scores


def count_pattern(question: str, words: str, tokenizer) -> re.Pattern | None:
    """For a how-many question: its 3+-character Chinese terms followed (within two characters) by a digit.

    Terms are the lexical query's own space-separated terms (an English question's glossary
    terms) and its jieba words.

    >>> from index.bm25 import Tokenizer
    >>> bool(count_pattern("How many teams?", "How many teams? 家庭医生团队", Tokenizer()).search("组建家庭医生团队153个"))
    True
    >>> count_pattern("家庭医生团队在哪？", "家庭医生团队在哪？", Tokenizer()) is None
    True
    """
    if not COUNT_CUE.search(question.casefold()):
        return None
    terms = {t for t in words.split() + tokenizer.tokenize(words) if _CJK3.fullmatch(t)}
    if not terms:
        return None
    alternation = "|".join(map(re.escape, sorted(terms, key=len, reverse=True)))
    return re.compile(rf"(?:{alternation})[^，。；\d]{{0,2}}\d")


def _doc_matches(meta: dict, f: Filters) -> bool:
    if f.district and f.district not in (meta.get("district") or "") and f.district.casefold() != (meta.get("district_en") or "").casefold():
        return False
    if f.year is not None:
        period = meta.get("period") or [None, None]
        if period[0] is None or not period[0] <= f.year <= period[1]:
            return False
    return not (f.doc_type and meta.get("doc_type") != f.doc_type)


class Searcher:
    """Searches one loaded index (index.store.LoadedIndex) with one embedder."""

    def __init__(self, index, embedder, params: SearchParams | None = None, reranker=None, vectors=None):
        from index.rerank import NoReranker
        from index.vector_store import FaissStore

        self.index, self.embedder = index, embedder
        self.params = params or SearchParams()
        self.reranker = reranker or NoReranker()
        # Dense side: any index.vector_store.VectorStore (make_vector_store(settings, index)); FAISS by default.
        self.vectors = vectors if vectors is not None else FaissStore.from_index(index)
        self.position = {c.id: i for i, c in enumerate(index.chunks)}
        self.docs: dict[str, dict] = {d: v["meta"] for d, v in index.manifest["documents"].items()}
        self.has_place_meta = any(m.get("district") or m.get("period") for m in self.docs.values())
        self.doc_of = np.array([c.doc for c in index.chunks])
        self.flat = [c.text.replace(" ", "") for c in index.chunks]  # the PDF text spaces out numbers

    def _boosts(self, info: QueryInfo) -> dict[str, float]:
        p, out = self.params, {}
        for doc, meta in self.docs.items():
            b = 1.0
            if info.districts:
                b *= (1 + p.district_boost) if meta.get("district") in info.districts else p.other_district_penalty
            period = meta.get("period") or [None, None]
            if info.years and period[0] is not None and any(period[0] <= y <= period[1] for y in info.years):
                b *= 1 + p.year_boost
            if info.wants_target and not info.wants_achieved and meta.get("doc_type") in TARGET_TYPES:
                b *= 1 + p.kind_boost
            if info.wants_achieved and not info.wants_target and meta.get("doc_type") in ACHIEVED_TYPES:
                b *= 1 + p.kind_boost
            out[doc] = b
        return out

    def search(self, question: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        question = to_simplified(question.strip())
        if not question:
            raise ValueError("empty question: type a question in Chinese or English")
        n = len(self.index.chunks)
        if n == 0:
            return []
        qv = self.embedder.embed([question], "query")
        found = [(self.position[m.id], m.score) for m in self.vectors.search(qv[0], min(self.params.candidates, n))
                 if m.id in self.position]  # a shared store may briefly hold another version's ids
        # Chunks outside the store's candidates get the lowest candidate similarity, not 0,
        # so min-max normalisation spreads the candidates over [0, 1].
        dense = np.full(n, min(s for _, s in found) if found else 0.0, dtype=np.float32)
        if found:
            rows, sims = zip(*found)
            dense[list(rows)] = sims
        # Place and year act through metadata boosts; with no metadata to act on (a benchmark's
        # bare passages) they stay in the lexical query, where the text can still match them.
        words, synonyms = lexical_query(strip_place_and_time(question) if self.has_place_meta else question)
        p = self.params
        bm25 = _lexical_scores(self.index.bm25, words, synonyms, p.expansion_weight)
        bigram = _lexical_scores(self.index.bm25_bigram, words, synonyms, p.expansion_weight)
        fused = p.dense_weight * _minmax(dense) + p.bm25_weight * _minmax(bm25) + p.bigram_weight * _minmax(bigram)
        counted = count_pattern(question, words, self.index.bm25.tokenizer) if p.count_boost else None
        if counted:  # only chunks sharing a character pair with the question can hold one of its terms
            hit = [i for i in np.flatnonzero(bigram > 0) if counted.search(self.flat[i])]
            fused[hit] *= np.float32(1 + p.count_boost)
        info = understand(question)
        boosts = self._boosts(info)
        fused = fused * np.array([boosts[d] for d in self.doc_of], dtype=np.float32)
        if filters and (filters.district or filters.year is not None or filters.doc_type):
            allowed = {d for d, m in self.docs.items() if _doc_matches(m, filters)}
            fused = np.where(np.isin(self.doc_of, list(allowed)), fused, -np.inf)
        order = np.argsort(-fused, kind="stable")[:max(k, p.rerank_depth)]
        hits = [Hit(self.index.chunks[i], float(fused[i]), float(dense[i]), float(bm25[i]),
                    self.docs[self.index.chunks[i].doc]) for i in order if np.isfinite(fused[i])]
        return self.reranker.rerank(question, hits)[:k]
