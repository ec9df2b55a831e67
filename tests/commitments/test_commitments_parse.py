"""Known-answer tests of the pure parsing steps: table rows, running-text targets, figures, deadlines, baselines."""
import pytest

from commitments.extract_commitments import baselines, parse_row
from commitments.parse_targets import targets
from commitments.phrases import deadline_year
from commitments.quantities import quantities
from commitments.types import Sentence


@pytest.mark.parametrize("row, expected", [
    ("3 5 岁以下儿童死亡率（‰） 优于全市平均水平 预期性", ("5岁以下儿童死亡率", "‰", "优于全市平均水平", "", "预期性")),
    ("4 孕产妇死亡率（1/10 万） 优于全市平均水平 预期性", ("孕产妇死亡率", "1/10万", "优于全市平均水平", "", "预期性")),
    ("7 千人口医疗机构床位数（张） 7.5 左右 预期性", ("千人口医疗机构床位数", "张", "7.5", "=", "预期性")),
    ("8 千人口执业（助理）医师数（人） ≥3.6 预期性", ("千人口执业（助理）医师数", "人", "3.6", ">=", "预期性")),
    ("11 精神科执业（助理）医师数（人/10 万人口） 4.0 预期性", ("精神科执业（助理）医师数", "人/10万人口", "4.0", "=", "预期性")),
    ("12 院前急救平均反应时间（分钟） 稳定在 12 分钟以内 约束性", ("院前急救平均反应时间", "分钟", "12", "<=", "约束性")),
    ("3 床位使用率（%） ≤92", ("床位使用率", "%", "92", "<=", "")),
])
def test_target_table_rows_parse_into_fields(row, expected):
    assert parse_row(row) == expected


def test_a_row_without_a_unit_column_is_not_a_target_row():
    assert parse_row("序号 指标名称 “十四五”目标值 属性") is None


def _t(sentence):
    return [(d.kind, d.indicator, d.unit, d.value, d.cmp) for d in targets(sentence)]


def test_level_verbs_and_suffixes_give_the_comparison():
    assert _t("到2025年，老年人健康素养提高到23%以上。") == [("indicator", "老年人健康素养", "%", "23", ">=")]
    assert _t("新增治疗床位控制在每千人口0.74张以内。") == [("indicator", "新增治疗床位", "张/千人口", "0.74", "<=")]


def test_a_list_after_one_verb_gives_one_task_per_item():
    got = _t("打造3个标准化社区门诊手术室、3家社区标准化口腔诊室、4家无病房社区康复中心。")
    assert [g[1] for g in got] == ["标准化社区门诊手术室", "社区标准化口腔诊室", "无病房社区康复中心"]
    assert all(g[0] == "task" for g in got)


def test_respectively_pairs_each_figure_with_its_subject():
    got = _t("千人口康复床位数和千人口中医类医疗机构床位力争分别达到0.25张和0.55张。")
    assert got == [("indicator", "千人口康复床位数", "张", "0.25", ">="), ("indicator", "千人口中医类医疗机构床位", "张", "0.55", ">=")]


def test_a_clause_without_its_own_subject_takes_the_previous_one():
    got = _t("二级以上综合医院儿科床位原则上不低于医院核定床位数的5%，最低不少于30张。")
    assert got == [("indicator", "二级以上综合医院儿科床位", "%", "5", ">="), ("indicator", "二级以上综合医院儿科床位", "张", "30", ">=")]


def test_ranges_keep_both_ends():
    assert _t("力争新招全科医生30-50名。") == [("task", "全科医生", "名", "30-50", "=")]


@pytest.mark.parametrize("sentence", [
    "严格落实18项医疗质量安全核心制度。",  # a count of rules, no deliverable
    "全面推行社区“887365”全时段诊疗模式(早8点到晚8点,每周7天,全年365天应诊)。",
    "落实新一轮健康上海行动专项项目(2025-2027年)。",
    "争取市六医院金山分院通过EMR6级国家测评。",
])
def test_figures_that_are_not_targets_are_left_out(sentence):
    assert targets(sentence) == []


def test_years_ages_codes_and_quoted_numbers_are_not_figures():
    assert [q.value for q in quantities("2025年，80岁以上老年人“1+1+1”签约率达5G的EHR6级46%")] == ["46"]


@pytest.mark.parametrize("text, year", [
    ("在“十五五”规划期内，谋划建设3个紧密型城市医疗集团", 2030),
    ("“十四五”期间达到本市三级甲等综合性医院建设标准", 2025),
    ("预计2026年竣工交付", 2026),
    ("互联网医疗服务量较2022年底上升30%", None),  # a comparison base, not a deadline
])
def test_deadline_years(text, year):
    assert deadline_year(text) == year


def test_a_baseline_is_the_figure_stated_for_the_year_before_the_plan():
    s = Sentence("p.txt", "2020年，本区户籍居民平均期望寿命84.42岁，比2015年的82.34岁提高2.08岁；婴儿死亡率2.08‰，比2015年的3.81‰下降1.73‰。",
                 0, 10, period=(2021, 2025), doc_type="plan")
    assert baselines(s) == [("本区户籍居民平均期望寿命", "84.42", "岁", 2020), ("婴儿死亡率", "2.08", "‰", 2020)]
    later = Sentence("p.txt", "2023年，婴儿死亡率2.08‰。", 0, 10, period=(2021, 2025), doc_type="plan")
    assert baselines(later) == []


def test_a_range_written_with_zhi_keeps_both_ends():
    assert _t("新增社区卫生服务站点12至15个。") == [("task", "社区卫生服务站点", "个", "12-15", "=")]


def test_results_keep_names_with_share_and_ratio_but_drop_changes():
    from commitments.extract_results import extract_results

    s = Sentence("r.txt", "医疗机构药品收入占比降至28.4%，门诊量同比增长4.93%，即办件比例提升至98.18%。", 0, 10,
                 district="金山区", doc_type="work_summary", period=(2024, 2024))
    got = [(r.indicator, r.value, r.year) for r in extract_results([s])]
    assert got == [("医疗机构药品收入占比", "28.4%", 2024), ("即办件比例", "98.18%", 2024)]


def test_results_in_words_name_each_indicator_of_a_list():
    from commitments.extract_results import extract_results

    s = Sentence("h.txt", "人均预期寿命、婴儿死亡率等居民健康指标连续6年优于全市平均水平，连续7年未发生孕产妇死亡。", 0, 10,
                 district="金山区", doc_type="highlights", period=(2024, 2024))
    got = [(r.indicator, r.value) for r in extract_results([s])]
    assert got == [("人均预期寿命", "优于全市平均水平"), ("婴儿死亡率", "优于全市平均水平"), ("孕产妇死亡", "连续7年未发生孕产妇死亡")]
