"""Make a realistic test corpus from the seeds: text-layer PDFs, scanned PDFs, images, Word files.

Generators live here; their outputs go to a folder outside the repository
(tmp or out/). See docs/documents.md.
"""
from tools.testcorpus.render_docx import render_docx
from tools.testcorpus.render_pdf import render_pdf, seed_blocks
from tools.testcorpus.scan import scan_pdf

__all__ = ["render_docx", "render_pdf", "scan_pdf", "seed_blocks"]
