"""Chat hook: answer "did we do what we promised?" questions from the tracker, quoting both sides.

`answer_if_commitment_question(question, lang, settings, embedder, source, filters)`
returns an `Answer` when the question asks about a target *and* its achievement
("十四五规划的目标完成了吗？", "金山区承诺的家庭医生签约率目标是多少，实际达到多少？"),
else None so the normal pipeline answers. Grounding rules kept:
- every sentence cites the quotes it uses, and numbers appear only inside
  verbatim quotes (frames hold metadata only); answer/check.py verifies the text;
- a status is stated only in a sentence that cites both the promise and the report;
- a report about a differently-named indicator is shown as related, never as the result.
"""
from __future__ import annotations

import logging
import re
from typing import Callable, Sequence

from answer.check import verify
from answer.frame import frame_en, frame_zh
from answer.spans import locate
from answer.types import Answer, Citation, Passage
from commitments.similarity import norm
from commitments.status import basis
from commitments.types import Result, Tracked
from index.query import DISTRICTS, to_simplified, understand

log = logging.getLogger(__name__)
TARGET_CUES = ("目标", "承诺", "规划", "计划", "指标", "任务", "target", "promise", "commit", "goal", "plan")
# "did it happen" cues; "达到多少" alone asks for the target, "完成率" is a reported figure
DONE_CUES = ("完成了", "完成情况", "是否完成", "实际", "达到了", "实现了", "达成", "兑现", "落实情况", "做到了",
             "achiev", "actual", "reached", "fulfil", " met", "delivered")
_STOP = re.compile(r"“?十[三四五六]五”?|规划|计划|承诺|目标|指标|任务|实际|达到|完成|实现|多少|是否|了吗|吗|呢|的|是|了|"
                   r"什么|情况|怎么样|如何|进展|有没有|哪些|\d+年|[“”，,。？?！!、\s\d]")
STATUS_ZH = {"met": "已达到目标", "not_met": "未达到目标", "unclear": "尚不能判定是否达到"}
STATUS_EN = {"met": "the target is met", "not_met": "the target is not met", "unclear": "whether it is met cannot be decided"}
MAX_ITEMS = 4


def is_commitment_question(question: str) -> bool:
    """Does the question ask about a promise and what became of it?

    >>> is_commitment_question("十四五规划的目标完成了吗？"), is_commitment_question("金山区家庭医生签约率是多少？")
    (True, False)
    """
    low = to_simplified(question).casefold()
    if len(understand(low).districts) > 1:  # a comparison across districts: the normal pipeline retrieves both
        return False
    return any(c in low for c in TARGET_CUES) and any(c in low for c in DONE_CUES)


def topic(question: str) -> str:
    """What the question is about once cue words, places and years are gone.

    >>> topic("金山区承诺的家庭医生签约率目标是多少，实际达到多少？"), topic("十四五规划的目标完成了吗？")
    ('家庭医生签约率', '')
    """
    q = to_simplified(question)
    for name in sorted(DISTRICTS, key=len, reverse=True):
        q = re.sub(re.escape(name) + "(新区|区)?", "", q, flags=re.IGNORECASE)
    q = _STOP.sub("", q)
    return q if re.search(r"[\u4e00-\u9fff]", q) else ""  # the tracker's names are Chinese


def _overlap(topic_text: str, name: str) -> float:
    """Share of the topic's character bigrams found in `name`."""
    t, n = norm(topic_text), norm(name)
    grams = {t[i:i + 2] for i in range(len(t) - 1)}
    return sum(g in n for g in grams) / len(grams) if grams else 0.0


def _select(records: Sequence[Tracked], question: str, filters) -> tuple[list[Tracked], str]:
    info = understand(to_simplified(question))
    districts = set(info.districts) or ({filters.district} if filters is not None and filters.district else set())
    pool = [t for t in records if not districts or t.commitment.district in districts]
    if info.years:  # "十四五" -> 2021..2025; a report year ("2024年实际…") matches no target year and filters nothing
        pool = [t for t in pool if t.commitment.target.year in info.years] or pool
    about = topic(question)
    if about and len(about) >= 2:
        # the indicator's own name first; the whole promise sentence only when no name matches
        for field, weight in (("indicator", 1.0), ("quote", 0.8)):
            scored = sorted(((weight * _overlap(about, getattr(t.commitment, field)), i, t) for i, t in enumerate(pool)),
                            key=lambda x: (-x[0], x[1]))
            chosen = [t for s, _, t in scored if s >= 0.5][:MAX_ITEMS]
            if chosen:
                return chosen, about
        return [], about
    order = {"met": 0, "not_met": 1, "unclear": 2}
    reported = sorted((t for t in pool if t.links), key=lambda t: order.get(t.status, 3))
    return reported[:MAX_ITEMS] or pool[:1], ""


class _Builder:
    """Numbers passages as they are first cited and keeps the text's sentences."""

    def __init__(self, meta: dict[str, dict]):
        self.meta, self.passages, self.lines = meta, [], []
        self._n: dict[tuple, int] = {}

    def cite(self, doc: str, quote: str, start: int, end: int) -> int:
        key = (doc, "".join(quote.split()))
        if key not in self._n:
            m = self.meta.get(doc, {})
            period = tuple(m["period"]) if m.get("period") else None
            n = len(self.passages) + 1
            self.passages.append(Passage(n, doc, quote, m.get("title") or doc, m.get("district"), period,
                                         m.get("doc_type") or "other", (), start, end, m.get("published"),
                                         1.0, m.get("title_en"), m.get("district_en")))
            self._n[key] = n
        return self._n[key]

    def frame(self, n: int, lang: str) -> str:
        p = self.passages[n - 1]
        return frame_en(p, p.title_en, p.district_en) if lang == "en" else frame_zh(p)


