"""Numbers with their units in Chinese policy text, and the words around them. Pure.

`quantities(text)` finds the figures a target or a result can be made of and
leaves out what only looks like one: years and dates ("2025年", "2025-2027年"),
ages inside names ("80岁以上老年人"), codes ("EHR6级", "5G", "“1+1+1”"),
anything inside “…” or 《…》, and list numbering.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

NUM = r"\d+(?:\.\d+)?"
_RANGE = rf"{NUM}(?:\s*[-－—~～至]\s*{NUM})?"
# longest first; "人/10万人口" and "1/10万" are table units, the rest appear in running text
UNITS = ("人/10万人口 1/10万 /10万 万人次 余万人 万人 余人 余家 余项 余个 余次 人次 平方米 分钟 小时 万元 亿元 "
         "个百分点 百分点 % ‰ 岁 张 人 名 家 所 个 台 种 项 类 次 例 份 元 座 条 支 间 处 天").split()
UNIT_RE = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
QUANTITY = re.compile(rf"(?<![\d.A-Za-z+＋])({_RANGE})\s*({UNIT_RE})?")
COUNT_UNITS = {"家", "所", "个", "台", "名", "人", "种", "项", "座", "条", "支", "间", "处", "余家", "余个", "余项", "余人"}
_NOT_AFTER = re.compile(r"\s*(?:[A-Za-z+＋年月日号点届期轮级大]|岁(?:以上|以下|及以上|及以下)|周岁|月龄|类\d)")
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|〔[^〕]*〕|\([^)]*\)|（[^）]*）")  # brackets explain, they do not promise


@dataclass(frozen=True)
class Quantity:
    value: str  # as written, spaces dropped, dashes (and 至) unified: "20-30", "0.74"
    unit: str
    start: int
    end: int

    @property
    def number(self) -> float:
        """The upper end of a range, as a float: "20-30" -> 30.0."""
        return float(self.value.split("-")[-1])

    @property
    def low(self) -> float:
        return float(self.value.split("-")[0])


def _masked(text: str) -> str:
    """Text with quoted/titled spans blanked (same length, so offsets still hold).

    >>> _masked("做实“5+4”医联体《方案》").strip(), len(_masked("做实“5+4”医联体"))
    ('做实     医联体', 10)
    """
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), text)


def quantities(text: str) -> list[Quantity]:
    """Figures in `text`, in order.

    >>> [(q.value, q.unit) for q in quantities("到2025年，80岁以上老年人健康素养提高到23%以上，建成20-30 家")]
    [('23', '%'), ('20-30', '家')]
    >>> [(q.value, q.unit) for q in quantities("通过EHR6级、“1+1+1”签约、不少于8类20项技术")]
    [('20', '项')]
    """
    masked = _masked(text)
    out = []
    for m in QUANTITY.finditer(masked):
        after = masked[m.end(1):m.end(1) + 4] if not m.group(2) else masked[m.end():m.end() + 3]
        if not m.group(2) and _NOT_AFTER.match(after):
            continue
        if m.group(2) == "岁" and re.match(r"(?:以上|以下|及以上|及以下)", masked[m.end():m.end() + 3]):
            continue
        if m.group(2) == "类" and re.match(r"\d", masked[m.end():m.end() + 1]):
            continue  # "8类20项": the count is the second number
        if m.group(2) is None and re.match(r"\s*(?:岁以上|岁以下|周岁)", masked[m.end(1):]):
            continue
        if m.start() > 0 and masked[m.start() - 1] in "第-－":
            continue
        value = re.sub(r"\s*[-－—~～至]\s*", "-", m.group(1).strip())
        out.append(Quantity(value, m.group(2) or "", m.start(1), m.end()))
    return out


def normalize_unit(unit: str) -> str:
    """One spelling per unit: spaces dropped, "余" dropped.

    >>> normalize_unit("人/10 万人口"), normalize_unit("余家")
    ('人/10万人口', '家')
    """
    return re.sub(r"\s+", "", unit).replace("余", "")


def number_of(value: str) -> float | None:
    """The number in a value as written (upper end of a range), None when there is none.

    >>> number_of("49.13%"), number_of("3-5家"), number_of("优于全市平均水平")
    (49.13, 5.0, None)
    """
    found = re.findall(NUM, value)
    return float(found[-1]) if found and re.match(rf"\s*{_RANGE}", value) else None
