"""From a loaded Document to what the chunker sees and to its chunks.

`document_blocks` cleans the text (clean.py) and then uses what the loader
knows beyond the text: a Word file's heading styles become headings with
their outline level. `chunk_document` chunks those blocks with the page of
each chunk and, for OCR'd text, the mean OCR confidence of the lines under it.
`extracted_text` is the clean text, one block per line: what
`python -m ingest --extract FILE` prints.
Pure: Document in, blocks / chunks / text out.
"""
from __future__ import annotations

from dataclasses import replace

from ingest.chunk import chunk_blocks
from ingest.clean import MAX_HEADING_CHARS, Block, clean
from ingest.types import Chunk, Document


def document_blocks(doc: Document) -> list[Block]:
    """Cleaned blocks of `doc`, with Word headings marked as headings.

    >>> d = Document("a.docx", "总体要求\\n\\n全面提升服务能力。", "docx", "", headings=((0, 1),))
    >>> [(b.kind, b.level, b.text) for b in document_blocks(d)]
    [('heading', 1, '总体要求'), ('para', None, '全面提升服务能力。')]
    """
    blocks = clean(doc.text).blocks
    if not doc.headings:
        return blocks
    levels = dict(doc.headings)
    out = []
    for b in blocks:
        level = levels.get(b.span.start)
        if level is not None and b.kind in ("para", "heading") and len(b.text) <= 2 * MAX_HEADING_CHARS:
            b = Block("heading", b.span, level=level, title=b.text)
        out.append(b)
    return out


def chunk_document(doc: Document, **params) -> list[Chunk]:
    """The chunks of `doc`, each with its page and OCR confidence; `params` are chunk_blocks's
    (chunk_size, chunk_max, table_rows_max: settings.chunker_params())."""
    chunks = chunk_blocks(document_blocks(doc), doc.doc, pages=doc.pages, **params)
    if not doc.ocr_pages:
        return chunks
    return [replace(c, ocr_confidence=ocr_confidence(doc, c.start, c.end)) for c in chunks]


def ocr_confidence(doc: Document, start: int, end: int) -> float | None:
    """Mean OCR confidence of the lines overlapping `[start, end)`, weighted by overlap; None if none was OCR'd."""
    total = weight = 0.0
    for b in doc.boxes:
        overlap = min(end, b.end) - max(start, b.start)
        if overlap > 0 and b.conf is not None:
            total += b.conf * overlap
            weight += overlap
    return round(total / weight, 4) if weight else None


def extracted_text(doc: Document) -> str:
    """The clean text the chunker sees, one block (heading, paragraph, table row) per line."""
    return "\n".join(b.text for b in document_blocks(doc))
