"""Question-set formats: our JSONL, SQuAD/CMRC 2018 JSON, RGB JSONL and CSV.

`load_benchmark(path, fmt)` turns any of them into one `Benchmark`: question
dicts in the dev-set schema (id, question, type, persona, evidence,
must_include) plus, where the format defines them, `answers` (alternatives for
exact match and F1), `answer_parts` (one list of alternatives per part the
answer must hold) and `answerable`; and the benchmark's own passages when it
brings them (SQuAD contexts, RGB positive/negative documents). Evidence of a
passage benchmark is the gold passage itself (`{"doc": passage_id}`, no quote).
A SQuAD article may carry our optional extension `"meta"` (district, period,
doc_type, published, title_en, district_en: the fields of corpus/metadata.json),
given to its passages; standard files have none. Nothing here touches an
index or a model.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("jsonl", "squad", "rgb", "csv")


@dataclass(frozen=True)
class Passage:
    doc: str  # passage id, used as the document file name in a temporary index
    text: str
    title: str = ""
    meta: dict = field(default_factory=dict)  # optional document metadata (SQuAD extension "meta")


@dataclass(frozen=True)
class Benchmark:
    questions: tuple[dict, ...]
    passages: dict[str, Passage] = field(default_factory=dict)  # empty: runs against our corpus index
    format: str = "jsonl"


class FormatError(ValueError):
    """A question file that does not follow its format; the message says where."""


def answer_parts(answer) -> list[list[str]]:
    """RGB's answer field as parts, each a list of alternatives.

    >>> answer_parts("46%"), answer_parts(["46%", "百分之四十六"]), answer_parts([["a", "b"], ["c"]])
    ([['46%']], [['46%', '百分之四十六']], [['a', 'b'], ['c']])
    """
    if isinstance(answer, str):
        return [[answer]] if answer.strip() else []
    if isinstance(answer, list) and all(isinstance(a, str) for a in answer):
        alts = [a for a in answer if a.strip()]
        return [alts] if alts else []
    if isinstance(answer, list) and all(isinstance(p, list) and all(isinstance(a, str) for a in p) for p in answer):
        return [[a for a in p if a.strip()] for p in answer if any(a.strip() for a in p)]
    raise FormatError(f"answer must be a string, a list of strings or a list of lists of strings, got {answer!r}")


class _Pool:
    """Passages deduplicated by text, numbered in order of first appearance."""

    def __init__(self):
        self.by_text: dict[str, str] = {}
        self.passages: dict[str, Passage] = {}

    def add(self, text: str, title: str = "", meta: dict | None = None) -> str:
        key = text.strip()
        if key not in self.by_text:
            doc = f"p{len(self.by_text) + 1:05d}.txt"
            self.by_text[key] = doc
            self.passages[doc] = Passage(doc, key, title, dict(meta or {}))
        return self.by_text[key]


def load_jsonl(path: Path) -> Benchmark:
    from eval.run import read_questions

    try:
        return Benchmark(tuple(read_questions(path)), {}, "jsonl")
    except ValueError as e:
        raise FormatError(str(e)) from e


def load_squad(path: Path) -> Benchmark:
    """SQuAD 1.1/2.0 or CMRC 2018: data[].paragraphs[].context with qas[].id/question/answers."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
    except (ValueError, KeyError, TypeError) as e:
        raise FormatError(f"{path}: not SQuAD-style JSON with a top-level \"data\" list ({e})") from e
    pool, questions = _Pool(), []
    for a, article in enumerate(data):
        for p, para in enumerate(article.get("paragraphs", [])):
            where = f"{path}: data[{a}].paragraphs[{p}]"
            if not isinstance(para.get("context"), str) or not para["context"].strip():
                raise FormatError(f"{where}: needs a non-empty \"context\"")
            meta = article.get("meta") or {}
            if not isinstance(meta, dict):
                raise FormatError(f"{path}: data[{a}].meta must be an object (district, period, doc_type, ...)")
            doc = pool.add(para["context"], str(article.get("title") or ""), meta)
            for i, qa in enumerate(para.get("qas", [])):
                if "id" not in qa or not str(qa.get("question", "")).strip():
                    raise FormatError(f"{where}.qas[{i}]: needs \"id\" and a non-empty \"question\"")
                answers = list(dict.fromkeys(x["text"] for x in qa.get("answers", []) if str(x.get("text", "")).strip()))
                answerable = bool(answers) and not qa.get("is_impossible", False)
                questions.append({
                    "id": str(qa["id"]), "question": qa["question"].strip(),
                    "type": qa.get("type") or ("squad" if answerable else "unanswerable"),
                    "persona": qa.get("persona", "none"),
                    "evidence": [{"doc": doc}] if answerable else [], "must_include": [],
                    "answers": answers if answerable else [], "answer_parts": [answers] if answerable else [],
                    "answerable": answerable})
    if not questions:
        raise FormatError(f"{path}: no questions (qas) found")
    return Benchmark(tuple(questions), pool.passages, "squad")


