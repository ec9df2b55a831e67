"""One contract suite for every vector store: FAISS (in process) and PostgreSQL + pgvector (a real server).

The session starts a throwaway PostgreSQL 16 + pgvector cluster with `pgserver`
(a PyPI package that bundles both; `make test` installs it) and stops it at the
end. If the cluster cannot start, the pgvector tests fail: they never skip.
"""
from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from index.search import Filters
from index.store import IndexMismatch
from index.vector_store import FaissStore, VectorRecord, make_vector_store, record_matches
from tests.pgkit import pg_dsn  # noqa: F401  (a real cluster for the session)

DIM = 32
MODEL = {"name": "contract-test", "checksum": "c0ffee", "dim": DIM}
DISTRICTS = (("金山区", "Jinshan"), ("闵行区", "Minhang"), ("宝山区", "Baoshan"))
TYPES = ("plan", "work_summary", "newspaper")
_tables = itertools.count()


def unit(rng, n: int, dim: int = DIM) -> np.ndarray:
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def make_records(n: int, prefix: str = "c", key: str = "k") -> list[VectorRecord]:
    out = []
    for i in range(n):
        zh, en = DISTRICTS[i % 3]
        start = 2019 + i % 6
        out.append(VectorRecord(f"{prefix}{i}", f"doc{i % 10}.txt", key, zh, en, start, start + i % 3, TYPES[i % 4 % 3]))
    return out


def exact(records, vectors, query, k, filters=None) -> list[str]:
    """Brute-force cosine ranking: the ground truth."""
    keep = [i for i, r in enumerate(records) if record_matches(r, filters)]
    sims = vectors[keep] @ query
    return [records[keep[j]].id for j in np.argsort(-sims, kind="stable")[:k]]


@pytest.fixture(params=["faiss", "pgvector"])
def new_store(request):
    """A function giving a fresh, empty store of the parametrised kind (and, for pgvector, its own table)."""
    made = []

    def make(model=MODEL, table=None):
        if request.param == "faiss":
            return FaissStore(dict(model))
        from index.pg_store import PgVectorStore

        store = PgVectorStore(request.getfixturevalue("pg_dsn"), table or f"contract_{next(_tables)}", model)
        made.append(store)
        return store

    make.kind = request.param
    yield make
    for s in made:
        s.close()


def test_a_stored_vector_is_its_own_nearest_neighbour(new_store):
    rng = np.random.default_rng(1)
    records, vectors = make_records(200), unit(rng, 200)
    store = new_store()
    store.sync(records, vectors, "v1")
    for i in (0, 17, 199):
        best = store.search(vectors[i], 3)[0]
        assert best.id == records[i].id and best.score == pytest.approx(1.0, abs=1e-5)


def test_results_are_ranked_bounded_by_k_and_scored_by_cosine(new_store):
    rng = np.random.default_rng(2)
    records, vectors = make_records(50), unit(rng, 50)
    store = new_store()
    store.sync(records, vectors)
    q = unit(rng, 1)[0]
    hits = store.search(q, 7)
    assert len(hits) == 7
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    by_id = {r.id: v for r, v in zip(records, vectors)}
    assert all(h.score == pytest.approx(float(by_id[h.id] @ q), abs=1e-5) for h in hits)
    assert len(store.search(q, 500)) == 50
    assert store.search(q, 0) == []


def test_ranking_matches_brute_force(new_store):
    rng = np.random.default_rng(3)
    records, vectors = make_records(400), unit(rng, 400)
    store = new_store()
    store.sync(records, vectors)
    for q in unit(rng, 20):
        assert [h.id for h in store.search(q, 10)] == exact(records, vectors, q, 10)


@pytest.mark.parametrize("filters", [Filters(district="闵行区"), Filters(district="jinshan"), Filters(year=2022),
                                     Filters(doc_type="newspaper"), Filters(district="宝山", year=2021, doc_type="plan")])
def test_filters_return_the_exact_filtered_ranking(new_store, filters):
    rng = np.random.default_rng(4)
    records, vectors = make_records(300), unit(rng, 300)
    store = new_store()
    store.sync(records, vectors)
    matching = sum(record_matches(r, filters) for r in records)
    assert 0 < matching < 300  # the filter really filters
    for q in unit(rng, 5):
        hits = store.search(q, 25, filters)
        assert [h.id for h in hits] == exact(records, vectors, q, 25, filters)
        assert len(hits) == min(25, matching)


