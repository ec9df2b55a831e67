"""Read the text layer of a PDF with pypdf, page by page.

Pages are joined with a blank line ("\\n\\n"), and the offset where each page
starts in the joined text is returned with it. A PDF encrypted with an empty
user password (only "owner" restrictions, common on government sites) is
opened; one that needs a password is refused.

It does not OCR: a PDF with no text on any page (a scan) is refused. It keeps
pypdf's text as is (line breaks, spacing); cleaning is a later stage.
"""
from __future__ import annotations

from io import BytesIO

from pypdf import PasswordType, PdfReader

from ingest.errors import LoadError

PAGE_SEPARATOR = "\n\n"


def pdf_text(data: bytes, path: str) -> tuple[str, tuple[int, ...]]:
    """The text layer of the PDF in `data` and the start offset of each page."""
    try:
        reader = PdfReader(BytesIO(data))
    except Exception as exc:  # pypdf raises many types on malformed files
        raise LoadError(path, f"corrupt PDF: cannot be parsed ({exc})") from None
    if reader.is_encrypted:
        _open_without_password(reader, path)
    texts = _page_texts(reader, path)
    if not any(text.strip() for text in texts):
        raise LoadError(
            path,
            f"no text layer: none of its {len(texts)} page(s) has extractable text "
            "(a scanned PDF? OCR is not supported yet)",
        )
    starts, offset = [], 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + len(PAGE_SEPARATOR)
    return PAGE_SEPARATOR.join(texts), tuple(starts)


def _open_without_password(reader: PdfReader, path: str) -> None:
    try:
        opened = reader.decrypt("")
    except Exception as exc:  # unsupported algorithm or missing crypto library
        raise LoadError(path, f"encrypted PDF: cannot decrypt it ({exc})") from None
    if opened == PasswordType.NOT_DECRYPTED:
        raise LoadError(
            path, "encrypted PDF: it needs a password (only PDFs that open without one are supported)"
        )


def _page_texts(reader: PdfReader, path: str) -> list[str]:
    try:
        pages = list(reader.pages)
    except Exception as exc:
        raise LoadError(path, f"corrupt PDF: cannot read its page tree ({exc})") from None
    texts = []
    for number, page in enumerate(pages, start=1):
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:
            raise LoadError(path, f"corrupt PDF: cannot read page {number} ({exc})") from None
    return texts
