"""The documents page (ui/documents_page.py), driven with Streamlit's AppTest.

Settings come from HPQA_* environment variables pointing at a copy of the seed
corpus and a temporary index built with the hash embedder (a test double behind
the same Embedder protocol; the real model is exercised in tests/index and
tests/test_app.py). AppTest 1.67 can set files on st.file_uploader, so uploads go
through the real widget, the real loaders and the real incremental ingest.
"""
import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from index.build import update_index
from index.embed import HashEmbedder
from index.store import current_version, read_chunks, read_manifest

PAGE = str(Path(__file__).resolve().parents[2] / "ui" / "documents_page.py")
GOOD = ("宝山区2026年卫生健康工作计划\n\n一、总体目标\n\n推进家庭医生签约服务，重点人群签约率达到80%。"
        "完善社区卫生服务中心功能，建设智慧健康驿站10个。\n\n二、重点任务\n\n加强公共卫生体系建设，"
        "提升急救平均反应时间至12分钟以内。\n").encode("utf-8")
SEED_TITLES = ["2024年金山区卫生健康系统十大亮点工作", "金山区卫生健康发展“十四五”规划",
               "金山报·卫生健康专刊（2023年11月28日，第11期）", "2024年闵行区卫生健康工作总结",
               "宝山区卫生健康委员会2025年卫生健康工作安排"]


@pytest.fixture
def site(tmp_path, monkeypatch, seed_corpus):
    """A seed corpus with an up-to-date hash-embedder index; settings reach the page through the environment."""
    monkeypatch.setenv("HPQA_CORPUS_DIR", str(seed_corpus))
    monkeypatch.setenv("HPQA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("HPQA_EMBEDDER", "hash")
    from settings import Settings

    settings = Settings()
    assert update_index(settings, HashEmbedder()).documents == 5
    st.cache_resource.clear()  # get_settings() and the embedder are cached per process, not per AppTest
    yield settings
    st.cache_resource.clear()


def open_page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def state_of(settings) -> tuple:
    """Everything an upload must not change: corpus bytes, the live index version and its documents."""
    corpus = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(settings.corpus_dir.iterdir())}
    current = (settings.index_dir / "CURRENT").read_text(encoding="utf-8")
    return corpus, current, sorted(read_manifest(settings.index_dir)["documents"])


def texts(at) -> str:
    return "\n".join(t.value for t in at.text)


def fill_metadata(at) -> None:
    at.text_input(key="m_title").input("宝山区2026年卫生健康工作计划")
    at.selectbox(key="m_district").select("宝山区")
    at.number_input(key="m_start").set_value(2026)
    at.number_input(key="m_end").set_value(2026)
    at.selectbox(key="m_type").select("work_programme")
    at.date_input(key="m_published").set_value(date(2026, 1, 15))
    at.text_area(key="m_description").input("测试用文档")


def test_the_table_lists_the_five_seed_documents_with_their_chunks(site):
    at = open_page()
    table = at.dataframe[0].value
    assert sorted(table["标题"]) == sorted(SEED_TITLES)
    manifest = read_manifest(site.index_dir)
    assert dict(zip(table["文件名"], table["段落数"])) == {d: v["chunks"] for d, v in manifest["documents"].items()}
    assert set(table["索引状态"]) == {"已索引"} and set(table["区"]) == {"金山区", "闵行区", "宝山区"}
    assert (table["大小（KB）"] > 0).all()
    assert at.file_uploader and not at.error


def test_a_good_upload_with_metadata_is_ingested(site):
    at = open_page()
    at.file_uploader[0].upload("宝山区2026年工作计划.txt", GOOD, "text/plain").run()
    assert not at.error and "保存为: 宝山区2026年工作计划.txt" in texts(at)
    fill_metadata(at)
    at.button(key="m_submit").click().run()
    assert not at.exception and not at.error

    name = "宝山区2026年工作计划.txt"
    assert (site.corpus_dir / name).read_bytes() == GOOD
    entry = json.loads((site.corpus_dir / "metadata.json").read_text(encoding="utf-8"))["documents"][name]
    assert entry["title"] == "宝山区2026年卫生健康工作计划" and entry["district_en"] == "Baoshan"
    assert entry["period"] == [2026, 2026] and entry["published"] == "2026-01-15" and entry["doc_type"] == "work_programme"
    manifest = read_manifest(site.index_dir)
    assert manifest["documents"][name]["chunks"] > 0 and len(manifest["documents"]) == 6
    assert manifest["documents"][name]["meta"]["title"] == entry["title"]

    assert [s.value for s in at.success] == ["文档已添加，索引已更新"]
    assert "文档数: 6" in texts(at) and f"新增: {name}" in texts(at)
    assert entry["title"] in list(at.dataframe[0].value["标题"])
    assert at.file_uploader[0].value is None  # the uploader is emptied for the next file


