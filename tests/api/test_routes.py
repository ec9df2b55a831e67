"""The routes on a real server over the real e5 index: the same answers and hits as the library."""
from __future__ import annotations

import dataclasses
import json

import pytest

from tests.api.apikit import ADMIN, auth, parse_sse

QUESTION = "金山区家庭医生签约率是多少？"


@pytest.fixture(scope="module")
def library(e5_dirs):
    """The library's own answerer on the same index and corpus as the server."""
    from answer.generate import make_generator
    from answer.pipeline import Answerer
    from index.embed import make_embedder
    from index.search import Searcher
    from index.store import load_index
    from settings import Settings

    index_dir, corpus_dir = e5_dirs
    settings = Settings(_env_file=None, index_dir=index_dir, corpus_dir=corpus_dir, embedder="e5")
    searcher = Searcher(load_index(index_dir), make_embedder(settings))
    return Answerer(searcher, make_generator("extractive", settings), settings)


def _without_timings(d: dict) -> dict:
    return {k: v for k, v in d.items() if k != "timings_ms"}


def test_ask_returns_the_library_answer_field_for_field(e5_server, client, library):
    r = client.post(e5_server.url + "/ask", json={"question": QUESTION}, headers=auth())
    assert r.status_code == 200, r.text
    got = r.json()
    want = json.loads(json.dumps(dataclasses.asdict(library.answer(QUESTION)), ensure_ascii=False))
    assert set(got) == {f.name for f in dataclasses.fields(type(library.answer(QUESTION)))}
    assert "49.13%" in got["text"] and got["citations"] and not got["refused"]
    got["retrieved"] = [{**h, "score": round(h["score"], 4)} for h in got["retrieved"]]
    want["retrieved"] = [{**h, "score": round(h["score"], 4)} for h in want["retrieved"]]
    for h in got["retrieved"] + want["retrieved"]:
        h.pop("dense"), h.pop("bm25")
    assert _without_timings(got) == _without_timings(want)


def test_ask_with_history_and_filters_rewrites_the_follow_up(e5_server, client):
    body = {"question": "那宝山呢？", "history": [{"role": "user", "content": QUESTION},
                                                 {"role": "assistant", "content": "签约率49.13%[1]"}],
            "filters": {"district": "宝山区"}}
    r = client.post(e5_server.url + "/ask", json=body, headers=auth())
    assert r.status_code == 200, r.text
    a = r.json()
    assert "宝山" in a["standalone_question"] and a["standalone_question"] != "那宝山呢？"
    assert a["retrieved"] and all(h["meta"]["district"] == "宝山区" for h in a["retrieved"])


def test_a_question_the_documents_cannot_answer_is_refused(e5_server, client):
    r = client.post(e5_server.url + "/ask", json={"question": "嘉定区2024年家庭医生签约率是多少？"}, headers=auth())
    assert r.status_code == 200 and r.json()["refused"] is True and r.json()["reason"]


def test_ask_streams_tokens_then_citations_then_done(e5_server, client):
    headers = {**auth(), "Accept": "text/event-stream"}
    with client.stream("POST", e5_server.url + "/ask", json={"question": QUESTION}, headers=headers) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(r.read().decode("utf-8"))
    names = [n for n, _ in events]
    assert names[-2:] == ["citations", "done"] and set(names[:-2]) == {"token"} and len(names) >= 3
    done = events[-1][1]
    assert "".join(d["text"] for n, d in events if n == "token") == done["text"]
    assert events[-2][1]["citations"] == done["citations"] and done["citations"]
    plain = client.post(e5_server.url + "/ask", json={"question": QUESTION}, headers=auth()).json()
    assert _without_timings(done) == _without_timings(plain)


def test_search_returns_ranked_hits_with_filters(e5_server, client):
    r = client.get(e5_server.url + "/search", params={"q": QUESTION, "k": 5}, headers=auth())
    assert r.status_code == 200, r.text
    hits = r.json()["hits"]
    # the actual rate ranks 4th, under three plan passages on family-doctor sign-up (expansion_weight 0.35)
    assert len(hits) == 5 and any("49.13%" in h["chunk"]["text"] for h in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    r = client.get(e5_server.url + "/search", params={"q": QUESTION, "district": "闵行区", "year": "", "doc_type": ""},
                   headers=auth())
    assert r.status_code == 200 and all(h["meta"]["district"] == "闵行区" for h in r.json()["hits"])


def test_documents_lists_the_corpus_with_index_status(e5_server, client):
    rows = client.get(e5_server.url + "/documents", headers=auth()).json()
    assert len(rows) == 5 and {r["status"] for r in rows} == {"indexed"} and all(r["chunks"] > 0 for r in rows)


def test_commitments_answers_with_the_tracker_or_a_documented_503(e5_server, client):
    r = client.get(e5_server.url + "/commitments", headers=auth())
    health = client.get(e5_server.url + "/health").json()
    if health["commitments"]:
        assert r.status_code == 200 and isinstance(r.json(), list)
    else:
        assert r.status_code == 503 and "commitment tracker is not installed" in r.json()["error"]


def test_health_needs_no_key_and_reports_the_index(e5_server, client):
    h = client.get(e5_server.url + "/health").json()
    assert h["status"] == "ok" and h["ready"] and h["index"]["documents"] == 5 and h["index"]["chunks"] > 0


def test_openapi_documents_every_status_each_route_returns(e5_server, client):
    spec = client.get(e5_server.url + "/openapi.json").json()
    paths = spec["paths"]
    need = {("post", "/ask"): {"200", "400", "401", "403", "413", "422", "429", "503"},
            ("get", "/search"): {"200", "401", "403", "413", "422", "429", "503"},
            ("get", "/documents"): {"200", "401", "403", "413", "429"},
            ("post", "/documents"): {"201", "400", "401", "403", "409", "413", "415", "422", "429", "503"},
            ("delete", "/documents/{name}"): {"200", "401", "403", "404", "409", "413", "422", "429", "503"},
            ("get", "/commitments"): {"200", "401", "403", "413", "429", "503"},
            ("get", "/health"): {"200"}}
    for (method, path), codes in need.items():
        assert set(paths[path][method]["responses"]) >= codes, (method, path)
    assert "text/event-stream" in paths["/ask"]["post"]["responses"]["200"]["content"]
