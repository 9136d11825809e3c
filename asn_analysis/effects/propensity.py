r"""The propensity model of the weighting estimators: a logit fit that holds on dissimilar groups.

:func:`fit_propensity` fits the logit of treatment on the covariates by Newton's method on a
standardised design (:func:`asn_analysis.stats.mestimation.maximize`, converged on the
log-likelihood). It first asks whether a finite maximum exists: the likelihood has none exactly
when the covariates separate the groups, completely or quasi-completely (Albert & Anderson
1984), which a linear program decides (Konis 2007). Separated comparison rows (covariate values
no treated person has) are the normal case of a large general-population comparison group: their
propensity is 0 in the limit, so their weight p/(1-p) for the effect on the treated is 0 and the
model is fitted on the other rows. Separated treated rows (propensity 1: no comparable controls)
are returned as such; :func:`asn_analysis.effects.att_weighting` refuses them, naming the
covariate pattern, unless trimming drops them. :func:`crump_alpha` is the optimal trimming
threshold of Crump et al. (2009).

References
----------
.. [1] Albert, A., & Anderson, J. A. (1984). On the existence of maximum likelihood estimates in
       logistic regression models. Biometrika, 71(1), 1-10.
.. [2] Konis, K. (2007). Linear programming algorithms for detecting separated data in binary
       logistic regression models. DPhil thesis, University of Oxford.
.. [3] Crump, R. K., Hotz, V. J., Imbens, G. W., & Mitnik, O. A. (2009). Dealing with limited
       overlap in estimation of average treatment effects. Biometrika, 96(1), 187-199.

Examples
--------
Office "c" only occurs among the controls: that row's propensity is 0 in the limit, the others
are fitted as usual.

>>> import numpy as np, pandas as pd
>>> covs = pd.DataFrame({"office": ["a", "a", "a", "b", "b", "b", "c"]})
>>> fit = fit_propensity(covs, np.array([1, 0, 0, 1, 1, 0, 0]))
>>> fit.p.round(3).tolist(), fit.separated.tolist()
([0.333, 0.333, 0.333, 0.667, 0.667, 0.667, 0.0], [False, False, False, False, False, False, True])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from asn_analysis.effects.inputs import EffectInputError
from asn_analysis.errors import StatsInputError
from asn_analysis.stats.mestimation import MEstimator, maximize

__all__ = [
    "PropensityFit",
    "crump_alpha",
    "describe_separation",
    "design_matrix",
    "fit_propensity",
    "standardise",
]

#: Rows whose value of the separating linear form exceeds this are separated (the form is
#: bounded by 1 per coefficient on standardised columns, so separated rows are of order 1).
_SEPARATION_TOL = 1e-6


def design_matrix(frame: pd.DataFrame, covariates: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Return the covariate design (no constant) and its column names.

    Numeric and boolean columns enter linearly; text and categorical columns as indicators of
    each level but the first (sorted).

    Examples
    --------
    >>> x, names = design_matrix(pd.DataFrame({"a": [1, 2], "g": ["u", "v"]}), ["a", "g"])
    >>> x.tolist(), names
    ([[1.0, 0.0], [2.0, 1.0]], ['a', 'g[v]'])
    """
    parts, names = [], []
    for c in covariates:
        s = frame[c]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            parts.append(s.to_numpy(dtype=float, na_value=np.nan)[:, None])
            names.append(str(c))
        else:
            levels = sorted(s.astype(str).unique())
            if len(levels) < 2:
                raise EffectInputError(f"covariate {c!r} has a single value: drop it")
            for lev in levels[1:]:
                parts.append((s.astype(str) == lev).to_numpy(dtype=float)[:, None])
                names.append(f"{c}[{lev}]")
    x = np.column_stack(parts) if parts else np.zeros((len(frame), 0))
    return x, names


