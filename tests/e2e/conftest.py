"""Fixtures for the real-browser tests: the real app over the real index, and Debian's Chromium.

The app is `streamlit run app.py` in a subprocess on a free loopback port (started and
stopped by bench/browser_latency.start_app, which the latency benchmark uses too).
Without /usr/bin/chromium the tests skip on a developer's machine (test_browser.py, before
the index is built) and fail in CI, where `make test` installs it (`make system-deps`).
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import NamedTuple

import pytest
from playwright.sync_api import sync_playwright

from bench.browser_latency import CHROMIUM, launch_browser, start_app

ROOT = Path(__file__).resolve().parents[2]


class App(NamedTuple):
    url: str
    health_s: float  # process start -> /_stcore/health answers


@pytest.fixture(scope="module")
def app(real_index, tmp_path_factory):
    settings, _ = real_index
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    start = time.perf_counter()
    with start_app(settings.index_dir, log) as url:
        yield App(url, round(time.perf_counter() - start, 3))


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    if not CHROMIUM.exists():  # only reached in CI: test_browser.py skips the module elsewhere
        pytest.fail(f"{CHROMIUM} is missing in CI: `make system-deps` should have installed Debian's chromium")
    with sync_playwright() as pw:
        ctx = launch_browser(pw, tmp_path_factory.mktemp("chromium-profile"))
        try:
            yield ctx
        finally:
            ctx.close()


@pytest.fixture(scope="module")
def screenshots() -> Path:
    d = ROOT / "screenshots"
    d.mkdir(exist_ok=True)
    return d
