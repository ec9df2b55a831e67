"""Turn a PDF into an image-only "scanned" PDF: pages rendered, optionally skewed and noisy.

Pages are rendered with pypdfium2 at `dpi`, optionally rotated by `skew`
degrees, given Gaussian noise and saved as JPEG at `quality`: what a cheap
office scanner produces. The result has no text layer at all.
"""
from __future__ import annotations

from io import BytesIO

import numpy as np
import pypdfium2 as pdfium
from PIL import Image


def scan_pages(data: bytes, *, dpi: int, skew: float = 0.0, noise: float = 0.0, seed: int = 0) -> list[Image.Image]:
    """The pages of the PDF in `data` as grey images, degraded as asked."""
    rng = np.random.default_rng(seed)
    pdf = pdfium.PdfDocument(data)
    images = []
    for page in pdf:
        img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        if skew:
            img = img.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor=255)
        if noise:
            arr = np.asarray(img, dtype=np.float32) + rng.normal(0, noise, (img.height, img.width))
            img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
        images.append(img)
    pdf.close()
    return images


def scan_pdf(data: bytes, *, dpi: int, skew: float = 0.0, noise: float = 0.0, quality: int = 85) -> bytes:
    """An image-only PDF of the pages of `data` (JPEG inside, `dpi` recorded as the resolution)."""
    images = scan_pages(data, dpi=dpi, skew=skew, noise=noise)
    jpegs = []
    for img in images:  # a JPEG round trip gives the compression artefacts of a real scan
        buf = BytesIO()
        img.save(buf, "JPEG", quality=quality)
        jpegs.append(Image.open(BytesIO(buf.getvalue())))
    out = BytesIO()
    jpegs[0].save(out, "PDF", save_all=True, append_images=jpegs[1:], resolution=float(dpi), quality=quality)
    return out.getvalue()
