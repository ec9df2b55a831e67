"""Text-layer PDFs and Word files as published: pages, furniture, tables, headings, and the --extract CLI.

Fixtures come from the test-corpus generators (tools/testcorpus) in tmp_path;
no OCR here (see test_ocr.py).
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bench.cer import cer
from ingest import cache
from ingest.document_chunks import chunk_document, extracted_text
from ingest.load import load_file
from ingest.types import Document
from tests.ingest.docskit import HEADER, MB, SEED, TWO_PAGES, seed_text, text_pdf, word_file, write
from tests.ingest.loadkit import CORPUS, make_docx
from tools.testcorpus import render_pdf, seed_blocks

ROOT = Path(__file__).resolve().parents[2]
PARAMS = {"chunk_size": 300, "chunk_max": 450, "table_rows_max": 6}


@pytest.fixture(scope="module")
def two_pages(tmp_path_factory) -> Document:
    path = write(tmp_path_factory.mktemp("pdf"), "plan.pdf", text_pdf(TWO_PAGES))
    return load_file(path, max_bytes=MB)


def test_text_pdf_gives_the_seeds_clean_text_without_header_or_page_numbers(two_pages):
    assert two_pages.format == "pdf" and two_pages.ocr_pages == 0
    assert len(two_pages.pages) == 2
    assert cer(extracted_text(two_pages), seed_text(TWO_PAGES)) == 0.0
    assert HEADER not in two_pages.text
    assert "- 1 -" not in two_pages.text and "- 2 -" not in two_pages.text


def test_every_chunk_knows_its_page_and_every_box_lies_on_its_page(two_pages):
    chunks = chunk_document(two_pages, **PARAMS)
    page_of = {c.text[:12]: c.page for c in chunks}
    assert next(p for t, p in page_of.items() if t.startswith("一、发展目标")) == 1
    assert next(c.page for c in chunks if "智慧健康服务加快发展" in c.text) == 2
    starts = two_pages.pages + (len(two_pages.text) + 2,)
    for b in two_pages.boxes:
        assert starts[b.page - 1] <= b.start < b.end <= starts[b.page]
        assert 0 <= b.x0 < b.x1 <= 1 and 0 <= b.y0 < b.y1 <= 1 and b.conf is None


def test_pdf_table_rows_are_chunked_with_title_and_column_header(two_pages):
    tables = [c for c in chunk_document(two_pages, **PARAMS) if c.kind == "table"]
    assert tables, "the ruled table was not read as a table"
    rows = "\n".join(c.text for c in tables)
    for row in ("1 人均预期寿命（岁） 优于全市平均水平 预期性", "3 千人口医疗机构床位数（张） 7.5 左右 预期性"):
        assert row in rows
    for c in tables:
        assert c.context.startswith("表1金山区“十四五”卫生健康发展主要指标\n序号 指标名称")


def test_a_table_header_repeated_on_every_page_is_kept_once():
    """The plan's two tables run over pages: each page repeats the column header."""
    seed = (CORPUS / "001_a422b7ebc84d3173.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        doc = load_file(write(Path(tmp), "plan.pdf", render_pdf(seed_blocks(seed), HEADER)), max_bytes=10 * MB)
    assert cer(extracted_text(doc), seed_text(seed)) < 0.001
    tables = [c for c in chunk_document(doc, **PARAMS) if c.kind == "table"]
    appendix = [c for c in tables if "内涵" in c.context]
    assert appendix and all("序号 指标名称 内涵 计算方法" in c.context for c in appendix)
    assert {c.page for c in appendix} >= {23, 24}, "the appendix table spans pages 23 and 24"


def test_word_file_gives_the_seeds_clean_text_and_its_table(tmp_path):
    doc = load_file(write(tmp_path, "plan.docx", word_file(SEED)), max_bytes=MB)
    assert cer(extracted_text(doc), seed_text(SEED)) == 0.0
    tables = [c for c in chunk_document(doc, **PARAMS) if c.kind == "table"]
    assert tables and "序号 指标名称" in tables[0].context and "2 婴儿死亡率（‰）" in tables[0].text


def test_word_heading_styles_give_the_section_path(tmp_path):
    """Unnumbered headings that only Word's styles mark as headings."""
    def build(document):
        document.add_heading("总体要求", level=1)
        document.add_paragraph("坚持以人民健康为中心。")
        document.add_heading("重点任务", level=2)
        document.add_paragraph("做实家庭医生签约服务。")
        document.add_heading("保障措施", level=1)
        document.add_paragraph("加强组织领导。")

    doc = load_file(write(tmp_path, "d.docx", make_docx(build)), max_bytes=MB)
    assert doc.headings == ((0, 1), (19, 2), (38, 1))
    sections = {c.text.splitlines()[-1]: c.section for c in chunk_document(doc, **PARAMS)}
    assert sections == {"坚持以人民健康为中心。": ("总体要求",), "做实家庭医生签约服务。": ("总体要求", "重点任务"),
                        "加强组织领导。": ("保障措施",)}


def test_without_heading_styles_those_lines_are_not_sections(tmp_path):
    def build(document):
        document.add_paragraph("总体要求")
        document.add_paragraph("坚持以人民健康为中心。")

    doc = load_file(write(tmp_path, "d.docx", make_docx(build)), max_bytes=MB)
    assert doc.headings == ()
    assert all(c.section == () for c in chunk_document(doc, **PARAMS))


def test_extract_cli_prints_only_the_clean_text(tmp_path):
    path = write(tmp_path, "plan.pdf", text_pdf(TWO_PAGES))
    run = subprocess.run([sys.executable, "-m", "ingest", "--extract", str(path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout == extracted_text(load_file(path, max_bytes=MB)) + "\n"
    assert run.stdout.splitlines()[:2] == ["一、发展目标", seed_text(SEED).splitlines()[1]]


def test_extract_cli_refuses_a_bad_file_on_stderr_only(tmp_path):
    path = write(tmp_path, "bad.pdf", b"%PDF-1.7\nnot really")
    run = subprocess.run([sys.executable, "-m", "ingest", "--extract", str(path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert (run.returncode, run.stdout) == (1, "")
    assert f"error: {path}: corrupt PDF: cannot be parsed" in run.stderr


def test_cache_entry_is_used_for_the_same_bytes_and_a_damaged_one_ignored(tmp_path):
    doc = Document("a.png", "正文", "png", "ab" * 32, pages=(0,), ocr_pages=1)
    cache.store(tmp_path, doc)
    assert cache.cached(tmp_path, doc.sha256, "b.png") == Document("b.png", "正文", "png", "ab" * 32, (0,), ocr_pages=1)
    entry = next(tmp_path.glob("*.json"))
    entry.write_text(json.dumps({"text": "x"}), encoding="utf-8")
    assert cache.cached(tmp_path, doc.sha256, "b.png") is None
    assert cache.cached(None, doc.sha256, "b.png") is None
