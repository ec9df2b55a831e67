"""Bootstrap 95 % confidence intervals for every per-question metric.

Pure functions over the score rows `run_questions` returns. Questions are
resampled with replacement (percentile bootstrap, 1,000 resamples, a fixed
seed so a run is reproducible); each metric is resampled over the questions
it applies to, as its point estimate is computed.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

# per-question key -> summary name (the mean of the key over the questions that have it)
MEAN_METRICS = {
    "hit@1": "hit@1", "hit@3": "hit@3", "hit@5": "hit@5", "hit@10": "hit@10",
    "all@1": "all@1", "all@3": "all@3", "all@5": "all@5", "all@10": "all@10",
    "mrr": "mrr", "ndcg@10": "ndcg@10", "budget_hit": "budget_hit",
    "answer_correct": "answer_accuracy", "refusal_correct": "refusal_accuracy",
    "false_refusal": "false_refusal_rate", "citations_verbatim": "citations_verbatim",
    "numbers_grounded": "numbers_grounded", "em": "em", "f1": "f1",
}
RESAMPLES = 1000


def bootstrap_ci(values: Sequence[float], stat: str = "mean", resamples: int = RESAMPLES,
                 seed: int = 0) -> list[float] | None:
    """[low, high] of the 95 % percentile bootstrap interval of `stat` (mean, p50 or p95).

    >>> bootstrap_ci([1.0] * 10)
    [1.0, 1.0]
    >>> lo, hi = bootstrap_ci([0.0, 1.0] * 50); 0.35 < lo < 0.5 < hi < 0.65
    True
    >>> bootstrap_ci([]) is None
    True
    """
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        return None
    samples = v[np.random.default_rng(seed).integers(0, v.size, (resamples, v.size))]
    if stat == "mean":
        stats = samples.mean(axis=1)
    elif stat in ("p50", "p95"):
        stats = np.percentile(samples, int(stat[1:]), axis=1, method="inverted_cdf")
    else:
        raise ValueError(f"unknown statistic {stat!r}: choose from mean, p50, p95")
    lo, hi = np.percentile(stats, [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def group_cis(rows: Sequence[dict], seed: int = 0) -> dict[str, list[float]]:
    """95 % intervals of every metric the rows carry, and of latency p50/p95."""
    out = {}
    for key, name in MEAN_METRICS.items():
        ci = bootstrap_ci([r[key] for r in rows if key in r], seed=seed)
        if ci is not None:
            out[name] = ci
    lat = [r["latency_ms"] for r in rows if "latency_ms" in r]
    for stat in ("p50", "p95"):
        ci = bootstrap_ci(lat, stat, seed=seed)
        if ci is not None:
            out[f"latency_{stat}_ms"] = [round(x, 1) for x in ci]
    return out


def all_cis(rows: Sequence[dict], seed: int = 0) -> dict:
    """Intervals overall, by type and by persona."""
    def by(key: str) -> dict:
        return {g: group_cis([r for r in rows if r.get(key) == g], seed) for g in sorted({r.get(key) for r in rows})}

    return {"overall": group_cis(rows, seed), "by_type": by("type"), "by_persona": by("persona")}


def paired_delta(rows_a: Sequence[dict], rows_b: Sequence[dict], key: str, seed: int = 0) -> dict | None:
    """Mean of (a - b) over the questions both rows score on `key`, with its paired 95 % interval.

    >>> paired_delta([{"id": "1", "hit@1": 1.0}, {"id": "2", "hit@1": 1.0}],
    ...              [{"id": "1", "hit@1": 0.0}, {"id": "2", "hit@1": 1.0}], "hit@1")
    {'delta': 0.5, 'ci': [0.0, 1.0], 'n': 2}
    """
    b = {r["id"]: r[key] for r in rows_b if key in r}
    diffs = [r[key] - b[r["id"]] for r in rows_a if key in r and r["id"] in b]
    if not diffs:
        return None
    return {"delta": round(float(np.mean(diffs)), 4), "ci": bootstrap_ci(diffs, seed=seed), "n": len(diffs)}
