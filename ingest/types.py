"""Data passed between the ingest stages: a loaded Document and the Chunks cut from it.

Offsets (`start`, `end`) are character offsets into `Document.text`, which for
text formats (.txt, .md) is the file's decoded content verbatim (a UTF-8 BOM
dropped) and for the other formats the text the loader extracted (HTML visible
text, PDF text layer or OCR, DOCX paragraphs and tables).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Box:
    """Where `text[start:end]` (one printed line or table row) sits on its page.

    `page` counts from 1; x0, y0, x1, y1 are fractions of the page's width and
    height, measured from its top-left corner. `conf` is the OCR engine's
    confidence (0..1) for OCR'd text, None for a text layer.
    """

    start: int
    end: int
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float | None = None


@dataclass(frozen=True)
class Document:
    """One source file as read by a loader.

    `doc` is the file name in the corpus folder: the name outside tools use.
    `pages` holds the offset in `text` where each page starts (PDF and images),
    so a span can be mapped back to its page number; `boxes` place the text on
    the page images (PDF and images); `headings` are (offset, level) of the
    paragraphs a Word file styles as headings; `ocr_pages` counts the pages
    whose text came from OCR.
    """

    doc: str
    text: str
    format: str
    sha256: str
    pages: tuple[int, ...] = ()
    boxes: tuple[Box, ...] = ()
    headings: tuple[tuple[int, int], ...] = ()
    ocr_pages: int = 0


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of a document.

    `text` is the cleaned source text of `[start, end)`; `section` is the heading
    path above it and `context` extra indexed text (a table's title and column
    header) kept apart from `text` so citations quote only the source.
    """

    id: str
    doc: str
    start: int
    end: int
    text: str
    section: tuple[str, ...] = ()
    context: str = ""
    kind: str = "text"  # "text" | "table"
    page: int | None = None  # the page the chunk starts on (PDF and images), from 1
    ocr_confidence: float | None = None  # mean OCR confidence of its lines; None when not OCR'd

    def index_text(self) -> str:
        """The text that is embedded and BM25-indexed: section path, context, text."""
        head = " > ".join(self.section)
        parts = [p for p in (head, self.context, self.text) if p]
        return "\n".join(parts)


@dataclass(frozen=True)
class Skipped:
    """A file the loader refused, with the reason shown to the user."""

    path: str
    reason: str


@dataclass
class LoadResult:
    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
