"""Build the format samples from the seed passages and the hand-written questions.

    python -m eval.samples.build_samples     # writes squad_sample.json, rgb_sample.jsonl, csv_sample.csv
    python -m eval.samples.build_samples --questions sample_questions_2.jsonl --suffix _2
        # a second, independent set: squad_sample_2.json, squad_sample_plain_2.json, rgb_sample_2.jsonl (no csv)

Passages: every chunk of the five seed documents (eval/samples/passages.py).
Questions: eval/samples/sample_questions.jsonl, written by hand as a resident
would ask, in other words than the passage; each names an `anchor`, a
verbatim phrase of its passage, used only to find the gold passage here.
- squad_sample.json: one article per seed, every passage a paragraph (all
  of them, so the pool holds hundreds), the "squad" questions on the one
  paragraph holding their anchor, with answer_start. Each article carries
  its seed's metadata (district, period, type) in our "meta" extension;
  squad_sample_plain.json is the same without it (what a standard SQuAD
  file gives).
- rgb_sample.jsonl: the "rgb" questions; positives are the passages holding
  the anchor, negatives 8 passages of the same seed and 8 of the others
  drawn at random (seeded) among those holding no answer alternative; the
  unanswerable ones (u..) have no positive and 16 negatives.
- csv_sample.csv: the first 12 "squad" questions against our corpus index,
  with the anchor as evidence quote.
Deterministic: the same inputs give the same files.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import random
from pathlib import Path

from eval.normalize import normalize
from eval.samples.passages import seed_passages

HERE = Path(__file__).resolve().parent
SEED = 20261130
META_FIELDS = ("title_en", "district", "district_en", "doc_type", "published", "period")


def _holding(passages: list[dict], phrase: str) -> list[int]:
    n = normalize(phrase)
    return [i for i, p in enumerate(passages) if n in normalize(p["text"])]


def build_squad(passages: list[dict], specs: list[dict], metadata: dict | None = None) -> dict:
    articles: dict[str, dict] = {}
    paragraph_of: dict[int, dict] = {}
    for i, p in enumerate(passages):
        art = articles.setdefault(p["seed"], {"title": p["title"], "paragraphs": []})
        if metadata:
            art["meta"] = {k: metadata[p["seed"]].get(k) for k in META_FIELDS}
        para = {"context": p["text"], "qas": []}
        art["paragraphs"].append(para)
        paragraph_of[i] = para
    for s in specs:
        where = _holding(passages, s["anchor"])
        if len(where) != 1:
            raise ValueError(f"{s['id']}: anchor {s['anchor']!r} is in {len(where)} passages, needs exactly 1")
        para = paragraph_of[where[0]]
        answers = []
        for a in s["answers"]:
            start = para["context"].find(a)
            if start < 0:
                raise ValueError(f"{s['id']}: answer {a!r} is not verbatim in its passage")
            answers.append({"text": a, "answer_start": start})
        para["qas"].append({"id": s["id"], "question": s["question"], "answers": answers})
    return {"version": "hpqa-squad-sample-1", "data": list(articles.values())}


def build_rgb(passages: list[dict], specs: list[dict]) -> list[dict]:
    out = []
    for s in specs:
        rng = random.Random(f"{SEED}-{s['id']}")
        pos = _holding(passages, s["anchor"]) if s["anchor"] else []
        if s["anchor"] and not pos:
            raise ValueError(f"{s['id']}: anchor {s['anchor']!r} is in no passage")
        for part in s["answer_parts"]:
            if not any(normalize(a) in normalize(passages[i]["text"]) for a in part for i in pos):
                raise ValueError(f"{s['id']}: no positive passage holds any of {part}")
        alts = [normalize(a) for part in s["answer_parts"] for a in part]
        free = [i for i, p in enumerate(passages)
                if i not in pos and not any(a in normalize(p["text"]) for a in alts)]
        seed_doc = passages[pos[0]]["seed"] if pos else next(p["seed"] for p in passages
                                                             if p["seed"].startswith(s["neg_seed"]))
        same = [i for i in free if passages[i]["seed"] == seed_doc]
        other = [i for i in free if passages[i]["seed"] != seed_doc]
        neg = rng.sample(same, min(8, len(same))) + rng.sample(other, 8)
        out.append({"id": s["id"], "query": s["question"], "answer": s["answer_parts"] or "",
                    "positive": [passages[i]["text"] for i in pos], "negative": [passages[i]["text"] for i in neg]})
    return out


def build_csv(specs: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "question", "answer", "evidence"])
    for s in specs[:12]:
        w.writerow([s["id"], s["question"], "|".join(s["answers"]), s["anchor"]])
    return buf.getvalue()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", default="sample_questions.jsonl", help="question file in eval/samples/")
    ap.add_argument("--suffix", default="", help="appended to the output names; the csv is written only without one")
    args = ap.parse_args(argv)
    specs = [json.loads(line) for line in (HERE / args.questions).read_text(encoding="utf-8").splitlines()
             if line.strip()]
    sfx = args.suffix
    passages = seed_passages()
    metadata = json.loads((HERE.parents[1] / "corpus" / "metadata.json").read_text(encoding="utf-8"))["documents"]
    squad_specs = [s for s in specs if s["set"] == "squad"]
    squad = build_squad(passages, squad_specs, metadata)
    plain = build_squad(passages, squad_specs)
    (HERE / f"squad_sample_plain{sfx}.json").write_text(json.dumps(plain, ensure_ascii=False, indent=1) + "\n",
                                                        encoding="utf-8")
    rgb = build_rgb(passages, [s for s in specs if s["set"] == "rgb"])
    (HERE / f"squad_sample{sfx}.json").write_text(json.dumps(squad, ensure_ascii=False, indent=1) + "\n",
                                                  encoding="utf-8")
    (HERE / f"rgb_sample{sfx}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rgb),
                                                 encoding="utf-8")
    if not sfx:
        (HERE / "csv_sample.csv").write_text(build_csv(squad_specs), encoding="utf-8")
    pool = {t for r in rgb for t in r["positive"] + r["negative"]}
    print(f"squad: {sum(len(a['paragraphs']) for a in squad['data'])} passages, "
          f"{sum(len(p['qas']) for a in squad['data'] for p in a['paragraphs'])} questions; "
          f"rgb: {len(pool)} distinct passages, {len(rgb)} questions" + ("" if sfx else "; csv: 12 questions"))


if __name__ == "__main__":
    main()
