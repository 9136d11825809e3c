"""The fast paths of the score bootstrap equal the straightforward implementation they replace.

The straightforward code is kept here as the reference: the ordered-logit Hessian by dense
products and ``np.add.at``, the Hessian of each cluster computed on its rows, the cluster score
sums by ``np.add.at`` and the draws of the score bootstrap in k dimensions. The fast paths
(:class:`asn_analysis.stats.gram.WeightedGram`, ``OrderedLogit.hessian_blocks`` /
``score_blocks``, the logit's blocks, the G x G form of the draws) are compared with them on
random small inputs, with ties, empty groups, a group of one row, one group and NaN weights.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import statsmodels.api as sm

from asn_analysis.stats.bootstrap import ScoreBootstrap, boot_weights
from asn_analysis.stats.gram import WeightedGram
from asn_analysis.stats.mestimation import (
    MEstimator,
    OrderedLogit,
    logit_estimator,
    maximize,
    ols_estimator,
)

RTOL = 1e-10


# ------------------------------------------------------------------------------ references
def _reference_ordered_hessian(model: OrderedLogit, params: np.ndarray, rows=None) -> np.ndarray:
    """The ordered-logit Hessian as it was computed before the fast path (dense, np.add.at)."""
    k = model.k_vars
    theta = params[k:]
    cuts = np.concatenate([theta[:1], theta[0] + np.cumsum(np.exp(theta[1:]))])
    x = model.exog if rows is None else model.exog[rows]
    y = np.asarray(model.endog, dtype=np.intp)
    y = y if rows is None else y[rows]
    eta = x @ params[:k]
    ext = np.concatenate([[-np.inf], cuts, [np.inf]])
    f_up = 1.0 / (1.0 + np.exp(-(ext[y + 1] - eta)))
    f_lo = 1.0 / (1.0 + np.exp(-(ext[y] - eta)))
    prob = np.maximum(f_up - f_lo, 1e-300)
    n_cut, n = len(cuts), len(y)
    d_up, d_lo = f_up * (1 - f_up), f_lo * (1 - f_lo)
    g_up, g_lo = d_up / prob, d_lo / prob
    a = d_up * (1 - 2 * f_up) / prob - g_up**2
    b = -d_lo * (1 - 2 * f_lo) / prob - g_lo**2
    c = g_up * g_lo
    idx = np.arange(n)
    up, lo = y < n_cut, y > 0
    h_bb = (x * (a + b + 2 * c)[:, None]).T @ x
    w = np.zeros((n, n_cut))
    w[idx[up], y[up]] += (a + c)[up]
    w[idx[lo], y[lo] - 1] += (b + c)[lo]
    h_bc = -x.T @ w
    h_cc = np.zeros((n_cut, n_cut))
    np.add.at(h_cc, (y[up], y[up]), a[up])
    np.add.at(h_cc, (y[lo] - 1, y[lo] - 1), b[lo])
    both = up & lo
    np.add.at(h_cc, (y[both], y[both] - 1), c[both])
    np.add.at(h_cc, (y[both] - 1, y[both]), c[both])
    jac = np.zeros((n_cut, n_cut))
    jac[:, 0] = 1.0
    for m in range(1, n_cut):
        jac[m:, m] = np.exp(theta[m])
    cut_scores = np.zeros((n, n_cut))
    cut_scores[idx[up], y[up]] += g_up[up]
    cut_scores[idx[lo], y[lo] - 1] -= g_lo[lo]
    grad_cut = cut_scores.sum(axis=0)
    curvature = np.zeros(n_cut)
    for m in range(1, n_cut):
        curvature[m] = grad_cut[m:].sum() * np.exp(theta[m])
    hess = np.zeros((k + n_cut, k + n_cut))
    hess[:k, :k] = h_bb
    hess[:k, k:] = h_bc @ jac
    hess[k:, :k] = hess[:k, k:].T
    hess[k:, k:] = jac.T @ h_cc @ jac + np.diag(curvature)
    return hess


def _plain(est: MEstimator) -> MEstimator:
    """The estimator without its block functions: every fast path falls back on the plain one."""
    return dataclasses.replace(est, hessian_blocks=None, score_blocks=None)


class _ReferenceBootstrap(ScoreBootstrap):
    """ScoreBootstrap.tstats as it was: cluster Hessians one by one, np.add.at, k-dim draws."""

    def tstats(self, b0: float):
        theta = maximize(self.est, self._warm, self.j, b0)
        self._warm = theta
        sums = np.zeros((self.g, len(theta)))
        np.add.at(sums, self.codes, self.est.score_obs(theta))
        h_g = np.stack(
            [self.est.hessian(theta, np.flatnonzero(self.codes == g)) for g in range(self.g)]
        )
        a_mat = np.linalg.inv(-h_g.sum(axis=0))
        a = a_mat[self.j]
        u, m = sums @ a, h_g @ a
        delta = (self.v @ sums) @ a_mat
        q = self.v * u[None, :] + delta @ m.T
        with np.errstate(divide="ignore", invalid="ignore"):
            t_star = delta[:, self.j] / np.sqrt(self.g / (self.g - 1) * (q**2).sum(axis=1))
        t0 = (self.params[self.j] - b0) / self.se0
        return t0, np.where(np.isnan(t_star), np.inf, t_star)


# ---------------------------------------------------------------------------------- inputs
def _design(rng: np.random.Generator, n: int, *, dense: bool = False) -> np.ndarray:
    """A slope, a binary column and two sets of indicators (sparse), or a dense design."""
    if dense:
        return rng.normal(size=(n, 3))
    a, b = rng.integers(0, 4, n), rng.integers(0, 6, n)
    cols = [rng.normal(size=n), rng.integers(0, 2, n).astype(float)]
    cols += [(a == i).astype(float) for i in range(1, 4)]
    cols += [(b == i).astype(float) for i in range(1, 6)]
    return np.column_stack(cols)


def _ordered_case(
    seed: int, n: int, *, dense: bool = False, ties: bool = False, cuts=(-0.7, 0.2, 1.0)
):
    rng = np.random.default_rng(seed)
    x = _design(rng, n, dense=dense)
    if ties:  # repeated rows
        x[n // 2 :] = x[: n - n // 2]
    eta = 0.6 * x[:, 0] - 0.3 * x[:, 1]
    y = np.searchsorted(cuts, eta + rng.logistic(size=n)).astype(float)
    model = OrderedLogit(y, x)
    theta = [-0.7, -0.1, -0.2][: len(cuts)]
    params = np.concatenate([rng.normal(0, 0.3, x.shape[1]), theta])
    return model, params


CASES = [
    {"seed": 0, "n": 300},
    {"seed": 1, "n": 120, "dense": True},
    {"seed": 2, "n": 200, "ties": True},
    {"seed": 3, "n": 60},
    {"seed": 4, "n": 150, "cuts": (0.1,)},  # two categories: one cut point
    {"seed": 5, "n": 150, "dense": True, "cuts": (0.1,)},
]


# ------------------------------------------------------------------------------------ tests
@pytest.mark.parametrize("case", CASES)
def test_weighted_gram_matches_dense_products(case):
    rng = np.random.default_rng(case["seed"])
    x = _design(rng, case["n"], dense=case.get("dense", False))
    gram = WeightedGram(x)
    entries = rng.normal(size=(len(x), 2))
    columns = rng.integers(0, 3, (len(x), 2))
    assert gram.sparse is not case.get("dense", False)
    w = rng.normal(size=len(x))
    w[::7] = 0.0
    groups = rng.integers(0, 5, len(x))
    groups[groups == 3] = 4  # group 3 empty
    groups[0] = 3  # ... but for one row
    groups[groups == 2] = 1  # group 2 empty
    np.testing.assert_allclose(gram.gram(w), (x * w[:, None]).T @ x, rtol=RTOL, atol=1e-12)
    blocks = gram.gram_blocks(w, groups, 6)
    wide = rng.normal(size=(len(x), 3))
    cross = gram.cross_blocks(wide, groups, 6)
    for g in range(6):
        xg = x[groups == g]
        np.testing.assert_allclose(blocks[g], (xg * w[groups == g, None]).T @ xg, atol=1e-12)
        np.testing.assert_allclose(cross[g], xg.T @ wide[groups == g], atol=1e-12)
    for cols in (columns, columns[::-1], columns):  # kept cells must follow new columns
        dense_w = np.zeros((len(x), 3))
        for e in range(2):
            np.add.at(dense_w, (np.arange(len(x)), cols[:, e]), entries[:, e])
        np.testing.assert_allclose(
            gram.cross_entries(entries, cols, 3, groups, 6),
            gram.cross_blocks(dense_w, groups, 6),
            atol=1e-12,
        )
    assert not blocks[2].any() and not blocks[5].any()
    w[3] = np.nan  # NaN propagates to the entries of that row's non-zeros, as in the product
    assert np.array_equal(np.isnan(gram.gram(w)), np.isnan((x * w[:, None]).T @ x))


@pytest.mark.parametrize("case", CASES)
def test_ordered_logit_hessians_match_reference(case):
    model, params = _ordered_case(**case)
    n = len(model.endog)
    ref = _reference_ordered_hessian(model, params)
    np.testing.assert_allclose(model.hessian(params), ref, rtol=RTOL, atol=1e-10)
    rows = np.flatnonzero(np.arange(n) % 3 == 0)
    np.testing.assert_allclose(
        model.hessian(params, rows),
        _reference_ordered_hessian(model, params, rows),
        rtol=RTOL,
        atol=1e-10,
    )
    codes = np.random.default_rng(case["seed"]).integers(0, 4, n)
    codes[codes == 2] = 0  # an empty cluster
    blocks = model.hessian_blocks(params, codes, 4)
    for g in range(4):
        want = _reference_ordered_hessian(model, params, np.flatnonzero(codes == g))
        np.testing.assert_allclose(blocks[g], want, rtol=RTOL, atol=1e-10)
    assert not blocks[2].any()
    sums = np.zeros((4, len(params)))
    np.add.at(sums, codes, model.score_obs(params))
    np.testing.assert_allclose(model.score_blocks(params, codes, 4), sums, rtol=RTOL, atol=1e-10)
    est = model.m_estimator()
    np.testing.assert_allclose(
        est.gradient(params), model.score_obs(params).sum(axis=0), rtol=RTOL, atol=1e-10
    )


def test_logit_blocks_match_reference():
    rng = np.random.default_rng(7)
    x = np.column_stack([np.ones(250), _design(rng, 250)])
    y = (x[:, 1] + rng.logistic(size=250) > 0).astype(float)
    logit = sm.Logit(y, x)
    est = logit_estimator(logit)
    params = rng.normal(0, 0.3, x.shape[1])
    codes = rng.integers(0, 6, 250)
    np.testing.assert_allclose(est.hessian(params, None), logit.hessian(params), rtol=RTOL)
    blocks = est.group_hessians(params, codes, 6)
    plain = _plain(est).group_hessians(params, codes, 6)
    np.testing.assert_allclose(blocks, plain, rtol=RTOL, atol=1e-12)
    sums = np.zeros((6, x.shape[1]))
    np.add.at(sums, codes, logit.score_obs(params))
    np.testing.assert_allclose(est.group_scores(params, codes, 6), sums, rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(est.gradient(params), logit.score(params), rtol=RTOL, atol=1e-12)


def _bootstrap_cases():
    rng = np.random.default_rng(11)
    for n, g, dense, ties in [
        (300, 8, False, False),
        (120, 5, True, False),
        (200, 12, False, True),
    ]:
        model, _ = _ordered_case(int(rng.integers(100)), n, dense=dense, ties=ties)
        codes = rng.integers(0, g, n)
        codes[:g] = np.arange(g)
        codes[codes == g - 1] = 0
        codes[g - 1] = g - 1  # a cluster of one row
        est = model.m_estimator()
        start = np.concatenate([np.zeros(model.k_vars), [-0.7, -0.1, -0.2]])
        yield est, maximize(est, start), codes, g


@pytest.mark.parametrize("index", range(3))
def test_score_bootstrap_matches_reference(index):
    est, params, codes, g = list(_bootstrap_cases())[index]
    for weights, n_boot in (("rademacher", 999), ("webb", 199)):
        v, _ = boot_weights(weights, g, n_boot, seed=index)
        fast = ScoreBootstrap(est, params, 0, codes, g, v)
        ref = _ReferenceBootstrap(_plain(est), params, 0, codes, g, v)
        for b0 in (0.0, float(params[0]) + 0.1, -1.0):
            t0, t_fast = fast.tstats(b0)
            r0, t_ref = ref.tstats(b0)
            assert t0 == r0
            np.testing.assert_allclose(t_fast, t_ref, rtol=1e-9)
        assert fast.pvalue(0.0) == ref.pvalue(0.0)
        np.testing.assert_allclose(fast.ci(0.9), ref.ci(0.9), rtol=1e-9)


def test_score_bootstrap_ols_and_logit_match_reference():
    rng = np.random.default_rng(3)
    n, g = 90, 9
    codes = np.repeat(np.arange(g), n // g)
    x = np.column_stack([np.ones(n), rng.normal(size=n), rng.integers(0, 2, n)])
    y = x @ [0.2, 0.5, -0.3] + rng.normal(size=g)[codes] + rng.normal(size=n)
    v, _ = boot_weights("rademacher", g, 999, seed=1)
    ols = ols_estimator(y, x)
    params = np.linalg.lstsq(x, y, rcond=None)[0]
    yb = (y > np.median(y)).astype(float)
    logit = sm.Logit(yb, x)
    pl = np.asarray(logit.fit(disp=False, method="newton").params)
    for est, p in ((ols, params), (logit_estimator(logit), pl)):
        fast = ScoreBootstrap(est, p, 1, codes, g, v)
        ref = _ReferenceBootstrap(_plain(est), p, 1, codes, g, v)
        np.testing.assert_allclose(fast.tstats(0.1)[1], ref.tstats(0.1)[1], rtol=1e-9)
        assert fast.pvalue(0.0) == ref.pvalue(0.0)
        np.testing.assert_allclose(fast.ci(0.9), ref.ci(0.9), rtol=1e-9)


def test_nan_weights_spread_as_in_the_dense_product():
    rng = np.random.default_rng(4)
    x = _design(rng, 80)
    gram = WeightedGram(x)
    w = rng.normal(size=80)
    w[3] = np.nan
    groups = rng.integers(0, 3, 80)
    dense = (x * w[:, None]).T @ x
    assert np.isnan(dense).all()  # NaN x 0 is NaN: the whole row, hence every entry
    np.testing.assert_array_equal(np.isnan(gram.gram(w)), np.isnan(dense))
    for g, block in enumerate(gram.gram_blocks(w, groups, 3)):
        xg = x[groups == g]
        want = (xg * w[groups == g, None]).T @ xg
        np.testing.assert_allclose(block, want, rtol=RTOL)  # NaN where the reference has NaN


def test_one_cluster_refused_as_before():
    x = np.column_stack([np.ones(4), [0.0, 1.0, 2.0, 4.0]])
    est = ols_estimator(np.array([1.0, -1.0, 2.0, 3.0]), x)
    v, _ = boot_weights("rademacher", 1, 99, seed=0)
    with pytest.raises(Exception, match="cluster") as fast_err:
        ScoreBootstrap(est, np.zeros(2), 1, np.zeros(4, dtype=int), 1, v)
    with pytest.raises(Exception, match="cluster") as ref_err:
        _ReferenceBootstrap(_plain(est), np.zeros(2), 1, np.zeros(4, dtype=int), 1, v)
    assert str(fast_err.value) == str(ref_err.value)
