"""Per-key rate limits (token bucket) and request body size limits.

Pure apart from the clock, which is injectable so the behaviour is testable.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

from starlette.exceptions import HTTPException


class RateLimiter:
    """`rate` requests per second per key, with bursts of up to `rate` (at least 1); rate 0 = off.

    >>> now = [0.0]
    >>> rl = RateLimiter(2, clock=lambda: now[0])
    >>> [rl.allow("k")[0] for _ in range(3)]
    [True, True, False]
    >>> now[0] = 0.5; rl.allow("k")
    (True, 0.0)
    >>> rl.allow("k")[1]
    0.5
    """

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic):
        self.rate, self.capacity, self.clock = float(rate), max(float(rate), 1.0), clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill time)
        self._lock = threading.Lock()

    def allow(self, key: str) -> tuple[bool, float]:
        """(allowed?, seconds until the next request would be allowed)."""
        if self.rate <= 0:
            return True, 0.0
        with self._lock:
            now = self.clock()
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return True, 0.0
            self._buckets[key] = (tokens, now)
            return False, round((1.0 - tokens) / self.rate, 3)


def body_limit(method: str, path: str, *, json_bytes: int, upload_bytes: int) -> int:
    """The largest body a route accepts: uploads get the file limit plus form overhead.

    >>> body_limit("POST", "/documents", json_bytes=10, upload_bytes=100), body_limit("POST", "/ask", json_bytes=10, upload_bytes=100)
    (100, 10)
    """
    return upload_bytes if method.upper() == "POST" and path == "/documents" else json_bytes


class BodyTooLarge(HTTPException):
    """Raised while a body is read; an HTTPException so FastAPI's body reader passes it on as a 413."""

    def __init__(self, limit: int):
        super().__init__(413, f"request body larger than the {limit:,} bytes allowed")
        self.limit = limit
