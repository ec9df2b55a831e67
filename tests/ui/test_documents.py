"""The documents page's pure helpers (ui/documents.py): names, upload checks, add/remove, the listing.

Real files, the real loaders and the real incremental ingest (hash embedder,
same protocol as the e5 model) on a copy of the seed corpus.
"""
import doctest
import hashlib
import io
import json
import re
from datetime import date

import pytest

import ui.documents as documents
from index.build import update_index
from index.embed import HashEmbedder
from index.store import read_manifest
from ui.documents import add_document, build_meta, corpus_table, remove_document, safe_name, validate_upload

GOOD = ("宝山区2026年卫生健康工作计划\n\n一、总体目标\n\n推进家庭医生签约服务，重点人群签约率达到80%。"
        "完善社区卫生服务中心功能，建设智慧健康驿站10个。\n\n二、重点任务\n\n加强公共卫生体系建设，"
        "提升急救平均反应时间至12分钟以内。\n").encode("utf-8")
META = build_meta(title="宝山区2026年卫生健康工作计划", district="宝山区", years=(2026, 2026),
                  doc_type="work_programme", published=date(2026, 1, 15), description="测试用文档")


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def snapshot(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_docstring_examples():
    result = doctest.testmod(documents)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("raw, stored", [
    ("报告.txt", "报告.txt"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\windows\\规划.md", "规划.md"),
    ("...hidden.pdf", "hidden.pdf"),
    ("  年度 总结.docx  ", "年度 总结.docx"),
    ("a\x00b\x1f.txt", "ab.txt"),
    ("invoice\u202etxt.exe", "invoicetxt.exe"),  # a right-to-left override cannot disguise the extension
    ("what?<now>.txt", "what__now_.txt"),
    ("name.txt. . ", "name.txt"),
])
def test_safe_name_keeps_the_base_name_and_chinese(raw, stored):
    assert safe_name(raw) == stored


@pytest.mark.parametrize("raw, message", [
    ("..", "nothing is left"), ("../../", "nothing is left"), ("...", "nothing is left"), ("\x00\x01", "nothing is left"),
    ("CON.txt", "reserved device name"), ("lpt1", "reserved device name"),
    ("很长" * 40 + ".txt", "too long"),
])
def test_safe_name_refuses_names_with_nothing_safe_left(raw, message):
    with pytest.raises(ValueError, match=message):
        safe_name(raw)


def test_a_readable_text_file_is_accepted(make_settings, seed_corpus):
    assert validate_upload("新文件.txt", GOOD, make_settings()) == (True, "")


@pytest.mark.parametrize("name, data, message", [
    ("空.txt", b"", r"empty file \(0 bytes\)"),
    ("空白.md", b" \n\t\n", "only whitespace"),
    ("图.txt", bytes(range(256)) * 40, "binary or undecodable"),
    ("setup.exe", b"MZ\x90\x00\x03", r"'setup.exe': unsupported file type \('.exe'\)"),
    ("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n", r"'passwd': unsupported file type \(no extension\)"),
    ("..", GOOD, "unusable file name"),
    ("报告.pdf", b"%PDF-1.7\nnot really a pdf", "corrupt PDF"),
    ("报告.docx", b"PK\x03\x04 not a zip", "corrupt DOCX"),
    ("加密.pdf", encrypted_pdf(), "encrypted PDF: it needs a password"),
    ("000_0426b2a34853e0bc.txt", GOOD, "already exists; tick 'replace'"),
])
def test_a_bad_upload_is_refused_with_a_reason_and_nothing_is_written(make_settings, seed_corpus, name, data, message):
    before = snapshot(seed_corpus)
    ok, reason = validate_upload(name, data, make_settings())
    assert not ok
    assert re.search(message, reason), reason
    assert snapshot(seed_corpus) == before


def test_an_oversized_upload_is_refused_before_it_is_read(make_settings, seed_corpus):
    ok, reason = validate_upload("大.txt", GOOD * 100, make_settings(max_file_mb=0.01))
    assert not ok and reason.startswith("file too large") and "the limit is 0.01 MB" in reason


def test_the_metadata_file_name_is_never_accepted(make_settings, seed_corpus):
    ok, reason = validate_upload("META.txt", GOOD, make_settings(metadata_file="meta.txt"), replace=True)
    assert not ok and "metadata file" in reason


def test_replace_allows_an_existing_name(make_settings, seed_corpus):
    assert validate_upload("000_0426b2a34853e0bc.txt", GOOD, make_settings(), replace=True) == (True, "")


def test_a_name_differing_only_in_case_is_refused_even_with_replace(make_settings, seed_corpus):
    ok, reason = validate_upload("000_0426B2A34853E0BC.TXT", GOOD, make_settings(), replace=True)
    assert not ok and "differs only in letter case from the document '000_0426b2a34853e0bc.txt'" in reason


@pytest.mark.parametrize("kw, message", [
    ({"title": "  "}, "title is empty"), ({"district": ""}, "district is empty"),
    ({"years": (2026, 2020)}, "ends before it starts"), ({"doc_type": "memo"}, "unknown document type 'memo'"),
])
def test_build_meta_refuses_bad_values(kw, message):
    values = dict(title="t", district="闵行区", years=(2020, 2021), doc_type="plan", published=None, description="")
    with pytest.raises(ValueError, match=message):
        build_meta(**{**values, **kw})


def test_build_meta_fills_the_english_district_for_the_three_districts_only():
    assert META["district_en"] == "Baoshan" and META["published"] == "2026-01-15" and META["period"] == [2026, 2026]
    other = build_meta(title="t", district="嘉定区", years=(2020, 2020), doc_type="other", published=None, description="")
    assert other["district_en"] is None and other["description"] is None


def test_add_document_writes_the_file_and_its_entry_and_keeps_the_rest(seed_corpus):
    raw_before = json.loads((seed_corpus / "metadata.json").read_text(encoding="utf-8"))
    add_document(seed_corpus, "新文件.txt", GOOD, META, "metadata.json")
    assert (seed_corpus / "新文件.txt").read_bytes() == GOOD
    raw = json.loads((seed_corpus / "metadata.json").read_text(encoding="utf-8"))
    assert raw["documents"]["新文件.txt"]["title"] == "宝山区2026年卫生健康工作计划"
    assert raw["about"] == raw_before["about"]
    assert {k: v for k, v in raw["documents"].items() if k != "新文件.txt"} == raw_before["documents"]
    assert not [p for p in seed_corpus.iterdir() if p.name.startswith(".")]  # no temp files left


@pytest.mark.parametrize("name", ["../escape.txt", "metadata.json", ".hidden.txt"])
def test_add_document_refuses_a_name_that_safe_name_would_change(seed_corpus, name):
    before = snapshot(seed_corpus)
    with pytest.raises(ValueError, match="refusing the file name"):
        add_document(seed_corpus, name, GOOD, META, "metadata.json")
    assert snapshot(seed_corpus) == before and not (seed_corpus.parent / "escape.txt").exists()


def test_add_document_refuses_to_overwrite_a_malformed_metadata_file(seed_corpus):
    (seed_corpus / "metadata.json").write_text("{not json", encoding="utf-8")
    before = snapshot(seed_corpus)
    with pytest.raises(ValueError, match="malformed metadata file"):
        add_document(seed_corpus, "新文件.txt", GOOD, META, "metadata.json")
    assert snapshot(seed_corpus) == before


@pytest.mark.parametrize("name", ["新文件.txt", "000_0426b2a34853e0bc.txt"])
def test_a_failed_metadata_write_puts_the_corpus_file_back(seed_corpus, monkeypatch, name):
    before = snapshot(seed_corpus)

    def boom(*a):
        raise OSError("disk full")

    monkeypatch.setattr(documents, "_write_raw", boom)
    with pytest.raises(OSError, match="disk full"):
        add_document(seed_corpus, name, GOOD, META, "metadata.json")
    assert snapshot(seed_corpus) == before


def test_remove_document_deletes_the_file_and_its_entry(seed_corpus):
    remove_document(seed_corpus, "004_6549651109aa6bb6.txt", "metadata.json")
    assert not (seed_corpus / "004_6549651109aa6bb6.txt").exists()
    raw = json.loads((seed_corpus / "metadata.json").read_text(encoding="utf-8"))
    assert "004_6549651109aa6bb6.txt" not in raw["documents"] and len(raw["documents"]) == 4


@pytest.mark.parametrize("name, message", [
    ("metadata.json", "refusing"), ("../corpus/000_0426b2a34853e0bc.txt", "refusing"), ("nope.txt", "no document named"),
])
def test_remove_document_refuses_what_is_not_a_corpus_document(seed_corpus, name, message):
    before = snapshot(seed_corpus)
    with pytest.raises(ValueError, match=message):
        remove_document(seed_corpus, name, "metadata.json")
    assert snapshot(seed_corpus) == before


def test_corpus_table_lists_the_seeds_with_metadata_and_chunk_counts(make_settings, seed_corpus):
    s = make_settings()
    assert {r["status"] for r in corpus_table(s)} == {"pending"}
    update_index(s, HashEmbedder())
    rows = corpus_table(s)
    manifest = read_manifest(s.index_dir)
    assert [r["file"] for r in rows] == sorted(manifest["documents"])
    plan = next(r for r in rows if r["file"] == "001_a422b7ebc84d3173.txt")
    assert plan["title"] == "金山区卫生健康发展“十四五”规划" and plan["district"] == "金山区"
    assert plan["period"] == "2021–2025" and plan["doc_type"] == "plan" and plan["status"] == "indexed"
    assert all(r["chunks"] == manifest["documents"][r["file"]]["chunks"] > 0 for r in rows)
    assert all(r["size_kb"] > 0 for r in rows)


def test_corpus_table_shows_skipped_and_changed_files(make_settings, seed_corpus):
    s = make_settings()
    (seed_corpus / "坏.txt").write_bytes(bytes(range(256)) * 40)
    update_index(s, HashEmbedder())
    (seed_corpus / "000_0426b2a34853e0bc.txt").write_bytes(GOOD)
    rows = {r["file"]: r for r in corpus_table(s)}
    assert rows["坏.txt"]["status"] == "skipped" and "binary" in rows["坏.txt"]["reason"]
    assert rows["坏.txt"]["title"] == "坏.txt" and rows["坏.txt"]["chunks"] is None
    assert rows["000_0426b2a34853e0bc.txt"]["status"] == "changed"
