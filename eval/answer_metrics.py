"""Answer metrics: must_include accuracy, refusals, verbatim citations, grounded numbers, EM/F1.

Pure functions over one question's record (the results.jsonl line) and the
corpus texts. Matching is on normalised text (eval/normalize.py). A question
with `answer_parts` (SQuAD, RGB, CSV) is answered correctly when the answer
holds one alternative of every part; with `answers`, exact match and
character-level F1 are scored as CMRC 2018 does (eval/cmrc.py). A question is
unanswerable when its type says so or `answerable` is false (RGB's negative
rejection: every passage given is a negative).
"""
from __future__ import annotations

import re
from typing import Mapping, Sequence

from answer.check import numbers_in
from eval.cmrc import exact_match, f1
from eval.normalize import normalize


def answer_scores(q: Mapping, record: Mapping, corpus: Mapping[str, str], metadata_numbers: set[str]) -> dict:
    """Per-question answer scores; keys absent when they do not apply."""
    out: dict = {}
    answer = record.get("answer") or ""
    refused = bool(record.get("refused"))
    unanswerable = q.get("type") == "unanswerable" or q.get("answerable") is False
    if unanswerable:
        out["refusal_correct"] = float(refused)
    else:
        out["false_refusal"] = float(refused)
        if q.get("answer_parts"):
            norm = normalize(answer)
            out["answer_correct"] = float(not refused and all(any(normalize(a) in norm for a in part)
                                                              for part in q["answer_parts"]))
        elif q.get("must_include"):
            norm = normalize(answer)
            out["answer_correct"] = float(not refused and all(normalize(m) in norm for m in q["must_include"]))
        if q.get("answers"):
            out["em"] = 0.0 if refused else exact_match(q["answers"], answer)
            out["f1"] = 0.0 if refused else f1(q["answers"], answer)
    cites = record.get("citations") or []
    if cites:
        out["citations_verbatim"] = sum(normalize(c["text"]) in corpus.get(c["doc"], "") for c in cites) / len(cites)
    quotes = "".join(normalize(c["text"]) for c in cites)
    numbers = [n for n in numbers_in(answer) if not (re.fullmatch(r"\d+", n) and n in metadata_numbers)]
    if numbers:
        out["numbers_grounded"] = sum(normalize(n) in quotes for n in numbers) / len(numbers)
    if answer and not refused:
        out["answer_chars"] = float(len(answer))
    return out


def summarize_answers(rows: Sequence[Mapping]) -> dict:
    """Means over the questions each metric applies to, and the median answer length."""
    def mean(key: str) -> float | None:
        vals = [r[key] for r in rows if key in r]
        return round(sum(vals) / len(vals), 4) if vals else None

    lengths = sorted(r["answer_chars"] for r in rows if "answer_chars" in r)
    return {
        "answer_accuracy": mean("answer_correct"),
        "refusal_accuracy": mean("refusal_correct"),
        "false_refusal_rate": mean("false_refusal"),
        "citations_verbatim": mean("citations_verbatim"),
        "numbers_grounded": mean("numbers_grounded"),
        "median_answer_chars": lengths[len(lengths) // 2] if lengths else None,
        **({"em": mean("em"), "f1": mean("f1")} if any("em" in r for r in rows) else {}),
    }