@dataclass(frozen=True)
class PropensityFit:
    """A fitted propensity model.

    Attributes
    ----------
    p : numpy.ndarray
        Propensity of each row: 0 for separated controls, 1 for separated treated (the limits).
    z : numpy.ndarray, shape (n, r)
        The design the model is identified on: constant and standardised covariates, reduced to
        the directions the non-separated rows identify (r = k + 1 without separation).
    theta : numpy.ndarray
        Coefficients on ``z``.
    coef : numpy.ndarray
        Coefficients on the original design (constant first): the same fitted values for the
        non-separated rows (minimum-norm on standardised columns when separation reduced the rank).
    separated : numpy.ndarray of bool
        Rows the covariates predict exactly (propensity 0 or 1, no finite coefficient).
    loglike : float
        Log-likelihood of the non-separated rows at the maximum.

    Examples
    --------
    >>> fit = fit_propensity(pd.DataFrame({"x": [0.0, 0, 1, 1]}), np.array([1, 0, 0, 1]))
    >>> fit.p.tolist(), bool(fit.separated.any())
    ([0.5, 0.5, 0.5, 0.5], False)
    """

    p: np.ndarray
    z: np.ndarray
    theta: np.ndarray
    coef: np.ndarray
    separated: np.ndarray
    loglike: float


def _logit_estimator(z: np.ndarray, d: np.ndarray) -> MEstimator:
    """Return the logit as an M-estimator, its log-likelihood stable for any linear index."""

    def objective(theta: np.ndarray) -> float:
        eta = z @ theta
        return float(d @ eta - np.logaddexp(0.0, eta).sum())

    def score_obs(theta: np.ndarray) -> np.ndarray:
        return z * (d - _expit(z @ theta))[:, None]

    def hessian(theta: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        zr = z if rows is None else z[rows]
        p = _expit(zr @ theta)
        return -((zr * (p * (1 - p))[:, None]).T @ zr)

    return MEstimator(objective, score_obs, hessian)


def _expit(eta: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -eta))


def _separating_direction(z: np.ndarray, d: np.ndarray) -> np.ndarray | None:
    """Return s_i z_i'b (s = +1 treated, -1 control) of a separating b, or None if none exists.

    Konis (2007): maximise sum_i s_i z_i'b subject to s_i z_i'b >= 0 and ``|b_j| <= 1``. The optimum
    is positive exactly when the data are (quasi-completely) separated.
    """
    a = z * np.where(d == 1, 1.0, -1.0)[:, None]
    res = optimize.linprog(
        -a.sum(axis=0),
        A_ub=-a,
        b_ub=np.zeros(len(a)),
        bounds=[(-1.0, 1.0)] * a.shape[1],
        method="highs",
    )
    if res.status != 0 or -res.fun <= _SEPARATION_TOL:
        return None
    return a @ res.x


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the design [1, (x - mean) / sd] and the matrix T with [1, x] @ T equal to it.

    Columns with SD 0 are only centred.

    Examples
    --------
    >>> zs, t = standardise(np.array([[1.0], [3.0]]))
    >>> zs.tolist(), bool(np.allclose(np.array([[1.0, 1], [1, 3]]) @ t, zs))
    ([[1.0, -1.0], [1.0, 1.0]], True)
    """
    mean, sd = x.mean(axis=0), x.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    k = x.shape[1]
    t = np.zeros((k + 1, k + 1))
    t[0, 0] = 1.0
    t[0, 1:] = -mean / sd
    t[1:, 1:] = np.diag(1 / sd)
    return np.column_stack([np.ones(len(x)), (x - mean) / sd]), t


def _basis(z: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the row space of ``z`` (columns), dropping null directions."""
    if not len(z):
        return np.zeros((z.shape[1], 0))
    _, s, vt = np.linalg.svd(z, full_matrices=False)
    keep = s > 1e-9 * max(float(s[0]), 1.0)
    return vt[keep].T


