"""PostgreSQL + pgvector behind the vector-store protocol (index/vector_store.py).

One table per embedding model holds `id, doc, key, district, district_en,
year_from, year_to, doc_type, embedding vector(dim)` with an HNSW index
(`vector_cosine_ops`) and B-tree indexes on the filter columns. The table
`hpqa_vector_tables` records, per table, the model (name, checksum, dim) and the
index version last synced: opening a table with another model is refused
(IndexMismatch), which is the manifest's model check applied per table.

The SQL stays within pgvector 0.6 (`vector`, `hnsw`, `<=>`, `vector_cosine_ops`,
`hnsw.ef_search`), so it runs on any newer server. A filtered query is answered
exactly (B-tree narrowing, then distance sort): pgvector 0.6's HNSW filters
after the graph walk and can return fewer than k rows. Writes run in one
transaction under an advisory lock, so concurrent readers see the old or the new
content, never half.
"""
from __future__ import annotations

import json
import os
import re
import threading
from typing import TYPE_CHECKING, Sequence

import numpy as np

from index.store import IndexMismatch, IndexMissing
from index.vector_store import VectorMatch, VectorRecord, VectorStoreError

if TYPE_CHECKING:
    from index.search import Filters

TABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")
COLUMNS = ("id", "doc", "key", "district", "district_en", "year_from", "year_to", "doc_type")
MAX_EF_SEARCH = 1000  # pgvector's upper bound for hnsw.ef_search


def _redact(dsn: str) -> str:
    """The DSN without its password, for messages.

    >>> _redact("postgresql://app:s3cret@db:5432/hpqa")
    'postgresql://app:***@db:5432/hpqa'
    >>> _redact("host=db password=s3cret dbname=hpqa")
    'host=db password=*** dbname=hpqa'
    """
    dsn = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", dsn)
    return re.sub(r"(password\s*=\s*)\S+", r"\1***", dsn)


