"""The chat page: ask, get a streamed grounded answer with citation cards, view sources, give feedback.

UI only: answers come from answer/pipeline.py through ui/resources.py; all
document text is escaped (ui/chat.py) before it is shown.
"""
from __future__ import annotations

import time

import streamlit as st
import streamlit.components.v1 as components

from answer.frame import period_label
from index.search import Filters
from ui import chat, pdf_view
from ui.i18n import doc_type_label, t
from ui.resources import ensure_index, get_answerer, get_settings

settings = get_settings()
state = st.session_state
state.lang = "en" if state.get("lang_radio") == "English" else "zh"  # the sidebar radio's value, before it renders
st.title(t("title", state.lang))  # shown at once, before the model and index load
st.caption(t("subtitle", state.lang))
state.setdefault("turns", [])  # [(question, Answer)]
state.setdefault("pending", None)
state.setdefault("streamed", 0)  # turns already streamed once

# ---- sidebar -------------------------------------------------------------------------------
with st.sidebar:
    lang_choice = st.radio(t("language", state.lang), ["中文", "English"], horizontal=True,
                           index=0 if state.lang == "zh" else 1, key="lang_radio")
    state.lang = "en" if lang_choice == "English" else "zh"
    lang = state.lang
    st.subheader(t("filters", lang))

try:
    from index.embed import ModelMissing, model_checksum

    if settings.embedder == "e5":
        _ = model_checksum(settings.model_dir)  # assigned: a bare expression would be shown by Streamlit magic
except ModelMissing:
    st.error(t("no_model", lang))
    st.stop()

report = ensure_index(t("building", lang))
if report.status == "failed":
    st.error("没有可用的文档 · No document could be indexed")
    st.stop()

generators = ["extractive"] + (["llm"] if settings.llm_base_url and settings.llm_model else [])
with st.sidebar:
    with st.spinner("正在加载模型 · Loading the model…"):
        answerer0 = get_answerer("extractive")
    docs = answerer0.searcher.docs
    districts = sorted({m.get("district") for m in docs.values() if m.get("district")})
    years = sorted({y for m in docs.values() if m.get("period") for y in range(m["period"][0], m["period"][1] + 1)})
    types = sorted({m.get("doc_type") for m in docs.values() if m.get("doc_type")})
    any_ = t("any", lang)
    district = st.selectbox(t("district", lang), [any_] + districts, key="f_district")
    year = st.selectbox(t("year", lang), [any_] + years, key="f_year")
    doc_type = st.selectbox(t("doc_type", lang), [any_] + types, key="f_type",
                            format_func=lambda v: v if v == any_ else doc_type_label(v, lang))
    generator = st.radio(t("generator", lang), generators, key="generator",
                         format_func=lambda g: t(g, lang))
    if generator == "llm":
        st.caption(get_answerer("llm").generator.status())
    if st.button(t("clear", lang), key="clear"):
        state.turns, state.streamed = [], 0
        st.rerun()
    st.download_button(t("export", lang), chat.export_markdown(state.turns, lang), file_name="conversation.md",
                       mime="text/markdown", key="export", disabled=not state.turns)

filters = Filters(district=None if district == any_ else district, year=None if year == any_ else year,
                  doc_type=None if doc_type == any_ else doc_type)



@st.dialog("原文 · Source", width="large")
def show_source(doc: str, start: int, end: int, title: str) -> None:
    st.caption(title)
    answerer = get_answerer("extractive")
    document = answerer._document(doc)
    if pdf_view.has_pages(document):  # issue 10: a PDF or scan shows its page with the quote marked
        view = pdf_view.page_view(answerer.corpus_dir / doc, document, start, end)
        st.image(view.png, caption=f"{pdf_view.page_label(view.page, lang)} / {view.pages}", width="stretch")
        return
    components.html(chat.source_page(document.text, start, end), height=520, scrolling=True)


def render_cards(i: int, a) -> None:
    for k, c in enumerate(a.citations):
        with st.container(border=True, key=f"cite-{i}-{k}"):
            kind = doc_type_label(c.doc_type, lang)
            page = f" · {pdf_view.page_label(c.page, lang)}" if getattr(c, "page", None) else ""  # issue 10
            st.markdown(chat.escape_markdown(f"[{c.n}] {c.title}") + f" · {chat.escape_markdown(c.district or '')}"
                        f" · {period_label(c.period)} · {kind}{page}")
            if c.section:
                st.caption(chat.escape_markdown(" › ".join(c.section)))
            passage = next((p.chunk.text for p in a.retrieved if p.chunk.doc == c.doc and p.chunk.start <= c.start
                            and c.end <= p.chunk.end), c.quote)
            st.html(f"<div style='line-height:1.6'>{chat.highlight(chat.around(passage, c.quote), c.quote)}</div>")
            if st.button(f"{t('view_source', lang)} ↗", key=f"src-{i}-{k}"):
                show_source(c.doc, c.start, c.end, chat.citation_line(c))


def render_feedback(i: int, question: str, a) -> None:
    rating = st.feedback("thumbs", key=f"fb-{i}")
    if rating is not None:
        comment = st.text_input(t("comment", lang), key=f"fbc-{i}")
        if st.button(t("send", lang), key=f"fbs-{i}"):
            record = chat.feedback_record(question, a, "up" if rating == 1 else "down", comment,
                                          {"district": filters.district, "year": filters.year,
                                           "doc_type": filters.doc_type})
            chat.append_feedback(settings.feedback_file, record)
            st.toast(t("feedback_thanks", lang))


def render_turn(i: int, question: str, a) -> None:
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        if a.refused:
            st.warning(f"{t('refused', lang)} · {a.reason}")
        with st.container(key=f"answer-{i}"):
            if i >= state.streamed:  # stream a new answer once; later reruns show it whole
                st.write_stream(_paced(chat.stream_sentences(a.text)))
                state.streamed = i + 1
            else:
                st.markdown(chat.escape_markdown(a.text))
        render_cards(i, a)
        with st.expander(t("retrieved", lang)):
            for n, h in enumerate(a.retrieved[:5], 1):
                st.caption(chat.escape_markdown(f"[{n}] {h.meta.get('title') or h.chunk.doc} · "
                                                f"{' › '.join(h.chunk.section)}"))
                st.text(h.chunk.text)
        render_feedback(i, question, a)


def _paced(pieces):
    for piece in pieces:
        yield piece
        time.sleep(0.03)  # a visible stream; the answer itself is ready in ~30 ms


for i, (question, a) in enumerate(state.turns):
    render_turn(i, question, a)

examples = st.empty()  # suggestions on the empty chat; cleared as soon as a question is asked
if not state.turns:
    with examples.container():
        st.subheader(t("examples", lang))
        for persona, questions in chat.EXAMPLES.items():
            st.caption(t(persona, lang))
            cols = st.columns(len(questions))
            for j, q in enumerate(questions):
                if cols[j].button(q, key=f"example-{persona}-{j}", use_container_width=True, help=q):
                    state.pending = q
                    st.rerun()

question = st.chat_input(t("ask", lang)) or state.pending
state.pending = None
if question is not None:
    if not question.strip():
        st.warning(t("empty_question", lang))
    else:
        history = [(r, c) for q, a in state.turns for r, c in (("user", q), ("assistant", a.text))]
        try:
            answer = get_answerer(generator).answer(question, history, filters)
        except ValueError as e:
            st.warning(str(e))
        else:
            examples.empty()
            state.turns.append((question, answer))
            render_turn(len(state.turns) - 1, question, answer)
