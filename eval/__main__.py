"""CLI: python -m eval [--format F] [--index DIR] --questions FILE --out DIR [--baseline] [--ablations]

Runs every question through the default pipeline (retrieval + grounded answer)
and writes OUT/results.jsonl (one line per question, the fixed contract) and
OUT/summary.json (hit@k, all@k, MRR, nDCG@10, hit within the 1,500-character
budget; answer accuracy, refusal accuracy, false refusals, verbatim citations,
grounded numbers, median answer length, EM/F1 where the set has answers; by
type and persona; latency p50/p95; 95 % bootstrap intervals), plus
OUT/report.md and OUT/report.html. With --baseline the naive baseline runs
too (OUT/baseline/); --ablations adds BM25 only, dense only and, when a
reranker is configured, hybrid + rerank, each in its own subfolder.
SQuAD and RGB sets bring their own passages: without --index they are
indexed in a temporary index. `python -m eval --compare RUN_A RUN_B` prints
the deltas between two runs and the questions that flipped.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

METRICS = ("hit@1", "hit@3", "hit@5", "hit@10", "all@5", "mrr", "ndcg@10", "budget_hit", "answer_accuracy",
           "refusal_accuracy", "false_refusal_rate", "citations_verbatim", "numbers_grounded", "median_answer_chars",
           "em", "f1")


def parse_args(argv=None) -> argparse.Namespace:
    from eval.formats import FORMATS

    p = argparse.ArgumentParser(prog="python -m eval", description=__doc__.split("\n\n")[1])
    p.add_argument("--format", choices=FORMATS, default="jsonl",
                   help="question-set format: jsonl (ours), squad (SQuAD/CMRC 2018 JSON), rgb (RGB JSONL), "
                        "csv (question,answer[,evidence]); default jsonl")
    p.add_argument("--index", type=Path, help="index folder (default: a temporary index of the set's own passages "
                                              "for squad/rgb, else settings.index_dir, ./data/index)")
    p.add_argument("--questions", type=Path, help="question set file (required unless --compare)")
    p.add_argument("--out", type=Path, help="output folder for results.jsonl, summary.json and the reports")
    p.add_argument("--baseline", action="store_true", help="also run the naive character-bigram BM25 baseline")
    p.add_argument("--ablations", action="store_true",
                   help="run every variant: baseline, BM25 only, dense only, hybrid (+ rerank when configured)")
    p.add_argument("--generator", choices=["extractive", "llm"],
                   help="answer generator (default: settings.generator, extractive)")
    p.add_argument("--per-question", action="store_true",
                   help="RGB's own setting: each question searches only its own positive and negative passages")
    p.add_argument("--noise-rate", type=float, default=0.0,
                   help="with --per-question: share of negatives among the 5 passages given (0-1; 1 = all negative)")
    p.add_argument("--limit", type=int, help="run a seeded random sample of this many questions")
    p.add_argument("--seed", type=int, default=0, help="seed for --limit, RGB sampling and the bootstrap (default 0)")
    p.add_argument("--compare", nargs=2, type=Path, metavar=("RUN_A", "RUN_B"),
                   help="print the deltas between two finished runs and the questions that flipped")
    args = p.parse_args(argv)
    if args.compare is None and (args.questions is None or args.out is None):
        p.error("the following arguments are required: --questions, --out (or use --compare RUN_A RUN_B)")
    if not 0 <= args.noise_rate <= 1:
        p.error(f"--noise-rate must be between 0 and 1, got {args.noise_rate}")
    if args.limit is not None and args.limit < 1:
        p.error(f"--limit must be at least 1, got {args.limit}")
    return args


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


def ablation_table(summary: dict) -> str:
    """The ablation rows as plain text (figure [95 % CI])."""
    from eval.report import ablation_rows

    rows = ablation_rows(summary)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.compare:
        from eval.compare import compare

        try:
            print(compare(*args.compare))
        except (OSError, ValueError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        return 0
    from eval.formats import FormatError, load_benchmark
    from eval.harness import RunConfig, run_benchmark
    from index.store import IndexError_
    from settings import Settings

    try:
        load_benchmark(args.questions, args.format)  # fail fast, before the model loads
    except FormatError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    cfg = RunConfig(questions=args.questions, out=args.out, format=args.format, index=args.index,
                    baseline=args.baseline, ablations=args.ablations, generator=args.generator,
                    per_question=args.per_question, noise_rate=args.noise_rate, limit=args.limit, seed=args.seed)
    last = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage != last.get("stage") or done == total:
            print(f"  {stage}: {done}/{total}", file=sys.stderr, flush=True)
            last["stage"] = stage

    try:
        summary = run_benchmark(cfg, Settings(), progress=progress)
    except (IndexError_, RuntimeError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(table(summary, summary.get("baseline")))
    lat = summary["latency"]
    print(f"latency (warm, per question): p50 {lat['p50_ms']} ms, p95 {lat['p95_ms']} ms")
    print("\nablations (95 % bootstrap CI):")
    print(ablation_table(summary))
    print(f"\nreport: {args.out / 'report.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
