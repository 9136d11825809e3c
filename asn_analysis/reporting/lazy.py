"""Lazy re-exports: a package's public names imported from their submodules on first use.

A package index (``reporting.findings``, ``reporting.plots``) lists where each public name is
defined; :func:`lazy_exports` gives the module ``__getattr__`` and ``__dir__`` (:pep:`562`)
that import a submodule only when one of its names is first used, so a notebook that needs
one domain's functions does not import every domain's libraries at start-up.

Examples
--------
>>> getattr_, dir_ = lazy_exports("asn_analysis.reporting", {"choose": "text"}, {})
>>> getattr_("choose").__name__
'choose'
>>> "choose" in dir_()
True
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, where: dict[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return a package's ``__getattr__`` and ``__dir__`` for names defined in its submodules.

    Parameters
    ----------
    package : str
        The package's name (``__name__``).
    where : dict of str to str
        Public name -> the submodule (relative name) that defines it.
    namespace : dict
        The package's ``globals()``: a name, once imported, is stored there (so the next use
        is an ordinary attribute).

    Returns
    -------
    (callable, callable)
        ``__getattr__(name)`` (raises AttributeError for other names) and ``__dir__()``.
    """

    def getattr_(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{where[name]}"), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted(set(namespace) | set(where))

    return getattr_, dir_
