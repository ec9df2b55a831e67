"""Benchmark: could the BM25 side move into PostgreSQL full-text search? Dev-set hit@5 with each.

The same jieba word tokens and character bigrams the BM25 indexes use are stored
as `tsvector`s (exact lexemes with positions, no parser in between) with GIN
indexes, and a query's tokens become an OR `tsquery` ranked by `ts_rank`. Three
Searchers are compared on eval/dev.jsonl (top 10, hit@5 as the eval runner
scores it), all with the same dense side:
    bm25s word + bm25s bigram          (what index/search.py does)
    Postgres FTS word + bm25s bigram
    Postgres FTS word + Postgres FTS bigram
Uses HPQA_PG_DSN when set, else a throwaway pgserver cluster.
    .venv/bin/python -m bench.pg_fts
"""
from __future__ import annotations

import os
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def tsvector_literal(tokens: list[str]) -> str:
    """A tsvector literal keeping every token whole, with its positions (so term frequency counts).

    >>> tsvector_literal(["家庭", "医生", "家庭", "it's"])
    "'家庭':1,3 '医生':2 'it''s':4"
    """
    positions: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(tokens, 1):
        positions[t].append(min(i, 16383))
    return " ".join(f"'{_quote(t)}':{','.join(map(str, p[:256]))}" for t, p in positions.items())


def tsquery_literal(tokens: list[str]) -> str:
    """Any of the tokens (OR), each quoted.

    >>> tsquery_literal(["签约", "率", "签约"])
    "'签约' | '率'"
    """
    return " | ".join(f"'{_quote(t)}'" for t in dict.fromkeys(tokens))


def _quote(t: str) -> str:
    return t.replace("\\", "\\\\").replace("'", "''")


class PgLexical:
    """`scores(query)` for every chunk position from a tsvector column: the BM25Index interface."""

    def __init__(self, conn, column: str, tokenizer, n: int):
        self.conn, self.column, self.tokenizer, self.n = conn, column, tokenizer, n
        self.ms: list[float] = []

    def scores(self, query: str) -> np.ndarray:
        out = np.zeros(self.n, dtype=np.float32)
        tokens = self.tokenizer.tokenize(query)
        if not tokens:
            return out
        q = tsquery_literal(tokens)
        t = time.perf_counter()
        rows = self.conn.execute(f"SELECT pos, ts_rank({self.column}, %s::tsquery) FROM bench_fts "
                                 f"WHERE {self.column} @@ %s::tsquery", (q, q)).fetchall()
        self.ms.append((time.perf_counter() - t) * 1000)
        for pos, rank in rows:
            out[pos] = rank
        return out


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import psycopg

    from bench.replicas import index_backend
    from eval.metrics import percentile, score_question
    from eval.run import read_questions
    from index.embed import make_embedder
    from index.search import Searcher
    from index.store import load_index
    from settings import Settings

    settings = Settings()
    settings = settings.model_copy(update={"embed_backend": index_backend(settings.index_dir)})
    from bench.common import postgres

    dsn, stop_pg = postgres()
    try:
        index = load_index(settings.index_dir)
        conn = psycopg.connect(dsn, autocommit=True)
        conn.execute("DROP TABLE IF EXISTS bench_fts")
        conn.execute("CREATE TABLE bench_fts (pos integer PRIMARY KEY, words tsvector, grams tsvector)")
        texts = [c.index_text() for c in index.chunks]
        t = time.perf_counter()
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO bench_fts VALUES (%s, %s::tsvector, %s::tsvector)",
                            [(i, tsvector_literal(index.bm25.tokenizer.tokenize(x)),
                              tsvector_literal(index.bm25_bigram.tokenizer.tokenize(x))) for i, x in enumerate(texts)])
        conn.execute("CREATE INDEX ON bench_fts USING gin (words)")
        conn.execute("CREATE INDEX ON bench_fts USING gin (grams)")
        conn.execute("ANALYZE bench_fts")
        print(f"{len(texts)} chunks tokenised and loaded into tsvector columns in {time.perf_counter() - t:.1f} s")
        words = PgLexical(conn, "words", index.bm25.tokenizer, len(texts))
        grams = PgLexical(conn, "grams", index.bm25_bigram.tokenizer, len(texts))
        embedder = make_embedder(settings)
        variants = {
            "bm25s word + bm25s bigram (current)": index,
            "Postgres FTS word + bm25s bigram": replace(index, bm25=words),
            "Postgres FTS word + Postgres FTS bigram": replace(index, bm25=words, bm25_bigram=grams),
        }
        questions = [q for q in read_questions(ROOT / "eval" / "dev.jsonl") if q.get("evidence")]
        for name, idx in variants.items():
            searcher = Searcher(idx, embedder)
            hits = []
            for q in questions:
                retrieved = [(h.chunk.doc, h.chunk.text) for h in searcher.search(q["question"], 10)]
                hits.append(score_question(q["evidence"], retrieved)["hit@5"])
            print(f"{name}: hit@5 {sum(hits) / len(hits):.4f} ({len(questions)} dev questions with evidence)")
        for label, lex in (("word", words), ("bigram", grams)):
            print(f"Postgres FTS {label} query latency: p50 {percentile(lex.ms, 50):.1f} ms, "
                  f"p95 {percentile(lex.ms, 95):.1f} ms ({len(lex.ms)} queries, {len(texts)} chunks)")
        conn.execute("DROP TABLE bench_fts")
        conn.close()
    finally:
        stop_pg()


if __name__ == "__main__":
    main()
