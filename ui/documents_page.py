"""The documents page: list the corpus, upload a document with its metadata, delete one.

UI only: checks and file writes are in ui/documents.py, indexing in
index/build.py (through ui.resources.ensure_index). Every upload is validated
before the corpus is touched; file names, titles and loader reasons are shown
with st.text / st.dataframe, never as Markdown or HTML.
"""
from __future__ import annotations

from datetime import date

import streamlit as st

from ingest.load import SUPPORTED_SUFFIXES
from ingest.metadata import DOC_TYPES, read_metadata
from ui import documents
from ui.i18n import doc_type_label, t
from ui.resources import ensure_index, get_settings, reset, shared_writing

settings = get_settings()
state = st.session_state
lang = state.get("lang", "zh")
MIME_TYPES = ("text/plain", "text/markdown", "text/html", "application/pdf",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
state.setdefault("upload_key", 0)  # bumped after a successful add, to empty the uploader


def reindex(done_key: str) -> None:
    """Run the incremental ingest, drop the cached answerer, and leave a report for the next run."""
    try:
        with st.spinner(t("ingesting", lang)):
            report = ensure_index(t("ingesting", lang))
    except Exception as e:  # noqa: BLE001 - the previous index stays live; say so plainly
        state.docs_flash = ("error", t("ingest_failed", lang), f"{type(e).__name__}: {e}")
        reset()
        return
    reset()
    if report.status == "failed":
        state.docs_flash = ("error", t("ingest_failed", lang), "")
        return
    lines = [f"{t('report_documents', lang)}: {report.documents}", f"{t('report_chunks', lang)}: {report.chunks}"]
    for label, names in (("report_added", report.added), ("report_changed", report.changed),
                         ("report_removed", report.removed)):
        if names:
            lines.append(f"{t(label, lang)}: {', '.join(names)}")
    for s in report.skipped:
        lines.append(f"{t('skipped', lang)}: {s.path} — {s.reason}")
    state.docs_flash = ("success", t(done_key, lang), "\n".join(lines))


st.title(t("docs_title", lang))
st.caption(t("docs_caption", lang))
if not settings.corpus_dir.is_dir():
    st.info(f"{t('no_corpus', lang)}: {settings.corpus_dir}")
    st.stop()

flash = state.pop("docs_flash", None)
if flash:
    kind, headline, detail = flash
    (st.success if kind == "success" else st.error)(headline)
    if detail:
        st.text(detail)

_, meta_error = read_metadata(settings.corpus_dir / settings.metadata_file)
if meta_error:
    st.warning(t("metadata_error", lang))
    st.text(meta_error)

# ---- the corpus -----------------------------------------------------------------------------
rows = documents.corpus_table(settings)
st.subheader(t("docs_list", lang))
if not rows:
    st.info(t("no_documents", lang))
else:
    status_label = {s: t(f"status_{s}", lang) for s in ("indexed", "skipped", "changed", "pending")}
    table = [{t("col_title", lang): r["title"], t("district", lang): r["district"], t("col_period", lang): r["period"],
              t("doc_type", lang): doc_type_label(r["doc_type"], lang), t("col_published", lang): r["published"],
              t("col_chunks", lang): r["chunks"], t("col_size", lang): r["size_kb"],
              t("col_status", lang): status_label[r["status"]], t("col_file", lang): r["file"]} for r in rows]
    st.dataframe(table, hide_index=True, width="stretch")
    skipped = [r for r in rows if r["status"] == "skipped"]
    if skipped:
        st.markdown(f"**{t('skipped_files', lang)}**")
        st.dataframe([{t("col_file", lang): r["file"], t("col_reason", lang): r["reason"]} for r in skipped],
                     hide_index=True, width="stretch")
    if any(r["status"] in ("changed", "pending") for r in rows):
        st.caption(t("not_indexed_hint", lang))
        if st.button(t("reindex", lang), key="reindex"):
            reindex("reindexed")
            st.rerun()

# ---- upload ---------------------------------------------------------------------------------
st.subheader(t("upload", lang))
suffixes = [s.lstrip(".") for s in SUPPORTED_SUFFIXES]
st.caption(t("upload_help", lang).format(types=", ".join(suffixes), mb=f"{settings.max_file_mb:g}"))
# The MIME types are not decoration: with only extensions, Streamlit itself raises on a file the
# browser's filter let through (renamed, scripted), before this script runs, so the user would
# see a stack trace. With them it trusts the browser, and validate_upload refuses the file plainly.
accept = suffixes + list(MIME_TYPES)
uploaded = st.file_uploader(t("upload", lang), type=accept, key=f"uploader_{state.upload_key}",
                            label_visibility="collapsed")
replace = st.checkbox(t("replace", lang), key="replace")
if uploaded is not None:
    data = uploaded.getvalue()
    from ingest.progress import reporting
    from ui.resources import ocr_progress

    with reporting(ocr_progress()):  # issue 10: a scanned upload is OCR'd here (once: cached by content)
        ok, reason = documents.validate_upload(uploaded.name, data, settings, replace=replace)
    if not ok:
        st.error(t("upload_rejected", lang))
        st.text(reason)
    else:
        stored = documents.safe_name(uploaded.name)
        st.success(t("upload_ok", lang))
        st.text(f"{t('saved_as', lang)}: {stored}")
        districts = list(documents.DISTRICTS)
        other = t("district_other", lang)
        this_year = date.today().year
        with st.form("metadata", clear_on_submit=False):
            title = st.text_input(t("col_title", lang), key="m_title")
            title_en = st.text_input(t("title_en", lang), key="m_title_en")
            district_choice = st.selectbox(t("district", lang), districts + [other], key="m_district")
            district_other = st.text_input(t("district_other_name", lang), key="m_district_other")
            c1, c2 = st.columns(2)
            start = c1.number_input(t("year_from", lang), 1949, 2100, this_year, step=1, key="m_start")
            end = c2.number_input(t("year_to", lang), 1949, 2100, this_year, step=1, key="m_end")
            doc_type = st.selectbox(t("doc_type", lang), list(DOC_TYPES), key="m_type",
                                    format_func=lambda v: doc_type_label(v, lang))
            published = st.date_input(t("col_published", lang), value=None, key="m_published",
                                      min_value=date(1949, 1, 1), max_value=date(2100, 12, 31))
            description = st.text_area(t("description", lang), key="m_description")
            submitted = st.form_submit_button(t("add_document", lang), key="m_submit")
        if submitted:
            with shared_writing():  # pgvector: one writer across replicas, on the latest shared corpus
                try:
                    meta = documents.build_meta(
                        title=title, title_en=title_en, years=(start, end), doc_type=doc_type, published=published,
                        district=district_other if district_choice == other else district_choice,
                        description=description)
                    # the corpus may have changed since the check above (another tab): check again
                    ok, reason = documents.validate_upload(uploaded.name, data, settings, replace=replace)
                    if not ok:
                        raise ValueError(reason)
                    documents.add_document(settings.corpus_dir, stored, data, meta, settings.metadata_file)
                except (ValueError, OSError) as e:
                    st.error(t("upload_rejected", lang))
                    st.text(str(e))
                else:
                    reindex("added")
                    state.upload_key += 1
                    st.rerun()

# ---- delete ---------------------------------------------------------------------------------
st.subheader(t("delete", lang))
if rows:
    titles = {r["file"]: f"{r['title']} ({r['file']})" for r in rows}
    victim = st.selectbox(t("delete_which", lang), list(titles), format_func=titles.get, key="delete_which")
    confirmed = st.checkbox(t("delete_confirm", lang), key="delete_confirm")
    if st.button(t("delete_button", lang), key="delete_button", type="primary", disabled=not confirmed):
        if len(rows) == 1:
            st.error(t("delete_last", lang))
        else:
            with shared_writing():
                try:
                    documents.remove_document(settings.corpus_dir, victim, settings.metadata_file)
                except (ValueError, OSError) as e:
                    st.error(t("delete_failed", lang))
                    st.text(str(e))
                else:
                    reindex("deleted")
                    state.pop("delete_confirm", None)
                    st.rerun()
