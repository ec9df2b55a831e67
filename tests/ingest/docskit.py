"""Fixtures for the document-format tests: a short seed rendered by the test-corpus generators.

One page with a heading, prose, 表1 as a ruled table, a running header and a
page number, so one OCR'd page exercises everything (the default test run OCRs
at most two pages; the whole corpus is OCR'd by `make bench`).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document_chunks import extracted_text
from ingest.types import Document
from tools.testcorpus import render_docx, render_pdf, scan_pdf, seed_blocks
from tools.testcorpus.render_pdf import CJK_FONT

MB = 1_000_000
HEADER = "上海市金山区卫生健康委员会"
SEED = """一、发展目标

到2025年，实现卫生资源更加均衡可及，健康服务更加优质高效，城市公共卫生安全和居民健康素养水平稳步提升，群众对健康服务的幸福感和获得感显著增强。

表 1 金山区“十四五”卫生健康发展主要指标

序号 指标名称 “十四五”目标值 属性

1 人均预期寿命（岁） 优于全市平均水平 预期性

2 婴儿死亡率（‰） 优于全市平均水平 预期性

3 千人口医疗机构床位数（张） 7.5 左右 预期性

二、主要任务

坚持以人为本、系统治理、科技赋能、法治保障，以能力建设为主线、人才为根本、改革为动力，不断加大公共卫生建设投入。
"""
# Prose that pushes SEED onto a second page (two pages: the running header repeats).
MORE = """（一）卫生健康服务体系进一步健全

1.公共卫生防线织密筑牢。有效应对新型冠状病毒肺炎疫情，为全市确诊病例数最少的区之一，未发生疫情社区传播。不断健全公共卫生应急管理体系和重大疫情防控工作机制，实施第四轮公共卫生三年行动计划，稳步推进发热门诊、发热哨点诊室建设和发热门诊专属CT配置，建立基于医院电子病历直推的传染病疫情报告管理信息系统，启动区疾病预防控制中心迁建。

2.健康管理网络逐步完善。持续加强老年人、妇女、儿童等重点人群健康服务管理，成功创建国家级妇幼健康优质服务示范区，3家医院成为第一批国家分娩镇痛试点医院。通过国家慢性病综合防控示范区复评审，启动全国社会心理服务体系建设试点，持续落实做好基本和重大公共卫生服务项目。全区常住人口甲乙类传染病发病率89.53/10万（无甲类传染病报告），比前5年平均水平下降31.53%。

3.家庭医生签约服务持续深化。家庭医生“1+1+1”签约率达49.13%，组合内就诊率达82.99%，签约居民转诊、长处方和延伸处方服务覆盖全部社区卫生服务中心。

4.医疗服务能力不断提升。推进区域医疗中心建设，区中心医院、区中医医院等完成新一轮等级医院评审，建成胸痛、卒中、创伤、危重孕产妇和新生儿救治中心，院前急救平均反应时间缩短至12分钟以内。

5.中医药传承创新发展。建成市级中医专科专病联盟分中心，社区卫生服务中心中医馆实现全覆盖，中医药服务占比稳步提高，居民中医药健康文化素养水平持续提升。

6.卫生健康人才队伍不断壮大。实施卫生健康人才发展计划，引进和培养学科带头人、优秀青年医学人才，每千常住人口执业（助理）医师数、注册护士数稳步增长，全科医生队伍持续充实，基层卫生人员学历和职称结构不断优化。

7.智慧健康服务加快发展。推进互联网医院建设，实现电子健康档案向居民开放，便捷就医服务覆盖全部公立医疗机构。
"""
TWO_PAGES = SEED + "\n" + MORE


def need_font() -> None:
    if not CJK_FONT.exists():
        pytest.fail(f"{CJK_FONT} is missing: install the Debian package fonts-wqy-zenhei (make system-deps)")


def seed_text(seed: str = SEED) -> str:
    """What the chunker sees for the text version of `seed`."""
    return extracted_text(Document("seed.txt", seed, "txt", ""))


def text_pdf(seed: str = SEED) -> bytes:
    need_font()
    return render_pdf(seed_blocks(seed), HEADER)


def scanned_pdf(seed: str = SEED, **opts) -> bytes:
    return scan_pdf(text_pdf(seed), **({"dpi": 200} | opts))


def word_file(seed: str = SEED) -> bytes:
    return render_docx(seed_blocks(seed), HEADER)


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path