def fit_propensity(
    covariates: pd.DataFrame, d: np.ndarray, *, separated: np.ndarray | None = None
) -> PropensityFit:
    """Fit the logit propensity model, separating rows with no finite maximum first.

    Parameters
    ----------
    covariates : pandas.DataFrame
        The covariate columns (numeric linearly, text as indicators; see :func:`design_matrix`).
    d : numpy.ndarray
        Treatment, 0 or 1, one per row.
    separated : numpy.ndarray of bool, optional
        Rows known to be separated (e.g. from the fit on the full sample, for a bootstrap
        draw): the separation check is skipped and these rows are held at their limits.

    Returns
    -------
    PropensityFit
        Fitted propensities; separated rows at their limits 0 (controls) or 1 (treated).

    Raises
    ------
    EffectInputError
        Newton's method did not converge (it does whenever a finite maximum exists).

    Notes
    -----
    The design is standardised (mean 0, SD 1 per covariate) so that the Newton steps and the
    convergence test (Newton decrement below 1e-12, i.e. the log-likelihood cannot rise
    further) do not depend on the units of the covariates. When the plain fit leaves some
    linear index beyond ``|12|`` (propensity below 6e-6 or above 1 - 6e-6; under separation the
    index runs off to infinity), separation is decided by the linear program of Konis (2007),
    repeated on the remaining rows until none is found; the rows it separates are removed and
    the model is fitted on the directions the others identify. The fitted propensities of the
    other rows are the limit of the maximum-likelihood fit.

    Examples
    --------
    >>> fit = fit_propensity(pd.DataFrame({"x": [0.0, 1, 2, 3]}), np.array([0, 1, 0, 1]))
    >>> fit.coef.round(4).tolist()  # statsmodels Logit: -1.3623, 0.9082
    [-1.3623, 0.9082]
    """
    xcov, _ = design_matrix(covariates, list(covariates.columns))
    d = np.asarray(d, dtype=float)
    zs, t = standardise(xcov)
    if separated is None:
        separated = np.zeros(len(d), dtype=bool)
        try:
            theta = _maximise(zs, d, maxiter=60)
            suspect = bool(np.abs(zs @ theta).max() > 12)
        except EffectInputError:
            suspect = True
        if not suspect:
            return PropensityFit(
                p=_expit(zs @ theta), z=zs, theta=theta, coef=t @ theta,
                separated=separated, loglike=_logit_estimator(zs, d).objective(theta),
            )  # fmt: skip
        separated = _separated_rows(zs, d)
    separated = np.asarray(separated, dtype=bool)
    rest = ~separated
    basis = _basis(zs[rest]) if separated.any() else np.eye(zs.shape[1])
    z = zs @ basis
    theta = np.zeros(z.shape[1])
    loglike = 0.0
    if rest.any():
        theta = _maximise(z[rest], d[rest])
        loglike = _logit_estimator(z[rest], d[rest]).objective(theta)
    p = np.where(separated, d, _expit(z @ theta))
    return PropensityFit(
        p=p, z=z, theta=theta, coef=t @ (basis @ theta), separated=separated, loglike=loglike
    )


