"""Repair PDF-style text into blocks (headings, paragraphs, table rows) with offsets.

The seeds are PDF text: sentences broken across lines, blank lines everywhere,
page numbers ("- 28 -"), repeated table headers at page breaks, web-page chrome.
`clean(text)` drops those artefact lines, joins the broken lines back into
paragraphs and returns blocks whose every character maps to its source offset,
so a chunk can always point to `(doc, start, end)` in the original file.
It does not chunk (see chunk.py) and never rewrites characters: it only drops
whitespace and artefact lines.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.lines import (
    BARE_NUMBER, PAGE_NUMBER, TERMINAL, Line, Span, display_width, ends_sentence,
    heading_level, split_lines, tidy_line,
)
from ingest.tables import HEADER_FIRST, find_tables

MAX_HEADING_CHARS = 40
MAX_LEAD_CHARS = 30
CHROME_LINE_CHARS = 20
CHROME_RUN = 5


@dataclass(frozen=True)
class Block:
    """A unit of cleaned text.

    kind: heading | para | table_title | table_header | table_row.
    `level` is the outline level of a heading (or of a paragraph's lead phrase,
    e.g. "1、着力提升全人群健康素养。…"), `title` its text for the section path.
    `table` numbers the table a table_* block belongs to.
    """

    kind: str
    span: Span
    level: int | None = None
    title: str = ""
    table: int | None = None

    @property
    def text(self) -> str:
        return self.span.text


@dataclass(frozen=True)
class Cleaned:
    blocks: list[Block]
    artefacts: list[Line]


def _page_numbers(content: list[Line]) -> set[int]:
    """Indices of page-number lines.

    "- 28 -" always counts; a bare number only when at least three of them run
    1, 2, 3 … far apart, as page feet do (else they are table cells, dates…).
    """
    found = {i for i, l in enumerate(content) if PAGE_NUMBER.match(l.stripped)}
    bare = [i for i, l in enumerate(content) if BARE_NUMBER.match(l.stripped)]
    run: list[int] = []
    for i in bare:
        if run and int(content[i].stripped) == int(content[run[-1]].stripped) + 1 and i - run[-1] >= 10:
            run.append(i)
        else:
            if len(run) >= 3:
                found.update(run)
            run = [i]
    if len(run) >= 3:
        found.update(run)
    return found


def _running_headers(content: list[Line]) -> set[int]:
    """Short non-heading lines repeated three or more times: page headers/footers.

    A table's column header repeated on every page is not one: find_tables
    keeps its first occurrence and drops the repeats.
    """
    counts = Counter(l.stripped for l in content)
    return {
        i for i, l in enumerate(content)
        if counts[l.stripped] >= 3 and len(l.stripped) <= MAX_HEADING_CHARS and heading_level(l.stripped) is None
        and not BARE_NUMBER.match(l.stripped) and not _table_header(l.stripped)
    }


def _table_header(line: str) -> bool:
    return bool(HEADER_FIRST.match(" ".join(line.split()))) and len(line.split()) >= 3


def _trailing_chrome(content: list[Line]) -> set[int]:
    """A run of short unpunctuated lines ending a saved web page (menus, forms)."""
    run: list[int] = []
    for i in range(len(content) - 1, -1, -1):
        s = content[i].stripped
        if len(s) <= CHROME_LINE_CHARS and not re.search(r"[。，,；;！？]", s) and not s[:1].isdigit():
            run.append(i)
        else:
            break
    return set(run) if CHROME_RUN <= len(run) < len(content) // 2 else set()


def _wrap_width(content: list[Line]) -> int | None:
    """The printed width of a hard-wrapped document's full lines, or None.

    A document is hard-wrapped when many lines share nearly the same width
    without ending a sentence (the PDF's line length).
    """
    widths = [display_width(l.stripped) for l in content if len(l.stripped) >= 10 and not ends_sentence(l.stripped)]
    if len(widths) < 20:
        return None
    mode, _ = Counter(widths).most_common(1)[0]
    near = sum(1 for w in widths if abs(w - mode) <= 3)
    return mode if near >= 0.3 * len(content) else None


def _lead(text: str) -> str:
    """A paragraph's numbered lead phrase ("1、着力提升全人群健康素养。…"), if short."""
    m = re.match(rf"^(.{{2,{MAX_LEAD_CHARS}}}?)[{TERMINAL}]", text)
    return m.group(1) if m else ""


def _starts_block(line: str) -> bool:
    """A numbered heading or item; "15 分钟…" in mid-paragraph is not one."""
    level = heading_level(line)
    return level is not None and (len(line) <= MAX_HEADING_CHARS or not re.match(r"^\d{1,2}\s", line))


def _joins(prev: str, nxt: str, wrap: int | None) -> bool:
    """Does line `prev` run on into line `nxt` (a break inside a sentence)?

    Hard-wrapped text breaks wherever the line is full; elsewhere a line breaks
    mid-sentence only at a page break, so a prose line (it has commas) that does
    not end a sentence runs on, while a headline or caption does not.
    """
    if ends_sentence(prev) or prev.endswith(("：", ":")) or _starts_block(nxt):
        return False
    if wrap:
        return display_width(prev) >= 0.75 * wrap
    return re.search(r"[，。；,;]", prev) is not None


def _headline(block: Block, nxt: Block | None) -> bool:
    """An unnumbered headline (newspapers, highlights): short, no sentence
    punctuation, followed by a prose paragraph."""
    t = block.text
    return (block.kind == "para" and block.level is None and 4 <= len(t) <= MAX_HEADING_CHARS
            and not re.search(r"[。！？；;:：]", t) and nxt is not None and nxt.kind == "para"
            and len(nxt.text) > MAX_HEADING_CHARS)


def _glue(a: Span, b: Span) -> Span:
    """Join two line spans; a space only between two ASCII words."""
    if a.text and b.text and a.text[-1].isascii() and a.text[-1].isalnum() and b.text[0].isascii() and b.text[0].isalnum():
        return a + Span(" ", (a.end,)) + b
    return a + b


def clean(text: str) -> Cleaned:
    """Turn raw document text into blocks; see the module docstring.

    >>> c = clean("一、基础\\n\\n2020年，本区户籍居民平均期望寿命84.42岁，比2015年的82.34\\n\\n岁提高2.08岁。\\n\\n- 3 -\\n")
    >>> [(b.kind, b.text) for b in c.blocks]
    [('heading', '一、基础'), ('para', '2020年，本区户籍居民平均期望寿命84.42岁，比2015年的82.34岁提高2.08岁。')]
    >>> [a.text for a in c.artefacts]
    ['- 3 -']
    """
    content = [l for l in split_lines(text) if l.stripped]
    drop = _page_numbers(content) | _running_headers(content) | _trailing_chrome(content)
    lines = [l for i, l in enumerate(content) if i not in drop]
    artefacts = [l for i, l in enumerate(content) if i in drop]

    collapsed = [" ".join(l.text.split()) for l in lines]
    table_of: dict[int, tuple[int, str]] = {}
    for t_no, t in enumerate(find_tables(collapsed)):
        if t.title is not None:
            table_of[t.title] = (t_no, "table_title")
        table_of[t.header] = (t_no, "table_header")
        for r in t.rows:
            for k, i in enumerate(r):
                table_of[i] = (t_no, "table_row" if k == 0 else "table_cont")
        for i in t.repeated_headers:
            table_of[i] = (t_no, "repeat")
            artefacts.append(lines[i])

    wrap = _wrap_width(lines)
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        if i in table_of:
            t_no, kind = table_of[i]
            if kind == "repeat":
                i += 1
                continue
            span = tidy_line(lines[i], keep_spaces=kind != "table_title")
            if kind == "table_cont":  # a wrapped cell: part of the row above
                prev = blocks[-1]
                sep = Span(" ", (prev.span.end,)) if prev.text.isdigit() else Span("", ())
                blocks[-1] = Block(prev.kind, _glue(prev.span + sep, tidy_line(lines[i])), table=t_no)
            elif kind == "table_title":
                blocks.append(Block(kind, span, level=heading_level(collapsed[i]), title=span.text, table=t_no))
            else:
                blocks.append(Block(kind, span, table=t_no))
            i += 1
            continue
        span = tidy_line(lines[i])
        level = heading_level(collapsed[i])
        short = len(span.text) <= MAX_HEADING_CHARS and not ends_sentence(span.text)
        is_heading = level is not None and short and not (
            wrap and level >= 3 and display_width(lines[i].stripped) >= 0.75 * wrap)
        j = i + 1
        if not is_heading:
            while j < len(lines) and j not in table_of and _joins(lines[j - 1].stripped, lines[j].stripped, wrap):
                span = _glue(span, tidy_line(lines[j]))
                j += 1
        if is_heading:
            blocks.append(Block("heading", span, level=level, title=span.text))
        elif level is not None and _lead(span.text):
            blocks.append(Block("para", span, level=level, title=_lead(span.text)))
        else:
            blocks.append(Block("para", span))
        i = j
    if not wrap:
        blocks = [Block("heading", b.span, level=2, title=b.text) if _headline(b, nxt) else b
                  for b, nxt in zip(blocks, blocks[1:] + [None])]
    artefacts.sort(key=lambda l: l.start)
    return Cleaned(blocks, artefacts)
