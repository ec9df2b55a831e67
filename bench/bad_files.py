"""Bad files for the bad-input catalogue (bench/bad_input.py): a zip-bomb .docx, an encrypted PDF, an oversized file."""
from __future__ import annotations

import io
import zipfile


def zip_bomb_docx(unpacked_mb: int = 20) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("x")
    buf = io.BytesIO()
    d.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                pad = "<w:p><w:r><w:t>" + "A" * 1000 + "</w:t></w:r></w:p>"
                data = data.decode().replace("<w:body>", "<w:body>" + pad * (unpacked_mb * 1000), 1).encode()
            z.writestr(item, data)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt("secret", algorithm="AES-256")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def big(settings) -> bytes:
    return b"a" * (settings.max_file_bytes + 1)
