"""The chat page as a stateless replica (pgvector): empty folders, everything from the shared database."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.pgkit import pg_dsn  # noqa: F401  (a real cluster for the session)

PAGE = str(Path(__file__).resolve().parents[2] / "ui" / "chat_page.py")


def test_an_app_with_empty_folders_answers_from_the_database_and_follows_new_versions(
        pg_dsn, make_settings, seed_corpus, tmp_path, monkeypatch):  # noqa: F811
    import streamlit as st

    from index.build import update_index
    from index.embed import HashEmbedder

    writer = make_settings(corpus_dir=seed_corpus, vector_store="pgvector", pg_dsn=pg_dsn, pg_table="app_replica")
    update_index(writer, HashEmbedder())  # another machine's ingest: the database now holds everything
    for key, value in {"HPQA_INDEX_DIR": tmp_path / "app-index", "HPQA_CORPUS_DIR": tmp_path / "app-corpus",
                       "HPQA_EMBEDDER": "hash", "HPQA_VECTOR_STORE": "pgvector", "HPQA_PG_DSN": pg_dsn,
                       "HPQA_PG_TABLE": "app_replica", "HPQA_FEEDBACK_FILE": tmp_path / "fb.jsonl"}.items():
        monkeypatch.setenv(key, str(value))
    st.cache_resource.clear()
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    assert not at.exception
    at.chat_input[0].set_value("闵行区2024年户籍婴儿死亡率是多少？").run()
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "<mark>" in html and "0.81‰" in html  # the quote highlighted inside the fetched original
    assert (tmp_path / "app-corpus" / "003_915c29c9d6a15825.txt").is_file()

    (seed_corpus / "night_clinic.txt").write_text("金山区夜间门诊工作简报\n\n2026年金山区夜间门诊覆盖率达到87.65%。\n",
                                                  encoding="utf-8")
    update_index(writer, HashEmbedder())
    at.chat_input[0].set_value("2026年金山区夜间门诊覆盖率是多少？").run()
    assert not at.exception
    assert "87\\.65%" in " ".join(m.value for m in at.markdown)
