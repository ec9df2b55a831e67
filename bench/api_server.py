"""Start `python -m api` as a real server process on a free loopback port, for tests and benchmarks.

`ApiServer(index_dir, corpus_dir, keys=..., admin_keys=...)` is a context
manager: it starts uvicorn through the real CLI, waits until /health answers,
and stops the process (SIGTERM, then SIGKILL) on exit. Its JSON log lines go
to `log_path`.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ApiServer:
    def __init__(self, index_dir: Path, corpus_dir: Path, *, keys: str = "user-key", admin_keys: str = "admin-key",
                 rate_limit: float | None = None, env: dict | None = None, log_path: Path | None = None,
                 nice: int = 0, start_timeout_s: float = 180):
        self.port = free_port()
        self.index_dir, self.corpus_dir = Path(index_dir), Path(corpus_dir)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path or (Path(index_dir).parent / f"api-{self.port}.log"))
        self.env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                    "HPQA_CORPUS_DIR": str(corpus_dir), "API_KEYS": keys, "ADMIN_API_KEYS": admin_keys,
                    **({"API_RATE_LIMIT": str(rate_limit)} if rate_limit is not None else {}), **(env or {})}
        self.cmd = [sys.executable, "-m", "api", "--port", str(self.port), "--index", str(index_dir)]
        self.nice, self.start_timeout_s = nice, start_timeout_s
        self.proc: subprocess.Popen | None = None

    def start(self) -> "ApiServer":
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, stdout=log, stderr=log,
                                     preexec_fn=(lambda: os.nice(self.nice)) if self.nice else None)
        deadline = time.time() + self.start_timeout_s
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the API exited with {self.proc.returncode}; log:\n{self.log_tail()}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the API did not answer /health within {self.start_timeout_s} s; log:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def __enter__(self) -> "ApiServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
