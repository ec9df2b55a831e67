"""The words around a quote: which document, district and year, target or achieved.

Only metadata goes into a frame (title, district, period, publication date,
document type), so every other figure in an answer comes from a quoted passage.
A plan is not all targets: its opening review states what the previous period
achieved (the baseline), and its appendix defines the indicators; a quote from
either is framed as such, not as a target.
"""
from __future__ import annotations

import re

from answer.types import Passage

KIND_ZH = {"plan": "规划目标", "work_programme": "年度计划目标", "work_summary": "工作总结（已完成）",
           "highlights": "年度亮点（已完成）", "newspaper": "新闻报道",
           "plan_review": "规划回顾（已完成）", "plan_notes": "规划附录（指标说明）"}
KIND_EN = {"plan": "plan target", "work_programme": "work-programme target", "work_summary": "reported result",
           "highlights": "reported result", "newspaper": "news report",
           "plan_review": "plan's review of past results (achieved)", "plan_notes": "plan appendix (definitions)"}
# A plan's opening review ("一、改革发展基础", "回顾", "现状") and its appendix, by their top heading.
_REVIEW = re.compile(r"发展基础|回顾|现状|成就")
_NOTES = re.compile(r"附录|名词解释|指标说明")
_YEAR = re.compile(r"(?<![\d\-—–较比])(20[0-4]\d)(?![\d\-—–])")


def kind_of(p: Passage, quote: str = "") -> str:
    """The passage's document type; for a plan, "plan_review" or "plan_notes" when the quote comes
    from its review of the previous period (or names only years before the plan) or its appendix.

    >>> plan = lambda section: Passage(1, "d", "t", "规划", "金山区", (2021, 2025), "plan", section, 0, 1)
    >>> kind_of(plan(("一、改革发展基础",))), kind_of(plan(("四、主要任务",))), kind_of(plan(("附录2：主要指标说明",)))
    ('plan_review', 'plan', 'plan_notes')
    >>> kind_of(plan(()), "2020年，户籍居民平均期望寿命84.42岁"), kind_of(plan(()), "到2025年，达到85岁")
    ('plan_review', 'plan')
    """
    if p.doc_type != "plan":
        return p.doc_type
    top = p.section[0] if p.section else ""
    if _NOTES.search(top):
        return "plan_notes"
    years = [int(y) for y in _YEAR.findall(quote)]
    if _REVIEW.search(top) or (p.period and years and max(years) < p.period[0]):
        return "plan_review"
    return "plan"



def period_label(period) -> str:
    """A document's period as shown to users.

    >>> period_label([2021, 2025]), period_label((2024, 2024)), period_label(None)
    ('2021–2025', '2024', '')
    """
    if not period:
        return ""
    a, b = period
    return str(a) if a == b else f"{a}–{b}"


def frame_zh(p: Passage, kind: str | None = None) -> str:
    """《title》（district，period，kind）; `kind` defaults to the document type (see kind_of).

    >>> frame_zh(Passage(1, "d", "t", "规划", "金山区", (2021, 2025), "plan", (), 0, 1))
    '《规划》（金山区，2021–2025，规划目标）'
    >>> frame_zh(Passage(1, "p1.txt", "t", "p1.txt", None, None, "other", (), 0, 1))
    '《p1.txt》'
    """
    bits = [b for b in (p.district, period_label(p.period), KIND_ZH.get(kind or p.doc_type, "")) if b]
    return f"《{p.title}》（{'，'.join(bits)}）" if bits else f"《{p.title}》"


def frame_en(p: Passage, title_en: str | None, district_en: str | None, kind: str | None = None) -> str:
    bits = [b for b in (district_en or p.district, period_label(p.period), KIND_EN.get(kind or p.doc_type, "")) if b]
    return f"“{title_en or p.title}” ({', '.join(bits)})" if bits else f"“{title_en or p.title}”"
