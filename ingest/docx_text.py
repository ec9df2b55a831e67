"""Read the body of a Word .docx file as text, paragraphs and tables in order, with its headings.

The body XML is walked directly so tables stay where they are among the
paragraphs (content controls, <w:sdt>, are walked into). Each paragraph is one
block; a table is one block with one row per line and its cells separated by a
tab (newlines and tabs inside a cell become spaces, nested tables are flattened
into their cell); blocks are separated by a blank line. Empty paragraphs and
rows are left out. A paragraph styled as a heading ("Heading N", "标题 N",
"Title") is reported with its offset in the text and its level, so the
chunker can use Word's outline for the section path.

It does not read headers, footers, footnotes, comments, text boxes or images.
"""
from __future__ import annotations

import re
from io import BytesIO

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from ingest.errors import LoadError

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_TR, _TC = qn("w:tr"), qn("w:tc")
_CELL_BREAKS = re.compile(r"[\t\r\n]+")
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def heading_level(style_name: str | None) -> int | None:
    """The outline level of a paragraph style, or None for body text.

    >>> heading_level("Heading 2"), heading_level("标题 1"), heading_level("Title"), heading_level("Normal")
    (2, 1, 0, None)
    """
    name = (style_name or "").strip()
    if name.lower() == "title":
        return 0
    m = _HEADING_STYLE.match(name)
    return int(m.group(1)) if m else None


def docx_text(data: bytes, path: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Paragraphs and tables of the .docx in `data`, in body order, and (offset, level) of its headings."""
    try:
        document = docx.Document(BytesIO(data))
    except Exception as exc:  # BadZipFile, missing parts, wrong content type...
        raise LoadError(path, f"corrupt DOCX: cannot be opened as a Word document ({exc})") from None
    parts: list[str] = []
    headings: list[tuple[int, int]] = []
    offset = 0
    for text, level in _blocks(document.element.body, document):
        if not text.strip():
            continue
        if parts:
            offset += 2
        if level is not None:
            headings.append((offset + len(text) - len(text.lstrip()), level))
        parts.append(text)
        offset += len(text)
    return "\n\n".join(parts), tuple(headings)


def _blocks(container, document) -> list[tuple[str, int | None]]:
    blocks: list[tuple[str, int | None]] = []
    for element in container.iterchildren():
        if element.tag == _P:
            paragraph = Paragraph(element, document)
            blocks.append((paragraph.text, heading_level(paragraph.style.name if paragraph.style else None)))
        elif element.tag == _TBL:
            blocks.append((_table(element, document), None))
        elif element.tag == _SDT:
            for content in element.iterchildren(_SDT_CONTENT):
                blocks.extend(_blocks(content, document))
    return blocks


def _table(tbl, document) -> str:
    rows = []
    for tr in tbl.iter(_TR):
        if tr.getparent() is not tbl:  # a nested table's row: read with its cell
            continue
        cells = [_cell(tc, document) for tc in tr.iterchildren(_TC)]
        row = "\t".join(cells).rstrip("\t")
        if row.strip():
            rows.append(row)
    return "\n".join(rows)


def _cell(tc, document) -> str:
    # Each <w:tc> once, so a horizontally merged cell is not repeated per grid column.
    text = " ".join(Paragraph(p, document).text for p in tc.iter(_P))
    return _CELL_BREAKS.sub(" ", text).strip()
