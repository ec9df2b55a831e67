"""GET/POST /documents and DELETE /documents/{name}: the documents page's checks, over HTTP.

Uploads go through the same code as the app's documents page (ui/documents.py:
safe name, type, size, the real loader on a temporary copy, atomic writes),
then an incremental ingest; the new index goes live only when it is complete,
so queries keep answering from the previous one meanwhile.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from pathlib import Path

from fastapi import APIRouter, File, Form, Request, Security, UploadFile

from api.engine import Busy, NotReady
from api.errors import USER, ApiError, ErrorOut, responses
from api.routes_query import bearer
from api.schemas import DeleteOut, DocType, DocumentRow, UploadOut, ingest_out
from ingest.load import SUPPORTED_SUFFIXES
from ui.documents import add_document, build_meta, corpus_table, remove_document, safe_name, validate_upload

router = APIRouter(dependencies=[Security(bearer)])


def _reindex(engine):
    """The incremental ingest after a corpus change; a failure leaves the previous index answering (503 says why)."""
    try:
        return engine.reindex()
    except NotReady as e:
        raise ApiError(503, f"the corpus changed but the new index could not be loaded: {e}") from e
    except OSError as e:
        raise ApiError(503, f"the corpus changed but the index could not be written ({e}); the previous index "
                            f"keeps answering: fix the cause and run `python -m ingest --index {engine.index_dir}`") from e


@contextmanager
def _writing(engine):
    """The engine's writer lock; another replica holding it too long, or the database down, is a 503."""
    try:
        with engine.writing():
            yield
    except Busy as e:
        raise ApiError(503, str(e)) from e


@router.get("/documents", response_model=list[DocumentRow], responses=responses(*USER))
def list_documents(request: Request):
    """Every corpus file with its metadata, chunk count and index status."""
    request.app.state.engine.follow()  # another replica's upload shows here too
    return corpus_table(request.app.state.settings)


def _refusal_status(name: str, data: bytes, settings) -> int:
    """The HTTP status for a file validate_upload refused, from the same facts it checks."""
    if len(data) > settings.max_file_bytes:
        return 413
    try:
        stored = safe_name(name)
    except ValueError:
        return 422
    if Path(stored).suffix.lower() not in SUPPORTED_SUFFIXES:
        return 415
    corpus = Path(settings.corpus_dir)
    if corpus.is_dir() and any(p.name.casefold() == stored.casefold() for p in corpus.iterdir()):
        return 409
    return 422


@router.post("/documents", status_code=201, response_model=UploadOut,
             responses={**responses(400, *USER, 409, 422, 503),
                        415: {"model": ErrorOut, "description": "Unsupported file type: the message lists the allowed ones."}})
def upload_document(request: Request,
                    file: UploadFile = File(description="The document: " + ", ".join(SUPPORTED_SUFFIXES)),
                    title: str = Form(min_length=1, max_length=300),
                    district: str = Form(min_length=1, max_length=40, description="e.g. 金山区"),
                    year_from: int = Form(ge=1949, le=2100),
                    year_to: int | None = Form(None, ge=1949, le=2100, description="default: year_from"),
                    doc_type: DocType = Form("other"),
                    published: date | None = Form(None),
                    description: str = Form("", max_length=2000),
                    title_en: str = Form("", max_length=300),
                    replace: bool = Form(False, description="overwrite a document of the same name")):
    """Add (or replace) a document with its metadata, then ingest it incrementally."""
    settings, engine = request.app.state.settings, request.app.state.engine
    try:
        meta = build_meta(title=title, district=district, years=(year_from, year_to or year_from), doc_type=doc_type,
                          published=published, description=description, title_en=title_en)
    except ValueError as e:
        raise ApiError(422, str(e)) from e
    data = file.file.read(settings.max_file_bytes + 1)
    name = file.filename or ""
    with _writing(engine):
        ok, reason = validate_upload(name, data, settings, replace=replace)
        if not ok:
            raise ApiError(_refusal_status(name, data, settings), reason)
        stored = safe_name(name)
        try:
            add_document(settings.corpus_dir, stored, data, meta, settings.metadata_file)
        except ValueError as e:  # a malformed metadata.json: nothing was written
            raise ApiError(409, str(e)) from e
        report = _reindex(engine)
    row = next((r for r in corpus_table(settings) if r["file"] == stored), None)
    return UploadOut(document=stored, status=row["status"] if row else "pending", chunks=row["chunks"] if row else None,
                     ingest=ingest_out(report))


@router.delete("/documents/{name}", response_model=DeleteOut, responses=responses(*USER, 404, 409, 503))
def delete_document(name: str, request: Request):
    """Remove a document and its metadata, then re-index without it."""
    settings, engine = request.app.state.settings, request.app.state.engine
    missing = ApiError(404, f"no document named {name!r}; use a file name exactly as GET /documents lists it")
    try:
        if safe_name(name) != name or name == settings.metadata_file:
            raise missing  # a path, a hidden or odd name: never a document (and never followed)
    except ValueError as e:
        raise missing from e
    corpus = Path(settings.corpus_dir)
    with _writing(engine):
        if not (corpus / name).is_file():
            raise missing
        from index.build import corpus_files

        if len(corpus_files(corpus, settings.metadata_file)) <= 1:
            raise ApiError(409, f"{name!r} is the last document: the index needs at least one; add another first")
        remove_document(corpus, name, settings.metadata_file)
        report = _reindex(engine)
    return DeleteOut(removed=name, ingest=ingest_out(report))
