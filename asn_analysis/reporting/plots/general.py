"""Figure building blocks every domain uses: the notebook style, a forest plot, a labelled heatmap.

Each figure function of :mod:`asn_analysis.reporting.plots` draws on a given Axes (or a new
figure) and returns it, so a notebook and the brief show the same picture of the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from asn_analysis._validation import Lang, check_lang
from asn_analysis.reporting.text import choose

__all__ = ["coefficients", "heatmap", "new_axes", "set_style"]


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


def heatmap(
    table: pd.DataFrame,
    *,
    title: str,
    figsize: tuple[float, float] = (9, 9),
    ax: plt.Axes | None = None,
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
    >>> plt.close(ax.figure)
    """
    import seaborn as sns

    ax = new_axes(ax, figsize)
    sns.heatmap(table, ax=ax, **options)
    ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.figure.tight_layout()
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
    return ax
