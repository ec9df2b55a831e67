"""Reported results: figures that summaries, highlights and news give for an indicator or a deliverable.

Shapes (general patterns): "签约率达49.13%", "居民健康素养水平42.13%", "新建1家市级示范性康复中心",
"创建…社区卫生服务中心3家", "开展52项适宜技术" (a bare verb: the name follows the count), and in words
"A、B、C等…指标连续6年优于全市平均水平" (one result per named indicator), "连续7年未发生孕产妇死亡".
A clause with no figure may still report on something without a comparable value: a trend
("居民健康素养水平实现7连升") or a completion ("X建成Y附属社区卫生服务中心"); these results have no
number and link only under the same name (link.py); so is a building's stage reached, subject
first ("X工程竣工并投入使用", "X项目完成主体结构封顶"; milestones.py), but not a forecast ("预计…投入使用").
A figure keeps the qualifier written after it ("99%以上"). A running total ("累计建成5个") is marked
cumulative; when it leaves its name out, it counts what the sentence's previous figure of the same
unit counted ("年内建成…分中心2个，累计建成5个"). Each figure belongs to the name written before it;
a per-head denominator is shared by the next name that leaves it out ("每千常住人口执业医师数2.9人、
注册护士数3.5人": 每千常住人口注册护士数), and "A和B分别为x和y" pairs names and figures in order.
Year: a year the sentence opens with, else the last year of the report's period. Only reports are
read (doc_type work_summary, highlights, newspaper); plans and programmes promise, they do not report.
Pure: sentences in, results out.
"""
from __future__ import annotations

import re
from typing import Iterable

from commitments.extract_commitments import REPORT_TYPES
from commitments.milestones import FORECAST, REACHED
from commitments.phrases import LEVEL_VERBS, TASK_VERBS, clauses, clean_name, fragments
from commitments.quantities import COUNT_UNITS, normalize_unit, number_of, quantities
from commitments.types import Result, Sentence

_QUALITATIVE = re.compile(r"(?P<subject>[^，,。；;]*?)(?:连续\s*\d+\s*年)?(?P<value>优于(?:全市|全国|全省)平均水平|全覆盖)")
# the verb and scope a coverage is stated with belong to the value: "实现街镇全覆盖"
_COVERAGE_LEAD = re.compile(r"(?:基本)?(?:实现|达到|做到)[^，,。；;、]{0,6}$")
_QUALIFIER = re.compile(r"\s*(?:及以上|以上|及以下|以下|以内|左右)")  # part of the figure as written: "99%以上"
_CUMULATIVE = re.compile(r"累计|共计|总计|合计|^\s*(?:全区)?共|总数|总量")
_LATER_YEAR = re.compile(r"(20\d\d)\s*年")
_PER_HEAD = re.compile(r"每\s*(?:十万|千|万|百)\s*(?:常住|户籍)?\s*(?:人口|居民|人)")
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


def shared_denominator(name: str, before: str) -> str:
    """A count named after another one in the same sentence takes the per-head denominator it leaves out.

    >>> shared_denominator("注册护士数", "每千常住人口执业（助理）医师数"), shared_denominator("床位数", "医院数")
    ('每千常住人口注册护士数', '床位数')
    """
    m = _PER_HEAD.search(before)
    if m and name.endswith("数") and before.endswith("数") and not name.startswith("每") and m.group(0) not in name:
        return m.group(0) + name
    return name


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
    subject, value = m.group("subject"), m.group("value")
    lead = _COVERAGE_LEAD.search(subject) if value == "全覆盖" else None
    if lead:
        subject, value = re.sub(r"(?:已经|已)$", "", subject[: lead.start()]), lead.group(0) + value
    subject = _LIST_TAIL.sub("", subject).strip()
    names = [clean_name(n) for n in re.split(r"、|和|及", subject) if clean_name(n)]
    return [Result(s.doc, s.district, n, value, None, "", year, s.text, s.chunk_start, s.chunk_end)
            for n in names if len(n) >= 2]


