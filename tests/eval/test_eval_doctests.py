"""Run the short examples in the docstrings of the eval modules."""
import doctest
import importlib

import pytest

MODULES = ["eval.metrics", "eval.cmrc", "eval.bootstrap", "eval.formats", "eval.passage_index", "eval.svg",
           "eval.report", "eval.compare", "eval.ablations", "eval.harness"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
