"""OCR of page images on the CPU, offline: the engine protocol, RapidOCR, and line building.

`make_ocr(name)` returns an OcrEngine (one method, `read(image) -> [OcrBox]`).
The default engine is RapidOCR 3 on onnxruntime, whose Chinese detection and
recognition models ship inside the `rapidocr` wheel: nothing is downloaded.
`ocr_lines` turns the engine's boxes into printed lines in reading order: the
page's skew is measured from the boxes and undone, boxes on one row are put
left to right, and a row whose boxes stand apart (table cells) keeps them as
tab-separated cells. It does not clean or join paragraphs (see layout.py).
"""
from __future__ import annotations

import logging
import math
import statistics
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, Sequence

from ingest.layout import TextLine

log = logging.getLogger(__name__)
ENGINES = ("rapidocr",)
# Gaps, in character heights, that separate table cells: between two boxes on one row (the
# engine already keeps a line's words in one box), and between two pieces inside one box.
CELL_GAP, WORD_GAP = 0.6, 0.7


@dataclass(frozen=True)
class OcrBox:
    """One text box as read: corners in pixels (clockwise from top-left) and a confidence 0..1.

    `words` are the engine's pieces of `text` (characters, or Latin words and
    numbers) with their left and right x, when it gives them: a wide gap
    between two pieces is a column rule the detector read across.
    """

    text: str
    corners: tuple[tuple[float, float], ...]
    conf: float
    words: tuple[tuple[str, float, float], ...] = ()


def split_cells(box: OcrBox, char_h: float) -> list[str]:
    """The box's text cut where its pieces stand further apart than a cell gap.

    >>> b = OcrBox("序号指标名称", (), 0.9, (("序", 0, 30), ("号", 31, 60), ("指", 90, 120), ("标", 121, 150),
    ...                                  ("名", 151, 180), ("称", 181, 210)))
    >>> split_cells(b, 30)
    ['序号', '指标名称']
    """
    text = box.text.strip()
    if len(box.words) < 2 or "".join(w for w, _, _ in box.words) != "".join(text.split()):
        return [text]
    cells, pos, start = [], 0, 0
    for k, (word, x0, _) in enumerate(box.words):
        at = text.index(word[0], pos)
        if k and x0 - box.words[k - 1][2] > WORD_GAP * char_h:
            cells.append(text[start:at].strip())
            start = at
        pos = at + len(word) if text.startswith(word, at) else at + 1
    cells.append(text[start:].strip())
    return [c for c in cells if c]


class OcrEngine(Protocol):
    name: str

    def read(self, image) -> list[OcrBox]:
        """The text boxes on a PIL image."""
        ...


class RapidOcr:
    """RapidOCR 3 (PP-OCR det + rec models from the wheel) on onnxruntime."""

    name = "rapidocr"

    def __init__(self) -> None:
        import numpy as np
        from rapidocr import RapidOCR

        self._np = np
        self._engine = RapidOCR(params={"Global.log_level": "error", "Global.use_cls": False})

    def read(self, image) -> list[OcrBox]:
        result = self._engine(self._np.asarray(image.convert("RGB")), return_word_box=True)
        if result.boxes is None or not result.txts:
            return []
        words = result.word_results or [()] * len(result.txts)
        return [OcrBox(text, tuple((float(x), float(y)) for x, y in quad), float(score), _words(pieces))
                for quad, text, score, pieces in zip(result.boxes, result.txts, result.scores, words)]


def _words(pieces) -> tuple[tuple[str, float, float], ...]:
    """RapidOCR's (text, score, corners) pieces as (text, left x, right x)."""
    try:
        return tuple((str(t), float(min(p[0] for p in quad)), float(max(p[0] for p in quad))) for t, _, quad in pieces)
    except (TypeError, ValueError, IndexError):
        return ()


@lru_cache(maxsize=2)
def make_ocr(name: str = "rapidocr") -> OcrEngine:
    """The OCR engine called `name` (loaded once per process)."""
    if name == "rapidocr":
        return RapidOcr()
    raise ValueError(f"unknown OCR engine {name!r}; choose from {', '.join(ENGINES)}")


def _skew(boxes: Sequence[OcrBox]) -> float:
    """The page's skew in radians: the median slope of the top edge of long boxes."""
    angles = []
    for b in boxes:
        (x0, y0), (x1, y1) = b.corners[0], b.corners[1]
        if x1 - x0 > 4 * abs(b.corners[3][1] - y0):  # wide boxes give a reliable slope
            angles.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(angles) if angles else 0.0


def table_rows(image, angle: float) -> list[tuple[float, float]]:
    """(top, bottom) of each ruled table row on the page, in de-skewed pixel coordinates.

    The page is turned straight, long horizontal rules are found from the dark
    pixels per scan line, and the band between two rules counts as a table row
    when at least two vertical rules cross it (a header rule alone does not).
    """
    import numpy as np

    straight = image.convert("L").rotate(math.degrees(angle), fillcolor=255)
    dark = np.asarray(straight) < 128
    ys = np.flatnonzero(dark.mean(axis=1) > 0.35)
    rules: list[float] = []
    for y in ys:  # a rule is a few scan lines thick: keep one y per rule
        if rules and y - rules[-1] <= 4:
            continue
        rules.append(float(y))
    rows = []
    for top, bottom in zip(rules, rules[1:]):
        band = dark[int(top) + 4:int(bottom) - 2]
        if band.shape[0] < 4:
            continue
        crossing = band.mean(axis=0) > 0.9
        runs = int(np.count_nonzero(crossing[1:] & ~crossing[:-1])) + int(crossing[0])
        if runs >= 2:
            rows.append((top, bottom))
    return rows


