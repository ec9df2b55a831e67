"""One shape for every error the API returns: {"error": message, "status": code, "request_id": id}.

The body is rendered with ASCII escapes, so no odd input (a lone surrogate, a
control character) can break the error response itself.
"""
from __future__ import annotations

import json

from pydantic import BaseModel

from api.logs import request_id_var


class ErrorOut(BaseModel):
    error: str
    status: int
    request_id: str


class ApiError(Exception):
    """Raised by routes: becomes a JSON error response with `status` and `message`."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def error_body(status: int, message: str) -> bytes:
    """
    >>> error_body(403, "no") .startswith(b'{"error": "no", "status": 403')
    True
    """
    return json.dumps({"error": message, "status": status, "request_id": request_id_var.get()},
                      ensure_ascii=True).encode("ascii")


def describe(status: int) -> dict:
    return {"model": ErrorOut, "description": DESCRIPTIONS[status]}


DESCRIPTIONS = {
    400: "Bad request: a malformed header, parameter or file; the message says what was wrong.",
    401: "No API key: send `Authorization: Bearer <key>`.",
    403: "The key is unknown, or may not change documents (needs a key from ADMIN_API_KEYS).",
    404: "No such document.",
    409: "Conflict: the document exists (send replace=true) or is the last one.",
    413: "The request body or the uploaded file is larger than allowed.",
    422: "The request is well-formed but a value is not allowed; the message names the field.",
    429: "Too many requests for this key (API_RATE_LIMIT per second); retry after the Retry-After header.",
    503: "Not available yet: no usable index (the message names the command to fix it) or no commitment tracker.",
}


def responses(*codes: int) -> dict[int, dict]:
    """The `responses=` of a route: every error status it can return, documented in the OpenAPI schema."""
    return {code: describe(code) for code in codes}


USER = (401, 403, 413, 429)  # every keyed route can answer these
