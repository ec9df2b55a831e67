"""The page view of a citation: the PDF page rendered with the cited span highlighted (ui/pdf_view.py)."""
from __future__ import annotations

from io import BytesIO

import numpy as np
import pytest
from PIL import Image

from ingest.load import load_file
from tests.ingest.docskit import MB, TWO_PAGES, text_pdf, word_file, write
from ui.pdf_view import page_view


def _yellow(png: bytes, box=None) -> int:
    """Highlighted pixels (inside `box`, page fractions, when given)."""
    image = Image.open(BytesIO(png)).convert("RGB")
    w, h = image.size
    if box:
        image = image.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    px = np.asarray(image).astype(int)
    r, g, b = px[..., 0], px[..., 1], px[..., 2]
    return int(((r > 200) & (g > 150) & (g < 235) & (b < 140)).sum())


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    path = write(tmp_path_factory.mktemp("view"), "plan.pdf", text_pdf(TWO_PAGES))
    return path, load_file(path, max_bytes=MB)


def test_quote_on_page_two_shows_page_two_marked_where_it_is_printed(plan):
    path, doc = plan
    start = doc.text.index("智慧健康服务加快发展")
    view = page_view(path, doc, start, start + len("智慧健康服务加快发展"))
    assert (view.page, view.pages, view.marked) == (2, 2, 1)
    line = next(b for b in doc.boxes if b.start <= start < b.end)
    assert _yellow(view.png, (line.x0, line.y0, line.x1, line.y1)) > 200
    assert _yellow(view.png) - _yellow(view.png, (line.x0 - 0.01, line.y0 - 0.01, line.x1 + 0.01, line.y1 + 0.01)) < 50


def test_quote_over_two_lines_marks_both(plan):
    path, doc = plan
    start = doc.text.index("有效应对新型冠状病毒")
    end = doc.text.index("启动区疾病预防控制中心迁建")
    view = page_view(path, doc, start, end)
    assert view.page == 1 and view.marked >= 2


def test_a_word_file_has_no_page_view(tmp_path):
    path = write(tmp_path, "plan.docx", word_file(TWO_PAGES))
    doc = load_file(path, max_bytes=MB)
    with pytest.raises(ValueError, match="it has no page images; show its text instead"):
        page_view(path, doc, 0, 4)
