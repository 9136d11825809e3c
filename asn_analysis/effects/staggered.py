r"""Staggered roll-outs: Callaway & Sant'Anna group-time effects and event studies.

:func:`staggered_did` estimates the ATT when units start the treatment in different periods,
comparing each cohort only with units not (yet) treated, so effects that grow over time do
not bias it the way they bias TWFE (Goodman-Bacon 2021). :func:`event_study` gives the effects
by periods since the start (leads and lags) with a joint pre-trend test, by the same
aggregation or by a dynamic TWFE regression.

References
----------
.. [1] Callaway, B., & Sant'Anna, P. H. C. (2021). Difference-in-differences with multiple time
       periods. Journal of Econometrics, 225(2), 200-230.
.. [2] Sun, L., & Abraham, S. (2021). Estimating dynamic treatment effects in event studies
       with heterogeneous treatment effects. Journal of Econometrics, 225(2), 175-199.
.. [3] Roth, J. (2022). Pretest with caution: event-study estimates after testing for
       parallel trends. AER: Insights, 4(3), 305-322.

Examples
--------
>>> import numpy as np, pandas as pd
>>> df = pd.DataFrame([(u, t) for u in range(20) for t in range(5)], columns=["u", "t"])
>>> df["g"] = np.where(df["u"] < 10, 2, np.nan)
>>> df["y"] = df["u"] + 0.5 * df["t"] + np.where(df["t"] >= df["g"], 1.5, 0.0)
>>> round(staggered_did(df, outcome="y", unit="u", time="t", first_treated="g").estimate, 6)
1.5
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import linalg, stats

from asn_analysis._validation import check_level, check_option
from asn_analysis.data.periods import ordered_times
from asn_analysis.data.read import FIRST_DATA_ROW
from asn_analysis.effects.drdid import TRIM_LEVEL, DIDEstMethod, panel_did_2x2
from asn_analysis.effects.estimate import (
    EffectEstimate,
    EventStudyResult,
    flag_one_treated_unit,
    inference_row,
)
from asn_analysis.effects.inputs import (
    EffectInputError,
    check_frame,
    complete_rows,
    constant_within,
    numeric_column,
)
from asn_analysis.errors import OptionError
from asn_analysis.stats.intervals import t_critical
from asn_analysis.stats.ols import fe_codes, fe_ols

__all__ = [
    "BasePeriod",
    "CSSEMethod",
    "Control",
    "EventMethod",
    "event_study",
    "staggered_did",
]

#: Comparison units of a cohort: never-treated plus not-yet-treated, or never-treated only.
Control = Literal["not_yet_treated", "never_treated"]
#: Base period of pre-treatment cells: the previous period, or the one before the start.
BasePeriod = Literal["varying", "universal"]
#: Standard errors of :func:`staggered_did`: influence functions, or a multiplier bootstrap.
CSSEMethod = Literal["analytic", "bootstrap"]
#: Event-study estimator: Callaway & Sant'Anna aggregation, or dynamic TWFE.
EventMethod = Literal["cs", "twfe"]


# =============================================================================================
# Staggered difference-in-differences (Callaway & Sant'Anna 2021)
# =============================================================================================
@dataclass
class _StaggeredPanel:
    y: np.ndarray  # units x periods, NaN for missing
    group: np.ndarray  # first treated period position per unit; inf for never treated
    periods: list[Any]
    units: np.ndarray
    n_obs: int
    notes: list[str]
    #: covariates, units x periods x k (NaN for missing); None without covariates
    x: np.ndarray | None = None
    x_names: list[str] = field(default_factory=list)
    missing_x: dict[str, int] = field(default_factory=dict)


def _covariate_matrix(
    frame: pd.DataFrame, covariates: Sequence[str]
) -> tuple[np.ndarray, list[str]]:
    """Numeric covariates as they are; text/categories as 0/1 columns (first level left out)."""
    parts, names = [], []
    for c in covariates:
        col = frame[c]
        if pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
            parts.append(numeric_column(col, c)[:, None])
            names.append(str(c))
            continue
        values = col.dropna().astype(str).str.strip()
        as_number = pd.to_numeric(values.str.replace(",", ".", regex=False), errors="coerce")
        if (
            not isinstance(col.dtype, pd.CategoricalDtype)
            and len(values)
            and as_number.notna().all()
        ):
            raise EffectInputError(
                f"covariate {c!r} holds numbers stored as text ({len(values)} rows): convert it "
                "to numbers first (a decimal comma?), or make it a pandas category to use its "
                "values as groups"
            )
        levels = sorted(values.unique())
        text = col.astype(object)
        for level in levels[1:]:
            dummy = np.where(text.isna(), np.nan, (text.astype(str) == level).astype(float))
            parts.append(dummy[:, None])
            names.append(f"{c}[{level}]")
    return np.column_stack(parts) if parts else np.zeros((len(frame), 0)), names


def _panel_covariates(
    frame: pd.DataFrame, covariates: list[str], cells: tuple[np.ndarray, np.ndarray],
    shape: tuple[int, int],
) -> tuple[np.ndarray, list[str], dict[str, int], list[str]]:  # fmt: skip
    """Covariates as units x periods x k, the count of missing values by column, and a note."""
    x_rows, x_names = _covariate_matrix(frame, covariates)
    x = np.full((*shape, x_rows.shape[1]), np.nan)
    x[cells] = x_rows
    missing_x = {c: int(k) for c, k in frame[covariates].isna().sum().items() if k}
    if not missing_x:
        return x, x_names, missing_x, []
    index = frame.index[frame[covariates].isna().any(axis=1).to_numpy()]
    if pd.api.types.is_integer_dtype(index):
        shown = [str(int(i) + FIRST_DATA_ROW) for i in index[:10]]
    else:
        shown = [str(i) for i in index[:10]]
    more = f" (+{len(index) - 10} more)" if len(index) > 10 else ""
    counts = ", ".join(f"{c}: {k}" for c, k in missing_x.items())
    note = (
        f"{len(index)} row(s) have a missing covariate ({counts}; data rows "
        f"{', '.join(shown)}{more}): a unit is left out of each comparison whose base period "
        "lacks its covariates (see n_treated / n_control of att_gt)."
    )
    return x, x_names, missing_x, [note]


def _staggered_panel(
    data: pd.DataFrame, *, outcome: str, unit: str, time: str, first_treated: str,
    covariates: Sequence[str] = (),
) -> tuple[_StaggeredPanel, int]:  # fmt: skip
    covariates = list(covariates)
    check_frame(data, [outcome, unit, time, first_treated, *covariates])
    clash = [c for c in covariates if c in (outcome, unit, time, first_treated)]
    if clash:
        raise EffectInputError(
            f"covariates {clash} are also the outcome, unit, time or first_treated column"
        )
    frame, n_excluded = complete_rows(data, [outcome, unit, time])
    y_all = numeric_column(frame[outcome], outcome)
    dup = frame.duplicated([unit, time])
    if dup.any():
        raise EffectInputError(
            f"{int(dup.sum())} rows repeat a ({unit}, {time}) pair: staggered_did needs one row "
            "per unit and period (aggregate first, e.g. IKM per unit-period)"
        )
    constant_within(frame.assign(_g=frame[first_treated].astype(object).fillna("__never__")),
                     "_g", [unit], "unit")  # fmt: skip
    periods = ordered_times(frame[time])
    pos = {p: i for i, p in enumerate(periods)}
    units, u_codes = np.unique(frame[unit].to_numpy(), return_inverse=True)
    t_codes = frame[time].map(pos).to_numpy(dtype=np.intp)
    y = np.full((len(units), len(periods)), np.nan)
    y[u_codes, t_codes] = y_all
    g_raw = frame.groupby(unit, sort=True)[first_treated].first().reindex(units)
    group = np.full(len(units), np.inf)
    notes: list[str] = []
    x, x_names, missing_x = None, [], {}
    if covariates:
        x, x_names, missing_x, x_note = _panel_covariates(
            frame, covariates, (u_codes, t_codes), y.shape
        )
        notes += x_note
    late, unknown = [], []
    for i, g in enumerate(g_raw.tolist()):
        if g is None or (isinstance(g, float) and math.isnan(g)) or g is pd.NA:
            continue
        if g in pos:
            group[i] = pos[g]
        elif ordered_times([periods[-1], g])[-1] == g:
            late.append(units[i])
        else:
            unknown.append(f"{units[i]}: {g}")
    if unknown:
        raise EffectInputError(
            f"{first_treated} has values that are not periods of {time}: {', '.join(unknown[:5])}"
        )
    if late:
        notes.append(
            f"{len(late)} unit(s) first treated after the last period count as never treated."
        )
    always = group == 0
    if always.any():
        notes.append(
            f"{int(always.sum())} unit(s) treated in the first period have no pre-period and are "
            "dropped (as in Callaway & Sant'Anna 2021)."
        )
        keep = ~always
        y, group, units = y[keep], group[keep], units[keep]
        x = None if x is None else x[keep]
    if not np.isfinite(group).any():
        raise EffectInputError(
            "no treated unit with a pre-period: every unit is never treated or treated from "
            "the first period"
        )
    panel = _StaggeredPanel(
        y=y, group=group, periods=periods, units=units, n_obs=int(np.isfinite(y).sum()),
        notes=notes, x=x, x_names=x_names, missing_x=missing_x,
    )  # fmt: skip
    return panel, n_excluded


def _cell_with_covariates(
    panel: _StaggeredPanel, dy: np.ndarray, tr: np.ndarray, co: np.ndarray, at: int,
    est_method: str,
) -> tuple[float, np.ndarray, int, float]:  # fmt: skip
    """ATT(g,t) with covariates at period ``at`` and its influence function over all units.

    Also returns the comparison units trimmed and the largest propensity.
    """
    sample = tr | co
    fit = panel_did_2x2(
        dy[sample], tr[sample].astype(float), panel.x[sample, at],  # type: ignore[index]
        est_method=est_method, names=panel.x_names,
    )  # fmt: skip
    inf = np.zeros(len(dy))
    inf[sample] = len(dy) / int(sample.sum()) * fit.influence
    return fit.estimate, inf, fit.n_trimmed, fit.max_propensity


def _att_gt(
    panel: _StaggeredPanel, *, control: str, base_period: str, est_method: str = "dr"
) -> tuple[pd.DataFrame, np.ndarray]:
    """Group-time ATTs and their influence functions (n_units x n_cells)."""
    y, group = panel.y, panel.group
    n = len(group)
    n_t = y.shape[1]
    cohorts = np.unique(group[np.isfinite(group)]).astype(int)
    rows, infs, problems, lost = [], [], [], []
    for g in cohorts:
        in_g = group == g
        for t in range(n_t):
            if t >= g:
                b = g - 1
            elif base_period == "varying":
                b = t - 1
            else:
                b = g - 1
            if b < 0 or t == b:
                continue
            if control == "never_treated":
                ctrl = ~np.isfinite(group)
            else:
                ctrl = (group > max(t, b)) & ~in_g
            dy = y[:, t] - y[:, b]
            ok = np.isfinite(dy)
            if (in_g & ok).any() and (ctrl & ok).any() and panel.x is not None:
                ok &= np.isfinite(panel.x[:, min(t, b)]).all(axis=1)  # earlier period: R did
                if not (in_g & ok).any() or not (ctrl & ok).any():
                    lost.append(f"{panel.periods[g]}/{panel.periods[t]}")
            tr, co = in_g & ok, ctrl & ok
            n_tr, n_co = int(tr.sum()), int(co.sum())
            if n_tr == 0 or n_co == 0:
                continue
            extra = {}
            if panel.x is None:
                m_tr, m_co = dy[tr].mean(), dy[co].mean()
                att = m_tr - m_co
                inf = np.zeros(n)
                inf[tr] = n / n_tr * (dy[tr] - m_tr)
                inf[co] = -n / n_co * (dy[co] - m_co)
            else:
                try:
                    att, inf, trimmed, max_ps = _cell_with_covariates(
                        panel, dy, tr, co, min(t, b), est_method
                    )
                except EffectInputError as err:
                    problems.append(f"cohort {panel.periods[g]}, period {panel.periods[t]}: {err}")
                    continue
                extra = {"n_trimmed": trimmed, "max_propensity": max_ps}
            rows.append(
                {
                    "cohort": panel.periods[g],
                    "period": panel.periods[t],
                    "event_time": t - g,
                    "estimate": att,
                    "n_treated": n_tr,
                    "n_control": n_co,
                    **extra,
                    "_g": g,
                    "_t": t,
                }
            )
            infs.append(inf)
    if problems:
        advice = "drop or coarsen the covariates named" + (
            "; without overlap est_method='reg' extrapolates instead of weighting"
            if est_method != "reg"
            else ""
        )
        raise EffectInputError(
            f"{len(problems)} group-time comparison(s) cannot be estimated with covariates "
            f"{panel.x_names} (est_method={est_method!r}); {advice}:\n- " + "\n- ".join(problems)
        )
    if lost:
        panel.notes.append(
            f"{len(lost)} group-time comparison(s) (cohort/period {', '.join(lost[:10])}"
            f"{' ...' if len(lost) > 10 else ''}) have no treated or no comparison unit with "
            "covariates and are left out of att_gt and the aggregations."
        )
    if not rows:
        raise EffectInputError("no group-time cell has both treated and comparison units")
    table = pd.DataFrame(rows)
    return table, np.column_stack(infs)


def _aggregate(
    cells: pd.DataFrame, inf: np.ndarray, pg: np.ndarray, group: np.ndarray, which: np.ndarray
) -> tuple[float, np.ndarray]:
    """Return a weighted average of cells (weights P(G=g)) and its influence function.

    The influence function includes the estimated-weights term of Callaway & Sant'Anna's
    aggregation (``wif`` in the R did package).
    """
    idx = np.flatnonzero(which)
    w = pg[idx] / pg[idx].sum()
    att = float(w @ cells["estimate"].to_numpy()[idx])
    g_of = cells["_g"].to_numpy()[idx]
    ind = np.column_stack([(group == g).astype(float) for g in g_of])  # n x k
    sum_pg = pg[idx].sum()
    if1 = (ind - pg[idx][None, :]) / sum_pg
    if2 = (ind - pg[idx][None, :]).sum(axis=1)[:, None] * (pg[idx] / sum_pg**2)[None, :]
    wif = if1 - if2
    agg_inf = inf[:, idx] @ w + wif @ cells["estimate"].to_numpy()[idx]
    return att, agg_inf


def _multiplier_se(inf: np.ndarray, n_boot: int, seed: Any) -> np.ndarray:
    """Multiplier bootstrap SEs (Rademacher weights by unit; IQR-based, as the did package)."""
    rng = np.random.default_rng(seed)
    n = inf.shape[0]
    v = rng.choice([-1.0, 1.0], size=(n_boot, n))
    draws = v @ inf / n
    q75, q25 = np.quantile(draws, [0.75, 0.25], axis=0)
    return (q75 - q25) / (stats.norm.ppf(0.75) - stats.norm.ppf(0.25))


def _staggered_core(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    control: str,
    base_period: str,
    se_method: str,
    n_boot: int,
    seed: Any,
    level: float,
    covariates: Sequence[str] = (),
    est_method: str = "dr",
) -> dict[str, Any]:
    panel, n_excluded = _staggered_panel(
        data, outcome=outcome, unit=unit, time=time, first_treated=first_treated,
        covariates=covariates,
    )  # fmt: skip
    cells, inf = _att_gt(panel, control=control, base_period=base_period, est_method=est_method)
    n = len(panel.group)
    cohort_sizes = {g: int((panel.group == g).sum()) for g in np.unique(cells["_g"])}
    pg = np.array([cohort_sizes[g] / n for g in cells["_g"]])

    def se_of(infs: np.ndarray) -> np.ndarray:
        infs = np.atleast_2d(infs.T).T
        if se_method == "bootstrap":
            return _multiplier_se(infs, n_boot, seed)
        return np.sqrt((infs**2).sum(axis=0)) / n

    z = t_critical(level, math.inf)
    cells["se"] = se_of(inf)
    post = cells["event_time"].to_numpy() >= 0
    overall, overall_inf = _aggregate(cells, inf, pg, panel.group, post)
    ev_rows, ev_infs = [], []
    for e in sorted(cells["event_time"].unique()):
        which = cells["event_time"].to_numpy() == e
        att, e_inf = _aggregate(cells, inf, pg, panel.group, which)
        ev_rows.append(
            {
                "event_time": int(e),
                "estimate": att,
                "n_cohorts": int(which.sum()),
                "n_treated": int(cells.loc[which, "n_treated"].sum()),
            }
        )
        ev_infs.append(e_inf)
    ev = pd.DataFrame(ev_rows).set_index("event_time")
    ev_inf = np.column_stack(ev_infs)
    ev["se"] = se_of(ev_inf)
    by_cohort = []
    for g, sub in cells[post].groupby("_g"):
        which = post & (cells["_g"].to_numpy() == g)
        w = np.full(int(which.sum()), 1 / which.sum())
        g_inf = inf[:, which] @ w
        by_cohort.append(
            {
                "cohort": panel.periods[int(g)],
                "estimate": float(sub["estimate"].mean()),
                "se": float(se_of(g_inf[:, None])[0]),
                "n_units": cohort_sizes[g],
                "n_periods": int(which.sum()),
            }
        )
    cohort_table = pd.DataFrame(by_cohort).set_index("cohort")
    for table in (cells, ev, cohort_table):
        table["ci_low"] = table["estimate"] - z * table["se"]
        table["ci_high"] = table["estimate"] + z * table["se"]
        with np.errstate(divide="ignore", invalid="ignore"):
            table["pvalue"] = 2 * stats.norm.sf(np.abs(table["estimate"] / table["se"]))
    overall_se = float(se_of(overall_inf[:, None])[0])
    return {
        "panel": panel,
        "cells": cells,
        "inf": inf,
        "event": ev,
        "event_inf": ev_inf,
        "cohorts": cohort_table,
        "overall": overall,
        "overall_se": overall_se,
        "n_excluded": n_excluded,
    }


def _covariate_list(covariates: Sequence[str] | None) -> list[str]:
    if covariates is None:
        return []
    if isinstance(covariates, str):
        return [covariates]
    return list(dict.fromkeys(covariates))


def _covariate_notes(panel: _StaggeredPanel, cells: pd.DataFrame, est_method: str) -> list[str]:
    """Say which estimator ran and how many comparison units the propensity trim left out."""
    if panel.x is None:
        return []
    label = {
        "dr": "doubly robust (Sant'Anna & Zhao 2020: logit propensity + outcome regression)",
        "ipw": "normalised inverse probability weighting (Abadie 2005)",
        "reg": "outcome regression",
    }[est_method]
    notes = [
        f"Callaway & Sant'Anna (2021) with covariates {', '.join(panel.x_names)} (values of the "
        f"base period of each comparison), {label}; influence functions include the "
        "estimated propensity / regression."
    ]
    trimmed = cells["n_trimmed"].to_numpy()
    if trimmed.sum():
        notes.append(
            f"{int((trimmed > 0).sum())} group-time comparison(s) leave out comparison units with "
            f"a propensity of at least {TRIM_LEVEL} ({int(trimmed.sum())} unit-comparisons; "
            "column n_trimmed): overlap is thin there."
        )
    return notes


def staggered_did(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    covariates: Sequence[str] | None = None,
    est_method: DIDEstMethod = "dr",
    control: Control = "not_yet_treated",
    base_period: BasePeriod = "varying",
    se_method: CSSEMethod = "analytic",
    n_boot: int = 999,
    seed: int | None = 0,
    level: float = 0.95,
) -> EffectEstimate:
    r"""Estimate the ATT of a staggered roll-out (Callaway & Sant'Anna 2021).

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel, one row per unit and period (e.g. IKM per unit-semester). Unbalanced panels
        are allowed: each comparison uses the units observed in both of its periods.
    outcome : str
        Numeric outcome.
    unit, time : str
        Unit and period columns; periods are put in time order (period labels such as
        ``"2024-Q1"`` by their dates, see :func:`asn_analysis.data.periods.ordered_times`).
    first_treated : str
        The unit's first treated period (a value of ``time``), missing for never-treated units.
        Constant within a unit; treatment is absorbing.
    covariates : list of str, optional
        Columns that make parallel trends credible only conditionally (e.g. a unit's type, or
        its mismatch share before the roll-out). Each comparison uses a unit's values in the
        earlier of its two periods (the base period of post-treatment cells), as R ``did`` and
        ``csdid``; time-invariant values avoid that the covariate itself responds to the
        treatment. Text or categorical columns become 0/1 indicators (first level left out);
        numbers stored as text (e.g. ``"0,12"``) are refused, not taken as groups.
        Rows with a missing covariate are counted and reported; the unit is left out of the
        comparisons that need that period's value. Without covariates every ``est_method``
        gives the unconditional estimator.
    est_method : {"dr", "ipw", "reg"}, default "dr"
        2x2 estimator with covariates (see :func:`asn_analysis.effects.drdid.panel_did_2x2`):
        doubly robust (Sant'Anna & Zhao 2020, the did/csdid default), normalised IPW (Abadie
        2005) or outcome regression.
    control : {"not_yet_treated", "never_treated"}, default "not_yet_treated"
        Comparison units for cohort g in period t: never-treated units plus units not yet
        treated by max(t, base), or never-treated units only.
    base_period : {"varying", "universal"}, default "varying"
        Base of pre-period cells: the previous period (varying, the did/csdid default) or
        g - 1 (universal). Post-period cells always compare with g - 1.
    se_method : {"analytic", "bootstrap"}, default "analytic"
        Standard errors from the influence functions, or a multiplier bootstrap on them
        (Rademacher weights per unit).
    n_boot : int, default 999
        Bootstrap draws for ``se_method="bootstrap"``.
    seed : int, optional
        Seed of the bootstrap.
    level : float, default 0.95
        Confidence level (normal critical values, as Callaway & Sant'Anna).

    Returns
    -------
    EffectEstimate
        ``estimate``: the simple overall ATT (average of post-treatment ATT(g,t) weighted by
        cohort size, i.e. the mean over treated unit-periods). ``details``: ``"att_gt"``
        (group-time ATTs; with covariates also ``n_trimmed``, comparison units left out of
        the weights for a propensity of at least 0.995, and ``max_propensity``, the largest
        fitted propensity, NaN for ``"reg"``), ``"event_time"`` (dynamic
        aggregation, including pre-periods) and ``"by_cohort"``; with covariates also
        ``"missing_covariates"`` (missing values per column).

    Raises
    ------
    EffectInputError
        Missing columns, repeated unit-periods, ``first_treated`` varying within a unit or not
        a period, no treated unit with a pre-period, no comparison units; with covariates, all
        group-time comparisons (listed together) where a covariate is constant or collinear
        among the units compared, or where the propensity model has no overlap (largest
        fitted propensity at least 0.999, R did's rule).

    Notes
    -----
    For cohort g (units first treated in period g) and period t,

    .. math::

        ATT(g,t) = E[Y_t - Y_{g-1} \mid G = g] - E[Y_t - Y_{g-1} \mid C],

    with C the comparison units. With covariates X each ATT(g,t) is the doubly robust (or IPW,
    or regression) 2x2 estimate of Sant'Anna & Zhao (2020) on the cohort and its comparison
    units, under parallel trends conditional on X; its influence function includes the
    estimation of the propensity and outcome models. Aggregations weight cells by
    :math:`P(G = g)`; their
    influence functions include the estimated weights (as the R ``did`` package), and
    :math:`\widehat{Var} = \sum_i \psi_i^2 / n^2`. Assumptions: parallel trends between each
    cohort and its comparison units, no anticipation, absorbing treatment. Unlike TWFE,
    already-treated units never serve as controls, so effects that grow over time do not bias
    it (Goodman-Bacon 2021). With few treated units per cohort the analytic SEs mostly reflect
    the comparison units' variation: a cohort of one unit contributes no variance of its own.

    Validated against the ``csdid`` package (tests/reference/staggered_reference.json).

    References
    ----------
    .. [1] Callaway, B., & Sant'Anna, P. H. C. (2021). Journal of Econometrics, 225(2), 200-230.
    .. [2] Sant'Anna, P. H. C., & Zhao, J. (2020). Journal of Econometrics, 219(1), 101-122.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> units, periods = np.arange(30), np.arange(6)
    >>> df = pd.DataFrame([(u, t) for u in units for t in periods], columns=["u", "t"])
    >>> df["g"] = np.where(df["u"] < 10, 3, np.where(df["u"] < 20, 4, np.nan))
    >>> df["y"] = df["u"] + 0.5 * df["t"] + np.where(df["t"] >= df["g"], 2.0, 0.0)
    >>> round(staggered_did(df, outcome="y", unit="u", time="t", first_treated="g").estimate, 6)
    2.0

    With a covariate that shifts the trend (parallel trends hold only given ``x``):

    >>> df["x"] = df["u"] % 3 + (df["u"] < 20)
    >>> df["y"] = df["y"] + df["x"] * df["t"]
    >>> kw = dict(outcome="y", unit="u", time="t", first_treated="g")
    >>> round(staggered_did(df, **kw).estimate, 2)  # treated units trend up faster
    3.41
    >>> round(staggered_did(df, covariates=["x"], **kw).estimate, 6)
    2.0
    """
    check_option("control", control, Control)
    check_option("est_method", est_method, DIDEstMethod)
    covariates = _covariate_list(covariates)
    check_option("base_period", base_period, BasePeriod)
    check_option("se_method", se_method, CSSEMethod)
    check_level(level)
    core = _staggered_core(
        data, outcome=outcome, unit=unit, time=time, first_treated=first_treated,
        control=control, base_period=base_period, se_method=se_method, n_boot=n_boot,
        seed=seed, level=level, covariates=covariates, est_method=est_method,
    )  # fmt: skip
    panel = core["panel"]
    est, se = core["overall"], core["overall_se"]
    n_treated = int(np.isfinite(panel.group).sum())
    how = (
        "ATT(g,t) compare each cohort's change since its last pre-period with "
        f"{control.replace('_', '-')} units; overall ATT = cohort-size weighted mean of "
        "post-treatment ATT(g,t)."
    )
    notes = [
        how if covariates else f"Callaway & Sant'Anna (2021) without covariates: {how}",
        *_covariate_notes(panel, core["cells"], est_method),
        "Assumptions: parallel trends"
        + (" conditional on the covariates" if covariates else "")
        + ", no anticipation, absorbing treatment.",
        f"{'Analytic influence-function' if se_method == 'analytic' else 'Multiplier-bootstrap'}"
        f" standard errors with units as clusters ({len(panel.group)} units, {n_treated} "
        "treated); normal critical values.",
        *panel.notes,
    ]
    small = core["cohorts"][core["cohorts"]["n_units"] < 2]
    if len(small):
        notes.append(
            f"Cohort(s) {', '.join(map(str, small.index))} have a single unit: their ATT(g,t) "
            "SEs reflect only the comparison units' variation and understate uncertainty."
        )
    if core["n_excluded"]:
        notes.append(f"{core['n_excluded']} rows excluded for missing values.")
    cells = core["cells"].drop(columns=["_g", "_t"]).set_index(["cohort", "period"])
    details = {"att_gt": cells, "event_time": core["event"], "by_cohort": core["cohorts"]}
    if covariates:
        details["missing_covariates"] = dict(panel.missing_x)
    if se_method == "analytic":
        row = inference_row("analytic (influence function)", est, se, level)
    else:
        row = inference_row(f"multiplier bootstrap ({n_boot})", est, se, level, n_draws=n_boot)
    return EffectEstimate.from_inference(
        est,
        [row],
        n_obs=panel.n_obs,
        n_treated=n_treated,
        n_clusters=len(panel.group),
        method="Callaway-Sant'Anna",
        estimand="ATT (overall)",
        level=level,
        n_excluded=core["n_excluded"],
        details=MappingProxyType(details),
        notes=tuple(notes),
    )


# =============================================================================================
# Event study
# =============================================================================================
def event_study(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    method: EventMethod = "cs",
    covariates: Sequence[str] | None = None,
    est_method: DIDEstMethod = "dr",
    control: Control = "not_yet_treated",
    base_period: BasePeriod = "universal",
    cluster: str | None = None,
    level: float = 0.95,
) -> EventStudyResult:
    r"""Estimate effects by periods since first treatment (leads and lags) and test pre-trends.

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel, one row per unit and period.
    outcome, unit, time, first_treated : str
        Columns, as in :func:`staggered_did`.
    method : {"cs", "twfe"}, default "cs"
        ``"cs"``: Callaway & Sant'Anna event-time aggregation (heterogeneity-robust).
        ``"twfe"``: dynamic TWFE regression on relative-period indicators (reference -1),
        never-treated units all zero; contaminated by other periods' effects when effects
        differ between cohorts (Sun & Abraham 2021).
    covariates : list of str, optional
        For ``method="cs"``: conditional parallel trends, as in :func:`staggered_did`.
    est_method : {"dr", "ipw", "reg"}, default "dr"
        For ``method="cs"`` with covariates, as in :func:`staggered_did`.
    control : {"not_yet_treated", "never_treated"}, default "not_yet_treated"
        Comparison units for ``method="cs"``.
    base_period : {"universal", "varying"}, default "universal"
        For ``method="cs"``: ``"universal"`` compares every period with g - 1 (the plot reads
        like a TWFE event study, -1 is 0 by construction); ``"varying"`` gives short
        differences before treatment.
    cluster : str, optional
        Cluster for ``method="twfe"`` (default ``unit``).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    EventStudyResult
        Event-time table, joint pre-trend test and the average post-treatment effect.

    Raises
    ------
    EffectInputError
        As :func:`staggered_did`; or no pre-period lead to test.

    Notes
    -----
    Pre-trend test: :math:`W = \hat\theta_{pre}'\hat V_{pre}^{-1}\hat\theta_{pre}`, chi-square
    with as many degrees of freedom as leads (``"cs"``, covariance from the influence
    functions), or :math:`F = W/k` with F(k, G-1) (``"twfe"``, CR1 covariance). A
    non-rejection is weak evidence: pre-trend tests have low power (Roth 2022).

    References
    ----------
    .. [1] Callaway & Sant'Anna (2021); Sun, L., & Abraham, S. (2021). Journal of
           Econometrics, 225(2), 175-199; Roth, J. (2022). AER: Insights, 4(3), 305-322.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame([(u, t) for u in range(30) for t in range(6)], columns=["u", "t"])
    >>> df["g"] = np.where(df["u"] < 10, 3, np.nan)
    >>> df["y"] = df["u"] + np.where(df["t"] >= df["g"], 1.0 + (df["t"] - df["g"]), 0.0)
    >>> res = event_study(df, outcome="y", unit="u", time="t", first_treated="g")
    >>> res.table.loc[[0, 1, 2], "estimate"].round(6).tolist()
    [1.0, 2.0, 3.0]
    """
    check_option("method", method, EventMethod)
    check_option("est_method", est_method, DIDEstMethod)
    check_option("control", control, Control)
    check_option("base_period", base_period, BasePeriod)
    check_level(level)
    covariates = _covariate_list(covariates)
    if method == "cs":
        return _event_study_cs(
            data, outcome=outcome, unit=unit, time=time, first_treated=first_treated,
            control=control, base_period=base_period, level=level, covariates=covariates,
            est_method=est_method,
        )  # fmt: skip
    if covariates:
        raise OptionError("covariates need method='cs' (the dynamic TWFE takes none)")
    return _event_study_twfe(
        data, outcome=outcome, unit=unit, time=time, first_treated=first_treated,
        cluster=cluster, level=level,
    )  # fmt: skip


def _wald(b: np.ndarray, v: np.ndarray) -> float:
    return float(b @ linalg.pinv(v) @ b)


def _event_study_cs(
    data: pd.DataFrame, *, outcome: str, unit: str, time: str, first_treated: str, control: str,
    base_period: str, level: float, covariates: list[str], est_method: str,
) -> EventStudyResult:  # fmt: skip
    core = _staggered_core(
        data, outcome=outcome, unit=unit, time=time, first_treated=first_treated,
        control=control, base_period=base_period, se_method="analytic", n_boot=0, seed=None,
        level=level, covariates=covariates, est_method=est_method,
    )  # fmt: skip
    panel, ev, ev_inf = core["panel"], core["event"].copy(), core["event_inf"]
    n = len(panel.group)
    pre = ev.index.to_numpy() < 0
    if base_period == "universal":
        ref = pd.DataFrame(
            {"estimate": [0.0], "n_cohorts": [0], "n_treated": [0], "se": [np.nan],
             "ci_low": [np.nan], "ci_high": [np.nan], "pvalue": [np.nan]},
            index=pd.Index([-1], name="event_time"),
        )  # fmt: skip
        ev = pd.concat([ev, ref]).sort_index()
    ev["pre"] = ev.index < 0
    ev["reference"] = ev["se"].isna() & (ev.index == -1)
    vcov = ev_inf.T @ ev_inf / n**2
    b_pre = core["event"]["estimate"].to_numpy()[pre]
    k = int(pre.sum())
    if k:
        stat = _wald(b_pre, vcov[np.ix_(pre, pre)])
        pval = float(stats.chi2.sf(stat, k))
    else:
        stat = pval = float("nan")
    post = ~pre
    w = np.full(int(post.sum()), 1 / post.sum())
    avg = float(core["event"]["estimate"].to_numpy()[post] @ w)
    avg_se = float(np.sqrt(w @ vcov[np.ix_(post, post)] @ w))
    overall = EffectEstimate.from_inference(
        avg, [inference_row("analytic (influence function)", avg, avg_se, level)],
        n_obs=panel.n_obs, n_treated=int(np.isfinite(panel.group).sum()), n_clusters=n,
        method="Callaway-Sant'Anna event study", estimand="ATT (mean over event times >= 0)",
        level=level,
    )  # fmt: skip
    notes = [
        "Callaway & Sant'Anna event-time aggregation: ATT(g,t) averaged over cohorts at each "
        f"event time (cohort-size weights), {base_period} base period, "
        f"{control.replace('_', '-')} comparison units; analytic SEs, normal critical values.",
        *_covariate_notes(panel, core["cells"], est_method),
        "Later event times rest on fewer cohorts (n_treated column): read them with care.",
        *panel.notes,
    ]
    if not k:
        notes.append("No lead is estimable: the pre-trend test is not available.")
    cols = ["estimate", "se", "ci_low", "ci_high", "pvalue", "n_treated", "pre", "reference"]
    table, flag_note = flag_one_treated_unit(ev[cols])
    notes += [flag_note] if flag_note else []
    return EventStudyResult(
        table=table,
        pretrend_stat=stat,
        pretrend_df=float(k),
        pretrend_pvalue=pval,
        pretrend_test="Wald chi-square",
        method="Callaway-Sant'Anna event study",
        n_obs=panel.n_obs,
        n_units=n,
        level=level,
        overall=overall,
        notes=tuple(notes),
    )


def _event_study_twfe(
    data: pd.DataFrame, *, outcome: str, unit: str, time: str, first_treated: str,
    cluster: str | None, level: float,
) -> EventStudyResult:  # fmt: skip
    panel, n_excluded = _staggered_panel(
        data, outcome=outcome, unit=unit, time=time, first_treated=first_treated
    )
    u_idx, t_idx = np.nonzero(np.isfinite(panel.y))
    y = panel.y[u_idx, t_idx]
    rel = t_idx - panel.group[u_idx]  # inf for never treated
    events = sorted(int(e) for e in np.unique(rel[np.isfinite(rel)]) if e != -1)
    if not any(e < -1 for e in events):
        raise EffectInputError("no lead before -1: the pre-trend test needs at least 3 periods")
    x = np.column_stack([(rel == e).astype(float) for e in events])
    names = [f"e{e}" for e in events]
    fes = [(u_idx.astype(np.intp), len(panel.units)), (t_idx.astype(np.intp), len(panel.periods))]
    if cluster is None or cluster == unit:
        clusters = u_idx.astype(np.intp)
        cluster = unit
    else:
        frame = data.set_index([unit, time])[cluster]
        keys = pd.MultiIndex.from_arrays([panel.units[u_idx], [panel.periods[t] for t in t_idx]])
        clusters = fe_codes(frame.reindex(keys).to_numpy())[0]
    fit = fe_ols(y, x, names, fes, clusters, error=EffectInputError)
    g = fit.n_clusters
    df = g - 1
    table = fit.coef_table(level, df)
    table.index = pd.Index(events, name="event_time")
    table = table.rename(columns={"coef": "estimate"})
    table["n_treated"] = [int(np.unique(u_idx[rel == e]).size) for e in events]
    ref = pd.DataFrame(
        {"estimate": [0.0], "se": [np.nan], "ci_low": [np.nan], "ci_high": [np.nan],
         "pvalue": [np.nan], "n_treated": [0]},
        index=pd.Index([-1], name="event_time"),
    )  # fmt: skip
    table = pd.concat([table.drop(columns="t"), ref]).sort_index()
    table["pre"] = table.index < 0
    table["reference"] = table.index == -1
    pre = np.array([e < -1 for e in events])
    k = int(pre.sum())
    wald = _wald(fit.coef[pre], fit.vcov[np.ix_(pre, pre)])
    f_stat = wald / k
    pval = float(stats.f.sf(f_stat, k, df))
    post = ~pre
    w = np.full(int(post.sum()), 1 / post.sum())
    avg = float(fit.coef[post] @ w)
    avg_se = float(np.sqrt(w @ fit.vcov[np.ix_(post, post)] @ w))
    row = inference_row("", avg, avg_se, level, df)
    overall = EffectEstimate(
        estimate=avg, se=avg_se, ci_low=row["ci_low"], ci_high=row["ci_high"],
        pvalue=row["pvalue"], n_obs=fit.n,
        n_treated=int(np.isfinite(panel.group).sum()), n_clusters=g,
        method="TWFE event study", estimand="ATT (mean over event times >= 0)", level=level,
        n_excluded=n_excluded,
    )  # fmt: skip
    table, flag_note = flag_one_treated_unit(table)
    notes = [
        "Dynamic TWFE: unit and period fixed effects with one indicator per period since first "
        "treatment (reference -1). With effects that differ between cohorts each coefficient "
        "can mix in other event times' effects (Sun & Abraham 2021): compare with method='cs'.",
        f"CR1 standard errors clustered by {cluster} ({g} clusters), t({df}); pre-trend F test "
        f"on {k} leads with F({k}, {df}).",
        *panel.notes,
        *([flag_note] if flag_note else []),
    ]
    return EventStudyResult(
        table=table[["estimate", "se", "ci_low", "ci_high", "pvalue", "n_treated", "pre",
                     "reference", "one_treated_unit"]],
        pretrend_stat=float(f_stat),
        pretrend_df=float(k),
        pretrend_pvalue=pval,
        pretrend_test=f"F({k}, {df})",
        method="TWFE event study",
        n_obs=fit.n,
        n_units=len(panel.units),
        level=level,
        overall=overall,
        notes=tuple(notes),
    )  # fmt: skip
