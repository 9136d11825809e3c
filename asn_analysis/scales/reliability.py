"""Reliability of a scale: Cronbach's alpha with its Feldt interval, omega, and item analysis.

:func:`cronbach_alpha`, :func:`omega` and :func:`item_analysis` describe one scale given as a
frame of item columns; :func:`scale_reliability` runs them for every scale of an
:class:`~asn_analysis.scales.items.ItemMap`. Items are reverse-keyed first. Alpha equals
``pingouin.cronbach_alpha`` and R ``psych::alpha`` (raw_alpha); numbers are stored unrounded,
rounding happens only in ``summary()`` text.

References
----------
.. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
       Psychometrika, 16(3), 297-334.
.. [2] McDonald, R. P. (1999). Test theory: A unified treatment. Mahwah, NJ: Erlbaum.
.. [3] Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
       coefficient alpha. Applied Psychological Measurement, 11(1), 93-103.
.. [4] Revelle, W. (2024). psych: Procedures for psychological, psychometric, and
       personality research. R package, https://CRAN.R-project.org/package=psych

Examples
--------
>>> import pandas as pd
>>> answers = pd.DataFrame({"q1": [1, 2, 3, 4, 5], "q2": [2, 2, 3, 5, 4]})
>>> round(cronbach_alpha(answers).estimate, 4)  # 2 * (1 - (2.5 + 1.7) / 7.7)
0.9091
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from asn_analysis._validation import check_level, check_option
from asn_analysis.errors import AsnAnalysisWarning, OptionError
from asn_analysis.results import Result
from asn_analysis.scales.answers import (
    ScaleInputError,
    all_missing_problems,
    as_names,
    numeric_items,
    show,
)
from asn_analysis.scales.items import ItemMap

__all__ = [
    "AlphaResult",
    "NanPolicy",
    "OmegaResult",
    "ReverseKeyWarning",
    "cronbach_alpha",
    "item_analysis",
    "omega",
    "scale_reliability",
]

NanPolicy = Literal["pairwise", "listwise"]
"""How missing answers are handled: ``"pairwise"`` or ``"listwise"`` deletion."""


class ReverseKeyWarning(AsnAnalysisWarning):
    """Item statistics suggest a reverse-keyed item was not reversed (or vice versa)."""


def _scale_bounds(scale: tuple[float, float]) -> tuple[float, float]:
    try:
        lo, hi = scale
        lo, hi = float(lo), float(hi)
    except (TypeError, ValueError):
        raise OptionError(f"scale must be a (min, max) pair of numbers, not {scale!r}") from None
    if not lo < hi:
        raise OptionError(f"scale must satisfy min < max, not {scale!r}")
    return lo, hi


def _prepare_items(
    items: pd.DataFrame,
    *,
    reverse: str | Iterable[Hashable],
    scale: tuple[float, float],
    min_items: int,
    what: str,
) -> pd.DataFrame:
    """Validate a one-scale item frame and return it reverse-keyed as float64."""
    if not isinstance(items, pd.DataFrame):
        raise TypeError(f"items must be a pandas DataFrame, got {type(items).__name__}")
    lo, hi = _scale_bounds(scale)
    reverse = as_names(reverse)
    problems: list[str] = []
    columns = list(items.columns)
    if items.columns.has_duplicates:
        dup = pd.unique(items.columns[items.columns.duplicated()])
        raise ScaleInputError(f"items has duplicate columns {show(dup)}")
    unknown = [r for r in reverse if r not in items.columns]
    if unknown:
        problems.append(
            f"reverse names columns that are not among the items: {show(unknown)} "
            f"(items: {show(columns)})"
        )
    if len(columns) < min_items:
        problems.append(
            f"{what} needs at least {min_items} items, got {len(columns)}: {show(columns)}"
            + (" (alpha is undefined for a single item)" if len(columns) == 1 else "")
        )
    numeric = numeric_items(
        items, columns, dict.fromkeys(columns, lo), dict.fromkeys(columns, hi), problems
    )
    problems.extend(all_missing_problems(numeric))
    if problems:
        raise ScaleInputError(problems)
    for name in reverse:
        numeric[name] = lo + hi - numeric[name]
    return numeric


def _apply_nan_policy(keyed: pd.DataFrame, nan_policy: str) -> pd.DataFrame:
    """Rows used: pairwise keeps rows with at least one answer, listwise only complete rows."""
    if nan_policy == "listwise":
        return keyed.dropna(how="any")
    return keyed.dropna(how="all")


def _pairwise_problems(used: pd.DataFrame, minimum: int = 2) -> list[str]:
    answered = used.notna().to_numpy(dtype="int64")
    overlap = answered.T @ answered
    names = list(used.columns)
    pairs = [
        f"{names[i]!r}/{names[j]!r} ({overlap[i, j]} joint answers)"
        for i in range(len(names))
        for j in range(i + 1, len(names))
        if overlap[i, j] < minimum
    ]
    if not pairs:
        return []
    return [
        f"item pairs answered together by fewer than {minimum} respondents, so their "
        f"covariance is undefined: {show(pairs)}"
    ]


def _feldt_ci(alpha: float, n: int, k: int, level: float) -> tuple[float, float]:
    """Feldt confidence interval, same operations as pingouin (but unrounded)."""
    tail = 1 - level
    df1 = n - 1
    df2 = df1 * (k - 1)
    lower = 1 - (1 - alpha) * stats.f.isf(tail / 2, df1, df2)
    upper = 1 - (1 - alpha) * stats.f.isf(1 - tail / 2, df1, df2)
    return float(lower), float(upper)


def _warn_reverse_keys(message: str, stacklevel: int = 3) -> None:
    warnings.warn(message, ReverseKeyWarning, stacklevel=stacklevel)


# ----------------------------------------------------------------------------- alpha


@dataclass(frozen=True, repr=False)
class AlphaResult(Result):
    """Cronbach's alpha with its Feldt confidence interval.

    Attributes
    ----------
    estimate : float
        Coefficient alpha (raw, from covariances).
    ci_low, ci_high : float
        Feldt confidence interval bounds (unrounded).
    n_obs : int
        Respondents used (see :func:`cronbach_alpha`, Notes).
    k : int
        Number of items.
    nan_policy : {"pairwise", "listwise"}
        How missing answers were handled.
    level : float
        Confidence level of the interval, e.g. 0.95.
    """

    estimate: float
    ci_low: float
    ci_high: float
    n_obs: int
    k: int
    nan_policy: NanPolicy
    level: float = 0.95

    def to_frame(self) -> pd.DataFrame:
        """One-row table with every field (index: method ``cronbach_alpha``)."""
        row = {
            "estimate": self.estimate,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "n_obs": self.n_obs,
            "k": self.k,
            "nan_policy": self.nan_policy,
            "level": self.level,
        }
        return pd.DataFrame([row], index=pd.Index(["cronbach_alpha"], name="method"))

    def heading(self) -> str:
        """One line for reports; numbers rounded to 3 decimals for display only."""
        return (
            f"Cronbach's alpha = {self.estimate:.3f} "
            f"({self.level:.0%} CI {self.ci_low:.3f} to {self.ci_high:.3f}, "
            f"Feldt); n = {self.n_obs}, k = {self.k}, nan_policy = {self.nan_policy!r}"
        )


def _alpha_keyed(keyed: pd.DataFrame, nan_policy: str, level: float) -> AlphaResult:
    """Alpha on validated, reverse-keyed float items (pingouin.cronbach_alpha's computation)."""
    used = _apply_nan_policy(keyed, nan_policy)
    n, k = used.shape
    if n < 2:
        raise ScaleInputError(
            f"alpha needs at least 2 respondents after {nan_policy} deletion, got {n} "
            f"(items {show(list(keyed.columns))})"
        )
    if nan_policy == "pairwise":
        problems = _pairwise_problems(used)
        if problems:
            raise ScaleInputError(problems)
    # pingouin.cronbach_alpha's operations, in its order (the same number to the last digit,
    # tests/test_scales.py), without importing pingouin: half a second to two seconds per run
    cov = used.cov(numeric_only=True)
    alpha = float((k / (k - 1)) * (1 - np.trace(cov) / cov.sum().sum()))
    if not math.isfinite(alpha):
        raise ScaleInputError(
            f"alpha is undefined: the items {show(list(keyed.columns))} have no total variance"
        )
    low, high = _feldt_ci(alpha, n, k, level)
    return AlphaResult(alpha, low, high, int(n), int(k), nan_policy, float(level))  # type: ignore[arg-type]


def cronbach_alpha(
    items: pd.DataFrame,
    *,
    reverse: str | Iterable[Hashable] = (),
    scale: tuple[float, float] = (1, 5),
    nan_policy: NanPolicy = "pairwise",
    level: float = 0.95,
) -> AlphaResult:
    r"""Cronbach's alpha of one scale, reverse-keying items first, with a Feldt interval.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item of the scale, one row per respondent; NaN = unanswered.
    reverse : str or iterable of column names, default ()
        Reverse-keyed items, scored as ``min + max - answer`` before anything else.
    scale : (min, max), default (1, 5)
        Answer range of every item; answers outside it are an error.
    nan_policy : {"pairwise", "listwise"}, default "pairwise"
        ``"pairwise"``: covariances from pairwise-complete answers (pandas ``DataFrame.cov``,
        as ``psych::alpha(use="pairwise")``). ``"listwise"``: drop every respondent with any
        missing item first (as ``psych::alpha(use="complete.obs")``).
    level : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    AlphaResult
        ``estimate, ci_low, ci_high, n_obs, k, nan_policy, level``.

    Raises
    ------
    ScaleInputError
        Fewer than two items; ``reverse`` naming columns not in ``items``; non-numeric
        answers; answers outside ``scale``; an item with no answers; fewer than two
        respondents; an item pair never answered together (pairwise).
    OptionError
        An invalid `nan_policy`, `level` or `scale`, before the data are checked.

    Notes
    -----
    With :math:`C` the :math:`k \times k` item covariance matrix,

    .. math:: \alpha = \frac{k}{k-1}\left(1 - \frac{\operatorname{tr} C}
              {\sum_{ij} C_{ij}}\right)

    (Cronbach [1]_). The point estimate is computed as ``pingouin.cronbach_alpha`` computes it
    (the same operations) on the reverse-keyed items, so it equals pingouin and R
    ``psych::alpha`` (raw_alpha).

    ``n_obs`` (:math:`n`) is the number of respondents whose answers enter :math:`C`: for
    ``"pairwise"`` the rows with at least one answered item, for ``"listwise"`` the complete
    rows. The Feldt
    interval [2]_ uses :math:`F` quantiles with :math:`n-1` and :math:`(n-1)(k-1)` degrees of
    freedom:

    .. math:: [\,1 - (1-\alpha) F_{1-\gamma/2},\; 1 - (1-\alpha) F_{\gamma/2}\,],
              \quad \gamma = 1 - \text{level},

    with :math:`F_p` the upper-:math:`p` quantile. This is pingouin's formula without its
    rounding to 3 decimals. pingouin and psych take :math:`n` as all rows passed in, also
    for listwise deletion; here the rows that were deleted do not count, so with missing
    answers the listwise interval is (correctly) wider than pingouin's. For data without
    empty rows the pairwise interval equals pingouin's.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
           Psychometrika, 16(3), 297-334.
    .. [2] Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
           coefficient alpha. Applied Psychological Measurement, 11(1), 93-103.
           (Feldt, L. S. (1965). Psychometrika, 30(3), 357-370, for the F distribution.)

    Examples
    --------
    >>> answers = pd.DataFrame({"q1": [4, 5, 3, 2, 4, 5], "q2": [4, 4, 3, 1, 5, 5],
    ...                         "q3": [2, 1, 3, 5, 2, None]})
    >>> res = cronbach_alpha(answers, reverse=["q3"], scale=(1, 5))
    >>> round(res.estimate, 4), res.n_obs, res.k
    (0.9606, 6, 3)
    >>> print(res.summary())
    Cronbach's alpha = 0.961 (95% CI 0.833 to 0.994, Feldt); n = 6, k = 3, nan_policy = 'pairwise'
                    estimate  ci_low  ci_high  n_obs  k nan_policy  level
    method
    cronbach_alpha    0.9606  0.8331    0.994      6  3   pairwise   0.95

    The same call on R's ``psych::bfi`` Neuroticism items (N1-N5, answers 1-6) gives
    raw_alpha 0.813963, as ``psych::alpha(bfi[16:20])`` does (see ``tests/test_scales.py``).
    """
    check_option("nan_policy", nan_policy, NanPolicy)
    check_level(level)
    keyed = _prepare_items(
        items, reverse=reverse, scale=scale, min_items=2, what="Cronbach's alpha"
    )
    return _alpha_keyed(keyed, nan_policy, level)


# ----------------------------------------------------------------------------- omega


@dataclass(frozen=True, eq=False, repr=False)  # eq=False: Series fields have no single truth
class OmegaResult(Result):
    """McDonald's omega total from a one-factor model.

    Attributes
    ----------
    estimate : float
        Omega total.
    loadings : pandas.Series
        Standardised loadings per item (sign fixed so that their sum is positive).
    uniquenesses : pandas.Series
        Unique variances per item (``1 - loading**2`` for the ML fit).
    n_obs : int
        Respondents used.
    k : int
        Number of items.
    nan_policy : {"pairwise", "listwise"}
        How missing answers were handled.
    """

    estimate: float
    loadings: pd.Series
    uniquenesses: pd.Series
    n_obs: int
    k: int
    nan_policy: NanPolicy

    def to_frame(self) -> pd.DataFrame:
        """Per-item table: ``loading``, ``uniqueness``, ``communality``."""
        table = pd.DataFrame(
            {
                "loading": self.loadings,
                "uniqueness": self.uniquenesses,
                "communality": self.loadings**2,
            }
        )
        table.index.name = "item"
        return table

    def heading(self) -> str:
        """One line for reports; numbers rounded to 3 decimals for display only."""
        return (
            f"McDonald's omega (total, one factor, ML) = {self.estimate:.3f}; "
            f"n = {self.n_obs}, k = {self.k}, nan_policy = {self.nan_policy!r}"
        )

    def compare_row(self) -> dict[str, object]:
        """One row for :func:`asn_analysis.results.compare`: omega, n_obs, k, nan_policy."""
        return {
            "method": "omega",
            "estimate": self.estimate,
            "n_obs": self.n_obs,
            "k": self.k,
            "nan_policy": self.nan_policy,
        }


def _omega_keyed(keyed: pd.DataFrame, nan_policy: str) -> OmegaResult:
    """One-factor ML omega on validated, reverse-keyed float items."""
    from statsmodels.multivariate.factor import Factor  # deferred: heavy import

    used = _apply_nan_policy(keyed, nan_policy)
    n, k = used.shape
    problems: list[str] = []
    if n < 3:
        problems.append(
            f"omega needs at least 3 respondents after {nan_policy} deletion, got {n} "
            f"(items {show(list(keyed.columns))})"
        )
    else:
        constant = [c for c in used.columns if not used[c].std(ddof=1) > 0]
        if constant:
            problems.append(f"items without variance (correlation undefined): {show(constant)}")
        if nan_policy == "pairwise":
            problems.extend(_pairwise_problems(used, minimum=3))
    if problems:
        raise ScaleInputError(problems)
    corr = used.corr().to_numpy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # A fixed seed for the EM starting values: the same items give the same omega every run
        # (statsmodels draws them from fresh entropy otherwise, moving omega by about 1e-7).
        fit = Factor(corr=corr, n_factor=1, method="ml", nobs=n).fit(rng=0)
    retvals = getattr(fit, "mle_retvals", None)
    converged = bool(retvals is not None and retvals.get("success", False))
    if caught or not converged:
        # Re-issue statsmodels' warnings once, naming the items (it does not).
        details = "; ".join(sorted({str(w.message) for w in caught})) or "no convergence flag"
        warnings.warn(
            f"one-factor ML fit for items {show(list(used.columns))} may be unreliable "
            f"({details}); a loading near 1 (Heywood case) or very few respondents are the "
            "usual causes",
            AsnAnalysisWarning,
            stacklevel=4,
        )
    loadings = np.asarray(fit.loadings, dtype="float64")[:, 0]
    if loadings.sum() < 0:  # a factor's sign is arbitrary
        loadings = -loadings
    uniquenesses = np.asarray(fit.uniqueness, dtype="float64")
    total = loadings.sum() ** 2
    value = float(total / (total + uniquenesses.sum()))
    names = pd.Index(list(used.columns), name="item")
    if (loadings < 0).any():
        negative = list(names[loadings < 0])
        _warn_reverse_keys(
            f"items {show(negative)} load negatively on the common factor; check reverse keys",
            stacklevel=4,
        )
    return OmegaResult(
        estimate=value,
        loadings=pd.Series(loadings, index=names, name="loading"),
        uniquenesses=pd.Series(uniquenesses, index=names, name="uniqueness"),
        n_obs=int(n),
        k=int(k),
        nan_policy=nan_policy,  # type: ignore[arg-type]
    )


def omega(
    items: pd.DataFrame,
    *,
    reverse: str | Iterable[Hashable] = (),
    scale: tuple[float, float] = (1, 5),
    nan_policy: NanPolicy = "listwise",
) -> OmegaResult:
    r"""McDonald's omega total of one scale from a one-factor maximum-likelihood model.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item (at least three), one row per respondent; NaN = unanswered.
    reverse : str or iterable of column names, default ()
        Reverse-keyed items, scored as ``min + max - answer`` first.
    scale : (min, max), default (1, 5)
        Answer range of every item.
    nan_policy : {"pairwise", "listwise"}, default "listwise"
        Correlations from complete rows only, or from pairwise-complete answers.

    Returns
    -------
    OmegaResult
        ``estimate, loadings, uniquenesses, n_obs, k, nan_policy``.

    Raises
    ------
    ScaleInputError
        Fewer than three items (a one-factor model is not identified with two), and the
        input problems listed for :func:`cronbach_alpha`; items without variance.
    OptionError
        An invalid `nan_policy` or `scale`.

    Warns
    -----
    ReverseKeyWarning
        When an item loads negatively (usually a reverse key that was not applied).

    Notes
    -----
    The items are standardised (the model is fitted to their correlation matrix) and a
    single factor is fitted by maximum likelihood with
    ``statsmodels.multivariate.factor.Factor(method="ml")``. With loadings
    :math:`\lambda_j` and uniquenesses :math:`\psi_j = 1 - \lambda_j^2`,

    .. math:: \omega = \frac{(\sum_j \lambda_j)^2}{(\sum_j \lambda_j)^2 + \sum_j \psi_j}

    (McDonald [1]_). The ML fit was chosen over ``sklearn.decomposition.FactorAnalysis``
    because it works on the correlation matrix itself (so pairwise correlations are
    possible) and its uniquenesses sum exactly with the communalities to 1; on simulated
    and real data the two agree to about 1e-4 (see the tests). R ``psych::omega`` uses a
    hierarchical (bifactor) model with minres by default, so its omega total can differ;
    this is the one-factor omega total (``psych::omega(x, nfactors = 1, fm = "ml")``).

    For tau-equivalent items (equal loadings) omega equals alpha; for congeneric items
    omega >= alpha.

    References
    ----------
    .. [1] McDonald, R. P. (1999). Test theory: A unified treatment. Mahwah, NJ: Erlbaum.
    .. [2] Revelle, W., & Condon, D. M. (2019). Reliability from alpha to omega: A tutorial.
           Psychological Assessment, 31(12), 1395-1411.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> factor = rng.normal(size=500)
    >>> answers = pd.DataFrame(
    ...     {f"q{j}": np.clip(np.round(3 + factor + rng.normal(size=500)), 1, 5)
    ...      for j in range(1, 5)}
    ... )
    >>> res = omega(answers)
    >>> res.k, res.n_obs, bool(0.7 < res.estimate < 0.9)
    (4, 500, True)
    """
    check_option("nan_policy", nan_policy, NanPolicy)
    keyed = _prepare_items(items, reverse=reverse, scale=scale, min_items=3, what="omega")
    return _omega_keyed(keyed, nan_policy)


# ----------------------------------------------------------------------------- items


def _item_analysis_keyed(keyed: pd.DataFrame, nan_policy: str) -> pd.DataFrame:
    share_missing = keyed.isna().mean()
    used = _apply_nan_policy(keyed, nan_policy)
    total = _alpha_keyed(used, nan_policy, 0.95)
    cov = used.cov().to_numpy()
    names = list(used.columns)
    rows = []
    for j, name in enumerate(names):
        rest = [i for i in range(len(names)) if i != j]
        rest_cov = cov[j, rest].sum()
        rest_var = cov[np.ix_(rest, rest)].sum()
        item_rest_r = float(rest_cov / math.sqrt(cov[j, j] * rest_var))
        if len(names) > 2:
            alpha_if_deleted = _alpha_keyed(used.drop(columns=[name]), nan_policy, 0.95).estimate
        else:
            alpha_if_deleted = float("nan")  # alpha of a single item is undefined
        rows.append(
            {
                "n": int(used[name].notna().sum()),
                "mean": float(used[name].mean()),
                "sd": float(used[name].std(ddof=1)),
                "share_missing": float(share_missing[name]),
                "item_rest_r": item_rest_r,
                "alpha_if_deleted": alpha_if_deleted,
            }
        )
    table = pd.DataFrame(rows, index=pd.Index(names, name="item"))
    table.attrs["alpha"] = total.estimate
    table.attrs["n"] = total.n_obs
    table.attrs["nan_policy"] = nan_policy
    negative = list(table.index[table["item_rest_r"] < 0])
    if negative or total.estimate < 0:
        reasons = []
        if negative:
            reasons.append(f"items {show(negative)} correlate negatively with the rest")
        if total.estimate < 0:
            reasons.append(f"alpha is negative ({total.estimate:.3f})")
        _warn_reverse_keys("; ".join(reasons) + "; check reverse keys", stacklevel=4)
    return table


def item_analysis(
    items: pd.DataFrame,
    *,
    reverse: str | Iterable[Hashable] = (),
    scale: tuple[float, float] = (1, 5),
    nan_policy: NanPolicy = "pairwise",
) -> pd.DataFrame:
    r"""Per-item statistics of one scale: mean, sd, missing share, item-rest r, alpha if deleted.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item (at least two), one row per respondent; NaN = unanswered.
    reverse : str or iterable of column names, default ()
        Reverse-keyed items, scored as ``min + max - answer`` first.
    scale : (min, max), default (1, 5)
        Answer range of every item.
    nan_policy : {"pairwise", "listwise"}, default "pairwise"
        As in :func:`cronbach_alpha`; applied once to the whole scale, so every statistic
        (and every alpha-if-deleted) uses the same respondents.

    Returns
    -------
    pandas.DataFrame
        Index ``item``; columns ``n`` (answers used), ``mean`` and ``sd`` (after reverse
        keying, over the rows used), ``share_missing`` (share of all rows passed in),
        ``item_rest_r`` (corrected item-total correlation) and ``alpha_if_deleted`` (NaN for
        a two-item scale). ``attrs`` holds the scale's ``alpha``, ``n`` and ``nan_policy``.

    Raises
    ------
    ScaleInputError
        As :func:`cronbach_alpha`.
    OptionError
        An invalid `nan_policy` or `scale`.

    Warns
    -----
    ReverseKeyWarning
        Message contains "check reverse keys" when any ``item_rest_r`` < 0 or alpha < 0.

    Notes
    -----
    The item-rest correlation of item :math:`j` is computed from the covariance matrix
    :math:`C` (pairwise or listwise) as in ``psych::alpha`` (``r.drop``):

    .. math:: r_{j,\text{rest}} = \frac{\sum_{i \ne j} C_{ij}}
              {\sqrt{C_{jj} \sum_{i,l \ne j} C_{il}}}

    which, with complete data, is the Pearson correlation of the item with the sum of the
    other items. ``alpha_if_deleted`` is :func:`cronbach_alpha` on the other
    :math:`k - 1` items of the same rows.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
           Psychometrika, 16(3), 297-334.
    .. [2] Revelle, W. psych: ``alpha`` (``alpha.drop``, ``item.stats``).
           https://CRAN.R-project.org/package=psych

    Examples
    --------
    Four items driven by one factor; ``q4`` is worded the other way round.

    >>> rng = np.random.default_rng(0)
    >>> factor = rng.normal(size=200)
    >>> answers = pd.DataFrame(
    ...     {f"q{j}": np.clip(np.round(3 + factor + rng.normal(size=200)), 1, 5)
    ...      for j in range(1, 5)}
    ... )
    >>> answers["q4"] = 6 - answers["q4"]
    >>> table = item_analysis(answers, reverse=["q4"])
    >>> shown = table[["mean", "item_rest_r", "alpha_if_deleted"]].round(3)
    >>> shown  # doctest: +NORMALIZE_WHITESPACE
           mean  item_rest_r  alpha_if_deleted
    item
    q1    2.940        0.635             0.762
    q2    3.025        0.624             0.767
    q3    3.005        0.625             0.767
    q4    2.865        0.639             0.760
    """
    check_option("nan_policy", nan_policy, NanPolicy)
    keyed = _prepare_items(items, reverse=reverse, scale=scale, min_items=2, what="item analysis")
    return _item_analysis_keyed(keyed, nan_policy)


# ----------------------------------------------------------------------------- all scales


def scale_reliability(
    data: pd.DataFrame,
    item_map: ItemMap,
    *,
    nan_policy: NanPolicy = "pairwise",
    level: float = 0.95,
    scales: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Reliability of every scale in the item map: alpha with CI, omega, mean and sd.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent, one column per item.
    item_map : ItemMap
        Scales, reverse keys and answer ranges; the items' own min/max are used.
    nan_policy : {"pairwise", "listwise"}, default "pairwise"
        Used for alpha and for the correlations behind omega.
    level : float, default 0.95
        Confidence level of the Feldt interval for alpha.
    scales : str or iterable of str, optional
        Only these scales (default: all).

    Returns
    -------
    pandas.DataFrame
        One row per scale: ``scale, k, n, alpha, ci_low, ci_high, omega, mean, sd``.
        ``omega`` is NaN for scales with fewer than three items. ``mean`` and ``sd`` describe
        the respondents' mean of answered items over the rows used (as ``psych::alpha``
        reports them), not :func:`score` with its ``min_answered`` rule.

    Raises
    ------
    ScaleInputError
        Items missing from ``data``, non-numeric or out-of-range answers, scales with one
        item, items without answers; all scales' problems are reported together.
    OptionError
        An invalid `nan_policy` or `level`.

    Warns
    -----
    ReverseKeyWarning
        When a scale's alpha is negative.

    Notes
    -----
    Per scale this is :func:`cronbach_alpha` (``pingouin.cronbach_alpha``'s computation) and
    :func:`omega` on the items reverse-keyed by ``item_map``; see those functions for the
    formulas and for the definition of ``n``.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
           Psychometrika, 16(3), 297-334.
    .. [2] McDonald, R. P. (1999). Test theory: A unified treatment. Mahwah, NJ: Erlbaum.
    .. [3] Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
           coefficient alpha. Applied Psychological Measurement, 11(1), 93-103.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> factor = rng.normal(size=200)
    >>> answers = pd.DataFrame(
    ...     {f"q{j}": np.clip(np.round(3 + factor + rng.normal(size=200)), 1, 5)
    ...      for j in range(1, 5)}
    ... )
    >>> answers["q4"] = 6 - answers["q4"]
    >>> imap = ItemMap.from_dict(
    ...     {"s": {"items": ["q1", "q2", "q3", "q4"], "reverse": ["q4"], "min": 1, "max": 5}}
    ... )
    >>> scale_reliability(answers, imap).round(3)
      scale  k    n  alpha  ci_low  ci_high  omega   mean     sd
    0     s  4  200  0.812   0.766    0.851  0.813  2.959  1.009
    """
    if not isinstance(item_map, ItemMap):
        raise TypeError(f"item_map must be an ItemMap, got {type(item_map).__name__}")
    check_option("nan_policy", nan_policy, NanPolicy)
    check_level(level)
    chosen = item_map.select_scales(scales)
    problems: list[str] = []
    for scale_name in chosen:
        k = len(item_map.scales[scale_name])
        if k < 2:
            problems.append(
                f"scale {scale_name!r} has one item {show(item_map.scales[scale_name])}; "
                "alpha is undefined"
            )
    try:
        keyed_all = item_map.reverse_key(data, scales=chosen)
    except ScaleInputError as error:
        raise ScaleInputError(problems + list(error.problems)) from None
    for scale_name in chosen:
        keyed = keyed_all[list(item_map.scales[scale_name])]
        problems.extend(all_missing_problems(keyed, context=f"scale {scale_name!r}: "))
    if problems:
        raise ScaleInputError(problems)

    rows = []
    for scale_name in chosen:
        keyed = keyed_all[list(item_map.scales[scale_name])].astype("float64")
        alpha = _alpha_keyed(keyed, nan_policy, level)
        omega_value = (
            _omega_keyed(keyed, nan_policy).estimate if keyed.shape[1] >= 3 else float("nan")
        )
        person_means = _apply_nan_policy(keyed, nan_policy).mean(axis=1)
        rows.append(
            {
                "scale": scale_name,
                "k": alpha.k,
                "n": alpha.n_obs,
                "alpha": alpha.estimate,
                "ci_low": alpha.ci_low,
                "ci_high": alpha.ci_high,
                "omega": omega_value,
                "mean": float(person_means.mean()),
                "sd": float(person_means.std(ddof=1)),
            }
        )
    table = pd.DataFrame(
        rows, columns=["scale", "k", "n", "alpha", "ci_low", "ci_high", "omega", "mean", "sd"]
    )
    negative = list(table.loc[table["alpha"] < 0, "scale"])
    if negative:
        _warn_reverse_keys(f"scales {show(negative)} have negative alpha; check reverse keys")
    return table
