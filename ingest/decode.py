"""Turn the bytes of a text file (.txt, .md, .html) into a str, or refuse them.

Order of attempts: a UTF-8 BOM (dropped), strict UTF-8, the charset the file
declares (HTML `<meta charset>`), strict GB18030 (a superset of GBK and GB2312),
and last charset-normalizer, accepted only when it is confident. Bytes with a NUL
are binary, whatever the suffix says.

It does not touch the text: newlines ("\\r\\n" included) and whitespace stay as
they are, because later stages keep offsets into it. UTF-16/32 files (which
contain NULs) are refused, not decoded.
"""
from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from ingest.errors import LoadError

BINARY = "binary or undecodable content: not UTF-8 or GB18030 text"

# charset-normalizer guesses a single-byte code page for almost anything; only a
# guess with little mess and a recognisable language is better than refusing.
_MAX_CHAOS_PERCENT = 10.0
_MIN_COHERENCE_PERCENT = 50.0


def decode_text(data: bytes, path: str, declared: str | None = None) -> str:
    """Decode `data`, raising LoadError(path, BINARY) when it is not text.

    `declared` is a charset label from the file itself (e.g. "gb2312"); an
    unknown label is ignored. Valid UTF-8 wins over a declared charset, since a
    page saved again as UTF-8 often keeps its old `<meta charset>`.

    >>> decode_text("卫生".encode("gbk"), "a.txt")
    '卫生'
    """
    if b"\x00" in data:
        raise LoadError(path, BINARY)
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", path)
    for encoding in ("utf-8", _codec_name(declared), "gb18030"):
        if encoding is None:
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    guess = _confident_guess(data)
    if guess is None:
        raise LoadError(path, BINARY)
    return guess


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise LoadError(path, BINARY) from None


def _codec_name(label: str | None) -> str | None:
    """Python's codec for a charset label, or None when unknown or not byte-oriented."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None  # browsers treat such a <meta> as UTF-8, which was already tried
    return name  # a "gb2312" page using GBK characters fails here and falls to gb18030


def _confident_guess(data: bytes) -> str | None:
    best = from_bytes(data).best()
    if best is None:
        return None
    if best.percent_chaos > _MAX_CHAOS_PERCENT or best.percent_coherence < _MIN_COHERENCE_PERCENT:
        return None
    return str(best)
