"""The corpus travels with the index snapshot through PostgreSQL, and writers take one lock (real pgserver cluster)."""
from __future__ import annotations

import json
import threading
import time

import pytest

from index.build import update_index
from index.embed import HashEmbedder
from index.pg_corpus import MARKER, writer_lock
from index.pg_snapshot import materialise
from index.store import current_version, load_index
from tests.pgkit import pg_dsn  # noqa: F401  (a real cluster for the session)


def _docs(folder):
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_a_replica_with_empty_folders_gets_the_corpus_and_follows_changes(pg_dsn, make_settings, seed_corpus, tmp_path):
    writer = make_settings(corpus_dir=seed_corpus, vector_store="pgvector", pg_dsn=pg_dsn, pg_table="corp")
    update_index(writer, HashEmbedder())
    replica_index, replica_corpus = tmp_path / "r-index", tmp_path / "r-corpus"

    assert materialise(pg_dsn, "corp", replica_index, replica_corpus)
    assert _docs(replica_corpus) == _docs(seed_corpus)  # the documents and metadata.json, byte for byte
    for name in _docs(seed_corpus):
        assert (replica_corpus / name).read_bytes() == (seed_corpus / name).read_bytes()
    assert json.loads((replica_corpus / MARKER).read_text())["version"] == current_version(writer.index_dir).name
    assert not materialise(pg_dsn, "corp", replica_index, replica_corpus)  # nothing new: nothing fetched

    own = replica_corpus / "operator_notes.txt"
    own.write_text("a file this replica's operator put here; the database never held it", encoding="utf-8")
    gone = sorted(load_index(writer.index_dir).manifest["documents"])[0]
    (seed_corpus / gone).unlink()
    (seed_corpus / "new_brief.txt").write_text("金山区夜间门诊工作简报\n\n夜间门诊覆盖率达到87.65%。\n", encoding="utf-8")
    update_index(writer, HashEmbedder())

    assert materialise(pg_dsn, "corp", replica_index, replica_corpus)
    assert not (replica_corpus / gone).exists()  # deleted by the writer: deleted here
    assert (replica_corpus / "new_brief.txt").read_text(encoding="utf-8").endswith("87.65%。\n")
    assert own.is_file()  # never fetched from the database: left alone
    assert "new_brief.txt" in load_index(replica_index).manifest["documents"]


def test_a_changed_local_copy_is_not_deleted_and_a_stale_one_is_refreshed(pg_dsn, make_settings, seed_corpus, tmp_path):
    writer = make_settings(corpus_dir=seed_corpus, vector_store="pgvector", pg_dsn=pg_dsn, pg_table="corp2")
    update_index(writer, HashEmbedder())
    replica_corpus = tmp_path / "r-corpus"
    materialise(pg_dsn, "corp2", tmp_path / "r-index", replica_corpus)
    name = _docs(seed_corpus)[0]
    (replica_corpus / name).write_bytes(b"a stale local edit")
    (seed_corpus / "extra.txt").write_text("宝山区2026年新增家庭病床120张。\n", encoding="utf-8")
    update_index(writer, HashEmbedder())
    materialise(pg_dsn, "corp2", tmp_path / "r-index", replica_corpus)
    assert (replica_corpus / name).read_bytes() == (seed_corpus / name).read_bytes()  # the database wins


def test_one_writer_at_a_time_across_connections(pg_dsn):
    order = []

    def second():
        with writer_lock(pg_dsn, "lk", timeout_s=20):
            order.append("second")

    with writer_lock(pg_dsn, "lk"):
        t = threading.Thread(target=second)
        t.start()
        time.sleep(1.0)
        order.append("first done")
    t.join(30)
    assert order == ["first done", "second"]
    with writer_lock(pg_dsn, "lk"), pytest.raises(TimeoutError, match="another replica"):
        with writer_lock(pg_dsn, "lk", timeout_s=0.5):
            pass
