"""The small-cell rule (reporting.disclosure): hand-computed cases and an audit of recoverability.

Reference: the threshold rule with complementary suppression (Hundepool et al., Statistical
Disclosure Control, 2012, ch. 4-5). The audit below is independent of the implementation: a
hidden cell of a table with margins is recoverable by subtraction exactly when its unit vector
lies in the row space of the sum constraints restricted to the hidden cells (linear algebra on
the constraint matrix, numpy.linalg.matrix_rank).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from asn_analysis.reporting.disclosure import (
    HIDDEN,
    SUPPRESSED,
    DisclosureSpecError,
    disclosure_note,
    is_hidden,
    protect,
    protect_crosstab,
    recoverable,
    violations,
)


def test_counts_one_to_four_hidden_zero_and_five_shown():
    t = pd.DataFrame({"n": [0, 1, 2, 3, 4, 5, 40]})
    out = protect(t, counts=["n"])
    assert out["n"].tolist() == [0, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, 5, 40]
    assert out.attrs["disclosure"] == {"primary": 4, "secondary": 0}


def test_statistic_over_fewer_than_five_hidden_even_when_count_is_zero():
    t = pd.DataFrame({"n": [0, 4, 5], "mean": [np.nan, 2.5, 3.0]})
    out = protect(t, counts=["n"], stats={"mean": "n"})
    assert out["mean"].tolist()[1:] == [SUPPRESSED, 3.0]
    assert violations(out, counts=["n"], stats={"mean": "n"}) == []
    # without the rule the same table breaks it twice
    assert len(violations(t, counts=["n"], stats={"mean": "n"})) == 2


def test_complement_of_a_count_is_a_count_of_people():
    # 9 of 11 below standard: 2 are not, so 9 (and the share) would reveal two people
    t = pd.DataFrame({"n": [11, 11, 11], "n_below": [9, 6, 0], "share": [9 / 11, 6 / 11, 0.0]})
    out = protect(
        t, counts=["n", "n_below"], totals={"n_below": "n"}, stats={"share": ("n", "n_below")}
    )
    # 9 is not small: it is hidden to protect the 2 and reads "x", never "<5"
    assert out["n_below"].tolist() == [HIDDEN, 6, 0]
    assert out["share"].tolist() == [HIDDEN, 6 / 11, 0.0]  # 0 of 11 reveals nobody
    assert out["n"].tolist() == [11, 11, 11]


def test_unknown_column_is_named():
    with pytest.raises(DisclosureSpecError, match="n_below"):
        protect(pd.DataFrame({"n": [1]}), counts=["n", "n_below"])


def _recoverable(values: pd.DataFrame, hidden: np.ndarray, margins: str = "All") -> list[tuple]:
    """Hidden cells an intruder pins down from the shown cells, the sums and counts >= 0.

    For each hidden cell, linear programming (scipy.optimize.linprog) finds its smallest and
    largest value consistent with every row and column sum and with the shown cells; the cell is
    recovered when the two coincide.
    """
    from scipy.optimize import linprog

    cells = [(r, c) for r in values.index for c in values.columns]
    hid = [
        cell
        for cell in cells
        if hidden[values.index.get_loc(cell[0]), values.columns.get_loc(cell[1])]
    ]
    if not hid:
        return []
    col = {cell: j for j, cell in enumerate(hid)}
    a_eq, b_eq = [], []
    lines = [([(r, c) for c in values.columns if c != margins], (r, margins)) for r in values.index]
    lines += [
        ([(r, c) for r in values.index if r != margins], (margins, c)) for c in values.columns
    ]
    for inner, total in lines:
        row, rhs = np.zeros(len(hid)), 0.0
        for cell, sign in [*((x, 1.0) for x in inner), (total, -1.0)]:
            if cell in col:
                row[col[cell]] += sign
            else:
                rhs -= sign * float(values.loc[cell])
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
    out = []
    for cell, j in col.items():
        bounds = []
        for sense in (1.0, -1.0):
            obj = np.zeros(len(hid))
            obj[j] = sense
            res = linprog(obj, A_eq=np.array(a_eq), b_eq=np.array(b_eq), bounds=(0, None))
            assert res.status == 0
            bounds.append(sense * res.fun)
        if bounds[1] - bounds[0] < 0.5:
            out.append(cell)
    return out


@pytest.mark.parametrize("seed", range(80))
def test_crosstab_hidden_cells_cannot_be_recovered(seed):
    rng = np.random.default_rng(seed)
    n_rows, n_cols = rng.integers(2, 6), rng.integers(2, 5)
    inner = rng.choice(
        [0, 1, 2, 3, 4, 5, 7, 12, 30],
        size=(n_rows, n_cols),
        p=[0.1, 0.15, 0.1, 0.1, 0.05, 0.1, 0.1, 0.15, 0.15],
    )
    table = pd.DataFrame(
        inner, index=[f"r{i}" for i in range(n_rows)], columns=[f"c{j}" for j in range(n_cols)]
    )
    table["All"] = table.sum(axis=1)
    table.loc["All"] = table.sum(axis=0)
    out = protect_crosstab(table)
    hidden = out.map(is_hidden).to_numpy()
    shown = out.mask(out.map(is_hidden), np.nan).apply(pd.to_numeric)
    # a cell reads "<5" exactly when it is a count of 1-4; the others hidden read "x"
    assert ((out == SUPPRESSED).to_numpy() == ((table >= 1) & (table <= 4)).to_numpy()).all()
    assert not ((shown >= 1) & (shown <= 4)).to_numpy().any()
    assert _recoverable(table, hidden) == []
    assert (out.where(~hidden, table) == table).to_numpy().all()  # shown cells unchanged


def test_crosstab_without_margins_only_primary():
    t = pd.DataFrame({"x": [1, 9], "y": [8, 7]}, index=["a", "b"])
    out = protect_crosstab(t, margins=None)
    assert out.to_numpy().tolist() == [[SUPPRESSED, 8], [9, 7]]


def test_the_audit_catches_a_table_with_one_hidden_cell_per_row():
    t = pd.DataFrame({"x": [1, 9], "y": [8, 7]}, index=["a", "b"])
    t["All"] = t.sum(axis=1)
    t.loc["All"] = t.sum(axis=0)
    only_primary = (t >= 1) & (t <= 4)
    assert _recoverable(t, only_primary.to_numpy()) == [("a", "x")]


def test_note_in_both_languages():
    out = protect(pd.DataFrame({"n": [2, 3, 9]}), counts=["n"])
    assert (
        disclosure_note(out, lang="id")
        == "2 sel disembunyikan (<5 = kurang dari 5 orang; UU 27/2022)."
    )
    assert (
        disclosure_note(out, lang="en") == "2 cells hidden (<5 = fewer than 5 people; UU 27/2022)."
    )
    both = protect(pd.DataFrame({"n": [10, 10], "k": [3, 8]}), counts=["n", "k"], totals={"k": "n"})
    assert disclosure_note(both, lang="en") == (
        "2 cells hidden (<5 = fewer than 5 people; x = hidden so that a <5 cell cannot be worked "
        "out; UU 27/2022)."
    )
    assert disclosure_note(protect(pd.DataFrame({"n": [9]}), counts=["n"])) == ""


def test_library_audit_agrees_with_the_linear_programme():
    t = pd.DataFrame({"x": [1, 9, 6], "y": [8, 7, 2]}, index=["a", "b", "c"])
    t["All"] = t.sum(axis=1)
    t.loc["All"] = t.sum(axis=0)
    only_primary = pd.DataFrame((t >= 1) & (t <= 4), index=t.index, columns=t.columns)
    assert recoverable(only_primary) == _recoverable(t, only_primary.to_numpy())
    assert recoverable(protect_crosstab(t).map(is_hidden)) == []


def test_summed_column_never_leaves_one_hidden_cell():
    t = pd.DataFrame({"n": [3, 40, 9, 0], "mean": [1.0, 2.0, 3.0, 4.0]})
    out = protect(t, counts=["n"], stats={"mean": "n"}, summed=["n"])
    # the column sums to a published total: the 3 alone would follow from it, so the smallest
    # other positive count (9) is hidden too, and its mean with it; zero is no cover (and a
    # mean over nobody is no number)
    assert out["n"].tolist() == [SUPPRESSED, 40, HIDDEN, 0]
    assert out["mean"].tolist() == [SUPPRESSED, 2.0, HIDDEN, SUPPRESSED]
    assert out.attrs["disclosure"] == {"primary": 3, "secondary": 2}
    two = protect(pd.DataFrame({"n": [3, 2, 40]}), counts=["n"], summed=["n"])
    assert two["n"].tolist() == [SUPPRESSED, SUPPRESSED, 40]  # two small cells: no third
    with pytest.raises(DisclosureSpecError, match="nope"):
        protect(t, counts=["n"], summed=["nope"])


def test_hides_count_applies_the_rule_to_one_count():
    from asn_analysis.reporting.disclosure import hides_count

    assert [hides_count(k) for k in (0, 1, 4, 5, 120)] == [False, True, True, False, False]
    assert hides_count(8, total=10) and hides_count(0, total=3) and not hides_count(8, total=13)
    assert not hides_count(10, total=10)


def test_figures_leave_out_what_the_rule_hides():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from asn_analysis.reporting.plots.competency import it_mismatch
    from asn_analysis.reporting.plots.satisfaction import ikm_by_unit, ikm_trend

    units = pd.DataFrame(
        {
            "unit_name": ["A", "B", "C"],
            "period": "2025-S2",
            "n": [40, 3, 12],
            "ikm_converted": [80.0, 70.0, 75.0],
            "ikm_converted_ci_low": [78.0, 60.0, 72.0],
            "ikm_converted_ci_high": [82.0, 80.0, 78.0],
        }
    )
    ax = ikm_by_unit(units, period="2025-S2", lang="en")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["C", "A"]  # B: 3 respondents
    plt.close(ax.figure)
    ax = ikm_trend(units, lang="en")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "C"]
    plt.close(ax.figure)
    posts = pd.DataFrame(
        {
            "unit": ["X", "Y", "Z"],
            "n": [20, 10, 30],
            "n_mismatch": [6, 8, 0],
            "share": [0.3, 0.8, 0.0],
            "small_group": False,
        }
    )
    ax = it_mismatch(posts, lang="en")
    assert [t.get_text() for t in ax.texts] == ["n = 20", "n = 30"]  # Y: all but 2 of 10
    plt.close(ax.figure)
