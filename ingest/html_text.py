"""Extract the visible text of an HTML page, laid out in lines.

Dropped: <head> (and so <title>), script, style, noscript, template, iframe,
svg and other non-text elements, comments, and elements marked `hidden` or
styled `display:none` / `visibility:hidden` inline. Entities are decoded by the
parser. Runs of whitespace inside text collapse to one space, as a browser
shows them (except in <pre>). Paragraph-like blocks are separated by a blank
line; a table row, list item or <br> ends a line; the cells of one row are
separated by a tab so a row stays on one line.

It does not apply CSS from stylesheets, run scripts, or keep links and images.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from ingest.decode import decode_text
from ingest.errors import LoadError

_DROP = frozenset(
    "head title script style noscript template iframe object embed svg math canvas "
    "select option datalist audio video map area".split()
)
_BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 table ul ol dl blockquote pre section article header "
    "footer nav aside main figure figcaption form fieldset legend address hr center "
    "details summary body html".split()
)
_LINES = frozenset("tr li dt dd caption".split())
_CELLS = frozenset(("td", "th"))
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace; NBSP and U+3000 are visible
_HIDDEN_STYLE = re.compile(r"(display\s*:\s*none|visibility\s*:\s*hidden)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_SNIFF_BYTES = 4096


def html_text(data: bytes, path: str) -> str:
    """Visible text of the HTML page in `data`.

    >>> html_text(b"<p>a &amp; b</p><table><tr><td>1</td><td>2</td></tr></table>", "x.html")
    'a & b\\n\\n1\\t2'
    """
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    declared = match.group(1).decode("ascii") if match else None
    markup = decode_text(data, path, declared)
    try:
        soup = BeautifulSoup(markup, "lxml")
    except Exception as exc:  # a parser bug on one page must not stop the corpus
        raise LoadError(path, f"corrupt HTML: cannot be parsed ({exc})") from None
    return _render(soup)


def _render(soup: BeautifulSoup) -> str:
    out = _Layout()
    # Iterative walk: broken pages nest thousands of unclosed tags deep.
    stack: list[tuple[object, bool]] = [(soup, True)]
    while stack:
        node, entering = stack.pop()
        if isinstance(node, NavigableString):
            # Subclasses are comments, doctypes, CDATA and script/style strings.
            if type(node) is NavigableString:
                out.text(str(node), pre=out.pre_depth > 0)
            continue
        if not isinstance(node, Tag) or _invisible(node):
            continue
        name = node.name
        if entering:
            out.open(name)
            stack.append((node, False))
            stack.extend((child, True) for child in reversed(node.contents))
        else:
            out.close(name)
    return out.result()


def _invisible(tag: Tag) -> bool:
    if tag.name in _DROP or tag.has_attr("hidden"):
        return True
    style = tag.get("style")
    return isinstance(style, str) and bool(_HIDDEN_STYLE.search(style))


class _Layout:
    """Collects text; line breaks, tabs and spaces are owed and written only
    before the next text, so they never pile up or trail a line."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.newlines = 0  # owed line breaks (2 = blank line)
        self.tabs = 0  # owed cell separators in the current row
        self.space = False
        self.cell_depth = 0
        self.pre_depth = 0
        self.cells_in_row: list[int] = []

    def open(self, name: str) -> None:
        if name == "pre":
            self.pre_depth += 1
        if name == "br":
            self.line_break(min(self.newlines + 1, 2))
        elif name in _CELLS:
            if self.cells_in_row and self.cell_depth == 0:
                self.tabs += 1 if self.cells_in_row[-1] else 0
                self.cells_in_row[-1] += 1
            self.cell_depth += 1
        elif name == "tr":
            self.line_break(1)
            self.cells_in_row.append(0)
        else:
            self._block(name)

    def close(self, name: str) -> None:
        if name == "pre":
            self.pre_depth -= 1
        if name in _CELLS:
            self.cell_depth -= 1
        elif name == "tr":
            self.line_break(1)
            if self.cells_in_row:
                self.cells_in_row.pop()
        else:
            self._block(name)

    def _block(self, name: str) -> None:
        if name in _BLOCKS:
            self.line_break(2)
        elif name in _LINES:
            self.line_break(1)

    def line_break(self, count: int) -> None:
        if self.cell_depth:  # a row must stay on one line
            self.space = True
            return
        self.newlines = max(self.newlines, count)
        self.tabs = 0

    def text(self, raw: str, pre: bool) -> None:
        trailing_space = False
        if not pre:
            collapsed = _WHITESPACE.sub(" ", raw)
            self.space = self.space or collapsed.startswith(" ")
            trailing_space = collapsed.endswith(" ")
            raw = collapsed.strip(" ")
            if not raw:
                return
        if self.parts:
            if self.newlines:
                self.parts.append("\n" * self.newlines)
            if self.tabs:
                self.parts.append("\t" * self.tabs)
            elif self.space and not self.newlines:
                self.parts.append(" ")
        self.parts.append(raw)
        self.newlines = self.tabs = 0
        self.space = trailing_space

    def result(self) -> str:
        return "".join(self.parts)
