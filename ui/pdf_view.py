"""The page a citation points to, as an image with the cited span highlighted.

For a PDF the page is rendered with pypdfium2; for a page image (.png/.jpg)
the image itself is used. The span's characters are found on the page through
the Document's line boxes (ingest.layout.boxes_for) and painted over in
translucent yellow with a darker outline. No Streamlit here: the chat page
shows the PNG this returns. Text formats have no page: the caller shows the
highlighted text instead (ui.chat.source_page).
"""
from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from ingest.layout import boxes_for, page_of
from ingest.types import Document

PAGED_FORMATS = ("pdf", "png", "jpeg")
HIGHLIGHT = (255, 214, 0, 110)
OUTLINE = (230, 120, 0, 255)


@dataclass(frozen=True)
class PageView:
    page: int  # from 1
    pages: int
    png: bytes
    marked: int  # line pieces highlighted (0 when the span has no box on this page)


def page_label(page: int | None, lang: str = "zh") -> str:
    """The page as shown on a citation card.

    >>> page_label(3), page_label(3, "en"), page_label(None)
    ('第3页', 'p. 3', '')
    """
    if page is None:
        return ""
    return f"第{page}页" if lang == "zh" else f"p. {page}"


def has_pages(doc: Document) -> bool:
    """Can `doc` be shown as page images (a PDF or image with line boxes)?"""
    return doc.format in PAGED_FORMATS and bool(doc.boxes)


def render_page(path: Path, fmt: str, page: int, width: int = 1000):
    """Page `page` (from 1) of the file as an RGB PIL image about `width` pixels wide."""
    from PIL import Image, ImageOps

    if fmt == "pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(path)
        try:
            pg = pdf[page - 1]
            scale = width / pg.get_width()
            return pg.render(scale=scale).to_pil().convert("RGB")
        finally:
            pdf.close()
    image = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)))
    return image


def highlight(image, boxes) -> bytes:
    """`image` with each box (page fractions) painted over; PNG bytes."""
    from PIL import Image, ImageDraw

    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    w, h = image.size
    for b in boxes:
        rect = (b.x0 * w - 2, b.y0 * h - 2, b.x1 * w + 2, b.y1 * h + 2)
        draw.rectangle(rect, fill=HIGHLIGHT, outline=OUTLINE, width=2)
    out = BytesIO()
    Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB").save(out, "PNG", optimize=True)
    return out.getvalue()


def page_view(path: Path, doc: Document, start: int, end: int, width: int = 1000) -> PageView:
    """The page holding `doc.text[start:end]`, with that span highlighted."""
    if not has_pages(doc):
        raise ValueError(f"{doc.doc} is a {doc.format} file: it has no page images; show its text instead")
    page = page_of(doc.pages, start) or 1
    boxes = [b for b in boxes_for(doc.boxes, start, end, doc.text) if b.page == page]
    image = render_page(path, doc.format, page, width)
    return PageView(page, len(doc.pages), highlight(image, boxes), len(boxes))