def _separated_rows(zs: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Rows the covariates predict exactly: the LP of Konis (2007), repeated until none."""
    separated = np.zeros(len(d), dtype=bool)
    basis = np.eye(zs.shape[1])
    for _ in range(zs.shape[1] + 1):
        rest = ~separated
        if not rest.any():
            break
        form = _separating_direction(zs[rest] @ basis, d[rest])
        if form is None:
            break
        separated[np.flatnonzero(rest)[form > _SEPARATION_TOL]] = True
        if separated.all():
            break
        basis = _basis(zs[~separated])
    return separated


def _maximise(z: np.ndarray, d: np.ndarray, maxiter: int = 200) -> np.ndarray:
    """Maximum-likelihood logit coefficients on ``z`` (Newton from the constant-only fit)."""
    mean = float(np.clip(d.mean(), 1e-6, 1 - 1e-6))
    start = np.linalg.lstsq(z, np.full(len(d), np.log(mean / (1 - mean))))[0]
    est = _logit_estimator(z, d)
    try:
        theta = maximize(est, start, maxiter=maxiter)
    except StatsInputError as exc:
        raise EffectInputError(
            "the propensity model did not converge (Newton's method); simplify the "
            "covariates (fewer indicator levels or fewer polynomial terms)"
        ) from exc
    # Polish: the decrement test stops once the log-likelihood cannot rise measurably, when
    # the coefficients may still be ~1e-8 off; plain Newton steps converge quadratically here.
    for _ in range(3):
        hess = -est.hessian(theta, None)
        try:
            step = np.linalg.solve(hess, est.score_obs(theta).sum(axis=0))
        except np.linalg.LinAlgError:
            break
        current = est.objective(theta)
        if not np.all(np.isfinite(step)) or est.objective(theta + step) < current - 1e-9 * (
            1 + abs(current)
        ):
            break
        theta = theta + step
        if np.max(np.abs(step)) < 1e-13 * (1 + np.max(np.abs(theta))):
            break
    return theta


def describe_separation(
    covariates: pd.DataFrame, d: np.ndarray, rows: np.ndarray, group: int
) -> list[str]:
    """Name the covariate patterns that single out ``rows``, all of treatment ``group``.

    A pattern is a level of a text covariate, or a range of a numeric covariate beyond every
    row of the other group (a 0/1 column: its value), that only ``group`` has and that contains
    some of ``rows``. Column names and values only, never identifiers.

    Examples
    --------
    >>> covs = pd.DataFrame({"age": [20, 30, 60, 65], "g": ["a", "b", "a", "b"]})
    >>> d = np.array([0, 0, 1, 1])
    >>> describe_separation(covs, d, d == 1, 1)
    ['age > 30 (2 rows, all treated)']
    """
    who = "treated" if group == 1 else "comparison"
    same = d == group
    out = []
    for c in covariates.columns:
        s = covariates[c]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            v = s.to_numpy(dtype=float, na_value=np.nan)
            other = v[~same]
            binary = set(np.unique(v).tolist()) <= {0.0, 1.0}
            for sel, text in (
                (v > other.max(), f"> {other.max():.6g}"),
                (v < other.min(), f"< {other.min():.6g}"),
            ):
                if (sel & rows).any():
                    if binary:
                        text = f"= {int(v[sel][0])}"
                    out.append(f"{c} {text} ({int(sel.sum())} rows, all {who})")
        else:
            labels = s.astype(str).to_numpy()
            for lev in sorted(set(labels[rows]) - set(labels[~same])):
                sel = labels == lev
                out.append(f"{c} = {lev} ({int(sel.sum())} rows, all {who})")
    if not out:
        out.append(
            f"a combination of {', '.join(map(str, covariates.columns))} "
            f"({int(rows.sum())} rows, all {who})"
        )
    return out


def crump_alpha(p: np.ndarray) -> float:
    r"""Return the optimal trimming threshold of Crump et al. (2009).

    Keeping :math:`\alpha \le p \le 1-\alpha` minimises the asymptotic variance of the
    (overlap-region) average effect; :math:`\alpha = 0` when
    :math:`\max 1/(p(1-p)) \le 2\,\overline{1/(p(1-p))}`, else :math:`\gamma = 1/(\alpha(1-\alpha))`
    solves :math:`\gamma = 2\,E[1/(p(1-p)) \mid 1/(p(1-p)) \le \gamma]` (their Theorem 1).
    Propensities of exactly 0 or 1 are always outside.

    Examples
    --------
    >>> crump_alpha(np.full(10, 0.5))
    0.0
    >>> round(crump_alpha(np.array([0.5] * 8 + [0.001, 0.999])), 4)
    0.1464
    """
    p = np.asarray(p, dtype=float)
    inner = p[(p > 0) & (p < 1)]
    g = np.sort(1 / (inner * (1 - inner)))
    if len(g) == len(p) and g[-1] <= 2 * g.mean():
        return 0.0
    twice_mean = 2 * np.cumsum(g) / np.arange(1, len(g) + 1)
    later = np.append(g[1:], np.inf)
    k = int(np.argmax(twice_mean < later))
    gamma = float(twice_mean[k])
    return float((1 - np.sqrt(max(1 - 4 / gamma, 0.0))) / 2)
