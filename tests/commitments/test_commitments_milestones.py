"""A deliverable promised without a figure against the building stage a report names."""
from commitments.link import link
from commitments.milestones import deliverable, reached, stage
from commitments.status import decide
from commitments.types import Commitment, Result, Target
from index.embed import HashEmbedder


def test_stages_run_from_start_to_service():
    assert [stage(t) for t in ("年内开工", "主体结构顺利封顶", "竣工验收", "建成", "正式启用")] == [1, 2, 3, 3, 4]
    assert stage("推进区中心医院新院区建设") is None  # 建设 is work under way, no stage


def test_a_deliverable_is_named_by_what_it_builds():
    assert deliverable("疾控中心迁建项目开工") == "疾控中心迁建"
    assert reached("确保疾控中心迁建项目年内开工", "竣工验收") and not reached("2028年建成投用", "主体结构封顶")


def task(name, year=2027, district="松江区"):
    return Commitment("c", "task", district, "programme.txt", name, "", Target("", "", year), f"年底前{name}。", 0, 10,
                      "", None, 2026)


def report(name, value, district="松江区", quote=None):
    return Result("summary.txt", district, name, value, None, "", 2027, quote or f"{name}{value}。", 0, 10)


def test_a_stage_reached_meets_the_promise_an_earlier_one_is_progress():
    c = task("完成区精神卫生中心改扩建工程并投入使用")
    (links,) = link([c], [report("区精神卫生中心改扩建工程", "竣工并投入使用")], HashEmbedder())
    assert [l.decided for l in links] == [True] and decide(c, links)[0] == "met"
    c = task("区中心医院新院区建设建成投用", year=2028)
    (links,) = link([c], [report("区中心医院新院区项目", "完成主体结构封顶")], HashEmbedder())
    assert [l.decided for l in links] == [True] and decide(c, links)[0] == "unclear"


def test_a_stage_needs_the_same_building_the_same_district_and_a_quote():
    c = task("完成区精神卫生中心改扩建工程并投入使用")
    assert link([c], [report("区精神卫生中心改扩建工程", "竣工并投入使用", district="青浦区")], HashEmbedder()) == [()]
    assert link([c], [report("区妇幼保健院改扩建工程", "竣工并投入使用")], HashEmbedder()) == [()]
    (links,) = link([c], [report("区精神卫生中心改扩建工程", "竣工并投入使用", quote=" ")], HashEmbedder())
    assert decide(c, links)[0] not in ("met", "not_met")
