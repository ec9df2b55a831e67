"""The checks of test_dev_set.py, applied to the blind set eval/dev_fresh2.jsonl.

Same rules for fields, quotes and must_include; its own id prefix (g) and the
counts it was written to (see eval/README_devset.md).
"""

import collections
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval.normalize import normalize  # noqa: E402
from test_dev_set import LANGS, PERSONAS, REQUIRED, TYPES, _load, corpus_segments  # noqa: E402

FRESH2 = ROOT / "eval" / "dev_fresh2.jsonl"


@pytest.fixture(scope="module")
def rows():
    return _load(FRESH2)


@pytest.fixture(scope="module")
def corpus():
    return corpus_segments()


def test_fields(rows):
    for r in rows:
        assert set(r) == REQUIRED | {"note"}, r.get("id")
        assert re.fullmatch(r"g\d{3}", r["id"]), r["id"]
        assert r["type"] in TYPES and r["persona"] in PERSONAS and r["lang"] in LANGS, r["id"]
        if r["type"] == "english":
            assert r["lang"] == "en", r["id"]
        if r["lang"] == "en":
            assert not re.search(r"[\u4e00-\u9fff]", r["question"]), r["id"]
        else:
            assert re.search(r"[\u4e00-\u9fff]", r["question"]), r["id"]
        assert all(isinstance(m, str) and normalize(m) for m in r["must_include"]), r["id"]


def test_ids_and_questions_unique(rows):
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({normalize(r["question"]) for r in rows}) == len(rows)


def test_evidence_verbatim_short_and_within_a_page(rows, corpus):
    for r in rows:
        for ev in r["evidence"]:
            assert set(ev) == {"doc", "quote"}, r["id"]
            full, segs = corpus[ev["doc"]]
            quote = normalize(ev["quote"])
            assert 6 <= len(quote) <= 70, (r["id"], ev["quote"])
            assert quote in full, (r["id"], ev["quote"])
            assert any(quote in s for s in segs), (r["id"], "crosses page-number line")


def test_answerable_vs_unanswerable(rows, corpus):
    for r in rows:
        if r["type"] == "unanswerable":
            assert r["evidence"] == [] and r["must_include"] == [], r["id"]
            continue
        assert r["evidence"] and r["must_include"], r["id"]
        docs = {ev["doc"] for ev in r["evidence"]}
        for m in r["must_include"]:
            assert any(normalize(m) in corpus[d][0] for d in docs), (r["id"], m)
        if r["type"] == "multi_doc":
            assert len(docs) >= 2, r["id"]
        if r["lang"] == "en":  # English answers: only language-neutral strings
            assert not any(re.search(r"[\u4e00-\u9fff]", m) for m in r["must_include"]), r["id"]


def test_counts(rows, corpus):
    types = collections.Counter(r["type"] for r in rows)
    assert types == {"number": 8, "list": 5, "target": 6, "achieved": 6, "target_vs_actual": 4,
                     "multi_doc": 3, "paraphrase": 10, "english": 8, "typo": 4, "unanswerable": 8}
    assert {r["persona"] for r in rows} == PERSONAS
    per_doc = collections.Counter(d for r in rows for d in {ev["doc"] for ev in r["evidence"]})
    assert all(per_doc[doc] >= 8 for doc in corpus), per_doc
