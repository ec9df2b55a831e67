"""Follow-up questions made standalone from the chat history, offline, by rules.

`rewrite` carries the subject, district and year of the last user question into a follow-up
such as "那宝山呢？", "what about 2025?" or "它的目标是多少". That question is first made standalone
the same way, so a chain of follow-ups ("那闵行呢？" then "宝山呢？") keeps its subject. It only
recombines words found in the user's questions, so it never guesses a district or a year; a question
with a subject of its own comes back unchanged. It does not translate free text.
"""
from __future__ import annotations

import re
from typing import Sequence

from index.query import DISTRICTS, FIVE_YEAR, strip_place_and_time, to_simplified, understand

PINYIN = {v: k[0].upper() + k[1:] for k, v in DISTRICTS.items() if k.isascii()}
RELATIVE = {"前年": -2, "去年": -1, "今年": 0, "明年": 1, "后年": 2, "last year": -1, "this year": 0, "next year": 1}
# What a follow-up may ask about the previous subject (Chinese -> English, and back).
ASPECTS = {"同比增长": "year-on-year growth", "完成情况": "progress", "目标": "target", "规划": "plan", "计划": "plan", "进展": "progress",
           "实际": "actual figure", "成效": "results", "变化": "change", "增长": "growth", "措施": "measures"}
EN_ASPECTS = {"target": "目标", "targets": "目标", "goal": "目标", "goals": "目标", "plan": "规划", "progress": "进展",
              "actual": "实际", "result": "成效", "results": "成效", "outcome": "成效", "change": "变化",
              "growth": "增长", "increase": "增长", "measures": "措施"}
PRONOUN_ZH = r"这个指标|这项指标|该指标|这一指标|此项指标|(?<!其)它们?|这个|该项|此项|这项"
PRONOUN_EN = r"\bits?\b|\b(?:this|that)\b(?=\s*(?:[?？.!]|$))"
QWORDS_ZH = r"(?:是|有|为|达到了?|达)?(?:多少|几)|有哪些|哪些|是什么|什么|如何|怎么样|怎样|是否|有何|吗|呢"
FILLERS_ZH = r"那么|那|还有|另外|的|又|还|呀|啊|和|与|及|在|期间|时期"
STOP_EN = set("what what's about how and in for the a an is are was were be of to by on at then so many much which "
              "did does do has have will there please also same district year during s".split())
EN_FRAME = r"^\s*(?:what|which|how many|how much|how)(?:'s|\s+(?:is|are|was|were|did|does|do|has|have|will))?\s+"
_FIVE = "|".join(re.escape(k) for k in sorted(FIVE_YEAR, key=len, reverse=True))
TIME = (rf"(?<!\d)20\d\d(?!\d)(?:\s*年)?|[“\"]?(?:{_FIVE})(?:[- ]year(?: plans?)?)?[”\"]?(?:规划|期间|时期)?|"
        + "|".join(RELATIVE))
_NAMES = "|".join(re.escape(k) for k in sorted(DISTRICTS, key=len, reverse=True))
_JOIN = r"(\s*(?:和|与|及|、|,|，|至|到|—|–|-|~|\band\b|\bto\b|\bthrough\b)\s*)?"
_HAN = r"[\u4e00-\u9fff]"


