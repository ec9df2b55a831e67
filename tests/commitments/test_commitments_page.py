"""The Commitments page with Streamlit's AppTest over the real index: table, filters, quotes, source, CSV."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[2] / "ui" / "commitments_page.py")


@pytest.fixture
def page(real_index, monkeypatch):
    import streamlit as st

    settings, _ = real_index
    monkeypatch.setenv("HPQA_INDEX_DIR", str(settings.index_dir))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(PAGE, default_timeout=240).run()
    assert not at.exception
    return at


def test_table_lists_every_commitment_and_filters_by_status(page):
    total = page.dataframe[0].value.shape[0]
    assert total >= 60 and len(page.expander) == total
    page.multiselect(key="c-status").set_value(["met"]).run()
    df = page.dataframe[0].value
    assert 0 < df.shape[0] < total and set(df["状态 Status"]) == {"✅ 已达到 met"}


def test_filter_by_district_and_year(page):
    page.multiselect(key="c-district").set_value(["宝山区"]).run()
    page.multiselect(key="c-year").set_value([2030]).run()
    df = page.dataframe[0].value
    assert df.shape[0] == 2 and set(df["区 District"]) == {"宝山区"}


def test_a_row_shows_both_quotes_and_opens_the_highlighted_source(page):
    page.multiselect(key="c-status").set_value(["met"]).run()
    texts = [t.value for t in page.text]
    assert any("优于全市平均水平" in t and "预期性" in t for t in texts)  # the plan's row
    assert any("连续6年优于全市平均水平" in t for t in texts)  # the report
    next(b for b in page.button if b.key == "c-src-0").click().run()
    frames = page.get("iframe")
    assert frames and "<mark" in frames[0].proto.srcdoc


def test_csv_download_is_offered(page):
    assert page.get("download_button")
