"""The cluster-robust (CR1) covariance of an M-estimator, from its scores and Hessian.

One implementation serves the ordered logit and logit of :mod:`asn_analysis.competency` and
the fixed-effects OLS of :mod:`asn_analysis.effects` (whose score is x_i e_i and whose Hessian is
-X'X).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from asn_analysis.errors import StatsInputError

__all__ = ["cluster_sandwich"]


def cluster_sandwich(
    score_obs: np.ndarray, hessian: np.ndarray, groups: Sequence[Hashable] | np.ndarray
) -> np.ndarray:
    r"""Cluster-robust covariance of an M-estimator from its scores and Hessian.

    Parameters
    ----------
    score_obs : numpy.ndarray, shape (n, k)
        Score (gradient of the log-likelihood) of each observation at the estimate.
    hessian : numpy.ndarray, shape (k, k)
        Hessian of the log-likelihood at the estimate.
    groups : array-like, length n
        Cluster of each observation.

    Returns
    -------
    numpy.ndarray, shape (k, k)
        :math:`\frac{G}{G-1} H^{-1} \left(\sum_g s_g s_g'\right) H^{-1}`, with
        :math:`s_g` the sum of the scores of cluster :math:`g`.

    Raises
    ------
    StatsInputError
        Fewer than 2 clusters or mismatched shapes.

    Notes
    -----
    The small-sample factor is :math:`G/(G-1)` only, as Stata's ``vce(cluster)`` for maximum
    likelihood models. statsmodels' ``cov_type="cluster"`` additionally multiplies by
    :math:`(N-1)/(N-K)` (its linear-regression convention); the tests check the two agree up to
    that factor on a logit.

    Examples
    --------
    Two clusters of two observations, Hessian -I: the covariance is 2 x (sum of s_g s_g').

    >>> scores = np.array([[1.0, 0.0], [2.0, 1.0], [-1.0, 0.0], [-2.0, -1.0]])
    >>> cluster_sandwich(scores, -np.eye(2), ["a", "a", "b", "b"])
    array([[36., 12.],
           [12.,  4.]])

    References
    ----------
    .. [1] Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
       inference. *Journal of Human Resources*, 50(2), 317-372.
    """
    score_obs = np.asarray(score_obs, dtype=float)
    codes, uniques = pd.factorize(np.asarray(groups))
    n_groups = len(uniques)
    if score_obs.ndim != 2 or score_obs.shape[0] != len(codes):
        raise StatsInputError("score_obs must be (n, k) with one group per row")
    if n_groups < 2:
        raise StatsInputError(f"{n_groups} cluster; at least 2 are needed")
    sums = np.zeros((n_groups, score_obs.shape[1]))
    np.add.at(sums, codes, score_obs)
    bread = np.linalg.inv(-np.asarray(hessian, dtype=float))
    cov = bread @ (sums.T @ sums) @ bread * n_groups / (n_groups - 1)
    return (cov + cov.T) / 2
