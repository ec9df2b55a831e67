"""Run the docstring examples of the document-format modules (issue 10)."""
import doctest
import importlib

import pytest

MODULES = ["ingest.layout", "ingest.ocr", "ingest.docx_text", "ingest.document_chunks", "bench.cer",
           "tools.testcorpus.render_pdf", "ui.pdf_view"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
