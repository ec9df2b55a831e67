"""Missing, corrupt and mismatched indexes: the server stays up and says which command fixes it.

Real servers with the hash embedder (same protocol as e5); the index files are
damaged for real on disk.
"""
from __future__ import annotations

import shutil
import time

import httpx
import pytest

from bench.api_server import ApiServer
from tests.api.apikit import auth

ASK = {"question": "金山区家庭医生签约率是多少？"}


def _serve(index_dir, corpus_dir, tmp_path, **env):
    return ApiServer(index_dir, corpus_dir, env={"HPQA_EMBEDDER": "hash", **env}, log_path=tmp_path / "api.log")


@pytest.fixture
def copies(hash_dirs, tmp_path):
    index_dir, corpus_dir = hash_dirs
    shutil.copytree(index_dir, tmp_path / "index")
    shutil.copytree(corpus_dir, tmp_path / "corpus")
    return tmp_path / "index", tmp_path / "corpus"


def _current(index_dir):
    return index_dir / (index_dir / "CURRENT").read_text().strip()


def test_no_index_gives_503_naming_the_ingest_command(copies, tmp_path):
    _, corpus = copies
    empty = tmp_path / "none"
    with _serve(empty, corpus, tmp_path) as s:
        health = httpx.get(s.url + "/health").json()
        assert health["ready"] is False and f"python -m ingest --index {empty}" in health["index"]["error"]
        for r in (httpx.post(s.url + "/ask", json=ASK, headers=auth()),
                  httpx.get(s.url + "/search", params={"q": "签约率"}, headers=auth())):
            assert r.status_code == 503 and f"python -m ingest --index {empty}" in r.json()["error"]


@pytest.mark.parametrize("damage, words", [
    (lambda v: (v / "faiss.index").write_bytes(b"\x00garbage"), "is damaged"),
    (lambda v: (v / "manifest.json").write_text("{not json", encoding="utf-8"), "unreadable manifest"),
    (lambda v: (v / "chunks.jsonl").write_text((v / "chunks.jsonl").read_text(encoding="utf-8").split("\n", 1)[1],
                                               encoding="utf-8"), "inconsistent"),
    (lambda v: (v / "vectors.npy").unlink(), "is damaged"),
])
def test_a_corrupt_index_gives_503_naming_the_rebuild_command(copies, tmp_path, damage, words):
    index_dir, corpus = copies
    damage(_current(index_dir))
    with _serve(index_dir, corpus, tmp_path) as s:
        r = httpx.post(s.url + "/ask", json=ASK, headers=auth())
        assert r.status_code == 503 and words in r.json()["error"]
        assert f"python -m ingest --index {index_dir} --rebuild" in r.json()["error"]


def test_an_index_built_with_other_chunker_settings_is_refused_with_the_rebuild_command(copies, tmp_path):
    index_dir, corpus = copies
    with _serve(index_dir, corpus, tmp_path, HPQA_CHUNK_SIZE="250") as s:
        r = httpx.get(s.url + "/search", params={"q": "签约率"}, headers=auth())
        assert r.status_code == 503 and "chunker settings" in r.json()["error"] and "--rebuild" in r.json()["error"]


def test_a_corrupt_new_version_leaves_the_loaded_one_answering(copies, tmp_path):
    index_dir, corpus = copies
    with _serve(index_dir, corpus, tmp_path) as s:
        before = httpx.get(s.url + "/health").json()["index"]["version"]
        bad = index_dir / "v-99999999T999999-broken"
        shutil.copytree(_current(index_dir), bad)
        (bad / "faiss.index").write_bytes(b"broken")
        (index_dir / "CURRENT").write_text(bad.name + "\n")
        deadline = time.time() + 20
        while time.time() < deadline and not httpx.get(s.url + "/health").json()["index"]["error"]:
            httpx.get(s.url + "/search", params={"q": "签约率"}, headers=auth())  # a request triggers the check
            time.sleep(0.3)
        health = httpx.get(s.url + "/health").json()
        assert health["ready"] and health["index"]["version"] == before and "is damaged" in health["index"]["error"]
        r = httpx.post(s.url + "/ask", json=ASK, headers=auth())
        assert r.status_code == 200 and r.json()["citations"]
