"""The eval runner's fixed contract: OUT/results.jsonl and OUT/summary.json."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_runner_writes_the_contract_for_ours_and_the_baseline(real_index, tmp_path):
    settings, _ = real_index
    qfile = tmp_path / "q.jsonl"
    rows = [
        {"id": 1, "question": "金山区家庭医生签约率是多少？", "type": "number", "persona": "resident",
         "evidence": [{"doc": "002_55ed37559ab106e9.txt", "quote": "签约率达49.13%"}]},
        {"id": "u1", "question": "嘉定区2024年家庭医生签约率？", "type": "unanswerable", "evidence": []},
        {"id": "x", "question": "What is the infant mortality rate in Minhang?"},
    ]
    qfile.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "eval", "--index", str(settings.index_dir), "--questions", str(qfile),
                           "--out", str(out), "--baseline"], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "HPQA_EMBEDDER": "e5"})
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(x) for x in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in lines] == ["1", "u1", "x"]
    for r in lines:
        assert {"id", "question", "retrieved", "answer", "refused", "citations", "latency_ms"} <= set(r)
        assert isinstance(r["answer"], str) and isinstance(r["refused"], bool)
        assert all(set(c) >= {"doc", "text"} for c in r["citations"])
        assert isinstance(r["latency_ms"], float) and 1 <= len(r["retrieved"]) <= 10
        assert all(set(h) >= {"doc", "text", "score"} and (ROOT / "corpus" / h["doc"]).is_file() for h in r["retrieved"])
        scores = [h["score"] for h in r["retrieved"]]
        assert scores == sorted(scores, reverse=True)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    overall = summary["overall"]
    assert overall["n"] == 1 and overall["hit@5"] == 1.0
    assert {"hit@1", "hit@3", "hit@5", "hit@10", "all@5", "mrr", "ndcg@10", "budget_hit"} <= set(overall)
    assert "number" in summary["by_type"] and "resident" in summary["by_persona"]
    assert {"p50_ms", "p95_ms"} <= set(summary["latency"])
    assert (out / "baseline" / "results.jsonl").is_file() and "overall" in summary["baseline"]
    assert lines[0]["refused"] is False and "49.13%" in lines[0]["answer"]
    assert lines[1]["refused"] is True  # 嘉定区 is in none of the documents
    assert overall["answer_accuracy"] is None or overall["answer_accuracy"] >= 0  # no must_include given
    assert summary["by_type"]["unanswerable"]["refusal_accuracy"] == 1.0
    assert overall["citations_verbatim"] == 1.0
    assert "hit@5" in proc.stdout and "baseline" in proc.stdout


def test_runner_requires_questions_and_out_and_names_a_bad_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "eval"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and "--questions" in proc.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "question": "ok"}\n{"question": "no id"}\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "eval", "--questions", str(bad), "--out", str(tmp_path / "o")],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and "bad.jsonl:2" in proc.stderr
