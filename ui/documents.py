"""Corpus management for the documents page: safe names, upload checks, add/remove, the listing.

Pure helpers around files and `metadata.json`, no Streamlit. An upload is
checked completely (name, type, size, the real loader on a temporary copy
outside the corpus) before anything is written; writes are atomic (write
beside, then rename). Re-indexing is not done here: the page calls
`ui.resources.ensure_index` afterwards.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
import uuid
from datetime import date
from pathlib import Path

from answer.frame import period_label
from index.store import read_manifest, write_atomic
from ingest.errors import LoadError
from ingest.load import SUPPORTED_SUFFIXES, load_file
from ingest.metadata import DOC_TYPES, FIELDS, metadata_for, read_metadata

DISTRICTS = {"金山区": "Jinshan", "闵行区": "Minhang", "宝山区": "Baoshan"}
MAX_NAME_BYTES = 200
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_BAD_CHARS = re.compile(r'[<>:"|?*]')


def safe_name(name: str) -> str:
    """The file name an upload is stored under; raises ValueError if none is safe.

    Directories are dropped, control and format characters (e.g. a right-to-left
    override) removed, leading dots and outer spaces stripped; Chinese is kept.

    >>> safe_name("../../规划 2024.txt")
    '规划 2024.txt'
    >>> safe_name("C:\\\\temp\\\\.hidden.md")
    'hidden.md'
    >>> safe_name("..")
    Traceback (most recent call last):
    ValueError: unusable file name '..': nothing is left after removing directories and leading dots
    """
    text = unicodedata.normalize("NFC", str(name))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
    base = text.replace("\\", "/").rsplit("/", 1)[-1]
    base = _BAD_CHARS.sub("_", base).strip().lstrip(".").strip().rstrip(". ")
    if not base:
        raise ValueError(f"unusable file name {name!r}: nothing is left after removing directories and leading dots")
    if base.split(".", 1)[0].strip().lower() in _RESERVED:
        raise ValueError(f"unusable file name {name!r}: {base.split('.', 1)[0]!r} is a reserved device name")
    if len(base.encode("utf-8")) > MAX_NAME_BYTES:
        raise ValueError(f"file name too long ({len(base.encode('utf-8'))} bytes in UTF-8; at most {MAX_NAME_BYTES})")
    return base


def validate_upload(name: str, data: bytes, settings, *, replace: bool = False) -> tuple[bool, str]:
    """(ok, reason): may `data` be added to the corpus as `name`? Nothing is written to the corpus.

    The real loader reads a temporary copy outside the corpus, so an empty,
    binary, encrypted or corrupt file is refused with the loader's own reason.
    """
    try:
        stored = safe_name(name)
    except ValueError as e:
        return False, str(e)
    suffix = Path(stored).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = f"'{Path(stored).suffix}'" if Path(stored).suffix else "no extension"
        return False, f"'{stored}': unsupported file type ({shown}); allowed: {', '.join(SUPPORTED_SUFFIXES)}"
    if len(data) > settings.max_file_bytes:
        return False, (f"file too large: {len(data) / 1048576:.1f} MB; "
                       f"the limit is {settings.max_file_mb:g} MB")
    if stored.casefold() == settings.metadata_file.casefold():
        return False, f"'{stored}' is the corpus metadata file's name; rename the document"
    corpus = Path(settings.corpus_dir)
    existing = {p.name.casefold(): p.name for p in corpus.iterdir()} if corpus.is_dir() else {}
    clash = existing.get(stored.casefold())
    if clash and clash != stored:  # two names differing only in case confuse people and some file systems
        return False, f"'{stored}' differs only in letter case from the document '{clash}'; rename it or use that name"
    if clash and not replace:
        return False, f"a document named '{stored}' already exists; tick 'replace' to overwrite it"
    with tempfile.TemporaryDirectory(prefix="hpqa-upload-") as tmp:
        path = Path(tmp) / stored
        path.write_bytes(data)
        try:
            doc = load_file(path, max_bytes=settings.max_file_bytes,
                            cache_dir=settings.extract_cache_dir)  # issue 10: a scan is OCR'd once, not per rerun
        except LoadError as e:
            return False, e.reason
        except Exception as e:  # noqa: BLE001 - a loader bug is still a refused file, not a crash
            return False, f"the file could not be read ({type(e).__name__}: {e})"
    if not _has_chunks(doc, settings):
        return False, "no text left after cleaning (only headers, page numbers or blank lines)"
    return True, ""


def _has_chunks(doc, settings) -> bool:
    from ingest.document_chunks import chunk_document

    return bool(chunk_document(doc, **settings.chunker_params()))


def build_meta(*, title: str, district: str, years: tuple[int, int], doc_type: str,
               published: date | None, description: str, title_en: str = "") -> dict:
    """A metadata.json entry from the form's values; raises ValueError on a bad value.

    >>> build_meta(title=" 规划 ", district="宝山区", years=(2021, 2025), doc_type="plan",
    ...            published=None, description="")["district_en"]
    'Baoshan'
    """
    title, district = title.strip(), district.strip()
    if not title:
        raise ValueError("the title is empty")
    if not district:
        raise ValueError("the district is empty")
    if doc_type not in DOC_TYPES:
        raise ValueError(f"unknown document type {doc_type!r}; choose from {', '.join(DOC_TYPES)}")
    start, end = int(years[0]), int(years[1])
    if start > end:
        raise ValueError(f"the year range {start}-{end} ends before it starts")
    return {"title": title, "title_en": title_en.strip() or None, "district": district,
            "district_en": DISTRICTS.get(district), "doc_type": doc_type,
            "published": published.isoformat() if published else None,
            "period": [start, end], "description": description.strip() or None}


def _read_raw(meta_path: Path) -> dict:
    """The whole metadata file (keeps 'about' and any extra fields); refuses a malformed one."""
    if not meta_path.is_file():
        return {"documents": {}}
    _, error = read_metadata(meta_path)
    if error:
        raise ValueError(f"{error}; fix it before adding or deleting documents")
    return json.loads(meta_path.read_text(encoding="utf-8"))


def _write_raw(meta_path: Path, data: dict) -> None:
    write_atomic(meta_path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _write_file_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _checked(corpus_dir: Path, name: str, metadata_file: str) -> Path:
    if safe_name(name) != name or name == metadata_file:
        raise ValueError(f"refusing the file name {name!r}: pass the name returned by safe_name()")
    return Path(corpus_dir) / name


def add_document(corpus_dir: Path, name: str, data: bytes, meta: dict, metadata_file: str) -> Path:
    """Write the file into the corpus, then its metadata entry; both atomically.

    `name` must already be safe (validate_upload/safe_name). If the metadata
    cannot be written, the corpus file is put back as it was.
    """
    path = _checked(corpus_dir, name, metadata_file)
    meta_path = Path(corpus_dir) / metadata_file
    raw = _read_raw(meta_path)  # before any write: a malformed metadata file stops here
    before = path.read_bytes() if path.is_file() else None
    _write_file_atomic(path, data)
    try:
        raw.setdefault("documents", {})[name] = {k: meta.get(k) for k in FIELDS}
        _write_raw(meta_path, raw)
    except BaseException:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            _write_file_atomic(path, before)
        raise
    return path


def remove_document(corpus_dir: Path, name: str, metadata_file: str) -> None:
    """Delete a corpus file and its metadata entry (file first: a stray entry is harmless)."""
    path = _checked(corpus_dir, name, metadata_file)
    if not path.is_file():
        raise ValueError(f"no document named {name!r} in {corpus_dir}")
    meta_path = Path(corpus_dir) / metadata_file
    raw = _read_raw(meta_path)
    path.unlink()
    if name in raw.get("documents", {}):
        del raw["documents"][name]
        _write_raw(meta_path, raw)


def corpus_table(settings) -> list[dict]:
    """One row per corpus file: metadata, chunk count from the live index, size and index status.

    status is "indexed", "skipped" (with the loader's reason), "changed" (the
    file differs from the indexed one) or "pending" (not in the index yet).
    """
    from index.build import corpus_files

    corpus_dir = Path(settings.corpus_dir)
    if not corpus_dir.is_dir():
        return []
    metadata, _ = read_metadata(corpus_dir / settings.metadata_file)
    manifest = read_manifest(Path(settings.index_dir)) or {}
    indexed, skipped = manifest.get("documents", {}), manifest.get("skipped", {})
    rows = []
    for name, path in corpus_files(corpus_dir, settings.metadata_file).items():
        meta = metadata_for(name, metadata)
        entry = indexed.get(name) or skipped.get(name)
        status = "indexed" if name in indexed else "skipped" if name in skipped else "pending"
        if entry and entry["sha256"] != _sha256(path):
            status = "changed"
        rows.append({
            "file": name, "title": meta["title"], "district": meta["district"] or "",
            "period": period_label(meta["period"]), "doc_type": meta["doc_type"],
            "published": meta["published"] or "",
            "chunks": indexed[name]["chunks"] if status == "indexed" else None,
            "size_kb": round(path.stat().st_size / 1024, 1), "status": status,
            "reason": skipped[name]["reason"] if status == "skipped" else "",
        })
    return rows


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()
