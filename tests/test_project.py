import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names that differ from the PyPI names used in pyproject.toml
CONDA_NAMES = {}
CONDA_ONLY = {"python", "pip"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def pyproject_packages() -> set[str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"])
    for extra in meta["optional-dependencies"].values():
        reqs += extra
    return {CONDA_NAMES.get(_name(r), _name(r)) for r in reqs}


def environment_packages() -> set[str]:
    names = set()
    in_deps = False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        m = re.match(r"^(?:  |      )- ([A-Za-z0-9_.\-]+)", line)
        if in_deps and m and not m.group(1).startswith("-") and not line.strip().endswith(":"):
            names.add(_name(m.group(1)))
    return names - CONDA_ONLY


def test_environment_yml_matches_pyproject():
    in_pyproject, in_env = pyproject_packages(), environment_packages()
    assert in_pyproject == in_env, (
        f"only in pyproject.toml: {sorted(in_pyproject - in_env)}; "
        f"only in environment.yml: {sorted(in_env - in_pyproject)}"
    )


def test_environment_yml_parser_sees_packages():
    # Guard against the parser silently returning nothing.
    assert {"pandas", "pandera", "nbval"} <= environment_packages()


def test_readme_quick_start_gives_the_two_commands():
    text = (ROOT / "README.md").read_text()
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^make \w+", quick, flags=re.M)
    assert commands == ["make run", "make test"]
    assert "synthetic" in text.lower()


def test_ci_runs_make_test_only():
    lines = [
        ln.strip()
        for ln in (ROOT / ".ci" / "run").read_text().splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    assert lines[-1] == "make test"


@pytest.mark.parametrize("folder", ["asn_analysis", "notebooks", "data", "tests", "benchmarks"])
def test_layout(folder):
    assert (ROOT / folder).is_dir()
