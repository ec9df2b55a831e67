"""The docstring examples of the tracker's pure modules."""
import doctest
import importlib

import pytest

MODULES = ["commitments.quantities", "commitments.phrases", "commitments.parse_targets", "commitments.extract_commitments",
           "commitments.similarity", "commitments.milestones", "commitments.extract_results", "commitments.link", "commitments.status", "commitments.export", "commitments.source",
           "commitments.evaluate", "commitments.chat", "ui.commitments_view"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
