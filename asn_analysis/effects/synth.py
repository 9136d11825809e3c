r"""Synthetic control for a single treated unit, with placebo-in-space inference.

:func:`synthetic_control` builds the treated unit's counterfactual as a convex combination of
donor units (Abadie, Diamond & Hainmueller 2010). By default the weights are fitted on the
pre-treatment outcomes, optionally demeaned (Ferman & Pinto 2021); with ``predictors`` they are
fitted on covariates averaged over chosen pre-periods and on chosen outcome lags, weighted by V
(given, or chosen to minimise the pre-period outcome fit: the nested optimisation of Abadie &
Gardeazabal 2003). The effect is tested and bracketed by giving the treatment to every donor in
turn (Firpo & Possebom 2018).

References
----------
.. [1] Abadie, A., Diamond, A., & Hainmueller, J. (2010). Synthetic control methods for
       comparative case studies. Journal of the American Statistical Association, 105, 493-505.
.. [2] Abadie, A., & Gardeazabal, J. (2003). The economic costs of conflict: a case study of the
       Basque Country. American Economic Review, 93(1), 113-132.
.. [3] Firpo, S., & Possebom, V. (2018). Synthetic control method: inference, sensitivity
       analysis and confidence sets. Journal of Causal Inference, 6(2).
.. [4] Ferman, B., & Pinto, C. (2021). Synthetic controls with imperfect pretreatment fit.
       Quantitative Economics, 12(4), 1197-1221.

Examples
--------
>>> import numpy as np, pandas as pd
>>> df = pd.DataFrame([(u, t) for u in range(6) for t in range(5)], columns=["u", "t"])
>>> df["y"] = df["u"] + 0.5 * df["t"] + np.where((df["u"] == 2) & (df["t"] >= 3), 1.0, 0.0)
>>> res = synthetic_control(df, outcome="y", unit="u", time="t", treated_unit=2,
...                         treatment_start=3)
>>> round(res.estimate, 6)
1.0
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd
from scipy import optimize

from asn_analysis._validation import check_level, check_option, show_values
from asn_analysis.data.periods import ordered_times
from asn_analysis.effects.estimate import EffectEstimate
from asn_analysis.effects.inputs import (
    EffectInputError,
    check_frame,
    complete_rows,
    numeric_column,
)
from asn_analysis.errors import InputProblems, OptionError

__all__ = [
    "SynthAggregation",
    "SynthInputError",
    "SynthPlaceboV",
    "SynthPredictor",
    "SynthStatistic",
    "synthetic_control",
]

#: Placebo test statistic: absolute mean post-period gap, or the post/pre RMSPE ratio.
SynthStatistic = Literal["rmspe_ratio", "mean_gap"]
#: How a predictor's values over its periods become one number per unit.
SynthAggregation = Literal["mean", "median"]
#: The V of each placebo run with a nested V: its own (refit) or the treated unit's.
SynthPlaceboV = Literal["refit", "treated"]


class SynthPredictor(NamedTuple):
    """One predictor of :func:`synthetic_control`: a column summarised over pre-periods.

    A covariate averaged over pre-treatment periods, or an outcome lag when ``column`` is the
    outcome and ``periods`` one period (a "special predictor" of Synth / pysyncon). A plain
    tuple ``(column, periods)`` or ``(column, periods, op)``, or just the column name, works too.

    Attributes
    ----------
    column : str
        The column (a covariate, or the outcome).
    periods : sequence of periods, optional
        Pre-treatment values of ``time`` to summarise over (default: every pre-period).
        Missing values within them are skipped (and counted in the notes).
    op : {"mean", "median"}, default "mean"
        The summary over ``periods``.

    Examples
    --------
    >>> SynthPredictor("price", [1980, 1981, 1982])
    SynthPredictor(column='price', periods=[1980, 1981, 1982], op='mean')
    """

    column: str
    periods: Sequence[Any] | None = None
    op: SynthAggregation = "mean"


class SynthInputError(EffectInputError, InputProblems):
    """Every problem found in a synthetic-control specification (predictors, V), listed together.

    Examples
    --------
    >>> print(SynthInputError(["predictor 1: column 'x' is not in the data", "v: 2 values"]))
    2 problems in the synthetic control specification:
    - predictor 1: column 'x' is not in the data
    - v: 2 values
    """

    heading = "problems in the synthetic control specification"


def _simplex_weights(target: np.ndarray, donors: np.ndarray) -> np.ndarray:
    """Return argmin ||target - donors w||^2 subject to w >= 0, sum(w) = 1.

    Lawson-Hanson NNLS with the sum constraint as a heavily weighted extra row finds the
    active set; the weights on it are then polished by solving the equality-constrained least
    squares exactly (KKT system). Much faster than a general QP solver for the placebo loop.
    :func:`_simplex_fit` then checks the optimality conditions and corrects the active set.
    """
    k = donors.shape[1]
    scale = max(float(np.abs(donors).max()), float(np.abs(target).max()), 1e-12)
    big = 1e4 * scale * math.sqrt(donors.shape[0] + 1)
    a = np.vstack([donors, np.full((1, k), big)])
    b = np.append(target, big)
    w, _ = optimize.nnls(a, b, maxiter=50 * k)
    support = np.flatnonzero(w > 1e-12)
    if len(support):
        sub = donors[:, support]
        kkt = np.zeros((len(support) + 1, len(support) + 1))
        kkt[:-1, :-1] = sub.T @ sub
        kkt[:-1, -1] = kkt[-1, :-1] = 1.0
        rhs = np.append(sub.T @ target, 1.0)
        sol = np.linalg.lstsq(kkt, rhs, rcond=None)[0][:-1]
        if np.all(sol >= -1e-12):
            polished = np.zeros(k)
            polished[support] = np.clip(sol, 0, None)
            resid_new = np.sum((target - donors @ polished) ** 2)
            resid_old = np.sum((target - donors @ (w / w.sum())) ** 2)
            if resid_new <= resid_old + 1e-12 * scale**2:
                w = polished
    w = np.clip(w, 0, None)
    return w / w.sum()


def _kkt_violation(gram: np.ndarray, lin: np.ndarray, w: np.ndarray, on: np.ndarray) -> float:
    """Largest violation of the optimality conditions of min 0.5 w'Gw - c'w on the simplex.

    At the optimum the gradient g = Gw - c equals one multiplier on the support ``on`` (a
    boolean mask) and is at least that multiplier off it.
    """
    g = gram @ w - lin
    lam = float(g[on].mean())
    worst = float(np.abs(g[on] - lam).max())
    return max(worst, float(lam - g[~on].min())) if not on.all() else worst


def _equality_solve(gram: np.ndarray, lin: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Minimise 0.5 w'Gw - c'w subject to sum(w) = 1 with w zero off the mask ``on``."""
    idx = np.flatnonzero(on)
    m = len(idx)
    kkt = np.ones((m + 1, m + 1))
    kkt[:m, :m] = gram[np.ix_(idx, idx)]
    kkt[m, m] = 0.0
    rhs = np.append(lin[idx], 1.0)
    try:
        sol = np.linalg.solve(kkt, rhs)[:m]
    except np.linalg.LinAlgError:  # collinear donors on the support: the least-norm solution
        sol = np.linalg.lstsq(kkt, rhs, rcond=None)[0][:m]
    full = np.zeros(len(lin))
    full[idx] = sol
    return full


