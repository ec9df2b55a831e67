"""The index-holding side of bench.scale, run in its own process (no model, no torch).

    python -m bench.scale_worker build --vectors V.npy --n N --kind auto --out DIR
        reads the first N rows of V.npy in blocks (plain reads, no memory map, so
        the process never holds all raw vectors), chooses and builds the FAISS
        index with index.vectors, writes DIR/faiss.index and prints JSON: params,
        build seconds, peak RSS, size on disk.
    python -m bench.scale_worker serve --index DIR --queries Q.npy --truth T.npy
        loads the index from disk as the app would, searches one query at a time
        (k=10, and k=1000 as index.search.Searcher asks), and prints JSON: search
        latency p50/p95, recall@10 against the exact top 10 in T.npy, the same
        for a sweep of nprobe / efSearch values, and this process's peak RSS.
Query embedding is not here: the queries arrive as vectors.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

from bench.common import pct, peak_rss_mb

BLOCK = 100_000


def _header(f) -> tuple[int, int]:
    version = np.lib.format.read_magic(f)
    read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, fortran, dtype = read(f)
    if fortran or dtype != np.float32 or len(shape) != 2:
        raise ValueError(f"expected a C-order 2-D float32 array, got {shape} {dtype}")
    return shape


def npy_rows(path: Path, start: int, stop: int) -> np.ndarray:
    """Rows start..stop of a 2-D float32 .npy file, read with plain file reads (no memory map)."""
    with open(path, "rb") as f:
        _, dim = _header(f)
        f.seek(f.tell() + start * dim * 4)
        return np.fromfile(f, dtype=np.float32, count=(stop - start) * dim).reshape(-1, dim)


def npy_shape(path: Path) -> tuple[int, int]:
    with open(path, "rb") as f:
        return _header(f)


def build(args) -> dict:
    import faiss

    from index.vectors import choose_index, new_index, train_index

    _, dim = npy_shape(args.vectors)
    params = choose_index(args.n, kind=args.kind, ann_threshold=args.ann_threshold, ivf_threshold=args.ivf_threshold,
                          hnsw_m=args.hnsw_m, ef_construction=args.ef_construction, ef_search=args.ef_search,
                          nprobe=args.nprobe)
    t0 = time.perf_counter()
    index = new_index(params, dim)
    if not index.is_trained:
        # bench.scale writes the real vectors first, then i.i.d. synthetic ones: a prefix is a fair sample.
        train_index(index, npy_rows(args.vectors, 0, min(args.n, params["train_points"])))
    train_s = time.perf_counter() - t0
    for start in range(0, args.n, BLOCK):
        index.add(npy_rows(args.vectors, start, min(args.n, start + BLOCK)))
    build_s = time.perf_counter() - t0
    args.out.mkdir(parents=True, exist_ok=True)
    faiss.write_index(index, str(args.out / "faiss.index"))
    params = {**params, "dim": dim, "count": args.n}
    (args.out / "params.json").write_text(json.dumps(params), encoding="utf-8")
    return {"params": params, "train_s": train_s, "build_s": build_s, "build_peak_rss_mb": peak_rss_mb(),
            "disk_mb": (args.out / "faiss.index").stat().st_size / 1e6}


def _timed(index, queries: np.ndarray, k: int, rounds: int, cpu: list | None = None) -> tuple[np.ndarray, list[float]]:
    """Ids found and wall milliseconds per single-query search; CPU milliseconds of this
    process per search go to `cpu` (what the search costs, whatever else the machine runs)."""
    index.search(queries[:5], k)  # warm-up
    ms, ids = [], None
    for _ in range(rounds):
        found = []
        for q in queries:
            c, t = time.process_time(), time.perf_counter()
            _, i = index.search(q[None, :], k)
            ms.append((time.perf_counter() - t) * 1000)
            if cpu is not None:
                cpu.append((time.process_time() - c) * 1000)
            found.append(i[0])
        ids = np.array(found)
    return ids, ms


def recall_at(found: np.ndarray, truth: np.ndarray, k: int = 10) -> float:
    """Mean share of the exact top k that the index returned in its top k.

    >>> recall_at(np.array([[1, 2, 3]]), np.array([[3, 2, 9]]), k=3)
    0.6666666666666666
    """
    return float(np.mean([len(set(f[:k]) & set(t[:k])) / k for f, t in zip(found, truth)]))


def serve(args) -> dict:
    import faiss

    from index.vectors import load_faiss

    faiss.omp_set_num_threads(args.threads)
    params = json.loads((args.index / "params.json").read_text(encoding="utf-8"))
    t = time.perf_counter()
    index = load_faiss(args.index / "faiss.index", params)
    load_s = time.perf_counter() - t
    queries = np.ascontiguousarray(np.load(args.queries), dtype=np.float32)
    truth = np.load(args.truth)
    cpu: list[float] = []
    found, ms = _timed(index, queries, 10, args.rounds, cpu)
    _, ms1000 = _timed(index, queries, 1000, 1)
    out = {"params": params, "load_s": load_s, "threads": args.threads, "queries": len(queries),
           "search_ms_p50": pct(ms, 50), "search_ms_p95": pct(ms, 95), "recall@10": recall_at(found, truth),
           "search_cpu_ms_p50": pct(cpu, 50), "search_cpu_ms_p95": pct(cpu, 95), "loadavg": os.getloadavg()[0],
           "search_k1000_ms_p50": pct(ms1000, 50), "search_k1000_ms_p95": pct(ms1000, 95)}
    sweep = []
    knob = {"ivf_sq8": "nprobe", "hnsw": "efSearch"}.get(params["type"])
    for value in (args.sweep or []) if knob else []:
        if knob == "nprobe":
            index.nprobe = value
        else:
            index.hnsw.efSearch = value
        c: list[float] = []
        f, m = _timed(index, queries, 10, 1, c)
        sweep.append({knob: value, "search_ms_p50": pct(m, 50), "search_ms_p95": pct(m, 95),
                      "search_cpu_ms_p50": pct(c, 50), "search_cpu_ms_p95": pct(c, 95), "recall@10": recall_at(f, truth)})
    out["sweep"] = sweep
    out["serve_peak_rss_mb"] = peak_rss_mb()
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build and save an index over the first N vectors")
    b.add_argument("--vectors", type=Path, required=True, help=".npy of unit float32 vectors (bench.scale writes it)")
    b.add_argument("--n", type=int, required=True, help="how many rows to index")
    b.add_argument("--out", type=Path, required=True, help="folder for faiss.index and params.json")
    b.add_argument("--kind", default="auto", help="auto, flat, hnsw or ivf (index.vectors.choose_index)")
    b.add_argument("--ann-threshold", type=int, default=50_000, help="auto: flat up to this many vectors")
    b.add_argument("--ivf-threshold", type=int, default=300_000, help="auto: HNSW up to this many, IVF above")
    b.add_argument("--hnsw-m", type=int, default=32, help="HNSW degree")
    b.add_argument("--ef-construction", type=int, default=200, help="HNSW build breadth")
    b.add_argument("--ef-search", type=int, default=128, help="HNSW search breadth")
    b.add_argument("--nprobe", type=int, default=0, help="IVF lists probed (0: by list count)")
    s = sub.add_parser("serve", help="load a saved index and time searches")
    s.add_argument("--index", type=Path, required=True, help="folder written by build")
    s.add_argument("--queries", type=Path, required=True, help=".npy of query vectors")
    s.add_argument("--truth", type=Path, required=True, help=".npy of exact top-10 ids per query")
    s.add_argument("--rounds", type=int, default=3, help="passes over the queries")
    s.add_argument("--threads", type=int, default=1, help="FAISS OpenMP threads")
    s.add_argument("--sweep", type=lambda v: [int(x) for x in v.split(",") if x], default=[],
                   help="comma-separated nprobe (IVF) or efSearch (HNSW) values to try")
    args = p.parse_args(argv)
    print(json.dumps(build(args) if args.cmd == "build" else serve(args)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
