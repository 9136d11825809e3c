"""Figures of training effects (notebook 04, the brief): estimators, event studies, weighting.

They compose the effect figures of :mod:`asn_analysis.effects` (``plot_event_study``,
``plot_balance``, ``plot_overlap``) into the panels the notebook and the brief show.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd

from asn_analysis import effects as ef
from asn_analysis._validation import Lang, check_lang
from asn_analysis.reporting.labels import label
from asn_analysis.reporting.plots.effects import plot_balance, plot_event_study, plot_overlap
from asn_analysis.reporting.plots.general import coefficients, localize, new_axes
from asn_analysis.reporting.text import choose

__all__ = ["event_studies", "training_effects", "weighting_diagnostics"]


def training_effects(
    table: pd.DataFrame,
    *,
    truth: float | None = None,
    lang: Lang = "id",
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Forest plot of the roll-out's effect on IKM by estimator, as the brief shows it.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`asn_analysis.effects.compare` of the roll-out estimates, indexed by estimator
        (``before_after``, ``twfe``, ``staggered``), with ``estimate``, ``ci_low``, ``ci_high``.
    truth : float, optional
        The known effect (synthetic data), drawn as a dotted line.
    lang : {"id", "en"}, default "id"
        Language of the title, axis and estimator names.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. The naive before-after difference is shown beside two-way fixed
        effects and Callaway & Sant'Anna (2021), which the roll-out's staggered timing needs.

    Examples
    --------
    >>> t = pd.DataFrame({"estimate": [4.0, 2.1, 2.5], "ci_low": [3.0, 1.0, 1.4],
    ...                   "ci_high": [5.0, 3.2, 3.6]}, index=["before_after", "twfe", "staggered"])
    >>> ax = training_effects(t, truth=2.4, lang="en")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ["Callaway-Sant'Anna", 'TWFE', 'before-after (naive)']
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    names = {
        "before_after": label("before_after", "method", lang),
        "twfe": "TWFE",
        "staggered": "Callaway-Sant'Anna",
        "synth": label("synth", "method", lang),
    }
    ax = coefficients(
        table.rename(columns={"estimate": "coef"}),
        terms=list(table.index),
        title=choose(lang, "Dampak pelatihan pada IKM", "Training effect on IKM"),
        lang=lang,
        labels=names,
        ax=ax,
    )
    if truth is not None:
        truth_label = choose(lang, "nilai sebenarnya (sintetis)", "truth (synthetic)")
        ax.axvline(truth, color="tab:green", ls=":", label=truth_label)
        ax.legend(loc="lower right", fontsize=8)
    return localize(ax, lang)


def event_studies(
    study: ef.EventStudyResult,
    twfe_study: ef.EventStudyResult,
    *,
    truth: Mapping[int, float] | None = None,
    lang: Lang = "id",
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Draw a Callaway-Sant'Anna event study with the TWFE event study beside it.

    Parameters
    ----------
    study : EventStudyResult
        :func:`asn_analysis.effects.event_study` (Callaway & Sant'Anna 2021).
    twfe_study : EventStudyResult
        The same with ``method="twfe"``, drawn as squares shifted right.
    truth : mapping of int to float, optional
        Known effects by event time (synthetic data), drawn as crosses.
    lang : {"id", "en"}, default "id"
        Language of the title, axes and legend (event times resting on one trained unit are
        hollow markers: "satu unit dilatih" / "one treated unit").
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> t = pd.DataFrame({"estimate": [0.2, 0.0, 2.0], "ci_low": [-1.0, 0.0, 0.8],
    ...                   "ci_high": [1.4, 0.0, 3.2]}, index=pd.Index([-2, -1, 0]))
    >>> cs = ef.EventStudyResult(t, 0.1, 1, 0.75, "Wald", "Callaway-Sant'Anna event study", 40, 8)
    >>> tw = ef.EventStudyResult(t, 0.2, 1, 0.66, "F", "TWFE event study", 40, 8)
    >>> ax = event_studies(cs, tw, lang="en")
    >>> ax.get_ylabel()
    'converted IKM points'
    >>> event_studies(cs, tw, lang="id").get_legend().texts[-1].get_text()
    'studi peristiwa TWFE'
    >>> plt.close("all")
    """
    check_lang(lang)
    ax = new_axes(ax, (8, 4))
    plot_event_study(study, ax=ax, truth=truth, lang=lang)
    tw = twfe_study.table
    ax.errorbar(tw.index + 0.15, tw["estimate"], fmt="s", alpha=0.6,
                label=choose(lang, "studi peristiwa TWFE", "TWFE event study"))  # fmt: skip
    ax.legend()
    ax.set_ylabel(choose(lang, "poin IKM konversi", "converted IKM points"))
    return localize(ax, lang)


def weighting_diagnostics(result: ef.EffectEstimate, *, lang: Lang = "id") -> plt.Figure:
    """Check a weighting estimate: covariate balance (left) and propensity overlap (right).

    Parameters
    ----------
    result : EffectEstimate
        :func:`asn_analysis.effects.att_weighting` (IPW or AIPW), whose ``details`` hold
        ``balance`` and ``propensity``.
    lang : {"id", "en"}, default "id"
        Language of the axes and legends.

    Returns
    -------
    matplotlib.figure.Figure
        Standardised mean differences before and after weighting (``|SMD|`` < 0.1 is the usual
        aim, Austin 2009) and propensity-score histograms of treated and controls.

    Examples
    --------
    >>> balance = pd.DataFrame({"smd_before": [0.4, -0.2], "smd_after": [0.02, 0.01]},
    ...                        index=["jpm", "age"])
    >>> propensity = pd.DataFrame({"treatment": [1, 1, 0, 0], "propensity": [.7, .6, .3, .5]})
    >>> est = ef.EffectEstimate(1.0, 0.5, 0.0, 2.0, 0.05, 4, 2, None, "AIPW",
    ...                         details={"balance": balance, "propensity": propensity})
    >>> fig = weighting_diagnostics(est, lang="en")
    >>> [ax.get_xlabel() for ax in fig.axes]
    ['standardised mean difference', 'propensity score']
    >>> [ax.get_xlabel() for ax in weighting_diagnostics(est).axes]
    ['selisih rata-rata terstandar', 'skor propensitas']
    >>> plt.close("all")
    >>> plt.close(fig)
    """
    check_lang(lang)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    plot_balance(result, ax=axes[0], lang=lang)
    plot_overlap(result, ax=axes[1], lang=lang)
    fig.tight_layout()
    return localize(fig, lang)
