"""Keys, roles, rate limits, size limits, request ids and logs, on a real server (hash embedder, 5 req/s per key)."""
from __future__ import annotations

import json
import time

import httpx
import pytest

from tests.api.apikit import ADMIN, USER, auth

PROTECTED = [("POST", "/ask", {"json": {"question": "签约率"}}), ("GET", "/search?q=签约率", {}),
             ("GET", "/documents", {}), ("GET", "/commitments", {}),
             ("POST", "/documents", {"files": {"file": ("a.txt", b"x")}}), ("DELETE", "/documents/a.txt", {})]


@pytest.mark.parametrize("method, path, kw", PROTECTED)
def test_no_key_is_401_with_a_clear_error(hash_server, client, method, path, kw):
    r = client.request(method, hash_server.url + path, **kw)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    body = r.json()
    assert "Authorization: Bearer" in body["error"] and body["status"] == 401
    assert body["request_id"] == r.headers["x-request-id"]


@pytest.mark.parametrize("method, path, kw", PROTECTED)
def test_an_unknown_key_is_403(hash_server, client, method, path, kw):
    r = client.request(method, hash_server.url + path, headers=auth("not-a-key"), **kw)
    assert r.status_code == 403 and "unknown API key" in r.json()["error"]


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Token user-key", "user-key"])
def test_a_malformed_authorization_header_is_401(hash_server, client, header):
    r = client.get(hash_server.url + "/documents", headers={"Authorization": header})
    assert r.status_code == 401 and "Bearer" in r.json()["error"]


def test_a_user_key_may_read_but_not_change_documents(hash_server, client):
    assert client.get(hash_server.url + "/documents", headers=auth(USER)).status_code == 200
    r = client.delete(hash_server.url + "/documents/000_0426b2a34853e0bc.txt", headers=auth(USER))
    assert r.status_code == 403 and "ADMIN_API_KEYS" in r.json()["error"]
    r = client.post(hash_server.url + "/documents", headers=auth(USER), files={"file": ("a.txt", b"hello")},
                    data={"title": "t", "district": "金山区", "year_from": "2024"})
    assert r.status_code == 403
    assert len(client.get(hash_server.url + "/documents", headers=auth(ADMIN)).json()) == 5  # nothing was deleted


def test_health_and_the_schema_need_no_key(hash_server, client):
    assert client.get(hash_server.url + "/health").json()["ready"] is True
    assert client.get(hash_server.url + "/openapi.json").status_code == 200


def test_a_burst_past_the_rate_limit_gets_429_with_retry_after_for_that_key_only(hash_dirs, tmp_path, client):
    from bench.api_server import ApiServer

    index_dir, corpus_dir = hash_dirs
    with ApiServer(index_dir, corpus_dir, keys="burst-key,bystander-key", rate_limit=5, log_path=tmp_path / "api.log",
                   env={"HPQA_EMBEDDER": "hash"}) as server:
        statuses = [client.get(server.url + "/documents", headers=auth("burst-key")) for _ in range(15)]
        codes = [r.status_code for r in statuses]
        assert codes.count(200) >= 5 and codes.count(429) >= 1 and set(codes) <= {200, 429}
        limited = next(r for r in statuses if r.status_code == 429)
        assert int(limited.headers["retry-after"]) >= 1 and "rate limit of 5 requests per second" in limited.json()["error"]
        assert client.get(server.url + "/documents", headers=auth("bystander-key")).status_code == 200
        time.sleep(1.2)
        assert client.get(server.url + "/documents", headers=auth("burst-key")).status_code == 200


def test_a_large_json_body_is_413_before_it_is_read(hash_server, client):
    r = client.post(hash_server.url + "/ask", headers=auth(), json={"question": "问" * 400_000})
    assert r.status_code == 413 and "1,048,576 bytes allowed" in r.json()["error"]


def test_a_large_chunked_body_without_content_length_is_413(hash_server, client):
    def body():
        yield b'{"question": "'
        for _ in range(100):
            yield b"x" * 20_000
        yield b'"}'

    r = client.post(hash_server.url + "/ask", headers={**auth(), "content-type": "application/json"}, content=body())
    assert r.status_code == 413


def test_an_upload_over_the_file_limit_is_413(hash_server, client):
    big = b"a" * 1_200_000  # the server runs with HPQA_MAX_FILE_MB=1
    r = client.post(hash_server.url + "/documents", headers=auth(ADMIN), files={"file": ("big.txt", big)},
                    data={"title": "t", "district": "金山区", "year_from": "2024"})
    assert r.status_code == 413


def test_the_request_id_is_echoed_and_logged_as_json_without_the_key(hash_server, client):
    r = client.get(hash_server.url + "/documents", headers={**auth(), "X-Request-ID": "trace-abc.123"})
    assert r.headers["x-request-id"] == "trace-abc.123"
    time.sleep(0.2)
    lines = [json.loads(line) for line in hash_server.log_path.read_text(encoding="utf-8").splitlines()
             if line.startswith("{")]
    mine = [x for x in lines if x.get("request_id") == "trace-abc.123"]
    assert mine and mine[-1]["status"] == 200 and mine[-1]["path"] == "/documents" and mine[-1]["key_id"]
    assert USER not in hash_server.log_path.read_text(encoding="utf-8")


def test_a_request_id_with_odd_characters_is_replaced(hash_server, client):
    r = client.get(hash_server.url + "/health", headers={"X-Request-ID": "a b\tc"})
    assert r.headers["x-request-id"] != "a b\tc" and len(r.headers["x-request-id"]) == 32


def test_malformed_json_is_400_and_wrong_types_are_422_naming_the_field(hash_server, client):
    r = client.post(hash_server.url + "/ask", headers={**auth(), "content-type": "application/json"}, content=b"{oops")
    assert r.status_code == 400 and "malformed JSON" in r.json()["error"]
    r = client.post(hash_server.url + "/ask", headers=auth(), json={"question": 42})
    assert r.status_code == 422 and r.json()["error"].startswith("question:")
    r = client.post(hash_server.url + "/ask", headers=auth(), json={"question": "签约率", "filters": {"year": "soon"}})
    assert r.status_code == 422 and "filters.year" in r.json()["error"]


def test_an_unknown_route_is_a_json_404_and_a_wrong_method_405(hash_server, client):
    r = client.get(hash_server.url + "/nowhere", headers=auth())
    assert r.status_code == 404 and r.json()["status"] == 404
    r = client.put(hash_server.url + "/ask", headers=auth())
    assert r.status_code == 405


def test_a_keyless_server_refuses_everything_but_health(hash_dirs, tmp_path):
    from bench.api_server import ApiServer

    index_dir, corpus_dir = hash_dirs
    with ApiServer(index_dir, corpus_dir, keys="", admin_keys="", env={"HPQA_EMBEDDER": "hash"},
                   log_path=tmp_path / "api.log") as server:
        assert httpx.get(server.url + "/health").status_code == 200
        assert httpx.get(server.url + "/documents").status_code == 401
        assert httpx.get(server.url + "/documents", headers=auth(USER)).status_code == 403
    assert "API_KEYS and ADMIN_API_KEYS are empty" in (tmp_path / "api.log").read_text(encoding="utf-8")
