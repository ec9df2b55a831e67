"""Tests for ingest.load: every format, every refusal, and a mixed corpus folder.

Fixtures are built in tmp_path: PDFs with fpdf2 (Chinese needs Debian's
fonts-wqy-zenhei), DOCX with python-docx, encryption with pypdf.
"""
from __future__ import annotations

import hashlib
import random
import re
from io import BytesIO
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from ingest.errors import LoadError
from ingest.load import SUPPORTED_SUFFIXES, load_corpus, load_file

MB = 1_000_000
CORPUS = Path(__file__).resolve().parents[2] / "corpus"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
ZH = "金山区卫生健康发展“十四五”规划\r\n一、家庭医生签约服务覆盖率达到40%。\r\n"


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def refusal(path: Path, reason: str, max_bytes: int = MB) -> None:
    """Assert load_file refuses `path` with exactly `reason`."""
    with pytest.raises(LoadError, match=re.escape(reason)) as caught:
        load_file(path, max_bytes=max_bytes)
    assert caught.value.reason == reason
    assert caught.value.path == str(path)


def make_pdf(pages: list[str], font: Path | None = None) -> bytes:
    pdf = FPDF()
    if font is None:
        pdf.set_font("Helvetica", size=12)
    else:
        pdf.add_font("cjk", fname=str(font))
        pdf.set_font("cjk", size=12)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.cell(text=text)
    return bytes(pdf.output())


