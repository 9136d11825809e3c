r"""Least squares with absorbed fixed effects and a cluster-robust (CR1) covariance.

The linear estimators of :mod:`asn_analysis.effects` (DiD, TWFE, before-after, the dynamic
TWFE event study) fit :math:`y = X\beta + \text{fixed effects} + e` here. Fixed effects are
absorbed, never built as dummy matrices: a within transformation for one, an exact solve of the
few period effects after the unit within transformation for two, alternating projections
(Gaure 2013) otherwise. The covariance is :func:`asn_analysis.stats.sandwich.cluster_sandwich`
(score :math:`\tilde x_i e_i`, Hessian :math:`-\tilde X'\tilde X`) times the regression factor
:math:`(N-1)/(N-K)`, with fixed effects nested in the clusters not counted in K (fixest,
reghdfe and Stata's ``xtreg`` convention).

References
----------
.. [1] Gaure, S. (2013). OLS with multiple high dimensional category variables.
   *Computational Statistics & Data Analysis*, 66, 8-18.
.. [2] Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
   inference. *Journal of Human Resources*, 50(2), 317-372.

Examples
--------
>>> y = np.array([1.0, 2.0, 3.0, 5.0])
>>> unit = fe_codes(np.array([1, 1, 2, 2]))
>>> fit = fe_ols(y, np.array([[0.0], [1.0], [0.0], [1.0]]), ["d"], [unit], unit[0])
>>> round(float(fit.coef[0]), 6), fit.k, fit.absorb_method
(1.5, 1, 'within transformation')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import linalg, sparse

from asn_analysis.errors import AsnAnalysisError, StatsInputError
from asn_analysis.stats.intervals import coef_table
from asn_analysis.stats.sandwich import cluster_sandwich

__all__ = ["FEFit", "FixedEffect", "absorb", "check_rank", "fe_codes", "fe_ols", "group_demean"]

#: One fixed effect: integer codes 0..n_levels-1 of each row and the number of levels.
FixedEffect = tuple[np.ndarray, int]

_SMALL_FE = 2000  # a fixed effect with at most this many levels is solved exactly


def fe_codes(values: Any) -> FixedEffect:
    """Return integer codes (in sorted order of the values) and the number of levels.

    Examples
    --------
    >>> fe_codes(np.array(["b", "a", "b"]))
    (array([1, 0, 1]), 2)
    """
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.intp), len(uniques)


def group_demean(mat: np.ndarray, codes: np.ndarray, n_levels: int) -> np.ndarray:
    """Subtract from each column of ``mat`` (n x k) its mean within the groups ``codes``.

    Examples
    --------
    >>> group_demean(np.array([[1.0], [3.0], [5.0]]), np.array([0, 0, 1]), 2).ravel()
    array([-1.,  1.,  0.])
    """
    counts = np.bincount(codes, minlength=n_levels).astype(float)
    counts[counts == 0] = 1.0
    out = np.empty_like(mat)
    for j in range(mat.shape[1]):
        means = np.bincount(codes, weights=mat[:, j], minlength=n_levels) / counts
        out[:, j] = mat[:, j] - means[codes]
    return out


def _partial_two_way(mat: np.ndarray, a: np.ndarray, na: int, b: np.ndarray, nb: int) -> np.ndarray:
    r"""Exact residuals of ``mat`` on dummies of ``a`` (many levels) and ``b`` (few levels).

    Within-transform by ``a``, then project out the ``a``-demeaned dummies of ``b`` with the
    small normal equations :math:`\\tilde D'\\tilde D = \\mathrm{diag}(n_b) - C'\\,
    \\mathrm{diag}(1/n_a)\\,C`, where ``C`` is the a-by-b count table. No iteration.
    """
    within = group_demean(mat, a, na)
    n_a = np.bincount(a, minlength=na).astype(float)
    n_a[n_a == 0] = 1.0
    n_b = np.bincount(b, minlength=nb).astype(float)
    if na * nb <= 20_000_000:
        counts = np.bincount(a * nb + b, minlength=na * nb).reshape(na, nb).astype(float)
        gram = np.diag(n_b) - counts.T @ (counts / n_a[:, None])
    else:
        counts = sparse.csr_matrix((np.ones(len(a)), (a, b)), shape=(na, nb))
        scaled = sparse.diags(1.0 / n_a) @ counts
        gram = np.diag(n_b) - (counts.T @ scaled).toarray()
    rhs = np.column_stack(
        [np.bincount(b, weights=within[:, j], minlength=nb) for j in range(mat.shape[1])]
    )
    coef = linalg.pinv(gram) @ rhs  # (nb, k); gram has rank nb - 1 (one redundant level)
    unit_part = (counts @ coef) / n_a[:, None]
    return within - coef[b] + unit_part[a]


def absorb(
    mat: np.ndarray, fes: Sequence[FixedEffect], *, tol: float = 1e-13
) -> tuple[np.ndarray, str]:
    """Residuals of ``mat`` (n x k) on the fixed effects; returns them and the method used.

    Examples
    --------
    >>> resid, how = absorb(np.array([[1.0], [3.0]]), [])
    >>> resid.ravel().tolist(), how
    ([-1.0, 1.0], 'intercept')
    """
    if not fes:
        return mat - mat.mean(axis=0), "intercept"
    if len(fes) == 1:
        return group_demean(mat, *fes[0]), "within transformation"
    if len(fes) == 2:
        (a, na), (b, nb) = sorted(fes, key=lambda f: -f[1])
        if nb <= _SMALL_FE:
            return _partial_two_way(mat, a, na, b, nb), "within transformation + exact time FE"
    # General case: alternating projections (method of alternating projections, Gaure 2013).
    out = mat.copy()
    scale = max(float(np.abs(mat).max()), 1.0)
    for _ in range(10_000):
        before = out.copy()
        for codes, n in fes:
            out = group_demean(out, codes, n)
        if float(np.abs(out - before).max()) <= tol * scale:
            break
    return out, "alternating projections"


def _nested(codes: np.ndarray, n_levels: int, cluster: np.ndarray) -> bool:
    """Return True when every level of the fixed effect lies within a single cluster."""
    rep = np.empty(n_levels, dtype=cluster.dtype)
    rep[codes] = cluster
    return bool(np.all(rep[codes] == cluster))


@dataclass
class FEFit:
    """A fixed-effects OLS fit: coefficients, CR1 covariance and what the bootstrap needs.

    Attributes
    ----------
    coef : numpy.ndarray
        Slope coefficients, in the order of ``names``.
    vcov : numpy.ndarray
        CR1 covariance (HC1 without clusters).
    names : list of str
        Regressor names.
    resid : numpy.ndarray
        Residuals.
    xt, yt : numpy.ndarray
        Regressors and outcome after absorbing the fixed effects.
    n : int
        Rows.
    k : int
        Parameters counted in the small-sample factor (slopes plus fixed effects not nested
        in the clusters).
    n_clusters : int
        Clusters (rows, without clusters).
    clusters : numpy.ndarray
        Cluster code of each row.
    absorb_method : str
        How the fixed effects were absorbed.
    nested : list of bool
        Per fixed effect: whether it is nested in the clusters.
    fes : list of FixedEffect
        The fixed effects.
    """

    coef: np.ndarray
    vcov: np.ndarray
    names: list[str]
    resid: np.ndarray
    xt: np.ndarray
    yt: np.ndarray
    n: int
    k: int
    n_clusters: int
    clusters: np.ndarray
    absorb_method: str
    nested: list[bool]
    fes: list[FixedEffect]

    def coef_table(self, level: float, df: float) -> pd.DataFrame:
        """Return coef, se, t, pvalue, ci_low, ci_high per term, with t(df) intervals.

        Examples
        --------
        >>> fit = fe_ols(np.array([1.0, 2.0, 2.0, 4.0]), np.array([[0.0], [1.0], [0.0], [1.0]]),
        ...              ["d"], [], None)
        >>> fit.coef_table(0.95, fit.n - fit.k).round(3).loc["d", ["coef", "se"]].tolist()
        [1.5, 1.118]
        """
        return coef_table(self.coef, self.vcov, self.names, level, df)


def fe_ols(
    y: np.ndarray,
    x: np.ndarray,
    names: Sequence[str],
    fes: Sequence[FixedEffect],
    clusters: np.ndarray | None,
    *,
    error: type[AsnAnalysisError] = StatsInputError,
) -> FEFit:
    r"""OLS of y on x with absorbed fixed effects and CR1 covariance.

    Parameters
    ----------
    y : numpy.ndarray, shape (n,)
        Outcome.
    x : numpy.ndarray, shape (n, k)
        Regressors (no intercept: the fixed effects, or the mean, are absorbed).
    names : sequence of str
        Regressor names (for messages and :meth:`FEFit.coef_table`).
    fes : sequence of FixedEffect
        Fixed effects as (codes, n_levels), e.g. from :func:`fe_codes`; empty for an intercept.
    clusters : numpy.ndarray or None
        Cluster code (0..G-1) of each row; None for HC1 (every row its own cluster).
    error : type, default StatsInputError
        Error raised for regressors absorbed by the fixed effects or collinear.

    Returns
    -------
    FEFit
        The fit.

    Notes
    -----
    :math:`\hat V = \frac{N-1}{N-K}\,\mathrm{CR1}`, with CR1 from
    :func:`~asn_analysis.stats.sandwich.cluster_sandwich` (factor :math:`G/(G-1)`): in all
    :math:`\frac{G}{G-1}\frac{N-1}{N-K}(\tilde X'\tilde X)^{-1}\sum_g \tilde X_g'\hat e_g
    \hat e_g'\tilde X_g(\tilde X'\tilde X)^{-1}`. K counts the slopes plus the fixed-effect
    parameters that are not nested within the clusters (fixest, reghdfe and Stata's xtreg:
    fixed effects nested in clusters use no degrees of freedom). Without clusters every row is
    its own cluster, which gives HC1.

    Examples
    --------
    >>> fit = fe_ols(np.array([1.0, 2.0, 2.0, 4.0]), np.array([[0.0], [1.0], [0.0], [1.0]]),
    ...              ["d"], [], None)
    >>> round(float(fit.coef[0]), 6), fit.n_clusters
    (1.5, 4)
    """
    n = len(y)
    both = np.column_stack([y, x])
    absorbed, method = absorb(both, fes)
    yt, xt = absorbed[:, 0], absorbed[:, 1:]
    check_rank(xt, x, names, fes, error=error)
    xtx = xt.T @ xt
    coef = linalg.solve(xtx, xt.T @ yt, assume_a="pos")
    resid = yt - xt @ coef
    if clusters is None:
        clusters = np.arange(n, dtype=np.intp)
    n_clusters = int(clusters.max()) + 1 if n else 0
    nested = [_nested(c, nl, clusters) for c, nl in fes]
    fe_params = sum(nl for (_, nl), is_n in zip(fes, nested, strict=True) if not is_n)
    fe_params += -(len(fes) - 1) if len(fes) > 1 and not all(nested) else 0
    if not fes:
        fe_params = 1  # the intercept
    k = x.shape[1] + max(fe_params, 0)
    vcov = cluster_sandwich(xt * resid[:, None], -xtx, clusters) * ((n - 1) / max(n - k, 1))
    return FEFit(
        coef=coef,
        vcov=vcov,
        names=list(names),
        resid=resid,
        xt=xt,
        yt=yt,
        n=n,
        k=k,
        n_clusters=n_clusters,
        clusters=clusters,
        absorb_method=method,
        nested=nested,
        fes=list(fes),
    )


def check_rank(
    xt: np.ndarray,
    x: np.ndarray,
    names: Sequence[str],
    fes: Sequence[FixedEffect],
    *,
    context: str = "",
    error: type[AsnAnalysisError] = StatsInputError,
) -> None:
    """Raise ``error`` naming regressors absorbed by the fixed effects or collinear with others.

    Works on the k x k Gram matrix of the standardised regressors (cheap for millions of rows).
    ``xt`` are the regressors after absorbing ``fes``, ``x`` before; ``context`` is appended to
    the message.

    Examples
    --------
    >>> x = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.1]])
    >>> check_rank(x - x.mean(axis=0), x, ["a", "b"], [])
    """
    scale = np.sqrt((x**2).sum(axis=0)) + 1e-300
    norms = np.sqrt((xt**2).sum(axis=0))
    absorbed = [str(nm) for nm, s, r in zip(names, scale, norms, strict=True) if r <= 1e-9 * s]
    if absorbed:
        what = (
            "do not vary once the unit and period fixed effects are removed (constant within "
            "units or periods)"
            if fes
            else "are constant"
        )
        raise error(f"regressor(s) {', '.join(absorbed)} {what}: drop them{context}")
    std = xt / norms
    gram = std.T @ std
    if np.linalg.eigvalsh(gram).min() > 1e-10:
        return
    dependent = []
    kept: list[int] = []
    for j in range(xt.shape[1]):
        trial = [*kept, j]
        if np.linalg.eigvalsh(gram[np.ix_(trial, trial)]).min() > 1e-10:
            kept.append(j)
        else:
            dependent.append(str(names[j]))
    raise error(
        f"collinear regressors: {', '.join(dependent)} are linear combinations of the other "
        f"regressors{' and the fixed effects' if fes else ''}; drop them{context}"
    )
