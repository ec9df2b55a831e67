"""Follow-up rewriting: each rule on a known answer, and what it must never do."""
import pytest

from answer.followup import rewrite
from index.query import understand

JINSHAN_RATE = [("user", "金山区家庭医生签约率是多少？"), ("assistant", "金山区家庭医生签约率为……[1]")]
BAOSHAN_RATE = [("user", "宝山区家庭医生签约率是多少？"), ("assistant", "……[1]")]
MINHANG_2024 = [("user", "闵行区2024年门急诊人次是多少？"), ("assistant", "……[1]")]
ENGLISH_JINSHAN = [("user", "What is the family doctor contract rate in Jinshan?"), ("assistant", "It is … [1]")]


@pytest.mark.parametrize("question", ["那宝山呢？", "宝山呢", "what about Baoshan?"])
def test_district_followup_swaps_the_district(question):
    assert rewrite(question, JINSHAN_RATE) == "宝山区家庭医生签约率是多少？"


def test_district_followup_is_prefixed_when_the_previous_question_named_none():
    assert rewrite("那宝山呢？", [("user", "家庭医生签约率是多少？")]) == "宝山区家庭医生签约率是多少？"


@pytest.mark.parametrize("question", ["what about 2025?", "2025年呢？", "那2025年呢"])
def test_year_followup_swaps_the_year(question):
    assert rewrite(question, MINHANG_2024) == "闵行区2025年门急诊人次是多少？"


def test_year_followup_is_added_after_the_district_when_the_previous_question_had_none():
    assert rewrite("2025年呢？", JINSHAN_RATE) == "金山区2025年家庭医生签约率是多少？"


@pytest.mark.parametrize("question, year", [("那去年呢", 2023), ("今年呢？", 2024), ("明年呢?", 2025)])
def test_relative_year_counts_from_the_previous_questions_year(question, year):
    assert rewrite(question, MINHANG_2024) == f"闵行区{year}年门急诊人次是多少？"


@pytest.mark.parametrize("question", ["十四五呢", "那十四五规划呢？"])
def test_five_year_plan_followup_replaces_the_year_with_the_plan_period(question):
    assert rewrite(question, MINHANG_2024) == "闵行区“十四五”期间门急诊人次是多少？"


def test_relative_year_is_kept_as_said_when_the_previous_question_has_no_year():
    assert rewrite("那去年呢", JINSHAN_RATE) == "金山区去年家庭医生签约率是多少？"


@pytest.mark.parametrize("question", ["它的目标是多少", "目标呢", "what is the target?"])
def test_aspect_followup_attaches_to_the_previous_subject(question):
    assert rewrite(question, BAOSHAN_RATE) == "宝山区家庭医生签约率的目标是多少？"


def test_aspect_followup_with_a_new_year_changes_the_subject_first():
    assert rewrite("2025年的目标呢", MINHANG_2024) == "闵行区2025年门急诊人次的目标是多少？"


@pytest.mark.parametrize("question, expected", [
    ("And in Minhang?", "What is the family doctor contract rate in Minhang?"),
    ("what about 2025?", "What is the family doctor contract rate in Jinshan in 2025?"),
    ("What is the target?", "What is the target for the family doctor contract rate in Jinshan?"),
    ("what was the target for 2025?", "What was the target for the family doctor contract rate in Jinshan in 2025?"),
])
def test_english_followup_after_an_english_question_stays_english(question, expected):
    assert rewrite(question, ENGLISH_JINSHAN) == expected


@pytest.mark.parametrize("question, history, expected", [
    ("这个呢？", BAOSHAN_RATE, "宝山区家庭医生签约率是多少？"),
    ("该项的目标呢", BAOSHAN_RATE, "宝山区家庭医生签约率的目标是多少？"),
    ("那这个政策的主要内容是什么", JINSHAN_RATE, "金山区家庭医生签约率政策的主要内容是什么？"),
    ("What is it?", ENGLISH_JINSHAN, "What is the family doctor contract rate in Jinshan?"),
    ("And what about this?", ENGLISH_JINSHAN, "What is the family doctor contract rate in Jinshan?"),
    ("What is its target?", ENGLISH_JINSHAN, "What is the target for the family doctor contract rate in Jinshan?"),
])
def test_pronoun_resolves_to_the_previous_subject(question, history, expected):
    assert rewrite(question, history) == expected


@pytest.mark.parametrize("history", [[], [("assistant", "您好，请问想了解哪个区？")], [("user", "  ")]])
def test_without_a_user_turn_the_question_is_returned_unchanged(history):
    assert rewrite("那宝山呢？", history) == "那宝山呢？"


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_is_returned_unchanged(question):
    assert rewrite(question, JINSHAN_RATE) == question


@pytest.mark.parametrize("question", [
    "闵行区2024年门急诊人次是多少？",
    "宝山区床位数是多少？",
    "宝山区家庭医生签约率的目标是多少？",
    "那医疗机构数量呢",
    "How many hospitals are in Baoshan?",
    "What does that mean for residents?",
    "Is it true that Baoshan has more hospitals?",
    "其它区呢",
    "谢谢",
    "ok",
])
def test_standalone_question_is_not_changed(question):
    assert rewrite(question, JINSHAN_RATE) == question


def test_only_the_last_user_turn_gives_the_subject():
    history = [("user", "闵行区2024年门急诊人次是多少？"), ("assistant", "闵行区……"),
               ("user", "金山区家庭医生签约率是多少？"), ("assistant", "闵行区和宝山区……[1]")]
    assert rewrite("2025年呢？", history) == "金山区2025年家庭医生签约率是多少？"


@pytest.mark.parametrize("question", ["那宝山呢？", "宝山呢", "what about Baoshan?", "2025年呢？", "目标呢",
                                      "它的目标是多少", "And in Minhang?", "这个呢？", "what about 2025?"])
@pytest.mark.parametrize("history", [JINSHAN_RATE, MINHANG_2024, ENGLISH_JINSHAN, [("user", "家庭医生签约率是多少？")]])
def test_rewrite_never_invents_a_district_or_year(question, history):
    out = understand(rewrite(question, history))
    given = understand(question + " " + " ".join(text for _, text in history))
    assert set(out.districts) <= set(given.districts) and set(out.years) <= set(given.years)


@pytest.mark.parametrize("question", ["宝山?", "宝山？", "宝山呢", "宝山呢？", "那宝山吗", "那宝山呢?", "寶山呢？"])
def test_punctuation_particles_and_traditional_characters_do_not_change_the_rewrite(question):
    assert rewrite(question, JINSHAN_RATE) == "宝山区家庭医生签约率是多少？"


def test_a_chain_of_followups_keeps_the_first_subject():
    history = JINSHAN_RATE + [("user", "那闵行呢？"), ("assistant", "……[1]")]
    assert rewrite("宝山呢？", history) == "宝山区家庭医生签约率是多少？"
    assert rewrite("这个指标的目标是多少？", history) == "闵行区家庭医生签约率的目标是多少？"


def test_a_new_aspect_replaces_the_previous_questions_aspect():
    history = [("user", "金山区床位数的目标是多少？")]
    assert rewrite("它2020年实际是多少？", history) == "金山区2020年床位数的实际是多少？"


def test_an_aspect_inside_a_longer_one_is_not_asked_twice():
    assert rewrite("同比增长多少？", MINHANG_2024) == "闵行区2024年门急诊人次的同比增长多少？"


def test_an_english_possessive_district_is_a_district_not_a_subject():
    assert rewrite("And Baoshan's target?", ENGLISH_JINSHAN) == \
        "What is the target for the family doctor contract rate in Baoshan?"
