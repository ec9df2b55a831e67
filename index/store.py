"""The on-disk index: versioned folders, an atomic CURRENT pointer, manifest checks.

Layout of `index_dir`:
    CURRENT                 name of the live version folder (replaced atomically)
    v-<time>-<id>/          manifest.json, chunks.jsonl, vectors.npy, faiss.index, bm25/, bm25_bigram/
A writer builds a whole new version folder, fsyncs it, then swaps CURRENT, so a
killed ingest leaves the previous version loadable. Loading checks the manifest
against what the caller expects and refuses a mismatch with what to run.
No pickle anywhere.
"""
from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ingest.types import Chunk

FORMAT_VERSION = 2  # 2: adds the character-bigram BM25 (bm25_bigram/)
KEEP_VERSIONS = 2


class IndexError_(RuntimeError):
    """Base for index problems; the message says what to run."""


class IndexMissing(IndexError_):
    pass


class IndexMismatch(IndexError_):
    pass


class IndexCorrupt(IndexError_):
    pass


@dataclass
class LoadedIndex:
    folder: Path
    manifest: dict
    chunks: list[Chunk]
    vectors: np.ndarray
    faiss: object
    bm25: object
    bm25_bigram: object


def _fsync_tree(folder: Path) -> None:
    for p in folder.rglob("*"):
        if p.is_file():
            with open(p, "rb") as f:
                os.fsync(f.fileno())
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: str) -> None:
    """Write beside, fsync, rename: readers see the old or the new file, never half."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def current_version(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        return None
    folder = index_dir / pointer.read_text(encoding="utf-8").strip()
    return folder if folder.is_dir() else None


def read_manifest(index_dir: Path) -> dict | None:
    """The live manifest, or None when there is no index yet (cheap: no heavy imports)."""
    folder = current_version(index_dir)
    if folder is None or not (folder / "manifest.json").is_file():
        return None
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def read_chunks(folder: Path) -> list[Chunk]:
    chunks = []
    with open(folder / "chunks.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            d["section"] = tuple(d["section"])
            chunks.append(Chunk(**d))
    return chunks


def write_version(index_dir: Path, manifest: dict, chunks: list[Chunk], vectors: np.ndarray,
                  faiss_index, bm25, bm25_bigram) -> Path:
    """Write a complete new version and make it current; returns its folder."""
    from index.vectors import save_faiss

    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"v-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
    tmp = index_dir / f".{name}.partial"
    tmp.mkdir()
    try:
        with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as f:
            for c in chunks:
                f.write(json.dumps(asdict(c), ensure_ascii=False) + "\n")
        np.save(tmp / "vectors.npy", np.ascontiguousarray(vectors, dtype=np.float32), allow_pickle=False)
        save_faiss(faiss_index, tmp / "faiss.index")
        for sub, lexical in (("bm25", bm25), ("bm25_bigram", bm25_bigram)):
            (tmp / sub).mkdir()
            lexical.save(tmp / sub)
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        _fsync_tree(tmp)
        os.rename(tmp, index_dir / name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    write_atomic(index_dir / "CURRENT", name + "\n")
    _collect_garbage(index_dir, keep=name)
    return index_dir / name


def _collect_garbage(index_dir: Path, keep: str) -> None:
    """Drop old versions (keeping a few) and partial folders of killed writers."""
    versions = sorted(p for p in index_dir.glob("v-*") if p.is_dir() and p.name != keep)
    for p in versions[: max(0, len(versions) - (KEEP_VERSIONS - 1))]:
        shutil.rmtree(p, ignore_errors=True)
    for p in index_dir.glob(".v-*.partial"):
        if time.time() - p.stat().st_mtime > 3600:
            shutil.rmtree(p, ignore_errors=True)


def check_manifest(manifest: dict, expected: dict, index_dir: Path) -> None:
    """Refuse an index built with another model, dimension, chunker or format."""
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexMismatch(
            f"index at {index_dir} has format {manifest.get('format_version')}, this code reads {FORMAT_VERSION}: "
            f"rebuild it with `python -m ingest --index {index_dir} --rebuild`")
    got, want = manifest.get("model") or {}, expected.get("model") or {}
    if want and got.get("backend", "torch") != want.get("backend", "torch") and (
            {k: v for k, v in got.items() if k != "backend"} == {k: v for k, v in want.items() if k != "backend"}):
        raise IndexMismatch(
            f"index at {index_dir} was embedded with backend {got.get('backend', 'torch')}, but the settings ask "
            f"for {want.get('backend')} (HPQA_EMBED_BACKEND): rebuild it with "
            f"`python -m ingest --index {index_dir} --rebuild`, or set the backend it was built with")
    for key, label in (("model", "embedding model"), ("chunker", "chunker settings")):
        if key in expected and manifest.get(key) != expected[key]:
            raise IndexMismatch(
                f"index at {index_dir} was built with {label} {manifest.get(key)}, "
                f"but the settings ask for {expected[key]}: rebuild it with "
                f"`python -m ingest --index {index_dir} --rebuild`")


def load_index(index_dir: Path, expected: dict | None = None) -> LoadedIndex:
    """Load the live version; `expected` holds manifest parts that must match."""
    from index.bm25 import BM25Index
    from index.vectors import load_faiss

    folder = current_version(index_dir)
    if folder is None:
        raise IndexMissing(f"no index at {index_dir}: build it with `python -m ingest --index {index_dir}`")
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise IndexCorrupt(f"index at {folder} has an unreadable manifest ({e}): rebuild it with "
                           f"`python -m ingest --index {index_dir} --rebuild`") from e
    check_manifest(manifest, expected or {}, index_dir)
    try:
        chunks = read_chunks(folder)
        # Memory-mapped: searching uses FAISS, so at 1M chunks the 1.5 GB of raw vectors stay on disk.
        vectors = np.load(folder / "vectors.npy", allow_pickle=False, mmap_mode="r")
        faiss_index = load_faiss(folder / "faiss.index", manifest["faiss"])
        bm25 = BM25Index.load(folder / "bm25")
        bm25_bigram = BM25Index.load(folder / "bm25_bigram")
    except Exception as e:  # any damaged file: say so plainly
        raise IndexCorrupt(f"index at {folder} is damaged ({type(e).__name__}: {e}): rebuild it with "
                           f"`python -m ingest --index {index_dir} --rebuild`") from e
    n = manifest.get("counts", {}).get("chunks")
    if not (len(chunks) == vectors.shape[0] == faiss_index.ntotal == n):
        raise IndexCorrupt(f"index at {folder} is inconsistent: {len(chunks)} chunks, {vectors.shape[0]} vectors, "
                           f"{faiss_index.ntotal} in FAISS, manifest says {n}: rebuild it with "
                           f"`python -m ingest --index {index_dir} --rebuild`")
    return LoadedIndex(folder, manifest, chunks, vectors, faiss_index, bm25, bm25_bigram)
