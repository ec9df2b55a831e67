"""Benchmark: the issue-7 figures. Ablations on dev and holdout, and the format samples vs the baseline.

Runs (each a full `eval.harness.run_benchmark`, output under out/bench_eval/<name>/
with report.html):
  dev, holdout            eval/dev*.jsonl on data/index, every ablation
  squad                   eval/samples/squad_sample.json, pooled 243 passages with their metadata
  squad_plain             the same without metadata (what a standard SQuAD file gives)
  rgb                     eval/samples/rgb_sample.jsonl, pooled 226 passages
  squad_plain_2, squad_2, rgb_2   the second, blind sample set (eval/samples/sample_questions_2.jsonl)
  rgb_noise0.4, rgb_noise1.0   RGB's own per-question setting (5 passages each)
and prints one table: hit@1 / hit@5 / MRR / answer accuracy of the shipped hybrid
with 95 % bootstrap intervals, the baseline's hit@1, and the paired hit@1 difference.
    .venv/bin/python -m bench.eval_ablations [--only dev,holdout]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "eval" / "samples"
RUNS = {
    "dev": dict(questions=ROOT / "eval" / "dev.jsonl", format="jsonl", ablations=True),
    "holdout": dict(questions=ROOT / "eval" / "dev_holdout.jsonl", format="jsonl", ablations=True),
    "squad": dict(questions=SAMPLES / "squad_sample.json", format="squad", ablations=True),
    "squad_plain": dict(questions=SAMPLES / "squad_sample_plain.json", format="squad", ablations=True),
    "rgb": dict(questions=SAMPLES / "rgb_sample.jsonl", format="rgb", ablations=True),
    # the second sample set, written blind after the retrieval changes of session 5 were chosen on set 1
    "squad_plain_2": dict(questions=SAMPLES / "squad_sample_plain_2.json", format="squad", ablations=True),
    "squad_2": dict(questions=SAMPLES / "squad_sample_2.json", format="squad", ablations=True),
    "rgb_2": dict(questions=SAMPLES / "rgb_sample_2.jsonl", format="rgb", ablations=True),
    "rgb_noise0.4": dict(questions=SAMPLES / "rgb_sample.jsonl", format="rgb", baseline=True, per_question=True,
                         noise_rate=0.4),
    "rgb_noise1.0": dict(questions=SAMPLES / "rgb_sample.jsonl", format="rgb", baseline=True, per_question=True,
                         noise_rate=1.0),
}


def fmt(v, ci=None) -> str:
    if v is None:
        return "–"
    return f"{v:.3f}" + (f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else "")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", help=f"comma-separated subset of {', '.join(RUNS)}")
    p.add_argument("--out", type=Path, default=ROOT / "out" / "bench_eval")
    args = p.parse_args()
    names = args.only.split(",") if args.only else list(RUNS)
    from eval.__main__ import ablation_table
    from eval.harness import RunConfig, run_benchmark
    from index.embed import make_embedder
    from settings import Settings

    settings = Settings()
    embedder = make_embedder(settings)
    lines = []
    for name in names:
        t = time.perf_counter()
        s = run_benchmark(RunConfig(out=args.out / name, **RUNS[name]), settings, embedder)
        print(f"\n== {name}: {s['questions']} questions, index: {s['index']} ({time.perf_counter() - t:.0f} s)")
        print(ablation_table(s))
        o, ci = s["overall"], s["ci"]["overall"]
        base = s.get("baseline", {}).get("overall", {})
        d = s["ablations"]["hybrid"].get("vs_baseline", {}).get("hit@1")
        delta = f"{d['delta']:+.3f} [{d['ci'][0]:+.2f}, {d['ci'][1]:+.2f}]" if d else "–"
        lines.append(f"{name:<14}{s['scored']:>4}  {fmt(o.get('hit@1'), ci.get('hit@1')):<22}"
                     f"{fmt(base.get('hit@1'), s['baseline']['ci']['overall'].get('hit@1') if base else None):<22}"
                     f"{delta:<22}"
                     f"{fmt(o.get('hit@5'), ci.get('hit@5')):<22}{fmt(o.get('mrr'), ci.get('mrr')):<22}"
                     f"{fmt(o.get('answer_accuracy'), ci.get('answer_accuracy')):<22}"
                     f"{fmt(o.get('refusal_accuracy'), ci.get('refusal_accuracy'))}")
    print(f"\n{'run':<14}{'n':>4}  {'hit@1 (hybrid)':<22}{'hit@1 (baseline)':<22}{'Δhit@1 paired':<22}"
          f"{'hit@5':<22}{'MRR':<22}{'answer acc.':<22}refusal acc.")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
