"""Figure building blocks every domain uses: the notebook style, a forest plot, a labelled heatmap.

Each figure function of :mod:`asn_analysis.reporting.plots` draws on a given Axes (or a new
figure) and returns it, so a notebook and the brief show the same picture of the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import ticker

from asn_analysis._validation import Lang, check_lang
from asn_analysis.reporting.text import choose

__all__ = ["coefficients", "heatmap", "localize", "new_axes", "set_style"]


def set_style() -> None:
    """Set the look of the notebooks' figures (seaborn's white grid), for the whole session.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with mpl.rc_context():  # here only for the example's duration
    ...     set_style()
    ...     mpl.rcParams["axes.grid"]
    True
    """
    import seaborn as sns

    sns.set_theme(style="whitegrid")


def new_axes(ax: plt.Axes | None, figsize: tuple[float, float]) -> plt.Axes:
    """Return ``ax``, or the Axes of a new figure of ``figsize`` when it is None.

    Examples
    --------
    >>> ax = new_axes(None, (4, 3))
    >>> ax.figure.get_size_inches().tolist()
    [4.0, 3.0]
    >>> plt.close(ax.figure)
    """
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


class _IndonesianNumbers(ticker.Formatter):
    """Tick labels of another formatter with Indonesian separators (0,5 and 1.234)."""

    def __init__(self, inner: ticker.Formatter) -> None:
        self.inner = inner

    def set_axis(self, axis: Any) -> None:
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def set_locs(self, locs: Any) -> None:
        self.inner.set_locs(locs)

    @staticmethod
    def _swap(text: str) -> str:
        return text.replace(",", "_").replace(".", ",").replace("_", ".")

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self._swap(self.inner(x, pos))

    def format_ticks(self, values: Any) -> list[str]:
        return [self._swap(t) for t in self.inner.format_ticks(values)]

    def get_offset(self) -> str:
        return self._swap(self.inner.get_offset())


def localize(target: plt.Figure | plt.Axes, lang: Lang) -> plt.Figure | plt.Axes:
    """Write the numbers on a figure's axes in the reader's style (0,5 and 1.234 in Indonesian).

    Numeric tick labels (matplotlib's scalar, percent and plain formatters) of every axes get
    the Indonesian decimal comma and thousands dot for ``lang="id"``; text ticks (unit names)
    are left alone, and English keeps matplotlib's style. Every figure function calls it on what
    it returns, and :func:`asn_analysis.reporting.export.write_figures` on every figure.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 0.5, 1.5], [1000, 2500, 1200])
    >>> _ = localize(fig, "id")
    >>> fig.canvas.draw()
    >>> [t.get_text() for t in ax.get_xticklabels()][1:4]
    ['0,0', '0,2', '0,4']
    >>> plt.close(fig)
    """
    check_lang(lang)
    if lang == "en":
        return target
    axes = target.axes if isinstance(target, plt.Figure) else [target]
    numeric = (ticker.ScalarFormatter, ticker.PercentFormatter, ticker.FormatStrFormatter,
               ticker.StrMethodFormatter)  # fmt: skip
    for ax in axes:
        for axis in (ax.xaxis, ax.yaxis):
            fmt = axis.get_major_formatter()
            if isinstance(fmt, numeric):
                axis.set_major_formatter(_IndonesianNumbers(fmt))
    return target


def heatmap(
    table: pd.DataFrame,
    *,
    title: str,
    figsize: tuple[float, float] = (9, 9),
    ax: plt.Axes | None = None,
    lang: Lang = "en",
    **options: Any,
) -> plt.Axes:
    """Draw a table as a heatmap with a title and no axis labels (seaborn ``heatmap``).

    Parameters
    ----------
    table : pandas.DataFrame
        Rows and columns as shown.
    title : str
        Title.
    figsize : tuple of float, default (9, 9)
        Size of a new figure.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    lang : {"id", "en"}, default "en"
        Style of the numbers in the cells and on the colour bar (:func:`localize`).
    **options
        Passed to :func:`seaborn.heatmap` (``cmap``, ``annot``, ``fmt``, ...).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> t = pd.DataFrame({"2024": [10, 3], "2025": [12, 0]}, index=["A", "B"])
    >>> ax = heatmap(t, title="Respondents", annot=True, fmt="d", cbar=False)
    >>> ax.get_title()
    'Respondents'
    >>> ax = heatmap(t / 4, title="Porsi", annot=True, fmt=".2f", cbar=False, lang="id")
    >>> ax.texts[0].get_text()
    '2,50'
    >>> plt.close("all")
    """
    import seaborn as sns

    check_lang(lang)
    ax = new_axes(ax, figsize)
    sns.heatmap(table, ax=ax, **options)
    if lang == "id":
        for text in ax.texts:
            text.set_text(_IndonesianNumbers._swap(text.get_text()))
    ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.figure.tight_layout()
    localize(ax.figure, lang)
    return ax


def coefficients(
    table: pd.DataFrame,
    *,
    terms: Sequence[str],
    title: str,
    lang: Lang = "id",
    labels: dict[str, str] | None = None,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Plot coefficients with their confidence intervals (a forest plot).

    Parameters
    ----------
    table : pandas.DataFrame
        Indexed by term, with ``coef``, ``ci_low`` and ``ci_high``.
    terms : sequence of str
        Terms shown, top to bottom.
    title : str
        Title.
    lang : {"id", "en"}, default "id"
        Language of the axis label.
    labels : dict, optional
        Display names of the terms.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> t = pd.DataFrame({"coef": [0.3], "ci_low": [0.1], "ci_high": [0.5]}, index=["jpm"])
    >>> ax = coefficients(t, terms=["jpm"], title="JPM", lang="en")
    >>> ax.get_xlabel()
    'Coefficient (95% CI)'
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    t = table.loc[list(terms)][::-1]
    ax = new_axes(ax, (6, 0.5 * len(t) + 1.2))
    names = [(labels or {}).get(k, k) for k in t.index]
    ax.errorbar(
        t["coef"],
        names,
        xerr=[t["coef"] - t["ci_low"], t["ci_high"] - t["coef"]],
        fmt="o",
        capsize=3,
    )
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_xlabel(choose(lang, "Koefisien (IK 95%)", "Coefficient (95% CI)"))
    ax.set_title(title)
    ax.figure.tight_layout()
    return localize(ax, lang)
