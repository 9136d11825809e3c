r"""Two-period panel DiD with covariates: doubly robust, IPW and outcome regression.

:func:`panel_did_2x2` estimates the ATT of one 2x2 comparison (a treated group and its
comparison units, each observed in a base and a later period) when parallel trends hold only
conditional on covariates, and returns the influence function of each unit, including the
estimation effect of the propensity and outcome-regression fits, so that standard errors and
the aggregations of :func:`asn_analysis.effects.staggered_did` are those of the R ``DRDID`` /
``did`` packages (and of their Python port ``csdid``).

- ``"dr"``: the doubly robust estimator of Sant'Anna & Zhao (2020, eq. 3.1; R
  ``DRDID::drdid_panel``, what R ``did`` and ``csdid`` use for panel data): a logit propensity
  score and a linear regression of the change in the outcome on the comparison units.
  Consistent if either model is right.
- ``"ipw"``: normalised inverse probability weighting (Abadie 2005, with weights that sum to
  one; R ``DRDID::std_ipw_did_panel``).
- ``"reg"``: outcome regression (Heckman, Ichimura & Todd 1997; R ``DRDID::reg_did_panel``).

References
----------
.. [1] Sant'Anna, P. H. C., & Zhao, J. (2020). Doubly robust difference-in-differences
       estimators. Journal of Econometrics, 219(1), 101-122.
.. [2] Abadie, A. (2005). Semiparametric difference-in-differences estimators. Review of
       Economic Studies, 72(1), 1-19.
.. [3] Heckman, J., Ichimura, H., & Todd, P. (1997). Matching as an econometric evaluation
       estimator. Review of Economic Studies, 64(4), 605-654.

Examples
--------
>>> rng = np.random.default_rng(0)
>>> x = rng.normal(size=(400, 1))
>>> d = (rng.uniform(size=400) < 1 / (1 + np.exp(-x[:, 0]))).astype(float)
>>> dy = 1.0 + x[:, 0] + 2.0 * d + rng.normal(scale=0.1, size=400)
>>> round(panel_did_2x2(dy, d, x, est_method="dr").estimate, 1)
2.0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import special

from asn_analysis._validation import check_option
from asn_analysis.effects.inputs import EffectInputError

__all__ = ["DIDEstMethod", "OVERLAP_LIMIT", "TRIM_LEVEL", "TwoByTwo", "panel_did_2x2"]

#: 2x2 estimator with covariates: doubly robust, normalised IPW, outcome regression.
DIDEstMethod = Literal["dr", "ipw", "reg"]
#: Comparison units with a propensity at or above this are left out of the weights (R DRDID).
TRIM_LEVEL = 0.995
#: A largest fitted propensity at or above this means no overlap (R did's overlap check).
OVERLAP_LIMIT = 0.999
#: Fitted propensities are capped below 1 by this much (R DRDID).
_PS_CAP = 1e-6


@dataclass(frozen=True)
class TwoByTwo:
    """One 2x2 ATT with its influence function.

    Attributes
    ----------
    estimate : float
        The ATT.
    influence : numpy.ndarray
        Influence function per unit of the 2x2 sample (mean zero);
        ``se = sqrt(sum(influence**2)) / n``.
    n_trimmed : int
        Comparison units left out of the weights for a propensity of at least
        :data:`TRIM_LEVEL` (``"dr"``, ``"ipw"``).
    max_propensity : float
        Largest fitted propensity (NaN for ``"reg"``).
    """

    estimate: float
    influence: np.ndarray
    n_trimmed: int
    max_propensity: float


def _design(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    return np.column_stack([np.ones(len(x)), x])


def _rank_problem(z: np.ndarray, rows: np.ndarray, names: list[str], where: str) -> str | None:
    """Name the covariates that are constant or collinear among ``rows`` (None if full rank)."""
    sub = z[rows]
    if len(sub) == 0:
        return f"no {where}"
    const = [nm for j, nm in enumerate(names) if np.ptp(sub[:, j + 1]) == 0]
    if const:
        return f"{', '.join(const)} constant among the {where}"
    scale = np.abs(sub).max(axis=0)
    if np.linalg.matrix_rank(sub / scale) < sub.shape[1]:
        return f"{', '.join(names)} collinear among the {where} ({len(sub)} units)"
    return None


def _logit_fit(z: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, bool]:
    """Return fitted propensities of a logit of ``d`` on ``z`` and whether Newton converged.

    Newton's method with step halving on the design with non-constant columns standardised,
    stopped when the log-likelihood no longer changes (relative 1e-13). Comparison units far
    from every treated unit may get propensities of almost 0 (a linear index running off to
    minus infinity): they get almost no weight, which is what the ATT wants. Treated units
    separated from the comparison units get propensities of almost 1, which the overlap check
    of :func:`panel_did_2x2` refuses.
    """
    mu, sd = z[:, 1:].mean(axis=0), z[:, 1:].std(axis=0)
    zs = np.column_stack([z[:, 0], (z[:, 1:] - mu) / sd])
    p0 = float(d.mean())
    beta = np.zeros(zs.shape[1])
    beta[0] = np.log(p0 / (1 - p0))

    def loglik(eta: np.ndarray) -> float:
        return float(np.sum(d * eta - np.logaddexp(0, eta)))

    old = loglik(zs @ beta)
    for _ in range(200):
        p = special.expit(zs @ beta)
        hess = (zs * (p * (1 - p))[:, None]).T @ zs
        step = np.linalg.lstsq(hess, zs.T @ (d - p), rcond=None)[0]
        for _ in range(40):
            new = loglik(zs @ (beta + step))
            if new >= old - 1e-12 * abs(old):
                break
            step = step / 2
        beta = beta + step
        if abs(new - old) <= 1e-13 * (abs(old) + 1):
            return special.expit(zs @ beta), True
        old = new
    return special.expit(zs @ beta), False


def _ols_fit(z: np.ndarray, y: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fitted values on all rows of an OLS on ``rows``, and its linear representation."""
    zr = z[rows]
    xtx_inv = np.linalg.inv(zr.T @ zr / len(z))
    beta = xtx_inv @ zr.T @ y[rows] / len(z)
    fitted = z @ beta
    resid = np.where(rows, y - fitted, 0.0)
    return fitted, (z * resid[:, None]) @ xtx_inv


