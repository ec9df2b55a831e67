"""The minimal chat app, driven with Streamlit's AppTest over the real index."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def test_question_shows_top_passages_with_sources(real_index, monkeypatch):
    settings, _ = real_index
    monkeypatch.setenv("HPQA_INDEX_DIR", str(settings.index_dir))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    at.chat_input[0].set_value("金山区家庭医生“1+1+1”签约率是多少？").run()
    assert not at.exception
    shown = " ".join(t.value for t in at.text)
    assert "49.13%" in shown
    assert any("金山" in m.value for m in at.markdown)


def test_empty_question_is_refused_plainly(real_index, monkeypatch):
    settings, _ = real_index
    monkeypatch.setenv("HPQA_INDEX_DIR", str(settings.index_dir))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.chat_input[0].set_value("   ").run()
    assert any("empty" in w.value for w in at.warning)
