"""Benchmark: PostgreSQL + pgvector against FAISS, on the real index and at 10k / 100k chunks.

Prints
1. dev-set hit@5 through the full answerer (index/search.py + answer/pipeline.py)
   with each store, the difference, and how many top-5 lists and answers are identical;
2. vector search latency p50/p95 on pgvector (and FAISS, for reference) at each size,
   with recall@10 against exact search; the vectors beyond the real chunks are
   synthesised around the real e5 chunk vectors (see `synthesise`), the queries
   are the real e5 embeddings of the dev questions;
3. ingest rate into Postgres: a bulk load into an empty table (COPY, then the HNSW
   build) and an incremental sync of new rows into the full table (HNSW maintained);
4. table and index bytes per chunk, the input to the sizing table in docs/scale_out.md.
Uses HPQA_PG_DSN when set, else starts a throwaway pgserver cluster and deletes it after.
    .venv/bin/python -m bench.pgvector [--sizes 10000 100000] [--rounds 2]
"""
from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def synthesise(real: np.ndarray, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, tuple]:
    """`n` unit vectors around the real ones, the real row each is closest to, and the cosine range used.

    Each is a random mixture of two real chunk vectors, w * a + (1 - w) * b with w
    uniform in [0.5, 1] (a passage mostly about a's topic, partly about b's), plus
    isotropic Gaussian noise scaled so that its cosine to the mixture is uniform
    between the 10th and 90th percentile of the real chunks' nearest-neighbour
    cosines. So the synthetic vectors stay inside the region e5 maps this corpus to,
    are about as far from their nearest real neighbour as real chunks are from each
    other, and are not near-copies of 243 vectors (which would make every top-10 a
    tie between copies of one chunk).
    """
    sims = real @ real.T
    np.fill_diagonal(sims, -1.0)
    lo, hi = np.percentile(sims.max(axis=1), [10, 90])
    a, b = rng.integers(0, len(real), n), rng.integers(0, len(real), n)
    w = rng.uniform(0.5, 1.0, n).astype(np.float32)[:, None]
    mix = w * real[a] + (1 - w) * real[b]
    mix /= np.linalg.norm(mix, axis=1, keepdims=True)
    cos = rng.uniform(lo, hi, n)
    noise = rng.normal(size=(n, real.shape[1])).astype(np.float32)
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    v = mix + noise * np.sqrt(1.0 / cos ** 2 - 1.0)[:, None].astype(np.float32)
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32), a, (float(lo), float(hi))


def nn_cosine(v: np.ndarray, rng: np.random.Generator, sample: int = 1000) -> float:
    """Median cosine of a sample of rows to their nearest other row (how clumpy a set is)."""
    rows = rng.choice(len(v), size=min(sample, len(v)), replace=False)
    sims = v[rows] @ v.T
    sims[np.arange(len(rows)), rows] = -1.0
    return float(np.median(sims.max(axis=1)))


def pct(ms: list[float], p: float) -> float:
    from eval.metrics import percentile

    return percentile(ms, p)


def faiss_kind(index) -> str:
    import faiss

    return type(faiss.downcast_index(index)).__name__


def timed(fn, queries) -> list[float]:
    fn(queries[0])  # warm
    out = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t) * 1000)
    return out


def dev_set(settings, dsn: str) -> None:
    from answer.generate import make_generator
    from answer.pipeline import Answerer
    from eval.metrics import score_question
    from eval.run import read_questions
    from index.embed import make_embedder
    from index.search import Searcher
    from index.store import load_index
    from index.vector_store import make_vector_store, sync_vector_store

    pg = settings.model_copy(update={"vector_store": "pgvector", "pg_dsn": dsn, "pg_table": "bench_dev"})
    index = load_index(settings.index_dir)
    t = time.perf_counter()
    sync_vector_store(pg, settings.index_dir)
    print(f"real corpus: {len(index.chunks)} chunks synced into pgvector in {time.perf_counter() - t:.2f} s")
    embedder = make_embedder(settings)
    questions = read_questions(ROOT / "eval" / "dev.jsonl")
    answerers = {name: Answerer(Searcher(index, embedder, vectors=vectors), make_generator("extractive", settings), settings)
                 for name, vectors in (("faiss", None), ("pgvector", make_vector_store(pg, index)))}
    runs = {name: ([], []) for name in answerers}
    for q in questions[:5]:  # warm-up: model, jieba, document texts
        for answerer in answerers.values():
            answerer.answer(q["question"])
    for i, q in enumerate(questions):  # interleaved, alternating who goes first, so that load spikes hit both
        for name in (("faiss", "pgvector") if i % 2 == 0 else ("pgvector", "faiss")):
            t = time.perf_counter()
            a = answerers[name].answer(q["question"])
            runs[name][1].append((time.perf_counter() - t) * 1000)
            retrieved = [(h.chunk.doc, h.chunk.text) for h in a.retrieved[:10]]
            hit = score_question(q["evidence"], retrieved)["hit@5"] if q.get("evidence") else None
            runs[name][0].append((hit, [h.chunk.id for h in a.retrieved[:5]], a.text))
    scored = [i for i, r in enumerate(runs["faiss"][0]) if r[0] is not None]
    hit = {n: sum(runs[n][0][i][0] for i in scored) / len(scored) for n in runs}
    same_top5 = sum(a[1] == b[1] for a, b in zip(runs["faiss"][0], runs["pgvector"][0]))
    same_answer = sum(a[2] == b[2] for a, b in zip(runs["faiss"][0], runs["pgvector"][0]))
    print(f"dev set ({len(questions)} questions, {len(scored)} with evidence): hit@5 faiss {hit['faiss']:.4f}, "
          f"pgvector {hit['pgvector']:.4f}, difference {abs(hit['faiss'] - hit['pgvector']):.4f} (target <= 0.01)")
    print(f"  identical top-5 passages: {same_top5}/{len(questions)}; identical answers: {same_answer}/{len(questions)}")
    for n, (_, ms) in runs.items():
        print(f"  answer latency with {n}: p50 {pct(ms, 50):.1f} ms, p95 {pct(ms, 95):.1f} ms")
    differing = [questions[i]["id"] for i, (a, b) in enumerate(zip(runs["faiss"][0], runs["pgvector"][0])) if a[1] != b[1]]
    if differing:
        print(f"  questions whose top-5 differ: {', '.join(differing)}")


