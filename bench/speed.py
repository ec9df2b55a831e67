"""Benchmark (issue 8): speed and scale in one run, then the key figures against their targets.

Runs, each as its own process under the caller's niceness:
    python -m bench.backends   embedding backends side by side, ingest stages, dev hit@5
    python -m bench.latency    warm query embedding, search and extractive answer latency
    python -m bench.scale      10k / 100k / 1M vectors with the automatic index choice
then prints one table of the figures the issue asks for, read back from
out/bench/{backends,latency-<backend>,scale}.json, and writes out/bench/speed.json.
    nice -n 10 .venv/bin/python -m bench.speed [--skip backends,latency,scale]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys

from bench.common import OUT, ROOT, table, write_json

STEPS = ("backends", "latency", "scale")


def summary(backends: dict, latency: dict, scale: dict) -> list[list]:
    """Rows (figure, value, target, met) from the three result files."""
    rows = []
    ref = backends["reference"]
    res = backends["results"]
    for b, r in res.items():
        if b == ref:
            continue
        speed = r["passages_per_s"] / res[ref]["passages_per_s"]
        rows.append([f"passage embedding, {b} vs {ref} (wall)", f"{speed:.1f}x", ">= 3x", speed >= 3])
        if "passage_cpu_s" in r:
            cpu = res[ref]["passage_cpu_s"] / r["passage_cpu_s"]
            rows.append([f"passage embedding, {b} vs {ref} (CPU s)", f"{cpu:.1f}x", ">= 3x", cpu >= 3])
        for key in ("dense_only_hit@5", "search_hit@5", "hit@5"):
            if key in r["dev"] and key in res[ref]["dev"]:
                d = r["dev"][key] - res[ref]["dev"][key]
                rows.append([f"dev {key} {b} - {ref}", f"{d:+.3f} ({r['dev'][key]:.3f} vs {res[ref]['dev'][key]:.3f})",
                             "within 0.01", abs(d) <= 0.01 + 1e-9])
    rows.append([f"query embedding p50 ({latency['backend']})", f"{latency['query_embed_ms_p50']:.1f} ms", "<= 15 ms",
                 latency["query_embed_ms_p50"] <= 15])
    rows.append(["extractive answer p50, end to end", f"{latency['answer_ms_p50']:.0f} ms", "<= 150 ms",
                 latency["answer_ms_p50"] <= 150])
    if "query_embed_cpu_ms_p50" in latency:
        rows.append(["  the same, CPU time (idle machine)", f"{latency['query_embed_cpu_ms_p50']:.1f} / "
                     f"{latency['answer_cpu_ms_p50']:.0f} ms", "<= 15 / 150 ms",
                     latency["query_embed_cpu_ms_p50"] <= 15 and latency["answer_cpu_ms_p50"] <= 150])
    rows.append(["  load average during latency run", f"{latency.get('loadavg', float('nan')):.1f}", "", ""])
    auto = [r for r in scale["runs"] if r["kind"] == "auto"]
    if auto:
        big = max(auto, key=lambda r: r["n"])
        rows.append([f"{big['n']:,} chunks: index", big["params"]["type"], "automatic", True])
        rows.append([f"{big['n']:,} chunks: search p95 (excl. embedding)", f"{big['search_ms_p95']:.1f} ms", "<= 20 ms",
                     big["search_ms_p95"] <= 20])
        if "search_cpu_ms_p95" in big:
            rows.append([f"{big['n']:,} chunks: search p95, CPU time", f"{big['search_cpu_ms_p95']:.1f} ms", "<= 20 ms",
                         big["search_cpu_ms_p95"] <= 20])
        rows.append([f"{big['n']:,} chunks: recall@10 vs exact", f"{big['recall@10']:.3f}", ">= 0.95",
                     big["recall@10"] >= 0.95])
        rows.append([f"{big['n']:,} chunks: peak RSS, index process", f"{big['serve_peak_rss_mb']:.0f} MB", "<= 2500 MB",
                     big["serve_peak_rss_mb"] <= 2500])
        rows.append([f"{big['n']:,} chunks: index on disk / build", f"{big['disk_mb']:.0f} MB / {big['build_s']:.0f} s",
                     "", ""])
    return rows


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--skip", default="", help=f"comma-separated steps to skip (reuse their last JSON): {', '.join(STEPS)}")
    args = p.parse_args(argv)
    skip = {s for s in args.skip.split(",") if s}
    for step in STEPS:
        if step in skip:
            continue
        print(f"\n=== python -m bench.{step}", flush=True)
        done = subprocess.run([sys.executable, "-m", f"bench.{step}"], cwd=ROOT)
        if done.returncode:
            print(f"bench.{step} failed with exit status {done.returncode}", file=sys.stderr)
            return done.returncode
    backends = json.loads((OUT / "backends.json").read_text(encoding="utf-8"))
    from settings import Settings

    latency = json.loads((OUT / f"latency-{Settings().embed_backend}.json").read_text(encoding="utf-8"))
    scale = json.loads((OUT / "scale.json").read_text(encoding="utf-8"))
    rows = summary(backends, latency, scale)
    print("\n=== issue 8 figures")
    print(table(["figure", "value", "target", "met"], rows))
    write_json("speed.json", {"figures": [dict(zip(("figure", "value", "target", "met"), r)) for r in rows]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
