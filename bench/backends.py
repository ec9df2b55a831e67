"""Benchmark: the embedding backends side by side on the corpus (torch fp32 vs OpenVINO).

For each backend, in one process and one run: ingest throughput split into load /
clean / chunk / embed / index (chunks/s per stage; load, clean and chunk do not
depend on the backend and are timed once), passage embedding rate and the speed-up
over torch, warm query embedding p50/p95 (dev + holdout questions). The backends
embed the same batches in turn, so a busy shared machine slows them alike. Then
agreement with torch (cosine of every chunk vector, overlap of the dense top 10 per
question) and three dev-set hit@5 figures per backend, each on an index built from
that backend's vectors: dense vectors alone, the whole fused search
(index.search.Searcher), and `python -m eval --questions eval/dev.jsonl` with
HPQA_EMBED_BACKEND set (the eval runs back to back at the end).
Writes out/bench/backends.json and out/bench/eval-<backend>/.
    nice -n 10 .venv/bin/python -m bench.backends [--backends torch,openvino] [--no-eval]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

from bench.common import OUT, ROOT, pct, questions, table, write_json


def corpus_chunks(settings) -> tuple[list, dict]:
    """Load, clean and chunk the corpus as the ingest does; returns (chunks, seconds per stage)."""
    from index.build import corpus_files
    from ingest.chunk import chunk_blocks
    from ingest.clean import clean
    from ingest.load import load_file

    secs = {"load": 0.0, "clean": 0.0, "chunk": 0.0}
    chunks = []
    for name, path in corpus_files(settings.corpus_dir, settings.metadata_file).items():
        t = time.perf_counter()
        doc = load_file(path, max_bytes=settings.max_file_bytes)
        secs["load"] += time.perf_counter() - t
        t = time.perf_counter()
        cleaned = clean(doc.text)
        secs["clean"] += time.perf_counter() - t
        t = time.perf_counter()
        chunks += chunk_blocks(cleaned.blocks, name, pages=doc.pages, **settings.chunker_params())
        secs["chunk"] += time.perf_counter() - t
    return chunks, secs


def index_seconds(settings, chunks, vectors) -> float:
    """Time to build both BM25s and the FAISS index, as update_index does."""
    from index.bm25 import BigramTokenizer, BM25Index, Tokenizer, domain_terms
    from index.vectors import build_faiss, faiss_build_args

    t = time.perf_counter()
    texts = [c.index_text() for c in chunks]
    BM25Index.build(texts, Tokenizer(domain_terms(c.text for c in chunks)))
    BM25Index.build(texts, BigramTokenizer())
    build_faiss(vectors, **faiss_build_args(settings))
    return time.perf_counter() - t


class PrecomputedEmbedder:
    """Serves the vectors a backend already computed in this run (same protocol), so an
    index can be built per backend without embedding the corpus twice."""

    def __init__(self, inner, texts: list[str], vectors: np.ndarray):
        self.inner, self.name, self.dim, self.backend = inner, inner.name, inner.dim, inner.backend
        self.known = {t: v for t, v in zip(texts, vectors)}

    @property
    def checksum(self) -> str:
        return self.inner.checksum

    def embed(self, texts, kind):
        if kind == "passage" and all(t in self.known for t in texts):
            return np.array([self.known[t] for t in texts], dtype=np.float32)
        return self.inner.embed(texts, kind)


def interleaved(embedders: dict, texts: list[str], kind: str, batch: int) -> tuple[dict, dict, dict]:
    """Each backend embeds the same batch in turn (rotating who goes first), so a busy
    machine slows all alike; returns (vectors, wall ms per call, CPU ms per call) per backend."""
    vecs = {b: [] for b in embedders}
    ms = {b: [] for b in embedders}
    cpu = {b: [] for b in embedders}
    names = list(embedders)
    for i, start in enumerate(range(0, len(texts), batch)):
        part = texts[start:start + batch]
        for b in names[i % len(names):] + names[:i % len(names)]:
            c, t = time.process_time(), time.perf_counter()
            vecs[b].append(embedders[b].embed(part, kind))
            ms[b].append((time.perf_counter() - t) * 1000)
            cpu[b].append((time.process_time() - c) * 1000)
    return {b: np.vstack(v) for b, v in vecs.items()}, ms, cpu


def search_hits(settings, embedder, index_dir, dev: list[dict]) -> dict:
    """Retrieval-only hit@5 on the dev questions with evidence: the whole search, and dense alone."""
    from eval.metrics import score_question
    from index.search import Searcher
    from index.store import load_index

    index = load_index(index_dir)
    searcher = Searcher(index, embedder)
    vectors = np.asarray(index.vectors)
    fused, dense = [], []
    for q in dev:
        hits = searcher.search(q["question"], k=10)
        fused.append(score_question(q["evidence"], [(h.chunk.doc, h.chunk.text) for h in hits])["hit@5"])
        order = np.argsort(-(vectors @ embedder.embed([q["question"]], "query")[0]))[:10]
        dense.append(score_question(q["evidence"], [(index.chunks[i].doc, index.chunks[i].text) for i in order])["hit@5"])
    return {"search_hit@5": float(np.mean(fused)), "dense_only_hit@5": float(np.mean(dense)), "questions": len(dev)}


def eval_runner(backend: str, index_dir) -> dict:
    """`python -m eval --questions eval/dev.jsonl` on this backend's index; its overall figures."""
    out = OUT / f"eval-{backend}"
    env = {**os.environ, "HPQA_EMBED_BACKEND": backend, "HF_HUB_OFFLINE": "1"}
    subprocess.run([sys.executable, "-m", "eval", "--index", str(index_dir), "--questions", "eval/dev.jsonl",
                    "--out", str(out)], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    overall = json.loads((out / "summary.json").read_text(encoding="utf-8"))["overall"]
    return {k: overall.get(k) for k in ("hit@1", "hit@5", "hit@10", "mrr", "answer_accuracy")}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backends", default="torch,openvino", help="comma-separated backends; the first is the reference")
    p.add_argument("--no-eval", action="store_true", help="skip the dev-set hit@5 (index build + eval runner per backend)")
    args = p.parse_args(argv)
    from index.embed import make_embedder
    from settings import Settings

    from index.build import update_index

    base = Settings(_env_file=None, embedder="e5")
    chunks, stage_secs = corpus_chunks(base)
    texts = [c.index_text() for c in chunks]
    qs = questions("eval/dev.jsonl", "eval/dev_holdout.jsonl")
    with open(ROOT / "eval" / "dev.jsonl", encoding="utf-8") as f:
        dev = [q for q in map(json.loads, f) if q.get("evidence")]
    backends = args.backends.split(",")
    embedders, results = {}, {}
    for b in backends:
        embedders[b] = make_embedder(base.model_copy(update={"embed_backend": b}))
        t = time.perf_counter()
        embedders[b].embed(texts[:4], "passage")  # model load + warm-up, not timed below
        embedders[b].embed(qs[:3], "query")
        results[b] = {"chunks": len(texts), "model_load_s": time.perf_counter() - t}
    vecs, passage_ms, passage_cpu = interleaved(embedders, texts, "passage", base.embed_batch_size)
    _, query_ms, query_cpu = interleaved(embedders, qs * 2, "query", 1)
    ref = backends[0]
    qv = {b: e.embed(qs, "query") for b, e in embedders.items()}
    ref_top = np.argsort(-(qv[ref] @ vecs[ref].T), axis=1)[:, :10]
    for b in backends:
        settings = base.model_copy(update={"embed_backend": b})
        embed_s = sum(passage_ms[b]) / 1000
        top = np.argsort(-(qv[b] @ vecs[b].T), axis=1)[:, :10]
        cos = (vecs[b] * vecs[ref]).sum(1)
        results[b].update({
            "stages_chunks_per_s": {**{k: len(texts) / v for k, v in stage_secs.items()}, "embed": len(texts) / embed_s,
                                    "index": len(texts) / index_seconds(settings, chunks, vecs[b])},
            "passages_per_s": len(texts) / embed_s, "query_ms_p50": pct(query_ms[b], 50),
            "query_ms_p95": pct(query_ms[b], 95), "passage_cpu_s": sum(passage_cpu[b]) / 1000,
            "query_cpu_ms_p50": pct(query_cpu[b], 50), "loadavg": os.getloadavg()[0],
            "cosine_vs_ref_min": float(cos.min()),
            "cosine_vs_ref_mean": float(cos.mean()),
            "dense_top10_overlap_vs_ref": float(np.mean([len(set(x) & set(y)) / 10 for x, y in zip(top, ref_top)]))})
        index_dir = OUT / f"index-{b}"
        cached = PrecomputedEmbedder(embedders[b], texts, vecs[b])
        update_index(settings, cached, index_dir=index_dir, rebuild=True)
        results[b]["dev"] = search_hits(settings, embedders[b], index_dir, dev)
    if not args.no_eval:  # back to back, so both see the same eval code and machine
        for b in backends:
            results[b]["dev"].update(eval_runner(b, OUT / f"index-{b}"))
    ref = args.backends.split(",")[0]
    rows = []
    for b, r in results.items():
        s = r["stages_chunks_per_s"]
        rows.append([b, s["load"], s["clean"], s["chunk"], s["embed"], s["index"],
                     r["passages_per_s"] / results[ref]["passages_per_s"],
                     results[ref]["passage_cpu_s"] / r["passage_cpu_s"], r["query_ms_p50"], r["query_cpu_ms_p50"],
                     r["cosine_vs_ref_min"], r["dense_top10_overlap_vs_ref"], r["dev"]["dense_only_hit@5"],
                     r["dev"]["search_hit@5"], r["dev"].get("hit@5", float("nan"))])
    print(f"ingest throughput (chunks/s per stage) and embedding backends, {len(texts)} corpus chunks, "
          f"{len(qs)} questions; reference: {ref}")
    print(table(["backend", "load", "clean", "chunk", "embed", "index", f"x {ref}", f"cpu x {ref}", "q p50 ms", "q cpu p50",
                 "cos min", "top10 ovl", "dense hit@5", "search hit@5", "eval hit@5"], rows))
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; x = wall-clock speed-up, cpu x = the "
          "same from CPU seconds used, which a busy machine does not distort)")
    print("(dev set: dense hit@5 = e5 vectors alone; search hit@5 = the fused search; eval hit@5 = "
          "`python -m eval --questions eval/dev.jsonl` on an index built with that backend)")
    path = write_json("backends.json", {"reference": ref, "questions": len(qs), "results": results})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
