"""The evaluation page (ui/eval_page.py) driven with Streamlit's AppTest.

Settings reach the page through HPQA_* variables: a copy of the seed corpus
and an index built with the hash embedder (a test double behind the Embedder
protocol; the real model runs in test_harness.py). The upload goes through the
real widget and the real harness.
"""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from index.build import update_index
from index.embed import HashEmbedder

PAGE = str(Path(__file__).resolve().parents[2] / "ui" / "eval_page.py")
DATA = Path(__file__).parent / "fixtures"


@pytest.fixture
def site(tmp_path, monkeypatch, seed_corpus):
    monkeypatch.setenv("HPQA_CORPUS_DIR", str(seed_corpus))
    monkeypatch.setenv("HPQA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("HPQA_EMBEDDER", "hash")
    from settings import Settings

    assert update_index(Settings(), HashEmbedder()).documents == 5
    import streamlit as st

    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_upload_run_and_read_the_report(site):
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert at.button(key="eval_run").disabled  # nothing uploaded yet
    at.file_uploader[0].upload("tiny.csv", (DATA / "tiny.csv").read_bytes(), "text/csv").run()
    assert at.selectbox[0].value == "csv"  # guessed from the suffix
    at.button(key="eval_run").click().run()
    assert not at.error, [e.value for e in at.error]
    tables = at.dataframe
    assert len(tables) == 3  # ablations, by type, questions
    questions = tables[2].value
    assert list(questions["id"]) == ["c1", "c2", "c3"]
    assert set(questions["result"]) <= {"pass", "fail", "–"}
    ablation_variants = list(tables[0].value["variant"])
    assert any("baseline" in v for v in ablation_variants) and any("hybrid" in v for v in ablation_variants)


def test_a_file_in_the_wrong_format_is_refused_with_the_reason(site):
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.file_uploader[0].upload("tiny.csv", (DATA / "tiny.csv").read_bytes(), "text/csv").run()
    at.selectbox[0].select("squad").run()
    at.button(key="eval_run").click().run()
    assert at.error and "not SQuAD-style JSON" in at.text[0].value
