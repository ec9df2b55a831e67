"""POST /ask and GET /search: thin adapters around Answerer.answer and Searcher.search."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Security
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPBearer
from pydantic import BeforeValidator

from api.engine import NotReady
from api.errors import USER, ApiError, responses
from answer.pipeline import MAX_QUESTION_CHARS
from api.schemas import (QUESTION_PATTERN, TEXT_PATTERN, AnswerOut, AskIn, FiltersIn, SearchOut, answer_out,
                         check_question, check_text, hit_out)
from api.sse import answer_events
from ingest.metadata import DOC_TYPES

bearer = HTTPBearer(auto_error=False, description="A key from API_KEYS or ADMIN_API_KEYS (checked by the gate).")
router = APIRouter(dependencies=[Security(bearer)])

STREAM_DOC = {"text/event-stream": {"schema": {"type": "string"}, "example":
              'event: token\ndata: {"text": "…[1]"}\n\nevent: citations\ndata: {"citations": [...]}\n\n'
              'event: done\ndata: {...the whole answer...}\n\n'}}


def _filters(f: FiltersIn | None):
    from index.search import Filters

    if f is None:
        return None
    return Filters(district=f.district or None, year=f.year, doc_type=f.doc_type or None)


def _live(request: Request):
    try:
        return request.app.state.engine.live()
    except NotReady as e:
        raise ApiError(503, str(e)) from e


@router.post("/ask", response_model=AnswerOut, responses={
    200: {"description": "The answer; with `Accept: text/event-stream` the same as server-sent events: "
                         "`token` events, one `citations` event, then `done` with the whole answer.",
          "content": STREAM_DOC},
    **responses(400, *USER, 422, 503)})
def ask(body: AskIn, request: Request):
    """Answer a question with citations, or refuse, exactly as `Answerer.answer` does."""
    live = _live(request)
    history = [(t.role, t.content) for t in body.history]
    answer = live.answerer.answer(body.question, history, _filters(body.filters))  # input checked by AskIn
    out = answer_out(answer)
    if "text/event-stream" in request.headers.get("accept", ""):
        return StreamingResponse(answer_events(out.model_dump()), media_type="text/event-stream",
                                 headers={"cache-control": "no-cache"})
    return out


@router.get("/search", response_model=SearchOut, responses=responses(*USER, 422, 503))
def search(request: Request,
           q: Annotated[str, Query(max_length=MAX_QUESTION_CHARS, pattern=QUESTION_PATTERN,
                                   description="The question or keywords (no control characters)."),
                        BeforeValidator(lambda v: check_question(v, "q"))],
           k: int = Query(5, ge=1, le=50, description="How many hits."),
           district: Annotated[str, Query(max_length=40, pattern=TEXT_PATTERN,
                                          description="e.g. 金山区 or Jinshan; empty = any"),
                               BeforeValidator(lambda v: check_text(v, "district"))] = "",
           year: str = Query("", pattern=r"^((19|20)\d\d|2100)?$", description="1900-2100, e.g. 2024; empty = any"),
           doc_type: Literal[("",) + DOC_TYPES] = Query("", description="empty = any")):  # type: ignore[valid-type]
    """Ranked passages for a query (dense + BM25 fusion), as `Searcher.search` returns them."""
    filters = FiltersIn(district=district or None, year=int(year) if year else None, doc_type=doc_type or None)
    live = _live(request)
    hits = live.searcher.search(q, k=k, filters=_filters(filters))
    return SearchOut(query=q, k=k, filters=filters, hits=[hit_out(h) for h in hits])
