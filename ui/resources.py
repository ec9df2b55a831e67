"""Heavy objects for the Streamlit pages, built once per server process (st.cache_resource).

First run: if the model folder is missing the pages show what to run; if the
index is missing or stale it is built with a progress bar. `reset()` drops the
cached answerer after the documents page changed the corpus.
"""
from __future__ import annotations

import streamlit as st

from settings import Settings


@st.cache_resource
def get_settings() -> Settings:
    return Settings()


@st.cache_resource
def get_embedder():
    from index.embed import make_embedder

    return make_embedder(get_settings())


def ensure_index(progress_label: str) -> None:
    """Build or update the index, with a progress bar while chunks are embedded."""
    from index.build import update_index

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = st.progress(0.0, text=progress_label)
        bar.progress(done / max(total, 1), text=f"{progress_label} {done}/{total}")

    from index.shared_state import follow
    from ingest.progress import reporting

    follow(get_settings())  # pgvector: a replica starts from the database's corpus and index version
    with reporting(ocr_progress()):  # issue 10: scanned pages are OCR'd with their own bar
        report = update_index(get_settings(), get_embedder(), progress=progress)
    if bar is not None:
        bar.empty()
    return report


def shared_writing():
    """pgvector: the writer lock across replicas, with the shared corpus fetched first; else a no-op."""
    from index.shared_state import writing

    return writing(get_settings())


def ocr_progress():
    """A progress callback drawing a Streamlit bar while scanned pages are OCR'd."""
    bars = {}

    def callback(what: str, done: int, total: int) -> None:
        if "bar" not in bars or done == 1:
            bars["bar"] = st.progress(0.0, text=f"OCR 0/{total}")
        bars["bar"].progress(done / max(total, 1), text=f"OCR {done}/{total}")
        if done >= total:
            bars.pop("bar").empty()

    return callback


def get_answerer(generator: str):
    """The answerer for a generator name over the live index version: a version written by an
    ingest beside the app, or fetched from the shared database, is picked up on the next run."""
    from index.store import current_version

    folder = current_version(get_settings().index_dir)
    return _answerer(generator, folder.name if folder else "")


@st.cache_resource(show_spinner=False, max_entries=4)
def _answerer(generator: str, version: str):
    """The answerer for a generator name and index version; the model is loaded now, not on the first question."""
    from answer.generate import make_generator
    from answer.pipeline import Answerer
    from index.search import Searcher
    from index.store import load_index
    from index.vector_store import make_vector_store

    settings = get_settings()
    index = load_index(settings.index_dir)
    searcher = Searcher(index, get_embedder(), vectors=make_vector_store(settings, index))  # faiss or pgvector (issue 12)
    answerer = Answerer(searcher, make_generator("extractive", settings), settings)
    answerer.answer("金山区家庭医生签约率是多少？")  # warm-up: model, jieba and sources load now, not on the first question
    return Answerer(searcher, make_generator(generator, settings), settings) if generator != "extractive" else answerer


def reset() -> None:
    """Forget the loaded index (after documents were added or deleted)."""
    _answerer.clear()
