"""Linking and status rules: same district only, candidates never decide, a status needs two quotes."""
import numpy as np

from commitments.link import link
from commitments.status import decide
from commitments.types import Commitment, Link, Result, Target
from index.embed import HashEmbedder


class SameVector:
    """Every name gets the same vector: only the lexical rules tell names apart."""

    def embed(self, texts, kind):
        return np.full((len(texts), 4), 0.5)


def commitment(indicator="居民健康素养水平", value="36", cmp=">=", unit="%", district="金山区", year=2025):
    return Commitment("c1", "indicator", district, "plan.txt", indicator, unit, Target(value, cmp, year),
                      f"6 {indicator}（{unit}） ≥{value} 预期性", 0, 10, "预期性", None, 2021)


def result(indicator="居民健康素养水平", value="42.13%", number=42.13, unit="%", district="金山区", year=2024,
           quote="2024年全区居民健康素养水平42.13%。", doc="report.txt"):
    return Result(doc, district, indicator, value, number, unit, year, quote, 0, 10)


def test_a_figure_from_another_district_never_counts():
    links = link([commitment()], [result(district="闵行区")], HashEmbedder())
    assert links == [()]
    assert decide(commitment(), links[0])[0] == "no_report"


def test_same_indicator_same_district_is_decided_and_met():
    (links,) = link([commitment()], [result()], HashEmbedder())
    assert links and links[0].decided
    assert decide(commitment(), links)[0] == "met"


def test_a_different_unit_is_not_linked():
    assert link([commitment()], [result(value="3家", number=3, unit="家")], HashEmbedder()) == [()]


def test_a_report_older_than_the_plan_is_not_linked():
    assert link([commitment()], [result(year=2019)], HashEmbedder()) == [()]


def test_a_candidate_makes_the_status_unclear_never_met():
    c = commitment()
    status, _ = decide(c, [Link(result(), 0.6, decided=False)])
    assert status == "unclear"


def test_no_status_without_a_quote_on_the_report_side():
    status, _ = decide(commitment(), [Link(result(quote="  "), 1.0, decided=True)])
    assert status not in ("met", "not_met")


def test_a_shortfall_before_the_target_year_is_unclear_after_it_not_met():
    c = commitment(value="80")
    assert decide(c, [Link(result(value="49.13%", number=49.13, year=2024), 1.0, True)])[0] == "unclear"
    assert decide(c, [Link(result(value="49.13%", number=49.13, year=2025), 1.0, True)])[0] == "not_met"


def test_a_ceiling_target_is_met_below_it():
    c = commitment(indicator="院前急救平均反应时间", value="12", cmp="<=", unit="分钟")
    r = result(indicator="院前急救平均反应时间", value="11.5分钟", number=11.5, unit="分钟")
    assert decide(c, [Link(r, 1.0, True)])[0] == "met"


def test_a_qualitative_target_is_met_only_by_the_same_words():
    c = commitment(indicator="婴儿死亡率", value="优于全市平均水平", cmp="", unit="‰")
    same = result(indicator="婴儿死亡率", value="优于全市平均水平", number=None, unit="")
    other = result(indicator="婴儿死亡率", value="全覆盖", number=None, unit="")
    assert decide(c, [Link(same, 1.0, True)])[0] == "met"
    assert decide(c, [Link(other, 1.0, True)])[0] == "unclear"


def trend(indicator="居民健康素养水平", district="金山区", year=2024):
    return result(indicator=indicator, value="实现7连升", number=None, unit="", district=district, year=year,
                  quote=f"{indicator}实现7连升。", doc="highlights.txt")


def test_a_report_without_a_comparable_figure_is_linked_by_the_same_name_and_leaves_it_unclear():
    c = commitment()
    (links,) = link([c], [trend()], HashEmbedder())
    assert [l.result.value for l in links] == ["实现7连升"]
    assert decide(c, links)[0] == "unclear"
    assert link([c], [trend(district="闵行区")], HashEmbedder()) == [()]  # another district: never
    assert link([commitment(indicator="老年人健康素养")], [trend()], SameVector()) == [()]  # a similar name is not enough


