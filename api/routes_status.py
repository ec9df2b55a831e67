"""GET /health (no key needed) and GET /commitments (the commitment tracker's JSON)."""
from __future__ import annotations

import importlib.util
import logging
from typing import Any

from fastapi import APIRouter, Request, Security

from api.engine import NotReady
from api.errors import USER, ApiError, responses
from api.routes_query import bearer
from api.schemas import HealthOut
from index.store import IndexError_

log = logging.getLogger(__name__)
open_router = APIRouter()
router = APIRouter(dependencies=[Security(bearer)])


def tracker_available() -> bool:
    return importlib.util.find_spec("commitments") is not None


@open_router.get("/health", response_model=HealthOut)
def health(request: Request):
    """Liveness and readiness: 200 while the server runs; `ready` says whether an index is loaded."""
    status = request.app.state.engine.status()
    return HealthOut(status="ok", ready=status["ready"], index=status, commitments=tracker_available())


@router.get("/commitments", response_model=list[dict[str, Any]], responses=responses(*USER, 503))
def commitments(request: Request):
    """The commitment tracker's JSON (`commitments.track(settings)`): one object per commitment, with its status."""
    try:
        from commitments import track
    except ImportError as e:
        if e.name and e.name.split(".")[0] == "commitments":
            raise ApiError(503, "the commitment tracker is not installed: this build has no `commitments` package") from e
        raise
    engine = request.app.state.engine
    try:
        engine.live()  # no usable index: the same 503 and fix as /ask
        return track(request.app.state.settings, engine.embedder)  # cached by the tracker per index version
    except NotReady as e:
        raise ApiError(503, str(e)) from e
    except IndexError_ as e:
        raise ApiError(503, str(e)) from e
