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
>>> plt.close(ax.figure)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from asn_analysis.effects import EffectEstimate, EffectInputError, EventStudyResult
from asn_analysis.reporting.plots.general import new_axes

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
) -> Axes:
    """Plot event-time estimates with confidence intervals.

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

    Returns
    -------
    matplotlib.axes.Axes
        The axes.
    """
    ax = new_axes(ax, (7, 4))
    t = result.table
    e = t.index.to_numpy()
    err = np.vstack([t["estimate"] - t["ci_low"], t["ci_high"] - t["estimate"]])
    ax.errorbar(e, t["estimate"], yerr=np.nan_to_num(err), fmt="o", capsize=3,
                label=label or result.method)  # fmt: skip
    if truth:
        keys = sorted(truth)
        ax.plot(keys, [truth[k] for k in keys], "x", color="black", markersize=8, label="truth")
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.axvline(-0.5, color="grey", linestyle="--", linewidth=0.8)
    ax.set_xlabel("periods since first treatment")
    ax.set_ylabel("effect")
    ax.set_title(
        f"{result.method}; pre-trend p = {result.pretrend_pvalue:.2f}"
        if np.isfinite(result.pretrend_pvalue)
        else result.method
    )
    ax.legend()
    return ax


def plot_synthetic_control(
    result: EffectEstimate, *, kind: Literal["path", "placebo"] = "path", ax: Axes | None = None
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

    Returns
    -------
    matplotlib.axes.Axes
        The axes.
    """
    path = _table(result, "path", "synthetic_control")
    ax = new_axes(ax, (7, 4))
    x = np.arange(len(path))
    start = int(np.argmax(path["post"].to_numpy()))
    if kind == "path":
        ax.plot(x, path["treated"], "o-", label="treated")
        ax.plot(x, path["synthetic"], "s--", label="synthetic control")
        ax.set_ylabel("outcome")
    else:
        gaps = result.details["placebo_gaps"]
        for col in gaps.columns[1:]:
            ax.plot(x, gaps[col], color="grey", alpha=0.4, linewidth=0.8)
        ax.plot(x, gaps.iloc[:, 0], color="C3", linewidth=2, label="treated unit")
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_ylabel("gap (unit minus its synthetic control)")
    ax.axvline(start - 0.5, color="grey", linestyle="--", linewidth=0.8)
    ax.set_xticks(x, [str(p) for p in path.index], rotation=45)
    ax.legend()
    return ax


def plot_balance(result: EffectEstimate, *, ax: Axes | None = None) -> Axes:
    """Love plot: standardised mean differences before and after weighting.

    Parameters
    ----------
    result : EffectEstimate
        Output of :func:`asn_analysis.effects.att_weighting`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.

    Returns
    -------
    matplotlib.axes.Axes
        The axes.
    """
    bal = _table(result, "balance", "att_weighting")
    ax = new_axes(ax, (6, 0.35 * len(bal) + 1.5))
    pos = np.arange(len(bal))
    ax.scatter(bal["smd_before"], pos, marker="o", label="before weighting")
    ax.scatter(bal["smd_after"], pos, marker="x", label="after weighting")
    for v in (-0.1, 0.1):
        ax.axvline(v, color="grey", linestyle="--", linewidth=0.8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(pos, bal.index.tolist())
    ax.set_xlabel("standardised mean difference")
    ax.legend()
    return ax


def plot_overlap(result: EffectEstimate, *, ax: Axes | None = None, bins: int = 30) -> Axes:
    """Histogram of propensity scores by group (overlap check).

    Parameters
    ----------
    result : EffectEstimate
        Output of :func:`asn_analysis.effects.att_weighting`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    bins : int, default 30
        Histogram bins.

    Returns
    -------
    matplotlib.axes.Axes
        The axes.
    """
    prop = _table(result, "propensity", "att_weighting")
    ax = new_axes(ax, (6, 3.5))
    edges = np.linspace(0, 1, bins + 1)
    for label, v in (("treated", 1), ("control", 0)):
        ax.hist(prop.loc[prop["treatment"] == v, "propensity"], bins=edges, alpha=0.5,
                density=True, label=label)  # fmt: skip
    ax.set_xlabel("propensity score")
    ax.set_ylabel("density")
    ax.legend()
    return ax
