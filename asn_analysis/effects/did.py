r"""Difference-in-differences and two-way fixed effects, with few-cluster and one-unit inference.

:func:`did` (2x2, optionally with unit and time fixed effects), :func:`twfe` (one binary
treatment), the naive comparisons :func:`naive_difference` and :func:`before_after` (shown to
expose their bias) and :func:`twfe_weights` (the weights TWFE puts on each treated cell).

All fit a fixed-effects OLS (:func:`asn_analysis.stats.ols.fe_ols`) with CR1 standard errors and
t(G - 1) critical values. The headline interval and p-value follow the package's one rule for
``inference="auto"`` (:func:`asn_analysis.stats.inference.headline_method`): with one treated
unit, placebo-in-space permutation (Conley & Taber 2011); with fewer than
:data:`~asn_analysis.stats.intervals.FEW_CLUSTERS` clusters, the wild cluster restricted
bootstrap (:class:`~asn_analysis.stats.bootstrap.WildClusterBootstrap`); otherwise CR1. CR1 is
shown beside the headline (the second row of ``EffectEstimate.inference``).

References
----------
.. [1] Cameron, A. C., Gelbach, J. B., & Miller, D. L. (2008). Bootstrap-based improvements for
       inference with clustered errors. Review of Economics and Statistics, 90(3), 414-427.
.. [2] Conley, T. G., & Taber, C. R. (2011). Inference with "difference in differences" with a
       small number of policy changes. Review of Economics and Statistics, 93(1), 113-125.
.. [3] Goodman-Bacon, A. (2021). Difference-in-differences with variation in treatment timing.
       Journal of Econometrics, 225(2), 254-277.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"y": [1.0, 2.0, 1.5, 3.5], "t": [0, 0, 1, 1], "p": [0, 1, 0, 1]})
>>> round(did(df, outcome="y", treatment="t", post="p").estimate, 6)
1.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd

from asn_analysis._validation import check_level, check_option
from asn_analysis.data.periods import ordered_times
from asn_analysis.effects.estimate import EffectEstimate, inference_row
from asn_analysis.effects.inputs import (
    EffectInputError,
    binary_column,
    check_frame,
    complete_rows,
    constant_within,
    numeric_column,
)
from asn_analysis.stats.bootstrap import (
    BootWeights,
    WildClusterBootstrap,
    boot_weights,
    nonnested_dummies,
)
from asn_analysis.stats.inference import (
    Headline,
    headline_first,
    headline_method,
    headline_note,
)
from asn_analysis.stats.ols import FEFit, FixedEffect, absorb, fe_codes, fe_ols

__all__ = ["Inference", "before_after", "did", "naive_difference", "twfe", "twfe_weights"]

#: Inference of the linear estimators: ``"auto"`` follows the one rule of
#: :func:`asn_analysis.stats.inference.headline_method` (permutation with one treated unit, the
#: wild cluster bootstrap with fewer than 42 clusters, else CR1; CR1 always beside).
Inference = Literal["auto", "cluster", "wild", "permutation"]


def _wild_row(
    fit: FEFit, j: int, *, level: float, n_boot: int, weights: str, seed: Any
) -> tuple[dict[str, Any] | None, str | None]:
    extra = nonnested_dummies(fit)
    if extra is None:
        return None, "wild cluster bootstrap not computed: too many non-nested fixed effects"
    boot = WildClusterBootstrap(fit, j, extra if extra.shape[1] else None)
    v, enumerated = boot_weights(weights, fit.n_clusters, n_boot, seed)
    p = boot.pvalue(0.0, v)
    lo, hi = boot.ci(v, level)
    draws = len(v)
    name = f"wild cluster bootstrap (WCR, {weights}{', enumerated' if enumerated else ''})"
    row = {"method": name, "se": np.nan, "ci_low": lo, "ci_high": hi, "pvalue": p, "n_draws": draws}
    return row, None


# =============================================================================================
# Shared estimation core for did / twfe / before_after
# =============================================================================================
def _cluster_codes(data: pd.DataFrame, cluster: Hashable | None) -> np.ndarray | None:
    if cluster is None:
        return None
    return fe_codes(data[cluster])[0]


def _panel_effect(
    data: pd.DataFrame,
    *,
    y: np.ndarray,
    x: np.ndarray,
    names: list[str],
    fes: list[FixedEffect],
    clusters: np.ndarray | None,
    cluster_name: str | None,
    method: str,
    estimand: str,
    n_treated: int,
    n_excluded: int,
    level: float,
    notes: list[str],
    inference: str = "cluster",
    n_boot: int = 0,
    weights: str = "rademacher",
    seed: Any = None,
    placebo: Callable[[], tuple[float, np.ndarray, int]] | None = None,
) -> EffectEstimate:
    fit = fe_ols(y, x, names, fes, clusters, error=EffectInputError)
    est = float(fit.coef[0])
    se = float(math.sqrt(fit.vcov[0, 0]))
    g = fit.n_clusters
    df = g - 1 if clusters is not None else fit.n - fit.k
    cr1 = inference_row(f"cluster-robust CR1, t({df})", est, se, level, df)
    rows = [cr1]
    notes = list(notes)
    k_text = f"K = {fit.k}"
    if clusters is not None:
        notes.append(
            f"Standard errors clustered by {cluster_name} ({g} clusters): CR1 with factor "
            f"G/(G-1) x (N-1)/(N-K), {k_text} (slopes plus fixed effects not nested in the "
            f"clusters), t({g - 1}) critical values."
        )
    else:
        notes.append(f"Heteroskedasticity-robust (HC1) standard errors, {k_text}.")
    if fit.absorb_method not in ("intercept",):
        notes.append(f"Fixed effects absorbed by {fit.absorb_method}.")

    headline = headline_method(
        inference,
        n_clusters=g if clusters is not None else None,
        one_treated_unit=placebo is not None,
    )
    kinds: list[Headline] = ["cluster"]
    if headline == "wild":
        if clusters is None:
            raise EffectInputError("inference='wild' needs clusters (give cluster= or unit=)")
        row, problem = _wild_row(fit, 0, level=level, n_boot=n_boot, weights=weights, seed=seed)
        if row is not None:
            rows.append(row)
            kinds.append("wild")
            notes.append(
                f"Wild cluster restricted bootstrap (Cameron, Gelbach & Miller 2008; Roodman et "
                f"al. 2019): p = {row['pvalue']:.3g}, CI by test inversion "
                f"[{row['ci_low']:.4g}, {row['ci_high']:.4g}]; CR1 beside it: p = "
                f"{cr1['pvalue']:.3g}, CI [{cr1['ci_low']:.4g}, {cr1['ci_high']:.4g}]."
            )
        elif problem:
            notes.append(f"{problem}; the CR1 interval is the headline instead.")
    if headline == "permutation":
        if placebo is None:
            raise EffectInputError(
                "inference='permutation' needs unit= and exactly one treated unit"
            )
        perm_row, perm_notes = _permutation_row(est, placebo, level)
        rows.append(perm_row)
        kinds.append("permutation")
        notes += perm_notes
    rows = headline_first(rows, headline, kinds=kinds)
    if inference != "cluster":  # the naive comparisons have no inference option
        shown: Headline = headline if headline in kinds else "cluster"
        notes.append(
            headline_note(shown, n_clusters=g if clusters is not None else None,
                          method=rows[0]["method"])
        )  # fmt: skip
    primary_se = rows[0]["se"]
    return EffectEstimate.from_inference(
        est,
        rows,
        se=float(primary_se) if np.isfinite(primary_se) else se,
        n_obs=fit.n,
        n_treated=n_treated,
        n_clusters=g if clusters is not None else None,
        method=method,
        estimand=estimand,
        level=level,
        n_excluded=n_excluded,
        details=MappingProxyType({"coefficients": fit.coef_table(level, df)}),
        notes=tuple(notes),
    )


def _permutation_row(
    est: float, placebo: Callable[[], tuple[float, np.ndarray, int]], level: float
) -> tuple[dict[str, Any], list[str]]:
    """Placebo-in-space p-value, SE and CI (inverting the test under a constant effect)."""
    _, placebos, n_units = placebo()
    placebos = placebos[np.isfinite(placebos)]
    n = len(placebos)
    pval = (1 + int(np.sum(np.abs(placebos) >= abs(est) - 1e-12))) / (n + 1)
    alpha = 1 - level
    m = math.floor(alpha * (n + 1) - 1 + 1e-9)
    ordered = np.sort(np.abs(placebos))[::-1]
    half = ordered[m] if 0 <= m < n else math.inf
    se = float(np.sqrt(np.mean(placebos**2))) if n else np.nan
    row = {
        "method": "permutation (placebo-in-space)",
        "se": se,
        "ci_low": est - half,
        "ci_high": est + half,
        "pvalue": pval,
        "n_draws": n,
    }
    notes = [
        "A single treated unit: cluster-robust standard errors are not valid (Conley & Taber "
        "2011; MacKinnon & Webb 2017), so inference is by placebo-in-space permutation: the "
        f"treatment is given to each of the {n} comparison units in turn (the treated unit "
        f"left out); exact p = rank / {n + 1} units = {pval:.3g}.",
        "Permutation CI: all constant effects the test does not reject at "
        f"{100 * (1 - level):g}% (|estimate - effect| within the "
        f"{'largest' if m == 0 else f'{m + 1}-th largest'} absolute placebo estimate); "
        "its smallest attainable p-value is "
        f"1/{n + 1}. The SE is the root mean square of the placebo estimates. Assumes the "
        "comparison units' estimation errors are exchangeable with the treated unit's.",
    ]
    if m < 0:
        notes.append(
            f"Too few comparison units ({n}) for a {100 * level:g}% permutation CI: it is "
            "unbounded."
        )
    return row, notes


def _placebo(
    data: pd.DataFrame,
    *,
    unit: Hashable,
    treat_col: str,
    refit: Callable[[pd.DataFrame], float],
    time: Hashable | None = None,
) -> Callable[[], tuple[float, np.ndarray, int]]:
    """Placebo-in-space: each comparison unit in turn plays the single treated unit.

    With ``time`` the placebo unit gets the treated unit's treatment path by period (a
    treatment indicator; runs where it would be always or never treated are skipped);
    without, ``treat_col`` is a group indicator and the placebo unit's rows get 1.
    """
    treated_unit = data.loc[data[treat_col] == 1, unit].unique()[0]
    if time is not None:
        path = data.loc[data[unit] == treated_unit].set_index(time)[treat_col]
        path = path[~path.index.duplicated()]

    def fake_treatment(fake: pd.DataFrame, is_c: np.ndarray) -> np.ndarray | None:
        if time is None:
            return is_c.astype(float)
        new = np.zeros(len(fake))
        new[is_c] = fake.loc[is_c, time].map(path).fillna(0).to_numpy(dtype=float)
        return None if new.sum() == 0 or new.sum() == is_c.sum() else new

    def run() -> tuple[float, np.ndarray, int]:
        rest = data[data[unit] != treated_unit]
        controls = rest[unit].unique()
        out = np.full(len(controls), np.nan)
        for i, c in enumerate(controls):
            fake = rest.copy()
            new = fake_treatment(fake, (fake[unit] == c).to_numpy())
            if new is None:
                continue
            fake[treat_col] = new
            try:
                out[i] = refit(fake)
            except EffectInputError:
                continue
        return 0.0, out, len(controls) + 1

    return run


def _did_placebo(
    frame: pd.DataFrame,
    *,
    y: np.ndarray,
    cov: np.ndarray | None,
    names: list[str],
    treatment: str,
    post: str,
    unit: str,
    time: str | None,
    cluster: str,
) -> Callable[[], tuple[float, np.ndarray, int]]:
    """Placebo-in-space runs of :func:`did`: each comparison unit in turn is the treated one.

    The estimate of each run is the one ``did(rest with that unit treated, inference="cluster")``
    returns (same arrays into :func:`fe_ols`, so the same numbers), without re-validating the
    frame: the checks ``did`` would repeat hold for a subset of validated rows, except that the
    rest may lack control rows, a pre- or a post-period, in which ``did`` raises and the run is
    skipped. With ``time`` the model has unit and time effects, otherwise group and period
    indicators.
    """
    treated_unit = frame.loc[frame[treatment] == 1, unit].unique()[0]
    keep = (frame[unit] != treated_unit).to_numpy()
    rest = frame[keep]
    unit_codes, n_units = fe_codes(rest[unit])
    fes = [] if time is None else [(unit_codes, n_units), fe_codes(rest[time])]
    clusters = fe_codes(rest[cluster])[0]
    y_rest, post_rest = y[keep], rest[post].to_numpy(dtype=float)
    cov_rest = None if cov is None else cov[keep]
    periods_ok = bool((post_rest == 0).any() and (post_rest == 1).any())
    # The comparison units in their order of appearance, as ``rest[unit].unique()``.
    first_rows = np.unique(unit_codes, return_index=True)[1]
    order = unit_codes[np.sort(first_rows)]

    def run() -> tuple[float, np.ndarray, int]:
        out = np.full(n_units, np.nan)
        for i, code in enumerate(order):
            new = (unit_codes == code).astype(float)
            if not periods_ok or new.all():  # did raises: no pre/post period, no control rows
                continue
            interaction = new * post_rest
            x = (
                interaction[:, None]
                if time is not None
                else np.column_stack([interaction, new, post_rest])
            )
            if cov_rest is not None:
                x = np.column_stack([x, cov_rest])
            try:
                out[i] = fe_ols(y_rest, x, names, fes, clusters, error=EffectInputError).coef[0]
            except EffectInputError:
                continue
        return 0.0, out, n_units + 1

    return run


# =============================================================================================
# Public estimators: did, twfe, before_after
# =============================================================================================
def did(
    data: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    post: str,
    unit: str | None = None,
    time: str | None = None,
    covariates: Sequence[str] = (),
    cluster: str | None = None,
    inference: Inference = "auto",
    n_boot: int = 9999,
    weights: BootWeights = "rademacher",
    seed: int | None = 0,
    level: float = 0.95,
) -> EffectEstimate:
    r"""Estimate a 2x2 difference-in-differences.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per observation (a unit-period, or a person in a period).
    outcome : str
        Numeric outcome column.
    treatment : str
        Binary column: 1 for the treated group (constant within a unit).
    post : str
        Binary column: 1 for periods after the treatment started (constant within a period).
    unit, time : str, optional
        Panel identifiers. When both are given the model has unit and time fixed effects
        (a two-way fixed effects DiD); otherwise group and period indicators.
    covariates : sequence of str, default ()
        Numeric time-varying controls.
    cluster : str, optional
        Cluster of the standard errors; default ``unit`` when given, otherwise none (HC1).
    inference : {"auto", "cluster", "wild", "permutation"}, default "auto"
        Method of the headline interval and p-value (``ci_low``, ``ci_high``, ``pvalue``; the
        first row of ``inference``). ``"auto"``, the one rule of the package
        (:func:`asn_analysis.stats.inference.headline_method`): placebo-in-space permutation
        when exactly one unit is treated; the wild cluster restricted bootstrap with fewer
        than 42 clusters; otherwise CR1. CR1 is shown beside the headline (second row).
        ``"cluster"``, ``"wild"``, ``"permutation"``: that method as the headline.
    n_boot : int, default 9999
        Bootstrap draws (Rademacher signs are enumerated when 2**G <= n_boot).
    weights : {"rademacher", "webb", "mammen"}, default "rademacher"
        Wild bootstrap weights (Webb's six-point weights are better below about 12 clusters).
    seed : int, optional
        Seed of the bootstrap draws.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    EffectEstimate
        The DiD estimate; ``details["coefficients"]`` has all coefficients.

    Raises
    ------
    EffectInputError
        Missing or non-numeric columns, non-binary ``treatment``/``post``, no treated or no
        control observations, no pre-period, ``treatment`` varying within a unit or ``post``
        within a period, collinear covariates.

    Notes
    -----
    Without fixed effects: :math:`y_i = \alpha + \gamma\,T_i + \lambda\,P_i +
    \delta\,T_i P_i + x_i'\beta + \varepsilon_i`; with ``unit`` and ``time``:
    :math:`y_{it} = \alpha_i + \lambda_t + \delta\,T_i P_t + x_{it}'\beta + \varepsilon_{it}`.
    :math:`\delta` is the ATT under parallel trends (the treated group's outcome would have
    moved like the comparison group's without treatment) and no anticipation. See
    :func:`twfe` for the covariance and the few-cluster and single-treated-unit inference.

    References
    ----------
    .. [1] Cameron, Gelbach & Miller (2008); Conley & Taber (2011); Roodman et al. (2019).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2.0, 1.5, 3.5], "t": [0, 0, 1, 1], "p": [0, 1, 0, 1]})
    >>> round(did(df, outcome="y", treatment="t", post="p").estimate, 6)
    1.0
    """
    check_option("inference", inference, Inference)
    check_option("weights", weights, BootWeights)
    check_level(level)
    panel = unit is not None and time is not None
    cols = [outcome, treatment, post, *covariates]
    cols += [c for c in (unit, time, cluster) if c is not None and c not in cols]
    check_frame(data, cols)
    frame, n_excluded = complete_rows(data, cols)
    frame = frame.copy()
    frame[treatment] = binary_column(numeric_column(frame[treatment], treatment), treatment)
    frame[post] = binary_column(numeric_column(frame[post], post), post)
    y = numeric_column(frame[outcome], outcome)
    for value, label in ((1, "treated"), (0, "control")):
        if not (frame[treatment] == value).any():
            raise EffectInputError(f"{treatment} has no {label} rows (it must contain 1 and 0)")
    if not (frame[post] == 0).any():
        raise EffectInputError(f"no pre-period: {post} is 1 in every row")
    if not (frame[post] == 1).any():
        raise EffectInputError(f"no post-period: {post} is 0 in every row")
    if unit is not None:
        constant_within(frame, treatment, [unit], "unit")
    if time is not None:
        constant_within(frame, post, [time], "period")
    cov = np.column_stack([numeric_column(frame[c], c) for c in covariates]) if covariates else None
    interaction = (frame[treatment] * frame[post]).to_numpy(dtype=float)
    name = f"{treatment} x {post}"
    cluster = cluster if cluster is not None else unit
    clusters = _cluster_codes(frame, cluster)
    if panel:
        fes = [fe_codes(frame[unit]), fe_codes(frame[time])]
        x = interaction[:, None]
        names = [name]
        method = "DiD (unit and time fixed effects)"
    else:
        fes = []
        x = np.column_stack(
            [interaction, frame[treatment].to_numpy(float), frame[post].to_numpy(float)]
        )
        names = [name, treatment, post]
        method = "DiD (2x2)"
    if cov is not None:
        x = np.column_stack([x, cov])
        names += list(covariates)
    n_treated_units = (
        int(frame.loc[frame[treatment] == 1, unit].nunique())
        if unit is not None
        else int((frame[treatment] == 1).sum())
    )
    placebo = None
    if unit is not None and n_treated_units == 1 and inference in ("auto", "permutation"):
        placebo = _did_placebo(
            frame, y=y, cov=cov, names=names, treatment=treatment, post=post, unit=unit,
            time=time if panel else None, cluster=cluster,
        )  # fmt: skip
    notes = [
        "Identifying assumptions: parallel trends (without the treatment the treated group's "
        "outcome would have changed like the comparison group's) and no anticipation."
    ]
    return _panel_effect(
        frame,
        y=y,
        x=x,
        names=names,
        fes=fes,
        clusters=clusters,
        cluster_name=cluster,
        method=method,
        estimand="ATT",
        n_treated=n_treated_units,
        n_excluded=n_excluded,
        level=level,
        inference=inference,
        n_boot=n_boot,
        weights=weights,
        seed=seed,
        notes=notes,
        placebo=placebo,
    )


def twfe(
    data: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    unit: str,
    time: str,
    covariates: Sequence[str] = (),
    cluster: str | None = None,
    inference: Inference = "auto",
    n_boot: int = 9999,
    weights: BootWeights = "rademacher",
    seed: int | None = 0,
    level: float = 0.95,
) -> EffectEstimate:
    r"""Estimate a two-way fixed effects regression of an outcome on a binary treatment.

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel: one row per unit and period, or several rows (e.g. respondents) per
        unit-period.
    outcome : str
        Numeric outcome.
    treatment : str
        Binary treatment indicator :math:`D_{it}` (1 from the period the unit is treated). It
        must be constant within a unit-period.
    unit, time : str
        Unit and period identifiers (fixed effects).
    covariates : sequence of str, default ()
        Numeric time-varying controls.
    cluster : str, optional
        Cluster of the standard errors; default ``unit``.
    inference : {"auto", "cluster", "wild", "permutation"}, default "auto"
        Method of the headline interval and p-value, as in :func:`did`: ``"auto"`` gives
        permutation with one treated unit, the wild cluster restricted bootstrap with fewer
        than 42 clusters, otherwise CR1; CR1 is shown beside the headline (second row).
    n_boot : int, default 9999
        Wild bootstrap draws.
    weights : {"rademacher", "webb", "mammen"}, default "rademacher"
        Wild bootstrap weights.
    seed : int, optional
        Seed of the bootstrap draws.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    EffectEstimate
        ``estimate`` is :math:`\hat\delta`; ``inference`` lists the headline method first
        (with few clusters the wild cluster bootstrap, with one treated unit the permutation
        test) and CR1 beside it; ``se`` is always the CR1 (or permutation) standard error.

    Raises
    ------
    EffectInputError
        Missing or non-numeric columns; a non-binary treatment; no treated or no untreated
        observations; treatment varying within a unit-period; a covariate absorbed by the
        fixed effects or collinear with others.

    Notes
    -----
    :math:`y_{it} = \alpha_i + \lambda_t + \delta D_{it} + x_{it}'\beta + \varepsilon_{it}`.
    The fixed effects are absorbed, never built as dummy matrices: a within transformation by
    unit, then the (few) period effects are solved exactly from their small normal equations
    (alternating projections when both dimensions are large); rows with a missing value are
    excluded and counted in ``n_excluded``. Coefficients equal ``linearmodels.PanelOLS`` with
    ``entity_effects=True, time_effects=True``.

    Covariance: cluster-robust CR1,
    :math:`\hat V = \frac{G}{G-1}\frac{N-1}{N-K}(\tilde X'\tilde X)^{-1}
    \sum_g \tilde X_g'\hat e_g \hat e_g'\tilde X_g (\tilde X'\tilde X)^{-1}`, where K counts the
    slopes and the fixed-effect parameters not nested in the clusters (unit effects nested in
    unit clusters use no degrees of freedom: the fixest/reghdfe/xtreg convention), with
    t(G - 1) critical values. ``linearmodels`` with ``debiased=True, group_debias=True,
    count_effects=False`` uses K = slopes only; its SE differs by the factor
    :math:`\sqrt{(N-p)/(N-K)}`.

    With a staggered roll-out and effects that change over time, :math:`\hat\delta` is a
    weighted average of 2x2 comparisons some of which use already-treated units as controls,
    with possibly negative weights (Goodman-Bacon 2021): use :func:`staggered_did` then.

    References
    ----------
    .. [1] Goodman-Bacon, A. (2021). Journal of Econometrics, 225(2), 254-277.
    .. [2] Cameron, Gelbach & Miller (2008); Roodman et al. (2019).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"unit": np.repeat(np.arange(20), 4), "time": np.tile(np.arange(4), 20)})
    >>> df["d"] = ((df["unit"] < 10) & (df["time"] >= 2)).astype(int)
    >>> df["y"] = df["unit"] * 0.1 + df["time"] + 2.0 * df["d"] + rng.normal(0, 0.1, len(df))
    >>> res = twfe(df, outcome="y", treatment="d", unit="unit", time="time", n_boot=199)
    >>> round(res.estimate, 1)
    2.0
    """
    check_option("inference", inference, Inference)
    check_option("weights", weights, BootWeights)
    check_level(level)
    cols = [outcome, treatment, unit, time, *covariates]
    if cluster is not None and cluster not in cols:
        cols.append(cluster)
    check_frame(data, cols)
    frame, n_excluded = complete_rows(data, cols)
    d = binary_column(numeric_column(frame[treatment], treatment), treatment)
    y = numeric_column(frame[outcome], outcome)
    if not (d == 1).any():
        raise EffectInputError(f"{treatment} is never 1: no treated observations")
    if not (d == 0).any():
        raise EffectInputError(f"{treatment} is always 1: no untreated observations")
    unit_codes = fe_codes(frame[unit])
    time_codes = fe_codes(frame[time])
    n_cells = unit_codes[1] * time_codes[1]
    if n_cells <= 50_000_000:
        cell = unit_codes[0].astype(np.int64) * time_codes[1] + time_codes[0]
        count = np.bincount(cell, minlength=n_cells)
        if count.max() > 1:  # several rows per unit-period: treatment must agree within cells
            n_d = np.bincount(cell, weights=d, minlength=n_cells)
            varying = int(np.sum((n_d > 0) & (n_d < count)))
            if varying:
                raise EffectInputError(
                    f"{treatment} varies within {varying} unit-period cell(s) of ({unit}, "
                    f"{time}); the treatment must be constant within a unit-period"
                )
    else:
        constant_within(frame.assign(_d=d), "_d", [unit, time], "unit-period")
    treated_units = np.unique(unit_codes[0][d == 1])
    ever = np.zeros(unit_codes[1], dtype=bool)
    ever[treated_units] = True
    if ever.all():
        notes_ctrl = [
            "Every unit is treated at some point: identification comes only from timing "
            "differences (not-yet-treated units as controls)."
        ]
    else:
        notes_ctrl = []
    cov = np.column_stack([numeric_column(frame[c], c) for c in covariates]) if covariates else None
    x = d[:, None] if cov is None else np.column_stack([d, cov])
    names = [treatment, *covariates]
    cluster = cluster if cluster is not None else unit
    clusters = _cluster_codes(frame, cluster)
    placebo = None
    if len(treated_units) == 1 and inference in ("auto", "permutation"):

        def refit(fake: pd.DataFrame) -> float:
            return twfe(
                fake, outcome=outcome, treatment=treatment, unit=unit, time=time,
                covariates=covariates, cluster=cluster, inference="cluster", level=level,
            ).estimate  # fmt: skip

        pframe = frame.copy()
        pframe[treatment] = d
        placebo = _placebo(pframe, unit=unit, treat_col=treatment, refit=refit, time=time)
    notes = [
        "Identifying assumptions: parallel trends and no anticipation; the single coefficient "
        "is a variance-weighted average of 2x2 comparisons. With staggered adoption and effects "
        "that change over time it is biased (already-treated units serve as controls; "
        "Goodman-Bacon 2021): compare with staggered_did().",
        *notes_ctrl,
    ]
    if n_excluded:
        notes.append(f"{n_excluded} rows excluded for missing values.")
    return _panel_effect(
        frame,
        y=y,
        x=x,
        names=names,
        fes=[unit_codes, time_codes],
        clusters=clusters,
        cluster_name=cluster,
        method="TWFE",
        estimand="ATT",
        n_treated=len(treated_units),
        n_excluded=n_excluded,
        level=level,
        inference=inference,
        n_boot=n_boot,
        weights=weights,
        seed=seed,
        notes=notes,
        placebo=placebo,
    )


def naive_difference(
    data: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    cluster: str | None = None,
    level: float = 0.95,
) -> EffectEstimate:
    """Difference in mean outcome between treated and untreated rows (no adjustment).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per person (or unit).
    outcome, treatment : str
        Numeric outcome and binary treatment columns.
    cluster : str, optional
        Cluster of the standard errors (default none: HC1).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    EffectEstimate
        The raw difference with its SE; the notes say why it is not an effect.

    Notes
    -----
    OLS of the outcome on an intercept and the treatment indicator. With self-selected
    participants the difference mixes the effect with pre-existing differences
    (selection bias); shown next to :func:`att_weighting` to expose that bias.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2.0, 4.0, 6.0], "d": [0, 0, 1, 1]})
    >>> naive_difference(df, outcome="y", treatment="d").estimate
    3.5
    """
    check_level(level)
    cols = [outcome, treatment] + ([cluster] if cluster else [])
    check_frame(data, cols)
    frame, n_excluded = complete_rows(data, cols)
    d = binary_column(numeric_column(frame[treatment], treatment), treatment)
    for value, label in ((1, "treated"), (0, "untreated")):
        if not (d == value).any():
            raise EffectInputError(f"{treatment} has no {label} rows (it must contain 1 and 0)")
    return _panel_effect(
        frame,
        y=numeric_column(frame[outcome], outcome),
        x=d[:, None],
        names=[treatment],
        fes=[],
        clusters=_cluster_codes(frame, cluster),
        cluster_name=cluster,
        method="naive difference",
        estimand="difference in means",
        n_treated=int((d == 1).sum()),
        n_excluded=n_excluded,
        level=level,
        notes=[
            "Naive: treated and untreated may differ before treatment (selection), which this "
            "difference attributes to the treatment. Shown to expose that bias."
        ],
    )


def before_after(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    cluster: str | None = None,
    level: float = 0.95,
) -> EffectEstimate:
    r"""Naive before-after change of the treated units (no comparison group).

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel with ``first_treated`` (the unit's first treated period, missing for
        never-treated units, which are ignored).
    outcome, unit, time, first_treated : str
        Columns.
    cluster : str, optional
        Cluster of the standard errors; default ``unit``.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    EffectEstimate
        :math:`\hat\delta` of :math:`y_{it} = \alpha_i + \delta\,1[t \ge g_i] + e_{it}` over
        ever-treated units, CR1 by unit with t(G-1).

    Notes
    -----
    Attributes every change after the start to the training, including the secular trend
    and period shocks shared with untreated units: biased whenever outcomes trend. It is here
    to show that bias, not to be reported as an effect.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"u": [1, 1, 2, 2], "t": [1, 2, 1, 2], "y": [1.0, 3.0, 2.0, 4.5],
    ...                    "g": [2, 2, 2, 2]})
    >>> round(before_after(df, outcome="y", unit="u", time="t", first_treated="g").estimate, 2)
    2.25
    """
    check_frame(data, [outcome, unit, time, first_treated])
    check_level(level)
    frame = data[data[first_treated].notna()]
    frame, n_excluded = complete_rows(frame, [outcome, unit, time])
    if frame.empty:
        raise EffectInputError(f"{first_treated} is missing for every unit: no treated units")
    # Period labels compare by their dates, never as text.
    order = {v: i for i, v in enumerate(ordered_times([*frame[time], *frame[first_treated]]))}
    post = (frame[time].map(order) >= frame[first_treated].map(order)).to_numpy(dtype=float)
    if not (post == 0).any():
        raise EffectInputError("no pre-period: every treated unit is treated in all its rows")
    y = numeric_column(frame[outcome], outcome)
    cluster = cluster if cluster is not None else unit
    fit_frame = frame.assign(_post=post)
    est = _panel_effect(
        fit_frame,
        y=y,
        x=post[:, None],
        names=["post"],
        fes=[fe_codes(frame[unit])],
        clusters=_cluster_codes(frame, cluster),
        cluster_name=cluster,
        method="before-after (naive)",
        estimand="change after start",
        n_treated=int(frame[unit].nunique()),
        n_excluded=n_excluded,
        level=level,
        notes=[
            "Naive: no comparison group, so secular trends and shared period shocks are "
            "attributed to the treatment. Shown to expose that bias."
        ],
    )
    return est


def twfe_weights(data: pd.DataFrame, *, treatment: str, unit: str, time: str) -> pd.DataFrame:
    r"""Return the weights the TWFE coefficient puts on each treated unit-period.

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel (one row per unit-period).
    treatment : str
        Binary treatment indicator.
    unit, time : str
        Fixed-effect identifiers.

    Returns
    -------
    pandas.DataFrame
        One row per treated row: unit, time, weight. Weights sum to 1; negative ones mark
        cells whose effect *lowers* the TWFE coefficient.

    Notes
    -----
    With :math:`\tilde D` the treatment after absorbing unit and time effects,
    :math:`\hat\delta_{TWFE} = \sum_{D_{it}=1} w_{it}\,\tau_{it} + \text{noise}`,
    :math:`w_{it} = \tilde D_{it} / \sum_{D=1}\tilde D`
    (de Chaisemartin & D'Haultfoeuille 2020).
    Applied to known effects :math:`\tau_{it}` (synthetic data) the weighted sum is the TWFE
    estimand, so its distance from the plain mean of :math:`\tau` is TWFE's bias.

    References
    ----------
    .. [1] de Chaisemartin, C., & D'Haultfoeuille, X. (2020). Two-way fixed effects estimators
           with heterogeneous treatment effects. AER, 110(9), 2964-2996.

    Examples
    --------
    Two units, both treated in the end (unit 1 from period 2, unit 2 from period 3): the
    long exposure of unit 1 gets a negative weight, because in period 3 unit 1 serves as the
    control of unit 2.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"u": [1, 1, 1, 2, 2, 2], "t": [1, 2, 3] * 2,
    ...                    "d": [0, 1, 1, 0, 0, 1]})
    >>> twfe_weights(df, treatment="d", unit="u", time="t")["weight"].round(3).tolist()
    [1.0, -0.5, 0.5]
    """
    check_frame(data, [treatment, unit, time])
    frame, _ = complete_rows(data, [treatment, unit, time])
    d = binary_column(numeric_column(frame[treatment], treatment), treatment)
    if not (d == 1).any():
        raise EffectInputError(f"{treatment} is never 1: no treated rows")
    dt, _ = absorb(d[:, None], [fe_codes(frame[unit]), fe_codes(frame[time])])
    treated = d == 1
    w = dt[treated, 0] / dt[treated, 0].sum()
    return pd.DataFrame(
        {unit: frame[unit].to_numpy()[treated], time: frame[time].to_numpy()[treated], "weight": w}
    )
