"""The format samples are what build_samples.py makes from the seeds and the hand-written questions.

Two independent sets: sample_questions.jsonl (files without suffix, plus the csv)
and sample_questions_2.jsonl (files with suffix _2, no csv).
"""
import json
from pathlib import Path

import pytest

from eval.normalize import normalize
from eval.samples.build_samples import build_csv, build_rgb, build_squad
from eval.samples.passages import seed_passages

SAMPLES = Path(__file__).resolve().parents[2] / "eval" / "samples"
ROOT = SAMPLES.parents[1]
SETS = [("sample_questions.jsonl", ""), ("sample_questions_2.jsonl", "_2")]


def _specs(name: str = "sample_questions.jsonl"):
    return [json.loads(x) for x in (SAMPLES / name).read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.mark.parametrize("name,sfx", SETS)
def test_committed_samples_are_rebuilt_exactly_from_the_corpus(name, sfx):
    specs, passages = _specs(name), seed_passages()
    meta = json.loads((ROOT / "corpus" / "metadata.json").read_text(encoding="utf-8"))["documents"]
    squad_specs = [s for s in specs if s["set"] == "squad"]
    squad = build_squad(passages, squad_specs, meta)
    assert json.loads((SAMPLES / f"squad_sample{sfx}.json").read_text(encoding="utf-8")) == squad
    plain = build_squad(passages, squad_specs)
    assert json.loads((SAMPLES / f"squad_sample_plain{sfx}.json").read_text(encoding="utf-8")) == plain
    rgb = build_rgb(passages, [s for s in specs if s["set"] == "rgb"])
    lines = [json.loads(x) for x in (SAMPLES / f"rgb_sample{sfx}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines == rgb
    if not sfx:
        assert (SAMPLES / "csv_sample.csv").read_text(encoding="utf-8") == build_csv(squad_specs)


@pytest.mark.parametrize("name", [n for n, _ in SETS])
def test_every_anchor_names_one_passage_that_holds_the_answers(name):
    passages = seed_passages()
    seeds = {p["seed"] for p in passages}
    specs = _specs(name)
    assert len({s["id"] for s in specs}) == len(specs)
    for s in specs:
        if s["anchor"] is None:  # unanswerable: no answer, negatives drawn around a named seed
            assert s["set"] == "rgb" and s["answer_parts"] == [], s["id"]
            assert any(x.startswith(s["neg_seed"]) for x in seeds), s["id"]
            continue
        where = [p["text"] for p in passages if normalize(s["anchor"]) in normalize(p["text"])]
        assert len(where) == 1, (s["id"], len(where))
        if s["set"] == "squad":
            assert s["answers"] and all(a in where[0] for a in s["answers"]), s["id"]
        else:
            assert s["answer_parts"], s["id"]
            for part in s["answer_parts"]:
                assert any(normalize(a) in normalize(where[0]) for a in part), (s["id"], part)


def test_second_set_shares_no_question_with_the_first():
    """Ids are per file (both sets number their rgb questions r01..); the questions themselves differ."""
    first, second = _specs(SETS[0][0]), _specs(SETS[1][0])
    shared = {normalize(s["question"]) for s in first} & {normalize(s["question"]) for s in second}
    assert not shared, shared  # print only the overlap: set 2 was written without reading set 1


def _longest_common_run(a: str, b: str) -> int:
    best = 0
    for i in range(len(a)):
        while i + best < len(a) and a[i:i + best + 1] in b:
            best += 1
    return best


@pytest.mark.parametrize("name", [n for n, _ in SETS])
def test_questions_are_not_copied_from_their_passages(name):
    """Questions share short runs with their passage: median at most 6 characters, none over 12 (a name)."""
    passages = [normalize(p["text"]) for p in seed_passages()]
    runs = []
    for s in _specs(name):
        if s["anchor"]:
            gold = next(p for p in passages if normalize(s["anchor"]) in p)
            runs.append(_longest_common_run(normalize(s["question"]), gold))
    runs.sort()
    assert runs[len(runs) // 2] <= 6 and runs[-1] <= 12, runs