def _related_results(records: Sequence[Tracked], results: Sequence[Result], about: str, district: str | None,
                     linked: set) -> list[Result]:
    """Reports from the same district that name the question's topic but were not linked by the tracker."""
    if not about:
        return []
    found = [r for r in results if r.district == district and r.number is not None and _overlap(about, r.indicator) >= 0.5
             and (r.doc, r.quote) not in linked]
    return sorted(found, key=lambda r: -_overlap(about, r.indicator))[:1]


def compose(selected: Sequence[Tracked], related: dict[str, list[Result]], meta: dict[str, dict], lang: str,
            baselines: bool = True) -> _Builder:
    """The answer's sentences and passages (pure: no I/O)."""
    b = _Builder(meta)
    for t in selected:
        c = t.commitment
        n = b.cite(c.doc, c.quote, c.chunk_start, c.chunk_end)
        if lang == "en":
            b.lines.append(f"Promise in {b.frame(n, lang)}, indicator {c.indicator}: “{c.quote}” [{n}]")
        else:
            b.lines.append(f"{b.frame(n, lang)}的承诺（{c.indicator}）：“{c.quote}”[{n}]")
        decided = [l for l in t.links if l.decided]
        for l in t.links:
            m = b.cite(l.result.doc, l.result.quote, l.result.chunk_start, l.result.chunk_end)
            label = ("reported" if l.decided else "related report (the indicator is named differently, not used to decide)") \
                if lang == "en" else ("报告" if l.decided else "相关报告（指标名称不同，未用于判定）")
            b.lines.append(f"{label} {b.frame(m, lang)}: “{l.result.quote}” [{m}]" if lang == "en"
                           else f"{label}：{b.frame(m, lang)}：“{l.result.quote}”[{m}]")
        for r in related.get(c.id, []):
            m = b.cite(r.doc, r.quote, r.chunk_start, r.chunk_end)
            b.lines.append(f"Related report {b.frame(m, lang)} (a different indicator; the tracker does not decide from it): "
                           f"“{r.quote}” [{m}]" if lang == "en" else
                           f"相关报告（口径不同，追踪器不据此判定）：{b.frame(m, lang)}：“{r.quote}”[{m}]")
        if baselines and c.baseline and c.baseline.quote:
            k = b.cite(c.doc, c.baseline.quote, c.baseline.chunk_start, c.baseline.chunk_end)
            b.lines.append(f"Baseline ({c.baseline.year}) in the same plan: “{c.baseline.quote}” [{k}]" if lang == "en"
                           else f"规划中的基期数据：“{c.baseline.quote}”[{k}]")
        ground = basis(c, t.links)
        if t.status in ("met", "not_met") and ground:
            m = b.cite(ground.result.doc, ground.result.quote, 0, 0)
            b.lines.append(f"Comparing the promise with the report, {STATUS_EN[t.status]} [{n}][{m}]." if lang == "en"
                           else f"对照承诺与报告，{STATUS_ZH[t.status]}[{n}][{m}]。")
        elif decided:  # the same indicator is reported, but short of the target before its year or without a figure
            m = b.cite(decided[0].result.doc, decided[0].result.quote, 0, 0)
            b.lines.append(f"Comparing the promise with the report, {STATUS_EN['unclear']} [{n}][{m}]." if lang == "en"
                           else f"对照承诺与报告，{STATUS_ZH['unclear']}[{n}][{m}]。")
        elif t.links or related.get(c.id):
            b.lines.append(f"No report states this indicator as promised, so {STATUS_EN['unclear']} [{n}]." if lang == "en"
                           else f"报告中没有与该承诺口径一致的结果，{STATUS_ZH['unclear']}[{n}]。")
        else:
            b.lines.append(f"No report in the collection gives a result for it yet [{n}]." if lang == "en"
                           else f"已收录的报告中没有找到该承诺的完成情况[{n}]。")
    return b


def answer_if_commitment_question(question: str, lang: str, settings, embedder, source: Callable[[str], str],
                                  filters=None) -> Answer | None:
    """An Answer built from the tracker, or None when the question is not about targets vs achievement."""
    if not is_commitment_question(question):
        return None
    try:
        from commitments.extract_results import extract_results
        from commitments.source import read_sentences
        from commitments.track import tracked

        records = tracked(settings, embedder)
        selected, about = _select(records, question, filters)
        if not selected:
            return None
        sentences, meta = read_sentences(settings.index_dir)
        results = extract_results(sentences) if about else []
    except Exception:  # noqa: BLE001 - the tracker failing must not break the chat: the normal pipeline answers
        log.exception("commitment tracker failed; answering with the normal pipeline")
        return None
    related = {}
    for t in selected:
        if not any(l.decided for l in t.links):
            linked = {(l.result.doc, l.result.quote) for l in t.links}
            related[t.commitment.id] = _related_results(records, results, about, t.commitment.district, linked)
    b = compose(selected, related, meta, lang, baselines=bool(about))
    text, checks = verify("\n".join(b.lines), b.passages)
    if not text.strip():
        return None
    citations = []
    for p in b.passages:
        if f"[{p.n}]" not in text:
            continue
        start, end = locate(source(p.doc), p.start, p.end, p.text) if p.end > p.start else (p.start, p.end)
        citations.append(Citation(p.n, p.doc, p.title, p.district, p.period, p.doc_type, p.section, p.text, start, end))
    return Answer(question, text, citations, False, "", question, lang, "commitments", checks)
