"""Critical values, two-sided p-values and Wilson intervals: the small pieces of every CI.

A ``df`` of ``math.inf`` means the normal distribution (asymptotic inference); a finite ``df``
the Student t (e.g. ``G - 1`` with ``G`` clusters, as Stata and the cluster-robust literature
recommend for few clusters).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["FEW_CLUSTERS", "p_two_sided", "t_critical", "wilson_interval"]

#: Below this many clusters, cluster-robust (CR1) inference is unreliable and the estimators switch
#: to, or add, a wild cluster bootstrap (Cameron & Miller 2015; MacKinnon & Webb 2017).
FEW_CLUSTERS = 42


def t_critical(level: float, df: float) -> float:
    """Two-sided critical value at confidence ``level``: t(df), or normal when df is infinite.

    Examples
    --------
    >>> round(t_critical(0.95, float("inf")), 3), round(t_critical(0.95, 29), 3)
    (1.96, 2.045)
    """
    q = 0.5 + level / 2
    return float(stats.norm.ppf(q) if not np.isfinite(df) else stats.t.ppf(q, df))


def p_two_sided(t: float, df: float) -> float:
    """Two-sided p-value of a t (or z, with infinite df) statistic; NaN for a NaN statistic.

    Examples
    --------
    >>> round(p_two_sided(1.96, float("inf")), 3)
    0.05
    """
    if not np.isfinite(t):
        return float("nan")
    if not np.isfinite(df):
        return float(2 * stats.norm.sf(abs(t)))
    return float(2 * stats.t.sf(abs(t), df))


def wilson_interval(k: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion ``k / n`` (Wilson 1927), elementwise.

    Unlike the Wald interval it stays inside [0, 1] and keeps close to its nominal coverage
    with few people or shares near 0 or 1. ``n = 0`` gives NaN.

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
       inference. *JASA*, 22(158), 209-212.

    Examples
    --------
    >>> lo, hi = wilson_interval(np.array([3]), np.array([10]), 0.95)
    >>> round(float(lo[0]), 4), round(float(hi[0]), 4)
    (0.1078, 0.6032)
    """
    z = stats.norm.ppf(0.5 + level / 2)
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half