class PgVectorStore:
    """A pgvector table; one connection per thread, opened on first use."""

    def __init__(self, dsn: str, table: str, model: dict, *, ef_search: int = 128, hnsw_m: int = 16,
                 ef_construction: int = 64, connect_timeout: int = 10):
        if not dsn:
            raise ValueError("vector_store is pgvector but pg_dsn is empty: set HPQA_PG_DSN, "
                             "e.g. postgresql://user:password@host:5432/dbname")
        if not TABLE_NAME.match(table):
            raise ValueError(f"pg_table {table!r} is not allowed: use lower-case letters, digits and _ (at most 41)")
        self.dsn, self.table, self.model = dsn, table, dict(model)
        self.ef_search, self.hnsw_m, self.ef_construction = ef_search, hnsw_m, ef_construction
        self.connect_timeout = connect_timeout
        self._local = threading.local()
        self._check_model()

    # -- connections -------------------------------------------------------------------------
    def _conn(self):
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            import psycopg
            from pgvector.psycopg import register_vector

            try:
                conn = psycopg.connect(self.dsn, autocommit=True, connect_timeout=self.connect_timeout,
                                       application_name=f"hpqa pid {os.getpid()}")  # pg_stat_activity: which replica
            except psycopg.OperationalError as e:
                raise VectorStoreError(f"cannot connect to PostgreSQL at {_redact(self.dsn)}: {e}".strip()) from e
            if conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone() is None:
                try:
                    conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
                except psycopg.Error:
                    pass  # this role may not create it: register_vector fails next and says what to run
            try:
                register_vector(conn)
            except psycopg.ProgrammingError as e:  # the type `vector` is unknown: extension not created
                conn.close()
                raise VectorStoreError(
                    f"the pgvector extension is not installed in {_redact(self.dsn)}: run `CREATE EXTENSION vector;` "
                    "as a privileged user (see docs/scale_out.md)") from e
            self._local.conn, self._local.ef = conn, None
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _ident(self, suffix: str = ""):
        from psycopg import sql

        return sql.Identifier(self.table + suffix)

    # -- model check ---------------------------------------------------------------------------
    def _registry_row(self, conn) -> tuple | None:
        exists = conn.execute("SELECT to_regclass('hpqa_vector_tables') IS NOT NULL").fetchone()[0]
        if not exists:
            return None
        return conn.execute("SELECT model, dim, version FROM hpqa_vector_tables WHERE name = %s",
                            (self.table,)).fetchone()

    def _check_model(self) -> None:
        row = self._registry_row(self._conn())
        if row is not None and row[0] != self.model:
            raise IndexMismatch(
                f"table {self.table} in {_redact(self.dsn)} holds vectors of embedding model {row[0]}, but the settings "
                f"ask for {self.model}: ingest into a new table (HPQA_PG_TABLE=...; `python -m ingest --rebuild`) "
                "and switch over, see docs/scale_out.md")

    def version(self) -> str | None:
        """The index version last synced into the table (None: never synced)."""
        row = self._registry_row(self._conn())
        return row[2] if row else None

    def count(self) -> int:
        from psycopg import sql

        if self._registry_row(self._conn()) is None:
            return 0
        return self._conn().execute(sql.SQL("SELECT count(*) FROM {}").format(self._ident())).fetchone()[0]

    # -- search -----------------------------------------------------------------------------
    def search(self, query: np.ndarray, k: int, filters: "Filters | None" = None) -> list[VectorMatch]:
        from psycopg import sql

        if k <= 0:
            return []
        conn = self._conn()
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        where, args = self._where(filters)
        stmt = sql.SQL("SELECT id, 1 - (embedding <=> %s) FROM {} {} ORDER BY embedding <=> %s LIMIT %s").format(
            self._ident(), sql.SQL(where))
        try:
            if where:  # exact: HNSW in pgvector 0.6 filters after the walk and may return fewer than k
                with conn.transaction():
                    conn.execute("SELECT set_config('enable_indexscan', 'off', true)")
                    rows = conn.execute(stmt, (q, *args, q, k)).fetchall()
            else:
                ef = min(MAX_EF_SEARCH, max(self.ef_search, k))
                if self._local.ef != ef:
                    conn.execute("SELECT set_config('hnsw.ef_search', %s, false)", (str(ef),))
                    self._local.ef = ef
                rows = conn.execute(stmt, (q, q, k)).fetchall()
        except Exception as e:
            import psycopg

            if isinstance(e, psycopg.errors.UndefinedTable):
                raise IndexMissing(f"no table {self.table} in {_redact(self.dsn)}: ingest with "
                                   "HPQA_VECTOR_STORE=pgvector `python -m ingest`") from e
            if isinstance(e, psycopg.OperationalError):
                self.close()
                raise VectorStoreError(f"PostgreSQL at {_redact(self.dsn)} failed during a search: {e}") from e
            raise
        return [VectorMatch(i, float(s)) for i, s in rows]

    @staticmethod
    def _where(f: "Filters | None") -> tuple[str, tuple]:
        """The WHERE clause (same semantics as index.vector_store.record_matches) and its arguments.

        >>> from index.search import Filters
        >>> PgVectorStore._where(Filters(district="金山", year=2024))
        ('WHERE (strpos(district, %s) > 0 OR lower(district_en) = lower(%s)) AND year_from <= %s AND year_to >= %s', ('金山', '金山', 2024, 2024))
        """
        parts, args = [], []
        if f is not None and f.district:
            parts.append("(strpos(district, %s) > 0 OR lower(district_en) = lower(%s))")
            args += [f.district, f.district]
        if f is not None and f.year is not None:
            parts.append("year_from <= %s AND year_to >= %s")
            args += [f.year, f.year]
        if f is not None and f.doc_type:
            parts.append("doc_type = %s")
            args.append(f.doc_type)
        return ("WHERE " + " AND ".join(parts) if parts else ""), tuple(args)

    # -- writes -----------------------------------------------------------------------------
    def _create(self, conn, dim: int) -> None:
        from psycopg import sql

        conn.execute("""CREATE TABLE IF NOT EXISTS hpqa_vector_tables (
            name text PRIMARY KEY, model jsonb NOT NULL, dim integer NOT NULL,
            version text, updated timestamptz NOT NULL DEFAULT now())""")
        conn.execute(sql.SQL("""CREATE TABLE IF NOT EXISTS {} (
            id text PRIMARY KEY, doc text NOT NULL, key text NOT NULL DEFAULT '',
            district text NOT NULL DEFAULT '', district_en text NOT NULL DEFAULT '',
            year_from integer, year_to integer, doc_type text NOT NULL DEFAULT '',
            embedding vector({}) NOT NULL)""").format(self._ident(), sql.Literal(dim)))
        for suffix, cols in (("_doc", "doc"), ("_district", "district"), ("_years", "year_from, year_to"),
                             ("_type", "doc_type")):
            conn.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({})").format(
                self._ident(suffix), self._ident(), sql.SQL(cols)))
        conn.execute("INSERT INTO hpqa_vector_tables (name, model, dim) VALUES (%s, %s, %s) ON CONFLICT (name) DO NOTHING",
                     (self.table, json.dumps(self.model), dim))

    def _create_hnsw(self, conn) -> None:
        from psycopg import sql

        conn.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} USING hnsw (embedding vector_cosine_ops) "
                             "WITH (m = {}, ef_construction = {})").format(
            self._ident("_hnsw"), self._ident(), sql.Literal(self.hnsw_m), sql.Literal(self.ef_construction)))

    def sync(self, records: Sequence[VectorRecord], vectors: np.ndarray, version: str = "") -> None:
        """Delete rows not in `records` or whose key/metadata changed, copy in the new ones.

        Into an empty table the rows are copied first and the HNSW index built after
        (much faster than growing the graph row by row).
        """
        from psycopg import sql

        vectors = np.asarray(vectors, dtype=np.float32)
        if len(records) != len(vectors):
            raise ValueError(f"{len(records)} records but {len(vectors)} vectors")
        dim = int(self.model.get("dim") or (vectors.shape[1] if len(vectors) else 0))
        if len(vectors) and vectors.shape[1] != dim:
            raise IndexMismatch(f"vectors of dimension {vectors.shape[1]} given to table {self.table} of model {self.model}")
        conn = self._conn()
        t = self._ident()
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.table,))
            self._create(conn, dim)
            row = conn.execute("SELECT model FROM hpqa_vector_tables WHERE name = %s", (self.table,)).fetchone()
            if row[0] != self.model:
                raise IndexMismatch(f"table {self.table} holds vectors of embedding model {row[0]}, not {self.model}")
            existing = {r[0]: r for r in conn.execute(sql.SQL("SELECT {} FROM {}").format(
                sql.SQL(", ").join(map(sql.Identifier, COLUMNS)), t))}
            wanted = {r.id: i for i, r in enumerate(records)}
            stale = [i for i, r in existing.items()
                     if i not in wanted or tuple(_row(records[wanted[i]])) != tuple(r)]
            if stale:
                conn.execute(sql.SQL("DELETE FROM {} WHERE id = ANY(%s)").format(t), (stale,))
            stale_set = set(stale)
            new = [i for r_id, i in wanted.items() if r_id not in existing or r_id in stale_set]
            bulk = not existing or len(new) > len(existing)
            if bulk:
                conn.execute(sql.SQL("DROP INDEX IF EXISTS {}").format(self._ident("_hnsw")))
            if new:
                cols = sql.SQL(", ").join(map(sql.Identifier, (*COLUMNS, "embedding")))
                with conn.cursor().copy(sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT BINARY)").format(t, cols)) as cp:
                    cp.set_types(["text", "text", "text", "text", "text", "int4", "int4", "text", "vector"])
                    for i in new:
                        cp.write_row((*_row(records[i]), vectors[i]))
            if bulk:
                conn.execute("SELECT set_config('maintenance_work_mem', '512MB', true)")
            self._create_hnsw(conn)
            conn.execute("UPDATE hpqa_vector_tables SET version = %s, dim = %s, updated = now() WHERE name = %s",
                         (version, dim, self.table))

    def drop(self) -> None:
        """Drop the table and its registry row (tests, and retiring an old model's table)."""
        from psycopg import sql

        conn = self._conn()
        with conn.transaction():
            conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(self._ident()))
            if self._registry_row(conn) is not None:
                conn.execute("DELETE FROM hpqa_vector_tables WHERE name = %s", (self.table,))


def _row(r: VectorRecord) -> tuple:
    return (r.id, r.doc, r.key, r.district, r.district_en, r.year_from, r.year_to, r.doc_type)
