"""The corpus (originals + metadata file) kept in PostgreSQL beside the index snapshot.

With `vector_store=pgvector` the database is the one truth a replica needs: an ingest
stores the corpus it indexed in `<pg_table>_corpus` (name, sha256, bytes) in the same
transaction that names the new index version live (index/pg_snapshot.py), and a replica
mirrors that table into its own corpus folder before it loads the version, so citations
(quote spans in the original file, page images) and the documents list work without a
shared volume. Writers take one advisory lock (`writer_lock`) so two replicas never
build from different corpora at the same time.

Local files the database never held are left alone: a replica only deletes a file it
fetched earlier (recorded in `.pg_synced.json` in the corpus folder) and nobody changed.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
import uuid
from pathlib import Path

MARKER = ".pg_synced.json"


def _table(table: str):
    from psycopg import sql

    return sql.Identifier(f"{table}_corpus")


def ensure(conn, table: str) -> None:
    from psycopg import sql

    conn.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} (name text PRIMARY KEY, sha256 text NOT NULL, "
                         "data bytea NOT NULL)").format(_table(table)))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def local_files(corpus_dir: Path, metadata_file: str) -> dict[str, Path]:
    """The documents of the folder (as the ingest sees them) and its metadata file."""
    from index.build import corpus_files

    files = dict(corpus_files(Path(corpus_dir), metadata_file))
    meta = Path(corpus_dir) / metadata_file
    if meta.is_file():
        files[metadata_file] = meta
    return files


def store(conn, table: str, corpus_dir: Path, metadata_file: str) -> int:
    """Make the table hold exactly the folder's files, inside the caller's transaction; rows written."""
    from psycopg import sql

    ensure(conn, table)
    held = dict(conn.execute(sql.SQL("SELECT name, sha256 FROM {}").format(_table(table))).fetchall())
    files = local_files(corpus_dir, metadata_file)
    written = 0
    for name, path in sorted(files.items()):
        data = path.read_bytes()
        digest = _sha(data)
        if held.get(name) != digest:
            conn.execute(sql.SQL("INSERT INTO {} (name, sha256, data) VALUES (%s, %s, %s) ON CONFLICT (name) "
                                 "DO UPDATE SET sha256 = EXCLUDED.sha256, data = EXCLUDED.data").format(_table(table)),
                         (name, digest, data))
            written += 1
    gone = sorted(set(held) - set(files))
    if gone:
        conn.execute(sql.SQL("DELETE FROM {} WHERE name = ANY(%s)").format(_table(table)), (gone,))
    return written + len(gone)


def _read_marker(corpus_dir: Path) -> dict:
    try:
        return json.loads((corpus_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:6]}.partial")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def fetch(conn, table: str, corpus_dir: Path, version: str) -> bool:
    """Mirror the table into `corpus_dir` (caller's transaction); True when a file changed.

    Skipped when the folder already mirrors `version`. A file is deleted only when this
    replica fetched it before and it is unchanged since, so an operator's own files survive.
    """
    from psycopg import sql

    corpus_dir = Path(corpus_dir)
    marker = _read_marker(corpus_dir)
    if marker.get("version") == version:
        return False
    ensure(conn, table)
    held = dict(conn.execute(sql.SQL("SELECT name, sha256 FROM {}").format(_table(table))).fetchall())
    if not held:
        return False  # published before the corpus was stored: keep the folder as it is
    corpus_dir.mkdir(parents=True, exist_ok=True)
    changed = False
    for name, digest in sorted(held.items()):
        if Path(name).name != name or name.startswith("."):
            raise ValueError(f"refusing a corpus file name that is not a plain file name: {name!r}")
        path = corpus_dir / name
        if path.is_file() and _sha(path.read_bytes()) == digest:
            continue
        row = conn.execute(sql.SQL("SELECT data FROM {} WHERE name = %s").format(_table(table)), (name,)).fetchone()
        if row is None:
            continue  # deleted meanwhile: the next version says so
        _write_atomic(path, bytes(row[0]))
        changed = True
    for name, digest in marker.get("files", {}).items():
        path = corpus_dir / name
        if name not in held and path.is_file() and _sha(path.read_bytes()) == digest:
            path.unlink()
            changed = True
    _write_atomic(corpus_dir / MARKER, json.dumps({"version": version, "files": held}, ensure_ascii=False,
                                                  indent=1).encode("utf-8"))
    return changed


@contextlib.contextmanager
def writer_lock(dsn: str, table: str, timeout_s: float = 300.0):
    """Hold the one corpus/index writer lock of `table` across replicas (a session advisory lock).

    Polls with pg_try_advisory_lock so a wait has a clear deadline and error; the lock goes
    with the connection if the holder dies.
    """
    import psycopg

    conn = psycopg.connect(dsn, autocommit=True, connect_timeout=10, application_name="hpqa writer")
    key = f"{table}_writer"
    try:
        deadline = time.monotonic() + timeout_s
        while not conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (key,)).fetchone()[0]:
            if time.monotonic() > deadline:
                raise TimeoutError(f"another replica has been writing to {table!r} for over {timeout_s:.0f} s; "
                                   f"try again later")
            time.sleep(0.2)
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))
    finally:
        conn.close()
