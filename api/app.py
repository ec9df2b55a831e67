"""The FastAPI application: `create_app(settings, config)` wires the gate, the routes and error handling.

Frameworks stay at the edge: the routes call the same entry points as the app
(answer/pipeline.py, index/search.py, ui/documents.py, index/build.py). The
index is loaded at start-up (lifespan); a missing, corrupt or mismatched index
does not stop the server: /health says so and /ask, /search answer 503 with
the command that fixes it.
"""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.auth import KeyRing
from api.config import ApiConfig
from api.engine import Engine, NotReady
from api.errors import ApiError, error_body
from api.gate import Gate
from api.limits import RateLimiter

log = logging.getLogger(__name__)
UPLOAD_OVERHEAD = 64 * 1024  # multipart boundaries and the metadata fields around the file


def _json_error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(error_body(status, message), status_code=status, media_type="application/json", headers=headers)


def _where(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def validation_message(errors) -> tuple[int, str]:
    """(status, message) for FastAPI's validation errors; input values are never echoed.

    >>> validation_message([{"type": "missing", "loc": ("body", "question"), "msg": "Field required"}])
    (422, 'question: Field required')
    >>> validation_message([{"type": "json_invalid", "loc": ("body", 3), "msg": "JSON decode error", "ctx": {"error": "Expecting value"}}])[0]
    400
    """
    if any(e.get("type") == "missing" and tuple(e.get("loc", ())) == ("body",) for e in errors):
        return 422, 'missing JSON body: send {"question": "..."} with Content-Type: application/json'
    if any(e.get("type") == "json_invalid" for e in errors):
        e = next(e for e in errors if e.get("type") == "json_invalid")
        return 400, f"malformed JSON body: {e.get('ctx', {}).get('error', 'cannot parse')} at character {e['loc'][-1]}"
    shown = [f"{_where(e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in errors[:5]]
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return 422, "; ".join(shown) + more


def create_app(settings=None, config: ApiConfig | None = None, *, embedder=None, warm_up: bool = True) -> FastAPI:
    from settings import Settings

    settings = settings or Settings()
    config = config or ApiConfig()
    if embedder is None:
        from index.embed import make_embedder

        embedder = make_embedder(settings)  # raises ModelMissing (with what to run) before the server starts
    engine = Engine(settings, embedder)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            engine.load(warm_up=warm_up)
        except NotReady:
            pass  # logged; /health reports it and the query routes answer 503 with the fix
        yield

    app = FastAPI(title="District health policy Q&A API", version="1.0",
                  description="Grounded answers with citations over Shanghai district health documents. "
                              "Send `Authorization: Bearer <key>`; see docs/api.md.",
                  lifespan=lifespan)
    app.state.settings, app.state.config, app.state.engine = settings, config, engine

    from api import routes_documents, routes_query, routes_status

    app.include_router(routes_status.open_router)
    app.include_router(routes_query.router)
    app.include_router(routes_documents.router)
    app.include_router(routes_status.router)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        log.info("%d %s", exc.status, exc.message)
        return _json_error(exc.status, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # Starlette names only the first matching route's methods; name them all
            allowed = sorted({m for r in app.routes if getattr(r, "path_regex", None) and r.path_regex.match(request.url.path)
                              for m in (getattr(r, "methods", None) or ())} - {"HEAD"})
            headers["Allow"] = ", ".join(allowed)
            return _json_error(405, f"{request.method} is not allowed on {request.url.path}; use {', '.join(allowed)}",
                               headers)
        if exc.status_code == 404 and exc.detail == "Not Found":  # no route matched
            path = request.url.path
            if path.startswith("/documents/"):
                return _json_error(404, f"no document named {path[len('/documents/'):]!r}; use a file name exactly "
                                        "as GET /documents lists it")
            return _json_error(404, f"no route {request.method} {path}; the routes are listed at /docs")
        return _json_error(exc.status_code, str(exc.detail), headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        return _json_error(*validation_message(exc.errors()))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _json_error(500, f"internal error ({type(exc).__name__}); quote the request id when reporting it")

    app.add_middleware(Gate, keyring=KeyRing(config.user_keys(), config.admin_keys()),
                       limiter=RateLimiter(config.api_rate_limit), json_bytes=config.api_max_body_kb * 1024,
                       upload_bytes=settings.max_file_bytes + UPLOAD_OVERHEAD)
    return app
