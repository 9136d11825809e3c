"""Smooth M-estimators and the safeguarded Newton maximiser that fits them.

An :class:`MEstimator` bundles what cluster-robust inference and the wild cluster score
bootstrap need of a model: the objective (a log-likelihood, or minus half the sum of squares),
the score of each observation and the Hessian over all rows or a subset of them.
:func:`ols_estimator`, :func:`logit_estimator` and :class:`OrderedLogit` (statsmodels'
``OrderedModel`` with analytic derivatives) provide them; :func:`maximize` fits any of them,
optionally with one parameter fixed (the restricted fits of a bootstrap under the null).

References
----------
.. [1] McCullagh, P. (1980). Regression models for ordinal data. *Journal of the Royal
   Statistical Society B*, 42(2), 109-142.
.. [2] Nocedal, J., & Wright, S. J. (2006). *Numerical Optimization* (2nd ed.), ch. 3.4
   (Newton's method with Hessian modification). Springer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from statsmodels.miscmodels.ordinal_model import OrderedModel

from asn_analysis.errors import StatsInputError
from asn_analysis.stats.gram import WeightedGram

__all__ = ["MEstimator", "OrderedLogit", "logit_estimator", "maximize", "ols_estimator"]


class OrderedLogit(OrderedModel):
    """statsmodels' OrderedModel (logit link) with analytic score and Hessian.

    OrderedModel differentiates numerically, which for some 40 parameters and 15,000 rows takes
    minutes; the analytic derivatives make Newton's method converge in a fraction of a second and
    give the exact score per observation needed for the cluster-robust sandwich. Thresholds keep
    statsmodels' parameterisation: the first cut point, then log increments.

    Parameters
    ----------
    endog : numpy.ndarray
        Outcome codes 0, 1, ..., J - 1 (as floats).
    exog : numpy.ndarray, shape (n, k)
        Regressors, without a constant (the thresholds take its place).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(300, 1))
    >>> y = np.searchsorted([-0.5, 0.5], x[:, 0] + rng.logistic(size=300)).astype(float)
    >>> model = OrderedLogit(y, x)
    >>> est = MEstimator(model.loglike, model.score_obs, model.hessian)
    >>> params = maximize(est, np.array([0.0, -1.0, 0.0]))
    >>> round(float(params[0]), 2)
    1.17

    Same estimates as statsmodels' ``OrderedModel`` with numerical derivatives:

    >>> ref = OrderedModel(y, x, distr="logit").fit(method="bfgs", disp=False, gtol=1e-8)
    >>> bool(np.allclose(params, ref.params, atol=1e-4))
    True
    """

    def __init__(self, endog: np.ndarray, exog: np.ndarray) -> None:
        # No constant by construction (reference levels dropped); skip the rank check.
        super().__init__(endog, exog, distr="logit", hasconst=False)
        # Newton's method asks for the objective, the scores and the Hessian at the same
        # parameters: the pieces of the last full-sample evaluation are kept (same numbers).
        self._last: tuple[bytes, tuple] | None = None
        self._gram = WeightedGram(self.exog)

    def _parts(self, params: np.ndarray, rows: np.ndarray | None = None) -> tuple:
        if rows is None:
            key = np.asarray(params, dtype=float).tobytes()
            if self._last is None or self._last[0] != key:
                self._last = (key, self._compute_parts(params, None))
            return self._last[1]
        return self._compute_parts(params, rows)

    def _compute_parts(self, params: np.ndarray, rows: np.ndarray | None) -> tuple:
        k = self.k_vars
        theta = params[k:]
        cuts = np.concatenate([theta[:1], theta[0] + np.cumsum(np.exp(theta[1:]))])
        exog = self.exog if rows is None else self.exog[rows]
        eta = exog @ params[:k]
        y = np.asarray(self.endog, dtype=np.intp)
        if rows is not None:
            y = y[rows]
        ext = np.concatenate([[-np.inf], cuts, [np.inf]])
        f_up = 1.0 / (1.0 + np.exp(-(ext[y + 1] - eta)))
        f_lo = 1.0 / (1.0 + np.exp(-(ext[y] - eta)))
        prob = np.maximum(f_up - f_lo, 1e-300)
        return theta, y, len(cuts), f_up, f_lo, prob

    @staticmethod
    def _dcut(theta: np.ndarray) -> np.ndarray:
        n_cut = len(theta)
        jac = np.zeros((n_cut, n_cut))
        jac[:, 0] = 1.0
        for m in range(1, n_cut):
            jac[m:, m] = np.exp(theta[m])
        return jac

    @staticmethod
    def _by_cut(y: np.ndarray, n_cut: int, at_y: np.ndarray, below_y: np.ndarray) -> np.ndarray:
        """Return n x n_cut: ``at_y`` in column y (rows below the top), ``below_y`` in y - 1."""
        # Padded rows (a column before the first cut and one after the last) take the
        # entries of the bottom and top categories, then are cut off.
        out = np.zeros((len(y), n_cut + 2))
        flat = out.reshape(-1)
        start = np.arange(len(y)) * (n_cut + 2)
        flat[start + y + 1] = at_y
        flat[start + y] = below_y
        return out[:, 1:-1]

    def _cut_scores(self, y: np.ndarray, n_cut: int, g_up: np.ndarray, g_lo: np.ndarray):
        return self._by_cut(y, n_cut, g_up, -g_lo)

    def m_estimator(self) -> MEstimator:
        """Return the model as an :class:`MEstimator`, with its per-group scores and Hessians."""
        return MEstimator(
            self.loglike, self.score_obs, self.hessian, self.hessian_blocks, self.score_blocks
        )

    def score_obs(self, params: np.ndarray) -> np.ndarray:
        """Score of each observation (analytic)."""
        theta, y, n_cut, f_up, f_lo, prob = self._parts(params)
        g_up, g_lo = f_up * (1 - f_up) / prob, f_lo * (1 - f_lo) / prob
        k = self.k_vars
        out = np.empty((len(y), k + n_cut))
        np.multiply(-(g_up - g_lo)[:, None], self.exog, out=out[:, :k])
        out[:, k:] = self._cut_scores(y, n_cut, g_up, g_lo) @ self._dcut(theta)
        return out

    def score(self, params: np.ndarray) -> np.ndarray:
        """Score (analytic)."""
        return self.score_obs(params).sum(axis=0)

    @staticmethod
    def _entries(y: np.ndarray, n_cut: int, at_y: np.ndarray, below_y: np.ndarray) -> tuple:
        """Return the two cut-point entries of each row, values and columns (n x 2 each).

        ``at_y`` goes in column y (rows below the top category), ``below_y`` in column y - 1
        (rows above the bottom one); a row without such an entry has value zero.
        """
        values = np.column_stack([np.where(y < n_cut, at_y, 0.0), np.where(y > 0, below_y, 0.0)])
        columns = np.column_stack([np.minimum(y, n_cut - 1), np.maximum(y - 1, 0)])
        return values, columns

    def _cut_sums(self, parts: tuple, group: np.ndarray, n_groups: int) -> np.ndarray:
        """Return the group sums of the scores in the cut points (before reparameterising)."""
        _, y, n_cut, f_up, f_lo, prob = parts
        g_up, g_lo = f_up * (1 - f_up) / prob, f_lo * (1 - f_lo) / prob
        values, columns = self._entries(y, n_cut, g_up, -g_lo)
        cell = (group[:, None] * n_cut + columns).ravel()
        out = np.bincount(cell, weights=values.ravel(), minlength=n_groups * n_cut)
        return out.reshape(n_groups, n_cut)

    def score_blocks(
        self, params: np.ndarray, group: np.ndarray | None, n_groups: int
    ) -> np.ndarray:
        """Scores summed over the rows of each group (codes 0 .. G-1; None: one), shape (G, K)."""
        parts = self._parts(params)
        if group is None:
            group = np.zeros(len(parts[1]), dtype=np.intp)
        theta, _, n_cut, f_up, f_lo, prob = parts
        resid = -(f_up * (1 - f_up) - f_lo * (1 - f_lo)) / prob
        out = np.empty((n_groups, self.k_vars + n_cut))
        out[:, : self.k_vars] = self._gram.cross_blocks(resid[:, None], group, n_groups)[..., 0]
        out[:, self.k_vars :] = self._cut_sums(parts, group, n_groups) @ self._dcut(theta)
        return out

    def loglike(self, params: np.ndarray) -> float:
        """Log-likelihood (same value as OrderedModel's, without its overhead)."""
        return float(np.log(self._parts(params)[-1]).sum())

    def hessian(self, params: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Hessian of the log-likelihood (analytic), of all rows or of ``rows`` only."""
        n = len(self.endog)
        if rows is None:
            return self.hessian_blocks(params, np.zeros(n, dtype=np.intp), 1)[0]
        group = np.ones(n, dtype=np.intp)
        group[rows] = 0
        return self.hessian_blocks(params, group, 2)[0]

    def hessian_blocks(self, params: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
        """Hessians of the rows of each group (codes 0 .. G-1), shape (G, K, K), in one pass."""
        theta, y, n_cut, f_up, f_lo, prob = self._parts(params)
        k = self.k_vars
        d_up, d_lo = f_up * (1 - f_up), f_lo * (1 - f_lo)
        g_up, g_lo = d_up / prob, d_lo / prob
        a = d_up * (1 - 2 * f_up) / prob - g_up**2
        b = -d_lo * (1 - 2 * f_lo) / prob - g_lo**2
        c = g_up * g_lo
        up, lo = y < n_cut, y > 0
        h_bb = self._gram.gram_blocks(a + b + 2 * c, group, n_groups)
        values, columns = self._entries(y, n_cut, a + c, b + c)
        h_bc = -self._gram.cross_entries(values, columns, n_cut, group, n_groups)
        # Second derivatives in the cut points: (y, y) gets a, (y-1, y-1) b, (y, y-1) and
        # (y-1, y) c; one bincount over all groups.
        both = up & lo
        cell = np.concatenate(
            [
                y[up] * (n_cut + 1),
                (y[lo] - 1) * (n_cut + 1),
                y[both] * n_cut + y[both] - 1,
                (y[both] - 1) * n_cut + y[both],
            ]
        )
        cell += n_cut * n_cut * np.concatenate([group[up], group[lo], group[both], group[both]])
        h_cc = np.bincount(
            cell,
            weights=np.concatenate([a[up], b[lo], c[both], c[both]]),
            minlength=n_groups * n_cut * n_cut,
        ).reshape(n_groups, n_cut, n_cut)
        jac = self._dcut(theta)
        grad_cut = self._cut_sums((theta, y, n_cut, f_up, f_lo, prob), group, n_groups)
        tail = np.cumsum(grad_cut[:, ::-1], axis=1)[:, ::-1]  # sum over cut points m' >= m
        hess = np.zeros((n_groups, k + n_cut, k + n_cut))
        hess[:, :k, :k] = h_bb
        hess[:, :k, k:] = h_bc @ jac
        hess[:, k:, :k] = np.swapaxes(hess[:, :k, k:], 1, 2)
        hess[:, k:, k:] = jac.T @ h_cc @ jac
        diag = np.arange(k + 1, k + n_cut)
        hess[:, diag, diag] += tail[:, 1:] * np.exp(theta[1:])
        return hess


@dataclass(frozen=True)
class MEstimator:
    """A smooth M-estimator as the score bootstrap needs it.

    ``objective`` is maximised (a log-likelihood, or minus half the sum of squares for OLS);
    ``score_obs`` gives the per-observation gradient (n x k); ``hessian(params, rows)`` the
    Hessian of the objective over all rows (``rows=None``) or over a subset.
    ``hessian_blocks(params, codes, n_groups)`` and ``score_blocks(params, codes, n_groups)``,
    optional, give the Hessians (G x k x k) and summed scores (G x k) of the rows of each group
    at once (the clusters of the score bootstrap; ``codes=None`` for the scores: all rows, the
    gradient); without them :meth:`group_hessians`, :meth:`group_scores` and :meth:`gradient`
    use ``hessian`` one group at a time and ``score_obs``.

    Examples
    --------
    >>> est = ols_estimator(np.array([1.0, 3.0]), np.ones((2, 1)))
    >>> est.objective(np.array([2.0])), est.score_obs(np.array([2.0])).ravel().tolist()
    (-1.0, [-1.0, 1.0])
    """

    objective: Callable[[np.ndarray], float]
    score_obs: Callable[[np.ndarray], np.ndarray]
    hessian: Callable[[np.ndarray, np.ndarray | None], np.ndarray]
    hessian_blocks: Callable[[np.ndarray, np.ndarray, int], np.ndarray] | None = None
    score_blocks: Callable[[np.ndarray, np.ndarray | None, int], np.ndarray] | None = None

    def gradient(self, params: np.ndarray) -> np.ndarray:
        """Return the gradient of the objective (the sum of the scores).

        Examples
        --------
        >>> ols_estimator(np.array([1.0, 3.0]), np.ones((2, 1))).gradient(np.zeros(1)).tolist()
        [4.0]
        """
        if self.score_blocks is not None:
            return self.score_blocks(params, None, 1)[0]
        return self.score_obs(params).sum(axis=0)

    def group_scores(self, params: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
        """Return the scores summed over the rows of each group (codes 0 .. G-1), shape (G, k).

        Examples
        --------
        >>> est = ols_estimator(np.array([1.0, 3.0, 5.0]), np.ones((3, 1)))
        >>> est.group_scores(np.zeros(1), np.array([1, 0, 1]), 2).ravel().tolist()
        [3.0, 6.0]
        """
        if self.score_blocks is not None:
            return self.score_blocks(params, codes, n_groups)
        scores = self.score_obs(params)
        sums = np.zeros((n_groups, scores.shape[1]))
        np.add.at(sums, codes, scores)
        return sums

    def group_hessians(self, params: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
        """Hessians of the rows of each group (codes 0 .. G-1), shape (G, k, k).

        Examples
        --------
        >>> est = ols_estimator(np.zeros(3), np.ones((3, 1)))
        >>> est.group_hessians(np.zeros(1), np.array([1, 0, 1]), 2).ravel().tolist()
        [-1.0, -2.0]
        """
        if self.hessian_blocks is not None:
            return self.hessian_blocks(params, codes, n_groups)
        return np.stack([self.hessian(params, np.flatnonzero(codes == g)) for g in range(n_groups)])


def ols_estimator(y: np.ndarray, x: np.ndarray) -> MEstimator:
    """Return least squares of ``y`` on ``x`` as an M-estimator (objective -SSR / 2).

    Its score is x_i e_i and its Hessian -X'X, so the cluster sandwich is CR1 without the
    (N-1)/(N-K) factor and one Newton step is exact.

    Examples
    --------
    >>> x = np.column_stack([np.ones(4), np.arange(4.0)])
    >>> maximize(ols_estimator(np.array([1.0, 3.0, 5.0, 7.0]), x), np.zeros(2)).round(6)
    array([1., 2.])
    """

    def objective(params: np.ndarray) -> float:
        resid = y - x @ params
        return -0.5 * float(resid @ resid)

    def score_obs(params: np.ndarray) -> np.ndarray:
        return x * (y - x @ params)[:, None]

    def hessian(params: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        xr = x if rows is None else x[rows]
        return -(xr.T @ xr)

    return MEstimator(objective, score_obs, hessian)


def logit_estimator(model: Any) -> MEstimator:
    """Return a statsmodels ``Logit`` model as an M-estimator (Hessian also over row subsets).

    Examples
    --------
    >>> import statsmodels.api as sm
    >>> x = np.column_stack([np.ones(6), [0.0, 1, 2, 3, 4, 5]])
    >>> logit = sm.Logit(np.array([0.0, 0, 1, 0, 1, 1]), x)
    >>> est = logit_estimator(logit)
    >>> np.allclose(est.hessian(np.zeros(2), None), logit.hessian(np.zeros(2)))
    True
    """
    x, y = np.asarray(model.exog, dtype=float), np.asarray(model.endog, dtype=float)
    gram = WeightedGram(x)

    def weight(params: np.ndarray) -> np.ndarray:
        mu = 1.0 / (1.0 + np.exp(-(x @ params)))
        return mu * (1.0 - mu)

    def hessian(params: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        w = weight(params)
        if rows is not None:
            w = np.where(np.isin(np.arange(len(x)), rows), w, 0.0)
        return -gram.gram(w)

    def hessian_blocks(params: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
        return -gram.gram_blocks(weight(params), codes, n_groups)

    def score_blocks(params: np.ndarray, codes: np.ndarray | None, n_groups: int) -> np.ndarray:
        resid = y - 1.0 / (1.0 + np.exp(-(x @ params)))
        codes = np.zeros(len(x), dtype=np.intp) if codes is None else codes
        return gram.cross_blocks(resid[:, None], codes, n_groups)[..., 0]

    return MEstimator(model.loglike, model.score_obs, hessian, hessian_blocks, score_blocks)


@np.errstate(over="ignore", invalid="ignore", divide="ignore")  # trial steps may overshoot
def maximize(
    est: MEstimator,
    start: np.ndarray,
    j: int | None = None,
    value: float = 0.0,
    *,
    maxiter: int = 200,
) -> np.ndarray:
    """Maximise the objective, with parameter ``j`` fixed at ``value`` when ``j`` is given.

    Newton's method with the Hessian's eigenvalues taken in absolute value (so every step goes
    uphill even where the threshold parameterisation makes the Hessian indefinite, far from
    the optimum) and step halving. Converged when the Newton decrement g' (-H)^-1 g falls
    below 1e-12.

    Parameters
    ----------
    est : MEstimator
        The model.
    start : numpy.ndarray
        Starting values (the fixed parameter's entry is replaced by ``value``).
    j : int, optional
        Index of the parameter held fixed; None fits all.
    value : float, default 0
        Value of the fixed parameter.
    maxiter : int, default 200
        Newton steps at most.

    Returns
    -------
    numpy.ndarray
        The maximiser (with ``params[j] == value`` when ``j`` is given).

    Raises
    ------
    StatsInputError
        No convergence within ``maxiter`` steps.

    Examples
    --------
    Least squares with the slope fixed at 1: the intercept becomes the mean of y - x.

    >>> x = np.column_stack([np.ones(4), np.arange(4.0)])
    >>> maximize(ols_estimator(np.array([1.0, 3.0, 5.0, 7.0]), x), np.zeros(2), 1, 1.0)
    array([2.5, 1. ])
    """
    params = np.array(start, dtype=float)
    free = np.ones(len(params), dtype=bool)
    if j is not None:
        params[j] = value
        free[j] = False
    current = est.objective(params)
    for _ in range(maxiter):
        grad = est.gradient(params)[free]
        lam, vec = np.linalg.eigh(-est.hessian(params, None)[np.ix_(free, free)])
        lam = np.maximum(np.abs(lam), 1e-10 * max(float(np.abs(lam).max()), 1.0))
        step = vec @ ((vec.T @ grad) / lam)
        decrement = float(grad @ step)
        if decrement < 1e-12:
            return params
        size = 1.0
        while size >= 1e-12:
            trial = params.copy()
            trial[free] += size * step
            value_trial = est.objective(trial)
            if value_trial > current or (
                size == 1.0 and value_trial >= current - 1e-13 * abs(current)
            ):
                break
            size /= 2
        else:
            if decrement < 1e-8 * (1.0 + abs(current)):  # no gain measurable in floating point
                return params
            break
        params, current = trial, value_trial
    what = "the model" if j is None else f"the model with parameter {j} fixed at {value:.6g}"
    raise StatsInputError(f"Newton's method did not converge for {what}")
