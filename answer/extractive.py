"""The offline answerer: quote the passage sentences that answer the question.

Picks the best-scoring candidates (answer/evidence.py) within a length budget,
quotes them verbatim and frames each with its document, district, period and
whether it is a target or a reported result; each sentence ends with [n].
English questions get an English frame around the Chinese quotes.
"""
from __future__ import annotations

from typing import Sequence

import re

from answer.evidence import Candidate, question_parts, rank_candidates
from answer.refuse import asked_unit, holds_unit
from answer.frame import frame_en, frame_zh, kind_of
from answer.types import Passage
from index.query import to_simplified, understand

MAX_CHARS = 250
SECOND_BEST = 0.85  # a further quote must score at least this share of the best


def select(candidates: Sequence[Candidate], max_chars: int = MAX_CHARS, max_quotes: int = 3) -> list[Candidate]:
    """The best candidate plus close runners-up that fit the budget, in rank order.

    >>> c = lambda quote, score: Candidate(1, quote, score, score, True, ())
    >>> [x.quote for x in select([c("甲", 1.0), c("乙", 0.9), c("丙", 0.5)])]
    ['甲', '乙']
    """
    if not candidates:
        return []
    best = candidates[0]
    chosen, used = [best], len(best.quote)
    for c in candidates[1:]:
        if len(chosen) >= max_quotes or c.score < SECOND_BEST * best.score:
            break
        if c.quote in {x.quote for x in chosen} or used + len(c.quote) > max_chars:
            continue
        chosen.append(c)
        used += len(c.quote)
    return chosen


def in_unit(question: str, candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates holding a figure in the unit the question asks for ("多少张床位" → 张), when any
    does; otherwise all of them. A count of days is no answer to a count of beds."""
    unit = asked_unit(question)
    fitting = [c for c in candidates if holds_unit(c.quote, unit)] if unit else []
    return fitting or list(candidates)


def choose(question: str, passages: Sequence[Passage], usable: Sequence[Candidate],
           max_chars: int = MAX_CHARS) -> list[Candidate]:
    """The quotes to answer with: the best for each sub-question and each named district, then
    close runners-up, within the length budget."""
    allowed = {(c.n, c.quote) for c in usable}
    district_of = {p.n: p.district for p in passages}
    picks: list[Candidate] = []

    def add(c: Candidate | None) -> None:
        if c and all((c.n, c.quote) != (x.n, x.quote) for x in picks):
            picks.append(c)

    parts = question_parts(question)
    if len(parts) >= 2:
        for part in parts:
            add(next((c for c in in_unit(part, [c for c in rank_candidates(part, passages) if (c.n, c.quote) in allowed])), None))
    usable = in_unit(question, usable)
    districts = understand(to_simplified(question)).districts
    if len(districts) >= 2:
        for d in districts:
            add(next((c for c in usable if district_of[c.n] == d), None))
    if not picks:
        return select(usable, max_chars)
    for c in select(usable, max_chars):
        if sum(len(x.quote) for x in picks) + len(c.quote) <= max_chars:
            add(c)
    return picks


class ExtractiveGenerator:
    name = "extractive"

    def __init__(self, meta_en: dict[str, tuple[str | None, str | None]] | None = None):
        self.meta_en = meta_en or {}  # doc -> (title_en, district_en)

    def generate(self, question: str, passages: Sequence[Passage], lang: str) -> str:
        return self.compose(choose(question, passages, rank_candidates(question, passages)), passages, lang)

    def compose(self, chosen: Sequence[Candidate], passages: Sequence[Passage], lang: str) -> str:
        """Frame and cite the chosen candidates, one line each."""
        by_n = {p.n: p for p in passages}
        lines = []
        for c in chosen:
            p = by_n[c.n]
            if lang == "en":
                title_en, district_en = self.meta_en.get(p.doc, (None, None))
                lines.append(f"According to {frame_en(p, title_en, district_en, kind_of(p, c.quote))}: “{c.quote}” [{c.n}]")
            else:
                lines.append(f"{frame_zh(p, kind_of(p, c.quote))}：{c.quote}[{c.n}]")
        return "\n".join(lines)
