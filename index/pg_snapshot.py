"""The live index version's files kept in PostgreSQL, so replicas need no shared volume.

With `vector_store=pgvector`, an ingest publishes its version folder (manifest, chunks,
BM25 files, and for now the local vectors and FAISS file too, which `load_index` still
checks) into the table `<pg_table>_files`, and `<pg_table>_current` names the live
version; the corpus it was built from goes to `<pg_table>_corpus` in the same transaction
(index/pg_corpus.py). A replica materialises that version (and mirrors the corpus) into its
own folders before it loads, and again whenever the name in the database changes: files are
written into a partial folder, renamed into place, then CURRENT is swapped, as a local
ingest does.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from index.store import current_version, write_atomic


def _names(table: str):
    from psycopg import sql

    return sql.Identifier(f"{table}_files"), sql.Identifier(f"{table}_current")


def _connect(dsn: str):
    import psycopg

    return psycopg.connect(dsn, autocommit=False, connect_timeout=10, application_name="hpqa snapshot")


def _ensure(conn, table: str) -> None:
    from psycopg import sql

    files, current = _names(table)
    conn.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} (version text NOT NULL, path text NOT NULL, "
                         "data bytea NOT NULL, PRIMARY KEY (version, path))").format(files))
    conn.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} (one boolean PRIMARY KEY DEFAULT true CHECK (one), "
                         "version text NOT NULL)").format(current))


def published_version(dsn: str, table: str) -> str | None:
    """The version the database names as live, or None before the first publish."""
    from psycopg import sql

    with _connect(dsn) as conn:
        _ensure(conn, table)
        row = conn.execute(sql.SQL("SELECT version FROM {}").format(_names(table)[1])).fetchone()
        conn.commit()
    return row[0] if row else None


def publish(dsn: str, table: str, folder: Path, corpus_dir: Path | None = None,
            metadata_file: str = "metadata.json") -> bool:
    """Store `folder` (a complete version) and the corpus it was built from, and make it the
    live one, in one transaction; older versions' files are dropped. False when it was
    already live (nothing written)."""
    from psycopg import sql

    from index import pg_corpus

    files, current = _names(table)
    with _connect(dsn) as conn:
        _ensure(conn, table)
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{table}_files",))  # one publisher at a time
        row = conn.execute(sql.SQL("SELECT version FROM {}").format(current)).fetchone()
        if row and row[0] == folder.name:
            conn.commit()
            return False
        conn.execute(sql.SQL("DELETE FROM {} WHERE version = %s").format(files), (folder.name,))
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            conn.execute(sql.SQL("INSERT INTO {} (version, path, data) VALUES (%s, %s, %s)").format(files),
                         (folder.name, path.relative_to(folder).as_posix(), path.read_bytes()))
        if corpus_dir is not None:
            pg_corpus.store(conn, table, Path(corpus_dir), metadata_file)
        conn.execute(sql.SQL("INSERT INTO {} (one, version) VALUES (true, %s) ON CONFLICT (one) "
                             "DO UPDATE SET version = EXCLUDED.version").format(current), (folder.name,))
        conn.execute(sql.SQL("DELETE FROM {} WHERE version <> %s").format(files), (folder.name,))
        conn.commit()
    return True


def materialise(dsn: str, table: str, index_dir: Path, corpus_dir: Path | None = None) -> bool:
    """Make `index_dir` hold the database's live version, and `corpus_dir` (when given) the
    corpus stored with it; True when it changed anything. One snapshot (REPEATABLE READ), so
    the corpus and the index files belong to the same version."""
    from psycopg import IsolationLevel, sql

    from index import pg_corpus

    index_dir = Path(index_dir)
    with _connect(dsn) as conn:
        conn.isolation_level = IsolationLevel.REPEATABLE_READ
        _ensure(conn, table)
        conn.commit()
        row = conn.execute(sql.SQL("SELECT version FROM {}").format(_names(table)[1])).fetchone()
        if row is None:
            conn.commit()
            return False
        version = row[0]
        changed = pg_corpus.fetch(conn, table, Path(corpus_dir), version) if corpus_dir is not None else False
        live = current_version(index_dir)
        if live is not None and live.name == version:
            conn.commit()
            return changed
        target = index_dir / version
        if not target.is_dir():
            rows = conn.execute(sql.SQL("SELECT path, data FROM {} WHERE version = %s").format(_names(table)[0]),
                                (version,)).fetchall()
            conn.commit()
            if not rows:
                return changed  # replaced meanwhile: the next call picks up the newer one
            _write_folder(index_dir, version, rows)
        else:
            conn.commit()
    write_atomic(index_dir / "CURRENT", version + "\n")
    return True


def _write_folder(index_dir: Path, version: str, rows) -> None:
    """The version's files into a partial folder, renamed into place when complete."""
    index_dir.mkdir(parents=True, exist_ok=True)
    tmp = index_dir / f".{version}.{uuid.uuid4().hex[:6]}.partial"
    try:
        for path, data in rows:
            if ".." in Path(path).parts:
                raise ValueError(f"refusing a snapshot path outside the index folder: {path!r}")
            out = tmp / path
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(bytes(data))
        os.rename(tmp, index_dir / version)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
