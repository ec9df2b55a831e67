"""Compare two runs: `python -m eval --compare RUN_A RUN_B`.

Reads RUN/summary.json and RUN/results.jsonl of both, and returns the overall
deltas (B minus A) and the questions whose pass/fail flipped (evidence in the
top 5, answer correct, refusal right). No model, no index.
"""
from __future__ import annotations

import json
from pathlib import Path

METRICS = ("hit@1", "hit@3", "hit@5", "hit@10", "all@5", "mrr", "ndcg@10", "budget_hit", "answer_accuracy",
           "refusal_accuracy", "false_refusal_rate", "citations_verbatim", "numbers_grounded", "em", "f1")
CHECKS = (("hit@5", "evidence in top 5"), ("answer_correct", "answer correct"),
          ("refusal_correct", "refused an unanswerable question"), ("false_refusal", "refused an answerable question"))


def load_run(folder: Path) -> tuple[dict, dict[str, dict]]:
    """(summary, results by question id); says what is missing."""
    s, r = folder / "summary.json", folder / "results.jsonl"
    if not s.is_file() or not r.is_file():
        raise ValueError(f"{folder}: not an eval run folder (needs summary.json and results.jsonl)")
    results = {}
    for line in r.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            results[rec["id"]] = rec
    return json.loads(s.read_text(encoding="utf-8")), results


def flips(a: dict[str, dict], b: dict[str, dict]) -> list[tuple[str, str, str, float, float]]:
    """(id, question, check, value in A, value in B) for every check that changed.

    >>> flips({"1": {"question": "q", "scores": {"hit@5": 1.0}}}, {"1": {"question": "q", "scores": {"hit@5": 0.0}}})
    [('1', 'q', 'evidence in top 5', 1.0, 0.0)]
    """
    out = []
    for qid in a.keys() & b.keys():
        sa, sb = a[qid].get("scores", {}), b[qid].get("scores", {})
        for key, label in CHECKS:
            if key in sa and key in sb and sa[key] != sb[key]:
                out.append((qid, a[qid]["question"], label, sa[key], sb[key]))
    return sorted(out)


def compare(run_a: Path, run_b: Path) -> str:
    sa, ra = load_run(run_a)
    sb, rb = load_run(run_b)
    lines = [f"A: {run_a} ({sa.get('questions')} questions)", f"B: {run_b} ({sb.get('questions')} questions)",
             f"{'metric':<22}{'A':>8}{'B':>8}{'B-A':>9}"]
    for m in METRICS:
        va, vb = sa["overall"].get(m), sb["overall"].get(m)
        if va is None and vb is None:
            continue
        delta = f"{vb - va:+9.3f}" if va is not None and vb is not None else f"{'':>9}"
        lines.append(f"{m:<22}{_f(va)}{_f(vb)}{delta}")
    la, lb = sa.get("latency", {}), sb.get("latency", {})
    for k in ("p50_ms", "p95_ms"):
        if la.get(k) is not None and lb.get(k) is not None:
            lines.append(f"{'latency ' + k:<22}{la[k]:>8.0f}{lb[k]:>8.0f}{lb[k] - la[k]:+9.0f}")
    common = ra.keys() & rb.keys()
    if len(common) < max(len(ra), len(rb)):
        lines.append(f"only {len(common)} questions are in both runs; flips are over those")
    changed = flips(ra, rb)
    better = [c for c in changed if _better(c)]
    lines.append(f"flipped: {len(changed)} ({len(better)} better in B, {len(changed) - len(better)} worse)")
    for c in changed:
        qid, q, label, x, y = c
        lines.append(f"  {'+' if _better(c) else '-'} {qid:<10} {label}: {x:g} -> {y:g}  {q}")
    return "\n".join(lines)


def _better(flip: tuple) -> bool:
    """A flip is better when the check went from 0 to 1, except refusing an answerable question."""
    _, _, label, x, y = flip
    return y < x if label == "refused an answerable question" else y > x


def _f(v) -> str:
    return f"{v:>8.3f}" if v is not None else f"{'–':>8}"