def test_a_filter_nothing_matches_returns_nothing(new_store):
    rng = np.random.default_rng(5)
    store = new_store()
    store.sync(make_records(30), unit(rng, 30))
    assert store.search(unit(rng, 1)[0], 5, Filters(district="浦东新区")) == []


def test_sync_adds_removes_and_replaces_changed_rows(new_store):
    rng = np.random.default_rng(6)
    a_records, a_vectors = make_records(100), unit(rng, 100)
    store = new_store()
    store.sync(a_records, a_vectors, "v1")
    # v2: rows 0-19 removed, 20-29 re-embedded (new key and vector), 30-39 moved to another district, 10 new rows
    b_records = a_records[20:].copy()
    b_vectors = a_vectors[20:].copy()
    for j in range(10):
        b_records[j] = VectorRecord(**{**b_records[j].__dict__, "key": "k2"})
        b_vectors[j] = unit(rng, 1)[0]
    for j in range(10, 20):
        b_records[j] = VectorRecord(**{**b_records[j].__dict__, "district": "浦东新区", "district_en": "Pudong"})
    new_records, new_vectors = make_records(10, prefix="n"), unit(rng, 10)
    b_records += new_records
    b_vectors = np.vstack([b_vectors, new_vectors])
    store.sync(b_records, b_vectors, "v2")

    everything = store.search(unit(rng, 1)[0], 1000)
    assert sorted(h.id for h in everything) == sorted(r.id for r in b_records)
    for j in (0, 9):  # re-embedded rows answer to their new vector
        assert store.search(b_vectors[j], 1)[0].id == b_records[j].id
    assert store.search(a_vectors[0], 1)[0].id != "c0"
    pudong = store.search(unit(rng, 1)[0], 50, Filters(district="浦东新区"))
    assert sorted(h.id for h in pudong) == sorted(r.id for r in b_records[10:20])
    assert store.search(new_vectors[3], 1)[0].id == "n3"


def test_sync_of_the_same_content_is_idempotent(new_store):
    rng = np.random.default_rng(7)
    records, vectors = make_records(60), unit(rng, 60)
    store = new_store()
    store.sync(records, vectors)
    q = unit(rng, 1)[0]
    before = store.search(q, 60)
    store.sync(records, vectors)
    assert store.search(q, 60) == before and len(before) == 60


def test_sync_refuses_vectors_of_another_dimension(new_store):
    rng = np.random.default_rng(8)
    with pytest.raises(IndexMismatch, match="dimension 16"):
        new_store().sync(make_records(5), unit(rng, 5, dim=16))


def test_a_store_built_with_another_model_is_refused(new_store, make_settings, seed_corpus):
    other = {**MODEL, "checksum": "another-model"}
    if new_store.kind == "pgvector":  # the model recorded per table
        store = new_store(table="contract_model_check")
        store.sync(make_records(5), unit(np.random.default_rng(9), 5))
        with pytest.raises(IndexMismatch, match="holds vectors of embedding model .* ingest into a new table"):
            new_store(model=other, table="contract_model_check")
    else:  # the model recorded in the version folder's manifest
        from index.build import update_index
        from index.embed import HashEmbedder
        from index.store import load_index

        settings = make_settings()
        update_index(settings, HashEmbedder())
        with pytest.raises(IndexMismatch, match="built with embedding model .* rebuild"):
            make_vector_store(settings, load_index(settings.index_dir), model=other)


# --- pgvector specifics: replicas sharing a table, ingest routing, the factory -------------------------------

def test_two_store_handles_over_one_table_see_each_others_writes(pg_dsn):
    """What two replicas do: one ingests, the other's next search sees it."""
    from index.pg_store import PgVectorStore

    rng = np.random.default_rng(10)
    writer, reader = PgVectorStore(pg_dsn, "contract_shared", MODEL), PgVectorStore(pg_dsn, "contract_shared", MODEL)
    records, vectors = make_records(40), unit(rng, 40)
    writer.sync(records, vectors, "v1")
    assert reader.search(vectors[7], 1)[0].id == "c7" and reader.version() == "v1"
    writer.sync(records[:-1] + [VectorRecord("fresh", "new.txt", "k")], vectors, "v2")
    assert reader.search(vectors[39], 1)[0].id == "fresh" and reader.version() == "v2"


