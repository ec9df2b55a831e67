"""Retrieval metrics on normalised text: where the evidence quotes were found in a ranking.

Pure functions. A quote counts as found at rank r when it occurs in the r-th
retrieved text of its document, or when it is split across two retrieved texts
of that document (found at the worse of the two ranks). Evidence without a
quote is a whole gold passage (SQuAD, RGB): found at the first rank holding a
text of that document. Evidence without a document (CSV) matches any document.
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


def doc_rank(doc: str, retrieved: Sequence[tuple[str, str]]) -> int | None:
    """1-based rank of the first retrieved text of `doc`, or None.

    >>> doc_rank("p2", [("p1", "x"), ("p2", "y")]), doc_rank("p3", [("p1", "x")])
    (2, None)
    """
    return next((r for r, (d, _) in enumerate(retrieved, 1) if d == doc), None)


def evidence_rank(e: dict, retrieved: Sequence[tuple[str, str]]) -> int | None:
    """Rank of one evidence item: {"doc", "quote"}, {"doc"} (a gold passage) or {"quote"} (any document).

    >>> evidence_rank({"quote": "49.13%"}, [("a", "x"), ("b", "签约率49.13%")])
    2
    """
    if not e.get("quote"):
        return doc_rank(e["doc"], retrieved)
    if e.get("doc") is None:
        ranks = [quote_rank(e["quote"], d, retrieved) for d in dict.fromkeys(d for d, _ in retrieved)]
        return min((r for r in ranks if r is not None), default=None)
    return quote_rank(e["quote"], e["doc"], retrieved)


def _evidence_in_budget(e: dict, retrieved: Sequence[tuple[str, str]]) -> bool:
    if e.get("quote"):
        return in_budget(e["quote"], retrieved)
    used = 0  # a gold passage counts when one of its texts starts inside the budget
    for d, t in retrieved:
        if d == e["doc"] and used < BUDGET_CHARS:
            return True
        used += len(normalize(t))
    return False


def score_question(evidence: Sequence[dict], retrieved: Sequence[tuple[str, str]]) -> dict:
    """Per-question retrieval scores; `evidence` is a non-empty list of evidence items (see evidence_rank)."""
    ranks = [evidence_rank(e, retrieved) for e in evidence]
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
    out["budget_hit"] = float(any(_evidence_in_budget(e, retrieved) for e in evidence))
    out["budget_all"] = float(all(_evidence_in_budget(e, retrieved) for e in evidence))
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
