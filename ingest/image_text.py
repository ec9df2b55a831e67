"""Read the text of a page image (.png, .jpg, .jpeg) by OCR.

The image is one page: its lines go through the same layout step as a PDF's
(furniture dropped, paragraphs joined), with boxes on the image. A file that
is not a readable image is refused; an image without text is refused later
as empty. EXIF rotation is applied first, as a phone photo expects.
"""
from __future__ import annotations

from io import BytesIO

from ingest.errors import LoadError
from ingest.layout import join_pages
from ingest.pdf_text import PdfText
from ingest.progress import report

MAX_PIXELS = 60_000_000  # about an A3 page at 600 dpi; larger is refused, not decoded


def image_text(data: bytes, path: str, fmt: str) -> PdfText:
    """OCR text of the image in `data` (`fmt` "png" or "jpeg")."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        image = Image.open(BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise LoadError(path, f"image too large: {image.width}x{image.height} pixels (at most {MAX_PIXELS:,})")
        image.load()
    except LoadError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise LoadError(path, f"corrupt image: cannot be decoded as {fmt.upper()} ({exc})") from None
    image = ImageOps.exif_transpose(image).convert("L")
    from ingest.ocr import ocr_image

    lines = ocr_image(image)
    report("OCR", 1, 1)
    text, starts, boxes = join_pages([lines])
    return PdfText(text, starts, boxes, 1)
