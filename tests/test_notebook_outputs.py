"""The committed notebooks print nothing a reader cannot use: no source paths, no raw warnings.

The executed notebooks are committed and read by people who never saw the code; a warning
printed by Python carries the path of the library file that raised it (a developer's home
folder, committed to the repository). Every notebook installs
:func:`asn_analysis.reporting.notebook.plain_warnings` in its first cell instead.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

from asn_analysis.errors import AsnAnalysisWarning
from asn_analysis.reporting.notebook import plain_warnings, warning_line
from asn_analysis.scales import InsufficientAnswersWarning

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("[0-9]*.ipynb"))
#: A path of this checkout or of an installed package, as Python's warning line shows it.
PATH = re.compile(r"(/[\w.-]+)+\.py:\d+|site-packages|[A-Za-z]:\\\\")


def _stream_texts(nb: Path):
    for i, cell in enumerate(json.loads(nb.read_text(encoding="utf-8"))["cells"]):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                yield i, out.get("name"), "".join(out.get("text", ""))


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_outputs_hold_no_path_and_no_raw_warning(nb):
    bad = [
        (i, name, text[:120])
        for i, name, text in _stream_texts(nb)
        if PATH.search(text) or re.search(r"\w+Warning: ", text)
    ]
    assert not bad, bad


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_installs_plain_warnings_first(nb):
    cells = [
        c for c in json.loads(nb.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"
    ]
    first_imports = next(c for c in cells if "import" in "".join(c["source"]))
    assert "plain_warnings()" in "".join(first_imports["source"])


def test_plain_warnings_prints_each_analysis_warning_once_without_a_path(capsys):
    before = warnings.showwarning
    python_shown = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            # stands in for Python's own display, which the hook hands other warnings to
            warnings.showwarning = lambda message, category, *args, **kw: python_shown.append(
                (category, str(message))
            )
            plain_warnings()
            for _ in range(3):
                warnings.warn(
                    "NaN scores per scale: 'threat': 4.", InsufficientAnswersWarning, stacklevel=1
                )
            warnings.warn("something else", AsnAnalysisWarning, stacklevel=1)
            warnings.warn("not ours", UserWarning, stacklevel=1)
    finally:
        warnings.showwarning = before
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert lines == [
        warning_line("NaN scores per scale: 'threat': 4.", InsufficientAnswersWarning),
        "Note from the analysis / Catatan analisis: something else",
    ]
    assert "Sebagian responden" in lines[0] and not PATH.search(out)
    assert python_shown == [(UserWarning, "not ours")]  # not ours: shown as Python shows it
