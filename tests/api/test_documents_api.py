"""Upload, list, ask, delete over HTTP with the real e5 model; queries keep answering while the index changes."""
from __future__ import annotations

import subprocess
import sys
import threading
import time

import httpx
import pytest

from tests.api.apikit import ADMIN, auth

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
TASKS = "".join(f"{i}、第{i}项重点任务：在宝山区新建社区健康小屋{i + 3}个，年内服务居民{i * 137}人次。\n\n" for i in range(1, 120))
NEW_DOC = ("宝山区2026年智慧健康驿站建设方案\n\n一、总体目标\n\n到2026年底，宝山区建成智慧健康驿站27个，"
           "覆盖全部街镇。\n\n二、重点任务\n\n" + TASKS).encode("utf-8")
FORM = {"title": "宝山区2026年智慧健康驿站建设方案", "district": "宝山区", "year_from": "2026",
        "doc_type": "work_programme", "published": "2026-01-15"}


@pytest.fixture(scope="module")
def server(e5_dirs, tmp_path_factory):
    from bench.api_server import ApiServer

    index_dir, corpus_dir = e5_dirs
    with ApiServer(index_dir, corpus_dir, rate_limit=0, env={"HPQA_EMBEDDER": "e5"},
                   log_path=tmp_path_factory.mktemp("docs-api") / "api.log") as s:
        yield s


def _hammer(url: str, stop: threading.Event, out: list):
    with httpx.Client(timeout=60) as c:
        while not stop.is_set():
            r = c.get(url + "/search", params={"q": "家庭医生签约率", "k": 3}, headers=auth())
            out.append((r.status_code, c.get(url + "/health").json()["index"].get("version")))


def test_upload_is_ingested_while_queries_keep_answering_then_delete_removes_it(server):
    url = server.url
    version0 = httpx.get(url + "/health").json()["index"]["version"]
    seen: list = []
    stop = threading.Event()
    t = threading.Thread(target=_hammer, args=(url, stop, seen))
    t.start()
    try:
        time.sleep(1)
        r = httpx.post(url + "/documents", headers=auth(ADMIN), files={"file": ("驿站方案.txt", NEW_DOC)}, data=FORM,
                       timeout=600)
    finally:
        time.sleep(1)
        stop.set()
        t.join()
    assert r.status_code == 201, r.text
    up = r.json()
    assert up["document"] == "驿站方案.txt" and up["status"] == "indexed" and up["chunks"] > 10
    assert up["ingest"]["added"] == ["驿站方案.txt"] and up["ingest"]["embedded"] == up["chunks"]
    assert seen and all(status == 200 for status, _ in seen), seen[:5]
    versions = [v for _, v in seen]
    assert versions[0] == version0 and versions[-1] != version0  # answered from the old index, then the new one

    a = httpx.post(url + "/ask", json={"question": "宝山区计划建成多少个智慧健康驿站？"}, headers=auth(), timeout=60).json()
    assert any(c["doc"] == "驿站方案.txt" for c in a["citations"]) and "27" in a["text"]
    rows = {row["file"]: row for row in httpx.get(url + "/documents", headers=auth()).json()}
    assert rows["驿站方案.txt"]["title"] == FORM["title"] and rows["驿站方案.txt"]["status"] == "indexed"

    again = httpx.post(url + "/documents", headers=auth(ADMIN), files={"file": ("驿站方案.txt", NEW_DOC)}, data=FORM)
    assert again.status_code == 409 and "already exists" in again.json()["error"]

    d = httpx.delete(url + "/documents/驿站方案.txt", headers=auth(ADMIN), timeout=600)
    assert d.status_code == 200 and d.json()["ingest"]["removed"] == ["驿站方案.txt"]
    assert "驿站方案.txt" not in {row["file"] for row in httpx.get(url + "/documents", headers=auth()).json()}
    a = httpx.post(url + "/ask", json={"question": "宝山区计划建成多少个智慧健康驿站？"}, headers=auth(), timeout=60).json()
    assert all(c["doc"] != "驿站方案.txt" for c in a["citations"])
    assert httpx.delete(url + "/documents/驿站方案.txt", headers=auth(ADMIN)).status_code == 404


def test_an_ingest_run_beside_the_server_goes_live_without_a_restart(server, e5_dirs):
    index_dir, corpus_dir = e5_dirs
    before = httpx.get(server.url + "/health").json()["index"]["version"]
    (corpus_dir / "附加.txt").write_bytes(NEW_DOC)
    try:
        done = subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(corpus_dir), "--index", str(index_dir),
                               "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=600,
                              env={**__import__("os").environ, "HPQA_EMBEDDER": "e5"})
        assert done.returncode == 0, done.stderr
        deadline = time.time() + 60
        while time.time() < deadline and httpx.get(server.url + "/health").json()["index"]["version"] == before:
            assert httpx.get(server.url + "/search", params={"q": "驿站"}, headers=auth()).status_code == 200
            time.sleep(0.5)
        health = httpx.get(server.url + "/health").json()
        assert health["index"]["version"] != before and health["index"]["documents"] == 6
    finally:
        (corpus_dir / "附加.txt").unlink()
