"""Uploading a scan or a page image: validated by the real loader (OCR), landing in corpus/ with its
metadata and indexed through the same path, OCR'd once (the upload check fills the cache the
index build then reads)."""
from __future__ import annotations

from io import BytesIO

import pytest

from index.build import update_index
from index.embed import HashEmbedder
from index.store import load_index
from ingest import ocr
from tools.testcorpus.render_pdf import CJK_FONT
from ui.documents import add_document, build_meta, validate_upload


def page_image() -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    if not CJK_FONT.exists():
        pytest.fail(f"{CJK_FONT} is missing: install fonts-wqy-zenhei")
    font = ImageFont.truetype(str(CJK_FONT), 32)
    image = Image.new("L", (1000, 160), 255)
    ImageDraw.Draw(image).text((40, 50), "宝山区家庭医生签约率达到百分之四十五。", font=font, fill=0)
    out = BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def test_scanned_upload_is_validated_added_and_indexed_with_one_ocr(make_settings, tmp_path, monkeypatch):
    settings = make_settings(extract_cache_dir=tmp_path / "ocr_cache")
    settings.corpus_dir.mkdir(parents=True)
    data = page_image()
    assert validate_upload("通知.jpg", data, settings) == (True, "")
    assert len(list((tmp_path / "ocr_cache").glob("*.json"))) == 1

    meta = build_meta(title="签约通知", district="宝山区", years=(2024, 2024), doc_type="other",
                      published=None, description="")
    add_document(settings.corpus_dir, "通知.jpg", data, meta, settings.metadata_file)

    def no_ocr(*args, **kwargs):
        raise AssertionError("the index build OCR'd the upload again")

    monkeypatch.setattr(ocr, "make_ocr", no_ocr)
    report = update_index(settings, HashEmbedder())
    assert report.added == ["通知.jpg"] and not report.skipped
    chunks = load_index(settings.index_dir).chunks
    assert [(c.doc, c.page) for c in chunks] == [("通知.jpg", 1)]
    assert "签约率达到百分之四十五" in chunks[0].text and chunks[0].ocr_confidence > 0.8
