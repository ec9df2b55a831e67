"""Load test of the HTTP API on loopback: 50 closed-loop clients for 60 s against /search, then /ask.

Each client sends its next request as soon as the last one returns, with a
question sampled from eval/dev.jsonl. Prints throughput, errors and
p50/p95/p99 latency per route. The server is the real `python -m api`
(uvicorn, one process) on an index of corpus/ built under out/api_bench/
(incremental: instant when unchanged). Every client has its own key, so the
per-key rate limit (API_RATE_LIMIT, default 100/s) stays on as in production.
Nothing is cached: the API has no response cache and the answerer caches only
document texts, so repeated questions cost the same as new ones.

    .venv/bin/python -m bench.api_load [--clients 50] [--seconds 60] [--nice 10]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.api_server import ROOT, ApiServer


def questions() -> list[str]:
    lines = (ROOT / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile.

    >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)
    10
    >>> percentile([1, 2, 3, 4], 0.5)
    2
    """
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(-(-q * len(ordered) // 1)) - 1))]


async def client_loop(c: httpx.AsyncClient, route: str, key: str, qs: list[str], rng: random.Random,
                      until: float, out: list) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    while time.perf_counter() < until:
        q = rng.choice(qs)
        t = time.perf_counter()
        try:
            if route == "/search":
                r = await c.get("/search", params={"q": q, "k": 5}, headers=headers)
            else:
                r = await c.post("/ask", json={"question": q}, headers=headers)
            status, ok = r.status_code, r.status_code == 200 and r.content
        except httpx.HTTPError as e:
            status, ok = type(e).__name__, False
        out.append((time.perf_counter() - t, status, bool(ok)))


async def run_route(url: str, route: str, clients: int, seconds: float, qs: list[str], seed: int) -> dict:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as c:
        for q in qs[:3]:  # warm-up, not measured
            await (c.get("/search", params={"q": q}, headers={"Authorization": "Bearer load-0"}) if route == "/search"
                   else c.post("/ask", json={"question": q}, headers={"Authorization": "Bearer load-0"}))
        out: list = []
        start = time.perf_counter()
        until = start + seconds
        await asyncio.gather(*(client_loop(c, route, f"load-{i}", qs, random.Random(seed + i), until, out)
                               for i in range(clients)))
        elapsed = time.perf_counter() - start
    lat = [d * 1000 for d, _, ok in out if ok]
    errors = [s for _, s, ok in out if not ok]
    return {"route": route, "requests": len(out), "errors": len(errors),
            "error_kinds": sorted({str(s) for s in errors}), "seconds": elapsed, "rps": len(lat) / elapsed,
            "p50": percentile(lat, 0.50) if lat else float("nan"), "p95": percentile(lat, 0.95) if lat else float("nan"),
            "p99": percentile(lat, 0.99) if lat else float("nan")}


def build_index(index_dir: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "ingest", "--index", str(index_dir), "--quiet"], cwd=ROOT,
                       capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    if r.returncode != 0:
        raise SystemExit(f"could not build the index:\n{r.stdout}\n{r.stderr}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def busy_others() -> str:
    """The load on the machine and the busiest processes, to judge contention from other work."""
    top = subprocess.run(["ps", "-eo", "pcpu,comm", "--sort=-pcpu"], capture_output=True, text=True).stdout.splitlines()
    return f"loadavg {os.getloadavg()[0]:.2f}; busiest: " + ", ".join(" ".join(x.split()) for x in top[1:5])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.api_load", description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=50, help="concurrent closed-loop clients (default 50)")
    p.add_argument("--seconds", type=float, default=60, help="measured seconds per route (default 60)")
    p.add_argument("--nice", type=int, default=10, help="niceness of the server (default 10: the cores are shared)")
    p.add_argument("--routes", default="/search,/ask", help="comma-separated routes (default /search,/ask)")
    p.add_argument("--work", type=Path, default=ROOT / "out" / "api_bench", help="index and log folder")
    args = p.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    build_index(args.work / "index")
    qs = questions()
    keys = ",".join(f"load-{i}" for i in range(args.clients))
    print(f"{args.clients} closed-loop clients, {args.seconds:g} s per route, {len(qs)} dev questions; "
          f"server niced {args.nice}, one uvicorn process, rate limit on (one key per client)")
    print("before:", busy_others())
    results = []
    with ApiServer(args.work / "index", ROOT / "corpus", keys=keys, admin_keys="", nice=args.nice,
                   log_path=args.work / "api.log") as server:
        for route in args.routes.split(","):
            cpu0 = cpu_seconds(server.proc.pid)
            result = asyncio.run(run_route(server.url, route, args.clients, args.seconds, qs, seed=11))
            result["server_cpu_ms"] = (cpu_seconds(server.proc.pid) - cpu0) * 1000 / max(result["requests"], 1)
            results.append(result)
            print("during/after", route + ":", busy_others())
    print(f"\n{'route':8} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'server CPU ms/req':>17}")
    for r in results:
        print(f"{r['route']:8} {r['requests']:8d} {r['errors']:6d} {r['rps']:7.1f} {r['p50']:8.0f} {r['p95']:8.0f} "
              f"{r['p99']:8.0f} {r['server_cpu_ms']:17.1f}" + (f"  errors: {', '.join(r['error_kinds'])}" if r["errors"] else ""))
    print("(server CPU ms per request: 2000 / it is the throughput two idle cores would allow, client excluded)")
    (args.work / "load.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if all(r["errors"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