def _active_set(
    gram: np.ndarray, lin: np.ndarray, w: np.ndarray, on: np.ndarray, tol: float
) -> tuple[np.ndarray, np.ndarray]:
    """Primal active-set method (Lawson & Hanson 1974, ch. 23) from a feasible ``w``.

    Re-solve the equality-constrained problem on the support, step back to feasibility when a
    weight turns negative (dropping it), add the donor that most violates the optimality
    conditions, until they hold to ``tol``.
    """
    on = on.copy()
    for _ in range(20 * len(w) + 20):
        while True:
            sol = _equality_solve(gram, lin, on)
            if np.all(sol[on] > 0):
                w = sol
                break
            neg = on & (sol <= 0)
            step = float(np.min(w[neg] / (w[neg] - sol[neg])))
            w = np.clip(w + step * (sol - w), 0, None)
            on &= w > 1e-15
            w[~on] = 0.0
        g = gram @ w - lin
        if on.all() or g[~on].min() >= g[on].mean() - tol:
            break
        on[np.flatnonzero(~on)[np.argmin(g[~on])]] = True
    return w, on


def _simplex_fit(target: np.ndarray, donors: np.ndarray) -> np.ndarray:
    """Simplex-constrained least squares solved to its optimality conditions.

    Starts from :func:`_simplex_weights` and returns those weights unchanged when they meet the
    KKT conditions to a relative 1e-9; otherwise runs the active set of :func:`_active_set`
    from them until the conditions hold. The solution is exact up to rounding, unlike a QP
    solver stopped at a tolerance, and a function of the problem alone (no warm start: when
    the solution is not unique, the same problem always gets the same weights).
    """
    gram, lin = donors.T @ donors, donors.T @ target
    tol = 1e-9 * max(float(np.abs(gram).max()), float(np.abs(lin).max()), 1e-300)
    w = _simplex_weights(target, donors)
    if _kkt_violation(gram, lin, w, w > 0) > tol:
        w = np.clip(_active_set(gram, lin, w, w > 0, tol)[0], 0, None)
        w = w / w.sum()
    return w


