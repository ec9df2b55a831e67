"""Reports (report.md, self-contained report.html) and --compare on two small runs written here."""
import json
import re
import subprocess
import sys
from pathlib import Path

from eval.compare import compare
from eval.report import write_reports
from eval.run import summarize

ROOT = Path(__file__).resolve().parents[2]


def _run(folder: Path, hits: dict[str, float], correct: dict[str, float]) -> None:
    folder.mkdir(parents=True)
    rows, lines = [], []
    for i, qid in enumerate(hits):
        row = {"id": qid, "type": "number" if i % 2 else "list", "persona": "resident", "latency_ms": 20.0 + i,
               "hit@1": hits[qid], "hit@5": hits[qid], "mrr": hits[qid], "answer_correct": correct[qid],
               "false_refusal": 0.0}
        rows.append(row)
        lines.append({"id": qid, "question": f"问题{qid}", "retrieved": [], "answer": "a", "refused": False,
                      "citations": [], "latency_ms": row["latency_ms"],
                      "scores": {k: v for k, v in row.items() if k not in ("id", "latency_ms")}})
    summary = {"questions_file": "q.jsonl", "format": "jsonl", "index": "idx", "seed": 0, "versions": {},
               **summarize(rows)}
    summary["ablations"] = {"hybrid": {"label": "hybrid", "folder": "hybrid", "questions": len(rows),
                                       "scored": len(rows), "overall": summary["overall"],
                                       "latency": summary["latency"], "ci": summary["ci"]}}
    (folder / "results.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines),
                                          encoding="utf-8")
    (folder / "summary.json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    write_reports(folder, summary, {"hybrid": rows})


def test_compare_prints_deltas_and_the_questions_that_flipped(tmp_path):
    ids = [f"q{i}" for i in range(6)]
    _run(tmp_path / "a", {i: 1.0 for i in ids}, {i: 1.0 for i in ids})
    _run(tmp_path / "b", {**{i: 1.0 for i in ids}, "q2": 0.0}, {**{i: 1.0 for i in ids}, "q4": 0.0})
    text = compare(tmp_path / "a", tmp_path / "b")
    assert re.search(r"hit@1\s+1\.000\s+0\.833\s+-0\.167", text)
    assert "flipped: 2 (0 better in B, 2 worse)" in text
    assert "q2" in text and "evidence in top 5: 1 -> 0" in text and "q4" in text
    proc = subprocess.run([sys.executable, "-m", "eval", "--compare", str(tmp_path / "a"), str(tmp_path / "b")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "flipped: 2" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "eval", "--compare", str(tmp_path / "a"), str(tmp_path / "none")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "not an eval run folder" in proc.stderr


def test_report_html_is_self_contained_with_three_charts(tmp_path):
    ids = [f"q{i}" for i in range(6)]
    _run(tmp_path / "r", {**{i: 1.0 for i in ids}, "q1": 0.0}, {i: 1.0 for i in ids})
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 3 and "hit@k" in html and "latency" in html
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)  # nothing loaded from outside
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "| hybrid (`hybrid/`) | 6 |" in md and "q1" in md and "evidence not in top 5" in md
    assert sorted(p.name for p in (tmp_path / "r" / "plots").iterdir()) == ["hit5_by_type.svg", "hitk_curve.svg",
                                                                           "latency.svg"]
