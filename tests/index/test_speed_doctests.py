"""Run the docstring examples of the issue-8 modules (index choice, backends, benchmarks)."""
import doctest
import importlib

import pytest

MODULES = ["index.vectors", "index.embed", "index.embed_openvino", "index.export_backend", "bench.common",
           "bench.scale", "bench.scale_worker"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
