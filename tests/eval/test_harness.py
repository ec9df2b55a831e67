"""Every format end to end with the real e5 model and real FAISS indexes (temporary ones for SQuAD/RGB)."""
import json
from pathlib import Path

from eval.harness import RunConfig, run_benchmark

DATA = Path(__file__).parent / "fixtures"


def _results(out: Path, sub: str = "") -> list[dict]:
    return [json.loads(x) for x in (out / sub / "results.jsonl").read_text(encoding="utf-8").splitlines()]


def test_squad_set_runs_on_a_temporary_index_of_its_own_passages(real_index, tmp_path):
    settings, embedder = real_index
    out = tmp_path / "out"
    s = run_benchmark(RunConfig(DATA / "tiny_squad.json", out, format="squad", ablations=True), settings, embedder)
    lines = _results(out)
    assert [r["id"] for r in lines] == ["101", "102", "103", "104"]
    assert all(h["doc"].startswith("p0") for r in lines for h in r["retrieved"])  # the benchmark's passages only
    assert "temporary pooled index" in s["index"] and s["manifest"]["counts"]["documents"] == 4
    assert set(s["ablations"]) == {"baseline", "bm25", "dense", "hybrid"}
    for name in s["ablations"]:
        assert (out / name / "results.jsonl").is_file() and (out / name / "summary.json").is_file()
    assert s["overall"]["hit@5"] == 1.0  # four passages: the gold one is always in the top 5
    assert s["overall"]["em"] is not None and 0 <= s["overall"]["f1"] <= 1
    assert s["ci"]["overall"]["hit@1"][0] <= s["overall"]["hit@1"] <= s["ci"]["overall"]["hit@1"][1]
    assert s["config"]["format"] == "squad" and s["seed"] == 0 and s["versions"]["python"]
    assert (out / "report.html").is_file() and (out / "report.md").is_file()
    assert lines[3]["scores"]["type"] == "unanswerable" and "refusal_correct" in lines[3]["scores"]


def test_rgb_pooled_and_per_question_with_all_negatives(real_index, tmp_path):
    settings, embedder = real_index
    s = run_benchmark(RunConfig(DATA / "tiny_rgb.jsonl", tmp_path / "pooled", format="rgb", baseline=True),
                      settings, embedder)
    assert s["questions"] == 3 and s["scored"] == 2 and "vs_baseline" in s["ablations"]["hybrid"]
    neg = run_benchmark(RunConfig(DATA / "tiny_rgb.jsonl", tmp_path / "neg", format="rgb", per_question=True,
                                  noise_rate=1.0), settings, embedder)
    lines = _results(tmp_path / "neg")
    # every passage given is a negative: nothing to find, every question should be refused
    assert neg["scored"] == 0 and all(r["scores"]["type"] == "unanswerable" for r in lines)
    assert neg["overall"]["refusal_accuracy"] is not None
    for r in lines:  # each question searched only its own (negative) passages
        assert len({h["doc"] for h in r["retrieved"]}) <= 2


def test_csv_set_runs_against_our_corpus_index(real_index, tmp_path):
    settings, embedder = real_index
    s = run_benchmark(RunConfig(DATA / "tiny.csv", tmp_path / "csv", format="csv", index=settings.index_dir),
                      settings, embedder)
    lines = _results(tmp_path / "csv")
    assert [r["id"] for r in lines] == ["c1", "c2", "c3"]
    assert lines[0]["scores"]["hit@5"] == 1.0 and lines[0]["scores"]["answer_correct"] == 1.0
    assert lines[1]["refused"] is True
    assert s["by_type"]["unanswerable"]["refusal_accuracy"] == 1.0


def test_limit_takes_a_seeded_sample(real_index, tmp_path):
    settings, embedder = real_index
    dev = Path(__file__).resolve().parents[2] / "eval" / "dev.jsonl"
    ids = []
    for seed in (1, 1, 2):
        out = tmp_path / f"l{len(ids)}"
        run_benchmark(RunConfig(dev, out, index=settings.index_dir, limit=3, seed=seed), settings, embedder)
        ids.append([r["id"] for r in _results(out)])
    assert len(ids[0]) == 3 and ids[0] == ids[1] and ids[0] != ids[2]
