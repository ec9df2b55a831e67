"""Run a question set through a retriever and score it: results.jsonl + summary.json.

`run_questions` is the loop shared by our pipeline and the baseline: it times
each question (warm), writes one results.jsonl line per question in the fixed
contract, and returns per-question scores for the summary.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable, Sequence

from eval.metrics import latency_summary, mean_scores, score_question

# question -> {"retrieved": [(doc, text, score)] ranked, "answer": str | None, "refused": bool | None,
#              "citations": [{"doc", "text"}]}
Pipeline = Callable[[str], dict]
TOP = 10


def read_questions(path: Path) -> list[dict]:
    """JSONL questions; each needs "id" and "question". Says which line is wrong."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except ValueError as e:
            raise ValueError(f"{path}:{n}: not valid JSON ({e})") from e
        if not isinstance(q, dict) or "id" not in q or not str(q.get("question", "")).strip():
            raise ValueError(f"{path}:{n}: each line needs a non-empty \"id\" and \"question\"")
        q["id"] = str(q["id"])
        out.append(q)
    if not out:
        raise ValueError(f"{path}: no questions")
    return out


def run_questions(questions: Sequence[dict], pipeline: Pipeline, out_dir: Path,
                  score_answer: Callable[[dict, dict], dict] | None = None,
                  progress: Callable[[int, int], None] | None = None) -> list[dict]:
    """Write out_dir/results.jsonl; return one score row per question."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pipeline(questions[0]["question"])  # warm-up: latency is measured warm
    rows = []
    with open(out_dir / "results.jsonl", "w", encoding="utf-8") as f:
        for i, q in enumerate(questions):
            t = time.perf_counter()
            out = pipeline(q["question"])
            ms = (time.perf_counter() - t) * 1000
            hits = out["retrieved"][:TOP]
            record = {
                "id": q["id"], "question": q["question"],
                "retrieved": [{"doc": d, "text": txt, "score": round(s, 6)} for d, txt, s in hits],
                "answer": out.get("answer"), "refused": out.get("refused"), "citations": out.get("citations", []),
                "latency_ms": round(ms, 2),
            }
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            row = {"id": q["id"], "type": q.get("type", "untyped"), "persona": q.get("persona", "none"),
                   "latency_ms": ms}
            if q.get("evidence"):
                row.update(score_question(q["evidence"], [(d, txt) for d, txt, _ in hits]))
            if score_answer and record["answer"] is not None:
                row.update(score_answer(q, record))
            rows.append(row)
            if progress:
                progress(i + 1, len(questions))
    return rows


def summarize(rows: Sequence[dict]) -> dict:
    """Overall, by type and by persona (retrieval on answerable questions), answers, latency."""
    from eval.answer_metrics import summarize_answers

    scored = [r for r in rows if "mrr" in r]

    def group(key: str) -> dict:
        out = {}
        for g in sorted({r[key] for r in rows}):
            members = [r for r in rows if r[key] == g]
            out[g] = {**mean_scores([r for r in members if "mrr" in r]), **answers_of(members)}
        return out

    def answers_of(members: Sequence[dict]) -> dict:
        return summarize_answers(members) if any("false_refusal" in r or "refusal_correct" in r for r in members) else {}

    return {"questions": len(rows), "scored": len(scored), "overall": {**mean_scores(scored), **answers_of(rows)},
            "by_type": group("type"), "by_persona": group("persona"),
            "latency": latency_summary([r["latency_ms"] for r in rows])}