def test_the_status_rests_on_the_latest_comparable_report_not_on_words():
    c = commitment(value="80")
    words = Link(trend(year=2025), 1.0, True)
    short = Link(result(value="49.13%", number=49.13, year=2024), 1.0, True)
    assert decide(c, [words])[0] == "unclear"
    assert decide(c, [words, short])[0] == "unclear"  # a shortfall before the target year, words later: still open
    assert decide(c, [words, Link(result(value="82%", number=82, year=2024), 1.0, True)])[0] == "met"


def test_counts_of_kinds_agree_across_zhong_and_xiang_but_not_with_places_or_rates():
    c = commitment(indicator="基层适宜技术", value="20-30", cmp="=", unit="种")
    techniques = result(indicator="适宜技术", value="52项", number=52, unit="项", quote="开展52项适宜技术。")
    (links,) = link([c], [techniques], SameVector())
    assert links and decide(c, links)[0] == "met"  # beyond a range to reach: met
    assert link([c], [result(indicator="适宜技术", value="52家", number=52, unit="家")], SameVector()) == [()]


def test_a_report_naming_a_member_of_the_class_the_plan_names_is_decided():
    c = commitment(indicator="医学院校附属社区卫生服务中心", value="1-3", cmp="=", unit="家")
    member = result(indicator="上海中医药大学附属社区卫生服务中心", value="3家", number=3, unit="家",
                    quote="创建上海中医药大学附属社区卫生服务中心3家。")
    (links,) = link([c], [member], SameVector())
    assert links and links[0].decided and decide(c, links)[0] == "met"
    other = result(indicator="上海财经大学附属社区卫生服务中心", value="3家", number=3, unit="家")
    assert not any(l.decided for l in link([c], [other], SameVector())[0])


def test_a_figure_its_sentence_gives_another_name_is_no_candidate_when_ours_is_there():
    quote = "每千常住人口执业（助理）医师数2.9人，每千常住人口注册护士数3.5人。"
    doctors = result(indicator="每千常住人口执业（助理）医师数", value="2.9人", number=2.9, unit="人", quote=quote)
    nurses = result(indicator="每千常住人口注册护士数", value="3.5人", number=3.5, unit="人", quote=quote)
    c = commitment(indicator="每千常住人口执业（助理）医师数", value="3.2", unit="人")
    (links,) = link([c], [doctors, nurses], SameVector())
    assert [(l.result.value, l.decided) for l in links] == [("2.9人", True)]
    # alone in its sentence, a similar name stays a candidate: shown, not decided
    (links,) = link([c], [nurses], SameVector())
    assert [(l.result.value, l.decided) for l in links] == [("3.5人", False)] and decide(c, links)[0] == "unclear"


def test_a_promise_over_several_years_takes_the_running_total_a_yearly_one_the_year_s_count():
    quote = "年内建成社区卫生服务中心分中心2个，累计建成5个。"
    year = result(indicator="社区卫生服务中心分中心", value="2个", number=2, unit="个", quote=quote, year=2027)
    total = Result("report.txt", "金山区", "社区卫生服务中心分中心", "5个", 5.0, "个", 2027, quote, 0, 10, True)
    plan = Commitment("c1", "task", "金山区", "plan.txt", "社区卫生服务中心分中心", "个", Target("4-6", "=", 2030),
                      "新建社区卫生服务中心分中心4-6个。", 0, 10, "", None, 2026)
    programme = Commitment("c2", "task", "金山区", "programme.txt", "社区卫生服务中心分中心", "个", Target("2", "=", 2027),
                           "新建社区卫生服务中心分中心2个。", 0, 10, "", None, 2027)
    for_plan, for_programme = link([plan, programme], [year, total], SameVector())
    assert [l.result.value for l in for_plan] == ["5个"] and decide(plan, for_plan)[0] == "met"
    assert [l.result.value for l in for_programme] == ["2个"] and decide(programme, for_programme)[0] == "met"
    (alone,) = link([plan], [year], SameVector())  # no total given: the year's count is what there is
    assert [l.result.value for l in alone] == ["2个"] and decide(plan, alone)[0] == "unclear"
