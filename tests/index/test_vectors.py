"""Automatic FAISS index choice: exact / HNSW / IVF-SQ8 by size, recorded and restored."""
from __future__ import annotations

import numpy as np
import pytest

from index.store import load_index
from index.vectors import build_faiss, choose_index, load_faiss, save_faiss


def clustered(n: int, dim: int = 64, clusters: int = 40, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim))
    v = centres[rng.integers(clusters, size=n)] + 0.35 * rng.normal(size=(n, dim))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def test_auto_choice_grows_from_exact_to_hnsw_to_ivf():
    kinds = [choose_index(n)["type"] for n in (1, 50_000, 50_001, 300_000, 300_001, 5_000_000)]
    assert kinds == ["flat_ip", "flat_ip", "hnsw", "hnsw", "ivf_sq8", "ivf_sq8"]
    assert choose_index(100, ivf_threshold=None, ann_threshold=10)["type"] == "hnsw"  # the old two-tier behaviour
    big = choose_index(4_000_000)
    assert big["nlist"] == 8192 and big["nprobe"] == 1024 and big["chosen"] == "auto"


def test_unknown_index_kind_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown vector index 'annoy': choose from auto, flat, hnsw, ivf"):
        choose_index(10, kind="annoy")


def test_ivf_finds_the_exact_neighbours_and_survives_a_round_trip(tmp_path):
    v, q = clustered(6000), clustered(50, seed=1)
    exact, _ = build_faiss(v, ann_threshold=10**9, hnsw_m=16, ef_construction=40, ef_search=16)
    ivf, params = build_faiss(v, ann_threshold=100, hnsw_m=16, ef_construction=40, ef_search=16,
                              ivf_threshold=1000, nprobe=8)
    assert params["type"] == "ivf_sq8" and params["nlist"] == 153 and params["count"] == 6000
    _, want = exact.search(q, 10)
    _, got = ivf.search(q, 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, want)])
    assert recall >= 0.9
    save_faiss(ivf, tmp_path / "f.index")
    back = load_faiss(tmp_path / "f.index", params)
    assert back.nprobe == 8 and (back.search(q, 10)[1] == got).all()


def test_settings_force_ivf_and_the_manifest_records_it(make_settings, seed_corpus):
    from index.build import update_index
    from index.embed import HashEmbedder

    s = make_settings(vector_index="ivf", ivf_nprobe=3)
    update_index(s, HashEmbedder())
    idx = load_index(s.index_dir)
    f = idx.manifest["faiss"]
    assert (f["type"], f["chosen"], f["nprobe"], f["count"]) == ("ivf_sq8", "settings", 3, len(idx.chunks))
    assert idx.faiss.nprobe == 3 and isinstance(idx.vectors, np.memmap)
    _, ids = idx.faiss.search(HashEmbedder().embed(["家庭医生签约率"], "query"), 5)
    assert (ids[0] >= 0).all()
