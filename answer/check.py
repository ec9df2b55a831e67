"""Checks after every generator: citations point to given passages, numbers are grounded.

`verify(draft, passages)` splits the draft into sentences and removes any that
- carries no [n] marker (except the fixed refusal sentences),
- cites a number n outside 1..len(passages),
- contains a number (with its unit) that does not occur in the passages it
  cites, after normalisation (numbers from the cited documents' titles and
  dates are allowed: the answer frame names them),
- echoes injected instructions (ignore previous instructions, reveal the prompt…).
What was removed and why travels with the answer in `Checks`. Pure.
"""
from __future__ import annotations

import re
from typing import Sequence

from answer.types import Checks, Passage
from eval.normalize import normalize

MARKER = re.compile(r"\[(\d+)\]")
_SENTENCE = re.compile(r".+?(?:(?:\s*\[\d+\])+|[。！？!?][”」』]*(?![”」』\s]*\[)|$)", re.S)
_UNITS = ("余万人次 万人次 余万人 余万 万人 余人 余家 余项 余个 余次 万元 亿元 人次 % ‰ 万 亿 个 家 张 名 所 项 条 座 次 天 岁 "
          "人 元 分钟 小时 平方米 /10万").split()
UNIT = "(?:" + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True)) + ")?"
NUMBER_WITH_UNIT = re.compile(rf"\d+(?:\.\d+)?{UNIT}")
INJECTION = re.compile(
    r"忽略(之前|以上|先前|前面|所有)|无视(之前|以上|所有)|系统提示|提示词|泄露|"
    r"ignore (all |any )?(the )?(previous|prior|above|earlier)|disregard (all |the )?(previous|prior|above)|"
    r"system prompt|reveal (the |your )?(prompt|instructions)|developer mode|jailbreak",
    re.IGNORECASE)
REFUSAL_OPENINGS = ("文档中没有找到", "The documents do not say", "以下是文档中相近的内容", "Nearby facts the documents do hold")


def split_sentences(text: str) -> list[str]:
    """Sentences of an answer, each keeping its trailing [n] markers.

    >>> split_sentences("签约率49.13%[1]。另一句[2][3] 没有引用。")
    ['签约率49.13%[1]', '。另一句[2][3]', ' 没有引用。']
    """
    return [s for s in _SENTENCE.findall(text) if s.strip()]


def allowed_numbers(passages: Sequence[Passage]) -> set[str]:
    """Numbers the answer frame may add: cited documents' titles, dates and periods."""
    out: set[str] = set()
    for p in passages:
        out.update(re.findall(r"\d+", p.title + " " + (p.title_en or "")))
        out.update(re.findall(r"\d+", p.published or ""))
        if p.period:
            out.update(str(y) for y in p.period)
    return out


def numbers_in(sentence: str) -> list[str]:
    """Numbers with their units, markers removed.

    >>> numbers_in("签约率达49.13%，签约居民40余万人[2]")
    ['49.13%', '40余万人']
    """
    return NUMBER_WITH_UNIT.findall(MARKER.sub("", sentence))


def _grounded(number: str, cited: Sequence[Passage], allowed: set[str]) -> bool:
    n = normalize(number)
    if any(n in normalize(p.text) for p in cited):
        return True
    bare = re.match(r"\d+(?:\.\d+)?", n).group(0)
    return n == bare and bare in allowed  # a bare year/date from the metadata frame


def verify(draft: str, passages: Sequence[Passage]) -> tuple[str, Checks]:
    """(the draft with every unsupported sentence removed, what was removed and why)."""
    by_n = {p.n: p for p in passages}
    kept, removed, reasons = [], [], []
    citations_valid = numbers_grounded = True
    for sentence in split_sentences(draft):
        body = MARKER.sub("", sentence).strip(" \n")
        marks = [int(m) for m in MARKER.findall(sentence)]
        if not body.strip("。，,.;；:： \n"):
            if kept and not marks:  # a full stop written after the marker belongs to the sentence before
                kept[-1] += sentence
            continue
        if INJECTION.search(body):
            removed.append(sentence)
            reasons.append("echoes injected instructions")
            continue
        if not marks:
            if body.lstrip("。 \n").startswith(REFUSAL_OPENINGS):
                kept.append(sentence)
                continue
            removed.append(sentence)
            reasons.append("no citation")
            continue
        bad = [m for m in marks if m not in by_n]
        if bad:
            citations_valid = False
            removed.append(sentence)
            reasons.append(f"cites [{bad[0]}], which was not among the {len(passages)} passages given")
            continue
        cited = [by_n[m] for m in marks]
        allowed = allowed_numbers(cited)
        missing = [x for x in numbers_in(sentence) if not _grounded(x, cited, allowed)]
        if missing:
            numbers_grounded = False
            removed.append(sentence)
            reasons.append(f"number {missing[0]} not found in the cited passage")
            continue
        kept.append(sentence)
    text = "".join(kept).strip()
    return text, Checks(citations_valid, numbers_grounded, tuple(removed), tuple(reasons))
