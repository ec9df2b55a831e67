"""Bridge English questions to the Chinese text: expand them with glossary terms for BM25.

The glossary (index/glossary.tsv) maps English phrases to the terms the
documents use. Only the lexical (BM25) query is expanded; the dense query
stays as asked, since the embedding model is multilingual.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

GLOSSARY = Path(__file__).with_name("glossary.tsv")


@lru_cache(maxsize=1)
def load_glossary(path: Path = GLOSSARY) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(english phrase, chinese terms) pairs, longest phrase first."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        en, zh = line.split("\t")
        pairs += [(v.strip(), tuple(zh.split())) for v in en.split("|") if v.strip()]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    """One compiled alternation of every phrase (longest first, whole words) and its terms."""
    terms: dict[str, list[str]] = {}
    for phrase, zh in load_glossary():
        terms.setdefault(phrase, [])
        terms[phrase] += [t for t in zh if t not in terms[phrase]]
    alternation = "|".join(re.escape(p) for p in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![a-z])(?:{alternation})(?![a-z])"), {k: tuple(v) for k, v in terms.items()}


def expand_query(question: str) -> str:
    """The question plus the Chinese terms of the English phrases it contains.

    >>> expand_query("How do I sign up with a family doctor in Jinshan?")
    'How do I sign up with a family doctor in Jinshan? 签约 家庭医生 金山'
    >>> expand_query("金山区家庭医生")
    '金山区家庭医生'
    """
    low = question.casefold()
    if not re.search(r"[a-z]{3,}", low):
        return question
    pattern, table = _matcher()
    terms: list[str] = []
    for m in pattern.finditer(low):  # leftmost, longest phrase first at each position
        terms += [t for t in table[m.group(0)] if t not in terms]
    return f"{question} {' '.join(terms)}" if terms else question
