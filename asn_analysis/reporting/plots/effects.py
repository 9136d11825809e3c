"""Figures of the effect estimators: event studies, synthetic controls, balance and overlap.

Each function draws on a given Axes (or a new figure) and returns the Axes, so a notebook and
the brief show the same picture of the same numbers.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> import pandas as pd
>>> from asn_analysis.effects import EventStudyResult
>>> table = pd.DataFrame({"estimate": [0.1, 0.0, 1.0], "ci_low": [-0.4, float("nan"), 0.5],
...                       "ci_high": [0.6, float("nan"), 1.5]},
...                      index=pd.Index([-2, -1, 0], name="event_time"))
>>> study = EventStudyResult(table, 0.2, 1.0, 0.65, "Wald chi-square", "event study", 30, 10)
>>> ax = plot_event_study(study, truth={0: 1.0})
>>> ax.get_title()
'event study; pre-trend p = 0.65'
>>> plot_event_study(study, lang="id").get_title()
'studi peristiwa; p tren awal = 0,65'
>>> plt.close("all")

The functions take ``lang`` for titles, axes and legends; their default is English, the
language of the estimators' own method names (the brief and the notebooks pass the reader's).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from asn_analysis._validation import Lang, check_lang
from asn_analysis.effects import EffectEstimate, EffectInputError, EventStudyResult
from asn_analysis.reporting.labels import relabel
from asn_analysis.reporting.plots.general import localize, new_axes
from asn_analysis.reporting.text import choose, number

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_balance", "plot_event_study", "plot_overlap", "plot_synthetic_control"]


def _table(result: EffectEstimate, key: str, estimator: str) -> pd.DataFrame:
    """Return ``result.details[key]``; raise when the result is not from ``estimator``."""
    if key not in result.details:
        raise EffectInputError(f"result is not from {estimator}()")
    return result.details[key]


def plot_event_study(
    result: EventStudyResult,
    *,
    ax: Axes | None = None,
    truth: Mapping[int, float] | None = None,
    label: str | None = None,
    lang: Lang = "en",
) -> Axes:
    """Plot event-time estimates with confidence intervals.

    Event times the result flags ``one_treated_unit`` (the estimate rests on a single trained
    unit, so its interval is not reliable) are drawn as hollow markers with their own legend
    entry ("satu unit dilatih" / "one treated unit").

    Parameters
    ----------
    result : EventStudyResult
        Output of :func:`asn_analysis.effects.event_study`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when omitted.
    truth : mapping of int to float, optional
        Known effects by event time (synthetic data), drawn as crosses.
    label : str, optional
        Legend label of the estimates (default: the method).
    lang : {"id", "en"}, default "en"
        Language of the title, axes and legend.

    Returns
    -------
    matplotlib.axes.Axes
        The axes.
    """
    check_lang(lang)
    ax = new_axes(ax, (7, 4))
    t = result.table
    method = relabel(result.method, lang)
    flagged = (
        t["one_treated_unit"].fillna(False).astype(bool).to_numpy()
        if "one_treated_unit" in t
        else np.zeros(len(t), dtype=bool)
    )
    e = t.index.to_numpy()
    err = np.nan_to_num(np.vstack([t["estimate"] - t["ci_low"], t["ci_high"] - t["estimate"]]))
    solid = ax.errorbar(e[~flagged], t["estimate"][~flagged], yerr=err[:, ~flagged], fmt="o",
                        capsize=3, label=label or method)  # fmt: skip
    if flagged.any():
        color = solid.lines[0].get_color()
        ax.errorbar(e[flagged], t["estimate"][flagged], yerr=err[:, flagged], fmt="o",
                    capsize=3, color=color, markerfacecolor="white",
                    label=choose(lang, "satu unit dilatih", "one treated unit"))  # fmt: skip
    if truth:
        keys = sorted(truth)
        ax.plot(keys, [truth[k] for k in keys], "x", color="black", markersize=8,
                label=choose(lang, "nilai sebenarnya (sintetis)", "truth (synthetic)"))  # fmt: skip
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.axvline(-0.5, color="grey", linestyle="--", linewidth=0.8)
    ax.set_xlabel(choose(lang, "periode sejak pelatihan pertama", "periods since first treatment"))
    ax.set_ylabel(choose(lang, "efek", "effect"))
    p = result.pretrend_pvalue
    pre = choose(lang, "p tren awal", "pre-trend p")
    ax.set_title(f"{method}; {pre} = {number(p, lang)}" if np.isfinite(p) else method)
    ax.legend()
    return localize(ax, lang)


def plot_synthetic_control(
    result: EffectEstimate,
    *,
    kind: Literal["path", "placebo"] = "path",
    ax: Axes | None = None,
    lang: Lang = "en",
) -> Axes:
    """Plot a synthetic control: treated vs synthetic path, or the placebo gaps.

    Parameters
    ----------
    result : EffectEstimate
        Output of :func:`asn_analysis.effects.synthetic_control`.
    kind : {"path", "placebo"}, default "path"
        What to draw.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    lang : {"id", "en"}, default "en"
        Language of the axes and legend.

    Returns
    -------
    matplotlib.axes.Axes
        The axes.
    """
    check_lang(lang)
    path = _table(result, "path", "synthetic_control")
    ax = new_axes(ax, (7, 4))
    x = np.arange(len(path))
    start = int(np.argmax(path["post"].to_numpy()))
    if kind == "path":
        ax.plot(x, path["treated"], "o-", label=choose(lang, "unit yang dilatih", "treated"))
        ax.plot(x, path["synthetic"], "s--",
                label=choose(lang, "kontrol sintetis", "synthetic control"))  # fmt: skip
        ax.set_ylabel(choose(lang, "hasil", "outcome"))
    else:
        gaps = result.details["placebo_gaps"]
        for col in gaps.columns[1:]:
            ax.plot(x, gaps[col], color="grey", alpha=0.4, linewidth=0.8)
        ax.plot(x, gaps.iloc[:, 0], color="C3", linewidth=2,
                label=choose(lang, "unit yang dilatih", "treated unit"))  # fmt: skip
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_ylabel(
            choose(lang, "selisih (unit dikurangi kontrol sintetisnya)",
                   "gap (unit minus its synthetic control)")
        )  # fmt: skip
    ax.axvline(start - 0.5, color="grey", linestyle="--", linewidth=0.8)
    ax.set_xticks(x, [str(p) for p in path.index], rotation=45)
    ax.legend()
    return localize(ax, lang)


def plot_balance(result: EffectEstimate, *, ax: Axes | None = None, lang: Lang = "en") -> Axes:
    """Love plot: standardised mean differences before and after weighting.

    Parameters
    ----------
    result : EffectEstimate
        Output of :func:`asn_analysis.effects.att_weighting`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    lang : {"id", "en"}, default "en"
        Language of the axis and legend.

    Returns
    -------
    matplotlib.axes.Axes
        The axes.
    """
    check_lang(lang)
    bal = _table(result, "balance", "att_weighting")
    ax = new_axes(ax, (6, 0.35 * len(bal) + 1.5))
    pos = np.arange(len(bal))
    ax.scatter(bal["smd_before"], pos, marker="o",
               label=choose(lang, "sebelum pembobotan", "before weighting"))  # fmt: skip
    ax.scatter(bal["smd_after"], pos, marker="x",
               label=choose(lang, "sesudah pembobotan", "after weighting"))  # fmt: skip
    for v in (-0.1, 0.1):
        ax.axvline(v, color="grey", linestyle="--", linewidth=0.8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(pos, bal.index.tolist())
    ax.set_xlabel(choose(lang, "selisih rata-rata terstandar", "standardised mean difference"))
    ax.legend()
    return localize(ax, lang)


def plot_overlap(
    result: EffectEstimate, *, ax: Axes | None = None, bins: int = 30, lang: Lang = "en"
) -> Axes:
    """Histogram of propensity scores by group (overlap check).

    Parameters
    ----------
    result : EffectEstimate
        Output of :func:`asn_analysis.effects.att_weighting`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    bins : int, default 30
        Histogram bins.
    lang : {"id", "en"}, default "en"
        Language of the axes and legend.

    Returns
    -------
    matplotlib.axes.Axes
        The axes.
    """
    check_lang(lang)
    prop = _table(result, "propensity", "att_weighting")
    ax = new_axes(ax, (6, 3.5))
    edges = np.linspace(0, 1, bins + 1)
    groups = ((choose(lang, "dilatih", "treated"), 1), (choose(lang, "pembanding", "control"), 0))
    for label, v in groups:
        ax.hist(prop.loc[prop["treatment"] == v, "propensity"], bins=edges, alpha=0.5,
                density=True, label=label)  # fmt: skip
    ax.set_xlabel(choose(lang, "skor propensitas", "propensity score"))
    ax.set_ylabel(choose(lang, "kepadatan", "density"))
    ax.legend()
    return localize(ax, lang)
