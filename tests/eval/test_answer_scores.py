"""EM/F1 as CMRC 2018 computes them, answer parts, negative rejection, bootstrap intervals."""
import pytest

from eval.answer_metrics import answer_scores, summarize_answers
from eval.bootstrap import all_cis, bootstrap_ci, paired_delta
from eval.cmrc import exact_match, f1, segments
from eval.metrics import score_question


@pytest.mark.parametrize("golds, pred, em, f", [
    (["49.13%"], "49.13%", 1.0, 1.0),
    (["49.13%"], "49.13 %。[2]", 1.0, 1.0),            # punctuation, spaces and our citation markers ignored
    (["600张"], "规划床位600张", 0.0, 2 * (2 / 6) * 1 / (2 / 6 + 1)),  # 600 + 张 of 规,划,床,位,600,张
    (["第二", "2"], "全市排名第二", 0.0, 2 * (2 / 6) / (2 / 6 + 1)),
    (["52.3%"], "没有相关信息", 0.0, 0.0),
])
def test_exact_match_and_f1_on_hand_computed_cases(golds, pred, em, f):
    assert exact_match(golds, pred) == em
    assert f1(golds, pred) == pytest.approx(f)


def test_segments_split_chinese_by_character_and_keep_numbers_whole():
    assert segments("签约率达 52.3%（2024 年）") == ["签", "约", "率", "达", "52.3", "%", "2024", "年"]


def test_answer_parts_need_one_alternative_of_each_part():
    q = {"type": "rgb", "answer_parts": [["600张", "600"], ["2026年"]], "answers": []}
    good = {"answer": "规划床位600张，预计2026年投入使用[1]。", "refused": False, "citations": []}
    half = {"answer": "规划床位600张[1]。", "refused": False, "citations": []}
    assert answer_scores(q, good, {}, set())["answer_correct"] == 1.0
    assert answer_scores(q, half, {}, set())["answer_correct"] == 0.0


def test_all_negative_question_expects_a_refusal():
    q = {"type": "rgb", "answerable": False, "answer_parts": [["52.3%"]]}
    refused = answer_scores(q, {"answer": "文档中没有找到这个问题的答案。", "refused": True}, {}, set())
    answered = answer_scores(q, {"answer": "签约率52.3%", "refused": False}, {}, set())
    assert refused == {"refusal_correct": 1.0} and answered["refusal_correct"] == 0.0 and "answer_correct" not in answered


def test_em_f1_are_summarised_only_when_a_set_has_answers():
    rows = [{"em": 1.0, "f1": 1.0, "false_refusal": 0.0}, {"em": 0.0, "f1": 0.5, "false_refusal": 0.0}]
    s = summarize_answers(rows)
    assert (s["em"], s["f1"]) == (0.5, 0.75)
    assert "em" not in summarize_answers([{"false_refusal": 0.0}])


def test_gold_passage_and_any_document_evidence():
    retrieved = [("p1", "别的"), ("p7", "这里说签约率49.13%"), ("p9", "x")]
    assert score_question([{"doc": "p7"}], retrieved)["evidence_ranks"] == [2]
    assert score_question([{"quote": "签约率49.13%"}], retrieved)["evidence_ranks"] == [2]
    s = score_question([{"doc": "p5"}], retrieved)
    assert s["hit@10"] == 0.0 and s["budget_hit"] == 0.0


def test_bootstrap_interval_holds_the_mean_narrows_with_more_questions_and_is_seeded():
    small, large = [1.0, 0.0] * 10, [1.0, 0.0] * 200
    lo_s, hi_s = bootstrap_ci(small)
    lo_l, hi_l = bootstrap_ci(large)
    assert lo_s <= 0.5 <= hi_s and lo_l <= 0.5 <= hi_l and hi_l - lo_l < hi_s - lo_s
    assert bootstrap_ci(small, seed=3) == bootstrap_ci(small, seed=3)
    with pytest.raises(ValueError, match="unknown statistic 'max'"):
        bootstrap_ci(small, "max")


def test_cis_cover_every_group_and_latency():
    rows = [{"id": str(i), "type": "number" if i % 2 else "list", "persona": "resident", "latency_ms": 10.0 + i,
             "hit@1": float(i % 3 == 0), "mrr": 1.0, "answer_correct": 1.0} for i in range(20)]
    cis = all_cis(rows)
    assert set(cis["by_type"]) == {"number", "list"} and "resident" in cis["by_persona"]
    assert {"hit@1", "mrr", "answer_accuracy", "latency_p50_ms", "latency_p95_ms"} <= set(cis["overall"])


def test_paired_delta_uses_only_questions_both_runs_scored():
    a = [{"id": "1", "hit@1": 1.0}, {"id": "2", "hit@1": 1.0}, {"id": "3", "hit@1": 1.0}]
    b = [{"id": "1", "hit@1": 0.0}, {"id": "2", "hit@1": 1.0}]
    d = paired_delta(a, b, "hit@1")
    assert d["n"] == 2 and d["delta"] == 0.5
