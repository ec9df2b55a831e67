"""Targets inside one sentence of running text: `targets(sentence) -> list[Draft]`. Pure.

Three shapes, found with general patterns of Chinese policy text:
- indicator + level verb/comparator + figure: "签约率提至46%", "床位控制在每千人口0.74张以内";
- verb + count + deliverable: "年内建成3-5家儿童早期发展基地", "打造3个…、3家…" (the verb carries over a list);
- name + figure at the clause end: "区级重点建设专科18-20个", "80岁以上老年人100%签约".
"分别达到A和B" pairs each figure with its subject. A figure with no unit, a level
verb or a deliverable is not a target.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from commitments.phrases import (
    COMPARATORS, EMPTY_SUBJECTS, LEVEL_VERBS, SUFFIXES, TASK_VERBS, clauses, clean_name, fragments,
)
from commitments.quantities import COUNT_UNITS, normalize_unit, quantities

_PER = re.compile(r"每(千|万|十万|10万)(常住)?人口\s*$")
_BASE = re.compile(r"(^|不少于|不低于|不得超过|不超过|不高于|达到|占|按)([^，,按的]{1,16})的\s*$")
_OBJECT_END = re.compile(r"并|及(?=\s*\d)|和(?=\s*\d)|，|,")
_LEAD_LEVEL = {"维持": "=", "保持": "="}
_VERB_HEADS = TASK_VERBS + ("力争", "争取")


@dataclass(frozen=True)
class Draft:
    kind: str  # "indicator" | "task"
    indicator: str
    unit: str
    value: str
    cmp: str


def _ends_with(text: str, words) -> str | None:
    for w in sorted(words, key=len, reverse=True):
        if text.endswith(w):
            return w
    return None


def _name(text: str) -> tuple[str, str]:
    """(name, cmp implied by a leading 维持/保持) of a subject."""
    name = clean_name(text)
    for w, c in _LEAD_LEVEL.items():
        if name.startswith(w) and len(name) > len(w):
            return clean_name(name[len(w):]), c
    return name, ""


def _strip_verb(name: str) -> tuple[str, bool]:
    for v in sorted(TASK_VERBS, key=len, reverse=True):
        if name.startswith(v) and len(name) > len(v) + 1:
            return name[len(v):], True
    return name, False


def _object(post: str) -> tuple[str, int]:
    """The deliverable after a count, cut at 并/和 + figure; (object, characters consumed)."""
    m = _OBJECT_END.search(post)
    end = m.start() if m else len(post)
    return clean_name(post[:end]), end


def _fragment(fragment: str, state: dict) -> list[Draft]:
    qs = quantities(fragment)
    out: list[Draft] = []
    pos = 0  # figures before `pos` were consumed by a deliverable's name
    for q in qs:
        if q.start < pos:
            continue
        pre, post = fragment[pos:q.start], fragment[q.end:]
        pre = re.sub(r"^\s*(?:和|及|与|、|以上|以内|左右)", "", pre)
        pre = re.sub(r"\d+(?:\.\d+)?\s*类\s*$", "", pre)  # "8类20项": the count is the second figure
        cmp = ""
        suffix = _ends_with_prefix(post, SUFFIXES)
        if suffix:
            cmp = SUFFIXES[suffix]
            post = post[len(suffix):]
        unit = normalize_unit(q.unit)
        m = _PER.search(pre)
        if m:
            unit += "/千人口" if m.group(1) == "千" else f"/{m.group(1)}人口"
            pre = pre[:m.start()]
        base = ""
        m = _BASE.search(pre)
        if m:
            base, pre = m.group(2), pre[:m.end(1)]
            if pre.endswith("按"):
                pre, cmp = pre[:-1], cmp or "="
        comp = _ends_with(pre.rstrip(), COMPARATORS)
        if comp:
            cmp = cmp or COMPARATORS[comp]
            pre = pre.rstrip()[: -len(comp)]
        level = _ends_with(pre.rstrip(), LEVEL_VERBS)
        if level and level == "为" and not pre.rstrip()[:-1]:
            level = None
        if level:
            cmp = cmp or LEVEL_VERBS[level]
            pre = pre.rstrip()[: -len(level)]
        verb = None if level else _ends_with(pre.rstrip(), _VERB_HEADS)
        if verb and not cmp:  # "至少设置1家": the comparator may stand before the verb
            before = _ends_with(pre.rstrip()[: -len(verb)], COMPARATORS)
            cmp = COMPARATORS[before] if before else cmp
        inherited = not pre.strip() and state.get("verb") and unit in COUNT_UNITS and post.strip()
        if (verb or inherited) and unit in COUNT_UNITS and post.strip():
            obj, used = _object(post)
            if obj:
                out.append(Draft("task", obj, unit, q.value, cmp or "="))
                state["verb"] = verb or state.get("verb")
                pos = q.end + len(suffix or "") + used
                continue
        name, lead_cmp = _name(pre)
        cmp = cmp or lead_cmp
        name, had_verb = _strip_verb(name) if unit in COUNT_UNITS and not level else (name, False)
        tail = post.strip()
        if tail and len(tail) <= 3 and not re.search(r"[率数量比例]$", name) and not (level or comp or base):
            name += tail  # "80岁以上老年人100%签约"
            tail = ""
        if (name in EMPTY_SUBJECTS or name.startswith(("最低", "最高"))) and base and not name:
            name = base
        elif name in EMPTY_SUBJECTS or name.startswith(("最低", "最高")):
            name = state.get("subject", "")
        anchored = bool(level or comp or base or suffix or had_verb or lead_cmp) or not tail or len(tail) <= 3
        if not unit or not name or len(name) > 40 or not anchored:  # a figure with nothing saying it is a target
            pos = q.end
            continue
        kind = "task" if unit in COUNT_UNITS and not level and not base else "indicator"
        out.append(Draft(kind, name, unit, q.value, cmp or "="))
        state["subject"] = name
        pos = q.end + len(suffix or "")
    return out


def _ends_with_prefix(text: str, words) -> str | None:
    t = text.lstrip()
    for w in sorted(words, key=len, reverse=True):
        if t.startswith(w):
            return text[: len(text) - len(t)] + w
    return None


def _respectively(fragment: str) -> list[Draft] | None:
    """"A和B力争分别达到0.25张和0.55张" -> one draft per subject, or None when it is not that shape."""
    if "分别" not in fragment:
        return None
    qs = quantities(fragment)
    head = fragment[: qs[0].start] if qs else ""
    level = next((v for v in sorted(LEVEL_VERBS, key=len, reverse=True) if v in head), None)
    if not qs or not level:
        return None
    names = re.split(r"和|及|与|、", clean_name(head[: head.index("分别")]))
    if len(names) != len(qs):
        return None
    return [Draft("indicator", clean_name(n), normalize_unit(q.unit), q.value, LEVEL_VERBS[level])
            for n, q in zip(names, qs)]


def targets(sentence: str) -> list[Draft]:
    """Targets of one sentence of running text.

    >>> [(d.kind, d.indicator, d.value, d.unit, d.cmp) for d in targets("推动常住居民家庭医生签约率提至46%，80岁以上老年人100%签约。")]
    [('indicator', '常住居民家庭医生签约率', '46', '%', '>='), ('indicator', '80岁以上老年人签约', '100', '%', '=')]
    >>> [(d.kind, d.indicator, d.value, d.unit) for d in targets("谋划建设3个紧密型城市医疗集团和2个国家医学中心。")]
    [('task', '紧密型城市医疗集团', '3', '个'), ('task', '国家医学中心', '2', '个')]
    >>> targets("严格落实18项医疗质量安全核心制度。")
    []
    """
    out: list[Draft] = []
    state: dict = {}
    for clause in clauses(sentence):
        state.pop("verb", None)
        for frag in fragments(clause):
            pair = _respectively(frag)
            out.extend(pair if pair is not None else _fragment(frag, state))
    return out
