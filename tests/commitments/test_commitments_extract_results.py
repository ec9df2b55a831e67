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
