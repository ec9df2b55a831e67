"""Metrics checked on hand-computed cases."""
import math

import pytest

from eval.metrics import in_budget, percentile, quote_rank, score_question


def test_hit_mrr_and_ndcg_on_a_hand_computed_ranking():
    evidence = [{"doc": "a", "quote": "签约率49.13%"}, {"doc": "b", "quote": "门急诊1265.67万人次"}]
    retrieved = [("a", "无关"), ("a", "家庭医生签约率 49.13%"), ("c", "x"), ("b", "门急诊 1265.67 万人次")]
    s = score_question(evidence, retrieved)
    assert s["evidence_ranks"] == [2, 4]
    assert (s["hit@1"], s["hit@3"], s["hit@5"]) == (0.0, 1.0, 1.0)
    assert (s["all@3"], s["all@5"]) == (0.0, 1.0)
    assert s["mrr"] == 0.5
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    idcg = 1 + 1 / math.log2(3)
    assert s["ndcg@10"] == pytest.approx(dcg / idcg)


def test_quote_must_come_from_its_own_document():
    assert quote_rank("49.13%", "a", [("b", "49.13%")]) is None


def test_quote_split_across_two_chunks_counts_at_the_worse_rank():
    assert quote_rank("签约率达49.13%", "a", [("a", "达49.13%，"), ("x", "y"), ("a", "……签约率")]) == 3


def test_budget_counts_normalised_characters():
    assert in_budget("ab c", [("d", "x " * 1497 + "abc")])  # spaces do not count
    assert not in_budget("abc", [("d", "x" * 1500), ("d", "abc")])


def test_unfound_evidence_scores_zero():
    s = score_question([{"doc": "a", "quote": "不存在"}], [("a", "别的")])
    assert s["hit@10"] == s["mrr"] == s["ndcg@10"] == s["budget_hit"] == 0.0


def test_percentile_nearest_rank():
    assert percentile(list(range(1, 101)), 95) == 95 and percentile([5], 50) == 5
