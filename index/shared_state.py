"""One place for "follow the shared database" and "write under the shared lock" (pgvector only).

The API engine, the Streamlit app and the ingest CLI all use these, so a replica of any kind
reads the corpus and index version the database names live, and a corpus change is built on
that latest state under the one writer lock (index/pg_corpus.py, index/pg_snapshot.py). With
the default FAISS store both are no-ops: the local folders are the truth.
"""
from __future__ import annotations

import contextlib
from pathlib import Path


def shared(settings) -> bool:
    return getattr(settings, "vector_store", "faiss") == "pgvector"


def follow(settings, index_dir: Path | None = None) -> bool:
    """Fetch the database's live index version and corpus into this process's folders; True on a change."""
    if not shared(settings):
        return False
    from index.pg_snapshot import materialise

    return materialise(settings.pg_dsn, settings.pg_table, Path(index_dir or settings.index_dir), settings.corpus_dir)


@contextlib.contextmanager
def writing(settings, index_dir: Path | None = None, *, fetch_first: bool = True):
    """Hold the writer lock across replicas; with `fetch_first`, catch up before the caller writes.

    Without it (the ingest CLI) the caller's own corpus becomes the shared one.
    """
    if not shared(settings):
        yield
        return
    from index.pg_corpus import writer_lock

    with writer_lock(settings.pg_dsn, settings.pg_table):
        if fetch_first:
            follow(settings, index_dir)
        yield
