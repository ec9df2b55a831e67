"""Chunks of the real corpus: offsets round-trip, structure kept, tables carry headers."""
from pathlib import Path

import pytest

from eval.normalize import normalize
from ingest.chunk import chunk_blocks, cut_long, split_sentences
from ingest.clean import clean
from ingest.lines import Span

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
DOCS = sorted(p.name for p in CORPUS.glob("*.txt"))
PARAMS = {"chunk_size": 300, "chunk_max": 450, "table_rows_max": 6}


def chunks_of(name: str, **params):
    text = (CORPUS / name).read_text(encoding="utf-8")
    cleaned = clean(text)
    return text, cleaned, chunk_blocks(cleaned.blocks, name, **{**PARAMS, **params})


@pytest.mark.parametrize("name", DOCS)
def test_every_chunk_is_its_source_span_minus_artefact_lines(name):
    text, cleaned, chunks = chunks_of(name)
    assert chunks
    for c in chunks:
        src = text[c.start:c.end]
        for a in cleaned.artefacts:  # artefact lines inside the span are the only thing left out
            if c.start <= a.start and a.end <= c.end:
                src = src.replace(a.text, "", 1)
        assert normalize(c.text) == normalize(src), (c.id, c.start, c.end)


@pytest.mark.parametrize("name", DOCS)
def test_chunks_cover_the_document_in_order_without_overlap(name):
    text, cleaned, chunks = chunks_of(name)
    assert all(a.end <= b.start for a, b in zip(chunks, chunks[1:]))
    covered = "".join(normalize(c.text) for c in chunks)
    dropped = "".join(normalize(a.text) for a in cleaned.artefacts)
    assert len(covered) + len(dropped) == len(normalize(text))


@pytest.mark.parametrize("name", DOCS)
def test_chunks_respect_the_size_limit(name):
    _, _, chunks = chunks_of(name)
    assert max(len(c.text) for c in chunks) <= PARAMS["chunk_max"] + 20  # + a heading line at most


def test_table_chunks_carry_title_and_header_in_context_not_text():
    _, _, chunks = chunks_of("001_a422b7ebc84d3173.txt")
    table = [c for c in chunks if c.kind == "table" and "表1" in c.context]
    assert len(table) >= 2
    for c in table:
        assert "序号 指标名称 “十四五”目标值 属性" in c.context
        assert 1 <= sum(1 for line in c.text.splitlines() if line[:1].isdigit()) <= PARAMS["table_rows_max"]
    assert any("5 常见恶性肿瘤诊断时早期比例（%） ≥37 预期性" in c.text for c in table)
    assert "序号" in table[0].index_text() and "序号" in table[-1].index_text()
    assert "序号" not in table[-1].text  # the header repeated at the page break is dropped as an artefact


def test_a_table_excerpt_that_starts_mid_table_is_still_one_table():
    # rows 7-9 of a table under its title and header, as a passage cut from a longer table comes
    text = "表1 主要指标\n序号 指标名称 目标值 属性\n7 千人口床位数（张） 7.5 预期性\n8 千人口医师数（人） ≥3.6 预期性\n9 千人口护士数（人） ≥4.0 预期性\n"
    chunks = chunk_blocks(clean(text).blocks, "excerpt.txt", **PARAMS)
    assert [c.kind for c in chunks] == ["table"]
    assert "序号 指标名称" in chunks[0].context and "9 千人口护士数（人）" in chunks[0].text
    assert chunks[0].section == ()  # no row mistaken for a numbered heading


def test_section_path_follows_the_headings():
    _, _, chunks = chunks_of("001_a422b7ebc84d3173.txt")
    c = next(c for c in chunks if "一案三制" in c.text and "应急指挥中心" in c.text)
    assert c.section == ("四、主要任务", "（一）为城市提供更有力的公共卫生安全保障", "1.完善公共卫生应急管理体系")
    assert "四、主要任务 > （一）" in c.index_text() and c.index_text().endswith(c.text)


def test_a_list_stays_with_its_lead_sentence():
    text = "一、任务\n\n主要包括以下三项：\n\n（1）建设家庭医生团队。\n\n（2）推进社区卫生服务中心建设。\n\n（3）完善分级诊疗。\n"
    chunks = chunk_blocks(clean(text).blocks, "t.txt", chunk_size=20, chunk_max=200, table_rows_max=6)
    lead = next(c for c in chunks if "主要包括以下三项：" in c.text)
    assert "（1）建设家庭医生团队。" in lead.text


def test_chunk_ids_hash_document_and_text():
    _, _, a = chunks_of("004_6549651109aa6bb6.txt")
    _, _, b = chunks_of("004_6549651109aa6bb6.txt")
    assert [c.id for c in a] == [c.id for c in b]
    assert len({c.id for c in a}) == len(a)
    other = chunk_blocks(clean("甲乙丙。").blocks, "x.txt", **PARAMS)[0]
    again = chunk_blocks(clean("甲乙丙。").blocks, "y.txt", **PARAMS)[0]
    assert other.id != again.id


def test_smaller_chunk_size_gives_more_chunks():
    _, _, big = chunks_of("003_915c29c9d6a15825.txt")
    _, _, small = chunks_of("003_915c29c9d6a15825.txt", chunk_size=150, chunk_max=225)
    assert len(small) > len(big)


def test_sentence_split_and_long_sentence_cut():
    s = Span("第一句。第二句很长，很长，很长，很长。", tuple(range(19)))
    parts = split_sentences(s)
    assert [p.text for p in parts] == ["第一句。", "第二句很长，很长，很长，很长。"]
    cut = cut_long(parts[1], 8)
    assert "".join(p.text for p in cut) == parts[1].text and all(len(p.text) <= 8 for p in cut)
