"""The house rules of docs/architecture.md, checked on the source so a change cannot drift.

Each file has one job and says it; no file is longer than a reader can hold; modules share only
public names; the layers import downwards only; every error and every result has one root.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import warnings
from pathlib import Path

import pytest

import asn_analysis
from asn_analysis.errors import AsnAnalysisError, AsnAnalysisWarning
from asn_analysis.results import Result

PACKAGE = Path(asn_analysis.__file__).parent
FILES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 1000
PKG = "asn_analysis"

# Which top-level parts of the package each part may import (besides itself). The foundation
# (errors, _validation, results) and stats import no domain; data imports no estimator; estimators
# never import reporting; only the entry points import everything.
FOUNDATION = {"errors", "_validation", "results"}
ALLOWED = {
    "errors": set(),
    "_validation": {"errors"},
    "results": {"errors"},
    "stats": FOUNDATION,
    "data": FOUNDATION,
    "defaults": set(),
    "settings": FOUNDATION | {"defaults"},
    # the run cache: the data layer, the foundation and the package version (its keys)
    "cache": FOUNDATION | {"data", "__version__"},
}
ENTRY_POINTS = {"pipeline", "kernels", "cli", "__init__"}


def _part(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names imported, line) for every asn_analysis import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "asn_analysis":
                found.append((node.module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "asn_analysis":
                    found.append((alias.name, [], node.lineno))
    return found


def test_files_are_found():
    assert len(FILES) > 40
    assert PACKAGE / "results.py" in FILES


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_file_is_short_and_says_its_job(path):
    text = path.read_text(encoding="utf-8")
    n_lines = text.count("\n")
    assert n_lines <= MAX_LINES, f"{path.name} has {n_lines} lines; split it by job"
    doc = ast.get_docstring(ast.parse(text))
    assert doc and len(doc.split()) >= 4, f"{path.name} opens with no docstring saying its job"


def test_no_module_imports_another_modules_private_names():
    offences = []
    for path in FILES:
        own = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}  # local name -> asn_analysis module it stands for
        for module, names, line in _imports(path):
            for name in names:
                if name.startswith("_") and not name.startswith("__"):
                    offences.append(f"{own}:{line} imports {name} from {module}")
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "asn_analysis":
                for a in node.names:
                    aliases[a.asname or a.name] = f"asn_analysis.{a.name}"
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "asn_analysis"
            ):
                for a in node.names:
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                offences.append(f"{own}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert not offences, "\n".join(offences)


def test_layers_import_downwards_only():
    offences = []
    for path in FILES:
        part = _part(path)
        if part in ENTRY_POINTS:
            continue
        for module, names, line in _imports(path):
            # `from asn_analysis import effects` imports the part named, not the package index
            targets = [module.split(".")[1]] if "." in module else (names or ["__init__"])
            for target in targets:
                offences += _layer_offences(path, part, module, target, line)
    assert not offences, "\n".join(offences)


def _layer_offences(path: Path, part: str, module: str, target: str, line: int) -> list[str]:
    offences = []
    if target != part:
        where = f"{path.relative_to(PACKAGE)}:{line}"
        if part in ALLOWED and target not in ALLOWED[part]:
            offences.append(f"{where} ({part}) imports {module}.{target}")
        if part != "reporting" and target == "reporting":
            offences.append(f"{where} imports reporting")
        if target in ENTRY_POINTS - {"__init__"}:
            offences.append(f"{where} imports an entry point")
    return offences


def _classes():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        modules = [asn_analysis] + [
            importlib.import_module(m.name)
            for m in pkgutil.walk_packages(asn_analysis.__path__, prefix="asn_analysis.")
        ]
    seen = {}
    for module in modules:
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__.startswith("asn_analysis"):
                seen[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return seen


def test_every_error_and_warning_has_the_one_root():
    classes = _classes()
    errors = [c for c in classes.values() if issubclass(c, Exception)]
    assert len(errors) >= 10
    bad = [c.__qualname__ for c in errors if not issubclass(c, (AsnAnalysisError, Warning))]
    bad += [
        c.__qualname__
        for c in errors
        if issubclass(c, Warning) and not issubclass(c, AsnAnalysisWarning)
    ]
    assert not bad, f"errors outside the root: {bad}"


# Tables of inputs or settings, not estimates: they keep their own shape.
NOT_RESULTS = {"ItemMap"}


def test_every_estimator_result_derives_from_the_one_base():
    classes = _classes()
    with_table = [
        c
        for c in classes.values()
        if dataclasses.is_dataclass(c) and "to_frame" in vars(c) and c.__name__ not in NOT_RESULTS
    ]
    names = {c.__name__ for c in with_table}
    assert {"EffectEstimate", "EventStudyResult", "FitEffectsResult", "SegmentResult"} <= names
    assert {"AlphaResult", "OmegaResult", "DriversResult", "CaseStudy", "MismatchResult"} <= names
    bad = [c.__name__ for c in with_table if not issubclass(c, Result)]
    assert not bad, f"results outside the base: {bad}"
    # The base's repr and rendering are used, not a dataclass repr of raw arrays.
    bad_repr = [c.__name__ for c in with_table if c.__repr__ is not Result.__repr__]
    assert not bad_repr, f"results with their own __repr__ (declare repr=False): {bad_repr}"
