"""Hybrid search on the real index (real e5 model, real FAISS, both BM25s)."""
import pytest

from index.expand import expand_english, expand_query, load_glossary
from index.query import understand
from index.search import Filters, Searcher
from index.store import load_index
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def searcher(real_index):
    settings, embedder = real_index
    return Searcher(load_index(settings.index_dir), embedder)


def top_texts(hits):
    return [(h.chunk.doc, h.chunk.text) for h in hits]


def test_chinese_question_finds_the_family_doctor_rate(searcher):
    hits = searcher.search("金山区家庭医生“1+1+1”签约率是多少？", k=3)
    assert any("49.13%" in t for _, t in top_texts(hits))


def test_english_question_reaches_the_chinese_passage(searcher):
    hits = searcher.search("How many outpatient and emergency visits did Minhang's district hospitals have in 2024?", k=5)
    assert any("1265.67万人次" in t for _, t in top_texts(hits))


def test_traditional_characters_and_typos_still_find_the_passage(searcher):
    hits = searcher.search("閔行區戶籍嬰兒死亡率是多少", k=5)
    assert any("0.81‰" in t for _, t in top_texts(hits))
    hits = searcher.search("金山居民健康素样水平连续上升几年", k=5)
    assert any("7连升" in t for _, t in top_texts(hits))


def test_district_named_in_the_question_is_preferred(searcher):
    hits = searcher.search("宝山区家庭医生签约率目标", k=3)
    assert hits[0].chunk.doc == "004_6549651109aa6bb6.txt"


def test_filters_keep_only_matching_documents(searcher):
    for f, allowed in ((Filters(district="闵行区"), {"003_915c29c9d6a15825.txt"}),
                       (Filters(year=2023), {"002_55ed37559ab106e9.txt", "001_a422b7ebc84d3173.txt"}),
                       (Filters(doc_type="plan"), {"001_a422b7ebc84d3173.txt"}),
                       (Filters(district="Baoshan"), {"004_6549651109aa6bb6.txt"})):
        hits = searcher.search("家庭医生签约率", k=10, filters=f)
        assert hits and {h.chunk.doc for h in hits} <= allowed


def test_empty_question_is_refused(searcher):
    with pytest.raises(ValueError, match="empty question"):
        searcher.search("   ")


def test_query_understanding_reads_district_year_and_intent():
    q = understand("闵行区“十四五”期间的目标是什么？")
    assert q.districts == ("闵行区",) and 2021 in q.years and 2025 in q.years and q.wants_target
    assert understand("What did Minhang achieve in 2024?").wants_achieved


def test_english_expansion_adds_document_terms_only_for_english():
    assert "家庭医生" in expand_english("family doctor sign-up rate")
    assert expand_english("家庭医生签约率") == "家庭医生签约率"


def test_everyday_chinese_is_expanded_with_the_documents_terms():
    assert "夜门诊" in expand_query("宝山社区晚上看病到几点")
    q = "闵行区2024年户籍婴儿死亡率"
    assert expand_query(q).startswith(q)  # expansion only adds terms


def test_every_glossary_term_occurs_in_the_corpus():
    text = "".join(p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")).replace(" ", "")
    missing = {zh for _, terms in load_glossary() for zh in terms if zh not in text}
    assert not missing


def test_search_cli_prints_json_passages(real_index):
    import json
    import os
    import subprocess
    import sys

    settings, _ = real_index
    proc = subprocess.run([sys.executable, "-m", "index", "search", "--index", str(settings.index_dir), "--k", "3",
                           "--district", "金山区", "--json", "家庭医生签约率"], cwd=CORPUS.parent,
                          capture_output=True, text=True, timeout=300, env={**os.environ, "HPQA_EMBEDDER": "e5"})
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(x) for x in proc.stdout.splitlines()]
    assert len(rows) == 3 and all(r["district"] == "金山区" for r in rows)


def test_a_reranker_plugged_into_the_slot_reorders_the_hits(real_index):
    settings, embedder = real_index

    class Reverse:
        def rerank(self, question, hits):
            return list(reversed(hits))

    index = load_index(settings.index_dir)
    plain = Searcher(index, embedder).search("家庭医生签约率", k=20)
    reranked = Searcher(index, embedder, reranker=Reverse()).search("家庭医生签约率", k=3)
    assert [h.chunk.id for h in reranked] == [h.chunk.id for h in plain[::-1][:3]]


def test_expansion_terms_count_less_than_the_questions_own_words():
    from index.bm25 import BigramTokenizer, BM25Index
    from index.search import SearchParams, _lexical_scores

    texts = ["甲乙的说明", "丙丁与戊己的说明", "别的说明", "另外的说明"]  # 0: the asked word; 1: two of its alternatives
    bm = BM25Index.build(texts, BigramTokenizer())
    as_union = _lexical_scores(bm, "甲乙", "丙丁 戊己 庚辛", 1.0)
    assert as_union[1] > as_union[0]  # a plain union lets the alternatives outvote the question
    weighed = _lexical_scores(bm, "甲乙", "丙丁 戊己 庚辛", SearchParams().expansion_weight)
    assert weighed[0] > weighed[1] > weighed[2]  # the alternatives still count, less


def test_colloquial_terms_are_kept_apart_from_the_asked_words():
    from index.expand import lexical_query

    words, synonyms = lexical_query("宝山社区晚上看病到几点")
    assert words == "宝山社区晚上看病到几点" and "夜门诊" in synonyms.split()
    words, synonyms = lexical_query("night clinic in Baoshan")  # English words match nothing: their terms stand in
    assert "夜门诊" in words.split() and synonyms == ""


def test_a_spoken_ba_sentence_adds_its_verb_object_word_at_full_weight():
    from index.expand import disposal_objects, lexical_query

    assert disposal_objects("能不能帮忙把药配回来") == ["配药"]
    assert disposal_objects("把孩子的牙查一查") == []  # object longer than two characters: left alone
    assert disposal_objects("老人一天要吃一大把药") == []  # 把 as a measure word is no 把 sentence
    words, synonyms = lexical_query("有没有专门帮着把药减一减的地方")
    assert "减药" in words.split() and "减药" not in synonyms.split()


def test_a_how_many_question_prefers_its_term_followed_by_a_figure():
    from index.bm25 import Tokenizer
    from index.search import count_pattern

    words = "How many family doctor teams? 家庭医生团队 家庭医生服务团队"
    pattern = count_pattern("How many family doctor teams?", words, Tokenizer())
    assert pattern.search("已组建家庭医生服务团队153个")
    assert not pattern.search("加强家庭医生团队建设，提升服务能力")  # the term, but no figure
    assert count_pattern("家庭医生团队怎么签约？", "家庭医生团队怎么签约？", Tokenizer()) is None  # not a count question
    assert count_pattern("宝山有几家社区卫生服务中心？", "有几家社区卫生服务中心？", Tokenizer()).search("社区卫生服务中心11家")
