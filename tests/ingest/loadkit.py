"""Helpers shared by the loader tests: fixture files built in code, and the refusal check."""
from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from ingest.errors import LoadError
from ingest.load import load_file


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

PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>页面标题</title>
<style>p {{ color: red }}</style><script>var secret = "脚本";</script></head>
<body><h1>  通知  </h1><!-- 注释 -->
<p>居民&amp;家庭&nbsp;医生
   签约 &lt;服务&gt;</p><noscript>请启用脚本</noscript><div hidden>隐藏</div>
<table><tr><th>项目</th><th>金额</th></tr><tr><td>床位</td><td>120<br>张</td></tr></table>
</body></html>"""
PAGE_TEXT = "通知\n\n居民&家庭\xa0医生 签约 <服务>\n\n项目\t金额\n床位\t120 张"
