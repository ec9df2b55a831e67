"""Read the corpus metadata file (corpus/metadata.json): title, district, type, dates per document.

The file is not a document and is never indexed. A document without an entry
gets a metadata record with only its file name as title; a malformed file is
reported (returned as an error string) and treated as empty, so ingest goes on.
"""
from __future__ import annotations

import json
from pathlib import Path

DOC_TYPES = ("plan", "work_summary", "work_programme", "highlights", "newspaper", "other")
FIELDS = ("title", "title_en", "district", "district_en", "doc_type", "published", "period", "description")


def read_metadata(path: Path) -> tuple[dict[str, dict], str | None]:
    """(per-document metadata keyed by file name, error message or None)."""
    if not path.is_file():
        return {}, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        docs = data["documents"]
        if not isinstance(docs, dict):
            raise ValueError("'documents' must be an object keyed by file name")
    except (ValueError, KeyError, TypeError) as e:
        return {}, f"{path.name}: malformed metadata file ({e}); documents are ingested without metadata"
    return {name: {k: v.get(k) for k in FIELDS} for name, v in docs.items() if isinstance(v, dict)}, None


def metadata_for(doc: str, metadata: dict[str, dict]) -> dict:
    """The record for `doc`, with defaults for a document the file does not list."""
    meta = {k: None for k in FIELDS}
    meta.update(metadata.get(doc, {}))
    meta["title"] = meta["title"] or doc
    meta["doc_type"] = meta["doc_type"] or "other"
    return meta
