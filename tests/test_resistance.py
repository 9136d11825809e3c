import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from asn_analysis import load_dataset
from asn_analysis import resistance as r
from asn_analysis.scales import ItemMap


@pytest.fixture(scope="module")
def scores():
    ds = load_dataset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = r.scale_scores(ds.staff_survey, ItemMap.from_frame(ds.survey_items), ds.employees)
    return out, ds.ground_truth["resistance"]


def test_drivers_recover_planted_coefficients(scores):
    data, truth = scores
    res = r.drivers(data)
    for term in ("transparency", "communication", "threat", "years_of_service"):
        low, high = res.table.loc[term, ["ci_low", "ci_high"]]
        assert low <= truth[f"b_{term}"] <= high, term
    assert res.n_clusters == 30
    assert res.n_obs + res.n_excluded == len(data)
    assert any("Few clusters" in n for n in res.notes)


def test_drivers_cluster_se_equals_hand_sandwich(scores):
    # Independent reference: the CR1 sandwich written out with numpy,
    # V = c (X'X)^-1 (sum_g X_g' u_g u_g' X_g) (X'X)^-1, c = G/(G-1) (N-1)/(N-K).
    data, _ = scores
    data = data.dropna(subset=["resistance", "transparency", "communication", "threat"])
    res = r.drivers(data, controls=("years_of_service",), time=None)
    X = np.column_stack(
        [np.ones(len(data))]
        + [
            data[c].to_numpy()
            for c in ("transparency", "communication", "threat", "years_of_service")
        ]
    )
    y = data["resistance"].to_numpy()
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    u = y - X @ beta
    bread = np.linalg.inv(X.T @ X)
    codes = pd.factorize(data["unit_id"])[0]
    meat = np.zeros((X.shape[1], X.shape[1]))
    for g in np.unique(codes):
        s = X[codes == g].T @ u[codes == g]
        meat += np.outer(s, s)
    n, k, G = X.shape[0], X.shape[1], codes.max() + 1
    V = G / (G - 1) * (n - 1) / (n - k) * bread @ meat @ bread
    np.testing.assert_allclose(res.table.loc["transparency", "coef"], beta[1], rtol=1e-10)
    np.testing.assert_allclose(res.table.loc["transparency", "se"], np.sqrt(V[1, 1]), rtol=1e-8)
    tcrit = stats.t.ppf(0.975, G - 1)
    np.testing.assert_allclose(
        res.table.loc["threat", "ci_high"], beta[3] + tcrit * np.sqrt(V[3, 3]), rtol=1e-8
    )


def test_standardized_coefficient_is_beta_times_sd_ratio(scores):
    data, _ = scores
    res = r.drivers(data)
    used = data.dropna(subset=["resistance", "transparency", "communication", "threat", "job_type"])
    expected = res.table.loc["threat", "coef"] * used["threat"].std() / used["resistance"].std()
    assert res.table.loc["threat", "std_coef"] == pytest.approx(expected, rel=1e-9)
    assert np.isnan(res.table.loc["Intercept", "std_coef"])


def test_summarize_by_matches_scipy_and_suppresses_small_groups():
    df = pd.DataFrame(
        {
            "g": ["a"] * 6 + ["b"] * 3,
            "resistance": [1.0, 2.0, 2.5, 3.0, 4.0, 3.5, 2.0, 3.0, 4.0],
        }
    )
    out = r.summarize_by(df, by="g").set_index("g")
    a = df.loc[df.g == "a", "resistance"]
    low, high = stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=stats.sem(a))
    assert out.loc["a", "ci_low"] == pytest.approx(low)
    assert out.loc["a", "ci_high"] == pytest.approx(high)
    assert bool(out.loc["b", "suppressed"]) and np.isnan(out.loc["b", "mean"])
    assert out.loc["b", "n"] == 3