def rewrite(question: str, history: Sequence[tuple[str, str]]) -> str:
    """`question` as a standalone question, its missing parts taken from the last user turn.

    >>> h = [("user", "金山区家庭医生签约率是多少？"), ("assistant", "……")]
    >>> rewrite("那宝山呢？", h)
    '宝山区家庭医生签约率是多少？'
    >>> rewrite("目标呢", [("user", "宝山区家庭医生签约率是多少？")])
    '宝山区家庭医生签约率的目标是多少？'
    >>> rewrite("那去年呢", [("user", "闵行区2024年门急诊人次是多少？")])
    '闵行区2023年门急诊人次是多少？'
    >>> rewrite("And in Minhang?", [("user", "What is the family doctor contract rate in Jinshan?")])
    'What is the family doctor contract rate in Minhang?'
    >>> rewrite("闵行区床位数是多少？", h)
    '闵行区床位数是多少？'
    >>> rewrite("宝山呢？", h + [("user", "那闵行呢？")])
    '宝山区家庭医生签约率是多少？'
    """
    users = [text for role, text in history if role == "user" and text.strip()]
    if not question.strip() or not users:
        return question
    # The last question as it was answered: itself rewritten from the ones before it (a few turns back).
    prev = rewrite(users[-1], [("user", u) for u in users[-4:-1]])
    q = to_simplified(question)
    low = q.casefold()
    districts = tuple(sorted(understand(q).districts,  # in the order the question names them
                             key=lambda d: min(low.find(k) for k, v in DISTRICTS.items() if v == d and k in low)))
    when, aspects, own = _time(q, prev), _aspects(re.sub(TIME, " ", q, flags=re.IGNORECASE)), _has_subject(q)
    # an English "it"/"that" with words of its own around it is too often not a pronoun ("is it true that ...")
    pronoun = re.search(PRONOUN_ZH, q) or (not own and re.search(PRONOUN_EN, q, re.IGNORECASE))
    if not (districts or when or aspects or pronoun) or (own and not pronoun):
        return question
    zh = bool(re.search(_HAN, prev))
    base = _with_time(_with_place(prev, districts, zh), when[zh] if when else "", zh)
    if pronoun and own:
        return _resolve_pronoun(q, _subject(base, zh))
    if not aspects:
        return base
    if zh:
        asked = [m for m in re.findall(QWORDS_ZH, q + prev) if m not in ("吗", "呢")] or ["是多少"]
        subject = re.sub(f"的(?:{'|'.join(map(re.escape, ASPECTS))})$", "", _subject(base, zh))  # a new aspect replaces the old
        return f"{subject}的{'和'.join(a for a, _ in aspects)}{asked[0]}？"
    frame = re.match(r"\s*(what|which)\s+(is|are|was|were)\b", q, re.IGNORECASE)
    opening = f"{frame[1].capitalize()} {frame[2].lower()}" if frame else "What is"
    return f"{opening} the {' and '.join(e for _, e in aspects)} for {_subject(base, zh)}?"


def _has_subject(q: str) -> bool:
    """Whether `q` keeps content words once place, time, pronouns, aspects and question words go.

    >>> _has_subject("那宝山的目标呢？"), _has_subject("宝山区床位数是多少"), _has_subject("And in 2025?")
    (False, True, False)
    """
    rest = re.sub(TIME, " ", strip_place_and_time(q), flags=re.IGNORECASE)
    rest = re.sub(PRONOUN_ZH + "|" + PRONOUN_EN, " ", rest, flags=re.IGNORECASE)
    for word in sorted(ASPECTS, key=len, reverse=True):
        rest = rest.replace(word, " ")
    rest = re.sub(QWORDS_ZH + "|" + FILLERS_ZH, " ", rest)
    words = [w for w in re.findall(r"[a-z]+", rest.casefold()) if w not in STOP_EN and w not in EN_ASPECTS]
    return len(re.findall(_HAN, rest)) >= 2 or bool(words)


def _aspects(q: str) -> list[tuple[str, str]]:
    """The (Chinese, English) aspects `q` asks about, in order.

    >>> _aspects("它的目标和完成情况呢"), _aspects("what is the target?")
    ([('目标', 'target'), ('完成情况', 'progress')], [('目标', 'target')])
    >>> _aspects("同比增长多少")
    [('同比增长', 'year-on-year growth')]
    """
    found, taken = {}, set()
    for k in sorted(ASPECTS, key=len, reverse=True):  # the longest first: 同比增长 holds 增长
        at = q.find(k)
        if at >= 0 and not taken & set(range(at, at + len(k))):
            found[at] = (k, ASPECTS[k])
            taken |= set(range(at, at + len(k)))
    found |= {m.start(): (EN_ASPECTS[m[0]], m[0]) for m in re.finditer(r"[a-z]+", q.casefold()) if m[0] in EN_ASPECTS}
    return list({zh: (zh, en) for _, (zh, en) in sorted(found.items())}.values())


def _time(q: str, prev: str) -> dict[bool, str] | None:
    """The time `q` names, keyed by "written in Chinese": years, a five-year plan, or a relative year.

    >>> _time("那去年呢", "闵行区2024年门急诊人次是多少？")
    {True: '2023年', False: '2023'}
    >>> _time("what about last year?", "金山区家庭医生签约率是多少？")
    {True: '去年', False: 'last year'}
    """
    low, years = q.casefold(), [y for y in understand(q).years if str(y) in q]
    said = next((k for k in RELATIVE if k in low), None)
    prev_years = [y for y in understand(prev).years if str(y) in prev]
    if said and not years and prev_years:
        years = [prev_years[0] + RELATIVE[said]]
    if years:
        return {True: "和".join(f"{y}年" for y in years), False: " and ".join(map(str, years))}
    if said:
        return {zh: word or said for zh, word in _by_language(RELATIVE, RELATIVE[said]).items()}
    plan = next((k for k in FIVE_YEAR if k in low), None)
    if plan is None:
        return None
    key = _by_language(FIVE_YEAR, FIVE_YEAR[plan])
    return {True: f"“{key[True]}”期间", False: f"the {key[False]}-year plan"}


