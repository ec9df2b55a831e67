"""The entry point: app.py opens on the chat page (the page flows are tested in tests/ui/)."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def test_app_opens_on_the_chat_page_with_example_questions(real_index, monkeypatch):
    import streamlit as st

    settings, _ = real_index
    monkeypatch.setenv("HPQA_INDEX_DIR", str(settings.index_dir))
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception
    assert any("区卫生健康政策问答" in t.value for t in at.title)
    assert any(b.key and b.key.startswith("example-") for b in at.button)
