"""Build or update the index from a corpus folder, embedding only what changed.

`plan_update` is cheap (hashes files, reads the manifest; no torch, no FAISS)
so an unchanged corpus is recognised in well under a second. `update_index`
re-chunks new or changed documents, reuses the vectors of every chunk whose
indexed text is unchanged, drops deleted documents, and writes a new index
version atomically (index/store.py). One bad file is reported and skipped.
"""
from __future__ import annotations

import hashlib
import logging
import platform
import time
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Callable

import numpy as np

from index.store import FORMAT_VERSION, read_chunks, read_manifest, current_version, write_version
from index.vector_store import sync_vector_store
from ingest.metadata import metadata_for, read_metadata
from ingest.types import Chunk, Skipped

log = logging.getLogger(__name__)
CLEANER_VERSION = 2  # bump when clean.py/chunk.py/tables.py change chunk boundaries (2: tables may start at any row)
Progress = Callable[[int, int], None]


@dataclass
class Report:
    """What an ingest did, for the CLI summary and the app."""

    status: str = "updated"  # "updated" | "unchanged" | "failed"
    documents: int = 0
    chunks: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    embedded: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    embed_seconds: float = 0.0
    chunk_sizes: list[int] = field(default_factory=list)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corpus_files(corpus_dir: Path, metadata_file: str) -> dict[str, Path]:
    """Candidate document files: visible regular files except the metadata file."""
    return {p.name: p for p in sorted(corpus_dir.iterdir())
            if p.is_file() and not p.name.startswith(".") and p.name != metadata_file}


def expected_manifest_parts(settings, model_checksum: str, model_name: str, dim: int, backend: str | None = None) -> dict:
    if backend is None:  # callers that have only the settings (api/engine.py)
        from index.embed import backend_for
        backend = backend_for(settings)
    return {
        "model": {"name": model_name, "checksum": model_checksum, "dim": dim, "backend": backend},
        "chunker": {**settings.chunker_params(), "cleaner_version": CLEANER_VERSION},
    }


def plan_update(settings, corpus_dir: Path, index_dir: Path, expected: dict) -> tuple[bool, dict[str, str]]:
    """(is the index up to date?, sha256 of every corpus file)."""
    files = corpus_files(corpus_dir, settings.metadata_file)
    hashes = {name: _sha256(p) for name, p in files.items()}
    manifest = read_manifest(index_dir)
    if manifest is None or manifest.get("format_version") != FORMAT_VERSION:
        return False, hashes
    if any(manifest.get(k) != v for k, v in expected.items()):
        return False, hashes
    known = {d: v["sha256"] for d, v in manifest["documents"].items()}
    known.update({s: v["sha256"] for s, v in manifest.get("skipped", {}).items()})
    meta_path = corpus_dir / settings.metadata_file
    meta_hash = _sha256(meta_path) if meta_path.is_file() else None
    return known == hashes and manifest.get("metadata_sha256") == meta_hash, hashes


def _versions() -> dict:
    out = {"python": platform.python_version()}
    for pkg in ("numpy", "faiss-cpu", "bm25s", "jieba", "sentence-transformers", "torch", "transformers", "openvino"):
        try:
            out[pkg] = importlib_metadata.version(pkg)
        except importlib_metadata.PackageNotFoundError:
            pass
    return out