def panel_did_2x2(
    delta_y: np.ndarray,
    treated: np.ndarray,
    x: np.ndarray,
    *,
    est_method: DIDEstMethod = "dr",
    names: list[str] | None = None,
) -> TwoByTwo:
    r"""Estimate one 2x2 panel ATT with covariates and its influence function.

    Parameters
    ----------
    delta_y : numpy.ndarray, shape (n,)
        Change of the outcome from the base period to the later period, per unit.
    treated : numpy.ndarray, shape (n,)
        1 for the treated group, 0 for comparison units.
    x : numpy.ndarray, shape (n, k)
        Covariates (no constant: it is added), measured at the base period.
    est_method : {"dr", "ipw", "reg"}, default "dr"
        Doubly robust (Sant'Anna & Zhao 2020), normalised IPW (Abadie 2005) or outcome
        regression.
    names : list of str, optional
        Covariate names for messages.

    Returns
    -------
    TwoByTwo
        The ATT, the influence function of each unit, trimmed units, largest propensity.

    Raises
    ------
    EffectInputError
        A covariate constant or collinear among the comparison units (``"dr"``, ``"reg"``) or
        in the sample (``"dr"``, ``"ipw"``); a propensity model without overlap (the largest
        fitted propensity at least :data:`OVERLAP_LIMIT`) or that does not converge.

    Notes
    -----
    With :math:`\hat p(X)` the logit propensity, :math:`\hat\mu(X)` the OLS of
    :math:`\Delta Y` on the comparison units, :math:`w_1 = D` and
    :math:`w_0 = \hat p(X)(1-D)/(1-\hat p(X))` (comparison units with
    :math:`\hat p \ge 0.995` get weight 0), the doubly robust ATT is

    .. math::

        \widehat{ATT} = \frac{\sum w_1 (\Delta Y - \hat\mu(X))}{\sum w_1}
        - \frac{\sum w_0 (\Delta Y - \hat\mu(X))}{\sum w_0};

    IPW drops :math:`\hat\mu`, regression replaces the second term by
    :math:`\sum w_1 \hat\mu(X) / \sum w_1`. The influence functions add the linear
    representations of the logit and OLS coefficients (Sant'Anna & Zhao 2020, Appendix),
    term by term as R ``DRDID`` 1.x.

    References
    ----------
    .. [1] Sant'Anna, P. H. C., & Zhao, J. (2020). Journal of Econometrics, 219(1), 101-122.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=(300, 2))
    >>> d = (x[:, 0] + rng.normal(size=300) > 0).astype(float)
    >>> dy = x @ [1.0, -0.5] + 1.5 * d + rng.normal(scale=0.01, size=300)
    >>> res = panel_did_2x2(dy, d, x, est_method="reg")
    >>> round(res.estimate, 2), round(float(res.influence.mean()), 12) == 0
    (1.5, True)
    """
    check_option("est_method", est_method, DIDEstMethod)
    dy = np.asarray(delta_y, dtype=float)
    d = np.asarray(treated, dtype=float)
    z = _design(x)
    n = len(dy)
    names = names or [f"x{j + 1}" for j in range(z.shape[1] - 1)]
    ctrl = d == 0
    problems = []
    if est_method in ("dr", "reg"):
        problems.append(_rank_problem(z, ctrl, names, "comparison units"))
    if est_method in ("dr", "ipw"):
        problems.append(_rank_problem(z, np.ones(n, dtype=bool), names, "units compared"))
    found = [p for p in problems if p]
    if found:
        raise EffectInputError("; ".join(dict.fromkeys(found)))
    w1 = d
    mw1 = w1.mean()
    ps_rep = None
    n_trimmed, max_ps = 0, float("nan")
    if est_method in ("dr", "ipw"):
        ps, converged = _logit_fit(z, d)
        max_ps = float(ps.max())
        if max_ps >= OVERLAP_LIMIT:
            raise EffectInputError(
                f"no overlap: the covariates ({', '.join(names)}) predict who is treated almost "
                f"exactly (largest propensity {max_ps:.4f})"
            )
        if not converged:
            raise EffectInputError(
                f"the propensity model on {', '.join(names)} did not converge in 200 Newton steps"
            )
        ps = np.minimum(ps, 1 - _PS_CAP)
        keep = ~ctrl | (ps < TRIM_LEVEL)
        n_trimmed = int((~keep).sum())
        w0 = keep * ps * (1 - d) / (1 - ps)
        info = (z * (ps * (1 - ps))[:, None]).T @ z
        ps_rep = (z * (d - ps)[:, None]) @ np.linalg.inv(info) * n
        mw0 = w0.mean()
    if est_method == "ipw":
        eta1 = np.mean(w1 * dy) / mw1
        eta0 = np.mean(w0 * dy) / mw0
        inf1 = w1 * (dy - eta1) / mw1
        m2 = np.mean((w0 * (dy - eta0))[:, None] * z, axis=0)
        inf0 = (w0 * (dy - eta0) + ps_rep @ m2) / mw0
        return TwoByTwo(float(eta1 - eta0), inf1 - inf0, n_trimmed, max_ps)
    mu, ols_rep = _ols_fit(z, dy, ctrl)
    m1 = np.mean(w1[:, None] * z, axis=0)
    if est_method == "reg":
        eta1 = np.mean(w1 * dy) / mw1
        eta0 = np.mean(w1 * mu) / mw1
        inf1 = w1 * (dy - eta1) / mw1
        inf0 = (w1 * (mu - eta0) + ols_rep @ m1) / mw1
        return TwoByTwo(float(eta1 - eta0), inf1 - inf0, 0, max_ps)
    r = dy - mu
    eta1 = np.mean(w1 * r) / mw1
    eta0 = np.mean(w0 * r) / mw0
    inf1 = (w1 * (r - eta1) - ols_rep @ m1) / mw1
    m2 = np.mean((w0 * (r - eta0))[:, None] * z, axis=0)
    m3 = np.mean(w0[:, None] * z, axis=0)
    inf0 = (w0 * (r - eta0) + ps_rep @ m2 - ols_rep @ m3) / mw0
    return TwoByTwo(float(eta1 - eta0), inf1 - inf0, n_trimmed, max_ps)
