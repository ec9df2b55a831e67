"""Reported results without a comparable figure (trends, completions) and counts after a bare verb."""
from commitments.extract_results import extract_results
from commitments.types import Sentence


def _results(text, doc_type="highlights"):
    s = Sentence("h.txt", text, 0, 10, district="金山区", doc_type=doc_type, period=(2024, 2024))
    return [(r.indicator, r.value, r.number, r.unit) for r in extract_results([s])]


def test_a_trend_in_words_is_a_result_without_a_number():
    assert _results("本区蝉联四次全国健康城市建设样板市，居民健康素养水平实现7连升。") == [
        ("居民健康素养水平", "实现7连升", None, "")]
    assert _results("全区孕产妇系统管理率连续3年提升。") == [("全区孕产妇系统管理率", "连续3年提升", None, "")]


def test_a_completion_without_a_count_names_what_was_done():
    got = _results("金山卫镇社区卫生服务中心挂牌全国临终关怀示范基地，朱泾社区卫生服务中心建成上海健康医学院附属社区卫生服务中心。")
    assert got == [("全国临终关怀示范基地", "挂牌全国临终关怀示范基地", None, ""),
                   ("上海健康医学院附属社区卫生服务中心", "建成上海健康医学院附属社区卫生服务中心", None, "")]
    assert _results("区中医医院通过三级甲等中医医院评审。") == [("三级甲等中医医院评审", "通过三级甲等中医医院评审", None, "")]


def test_words_are_read_only_where_the_clause_has_no_figure_and_only_in_reports():
    assert _results("新建社区卫生服务站5个，服务能力持续提升。") == [
        ("社区卫生服务站", "5个", 5.0, "个"), ("服务能力", "持续提升", None, "")]
    assert _results("通过线上线下结合方式开展宣传。") == []  # 通过 as "by means of" is no completion
    assert _results("居民健康素养水平实现7连升。", doc_type="plan") == []


def test_a_count_after_a_bare_verb_counts_what_follows_it():
    assert _results("形成15个特色服务品牌、16个专科，开展52项适宜技术。")[:1] + _results("开展52项适宜技术。") == [
        ("特色服务品牌", "15个", 15.0, "个"), ("适宜技术", "52项", 52.0, "项")]
    assert _results("区内8家社区卫生服务中心均有市级专家坐诊。") == []  # a place before the count starts a subject


def test_a_figure_keeps_the_qualifier_written_after_it():
    assert _results("适龄儿童免疫规划疫苗接种率连续5年保持在99%以上。", "work_summary") == [
        ("适龄儿童免疫规划疫苗接种率", "99%以上", 99.0, "%")]
    assert _results("新建10家以上社区医院。") == [("社区医院", "10家以上", 10.0, "家")]


def test_a_coverage_keeps_its_verb_and_scope():
    assert _results("智慧健康驿站实现街镇全覆盖。") == [("智慧健康驿站", "实现街镇全覆盖", None, "")]
    assert _results("院内智能导航系统已实现全覆盖。") == [("院内智能导航系统", "实现全覆盖", None, "")]


def _cumulative(text):
    s = Sentence("h.txt", text, 0, 10, district="松江区", doc_type="work_summary", period=(2027, 2027))
    return [(r.indicator, r.value, r.cumulative) for r in extract_results([s])]


def test_a_running_total_without_a_name_counts_what_the_figure_before_counted():
    assert _cumulative("年内建成社区卫生服务中心分中心2个，累计建成5个。") == [
        ("社区卫生服务中心分中心", "2个", False), ("社区卫生服务中心分中心", "5个", True)]
    assert _cumulative("累计建成示范性社区康复中心9家。") == [("示范性社区康复中心", "9家", True)]
    # another unit, or a verb that is no deliverable's, does not borrow the name
    assert _cumulative("引进学科带头人6名，累计培训600人。") == [("学科带头人", "6名", False)]
    assert _cumulative("年内建成分中心2个，累计服务3万人次。") == [("分中心", "2个", False)]


def test_each_figure_belongs_to_the_name_before_it_sharing_a_per_head_denominator():
    want = [("每千常住人口执业（助理）医师数", "2.9人", None), ("每千常住人口注册护士数", "3.5人", None)]
    for text in ("每千常住人口执业（助理）医师数2.9人，每千常住人口注册护士数3.5人。",
                 "每千常住人口执业（助理）医师数2.9人、注册护士数3.5人。",
                 "每千常住人口执业（助理）医师数和注册护士数分别为2.9人和3.5人。"):
        assert [(n, v, None) for n, v, _, _ in _results(text)] == want, text
    assert _results("二级以上公立医院门诊预约就诊率提升至86.7%，社区卫生服务中心门诊预约就诊率达到62.0%。") == [
        ("二级以上公立医院门诊预约就诊率", "86.7%", 86.7, "%"), ("社区卫生服务中心门诊预约就诊率", "62.0%", 62.0, "%")]
    assert _results("全区医院数12家、床位数3000张。")[1][0] == "床位数"  # no per-head denominator to share


def test_a_building_stage_reached_is_a_result_in_words_a_forecast_is_not():
    got = _results("区精神卫生中心改扩建工程竣工并投入使用，区中心医院新院区项目完成主体结构封顶。", "work_summary")
    assert got == [("区精神卫生中心改扩建工程", "竣工并投入使用", None, ""),
                   ("区中心医院新院区项目", "完成主体结构封顶", None, "")]
    assert _results("区中心医院新院区预计2025年6月投入使用。", "work_summary") == []
    assert _results("区中心医院新院区2026年投入使用。", "work_summary") == []  # a later year than the report's
    assert _results("区中心医院新院区投入使用。", "plan") == []
