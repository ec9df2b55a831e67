"""A folder of extracted documents keyed by file content, so OCR runs once per file.

OCR takes seconds per page; the index builder, the answerer (which re-reads a
cited document for its offsets) and the app's source view all load the same
file. `load_file(..., cache_dir=...)` keeps each OCR'd Document here as JSON,
named by the SHA-256 of the file's bytes and the extractor version, written
atomically. A damaged or foreign entry is ignored (and later replaced), never
trusted. Text files are not cached: they are read faster than a cache entry.
"""
from __future__ import annotations

import json
import logging
import os
import uuid
from dataclasses import asdict
from pathlib import Path

from ingest.types import Box, Document

log = logging.getLogger(__name__)
EXTRACTOR_VERSION = 1  # bump when pdf/image extraction changes its output


def _entry(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / f"{sha256}.v{EXTRACTOR_VERSION}.json"


def cached(cache_dir: Path | None, sha256: str, name: str) -> Document | None:
    """The cached Document for these bytes (renamed to `name`), or None."""
    if cache_dir is None:
        return None
    path = _entry(cache_dir, sha256)
    if not path.is_file():
        return None
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        doc = Document(doc=name, text=d["text"], format=d["format"], sha256=d["sha256"], pages=tuple(d["pages"]),
                       boxes=tuple(Box(**b) for b in d["boxes"]), headings=tuple(tuple(h) for h in d["headings"]),
                       ocr_pages=d["ocr_pages"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        log.warning("ignoring the damaged extraction cache entry %s (%s)", path, e)
        return None
    return doc if doc.sha256 == sha256 else None


def store(cache_dir: Path | None, doc: Document) -> None:
    """Keep `doc` for its bytes' hash; a failure to write is logged, not raised."""
    if cache_dir is None:
        return
    path = _entry(cache_dir, doc.sha256)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        tmp.write_text(json.dumps(asdict(doc), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:
        log.warning("could not write the extraction cache entry %s (%s)", path, e)
