"""Structured JSON logs: one JSON object per line, each carrying the request id.

`setup_logging()` routes every logger (the API's, uvicorn's, the library's)
through `JsonFormatter` on stderr. The request id of the request being served
lives in a context variable, so library log lines written while answering are
tagged with it too.
"""
from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_GOOD_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id_from(header: str | None) -> str:
    """The caller's X-Request-ID when it is short and plain, else a new random one.

    >>> request_id_from("abc-123")
    'abc-123'
    >>> len(request_id_from("bad id\\n")), len(request_id_from(None))
    (32, 32)
    """
    if header and _GOOD_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
            "message": record.getMessage(),
        }
        out.update(getattr(record, "fields", {}))
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        line = json.dumps(out, ensure_ascii=False, default=str)
        # Keep one record per line for every line splitter: escape the Unicode line breaks JSON leaves raw.
        return line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # the gate logs every request itself, with more fields


def log_request(logger: logging.Logger, **fields) -> None:
    level = logging.WARNING if fields.get("status", 200) >= 500 else logging.INFO
    logger.log(level, "request", extra={"fields": fields})
