"""Lexical similarity of indicator names. Pure.

Names are compared after dropping punctuation, brackets and spaces; Dice over
characters (robust to 期望/预期 word swaps) and over character bigrams (word order);
`member_of` for a plan naming a class (医学院校…) and a report naming one of its members.
"""
from __future__ import annotations

import re

_DROP = re.compile(r"[\s“”\"'（）()\[\]【】《》、，,。：:；;·\-—]")


def norm(name: str) -> str:
    """The name without punctuation, brackets and spaces.

    >>> norm("“英才”(优秀学科带头人) 培育")
    '英才优秀学科带头人培育'
    """
    return _DROP.sub("", name)


def char_dice(a: str, b: str) -> float:
    """Dice coefficient over the two names' character sets.

    >>> round(char_dice("婴儿死亡率", "本区婴儿死亡率"), 2)
    0.83
    """
    x, y = set(norm(a)), set(norm(b))
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def char_cover(a: str, b: str) -> float:
    """Share of `a`'s characters found in `b` (a word swap like 预期/期望 costs little).

    >>> round(char_cover("人均预期寿命", "本区户籍居民平均期望寿命"), 2)
    0.67
    """
    x, y = set(norm(a)), set(norm(b))
    return len(x & y) / len(x) if x else 0.0


def bigram_dice(a: str, b: str) -> float:
    """Dice coefficient over character bigrams; a name contained in the other scores at least 0.9.

    >>> bigram_dice("市级医学重点学科", "1-3个市级医学重点学科") >= 0.9, round(bigram_dice("签约率", "覆盖率"), 2)
    (True, 0.0)
    """
    x, y = norm(a), norm(b)
    if not x or not y:
        return 0.0
    if x in y or y in x:
        return max(0.9, _dice2(x, y))
    return _dice2(x, y)


def _dice2(x: str, y: str) -> float:
    gx = {x[i:i + 2] for i in range(len(x) - 1)} or {x}
    gy = {y[i:i + 2] for i in range(len(y) - 1)} or {y}
    return 2 * len(gx & gy) / (len(gx) + len(gy))


# a class noun a plan may name ("医学院校") and the endings of the named members a report gives
# ("上海中医药大学", "上海健康医学院"); general Chinese usage, not taken from one indicator
_CLASS_MEMBERS = {"院校": ("大学", "学院", "学校"), "高校": ("大学", "学院"), "学校": ("大学", "学院", "学校", "中学", "小学")}


def member_of(plan_name: str, report_name: str) -> bool:
    """Does the report name a member of the class the plan names, the rest of the names being equal?

    Both names end with the same head (at least 4 characters: the thing counted); the plan's
    modifier ends with a class noun, the report's with a member's ending, and the member shares a
    character with the class's qualifier (医学院校: 医), so "标准化村卫生室" is no member of
    "示范性村卫生室" and a finance university no member of 医学院校.

    >>> member_of("医学院校附属社区卫生服务中心", "上海中医药大学附属社区卫生服务中心")
    True
    >>> member_of("医学院校附属社区卫生服务中心", "上海财经大学附属社区卫生服务中心"), member_of("示范性村卫生室", "标准化村卫生室")
    (False, False)
    """
    a, b = norm(plan_name), norm(report_name)
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    plan_mod, report_mod = a[: len(a) - n], b[: len(b) - n]
    if n < 4 or not plan_mod or not report_mod:
        return False
    for cls, endings in _CLASS_MEMBERS.items():
        if plan_mod.endswith(cls) and report_mod.endswith(endings) and report_mod != plan_mod:
            qualifier = plan_mod[: -len(cls)]
            return not qualifier or bool(set(qualifier) & set(report_mod[: -2]))
    return False
