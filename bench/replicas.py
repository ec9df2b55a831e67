"""Benchmark: two API replicas over one PostgreSQL + pgvector database, under load.

Starts a throwaway pgserver cluster (or uses HPQA_PG_DSN), syncs a copy of the
live index (data/index) into a pgvector table and starts two `python -m api`
processes on two loopback ports with HPQA_VECTOR_STORE=pgvector, each with its own
empty index and corpus folders: they share only the database (vectors, the index
snapshot, the corpus). Then prints
1. how many dev questions get the same answer (text, citations) from both;
2. the time from an upload through replica A returning to replica B finding the
   document, and the same for its deletion through B seen from A;
3. the load test of the API issue (bench/api_load.py: closed-loop clients, each
   sending its next request when the last returns, dev questions, one key per
   client, rate limit on, no answer cache) against both replicas at once, half
   the `--clients` on each, for `--seconds` against /search, then /ask:
   requests/s, errors, p50/p95/p99 per replica.
Loopback only; bounded by --seconds.
    .venv/bin/python -m bench.replicas [--clients 50] [--seconds 60]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
USER, ADMIN = "bench-user", "bench-admin"
TABLE = "bench_replicas"


async def load_both(urls: list[str], route: str, clients: int, seconds: float, questions: list[str]) -> list[dict]:
    """The API issue's closed-loop load test (bench/api_load.py: run_route), half the clients on each replica, at once."""
    from bench.api_load import run_route

    share = [clients // len(urls) + (i < clients % len(urls)) for i in range(len(urls))]
    return list(await asyncio.gather(*(run_route(url, route, n, seconds, questions, seed=11 + 1000 * i)
                                       for i, (url, n) in enumerate(zip(urls, share)))))


def index_backend(index_dir: Path) -> str:
    """The embedding backend the index was built with (older manifests: torch), so the servers match it."""
    from index.store import read_manifest

    return (read_manifest(index_dir) or {}).get("model", {}).get("backend", "torch")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=50, help="concurrent closed-loop clients, split over the replicas")
    p.add_argument("--seconds", type=float, default=60, help="duration of each route's load run")
    p.add_argument("--compare", type=int, default=30, help="dev questions whose answers are compared")
    args = p.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import httpx

    from bench.api_server import ApiServer
    from index.build import update_index
    from index.embed import make_embedder
    from settings import Settings

    settings = Settings()
    questions = [json.loads(line)["question"]
                 for line in (ROOT / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    work = Path(tempfile.mkdtemp(prefix="bench-replicas-"))
    from bench.common import postgres

    stop_pg = lambda: None  # noqa: E731 - replaced once the database is up
    try:
        dsn, stop_pg = postgres()
        shutil.copytree(settings.index_dir, work / "index")
        shutil.copytree(settings.corpus_dir, work / "corpus")
        pg = settings.model_copy(update={"vector_store": "pgvector", "pg_dsn": dsn, "pg_table": TABLE,
                                         "index_dir": work / "index", "corpus_dir": work / "corpus"})
        t = time.perf_counter()  # an ingest with the replicas' settings: re-embeds only if the copy is stale
        report = update_index(pg, make_embedder(pg))
        print(f"ingest of the corpus copy ({report.status}, {report.chunks} chunks, {report.embedded} embedded) "
              f"synced into pgvector in {time.perf_counter() - t:.1f} s")
        env = {"HPQA_VECTOR_STORE": "pgvector", "HPQA_PG_DSN": dsn, "HPQA_PG_TABLE": TABLE}
        keys = ",".join([USER] + [f"load-{i}" for i in range(args.clients)])  # bench/api_load.py: one key per client
        a = ApiServer(work / "a-index", work / "a-corpus", keys=keys, admin_keys=ADMIN, env=env,
                      log_path=work / "replica-a.log")
        b = ApiServer(work / "b-index", work / "b-corpus", keys=keys, admin_keys=ADMIN, env=env,
                      log_path=work / "replica-b.log")
        with a, b, httpx.Client(timeout=300) as http:
            print(f"two replicas on {a.url} and {b.url}, own empty folders, one database holding a copy of "
                  f"{settings.index_dir} and its corpus ({a.proc.pid}, {b.proc.pid})")
            auth = {"Authorization": f"Bearer {USER}"}
            same = 0
            for q in questions[:args.compare]:
                rs = [http.post(s.url + "/ask", json={"question": q}, headers=auth) for s in (a, b)]
                if any(r.status_code != 200 for r in rs):
                    raise SystemExit(f"/ask failed: {[(r.status_code, r.text[:300]) for r in rs]}")
                x, y = (r.json() for r in rs)
                same += (x["text"], [c["quote"] for c in x["citations"]]) == (y["text"], [c["quote"] for c in y["citations"]])
            print(f"same answer and citations from both replicas: {same}/{args.compare} dev questions")

            name = f"replica_bench_{int(time.time())}.txt"
            body = "金山区夜间门诊工作简报\n\n金山区2026年社区卫生服务中心夜间门诊覆盖率达到87.65%，新增智慧药柜42台。\n"
            probe = "金山区夜间门诊覆盖率和智慧药柜"

            def b_sees(server, present: bool) -> float:
                t = time.perf_counter()
                while time.perf_counter() - t < 60:
                    hits = http.get(server.url + "/search", params={"q": probe, "k": 5}, headers=auth).json()["hits"]
                    if (name in [h["chunk"]["doc"] for h in hits]) == present:
                        return time.perf_counter() - t
                    time.sleep(0.1)
                return float("inf")

            t = time.perf_counter()
            r = http.post(a.url + "/documents", headers={"Authorization": f"Bearer {ADMIN}"},
                          files={"file": (name, body.encode("utf-8"), "text/plain")},
                          data={"title": "金山区夜间门诊工作简报", "district": "金山区", "year_from": "2026",
                                "doc_type": "work_summary"})
            upload_s = time.perf_counter() - t
            seen = b_sees(b, True)
            print(f"upload through A: HTTP {r.status_code} in {upload_s:.1f} s; visible through B {seen:.1f} s later")
            t = time.perf_counter()
            r = http.delete(b.url + f"/documents/{name}", headers={"Authorization": f"Bearer {ADMIN}"})
            delete_s = time.perf_counter() - t
            gone = b_sees(a, False)
            print(f"delete through B: HTTP {r.status_code} in {delete_s:.1f} s; gone from A {gone:.1f} s later")

            for route in ("/search", "/ask"):
                res = asyncio.run(load_both([a.url, b.url], route, args.clients, args.seconds, questions))
                print(f"load {route}: {args.clients} closed-loop clients over 2 replicas for {args.seconds:.0f} s: "
                      f"{sum(r['requests'] for r in res)} requests, errors {sum(r['errors'] for r in res)}, "
                      f"{sum(r['rps'] for r in res):.1f} requests/s in all; " + "; ".join(
                          f"replica {n}: {r['rps']:.1f}/s p50 {r['p50']:.0f} ms p95 {r['p95']:.0f} ms p99 {r['p99']:.0f} ms"
                          + (f" errors {r['error_kinds']}" if r["errors"] else "") for n, r in zip("AB", res)))
    finally:
        stop_pg()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
