"""A PDF in the real app: the citation card names the page, and "View source" shows that page
rendered with the quoted line highlighted (issue 10).

The corpus is one two-page text-layer PDF from the test-corpus generator (a few chunks, so the
real e5 index builds in seconds); set HPQA_E2E_SCANNED=1 to use its 200-dpi scan instead (OCR
of two pages first). Screenshots: screenshots/pdf_01_card.png and pdf_02_page.png (scan_01_card.png
and scan_02_page.png for the scan).
"""
from __future__ import annotations

import json
import os
import re

import pytest
from playwright.sync_api import expect

from bench.browser_latency import CHROMIUM, ask, cards_sel, open_app, start_app, wait_idle

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (`make system-deps`) to run the browser tests",
                allow_module_level=True)

from tests.ingest.docskit import TWO_PAGES, scanned_pdf, text_pdf, write  # noqa: E402

NAME = "jinshan_plan_excerpt.pdf"
SHOT = "scan" if os.environ.get("HPQA_E2E_SCANNED") == "1" else "pdf"
META = {"title": "金山区卫生健康发展“十四五”规划（节选）", "title_en": "Jinshan health plan (excerpt)",
        "district": "金山区", "district_en": "Jinshan", "doc_type": "plan", "published": None,
        "period": [2021, 2025], "description": "Two pages of the plan as a PDF, for the page view."}


@pytest.fixture(scope="module")
def pdf_app(tmp_path_factory):
    from index.build import update_index
    from index.embed import make_embedder
    from settings import Settings

    folder = tmp_path_factory.mktemp("pdf_app")
    corpus = folder / "corpus"
    corpus.mkdir()
    write(corpus, NAME, scanned_pdf(TWO_PAGES) if SHOT == "scan" else text_pdf(TWO_PAGES))
    (corpus / "metadata.json").write_text(json.dumps({"documents": {NAME: META}}, ensure_ascii=False), encoding="utf-8")
    settings = Settings(_env_file=None, corpus_dir=corpus, index_dir=folder / "index", embedder="e5",
                        extract_cache_dir=folder / "cache")
    report = update_index(settings, make_embedder(settings))
    assert report.documents == 1, report
    env = {"HPQA_CORPUS_DIR": str(corpus), "HPQA_EXTRACT_CACHE_DIR": str(settings.extract_cache_dir)}
    with start_app(settings.index_dir, folder / "streamlit.log", extra_env=env) as url:
        yield url


def test_pdf_citation_shows_its_page_and_the_page_image_marks_the_quote(browser_context, pdf_app, screenshots):
    page = browser_context.new_page()
    page.set_default_timeout(60_000)
    open_app(page, pdf_app)
    ask(page, "金山区如何推进互联网医院建设？", 0)
    card = page.locator(cards_sel(0)).filter(has_text="互联网医院").first
    expect(card).to_contain_text("第2页")
    wait_idle(page)
    card.screenshot(path=screenshots / f"{SHOT}_01_card.png")

    k = re.search(r"st-key-cite-0-(\d+)", card.get_attribute("class")).group(1)
    page.locator(f".st-key-src-0-{k} button").click()
    dialog = page.get_by_test_id("stDialog")
    expect(dialog.get_by_test_id("stImage")).to_be_visible()
    expect(dialog).to_contain_text("第2页 / 2")
    image = dialog.locator("img").first
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") >= 900  # the rendered page, not an icon
    page.screenshot(path=screenshots / f"{SHOT}_02_page.png")
    expect(page.get_by_test_id("stException")).to_have_count(0)
