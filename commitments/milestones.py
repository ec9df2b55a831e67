"""Stages of a building deliverable, for deliverables promised and reported in words. Pure.

A plan promises a stage ("2028年建成投用", "年内开工"); a report names the stage reached
("竣工并投入使用", "完成主体结构封顶"). Stages in the order a project passes them:
1 started (开工), 2 topped out (封顶), 3 built (竣工, 建成), 4 in service (投入使用, 启用).
A report at the promised stage or beyond shows the deliverable done; an earlier stage is
progress, not completion. General Chinese construction usage, not taken from one project.
"""
from __future__ import annotations

import re

# longest first inside each stage so "投入使用" is not read as "投入"
STAGES = {
    "开工": 1, "动工": 1,
    "封顶": 2,
    "竣工验收": 3, "竣工": 3, "完工": 3, "建成": 3, "交付": 3,
    "投入使用": 4, "投入运营": 4, "交付使用": 4, "投用": 4, "启用": 4, "开业": 4, "开诊": 4, "运营": 4,
}
MILESTONE = "|".join(sorted(STAGES, key=len, reverse=True))
_WORD = re.compile(MILESTONE)
# what a report says at a clause end: "竣工并投入使用", "完成主体结构封顶", "主体结构顺利封顶", "正式启用"
REACHED = re.compile(rf"(?P<value>(?:已经|已|顺利|正式|基本|全面|如期)?(?:完成)?(?:主体结构|主体工程)?"
                     rf"(?:顺利|正式|如期)?(?:{MILESTONE})(?:并?(?:正式|开启|全面)?(?:{MILESTONE}))*)$")
# a report clause about what is still ahead is no completion ("预计2025年6月投入使用")
FORECAST = re.compile(r"预计|计划|拟|将|力争|争取|确保|有望|即将|正在|加快|推进|推动|启动|筹备")
# what is left of a deliverable's name once its stage words are gone: the thing built
_LEAD = re.compile(r"^(?:完成|推进|加快|启动|实施|确保|推动)")
_TAIL = re.compile(rf"(?:{MILESTONE}|建设|主体结构|主体工程|完成|开启|正式|顺利|项目|工程|并|和|及)$")


def stage(text: str) -> int | None:
    """The furthest stage a phrase names, or None.

    >>> stage("2028年建成投用"), stage("完成主体结构封顶"), stage("竣工并投入使用"), stage("加强学科建设")
    (4, 2, 4, None)
    """
    found = [STAGES[m.group(0)] for m in _WORD.finditer(text)]
    return max(found) if found else None


def deliverable(name: str) -> str:
    """The thing a deliverable's name builds, stage and project words dropped at both ends.

    >>> deliverable("区中心医院新院区建设建成投用"), deliverable("区中心医院新院区项目")
    ('区中心医院新院区', '区中心医院新院区')
    >>> deliverable("完成区精神卫生中心改扩建工程并投入使用"), deliverable("社区卫生服务中心")
    ('区精神卫生中心改扩建', '社区卫生服务中心')
    """
    text = _LEAD.sub("", name.strip())
    while True:
        m = _TAIL.search(text)
        if not m or m.start() < 2:
            return text
        text = text[: m.start()]


def reached(promised: str, reported: str) -> bool | None:
    """Does a reported stage reach the promised one? None when either names no stage.

    >>> reached("区中心医院新院区建设建成投用", "完成主体结构封顶"), reached("完成改扩建工程并投入使用", "竣工并投入使用")
    (False, True)
    >>> reached("疾控中心迁建项目开工", "竣工验收"), reached("区域全民健康信息平台升级改造", "投入使用")
    (True, None)
    """
    a, b = stage(promised), stage(reported)
    return None if a is None or b is None else b >= a
