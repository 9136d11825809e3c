"""Figures shared by the notebooks and the exported brief.

Each function draws on a given Axes (or a new figure) and returns the Axes, so a notebook and
the brief show the same picture of the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import matplotlib.pyplot as plt
import pandas as pd

Lang = Literal["id", "en"]
#: Lower bounds of the converted-IKM grades C, B and A (PermenPANRB 14/2017).
GRADE_CUTS = ((65.0, "C"), (76.61, "B"), (88.31, "A"))


def _t(lang: Lang, id_text: str, en_text: str) -> str:
    return id_text if lang == "id" else en_text


def ikm_by_unit(
    units: pd.DataFrame, *, period: str, lang: Lang = "id", ax: plt.Axes | None = None
) -> plt.Axes:
    """Plot converted IKM per unit in one period with its confidence interval and grade bands.

    Parameters
    ----------
    units : pandas.DataFrame
        ``ikm_ci`` output by unit and period with ``unit_name``
        (:attr:`asn_analysis.report.SatisfactionSummary.units`).
    period : str
        The period shown.
    lang : {"id", "en"}, default "id"
        Language of the labels.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    cur = units[units["period"] == period].sort_values("ikm_converted")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, max(3.0, 0.28 * len(cur) + 1)))
    err = [
        cur["ikm_converted"] - cur["ikm_converted_ci_low"],
        cur["ikm_converted_ci_high"] - cur["ikm_converted"],
    ]
    ax.errorbar(cur["ikm_converted"], cur["unit_name"], xerr=err, fmt="o", capsize=2)
    for cut, grade in GRADE_CUTS:
        ax.axvline(cut, color="grey", lw=0.8, ls="--")
        ax.text(cut, len(cur) - 0.5, f" {grade}", ha="left", va="bottom", color="grey")
    ax.set_xlabel(_t(lang, "IKM konversi (IK 95%)", "Converted IKM (95% CI)"))
    ax.set_title(f"IKM, {period}")
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
    t = table.loc[list(terms)][::-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.5 * len(t) + 1.2))
    names = [(labels or {}).get(k, k) for k in t.index]
    ax.errorbar(
        t["coef"],
        names,
        xerr=[t["coef"] - t["ci_low"], t["ci_high"] - t["coef"]],
        fmt="o",
        capsize=3,
    )
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_xlabel(_t(lang, "Koefisien (IK 95%)", "Coefficient (95% CI)"))
    ax.set_title(title)
    ax.figure.tight_layout()
    return ax
