"""Commitments: the targets and deliverables documents promise, with their year, baseline and quote.

- Plans and programmes (`doc_type` plan / work_programme): target tables row by
  row, targets in running text (see parse_targets.py), and deliverables without
  a figure when the sentence sets a deadline ("确保…年内开工", "“十四五”期间达到…标准").
  Sections that look back ("改革发展基础", appendices) are skipped.
- Reports (summaries, highlights, news): only statements about a later year
  than the report covers ("预计2025年底启用").
- Year: the sentence's own deadline ("到2025年", "十五五期间" -> 2030), else the
  table header's ("“十四五”目标值" -> 2025), else the last year of the document's period.
- A baseline stated in the same plan for an earlier year ("2020年，…婴儿死亡率2.08‰")
  is attached to the indicator it names (same unit, similar name).
Pure: sentences in, commitments out.
"""
from __future__ import annotations

import hashlib
import re
from typing import Iterable

from commitments.phrases import (
    DELIVERABLE_VERBS, WITHIN_YEAR, FIVE_YEAR_PHRASE, DEADLINE_PHRASE, clauses, clean_name, deadline_year, five_year_end,
)
from commitments.parse_targets import targets
from commitments.quantities import normalize_unit, quantities
from commitments.similarity import char_cover
from commitments.types import Baseline, Commitment, Sentence, Target

FORWARD_TYPES = {"plan", "work_programme"}
REPORT_TYPES = {"work_summary", "highlights", "newspaper"}
RETROSPECTIVE = re.compile(r"(?:发展|现实|规划|工作)基础|回顾|成效|成就|成绩|进展|附录|名词解释|指标说明|机遇|挑战")
_ROW = re.compile(r"^\d+\s+(?P<name>.+)（(?P<unit>[^（）]+)）\s+(?P<value>.+?)(?:\s+(?P<type>预期性|约束性))?$")
_TABLE_HEAD = re.compile(r"目标|预期值|指标值")
_PREDICATE = re.compile(r"主体结构|顺利|已经|已|正式|稳步|创建")  # where a subject's own predicate starts
_MARKER_WORDS = re.compile(r"预计|确保|力争|争取|计划|将于|将在")


def commitment_id(doc: str, quote: str, indicator: str, value: str) -> str:
    """Stable id: the same statement gives the same id on every run.

    >>> commitment_id("a.txt", "q", "i", "1") == commitment_id("a.txt", "q", "i", "1")
    True
    """
    return "c-" + hashlib.sha1(f"{doc}\n{quote}\n{indicator}\n{value}".encode()).hexdigest()[:12]


def parse_row(row: str) -> tuple[str, str, str, str, str] | None:
    """(indicator, unit, value, cmp, type) of a flattened target-table row, or None.

    >>> parse_row("5 常见恶性肿瘤诊断时早期比例（%） ≥37 预期性")
    ('常见恶性肿瘤诊断时早期比例', '%', '37', '>=', '预期性')
    >>> parse_row("12 院前急救平均反应时间（分钟） 稳定在 12 分钟以内 约束性")
    ('院前急救平均反应时间', '分钟', '12', '<=', '约束性')
    >>> parse_row("1 人均预期寿命（岁） 优于全市平均水平 预期性")
    ('人均预期寿命', '岁', '优于全市平均水平', '', '预期性')
    """
    m = _ROW.match(row.strip())
    if not m:
        return None
    name = re.sub(r"\s+", "", m.group("name"))
    unit = normalize_unit(m.group("unit"))
    expr = m.group("value").strip()
    qs = quantities(expr)
    if not qs:
        return name, unit, re.sub(r"\s+", "", expr), "", m.group("type") or ""
    q = qs[0]
    head, tail = expr[: q.start], expr[q.end:]
    cmp = "="
    if re.search(r"≥|不低于|不少于|以上", head + tail):
        cmp = ">="
    elif re.search(r"≤|不超过|不高于|以内|以下", head + tail):
        cmp = "<="
    return name, unit, q.value, cmp, m.group("type") or ""


def _table_commitments(s: Sentence) -> list[Commitment]:
    if not _TABLE_HEAD.search(s.context):
        return []
    parsed = parse_row(s.text)
    if parsed is None:
        return []
    name, unit, value, cmp, type_ = parsed
    year = five_year_end(s.context) or deadline_year(s.context) or _default_year(s)
    if year is None:
        return []
    return [_make(s, "indicator", name, unit, value, cmp, year, type_)]


def _default_year(s: Sentence) -> int | None:
    return s.period[1] if s.period else None


def _make(s: Sentence, kind: str, indicator: str, unit: str, value: str, cmp: str, year: int,
          type_: str = "") -> Commitment:
    return Commitment(commitment_id(s.doc, s.text, indicator, value), kind, s.district, s.doc, indicator, unit,
                      Target(value, cmp, year), s.text, s.chunk_start, s.chunk_end, type_, None,
                      s.period[0] if s.period else None)


