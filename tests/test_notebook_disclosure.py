"""No small cell in any table a notebook shows (issue 13, "Disclosure control in one place").

Every table a notebook displays goes through :func:`asn_analysis.reporting.notebook.show`,
which applies :mod:`asn_analysis.reporting.disclosure` and displays, beside the text, the shown
cells and which columns count people (``TABLE_MIME``). The scan reads those tables back from
executed notebooks and runs :func:`~asn_analysis.reporting.disclosure.violations` (and, for
cross-tabulations, :func:`~asn_analysis.reporting.disclosure.recoverable`) on them: on the
committed notebooks (bundled data) and on a run on a fixture built to contain tiny cells
(``tests/tiny_data.py``: real-form data, one unit with 3 employees). A source check makes sure
no code cell shows a table any other way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from tiny_data import SALT, build_tiny

from asn_analysis.pipeline import notebooks_dir, run
from asn_analysis.reporting.disclosure import (
    SUPPRESSED,
    DisclosureSpecError,
    is_hidden,
    recoverable,
    violations,
)
from asn_analysis.reporting.notebook import TABLE_MIME, show

NOTEBOOKS = sorted(notebooks_dir().glob("[0-9]*.ipynb"))
FAST = [("n_boot", "20"), ("n_boot_wild", "19"), ("n_boot_stability", "5")]


def shown_tables(path: Path) -> list[tuple[int, dict, str]]:
    """Every table ``show`` displayed in an executed notebook: (cell, payload, text)."""
    nb = nbformat.read(path, as_version=4)
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if TABLE_MIME in data:
                found.append((i, data[TABLE_MIME], data["text/plain"]))
    return found


def table_problems(payload: dict, text: str) -> list[str]:
    """The small-cell problems of one shown table, and any mismatch between its two forms."""
    rows = [tuple(i) if isinstance(i, list) else i for i in payload["index"]]  # MultiIndex
    index = pd.MultiIndex.from_tuples(rows) if rows and isinstance(rows[0], tuple) else rows
    frame = pd.DataFrame(payload["data"], columns=payload["columns"], index=index)
    frame.columns = [str(c) for c in frame.columns]
    problems = violations(frame, counts=payload["counts"], stats=payload["stats"])
    margins = payload.get("margins")
    if payload["crosstab"] and margins in frame.index and margins in frame.columns:
        inner = frame[payload["counts"]]
        problems += [
            f"recoverable {cell}" for cell in recoverable(inner.map(is_hidden), margins=margins)
        ]
    n_small = int((frame == SUPPRESSED).to_numpy().sum())
    if text.count(SUPPRESSED) < n_small:  # the note line adds "<5"s of its own
        problems.append(f"text shows {text.count(SUPPRESSED)} '<5', the table has {n_small}")
    # "<5" only on counts of people or statistics: a cell hidden to protect another reads "x"
    for col in frame.columns:
        if col in payload["counts"] or col in payload["stats"]:
            continue
        if (frame[col] == SUPPRESSED).any():
            problems.append(f"{col}: '<5' on a column that is neither a count nor a statistic")
    return problems


def scan(paths) -> tuple[list[str], int, int]:
    """Problems over all notebooks, the number of tables checked and of cells hidden."""
    problems, n_tables, n_hidden = [], 0, 0
    for path in paths:
        for cell, payload, text in shown_tables(path):
            n_tables += 1
            n_hidden += sum(is_hidden(v) for row in payload["data"] for v in row)
            problems += [f"{path.name} cell {cell}: {p}" for p in table_problems(payload, text)]
    return problems, n_tables, n_hidden


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny_cells")
    folder = build_tiny(root / "data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ASN_ANALYSIS_SALT", SALT)
        result = run(data=folder, out=root / "out", progress=False, parameters=FAST)
    return result, root / "out" / "notebooks", folder


def test_the_fixture_has_tiny_groups(tiny_run):
    _, _, folder = tiny_run
    staff = pd.read_csv(folder / "employees.csv", dtype=str)["unit_id"].value_counts()
    assert staff["U30"] == 3 and len(staff) == 30


def test_every_notebook_runs_on_tiny_cells(tiny_run):
    result, out, _ = tiny_run
    assert sorted(p.name for p in out.glob("*.ipynb")) == [p.name for p in NOTEBOOKS]
    assert not result.not_analysed and not result.skipped_sections


def test_no_small_cell_in_the_notebooks_of_the_tiny_run(tiny_run):
    _, out, _ = tiny_run
    problems, n_tables, n_hidden = scan(sorted(out.glob("*.ipynb")))
    assert problems == []
    assert n_tables >= 40 and n_hidden > 0  # the scan saw tables, and tiny cells were hidden


def test_no_small_cell_in_the_committed_notebooks():
    problems, n_tables, n_hidden = scan(NOTEBOOKS)
    assert problems == []
    assert n_tables >= 40 and n_hidden > 0


def test_the_scan_finds_what_show_would_hide():
    t = pd.DataFrame({"unit": ["A", "B"], "n": [12, 3], "mean": [1.5, 2.0]})
    spec = {"counts": ["n"], "stats": {"mean": ["n"]}, "crosstab": False, "margins": None}
    raw = {"columns": list(t.columns), "index": [0, 1], "data": t.to_numpy().tolist(), **spec}
    assert table_problems(raw, t.to_string()) == ["n row 1: 3", "mean row 1: 2.0 over n=3"]
    shown = show(t, counts=["n"], stats={"mean": "n"}, display=False)
    payload = shown._repr_mimebundle_()[TABLE_MIME]
    assert table_problems(payload, shown.text) == []
    # a crosstab hiding one cell per line only would give it away by subtraction
    x = pd.DataFrame(
        [[3, 10, 13], [10, 10, 20], [13, 20, 33]],
        index=["a", "b", "All"],
        columns=["x", "y", "All"],
    ).astype(object)
    x.loc["a", "x"] = SUPPRESSED
    raw = {
        "columns": list(x.columns),
        "index": list(x.index),
        "data": x.to_numpy().tolist(),
        "counts": list(x.columns),
        "stats": {},
        "crosstab": True,
        "margins": "All",
    }
    assert table_problems(raw, x.to_string()) == ["recoverable ('a', 'x')"]


def test_show_makes_every_count_column_say_what_it_counts():
    t = pd.DataFrame({"unit": ["A"], "n": [3], "n_below": [1]})
    with pytest.raises(DisclosureSpecError, match=r"not classified: \['n_below'\]"):
        show(t, counts=["n"], display=False)
    shown = show(t, counts=["n"], other_counts=["n_below"], display=False)
    assert shown.table["n"].tolist() == [SUPPRESSED] and shown.table["n_below"].tolist() == [1]


def test_show_protects_a_crosstab_and_its_statistics(capsys):
    x = pd.crosstab(
        pd.Series(list("aaaaaaabbbbbbbbb"), name="g"),
        pd.Series(list("xxxxxxyxxxxxxyyy"), name="c"),
        margins=True,
    )
    x["median"] = [1.0, 2.0, 3.0]
    show(x, crosstab=True, stats={"median": "All"}, lang="en")
    printed = capsys.readouterr().out
    assert printed.splitlines()[-1] == (
        "6 cells hidden (<5 = fewer than 5 people; x = hidden so that a <5 cell cannot be worked "
        "out; UU 27/2022)."
    )
    assert "1.0" in printed  # the median over the 7 of row a is shown


#: Calls that build a table: printing their result would bypass ``show``.
TABLE_CALLS = {
    "agg",
    "count",
    "crosstab",
    "DataFrame",
    "describe",
    "groupby",
    "head",
    "isna",
    "merge",
    "pivot_table",
    "reset_index",
    "round",
    "Series",
    "set_index",
    "sort_values",
    "sum",
    "tail",
    "to_frame",
    "value_counts",
}


def _printed_tables(node: ast.Call) -> list[str]:
    """Table-building calls printed directly: ``print(df.round(3))``, ``print(pd.crosstab(..))``."""
    found = []
    for arg in node.args:
        target = arg.value if isinstance(arg, ast.Starred) else arg
        if isinstance(target, ast.Call):
            func = target.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if (
                name in TABLE_CALLS
                and name != "round"
                or (name == "round" and isinstance(func, ast.Attribute))
            ):
                found.append(name)
    return found


def _code_cells(path: Path):
    for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type == "code":
            yield i, cell.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_code_cell_shows_a_table_bypassing_show(path):
    for i, source in _code_cells(path):
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("to_string", "to_markdown", "to_html", "style"), (
                    i,
                    node.attr,
                )
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("display", "HTML"), (i, node.func.id)
                if node.func.id == "print":
                    assert not _printed_tables(node), (i, ast.unparse(node))
        last = tree.body[-1] if tree.body else None
        if isinstance(last, ast.Expr):  # a value left at the end of a cell is displayed
            ends_quiet = source.rstrip().endswith(";")
            shows = isinstance(last.value, ast.Call) and getattr(last.value.func, "id", "") in (
                "show",
                "print",
            )
            assert ends_quiet or shows, (i, ast.unparse(last))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_committed_output_is_a_raw_table(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            assert "text/html" not in data, (path.name, i)  # a DataFrame's rendering
            assert out.get("output_type") != "execute_result", (path.name, i)  # a cell's last value
