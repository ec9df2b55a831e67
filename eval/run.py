"""Run a question set through a retriever and score it: results.jsonl + summary.json.

`run_questions` is the loop shared by our pipeline, the ablations and the
baseline: it times each question (warm), writes one results.jsonl line per
question in the fixed contract (plus `scores`, the question's own metrics),
and returns per-question scores for the summary.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable, Iterator, Sequence

from eval.metrics import latency_summary, mean_scores, score_question

# question dict -> {"retrieved": [(doc, text, score)] ranked, "answer": str | None, "refused": bool | None,
#                   "citations": [{"doc", "text"}]}
Pipeline = Callable[[dict], dict]
TOP = 10


def jsonl_objects(path: Path, text_field: str, error: type[ValueError] = ValueError) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-empty line of a JSONL question file; `error` names the
    line when it is not JSON, or not an object with "id" and a non-empty `text_field`."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
        except ValueError as e:
            raise error(f"{path}:{n}: not valid JSON ({e})") from e
        if not isinstance(r, dict) or "id" not in r or not str(r.get(text_field, "")).strip():
            raise error(f"{path}:{n}: each line needs \"id\" and a non-empty \"{text_field}\"")
        yield n, r


def read_questions(path: Path) -> list[dict]:
    """JSONL questions; each needs "id" and "question". Says which line is wrong."""
    out = []
    for _, q in jsonl_objects(path, "question"):
        q["id"] = str(q["id"])
        out.append(q)
    if not out:
        raise ValueError(f"{path}: no questions")
    return out


def run_questions(questions: Sequence[dict], pipeline: Pipeline, out_dir: Path,
                  score_answer: Callable[[dict, dict], dict] | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  prepare: Callable[[dict], None] | None = None) -> list[dict]:
    """Write out_dir/results.jsonl; return one score row per question.

    `prepare(q)`, when given, runs before each question outside the timing
    (e.g. loading the question's own index in RGB's per-question setting).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    if prepare:
        prepare(questions[0])
    pipeline(questions[0])  # warm-up: latency is measured warm
    rows = []
    tmp = out_dir / ".results.jsonl.partial"
    with open(tmp, "w", encoding="utf-8") as f:
        for i, q in enumerate(questions):
            if prepare:
                prepare(q)
            t = time.perf_counter()
            out = pipeline(q)
            ms = (time.perf_counter() - t) * 1000
            hits = out["retrieved"][:TOP]
            record = {
                "id": q["id"], "question": q["question"],
                "retrieved": [{"doc": d, "text": txt, "score": round(s, 6)} for d, txt, s in hits],
                "answer": out.get("answer"), "refused": out.get("refused"), "citations": out.get("citations", []),
                "latency_ms": round(ms, 2),
            }
            row = {"id": q["id"], "type": q.get("type", "untyped"), "persona": q.get("persona", "none"),
                   "latency_ms": ms}
            if q.get("evidence"):
                row.update(score_question(q["evidence"], [(d, txt) for d, txt, _ in hits]))
            if score_answer and record["answer"] is not None:
                row.update(score_answer(q, record))
            record["scores"] = {k: v for k, v in row.items() if k not in ("id", "latency_ms")}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            rows.append(row)
            if progress:
                progress(i + 1, len(questions))
    tmp.replace(out_dir / "results.jsonl")
    return rows


def summarize(rows: Sequence[dict], seed: int = 0) -> dict:
    """Overall, by type and by persona (retrieval on answerable questions), answers, latency, 95 % CIs."""
    from eval.answer_metrics import summarize_answers
    from eval.bootstrap import all_cis

    scored = [r for r in rows if "mrr" in r]

    def group(key: str) -> dict:
        out = {}
        for g in sorted({r[key] for r in rows}):
            members = [r for r in rows if r[key] == g]
            out[g] = {**mean_scores([r for r in members if "mrr" in r]), **answers_of(members),
                      **{f"latency_{k}": v for k, v in latency_summary([r["latency_ms"] for r in members]).items()}}
        return out

    def answers_of(members: Sequence[dict]) -> dict:
        return summarize_answers(members) if any("false_refusal" in r or "refusal_correct" in r for r in members) else {}

    return {"questions": len(rows), "scored": len(scored), "overall": {**mean_scores(scored), **answers_of(rows)},
            "by_type": group("type"), "by_persona": group("persona"),
            "latency": latency_summary([r["latency_ms"] for r in rows]), "ci": all_cis(rows, seed)}