def _in_words(s: Sentence, clause: str, year: int) -> list[Result]:
    """A trend or a completion reported without a figure (one result, number None), or nothing."""
    if any(q.unit for q in quantities(clause)):
        return []
    m = _TREND.search(clause)
    if m:
        name = clean_name(clause[: m.start()])
    elif _DONE.search(clause):
        m = _DONE.search(clause)
        name = clean_name(m.group("what") or m.group("passed"))
    else:
        m = None if _forecast(s, clause) else REACHED.search(clause)
        name = clean_name(clause[: m.start()]) if m else ""
    if len(name) < 3 or len(name) > 40:
        return []
    return [Result(s.doc, s.district, name, m.group("value").strip(), None, "", year, s.text, s.chunk_start, s.chunk_end)]


def _forecast(s: Sentence, clause: str) -> bool:
    """A report clause about what is still to come: a marker word, or a year after the report's period."""
    later = any(s.period and int(y) > s.period[1] for y in _LATER_YEAR.findall(clause))
    return later or bool(FORECAST.search(clause))


def _numeric(s: Sentence, fragment: str, year: int, state: dict) -> list[Result]:
    out = []
    qs = quantities(fragment)
    pos = 0
    for q in qs:
        if q.start < pos or not q.unit:
            continue
        pre, post = fragment[pos:q.start], fragment[q.end:]
        qualifier = _QUALIFIER.match(post)
        if qualifier:
            post = post[qualifier.end():]
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
            name = re.sub(r"^(累计|已经|已|成功|共计|共)", "", name)  # "累计建成…中心9家": the verb follows
            for v in sorted(TASK_VERBS, key=len, reverse=True):  # 创建上海中医药大学附属社区卫生服务中心3家
                if name.startswith(v) and len(name) > len(v) + 1:
                    name = name[len(v):]
                    break
        name = re.sub(r"^(累计|已经|已|成功|共计|共|新增)", "", name)
        name = re.sub(r"连续\s*\d+\s*年$", "", name)  # "接种率连续5年保持在99%": how long, not what
        last = state.get("last")
        if (name in TASK_VERBS or not name) and not post.strip() and last and normalize_unit(last.unit) == unit:
            name = last.indicator  # "…分中心2个，累计建成5个": the total counts what the figure before counted
        if last and len(name) >= 3:
            name = shared_denominator(name, last.indicator)
        if len(name) >= 3:
            value = fragment[q.start:q.end].replace(" ", "") + (qualifier.group(0).strip() if qualifier else "")
            cumulative = bool(_CUMULATIVE.search(pre) or _CUMULATIVE.search(name))
            out.append(Result(s.doc, s.district, name, value, number_of(value), unit, year, s.text,
                              s.chunk_start, s.chunk_end, cumulative))
            state["last"] = out[-1]
        pos = q.end
    return out


def _respectively(s: Sentence, clause: str, year: int) -> list[Result] | None:
    """"A和B分别为2.9人和3.5人": one result per name, in order; None when the clause is not that shape."""
    qs = [q for q in quantities(clause) if q.unit]
    if "分别" not in clause or len(qs) < 2 or clause.index("分别") > qs[0].start:
        return None
    names = [clean_name(n) for n in re.split(r"和|及|与|、", clean_name(clause[: clause.index("分别")]))]
    if len(names) != len(qs) or any(len(n) < 2 for n in names):
        return None
    out = []
    for n, q in zip(names, qs):
        n = shared_denominator(n, out[-1].indicator) if out else n
        value = clause[q.start:q.end].replace(" ", "")
        out.append(Result(s.doc, s.district, n, value, number_of(value), normalize_unit(q.unit), year, s.text,
                          s.chunk_start, s.chunk_end))
    return out


def extract_results(sentences: Iterable[Sentence]) -> list[Result]:
    """Every reported figure in the reports among the sentences, one per (document, quote, indicator, value)."""
    out: list[Result] = []
    for s in sentences:
        if s.doc_type not in REPORT_TYPES or s.kind != "text":
            continue
        carry: dict = {}
        for clause in clauses(s.text):
            year = _year(s, clause)
            if year is None:
                continue
            qual = _qualitative(s, clause, year)
            if qual:
                out.extend(qual)
                continue
            pair = _respectively(s, clause, year)
            if pair is not None:
                out.extend(pair)
                continue
            state = {"last": carry.get("last")}  # the verb is the clause's own; the last figure is the sentence's
            found = [r for frag in fragments(clause) for r in _numeric(s, frag, year, state)]
            carry["last"] = state.get("last")
            out.extend(found or _in_words(s, clause, year))
    seen, unique = set(), []
    for r in out:
        key = (r.doc, r.quote, r.indicator, r.value)
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return unique
