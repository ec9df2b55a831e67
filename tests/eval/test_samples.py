"""The format samples are what build_samples.py makes from the seeds and the hand-written questions."""
import json
from pathlib import Path

from eval.normalize import normalize
from eval.samples.build_samples import build_csv, build_rgb, build_squad
from eval.samples.passages import seed_passages

SAMPLES = Path(__file__).resolve().parents[2] / "eval" / "samples"
ROOT = SAMPLES.parents[1]


def _specs():
    return [json.loads(x) for x in (SAMPLES / "sample_questions.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]


def test_committed_samples_are_rebuilt_exactly_from_the_corpus():
    specs, passages = _specs(), seed_passages()
    meta = json.loads((ROOT / "corpus" / "metadata.json").read_text(encoding="utf-8"))["documents"]
    squad = build_squad(passages, [s for s in specs if s["set"] == "squad"], meta)
    assert json.loads((SAMPLES / "squad_sample.json").read_text(encoding="utf-8")) == squad
    rgb = build_rgb(passages, [s for s in specs if s["set"] == "rgb"])
    lines = [json.loads(x) for x in (SAMPLES / "rgb_sample.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines == rgb
    assert (SAMPLES / "csv_sample.csv").read_text(encoding="utf-8") == build_csv([s for s in specs if s["set"] == "squad"])


def _longest_common_run(a: str, b: str) -> int:
    best = 0
    for i in range(len(a)):
        while i + best < len(a) and a[i:i + best + 1] in b:
            best += 1
    return best


def test_questions_are_not_copied_from_their_passages():
    """Questions share short runs with their passage: median at most 6 characters, none over 12 (a name)."""
    passages = [normalize(p["text"]) for p in seed_passages()]
    runs = []
    for s in _specs():
        if s["anchor"]:
            gold = next(p for p in passages if normalize(s["anchor"]) in p)
            runs.append(_longest_common_run(normalize(s["question"]), gold))
    runs.sort()
    assert runs[len(runs) // 2] <= 6 and runs[-1] <= 12, runs