def test_wave_change_matches_paired_t_test():
    rng = np.random.default_rng(1)
    ids = [f"e{i}" for i in range(40)]
    x0, x1 = rng.normal(3, 0.5, 40), rng.normal(2.8, 0.5, 40)
    df = pd.DataFrame(
        {
            "employee_id": ids + ids[:30] + ["new1", "new2"],
            "period": ["w1"] * 40 + ["w2"] * 32,
            "resistance": np.r_[x0, x1[:30], 3.0, 3.1],
        }
    )
    out = r.wave_change(df, before="w1", after="w2", scales=("resistance",)).loc["resistance"]
    ref = stats.ttest_rel(x1[:30], x0[:30])
    assert out["n_pairs"] == 30 and out["n_before_only"] == 10 and out["n_after_only"] == 2
    assert out["diff"] == pytest.approx((x1[:30] - x0[:30]).mean())
    assert out["pvalue"] == pytest.approx(ref.pvalue)


def test_bad_input(scores):
    data, _ = scores
    with pytest.raises(r.ResistanceInputError, match="no column 'nope'"):
        r.drivers(data, predictors=("nope",))
    with pytest.raises(r.ResistanceInputError, match="1 cluster"):
        r.drivers(data[data["unit_id"] == "U01"])
    with pytest.raises(r.ResistanceInputError, match="constant"):
        r.drivers(data.assign(threat=3.0))
    with pytest.raises(r.ResistanceInputError, match="no wave"):
        r.wave_change(data, before="2019-S1", after="2025-S1")


def _drivers_reference(scores, *, controls=("job_type", "years_of_service"), time="period"):
    """Before issue 15: both fits from the formula on the text columns, BLAS as configured."""
    import statsmodels.formula.api as smf

    predictors = list(r.DRIVERS)
    needed = ["resistance", *predictors, *controls, "unit_id"] + ([time] if time else [])
    data = scores[needed].dropna()
    numeric = [c for c in [*predictors, *controls] if pd.api.types.is_numeric_dtype(data[c])]
    terms = [c if c in numeric else f"C({c})" for c in [*predictors, *controls]]
    formula = "resistance ~ " + " + ".join(terms + ([f"C({time})"] if time else []))
    kw = {"cov_type": "cluster", "cov_kwds": {"groups": pd.factorize(data["unit_id"])[0]}}
    fit = smf.ols(formula, data=data).fit(use_t=True, **kw)
    z = data.copy()
    for c in ["resistance", *numeric]:
        z[c] = (z[c] - z[c].mean()) / z[c].std(ddof=1)
    std = smf.ols(formula, data=z).fit(use_t=True, **kw).params
    ci = fit.conf_int(alpha=0.05)
    return pd.DataFrame(
        {
            "coef": fit.params,
            "se": fit.bse,
            "t": fit.tvalues,
            "pvalue": fit.pvalues,
            "ci_low": ci[0],
            "ci_high": ci[1],
            "std_coef": std.where(std.index.isin(numeric)),
        }
    ).rename_axis("term")


@pytest.mark.parametrize(
    "controls, time",
    [
        (("job_type", "years_of_service"), "period"),  # the bundled call
        (("status", "years_of_service"), None),
        (("job_type", "senior"), "period"),  # a true/false control: the formula refit
        (("job_type", "mixed"), "wave_year"),  # levels of mixed types; a numeric wave
    ],
)
def test_drivers_equal_the_formula_fits_to_the_last_digit(scores, controls, time):
    # Text levels handed to patsy as categoricals, the standardised design reused and one BLAS
    # thread (issue 15) leave every number as the two formula fits gave it.
    data, _ = scores
    data = data.assign(
        senior=data["years_of_service"] > 15,
        mixed=pd.Series(["old", 1], dtype=object).iloc[(data["years_of_service"] > 20) * 1].array,
        wave_year=data["period"].str[:4].astype(int),
    )
    got = r.drivers(data, controls=controls, time=time).table
    expected = _drivers_reference(data, controls=controls, time=time)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
