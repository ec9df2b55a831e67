"""Benchmark: how vector search grows from 10k to 1M chunks, with the automatic index choice.

Vectors (this process holds the model; the indexes live in other processes):
  1. Real passages: the corpus chunks, plus texts made by recombining corpus
     sentences (2-5 random sentences, 120-450 characters), embedded with the default
     backend up to --real texts. Queries: the real dev + holdout questions, embedded.
  2. Beyond those, synthetic vectors around the real ones: for random real vectors a, b
     and lambda ~ U(0, 0.5), v = (1 - lambda) a + lambda b + noise, then v is
     renormalised. The noise has the typical length s of the median nearest-neighbour
     distance among the real vectors and, by default (--noise cov), the real vectors'
     own covariance: noise = s (c - e) / median|c - e| for two more random real vectors
     c, e, so synthetic vectors stay in the narrow cone e5 vectors occupy. --noise iso
     uses N(0, s^2/d I) instead, which scatters them in all 384 directions (a harder,
     less realistic set). The file holds the real vectors first, then the synthetic
     ones; the 10k, 100k and 1M sets are prefixes of it (each has every real vector).
  3. Exact top 10 per query over each set (blocked matrix product, here).
Per set and index: `python -m bench.scale_worker build` (reads the vectors in blocks,
builds the index chosen by index.vectors.choose_index, writes it) and then `serve`
(loads it from disk, times one query at a time), each a fresh process whose peak RSS
is reported. Search times exclude query embedding, reported apart. Alternatives
(flat / HNSW / IVF at 100k, flat at 1M) show why the automatic choice is what it is.
Writes out/bench/scale.json; the vectors stay in out/bench/scale-work/ for re-runs.
    nice -n 10 .venv/bin/python -m bench.scale [--sizes 10000,100000,1000000] [--real 4000]
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bench.common import OUT, ROOT, pct, peak_rss_mb, questions, table, write_json

WORK = OUT / "scale-work"
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


def recombined_texts(chunk_texts: list[str], count: int, seed: int = 0) -> list[str]:
    """`count` passages of 2-5 random corpus sentences, 120-450 characters each.

    >>> t = recombined_texts(["甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥。" * 3, "天地玄黄宇宙洪荒日月盈昃辰宿列张。" * 4], 3)
    >>> len(t), all(120 <= len(x) <= 450 for x in t)
    (3, True)
    """
    sentences = [s.strip() for t in chunk_texts for s in SENTENCE_END.split(t) if len(s.strip()) >= 8]
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        parts = [sentences[i] for i in rng.integers(len(sentences), size=int(rng.integers(2, 6)))]
        text = "".join(parts)
        while len(text) < 120:
            text += sentences[int(rng.integers(len(sentences)))]
        out.append(text[:450])
    return out


def nn_distance(real: np.ndarray) -> float:
    """Median Euclidean distance from each real vector to its nearest other real vector."""
    sims = real @ real.T
    np.fill_diagonal(sims, -1)
    return float(np.median(np.sqrt(np.maximum(0, 2 - 2 * sims.max(1)))))


def synthesise(real: np.ndarray, total: int, path: Path, seed: int = 0, noise: str = "cov",
               block: int = 100_000) -> dict:
    """Write `total` unit vectors to `path`: `real` first, then synthetic ones (module docstring)."""
    rng = np.random.default_rng(seed)
    r, d = real.shape
    s = nn_distance(real)
    pairs = rng.integers(r, size=(2, min(r * 4, 20_000)))
    diff_scale = s / float(np.median(np.linalg.norm(real[pairs[0]] - real[pairs[1]], axis=1)))
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(total, d))
    out[:r] = real
    for start in range(r, total, block):
        b = min(block, total - start)
        lam = rng.uniform(0, 0.5, size=(b, 1)).astype(np.float32)
        v = (1 - lam) * real[rng.integers(r, size=b)] + lam * real[rng.integers(r, size=b)]
        if noise == "cov":
            v += diff_scale * (real[rng.integers(r, size=b)] - real[rng.integers(r, size=b)])
        else:
            v += rng.normal(0, s / np.sqrt(d), size=(b, d)).astype(np.float32)
        out[start:start + b] = v / np.linalg.norm(v, axis=1, keepdims=True)
    out.flush()
    del out
    return {"real": r, "total": total, "noise": noise, "noise_norm": s, "lambda": [0, 0.5]}


def exact_top10(path: Path, n: int, queries: np.ndarray, block: int = 100_000) -> np.ndarray:
    vecs = np.load(path, mmap_mode="r")
    best_s = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 0), dtype=np.int64)
    for start in range(0, n, block):
        sims = queries @ np.asarray(vecs[start:min(n, start + block)]).T
        top = np.argsort(-sims, axis=1)[:, :10]
        best_s = np.concatenate([best_s, np.take_along_axis(sims, top, 1)], axis=1)
        best_i = np.concatenate([best_i, top + start], axis=1)
        keep = np.argsort(-best_s, axis=1)[:, :10]
        best_s, best_i = np.take_along_axis(best_s, keep, 1), np.take_along_axis(best_i, keep, 1)
    return best_i


def worker(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.scale_worker", *args], cwd=ROOT, capture_output=True,
                          text=True)
    if done.returncode:
        raise RuntimeError(f"bench.scale_worker {args[0]} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def real_vectors(n_real: int, seed: int) -> tuple[np.ndarray, np.ndarray, dict]:
    """(passage vectors, question vectors, timings) from the real model, cached in WORK."""
    from bench.backends import corpus_chunks
    from index.embed import make_embedder
    from settings import Settings

    settings = Settings(_env_file=None, embedder="e5")
    cache = WORK / f"real-{settings.embed_backend}-{n_real}-{seed}.npz"
    embedder = make_embedder(settings)
    qs = questions("eval/dev.jsonl", "eval/dev_holdout.jsonl")
    embedder.embed(qs[:3], "query")  # model load + warm-up
    q_ms = []
    for _ in range(2):
        for q in qs:
            t = time.perf_counter()
            embedder.embed([q], "query")
            q_ms.append((time.perf_counter() - t) * 1000)
    info = {"backend": settings.embed_backend, "query_embed_ms_p50": pct(q_ms, 50),
            "query_embed_ms_p95": pct(q_ms, 95), "questions": len(qs)}
    if cache.is_file():
        data = np.load(cache)
        return data["passages"], data["queries"], {**info, "cached": True}
    chunk_texts = [c.index_text() for c in corpus_chunks(settings)[0]]
    texts = chunk_texts + recombined_texts(chunk_texts, max(0, n_real - len(chunk_texts)), seed)
    t = time.perf_counter()
    passages = embedder.embed(texts, "passage")
    info["passages_per_s"] = len(texts) / (time.perf_counter() - t)
    queries = embedder.embed(qs, "query")
    WORK.mkdir(parents=True, exist_ok=True)
    np.savez(cache, passages=passages, queries=queries)
    return passages, queries, info


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated corpus sizes (vectors)")
    p.add_argument("--real", type=int, default=4000, help="real passages to embed (corpus chunks + recombined)")
    p.add_argument("--seed", type=int, default=0, help="random seed for texts and synthetic vectors")
    p.add_argument("--noise", choices=["cov", "iso"], default="cov",
                   help="synthetic noise: the real vectors' covariance (default) or isotropic (harder)")
    p.add_argument("--no-alternatives", action="store_true", help="only the automatic choice per size")
    p.add_argument("--sweep", default="32,64,128,256", help="nprobe / efSearch values tried on the automatic index")
    args = p.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    passages, queries, embed_info = real_vectors(args.real, args.seed)
    print(f"real vectors: {len(passages)} passages, {len(queries)} questions ({embed_info['backend']}); "
          f"query embedding p50 {embed_info['query_embed_ms_p50']:.1f} ms, p95 {embed_info['query_embed_ms_p95']:.1f} ms")
    vec_path = WORK / f"vectors-{max(sizes)}-{len(passages)}-{args.noise}-{args.seed}.npy"
    if not vec_path.is_file():
        t = time.perf_counter()
        synth = synthesise(passages, max(sizes), vec_path, args.seed, args.noise)
        synth["seconds"] = time.perf_counter() - t
        (vec_path.with_suffix(".json")).write_text(json.dumps(synth), encoding="utf-8")
    synth = json.loads(vec_path.with_suffix(".json").read_text(encoding="utf-8"))
    print(f"synthetic: {synth['total'] - synth['real']} vectors around {synth['real']} real ones "
          f"({synth['noise']} noise of norm {synth['noise_norm']:.3f}, convex weight U{tuple(synth['lambda'])})")
    np.save(WORK / "queries.npy", queries)
    runs = []
    plan = [(n, "auto") for n in sizes]  # the automatic choice at every size first, then the alternatives
    if not args.no_alternatives:
        plan += [(n, k) for n in sizes for k in {100_000: ["flat", "hnsw", "ivf"], 1_000_000: ["flat"]}.get(n, [])]
    for n, kind in plan:
        truth_path = WORK / f"truth-{n}-{args.noise}.npy"
        if kind == "auto":
            np.save(truth_path, exact_top10(vec_path, n, queries))
        idx_dir = WORK / f"index-{n}-{kind}"
        built = worker("build", "--vectors", str(vec_path), "--n", str(n), "--kind", kind, "--out", str(idx_dir))
        served = worker("serve", "--index", str(idx_dir), "--queries", str(WORK / "queries.npy"),
                        "--truth", str(truth_path), "--sweep", args.sweep if kind == "auto" else "")
        runs.append({"n": n, "kind": kind, **built, **{k: v for k, v in served.items() if k != "params"}})
        r = runs[-1]
        print(f"  {n:>9,} {kind:<5} {r['params']['type']:<8} build {r['build_s']:.1f} s, "
              f"p50 {r['search_ms_p50']:.2f} / p95 {r['search_ms_p95']:.2f} ms, recall@10 {r['recall@10']:.3f}, "
              f"serve RSS {r['serve_peak_rss_mb']:.0f} MB", flush=True)
        if kind != "auto":
            (idx_dir / "faiss.index").unlink(missing_ok=True)  # alternatives: keep disk use bounded
        write_json("scale.json", {"embedding": embed_info, "synthetic": synth, "runs": runs, "partial": True})
    rows = [[f"{r['n']:,}", r["kind"], r["params"]["type"], _knobs(r["params"]), r["build_s"], r["disk_mb"],
             r["search_ms_p50"], r["search_ms_p95"], r["search_k1000_ms_p50"], r["recall@10"],
             r["serve_peak_rss_mb"], r["build_peak_rss_mb"]] for r in runs]
    print("\nvector search by corpus size (one query at a time, 1 FAISS thread, query embedding excluded)")
    print(table(["chunks", "asked", "index", "params", "build s", "disk MB", "p50 ms", "p95 ms", "k1000 p50",
                 "recall@10", "serve RSS MB", "build RSS MB"], rows))
    for r in runs:
        if r["sweep"]:
            print(f"\n{r['n']:,} {r['params']['type']} sweep: " + "; ".join(
                f"{list(s)[0]}={list(s.values())[0]}: p50 {s['search_ms_p50']:.2f} / p95 {s['search_ms_p95']:.2f} ms, "
                f"recall {s['recall@10']:.3f}"
                for s in r["sweep"]))
    print(f"\nquery embedding ({embed_info['backend']}, in the model process): p50 "
          f"{embed_info['query_embed_ms_p50']:.1f} ms, p95 {embed_info['query_embed_ms_p95']:.1f} ms; "
          f"model process peak RSS {peak_rss_mb():.0f} MB")
    path = write_json("scale.json", {"embedding": embed_info, "synthetic": synth, "runs": runs,
                                     "model_process_peak_rss_mb": peak_rss_mb()})
    print(f"wrote {path}")
    return 0


def _knobs(params: dict) -> str:
    if params["type"] == "hnsw":
        return f"M{params['m']} efC{params['ef_construction']} ef{params['ef_search']}"
    if params["type"] == "ivf_sq8":
        return f"nlist{params['nlist']} nprobe{params['nprobe']}"
    return "exact"


if __name__ == "__main__":
    raise SystemExit(main())
