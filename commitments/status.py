"""A commitment's status from its links: met / not_met / no_report / unclear. Pure.

A status other than no_report/unclear is asserted only from a decided link, i.e.
with a quote on both sides (the promise and the report). Candidates make it
"unclear". Before the target year a shortfall is "unclear" (still in progress);
"met" may be given early when a report already shows the target reached. A report
that names the indicator but gives nothing to compare with the target ("实现7连升"
against ≥36%) is shown as a result and leaves the status "unclear"; the status is
decided from the latest report that can be compared. A deliverable promised without a figure
("2028年建成投用") is compared by the building stage its report names (milestones.py): "竣工并投入使用"
meets "完成…并投入使用"; "完成主体结构封顶" is progress towards "建成投用" and leaves it "unclear",
whatever the year (a report in words says what happened, not that nothing more did).
"""
from __future__ import annotations

from typing import Sequence

from commitments import milestones
from commitments.types import Commitment, Link, Result


def reached(number: float, value: str, cmp: str) -> bool | None:
    """Does a reported number reach a target value? None when the target has no figure.

    A range "1-3" is reached at its lower end, and a figure beyond its upper end has reached it
    too (a range of things to build or spread is a volume to reach); a "<=" target is a ceiling,
    met at or below its upper end.

    >>> reached(3, "1-3", "="), reached(52, "20-30", "="), reached(49.13, "80", ">="), reached(11, "12", "<=")
    (True, True, False, True)
    >>> reached(13, "12", "<="), reached(1, "", "")
    (False, None)
    """
    ends = value.split("-")
    try:
        low, high = float(ends[0]), float(ends[-1])
    except ValueError:
        return None
    return number <= high if cmp == "<=" else number >= low


def comparable(c: Commitment, r: Result) -> bool:
    """Can the report's value be set against the target: a figure with a figure, words with words?

    >>> from commitments.types import Commitment, Result, Target
    >>> c = Commitment("c", "indicator", "金山区", "p.txt", "居民健康素养水平", "%", Target("36", ">=", 2025), "q", 0, 0)
    >>> trend = Result("h.txt", "金山区", "居民健康素养水平", "实现7连升", None, "", 2024, "q", 0, 0)
    >>> comparable(c, trend), comparable(c, Result("h.txt", "金山区", "x", "42.13%", 42.13, "%", 2024, "q", 0, 0))
    (False, True)
    """
    value = c.target.value.strip()
    if not value:  # a deliverable without a figure: nothing to compare a report with
        return False
    return any(ch.isdigit() for ch in value) == (r.number is not None)


def staged(c: Commitment, r: Result) -> bool:
    """Are both a deliverable promised without a figure and its report in words about a building stage?

    >>> from commitments.types import Commitment, Result, Target
    >>> c = Commitment("c", "task", "松江区", "p.txt", "区精神卫生中心改扩建工程并投入使用", "", Target("", "", 2027), "q", 0, 0)
    >>> staged(c, Result("s.txt", "松江区", "区精神卫生中心改扩建工程", "竣工并投入使用", None, "", 2027, "q", 0, 0))
    True
    """
    return not c.target.value.strip() and r.number is None and milestones.reached(c.indicator, r.value) is not None


def basis(c: Commitment, links: Sequence[Link]) -> Link | None:
    """The link a met/not_met status would rest on: the latest decided, comparable report with a quote."""
    usable = [l for l in links if l.decided and l.result.quote.strip() and (comparable(c, l.result) or staged(c, l.result))]
    return max(usable, key=lambda l: (l.result.year, l.score)) if usable and c.quote.strip() else None


def decide(c: Commitment, links: Sequence[Link]) -> tuple[str, str]:
    """(status, reason in one line).

    >>> from commitments.types import Commitment, Target, Result, Link
    >>> c = Commitment("c", "indicator", "金山区", "p.txt", "婴儿死亡率", "‰", Target("优于全市平均水平", "", 2025), "2 婴儿死亡率（‰） 优于全市平均水平 预期性", 0, 0)
    >>> r = Result("h.txt", "金山区", "婴儿死亡率", "优于全市平均水平", None, "", 2024, "…婴儿死亡率…优于全市平均水平", 0, 0)
    >>> decide(c, [Link(r, 1.0, True)])[0], decide(c, [Link(r, 0.6, False)])[0], decide(c, [])[0]
    ('met', 'unclear', 'no_report')
    """
    if not links:
        return "no_report", "no report from the same district names this indicator"
    decided = [l for l in links if l.decided and l.result.quote.strip()]
    if not decided or not c.quote.strip():
        return "unclear", "only candidate reports (the names differ): shown, not decided"
    latest = basis(c, links)
    if latest is None:
        r = max(decided, key=lambda l: (l.result.year, l.score)).result
        return "unclear", f"{r.doc} ({r.year}) reports “{r.value}”: nothing to compare with the target"
    r = latest.result
    if staged(c, r):
        if milestones.reached(c.indicator, r.value):
            return "met", f"{r.doc} ({r.year}) reports “{r.value}”: the stage promised ({c.indicator})"
        return "unclear", f"{r.doc} ({r.year}) reports “{r.value}”: progress, short of the stage promised"
    if r.number is None:
        if r.value == c.target.value:
            return "met", f"{r.doc} ({r.year}) reports “{r.value}”, the target as written"
        return "unclear", "the report's wording differs from the target's"
    ok = reached(r.number, c.target.value, c.target.cmp)
    if ok is None:
        return "unclear", "the target has no figure to compare with"
    if ok:
        return "met", f"{r.doc} ({r.year}) reports {r.value}, target {c.target.cmp}{c.target.value}"
    if r.year >= c.target.year:
        return "not_met", f"{r.doc} ({r.year}) reports {r.value}, target {c.target.cmp}{c.target.value} by {c.target.year}"
    return "unclear", f"{r.value} reported for {r.year}, before the target year {c.target.year}"
