"""Render a seed document as a Word file: heading styles, paragraphs, a real table.

Headings get Word's "Heading N" styles by their outline level, a table (表1 …)
becomes a ruled Word table, and the running header goes into the page header
(which the loader does not read, as in real files).
"""
from __future__ import annotations

from io import BytesIO

import docx

from ingest.clean import Block
from tools.testcorpus.render_pdf import split_row


def render_docx(blocks: list[Block], running_header: str) -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = running_header
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "table_header":
            j = i + 1
            while j < len(blocks) and blocks[j].kind == "table_row" and blocks[j].table == b.table:
                j += 1
            columns = len(b.text.split())
            table = document.add_table(rows=0, cols=columns)
            table.style = "Table Grid"
            for row_block in blocks[i:j]:
                cells = table.add_row().cells
                for cell, value in zip(cells, split_row(row_block.text, columns)):
                    cell.text = value
            i = j
            continue
        if b.kind == "heading":
            document.add_heading(b.text, level=min(max(b.level or 1, 1), 4))
        else:
            document.add_paragraph(b.text)
        i += 1
    out = BytesIO()
    document.save(out)
    return out.getvalue()
