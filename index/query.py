"""Query understanding: which district, year and kind of figure a question is about.

Pure functions. The result steers search (boosts and optional filters); it never
rewrites what is searched for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

DISTRICTS = {
    "金山": "金山区", "jinshan": "金山区", "闵行": "闵行区", "minhang": "闵行区", "宝山": "宝山区", "baoshan": "宝山区",
    "嘉定": "嘉定区", "jiading": "嘉定区", "浦东": "浦东新区", "pudong": "浦东新区", "奉贤": "奉贤区", "fengxian": "奉贤区",
    "松江": "松江区", "songjiang": "松江区", "青浦": "青浦区", "qingpu": "青浦区", "徐汇": "徐汇区", "xuhui": "徐汇区",
    "静安": "静安区", "jing'an": "静安区", "黄浦": "黄浦区", "huangpu": "黄浦区", "长宁": "长宁区", "changning": "长宁区",
    "普陀": "普陀区", "putuo": "普陀区", "虹口": "虹口区", "hongkou": "虹口区", "杨浦": "杨浦区", "yangpu": "杨浦区",
    "崇明": "崇明区", "chongming": "崇明区",
}
FIVE_YEAR = {"十三五": (2016, 2020), "十四五": (2021, 2025), "十五五": (2026, 2030),
             "13th five": (2016, 2020), "14th five": (2021, 2025), "15th five": (2026, 2030)}
TARGET_WORDS = ("目标", "规划", "计划", "将", "到20", "力争", "预期性", "约束性", "提至", "达到多少",
                "target", "plan", "goal", "aim", "promise", "will ")
ACHIEVED_WORDS = ("完成", "实际", "已经", "实现", "达到了", "取得", "成效", "总结", "去年",
                  "achieved", "actual", "reached", "result", "did ", "was ", "were ")


@dataclass(frozen=True)
class QueryInfo:
    districts: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    wants_target: bool = False
    wants_achieved: bool = False
    extra: dict = field(default_factory=dict)


def strip_place_and_time(question: str) -> str:
    """The question without district names and years, for the lexical (BM25) query.

    District and year steer ranking through metadata boosts; left in the BM25
    query they make every chunk that merely names "2024年金山区" look relevant.

    >>> strip_place_and_time("2024年金山区社区卫生服务中心配备多少种药")
    ' 社区卫生服务中心配备多少种药'
    """
    for name in sorted(DISTRICTS, key=len, reverse=True):
        question = re.sub(re.escape(name) + "(新区|区)?", " ", question, flags=re.IGNORECASE)
    question = re.sub(r"(?<!\d)20[0-4]\d年?", " ", question)
    return re.sub(r" +", " ", question)


def to_simplified(text: str) -> str:
    """Traditional characters to the simplified forms the documents use.

    >>> to_simplified("閔行區醫養結合機構")
    '闵行区医养结合机构'
    """
    import zhconv

    return zhconv.convert(text, "zh-cn")


def understand(question: str) -> QueryInfo:
    """District, year and target/achieved cues in `question`.

    >>> q = understand("金山区2024年家庭医生签约率达到多少？")
    >>> q.districts, q.years
    (('金山区',), (2024,))
    >>> understand("What is Minhang's target for 2025?").wants_target
    True
    """
    low = question.casefold()
    districts = tuple(dict.fromkeys(v for k, v in DISTRICTS.items() if k in low))
    years = [int(y) for y in re.findall(r"(?<!\d)(20[0-4]\d)(?!\d)", question)]
    for k, (a, b) in FIVE_YEAR.items():
        if k in low:
            years.extend(range(a, b + 1))
    return QueryInfo(
        districts=districts,
        years=tuple(dict.fromkeys(years)),
        wants_target=any(w in low for w in TARGET_WORDS),
        wants_achieved=any(w in low for w in ACHIEVED_WORDS),
    )
