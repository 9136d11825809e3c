"""Docstring examples are documentation a user copies: every module's must run and be right."""

import doctest
import importlib
import pkgutil

import pytest

import asn_analysis

# Entry points and package indexes hold no examples of their own.
NO_EXAMPLES = {"asn_analysis.cli", "asn_analysis.pipeline"}

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(asn_analysis.__path__, prefix="asn_analysis.")
    if not info.name.endswith("__main__")
)


def test_every_module_is_collected():
    assert {"asn_analysis.errors", "asn_analysis.results", "asn_analysis.stats.bootstrap"} <= set(
        MODULES
    )


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0
    is_index = module.__file__.endswith("__init__.py")
    if name not in NO_EXAMPLES and not is_index:
        assert result.attempted > 0, f"{name} has no docstring example"