def load_rgb(path: Path) -> Benchmark:
    """RGB JSONL: {"id", "query", "answer", "positive": [...], "negative": [...]} per line."""
    from eval.run import jsonl_objects

    pool, questions = _Pool(), []
    for n, r in jsonl_objects(path, "query", FormatError):
        try:
            parts = answer_parts(r.get("answer", ""))
        except FormatError as e:
            raise FormatError(f"{path}:{n}: {e}") from e
        pos = [pool.add(t) for t in r.get("positive", []) if isinstance(t, str) and t.strip()]
        neg = [pool.add(t) for t in r.get("negative", []) if isinstance(t, str) and t.strip()]
        answerable = bool(pos) and bool(parts)
        questions.append({
            "id": str(r["id"]), "question": r["query"].strip(),
            "type": r.get("type") or ("rgb" if answerable else "unanswerable"), "persona": r.get("persona", "none"),
            "evidence": [{"doc": d} for d in pos] if answerable else [], "must_include": [],
            "answers": parts[0] if len(parts) == 1 else [], "answer_parts": parts,
            "answerable": answerable, "positive_docs": pos, "negative_docs": neg})
    if not questions:
        raise FormatError(f"{path}: no questions")
    return Benchmark(tuple(questions), pool.passages, "rgb")


def load_csv(path: Path) -> Benchmark:
    """CSV with a header: question, answer (alternatives separated by "|"), optional evidence, id, type, persona."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        cols = set(reader.fieldnames or [])
        if not {"question", "answer"} <= cols:
            raise FormatError(f"{path}: the header must name the columns question and answer "
                              f"(optional: evidence, id, type, persona), found {sorted(cols)}")
        questions = []
        for n, r in enumerate(reader, 2):
            if not (r.get("question") or "").strip():
                raise FormatError(f"{path}:{n}: empty question")
            alts = [a.strip() for a in (r.get("answer") or "").split("|") if a.strip()]
            evidence = (r.get("evidence") or "").strip()
            questions.append({
                "id": (r.get("id") or "").strip() or str(n - 1), "question": r["question"].strip(),
                "type": (r.get("type") or "").strip() or ("csv" if alts else "unanswerable"),
                "persona": (r.get("persona") or "").strip() or "none",
                "evidence": [{"quote": evidence}] if evidence else [], "must_include": [],
                "answers": alts, "answer_parts": [alts] if alts else [], "answerable": bool(alts)})
    if not questions:
        raise FormatError(f"{path}: no questions")
    return Benchmark(tuple(questions), {}, "csv")


LOADERS = {"jsonl": load_jsonl, "squad": load_squad, "rgb": load_rgb, "csv": load_csv}


def load_benchmark(path: Path, fmt: str = "jsonl") -> Benchmark:
    """Read `path` in format `fmt` (one of FORMATS)."""
    if fmt not in LOADERS:
        raise FormatError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    if not path.is_file():
        raise FormatError(f"{path}: no such file")
    return LOADERS[fmt](path)
