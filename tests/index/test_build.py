"""Building and updating the on-disk index: incremental, atomic, checked on load.

Most tests use the hash embedder (same protocol as the real model) to stay fast;
`test_real_model_and_faiss_find_the_family_doctor_rate` and the killed-ingest
test drive the real converted e5 model and a real FAISS index.
"""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from index.build import update_index
from index.embed import HashEmbedder
from index.store import IndexCorrupt, IndexMismatch, IndexMissing, load_index, read_manifest

ROOT = Path(__file__).resolve().parents[2]


def build(settings, **kw):
    return update_index(settings, HashEmbedder(), **kw)


def test_first_build_indexes_all_seeds_and_writes_a_manifest(make_settings, seed_corpus):
    s = make_settings()
    r = build(s)
    assert r.status == "updated" and r.documents == 5 and r.embedded == r.chunks > 100
    idx = load_index(s.index_dir)
    m = idx.manifest
    assert set(m["documents"]) == {p.name for p in seed_corpus.glob("*.txt")}
    assert "metadata.json" not in m["documents"]
    assert m["documents"]["001_a422b7ebc84d3173.txt"]["meta"]["period"] == [2021, 2025]
    assert m["model"]["name"] == "hash-ngram" and m["chunker"]["chunk_size"] == 300
    assert m["faiss"]["type"] == "flat_ip" and idx.faiss.ntotal == len(idx.chunks) == idx.vectors.shape[0]
    assert {"numpy", "faiss-cpu", "bm25s", "jieba"} <= set(m["versions"])


def test_unchanged_rerun_writes_nothing(make_settings, seed_corpus):
    s = make_settings()
    build(s)
    before = (s.index_dir / "CURRENT").read_text()
    r = build(s)
    assert r.status == "unchanged" and r.embedded == 0
    assert (s.index_dir / "CURRENT").read_text() == before


def test_changed_added_and_deleted_documents_are_applied_incrementally(make_settings, seed_corpus):
    s = make_settings()
    first = build(s)
    (seed_corpus / "004_6549651109aa6bb6.txt").unlink()
    f = seed_corpus / "002_55ed37559ab106e9.txt"
    f.write_text(f.read_text(encoding="utf-8") + "\n\n新增一段：社区卫生服务中心夜门诊延长到晚上九点。\n", encoding="utf-8")
    (seed_corpus / "new.md").write_text("# 新文档\n\n嘉定区家庭医生签约率达到50%。\n", encoding="utf-8")
    r = build(s)
    assert r.added == ["new.md"] and r.changed == ["002_55ed37559ab106e9.txt"]
    assert r.removed == ["004_6549651109aa6bb6.txt"]
    assert 0 < r.embedded < 10 < first.embedded  # only new chunk texts were embedded
    idx = load_index(s.index_dir)
    docs = {c.doc for c in idx.chunks}
    assert "004_6549651109aa6bb6.txt" not in docs and "new.md" in docs
    assert any("夜门诊延长到晚上九点" in c.text for c in idx.chunks)


