"""The one entry point: `Answerer.answer(question, history, filters) -> Answer`.

Steps: validate → rewrite a follow-up into a standalone question → retrieve →
score the passages' sentences → refuse (with nearby facts) or generate →
check every sentence (citations, numbers, injection) → fall back to the
extractive answer when an LLM fails or leaves nothing grounded → citations
with verbatim quotes and source spans. The UI, the eval runner and the API
call only this.
"""
from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import Sequence

from answer import refuse
from answer.check import MARKER, split_sentences, verify
from answer.evidence import Candidate, overlap_of, rank_candidates, split_candidates
from answer.extractive import ExtractiveGenerator, choose
from answer.frame import KIND_ZH, frame_en, frame_zh, kind_of
from answer.spans import locate
from answer.types import Answer, Checks, Citation, Passage
from commitments.chat import answer_if_commitment_question  # issue 9: "did we do what we promised?" questions
from index.expand import expand_colloquial
from index.query import to_simplified, understand
from ingest.layout import page_of

log = logging.getLogger(__name__)
MAX_QUESTION_CHARS = 1000


def detect_lang(text: str) -> str:
    """"en" when most letters are Latin, else "zh".

    >>> detect_lang("How do I sign up?"), detect_lang("金山区 family doctor 签约")
    ('en', 'zh')
    """
    words = len(re.findall(r"[A-Za-z]+", text))
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    return "en" if 2 * words > cjk else "zh"


