"""The shared statistics of asn_analysis.stats: the two forms of the wild cluster bootstrap agree.

``WildClusterBootstrap`` is the closed form of the WCR bootstrap for linear models with absorbed
fixed effects (per-cluster sums, O(B x G) per null); ``ScoreBootstrap`` is the score form for any
smooth M-estimator (Kline & Santos 2012), which for OLS is the same test. Both are checked against
wildboottest elsewhere (tests/test_effects.py, tests/test_competency.py); here they are checked
against each other, so the two implementations cannot drift apart.
"""

import math

import numpy as np
import pytest

from asn_analysis.stats.bootstrap import (
    ScoreBootstrap,
    WildClusterBootstrap,
    boot_weights,
    nonnested_dummies,
)
from asn_analysis.stats.mestimation import ols_estimator
from asn_analysis.stats.ols import fe_codes, fe_ols


@pytest.mark.parametrize("weights", ["rademacher", "webb"])
def test_wcr_closed_form_and_score_form_are_the_same_test(weights):
    rng = np.random.default_rng(3)
    g, m = 10, 6
    unit = np.repeat(np.arange(g), m)
    x1 = rng.normal(size=g * m) + rng.normal(size=g)[unit]
    y = 0.3 * x1 + rng.normal(size=g)[unit] + rng.normal(size=g * m)
    clusters = fe_codes(unit)[0]
    fit = fe_ols(y, x1[:, None], ["x1"], [], clusters)
    wcr = WildClusterBootstrap(fit, 0, nonnested_dummies(fit))
    v, _ = boot_weights(weights, g, 999, seed=0)
    x = np.column_stack([x1, np.ones_like(x1)])
    params = np.linalg.lstsq(x, y, rcond=None)[0]
    score = ScoreBootstrap(ols_estimator(y, x), params, 0, clusters, g, v)
    factor = math.sqrt(g / (g - 1))  # the score form's CR1 factor G/(G-1) on the variance
    for b0 in (-0.2, 0.0, 0.1, 0.3, 0.5, 0.8):
        t0_wcr, t_wcr = wcr.tstats(b0, v)
        t0_score, t_score = score.tstats(b0)
        assert t0_wcr == pytest.approx(factor * t0_score, rel=1e-9)
        np.testing.assert_allclose(t_wcr, factor * t_score, rtol=1e-8)
        assert wcr.pvalue(b0, v) == score.pvalue(b0)
