"""Cut cleaned blocks into chunks that follow the document's structure.

- A chunk never crosses a heading; it carries the heading path above it
  (`section`), and its text starts with the heading lines it follows.
- Text is split at sentence ends (。！？；) and packed up to `chunk_size`
  characters; a lead sentence ending in "：" keeps the list after it (up to
  `chunk_max`); a sentence longer than `chunk_max` is cut at a comma.
- Table rows are packed in groups of at most `table_rows_max` rows; every
  group carries the table title and column header in `context`.
Pure: blocks in, chunks out.
"""
from __future__ import annotations

import bisect
import hashlib
import re

from ingest.clean import Block
from ingest.lines import CLOSERS, TERMINAL, Span
from ingest.types import Chunk

_SENTENCE_END = re.compile(rf"[{TERMINAL}][{CLOSERS}]*")


def split_sentences(span: Span) -> list[Span]:
    """Split at sentence ends, keeping closing quotes with their sentence.

    >>> [s.text for s in split_sentences(Span("甲。”乙；丙", tuple(range(6))))]
    ['甲。”', '乙；', '丙']
    """
    out, i = [], 0
    for m in _SENTENCE_END.finditer(span.text):
        out.append(span.slice(i, m.end()))
        i = m.end()
    if i < len(span.text):
        out.append(span.slice(i, len(span.text)))
    return [s for s in out if s.text.strip()]


def cut_long(span: Span, limit: int) -> list[Span]:
    """Cut a sentence longer than `limit` at the last comma before it (or hard)."""
    out = []
    while len(span.text) > limit:
        k = max(span.text.rfind(c, 0, limit) for c in "，,、")
        k = k + 1 if k > limit // 3 else limit
        out.append(span.slice(0, k))
        span = span.slice(k, len(span.text))
    return out + [span] if span.text else out


def _chunk_id(doc: str, text: str, seen: dict[str, int]) -> str:
    h = hashlib.sha256(f"{doc}\n{text}".encode()).hexdigest()[:20]
    seen[h] = seen.get(h, 0) + 1
    return h if seen[h] == 1 else f"{h}-{seen[h]}"


class _Packer:
    """Accumulates units for the chunk being built."""

    def __init__(self, doc: str, pages: tuple[int, ...], seen: dict[str, int]):
        self.doc, self.pages, self.seen = doc, pages, seen
        self.units: list[Span] = []
        self.chunks: list[Chunk] = []

    @property
    def size(self) -> int:
        return sum(len(u.text) for u in self.units) + max(0, len(self.units) - 1)

    def flush(self, section: tuple[str, ...], context: str = "", kind: str = "text") -> None:
        if not self.units:
            return
        text = "\n".join(u.text for u in self.units)
        start, end = self.units[0].start, self.units[-1].end
        page = bisect.bisect_right(self.pages, start) if self.pages else None
        self.chunks.append(Chunk(_chunk_id(self.doc, text, self.seen), self.doc, start, end, text,
                                 section, context, kind, page))
        self.units = []


def chunk_blocks(blocks: list[Block], doc: str, *, chunk_size: int, chunk_max: int, table_rows_max: int,
                 pages: tuple[int, ...] = ()) -> list[Chunk]:
    """Chunks for one document's blocks; see the module docstring."""
    path: dict[int, str] = {}
    pending: list[Span] = []  # heading lines waiting for the next chunk
    table_ctx: dict[int, list[Span]] = {}
    pk = _Packer(doc, pages, {})
    rows = 0  # table rows in the chunk being built
    section = lambda: tuple(path[k] for k in sorted(path))  # noqa: E731

    def set_path(level: int, title: str) -> None:
        for k in [k for k in path if k >= level]:
            del path[k]
        path[level] = title

    for i, b in enumerate(blocks):
        if b.kind == "heading":
            pk.flush(section())
            set_path(b.level, b.title)
            pending.append(b.span)
        elif b.kind in ("table_title", "table_header"):
            pk.flush(section())
            if b.level is not None:  # "附录2：主要指标说明" is a heading too
                set_path(b.level, b.title)
            table_ctx.setdefault(b.table, []).append(b.span)
            pending.append(b.span)
        elif b.kind == "table_row":
            context = "\n".join(s.text for s in table_ctx.get(b.table, []))
            if pk.units and (rows >= table_rows_max or pk.size + len(b.text) > chunk_max):
                pk.flush(section(), context, "table")
                rows = 0
            pk.units += pending
            pending = []
            pk.units.append(b.span)
            rows += 1
            if i + 1 >= len(blocks) or blocks[i + 1].kind != "table_row":
                pk.flush(section(), context, "table")
                rows = 0
        else:  # para
            after_lead = bool(pk.units) and pk.units[-1].text.endswith(("：", ":"))
            if b.level is not None and b.title and not after_lead:  # an item of a list stays with its lead
                pk.flush(section())
                set_path(b.level, b.title)
            units = [u for s in split_sentences(b.span) for u in cut_long(s, chunk_max)]
            same_block = False  # does pk.units[-1] hold the previous sentence of this paragraph?
            for n, u in enumerate(units):
                glued = bool(pk.units) and pk.units[-1].text.endswith(("：", ":"))
                short_tail = n == len(units) - 1 and len(u.text) <= chunk_size // 5  # keep a paragraph's last clause
                limit = chunk_max if glued or short_tail else chunk_size
                if pk.units and pk.size + len(u.text) > limit:
                    pk.flush(section())
                    same_block = False
                if pending:
                    pk.units += pending
                    pending = []
                if same_block:
                    pk.units[-1] = pk.units[-1] + u
                else:
                    pk.units.append(u)
                same_block = True
    pk.units += pending
    pk.flush(section())
    return pk.chunks

