"""Refuse zip bombs before a zip-based document (.docx) is opened.

A .docx is a zip archive; a few hundred KB can unpack to gigabytes of XML that
the Word reader then parses for minutes (measured: a 275 KB file, 100 MB of
XML, 275 s). `check_zip` reads only the archive's directory and refuses an
archive whose members unpack past `max_unpacked` bytes in total or at a
compression ratio past `max_ratio`. Pure apart from reading the bytes given.
"""
from __future__ import annotations

import io
import zipfile

from ingest.errors import LoadError

MAX_UNPACKED = 100_000_000  # 100 MB of XML is far beyond any real policy document
MAX_RATIO = 100  # text XML compresses 5-20x; 100x and above is built to explode
_SMALL = 1_000_000  # members under 1 MB unpacked are never a threat, whatever their ratio


def check_zip(data: bytes, path: str, *, max_unpacked: int = MAX_UNPACKED, max_ratio: float = MAX_RATIO) -> None:
    """Raise LoadError if the archive in `data` would unpack to too much; a non-zip passes (the reader says why).

    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z: z.writestr("word/document.xml", "A" * 5_000_000)
    >>> check_zip(buf.getvalue(), "bomb.docx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ingest.errors.LoadError: bomb.docx: suspicious DOCX (zip bomb?): word/document.xml unpacks from ... bytes to 5,000,000 (...x; at most 100x allowed)
    """
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > _SMALL and info.file_size > max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise LoadError(path, f"suspicious DOCX (zip bomb?): {info.filename} unpacks from {info.compress_size:,} "
                                  f"bytes to {info.file_size:,} ({ratio:.0f}x; at most {max_ratio:g}x allowed)")
    if total > max_unpacked:
        raise LoadError(path, f"DOCX unpacks to {total:,} bytes, more than the {max_unpacked:,} allowed")
