r"""Planning an evaluation: the minimum detectable effect of a unit-level design.

:func:`minimum_detectable_effect` gives the smallest effect a DiD or a post-only comparison of
units (with respondents nested in units, e.g. SKM surveys) can tell from noise at a given
power, following Bloom (1995, 2005) and McKenzie (2012).

References
----------
.. [1] Bloom, H. S. (1995). Minimum detectable effects. Evaluation Review, 19(5), 547-556.
.. [2] Bloom, H. S. (2005). Randomizing groups to evaluate place-based programs. In Learning
       More from Social Experiments. Russell Sage Foundation.
.. [3] McKenzie, D. (2012). Beyond baseline and follow-up. Journal of Development Economics,
       99(2), 210-221.

Examples
--------
>>> round(minimum_detectable_effect(n_units=30, share_treated=0.5, icc=0.05, sd=1.0), 3)
0.366
"""

from __future__ import annotations

import math
from typing import Literal

from scipy import stats

from asn_analysis._validation import check_level, check_option
from asn_analysis.errors import OptionError
from asn_analysis.stats.intervals import t_critical

__all__ = ["MDEDesign", "minimum_detectable_effect"]

#: Evaluation design: DiD on unit-period means, or a post-only comparison of units.
MDEDesign = Literal["did", "cross_section"]


def minimum_detectable_effect(
    *,
    n_units: int,
    share_treated: float = 0.5,
    respondents_per_unit: float = 100,
    icc: float = 0.05,
    sd: float = 1.0,
    n_pre: int = 1,
    n_post: int = 1,
    autocorrelation: float = 0.0,
    design: MDEDesign = "did",
    level: float = 0.95,
    power: float = 0.8,
) -> float:
    r"""Minimum detectable effect of a unit-level (clustered) evaluation design.

    Parameters
    ----------
    n_units : int
        Units J in the evaluation (treated plus comparison), at least 3.
    share_treated : float, default 0.5
        Share P of units treated (1/J for a single treated unit).
    respondents_per_unit : float, default 100
        Respondents m per unit and period (e.g. SKM respondents).
    icc : float, default 0.05
        Intra-class correlation :math:`\rho`: share of the outcome variance between
        unit-periods.
    sd : float, default 1.0
        Total standard deviation of the individual outcome (the MDE is in its units; 1 gives
        an effect size).
    n_pre, n_post : int, default 1
        Periods before and after the start (``design="did"``).
    autocorrelation : float, default 0.0
        Correlation :math:`\phi` of a unit's true mean between periods (``design="did"``):
        persistent unit differences cancel in the DiD.
    design : {"did", "cross_section"}, default "did"
        Difference-in-differences on unit-period means, or a post-only comparison.
    level : float, default 0.95
        Confidence level of the two-sided test (its significance level is 1 - level).
    power : float, default 0.8
        Power.

    Returns
    -------
    float
        The MDE in outcome units.

    Raises
    ------
    OptionError
        Out-of-range parameters.

    Notes
    -----
    Bloom (1995, 2005): :math:`MDE = M_{J-2}\sqrt{V}` with the multiplier
    :math:`M_{J-2} = t_{1-\alpha/2,J-2} + t_{power,J-2}` (about 2.8 for large J), with
    :math:`\alpha = 1 -` ``level``. The variance
    of one unit-period mean is :math:`\sigma^2[\rho + (1-\rho)/m]`. Cross-section:
    :math:`V = \sigma^2[\rho + (1-\rho)/m] / (P(1-P)J)`. DiD with k pre and r post periods
    (McKenzie 2012 for the unit-level part):
    :math:`V = \sigma^2[\rho(1-\phi) + (1-\rho)/m](1/k + 1/r) / (P(1-P)J)`.
    Example: 30 units, 4 treated, 300 respondents, ICC 0.05, SD 0.55 answer points (x 25 for
    converted IKM) gives the smallest change a DiD can tell from noise. With one treated unit
    the permutation test's smallest p-value is 1/J: with fewer than 20 units no 5% test exists.

    References
    ----------
    .. [1] Bloom, H. S. (1995). Evaluation Review, 19(5), 547-556.
    .. [2] Bloom, H. S. (2005). Randomizing groups to evaluate place-based programs.
    .. [3] McKenzie, D. (2012). Beyond baseline and follow-up. Journal of Development
           Economics, 99(2), 210-221.

    Examples
    --------
    >>> round(minimum_detectable_effect(n_units=10_000, respondents_per_unit=1, icc=0.0,
    ...                                 design="cross_section") / (2 / 10_000**0.5), 3)
    2.802
    """
    check_option("design", design, MDEDesign)
    check_level(level)
    checks = [
        (n_units >= 3, f"n_units must be at least 3, not {n_units}"),
        (0 < share_treated < 1, f"share_treated must be in (0, 1), not {share_treated}"),
        (respondents_per_unit >= 1, "respondents_per_unit must be at least 1"),
        (0 <= icc <= 1, f"icc must be in [0, 1], not {icc}"),
        (sd > 0, "sd must be positive"),
        (n_pre >= 1 and n_post >= 1, "n_pre and n_post must be at least 1"),
        (-1 < autocorrelation <= 1, "autocorrelation must be in (-1, 1]"),
        (0 < power < 1, f"power must be in (0, 1), not {power}"),
    ]
    for ok, message in checks:
        if not ok:
            raise OptionError(message)
    df = n_units - 2
    multiplier = t_critical(level, df) + stats.t.ppf(power, df)
    sampling = (1 - icc) / respondents_per_unit
    if design == "cross_section":
        var_unit = icc + sampling
    else:
        var_unit = (icc * (1 - autocorrelation) + sampling) * (1 / n_pre + 1 / n_post)
    var = sd**2 * var_unit / (share_treated * (1 - share_treated) * n_units)
    return float(multiplier * math.sqrt(var))
