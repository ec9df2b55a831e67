"""FAISS index over chunk vectors, its type chosen by the number of vectors.

Vectors are unit length, so inner product is cosine similarity. `choose_index`
picks (pure, recorded in the manifest under "faiss"):
    n <= ann_threshold (50k)     exact inner product (flat): recall 1, a few ms
    n <= ivf_threshold (300k)    HNSW (M 32, efSearch 128): fast, but slow to build
    above                        IVF with 8-bit scalar quantisation (4 bytes -> 1 per
                                 dimension), nlist ~ 4 sqrt(n), nprobe = nlist/8
The thresholds and parameters come from `python -m bench.scale` on the 2-core
machine (docs/speed.md): at 1M vectors HNSW would take over an hour to build here
and hold 1.8 GB, while IVF-SQ8 builds in ~8 minutes, is served in ~0.4 GB and reaches
recall@10 0.95 at nprobe = nlist/8 (12 ms of CPU per query). The raw vectors are also
kept on disk (vectors.npy) so an incremental ingest reuses them without re-embedding.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

KINDS = ("auto", "flat", "hnsw", "ivf")
IVF_TRAIN_PER_LIST = 32  # k-means sample: 32 points per list (FAISS warns below 39; fine for spherical data)
IVF_TRAIN_ITERATIONS = 10


def ivf_lists(n: int) -> int:
    """IVF list count for n vectors: the power of two nearest 4 sqrt(n), at most 65536,
    and never more than n / 39 (so that each list has training points).

    >>> ivf_lists(1_000_000), ivf_lists(100_000), ivf_lists(10_000), ivf_lists(243)
    (4096, 1024, 256, 6)
    """
    nlist = 2 ** round(math.log2(4 * math.sqrt(max(n, 1))))
    return max(1, min(nlist, 65536, n // 39))


def choose_index(n: int, *, kind: str = "auto", ann_threshold: int = 50_000, ivf_threshold: int | None = 300_000,
                 hnsw_m: int = 32, ef_construction: int = 200, ef_search: int = 128, nprobe: int = 0) -> dict:
    """The index type and parameters for n vectors (what the manifest records, minus dim/count).

    >>> choose_index(10_000)["type"], choose_index(100_000)["type"], choose_index(1_000_000)["type"]
    ('flat_ip', 'hnsw', 'ivf_sq8')
    >>> choose_index(1_000_000)["nlist"], choose_index(1_000_000)["nprobe"]
    (4096, 512)
    >>> choose_index(10, kind="hnsw")["type"]
    'hnsw'
    """
    if kind not in KINDS:
        raise ValueError(f"unknown vector index {kind!r}: choose from {', '.join(KINDS)}")
    if kind == "auto":
        kind = ("flat" if n <= ann_threshold else
                "hnsw" if ivf_threshold is None or n <= ivf_threshold else "ivf")
        chosen = "auto"
    else:
        chosen = "settings"
    if kind == "flat":
        return {"type": "flat_ip", "chosen": chosen}
    if kind == "hnsw":
        return {"type": "hnsw", "chosen": chosen, "m": hnsw_m, "ef_construction": ef_construction, "ef_search": ef_search}
    nlist = ivf_lists(n)
    return {"type": "ivf_sq8", "chosen": chosen, "nlist": nlist, "nprobe": nprobe or max(1, nlist // 8),
            "train_points": min(n, IVF_TRAIN_PER_LIST * nlist)}


def faiss_build_args(settings) -> dict:
    """The keyword arguments of `build_faiss` from the settings."""
    return {"ann_threshold": settings.ann_threshold, "hnsw_m": settings.hnsw_m,
            "ef_construction": settings.hnsw_ef_construction, "ef_search": settings.hnsw_ef_search,
            "kind": getattr(settings, "vector_index", "auto"), "ivf_threshold": getattr(settings, "ivf_threshold", None),
            "nprobe": getattr(settings, "ivf_nprobe", 0)}


def new_index(params: dict, dim: int):
    """An empty FAISS index for `params` (from choose_index); IVF still needs `train_index`."""
    import faiss

    if params["type"] == "flat_ip":
        return faiss.IndexFlatIP(dim)
    if params["type"] == "hnsw":
        index = faiss.IndexHNSWFlat(dim, params["m"], faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = params["ef_construction"]
        index.hnsw.efSearch = params["ef_search"]
        return index
    if params["type"] == "ivf_sq8":
        index = faiss.index_factory(dim, f"IVF{params['nlist']},SQ8", faiss.METRIC_INNER_PRODUCT)
        index.cp.niter = IVF_TRAIN_ITERATIONS
        index.cp.spherical = True  # centroids on the unit sphere, as the vectors are
        index.nprobe = params["nprobe"]
        return index
    raise ValueError(f"unknown FAISS index type {params['type']!r}")


def train_index(index, vectors: np.ndarray, seed: int = 0) -> None:
    """Train an IVF index on an evenly spread sample of `vectors` (no-op for flat/HNSW)."""
    if index.is_trained:
        return
    want = min(len(vectors), IVF_TRAIN_PER_LIST * index.nlist)
    rows = np.sort(np.random.default_rng(seed).choice(len(vectors), size=want, replace=False))
    index.train(np.ascontiguousarray(vectors[rows], dtype=np.float32))


def build_faiss(vectors: np.ndarray, *, ann_threshold: int, hnsw_m: int, ef_construction: int,
                ef_search: int, kind: str = "auto", ivf_threshold: int | None = None,
                nprobe: int = 0) -> tuple[object, dict]:
    """The FAISS index for `vectors` and the parameters to record in the manifest.

    Without `ivf_threshold` it never picks IVF (flat, then HNSW above `ann_threshold`).
    """
    n, dim = vectors.shape
    params = choose_index(n, kind=kind, ann_threshold=ann_threshold, ivf_threshold=ivf_threshold, hnsw_m=hnsw_m,
                          ef_construction=ef_construction, ef_search=ef_search, nprobe=nprobe)
    index = new_index(params, dim)
    if n:
        train_index(index, vectors)
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index, {**params, "dim": dim, "count": n}


def save_faiss(index, path: Path) -> None:
    import faiss

    faiss.write_index(index, str(path))


def load_faiss(path: Path, params: dict):
    import faiss

    index = faiss.read_index(str(path))
    if params.get("type") == "hnsw":
        index.hnsw.efSearch = params["ef_search"]
    elif params.get("type") == "ivf_sq8":
        index.nprobe = params["nprobe"]
    return index