def _by_language(table: dict, value: object) -> dict[bool, str | None]:
    """The Chinese (True) and the English (False) key of `table` that maps to `value`.

    >>> _by_language(RELATIVE, -1)
    {True: '去年', False: 'last year'}
    """
    return {zh: next((k for k, v in table.items() if v == value and zh == bool(re.match(_HAN, k))), None)
            for zh in (True, False)}


def _with_place(prev: str, districts: tuple[str, ...], zh: bool) -> str:
    """`prev` about `districts`: the first district it names is replaced, the others dropped.

    >>> _with_place("金山区和闵行区的签约率是多少？", ("宝山区",), True)
    '宝山区的签约率是多少？'
    >>> _with_place("What is the contract rate?", ("宝山区",), False)
    'What is the contract rate in Baoshan?'
    """
    if not districts:
        return prev
    new = "和".join(districts) if zh else " and ".join(PINYIN.get(d, d) for d in districts)
    found = re.search(f"({_NAMES})(?:新区|区)?", prev, re.IGNORECASE)
    if not found:
        return new + prev if zh else _append(prev, f" in {new}")
    same = DISTRICTS[found[1].casefold()]

    def swap(later: re.Match) -> str:  # later mentions of the same district swap too; other districts go
        return (later[1] or "") + new if DISTRICTS[later[2].casefold()] == same else ""

    rest = re.sub(_JOIN + f"({_NAMES})(?:新区|区)?", swap, prev[found.end():], flags=re.IGNORECASE)
    return prev[:found.start()] + new + rest


def _with_time(text: str, when: str, zh: bool) -> str:
    """`text` about `when`: its first time is replaced, later ones dropped; else `when` is added.

    >>> _with_time("闵行区2021年至2024年门急诊人次", "2025年", True)
    '闵行区2025年门急诊人次'
    >>> _with_time("宝山区门急诊人次是多少？", "2025年", True)
    '宝山区2025年门急诊人次是多少？'
    """
    if not when:
        return text
    found = re.search(TIME, text, re.IGNORECASE)
    if found:
        rest = re.sub(_JOIN + f"(?:{TIME})", "", text[found.end():], flags=re.IGNORECASE)
        return text[:found.start()] + when + rest
    if not zh:
        return _append(text, f" in {when}" if when[0].isdigit() or when.startswith("the ") else f" {when}")
    place = re.search("|".join(map(re.escape, sorted(set(DISTRICTS.values()), key=len, reverse=True))), text)
    return text[:place.end()] + when + text[place.end():] if place else when + text


def _subject(question: str, zh: bool) -> str:
    """What `question` asks about: the question without its question words.

    >>> _subject("宝山区家庭医生签约率是多少？", True), _subject("What is the rate in Jinshan?", False)
    ('宝山区家庭医生签约率', 'the rate in Jinshan')
    """
    if zh:
        return re.sub(QWORDS_ZH, "", question).strip(" ？?！!。.，,的")
    return re.sub(EN_FRAME, "", question, flags=re.IGNORECASE).strip(" ？?！!.")


def _resolve_pronoun(q: str, subject: str) -> str:
    """`q` with its first Chinese pronoun replaced by `subject`, which carries place and time already.

    >>> _resolve_pronoun("那这个政策的主要内容是什么", "金山区家庭医生签约")
    '金山区家庭医生签约政策的主要内容是什么？'
    """
    text = re.sub(TIME, " ", strip_place_and_time(q), flags=re.IGNORECASE)
    text = re.sub(PRONOUN_ZH, subject, re.sub(r"^\s*(?:那么|那|还有|另外)[\s,，]*", "", text), count=1)
    text = re.sub(rf"(?<={_HAN})\s+(?={_HAN})", "", re.sub(r"\s+", " ", text)).strip()
    return text if re.search(r"[?？]$", text) else text + ("？" if re.search(_HAN, text) else "?")


def _append(text: str, extra: str) -> str:
    """`extra` added before the closing punctuation of `text`.

    >>> _append("What is the rate?", " in 2025")
    'What is the rate in 2025?'
    """
    body, end = re.match(r"(.*?)([\s?？!！。.]*)$", text, re.DOTALL).groups()
    return body + extra + end