def bm25_from_tokens(token_lists, tokenizer):
    """A BM25Index over already tokenised texts (the synthetic chunks reuse their source's tokens)."""
    import logging

    import bm25s

    from index.bm25 import BM25Index

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    model = bm25s.BM25(k1=1.2, b=0.75)
    model.index([t or ["<empty>"] for t in token_lists], show_progress=False)
    return BM25Index(model, tokenizer)


def bm25_bytes(index) -> int:
    return sum(v.nbytes for v in index.model.scores.values() if isinstance(v, np.ndarray))


def at_size(n: int, index, embedder, questions: list[str], queries: np.ndarray, dsn: str, settings, rng) -> None:
    from index.pg_store import PgVectorStore
    from index.search import Filters, Searcher
    from index.store import LoadedIndex
    from index.vector_store import FaissStore, VectorRecord, records_for
    from index.vectors import faiss_build_args

    real = np.asarray(index.vectors, dtype=np.float32)
    real_records = records_for(index.chunks, index.manifest["documents"])
    extra, src, (lo, hi) = synthesise(real, n - len(real), rng)
    vectors = np.vstack([real, extra])
    records = list(real_records) + [replace(real_records[s], id=f"s{i}", key="k") for i, s in enumerate(src)]
    print(f"\n{n:,} chunks (synthetic around the real {len(real)}; noise cosine {lo:.3f}-{hi:.3f}; median nearest-"
          f"neighbour cosine: real {nn_cosine(real, rng):.3f}, synthetic set {nn_cosine(vectors, rng):.3f}):")
    model = {"name": "bench-synthetic", "checksum": f"n{n}", "dim": real.shape[1]}
    store = PgVectorStore(dsn, f"bench_{n}", model, ef_search=settings.hnsw_ef_search)
    store.drop()
    store = PgVectorStore(dsn, f"bench_{n}", model, ef_search=settings.hnsw_ef_search)
    t = time.perf_counter()
    store.sync(records, vectors, "bulk")
    bulk_s = time.perf_counter() - t
    conn = store._conn()
    heap, total, hnsw = conn.execute(
        "SELECT pg_relation_size(%s), pg_total_relation_size(%s), pg_relation_size(%s)",
        (store.table, store.table, store.table + "_hnsw")).fetchone()
    print(f"  ingest into Postgres: bulk {n:,} rows in {bulk_s:.1f} s = {n / bulk_s:,.0f} rows/s (COPY + HNSW build)")
    print(f"  size: table {heap / 2**20:.0f} MiB ({heap / n:,.0f} B/chunk), HNSW {hnsw / 2**20:.0f} MiB "
          f"({hnsw / n:,.0f} B/chunk), all incl. B-trees/TOAST {total / 2**20:.0f} MiB ({total / n:,.0f} B/chunk)")

    ids = [r.id for r in records]
    truth = [set(ids[j] for j in np.argpartition(-(vectors @ q), 10)[:10]) for q in queries]
    recall = np.mean([len(truth[i] & {m.id for m in store.search(q, 10)}) / 10 for i, q in enumerate(queries)])
    recall_wide = np.mean([len(truth[i] & {m.id for m in store.search(q, 1000)[:10]}) / 10 for i, q in enumerate(queries)])
    faiss = FaissStore(model, build=faiss_build_args(settings))
    t = time.perf_counter()
    faiss.sync(records, vectors)
    faiss_build = time.perf_counter() - t
    f_recall = np.mean([len(truth[i] & {m.id for m in faiss.search(q, 10)}) / 10 for i, q in enumerate(queries)])
    print(f"  recall@10 vs exact: pgvector HNSW (m {store.hnsw_m}, ef_construction {store.ef_construction}, "
          f"ef_search {max(settings.hnsw_ef_search, 10)}) {recall:.3f}, top 10 of the Searcher's k=1000 call "
          f"(ef_search 1000) {recall_wide:.3f}; "
          f"faiss ({faiss_kind(faiss.faiss)}, built in {faiss_build:.1f} s) {f_recall:.3f}")

    # The whole Searcher over the synthetic corpus: each synthetic chunk carries the text (and BM25
    # tokens) of the real chunk it was mostly mixed from, under its own id.
    chunks = list(index.chunks) + [replace(index.chunks[s], id=f"s{i}") for i, s in enumerate(src)]
    words = [index.bm25.tokenizer.tokenize(c.index_text()) for c in index.chunks]
    grams = [index.bm25_bigram.tokenizer.tokenize(c.index_text()) for c in index.chunks]
    t = time.perf_counter()
    rows = list(range(len(real))) + list(src)
    bm25 = bm25_from_tokens([words[r] for r in rows], index.bm25.tokenizer)
    bigram = bm25_from_tokens([grams[r] for r in rows], index.bm25_bigram.tokenizer)
    bm25_s = time.perf_counter() - t
    synthetic = LoadedIndex(Path("synthetic"), index.manifest, chunks, vectors, None, bm25, bigram)
    print(f"  BM25 alongside (word + bigram, in each replica's memory): built in {bm25_s:.1f} s from tokens, "
          f"{(bm25_bytes(bm25) + bm25_bytes(bigram)) / 2**20:.0f} MiB of score arrays")

    district = real_records[0].district
    import faiss as faiss_lib

    faiss_lib.omp_set_num_threads(1)  # one query at a time: OpenMP threads only fight over the 2 shared cores
    searchers = {name: Searcher(synthetic, embedder, vectors=v) for name, v in (("pgvector", store), ("faiss", faiss))}
    for label, fn, inputs in (
            ("pgvector k=10", lambda q: store.search(q, 10), queries),
            ("pgvector k=1000 (the Searcher's candidates)", lambda q: store.search(q, 1000), queries),
            (f"pgvector k=10 filtered district={district} (exact)",
             lambda q: store.search(q, 10, Filters(district=district)), queries),
            ("faiss k=10", lambda q: faiss.search(q, 10), queries),
            ("faiss k=1000", lambda q: faiss.search(q, 1000), queries),
            ("full Searcher.search k=5 on pgvector (embed + dense + BM25 x2 + fusion)",
             lambda q: searchers["pgvector"].search(q, 5), questions),
            ("full Searcher.search k=5 on faiss", lambda q: searchers["faiss"].search(q, 5), questions)):
        ms = timed(fn, list(inputs))
        print(f"  search latency {label}: p50 {pct(ms, 50):.1f} ms, p95 {pct(ms, 95):.1f} ms ({len(ms)} queries)")
    faiss_lib.omp_set_num_threads(os.cpu_count() or 1)

    new, _, _ = synthesise(real, 1000, rng)
    t = time.perf_counter()
    store.sync(records + [VectorRecord(f"new{i}", "new.txt", "k") for i in range(len(new))], np.vstack([vectors, new]), "inc")
    inc_s = time.perf_counter() - t
    print(f"  incremental ingest: 1,000 new rows into the {n:,}-row table (HNSW maintained) in {inc_s:.1f} s "
          f"= {1000 / inc_s:,.0f} rows/s")
    store.drop()
    store.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="corpus sizes in chunks")
    p.add_argument("--rounds", type=int, default=2, help="passes over the dev questions per latency figure")
    p.add_argument("--skip-dev", action="store_true", help="skip the dev-set comparison")
    args = p.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from eval.run import read_questions
    from index.embed import make_embedder
    from index.store import load_index
    from settings import Settings

    settings = Settings()
    from bench.replicas import index_backend

    # query vectors from the backend the index was built with
    settings = settings.model_copy(update={"embed_backend": index_backend(settings.index_dir)})
    from bench.common import postgres

    dsn, stop_pg = postgres()
    try:
        import psycopg

        with psycopg.connect(dsn) as c:
            c.execute("CREATE EXTENSION IF NOT EXISTS vector")
            info = c.execute("SELECT version(), (SELECT extversion FROM pg_extension WHERE extname='vector'), "
                             "current_setting('shared_buffers')").fetchone()
        print(f"server: {info[0].split(',')[0]}, pgvector {info[1]}, shared_buffers {info[2]}; "
              f"{os.cpu_count()} CPU cores (shared)")
        if not args.skip_dev:
            dev_set(settings, dsn)
        index = load_index(settings.index_dir)
        embedder = make_embedder(settings)
        qs = [q["question"] for q in read_questions(ROOT / "eval" / "dev.jsonl")] * args.rounds
        queries = embedder.embed(qs, "query")
        rng = np.random.default_rng(12)
        for n in args.sizes:
            at_size(n, index, embedder, qs, queries, dsn, settings, rng)
    finally:
        stop_pg()


if __name__ == "__main__":
    main()