def _merge_table_rows(rows: list[list[tuple]], bands: Sequence[tuple[float, float]]) -> list[list[tuple]]:
    """Rows of boxes joined where they lie in one ruled table row (a cell wrapped over lines)."""
    out: list[list[tuple]] = []
    last_band = None
    for row in rows:
        centre = statistics.median((p[1] + p[3]) / 2 for p in row)
        band = next((k for k, (top, bottom) in enumerate(bands) if top < centre < bottom), None)
        if band is not None and band == last_band:
            out[-1] = out[-1] + row
        else:
            out.append(list(row))
        last_band = band
    return out


def _columns(row: list[tuple]) -> list[list[tuple]]:
    """The boxes of a table row grouped into columns (overlapping in x), each top to bottom."""
    cols: list[list[tuple]] = []
    for p in sorted(row, key=lambda p: p[0]):
        if cols and p[0] < max(q[2] for q in cols[-1]) - 2:
            cols[-1].append(p)
        else:
            cols.append([p])
    return [sorted(c, key=lambda p: p[1]) for c in cols]


def ocr_lines(boxes: Sequence[OcrBox], width: float, height: float,
              bands: Sequence[tuple[float, float]] = ()) -> list[TextLine]:
    """Printed lines in reading order from OCR boxes on a `width` x `height` image.

    `bands` are ruled table rows (see `table_rows`): boxes in one band make one
    line, a column's wrapped lines joined into its cell.

    >>> box = lambda t, x0, y0, x1: OcrBox(t, ((x0, y0), (x1, y0), (x1, y0 + 20), (x0, y0 + 20)), 0.9)
    >>> lines = ocr_lines([box("属性", 500, 102, 560), box("序号", 100, 100, 160), box("正文", 100, 200, 900)], 1000, 1000)
    >>> [(l.text, l.cells) for l in lines]
    [('序号\\t属性', True), ('正文', False)]
    """
    boxes = [b for b in boxes if b.text.strip()]
    if not boxes:
        return []
    angle = _skew(boxes)
    cos, sin = math.cos(-angle), math.sin(-angle)

    def straight(x: float, y: float) -> tuple[float, float]:  # undo the skew about the page centre
        dx, dy = x - width / 2, y - height / 2
        return width / 2 + dx * cos - dy * sin, height / 2 + dx * sin + dy * cos

    placed = []
    for b in boxes:
        pts = [straight(x, y) for x, y in b.corners]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        placed.append((min(xs), min(ys), max(xs), max(ys), b))
    placed.sort(key=lambda p: (p[1] + p[3]) / 2)
    rows: list[list[tuple]] = []
    for p in placed:
        centre = (p[1] + p[3]) / 2
        if rows:
            last = rows[-1]
            top, bottom = min(q[1] for q in last), max(q[3] for q in last)
            if top < centre < bottom and abs(centre - (top + bottom) / 2) < 0.35 * (bottom - top):
                last.append(p)
                continue
        rows.append([p])
    if bands:
        rows = _merge_table_rows(rows, bands)
    lines = []
    for row in rows:
        if bands and len(_columns(row)) < len(row):  # a wrapped cell: one line per table row
            lines.append(_table_line(_columns(row), width, height))
            continue
        row.sort(key=lambda p: p[0])
        char_h = statistics.median(p[3] - p[1] for p in row)
        first = split_cells(row[0][4], char_h)
        text, cells = "\t".join(first), len(first) > 1
        for a, b in zip(row, row[1:]):
            parts = split_cells(b[4], char_h)
            cells = cells or len(parts) > 1
            if _ink_left(b) - _ink_right(a) > CELL_GAP * char_h:
                text, cells = text + "\t" + "\t".join(parts), True
            else:
                text += "\t".join(parts)
        confs = [p[4].conf for p in row]
        lines.append(TextLine(text, min(p[0] for p in row) / width, min(p[1] for p in row) / height,
                              max(p[2] for p in row) / width, max(p[3] for p in row) / height,
                              conf=sum(confs) / len(confs), cells=cells))
    return lines


def _table_line(cols: list[list[tuple]], width: float, height: float) -> TextLine:
    from ingest.layout import glue

    cells = []
    for col in cols:
        text = ""
        for p in col:
            piece = p[4].text.strip()
            text = text + glue(text, piece) + piece if text else piece
        cells.append(text)
    flat = [p for c in cols for p in c]
    confs = [p[4].conf for p in flat]
    return TextLine("\t".join(cells), min(p[0] for p in flat) / width, min(p[1] for p in flat) / height,
                    max(p[2] for p in flat) / width, max(p[3] for p in flat) / height,
                    conf=sum(confs) / len(confs), cells=True)


def _ink_left(placed: tuple) -> float:
    """Left edge of a placed box's first character (boxes have padding around the ink)."""
    box = placed[4]
    return min(placed[0] + (box.words[0][1] - min(x for x, _ in box.corners)), placed[2]) if box.words else placed[0]


def _ink_right(placed: tuple) -> float:
    box = placed[4]
    return max(placed[2] - (max(x for x, _ in box.corners) - box.words[-1][2]), placed[0]) if box.words else placed[2]


def ocr_image(image, engine: OcrEngine | None = None) -> list[TextLine]:
    """OCR one page image into printed lines (see `ocr_lines`)."""
    engine = engine or make_ocr()
    boxes = engine.read(image)
    log.info("OCR: %d boxes on a %dx%d image", len(boxes), image.width, image.height)
    kept = [b for b in boxes if b.text.strip()]
    bands = table_rows(image, _skew(kept)) if kept else []
    return ocr_lines(boxes, image.width, image.height, bands)
