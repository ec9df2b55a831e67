"""Find tables in PDF text: a title (表1 …), a header row (序号 …), numbered rows.

PDF extraction prints a simple table one row per line; a table with long cells
comes out with each row's cells wrapped over many lines. Rows are recognised by
their running number (1, 2, 3 …), which must increase by one: that is what
tells the row "3" from a cell that starts with "5 岁以下". A table may start at
any row (7, 8, 9 … under its header): an excerpt, or a passage cut from a
longer table, is still a table.
Pure functions over the cleaned-up line list; no I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.lines import heading_level

TITLE = re.compile(r"^(附?表)\s*\d+")
HEADER_FIRST = re.compile(r"^(序号|编号|指标|项目|类别)\s")
NOTE = re.compile(r"^(注|备注|说明|资料来源)\s*[:：]")
MAX_ROW_LINES = 20


@dataclass
class Table:
    """Indices into the caller's line list."""

    title: int | None
    header: int
    rows: list[list[int]] = field(default_factory=list)
    repeated_headers: list[int] = field(default_factory=list)

    @property
    def last(self) -> int:
        return max([self.header] + [i for r in self.rows for i in r] + self.repeated_headers)


def _cells(s: str) -> int:
    return len(s.split())


def _row_start(s: str, n: int) -> bool:
    return re.match(rf"^{n}(\s|$)", s) is not None


def _first_row(s: str) -> int | None:
    """The running number a table's first row starts with (1 unless the table is an excerpt).

    >>> _first_row("7 千人口医疗机构床位数（张） 7.5 左右"), _first_row("2024 年"), _first_row("甲 1")
    (7, None, None)
    """
    m = re.match(r"^([1-9]\d{0,2})(\s|$)", s)
    return int(m.group(1)) if m else None


def find_tables(lines: list[str]) -> list[Table]:
    """Tables among `lines` (stripped, non-blank, artefacts already removed).

    >>> t = find_tables(["表 1 指标", "序号 名称 目标", "1 寿命 84", "2 床位 7.5", "注：说明"])
    >>> (t[0].title, t[0].header, t[0].rows)
    (0, 1, [[2], [3]])
    >>> find_tables(["表 1 指标", "序号 名称 目标", "7 床位 7.5", "8 医师 3.6"])[0].rows
    [[2], [3]]
    """
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        s = lines[i]
        is_header = HEADER_FIRST.match(s) and _cells(s) >= 3
        first = _first_row(lines[i + 1]) if is_header and i + 1 < len(lines) else None
        if first is None:
            i += 1
            continue
        title = i - 1 if i > 0 and (TITLE.match(lines[i - 1]) or heading_level(lines[i - 1]) in (0, 1)) else None
        table = Table(title=title, header=i)
        single = i + 2 < len(lines) and _row_start(lines[i + 2], first + 1)
        j, n = i + 1, first
        while j < len(lines):
            s = lines[j]
            if _row_start(s, n):
                table.rows.append([j])
                n += 1
            elif s == lines[i]:
                table.repeated_headers.append(j)
            elif single or NOTE.match(s) or heading_level(s) in (0, 1, 2) or len(table.rows[-1]) >= MAX_ROW_LINES:
                break
            else:
                table.rows[-1].append(j)
            j += 1
        tables.append(table)
        i = j
    return tables
