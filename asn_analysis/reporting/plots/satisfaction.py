"""Figures of citizen satisfaction (IKM, PermenPANRB 14/2017): per unit, and over time."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from asn_analysis._validation import Lang, check_lang
from asn_analysis.data.periods import ordered_times
from asn_analysis.data.privacy import MIN_GROUP_SIZE
from asn_analysis.reporting.plots.general import fixed_title, heatmap, localize, new_axes
from asn_analysis.reporting.text import choose

__all__ = ["GRADE_CUTS", "ikm_by_unit", "ikm_trend"]

#: Lower bounds of the converted-IKM grades C, B and A (PermenPANRB 14/2017).
GRADE_CUTS = ((65.0, "C"), (76.61, "B"), (88.31, "A"))


def _shown(units: pd.DataFrame) -> pd.DataFrame:
    """Leave out unit-periods with fewer than 5 respondents (the small-cell rule).

    Their IKM is a statistic over fewer than
    :data:`~asn_analysis.data.privacy.MIN_GROUP_SIZE` people, which no figure shows either.
    """
    if "n" not in units.columns:
        return units
    n = pd.to_numeric(units["n"], errors="coerce")
    return units[n >= MIN_GROUP_SIZE]


def _example_units() -> pd.DataFrame:
    """Return a tiny ``SatisfactionSummary.units`` frame for the examples."""
    return pd.DataFrame(
        {
            "unit_name": ["Dinas A", "Dinas B", "Dinas A", "Dinas B"],
            "period": ["2024-S1", "2024-S1", "2024-S2", "2024-S2"],
            "ikm_converted": [72.0, 81.5, 74.0, 83.0],
            "ikm_converted_ci_low": [70.0, 79.0, 72.1, 81.2],
            "ikm_converted_ci_high": [74.0, 84.0, 75.9, 84.8],
        }
    )


def ikm_by_unit(
    units: pd.DataFrame, *, period: str, lang: Lang = "id", ax: plt.Axes | None = None
) -> plt.Axes:
    """Plot converted IKM per unit in one period with its confidence interval and grade bands.

    Parameters
    ----------
    units : pandas.DataFrame
        ``ikm_ci`` output by unit and period with ``unit_name``
        (:attr:`asn_analysis.reporting.summaries.SatisfactionSummary.units`). Rows whose
        ``n`` (respondents) is under 5 are left out (small-cell rule).
    period : str
        The period shown.
    lang : {"id", "en"}, default "id"
        Language of the labels.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; dashed lines mark the lower bounds of grades C, B and A.

    Examples
    --------
    >>> ax = ikm_by_unit(_example_units(), period="2024-S2", lang="en")
    >>> ax.get_xlabel(), ax.get_title()
    ('Converted IKM (95% CI)', 'IKM, 2024-S2')
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    cur = _shown(units)
    cur = cur[cur["period"] == period].sort_values("ikm_converted")
    ax = new_axes(ax, (8, max(3.0, 0.28 * len(cur) + 1)))
    err = [
        cur["ikm_converted"] - cur["ikm_converted_ci_low"],
        cur["ikm_converted_ci_high"] - cur["ikm_converted"],
    ]
    ax.errorbar(cur["ikm_converted"], cur["unit_name"], xerr=err, fmt="o", capsize=2)
    for cut, grade in GRADE_CUTS:
        ax.axvline(cut, color="grey", lw=0.8, ls="--")
        ax.text(cut, len(cur) - 0.5, f" {grade}", ha="left", va="bottom", color="grey")
    ax.set_xlabel(choose(lang, "IKM konversi (IK 95%)", "Converted IKM (95% CI)"))
    fixed_title(ax, f"IKM, {period}")
    ax.figure.tight_layout()
    return localize(ax, lang)


def ikm_trend(units: pd.DataFrame, *, lang: Lang = "id", ax: plt.Axes | None = None) -> plt.Axes:
    """Show converted IKM per unit and period as a heatmap centred on the grade-B bound.

    Parameters
    ----------
    units : pandas.DataFrame
        IKM per unit and period with ``unit_name``, ``period`` and ``ikm_converted``
        (:attr:`asn_analysis.reporting.summaries.SatisfactionSummary.units`).
    lang : {"id", "en"}, default "id"
        Language of the title.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on: green above grade B (76.61), red below.

    Examples
    --------
    >>> ax = ikm_trend(_example_units(), lang="en")
    >>> ax.get_title()
    'Converted IKM per unit and period'
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    trend = _shown(units).pivot(index="unit_name", columns="period", values="ikm_converted")
    trend = trend[ordered_times(trend.columns)]  # periods in date order, not as text
    return heatmap(
        trend,
        title=choose(
            lang, "IKM konversi per unit dan periode", "Converted IKM per unit and period"
        ),
        ax=ax,
        lang=lang,
        cmap="RdYlGn",
        center=GRADE_CUTS[1][0],  # grade B
        annot=True,
        fmt=".1f",
        annot_kws={"size": 7},
        cbar=False,
    )