def _plain_tasks(s: Sentence, year_floor: int | None) -> list[Commitment]:
    """Deliverables without a figure in clauses that set a deadline."""
    out = []
    parts = clauses(s.text)
    for k, clause in enumerate(parts):
        if targets(clause) or not DELIVERABLE_VERBS.search(clause):  # a figure in a name ("15分钟…圈") is no target
            continue
        year = deadline_year(clause)
        if year is None and WITHIN_YEAR.search(clause) and s.doc_type in FORWARD_TYPES:
            year = _default_year(s)
        if year is None or (year_floor is not None and year <= year_floor):
            continue
        name = WITHIN_YEAR.sub("", FIVE_YEAR_PHRASE.sub("", DEADLINE_PHRASE.sub("", clause)))
        name = clean_name(_MARKER_WORDS.sub("", name))
        if DELIVERABLE_VERBS.match(name) or len(name) <= 4:  # the clause has no subject of its own
            subject = next((clean_name(re.sub(r"^(启动|开展|推进|全力推进)", "", p)) for p in parts[:k] if not quantities(p)), "")
            if not subject and s.previous and clauses(s.previous):
                subject = clean_name(clauses(s.previous)[0])
            name = _PREDICATE.split(subject, 1)[0] + name
        out.append(_make(s, "task", name, "", "", "", year))
    return out


def _text_commitments(s: Sentence) -> list[Commitment]:
    year = deadline_year(s.text) or _default_year(s)
    if year is None:
        return []
    found = [_make(s, d.kind, d.indicator, d.unit, d.value, d.cmp, year) for d in targets(s.text)]
    return found + _plain_tasks(s, None)


def extract_commitments(sentences: Iterable[Sentence]) -> list[Commitment]:
    """Every commitment in the sentences, baselines attached; see the module docstring."""
    sentences = list(sentences)
    out: list[Commitment] = []
    for s in sentences:
        if any(RETROSPECTIVE.search(h) for h in s.section):
            continue
        if s.doc_type in FORWARD_TYPES:
            out.extend(_table_commitments(s) if s.kind == "table" else _text_commitments(s))
        elif s.doc_type in REPORT_TYPES and s.kind == "text" and s.period:
            out.extend(_plain_tasks(s, s.period[1]))
    seen, unique = set(), []
    for c in out:
        if c.id not in seen:
            seen.add(c.id)
            unique.append(c)
    return attach_baselines(unique, sentences)


# --- baselines -------------------------------------------------------------------------------

_PAST_YEAR = re.compile(r"^(20\d\d)\s*年")


def baselines(s: Sentence) -> list[tuple[str, str, str, int]]:
    """(name, value, unit, year) stated for an earlier year in a sentence that opens with it.

    >>> baselines(Sentence("d", "2020年，本区婴儿死亡率2.08‰，比2015年的3.81‰下降1.73‰；孕产妇死亡率为0，比2015年的69.30/10万降低。", 0, 0, period=(2021, 2025)))
    [('本区婴儿死亡率', '2.08', '‰', 2020), ('孕产妇死亡率', '0', '', 2020)]
    """
    m = _PAST_YEAR.match(s.text)
    if not m or not s.period or int(m.group(1)) >= s.period[0]:
        return []
    year, out = int(m.group(1)), []
    for clause in clauses(s.text[m.end():]):
        if clause.startswith(("比", "较", "均", "与")):
            continue
        qs = quantities(clause)
        if qs and not qs[0].unit and qs[0].end < len(clause.rstrip()):
            qs = []
        if not qs:  # a bare figure ("孕产妇死亡率为0") has no unit to find it by
            z = re.search(r"^(.+?)为\s*(\d+(?:\.\d+)?)\s*$", clause)
            if z:
                out.append((clean_name(z.group(1)), z.group(2), "", year))
            continue
        q = qs[0]
        name = clean_name(re.sub(r"(为|达到|达)\s*$", "", clause[: q.start]))
        if name:
            out.append((name, q.value, normalize_unit(q.unit), year))
    return out


def attach_baselines(commitments: list[Commitment], sentences: list[Sentence]) -> list[Commitment]:
    """Give each indicator the best-matching earlier-year figure of its own document (same unit, similar name)."""
    found: dict[str, list[tuple[str, str, str, int]]] = {}
    where: dict[tuple, Sentence] = {}
    for s in sentences:
        if s.doc_type in FORWARD_TYPES and s.kind == "text":
            for b in baselines(s):
                found.setdefault(s.doc, []).append(b)
                where.setdefault((s.doc,) + b, s)
    best: dict[int, tuple[float, Baseline]] = {}
    for doc, name, value, unit, year in ((d, *b) for d, bs in found.items() for b in bs):
        s = where[(doc, name, value, unit, year)]
        scored = []
        for i, c in enumerate(commitments):
            if c.kind != "indicator" or c.doc != doc:
                continue
            if unit != c.unit and not (unit == "" and value == "0"):
                continue
            score = char_cover(c.indicator, name)
            if score >= 0.6:
                scored.append((score, i))
        if scored:
            score, i = max(scored)
            if i not in best or best[i][0] < score:
                best[i] = (score, Baseline(value, year, s.text, s.chunk_start, s.chunk_end))
    return [c if i not in best else _with_baseline(c, best[i][1]) for i, c in enumerate(commitments)]


def _with_baseline(c: Commitment, b: Baseline) -> Commitment:
    from dataclasses import replace

    return replace(c, baseline=b)
