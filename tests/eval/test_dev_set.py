"""Consistency checks for the evaluation question set (eval/dev*.jsonl)."""

import collections
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval.normalize import normalize  # noqa: E402

CORPUS = ROOT / "corpus"
DEV = ROOT / "eval" / "dev.jsonl"
HOLDOUT = ROOT / "eval" / "dev_holdout.jsonl"

REQUIRED = {"id", "question", "type", "persona", "lang", "evidence", "must_include"}
OPTIONAL = {"note"}
TYPES = {"number", "list", "target", "achieved", "target_vs_actual", "multi_doc",
         "paraphrase", "english", "typo", "unanswerable"}
PERSONAS = {"resident", "official", "evaluator"}
LANGS = {"zh", "en"}

_DASH = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
# A line holding only a page number ("- 28 -") or a bare number ("28").
PAGE_LINE = re.compile(rf"^\s*[{_DASH}]?\s*\d+\s*[{_DASH}]?\s*$")


def _load(path):
    rows = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            assert line.strip(), f"{path.name}:{lineno} blank line"
            rows.append(json.loads(line))
    return rows


@pytest.fixture(scope="module")
def files():
    return {"dev": _load(DEV), "holdout": _load(HOLDOUT)}


@pytest.fixture(scope="module")
def rows(files):
    return files["dev"] + files["holdout"]


def corpus_segments() -> dict:
    """doc name -> (normalised full text, normalised page-number-free segments)."""
    out = {}
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        segs, cur = [], []
        for line in text.splitlines():
            if PAGE_LINE.match(line):
                segs.append("\n".join(cur))
                cur = []
            else:
                cur.append(line)
        segs.append("\n".join(cur))
        out[path.name] = (normalize(text), [normalize(s) for s in segs])
    return out


@pytest.fixture(scope="module")
def corpus():
    out = corpus_segments()
    assert len(out) == 5
    return out


# ---------------------------------------------------------------- normalize()

@pytest.mark.parametrize("raw, expected", [
    ("２０２０年　８４．４２岁", "2020年84.42岁"),          # full-width digits / space
    ("0—6岁", "0-6岁"),                                     # em dash
    ("a‐b‑c‒d–e―f−g﹘h﹣i－j", "a-b-c-d-e-f-g-h-i-j"),      # all dash variants
    (" 签约率\n\n达 49.13%\t ", "签约率达49.13%"),            # whitespace incl. newlines
    ("EMR6 AED ＡＥＤ", "emr6aedaed"),                       # case + full-width letters
    ("（万人）：≥90", "(万人):≥90"),                         # NFKC punctuation
    ("", ""),
])
def test_normalize_examples(raw, expected):
    assert normalize(raw) == expected


def test_normalize_idempotent():
    s = "金山区 “十四五” 规划 —— 表 1（ＥＭＲ６）"
    assert normalize(normalize(s)) == normalize(s)


# ---------------------------------------------------------------- structure

def test_fields_and_values(rows):
    for r in rows:
        keys = set(r)
        assert REQUIRED <= keys, (r.get("id"), REQUIRED - keys)
        assert keys <= REQUIRED | OPTIONAL, (r["id"], keys - REQUIRED - OPTIONAL)
        assert re.fullmatch(r"q\d{3,}", r["id"]), r["id"]
        assert isinstance(r["question"], str) and r["question"].strip(), r["id"]
        assert r["type"] in TYPES, (r["id"], r["type"])
        assert r["persona"] in PERSONAS, (r["id"], r["persona"])
        assert r["lang"] in LANGS, (r["id"], r["lang"])
        assert isinstance(r["evidence"], list), r["id"]
        for ev in r["evidence"]:
            assert set(ev) == {"doc", "quote"}, (r["id"], ev)
            assert isinstance(ev["quote"], str) and ev["quote"].strip(), r["id"]
        assert isinstance(r["must_include"], list), r["id"]
        assert all(isinstance(m, str) and normalize(m) for m in r["must_include"]), r["id"]
        if "note" in r:
            assert isinstance(r["note"], str), r["id"]
        if r["type"] == "english":
            assert r["lang"] == "en", r["id"]
        if r["lang"] == "en":
            assert re.search(r"[A-Za-z]", r["question"]) and not re.search(r"[\u4e00-\u9fff]", r["question"]), r["id"]
        else:
            assert re.search(r"[\u4e00-\u9fff]", r["question"]), r["id"]


def test_ids_unique_across_files(rows):
    ids = [r["id"] for r in rows]
    dupes = [i for i, n in collections.Counter(ids).items() if n > 1]
    assert not dupes, dupes


def test_questions_unique(rows):
    qs = collections.Counter(normalize(r["question"]) for r in rows)
    assert not [q for q, n in qs.items() if n > 1]


# ---------------------------------------------------------------- evidence

def test_evidence_quotes_verbatim(rows, corpus):
    for r in rows:
        for ev in r["evidence"]:
            assert ev["doc"] in corpus, (r["id"], ev["doc"])
            full, segs = corpus[ev["doc"]]
            q = normalize(ev["quote"])
            assert q in full, (r["id"], ev["doc"], ev["quote"])
            # must not cross a page-number / bare-number line
            assert any(q in s for s in segs), (r["id"], "crosses page-number line", ev["quote"])


def test_evidence_quotes_short(rows):
    for r in rows:
        for ev in r["evidence"]:
            n = len(normalize(ev["quote"]))
            assert 6 <= n <= 70, (r["id"], n, ev["quote"])


def test_answerable_have_evidence_and_must_include(rows):
    for r in rows:
        if r["type"] == "unanswerable":
            continue
        assert len(r["evidence"]) >= 1, r["id"]
        assert len(r["must_include"]) >= 1, r["id"]


def test_must_include_in_evidence_docs(rows, corpus):
    for r in rows:
        docs = {ev["doc"] for ev in r["evidence"]}
        for m in r["must_include"]:
            assert any(normalize(m) in corpus[d][0] for d in docs), (r["id"], m)


def test_unanswerable_empty(rows):
    for r in rows:
        if r["type"] == "unanswerable":
            assert r["evidence"] == [], r["id"]
            assert r["must_include"] == [], r["id"]


def test_multi_doc_uses_two_documents(rows):
    for r in rows:
        if r["type"] == "multi_doc":
            assert len({ev["doc"] for ev in r["evidence"]}) >= 2, r["id"]


# ---------------------------------------------------------------- counts

def test_counts(rows, corpus):
    types = collections.Counter(r["type"] for r in rows)
    answerable = [r for r in rows if r["type"] != "unanswerable"]
    assert len(rows) >= 115
    assert len(answerable) >= 80
    assert sum(1 for r in rows if r["type"] == "english" and r["lang"] == "en") >= 15
    assert types["typo"] >= 8
    assert types["paraphrase"] >= 15
    assert types["unanswerable"] >= 15
    assert types["multi_doc"] >= 8
    assert types["target"] + types["target_vs_actual"] >= 8
    assert {r["persona"] for r in rows} == PERSONAS
    per_doc = collections.Counter(d for r in rows for d in {ev["doc"] for ev in r["evidence"]})
    for doc in corpus:
        assert per_doc[doc] >= 12, (doc, per_doc[doc])


def test_split(files):
    total = len(files["dev"]) + len(files["holdout"])
    assert len(files["holdout"]) / total >= 0.30
    overall = collections.Counter(r["type"] for f in files.values() for r in f)
    for name, f in files.items():
        c = collections.Counter(r["type"] for r in f)
        for typ, n in overall.items():
            if n >= 8:
                assert c[typ] >= 3, (name, typ, c[typ])
