"""Decide when the passages do not answer the question, and say so plainly.

Refuse when nothing relevant was retrieved, or the question asks for a
district, a year or a quantity the best passages do not hold (asks for 2024
where the documents hold a 2020 baseline and a 2025 target). A refusal
keeps the nearby facts the documents do hold, cited. Pure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from answer.evidence import WANTS_NUMBER, Candidate
from answer.types import Passage
from index.query import FIVE_YEAR, QueryInfo

MIN_OVERLAP = 0.02  # refuse only when no quote shares anything with the question; see the calibration in the issue 5 notes
REFUSAL_ZH = "文档中没有找到这个问题的答案。"
REFUSAL_EN = "The documents do not say."
NEARBY_ZH = "以下是文档中相近的内容："
NEARBY_EN = "Nearby facts the documents do hold:"


@dataclass(frozen=True)
class Decision:
    refuse: bool
    reason: str = ""
    usable: tuple[Candidate, ...] = ()  # candidates that fit the question's district and year


_ASKED_UNIT = re.compile(r"(?:多少|(?<![哪好])几)\s*(人次|‰|%|岁|张|家|种|项|天|分钟|元|所|座|条)")


_MONEY = re.compile(r"多少钱|收费多少|how much does .* cost|how much money", re.I)
_SHARE = re.compile(r"比例|百分之|百分比|what share|what proportion|what percentage", re.I)


def asked_unit(question: str) -> str | None:
    """The unit a question asks its figure in ("多少‰" → "‰", "多少钱" → "元", "比例" → "%"), if any.

    >>> asked_unit("金山区2024年婴儿死亡率是多少‰？"), asked_unit("签约率是多少？"), asked_unit("停车收多少钱")
    ('‰', None, '元')
    """
    m = _ASKED_UNIT.search(question)
    if m:
        return m.group(1)
    if _MONEY.search(question):
        return "元"
    return "%" if _SHARE.search(question) else None


def unknown_terms(question: str, vocabulary: Callable[[str], bool]) -> list[str]:
    """Latin acronyms and words of a Chinese question that occur nowhere in the documents (HPV, CAR-T).

    An English question is bridged by the glossary instead, so only Chinese questions are checked.

    >>> unknown_terms("闵行区HPV疫苗免费吗", lambda t: False)
    ['HPV']
    >>> unknown_terms("What is HPV?", lambda t: False)
    []
    """
    if not re.search(r"[\u4e00-\u9fff]", question):
        return []
    return [t for t in re.findall(r"[A-Za-z][A-Za-z0-9\-]{1,}", question) if not vocabulary(t)]


def _fits_year(c: Candidate, p: Passage, years: Sequence[int], wants_target: bool) -> bool:
    """Does the quote speak about one of the asked years?

    An explicit year in the quote decides. Without one, the document's period
    does; but a multi-year plan's sentence is a target, not a given year's value.
    """
    if not years:
        return True
    if c.years:
        return any(y in c.years for y in years)
    if not p.period or not any(p.period[0] <= y <= p.period[1] for y in years):
        return False
    return p.period[0] == p.period[1] or wants_target


def decide(question: str, info: QueryInfo, passages: Sequence[Passage], ranked: Sequence[Candidate],
           min_overlap: float | None = None, vocabulary: Callable[[str], bool] | None = None) -> Decision:
    """Should the answer be a refusal? `ranked` are the candidates, best first."""
    if not passages or not ranked:
        return Decision(True, "nothing relevant was retrieved")
    missing = unknown_terms(question, vocabulary) if vocabulary else []
    if missing:
        return Decision(True, f"the documents never mention {', '.join(missing)}")
    by_n = {p.n: p for p in passages}
    # Only a single explicit year is checked: "十四五" expands to five years, and a question
    # naming a baseline year and a target ("2020年实际…十四五目标…") asks about both.
    explicit_years = [y for y in info.years if str(y) in question]
    if len(explicit_years) != 1 or any(k in question for k in FIVE_YEAR):
        explicit_years = []
    usable = [c for c in ranked
              if (not info.districts or by_n[c.n].district in info.districts)
              and _fits_year(c, by_n[c.n], explicit_years, info.wants_target)]
    if info.districts and not any(by_n[c.n].district in info.districts for c in ranked):
        return Decision(True, f"no passage about {'、'.join(info.districts)}")
    if not usable:
        return Decision(True, f"no passage about {'、'.join(map(str, explicit_years))} for this question")
    if max(c.overlap for c in usable) < (MIN_OVERLAP if min_overlap is None else min_overlap):
        return Decision(True, "the passages do not answer the question", tuple(usable))
    close = usable[:5]  # the best-scoring candidates: what an answer would quote
    unit = asked_unit(question)
    if unit and not any(re.search(rf"\d\s*余?[万亿]?余?{re.escape(unit)}", c.quote) for c in close):
        return Decision(True, f"the passages hold no figure in {unit} for this question", tuple(usable))
    if WANTS_NUMBER.search(question) and not any(c.has_number for c in close):
        return Decision(True, "the passages hold no figure for this question", tuple(usable))
    return Decision(False, "", tuple(usable))


def refusal_text(lang: str) -> str:
    """The fixed refusal sentence. It does not echo the question, so it adds no figure of its own."""
    return REFUSAL_EN if lang == "en" else REFUSAL_ZH
