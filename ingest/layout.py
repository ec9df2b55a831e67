"""Turn positioned lines (from a PDF text layer or OCR) into page text with boxes.

A page arrives as printed lines, each with its box on the page. This module
drops the page furniture (running headers and footers, page numbers: lines in
the top or bottom band that repeat on most pages or look like "- 3 -"), then
joins the lines of a paragraph that the page width broke (a full line running
on into the next one, as the eye reads it) and returns the page's text with a
Box per output line, so every character can be traced to where it is printed.
Pure functions; no PDF or OCR library here.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from ingest.lines import BARE_NUMBER, CLOSERS, PAGE_NUMBER, TERMINAL, display_width, ends_sentence, heading_level
from ingest.types import Box

TOP_BAND, BOTTOM_BAND = 0.09, 0.91
PAGE_SEPARATOR = "\n\n"
ORPHANS = TERMINAL + CLOSERS + "，、：:,."


@dataclass(frozen=True)
class TextLine:
    """One printed line: box in page fractions (top-left origin); a table row has `cells`."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float | None = None
    cells: bool = False

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def _furniture_key(text: str) -> str:
    """A line's text with digits folded, so "第 3 页" and "第 4 页" repeat as one."""
    return re.sub(r"\d+", "#", "".join(text.split()))


def is_page_number(text: str) -> bool:
    """Is this line a page number?

    >>> is_page_number("- 12 -"), is_page_number("第3页"), is_page_number("2020年")
    (True, True, False)
    """
    s = " ".join(text.split())
    return bool(PAGE_NUMBER.match(s) or BARE_NUMBER.match(s) or re.match(r"^第\s*\d{1,4}\s*页", s))


