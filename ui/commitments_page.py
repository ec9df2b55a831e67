"""The Commitments page: what the plans promised, what the reports say, filterable, with both quotes.

UI only: the tracker is commitments/track.py (cached by index version), filters and
rows are ui/commitments_view.py. Every document text is shown with st.text or
escaped HTML, never as Markdown.
"""
from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from commitments.export import to_csv
from ui import chat
from ui import commitments_view as view
from ui.resources import get_embedder, get_settings

settings = get_settings()
st.title("承诺追踪 Commitments")
st.caption("规划和年度计划承诺了什么，总结和报道说做到了什么。状态只在两边都有原文引用时给出。"
           " What plans promised and what reports say was achieved; a status is given only with a quote on both sides.")


@st.cache_resource(show_spinner="正在比对承诺与报告 Linking promises to reports…")
def load(version: str):
    from commitments.source import read_sentences
    from commitments.track import tracked

    records = tracked(settings, get_embedder())
    _, meta = read_sentences(settings.index_dir)
    return records, meta


@st.cache_data(max_entries=8)
def source_text(doc: str) -> str:
    from ingest.load import load_file

    return load_file(settings.corpus_dir / doc, max_bytes=settings.max_file_bytes).text


try:
    from commitments.source import index_version

    version = index_version(settings.index_dir)
except Exception as e:  # noqa: BLE001 - no index yet: say what to do
    st.info(f"还没有索引 No index yet ({e}). 先打开问答页或运行 `python -m ingest`.")
    st.stop()

records, meta = load(version)
titles = {d: m.get("title") or d for d, m in meta.items()}
opts = view.options(records)
cols = st.columns(4)
choice = view.Choice(
    districts=tuple(cols[0].multiselect("区 District", opts["district"], key="c-district")),
    docs=tuple(cols[1].multiselect("文件 Document", opts["doc"], format_func=lambda d: titles.get(d, d), key="c-doc")),
    statuses=tuple(cols[2].multiselect("状态 Status", opts["status"], format_func=view.STATUS_LABELS.get, key="c-status")),
    years=tuple(cols[3].multiselect("目标年份 Year", opts["year"], key="c-year")),
)
shown = view.select(records, choice)
st.caption(f"{len(shown)} / {len(records)}")
st.dataframe(view.table_rows(shown, titles), hide_index=True, width="stretch")
st.download_button("下载 CSV Download", data=("\ufeff" + to_csv([t.to_json() for t in shown])).encode("utf-8"),
                   file_name="commitments.csv", mime="text/csv", key="c-csv")


def show_source(doc: str, start: int, end: int, quote: str) -> None:
    from answer.spans import locate

    text = source_text(doc)
    s, e = locate(text, start, end, quote)
    components.html(chat.source_page(text, s, e), height=420, scrolling=True)


for i, t in enumerate(shown):
    c = t.commitment
    with st.expander(f"{view.STATUS_LABELS.get(t.status, t.status)} · {c.district or ''} · {c.indicator} · "
                     f"{view.target_label(t)}", expanded=False):
        st.caption(f"承诺 Promise — {titles.get(c.doc, c.doc)}")
        st.text(c.quote)
        if st.button("查看原文 View source ↗", key=f"c-src-{i}"):
            show_source(c.doc, c.chunk_start, c.chunk_end, c.quote)
        if c.baseline and c.baseline.quote:
            st.caption(f"基期 Baseline {c.baseline.year}: {c.baseline.value}")
            st.text(c.baseline.quote)
        for k, link in enumerate(t.links):
            r = link.result
            kind = "报告 Report" if link.decided else "候选 Candidate (未用于判定 not used to decide)"
            st.caption(f"{kind} — {titles.get(r.doc, r.doc)} · {r.year} · {r.indicator} · {r.value}")
            st.text(r.quote)
            if st.button("查看原文 View source ↗", key=f"c-src-{i}-{k}"):
                show_source(r.doc, r.chunk_start, r.chunk_end, r.quote)
        st.caption(f"状态 Status: {view.STATUS_LABELS.get(t.status, t.status)} — {t.reason}")
