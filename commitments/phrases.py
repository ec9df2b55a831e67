"""Word lists and small pure helpers shared by the two extractors: clauses, subjects, comparators, deadlines.

General Chinese policy-text patterns only (verbs of reaching, comparators,
deadline phrases); nothing here names an indicator of the seeds.
"""
from __future__ import annotations

import re

from commitments.quantities import quantities

# verbs that put a level on an indicator ("提至46%") and the comparison they imply
LEVEL_VERBS = {
    "提高到": ">=", "提高至": ">=", "提升到": ">=", "提升至": ">=", "提至": ">=", "增至": ">=", "增加到": ">=",
    "达到": ">=", "达": ">=", "上升": ">=", "提高": ">=", "降至": "<=", "降低到": "<=", "下降到": "<=", "降到": "<=",
    "控制在": "<=", "稳定在": "=", "保持在": "=", "维持在": "=", "维持": "=", "保持": "=", "为": "=",
}
COMPARATORS = {"不少于": ">=", "不低于": ">=", "不小于": ">=", "至少": ">=", "超过": ">=", "高于": ">=",
               "不超过": "<=", "不得超过": "<=", "不高于": "<=", "不多于": "<=", "低于": "<=", "小于": "<=", "≥": ">=",
               "≤": "<=", ">=": ">=", "<=": "<="}
SUFFIXES = {"以上": ">=", "及以上": ">=", "以内": "<=", "以下": "<=", "左右": "="}
# verbs that announce a deliverable counted in units ("建成20家…", "新招全科医生30-50名")
TASK_VERBS = ("试点建设", "建成", "新建", "建设", "创建", "争创", "打造", "培养", "引入", "引进", "新招", "招录", "增配",
              "配备", "完成", "启动", "推进", "建有", "聚焦", "增设", "增挂", "培育", "新增", "提供", "入选", "设置")
LEAD_FILLERS = ("进一步", "推动", "推进", "力争", "争取", "确保", "努力", "全力", "积极", "稳步", "持续", "逐步", "同时",
                "其中", "原则上", "分别", "实现", "使", "将", "并", "把", "让", "要", "均", "全面", "在")
EMPTY_SUBJECTS = ("最低", "最高", "其中", "另", "合计", "共", "累计", "")
FIVE_YEAR_END = {"三": 2020, "四": 2025, "五": 2030, "六": 2035}
FIVE_YEAR_PHRASE = re.compile(r"“?十([三四五六])五”?(?:规划)?(?:期间|期内|时期|末|目标值|目标)")
DEADLINE_PHRASE = re.compile(r"(?:到|至|于|在)\s*(20\d\d)\s*年(?:底|末|前)?|(?<![较比与\d])(20\d\d)\s*年(?:底|末|前)|"
                      r"(?:预计|计划|确保|力争|争取|将于|将在|将)\s*(20\d\d)\s*年(?:底|末|前)?|"
                      r"(?<![较比与\d])(20\d\d)\s*年(?=\s*(?:内|前)?\s*(?:建成|投入使用|投用|启用|竣工|完成|实现|开工|交付|封顶))")
WITHIN_YEAR = re.compile(r"年内|年底前|今年内|当年")
DELIVERABLE_VERBS = re.compile(r"开工|启用|竣工|交付|投入使用|投用|运营|建成|挂牌|全覆盖|封顶|达到[^，,。；;]{0,20}标准|通过[^，,。；;]{0,12}(?:评审|验收|测评|评价)")


def clauses(sentence: str) -> list[str]:
    """Comma/semicolon/colon clauses of a sentence, end punctuation dropped.

    >>> clauses("到2025年，老年人健康管理率达到75%。")
    ['到2025年', '老年人健康管理率达到75%']
    """
    text = re.sub(r"^\s*\d{1,2}\s*[.．、]\s*(?!\d)", "", sentence.rstrip("。！？!?”’ "))  # list numbering "5."
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):  # split outside brackets only: "(早8点到晚8点,每周7天)" stays one piece
        depth += ch in "（(" and 1 or (ch in "）)" and -1 or 0)
        if depth <= 0 and ch in "，,；;：:":
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def fragments(clause: str) -> list[str]:
    """A clause cut at "、" where both sides hold a figure (a list of targets); other "、" stay.

    >>> fragments("打造3个手术室、3家口腔诊室、4家康复中心")
    ['打造3个手术室', '3家口腔诊室', '4家康复中心']
    >>> fragments("打造不少于8个优势明显、综合竞争力强的重点专科")
    ['打造不少于8个优势明显、综合竞争力强的重点专科']
    """
    parts = clause.split("、")
    out: list[str] = []
    for p in parts:
        if out and (not quantities(p) or not quantities(out[-1])):
            out[-1] += "、" + p
        else:
            out.append(p)
    return out


def five_year_end(text: str) -> int | None:
    """End year of a five-year period the text names ("十四五期间" -> 2025, "十五五" -> 2030).

    >>> five_year_end("在“十五五”规划期内，谋划建设3个集团"), five_year_end("“十四五”目标值")
    (2030, 2025)
    """
    m = FIVE_YEAR_PHRASE.search(text)
    return FIVE_YEAR_END[m.group(1)] if m else None


def deadline_year(text: str) -> int | None:
    """The year a sentence sets as a deadline ("到2025年", "预计2026年", "十五五期间"), if any.

    >>> deadline_year("到 2025 年，老年人健康管理率达到75%"), deadline_year("预计2025年底启用"), deadline_year("比2015年的")
    (2025, 2025, None)
    """
    m = DEADLINE_PHRASE.search(text)
    if m:
        return int(next(g for g in m.groups() if g))
    return five_year_end(text)


def strip_leading(text: str) -> str:
    """Drop deadline phrases and filler verbs at the start of a subject.

    >>> strip_leading("推动常住居民家庭医生签约率"), strip_leading("力争年内完成")
    ('常住居民家庭医生签约率', '完成')
    """
    text = text.strip(" 、，,")
    changed = True
    while changed:
        changed = False
        m = DEADLINE_PHRASE.match(text) or WITHIN_YEAR.match(text) or FIVE_YEAR_PHRASE.match(text)
        if m:
            text, changed = text[m.end():].strip(" ，,"), True
        for w in LEAD_FILLERS:
            if text.startswith(w) and len(text) > len(w):
                text, changed = text[len(w):], True
                break
    return text


def clean_name(text: str) -> str:
    """A subject or object as an indicator name: fillers, comparators and a trailing 的 removed.

    >>> clean_name("互联网医疗服务量较2022年底"), clean_name("医疗机构开放床位数原则上")
    ('互联网医疗服务量', '医疗机构开放床位数')
    """
    text = strip_leading(text)
    text = re.sub(r"较\s*20\d\d\s*年(?:底|末)?$|较(?:去年|上年|前三年)[^，,]*$", "", text)
    for tail in ("原则上", "力争", "分别", "均", "要", "的", "将", "可"):
        if text.endswith(tail):
            text = text[: -len(tail)]
    return text.strip(" 、，,")
