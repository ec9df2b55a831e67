"""What the tracker passes between its steps: sentences in, commitments and results out, then links.

`Tracked.to_json()` is the public JSON contract of issue 9 (one object per
commitment); nothing else leaves the package as a dict.
"""
from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("met", "not_met", "no_report", "unclear")
CMPS = (">=", "<=", "=", "")


@dataclass(frozen=True)
class Sentence:
    """One sentence (or one table row) of an indexed document, with the chunk it came from."""

    doc: str
    text: str
    chunk_start: int  # source span of the chunk holding the sentence (the quote is located inside it)
    chunk_end: int
    section: tuple[str, ...] = ()
    kind: str = "text"  # "text" | "table"
    context: str = ""  # a table row's title and column header
    district: str | None = None
    doc_type: str = "other"
    period: tuple[int, int] | None = None
    published: str | None = None
    previous: str = ""  # the sentence before it in the same chunk (for a subject the sentence leaves out)


@dataclass(frozen=True)
class Target:
    value: str  # as written; both ends of a range ("20-30"); "" for a task without a number
    cmp: str  # ">=" | "<=" | "=" | ""
    year: int


@dataclass(frozen=True)
class Baseline:
    value: str
    year: int
    quote: str = ""  # the sentence stating it (not part of the JSON contract)
    chunk_start: int = 0
    chunk_end: int = 0


@dataclass(frozen=True)
class Commitment:
    id: str
    kind: str  # "indicator" | "task"
    district: str | None
    doc: str
    indicator: str
    unit: str
    target: Target
    quote: str
    chunk_start: int
    chunk_end: int
    type: str = ""  # 预期性 | 约束性 | ""
    baseline: Baseline | None = None
    period_start: int | None = None  # first year of the promising document's period


@dataclass(frozen=True)
class Result:
    """A reported figure: `value` as written with its unit ("49.13%", "3家", "优于全市平均水平")."""

    doc: str
    district: str | None
    indicator: str
    value: str
    number: float | None  # the value's number (the upper end of a range); None for a qualitative value
    unit: str
    year: int
    quote: str
    chunk_start: int
    chunk_end: int
    cumulative: bool = False  # a running total ("累计建成5个"), not the year's own count ("年内建成2个")


@dataclass(frozen=True)
class Link:
    result: Result
    score: float  # 0..1, lexical + embedding similarity of the indicators
    decided: bool  # False: shown as a candidate, never used to decide a status


@dataclass(frozen=True)
class Tracked:
    commitment: Commitment
    links: tuple[Link, ...] = ()
    status: str = "no_report"
    reason: str = ""
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        """The issue 9 JSON object, keys and types exactly as the contract says."""
        c = self.commitment
        return {
            "id": c.id,
            "kind": c.kind,
            "district": c.district or "",
            "doc": c.doc,
            "indicator": c.indicator,
            "unit": c.unit,
            "baseline": {"value": c.baseline.value, "year": c.baseline.year} if c.baseline else None,
            "target": {"value": c.target.value, "cmp": c.target.cmp, "year": c.target.year},
            "type": c.type,
            "quote": c.quote,
            "results": [{"doc": l.result.doc, "value": l.result.value, "year": l.result.year, "quote": l.result.quote}
                        for l in self.links],
            "status": self.status,
        }
