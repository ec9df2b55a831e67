"""Decide when the passages do not answer the question, and say so plainly.

Refuse when nothing relevant was retrieved, or the question asks for a
district, a year or a quantity the best passages do not hold (asks for 2024
where the documents hold a 2020 baseline and a 2025 target), or the passages
that speak of the question's distinctive terms hold no such quantity (a named
hospital's second phase, answered only by other hospitals' bed counts). A
refusal keeps the nearby facts the documents do hold, cited. Pure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from answer.evidence import WANTS_NUMBER, Candidate, key_words, question_parts
from answer.focus import focus_terms, speaks_of
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


_ASKED_UNIT = re.compile(r"(?:多少|(?<![哪好])几)\s*(人次|‰|%|岁|张|家|种|项|天|分钟|元|所|座|条|台|点|例|个|名|次|人)")
# "…率是多少" asks for a rate: an answer without a figure in %, ‰ or per 100,000 does not give one.
_RATE = re.compile(r"率\s*(?:是|为|有|达到?|提高了?|下降了?|上升了?)?\s*(?:多少|几)(?!人|家|个|张|台|项)")
RATE = "率"
PHONE = "电话"
_UNIT_PATTERN = {
    RATE: r"\d\s*(?:%|‰|％)|\d\s*[/／每]\s*10\s*万",
    "点": r"\d\s*[点时:：]",
    PHONE: r"\d{3,4}[-－—]\d{7,8}|(?<!\d)\d{5}(?!\d)|(?<!\d)\d{8}(?!\d)",
}
# Classifiers that count the same thing: "多少名医师" is answered by "33人".
_SAME = {"名": "(?:名|人(?!次)|位)", "人": "(?:名|人(?!次)|位)", "次": "(?:人?次)"}


_MONEY = re.compile(r"多少钱|收费多少|费用是?多少|how much (?:does|do|is|are|will)\b.*\b(?:cost|pay|charge)|how much money", re.I)
_PHONE = re.compile(r"(?:电话|热线)(?:号码)?\s*(?:是|为)?\s*(?:多少|什么)|phone number|hotline number", re.I)
# A quote that states a target, not a result: "≥37 预期性", "力争达到", "到2025年".
TARGET_QUOTE = re.compile(r"预期性|约束性|力争|争取|确保|目标|到20\d\d年|≥|≤|控制在|以内|不[低高]于|不少于|不超过|提至|提高到|原则上")
_SHARE = re.compile(r"比例|百分之|百分比|what share|what proportion|what percentage", re.I)


def asked_unit(question: str) -> str | None:
    """The unit a question asks its figure in ("多少‰" → "‰", "多少钱" → "元", "比例" → "%"), if any.

    A rate ("签约率是多少") is RATE: any of %, ‰ or per 100,000 gives one.

    >>> asked_unit("金山区2024年婴儿死亡率是多少‰？"), asked_unit("签约率是多少？"), asked_unit("停车收多少钱")
    ('‰', '率', '元')
    >>> asked_unit("有多少家医院？"), asked_unit("规划了几项工程？"), asked_unit("How much do I pay to sign up?")
    ('家', '项', '元')
    """
    m = _ASKED_UNIT.search(question)
    if m:
        return m.group(1)
    if _PHONE.search(question):
        return PHONE
    if _MONEY.search(question):
        return "元"
    if _SHARE.search(question):
        return "%"
    return RATE if _RATE.search(question) else None


def holds_unit(quote: str, unit: str) -> bool:
    """Does the quote state a figure in `unit` (a number right before it)?

    >>> holds_unit("签约率达49.13%", RATE), holds_unit("签约居民40余万人", RATE), holds_unit("代配药22.5万人次", "人次")
    (True, False, True)
    >>> holds_unit("首席医师各33人", "名"), holds_unit("代配药22.5万人次", "人"), holds_unit("收集了200多个问题", "个")
    (True, False, True)
    >>> holds_unit("发病率89.53/10万", RATE), holds_unit("夜间门诊开至20:00", "点")
    (True, True)
    >>> holds_unit("5 常见恶性肿瘤诊断时早期比例（%） ≥37 预期性", "%"), holds_unit("婴儿死亡率（‰） 优于全市平均水平", RATE)
    (True, False)
    """
    pattern = _UNIT_PATTERN.get(unit, rf"\d\s*[余多]?[万亿]?[余多]?{_SAME.get(unit, re.escape(unit))}")
    if re.search(pattern, quote):
        return True
    # A table row names its unit once, in the indicator: "早期比例（%） ≥37".
    units = {RATE: "%‰％"}.get(unit, unit)
    return bool(re.search(rf"[（(][{re.escape(units)}][)）][^\d]{{0,12}}\d", quote)) if len(units) <= 3 else False



_BARE_ASK = re.compile(r"(?:多少|几)\s*(?=$|[？?，,。；;！!吗呢])")


def indicator_unit(question: str, declared: Callable[[str], str | None]) -> str | None:
    """The unit the documents declare for the indicator a question asks a bare "多少" of.

    An indicator table names its unit once ("居民健康素养水平（%）"); "水平达到了多少" then asks for a
    figure in %, which "实现7连升" does not give. A question naming its own unit ("几年") keeps it.

    >>> indicator_unit("居民健康素养水平实际达到了多少？", {"健康素养水平": "%"}.get)
    '%'
    >>> indicator_unit("健康素养水平连续上升几年了？", {"健康素养水平": "%"}.get) is None
    True
    >>> indicator_unit("孕产妇死亡率是多少？", {"孕产妇死亡率": "", "死亡率": "‰"}.get) is None  # unreadable: no unit
    True
    """
    if not _BARE_ASK.search(question):
        return None
    # The longest indicator name decides: "孕产妇死亡率（1/10万）", not the "死亡率（‰）" of another indicator.
    units = (declared(w) for w in sorted(key_words(question), key=len, reverse=True))
    return next((u for u in units if u is not None), None) or None


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


_PHASE = re.compile(r"([一二三四五六七八九十\d]+)\s*期(?!间|末|初|限)")


_PHASE_EN = re.compile(r"\b(?:(first|second|third)\s+(?:phase|stage)|(?:phase|stage)\s+(one|two|three|iii|ii|i|[123])\b)", re.I)
_ORDINAL_ZH = {"first": "一", "one": "一", "i": "一", "1": "一", "second": "二", "two": "二", "ii": "二", "2": "二",
               "third": "三", "three": "三", "iii": "三", "3": "三"}


def asked_phases(question: str) -> set[str]:
    """The phases a question asks about, as the documents number them ("二期", "phase II" → "二").

    >>> sorted(asked_phases("院区二期规划")), sorted(asked_phases("beds in the first phase and phase 2"))
    (['二'], ['一', '二'])
    """
    english = {_ORDINAL_ZH[(a or b).casefold()] for a, b in _PHASE_EN.findall(question)}
    return set(_PHASE.findall(question)) | english


def other_phase(question: str, quote: str) -> bool:
    """Does the quote speak of another phase than the question ("二期" asked, only "一期" quoted)?

    >>> other_phase("院区二期规划多少张床位？", "一期规划床位400张"), other_phase("二期规划多少床位", "二期规划床位600张")
    (True, False)
    >>> other_phase("十四五期间床位数", "一期规划床位400张"), other_phase("How many beds in phase II?", "一期规划床位400张")
    (False, True)
    """
    asked = asked_phases(question)
    quoted = set(_PHASE.findall(quote))
    return bool(asked and quoted and not asked & quoted)


def _fits_year(c: Candidate, p: Passage, years: Sequence[int], wants_target: bool) -> bool:
    """Does the quote speak about one of the asked years?

    An explicit year in the quote decides. Without one, the document's period
    does; but a multi-year plan's sentence is a target, not a given year's value.
    """
    if not years:
        return True
    if c.years:
        return any(y in c.years for y in years)
    if p.period and p.period[0] != p.period[1] and not wants_target and p.period[0] - 1 in years:
        return True  # a plan states where it starts from: the year before its period (十四五 → 2020)
    if not p.period:
        return True  # no period metadata (a benchmark's bare passage): the year is unknown, not wrong
    if not any(p.period[0] <= y <= p.period[1] for y in years):
        return False
    return p.period[0] == p.period[1] or wants_target


def decide(question: str, info: QueryInfo, passages: Sequence[Passage], ranked: Sequence[Candidate],
           min_overlap: float | None = None, vocabulary: Callable[[str], bool] | None = None,
           share: Callable[[str], float] | None = None,
           declared: Callable[[str], str | None] | None = None) -> Decision:
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
    # A passage without district metadata (a benchmark's bare passages) may be about any district.
    usable = [c for c in ranked
              if (not info.districts or by_n[c.n].district in (*info.districts, None))
              and _fits_year(c, by_n[c.n], explicit_years, info.wants_target)
              and not other_phase(question, c.quote)]
    if info.districts and not any(by_n[c.n].district in (*info.districts, None) for c in ranked):
        return Decision(True, f"no passage about {'、'.join(info.districts)}")
    if not usable:
        return Decision(True, f"no passage about {'、'.join(map(str, explicit_years))} for this question")
    if max(c.overlap for c in usable) < (MIN_OVERLAP if min_overlap is None else min_overlap):
        return Decision(True, "the passages do not answer the question", tuple(usable))
    unit = asked_unit(question) or (indicator_unit(question, declared) if declared else None)
    reason = _figure_missing(question, info, usable[:5], unit)  # the best candidates: what an answer would quote
    if reason:
        return Decision(True, reason, tuple(usable))
    # When the passages speak of a (sub-)question's distinctive terms, its figure must come from the
    # passages that do: other hospitals' bed counts do not answer for a named hospital (answer/focus.py).
    for part in (question_parts(question) or [question]) if share else ():
        focus = [t for t in focus_terms(part, share) if any(speaks_of(p, [t]) for p in passages)]
        if not focus:
            continue  # the passages never name it (another wording, an English name): nothing to require
        part_unit = asked_unit(part) or (indicator_unit(part, declared) if declared else None)
        reason = _figure_missing(part, info, [c for c in usable if speaks_of(by_n[c.n], focus)], part_unit)
        if reason:
            return Decision(True, f"{reason} about {'、'.join(focus)}", tuple(usable))
    return Decision(False, "", tuple(usable))


def _figure_missing(question: str, info: QueryInfo, close: Sequence[Candidate], unit: str | None) -> str:
    """Why `close`, the candidates an answer would quote, hold no figure of the asked kind ("" if they do)."""
    if unit and not any(holds_unit(c.quote, unit) for c in close):
        return f"the passages hold no figure in {unit}"
    if WANTS_NUMBER.search(question) and not any(c.has_number for c in close):
        return "the passages hold no figure"
    in_unit = [c for c in close if c.has_number and (not unit or holds_unit(c.quote, unit))]
    if info.wants_achieved and not info.wants_target and WANTS_NUMBER.search(question) \
            and not any(not TARGET_QUOTE.search(c.quote) for c in in_unit):
        return "the documents give a target for this, not an achieved value"
    return ""


def refusal_text(lang: str) -> str:
    """The fixed refusal sentence. It does not echo the question, so it adds no figure of its own."""
    return REFUSAL_EN if lang == "en" else REFUSAL_ZH
