"""index/colloquial.tsv: everyday Chinese phrases -> the formal terms the documents use.

Checks the file's shape and that it can only ever add document vocabulary:
every right-side term occurs in the corpus, and no left-side variant is so
short or generic that it would fire on unrelated questions.

Stop-list decision: 看病 (and 医生, 检查, 医院 …) are too generic on their own —
almost every question contains them — so they may not be a variant by
themselves, but they are allowed inside a longer phrase that names a concept
(晚上看病 -> 夜门诊, 看病贵 -> 医疗费用, 医生上门 -> 上门服务).
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COLLOQUIAL = ROOT / "index" / "colloquial.tsv"
CORPUS = ROOT / "corpus"

# Generic words that must not be a left-side variant on their own.
STOP = frozenset(
    "看 人 病 药 钱 好 医院 医生 护士 看病 检查 治疗 病人 社区 健康 服务 老人 孩子 小孩 "
    "多少 多少钱 什么 怎么 怎么办 哪里 哪儿 可以 能不能 有没有 时间 问题 情况 政策 费用 免费 "
    "上海 金山 闵行 宝山".split()
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _lines() -> list[tuple[int, str]]:
    text = COLLOQUIAL.read_text(encoding="utf-8")
    return [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("#")]


def _entries() -> list[tuple[int, list[str], list[str]]]:
    out = []
    for n, line in _lines():
        left, right = line.split("\t")
        out.append((n, left.split("|"), right.split()))
    return out


def _corpus_text() -> str:
    # Spaces are ignored (the PDF-derived text puts spaces around numbers); line breaks are not,
    # so a term must be readable as one run of text in some document.
    return "".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))).replace(" ", "").replace("\u3000", "")


def test_file_parses_one_tab_per_line_and_non_empty_sides():
    bad = []
    for n, line in _lines():
        if line.count("\t") != 1:
            bad.append((n, "tabs"))
            continue
        left, right = line.split("\t")
        if not left.strip() or not right.strip():
            bad.append((n, "empty side"))
        elif any(v != v.strip() or not v for v in left.split("|")):
            bad.append((n, "empty or padded variant"))
    assert not bad
    assert 150 <= len(_lines()) <= 300


def test_every_right_side_term_occurs_in_the_corpus():
    text = _corpus_text()
    missing = {(n, t) for n, _, terms in _entries() for t in terms if t not in text}
    assert not missing


def test_right_side_terms_are_2_to_10_characters():
    assert not [(n, t) for n, _, terms in _entries() for t in terms if not 2 <= len(t) <= 10]


def test_left_side_variants_are_2_to_8_characters_and_chinese():
    bad = [(n, v) for n, variants, _ in _entries() for v in variants if not 2 <= len(v) <= 8 or not CJK.search(v)]
    assert not bad


def test_no_left_side_variant_is_a_generic_stop_word():
    assert not [(n, v) for n, variants, _ in _entries() for v in variants if v in STOP]


def test_kanbing_only_inside_a_longer_phrase():
    uses = [v for _, variants, _ in _entries() for v in variants if "看病" in v]
    assert uses and all(len(v) > 2 for v in uses)


def test_each_left_side_variant_belongs_to_one_concept():
    seen: dict[str, int] = {}
    dupes = []
    for n, variants, _ in _entries():
        for v in variants:
            if v in seen:
                dupes.append((v, seen[v], n))
            seen[v] = n
    assert not dupes
