"""Reported results: figures that summaries, highlights and news give for an indicator or a deliverable.

Shapes (general patterns): "签约率达49.13%", "居民健康素养水平42.13%", "新建1家市级示范性康复中心",
"创建…社区卫生服务中心3家", "开展52项适宜技术" (a bare verb: the name follows the count), and in words
"A、B、C等…指标连续6年优于全市平均水平" (one result per named indicator), "连续7年未发生孕产妇死亡".
A clause with no figure may still report on something without a comparable value: a trend
("居民健康素养水平实现7连升") or a completion ("X建成Y附属社区卫生服务中心"); these results have no
number and link only under the same name (link.py). Year: a year the sentence opens with, else the
last year of the report's period. Only reports are read (doc_type work_summary,
highlights, newspaper); plans and programmes promise, they do not report.
Pure: sentences in, results out.
"""
from __future__ import annotations

import re
from typing import Iterable

from commitments.extract_commitments import REPORT_TYPES
from commitments.phrases import LEVEL_VERBS, TASK_VERBS, clauses, clean_name, fragments
from commitments.quantities import COUNT_UNITS, normalize_unit, number_of, quantities
from commitments.types import Result, Sentence

_QUALITATIVE = re.compile(r"(?P<subject>[^，,。；;]*?)(?:连续\s*\d+\s*年)?(?P<value>优于(?:全市|全国|全省)平均水平|全覆盖)")
_NONE_OCCURRED = re.compile(r"(?:连续\s*\d+\s*年)?未发生(?P<what>[^，,。；;、]{2,12}?)(?:事件|病例|报告)?$")
_LIST_TAIL = re.compile(r"等[^、，,]*?(?:指标|项目|工作)?$")
_YEAR_LEAD = re.compile(r"^(?:截至)?(20\d\d)\s*年")
# a trend in words at the clause end: "实现7连升", "连续3年提升", "稳步提升"
_TREND = re.compile(r"(?P<value>(?:实现|保持)?\s*\d+\s*连(?:升|降|增|涨)|连续\s*\d+\s*年(?:提升|提高|上升|增长|下降|降低)|"
                    r"(?:持续|稳步|逐年|不断)(?:提升|提高|上升|增长|下降|降低))$")
# a deliverable reported done, with no count: "朱泾社区卫生服务中心建成…附属社区卫生服务中心", "通过三级甲等中医医院评审"
_DONE = re.compile(r"(?P<value>(?:建成|挂牌|创成|获评|获批|入选|成为)(?P<what>[^，,。；;、]{4,})|"
                   r"通过(?P<passed>[^，,。；;、]{2,}(?:评审|验收|评定|认证|评价|测评)))$")
# the text before a count is only a verb of doing (开展, 形成; 累计/共 may precede it): the name is what the
# count counts. A locative before a count ("区内8家中心均有…") starts a subject, not an object.
_BARE_VERB = re.compile(r"(?:累计|共计|共|全年|年内)?(?:开展|形成|实施|推广|举办|组建|组织|设立|建立|制定|出台|签订|推出)")
_NOT_LEVEL = re.compile(r"同比|增长|下降|提升了?$|较|(?<![占])比(?!例)|增加")  # a change, not a level; 占比/比例 are names


def _year(s: Sentence, clause: str) -> int | None:
    m = _YEAR_LEAD.match(clause) or _YEAR_LEAD.match(s.text)
    if m and s.period and int(m.group(1)) <= s.period[1]:
        return int(m.group(1))
    return s.period[1] if s.period else None


