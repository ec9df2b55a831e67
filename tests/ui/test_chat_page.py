"""The chat page with Streamlit's AppTest over the real index: ask, filter, refusal, feedback, examples."""
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[2] / "ui" / "chat_page.py")


@pytest.fixture
def page(real_index, monkeypatch, tmp_path):
    import streamlit as st

    settings, _ = real_index
    monkeypatch.setenv("HPQA_INDEX_DIR", str(settings.index_dir))
    monkeypatch.setenv("HPQA_FEEDBACK_FILE", str(tmp_path / "feedback.jsonl"))
    st.cache_resource.clear()
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    assert not at.exception
    return at


def texts(at) -> str:
    return " ".join(m.value for m in at.markdown)


def test_ask_shows_answer_cards_and_a_highlighted_quote(page):
    page.chat_input[0].set_value("金山区家庭医生签约率是多少？").run()
    assert not page.exception
    assert "49\\.13%" in texts(page)  # the answer, as escaped Markdown
    html = " ".join(h.proto.body for h in page.get("html"))
    assert "<mark>" in html and "49.13%" in html
    assert any(b.key and b.key.startswith("src-0-") for b in page.button)


def test_examples_are_buttons_not_messages_and_ask_when_clicked(page):
    keys = [b.key for b in page.button if b.key and b.key.startswith("example-")]
    assert len(keys) == 9 and not page.chat_message
    next(b for b in page.button if b.key == "example-evaluator-0").click().run()
    assert "0\\.81‰" in texts(page)


def test_filter_limits_the_sources(page):
    page.selectbox(key="f_district").select("闵行区").run()
    page.chat_input[0].set_value("家庭医生签约率是多少？").run()
    cards = [m.value for m in page.markdown if m.value.startswith("\\[")]
    assert cards and all("闵行区" in c for c in cards)


def test_refusal_is_shown_as_a_refusal(page):
    page.chat_input[0].set_value("嘉定区家庭医生签约率是多少？").run()
    assert any("文档中没有找到答案" in w.value for w in page.warning)


def test_feedback_is_appended_with_question_answer_and_citations(page, tmp_path):
    page.chat_input[0].set_value("闵行区2024年户籍婴儿死亡率是多少？").run()
    page.session_state["fb-0"] = 0  # 👎
    page.run()
    page.text_input(key="fbc-0").input("引用很准确").run()
    page.button(key="fbs-0").click().run()
    rec = json.loads((tmp_path / "feedback.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert rec["rating"] == "down" and rec["comment"] == "引用很准确" and "0.81‰" in rec["answer"]
    assert rec["question"] == "闵行区2024年户籍婴儿死亡率是多少？"
    assert rec["citations"] and rec["citations"][0]["doc"] == "003_915c29c9d6a15825.txt"


def test_language_switch_changes_the_interface(page):
    page.radio(key="lang_radio").set_value("English").run()
    assert any("District health policy" in t.value for t in page.title)


def test_document_text_is_escaped():
    from ui.chat import escape_markdown, highlight

    assert "<script>" not in highlight("<script>alert(1)</script>签约率", "签约率")
    assert escape_markdown("**x** [a](http://e)") == "\\*\\*x\\*\\* \\[a\\]\\(http://e\\)"