def update_index(settings, embedder, *, corpus_dir: Path | None = None, index_dir: Path | None = None,
                 rebuild: bool = False, progress: Progress | None = None) -> Report:
    """Bring the index at `index_dir` in line with `corpus_dir`; see the module docstring."""
    from index.bm25 import BigramTokenizer, BM25Index, Tokenizer, domain_terms
    from index.vectors import build_faiss, faiss_build_args
    from ingest.document_chunks import chunk_document
    from ingest.load import load_file

    t0 = time.perf_counter()
    corpus_dir = Path(corpus_dir or settings.corpus_dir)
    index_dir = Path(index_dir or settings.index_dir)
    report = Report()
    expected = expected_manifest_parts(settings, embedder.checksum, embedder.name, embedder.dim,
                                       getattr(embedder, "backend", "torch"))
    up_to_date, hashes = plan_update(settings, corpus_dir, index_dir, expected)
    if up_to_date and not rebuild:
        manifest = read_manifest(index_dir)
        report.status = "unchanged"
        report.documents = len(manifest["documents"])
        report.chunks = manifest["counts"]["chunks"]
        report.skipped = [Skipped(p, v["reason"]) for p, v in manifest.get("skipped", {}).items()]
        sync_vector_store(settings, index_dir, corpus_dir)  # pgvector: catch up a table synced from an older version
        report.seconds = time.perf_counter() - t0
        return report

    old_manifest = None if rebuild else read_manifest(index_dir)
    compatible = old_manifest is not None and all(old_manifest.get(k) == v for k, v in expected.items())
    # A new chunker re-chunks every document, but a chunk whose text it leaves as it was keeps its
    # vector: vectors depend only on the model and the text.
    same_model = old_manifest is not None and old_manifest.get("model") == expected["model"]
    old_chunks: dict[str, list[Chunk]] = {}
    old_vectors: dict[str, np.ndarray] = {}  # keyed by the hash of the embedded text
    if same_model:
        folder = current_version(index_dir)
        chunks_before = read_chunks(folder)
        vecs_before = np.load(folder / "vectors.npy", allow_pickle=False)
        for c, v in zip(chunks_before, vecs_before):
            if compatible:
                old_chunks.setdefault(c.doc, []).append(c)
            old_vectors[_text_key(c.index_text())] = v

    metadata, meta_error = read_metadata(corpus_dir / settings.metadata_file)
    if meta_error:
        report.warnings.append(meta_error)
    old_docs = old_manifest["documents"] if compatible else {}
    documents: dict[str, dict] = {}
    skipped: dict[str, dict] = {}
    all_chunks: list[Chunk] = []
    for name, path in corpus_files(corpus_dir, settings.metadata_file).items():
        if name in old_docs and old_docs[name]["sha256"] == hashes[name] and name in old_chunks:
            chunks, fmt = old_chunks[name], old_docs[name]["format"]
        else:
            try:
                doc = load_file(path, max_bytes=settings.max_file_bytes, cache_dir=settings.extract_cache_dir)
            except Exception as e:  # LoadError, or a loader bug: report, keep the rest
                reason = getattr(e, "reason", f"{type(e).__name__}: {e}")
                skipped[name] = {"reason": reason, "sha256": hashes[name]}
                report.skipped.append(Skipped(name, reason))
                continue
            chunks = chunk_document(doc, **settings.chunker_params())
            if not chunks:
                skipped[name] = {"reason": "no text left after cleaning", "sha256": hashes[name]}
                report.skipped.append(Skipped(name, "no text left after cleaning"))
                continue
            fmt = doc.format
            (report.changed if name in old_docs else report.added).append(name)
        documents[name] = {"sha256": hashes[name], "format": fmt, "chunks": len(chunks),
                           "meta": metadata_for(name, metadata)}
        all_chunks.extend(chunks)
    report.removed = sorted(set(old_docs) - set(documents) - set(skipped))

    if not all_chunks:
        report.status = "failed"
        report.seconds = time.perf_counter() - t0
        return report

    texts = [c.index_text() for c in all_chunks]
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    todo = [i for i, t in enumerate(texts) if _text_key(t) not in old_vectors]
    for i, t in enumerate(texts):
        if _text_key(t) in old_vectors:
            vectors[i] = old_vectors[_text_key(t)]
    t_embed = time.perf_counter()
    batch = settings.embed_batch_size
    for b in range(0, len(todo), batch):
        idx = todo[b:b + batch]
        vectors[idx] = embedder.embed([texts[i] for i in idx], "passage")
        if progress:
            progress(min(b + batch, len(todo)), len(todo))
    report.embed_seconds = time.perf_counter() - t_embed
    report.embedded = len(todo)

    terms = domain_terms(c.text for c in all_chunks)
    bm25 = BM25Index.build(texts, Tokenizer(terms))
    bm25_bigram = BM25Index.build(texts, BigramTokenizer())
    faiss_index, faiss_params = build_faiss(vectors, **faiss_build_args(settings))
    meta_path = corpus_dir / settings.metadata_file
    manifest = {
        "format_version": FORMAT_VERSION,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **expected,
        "faiss": faiss_params,
        "bm25": {"tokenizer": "jieba.cut_for_search+nfkc+casefold", "k1": 1.2, "b": 0.75, "terms": len(terms),
                 "bigram": {"tokenizer": "char-bigram+nfkc+casefold", "k1": 1.2, "b": 0.75}},
        "documents": documents,
        "skipped": skipped,
        "metadata_sha256": _sha256(meta_path) if meta_path.is_file() else None,
        "counts": {"documents": len(documents), "chunks": len(all_chunks)},
        "versions": _versions(),
    }
    write_version(index_dir, manifest, all_chunks, vectors, faiss_index, bm25, bm25_bigram)
    sync_vector_store(settings, index_dir, corpus_dir)  # pgvector: the shared table follows the new version (no-op for faiss)
    report.documents, report.chunks = len(documents), len(all_chunks)
    report.chunk_sizes = [len(c.text) for c in all_chunks]
    report.seconds = time.perf_counter() - t0
    return report


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
