"""Pure helpers for the Commitments page: filter tracked commitments, table rows, labels.

No Streamlit here (ui/commitments_page.py is the page); tested on its own.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from commitments.types import Tracked

STATUS_LABELS = {"met": "✅ 已达到 met", "not_met": "❌ 未达到 not met", "unclear": "❔ 待判定 unclear",
                 "no_report": "— 无报告 no report"}
CMP_SIGNS = {">=": "≥", "<=": "≤", "=": "", "": ""}


@dataclass(frozen=True)
class Choice:
    districts: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    years: tuple[int, ...] = ()


def options(records: Sequence[Tracked]) -> dict[str, list]:
    """The values each filter can take, sorted."""
    cs = [t.commitment for t in records]
    return {"district": sorted({c.district or "" for c in cs}), "doc": sorted({c.doc for c in cs}),
            "status": [s for s in STATUS_LABELS if any(t.status == s for t in records)],
            "year": sorted({c.target.year for c in cs})}


def select(records: Sequence[Tracked], choice: Choice) -> list[Tracked]:
    """Records passing every non-empty filter.

    >>> from commitments.types import Commitment, Target
    >>> c = Commitment("c", "task", "宝山区", "b.txt", "x", "家", Target("3", "=", 2030), "q", 0, 1)
    >>> len(select([Tracked(c)], Choice(years=(2030,)))), len(select([Tracked(c)], Choice(districts=("金山区",))))
    (1, 0)
    """
    return [t for t in records
            if (not choice.districts or (t.commitment.district or "") in choice.districts)
            and (not choice.docs or t.commitment.doc in choice.docs)
            and (not choice.statuses or t.status in choice.statuses)
            and (not choice.years or t.commitment.target.year in choice.years)]


def target_label(t: Tracked) -> str:
    """"≥80%（2025）", "3-5家（2025）", "（2025）" for a task without a figure.

    >>> from commitments.types import Commitment, Target
    >>> target_label(Tracked(Commitment("c", "indicator", "金山区", "p", "x", "%", Target("80", ">=", 2025), "q", 0, 1)))
    '≥80%（2025）'
    """
    c = t.commitment
    return f"{CMP_SIGNS.get(c.target.cmp, '')}{c.target.value}{c.unit if c.target.value else ''}（{c.target.year}）"


def table_rows(records: Sequence[Tracked], titles: dict[str, str]) -> list[dict]:
    """One row per commitment for st.dataframe (plain text only)."""
    rows = []
    for t in records:
        c = t.commitment
        best = t.links[0].result if t.links else None
        rows.append({"区 District": c.district or "", "文件 Document": titles.get(c.doc, c.doc),
                     "类型 Kind": c.kind, "指标/任务 Indicator": c.indicator, "目标 Target": target_label(t),
                     "属性 Type": c.type, "基期 Baseline": f"{c.baseline.value}（{c.baseline.year}）" if c.baseline else "",
                     "报告 Reported": f"{best.value}（{best.year}）" if best else "",
                     "状态 Status": STATUS_LABELS.get(t.status, t.status)})
    return rows
