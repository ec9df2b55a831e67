"""Score the sentences of the retrieved passages against a question.

Shared by the extractive answerer (which quotes the best ones) and the refusal
check (which asks whether any of them really answers). Pure functions.
A candidate is a verbatim piece of a passage: a sentence, or for a long
sentence a window of its clauses, so quotes stay short.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from answer.types import Passage
from index.bm25 import bigrams
from index.expand import expand_english
from index.query import strip_place_and_time, to_simplified

MAX_QUOTE = 120
_SENT = re.compile(r"[^。！？；;!?\n]*[。！？；;!?]?")
_CLAUSE = re.compile(r"[^，,、：:]*[，,、：:]?")
QUESTION_WORDS = re.compile(
    r"(请问|是多少|有多少|多少|几个|几家|几项|几|哪些|哪里|哪个|什么时候|什么|怎么样|怎么|如何|是否|有没有|能不能|可以吗|吗|呢|啊|吧|"
    r"\bwhat\b|\bhow many\b|\bhow much\b|\bhow\b|\bwhich\b|\bwhen\b|\bwhere\b|\bis\b|\bare\b|\bwas\b|\bwere\b|\bdo\b|\bdoes\b|\bdid\b|\bthe\b|\bof\b|\bin\b)",
    re.IGNORECASE)
FORMULA_SCALE = re.compile(r"[×xX*]\s*10{1,6}\s*%?")
LIST_ORDINAL = re.compile(r"^\s*[（(]?\d{1,2}[)）]?(?:[.．、]|\s+)")


def has_figure(quote: str) -> bool:
    """Does the quote state a figure? A leading list number ("1 人均预期寿命", "3、") is not one.

    Nor is the scale of an indicator's definition ("床位数/年末常住人口数×1000").

    >>> has_figure("1 人均预期寿命（岁） 优于全市平均水平"), has_figure("实现7连升"), has_figure("3月正式运行")
    (False, True, True)
    >>> has_figure("医疗卫生机构床位数/年末常住人口数×1000"), has_figure("病例总数×100%")
    (False, False)
    """
    quote = FORMULA_SCALE.sub("", LIST_ORDINAL.sub("", quote, count=1))
    return bool(re.search(r"\d", quote))
WANTS_NUMBER = re.compile(r"多少|(?<![哪好])几|比例|比率|how many|how much|what share|what proportion|percentage|number of", re.I)
WANTS_LIST = re.compile(r"哪些|哪几|包括|which|what are", re.I)
WANTS_DATE = re.compile(r"什么时候|何时|哪一年|几月|when|what year|deadline", re.I)


@dataclass(frozen=True)
class Candidate:
    n: int  # passage number
    quote: str  # verbatim text of the passage
    score: float  # overlap plus small rank and question-type bonuses, for ordering
    overlap: float  # share of the question's key bigrams found in the quote
    has_number: bool
    years: tuple[int, ...]


def quote_years(quote: str) -> tuple[int, ...]:
    """The years a quote speaks about. A range ("2024-2030年") names a plan, not a year's value,
    and a comparison base ("较2022年底上升30%") is not the year the figure is for.

    >>> quote_years("2024年签约率达49.13%"), quote_years("服务量较2022年底上升30%"), quote_years("2024-2030年")
    ((2024,), (), ())
    """
    return tuple(int(y) for y in re.findall(r"(?<![\d\-—–较比])(20[0-4]\d)(?![\d\-—–])", quote))


def split_candidates(text: str, max_len: int = MAX_QUOTE) -> list[str]:
    """Sentences of `text`; a sentence longer than `max_len` becomes clause windows.

    >>> split_candidates("甲乙。丙丁，戊己。")
    ['甲乙。', '丙丁，戊己。']
    >>> [len(c) <= 12 for c in split_candidates("一二三四五，六七八九十，一二三四五，六七八九十。", 12)]
    [True, True]
    """
    out = []
    for line in text.split("\n"):
        for s in _SENT.findall(line):
            s = s.strip()
            if not s:
                continue
            if len(s) <= max_len:
                out.append(s)
                continue
            clauses = [c for c in _CLAUSE.findall(s) if c]
            window = ""
            for c in clauses:
                if window and len(window) + len(c) > max_len:
                    out.append(window)
                    window = ""
                window += c
            if window:
                out.append(window)
    return out


def key_bigrams(question: str) -> set[str]:
    """The question's content as character bigrams: question words, district
    names and years removed (they are checked separately), English expanded."""
    q = to_simplified(question)
    q = expand_english(strip_place_and_time(q))  # sentence scoring: no colloquial synonyms, they dilute
    q = QUESTION_WORDS.sub(" ", q)
    return {b for b in bigrams(re.sub(r"[A-Za-z]+", " ", q) if re.search(r"[\u4e00-\u9fff]", q) else q) if len(b) == 2}


def question_parts(question: str) -> list[str]:
    """The sub-questions of a multi-part question (split at ？ and ；), each with some content.

    >>> question_parts("金山规划的目标是多少？闵行2024年实际达到多少？")
    ['金山规划的目标是多少', '闵行2024年实际达到多少']
    >>> question_parts("签约率是多少？哪个更高？")
    ['签约率是多少']
    """
    parts = [p.strip() for p in re.split(r"[？?；;]", question) if p.strip()]
    return [p for p in parts if len(key_bigrams(p)) >= 2]


@lru_cache(maxsize=1)
def _tokenizer():
    from index.bm25 import Tokenizer, domain_terms

    return Tokenizer(domain_terms([]))


def key_words(question: str) -> set[str]:
    """The question's content words (jieba with the domain dictionary), as for key_bigrams."""
    q = QUESTION_WORDS.sub(" ", expand_english(strip_place_and_time(to_simplified(question))))
    return {w for w in _tokenizer().tokenize(q) if len(w) >= 2 and not w.isascii()}


def rank_candidates(question: str, passages: Sequence[Passage]) -> list[Candidate]:
    """Every candidate of every passage, best first.

    `overlap` mixes character bigrams (robust to typos and odd word splits) and
    whole words ("签约率" must count more than its pieces).
    """
    keys = key_bigrams(question)
    words = key_words(question)
    wants_number = bool(WANTS_NUMBER.search(question))
    wants_list = bool(WANTS_LIST.search(question))
    wants_date = bool(WANTS_DATE.search(question))
    out = []
    from answer.check import INJECTION

    for p in passages:
        for quote in split_candidates(p.text):
            if INJECTION.search(quote):  # a document's instructions are data, never an answer
                continue
            grams = set(bigrams(quote))
            overlap = len(keys & grams) / len(keys) if keys else 0.0
            if words:
                overlap = (overlap + sum(w in quote for w in words) / len(words)) / 2
            has_number = has_figure(quote)
            score = overlap + 0.05 / p.n
            if wants_number and has_number:
                score += 0.1
            if wants_list and "、" in quote:
                score += 0.05
            if wants_date and re.search(r"\d{4}年|\d+月|年底|年内", quote):
                score += 0.1
            years = quote_years(quote)
            out.append(Candidate(p.n, quote, round(score, 4), round(overlap, 4), has_number, years))
    out.sort(key=lambda c: -c.score)
    return out


def overlap_of(question: str, quote: str) -> float:
    """Share of the question's key bigrams found in `quote` (0..1)."""
    keys = key_bigrams(question)
    return len(keys & set(bigrams(quote))) / len(keys) if keys else 0.0
