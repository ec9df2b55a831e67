"""Tests for ingest.load: every format, every refusal, and a mixed corpus folder.

Fixtures are built in tmp_path: PDFs with fpdf2 (Chinese needs Debian's
fonts-wqy-zenhei), DOCX with python-docx, encryption with pypdf.
"""
from __future__ import annotations

import hashlib

import docx
import pytest

from ingest.errors import LoadError
from ingest.load import load_file

from tests.ingest.loadkit import PAGE, PAGE_TEXT, MB, CJK_FONT, ZH, write, refusal, make_pdf, encrypt_pdf, make_docx


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


def test_pdf_without_text_layer_or_image_is_refused(tmp_path):
    path = write(tmp_path, "blank.pdf", make_pdf(["", ""]))
    reason = "no text: none of its 2 page(s) has a text layer or a scanned image to OCR"
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