@pytest.mark.parametrize("name, data, reason", [
    ("空.txt", b"", "empty file (0 bytes)"),
    ("图.txt", bytes(range(256)) * 40, "binary or undecodable content"),
    ("setup.exe", b"MZ\x90\x00\x03", "'setup.exe': unsupported file type ('.exe')"),
    ("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n", "'passwd': unsupported file type (no extension)"),
    ("报告.pdf", b"%PDF-1.7\nnot really a pdf", "corrupt PDF"),
    ("000_0426b2a34853e0bc.txt", GOOD, "already exists; tick 'replace'"),
])
def test_a_bad_upload_is_rejected_and_changes_nothing(site, name, data, reason):
    before = state_of(site)
    at = open_page()
    at.file_uploader[0].upload(name, data).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["文件未被添加，原因如下："] and reason in texts(at)
    assert not at.text_input  # no metadata form, so nothing can be submitted
    assert state_of(site) == before
    assert not (site.corpus_dir.parent / "etc").exists()


def test_an_oversized_upload_is_rejected_and_changes_nothing(site, monkeypatch):
    monkeypatch.setenv("HPQA_MAX_FILE_MB", "0.01")
    before = state_of(site)
    at = open_page()
    at.file_uploader[0].upload("大.txt", GOOD * 40, "text/plain").run()
    assert "file too large" in texts(at) and "the limit is 0.01 MB" in texts(at) and at.error
    assert state_of(site) == before


def test_replace_lets_an_existing_document_be_updated(site):
    at = open_page()
    at.checkbox(key="replace").check().run()
    at.file_uploader[0].upload("000_0426b2a34853e0bc.txt", GOOD, "text/plain").run()
    assert not at.error
    fill_metadata(at)
    at.button(key="m_submit").click().run()
    manifest = read_manifest(site.index_dir)
    assert len(manifest["documents"]) == 5 and manifest["documents"]["000_0426b2a34853e0bc.txt"]["chunks"] < 5
    assert "更新: 000_0426b2a34853e0bc.txt" in texts(at)


def test_a_failed_ingest_keeps_the_previous_index_and_says_so(site, monkeypatch):
    import index.build

    def broken(*a, **kw):
        raise RuntimeError("embedding crashed")

    monkeypatch.setattr(index.build, "update_index", broken)
    current = (site.index_dir / "CURRENT").read_text(encoding="utf-8")
    at = open_page()
    at.file_uploader[0].upload("新.txt", GOOD, "text/plain").run()
    fill_metadata(at)
    at.button(key="m_submit").click().run()
    assert [e.value for e in at.error] == ["索引更新失败，仍在使用原来的索引。"]
    assert "RuntimeError: embedding crashed" in texts(at)
    assert (site.index_dir / "CURRENT").read_text(encoding="utf-8") == current
    assert "新.txt" not in read_manifest(site.index_dir)["documents"]


def test_delete_needs_confirmation_then_removes_file_metadata_and_chunks(site):
    name = "004_6549651109aa6bb6.txt"
    at = open_page()
    at.selectbox(key="delete_which").select(name).run()
    assert at.button(key="delete_button").disabled
    at.checkbox(key="delete_confirm").check().run()
    assert not at.button(key="delete_button").disabled
    at.button(key="delete_button").click().run()
    assert not at.exception and [s.value for s in at.success] == ["文档已删除，索引已更新"]

    assert not (site.corpus_dir / name).exists()
    assert name not in json.loads((site.corpus_dir / "metadata.json").read_text(encoding="utf-8"))["documents"]
    manifest = read_manifest(site.index_dir)
    assert name not in manifest["documents"] and len(manifest["documents"]) == 4
    assert {c.doc for c in read_chunks(current_version(site.index_dir))} == set(manifest["documents"])
    assert f"移除: {name}" in texts(at)
    assert "宝山区卫生健康委员会2025年卫生健康工作安排" not in list(at.dataframe[0].value["标题"])


def test_the_page_follows_the_english_interface_language(site):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    assert at.title[0].value == "Documents" and "Title" in at.dataframe[0].value.columns