def drop_furniture(pages: list[list[TextLine]]) -> list[list[TextLine]]:
    """Pages without running headers/footers and page numbers.

    A line counts as furniture when it lies in the top or bottom band and is a
    page number, or its text (digits folded) recurs in that band on at least
    half of the pages (and on two or more).

    >>> head = lambda t, y: TextLine(t, 0.3, y, 0.7, y + 0.02)
    >>> pages = [[head("区卫健委", 0.03), head(f"正文{i}", 0.5), head(f"- {i} -", 0.95)] for i in (1, 2)]
    >>> [[l.text for l in p] for p in drop_furniture(pages)]
    [['正文1'], ['正文2']]
    """
    def band(line: TextLine) -> str | None:
        if line.y1 <= TOP_BAND:
            return "top"
        if line.y0 >= BOTTOM_BAND:
            return "bottom"
        return None

    seen: dict[tuple[str, str], set[int]] = {}
    for n, lines in enumerate(pages):
        for line in lines:
            where = band(line)
            if where:
                seen.setdefault((where, _furniture_key(line.text)), set()).add(n)
    need = max(2, (len(pages) + 1) // 2)
    repeated = {key for key, on in seen.items() if len(on) >= need}
    out = []
    for lines in pages:
        kept = []
        for line in lines:
            where = band(line)
            if where and (is_page_number(line.text) or (where, _furniture_key(line.text)) in repeated):
                continue
            kept.append(line)
        out.append(kept)
    return out


def _joins(prev: TextLine, nxt: TextLine, left: float, right: float, pitch: float, char_w: float) -> bool:
    """Does `prev` run on into `nxt`? Both plain lines, `prev` filled to the right
    edge, `nxt` not indented, and no wider gap than between lines of a paragraph."""
    if prev.cells or nxt.cells:
        return False
    if ends_sentence(prev.text.strip()) and heading_level(nxt.text.strip()) is not None:
        return False  # "…提升。" then "6.卫生健康…": a new numbered item
    full = prev.x1 >= right - 2.2 * char_w
    flush = nxt.x0 <= left + 0.8 * char_w
    close = nxt.y0 - prev.y0 <= 1.2 * pitch if pitch else True
    return full and flush and close


def glue(a: str, b: str) -> str:
    """What goes between two joined lines: a space only between ASCII words, never
    inside a number that the line width broke.

    >>> glue("in", "2020"), glue("比2015年的6", "9.30"), glue("卫生", "健康")
    (' ', '', '')
    """
    if not (a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum()):
        return ""
    return "" if a[-1].isdigit() and b[0].isdigit() else " "


def join_wrapped(text: str) -> str:
    """A table cell's wrapped lines as one line.

    >>> join_wrapped("精神科医师数（人/10 万\\n人口）")
    '精神科医师数（人/10 万人口）'
"""
    out = ""
    for piece in (" ".join(p.split()) for p in text.splitlines()):
        if piece:
            out = out + glue(out, piece) + piece if out else piece
    return out


def _orphan(text: str) -> bool:
    """Is this line only punctuation left over from the line above?

    >>> _orphan("。"), _orphan("”。"), _orphan("。截至")
    (True, True, False)
    """
    return bool(text) and len(text) <= 3 and all(ch in ORPHANS for ch in text)


def page_text(lines: list[TextLine], page: int, offset: int) -> tuple[str, list[Box]]:
    """The text of one page (lines in reading order) and a Box per line.

    `offset` is where the page starts in the document text, so boxes carry
    document offsets. Lines of one paragraph are joined; others end in "\\n".

    >>> l1 = TextLine("第一行写满了整个", 0.1, 0.10, 0.9, 0.12)
    >>> l2 = TextLine("宽度。", 0.1, 0.13, 0.3, 0.15)
    >>> l3 = TextLine("  新段落", 0.15, 0.20, 0.4, 0.22)
    >>> text, boxes = page_text([l1, l2, l3], 1, 100)
    >>> text, [(b.start, b.end) for b in boxes]
    ('第一行写满了整个宽度。\\n新段落', [(100, 108), (108, 111), (112, 115)])
    """
    body = [l for l in lines if l.text.strip()]
    if not body:
        return "", []
    plain = [l for l in body if not l.cells] or body
    left = min(l.x0 for l in plain)
    right = max(l.x1 for l in plain)
    widths = [(l.x1 - l.x0) / max(1, display_width(l.text.strip())) for l in plain]
    char_w = 2 * statistics.median(widths)  # a CJK character is two display columns
    steps = [b.y0 - a.y0 for a, b in zip(body, body[1:]) if 0 < b.y0 - a.y0 < 4 * max(a.height, 1e-6)]
    pitch = statistics.median(steps) if steps else 0.0
    parts: list[str] = []
    boxes: list[Box] = []
    pos = offset
    for i, line in enumerate(body):
        text = line.text.strip() if not line.cells else "\t".join(c.strip() for c in line.text.split("\t"))
        if i and _orphan(text):  # punctuation the line width pushed onto a line of its own
            sep = ""
        elif i:
            sep = glue(parts[-1], text) if _joins(body[i - 1], line, left, right, pitch, char_w) else "\n"
            parts.append(sep)
            pos += len(sep)
        boxes.append(Box(pos, pos + len(text), page, line.x0, line.y0, line.x1, line.y1, line.conf))
        parts.append(text)
        pos += len(text)
    return "".join(parts), boxes


def join_pages(pages: list[list[TextLine]]) -> tuple[str, tuple[int, ...], tuple[Box, ...]]:
    """Document text, page start offsets and boxes for pages of lines (furniture dropped first)."""
    texts, starts, boxes = [], [], []
    offset = 0
    for n, lines in enumerate(drop_furniture(pages), start=1):
        text, page_boxes = page_text(lines, n, offset)
        starts.append(offset)
        texts.append(text)
        boxes.extend(page_boxes)
        offset += len(text) + len(PAGE_SEPARATOR)
    return PAGE_SEPARATOR.join(texts), tuple(starts), tuple(boxes)


def page_of(pages: tuple[int, ...], offset: int) -> int | None:
    """The page (from 1) holding `offset`, given the page start offsets.

    >>> page_of((0, 50, 120), 60), page_of((), 3)
    (2, None)
    """
    if not pages:
        return None
    import bisect

    return bisect.bisect_right(pages, offset)


def boxes_for(boxes: tuple[Box, ...], start: int, end: int, text: str | None = None) -> list[Box]:
    """The parts of the line boxes covering `[start, end)`, cut to the span.

    A line's box is cut in proportion to the printed width of the characters
    before and inside the span (CJK characters twice as wide as Latin ones and
    digits) when the document `text` is given, else to their count.

    >>> b = Box(10, 20, 1, 0.1, 0.5, 0.6, 0.52)
    >>> [(round(x.x0, 2), round(x.x1, 2)) for x in boxes_for((b,), 15, 30)]
    [(0.35, 0.6)]
    >>> t = " " * 10 + "7.智慧健康服务"
    >>> [round(x.x0, 3) for x in boxes_for((Box(10, 18, 1, 0.0, 0.5, 0.7, 0.52),), 12, 18, t)]
    [0.1]
    """
    out = []
    for b in boxes:
        lo, hi = max(start, b.start), min(end, b.end)
        if lo >= hi:
            continue
        if text is not None and len(text) >= b.end:
            total = max(1, display_width(text[b.start:b.end]))
            a, z = display_width(text[b.start:lo]) / total, display_width(text[b.start:hi]) / total
        else:
            n = max(1, b.end - b.start)
            a, z = (lo - b.start) / n, (hi - b.start) / n
        w = b.x1 - b.x0
        out.append(Box(lo, hi, b.page, b.x0 + w * a, b.y0, b.x0 + w * z, b.y1, b.conf))
    return out
