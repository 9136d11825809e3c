"""The fast figure paths draw the same picture as the straightforward ones they replace.

``plots.general.heatmap`` draws seaborn's heatmap without the full render seaborn makes to
test its tick labels for overlap, ``plots.jpm_categories`` draws its stacked bars without pandas'
plotting, and titles on axes of names are placed once (``fixed_title``). The references are
the old code, kept in ``tests/plot_references.py``; ``Axes.set_title`` for the titles. Every
comparison is of the PNG the notebooks' inline backend writes (``bbox_inches="tight"``), pixel
for pixel, on random small inputs with ties, blanks (NaN), one row or column, and tables long
enough for seaborn to thin and rotate the tick labels.
"""

from __future__ import annotations

import string

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from plot_references import png, reference_heatmap, reference_jpm_categories  # noqa: E402

from asn_analysis.reporting.plots import general  # noqa: E402
from asn_analysis.reporting.plots.general import (  # noqa: E402
    fixed_title,
    heatmap,
    labelled_heatmap,
)


@pytest.fixture(autouse=True)
def _style():
    """The notebooks' style, for each test only; every figure closed afterwards."""
    with matplotlib.rc_context():
        general.set_style()
        yield
    plt.close("all")


def _table(rng: np.random.Generator) -> pd.DataFrame:
    """A random table: integers or decimals, ties, blanks, 1-60 rows, 1-7 columns."""
    n_rows = int(rng.choice([1, 2, 5, 12, 60]))
    n_cols = int(rng.integers(1, 8))
    kind = rng.integers(3)
    if kind == 0:  # counts with many ties
        values = rng.integers(0, 4, size=(n_rows, n_cols)).astype(float)
    elif kind == 1:  # shares with blanks
        values = rng.random((n_rows, n_cols)).round(2)
        values[rng.random(values.shape) < 0.25] = np.nan
        values.flat[0] = 0.5  # never all blank
    else:  # one value everywhere
        values = np.full((n_rows, n_cols), 3.0)
    rows = ["".join(rng.choice(list(string.ascii_letters), rng.integers(1, 30))) for _ in
            range(n_rows)]  # fmt: skip
    rows = [f"{i} {r}" for i, r in enumerate(rows)]  # unique row names
    cols = pd.Index([f"2024-S{j}" if n_cols < 5 else f"kolom nomor {j}" for j in range(n_cols)],
                    name=None if rng.random() < 0.5 else "period")  # fmt: skip
    return pd.DataFrame(values, index=pd.Index(rows, name="unit"), columns=cols)


def _options(rng: np.random.Generator, table: pd.DataFrame) -> dict:
    """Random options among those the notebooks pass."""
    options: dict = {"cmap": str(rng.choice(["Blues", "Reds", "RdYlGn", "RdBu_r"]))}
    if rng.random() < 0.5:
        options["vmin"], options["vmax"] = 0.0, 3.5
    if rng.random() < 0.4:
        options["center"] = 1.5
    if rng.random() < 0.6:
        options["annot"] = True
        options["fmt"] = str(rng.choice([".1f", ".2f", ".0f"]))
        if rng.random() < 0.5:
            options["annot_kws"] = {"size": 7}
    elif rng.random() < 0.5:  # text annotations, as the 9-box draws them
        options["annot"] = table.map(lambda v: "x" if np.isnan(v) else f"{v:.0f}\nn")
        options["fmt"] = ""
    options["cbar"] = bool(rng.random() < 0.5)
    if options["cbar"] and rng.random() < 0.5:
        options["cbar_kws"] = {"label": "porsi"}
    if rng.random() < 0.3:
        options["xticklabels"] = [f"segmen {j}" for j in range(table.shape[1])]
    if rng.random() < 0.3:
        options["yticklabels"] = list(table.index.str.upper())
    return options


