"""Retrieval metrics on normalised text: where the evidence quotes were found in a ranking.

Pure functions. A quote counts as found at rank r when it occurs in the r-th
retrieved text of its document, or when it is split across two retrieved texts
of that document (found at the worse of the two ranks).
"""
from __future__ import annotations

import math
import statistics
from typing import Sequence

from eval.normalize import normalize

KS = (1, 3, 5, 10)
BUDGET_CHARS = 1500


def _split_across(quote: str, a: str, b: str) -> bool:
    """Is `quote` a suffix of `a` followed by a prefix of `b` (both non-empty)?"""
    return any(a.endswith(quote[:i]) and b.startswith(quote[i:]) for i in range(1, len(quote)))


def quote_rank(quote: str, doc: str, retrieved: Sequence[tuple[str, str]]) -> int | None:
    """1-based rank at which `quote` of `doc` is found in `retrieved` [(doc, text)], or None.

    >>> quote_rank("签约率达49.13%", "a", [("b", "签约率达49.13%"), ("a", "x签约率达49.13%")])
    2
    >>> quote_rank("签约率达49.13%", "a", [("a", "……签约率"), ("a", "达49.13%……")])
    2
    """
    q = normalize(quote)
    texts = [(d, normalize(t)) for d, t in retrieved]
    for r, (d, t) in enumerate(texts, 1):
        if d == doc and q in t:
            return r
        for r0, (d0, t0) in enumerate(texts[:r - 1], 1):  # split across an earlier text and this one
            if d == d0 == doc and (_split_across(q, t0, t) or _split_across(q, t, t0)):
                return r
    return None


def in_budget(quote: str, retrieved: Sequence[tuple[str, str]], budget: int = BUDGET_CHARS) -> bool:
    """Is `quote` inside the first `budget` normalised characters of the ranked texts?

    >>> in_budget("abc", [("d", "x" * 1498 + "ab"), ("d", "c")])
    False
    >>> in_budget("abc", [("d", "x" * 1497 + "ab"), ("d", "c")])
    True
    """
    return normalize(quote) in "".join(normalize(t) for _, t in retrieved)[:budget]


def score_question(evidence: Sequence[dict], retrieved: Sequence[tuple[str, str]]) -> dict:
    """Per-question retrieval scores; `evidence` is [{"doc", "quote"}], non-empty."""
    ranks = [quote_rank(e["quote"], e["doc"], retrieved) for e in evidence]
    found = [r for r in ranks if r is not None]
    first = min(found) if found else None
    out = {f"hit@{k}": float(first is not None and first <= k) for k in KS}
    out.update({f"all@{k}": float(all(r is not None and r <= k for r in ranks)) for k in KS})
    out["mrr"] = 1.0 / first if first else 0.0
    positions = sorted(set(found))  # several quotes in one text count once: binary relevance per rank
    dcg = sum(1 / math.log2(r + 1) for r in positions if r <= 10)
    ideal = len(positions) + sum(1 for r in ranks if r is None)
    idcg = sum(1 / math.log2(i + 2) for i in range(min(ideal, 10)))
    out["ndcg@10"] = dcg / idcg
    out["budget_hit"] = float(any(in_budget(e["quote"], retrieved) for e in evidence))
    out["budget_all"] = float(all(in_budget(e["quote"], retrieved) for e in evidence))
    out["evidence_ranks"] = ranks
    return out


def mean_scores(rows: Sequence[dict]) -> dict:
    """Average every numeric metric over rows (questions)."""
    if not rows:
        return {"n": 0}
    keys = [k for k, v in rows[0].items() if isinstance(v, float) and all(isinstance(r.get(k), float) for r in rows)]
    return {"n": len(rows), **{k: round(sum(r[k] for r in rows) / len(rows), 4) for k in keys}}


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile.

    >>> percentile([10, 20, 30, 40], 50), percentile([10, 20, 30, 40], 95)
    (20, 40)
    """
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)] if s else float("nan")


def latency_summary(ms: Sequence[float]) -> dict:
    return {"p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
            "mean_ms": round(statistics.fmean(ms), 1) if ms else None}
