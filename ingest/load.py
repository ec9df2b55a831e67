"""Load corpus files into Documents: .txt, .md, .html/.htm, .pdf, .docx and page images.

`load_file` reads one file or raises LoadError with a reason for the user;
`load_corpus` loads every supported file directly in a folder and reports the
refused ones in `LoadResult.skipped`, so one bad file never loses the others.
The size limit is checked before the file is read.

It does not clean or split text: `Document.text` is the decoded content
verbatim for .txt/.md and the extracted text for the other formats (see
html_text, pdf_text, docx_text, image_text; scanned PDF pages and images are
OCR'd). With `cache_dir`, an OCR'd document is kept there by content hash, so
the next load of the same bytes skips the OCR (see cache.py).
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection
from pathlib import Path

from ingest import cache
from ingest.decode import decode_text
from ingest.docx_text import docx_text
from ingest.errors import LoadError
from ingest.html_text import html_text
from ingest.image_text import image_text
from ingest.pdf_text import pdf_text
from ingest.types import Document, LoadResult, Skipped
from ingest.zipguard import check_zip

log = logging.getLogger(__name__)

_FORMATS = {".docx": "docx", ".htm": "html", ".html": "html", ".jpeg": "jpeg", ".jpg": "jpeg", ".md": "md",
            ".pdf": "pdf", ".png": "png", ".txt": "txt"}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_FORMATS)


def load_file(path: Path, *, max_bytes: int, cache_dir: Path | None = None) -> Document:
    """Read one file as a Document; raises LoadError(str(path), reason) if refused."""
    _check_max_bytes(max_bytes)
    where = str(path)
    fmt = _format_of(path)
    data = _read(path, max_bytes)
    if not data:
        raise LoadError(where, "empty file (0 bytes)")
    sha256 = hashlib.sha256(data).hexdigest()
    hit = cache.cached(cache_dir, sha256, path.name) if fmt in ("pdf", "png", "jpeg") else None
    if hit is not None:
        return hit
    pages: tuple[int, ...] = ()
    boxes: tuple = ()
    headings: tuple[tuple[int, int], ...] = ()
    ocr_pages = 0
    if fmt in ("pdf", "png", "jpeg"):
        got = pdf_text(data, where) if fmt == "pdf" else image_text(data, where, fmt)
        text, pages, boxes, ocr_pages = got.text, got.pages, got.boxes, got.ocr_pages
    elif fmt == "docx":
        check_zip(data, where)  # issue 11: refuse a zip bomb before the Word reader unpacks it
        text, headings = docx_text(data, where)
    elif fmt == "html":
        text = html_text(data, where)
    else:
        text = decode_text(data, where)
    if not text.strip():
        what = "only whitespace" if fmt in ("txt", "md") else f"no text in the {fmt.upper()}"
        raise LoadError(where, f"empty file: {what}")
    doc = Document(doc=path.name, text=text, format=fmt, sha256=sha256, pages=pages, boxes=boxes,
                   headings=headings, ocr_pages=ocr_pages)
    if ocr_pages:
        cache.store(cache_dir, doc)
    return doc


def load_corpus(folder: Path, *, max_bytes: int, ignore: Collection[str] = (),
                cache_dir: Path | None = None) -> LoadResult:
    """Load every file directly in `folder`, sorted by name.

    Hidden files, sub-folders and names in `ignore` (e.g. the corpus metadata
    file) are passed over silently; every other file is either loaded or listed
    in `skipped` with its reason, including files of an unsupported type.
    """
    _check_max_bytes(max_bytes)
    if isinstance(ignore, str):
        raise TypeError(
            f"ignore must be a collection of file names, got the str {ignore!r}; pass ({ignore!r},)"
        )
    if not folder.is_dir():
        state = "is not a folder" if folder.exists() else "does not exist"
        raise LoadError(str(folder), f"corpus folder {state}")
    ignored = set(ignore)
    result = LoadResult()
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith(".") or path.name in ignored or not path.is_file():
            continue
        try:
            result.documents.append(load_file(path, max_bytes=max_bytes, cache_dir=cache_dir))
        except LoadError as exc:
            log.warning("skipped %s: %s", path, exc.reason)
            result.skipped.append(Skipped(path=str(path), reason=exc.reason))
    log.info("loaded %d documents, skipped %d files", len(result.documents), len(result.skipped))
    return result


def _check_max_bytes(max_bytes: int) -> None:
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
        raise ValueError(f"max_bytes must be a positive whole number of bytes, got {max_bytes!r}")


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        shown = f"'{path.suffix}'" if path.suffix else "(no extension)"
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise LoadError(str(path), f"unsupported file type {shown} (supported: {supported})")
    return _FORMATS[suffix]


def _read(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing a file over `max_bytes` before reading it."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError(str(path), _too_large(size, max_bytes))
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat
    except FileNotFoundError:
        raise LoadError(str(path), "file not found") from None
    except IsADirectoryError:
        raise LoadError(str(path), "is a folder, not a file") from None
    except OSError as exc:
        raise LoadError(str(path), f"cannot read the file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise LoadError(str(path), _too_large(len(data), max_bytes))
    return data


def _too_large(size: int, limit: int) -> str:
    shown, allowed = _human(size), _human(limit)
    if shown == allowed:  # e.g. 10.04 MB against 10.0 MB: show the exact counts
        shown, allowed = f"{size:,} bytes", f"{limit:,} bytes"
    return f"file is {shown}, larger than the {allowed} limit"


def _human(count: int) -> str:
    """Decimal units: 1 MB = 1,000,000 bytes."""
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB"
    if count >= 1_000:
        return f"{count / 1_000:.1f} KB"
    return f"{count} bytes"