def _qualitative(s: Sentence, clause: str, year: int) -> list[Result]:
    none = _NONE_OCCURRED.search(clause)
    if none:  # "连续7年未发生孕产妇死亡": a result about 孕产妇死亡, in words
        return [Result(s.doc, s.district, clean_name(none.group("what")), none.group(0).strip(), None, "", year, s.text,
                       s.chunk_start, s.chunk_end)]
    m = _QUALITATIVE.search(clause)
    if not m:
        return []
    subject = _LIST_TAIL.sub("", m.group("subject")).strip()
    names = [clean_name(n) for n in re.split(r"、|和|及", subject) if clean_name(n)]
    return [Result(s.doc, s.district, n, m.group("value"), None, "", year, s.text, s.chunk_start, s.chunk_end)
            for n in names if len(n) >= 2]


def _in_words(s: Sentence, clause: str, year: int) -> list[Result]:
    """A trend or a completion reported without a figure (one result, number None), or nothing."""
    if any(q.unit for q in quantities(clause)):
        return []
    m = _TREND.search(clause)
    if m:
        name = clean_name(clause[: m.start()])
    else:
        m = _DONE.search(clause)
        name = clean_name(m.group("what") or m.group("passed")) if m else ""
    if len(name) < 3 or len(name) > 40:
        return []
    return [Result(s.doc, s.district, name, m.group("value").strip(), None, "", year, s.text, s.chunk_start, s.chunk_end)]


def _numeric(s: Sentence, fragment: str, year: int, state: dict) -> list[Result]:
    out = []
    qs = quantities(fragment)
    pos = 0
    for q in qs:
        if q.start < pos or not q.unit:
            continue
        pre, post = fragment[pos:q.start], fragment[q.end:]
        unit = normalize_unit(q.unit)
        verb = next((v for v in sorted(TASK_VERBS, key=len, reverse=True) if pre.rstrip().endswith(v)), None)
        if verb and unit in COUNT_UNITS and post.strip():  # 新建1家市级示范性康复中心
            m = re.search(r"并|，|,|和(?=\d)", post)
            name = clean_name(post[: m.start()] if m else post)
            state["verb"] = verb
        elif not pre.strip() and state.get("verb") and unit in COUNT_UNITS and post.strip():
            name = clean_name(post)
        else:
            head = pre.rstrip()
            for v in sorted(LEVEL_VERBS, key=len, reverse=True):
                if head.endswith(v):
                    head = head[: -len(v)]
                    break
            if _NOT_LEVEL.search(head[-4:]):  # a change ("同比增长4.93%"), not a level
                pos = q.end
                continue
            name = clean_name(head)
            if _BARE_VERB.fullmatch(pre.strip()) and unit in COUNT_UNITS and post.strip():  # "开展52项适宜技术"
                m = re.search(r"并|，|,|(?:和|及)(?=\s*\d)", post)
                name = clean_name(post[: m.start()] if m else post)
            for v in sorted(TASK_VERBS, key=len, reverse=True):  # 创建上海中医药大学附属社区卫生服务中心3家
                if name.startswith(v) and len(name) > len(v) + 1:
                    name = name[len(v):]
                    break
        name = re.sub(r"^(累计|已经|已|成功|共计|共|新增)", "", name)
        if len(name) >= 3:
            value = fragment[q.start:q.end].replace(" ", "")
            out.append(Result(s.doc, s.district, name, value, number_of(value), unit, year, s.text,
                              s.chunk_start, s.chunk_end))
        pos = q.end
    return out


def extract_results(sentences: Iterable[Sentence]) -> list[Result]:
    """Every reported figure in the reports among the sentences, one per (document, quote, indicator, value)."""
    out: list[Result] = []
    for s in sentences:
        if s.doc_type not in REPORT_TYPES or s.kind != "text":
            continue
        for clause in clauses(s.text):
            year = _year(s, clause)
            if year is None:
                continue
            qual = _qualitative(s, clause, year)
            if qual:
                out.extend(qual)
                continue
            state: dict = {}
            found = [r for frag in fragments(clause) for r in _numeric(s, frag, year, state)]
            out.extend(found or _in_words(s, clause, year))
    seen, unique = set(), []
    for r in out:
        key = (r.doc, r.quote, r.indicator, r.value)
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return unique
