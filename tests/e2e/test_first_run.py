"""First run in a real browser: without the model the page says what to run; without an index
the app builds one with a progress bar, then answers.

A two-document corpus keeps the build short (about 10 s of embedding on 2 cores); the full
corpus is built the same way by `make run` on a fresh machine.
"""
from __future__ import annotations

import json
import os
import shutil

import pytest
from playwright.sync_api import expect

from bench.browser_latency import CHAT_INPUT, CHROMIUM, answer_sel, ask, start_app
from tests.conftest import CORPUS

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (`make system-deps`)", allow_module_level=True)

SMALL = ("000_0426b2a34853e0bc.txt", "002_55ed37559ab106e9.txt")  # the two shortest seeds


@pytest.fixture
def page(browser_context):
    p = browser_context.new_page()
    yield p
    p.close()


def test_without_the_model_the_page_says_what_to_run(page, tmp_path):
    env = {"HPQA_MODEL_DIR": str(tmp_path / "no-model"), "HPQA_CORPUS_DIR": str(CORPUS)}
    with start_app(tmp_path / "index", tmp_path / "streamlit.log", extra_env=env) as url:
        page.goto(url)
        alert = page.get_by_test_id("stAlert")
        expect(alert).to_contain_text("make model", timeout=60_000)
    assert not (tmp_path / "index").exists()  # nothing was built without a model


def test_without_an_index_the_app_builds_one_with_a_progress_bar_then_answers(page, tmp_path, screenshots):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    meta = json.loads((CORPUS / "metadata.json").read_text(encoding="utf-8"))
    for name in SMALL:
        shutil.copy(CORPUS / name, corpus / name)
    meta["documents"] = {k: v for k, v in meta["documents"].items() if k in SMALL}
    (corpus / "metadata.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    index_dir = tmp_path / "index"
    with start_app(index_dir, tmp_path / "streamlit.log", extra_env={"HPQA_CORPUS_DIR": str(corpus)}) as url:
        page.goto(url)
        bar = page.get_by_test_id("stProgress")
        expect(bar).to_be_visible(timeout=120_000)
        page.screenshot(path=screenshots / "00_first_run_progress.png")
        page.locator(CHAT_INPUT).wait_for(state="visible", timeout=180_000)
        expect(bar).to_have_count(0)  # the bar goes once the index is built
        ask(page, "金山区家庭医生“1+1+1”签约率是多少？", 0)
        expect(page.locator(answer_sel(0))).to_contain_text("49.13%")
    assert (index_dir / "CURRENT").exists()
