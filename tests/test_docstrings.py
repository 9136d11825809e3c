"""Docstring examples are documentation a user copies: they must run and be right."""

import doctest
import importlib

import pytest

# satisfaction and scales run their own examples in their test modules.
MODULES = ["data", "privacy", "overview", "report", "export", "resistance", "text"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"asn_analysis.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no docstring example"
    assert result.failed == 0
