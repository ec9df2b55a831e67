"""The ASGI middleware in front of every route: request id, auth, rate limit, body size, request log.

Order per request: request id (X-Request-ID in, out) -> key check (401/403)
-> rate limit per key (429 with Retry-After) -> body size (413, from
Content-Length before reading, and while reading for chunked bodies) -> the
route. A pure ASGI middleware (not BaseHTTPMiddleware) so streamed answers
pass through untouched. Each request ends in one JSON log line.
"""
from __future__ import annotations

import logging
import time

from api.auth import AuthError, KeyRing, required_role
from api.errors import error_body
from api.limits import BodyTooLarge, RateLimiter, body_limit
from api.logs import log_request, request_id_from, request_id_var

log = logging.getLogger("api.request")


class Gate:
    def __init__(self, app, *, keyring: KeyRing, limiter: RateLimiter, json_bytes: int, upload_bytes: int):
        self.app, self.keyring, self.limiter = app, keyring, limiter
        self.json_bytes, self.upload_bytes = json_bytes, upload_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        rid = request_id_from(headers.get("x-request-id"))
        token = request_id_var.set(rid)
        t0 = time.perf_counter()
        method, path = scope["method"], scope["path"]
        state = {"status": None, "key_id": None, "bytes": 0}

        async def send_tagged(message):
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", rid.encode())]}
            await send(message)

        async def refuse(status: int, message: str, extra: dict[str, str] | None = None):
            body = error_body(status, message)
            hdrs = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
            hdrs += [(k.encode(), v.encode()) for k, v in (extra or {}).items()]
            await send_tagged({"type": "http.response.start", "status": status, "headers": hdrs})
            await send_tagged({"type": "http.response.body", "body": body})

        try:
            needed = required_role(method, path)
            if needed:
                try:
                    state["key_id"] = self.keyring.check(headers.get("authorization"), needed)
                except AuthError as e:
                    return await refuse(e.status, e.message, {"www-authenticate": "Bearer"} if e.status == 401 else None)
                allowed, retry = self.limiter.allow(state["key_id"])
                if not allowed:
                    return await refuse(429, f"rate limit of {self.limiter.rate:g} requests per second for this key "
                                             f"exceeded; retry in {retry:g} s", {"retry-after": str(max(1, round(retry)))})
            limit = body_limit(method, path, json_bytes=self.json_bytes, upload_bytes=self.upload_bytes)
            declared = headers.get("content-length")
            if declared is not None:
                if not declared.strip().isdigit():
                    return await refuse(400, "malformed Content-Length header: expected a whole number of bytes")
                if int(declared) > limit:
                    return await refuse(413, f"request body of {int(declared):,} bytes is larger than the "
                                             f"{limit:,} bytes allowed for {method} {path}")

            async def counted_receive():
                message = await receive()
                if message["type"] == "http.request":
                    state["bytes"] += len(message.get("body", b""))
                    if state["bytes"] > limit:
                        raise BodyTooLarge(limit)
                return message

            try:
                await self.app(scope, counted_receive, send_tagged)
            except BodyTooLarge as e:
                if state["status"] is None:
                    await refuse(413, f"request body larger than the {e.limit:,} bytes allowed for {method} {path}")
        finally:
            log_request(log, method=method, path=path, status=state["status"] or 500, key_id=state["key_id"],
                        ms=round((time.perf_counter() - t0) * 1000, 1), request_id=rid)
            request_id_var.reset(token)
