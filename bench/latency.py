"""Benchmark: warm latency of query embedding, search and whole extractive answers.

Builds (or reuses) an index of the corpus with the default settings in
out/bench/index-latency, then asks every dev + holdout question through
answer.pipeline.Answerer (the entry point the app and eval use), one at a time,
after a warm-up. The embedder is wrapped (same protocol) to time its calls, so
"search" is index.search.Searcher.search minus its query embedding, and "answer"
is Answerer.answer end to end (rewrite, embedding, search, sentence scoring,
checks). Targets: query embedding p50 <= 15 ms, answer p50 <= 150 ms.
Writes out/bench/latency.json.
    nice -n 10 .venv/bin/python -m bench.latency [--rounds 2] [--backend openvino]
"""
from __future__ import annotations

import argparse
import os
import time

from bench.common import OUT, pct, questions, table, write_json


class TimedEmbedder:
    """Any embedder, with the wall time of each call recorded (same protocol)."""

    def __init__(self, inner):
        self.inner = inner
        self.name, self.dim, self.backend = inner.name, inner.dim, getattr(inner, "backend", "torch")
        self.calls: list[float] = []
        self.cpu: list[float] = []

    @property
    def checksum(self) -> str:
        return self.inner.checksum

    def embed(self, texts, kind):
        c, t = time.process_time(), time.perf_counter()
        try:
            return self.inner.embed(texts, kind)
        finally:
            self.calls.append((time.perf_counter() - t) * 1000)
            self.cpu.append((time.process_time() - c) * 1000)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=2, help="passes over the questions")
    p.add_argument("--backend", help="embedding backend (default: settings.embed_backend)")
    args = p.parse_args(argv)
    from answer.generate import make_generator
    from answer.pipeline import Answerer
    from index.build import update_index
    from index.embed import make_embedder
    from index.search import Searcher
    from index.store import load_index
    from settings import Settings

    settings = Settings(_env_file=None, embedder="e5")
    if args.backend:
        settings = settings.model_copy(update={"embed_backend": args.backend})
    embedder = TimedEmbedder(make_embedder(settings))
    index_dir = OUT / f"index-latency-{settings.embed_backend}"
    update_index(settings, embedder, index_dir=index_dir)
    searcher = Searcher(load_index(index_dir), embedder)
    answerer = Answerer(searcher, make_generator("extractive", settings), settings)
    qs = questions("eval/dev.jsonl", "eval/dev_holdout.jsonl")
    for q in qs[:5]:
        answerer.answer(q)  # warm-up: model, jieba, documents
    wall = {"query_embed": [], "search": [], "answer": []}
    cpu = {"query_embed": [], "search": [], "answer": []}
    for _ in range(args.rounds):
        for q in qs:
            embedder.calls.clear()
            embedder.cpu.clear()
            c, t = time.process_time(), time.perf_counter()
            searcher.search(q, k=settings.answer_passages)
            total, total_cpu = (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000
            wall["query_embed"] += embedder.calls
            cpu["query_embed"] += embedder.cpu
            wall["search"].append(total - sum(embedder.calls))
            cpu["search"].append(total_cpu - sum(embedder.cpu))
        for q in qs:  # a separate pass: right after searching the same question, caches would flatter it
            c, t = time.process_time(), time.perf_counter()
            answerer.answer(q)
            wall["answer"].append((time.perf_counter() - t) * 1000)
            cpu["answer"].append((time.process_time() - c) * 1000)
    labels = {"query_embed": ("query embedding", "p50 <= 15"), "search": ("search (excl. embedding)", ""),
              "answer": ("extractive answer, end to end", "p50 <= 150")}
    rows = [[labels[k][0], len(wall[k]), pct(wall[k], 50), pct(wall[k], 95), pct(cpu[k], 50), pct(cpu[k], 95),
             labels[k][1]] for k in wall]
    load = os.getloadavg()[0]
    print(f"warm latency, {len(qs)} questions x {args.rounds}, backend {settings.embed_backend}, "
          f"{len(searcher.index.chunks)} chunks; load average {load:.1f} on {os.cpu_count()} cores")
    print(table(["what", "n", "p50 ms", "p95 ms", "cpu p50 ms", "cpu p95 ms", "target ms"], rows))
    print("(wall = what a user waits on this machine now; cpu = this process's CPU time for the same call, "
          "i.e. the wait on an otherwise idle machine)")
    path = write_json(f"latency-{settings.embed_backend}.json", {
        "backend": settings.embed_backend, "questions": len(qs), "rounds": args.rounds,
        "chunks": len(searcher.index.chunks), "loadavg": load,
        **{f"{k}_ms_p{q}": pct(v, q) for k, v in wall.items() for q in (50, 95)},
        **{f"{k}_cpu_ms_p{q}": pct(v, q) for k, v in cpu.items() for q in (50, 95)}})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
