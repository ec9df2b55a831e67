"""Two API replicas (`python -m api` on two ports) over one PostgreSQL + pgvector database.

Both serve one index with `HPQA_VECTOR_STORE=pgvector` and share nothing but the
database: each has its own, initially empty, index and corpus folders; the dense
vectors come from the shared table, the index version and the corpus from the
snapshot tables (docs/scale_out.md). They must give the same answers, a document
added or deleted through one must be searchable (or gone) through the other, and
uploads through both at once must all survive (one writer lock across replicas). The servers
use the hash embedder (same protocol, starts in seconds) to keep the default run
fast; the real e5 model against pgvector is tested in
tests/index/test_vector_store_contract.py, and `python -m bench.replicas` runs two
e5 replicas under load.
"""
from __future__ import annotations

import json
import shutil
import time
import uuid
from pathlib import Path

import httpx
import pytest

from bench.api_server import ApiServer
from tests.pgkit import pg_dsn  # noqa: F401  (a real cluster for the session)

ROOT = Path(__file__).resolve().parents[2]
USER, ADMIN = "user-key", "admin-key"
TABLE = "replicas_test"


def auth(key: str = USER) -> dict:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture(scope="module")
def replicas(pg_dsn, tmp_path_factory):  # noqa: F811
    from index.build import update_index
    from index.embed import HashEmbedder
    from settings import Settings

    base = tmp_path_factory.mktemp("replicas")
    shutil.copytree(ROOT / "corpus", base / "corpus")
    for p in (base / "corpus").iterdir():
        p.chmod(0o644)
    settings = Settings(_env_file=None, embedder="hash", index_dir=base / "index", corpus_dir=base / "corpus",
                        vector_store="pgvector", pg_dsn=pg_dsn, pg_table=TABLE)
    # The operator's one ingest: the shared table, the index snapshot and the corpus go to the database.
    assert update_index(settings, HashEmbedder()).status == "updated"
    env = {"HPQA_EMBEDDER": "hash", "HPQA_VECTOR_STORE": "pgvector", "HPQA_PG_DSN": pg_dsn, "HPQA_PG_TABLE": TABLE}
    a = ApiServer(base / "a-index", base / "a-corpus", keys=USER, admin_keys=ADMIN, rate_limit=0, env=env,
                  log_path=base / "replica-a.log")
    b = ApiServer(base / "b-index", base / "b-corpus", keys=USER, admin_keys=ADMIN, rate_limit=0, env=env,
                  log_path=base / "replica-b.log")
    with a, b:
        yield a, b, pg_dsn


