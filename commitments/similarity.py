"""Lexical similarity of indicator names. Pure.

Names are compared after dropping punctuation, brackets and spaces; Dice over
characters (robust to 期望/预期 word swaps) and over character bigrams (word order).
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