@pytest.mark.parametrize("seed", range(12))
def test_heatmap_draws_what_seaborn_draws(seed):
    rng = np.random.default_rng(seed)
    table = _table(rng)
    options = _options(rng, table)
    lang = "id" if seed % 2 else "en"
    figsize = (9, 9) if table.shape[0] > 12 else (6, 3)
    fast = heatmap(table, title="Judul", figsize=figsize, lang=lang, **options)
    ref = reference_heatmap(table, title="Judul", figsize=figsize, lang=lang, **options)
    assert [t.get_text() for t in fast.texts] == [t.get_text() for t in ref.texts]
    assert [t.get_color() for t in fast.texts] == [t.get_color() for t in ref.texts]
    for get in (plt.Axes.get_xticklabels, plt.Axes.get_yticklabels):
        pairs = zip(get(fast), get(ref), strict=True)
        assert [(a.get_text(), a.get_rotation()) for a, _ in pairs] == [
            (b.get_text(), b.get_rotation()) for b in get(ref)
        ]
    np.testing.assert_array_equal(png(fast.figure), png(ref.figure))


def test_heatmap_thins_and_rotates_labels_like_seaborn():
    """A long table on a small figure: seaborn keeps every n-th row label, and rotates."""
    rng = np.random.default_rng(7)
    table = pd.DataFrame(rng.random((80, 12)), index=[f"Dinas nomor {i}" for i in range(80)],
                         columns=[f"periode panjang {j}" for j in range(12)])  # fmt: skip
    fast = heatmap(table, title="t", figsize=(4, 3), cmap="Blues")
    ref = reference_heatmap(table, title="t", figsize=(4, 3), cmap="Blues")
    labels = [t.get_text() for t in fast.get_yticklabels()]
    assert 1 < len(labels) < 80
    assert labels == [t.get_text() for t in ref.get_yticklabels()]
    assert [t.get_rotation() for t in fast.get_xticklabels()] == [
        t.get_rotation() for t in ref.get_xticklabels()
    ]
    np.testing.assert_array_equal(png(fast.figure), png(ref.figure))


def test_heatmap_renders_nothing_until_shown(monkeypatch):
    """The fast path measures labels without drawing the figure (seaborn draws it once)."""
    draws = []
    original = FigureCanvasAgg.draw
    monkeypatch.setattr(FigureCanvasAgg, "draw", lambda self: draws.append(1) or original(self))
    table = pd.DataFrame([[1, 2], [3, 4]], index=["a", "b"], columns=["x", "y"])
    heatmap(table, title="t", annot=True, fmt="d")
    assert draws == []
    reference_heatmap(table, title="t", annot=True, fmt="d")
    assert draws  # the reference does draw: the check above can fail


def test_other_options_are_drawn_by_seaborn():
    """An option the fast path does not draw (cell borders) goes to seaborn: same picture."""
    table = pd.DataFrame([[1.0, np.nan], [3.0, 4.0]], index=["a", "b"], columns=["x", "y"])
    options = {"linewidths": 1.5, "annot": True, "square": True}
    fast = heatmap(table, title="t", figsize=(4, 4), **options)
    ref = reference_heatmap(table, title="t", figsize=(4, 4), **options)
    np.testing.assert_array_equal(png(fast.figure), png(ref.figure))


def test_labelled_heatmap_lays_out_once_as_two_layouts_did():
    """The segment profiles: label style set before the one layout; same PNG as before."""
    rng = np.random.default_rng(3)
    z = pd.DataFrame(rng.normal(size=(7, 4)), index=[f"fitur {i}" for i in range(7)],
                     columns=range(4))  # fmt: skip
    options = {"cmap": "RdBu_r", "center": 0, "vmin": -2.5, "vmax": 2.5, "annot": True,
               "fmt": ".1f", "xticklabels": [f"{s}: segmen\nnama" for s in range(4)],
               "cbar_kws": {"label": "skor z"}}  # fmt: skip
    style = {"rotation": 0, "fontsize": 9}
    fast = labelled_heatmap(z, title="t", figsize=(11, 7), lang="id", xtick_kws=style, **options)
    ref = reference_heatmap(z, title="t", figsize=(11, 7), lang="id", xtick_kws=style, **options)
    np.testing.assert_array_equal(png(fast.figure), png(ref.figure))


