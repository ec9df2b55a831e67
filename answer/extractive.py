"""The offline answerer: quote the passage sentences that answer the question.

Picks the best-scoring candidates (answer/evidence.py) within a length budget,
quotes them verbatim and frames each with its document, district, period and
whether it is a target or a reported result; each sentence ends with [n].
English questions get an English frame around the Chinese quotes.
"""
from __future__ import annotations

from typing import Sequence

from answer.evidence import Candidate, rank_candidates
from answer.frame import frame_en, frame_zh
from answer.types import Passage

MAX_CHARS = 250
SECOND_BEST = 0.75  # a further quote must score at least this share of the best


def select(candidates: Sequence[Candidate], max_chars: int = MAX_CHARS, max_quotes: int = 3) -> list[Candidate]:
    """The best candidate plus close runners-up that fit the budget, in rank order."""
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


class ExtractiveGenerator:
    name = "extractive"

    def __init__(self, meta_en: dict[str, tuple[str | None, str | None]] | None = None):
        self.meta_en = meta_en or {}  # doc -> (title_en, district_en)

    def generate(self, question: str, passages: Sequence[Passage], lang: str) -> str:
        return self.compose(select(rank_candidates(question, passages)), passages, lang)

    def compose(self, chosen: Sequence[Candidate], passages: Sequence[Passage], lang: str) -> str:
        """Frame and cite the chosen candidates, one line each."""
        by_n = {p.n: p for p in passages}
        lines = []
        for c in chosen:
            p = by_n[c.n]
            if lang == "en":
                title_en, district_en = self.meta_en.get(p.doc, (None, None))
                lines.append(f"According to {frame_en(p, title_en, district_en)}: “{c.quote}” [{c.n}]")
            else:
                lines.append(f"{frame_zh(p)}：{c.quote}[{c.n}]")
        return "\n".join(lines)
