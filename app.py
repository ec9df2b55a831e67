"""Streamlit chat front end: shows, for a question, the top passages with their sources.

UI only: retrieval lives in index/search.py; the index is built on first run by
index/build.py. (Grounded answers and the full app come in later issues.)
Run with `make run`, or `.venv/bin/python -m streamlit run app.py`.
"""
from __future__ import annotations

import streamlit as st

from settings import Settings

st.set_page_config(page_title="区卫生健康政策问答 · District health policy Q&A", page_icon="🏥")


@st.cache_resource(show_spinner="正在加载模型和索引 Loading the model and index…")
def load_searcher():
    from index.build import update_index
    from index.embed import make_embedder
    from index.search import Searcher
    from index.store import load_index

    settings = Settings()
    embedder = make_embedder(settings)
    report = update_index(settings, embedder)  # builds the index on first run, no-op after
    return Searcher(load_index(settings.index_dir), embedder), report


def render_hit(n: int, hit) -> None:
    meta, c = hit.meta, hit.chunk
    period = meta.get("period") or [None, None]
    year = f"{period[0]}" if period[0] == period[1] else f"{period[0]}–{period[1]}"
    st.markdown(f"**[{n}] {meta.get('title') or c.doc}** · {meta.get('district') or ''} · {year}")
    if c.section:
        st.caption(" › ".join(c.section))
    st.text(c.text)  # st.text shows document text as plain text, never as Markdown/HTML


try:
    searcher, report = load_searcher()
except Exception as e:  # noqa: BLE001 - show any setup problem plainly
    st.info(f"无法加载索引 / Cannot load the index: {e}")
    st.stop()

st.title("区卫生健康政策问答")
st.caption("District health policy Q&A — Jinshan, Minhang, Baoshan documents")
if "history" not in st.session_state:
    st.session_state.history = []
for role, content in st.session_state.history:
    with st.chat_message(role):
        if role == "user":
            st.text(content)
        else:
            for n, hit in enumerate(content, 1):
                render_hit(n, hit)

question = st.chat_input("请输入问题 / Ask a question")
if question is not None:
    if not question.strip():
        st.warning("问题为空 / The question is empty.")
    else:
        hits = searcher.search(question, k=5)
        st.session_state.history += [("user", question), ("assistant", hits)]
        st.rerun()
