"""Read the body of a Word .docx file as text, paragraphs and tables in order.

The body XML is walked directly so tables stay where they are among the
paragraphs (content controls, <w:sdt>, are walked into). Each paragraph is one
block; a table is one block with one row per line and its cells separated by a
tab (newlines and tabs inside a cell become spaces, nested tables are flattened
into their cell); blocks are separated by a blank line. Empty paragraphs and
rows are left out.

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


def docx_text(data: bytes, path: str) -> str:
    """Paragraphs and tables of the .docx in `data`, in body order."""
    try:
        document = docx.Document(BytesIO(data))
    except Exception as exc:  # BadZipFile, missing parts, wrong content type...
        raise LoadError(path, f"corrupt DOCX: cannot be opened as a Word document ({exc})") from None
    blocks = _blocks(document.element.body, document)
    return "\n\n".join(block for block in blocks if block.strip())


def _blocks(container, document) -> list[str]:
    blocks: list[str] = []
    for element in container.iterchildren():
        if element.tag == _P:
            blocks.append(Paragraph(element, document).text)
        elif element.tag == _TBL:
            blocks.append(_table(element, document))
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
