"""Line-level helpers for cleaning: split with offsets, tidy one line, classify it.

Everything here is pure. Offsets are character positions in the source text.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Sentence ends in Chinese policy text; "." is left out because it is a decimal
# point or a list marker far more often than a full stop in these documents.
TERMINAL = "。！？!?；;…"
CLOSERS = "”’」』）)】"


@dataclass(frozen=True)
class Line:
    """One source line: `text` is the raw line without its line break."""

    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass(frozen=True)
class Span:
    """Cleaned text with, for each character, its offset in the source."""

    text: str
    offsets: tuple[int, ...]

    @property
    def start(self) -> int:
        return self.offsets[0]

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1

    def __add__(self, other: "Span") -> "Span":
        return Span(self.text + other.text, self.offsets + other.offsets)

    def slice(self, i: int, j: int) -> "Span":
        return Span(self.text[i:j], self.offsets[i:j])


def split_lines(text: str) -> list[Line]:
    """Split on \\n, \\r\\n or \\r, keeping each line's source span.

    >>> [(l.start, l.end, l.text) for l in split_lines("ab\\r\\ncd")]
    [(0, 2, 'ab'), (4, 6, 'cd')]
    """
    lines, pos = [], 0
    for m in re.finditer(r"\r\n|\r|\n", text):
        lines.append(Line(pos, m.start(), text[pos:m.start()]))
        pos = m.end()
    if pos < len(text):
        lines.append(Line(pos, len(text), text[pos:]))
    return lines


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "%.,:;-_/+'\"")


def tidy_line(line: Line, keep_spaces: bool = False) -> Span:
    """Strip a line and drop the spaces PDF extraction puts around CJK text.

    A run of whitespace survives as one space only between two ASCII word
    characters (English words, numbers), or everywhere when `keep_spaces`
    (table rows, whose cells are space-separated).

    >>> tidy_line(Line(0, 12, " 2020 年 84.42岁 ")).text
    '2020年84.42岁'
    >>> tidy_line(Line(0, 11, "family  doctor")).text
    'family doctor'
    """
    raw = line.text
    chars: list[str] = []
    offs: list[int] = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch.isspace() or unicodedata.category(ch) == "Cf":
            j = i
            while j < n and (raw[j].isspace() or unicodedata.category(raw[j]) == "Cf"):
                j += 1
            if chars and j < n and (keep_spaces or (_is_ascii_word(chars[-1]) and _is_ascii_word(raw[j]))):
                chars.append(" ")
                offs.append(line.start + i)
            i = j
            continue
        chars.append(ch)
        offs.append(line.start + i)
        i += 1
    return Span("".join(chars), tuple(offs))


def display_width(s: str) -> int:
    """Width as printed in a Chinese PDF: wide and ambiguous (“”、‰) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in s)


def ends_sentence(s: str) -> bool:
    """True when `s` ends a sentence, allowing closing quotes after the stop.

    >>> ends_sentence("完成。”"), ends_sentence("社会主义现代")
    (True, False)
    """
    s = s.rstrip(CLOSERS + " ")
    return bool(s) and s[-1] in TERMINAL


_CN_NUM = "一二三四五六七八九十百零〇"
HEADING_PATTERNS: list[tuple[int, re.Pattern]] = [
    (0, re.compile(rf"^第[{_CN_NUM}\d]+[章节篇部]")),
    (1, re.compile(rf"^[{_CN_NUM}]+、")),
    (1, re.compile(r"^(附录|附件)\s*\d*\s*[:：]?")),
    (2, re.compile(rf"^[（(][{_CN_NUM}]+[）)]")),
    (3, re.compile(r"^\d{1,2}\s*[.．、](?!\d)")),
    (3, re.compile(r"^\d{1,2}\s+(?=[^\d\s])")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
    (4, re.compile(r"^[①-⑳]")),
]


def heading_level(s: str) -> int | None:
    """The outline level a numbering prefix suggests, or None.

    >>> heading_level("一、改革发展基础"), heading_level("（二）卫生"), heading_level("1.完善体系")
    (1, 2, 3)
    >>> heading_level("2020年，本区") is None
    True
    """
    for level, pat in HEADING_PATTERNS:
        if pat.match(s):
            return level
    return None


PAGE_NUMBER = re.compile(r"^[-—–－]\s*\d{1,4}\s*[-—–－]$|^第\s*\d{1,4}\s*页(\s*共\s*\d+\s*页)?$|^\d{1,4}\s*/\s*\d{1,4}$")
BARE_NUMBER = re.compile(r"^\d{1,4}$")