def _as_predictor(spec: Any) -> SynthPredictor:
    """Read one predictor spec: a SynthPredictor, a column name or a (column, periods[, op])."""
    if isinstance(spec, SynthPredictor):
        return spec
    if isinstance(spec, str):
        return SynthPredictor(spec)
    if isinstance(spec, tuple) and 1 <= len(spec) <= 3:
        return SynthPredictor(*spec)
    raise EffectInputError(
        "each predictor must be a SynthPredictor, a column name or a tuple "
        f"(column, periods[, op]); got {spec!r}"
    )


def _predictor_label(p: SynthPredictor, periods: list[Any]) -> str:
    if len(periods) == 1:
        return f"{p.column} {periods[0]}"
    return f"{p.column} ({p.op} {periods[0]}-{periods[-1]})"


def _predictor_matrix(
    frame: pd.DataFrame,
    specs: Sequence[Any],
    *,
    unit: str,
    time: str,
    units: list[Hashable],
    pre_times: list[Any],
) -> tuple[pd.DataFrame, int]:
    """Return the predictors (rows) by unit (columns) and the number of missing values skipped.

    Every problem (unknown column or period, a post-treatment period, a unit without a value,
    a predictor equal for every unit) is collected and raised together.
    """
    problems: list[str] = []
    rows: dict[str, pd.Series] = {}
    n_skipped = 0
    sub = frame[frame[unit].isin(units)]
    for i, raw in enumerate(specs, 1):
        try:
            p = _as_predictor(raw)
            check_option(f"predictor {i} op", p.op, SynthAggregation)
        except (EffectInputError, OptionError) as err:
            problems.append(f"predictor {i}: {err}")
            continue
        if p.column not in frame.columns:
            problems.append(f"predictor {i}: column {p.column!r} is not in the data")
            continue
        periods = list(pre_times) if p.periods is None else list(p.periods)
        unknown = [t for t in periods if t not in set(frame[time])]
        late = [t for t in periods if t not in unknown and t not in pre_times]
        if not periods:
            problems.append(f"predictor {i} ({p.column}): no periods given")
        if unknown:
            problems.append(
                f"predictor {i} ({p.column}): period(s) {show_values(unknown)} not in {time}"
            )
        if late:
            problems.append(
                f"predictor {i} ({p.column}): period(s) {show_values(late)} are not before "
                "treatment_start (a predictor must not be affected by the treatment)"
            )
        if not periods or unknown or late:
            continue
        try:
            values = numeric_column(sub[p.column], p.column)
        except EffectInputError as err:
            problems.append(f"predictor {i}: {err}")
            continue
        window = pd.DataFrame({"u": sub[unit].to_numpy(), "x": values})[
            sub[time].isin(periods).to_numpy()
        ]
        n_skipped += int(window["x"].isna().sum())
        agg = window.groupby("u", sort=False)["x"].agg(p.op).reindex(units)
        empty = [u for u in units if pd.isna(agg.loc[u])]
        label = _predictor_label(p, [t for t in pre_times if t in set(periods)])
        if empty:
            problems.append(f"predictor {i} ({label}): no value for unit(s) {show_values(empty)}")
        elif agg.std(ddof=1) == 0:
            problems.append(
                f"predictor {i} ({label}): the same value for every unit, so it cannot "
                "inform the weights"
            )
        elif label in rows:
            problems.append(f"predictor {i} ({label}) repeats an earlier predictor")
        else:
            rows[label] = agg
    if problems:
        raise SynthInputError(problems)
    return pd.DataFrame(rows).T.astype(float), n_skipped