def _table_scans(dsn: str) -> int:
    """Reads of the vector table so far (at 243 rows the planner rightly scans it instead of using HNSW)."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as c:
        return c.execute("SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables "
                         "WHERE relname = %s", (TABLE,)).fetchone()[0]


def _table_rows(dsn: str, doc: str) -> int:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as c:
        return c.execute(f"SELECT count(*) FROM {TABLE} WHERE doc = %s", (doc,)).fetchone()[0]


def test_two_replicas_give_the_same_answers_from_the_shared_table(replicas):
    a, b, dsn = replicas
    questions = [json.loads(line)["question"]
                 for line in (ROOT / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:6]]
    scans_before = _table_scans(dsn)
    with httpx.Client(timeout=120) as client:
        for q in questions:
            answers = [client.post(s.url + "/ask", json={"question": q}, headers=auth()).json() for s in (a, b)]
            assert answers[0]["text"] == answers[1]["text"] and answers[0]["refused"] == answers[1]["refused"], q
            assert [(c["doc"], c["quote"]) for c in answers[0]["citations"]] == \
                   [(c["doc"], c["quote"]) for c in answers[1]["citations"]]
            hits = [client.get(s.url + "/search", params={"q": q, "k": 5}, headers=auth()).json()["hits"] for s in (a, b)]
            assert [h["chunk"]["id"] for h in hits[0]] == [h["chunk"]["id"] for h in hits[1]]
            assert [h["score"] for h in hits[0]] == pytest.approx([h["score"] for h in hits[1]], abs=1e-6)
    deadline = time.time() + 10
    while _table_scans(dsn) <= scans_before and time.time() < deadline:  # statistics are flushed within ~1 s
        time.sleep(0.5)
    assert _table_scans(dsn) > scans_before, "the replicas did not search the pgvector table"
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as c:
        clients = {r[0] for r in c.execute("SELECT application_name FROM pg_stat_activity")}
    assert {f"hpqa pid {a.proc.pid}", f"hpqa pid {b.proc.pid}"} <= clients  # both replica processes are connected


def _search_docs(client: httpx.Client, server: ApiServer, q: str) -> list[str]:
    r = client.get(server.url + "/search", params={"q": q, "k": 5}, headers=auth())
    assert r.status_code == 200, r.text
    return [h["chunk"]["doc"] for h in r.json()["hits"]]


def _wait_for(predicate, seconds: float = 30.0) -> float:
    t0 = time.time()
    while not predicate():
        if time.time() - t0 > seconds:
            raise AssertionError(f"not visible after {seconds} s")
        time.sleep(0.3)
    return time.time() - t0


def test_an_upload_through_one_replica_is_searchable_through_the_other_and_so_is_its_deletion(replicas):
    a, b, dsn = replicas
    tag = uuid.uuid4().hex[:6]
    name = f"replica_{tag}.txt"
    fact = "金山区2026年社区卫生服务中心夜间门诊覆盖率达到87.65%，新增智慧药柜42台。"
    body = f"金山区夜间门诊工作简报\n\n一、总体情况\n\n{fact}\n\n二、下一步\n\n继续推进夜间门诊和智慧药柜建设。\n"
    question = "金山区夜间门诊覆盖率和智慧药柜"
    with httpx.Client(timeout=300) as client:
        assert name not in _search_docs(client, b, question)
        r = client.post(a.url + "/documents", headers=auth(ADMIN),
                        files={"file": (name, body.encode("utf-8"), "text/plain")},
                        data={"title": "金山区夜间门诊工作简报", "district": "金山区", "year_from": "2026",
                              "doc_type": "work_summary"})
        assert r.status_code == 201, r.text
        assert _table_rows(dsn, name) >= 1  # the ingest through A wrote the shared table
        _wait_for(lambda: name in _search_docs(client, b, question))
        r = client.post(b.url + "/ask", json={"question": "金山区2026年夜间门诊覆盖率是多少？"}, headers=auth())
        assert "87.65%" in r.json()["text"]
        cited = next(c for c in r.json()["citations"] if c["doc"] == name)
        original = (b.corpus_dir / name).read_text(encoding="utf-8")  # B's own copy, fetched from the database
        assert cited["quote"] in original[cited["start"]:cited["end"]] or "87.65%" in original[cited["start"]:cited["end"]]
        listed = client.get(b.url + "/documents", headers=auth()).json()
        assert any(row["file"] == name and row["status"] == "indexed" for row in listed)

        r = client.delete(b.url + f"/documents/{name}", headers=auth(ADMIN))
        assert r.status_code == 200, r.text
        assert _table_rows(dsn, name) == 0
        _wait_for(lambda: name not in _search_docs(client, a, question))


def test_uploads_through_both_replicas_at_once_all_survive(replicas):
    from concurrent.futures import ThreadPoolExecutor

    a, b, dsn = replicas
    tag = uuid.uuid4().hex[:6]
    docs = {a: (f"at_once_a_{tag}.txt", "宝山区2026年新建智慧健康驿站17家。"),
            b: (f"at_once_b_{tag}.txt", "闵行区2026年新增社区康复床位236张。")}

    def upload(server):
        name, fact = docs[server]
        with httpx.Client(timeout=300) as client:
            return client.post(server.url + "/documents", headers=auth(ADMIN),
                               files={"file": (name, f"工作简报\n\n{fact}\n".encode("utf-8"), "text/plain")},
                               data={"title": "工作简报", "district": "宝山区", "year_from": "2026",
                                     "doc_type": "work_summary"})

    with ThreadPoolExecutor(2) as pool:
        statuses = [r.status_code for r in pool.map(upload, (a, b))]
    assert statuses == [201, 201]
    names = {name for name, _ in docs.values()}
    with httpx.Client(timeout=120) as client:
        for server in (a, b):  # neither upload was built over a corpus missing the other
            _wait_for(lambda: names <= {row["file"] for row in client.get(server.url + "/documents", headers=auth()).json()
                                        if row["status"] == "indexed"})
        assert {_table_rows(dsn, n) > 0 for n in names} == {True}
        for server in (a, b):
            for n in names:
                client.delete(server.url + f"/documents/{n}", headers=auth(ADMIN))  # tidy: 404 on the second is fine
