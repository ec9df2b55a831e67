"""Sentences of the indexed documents, read from the index's chunks.jsonl and manifest.

Chunk text is source text with whitespace tidied, split at sentence ends, so a
sentence never straddles two chunks (except one longer than the chunk limit,
which is rare and then read as two). Table chunks give one row per line.
Reads files only; no model, no FAISS.
"""
from __future__ import annotations

import re
from pathlib import Path

from commitments.types import Sentence
from index.store import IndexMissing, current_version, read_chunks, read_manifest

_END = re.compile(r"[^。！？!?]*[。！？!?][”’」』）)]*|[^。！？!?]+$")


def split_sentences(text: str) -> list[str]:
    """Sentences of one line of chunk text (a semicolon does not end one here).

    >>> split_sentences("甲，乙；丙。丁！戊")
    ['甲，乙；丙。', '丁！', '戊']
    """
    return [s.strip() for s in _END.findall(text) if s.strip()]


def index_version(index_dir: Path) -> str:
    """The live version folder's name: the cache key of everything derived from the index."""
    folder = current_version(Path(index_dir))
    if folder is None:
        raise IndexMissing(f"no index at {index_dir}: build it with `python -m ingest --index {index_dir}`")
    return folder.name


def read_sentences(index_dir: Path) -> tuple[list[Sentence], dict[str, dict]]:
    """(every sentence and table row of the live index, document metadata by file name)."""
    folder = current_version(Path(index_dir))
    manifest = read_manifest(Path(index_dir))
    if folder is None or manifest is None:
        raise IndexMissing(f"no index at {index_dir}: build it with `python -m ingest --index {index_dir}`")
    meta = {doc: v.get("meta", {}) for doc, v in manifest["documents"].items()}
    out: list[Sentence] = []
    for chunk in read_chunks(folder):
        m = meta.get(chunk.doc, {})
        period = tuple(m["period"]) if m.get("period") else None
        common = dict(doc=chunk.doc, chunk_start=chunk.start, chunk_end=chunk.end, section=tuple(chunk.section),
                      district=m.get("district"), doc_type=m.get("doc_type") or "other", period=period,
                      published=m.get("published"))
        context_lines = set(chunk.context.split("\n")) if chunk.context else set()
        previous = ""
        for line in chunk.text.split("\n"):
            line = line.strip()
            if not line or line in context_lines:
                continue
            if chunk.kind == "table":
                out.append(Sentence(text=line, kind="table", context=chunk.context, **common))
                continue
            for s in split_sentences(line):
                out.append(Sentence(text=s, previous=previous, **common))
                previous = s
    return out, meta
