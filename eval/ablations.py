"""The systems one eval run compares, each a row of the ablation table and a subfolder of OUT.

`VARIANTS` lists them: the naive character-bigram BM25 baseline (300-character
windows of the raw text, retrieval only), word BM25 only, dense (e5) only,
the hybrid as shipped, and the hybrid with the configured reranker (only when
one is configured: `HPQA_RERANKER` / settings.reranker other than "none").
Our variants differ only in `SearchParams` weights (index/search.py); the
metadata boosts and the answerer are the same for all of them, so every
variant also answers and is scored on its answers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from index.search import SearchParams


@dataclass(frozen=True)
class Variant:
    name: str  # subfolder of OUT
    label: str
    params: SearchParams | None  # None: the baseline retriever
    rerank: bool = False


VARIANTS = (
    Variant("baseline", "char-bigram BM25 baseline", None),
    Variant("bm25", "BM25 only (jieba words)", SearchParams(dense_weight=0.0, bm25_weight=1.0, bigram_weight=0.0)),
    Variant("dense", "dense only (e5)", SearchParams(dense_weight=1.0, bm25_weight=0.0, bigram_weight=0.0)),
    Variant("hybrid", "hybrid (shipped)", SearchParams()),
    Variant("hybrid_rerank", "hybrid + rerank", SearchParams(), rerank=True),
)


def reranker_name(settings) -> str:
    """The configured reranker, "none" when the settings have none."""
    return str(getattr(settings, "reranker", None) or "none")


def choose_variants(settings, ablations: bool, baseline: bool) -> list[Variant]:
    """Hybrid always; the baseline with --baseline or --ablations; the rest with --ablations.

    >>> [v.name for v in choose_variants(None, ablations=False, baseline=True)]
    ['baseline', 'hybrid']
    >>> [v.name for v in choose_variants(None, ablations=True, baseline=False)]
    ['baseline', 'bm25', 'dense', 'hybrid']
    """
    out = []
    for v in VARIANTS:
        if v.name == "hybrid" or (v.name == "baseline" and (baseline or ablations)):
            out.append(v)
        elif ablations and v.name != "baseline" and (not v.rerank or reranker_name(settings) != "none"):
            out.append(v)
    return out


def make_pipeline(variant: Variant, settings, index, embedder, generator: str) -> Callable[[dict], dict]:
    """question dict -> {"retrieved", "answer", "refused", "citations"} for one variant over one index."""
    if variant.params is None:
        from eval.baseline import BaselineRetriever

        baseline = BaselineRetriever.from_corpus(settings.corpus_dir, sorted(index.manifest["documents"]))
        return lambda q: {"retrieved": baseline.retrieve(q["question"], 10)}
    from answer.generate import make_generator
    from answer.pipeline import Answerer
    from index.search import Searcher

    reranker = None
    if variant.rerank:
        from index.rerank import make_reranker

        reranker = make_reranker(reranker_name(settings))
    searcher = Searcher(index, embedder, variant.params, reranker)
    answerer = Answerer(searcher, make_generator(generator, settings), settings)

    def run(q: dict) -> dict:
        a = answerer.answer(q["question"])
        return {"retrieved": [(h.chunk.doc, h.chunk.text, h.score) for h in a.retrieved],
                "answer": a.text, "refused": a.refused,
                "citations": [{"doc": c.doc, "text": c.quote} for c in a.citations]}

    run.pipeline_name = "hybrid+" + answerer.generator.name  # type: ignore[attr-defined]
    return run
