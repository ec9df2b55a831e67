"""The chat app, driven with Streamlit's AppTest over the real index."""
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def test_question_shows_a_cited_answer_with_its_sources(real_index, monkeypatch):
    settings, _ = real_index
    monkeypatch.setenv("HPQA_INDEX_DIR", str(settings.index_dir))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    at.chat_input[0].set_value("金山区家庭医生“1+1+1”签约率是多少？").run()
    assert not at.exception
    shown = " ".join(t.value for t in at.text)
    assert "49.13%" in shown and re.search(r"\[\d\]", shown)
    assert any("金山报" in m.value for m in at.markdown)  # the citation card names the document


def test_empty_question_is_refused_plainly(real_index, monkeypatch):
    settings, _ = real_index
    monkeypatch.setenv("HPQA_INDEX_DIR", str(settings.index_dir))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.chat_input[0].set_value("   ").run()
    assert any("empty" in w.value for w in at.warning)


def test_follow_up_uses_the_chat_history(real_index, monkeypatch):
    settings, _ = real_index
    monkeypatch.setenv("HPQA_INDEX_DIR", str(settings.index_dir))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.chat_input[0].set_value("金山区家庭医生签约率是多少？").run()
    at.chat_input[0].set_value("那宝山呢？").run()
    assert not at.exception
    assert any("宝山" in m.value for m in at.markdown)


def test_refusal_looks_like_a_refusal(real_index, monkeypatch):
    settings, _ = real_index
    monkeypatch.setenv("HPQA_INDEX_DIR", str(settings.index_dir))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.chat_input[0].set_value("嘉定区家庭医生签约率是多少？").run()
    assert any("The documents do not say" in w.value for w in at.warning)
