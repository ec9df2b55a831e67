"""Bridge a question's words to the documents' words: expand it with glossary terms for BM25.

Two glossaries, both built from the documents (never from evaluation questions):
index/glossary.tsv maps English phrases to the Chinese terms the documents use;
index/colloquial.tsv maps everyday spoken Chinese (去药店拿药, 晚上看病) to the
documents' policy terms (就近药房取药, 夜门诊). Only the lexical (BM25) query is
expanded; the dense query stays as asked, since the embedding model handles meaning.
`lexical_query` keeps the everyday-Chinese terms apart from the asker's own words:
a phrase brings up to five document terms, each only possibly what was meant, so
search weighs them less (index/search.py: SearchParams.expansion_weight) instead of
letting them outvote the question. `disposal_objects` adds the verb-object word of a
spoken 把 sentence (把药减一减 -> 减药), since documents write the verb first.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

GLOSSARY = Path(__file__).with_name("glossary.tsv")
COLLOQUIAL = Path(__file__).with_name("colloquial.tsv")


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


@lru_cache(maxsize=1)
def _colloquial() -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    """One alternation of the colloquial phrases (longest first) and their document terms."""
    terms: dict[str, list[str]] = {}
    for line in COLLOQUIAL.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        spoken, formal = line.split("\t")
        for v in (v.strip() for v in spoken.split("|")):
            if v:
                terms.setdefault(v, [])
                terms[v] += [t for t in formal.split() if t not in terms[v]]
    alternation = "|".join(re.escape(v) for v in sorted(terms, key=len, reverse=True))
    return re.compile(alternation), {k: tuple(v) for k, v in terms.items()}


def expand_colloquial(question: str) -> list[str]:
    """Document terms for the everyday phrases in a Chinese question.

    >>> "夜门诊" in expand_colloquial("宝山社区晚上看病到几点")
    True
    >>> "就近药房取药" in expand_colloquial("能不能去家附近的药店拿")
    True
    """
    pattern, table = _colloquial()
    out: list[str] = []
    # Spoken particles split phrases ("附近的药店", "看了病"): match with and without them.
    for text in (question, re.sub(r"[的了地得]", "", question)):
        for m in pattern.finditer(text):
            out += [t for t in table[m.group(0)] if t not in out and t not in question]
    return out


# 把 + a 1-2 character object + a one-character verb + its complement: the tentative form
# (减一减, 查查) or a result/direction (配回来, 减下来, 处理掉).
_DISPOSAL = re.compile(r"把([\u4e00-\u9fff]{1,2}?)([\u4e00-\u9fff])"
                       r"(?:一?\2|一下|下来|下去|回来|回去|过来|出来|起来|掉|好|了|上|到|完)")


def disposal_objects(question: str) -> list[str]:
    """Verb + object words of the question's spoken 把 sentences.

    Speech fronts the object (把药减一减, 把药配回来); the documents write the verb
    first (减药门诊, 代配药), so the two never share a word or even a character pair.

    >>> disposal_objects("有没有专门帮着把药减一减的地方")
    ['减药']
    >>> disposal_objects("能不能帮忙把血压量一下")
    ['量血压']
    >>> disposal_objects("宝山要把常住居民家庭医生签约率提到多少")
    []
    """
    return [verb + obj for obj, verb in _DISPOSAL.findall(question)]


def lexical_query(question: str) -> tuple[str, str]:
    """(the question with its English phrases' Chinese terms, its everyday-Chinese phrases' document terms).

    English words match nothing in Chinese documents, so their glossary terms stand in for
    them at full weight; colloquial terms are alternatives to words the question already has.
    A 把 sentence's verb-object word is the asker's own words reordered: full weight too.

    >>> lexical_query("宝山社区晚上看病到几点")[1].split()[0]
    '夜门诊'
    >>> lexical_query("family doctor")
    ('family doctor 家庭医生', '')
    >>> lexical_query("金山有没有帮着把药减一减的地方")[0].split()[-1]
    '减药'
    """
    english = expand_english(question)
    reordered = [t for t in disposal_objects(question) if t not in english]
    words = f"{english} {' '.join(reordered)}" if reordered else english
    return words, " ".join(t for t in expand_colloquial(question) if t not in words)


def expand_query(question: str) -> str:
    """The question plus the document terms of its English and everyday-Chinese phrases, as one string."""
    words, synonyms = lexical_query(question)
    return f"{words} {synonyms}" if synonyms else words


def expand_english(question: str) -> str:
    """The question plus the Chinese terms of the English phrases it contains.

    >>> expand_query("How do I sign up with a family doctor in Jinshan?")
    'How do I sign up with a family doctor in Jinshan? 签约 家庭医生 金山'
    >>> expand_query("金山区家庭医生")
    '金山区家庭医生'
    >>> "科普盒子" in expand_english("how many science-popularisation boxes are there?")
    True
    """
    # Hyphens, slashes and apostrophes join words the glossary writes apart ("science-popularisation", "Minhang's").
    low = re.sub(r"(?<=[a-z])[-/](?=[a-z])", " ", question.casefold().replace("’", "'"))
    low = re.sub(r"(?<=[a-z])'s\b", "", low)
    if not re.search(r"[a-z]{3,}", low):
        return question
    terms: list[str] = []
    pattern, table = _matcher()
    for m in pattern.finditer(low):  # leftmost, longest phrase first at each position
        terms += [t for t in table[m.group(0)] if t not in terms]
    return f"{question} {' '.join(terms)}" if terms else question