class Answerer:
    def __init__(self, searcher, generator, settings, corpus_dir: Path | None = None):
        self.searcher, self.generator, self.settings = searcher, generator, settings
        self.corpus_dir = Path(corpus_dir or settings.corpus_dir)
        docs = searcher.index.manifest["documents"]
        self.meta_en = {d: (v["meta"].get("title_en"), v["meta"].get("district_en")) for d, v in docs.items()}
        self.extractive = ExtractiveGenerator(self.meta_en)
        self._sources: dict = {}  # doc -> ingest.types.Document
        self._corpus_text: str | None = None
        self._shares: dict[str, float] = {}  # term -> share of chunks holding it (answer/focus.py)
        self._folded: list[str] | None = None

    def _in_corpus(self, term: str) -> bool:
        """Does `term` occur in any indexed chunk (case-insensitive)?"""
        if self._corpus_text is None:
            self._corpus_text = "\n".join(c.text for c in self.searcher.index.chunks).casefold()
        return term.casefold() in self._corpus_text

    def _chunk_share(self, term: str) -> float:
        """The share of indexed chunks that hold `term`: how distinctive a question word is."""
        if term not in self._shares:
            if self._folded is None:
                self._folded = [c.text.casefold() for c in self.searcher.index.chunks]
            self._shares[term] = sum(term.casefold() in t for t in self._folded) / max(len(self._folded), 1)
        return self._shares[term]

    def _declared_unit(self, term: str) -> str | None:
        """The unit an indicator table declares for `term` ("居民健康素养水平（%）" → "%"); "" when it
        declares one the unit checks cannot read ("（1/10 万）"); None when it declares none."""
        self._in_corpus(term)  # builds the folded corpus text
        m = re.search(re.escape(term.casefold()) + r"\s*[（(]([^（）()\n]{1,10})[)）]", self._corpus_text)
        if not m:
            return None
        unit = m.group(1).strip().replace("％", "%")
        return unit if re.fullmatch(r"[%‰张岁人个家所名项]", unit) else ""

    def _document(self, doc: str):
        """The loaded source Document (OCR'd scans come from the extraction cache)."""
        if doc not in self._sources:
            from ingest.load import load_file

            self._sources[doc] = load_file(self.corpus_dir / doc, max_bytes=self.settings.max_file_bytes,
                                           cache_dir=self.settings.extract_cache_dir)
        return self._sources[doc]

    def _source(self, doc: str) -> str:
        return self._document(doc).text

    def _rewrite(self, question: str, history: Sequence[tuple[str, str]]) -> str:
        if not history:
            return question
        from answer.followup import rewrite

        rewritten = rewrite(question, history)
        if rewritten == question and hasattr(self.generator, "rewrite_followup"):  # rules found nothing: ask the LLM
            return self.generator.rewrite_followup(question, history)
        return rewritten

    def answer(self, question: str, history: Sequence[tuple[str, str]] = (), filters=None) -> Answer:
        t0 = time.perf_counter()
        question = (question or "").strip()
        if not question:
            raise ValueError("empty question: type a question in Chinese or English")
        if len(question) > MAX_QUESTION_CHARS:
            raise ValueError(f"question is {len(question)} characters, longer than the {MAX_QUESTION_CHARS} allowed")
        lang = detect_lang(question)
        standalone = self._rewrite(question, history)
        timings = {"rewrite": (time.perf_counter() - t0) * 1000}
        t = time.perf_counter()
        hits = self.searcher.search(standalone, k=max(10, self.settings.answer_passages), filters=filters)
        timings["retrieve"] = (time.perf_counter() - t) * 1000
        tracked = answer_if_commitment_question(standalone, lang, self.settings, self.searcher.embedder, self._source, filters)
        if tracked is not None:  # issue 9: answered from the commitment tracker, both quotes cited
            timings["total"] = (time.perf_counter() - t0) * 1000
            tracked.timings_ms = {k: round(v, 2) for k, v in timings.items()}
            tracked.retrieved = hits  # the passages search found, shown beside the tracker's answer too
            return tracked
        passages = [self._passage(n, h) for n, h in enumerate(hits[: self.settings.answer_passages], 1)]

        t = time.perf_counter()
        ranked = self._rank(standalone, passages)
        simplified = to_simplified(standalone)
        info = understand(simplified)
        decision = refuse.decide(simplified, info, passages, ranked, vocabulary=self._in_corpus,
                                   share=self._chunk_share, declared=self._declared_unit)
        if decision.refuse:
            district_of = {p.n: p.district for p in passages}
            near = [c for c in ranked if not info.districts or district_of[c.n] in info.districts]
            text = self._refusal(standalone, lang, passages, near)
            checked, checks = verify(text, passages)
            answer = Answer(question, checked, self._citations(checked, passages), True, decision.reason,
                            standalone, lang, "extractive", checks)
        else:
            answer = self._generate(question, standalone, lang, passages, decision.usable)
        timings["answer"] = (time.perf_counter() - t) * 1000
        timings["total"] = (time.perf_counter() - t0) * 1000
        answer.timings_ms = {k: round(v, 2) for k, v in timings.items()}
        answer.retrieved = hits
        return answer

    def _rank(self, question: str, passages: Sequence[Passage]) -> list[Candidate]:
        """The passages' candidates, best first. A question in everyday words that shares nothing with
        them ("自闭症" where the documents say 孤独症) is scored through the documents' own terms
        (index/colloquial.tsv) before it is judged unanswered; otherwise those terms would dilute."""
        ranked = rank_candidates(question, passages)
        if ranked and max(c.overlap for c in ranked) < refuse.MIN_OVERLAP:
            bridge = expand_colloquial(to_simplified(question))
            if bridge:
                return rank_candidates(f"{question} {' '.join(bridge)}", passages)
        return ranked

    def _generate(self, question, standalone, lang, passages, usable: Sequence[Candidate]) -> Answer:
        name = getattr(self.generator, "name", "extractive")
        draft, fell_back = "", False
        if name != "extractive":
            try:
                draft = self.generator.generate(standalone, passages, lang)
            except Exception:  # noqa: BLE001 - any LLM failure falls back to the extractive answer
                log.exception("generator %s failed; using the extractive answer", name)
        checked, checks = verify(draft, passages) if draft else ("", Checks())
        if not checked:
            fell_back = name != "extractive"
            draft = self.extractive.compose(choose(standalone, passages, list(usable)), passages, lang)
            checked, extractive_checks = verify(draft, passages)
            checks = Checks(checks.citations_valid, checks.numbers_grounded,
                            checks.removed_sentences + extractive_checks.removed_sentences,
                            checks.reasons + extractive_checks.reasons, fell_back)
        return Answer(question, checked, self._citations(checked, passages), False, "", standalone, lang,
                      "extractive" if fell_back or name == "extractive" else name, checks)

    def _refusal(self, question: str, lang: str, passages: Sequence[Passage], near: Sequence[Candidate]) -> str:
        by_n = {p.n: p for p in passages}
        lines = [refuse.refusal_text(lang)]
        facts = [c for c in near if c.has_number and c.overlap > 0.2][:2]
        if facts:
            lines.append(refuse.NEARBY_EN if lang == "en" else refuse.NEARBY_ZH)
            for c in facts:
                p = by_n[c.n]
                if lang == "en":
                    kind = kind_of(p, c.quote)
                    lines.append(f"{frame_en(p, *self.meta_en.get(p.doc, (None, None)), kind)}: “{c.quote}” [{c.n}]")
                else:
                    lines.append(f"{frame_zh(p, kind_of(p, c.quote))}：{c.quote}[{c.n}]")
        return "\n".join(lines)

    def _passage(self, n: int, hit) -> Passage:
        c, m = hit.chunk, hit.meta
        period = tuple(m["period"]) if m.get("period") else None
        return Passage(n, c.doc, c.text, m.get("title") or c.doc, m.get("district"), period,
                       m.get("doc_type") or "other", c.section, c.start, c.end, m.get("published"), hit.score,
                       m.get("title_en"), m.get("district_en"))

    def _unframe(self, sentence: str, p: Passage) -> str:
        """The sentence without the metadata frame the extractive answerer put before its quote."""
        sentence = sentence.strip().split("\n")[-1]  # a refusal's "nearby facts" heading is on the line before
        prefixes = []
        for kind in (p.doc_type, *(k for k in KIND_ZH if k.startswith(p.doc_type + "_"))):  # a plan's review, notes
            en = frame_en(p, *self.meta_en.get(p.doc, (None, None)), kind)
            prefixes += [frame_zh(p, kind) + "：", f"According to {en}: ", f"{en}: "]  # the last: a refusal's nearby fact
        return _strip_prefix(sentence, prefixes)

    def _citations(self, text: str, passages: Sequence[Passage]) -> list[Citation]:
        """One citation per (passage, quoted sentence) the final text cites."""
        by_n = {p.n: p for p in passages}
        out, seen = [], set()
        for sentence in split_sentences(text):
            body = MARKER.sub("", sentence)
            for m in MARKER.findall(sentence):
                p = by_n[int(m)]
                quote = _quoted(self._unframe(body, p), p)
                if (p.n, quote) in seen:
                    continue
                seen.add((p.n, quote))
                start, end = locate(self._source(p.doc), p.start, p.end, quote)
                page = page_of(self._document(p.doc).pages, start)  # issue 10: PDF/image page, else None
                out.append(Citation(p.n, p.doc, p.title, p.district, p.period, p.doc_type, p.section, quote, start, end,
                                    page))
        return out


def _strip_prefix(text: str, prefixes: Sequence[str]) -> str:
    text = text.strip()
    for prefix in prefixes:
        if text.startswith(prefix):
            return text[len(prefix):].strip().strip("“”").strip()
    return text


def _quoted(sentence: str, p: Passage) -> str:
    """The passage text the sentence quotes: its verbatim quote, else the passage sentence it overlaps most."""
    squashed = "".join(p.text.split())
    body = sentence.strip().strip("“”").strip()
    if body and "".join(body.split()) in squashed:
        return body
    for piece in sorted(re.findall(r"[^“”：:]{6,}", sentence), key=len, reverse=True):
        piece = piece.strip(" 。\n")
        if piece and "".join(piece.split()) in squashed:
            return piece
    candidates = split_candidates(p.text)
    return max(candidates, key=lambda c: overlap_of(sentence, c)) if candidates else p.text