@pytest.mark.parametrize("n", [1, 3, 40])
def test_fixed_title_is_where_matplotlib_puts_it(n):
    """On an axis of names the title lands where matplotlib's own placement puts it."""
    names = [f"Unit kerja {i}" for i in range(n)]
    pngs = []
    for place in (fixed_title, plt.Axes.set_title):
        fig, ax = plt.subplots(figsize=(6, 0.25 * n + 2))
        ax.barh(names, np.arange(n) * 1000.5 + 1e6)  # big numbers: an x offset text
        ax.set_xlabel("Jumlah")
        place(ax, "Pegawai per unit kerja")
        fig.tight_layout()
        pngs.append(png(fig))
    np.testing.assert_array_equal(*pngs)


@pytest.mark.parametrize("cbar", [True, False])
def test_blank_cells_stay_blank(cbar):
    """Missing cells: no colour, no annotation, as seaborn leaves them; one row, one column."""
    for table in (
        pd.DataFrame(
            [[0.25, np.nan], [np.nan, np.nan], [0.5, 0.5]], index=list("abc"), columns=["x", "y"]
        ),  # fmt: skip
        pd.DataFrame([[np.nan, 2.0, 2.0]], index=["satu"], columns=["p", "q", "r"]),
        pd.DataFrame({"p": [1.0, np.nan]}, index=["a", "b"]),
    ):
        options = {"annot": True, "fmt": ".2f", "cmap": "Reds", "cbar": cbar}
        fast = heatmap(table, title="t", figsize=(4, 3), lang="id", **options)
        ref = reference_heatmap(table, title="t", figsize=(4, 3), lang="id", **options)
        texts = [t.get_text() for t in fast.texts]
        assert texts == [t.get_text() for t in ref.texts]
        assert len(texts) == int(table.notna().to_numpy().sum())
        np.testing.assert_array_equal(png(fast.figure), png(ref.figure))
        plt.close("all")


@pytest.mark.parametrize("seed", range(6))
def test_jpm_categories_draws_what_pandas_drew(seed):
    """Random staff: one to 30 units, one to four job types, categories missing from some."""
    from asn_analysis.reporting.plots import jpm_categories

    rng = np.random.default_rng(seed)
    n = int(rng.choice([1, 4, 50, 400]))
    n_units = int(rng.integers(1, 31))
    categories = ["Kurang Optimal", "Cukup Optimal", "Optimal"][: int(rng.integers(1, 4))]
    jpm = pd.DataFrame({
        "unit_id": rng.choice([f"U{i:02d}" for i in range(n_units)], n),
        "job_type": rng.choice(["fungsional", "pelaksana", "struktural", "jpt"][
            : int(rng.integers(1, 5))], n),
        "category": rng.choice(categories, n),
    })  # fmt: skip
    names = pd.Series({f"U{i:02d}": f"Dinas nomor {i}" for i in range(n_units)})
    lang = "id" if seed % 2 else "en"
    fast = jpm_categories(jpm, unit_names=names if seed % 3 else None, lang=lang)
    ref = reference_jpm_categories(jpm, unit_names=names if seed % 3 else None, lang=lang)
    for a, b in zip(fast.axes, ref.axes, strict=True):
        assert [p.get_bbox().bounds for p in a.patches] == [p.get_bbox().bounds for p in b.patches]
        assert [t.get_text() for t in a.get_yticklabels()] == [
            t.get_text() for t in b.get_yticklabels()
        ]
    np.testing.assert_array_equal(png(fast), png(ref))


@pytest.mark.parametrize(("n_rows", "inside"), [(6, True), (90, False)])
def test_annotations_skip_the_layout_only_when_surely_inside(n_rows, inside):
    """Cell numbers stay out of the layout's measuring only when they cannot reach out of the
    axes; 90 rows on a small figure make them taller than their cells: measured, as before."""
    rng = np.random.default_rng(n_rows)
    table = pd.DataFrame(rng.random((n_rows, 3)) * 100, index=[f"unit {i}" for i in range(n_rows)],
                         columns=["2024-S1", "2024-S2", "2025-S1"])  # fmt: skip
    options = {"cmap": "RdYlGn", "center": 50, "annot": True, "fmt": ".1f", "cbar": False}
    fast = heatmap(table, title="IKM", figsize=(5, 4), lang="id", **options)
    ref = reference_heatmap(table, title="IKM", figsize=(5, 4), lang="id", **options)
    assert [not t.get_in_layout() for t in fast.texts] == [inside] * table.size
    np.testing.assert_array_equal(png(fast.figure), png(ref.figure))
