"""Streamlit chat front end: grounded answers with their citations, and the passages behind them.

UI only: answers come from answer/pipeline.py (Answerer.answer), the index is
built on first run by index/build.py. Document text is always shown with
st.text (never as Markdown/HTML). Run with `make run`.
"""
from __future__ import annotations

import streamlit as st

from settings import Settings

st.set_page_config(page_title="区卫生健康政策问答 · District health policy Q&A", page_icon="🏥")


@st.cache_resource(show_spinner="正在加载模型和索引 Loading the model and index…")
def load_answerer():
    from answer.generate import make_generator
    from answer.pipeline import Answerer
    from index.build import update_index
    from index.embed import make_embedder
    from index.search import Searcher
    from index.store import load_index

    settings = Settings()
    embedder = make_embedder(settings)
    update_index(settings, embedder)  # builds the index on first run, no-op after
    searcher = Searcher(load_index(settings.index_dir), embedder)
    searcher.search("预热 warm-up", k=1)  # load the model now, not on the first question
    return Answerer(searcher, make_generator(settings.generator, settings), settings)


def period_label(period) -> str:
    if not period:
        return ""
    return str(period[0]) if period[0] == period[1] else f"{period[0]}–{period[1]}"


def render_answer(a) -> None:
    if a.refused:
        st.warning("文档中没有找到答案 · The documents do not say")
    st.text(a.text)
    for c in a.citations:
        with st.container(border=True):
            st.markdown(f"**[{c.n}]** {c.title} · {c.district or ''} · {period_label(c.period)}")
            if c.section:
                st.caption(" › ".join(c.section))
            st.text(c.quote)
    with st.expander("检索到的段落 Retrieved passages"):
        for n, h in enumerate(a.retrieved[:5], 1):
            st.caption(f"[{n}] {h.meta.get('title') or h.chunk.doc} · {' › '.join(h.chunk.section)}")
            st.text(h.chunk.text)


try:
    answerer = load_answerer()
except Exception as e:  # noqa: BLE001 - show any setup problem plainly
    st.info(f"无法加载索引 / Cannot load the index: {e}")
    st.stop()

st.title("区卫生健康政策问答")
st.caption("District health policy Q&A — Jinshan, Minhang, Baoshan documents. Every answer cites its source.")
if "history" not in st.session_state:
    st.session_state.history = []  # [(role, text or Answer)]
for role, content in st.session_state.history:
    with st.chat_message(role):
        if role == "user":
            st.text(content)
        else:
            render_answer(content)

question = st.chat_input("请输入问题 / Ask a question")
if question is not None:
    if not question.strip():
        st.warning("问题为空 / The question is empty.")
    else:
        past = [(r, c if r == "user" else c.text) for r, c in st.session_state.history]
        try:
            a = answerer.answer(question, past)
        except ValueError as e:
            st.warning(str(e))
        else:
            st.session_state.history += [("user", question), ("assistant", a)]
            st.rerun()
