"""Streamlit entry point: the chat page and the documents page.

UI only. Pages live in ui/ (chat_page.py, documents_page.py); answers come from
answer/pipeline.py, ingest from index/build.py. Run with `make run`.
"""
import streamlit as st

st.set_page_config(page_title="区卫生健康政策问答 · District health policy Q&A", page_icon="🏥", layout="centered")
st.navigation([
    st.Page("ui/chat_page.py", title="问答 Chat", icon=":material/chat:", default=True),
    st.Page("ui/documents_page.py", title="文档 Documents", icon=":material/description:"),
    st.Page("ui/commitments_page.py", title="承诺追踪 Commitments", icon=":material/fact_check:"),
    st.Page("ui/eval_page.py", title="评测 Evaluation", icon=":material/analytics:"),
]).run()
