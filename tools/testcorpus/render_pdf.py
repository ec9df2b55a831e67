"""Render a seed document into a text-layer PDF as a district office would publish it.

The seed's cleaned blocks (ingest.clean) are laid out on A4 pages with a CJK
font: headings larger, paragraphs wrapped at the page width, a table (表1 …)
as a real ruled table whose header row repeats after a page break, a running
header line at the top of every page and "- N -" at its foot.
It does not try to imitate any particular office's template.
"""
from __future__ import annotations

import re
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

from ingest.clean import Block, clean

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FALLBACK_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # "•" and other signs wqy lacks
BODY_PT, HEADING_PT, HEADER_PT = 12, 14, 9


def seed_blocks(text: str) -> list[Block]:
    """The blocks the chunker sees for the seed text: what every rendering carries."""
    return clean(text).blocks


def split_row(row: str, columns: int) -> list[str]:
    """Split a table row printed with spaces into `columns` cells.

    The first cell is the running number and the last the attribute; the name
    ends at its closing bracket, so "5 岁以下儿童…（‰）" keeps its inner space.

    >>> split_row("3 5 岁以下儿童死亡率（‰） 优于全市平均水平 预期性", 4)
    ['3', '5 岁以下儿童死亡率（‰）', '优于全市平均水平', '预期性']
    >>> split_row("12 院前急救平均反应时间（分钟） 稳定在 12 分钟以内 约束性", 4)
    ['12', '院前急救平均反应时间（分钟）', '稳定在 12 分钟以内', '约束性']
    """
    parts = row.split()
    if len(parts) <= columns:
        return parts + [""] * (columns - len(parts))
    first, last, middle = parts[0], parts[-1], " ".join(parts[1:-1])
    if columns == 4:
        m = re.match(r"^(.*?[）)])\s+(.*)$", middle)
        if m:
            return [first, m.group(1), m.group(2), last]
    cells = [first] + parts[1:columns - 1]
    cells[-1] = " ".join(parts[columns - 2:-1])
    return cells + [last]


class _Paper(FPDF):
    def __init__(self, running_header: str):
        super().__init__(format="A4")
        self.running_header = running_header
        self.add_font("cjk", fname=str(CJK_FONT))
        if FALLBACK_FONT.exists():
            self.add_font("sign", fname=str(FALLBACK_FONT))
            self.set_fallback_fonts(["sign"], exact_match=False)
        self.set_margins(25, 22, 25)
        self.set_auto_page_break(True, margin=22)

    def header(self) -> None:
        self.set_font("cjk", size=HEADER_PT)
        self.set_y(10)
        self.cell(0, 5, self.running_header, align="C")
        self.line(25, 16, self.w - 25, 16)
        self.set_y(22)

    def footer(self) -> None:
        self.set_font("cjk", size=HEADER_PT + 1)
        self.set_y(-15)
        self.cell(0, 5, f"- {self.page_no()} -", align="C")


def render_pdf(blocks: list[Block], running_header: str) -> bytes:
    """A text-layer PDF of `blocks`; see the module docstring."""
    pdf = _Paper(running_header)
    pdf.add_page()
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "table_header":
            j = i + 1
            while j < len(blocks) and blocks[j].kind == "table_row" and blocks[j].table == b.table:
                j += 1
            _table(pdf, b, blocks[i + 1:j])
            i = j
            continue
        if b.kind in ("heading", "table_title"):
            pdf.set_font("cjk", size=HEADING_PT)
            pdf.ln(2)
            pdf.multi_cell(0, 8, b.text, wrapmode=WrapMode.CHAR, align="C" if b.kind == "table_title" else "L")
            pdf.ln(1)
        else:
            pdf.set_font("cjk", size=BODY_PT)
            pdf.multi_cell(0, 7, b.text, wrapmode=WrapMode.CHAR, align="L")
            pdf.ln(2)
        i += 1
    return bytes(pdf.output())


def _table(pdf: FPDF, header: Block, rows: list[Block]) -> None:
    columns = len(header.text.split())
    widths = (12, 70, 50, 28)[:columns] if columns == 4 else None
    pdf.set_font("cjk", size=BODY_PT - 1)
    with pdf.table(col_widths=widths, line_height=7, repeat_headings=1, wrapmode=WrapMode.CHAR,
                   first_row_as_headings=True,
                   headings_style=FontFace(emphasis=None, fill_color=(225, 225, 225))) as table:
        for block in [header] + rows:
            row = table.row()
            for cell in split_row(block.text, columns):
                row.cell(cell)
    pdf.ln(3)
