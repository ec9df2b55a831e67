"""Scanned PDFs and page images: OCR on the CPU, offline, through the real RapidOCR engine.

The default run OCRs two pages once (a two-page scan, run through
`python -m ingest --extract` with the network unplugged when `unshare -n` is
available) plus one small image; the results are then read back through the
extraction cache. Whole-corpus OCR and its figures are `make bench`
(bench/documents.py).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest

from bench.cer import cer
from ingest import ocr
from ingest.document_chunks import chunk_document, extracted_text
from ingest.load import load_file
from tests.ingest.docskit import HEADER, MB, TWO_PAGES, scanned_pdf, seed_text, write
from tools.testcorpus.render_pdf import CJK_FONT

ROOT = Path(__file__).resolve().parents[2]
PARAMS = {"chunk_size": 300, "chunk_max": 450, "table_rows_max": 6}


def _offline(cmd: list[str]) -> list[str]:
    """`cmd` in a new network namespace with no interface up, when this machine allows it."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n", *cmd]
    return cmd


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    """A two-page 200-dpi scan, extracted once by the CLI with no network; (path, cache, run)."""
    folder = tmp_path_factory.mktemp("scan")
    path = write(folder, "scan.pdf", scanned_pdf(TWO_PAGES, dpi=200, skew=0.8))
    cache = folder / "cache"
    env = {**os.environ, "HPQA_EXTRACT_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1"}
    run = subprocess.run(_offline([sys.executable, "-m", "ingest", "--extract", str(path)]), cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    return path, cache, run


def test_scanned_pdf_is_read_offline_as_the_seeds_clean_text(scan):
    _, _, run = scan
    assert run.returncode == 0, run.stderr
    assert cer(run.stdout, seed_text(TWO_PAGES)) <= 0.01
    assert HEADER not in run.stdout and "- 1 -" not in run.stdout
    assert "OCR" in run.stderr  # the progress bar goes to stderr, not into the text


def test_ocr_lines_are_joined_into_the_seeds_sentences(scan):
    _, _, run = scan
    lines = run.stdout.splitlines()
    expected = seed_text(TWO_PAGES).splitlines()
    assert len(lines) == len(expected)
    assert sum(cer(a, b) < 0.05 for a, b in zip(lines, expected)) >= len(expected) - 1


def test_ocr_result_is_cached_with_pages_boxes_and_confidence(scan, monkeypatch):
    path, cache, _ = scan

    def no_ocr(*args, **kwargs):
        raise AssertionError("OCR ran again: the cached extraction was not used")

    monkeypatch.setattr(ocr, "make_ocr", no_ocr)
    doc = load_file(path, max_bytes=10 * MB, cache_dir=cache)
    assert (doc.format, doc.ocr_pages, len(doc.pages)) == ("pdf", 2, 2)
    assert {b.page for b in doc.boxes} == {1, 2}
    chunks = chunk_document(doc, **PARAMS)
    assert all(0.8 <= c.ocr_confidence <= 1.0 for c in chunks)
    assert {c.page for c in chunks} == {1, 2}


def test_scanned_table_is_chunked_as_a_table(scan):
    path, cache, _ = scan
    chunks = chunk_document(load_file(path, max_bytes=10 * MB, cache_dir=cache), **PARAMS)
    tables = [c for c in chunks if c.kind == "table"]
    assert tables, [c.text for c in chunks]
    assert "序号" in tables[0].context and "表1" in tables[0].context
    assert "人均预期寿命" in tables[0].text and "预期性" in tables[0].text


def test_page_image_is_ocrd(tmp_path):
    from PIL import Image, ImageDraw, ImageFont

    if not CJK_FONT.exists():
        pytest.fail(f"{CJK_FONT} is missing: install fonts-wqy-zenhei")
    font = ImageFont.truetype(str(CJK_FONT), 32)
    image = Image.new("L", (1000, 200), 255)
    draw = ImageDraw.Draw(image)
    draw.text((40, 40), "家庭医生签约率达49.13%，", font=font, fill=0)
    draw.text((40, 100), "组合内就诊率达82.99%。", font=font, fill=0)
    buf = BytesIO()
    image.save(buf, "PNG")
    doc = load_file(write(tmp_path, "notice.png", buf.getvalue()), max_bytes=MB, cache_dir=tmp_path / "cache")
    assert (doc.format, doc.pages, doc.ocr_pages) == ("png", (0,), 1)
    assert cer(extracted_text(doc), "家庭医生签约率达49.13%，组合内就诊率达82.99%。") <= 0.05
    assert list((tmp_path / "cache").glob("*.json"))


def test_unknown_ocr_engine_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown OCR engine 'tesseract'; choose from rapidocr"):
        ocr.make_ocr("tesseract")


def test_a_corrupt_image_is_refused(tmp_path):
    from ingest.errors import LoadError

    with pytest.raises(LoadError, match=r"corrupt image: cannot be decoded as PNG"):
        load_file(write(tmp_path, "x.png", b"\x89PNG\r\n\x1a\nnot an image"), max_bytes=MB)


def test_a_cell_wrapped_over_two_lines_stays_in_its_ruled_table_row():
    """Row 11's name wraps; its number and value sit between the two lines (vertically centred)."""
    def box(text, x0, y0, x1):
        return ocr.OcrBox(text, ((x0, y0), (x1, y0), (x1, y0 + 20), (x0, y0 + 20)), 0.95)

    boxes = [box("10", 100, 100, 130), box("千人口全科医生数（人）", 200, 100, 500), box("0.45左右", 600, 100, 700),
             box("精神科执业医师数（人/10万", 200, 135, 520), box("11", 100, 152, 130), box("4.0", 600, 152, 650),
             box("人口）", 200, 170, 260)]
    bands = [(90.0, 128.0), (128.0, 200.0)]
    lines = ocr.ocr_lines(boxes, 1000, 1000, bands)
    assert [l.text for l in lines] == ["10\t千人口全科医生数（人）\t0.45左右", "11\t精神科执业医师数（人/10万人口）\t4.0"]
    assert all(l.cells for l in lines)
    without = [l.text for l in ocr.ocr_lines(boxes, 1000, 1000)]
    assert len(without) == 4  # without the rules the wrapped cell's lines stand alone
