"""The vector-store protocol, the FAISS adapter, and the factory that picks a store by name.

A `VectorStore` holds one unit vector per chunk id with the chunk's document
metadata (district, period, document type) and answers nearest-neighbour
queries by cosine similarity, optionally filtered on that metadata. Two
implementations pass one contract suite (tests/index/test_vector_store_contract.py):

- `FaissStore` ("faiss", the embedded default): a thin adapter over the FAISS
  index that index/vectors.py builds and the version folder stores.
- `PgVectorStore` ("pgvector", index/pg_store.py): a table in PostgreSQL with
  pgvector, shared by any number of stateless replicas.

What this module does not do: BM25 (it stays in the version folder beside the
chunks, see docs/scale_out.md) and fusion (index/search.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Sequence

import numpy as np

from index.store import IndexError_, IndexMismatch

if TYPE_CHECKING:
    from index.search import Filters

STORES = ("faiss", "pgvector")


class VectorStoreError(IndexError_):
    """The vector store cannot be reached or used; the message says what to fix."""


@dataclass(frozen=True)
class VectorRecord:
    """What a store keeps beside a vector: the chunk id, its document and the filterable metadata.

    `key` identifies the embedded text (a hash): a record whose key changed gets its vector replaced.
    """

    id: str
    doc: str
    key: str = ""
    district: str = ""
    district_en: str = ""
    year_from: int | None = None
    year_to: int | None = None
    doc_type: str = ""


@dataclass(frozen=True)
class VectorMatch:
    id: str
    score: float  # cosine similarity (vectors are unit length)


class VectorStore(Protocol):
    """Nearest chunks by cosine similarity. `sync` makes the store hold exactly `records`."""

    def search(self, query: np.ndarray, k: int, filters: "Filters | None" = None) -> list[VectorMatch]:
        """At most `k` matches for one query vector, best first; only records passing `filters`."""
        ...

    def sync(self, records: Sequence[VectorRecord], vectors: np.ndarray, version: str = "") -> None:
        """Replace the store's content with `records` (row i has vector i), reusing unchanged rows."""
        ...


def record_matches(r: VectorRecord, f: "Filters | None") -> bool:
    """The same document filter as index/search.py, on a record.

    >>> from index.search import Filters
    >>> r = VectorRecord("c1", "a.txt", district="金山区", district_en="Jinshan", year_from=2021, year_to=2025, doc_type="plan")
    >>> [record_matches(r, Filters(district="jinshan")), record_matches(r, Filters(year=2026)),
    ...  record_matches(r, Filters(district="金山", doc_type="plan", year=2024))]
    [True, False, True]
    """
    if f is None:
        return True
    if f.district and f.district not in r.district and f.district.casefold() != r.district_en.casefold():
        return False
    if f.year is not None and (r.year_from is None or not r.year_from <= f.year <= r.year_to):
        return False
    return not (f.doc_type and r.doc_type != f.doc_type)


def records_for(chunks, documents: dict, keys: Sequence[str] = ()) -> list[VectorRecord]:
    """One record per chunk, with its document's metadata from the manifest's `documents`."""
    out = []
    for i, c in enumerate(chunks):
        meta = documents.get(c.doc, {}).get("meta", {})
        period = meta.get("period") or [None, None]
        out.append(VectorRecord(c.id, c.doc, keys[i] if keys else "", meta.get("district") or "",
                                meta.get("district_en") or "", period[0], period[1], meta.get("doc_type") or ""))
    return out


