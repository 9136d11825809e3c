"""Critical values, p-values, t-intervals and Wilson intervals: the small pieces of every CI.

A ``df`` of ``math.inf`` means the normal distribution (asymptotic inference); a finite ``df``
the Student t (e.g. ``G - 1`` with ``G`` clusters, as Stata and the cluster-robust literature
recommend for few clusters).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "FEW_CLUSTERS",
    "coef_table",
    "mean_interval",
    "p_two_sided",
    "t_critical",
    "wilson_interval",
]

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


def mean_interval(values: np.ndarray, level: float) -> dict[str, float]:
    r"""Mean of a sample with its standard error and t(n - 1) confidence interval.

    :math:`\bar x \pm t_{n-1}\, s/\sqrt n`, treating the values as independent (for
    paired data pass the differences: the paired t-test, as ``scipy.stats.ttest_rel``).

    Parameters
    ----------
    values : numpy.ndarray
        The sample, without missing values.
    level : float
        Confidence level.

    Returns
    -------
    dict
        ``n``, ``mean`` (NaN when empty), ``sd``, ``se``, ``ci_low``, ``ci_high`` (NaN with
        fewer than two values).

    Examples
    --------
    >>> m = mean_interval(np.array([1.0, 2.0, 3.0, 4.0]), 0.95)
    >>> m["n"], m["mean"], round(m["ci_low"], 3), round(m["ci_high"], 3)
    (4, 2.5, 0.446, 4.554)
    """
    n = len(values)
    mean = float(values.mean()) if n else np.nan
    sd = float(values.std(ddof=1)) if n > 1 else np.nan
    se = sd / math.sqrt(n) if n > 1 else np.nan
    tc = t_critical(level, n - 1) if n > 1 else np.nan
    return {"n": n, "mean": mean, "sd": sd, "se": se, "ci_low": mean - tc * se,
            "ci_high": mean + tc * se}  # fmt: skip


def coef_table(
    coef: np.ndarray,
    vcov: np.ndarray,
    names: Sequence[str],
    level: float,
    df: float = math.inf,
) -> pd.DataFrame:
    """Coefficient table of an estimator: coef, se, t, pvalue, ci_low, ci_high per term.

    Standard errors are the square roots of the covariance's diagonal; intervals and p-values
    use t(df), or the normal distribution when ``df`` is infinite.

    Parameters
    ----------
    coef : numpy.ndarray
        The estimates.
    vcov : numpy.ndarray
        Their covariance matrix.
    names : sequence of str
        Term names (the index, named ``term``).
    level : float
        Confidence level.
    df : float, default inf
        Degrees of freedom of the t distribution.

    Returns
    -------
    pandas.DataFrame
        One row per term.

    Examples
    --------
    >>> t = coef_table(np.array([2.0]), np.array([[0.25]]), ["d"], 0.95)
    >>> t.loc["d", ["se", "t"]].tolist(), round(float(t.loc["d", "ci_low"]), 3)
    ([0.5, 4.0], 1.02)
    """
    se = np.sqrt(np.diag(vcov))
    tc = t_critical(level, df)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = coef / se
    return pd.DataFrame(
        {
            "coef": coef,
            "se": se,
            "t": t,
            "pvalue": [p_two_sided(v, df) for v in t],
            "ci_low": coef - tc * se,
            "ci_high": coef + tc * se,
        },
        index=pd.Index(list(names), name="term"),
    )


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
