"""Figures of employee resistance to evaluation: what goes with it, and how groups differ."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from asn_analysis._validation import Lang, check_lang
from asn_analysis.reporting.plots.general import coefficients, localize, new_axes
from asn_analysis.reporting.text import choose

__all__ = ["DRIVER_LABELS", "resistance_by_group", "resistance_drivers"]

#: Display names of the drivers-model terms.
DRIVER_LABELS = {
    "id": {
        "transparency": "transparansi",
        "communication": "komunikasi",
        "threat": "rasa terancam",
        "years_of_service": "masa kerja (tahun)",
    },
    "en": {
        "transparency": "transparency",
        "communication": "communication",
        "threat": "perceived threat",
        "years_of_service": "years of service",
    },
}


def resistance_drivers(
    table: pd.DataFrame, *, lang: Lang = "id", ax: plt.Axes | None = None
) -> plt.Axes:
    """Forest plot of the drivers of resistance, as the brief shows it.

    Parameters
    ----------
    table : pandas.DataFrame
        :attr:`asn_analysis.resistance.DriversResult.table` (``coef``, ``ci_low``,
        ``ci_high`` by term; OLS with unit-clustered standard errors).
    lang : {"id", "en"}, default "id"
        Language of the title, the axis and the term names (:data:`DRIVER_LABELS`).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> t = pd.DataFrame({"coef": [-0.3, -0.2, 0.4, 0.01], "ci_low": [-0.4, -0.3, 0.3, 0.0],
    ...                   "ci_high": [-0.2, -0.1, 0.5, 0.02]}, index=list(DRIVER_LABELS["en"]))
    >>> ax = resistance_drivers(t, lang="en")
    >>> ax.get_title()
    'Resistance: what goes with it'
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    labels = DRIVER_LABELS[lang]
    return coefficients(
        table,
        terms=list(labels),
        title=choose(lang, "Resistensi: faktor terkait", "Resistance: what goes with it"),
        lang=lang,
        labels=labels,
        ax=ax,
    )


def resistance_by_group(
    scores: pd.DataFrame,
    *,
    by: str = "job_type",
    seed: int = 0,
    lang: Lang = "id",
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Mean resistance score per group and wave, with bootstrap 95% intervals.

    Parameters
    ----------
    scores : pandas.DataFrame
        Scale scores per employee and wave with ``resistance``, ``period`` and ``by``
        (:attr:`asn_analysis.reporting.summaries.ResistanceSummary.scores`).
    by : str, default "job_type"
        Column of the groups on the x axis.
    seed : int, default 0
        Seed of seaborn's bootstrap of the intervals.
    lang : {"id", "en"}, default "id"
        Language of the axis.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; waves side by side within each group.

    Examples
    --------
    >>> scores = pd.DataFrame({"job_type": ["fungsional", "pelaksana"] * 4,
    ...                        "period": ["2024-W1"] * 4 + ["2025-W2"] * 4,
    ...                        "resistance": [3.1, 2.8, 3.4, 2.6, 2.9, 2.5, 3.0, 2.7]})
    >>> ax = resistance_by_group(scores, lang="en")
    >>> ax.get_ylabel()
    'Resistance score (1-5)'
    >>> plt.close(ax.figure)
    """
    import seaborn as sns

    check_lang(lang)
    ax = new_axes(ax, (7, 3.5))
    sns.pointplot(
        data=scores,
        x=by,
        y="resistance",
        hue="period",
        errorbar=("ci", 95),
        dodge=0.3,
        linestyle="none",
        ax=ax,
        seed=seed,
    )
    ax.set_ylabel(choose(lang, "Skor resistensi (1-5)", "Resistance score (1-5)"))
    ax.set_xlabel("")
    ax.figure.tight_layout()
    return localize(ax, lang)
