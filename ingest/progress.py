"""Report progress of long per-page work (OCR) to whoever is listening.

Loading is called from several places (the ingest CLI, the index builder, the
app) that cannot all pass a callback down; the caller that shows a progress
bar wraps its work in `reporting(callback)` and the OCR calls `report(...)`.
A context variable, so concurrent app sessions each get their own bar. Nothing
listens by default.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator

Progress = Callable[[str, int, int], None]  # (what, done, total)
_listener: ContextVar[Progress | None] = ContextVar("ingest_progress", default=None)


@contextmanager
def reporting(callback: Progress) -> Iterator[None]:
    """Send progress reports made inside the block to `callback`."""
    token = _listener.set(callback)
    try:
        yield
    finally:
        _listener.reset(token)


def report(what: str, done: int, total: int) -> None:
    """Tell the listener (if any) that `done` of `total` steps of `what` are finished."""
    callback = _listener.get()
    if callback is not None:
        callback(what, done, total)
