"""CLI: python -m eval [--index DIR] --questions FILE --out DIR [--baseline]

Runs every question through the default pipeline (retrieval + grounded answer)
and writes OUT/results.jsonl (one line per question, the fixed contract) and
OUT/summary.json (hit@k, all@k, MRR, nDCG@10, hit within the 1,500-character
budget; answer accuracy, refusal accuracy, false refusals, verbatim citations,
grounded numbers, median answer length; by type and persona; latency p50/p95).
With --baseline, the naive baseline (retrieval only) runs too, into
OUT/baseline/, and the summary shows both side by side.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

METRICS = ("hit@1", "hit@3", "hit@5", "hit@10", "all@5", "mrr", "ndcg@10", "budget_hit", "answer_accuracy",
           "refusal_accuracy", "false_refusal_rate", "citations_verbatim", "numbers_grounded", "median_answer_chars")


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m eval", description=__doc__.split("\n\n")[1])
    p.add_argument("--index", type=Path, help="index folder (default: settings.index_dir, ./data/index)")
    p.add_argument("--questions", type=Path, required=True, help="question set, JSONL with at least id and question")
    p.add_argument("--out", type=Path, required=True, help="output folder for results.jsonl and summary.json")
    p.add_argument("--baseline", action="store_true", help="also run the naive baseline into OUT/baseline/")
    p.add_argument("--generator", choices=["extractive", "llm"],
                   help="answer generator (default: settings.generator, extractive)")
    return p.parse_args(argv)


def table(ours: dict, base: dict | None) -> str:
    lines = []
    for title, key in (("overall", None), *[(f"type {t}", t) for t in ours["by_type"]]):
        o = ours["overall"] if key is None else ours["by_type"][key]
        b = None if base is None else (base["overall"] if key is None else base["by_type"].get(key, {}))
        lines.append(f"{title} (n={o['n']})")
        for m in METRICS:
            if o.get(m) is None:
                continue
            base_value = "" if b is None or b.get(m) is None else f"  baseline {b[m]:.3f}"
            lines.append(f"  {m:<20}{o[m]:>8.3f}{base_value}")
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    from eval.run import read_questions, run_questions, summarize

    try:
        questions = read_questions(args.questions)
    except (OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    from index.embed import make_embedder
    from index.search import Searcher
    from index.store import IndexError_, load_index
    from settings import Settings

    settings = Settings()
    index_dir = args.index or settings.index_dir
    try:
        embedder = make_embedder(settings)
        index = load_index(index_dir)
    except (IndexError_, RuntimeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    from answer.generate import make_generator
    from answer.pipeline import Answerer
    from eval.answer_metrics import answer_scores
    from eval.normalize import normalize
    from ingest.load import load_file

    searcher = Searcher(index, embedder)
    answerer = Answerer(searcher, make_generator(args.generator or settings.generator, settings), settings)
    corpus = {d: normalize(load_file(settings.corpus_dir / d, max_bytes=settings.max_file_bytes).text)
              for d in index.manifest["documents"]}
    meta_numbers = {n for v in index.manifest["documents"].values() for n in _numbers(v["meta"])}

    def ours(q: str) -> dict:
        a = answerer.answer(q)
        return {"retrieved": [(h.chunk.doc, h.chunk.text, h.score) for h in a.retrieved],
                "answer": a.text, "refused": a.refused,
                "citations": [{"doc": c.doc, "text": c.quote} for c in a.citations]}

    rows = run_questions(questions, ours, args.out, lambda q, r: answer_scores(q, r, corpus, meta_numbers))
    summary = {"pipeline": "hybrid+" + answerer.generator.name, "index": str(index_dir),
               "questions_file": str(args.questions),
               "manifest": {k: index.manifest[k] for k in ("model", "chunker", "faiss", "bm25", "counts")},
               "search_params": vars(searcher.params), **summarize(rows)}
    base = None
    if args.baseline:
        from eval.baseline import BaselineRetriever

        baseline = BaselineRetriever.from_corpus(settings.corpus_dir, sorted(index.manifest["documents"]))
        base = summarize(run_questions(questions, lambda q: {"retrieved": baseline.retrieve(q, 10)},
                                       args.out / "baseline"))
        (args.out / "baseline" / "summary.json").write_text(json.dumps(base, ensure_ascii=False, indent=2), encoding="utf-8")
        summary["baseline"] = base
    (args.out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    print(table(summary, base))
    lat = summary["latency"]
    print(f"latency (warm, per question): p50 {lat['p50_ms']} ms, p95 {lat['p95_ms']} ms")
    return 0


def _numbers(meta: dict) -> set[str]:
    """Digits the answer frame may take from a document's metadata."""
    import re

    text = " ".join(str(meta.get(k) or "") for k in ("title", "title_en", "published", "period"))
    return set(re.findall(r"\d+", text))


if __name__ == "__main__":
    sys.exit(main())
