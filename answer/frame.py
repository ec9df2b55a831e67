"""The words around a quote: which document, district and year, target or achieved.

Only metadata goes into a frame (title, district, period, publication date,
document type), so every other figure in an answer comes from a quoted passage.
"""
from __future__ import annotations

from answer.types import Passage

KIND_ZH = {"plan": "规划目标", "work_programme": "年度计划目标", "work_summary": "工作总结（已完成）",
           "highlights": "年度亮点（已完成）", "newspaper": "新闻报道"}
KIND_EN = {"plan": "plan target", "work_programme": "work-programme target", "work_summary": "reported result",
           "highlights": "reported result", "newspaper": "news report"}


def period_label(period) -> str:
    """A document's period as shown to users.

    >>> period_label([2021, 2025]), period_label((2024, 2024)), period_label(None)
    ('2021–2025', '2024', '')
    """
    if not period:
        return ""
    a, b = period
    return str(a) if a == b else f"{a}–{b}"


def frame_zh(p: Passage) -> str:
    """《title》（district，period，kind）

    >>> frame_zh(Passage(1, "d", "t", "规划", "金山区", (2021, 2025), "plan", (), 0, 1))
    '《规划》（金山区，2021–2025，规划目标）'
    >>> frame_zh(Passage(1, "p1.txt", "t", "p1.txt", None, None, "other", (), 0, 1))
    '《p1.txt》'
    """
    bits = [b for b in (p.district, period_label(p.period), KIND_ZH.get(p.doc_type, "")) if b]
    return f"《{p.title}》（{'，'.join(bits)}）" if bits else f"《{p.title}》"


def frame_en(p: Passage, title_en: str | None, district_en: str | None) -> str:
    bits = [b for b in (district_en or p.district, period_label(p.period), KIND_EN.get(p.doc_type, "")) if b]
    return f"“{title_en or p.title}” ({', '.join(bits)})" if bits else f"“{title_en or p.title}”"
