"""The question's focus: its distinctive terms, and which passages speak of them.

A question about one named thing (瑞金医院金山院区, 二期, 智慧云客服) is not answered
by a sentence on the general topic (other hospitals' beds). The focus is the
question's nouns that the documents use, but rarely: a term in few chunks
distinguishes the question, a term in many (医院, 床位) does not. Verbs, adverbs
and time words (坐诊, 连续上升, 今年) are left out: two texts say those in many ways.
A question's English words reach the documents through glossary rows, whose terms are
alternatives (全科医生 | 全科医师): a row is rare only if all its terms are, and a
passage holding any of them speaks of it. Pure functions; `share` is the share
of indexed chunks holding a term.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Sequence

from answer.evidence import key_words
from answer.types import Passage
from index.expand import load_glossary
from index.query import to_simplified

# A term in at most 4 % of the chunks is distinctive. The refusal sets change only from 2 % to 6 %
# (below, too few focus terms to matter; above, 床位-like topic words count as focus): the middle.
MAX_SHARE = 0.04


def focus_terms(question: str, share: Callable[[str], float], max_share: float = MAX_SHARE) -> list[str]:
    """The question's distinctive terms: a passage naming any of them speaks of the focus.

    >>> shares = {"瑞金医院": 0.016, "瑞金": 0.016, "院区": 0.016, "医院": 0.37, "床位": 0.06, "二期": 0.004}
    >>> focus_terms("瑞金医院金山院区二期规划多少张床位？", lambda t: shares.get(t, 0.0))
    ['二期', '瑞金', '瑞金医院', '院区']
    >>> focus_terms("金山居民健康素养水平连续上升几年了？", {"连续": 0.02, "上升": 0.004}.get)
    []
    """
    # Words of the question itself stand alone; words a glossary row added come with their alternatives.
    asked = to_simplified(question)
    rows = _glossary_rows(question) + [(w,) for w in key_words(question) if w in asked]
    return sorted({t for row in rows if _nominal(row) and 0 < max(share(t) or 0 for t in row) <= max_share
                   for t in row if share(t)})


def speaks_of(p: Passage, terms: Sequence[str]) -> bool:
    """Does the passage (its text, section headings or title) name one of `terms`?"""
    where = "\n".join((p.text, *p.section, p.title or "")).casefold()
    return any(t.casefold() in where for t in terms)


def _glossary_rows(question: str) -> list[tuple[str, ...]]:
    """The Chinese terms of each glossary phrase in an English question, one row per phrase
    (leftmost, longest phrase first, as index/expand.py matches them).

    >>> ("全科医生", "全科医师") in [r[:2] for r in _glossary_rows("How many new general practitioners?")]
    True
    """
    low = re.sub(r"(?<=[a-z])[-/](?=[a-z])", " ", question.casefold().replace("’", "'"))
    low = re.sub(r"(?<=[a-z])'s\b", "", low)
    pattern, rows = _glossary()
    return [rows[m.group(0)] for m in pattern.finditer(low)]


@lru_cache(maxsize=1)
def _glossary() -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    """One compiled alternation of the glossary's phrases (longest first) and each phrase's terms."""
    rows: dict[str, tuple[str, ...]] = {}
    for phrase, terms in load_glossary():
        rows[phrase] = tuple(dict.fromkeys(rows.get(phrase, ()) + tuple(terms)))
    alternation = "|".join(re.escape(p) for p in sorted(rows, key=len, reverse=True))
    return re.compile(rf"(?<![a-z])(?:{alternation})(?![a-z])"), rows


def _nominal(row: tuple[str, ...]) -> bool:
    """Is one of the terms a noun or a distinguishing attributive (jieba's tags n*, b)?

    >>> _nominal(("瑞金医院",)), _nominal(("二期",)), _nominal(("坐诊",)), _nominal(("今年",))
    (True, True, False, False)
    """
    return any(_is_nominal(t) for t in row)


@lru_cache(maxsize=4096)
def _is_nominal(term: str) -> bool:
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return any(len(w) >= 2 and tag[:1] in ("n", "b") for w, tag in jieba.posseg.cut(term))
