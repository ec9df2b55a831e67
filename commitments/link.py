"""Link each commitment to reported results about the same indicator, same district.

Score = 0.5 × lexical (character-bigram Dice, containment counts 0.9) + 0.5 × embedding
(cosine of the e5 vectors of the two indicator names, rescaled from [0.80, 1.00] to [0, 1]).
A result is a candidate when it is from the commitment's district, not older than the
promising document's period, its unit agrees with the target's, and the score reaches
`candidate` (and the names share words: `candidate_lexical`); a link is decided only when the names agree lexically too (`decide_lexical`)
and the score reaches `decide`. Undecided links are shown, never used to decide a status.
A report whose value cannot be compared with the target (words for a figure: "实现7连升" against
≥36%, or a figure for a target in words) has no unit to check, so it links only when the names
agree as for a decided link; it is shown, and status.py never decides met/not_met from it.
A deliverable promised without a figure ("2028年建成投用") is compared by the thing it builds
(milestones.deliverable: "区中心医院新院区" on both sides of "…建设建成投用" and "…项目完成主体结构封顶").
Within one report sentence the figures are already attributed: a figure the sentence gives under
another name than the one decided for this commitment is not offered as a candidate ("执业医师数2.9人，
注册护士数3.5人"); and when the sentence gives the year's count and a running total of the same thing
("年内建成…2个，累计建成5个"), a promise over several years takes the total, a one-year promise the count.
The thresholds were set by looking at the seed documents (there is no held-out set yet).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from commitments.milestones import deliverable
from commitments.quantities import normalize_unit
from commitments.similarity import bigram_dice, member_of, norm
from commitments.status import comparable
from commitments.types import Commitment, Link, Result

# classifiers that count the same kind of thing: places/institutions, people, kinds of an item
# ("20-30种适宜技术" and "52项适宜技术" both count distinct techniques)
_COUNT_GROUPS = ({"家", "所", "个", "座", "间", "处"}, {"人", "名"}, {"种", "项"})


@dataclass(frozen=True)
class LinkParams:
    candidate: float = 0.55
    candidate_lexical: float = 0.4  # names must share words, not only an embedding neighbourhood
    decide: float = 0.75
    decide_lexical: float = 0.85
    embed_floor: float = 0.80
    top: int = 3


def units_agree(target_unit: str, target_value: str, result: Result) -> bool:
    """Same unit (counts of places/people/kinds grouped), qualitative with qualitative.

    >>> from commitments.types import Result
    >>> r = Result("d", "金山区", "x", "3家", 3.0, "家", 2024, "q", 0, 0)
    >>> units_agree("所", "1-3", r), units_agree("%", "80", r), units_agree("种", "20-30", r)
    (True, False, False)
    """
    qualitative_target = not any(ch.isdigit() for ch in target_value)
    if result.number is None or qualitative_target:
        return result.number is None and qualitative_target and bool(target_value)
    a, b = normalize_unit(target_unit), normalize_unit(result.unit)
    if a == b:
        return True
    return any(a in g and b in g for g in _COUNT_GROUPS)


def embed_names(embedder, names: Sequence[str]) -> dict[str, np.ndarray]:
    """One vector per distinct name (e5 "query:" prompt on both sides: a symmetric comparison)."""
    distinct = sorted({norm(n) or n for n in names})
    if not distinct:
        return {}
    vectors = embedder.embed(distinct, "query")
    return dict(zip(distinct, vectors))


def names(c: Commitment, r: Result) -> tuple[str, str]:
    """The two names to compare: a deliverable without a figure by what it builds, anything else as named.

    >>> from commitments.types import Commitment, Result, Target
    >>> c = Commitment("c", "task", "松江区", "p.txt", "区中心医院新院区建设建成投用", "", Target("", "", 2028), "q", 0, 0)
    >>> names(c, Result("s.txt", "松江区", "区中心医院新院区项目", "完成主体结构封顶", None, "", 2027, "q", 0, 0))
    ('区中心医院新院区', '区中心医院新院区')
    """
    if c.target.value.strip():
        return c.indicator, r.indicator
    return deliverable(c.indicator), deliverable(r.indicator)


def score(c: Commitment, r: Result, vectors: dict[str, np.ndarray], params: LinkParams) -> tuple[float, float]:
    """(combined score, lexical score) of a commitment–result pair."""
    cn, rn = names(c, r)
    lexical = 1.0 if member_of(cn, rn) else bigram_dice(cn, rn)
    a, b = vectors.get(norm(cn) or cn), vectors.get(norm(rn) or rn)
    cosine = float(a @ b) if a is not None and b is not None else 0.0
    dense = min(1.0, max(0.0, (cosine - params.embed_floor) / (1.0 - params.embed_floor)))
    return 0.5 * lexical + 0.5 * dense, lexical


def eligible(c: Commitment, r: Result) -> bool:
    """Same district (a figure from another district never counts), not from before the promise, not the same document."""
    if not c.district or r.district != c.district or r.doc == c.doc:
        return False
    return c.period_start is None or r.year >= c.period_start


def link(commitments: Sequence[Commitment], results: Sequence[Result], embedder,
         params: LinkParams | None = None) -> list[tuple[Link, ...]]:
    """For each commitment, its links (best first): decided ones and candidates."""
    params = params or LinkParams()
    pairs = [[r for r in results if eligible(c, r) and (units_agree(c.unit, c.target.value, r) or not comparable(c, r))]
             for c in commitments]
    vectors = embed_names(embedder, [n for c, rs in zip(commitments, pairs) for r in rs for n in names(c, r)])
    out = []
    for c, rs in zip(commitments, pairs):
        scored = []
        for r in rs:
            s, lexical = score(c, r, vectors, params)
            decided = s >= params.decide and lexical >= params.decide_lexical
            if decided or (comparable(c, r) and s >= params.candidate and lexical >= params.candidate_lexical):
                scored.append(Link(r, round(s, 3), decided))
        scored.sort(key=lambda l: (-l.decided, -comparable(c, l.result), -l.score))  # what a status can rest on first
        kept, seen = [], set()
        for l in attributed(c, scored):
            key = (l.result.doc, l.result.value, "".join(l.result.quote.split()))
            if key not in seen:
                seen.add(key)
                kept.append(l)
        out.append(tuple(kept[: params.top]))
    return out


def _sentence(l: Link) -> tuple[str, str]:
    return l.result.doc, "".join(l.result.quote.split())


def attributed(c: Commitment, links: list[Link]) -> list[Link]:
    """Links left once each report sentence's own attribution of its figures is respected (order kept).

    >>> from commitments.types import Commitment, Result, Target
    >>> c = Commitment("c", "task", "松江区", "p.txt", "分中心", "个", Target("4-6", "=", 2030), "q", 0, 0, period_start=2026)
    >>> year = Result("s.txt", "松江区", "分中心", "2个", 2.0, "个", 2027, "年内建成分中心2个，累计建成5个。", 0, 0)
    >>> total = Result("s.txt", "松江区", "分中心", "5个", 5.0, "个", 2027, "年内建成分中心2个，累计建成5个。", 0, 0, True)
    >>> [l.result.value for l in attributed(c, [Link(year, 1.0, True), Link(total, 1.0, True)])]
    ['5个']
    """
    decided = {}
    for l in links:
        if l.decided:
            decided.setdefault(_sentence(l), set()).add(norm(l.result.indicator))
    # a candidate named otherwise than what its sentence reports for this commitment is that other indicator
    out = [l for l in links if l.decided or norm(l.result.indicator) in decided.get(_sentence(l), {norm(l.result.indicator)})]
    several_years = c.period_start is not None and c.period_start < c.target.year
    kinds = {}
    for l in out:
        kinds.setdefault((_sentence(l), norm(l.result.indicator)), set()).add(l.result.cumulative)
    return [l for l in out if len(kinds[(_sentence(l), norm(l.result.indicator))]) == 1
            or l.result.cumulative == several_years]
