"""Read a PDF page by page: its text layer (pypdfium2), ruled tables (pdfplumber), OCR for scans.

Each page becomes positioned lines: from the text layer when the page has one,
else (a scanned page: an image and no text) from OCR of the page rendered at
`OCR_DPI`. Pages with ruling lines are searched for tables, whose rows replace
the lines they cover as tab-separated cells. layout.py then drops running
headers, footers and page numbers, joins the lines of each paragraph, and
gives the text with page start offsets and a box per line (see Document).
A PDF encrypted with an empty user password (only "owner" restrictions, common
on government sites) is opened; one that needs a password is refused.
It does not clean sentences or find headings (clean.py does).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from io import BytesIO

from ingest.errors import LoadError
from ingest.layout import PAGE_SEPARATOR, TextLine, join_pages, join_wrapped  # noqa: F401  (PAGE_SEPARATOR re-exported)
from ingest.progress import report
from ingest.types import Box

log = logging.getLogger(__name__)
OCR_DPI = 200
MIN_RULINGS = 4  # path objects on a page before it is searched for tables


@dataclass(frozen=True)
class PdfText:
    text: str
    pages: tuple[int, ...]
    boxes: tuple[Box, ...]
    ocr_pages: int


def pdf_text(data: bytes, path: str) -> PdfText:
    """The text of the PDF in `data`: text layer where there is one, OCR elsewhere."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise LoadError(
                path, "encrypted PDF: it needs a password (only PDFs that open without one are supported)"
            ) from None
        raise LoadError(path, f"corrupt PDF: cannot be parsed ({exc})") from None
    try:
        return _read(pdf, data, path)
    finally:
        pdf.close()


def _read(pdf, data: bytes, path: str) -> PdfText:
    import pypdfium2.raw as raw

    count = len(pdf)
    pages: list[list[TextLine]] = []
    scanned = []
    for number in range(count):
        try:
            page = pdf[number]
            lines = _text_lines(page)
            if not lines and any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2)):
                scanned.append(number)
            elif lines and sum(1 for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2)) >= MIN_RULINGS:
                lines = _with_tables(data, number, lines)
        except LoadError:
            raise
        except Exception as exc:  # a damaged page object
            raise LoadError(path, f"corrupt PDF: cannot read page {number + 1} ({exc})") from None
        pages.append(lines)
    for done, number in enumerate(scanned, start=1):
        pages[number] = _ocr_page(pdf[number])
        report("OCR", done, len(scanned))
    if not any(pages):
        if scanned:
            raise LoadError(path, f"no text: OCR found none on its {len(scanned)} scanned page(s), "
                                  f"and none of its {count} page(s) has a text layer")
        raise LoadError(path, f"no text: none of its {count} page(s) has a text layer or a scanned image to OCR")
    text, starts, boxes = join_pages(pages)
    return PdfText(text, starts, boxes, len(scanned))


def _text_lines(page) -> list[TextLine]:
    """The text layer's lines (as pdfium orders them) with their boxes in page fractions."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        text = textpage.get_text_range(0, n) if n else ""
        lines: list[TextLine] = []
        start = 0
        for end in [i for i, ch in enumerate(text) if ch == "\n"] + [len(text)]:
            chars = [(i, text[i]) for i in range(start, end) if text[i] not in "\r\n"]
            start = end + 1
            if not "".join(c for _, c in chars).strip():
                continue
            boxes = [textpage.get_charbox(i) for i, c in chars if not c.isspace()]
            x0, x1 = min(b[0] for b in boxes), max(b[2] for b in boxes)
            bottom, top = min(b[1] for b in boxes), max(b[3] for b in boxes)
            lines.append(TextLine("".join(c for _, c in chars), x0 / width, 1 - top / height,
                                  x1 / width, 1 - bottom / height))
        return lines
    finally:
        textpage.close()


def _with_tables(data: bytes, number: int, lines: list[TextLine]) -> list[TextLine]:
    """`lines` with each ruled table's area replaced by its rows (cells joined by tabs)."""
    import pdfplumber

    with pdfplumber.open(BytesIO(data)) as plumber:
        page = plumber.pages[number]
        width, height = float(page.width), float(page.height)
        tables = []
        for table in page.find_tables():
            rows = []
            for cells, row in zip(table.extract(), table.rows):
                texts = [join_wrapped(c or "") for c in cells]
                if any(texts):
                    x0, top, x1, bottom = row.bbox
                    rows.append(TextLine("\t".join(texts).rstrip("\t"), x0 / width, top / height,
                                         x1 / width, bottom / height, cells=True))
            if len(rows) >= 2:
                x0, top, x1, bottom = table.bbox
                tables.append((x0 / width, top / height, x1 / width, bottom / height, rows))
    if not tables:
        return lines
    out: list[TextLine] = []
    placed = set()
    for line in lines:
        cx, cy = (line.x0 + line.x1) / 2, (line.y0 + line.y1) / 2
        hit = next((k for k, t in enumerate(tables) if t[0] <= cx <= t[2] and t[1] <= cy <= t[3]), None)
        if hit is None:
            out.append(line)
        elif hit not in placed:
            placed.add(hit)
            out.extend(tables[hit][4])
    log.info("page %d: %d table(s)", number + 1, len(placed))
    return out


def _ocr_page(page) -> list[TextLine]:
    from ingest.ocr import ocr_image

    image = page.render(scale=OCR_DPI / 72, grayscale=True).to_pil()
    return ocr_image(image)
