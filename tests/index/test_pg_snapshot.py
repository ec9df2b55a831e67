"""A replica without the writer's index folder gets the live version from PostgreSQL (real pgserver cluster)."""
from __future__ import annotations

from index.build import update_index
from index.embed import HashEmbedder
from index.pg_snapshot import materialise, published_version
from index.search import Searcher
from index.store import current_version, load_index
from index.vector_store import make_vector_store
from tests.pgkit import pg_dsn  # noqa: F401  (a real cluster for the session)


def test_a_replica_with_its_own_empty_folder_follows_the_writers_versions(pg_dsn, make_settings, seed_corpus, tmp_path):
    writer = make_settings(corpus_dir=seed_corpus, vector_store="pgvector", pg_dsn=pg_dsn, pg_table="snap")
    replica_dir = tmp_path / "replica-index"
    update_index(writer, HashEmbedder())
    live = current_version(writer.index_dir)
    assert published_version(pg_dsn, "snap") == live.name

    assert materialise(pg_dsn, "snap", replica_dir)
    assert not materialise(pg_dsn, "snap", replica_dir)  # already current: nothing fetched
    ours, theirs = load_index(replica_dir), load_index(writer.index_dir)
    assert [c.id for c in ours.chunks] == [c.id for c in theirs.chunks]
    replica = make_settings(index_dir=replica_dir, vector_store="pgvector", pg_dsn=pg_dsn, pg_table="snap")
    searcher = Searcher(ours, HashEmbedder(), vectors=make_vector_store(replica, ours))
    assert searcher.search("家庭医生签约率", k=3)

    gone = sorted(theirs.manifest["documents"])[0]
    (seed_corpus / gone).unlink()
    update_index(writer, HashEmbedder())
    assert materialise(pg_dsn, "snap", replica_dir)
    after = load_index(replica_dir)
    assert after.folder.name == current_version(writer.index_dir).name
    assert gone not in after.manifest["documents"]
