"""A real OpenAI-compatible HTTP server on 127.0.0.1 whose replies each test scripts.

It serves `POST /v1/chat/completions` (non-streaming JSON in the OpenAI
format) and `GET /v1/models`, over a real socket (stdlib `http.server` in a
thread, port 0), so the code under test goes through the real LangChain ->
openai -> httpx stack. Each chat request takes the next behaviour from a
queue: `reply(text)`, `empty()`, `malformed()`, `status(code)`,
`sleep(seconds)`; `/v1/models` answers `models_status` after
`models_delay` seconds. With the queue empty it answers HTTP 500 "no scripted
behaviour", so an unplanned call fails loudly instead of passing by luck.
Every request received is recorded (`requests`, `chat_requests`).

Use the `fake_llm` fixture (import it into the test module).
"""
from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

MODEL = "fake-policy-model"


@dataclass(frozen=True)
class Behaviour:
    kind: str  # "reply" | "malformed" | "status" | "sleep"
    text: str = ""
    code: int = 200
    seconds: float = 0.0


def reply(text: str) -> Behaviour:
    """A normal completion whose message content is `text`."""
    return Behaviour("reply", text=text)


def empty() -> Behaviour:
    """A well-formed completion with empty content."""
    return Behaviour("reply", text="")


def malformed() -> Behaviour:
    """HTTP 200, `Content-Type: application/json`, but the body is not JSON."""
    return Behaviour("malformed")


def status(code: int) -> Behaviour:
    """An HTTP error status with an OpenAI-style error body."""
    return Behaviour("status", code=code)


def sleep(seconds: float, then: str = "too late") -> Behaviour:
    """Wait `seconds` before replying `then` (the client should have given up)."""
    return Behaviour("sleep", text=then, seconds=seconds)


@dataclass
class Request:
    method: str
    path: str
    headers: dict  # names lower-cased
    body: object  # parsed JSON, or the raw text if it was not JSON


@dataclass
class FakeOpenAI:
    host: str = "127.0.0.1"
    port: int = 0
    models_status: int = 200  # what GET /v1/models answers
    models_delay: float = 0.0  # seconds GET /v1/models waits first
    requests: list[Request] = field(default_factory=list)
    _queue: deque = field(default_factory=deque)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def script(self, *behaviours: Behaviour) -> None:
        """Queue behaviours for the next chat requests, in order."""
        with self._lock:
            self._queue.extend(behaviours)

    @property
    def pending(self) -> int:
        return len(self._queue)

    @property
    def chat_requests(self) -> list[Request]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def _next(self) -> Behaviour | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    # -- server lifecycle --------------------------------------------------
    def start(self) -> "FakeOpenAI":
        self._server = ThreadingHTTPServer((self.host, 0), _handler(self))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # wakes any handler still sleeping
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _completion(text: str) -> dict:
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": MODEL,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _handler(fake: FakeOpenAI):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep pytest output clean
            pass

        def _record(self, body) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            fake.requests.append(Request(self.command, self.path, headers, body))

        def _send(self, code: int, body: bytes, content_type: str = "application/json") -> None:
            try:
                self.send_response(code)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                pass

        def _json(self, code: int, obj) -> None:
            self._send(code, json.dumps(obj, ensure_ascii=False).encode("utf-8"))

        def do_GET(self):
            self._record(None)
            if self.path.rstrip("/") != "/v1/models":
                return self._json(404, {"error": {"message": f"no route {self.path}"}})
            if fake.models_delay and fake._stop.wait(fake.models_delay):
                return
            if fake.models_status != 200:
                return self._json(fake.models_status, {"error": {"message": "scripted models error"}})
            self._json(200, {"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": "fake"}]})

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw
            self._record(body)
            if self.path.rstrip("/") != "/v1/chat/completions":
                return self._json(404, {"error": {"message": f"no route {self.path}"}})
            b = fake._next()
            if b is None:
                return self._json(500, {"error": {"message": "fake_openai: no scripted behaviour left"}})
            if b.kind == "sleep":
                if fake._stop.wait(b.seconds):
                    return
                return self._json(200, _completion(b.text))
            if b.kind == "malformed":
                return self._send(200, b'{"id": "chatcmpl-fake", "choices": [')
            if b.kind == "status":
                return self._json(b.code, {"error": {"message": f"scripted HTTP {b.code}", "type": "server_error"}})
            return self._json(200, _completion(b.text))

    return Handler


@pytest.fixture
def fake_llm():
    """A running FakeOpenAI on a free loopback port; stopped after the test."""
    fake = FakeOpenAI().start()
    try:
        yield fake
    finally:
        fake.stop()
