"""FAISS index over chunk vectors: exact inner product while small, HNSW above a threshold.

Vectors are unit length, so inner product is cosine similarity. The raw
vectors are also kept on disk (vectors.npy) so an incremental ingest reuses
them without re-embedding.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np


def build_faiss(vectors: np.ndarray, *, ann_threshold: int, hnsw_m: int, ef_construction: int,
                ef_search: int) -> tuple[object, dict]:
    """The FAISS index for `vectors` and the parameters to record in the manifest."""
    import faiss

    n, dim = vectors.shape
    if n <= ann_threshold:
        index = faiss.IndexFlatIP(dim)
        params = {"type": "flat_ip", "dim": dim}
    else:
        index = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = ef_construction
        index.hnsw.efSearch = ef_search
        params = {"type": "hnsw", "dim": dim, "m": hnsw_m, "ef_construction": ef_construction, "ef_search": ef_search}
    if n:
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    params["count"] = n
    return index, params


def save_faiss(index, path: Path) -> None:
    import faiss

    faiss.write_index(index, str(path))


def load_faiss(path: Path, params: dict):
    import faiss

    index = faiss.read_index(str(path))
    if params.get("type") == "hnsw":
        index.hnsw.efSearch = params["ef_search"]
    return index
