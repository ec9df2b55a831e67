"""Refusal rules on hand-made passages: what metadata proves wrong and what it leaves unknown."""
from answer.evidence import rank_candidates
from answer.refuse import decide
from answer.types import Passage
from index.query import understand


def passage(n, text, district=None, period=None, doc_type="other"):
    return Passage(n, f"d{n}.txt", text, f"title {n}", district, period, doc_type, (), 0, len(text))


def decision(question, passages):
    return decide(question, understand(question), passages, rank_candidates(question, passages))


def test_a_passage_of_another_district_does_not_answer():
    d = decision("金山区家庭医生签约率是多少？", [passage(1, "家庭医生签约率达47.84%。", "闵行区", (2024, 2024))])
    assert d.refuse and "金山区" in d.reason


def test_a_passage_without_district_or_period_metadata_is_unknown_not_wrong():
    # A benchmark's bare passages carry no metadata: they may be about the asked district and year.
    d = decision("金山区2024年家庭医生签约率是多少？", [passage(1, "金山区家庭医生签约率达49.13%。")])
    assert not d.refuse


def test_a_count_in_another_unit_does_not_answer():
    d = decision("闵行区有多少张医疗床位？", [passage(1, "医疗床位建设提前了57天完成。", "闵行区", (2024, 2024))])
    assert d.refuse and "张" in d.reason


def test_an_english_question_about_another_phase_is_not_answered_by_the_first():
    d = decision("How many beds will phase II have?", [passage(1, "一期规划床位400张。", "金山区", (2024, 2024))])
    assert d.refuse
    assert not decision("How many beds will the first phase have?",
                        [passage(1, "一期规划床位400张。", "金山区", (2024, 2024))]).refuse


def test_an_indicator_asked_with_a_bare_duoshao_is_answered_in_the_unit_its_table_declares():
    # "水平达到了多少" asks for the % the indicator table declares; "7连升" counts rises, it is no level.
    question = "居民健康素养水平实际达到了多少？"
    passages = [passage(1, "居民健康素养水平实现7连升。", "金山区", (2024, 2024)),
                passage(2, "6 居民健康素养水平（%） ≥36 预期性", "金山区", (2021, 2025), "plan")]
    declared = {"健康素养水平": "%"}.get
    d = decide(question, understand(question), passages, rank_candidates(question, passages), declared=declared)
    assert d.refuse and "target" in d.reason
    passages.append(passage(3, "2024年居民健康素养水平达到42.13%。", "金山区", (2024, 2024)))
    d = decide(question, understand(question), passages, rank_candidates(question, passages), declared=declared)
    assert not d.refuse
