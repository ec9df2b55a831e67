"""Run the short examples in the docstrings of the pure modules."""
import doctest
import importlib

import pytest

MODULES = ["ingest.lines", "ingest.tables", "ingest.clean", "ingest.chunk", "index.bm25", "index.query",
           "index.expand", "index.rerank", "eval.metrics", "answer.evidence", "answer.check", "answer.frame",
           "answer.spans", "answer.pipeline", "answer.refuse", "answer.followup", "answer.extractive", "answer.focus",
           "ui.chat"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