class FaissStore:
    """The FAISS index of a version folder behind the protocol (no copy of the vectors)."""

    def __init__(self, model: dict, faiss_index=None, records: Sequence[VectorRecord] = (), *,
                 build: dict | None = None):
        self.model = model
        self.faiss = faiss_index
        self.records = list(records)
        self.build = build or {"ann_threshold": 50_000, "hnsw_m": 32, "ef_construction": 200, "ef_search": 128}

    @classmethod
    def from_index(cls, index, model: dict | None = None) -> "FaissStore":
        """The store over a loaded version (index.store.LoadedIndex); `model` must match its manifest."""
        if model is not None and index.manifest.get("model") != model:
            raise IndexMismatch(f"index at {index.folder} was built with embedding model {index.manifest.get('model')}, "
                                f"but the settings ask for {model}: rebuild it with `python -m ingest --rebuild`")
        return cls(index.manifest.get("model", {}), index.faiss, records_for(index.chunks, index.manifest["documents"]))

    def search(self, query: np.ndarray, k: int, filters: "Filters | None" = None) -> list[VectorMatch]:
        n = len(self.records)
        if n == 0 or k <= 0:
            return []
        q = np.ascontiguousarray(np.asarray(query, dtype=np.float32).reshape(1, -1))
        params = None
        if filters is not None:
            import faiss

            allowed = np.array([i for i, r in enumerate(self.records) if record_matches(r, filters)], dtype=np.int64)
            if not len(allowed):
                return []
            params = _selector_params(self.faiss, faiss.IDSelectorBatch(allowed))
        sims, ids = self.faiss.search(q, min(k, n), params=params) if params else self.faiss.search(q, min(k, n))
        return [VectorMatch(self.records[i].id, float(s)) for s, i in zip(sims[0], ids[0]) if i >= 0]

    def sync(self, records: Sequence[VectorRecord], vectors: np.ndarray, version: str = "") -> None:
        """Rebuild in memory; on disk the version folder (index/store.py) is what persists FAISS."""
        from index.vectors import build_faiss

        vectors = np.asarray(vectors, dtype=np.float32)
        if len(records) != len(vectors):
            raise ValueError(f"{len(records)} records but {len(vectors)} vectors")
        dim = self.model.get("dim")
        if dim and len(vectors) and vectors.shape[1] != dim:
            raise IndexMismatch(f"vectors of dimension {vectors.shape[1]} given to a store of model {self.model}")
        if not len(records):
            vectors = np.zeros((0, dim or 1), np.float32)
        self.faiss, _ = build_faiss(vectors, **self.build)
        self.records = list(records)


def _selector_params(index, selector):
    """Search parameters restricted to `selector`, keeping the index's own efSearch / nprobe."""
    import faiss

    base = faiss.downcast_index(index)
    if isinstance(base, faiss.IndexHNSW):
        return faiss.SearchParametersHNSW(sel=selector, efSearch=base.hnsw.efSearch)
    if isinstance(base, faiss.IndexIVF):
        return faiss.SearchParametersIVF(sel=selector, nprobe=base.nprobe)
    return faiss.SearchParameters(sel=selector)


def make_vector_store(settings, index=None, model: dict | None = None) -> VectorStore:
    """The store named by `settings.vector_store`.

    "faiss" wraps the FAISS index of `index` (a LoadedIndex); "pgvector" opens the
    table `settings.pg_table` at `settings.pg_dsn`. `model` (default: the index's
    manifest model) must match what the store was built with.
    """
    name = settings.vector_store
    if model is None and index is not None:
        model = index.manifest.get("model")
    if name == "faiss":
        if index is None:
            raise ValueError("the faiss vector store lives in the index folder: load it with index.store.load_index first")
        return FaissStore.from_index(index, model)
    if name == "pgvector":
        from index.pg_store import PgVectorStore

        if model is None:
            raise ValueError("the pgvector store needs the embedding model (name, checksum, dim) to check its table")
        return PgVectorStore(settings.pg_dsn, settings.pg_table, model, ef_search=settings.hnsw_ef_search,
                             hnsw_m=settings.pg_hnsw_m, ef_construction=settings.pg_hnsw_ef_construction)
    raise ValueError(f"unknown vector store {name!r}: choose from {', '.join(STORES)}")


def sync_vector_store(settings, index_dir: Path, corpus_dir: Path | None = None) -> bool:
    """After an ingest: make an external store hold the live version's vectors; True when it wrote.

    A no-op for "faiss" (its index is inside the version folder). For "pgvector" it
    compares the table's recorded version with the live folder and syncs only when
    they differ, so an unchanged re-run costs one query.
    """
    if getattr(settings, "vector_store", "faiss") == "faiss":
        return False
    import json

    from index.store import current_version, read_chunks

    folder = current_version(Path(index_dir))
    if folder is None:
        return False
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    store = make_vector_store(settings, model=manifest["model"])
    wrote = False
    if getattr(store, "version", lambda: None)() != folder.name:
        import hashlib

        chunks = read_chunks(folder)
        keys = [hashlib.sha256(c.index_text().encode()).hexdigest()[:32] for c in chunks]
        vectors = np.load(folder / "vectors.npy", allow_pickle=False)
        store.sync(records_for(chunks, manifest["documents"], keys), vectors, version=folder.name)
        wrote = True
    from index.pg_snapshot import publish

    # The version's files (and the corpus it was built from) go to the database too: a replica
    # without this folder materialises them.
    return publish(settings.pg_dsn, settings.pg_table, folder, corpus_dir, settings.metadata_file) or wrote
