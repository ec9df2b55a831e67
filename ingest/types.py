"""Data passed between the ingest stages: a loaded Document and the Chunks cut from it.

Offsets (`start`, `end`) are character offsets into `Document.text`, which for
text formats (.txt, .md) is the file's decoded content verbatim (a UTF-8 BOM
dropped) and for the other formats the text the loader extracted (HTML visible
text, PDF text layer, DOCX paragraphs and tables).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One source file as read by a loader.

    `doc` is the file name in the corpus folder: the name outside tools use.
    `pages` holds the offset in `text` where each page starts (PDF only), so a
    span can be mapped back to its page number.
    """

    doc: str
    text: str
    format: str
    sha256: str
    pages: tuple[int, ...] = ()


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
    page: int | None = None

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
