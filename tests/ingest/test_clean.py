"""Cleaning PDF-style text: artefacts dropped, broken lines joined, structure kept."""
from pathlib import Path

from ingest.clean import clean

PLAN = (Path(__file__).resolve().parents[2] / "corpus" / "001_a422b7ebc84d3173.txt").read_text(encoding="utf-8")

WRAPPED = "\n\n".join([
    "标题规划",
    "一、改革发展基础",
    "“十四五”时期是我国开启全面建设社会主义现代化国家新",
    "征程的第一个五年，是上海市建设卓越全球城市、社会主义现代",
    "化国际大都市和亚洲医学中心城市的重要时期。",
] * 1) + "\n\n- 28 -\n\n" + "\n\n".join([
    "（一）卫生健康服务体系进一步健全",
    "1.公共卫生防线织密筑牢。有效应对新型冠状病毒肺炎疫情，",
    "为全市确诊病例数最少的区之一，未发生疫情社区传播。",
])


def test_page_number_line_is_an_artefact():
    c = clean(WRAPPED)
    assert [a.text for a in c.artefacts] == ["- 28 -"]
    assert all("- 28 -" not in b.text for b in c.blocks)


def test_broken_lines_are_joined_into_one_paragraph():
    c = clean(PLAN)
    paras = [b.text for b in c.blocks if b.kind == "para"]
    assert ("“十四五”时期是我国开启全面建设社会主义现代化国家新征程的第一个五年，是上海市建设卓越全球城市、"
            "社会主义现代化国际大都市和亚洲医学中心城市的重要时期，") in paras[1]
    assert "2020年，本区户籍居民平均期望寿命84.42岁，比2015年的82.34岁提高2.08岁；" in "".join(paras)


def test_headings_get_levels_and_lead_phrases_titles():
    c = clean(PLAN)
    heads = [(b.level, b.text) for b in c.blocks if b.kind == "heading"]
    assert (1, "一、改革发展基础") in heads and (2, "（一）卫生健康服务体系进一步健全") in heads
    assert (3, "1.完善公共卫生应急管理体系") in heads
    lead = [b for b in c.blocks if b.title == "1.公共卫生防线织密筑牢"]
    assert lead and lead[0].kind == "para" and lead[0].level == 3


def test_bare_numbers_in_a_table_are_content_not_page_numbers():
    text = "序号 指标名称 内涵 计算方法\n1 人均预期寿命（岁）\n说明一\n2 婴儿死亡率\n说明二\n3\n5 岁以下儿童死亡率\n说明三\n"
    c = clean(text)
    assert c.artefacts == []
    rows = [b.text for b in c.blocks if b.kind == "table_row"]
    assert len(rows) == 3 and rows[2].startswith("3 5岁以下儿童死亡率")


def test_running_header_repeated_on_pages_is_dropped():
    page = "金山区卫生健康发展规划\n\n正文第{}页的内容，这里是一段完整的句子。\n\n"
    c = clean("".join(page.format(i) for i in range(4)))
    assert [a.text for a in c.artefacts] == ["金山区卫生健康发展规划"] * 4


def test_offsets_point_back_into_the_source():
    c = clean(WRAPPED)
    for b in c.blocks:
        assert "".join(WRAPPED[o] for o in b.span.offsets) == b.text.replace(" ", "") or all(
            WRAPPED[o] == ch for o, ch in zip(b.span.offsets, b.text) if ch != " ")


def test_web_page_chrome_at_the_end_is_dropped():
    tail = "\n".join(["留言", "*姓名", "*联系方式", "*电子邮箱", "*验证码", "读屏专用", "声音开关"])
    body = "".join(f"正文第{i}段，这是一段完整的句子。\n" for i in range(10))
    c = clean(body + tail)
    assert [b.text for b in c.blocks] == [f"正文第{i}段，这是一段完整的句子。" for i in range(10)]
    assert len(c.artefacts) == 7
