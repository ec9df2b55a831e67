"""Fuzz the HTTP API from its own OpenAPI schema with schemathesis: no 5xx, no undocumented status.

Starts the real server on a scratch copy of the corpus and its index (the
fuzzer uploads and deletes documents with the admin key), runs `schemathesis
run` with every check (server errors, status codes and content types the
schema does not document, response schemas, auth that is ignored, ...) on
positive and negative examples, then counts the server's own 5xx log lines.
The per-key rate limit is off here (API_RATE_LIMIT=0) so the fuzzer's bursts
test the routes, not the limiter (tests/api/test_gate.py covers 429).

    .venv/bin/python -m bench.fuzz_api [--examples 60] [--max-time 600] [--embedder e5]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from bench.api_server import ROOT, ApiServer
from bench.common import ingest_scratch

ADMIN = "fuzz-admin"
# Every check everywhere, except that an upload's content (an unreadable PDF, a name with no extension) cannot be
# described by a schema, so "schema-valid upload refused" (positive_data_acceptance) is not checked on POST /documents;
# its refusals are still checked for documented statuses, content types and server errors.
RUNS = [("all operations but POST /documents, all checks", ["--exclude-name", "POST /documents"], []),
        ("POST /documents, all checks but positive_data_acceptance", ["--include-name", "POST /documents"],
         ["--exclude-checks", "positive_data_acceptance"])]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.fuzz_api", description=__doc__.split("\n\n")[0])
    p.add_argument("--examples", type=int, default=60, help="examples per operation and phase (default 60)")
    p.add_argument("--max-time", type=int, default=600, help="time budget in seconds (default 600)")
    p.add_argument("--embedder", default="e5", choices=["e5", "hash"], help="embedder of the served index (default e5)")
    p.add_argument("--seed", type=int, default=1, help="schemathesis seed")
    p.add_argument("--work", type=Path, default=ROOT / "out" / "fuzz_api", help="scratch folder (replaced)")
    args = p.parse_args(argv)
    corpus, index, env = ingest_scratch(args.work, args.embedder)
    exit_codes = []
    with ApiServer(index, corpus, keys="fuzz-user", admin_keys=ADMIN, rate_limit=0, log_path=args.work / "api.log",
                   env={"HPQA_EMBEDDER": args.embedder}) as server:
        for label, selection, checks in RUNS:
            print(f"== {label}")
            cmd = [str(Path(sys.executable).parent / "schemathesis"), "run", server.url + "/openapi.json",
                   *selection, "--checks", "all", *checks, "-H", f"Authorization: Bearer {ADMIN}",
                   "-n", str(args.examples), "--max-time", str(args.max_time // len(RUNS)), "--seed", str(args.seed),
                   "--continue-on-failure", "--request-timeout", "120", "--workers", "1",
                   "--suppress-health-check", "all", "--warnings", "off"]
            run = subprocess.run(cmd, cwd=args.work, capture_output=True, text=True, env=env)  # its caches stay there
            summary = run.stdout[run.stdout.rfind("=== SUMMARY") - 30:] if "SUMMARY" in run.stdout else run.stdout
            print(summary[-3000:] if run.returncode == 0 else run.stdout[-12000:])
            if run.stderr.strip():
                print(run.stderr[-2000:])
            exit_codes.append(run.returncode)
    statuses: dict[int, int] = {}
    for line in (args.work / "api.log").read_text(encoding="utf-8").split("\n"):
        if line.startswith("{") and '"message": "request"' in line:
            rec = json.loads(line)
            statuses[rec["status"]] = statuses.get(rec["status"], 0) + 1
    server_errors = sum(n for s, n in statuses.items() if s >= 500)
    print(f"requests seen by the server: {sum(statuses.values())}; by status: "
          + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    print(f"server errors (5xx): {server_errors}; schemathesis exit statuses: {exit_codes} (0 = every check passed)")
    return 0 if not any(exit_codes) and server_errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
