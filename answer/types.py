"""What the answer stage returns: an Answer with its Citations, checks and timings.

The UI, the eval runner and the API all read this one type.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Passage:
    """A retrieved passage as given to a generator, numbered from 1."""

    n: int
    doc: str
    text: str
    title: str
    district: str | None
    period: tuple[int, int] | None
    doc_type: str
    section: tuple[str, ...]
    start: int
    end: int
    published: str | None = None
    score: float = 0.0
    title_en: str | None = None
    district_en: str | None = None


@dataclass(frozen=True)
class Citation:
    """One cited passage: `quote` is verbatim source text (whitespace aside)."""

    n: int
    doc: str
    title: str
    district: str | None
    period: tuple[int, int] | None
    doc_type: str
    section: tuple[str, ...]
    quote: str
    start: int  # source span of the quote in the document (character offsets)
    end: int
    page: int | None = None  # the page the quote starts on (PDF and images, from 1); None for text formats


@dataclass(frozen=True)
class Checks:
    """What the post-generation checks found and removed."""

    citations_valid: bool = True
    numbers_grounded: bool = True
    removed_sentences: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    fell_back_to_extractive: bool = False


@dataclass
class Answer:
    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    refused: bool = False
    reason: str = ""
    standalone_question: str = ""
    lang: str = "zh"
    generator: str = "extractive"
    checks: Checks = field(default_factory=Checks)
    timings_ms: dict[str, float] = field(default_factory=dict)
    retrieved: list = field(default_factory=list)  # the ranked search hits (index.search.Hit), top 10
