"""Wild cluster bootstraps: weights, the test-inversion bracket and the bootstrap tests.

The weights and the bracket are shared by the wild cluster restricted bootstrap of the linear
estimators (:class:`WildClusterBootstrap`, used by :mod:`asn_analysis.effects`) and the wild
cluster score bootstrap of the likelihood models (:mod:`asn_analysis.competency.fit_effects`).

References
----------
.. [1] Roodman, D., MacKinnon, J. G., Nielsen, M. O., & Webb, M. D. (2019). Fast and wild:
   Bootstrap inference in Stata using boottest. *The Stata Journal*, 19(1), 4-60.
.. [2] Webb, M. D. (2023). Reworking wild bootstrap-based inference for clustered errors.
   *Canadian Journal of Economics*, 56(3), 839-858.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from scipy import linalg

from asn_analysis.errors import StatsInputError
from asn_analysis.stats.mestimation import MEstimator, maximize
from asn_analysis.stats.ols import FEFit, absorb
from asn_analysis.stats.sandwich import cluster_sandwich

__all__ = [
    "BootWeights",
    "ScoreBootstrap",
    "WildClusterBootstrap",
    "boot_weights",
    "bracket",
    "nonnested_dummies",
]

_MAX_WILD_COLUMNS = 500  # non-nested regressors the wild bootstrap handles exactly

#: Distribution of the wild-bootstrap cluster weights.
BootWeights = Literal["rademacher", "webb", "mammen"]


def boot_weights(kind: str, n_clusters: int, n_boot: int, seed: Any) -> tuple[np.ndarray, bool]:
    """Return B x G wild-bootstrap weights and whether they enumerate every sign vector.

    Rademacher signs are enumerated in full when ``2**n_clusters <= n_boot`` (the exact
    bootstrap distribution); otherwise ``n_boot`` draws from ``numpy.random.default_rng(seed)``.

    Examples
    --------
    >>> w, full = boot_weights("rademacher", 3, 999, seed=0)
    >>> w.shape, full
    ((8, 3), True)
    """
    if kind == "rademacher" and 2**n_clusters <= n_boot:
        grid = ((np.arange(2**n_clusters)[:, None] >> np.arange(n_clusters)) & 1) * 2 - 1
        return grid.astype(float), True
    rng = np.random.default_rng(seed)
    if kind == "rademacher":
        return rng.choice([-1.0, 1.0], size=(n_boot, n_clusters)), False
    if kind == "webb":
        vals = np.array(
            [-math.sqrt(1.5), -1.0, -math.sqrt(0.5), math.sqrt(0.5), 1.0, math.sqrt(1.5)]
        )
        return rng.choice(vals, size=(n_boot, n_clusters)), False
    golden = math.sqrt(5)
    lo, hi = -(golden - 1) / 2, (golden + 1) / 2
    p_lo = (golden + 1) / (2 * golden)
    return np.where(rng.random((n_boot, n_clusters)) < p_lo, lo, hi), False


def bracket(
    centre: float, step: float, rejects: Callable[[float], bool], *, doublings: int = 60
) -> tuple[float, float] | None:
    """Walk out from ``centre`` by ``step``, doubling, until a value is rejected.

    Returns (last value not rejected, first value rejected), the bracket of a confidence bound
    found by test inversion; None when nothing is rejected within ``doublings`` steps (an
    unbounded interval).

    Examples
    --------
    >>> bracket(0.0, 1.0, lambda b: b > 5)
    (4.0, 8.0)
    """
    inside, outside = centre, centre + step
    for _ in range(doublings):
        if rejects(outside):
            return inside, outside
        inside, step = outside, step * 2
        outside = centre + step
    return None


class ScoreBootstrap:
    r"""Wild cluster score bootstrap of the t-statistic of parameter ``j``, null imposed.

    For each hypothesised value :math:`b_0` the model is refitted with
    :math:`\theta_j = b_0` (:math:`\tilde\theta`). With cluster scores :math:`\tilde s_g`
    and Hessians :math:`\tilde H_g` at :math:`\tilde\theta`, :math:`A = (-\sum_g \tilde
    H_g)^{-1}` and weights :math:`w_g^*`, one Newton step from :math:`\tilde\theta` on the
    perturbed scores gives the bootstrap estimate and its own cluster scores:

    .. math::

        \delta^* = A \sum_g w_g^* \tilde s_g, \qquad
        s_g^* = w_g^* \tilde s_g + \tilde H_g \delta^*, \qquad
        t^* = \delta^*_j \Big/ \sqrt{\tfrac{G}{G-1}\, a_j' \textstyle\sum_g s_g^*
        s_g^{*\prime} a_j},

    with :math:`a_j` row ``j`` of :math:`A`. The observed statistic is the Wald
    :math:`t = (\hat\theta_j - b_0)/\mathrm{se}_{CR1}`. For a linear model this is exactly
    the wild cluster restricted (WCR) bootstrap (Roodman et al. 2019); for a likelihood it is
    the score bootstrap of Kline & Santos (2012) with the bootstrap variance recomputed at the
    one-step bootstrap estimate. Everything per draw is O(G): only :math:`a_j' \tilde s_g`
    and :math:`\tilde H_g a_j` enter.

    Parameters
    ----------
    est : MEstimator
        The model (:mod:`asn_analysis.stats.mestimation`).
    params : numpy.ndarray
        Its unrestricted estimate.
    j : int
        Index of the parameter tested.
    codes : numpy.ndarray of int
        Cluster code (0 .. G-1) of each observation.
    n_groups : int
        Number of clusters G.
    weights : numpy.ndarray, shape (B, G)
        Bootstrap weights (:func:`boot_weights`).

    Raises
    ------
    StatsInputError
        The parameter has no finite cluster-robust standard error, or a restricted fit does not
        converge.

    References
    ----------
    .. [1] Kline, P., & Santos, A. (2012). A score based approach to wild bootstrap inference.
       *Journal of Econometric Methods*, 1(1), 23-41.

    Examples
    --------
    OLS on 6 clusters of 5, all 64 Rademacher sign vectors (the WCR bootstrap):

    >>> from asn_analysis.stats.mestimation import ols_estimator
    >>> rng = np.random.default_rng(1)
    >>> codes = np.repeat(np.arange(6), 5)
    >>> x = np.column_stack([rng.normal(size=30), np.ones(30)])
    >>> y = 0.5 * x[:, 0] + rng.normal(size=6)[codes] + rng.normal(size=30)
    >>> params = np.linalg.lstsq(x, y, rcond=None)[0]
    >>> w, _ = boot_weights("rademacher", 6, 999, seed=0)
    >>> boot = ScoreBootstrap(ols_estimator(y, x), params, 0, codes, 6, w)
    >>> boot.pvalue(0.0), [round(b, 3) for b in boot.ci(0.9)]
    (0.625, [-1.092, 0.349])
    """

    _CHUNK = 4_000_000  # draws x clusters held at once

    def __init__(
        self,
        est: MEstimator,
        params: np.ndarray,
        j: int,
        codes: np.ndarray,
        n_groups: int,
        weights: np.ndarray,
    ) -> None:
        self.est, self.params, self.j = est, np.asarray(params, float), j
        self.codes, self.g, self.v = codes, n_groups, weights
        cov = cluster_sandwich(est.score_obs(self.params), est.hessian(self.params, None), codes)
        if not (np.isfinite(cov[j, j]) and cov[j, j] > 0):
            raise StatsInputError(f"parameter {j} has no finite standard error")
        self.se0 = math.sqrt(cov[j, j])  # CR1 with G/(G-1), the factor used for t* too
        self._warm = self.params

    def tstats(self, b0: float) -> tuple[float, np.ndarray]:
        """Observed Wald t and the bootstrap t's under the null theta_j = b0."""
        theta = maximize(self.est, self._warm, self.j, b0)
        self._warm = theta
        sums = self.est.group_scores(theta, self.codes, self.g)
        h_g = self.est.group_hessians(theta, self.codes, self.g)
        a_mat = np.linalg.inv(-h_g.sum(axis=0))
        a = a_mat[self.j]
        u = sums @ a  # a' s_g
        m = h_g @ a  # H_g a (H_g symmetric)
        # delta* = A S'w (A symmetric), so delta*_j = w'u and (H_g delta*)_g = (w' P)_g with
        # the G x G matrix P = S A M': O(G^2) per draw instead of O(G k).
        p_mat = (sums @ a_mat) @ m.T
        c = self.g / (self.g - 1)
        step = max(1, self._CHUNK // self.g)
        out = []
        for lo in range(0, len(self.v), step):
            v = self.v[lo : lo + step]
            q = v * u[None, :] + v @ p_mat
            with np.errstate(divide="ignore", invalid="ignore"):
                t_star = (v @ u) / np.sqrt(c * (q**2).sum(axis=1))
            # A draw whose statistic is undefined (0/0) counts as extreme: conservative.
            out.append(np.where(np.isnan(t_star), np.inf, t_star))
        t0 = (self.params[self.j] - b0) / self.se0
        return t0, np.concatenate(out)

    def pvalue(self, b0: float) -> float:
        """Symmetric bootstrap p-value of theta_j = b0."""
        t0, t_boot = self.tstats(b0)
        # >= with a relative tolerance: under full enumeration the all-equal draws reproduce
        # the observed statistic up to rounding, and they count.
        return float(np.mean(np.abs(t_boot) >= np.abs(t0) * (1 - 1e-9)))

    def ci(self, level: float) -> tuple[float, float]:
        """Confidence interval by inverting the test (the set of b0 with p >= 1 - level)."""
        from scipy.optimize import brentq

        n = len(self.v)
        rank = math.ceil((1 - level) * n - 1e-9)  # p >= alpha  <=>  |t0| < rank-th largest |t*|
        beta = float(self.params[self.j])
        if rank < 1:
            return -math.inf, math.inf

        seen: dict[float, float] = {}  # brentq re-evaluates the bracket's ends

        def gap(b0: float) -> float:
            if b0 not in seen:
                t0, t_boot = self.tstats(b0)
                crit = np.partition(np.abs(t_boot), n - rank)[n - rank]
                seen[b0] = abs(t0) * (1 - 1e-9) - crit
            return seen[b0]

        def bound(direction: float) -> float:
            self._warm = self.params
            found = bracket(beta, direction * 2 * self.se0, lambda b: gap(b) >= 0, doublings=30)
            if found is None:
                return direction * math.inf
            lo, hi = sorted(found)
            return float(brentq(gap, lo, hi, xtol=1e-6 * self.se0, rtol=1e-12))

        return bound(-1.0), bound(1.0)


# =============================================================================================
# Wild cluster restricted bootstrap (WCR, CR1 t-statistics) of one OLS coefficient
# =============================================================================================


class WildClusterBootstrap:
    """WCR bootstrap of the t-statistic of coefficient ``j`` (Roodman et al. 2019, WCR11).

    After absorbing fixed effects nested in the clusters, the model is
    y = x b + W c + e. Everything is reduced to per-cluster sums, so a p-value for any null
    b = b0 costs O(B x G) (the bootstrap is linear in b0).

    Parameters
    ----------
    fit : FEFit
        The fixed-effects OLS fit (:func:`asn_analysis.stats.ols.fe_ols`) with its clusters.
    j : int
        Index of the tested coefficient.
    extra : numpy.ndarray or None
        Further regressors absorbed globally rather than within clusters
        (:func:`nonnested_dummies`); None when there are none.

    Examples
    --------
    >>> from asn_analysis.stats.ols import fe_codes, fe_ols
    >>> rng = np.random.default_rng(0)
    >>> unit = np.repeat(np.arange(8), 4)
    >>> d = (unit < 4).astype(float) * np.tile([0.0, 0.0, 1.0, 1.0], 8)
    >>> y = d + rng.normal(0, 1, 32)
    >>> fit = fe_ols(y, d[:, None], ["d"], [fe_codes(unit)], fe_codes(unit)[0])
    >>> boot = WildClusterBootstrap(fit, 0, nonnested_dummies(fit))
    >>> v, enumerated = boot_weights("rademacher", 8, 999, seed=0)
    >>> enumerated, 0 <= boot.pvalue(0.0, v) <= 1
    (True, True)
    """

    def __init__(self, fit: FEFit, j: int, extra: np.ndarray | None) -> None:
        xt_all, yt, cl, g = fit.xt, fit.yt, fit.clusters, fit.n_clusters
        others = np.delete(xt_all, j, axis=1)
        w = others if extra is None else np.column_stack([others, extra])
        # Regressors that are not absorbed by nested fixed effects (W), partialled x and y.
        if w.shape[1]:
            proj_x = linalg.lstsq(w, xt_all[:, j])[0]
            proj_y = linalg.lstsq(w, yt)[0]
            x = xt_all[:, j] - w @ proj_x
            y = yt - w @ proj_y
        else:
            x, y = xt_all[:, j], yt

        def csum(v: np.ndarray) -> np.ndarray:
            return np.bincount(cl, weights=v, minlength=g)

        self.g = g
        self.s_g = csum(x * x)
        self.s = float(self.s_g.sum())
        self.a_y = csum(x * y)
        self.beta = float(self.a_y.sum() / self.s)
        if w.shape[1]:
            self.f = np.column_stack([csum(x * w[:, k]) for k in range(w.shape[1])])  # G x q
            self.c_y = np.column_stack([csum(w[:, k] * y) for k in range(w.shape[1])])
            self.c_x = np.column_stack([csum(w[:, k] * x) for k in range(w.shape[1])])
            self.wtw_inv = linalg.pinv(w.T @ w)
        else:
            self.f = None
        resid = y - self.beta * x
        score = csum(x * resid)
        self.se0 = math.sqrt(float((score**2).sum())) / self.s  # CR1 factor cancels

    def tstats(self, b0: float, v: np.ndarray) -> tuple[float, np.ndarray]:
        """Return the sample t-statistic for b = b0 and the B bootstrap t-statistics."""
        a = self.a_y - b0 * self.s_g
        num = v @ a
        delta = num / self.s  # beta* - b0, shape (B,)
        scores = v * a[None, :] - delta[:, None] * self.s_g[None, :]
        if self.f is not None:
            c = self.c_y - b0 * self.c_x  # per-cluster W'u
            scores -= ((v @ c) @ self.wtw_inv) @ self.f.T
        se = np.sqrt((scores**2).sum(axis=1)) / self.s
        with np.errstate(divide="ignore", invalid="ignore"):
            t_boot = delta / se
        t0 = (self.beta - b0) / self.se0
        return t0, t_boot

    def pvalue(self, b0: float, v: np.ndarray) -> float:
        """Return the symmetric bootstrap p-value of b = b0 with weights ``v`` (B x G)."""
        t0, t_boot = self.tstats(b0, v)
        # Draws that reproduce the observed statistic (e.g. all signs equal) count, up to
        # rounding, as in the score form below: ties never make the p-value smaller.
        return float(np.mean(np.abs(t_boot) >= np.abs(t0) * (1 - 1e-9)))

    def ci(self, v: np.ndarray, level: float) -> tuple[float, float]:
        """Return the confidence interval at ``level`` by inverting the bootstrap test."""
        alpha = 1 - level

        def bound(direction: float) -> float:
            found = bracket(
                self.beta, direction * 2 * self.se0, lambda b: self.pvalue(b, v) < alpha
            )
            if found is None:
                return direction * math.inf
            inside, outside = found
            for _ in range(60):
                mid = (inside + outside) / 2
                if self.pvalue(mid, v) < alpha:
                    outside = mid
                else:
                    inside = mid
                if abs(outside - inside) <= 1e-7 * self.se0:
                    break
            return (inside + outside) / 2

        return bound(-1.0), bound(1.0)


def nonnested_dummies(fit: FEFit) -> np.ndarray | None:
    """Return the regressors absorbed globally rather than within clusters.

    These are the dummies of fixed effects not nested in the clusters (after absorbing the
    nested ones), and the intercept when nothing is nested; None when they would be more than
    500 columns (the bootstrap is then not computed).

    Examples
    --------
    >>> from asn_analysis.stats.ols import fe_codes, fe_ols
    >>> unit, period = np.repeat(np.arange(4), 3), np.tile(np.arange(3), 4)
    >>> d = ((unit < 2) & (period == 2)).astype(float)
    >>> fit = fe_ols(d + period, d[:, None], ["d"], [fe_codes(unit), fe_codes(period)],
    ...              fe_codes(unit)[0])
    >>> nonnested_dummies(fit).shape  # two period dummies, unit effects nested
    (12, 2)
    """
    cols = []
    any_nested = any(fit.nested)
    if not any_nested:
        cols.append(np.ones((fit.n, 1)))
    width = 0
    for (codes, n_levels), is_nested in zip(fit.fes, fit.nested, strict=True):
        if is_nested or n_levels < 2:
            continue
        width += n_levels - 1
        if width > _MAX_WILD_COLUMNS:
            return None
        dummies = np.zeros((len(codes), n_levels - 1))
        rows = np.flatnonzero(codes > 0)
        dummies[rows, codes[rows] - 1] = 1.0
        cols.append(dummies)
    mat = np.column_stack(cols) if cols else np.zeros((fit.n, 0))
    nested = [fe for fe, is_n in zip(fit.fes, fit.nested, strict=True) if is_n]
    if nested and mat.shape[1]:
        mat, _ = absorb(mat, nested)
    return mat