def encrypt_pdf(data: bytes, user_password: str, algorithm: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(build) -> bytes:
    document = docx.Document()
    build(document)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# --- text formats -------------------------------------------------------------


def test_utf8_text_is_kept_verbatim_with_crlf(tmp_path):
    data = ZH.encode("utf-8")
    doc = load_file(write(tmp_path, "a.txt", data), max_bytes=MB)
    assert doc.text == ZH
    assert (doc.doc, doc.format, doc.pages) == ("a.txt", "txt", ())
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_utf8_bom_is_dropped(tmp_path):
    doc = load_file(write(tmp_path, "a.txt", b"\xef\xbb\xbf" + ZH.encode("utf-8")), max_bytes=MB)
    assert doc.text == ZH


@pytest.mark.parametrize("encoding", ["gbk", "gb2312"])
def test_gbk_text_round_trips(tmp_path, encoding):
    text = "上海市金山区卫生健康委员会\n关于做好2024年基本公共卫生服务工作的通知\n"
    doc = load_file(write(tmp_path, "a.txt", text.encode(encoding)), max_bytes=MB)
    assert doc.text == text


def test_gb18030_text_with_four_byte_characters_round_trips(tmp_path):
    text = "罕见字𠀀与䶮：GB18030 四字节编码\n"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")  # the fixture really needs GB18030
    doc = load_file(write(tmp_path, "a.txt", text.encode("gb18030")), max_bytes=MB)
    assert doc.text == text


def test_markdown_loads_as_md(tmp_path):
    doc = load_file(write(tmp_path, "notes.MD", "# 标题\n\n正文\n".encode()), max_bytes=MB)
    assert (doc.format, doc.text) == ("md", "# 标题\n\n正文\n")


def test_latin1_text_is_decoded_by_a_confident_charset_guess(tmp_path):
    text = "Le médecin généraliste reçoit les patients à l'hôpital. Où est la pharmacie? " * 4
    doc = load_file(write(tmp_path, "fr.txt", text.encode("latin-1")), max_bytes=MB)
    assert doc.text == text


# --- HTML -----------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>页面标题</title>
<style>p {{ color: red }}</style><script>var secret = "脚本";</script></head>
<body><h1>  通知  </h1><!-- 注释 -->
<p>居民&amp;家庭&nbsp;医生
   签约 &lt;服务&gt;</p><noscript>请启用脚本</noscript><div hidden>隐藏</div>
<table><tr><th>项目</th><th>金额</th></tr><tr><td>床位</td><td>120<br>张</td></tr></table>
</body></html>"""
PAGE_TEXT = "通知\n\n居民&家庭\xa0医生 签约 <服务>\n\n项目\t金额\n床位\t120 张"


def test_html_keeps_visible_text_only(tmp_path):
    doc = load_file(write(tmp_path, "p.html", PAGE.format(charset="utf-8").encode()), max_bytes=MB)
    assert (doc.format, doc.text) == ("html", PAGE_TEXT)


def test_html_meta_charset_gb2312_is_read_as_its_gbk_superset(tmp_path):
    page = PAGE.replace("通知", "朱镕基通知")  # 镕 is GBK, not GB2312: pages declare gb2312 and use it
    data = page.format(charset="gb2312").encode("gbk")
    doc = load_file(write(tmp_path, "p.htm", data), max_bytes=MB)
    assert doc.text == PAGE_TEXT.replace("通知", "朱镕基通知")


def test_html_saved_as_utf8_under_a_stale_gbk_meta_decodes_as_utf8(tmp_path):
    data = PAGE.format(charset="gbk").encode("utf-8")
    assert load_file(write(tmp_path, "p.html", data), max_bytes=MB).text == PAGE_TEXT


def test_html_with_no_visible_text_is_refused(tmp_path):
    markup = b"<html><head><title>t</title></head><body> <script>x</script></body></html>"
    path = write(tmp_path, "p.html", markup)
    refusal(path, "empty file: no text in the HTML")


# --- PDF ------------------------------------------------------------------------


def test_pdf_pages_are_joined_and_their_offsets_kept(tmp_path):
    pages = ["First page of the plan.", "Second page.", "Third and last page."]
    doc = load_file(write(tmp_path, "plan.pdf", make_pdf(pages)), max_bytes=MB)
    assert doc.format == "pdf"
    assert doc.text == "\n\n".join(pages)
    assert doc.pages == (0, 25, 39)
    assert [doc.text[start:].split("\n\n")[0] for start in doc.pages] == pages


def test_chinese_pdf_text_layer_round_trips(tmp_path):
    if not CJK_FONT.exists():
        pytest.fail(f"{CJK_FONT} is missing: install the Debian package fonts-wqy-zenhei")
    pages = ["金山区卫生健康发展“十四五”规划", "第二页：家庭医生签约服务"]
    doc = load_file(write(tmp_path, "zh.pdf", make_pdf(pages, CJK_FONT)), max_bytes=MB)
    assert doc.text == "\n\n".join(pages)
    assert doc.pages == (0, len(pages[0]) + 2)


def test_pdf_encrypted_with_an_empty_user_password_loads(tmp_path):
    data = encrypt_pdf(make_pdf(["Owner-restricted page."]), user_password="", algorithm="AES-128")
    assert load_file(write(tmp_path, "r.pdf", data), max_bytes=MB).text == "Owner-restricted page."


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_pdf_that_needs_a_password_is_refused(tmp_path, algorithm):
    data = encrypt_pdf(make_pdf(["Secret page."]), user_password="secret", algorithm=algorithm)
    path = write(tmp_path, "locked.pdf", data)
    refusal(path, "encrypted PDF: it needs a password (only PDFs that open without one are supported)")


def test_pdf_without_text_layer_is_refused(tmp_path):
    path = write(tmp_path, "scan.pdf", make_pdf(["", ""]))
    reason = "no text layer: none of its 2 page(s) has extractable text (a scanned PDF? OCR is not supported yet)"
    refusal(path, reason)


def test_corrupt_pdf_is_refused_naming_the_format(tmp_path):
    path = write(tmp_path, "bad.pdf", b"%PDF-1.7\nthis is not really a PDF\n")
    with pytest.raises(LoadError, match=r"corrupt PDF: cannot be parsed \(.+\)"):
        load_file(path, max_bytes=MB)


# --- DOCX -----------------------------------------------------------------------


def test_docx_keeps_paragraphs_and_tables_in_body_order(tmp_path):
    def build(document):
        document.add_paragraph("引言：2024年工作要点")
        document.add_paragraph("")  # an empty paragraph is left out
        table = document.add_table(rows=2, cols=2)
        for row, values in zip(table.rows, [("项目", "金额"), ("床位", "120")]):
            for cell, value in zip(row.cells, values):
                cell.text = value
        document.add_paragraph("结语")

    doc = load_file(write(tmp_path, "d.docx", make_docx(build)), max_bytes=MB)
    assert doc.format == "docx"
    assert doc.text == "引言：2024年工作要点\n\n项目\t金额\n床位\t120\n\n结语"


def test_docx_table_row_stays_on_one_line_with_merged_and_multiline_cells(tmp_path):
    def build(document):
        table = document.add_table(rows=2, cols=3)
        table.cell(0, 0).merge(table.cell(0, 1)).text = "合并标题"
        table.cell(0, 2).text = "备注"
        table.cell(1, 0).text = "第一行\n第二行"
        table.cell(1, 2).text = "尾"

    doc = load_file(write(tmp_path, "t.docx", make_docx(build)), max_bytes=MB)
    assert doc.text == "合并标题\t备注\n第一行 第二行\t\t尾"


def test_docx_nested_table_is_flattened_into_its_cell(tmp_path):
    def build(document):
        table = document.add_table(rows=1, cols=2)
        outer = table.cell(0, 0)
        outer.text = "外层"
        inner = outer.add_table(rows=2, cols=1)
        inner.cell(0, 0).text = "内1"
        inner.cell(1, 0).text = "内2"
        table.cell(0, 1).text = "右"

    doc = load_file(write(tmp_path, "n.docx", make_docx(build)), max_bytes=MB)
    assert doc.text == "外层 内1 内2\t右"


def test_corrupt_docx_is_refused_naming_the_format(tmp_path):
    path = write(tmp_path, "bad.docx", b"PK\x03\x04 not really a zip archive")
    with pytest.raises(LoadError, match=r"corrupt DOCX: cannot be opened as a Word document \(.+\)"):
        load_file(path, max_bytes=MB)


def test_docx_with_no_text_is_refused(tmp_path):
    path = write(tmp_path, "blank.docx", make_docx(lambda d: d.add_paragraph(" ")))
    refusal(path, "empty file: no text in the DOCX")


# --- refusals common to all formats ----------------------------------------------


@pytest.mark.parametrize("name", ["e.txt", "e.pdf", "e.docx", "e.html"])
def test_zero_byte_file_is_refused(tmp_path, name):
    refusal(write(tmp_path, name, b""), "empty file (0 bytes)")


def test_whitespace_only_text_is_refused(tmp_path):
    refusal(write(tmp_path, "w.txt", " \r\n\t\u3000\n".encode()), "empty file: only whitespace")


def test_oversized_file_is_refused_with_both_sizes(tmp_path):
    path = write(tmp_path, "big.txt", b"a" * 2_500)
    refusal(path, "file is 2.5 KB, larger than the 1.0 KB limit", max_bytes=1_000)


def test_oversized_file_shows_exact_bytes_when_sizes_round_alike(tmp_path):
    path = write(tmp_path, "big.txt", b"a" * 1_000_400)
    refusal(path, "file is 1,000,400 bytes, larger than the 1,000,000 bytes limit", max_bytes=MB)


def test_size_is_checked_before_the_file_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * MB)  # sparse: no 50 MB written to disk

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    refusal(path, "file is 50.0 MB, larger than the 10.0 MB limit", max_bytes=10 * MB)


BINARY = "binary or undecodable content: not UTF-8 or GB18030 text"


def test_nul_bytes_in_a_text_file_are_refused(tmp_path):
    refusal(write(tmp_path, "x.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), BINARY)


def test_undecodable_bytes_are_refused(tmp_path):
    noise = random.Random(0).randbytes(4_000).replace(b"\x00", b"\x01")
    refusal(write(tmp_path, "x.md", noise), BINARY)


def test_invalid_utf8_after_a_bom_is_refused(tmp_path):
    refusal(write(tmp_path, "x.txt", b"\xef\xbb\xbfok \xff\xfe"), BINARY)


def test_unsupported_file_type_is_refused(tmp_path):
    supported = "(supported: .docx, .htm, .html, .md, .pdf, .txt)"
    refusal(write(tmp_path, "sheet.xyz", b"data"), f"unsupported file type '.xyz' {supported}")
    refusal(write(tmp_path, "README", b"data"), f"unsupported file type (no extension) {supported}")
    assert SUPPORTED_SUFFIXES == (".docx", ".htm", ".html", ".md", ".pdf", ".txt")


def test_missing_file_is_refused(tmp_path):
    refusal(tmp_path / "gone.txt", "file not found")


def test_max_bytes_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match=r"max_bytes must be a positive whole number of bytes, got 0"):
        load_file(write(tmp_path, "a.txt", b"x"), max_bytes=0)


# --- load_corpus ----------------------------------------------------------------


def test_load_corpus_loads_good_files_and_reports_each_bad_one(tmp_path):
    write(tmp_path, "b_notice.txt", ZH.encode("gbk"))
    write(tmp_path, "a_page.html", PAGE.format(charset="utf-8").encode())
    write(tmp_path, "c_plan.pdf", make_pdf(["Plan."]))
    write(tmp_path, "d_empty.md", b"")
    write(tmp_path, "e_binary.txt", b"\x00\x01\x02")
    write(tmp_path, "f_big.txt", b"x" * 3_000)
    write(tmp_path, "g_sheet.xlsx", b"PK")
    write(tmp_path, "metadata.csv", b"doc,title\n")
    write(tmp_path, ".hidden.txt", b"hidden")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "nested.txt", b"nested")

    result = load_corpus(tmp_path, max_bytes=2_000, ignore={"metadata.csv"})

    assert [(d.doc, d.format) for d in result.documents] == [
        ("a_page.html", "html"), ("b_notice.txt", "txt"), ("c_plan.pdf", "pdf")
    ]
    assert result.documents[1].text == ZH
    assert [(Path(s.path).name, s.reason) for s in result.skipped] == [
        ("d_empty.md", "empty file (0 bytes)"),
        ("e_binary.txt", BINARY),
        ("f_big.txt", "file is 3.0 KB, larger than the 2.0 KB limit"),
        ("g_sheet.xlsx", "unsupported file type '.xlsx' (supported: .docx, .htm, .html, .md, .pdf, .txt)"),
    ]
    assert result.skipped[0].path == str(tmp_path / "d_empty.md")


def test_load_corpus_without_ignore_reports_the_metadata_file(tmp_path):
    write(tmp_path, "metadata.csv", b"doc,title\n")
    result = load_corpus(tmp_path, max_bytes=MB)
    assert [Path(s.path).name for s in result.skipped] == ["metadata.csv"]


def test_load_corpus_rejects_a_bare_string_as_ignore(tmp_path):
    with pytest.raises(TypeError, match=r"ignore must be a collection of file names, got the str 'meta.csv'"):
        load_corpus(tmp_path, max_bytes=MB, ignore="meta.csv")


def test_load_corpus_refuses_a_missing_folder(tmp_path):
    with pytest.raises(LoadError, match="corpus folder does not exist"):
        load_corpus(tmp_path / "nope", max_bytes=MB)


def test_real_corpus_files_load_as_their_utf8_text():
    files = sorted(CORPUS.glob("[0-9][0-9][0-9]_*.txt"))
    assert len(files) >= 5, f"expected the corpus documents in {CORPUS}"
    for path in files:
        doc = load_file(path, max_bytes=10 * MB)
        expected = path.read_bytes().decode("utf-8-sig")
        assert doc.text.strip(), path.name
        assert doc.text[:200] == expected[:200], path.name
        assert doc.text == expected, path.name