def test_ingest_writes_to_pgvector_and_follows_changes(pg_dsn, make_settings, seed_corpus):
    from index.build import update_index
    from index.embed import HashEmbedder
    from index.pg_store import PgVectorStore
    from index.store import load_index, read_manifest

    settings = make_settings(corpus_dir=seed_corpus, vector_store="pgvector", pg_dsn=pg_dsn, pg_table="contract_ingest")
    update_index(settings, HashEmbedder())
    index = load_index(settings.index_dir)
    store = PgVectorStore(pg_dsn, "contract_ingest", index.manifest["model"])
    assert store.count() == len(index.chunks) and store.version() == index.folder.name
    assert update_index(settings, HashEmbedder()).status == "unchanged"

    gone = sorted(index.manifest["documents"])[0]
    (seed_corpus / gone).unlink()
    update_index(settings, HashEmbedder())
    after = load_index(settings.index_dir)
    assert store.count() == len(after.chunks) < len(index.chunks)
    assert store.version() == after.folder.name
    held = {r[0] for r in store._conn().execute("SELECT id FROM contract_ingest")}
    assert held == {c.id for c in after.chunks}  # all of the new version, nothing of the removed document
    assert not held & {c.id for c in index.chunks if c.doc == gone}
    assert {h.id for h in store.search(after.vectors[3], 5)} <= held
    assert read_manifest(settings.index_dir)["counts"]["chunks"] == store.count()


def test_factory_names_the_valid_stores_and_needs_a_dsn(make_settings):
    with pytest.raises(ValueError, match="unknown vector store 'milvus': choose from faiss, pgvector"):
        make_vector_store(make_settings(vector_store="milvus"), model=MODEL)
    with pytest.raises(ValueError, match="pg_dsn is empty: set HPQA_PG_DSN"):
        make_vector_store(make_settings(vector_store="pgvector"), model=MODEL)


def test_an_unreachable_database_is_reported_with_the_dsn_redacted(tmp_path):
    from index.pg_store import PgVectorStore
    from index.vector_store import VectorStoreError

    with pytest.raises(VectorStoreError, match=r"cannot connect to PostgreSQL at postgresql://u:\*\*\*@/x"):
        PgVectorStore(f"postgresql://u:secret@/x?host={tmp_path}", "t", MODEL, connect_timeout=2)


def test_a_database_without_pgvector_says_to_create_the_extension(pg_dsn):
    import psycopg

    from index.pg_store import PgVectorStore
    from index.vector_store import VectorStoreError

    with psycopg.connect(pg_dsn, autocommit=True) as c:  # a role that may not create extensions, its own database
        if c.execute("SELECT 1 FROM pg_roles WHERE rolname = 'plain_app'").fetchone() is None:
            c.execute("CREATE ROLE plain_app LOGIN")
            c.execute("CREATE DATABASE plain_app OWNER plain_app")
    dsn = pg_dsn.replace("postgres:@/postgres", "plain_app:@/plain_app")
    assert dsn != pg_dsn
    with pytest.raises(VectorStoreError, match=r"pgvector extension is not installed in postgresql://plain_app.*run `CREATE EXTENSION vector;`"):
        PgVectorStore(dsn, "t", MODEL)


# --- the real thing: e5 vectors of the corpus, FAISS vs pgvector, through the Searcher --------------------------

def test_real_e5_search_gives_the_same_passages_on_faiss_and_pgvector(real_index, pg_dsn):
    from pathlib import Path

    from index.search import Searcher
    from index.store import load_index
    from index.vector_store import sync_vector_store

    settings, embedder = real_index
    pg_settings = settings.model_copy(update={"vector_store": "pgvector", "pg_dsn": pg_dsn, "pg_table": "contract_e5"})
    assert sync_vector_store(pg_settings, settings.index_dir)
    index = load_index(settings.index_dir)
    faiss_searcher = Searcher(index, embedder)
    pg_searcher = Searcher(index, embedder, vectors=make_vector_store(pg_settings, index))
    dev = Path(__file__).resolve().parents[2] / "eval" / "dev.jsonl"
    questions = [json.loads(line)["question"] for line in dev.read_text(encoding="utf-8").splitlines()[:12]]
    same = 0
    for q in questions:
        a = [h.chunk.id for h in faiss_searcher.search(q, 5)]
        b = [h.chunk.id for h in pg_searcher.search(q, 5)]
        same += a == b
        assert set(a) & set(b), q
    assert same >= 11, f"only {same}/12 questions got identical top-5 passages"


@pytest.mark.parametrize("name", ["index.vector_store", "index.pg_store", "bench.pg_fts"])
def test_docstring_examples(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
