"""Exact match and character-level F1 for Chinese, as the official CMRC 2018 script computes them.

Pure functions. Text is lower-cased; Chinese characters and punctuation are
single segments, runs of other characters are split into words; punctuation
is dropped. F1 is over the longest common contiguous run of segments (as
CMRC's `find_lcs`); EM compares the texts without punctuation. Both take the
best over the gold alternatives. Citation markers "[n]" are removed from a
prediction first: they are ours, not part of an answer.
"""
from __future__ import annotations

import re
import string
import unicodedata
from typing import Sequence

# CMRC 2018's list (dropped when segmenting); EM also drops ASCII punctuation, as CMRC does.
_SP = set("-:_*^/\\~`+=，。：？！“”；’《》·、「」（）－～『』…,?!;()")  # + the NFKC forms of the full-width ones
_PUNCT = _SP | set(string.punctuation)
_CJK = re.compile(r"[\u4e00-\u9fa5]")
_WORD = re.compile(r"\d+(?:[.,]\d+)*|\w+|[^\w\s]")  # close to nltk.word_tokenize: 49.13 stays one token
_MARKER = re.compile(r"\[\d+\]")


def _prep(text: str) -> str:
    return _MARKER.sub("", unicodedata.normalize("NFKC", str(text))).lower().strip()


def segments(text: str) -> list[str]:
    """Chinese characters one by one, other runs as words, punctuation dropped.

    >>> segments("签约率达49.13%，covering 2 districts")
    ['签', '约', '率', '达', '49.13', '%', 'covering', '2', 'districts']
    """
    out, run = [], ""
    for ch in _prep(text):
        if ch in _SP:
            out += _WORD.findall(run)
            run = ""
        elif _CJK.match(ch):
            out += _WORD.findall(run)
            run = ""
            out.append(ch)
        else:
            run += ch
    return out + _WORD.findall(run)


def _longest_common_run(a: Sequence[str], b: Sequence[str]) -> int:
    best, prev = 0, [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            if x == y:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def f1(golds: Sequence[str], prediction: str) -> float:
    """Best character-level F1 over the gold answers.

    >>> f1(["49.13%"], "49.13%"), round(f1(["1265.67万人次"], "门急诊1265.67万人次"), 3)
    (1.0, 0.727)
    """
    pred = segments(prediction)
    best = 0.0
    for gold in golds:
        g = segments(gold)
        common = _longest_common_run(g, pred)
        if common:
            p, r = common / len(pred), common / len(g)
            best = max(best, 2 * p * r / (p + r))
    return best


def exact_match(golds: Sequence[str], prediction: str) -> float:
    """1.0 when the prediction equals a gold answer once punctuation and case are ignored.

    >>> exact_match(["49.13%"], "49.13 %[1]"), exact_match(["49.13%"], "签约率49.13%")
    (1.0, 0.0)
    """
    pred = "".join(ch for ch in _prep(prediction) if ch not in _PUNCT and not ch.isspace())
    return float(any(pred == "".join(ch for ch in _prep(g) if ch not in _PUNCT and not ch.isspace()) for g in golds))