def _check_v(v: Any, n_predictors: int) -> np.ndarray | None:
    """Return the given V normalised to sum 1, or None for ``"nested"``; collect its problems."""
    if isinstance(v, str):
        check_option("v", v, ("nested",))
        return None
    arr = np.asarray(v, dtype=float).ravel()
    problems = []
    if len(arr) != n_predictors:
        problems.append(f"v: {len(arr)} value(s) for {n_predictors} predictor(s)")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        problems.append(f"v: every value must be a finite number >= 0, got {arr.tolist()}")
    elif arr.sum() <= 0:
        problems.append("v: at least one value must be positive")
    if problems:
        raise SynthInputError(problems)
    return arr / arr.sum()


def _scaled(x: np.ndarray) -> np.ndarray:
    """Divide each predictor (row) by its standard deviation across the units (ddof 1)."""
    return x / x.std(axis=1, ddof=1, keepdims=True)


def _predictor_weights(x_run: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Donor weights for V: x_run's column 0 is the unit fitted, the rest its donors."""
    xs = _scaled(x_run) * np.sqrt(v)[:, None]
    return _simplex_fit(xs[:, 0], xs[:, 1:])


def _v_starts(xs: np.ndarray, z: np.ndarray) -> list[np.ndarray]:
    """Return deterministic starting points for V.

    Equal weights, Synth's regression-based start, and one start leaning on each predictor.
    """
    k = xs.shape[0]
    starts = [np.full(k, 1 / k)]
    design = np.column_stack([np.ones(xs.shape[1]), xs.T])
    beta = np.linalg.lstsq(design, z.T, rcond=None)[0][1:]
    reg = np.sum(beta**2, axis=1)
    if np.all(np.isfinite(reg)) and reg.sum() > 0:
        starts.append(reg / reg.sum())
    if k > 1:
        starts += [np.where(np.arange(k) == j, 0.5, 0.5 / (k - 1)) for j in range(k)]
    return starts


def _nested_v(x_run: np.ndarray, z_run: np.ndarray) -> tuple[np.ndarray, float]:
    """V minimising the pre-period outcome MSPE of the W(V) fit; return V and that MSPE.

    x_run, z_run: predictors and pre-period outcomes, column 0 the unit fitted. V = |a|/sum|a|
    is searched by Nelder-Mead (as Synth and pysyncon do): a short run (40 evaluations per
    predictor) from every start of :func:`_v_starts`, then the best two end points are run on
    to xatol 1e-8 and fatol 1e-13 on the MSPE relative to the mean squared outcome, restarted
    from their end point (at most four runs of 300 evaluations per predictor) while that still
    lowers the loss; the best wins.
    """
    k = x_run.shape[0]
    xs = _scaled(x_run)
    scale = max(float(np.mean(z_run**2)), 1e-300)

    def weights(v: np.ndarray) -> np.ndarray:
        ws = xs * np.sqrt(v)[:, None]
        return _simplex_fit(ws[:, 0], ws[:, 1:])

    def loss(a: np.ndarray) -> float:
        total = np.abs(a).sum()
        if not np.isfinite(total) or total <= 0:
            return math.inf
        w = weights(np.abs(a) / total)
        return float(np.mean((z_run[:, 0] - z_run[:, 1:] @ w) ** 2)) / scale

    if k == 1:
        return np.ones(1), loss(np.ones(1)) * scale

    def run(start: np.ndarray, maxfev: int, xatol: float, fatol: float) -> tuple[float, Any]:
        res = optimize.minimize(
            loss, start, method="Nelder-Mead",
            options={"xatol": xatol, "fatol": fatol, "maxfev": maxfev, "maxiter": maxfev},
        )  # fmt: skip
        return float(res.fun), res.x

    screened = sorted(
        (run(s, 40 * k, 1e-4, 1e-8) + (i,) for i, s in enumerate(_v_starts(xs, z_run))),
        key=lambda r: (r[0], r[2]),
    )
    polished = []
    for f, x, _ in screened[:2]:
        for _ in range(4):  # restarting Nelder-Mead from its end point renews a stalled simplex
            f_new, x_new = run(x / np.abs(x).sum(), 300 * k, 1e-8, 1e-13)
            improved = f_new < f * (1 - 1e-9)
            if f_new <= f:
                f, x = f_new, x_new
            if not improved:
                break
        polished.append((f, x))
    best = min(polished, key=lambda r: r[0])
    v = np.abs(best[1]) / np.abs(best[1]).sum()
    return v, loss(v) * scale


def synthetic_control(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    treated_unit: Hashable,
    treatment_start: Any,
    donors: Sequence[Hashable] | None = None,
    predictors: Sequence[SynthPredictor | tuple[Any, ...] | str] | None = None,
    v: Sequence[float] | Literal["nested"] = "nested",
    placebo_v: SynthPlaceboV = "refit",
    demean: bool = False,
    statistic: SynthStatistic = "mean_gap",
    level: float = 0.95,
) -> EffectEstimate:
    r"""Estimate the effect on one treated unit with a synthetic control and placebo inference.

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel, one row per unit and period.
    outcome, unit, time : str
        Columns.
    treated_unit : hashable
        The treated unit.
    treatment_start : period
        First treated period (a value of ``time``).
    donors : sequence, optional
        Units that may form the synthetic control (default: every other unit). Donors with a
        missing period are dropped (noted): the method needs a balanced panel.
    predictors : sequence of SynthPredictor, optional
        Fit the weights on these predictors instead of on every pre-period outcome (Abadie,
        Diamond & Hainmueller 2010): covariates summarised over chosen pre-periods, e.g.
        ``SynthPredictor("price", range(1980, 1989))``, and outcome lags, e.g.
        ``SynthPredictor(outcome, [1988])`` (pysyncon's ``predictors`` and
        ``special_predictors``). Plain tuples ``(column, periods[, op])`` work too. Periods
        must lie before ``treatment_start``. Default: the outcome-only fit.
    v : sequence of float or "nested", default "nested"
        Predictor weights V (with ``predictors`` only), one per predictor, applied after each
        predictor is divided by its standard deviation across the units; normalised to sum 1.
        ``"nested"``: chosen to minimise the pre-period outcome MSPE of the fit W(V) (the nested
        optimisation of Synth and pysyncon).
    placebo_v : {"refit", "treated"}, default "refit"
        With a nested V: each placebo run chooses its own V ("refit", the procedure of Abadie
        et al. 2010, one nested optimisation per unit: about a minute with 40 units and six
        predictors), or reuses the treated unit's V ("treated": one optimisation, an
        approximation; placebos then fit no better than that V lets them).
    demean : bool, default False
        Subtract each unit's pre-period mean before fitting ("demeaned synthetic control",
        Ferman & Pinto 2021; an intercept as in Doudchenko & Imbens 2016). Use it when the
        treated unit's level lies outside the donors' range (e.g. the lowest-scoring unit),
        where the classic method cannot fit the pre-period.
    statistic : {"mean_gap", "rmspe_ratio"}, default "mean_gap"
        Placebo test statistic: the absolute mean post-period gap, or the post/pre RMSPE ratio
        of Abadie et al. (2010). With few pre-periods and many donors (8 semesters, 20-30
        units) placebos fit their pre-period almost exactly, which inflates their ratios and
        leaves the ratio test without power; the ratio suits long pre-periods with fewer
        donors than pre-periods.
    level : float, default 0.95
        Confidence level of the permutation CI.

    Returns
    -------
    EffectEstimate
        ``estimate``: mean post-period gap (treated minus synthetic). ``details``:
        ``"weights"`` (donor weights), ``"path"`` (treated, synthetic and gap per period),
        ``"placebo"`` (per unit: pre and post RMSPE, their ratio, mean post gap) and
        ``"placebo_gaps"`` (gap paths of all placebo runs, for plotting). With ``predictors``
        also ``"predictors"``: per predictor its V, the treated and synthetic values and the
        donor mean (Synth's balance table), and ``"pre_mspe"`` (the pre-period outcome MSPE
        that the nested V minimises).

    Raises
    ------
    EffectInputError
        Missing columns; treated unit or start period not in the data; fewer than two
        pre-periods or two donors; the treated unit has a missing period; ``demean`` with
        predictors, or ``v`` without them. :class:`SynthInputError` (an
        ``EffectInputError``) lists every problem of the predictors and V at once.

    Notes
    -----
    Weights :math:`w \ge 0,\ \sum w = 1` minimise
    :math:`\sum_{t<T_0}(Y_{1t} - \sum_j w_j Y_{jt})^2` over all pre-treatment outcomes. In
    the V notation of Abadie et al. this is the fit on every pre-period outcome with equal
    weights on the raw outcomes; pysyncon divides each predictor by its standard deviation
    across units first, so the same fit is ``pysyncon`` ``Synth`` with ``custom_V``
    proportional to the per-period *variance* of the outcome (checked in the tests). With more
    donors than pre-periods the weights may not be unique; the fitted path is.

    With ``predictors``, :math:`X_1, X_0` (treated, donors) hold each predictor divided by its
    standard deviation across the treated unit and the donors (ddof 1, as pysyncon), and
    :math:`W(V) = \arg\min_w (X_1 - X_0 w)' \operatorname{diag}(V) (X_1 - X_0 w)` on the simplex.
    It is solved exactly: Lawson-Hanson NNLS finds the active set, the equality-constrained
    least squares on it is solved from its KKT system, and a primal active-set loop corrects
    the set until the optimality conditions hold to 1e-9 (no QP solver stopped at a tolerance).
    ``v="nested"`` chooses V on the simplex to minimise
    :math:`\frac{1}{T_0}\sum_{t<T_0}(Y_{1t} - Y_{0t} W(V))^2` (Abadie & Gardeazabal 2003):
    Nelder-Mead on :math:`V = |a|/\sum|a|` from several deterministic starts (equal V, Synth's
    regression-based start, one start leaning on each predictor) with tight tolerances; the
    best end point wins. That loss is often flat in V: different V can give the same W and
    fit, so compare the loss and W, not V alone.

    Inference is placebo-in-space (Abadie et al. 2010): every donor in turn is treated as if it
    had been treated, with the other donors as its pool, and goes through the same procedure
    (with a nested V each placebo chooses its own V, as in Abadie et al. 2010: a placebo fitted
    with the treated unit's V would fit worse than the method fits it, which biases the rank
    test; a given V is part of the specification and applies to every run);
    p = (1 + number of placebos with a statistic at least as large) / number of units.
    The CI collects every constant effect :math:`\tau` the test does not reject when
    :math:`\tau` is subtracted from the treated unit's post-period gaps (Firpo & Possebom
    2018); both statistics give it in closed form.
    SE: standard deviation of the placebo mean gaps. Assumes the treated unit's untreated
    path is matched by the (demeaned) donors and no donor was affected.

    References
    ----------
    .. [1] Abadie, A., Diamond, A., & Hainmueller, J. (2010). JASA, 105(490), 493-505.
    .. [2] Firpo, S., & Possebom, V. (2018). Journal of Causal Inference, 6(2).
    .. [3] Ferman, B., & Pinto, C. (2021). Synthetic controls with imperfect pretreatment
           fit. Quantitative Economics, 12(4), 1197-1221.
    .. [4] Abadie, A., & Gardeazabal, J. (2003). American Economic Review, 93(1), 113-132.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame([(u, t) for u in range(12) for t in range(8)], columns=["u", "t"])
    >>> df["y"] = rng.normal(0, 1, 12)[df["u"]] + 0.3 * df["t"] + rng.normal(0, 0.1, len(df))
    >>> df.loc[(df["u"] == 0) & (df["t"] >= 5), "y"] += 3
    >>> res = synthetic_control(df, outcome="y", unit="u", time="t", treated_unit=0,
    ...                         treatment_start=5)
    >>> bool(2.5 < res.estimate < 3.5), round(res.pvalue, 4)
    (True, 0.0833)
    >>> bool(res.ci_low < 3 < res.ci_high)
    True

    With predictors: a covariate averaged over the pre-periods and the outcome in period 4,
    equally weighted (``v="nested"`` would choose V):

    >>> df["x"] = df["u"] % 4 + 0.1 * df["t"]
    >>> res = synthetic_control(df, outcome="y", unit="u", time="t", treated_unit=0,
    ...                         treatment_start=5, predictors=[("x", None), ("y", [4])],
    ...                         v=[1, 1])
    >>> res.details["predictors"].index.tolist()
    ['x (mean 0-4)', 'y 4']
    """
    check_option("statistic", statistic, SynthStatistic)
    check_option("placebo_v", placebo_v, SynthPlaceboV)
    if predictors is None and not (isinstance(v, str) and v == "nested"):
        raise EffectInputError("v weighs predictors: give predictors= as well, or leave v out")
    if predictors is not None and demean:
        raise EffectInputError(
            "demean=True is the outcome-only fit (Ferman & Pinto 2021); with predictors "
            "leave demean out"
        )
    if predictors is not None and (isinstance(predictors, str) or not len(predictors)):
        raise EffectInputError("predictors must be a non-empty list of predictors")
    check_frame(data, [outcome, unit, time])
    check_level(level)
    frame, n_excluded = complete_rows(data, [outcome, unit, time])
    if frame.duplicated([unit, time]).any():
        raise EffectInputError(f"rows repeat a ({unit}, {time}) pair: one row per unit-period")
    wide = frame.pivot(index=time, columns=unit, values=outcome).astype(float)
    wide = wide.reindex(ordered_times(wide.index))  # period labels in date order, not as text
    if treated_unit not in wide.columns:
        raise EffectInputError(f"treated unit {treated_unit!r} is not in {unit}")
    if treatment_start not in wide.index:
        raise EffectInputError(f"treatment_start {treatment_start!r} is not a period of {time}")
    pool = [u for u in (donors if donors is not None else wide.columns) if u != treated_unit]
    unknown = [u for u in pool if u not in wide.columns]
    if unknown:
        raise EffectInputError(f"donor(s) not in {unit}: {', '.join(map(str, unknown[:5]))}")
    if wide[treated_unit].isna().any():
        raise EffectInputError(f"the treated unit {treated_unit!r} has missing periods")
    incomplete = [u for u in pool if wide[u].isna().any()]
    pool = [u for u in pool if u not in incomplete]
    pre_mask = np.arange(len(wide)) < wide.index.get_loc(treatment_start)
    n_pre, n_post = int(pre_mask.sum()), int((~pre_mask).sum())
    if n_pre < 2:
        raise EffectInputError(f"{n_pre} pre-treatment period(s): at least 2 needed")
    if len(pool) < 2:
        raise EffectInputError(f"{len(pool)} donor(s) with complete data: at least 2 needed")
    names = [treated_unit, *pool]
    y = wide[names].to_numpy()
    if demean:
        y = y - y[pre_mask].mean(axis=0)
    pre = y[pre_mask]
    x, given_v, n_skipped, x_table = None, None, 0, None
    if predictors is not None:
        x_table, n_skipped = _predictor_matrix(
            frame, predictors, unit=unit, time=time, units=names,
            pre_times=list(wide.index[pre_mask]),
        )  # fmt: skip
        given_v = _check_v(v, len(x_table))
        x = x_table[names].to_numpy()

    def fit(i: int, others: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        if x is None:
            w, v_run = _simplex_fit(pre[:, i], pre[:, others]), None
        else:
            cols = [i, *others]
            if given_v is not None:
                v_run = given_v
            elif i > 0 and placebo_v == "treated":
                v_run = v_treated
            else:
                v_run = _nested_v(x[:, cols], pre[:, cols])[0]
            w = _predictor_weights(x[:, cols], v_run)
        return w, y[:, i] - y[:, others] @ w, v_run

    v_treated = None
    w_treated, gap, v_treated = fit(0, list(range(1, y.shape[1])))
    rows, gap_paths = [], {}
    for i in range(y.shape[1]):
        g = gap if i == 0 else fit(i, [j for j in range(1, y.shape[1]) if j != i])[1]
        gap_paths[names[i]] = g
        pre_rmspe = float(np.sqrt(np.mean(g[pre_mask] ** 2)))
        post_rmspe = float(np.sqrt(np.mean(g[~pre_mask] ** 2)))
        rows.append(
            {
                "unit": names[i],
                "treated": i == 0,
                "pre_rmspe": pre_rmspe,
                "post_rmspe": post_rmspe,
                "ratio": post_rmspe / pre_rmspe if pre_rmspe > 0 else np.inf,
                "mean_post_gap": float(g[~pre_mask].mean()),
            }
        )
    placebo = pd.DataFrame(rows).set_index("unit")
    n_units = len(placebo)
    est = float(gap[~pre_mask].mean())
    alpha = 1 - level
    m = math.floor(alpha * n_units - 1 + 1e-9)
    if x_table is None:
        fitted_on = f"{n_pre} pre-treatment outcomes"
    else:
        fitted_on = (
            f"{len(x_table)} predictors ({'; '.join(x_table.index)}) with V "
            + ("given" if given_v is not None else "chosen to minimise the pre-period outcome "
               "MSPE (nested optimisation; " + ("each placebo chooses its own V)"
               if placebo_v == "refit" else "the placebos reuse the treated unit's V)"))
        )  # fmt: skip
    notes = [
        "Synthetic control (Abadie et al. 2010"
        f"{'; demeaned, Ferman & Pinto 2021' if demean else ''}) fitted on {fitted_on}; "
        f"{len(pool)} donors; estimate = mean gap over {n_post} post periods.",
    ]
    if v_treated is not None and float(np.max(v_treated)) > 0.95:
        top = int(np.argmax(v_treated))
        notes.append(
            f"V puts {v_treated[top]:.0%} of its weight on one predictor "
            f"({x_table.index[top]}): the weights rest on that one number and may not be "
            "unique; check the predictor balance in details['predictors']."
        )
    if n_skipped:
        notes.append(
            f"{n_skipped} missing value(s) within the predictor periods were skipped: those "
            "units' predictors summarise the periods they have."
        )
    gp = gap[~pre_mask]
    if statistic == "rmspe_ratio":
        stat = placebo["ratio"].to_numpy()
        label = "post/pre RMSPE ratio"
    else:
        stat = np.abs(placebo["mean_post_gap"].to_numpy())
        label = "absolute mean post gap"
    others = stat[1:]
    pval = float((1 + np.sum(others >= stat[0] * (1 - 1e-12))) / n_units)
    ordered = np.sort(others)[::-1]
    if 0 <= m < len(ordered):
        crit = ordered[m]
        if statistic == "mean_gap":
            ci = (est - crit, est + crit)
        else:
            pre_r = placebo["pre_rmspe"].iloc[0]
            disc = gp.mean() ** 2 - np.mean(gp**2) + (crit * pre_r) ** 2
            if disc >= 0:
                ci = (float(gp.mean() - math.sqrt(disc)), float(gp.mean() + math.sqrt(disc)))
            else:
                ci = (np.nan, np.nan)
                notes.append("Every constant effect is rejected (post gaps vary too much): no CI.")
    else:
        ci = (-math.inf, math.inf)
        notes.append(f"Too few units ({n_units}) for a {100 * level:g}% CI: unbounded.")
    notes += [
        f"Placebo-in-space inference on the {label}: p = rank among {n_units} units = "
        f"{pval:.3g} (smallest attainable 1/{n_units}); CI by inverting the test under a "
        "constant effect (Firpo & Possebom 2018); SE = SD of the placebo mean gaps.",
        "Assumes no donor was affected by the treatment and the treated unit's untreated path "
        "is matched by a convex combination of donors.",
    ]
    if incomplete:
        notes.append(f"Donors dropped for missing periods: {', '.join(map(str, incomplete))}.")
    pre_fit = placebo["pre_rmspe"].iloc[0]
    if float(np.mean(placebo["pre_rmspe"].iloc[1:] < pre_fit)) > 0.8:
        notes.append(
            "The treated unit's pre-period fit is worse than most placebos' "
            f"(pre RMSPE {pre_fit:.3g}): it may lie outside the donors' convex hull"
            + ("." if demean or x is not None else "; consider demean=True.")
        )
    if statistic == "rmspe_ratio" and float(placebo["pre_rmspe"].iloc[1:].min()) < 1e-3 * max(
        pre_fit, 1e-12
    ):
        notes.append(
            "Some placebos fit their pre-period almost exactly, which inflates their RMSPE "
            "ratios; the ratio test then has little power (consider statistic='mean_gap')."
        )
    se = float(placebo["mean_post_gap"].iloc[1:].std(ddof=1))
    weights_table = pd.DataFrame({"donor": pool, "weight": w_treated}).set_index("donor")
    path = pd.DataFrame(
        {
            "treated": wide[treated_unit].to_numpy(),
            "synthetic": wide[treated_unit].to_numpy() - gap,
            "gap": gap,
            "post": ~pre_mask,
        },
        index=wide.index,
    )
    gaps = pd.DataFrame(gap_paths, index=wide.index)
    extra: dict[str, Any] = {}
    if x is not None:
        extra["predictors"] = pd.DataFrame(
            {
                "v": v_treated,
                "treated": x[:, 0],
                "synthetic": x[:, 1:] @ w_treated,
                "donor_mean": x[:, 1:].mean(axis=1),
            },
            index=pd.Index(x_table.index, name="predictor"),
        )
        extra["pre_mspe"] = float(np.mean(gap[pre_mask] ** 2))
    row = {"method": f"placebo-in-space ({label})", "se": se, "ci_low": ci[0],
           "ci_high": ci[1], "pvalue": pval, "n_draws": n_units - 1}  # fmt: skip
    return EffectEstimate.from_inference(
        est,
        [row],
        n_obs=int(y.size),
        n_treated=1,
        n_clusters=None,
        method="synthetic control" + (" (demeaned)" if demean else ""),
        estimand="ATT (mean post-period gap)",
        level=level,
        n_excluded=n_excluded,
        details=MappingProxyType(
            {"weights": weights_table, "path": path, "placebo": placebo, "placebo_gaps": gaps}
            | extra
        ),
        notes=tuple(notes),
    )