def test_bad_files_are_reported_and_the_good_ones_still_ingest(make_settings, seed_corpus):
    s = make_settings()
    (seed_corpus / "empty.txt").write_bytes(b"")
    (seed_corpus / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (seed_corpus / "notes.xyz").write_text("hello", encoding="utf-8")
    (seed_corpus / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    r = build(s)
    reasons = {x.path: x.reason for x in r.skipped}
    assert r.documents == 5
    assert reasons["empty.txt"].startswith("empty file")
    assert reasons["binary.txt"].startswith("binary or undecodable content")
    assert reasons["notes.xyz"].startswith("unsupported file type '.xyz'")
    assert reasons["broken.pdf"].startswith("corrupt PDF")
    assert build(s).status == "unchanged"  # unchanged bad files do not force a rebuild


def test_a_bad_upload_loses_nothing_already_indexed(make_settings, seed_corpus):
    s = make_settings()
    build(s)
    before = [c.id for c in load_index(s.index_dir).chunks]
    (seed_corpus / "upload.docx").write_bytes(b"PK\x03\x04 not really a docx")
    r = build(s)
    assert [x.path for x in r.skipped] == ["upload.docx"]
    assert [c.id for c in load_index(s.index_dir).chunks] == before


def test_nothing_ingestible_fails_and_keeps_the_old_index(make_settings, seed_corpus, tmp_path):
    s = make_settings()
    build(s)
    for p in seed_corpus.glob("*.txt"):
        p.write_bytes(b"")
    r = build(s)
    assert r.status == "failed"
    assert len(load_index(s.index_dir).manifest["documents"]) == 5


def test_manifest_mismatch_is_refused_with_what_to_run(make_settings, seed_corpus):
    s = make_settings()
    build(s)
    m = read_manifest(s.index_dir)
    expected = {"model": {**m["model"], "checksum": "another-model"}}
    with pytest.raises(IndexMismatch, match=r"embedding model .* rebuild it with `python -m ingest --index .* --rebuild`"):
        load_index(s.index_dir, expected)
    with pytest.raises(IndexMismatch, match="chunker settings"):
        load_index(s.index_dir, {"chunker": {**m["chunker"], "chunk_size": 999}})


def test_missing_and_corrupt_indexes_say_what_to_run(make_settings, seed_corpus):
    s = make_settings()
    with pytest.raises(IndexMissing, match="no index at .*: build it with `python -m ingest"):
        load_index(s.index_dir)
    build(s)
    folder = s.index_dir / (s.index_dir / "CURRENT").read_text().strip()
    (folder / "vectors.npy").write_bytes(b"garbage")
    with pytest.raises(IndexCorrupt, match="is damaged .* --rebuild"):
        load_index(s.index_dir)


def test_changed_chunk_settings_trigger_a_full_rechunk(make_settings, seed_corpus):
    build(make_settings())
    r = build(make_settings(chunk_size=150, chunk_max=225))
    assert r.status == "updated" and len(r.changed) + len(r.added) == 5
    assert load_index(make_settings().index_dir).manifest["chunker"]["chunk_size"] == 150


def test_a_new_chunker_reembeds_only_the_chunks_whose_text_changed(make_settings, seed_corpus):
    first = build(make_settings())
    r = build(make_settings(table_rows_max=3))  # splits only the table chunks
    assert r.status == "updated" and len(r.changed) + len(r.added) == 5  # every document re-chunked
    assert 0 < r.embedded < r.chunks // 4 < first.embedded
    reused = load_index(make_settings().index_dir)
    fresh = build(make_settings(table_rows_max=3), rebuild=True)
    assert fresh.embedded == fresh.chunks == r.chunks
    rebuilt = load_index(make_settings().index_dir)
    assert [c.id for c in reused.chunks] == [c.id for c in rebuilt.chunks]
    assert np.allclose(reused.vectors, rebuilt.vectors)  # a reused vector is the one the text would get


def test_hnsw_is_chosen_above_the_threshold(make_settings, seed_corpus):
    s = make_settings(ann_threshold=10)
    build(s)
    idx = load_index(s.index_dir)
    assert idx.manifest["faiss"]["type"] == "hnsw" and idx.manifest["faiss"]["m"] == 32
    q = HashEmbedder().embed(["家庭医生签约率"], "query")
    assert idx.faiss.search(q, 5)[1].shape == (1, 5)


def test_cli_summary_and_exit_status(seed_corpus, tmp_path):
    env = {**os.environ, "HPQA_EMBEDDER": "hash"}
    cmd = [sys.executable, "-m", "ingest", "--corpus", str(seed_corpus), "--index", str(tmp_path / "ix"), "--quiet"]
    (seed_corpus / "empty.txt").write_bytes(b"")
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "5 documents" in out.stdout and "skipped empty.txt: empty file" in out.stdout
    again = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "up to date" in again.stdout
    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / "a.txt").write_bytes(b"")
    bad = subprocess.run(cmd[:4] + [str(empty), "--index", str(tmp_path / "iy"), "--quiet"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1 and "nothing could be ingested" in bad.stdout


def test_real_model_and_faiss_find_the_family_doctor_rate(real_index):
    settings, embedder = real_index
    idx = load_index(settings.index_dir, {"model": read_manifest(settings.index_dir)["model"]})
    assert idx.manifest["model"]["name"] == "multilingual-e5-small" and idx.vectors.shape[1] == 384
    q = embedder.embed(["金山区家庭医生“1+1+1”签约率是多少？"], "query")
    _, ids = idx.faiss.search(q, 10)
    assert any("49.13%" in idx.chunks[i].text for i in ids[0])
    assert np.allclose(np.linalg.norm(idx.vectors, axis=1), 1.0, atol=1e-3)


def test_a_killed_ingest_leaves_the_previous_index_loadable(real_index, tmp_path):
    """SIGKILL the real-model ingest while it embeds; the old version must still load."""
    import shutil

    settings, _ = real_index
    index_dir = tmp_path / "index"
    shutil.copytree(settings.index_dir, index_dir)
    before = load_index(index_dir)
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    for p in corpus.glob("00[0-3]*.txt"):  # force lots of re-embedding
        p.write_text(p.read_text(encoding="utf-8").replace("。", "。\n\n"), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "ingest", "--corpus", str(corpus), "--index", str(index_dir)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "HPQA_EMBEDDER": "e5"})
    deadline = time.time() + 240
    seen = ""
    while time.time() < deadline and "embedding" not in seen:
        seen += proc.stderr.read(1)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert "embedding" in seen, "the ingest never started embedding"
    after = load_index(index_dir)
    assert after.folder == before.folder and [c.id for c in after.chunks] == [c.id for c in before.chunks]
    assert json.loads((after.folder / "manifest.json").read_text())["counts"]["chunks"] == len(before.chunks)
