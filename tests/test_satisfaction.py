"""Tests for asn_analysis.satisfaction (IKM / SKM, PermenPANRB No. 14 Tahun 2017).

Reference numbers are computed by hand (fractions written out next to them) or by an independent
implementation written in the test (scipy.stats.ttest_ind, finite differences, a plain loop).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from asn_analysis.errors import OptionError
from asn_analysis.satisfaction import (
    ALIASES,
    CATEGORIES,
    ELEMENT_LABELS,
    ELEMENTS,
    SatisfactionInputError,
    element_change,
    ikm,
    ikm_ci,
    kinerja,
    krejcie_morgan,
    mutu,
    sample_adequacy,
    weakest_elements,
)
from asn_analysis.satisfaction.ci import _bootstrap_ikm
from asn_analysis.satisfaction.inputs import prepare

NAN = np.nan

# Six respondents x nine elements (ELEMENTS order), blanks as NaN. Worked by hand:
#   persyaratan 3+4+3+3+4+3 = 20 / 6       prosedur 3+3+2+3+3+3 = 17 / 6
#   waktu       2+3+2+3+_+2 = 12 / 5 = 2.4 biaya    4+4+4+4+4+_ = 20 / 5 = 4.0
#   produk      3+3+3+4+3+3 = 19 / 6       kompetensi 3+4+3+3+3+4 = 20 / 6
#   perilaku    3+4+3+3+4+3 = 20 / 6       pengaduan 2+3+_+2+3+3 = 13 / 5 = 2.6
#   sarana      3+3+2+3+3+2 = 16 / 6
# Sum of NRR = (20+17+19+20+20+16)/6 + 12/5 + 13/5 + 4 = 112/6 + 5 + 4 = 83/3 = 27.6667
# Exact weight 1/9: IKM = 83/27 = 3.074074..., converted = 2075/27 = 76.851852 -> 76.85: B, Baik
# Weight 0.111:     IKM = 83/3 * 0.111 = 3.071,  converted = 76.775 -> 76.78 (half up): B, Baik
HAND = np.array(
    [
        [3, 3, 2, 4, 3, 3, 3, 2, 3],
        [4, 3, 3, 4, 3, 4, 4, 3, 3],
        [3, 2, 2, 4, 3, 3, 3, NAN, 2],
        [3, 3, 3, 4, 4, 3, 3, 2, 3],
        [4, 3, NAN, 4, 3, 3, 4, 3, 3],
        [3, 3, 2, NAN, 3, 4, 3, 3, 2],
    ]
)
HAND_NRR = [20 / 6, 17 / 6, 12 / 5, 4.0, 19 / 6, 20 / 6, 20 / 6, 13 / 5, 16 / 6]


def frame(answers: np.ndarray, **extra: object) -> pd.DataFrame:
    data = {key: answers[:, j] for j, key in enumerate(ELEMENTS)}
    return pd.DataFrame({**extra, **data})


def hand_frame() -> pd.DataFrame:
    return frame(HAND, response_id=[f"R{i}" for i in range(1, 7)], unit_id="U1", period="2024-S1")


# --------------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------------


def test_constants_follow_the_regulation():
    assert ELEMENTS == (
        "persyaratan",
        "prosedur",
        "waktu",
        "biaya",
        "produk",
        "kompetensi",
        "perilaku",
        "pengaduan",
        "sarana",
    )
    assert set(ELEMENT_LABELS) == set(ELEMENTS)
    assert ELEMENT_LABELS["pengaduan"] == "Penanganan Pengaduan, Saran dan Masukan"
    assert set(ALIASES.values()) <= set(ELEMENTS)
    assert ALIASES["tarif"] == "biaya"
    assert [(c.mutu, c.kinerja, c.lower, c.upper) for c in CATEGORIES] == [
        ("A", "Sangat Baik", 88.31, 100.00),
        ("B", "Baik", 76.61, 88.30),
        ("C", "Kurang Baik", 65.00, 76.60),
        ("D", "Tidak Baik", 25.00, 64.99),
    ]


# --------------------------------------------------------------------------------------------
# IKM: hand-computed examples
# --------------------------------------------------------------------------------------------


def test_ikm_hand_example_exact_weight():
    out = ikm(hand_frame())
    assert out.columns.tolist() == [
        "n",
        *[f"nrr_{key}" for key in ELEMENTS],
        "ikm",
        "ikm_converted",
        "mutu",
        "kinerja",
    ]
    row = out.iloc[0]
    assert row["n"] == 6
    np.testing.assert_allclose(row[[f"nrr_{k}" for k in ELEMENTS]].to_numpy(float), HAND_NRR)
    assert row["ikm"] == pytest.approx(83 / 27, rel=1e-14)
    assert row["ikm_converted"] == pytest.approx(2075 / 27, rel=1e-14)
    assert (row["mutu"], row["kinerja"]) == ("B", "Baik")


def test_ikm_hand_example_spreadsheet_weight():
    row = ikm(hand_frame(), weight=0.111).iloc[0]
    assert row["ikm"] == pytest.approx(3.071, rel=1e-12)
    assert row["ikm_converted"] == pytest.approx(76.775, rel=1e-12)  # stored, not rounded
    assert (row["mutu"], row["kinerja"]) == ("B", "Baik")


def test_weight_0111_changes_first_decimal_and_category():
    # Five respondents: four give eight 3s and one 4 (in persyaratan, prosedur, waktu, biaya),
    # one gives eight 3s and a 2 in sarana. NRR: 3.2 x 4, 3.0 x 4, sarana 14/5 = 2.8; sum 27.6.
    # exact: 27.6 / 9 * 25 = 76.6667 -> B Baik; 0.111: 27.6 * 0.111 * 25 = 76.59 -> C Kurang Baik.
    answers = np.full((5, 9), 3.0)
    for i in range(4):
        answers[i, i] = 4
    answers[4, 8] = 2
    df = frame(answers)
    exact = ikm(df).iloc[0]
    printed = ikm(df, weight=0.111).iloc[0]
    assert exact["ikm_converted"] == pytest.approx(27.6 / 9 * 25, rel=1e-14)
    assert printed["ikm_converted"] == pytest.approx(76.59, rel=1e-12)
    assert int(exact["ikm_converted"] * 10) % 10 == 6
    assert int(printed["ikm_converted"] * 10) % 10 == 5
    assert (exact["mutu"], exact["kinerja"]) == ("B", "Baik")
    assert (printed["mutu"], printed["kinerja"]) == ("C", "Kurang Baik")


def test_ikm_by_groups_sorted_and_counts():
    df = pd.concat(
        [
            hand_frame().assign(unit_id="U2"),
            frame(np.full((3, 9), 4.0), unit_id="U1", period="2024-S1"),
            frame(np.full((2, 9), 1.0), unit_id="U1", period="2023-S2"),
        ],
        ignore_index=True,
    )
    out = ikm(df, by=["unit_id", "period"])
    assert out[["unit_id", "period", "n"]].values.tolist() == [
        ["U1", "2023-S2", 2],
        ["U1", "2024-S1", 3],
        ["U2", "2024-S1", 6],
    ]
    assert out["ikm_converted"].tolist()[:2] == [25.0, 100.0]  # exact ends of the scale
    assert out["mutu"].tolist() == ["D", "A", "B"]
    assert out["ikm_converted"].iloc[2] == pytest.approx(2075 / 27, rel=1e-14)
    # same as a per-group call
    single = ikm(df[df.unit_id == "U2"])
    assert out["ikm"].iloc[2] == single["ikm"].iloc[0]


def test_categorical_keys_keep_dtype_and_drop_unobserved():
    df = hand_frame()
    df["unit_id"] = pd.Categorical(
        ["U2", "U1", "U2", "U1", "U2", "U1"], categories=["U2", "U1", "U9"]
    )
    out = ikm(df, by="unit_id")
    assert isinstance(out["unit_id"].dtype, pd.CategoricalDtype)
    assert out["unit_id"].tolist() == ["U2", "U1"]  # category order, U9 unobserved
    assert out["n"].tolist() == [3, 3]


def test_aliases_case_and_shuffled_columns_give_identical_results():
    df = hand_frame()
    reference = ikm(df, by="unit_id")
    rename = {
        "prosedur": "Sistem Mekanisme Prosedur",
        "biaya": "TARIF",
        "sarana": "sarana-prasarana",
    }
    rename.update({"waktu": "waktu_penyelesaian", "perilaku": " Perilaku_Pelaksana "})
    aliased = df.rename(columns=rename)
    rng = np.random.default_rng(3)
    shuffled = aliased[list(rng.permutation(aliased.columns))]
    pd.testing.assert_frame_equal(ikm(shuffled, by="unit_id"), reference, check_exact=True)


def test_elements_mapping_and_subset():
    df = hand_frame()
    positional = df.rename(columns={key: f"U{j + 1}" for j, key in enumerate(ELEMENTS)})
    mapping = {f"U{j + 1}": key for j, key in enumerate(ELEMENTS)}
    pd.testing.assert_frame_equal(ikm(positional, elements=mapping), ikm(df), check_exact=True)
    # columns U1..U9 are never guessed by position
    with pytest.raises(SatisfactionInputError, match="no element column"):
        ikm(positional)
    # subset of k = 3: exact weight 1/3 -> (20/6 + 12/5 + 16/6) / 3 = 8.4 / 3 = 2.8 -> 70.0, C
    sub = ikm(df, elements=["persyaratan", "waktu_penyelesaian", "sarana"]).iloc[0]
    assert [c for c in sub.index if c.startswith("nrr_")] == [
        "nrr_persyaratan",
        "nrr_waktu",
        "nrr_sarana",
    ]
    assert sub["ikm"] == pytest.approx(2.8, rel=1e-14)
    assert sub["ikm_converted"] == pytest.approx(70.0, rel=1e-14)
    assert sub["mutu"] == "C"


def test_on_empty_nan_option():
    df = hand_frame()
    df.loc[df.index[:3], "unit_id"] = "U0"
    df.loc[df.index[:3], "waktu"] = NAN
    with pytest.raises(SatisfactionInputError, match=r"unit_id='U0'.*'waktu'"):
        ikm(df, by="unit_id")
    out = ikm(df, by="unit_id", on_empty="nan")
    assert np.isnan(out["nrr_waktu"].iloc[0]) and np.isnan(out["ikm_converted"].iloc[0])
    assert pd.isna(out["mutu"].iloc[0]) and pd.isna(out["kinerja"].iloc[0])
    assert out["mutu"].iloc[1] in {"A", "B", "C", "D"}


def test_spreadsheet_weight_below_25_is_band_d():
    # all answers 1 with weight 0.111: 9 * 0.111 * 25 = 24.975, attainable, hence band D
    out = ikm(frame(np.ones((3, 9))), weight=0.111).iloc[0]
    assert out["ikm_converted"] == pytest.approx(24.975)
    assert out["mutu"] == "D"


def test_integer_nullable_and_string_answer_columns():
    df = hand_frame()
    reference = ikm(df)
    other = df.copy()
    other["waktu"] = pd.array([2, 3, 2, 3, None, 2], dtype="Int64")
    other["biaya"] = pd.Series(["4", "4", " 4 ", "4", "4", ""], dtype="str")
    other["produk"] = df["produk"].astype(np.int64)
    pd.testing.assert_frame_equal(ikm(other), reference, check_exact=True)


# --------------------------------------------------------------------------------------------
# Categories
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "grade", "label"),
    [
        (25.0, "D", "Tidak Baik"),
        (64.99, "D", "Tidak Baik"),
        (64.994, "D", "Tidak Baik"),
        (64.995, "C", "Kurang Baik"),  # rounds half up to 65.00
        (65.00, "C", "Kurang Baik"),
        (76.60, "C", "Kurang Baik"),
        (76.61, "B", "Baik"),
        (76.0, "C", "Kurang Baik"),  # the wrong 76.00 cut seen in calculators
        (88.30, "B", "Baik"),
        (88.3049, "B", "Baik"),
        (88.305, "A", "Sangat Baik"),  # 88.305 -> 88.31 as spreadsheet ROUND, not 88.30
        (88.31, "A", "Sangat Baik"),
        # binary noise: 76.6 + 0.005 is stored as 76.60499999999999; a spreadsheet shows 76.61
        (76.6 + 0.005, "B", "Baik"),
        (64.99 + 0.005, "C", "Kurang Baik"),
        (100.0, "A", "Sangat Baik"),
        (81.25, "B", "Baik"),  # 2004 cut point, irrelevant here
    ],
)
def test_category_boundaries(value, grade, label):
    assert mutu(value) == grade
    assert kinerja(value) == label


def test_category_shapes_and_nan():
    s = pd.Series([70.0, NAN, 90.0], index=["a", "b", "c"], name="x")
    out = mutu(s)
    assert out.index.tolist() == ["a", "b", "c"]
    assert out.iloc[0] == "C" and pd.isna(out.iloc[1]) and out.iloc[2] == "A"
    arr = kinerja(np.array([[70.0, 80.0], [NAN, 99.0]]))
    assert arr.shape == (2, 2)
    assert arr.tolist() == [["Kurang Baik", "Baik"], [None, "Sangat Baik"]]
    assert mutu(NAN) is None and mutu(None) is None
    with pytest.raises(SatisfactionInputError, match="'s'.*not numbers.*'x'"):
        mutu(pd.Series([80.0, "x"], name="s"))
    with pytest.raises(SatisfactionInputError, match="not a number"):
        kinerja("80")


@pytest.mark.parametrize("value", [24.99, 100.01, -1.0, np.inf])
def test_category_out_of_range(value):
    with pytest.raises(SatisfactionInputError, match="outside 25-100"):
        mutu(value)
    with pytest.raises(SatisfactionInputError, match="Series 'score'"):
        kinerja(pd.Series([80.0, value], name="score"))


# --------------------------------------------------------------------------------------------
# Krejcie & Morgan
# --------------------------------------------------------------------------------------------

# Published table (Krejcie & Morgan 1970, Table 1)
KM_TABLE = {
    15: 14,
    20: 19,
    25: 24,
    30: 28,
    50: 44,
    100: 80,
    220: 140,
    250: 152,
    300: 169,
    1200: 291,
    1500: 306,
    1900: 320,
    2000: 322,
    2200: 327,
    1_000_000: 384,
}


@pytest.mark.parametrize(("population", "sample"), sorted(KM_TABLE.items()))
def test_krejcie_morgan_table(population, sample):
    result = krejcie_morgan(population)
    assert result == sample and isinstance(result, int)


def test_krejcie_morgan_arrays_and_series():
    pops = np.array(list(KM_TABLE))
    np.testing.assert_array_equal(krejcie_morgan(pops), list(KM_TABLE.values()))
    s = pd.Series([15, 300], index=["U1", "U2"])
    out = krejcie_morgan(s)
    assert out.to_dict() == {"U1": 14, "U2": 169}
    assert krejcie_morgan(1) == 1


@pytest.mark.parametrize("bad", [0, -5, 0.5, 10.5, NAN])
def test_krejcie_morgan_rejects_bad_population(bad):
    with pytest.raises(SatisfactionInputError, match="population"):
        krejcie_morgan(bad)
    with pytest.raises(SatisfactionInputError, match="index \\['b'\\]"):
        krejcie_morgan(pd.Series([100, bad], index=["a", "b"]))


# --------------------------------------------------------------------------------------------
# Bad input: every problem raises SatisfactionInputError naming the column
# --------------------------------------------------------------------------------------------


def with_value(column: str, value: object, row: int = 2) -> pd.DataFrame:
    df = hand_frame()
    df[column] = df[column].astype(object)
    df.loc[row, column] = value
    return df


@pytest.mark.parametrize(
    ("df", "needles"),
    [
        (with_value("waktu", 5), ["'waktu'", "index [2]", "[5]"]),
        (with_value("waktu", 0), ["'waktu'", "[0]"]),
        (with_value("sarana", 2.5), ["'sarana'", "2.5"]),
        (with_value("biaya", "baik"), ["'biaya'", "'baik'", "not numbers"]),
        (with_value("produk", True).assign(produk=True), ["'produk'", "true/false"]),
        (hand_frame().assign(tarif=4), ["'biaya'", "'tarif'", "element 'biaya'"]),
        (pd.concat([hand_frame(), hand_frame()[["waktu"]]], axis=1), ["'waktu', 'waktu'"]),
        (hand_frame().drop(columns=list(ELEMENTS)), ["no element column"]),
        (hand_frame().iloc[0:0], ["no rows"]),
    ],
)
def test_bad_answers_and_columns(df, needles):
    with pytest.raises(SatisfactionInputError) as info:
        ikm(df)
    for needle in needles:
        assert needle in str(info.value)


def test_bad_element_options():
    df = hand_frame()
    with pytest.raises(SatisfactionInputError, match="'harga'"):
        ikm(df, elements=["waktu", "harga"])
    with pytest.raises(SatisfactionInputError, match="'U1'"):
        ikm(df, elements={"U1": "persyaratan"})
    with pytest.raises(SatisfactionInputError, match="'kecepatan'"):
        ikm(df, elements={"waktu": "kecepatan"})
    with pytest.raises(SatisfactionInputError, match="twice"):
        ikm(df, elements=["waktu", "waktu_penyelesaian"])
    with pytest.raises(SatisfactionInputError, match="'persyaratan', 'syarat'"):
        ikm(df.assign(syarat=3), elements={"persyaratan": "persyaratan", "syarat": "persyaratan"})


def test_bad_by_and_options():
    df = hand_frame()
    with pytest.raises(SatisfactionInputError, match="'unit'"):
        ikm(df, by="unit")
    with pytest.raises(SatisfactionInputError, match=r"'unit_id'.*index \[1\]"):
        ikm(df.assign(unit_id=["U1", None, "U1", "U1", "U1", "U1"]), by="unit_id")
    with pytest.raises(OptionError, match="weight"):
        ikm(df, weight=1.5)
    with pytest.raises(OptionError, match="weight"):
        ikm(df, weight="approx")
    with pytest.raises(OptionError, match="on_empty"):
        ikm(df, on_empty="ignore")
    with pytest.raises(TypeError):
        ikm(df.to_numpy())


def test_all_problems_collected_in_one_error():
    df = with_value("waktu", 7)
    df["sarana"] = df["sarana"].astype(object)
    df.loc[0, "sarana"] = -1
    with pytest.raises(SatisfactionInputError) as info:
        ikm(df, by=["unit_id", "regency"])
    problems = info.value.problems
    assert len(problems) == 3
    text = str(info.value)
    for needle in ("'regency'", "'waktu'", "'sarana'"):
        assert needle in text
    # an invalid option is reported at once, before the data are checked
    with pytest.raises(OptionError, match="weight"):
        ikm(df, by=["unit_id", "regency"], weight=2)


# --------------------------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------------------------

ANSWER = st.sampled_from([1.0, 2.0, 3.0, 4.0, NAN])


@st.composite
def survey(draw, min_rows: int = 1, max_rows: int = 25) -> pd.DataFrame:
    n = draw(st.integers(min_rows, max_rows))
    answers = draw(hnp.arrays(np.float64, (n, len(ELEMENTS)), elements=ANSWER))
    empty = np.isnan(answers).all(axis=0)
    answers[0, empty] = draw(st.sampled_from([1.0, 2.0, 3.0, 4.0]))
    return frame(answers)


@settings(max_examples=50, deadline=None)
@given(survey())
def test_property_converted_in_range(df):
    out = ikm(df).iloc[0]
    assert 25.0 <= out["ikm_converted"] <= 100.0
    assert 1.0 <= out["ikm"] <= 4.0
    assert out["mutu"] == mutu(out["ikm_converted"])


@settings(max_examples=50, deadline=None)
@given(survey(), st.randoms(use_true_random=False))
def test_property_invariant_to_row_and_column_order(df, rnd):
    rows = list(df.index)
    cols = list(df.columns)
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    pd.testing.assert_frame_equal(ikm(df.loc[rows, cols]), ikm(df), rtol=1e-13)


@settings(max_examples=50, deadline=None)
@given(survey(), st.sampled_from(ELEMENTS))
def test_property_nrr_with_blanks_equals_nrr_of_answered_subset(df, key):
    answered = df.dropna(subset=[key])
    full = ikm(df)[f"nrr_{key}"].iloc[0]
    subset = ikm(answered, elements=[key])[f"nrr_{key}"].iloc[0]
    assert full == subset
    assert full == pytest.approx(answered[key].mean(), rel=1e-14)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(survey(min_rows=5, max_rows=30), st.integers(0, 2**32 - 1))
def test_property_ikm_ci_is_reproducible_and_sane(df, seed):
    """Any survey: the same seed gives the same interval; SE is NaN only without replicates.

    A percentile interval need not contain the estimate when the bootstrap distribution is
    skewed (sparse answers: an element answered by one or two people), so containment is a
    property of well-filled surveys only (next test).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        first = ikm_ci(df, n_boot=200, seed=seed)
        again = ikm_ci(df, n_boot=200, seed=seed)
    pd.testing.assert_frame_equal(first, again, check_exact=True)
    row = first.iloc[0]
    assert np.isnan(row["ikm_converted_se"]) or row["ikm_converted_se"] >= 0
    assert np.isnan(row["ikm_converted_ci_low"]) or (
        row["ikm_converted_ci_low"] <= row["ikm_converted_ci_high"]
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hnp.arrays(np.float64, (40, len(ELEMENTS)), elements=st.sampled_from([1.0, 2.0, 3.0, 4.0])),
    st.integers(0, 2**32 - 1),
)
def test_property_ikm_ci_contains_estimate_when_every_element_is_well_answered(answers, seed):
    if (np.ptp(answers, axis=0) == 0).any():
        answers[0] = np.where(answers[0] == 4.0, 1.0, 4.0)  # no element without variation
    row = ikm_ci(frame(answers), n_boot=400, seed=seed).iloc[0]
    assert row["ikm_converted_ci_low"] <= row["ikm_converted"] <= row["ikm_converted_ci_high"]
    assert row["ikm_converted_se"] > 0


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 400), st.integers(1, 5000)), min_size=1, max_size=8),
)
def test_property_sample_adequacy_flags(units):
    ids = [f"U{i}" for i in range(len(units))]
    responses = pd.DataFrame(
        {"unit_id": np.repeat(ids, [n for n, _ in units]), "period": "2024-S1"}
    )
    population = {uid: pop for uid, (_, pop) in zip(ids, units, strict=True)}
    out = sample_adequacy(responses, population)
    for uid, (n, pop) in zip(ids, units, strict=True):
        row = out.set_index("unit_id").loc[uid]
        required = krejcie_morgan(pop)
        assert row["n_respondents"] == n
        assert row["required"] == required
        assert bool(row["adequate"]) == (n >= required)
        assert row["shortfall"] == max(required - n, 0)
        assert row["share_of_required"] == pytest.approx(n / required)


# --------------------------------------------------------------------------------------------
# Bootstrap CI
# --------------------------------------------------------------------------------------------


def two_unit_survey(n: int = 300, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    varied = rng.integers(1, 5, (n, 9)).astype(float)
    varied[rng.random((n, 9)) < 0.05] = NAN
    return pd.concat(
        [frame(np.full((n, 9), 3.0), unit_id="A"), frame(varied, unit_id="B")], ignore_index=True
    )


def test_ikm_ci_columns_constant_group_and_se():
    df = two_unit_survey()
    out = ikm_ci(df, by="unit_id", n_boot=1000, seed=1)
    base = ikm(df, by="unit_id")
    pd.testing.assert_frame_equal(out[base.columns], base)
    assert out.columns.tolist()[len(base.columns) :] == [
        "ikm_se",
        "ikm_ci_low",
        "ikm_ci_high",
        "ikm_converted_se",
        "ikm_converted_ci_low",
        "ikm_converted_ci_high",
    ]
    # unit A answers 3 everywhere: every resample gives 75 exactly
    a, b = out.iloc[0], out.iloc[1]
    assert a["ikm_converted_se"] == 0
    assert a["ikm_converted_ci_low"] == a["ikm_converted_ci_high"] == 75.0
    # unit B: SE close to the analytic SE of the mean respondent score (blanks are few)
    scores = df[df.unit_id == "B"][list(ELEMENTS)].mean(axis=1) * 25
    analytic = scores.std(ddof=0) / np.sqrt(len(scores))
    assert b["ikm_converted_se"] == pytest.approx(analytic, rel=0.1)
    assert b["ikm_converted_se"] == pytest.approx(25 * b["ikm_se"], rel=1e-12)
    width = b["ikm_converted_ci_high"] - b["ikm_converted_ci_low"]
    assert width == pytest.approx(2 * 1.96 * analytic, rel=0.15)


def test_ikm_ci_seed_and_methods():
    df = two_unit_survey(n=80)
    a = ikm_ci(df, by="unit_id", n_boot=500, seed=7)
    b = ikm_ci(df, by="unit_id", n_boot=500, seed=7)
    c = ikm_ci(df, by="unit_id", n_boot=500, seed=8)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert a["ikm_converted_ci_low"].iloc[1] != c["ikm_converted_ci_low"].iloc[1]
    basic = ikm_ci(df, by="unit_id", n_boot=500, seed=7, method="basic")
    theta = a["ikm_converted"]
    np.testing.assert_allclose(
        basic["ikm_converted_ci_low"], 2 * theta - a["ikm_converted_ci_high"]
    )
    bca = ikm_ci(df, by="unit_id", n_boot=500, seed=7, method="bca").iloc[1]
    assert bca["ikm_converted_ci_low"] < bca["ikm_converted"] < bca["ikm_converted_ci_high"]
    with pytest.raises(OptionError, match="method"):
        ikm_ci(df, method="student")
    with pytest.raises(OptionError, match="level"):
        ikm_ci(df, level=95)


@pytest.mark.parametrize(
    ("method", "scipy_method"), [("percentile", "percentile"), ("basic", "basic"), ("bca", "BCa")]
)
def test_ikm_ci_agrees_with_scipy_bootstrap(method, scipy_method):
    # Without blanks the IKM is the mean respondent score, so scipy.stats.bootstrap of the mean of
    # the scores is an independent implementation; the two differ only by Monte Carlo error
    # (sd of each limit about 0.05 points here with 20,000 replicates).
    rng = np.random.default_rng(4)
    x = np.clip(rng.integers(1, 5, (40, 9)) + (rng.random((40, 1)) < 0.3) * 2, 1, 4).astype(float)
    ours = ikm_ci(frame(x), n_boot=20_000, method=method, seed=1).iloc[0]
    ref = stats.bootstrap(
        (x.mean(axis=1) * 25,), np.mean, n_resamples=20_000, method=scipy_method, random_state=2
    )
    assert ours["ikm_converted_ci_low"] == pytest.approx(ref.confidence_interval.low, abs=0.3)
    assert ours["ikm_converted_ci_high"] == pytest.approx(ref.confidence_interval.high, abs=0.3)
    assert ours["ikm_converted_se"] == pytest.approx(ref.standard_error, rel=0.03)


def test_bootstrap_dense_and_sparse_strategies_agree():
    df = two_unit_survey(n=60)
    prep = prepare(df, by="unit_id", elements=None, keep_rows=True)
    args = (prep.groups.codes, prep.rows, prep.groups.size, "exact", 50)
    dense = _bootstrap_ikm(*args, np.random.default_rng(3), strategy="dense")
    sparse = _bootstrap_ikm(*args, np.random.default_rng(3), strategy="sparse")
    np.testing.assert_allclose(dense, sparse, rtol=1e-13)


def test_bootstrap_resamples_within_groups():
    # Plain-loop reference: the same uniform stream mapped to rows of each group.
    df = two_unit_survey(n=40)
    prep = prepare(df, by="unit_id", elements=None, keep_rows=True)
    reps = _bootstrap_ikm(prep.groups.codes, prep.rows, 2, "exact", 3, np.random.default_rng(11))
    u = np.random.default_rng(11).random((3, len(df)))
    rows = prep.rows[np.argsort(prep.groups.codes, kind="stable")]
    for b in range(3):
        for g, (start, size) in enumerate([(0, 40), (40, 40)]):
            picked = rows[start + (u[b, start : start + size] * size).astype(int)]
            expected = np.nanmean(picked, axis=0).mean()
            assert reps[b, g] == pytest.approx(expected, rel=1e-13)


def _bootstrap_reference(
    codes, rows, n_groups, weight, n_boot, rng, strategy="auto", cells=4_000_000
):
    """The straightforward bootstrap (before issue 15), on chunks of ``cells`` row slots.

    Row slot i (rows sorted by group, stably) of replicate b draws row start_g +
    min(floor(u * n_g), n_g - 1) of its group; counts of draws times answers, in float64, on
    the BLAS defaults: per group ("dense") or against a sparse block matrix ("sparse", whose
    last bits depend on the chunk's length through the order in which NRRs are added).
    """
    from scipy import sparse

    from asn_analysis.satisfaction.inputs import combine

    chunk = max(1, min(n_boot, cells // max(len(codes), 1)))
    if chunk < n_boot:
        parts = [
            _bootstrap_reference(
                codes, rows, n_groups, weight, min(chunk, n_boot - b0), rng, strategy
            )
            for b0 in range(0, n_boot, chunk)
        ]
        return np.concatenate(parts)
    n_rows, k = rows.shape
    order = np.argsort(codes, kind="stable")
    sizes = np.bincount(codes, minlength=n_groups)
    starts = np.cumsum(sizes) - sizes
    sorted_rows = rows[order]
    answered = ~np.isnan(sorted_rows)
    design = np.hstack([np.where(answered, sorted_rows, 0.0), answered.astype(np.float64)])
    row_size = sizes[codes[order]]
    draw = (rng.random((n_boot, n_rows)) * row_size).astype(np.intp)
    draw = np.minimum(draw, row_size - 1) + starts[codes[order]]
    draw += (np.arange(n_boot, dtype=np.intp) * n_rows)[:, None]
    counts = np.bincount(draw.ravel(), minlength=n_boot * n_rows).reshape(n_boot, n_rows)
    counts = counts.astype(np.float64)
    if strategy == "auto":
        strategy = "dense" if n_rows >= 32 * n_groups else "sparse"
    if strategy == "dense":
        sums = np.empty((n_boot, n_groups, 2 * k))
        for g in range(n_groups):
            rows_g = slice(starts[g], starts[g] + sizes[g])
            sums[:, g] = counts[:, rows_g] @ design[rows_g]
    else:
        at = (codes[order][:, None] * 2 * k + np.arange(2 * k)).ravel()
        design_t = sparse.csr_array(
            (design.ravel(), (at, np.repeat(np.arange(n_rows), 2 * k))),
            shape=(n_groups * 2 * k, n_rows),
        )
        sums = (design_t @ np.ascontiguousarray(counts.T)).T.reshape(n_boot, n_groups, 2 * k)
    with np.errstate(divide="ignore", invalid="ignore"):
        return combine(sums[..., :k] / sums[..., k:], weight)


@st.composite
def _bootstrap_case(draw):
    """Codes (some groups empty), answers 1-4 with blanks and ties, and the bootstrap options."""
    n_groups = draw(st.integers(1, 6))
    n_rows = draw(st.integers(1, 70))
    k = draw(st.integers(1, 9))
    codes = draw(hnp.arrays(np.intp, n_rows, elements=st.integers(0, n_groups - 1)))
    answers = draw(hnp.arrays(np.float64, (n_rows, k), elements=st.sampled_from([1, 2, 3, 4])))
    blank = draw(hnp.arrays(np.bool_, (n_rows, k)))
    answers[blank & draw(st.booleans())] = np.nan
    n_boot = draw(st.integers(2, 40))
    weight = draw(st.sampled_from(["exact", 0.111]))
    return codes, answers, n_groups, weight, n_boot, draw(st.integers(0, 2**32 - 1))


@pytest.mark.parametrize("cells", [None, (5, 23)])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_bootstrap_case(), strategy=st.sampled_from(["auto", "dense", "sparse"]))
def test_bootstrap_equals_reference_bit_for_bit(case, strategy, cells):
    # The blocked, float32, one-thread bootstrap draws the same stream and gives the same
    # replicates as the straightforward one, to the last bit; ``cells`` forces many blocks and
    # chunks (the bundled data uses one replicate per block).
    from asn_analysis.satisfaction import ci

    codes, answers, n_groups, weight, n_boot, seed = case
    args = (codes, answers, n_groups, weight, n_boot)
    chunk_cells = 4_000_000 if cells is None else cells[1]
    expected = _bootstrap_reference(*args, np.random.default_rng(seed), strategy, chunk_cells)
    with pytest.MonkeyPatch.context() as patch:
        if cells is not None:
            patch.setattr(ci, "_DRAW_CELLS", cells[0])
            patch.setattr(ci, "_BOOT_CELLS", cells[1])
        got = _bootstrap_ikm(*args, np.random.default_rng(seed), strategy=strategy)
    np.testing.assert_array_equal(got, expected)


def test_bootstrap_equals_reference_on_a_large_survey(monkeypatch):
    # Groups of hundreds (float32 products), empty groups, and (bound 100) the float64 products.
    from asn_analysis.satisfaction import ci

    rng = np.random.default_rng(5)
    codes = np.r_[rng.integers(0, 4, 3000), np.full(40, 6)]  # groups 4, 5, 7-12 empty
    answers = rng.integers(1, 5, (3040, 9)).astype(float)
    answers[rng.random(answers.shape) < 0.1] = np.nan
    expected = _bootstrap_reference(codes, answers, 13, "exact", 30, np.random.default_rng(1))
    for bound in (2**24, 100):
        monkeypatch.setattr(ci, "_FLOAT32_EXACT", bound)
        got = _bootstrap_ikm(codes, answers, 13, "exact", 30, np.random.default_rng(1))
        np.testing.assert_array_equal(got, expected)


def test_bootstrap_draw_never_leaves_its_group():
    # The largest uniform, 1 - 2**-53, times any group size n < 2**53 rounds below n, so
    # floor(u * n) needs no guard (the reference clips at n - 1 and never has to).
    u = 1.0 - 2.0**-53
    sizes = np.r_[np.arange(1, 200_001), 2.0 ** np.arange(1, 53), 2.0 ** np.arange(1, 53) - 1]
    sizes = np.r_[sizes, np.random.default_rng(0).integers(1, 2**53, 100_000).astype(float)]
    assert ((u * sizes).astype(np.int64) < sizes).all()


# --------------------------------------------------------------------------------------------
# Sample adequacy
# --------------------------------------------------------------------------------------------


def test_sample_adequacy_table_and_missing_population():
    responses = pd.DataFrame(
        {
            "unit_id": ["U1"] * 150 + ["U2"] * 30 + ["U3"] * 5,
            "period": ["2024-S1"] * 100 + ["2024-S2"] * 50 + ["2024-S1"] * 35,
        }
    )
    units = pd.DataFrame(
        {"unit_id": ["U1", "U2", "U3"], "service_users_per_semester": [250, 30, None]}
    )
    with pytest.raises(SatisfactionInputError, match=r"'U3'"):
        sample_adequacy(responses, units)
    out = sample_adequacy(responses, units, on_missing="flag")
    # U1 250 -> 152 (table); U2 30 -> 28; U3 unknown
    assert out[["unit_id", "period", "n_respondents"]].values.tolist() == [
        ["U1", "2024-S1", 100],
        ["U1", "2024-S2", 50],
        ["U2", "2024-S1", 30],
        ["U3", "2024-S1", 5],
    ]
    assert out["required"].tolist()[:3] == [152, 152, 28]
    assert out["shortfall"].tolist()[:3] == [52, 102, 0]
    assert out["adequate"].tolist()[:3] == [False, False, True]
    assert out["share_of_required"].iloc[2] == pytest.approx(30 / 28)
    assert out.iloc[3][["population", "required", "shortfall", "adequate"]].isna().all()
    assert np.isnan(out["share_of_required"].iloc[3])
    # mapping form
    mapped = sample_adequacy(responses[responses.unit_id != "U3"], {"U1": 250, "U2": 30})
    assert mapped["required"].tolist() == [152, 152, 28]


def test_sample_adequacy_bad_inputs():
    responses = pd.DataFrame({"unit_id": ["U1", "U2"], "period": "2024-S1"})
    with pytest.raises(SatisfactionInputError, match="'users'"):
        sample_adequacy(responses, pd.DataFrame({"unit_id": ["U1"]}), population_col="users")
    with pytest.raises(SatisfactionInputError, match="'U2'"):
        sample_adequacy(responses, {"U1": 100, "U2": 0})
    with pytest.raises(SatisfactionInputError, match="unit_col"):
        sample_adequacy(responses, {"U1": 100, "U2": 10}, by="period")
    with pytest.raises(SatisfactionInputError, match="'U1'"):
        sample_adequacy(
            responses,
            pd.DataFrame({"unit_id": ["U1", "U1", "U2"], "service_users_per_semester": [5, 6, 7]}),
        )


# --------------------------------------------------------------------------------------------
# Weakest elements
# --------------------------------------------------------------------------------------------


def test_weakest_elements_hand_example_and_ties():
    out = weakest_elements(hand_frame(), n=3)
    # lowest NRRs: waktu 2.4, pengaduan 2.6, sarana 16/6 = 2.667
    assert out["element"].tolist() == ["waktu", "pengaduan", "sarana"]
    assert out["rank"].tolist() == [1, 2, 3]
    assert out["label"].tolist()[0] == "Waktu Penyelesaian"
    np.testing.assert_allclose(out["nrr"], [2.4, 2.6, 16 / 6])
    assert out["n_answered"].tolist() == [5, 5, 6]
    assert out["unit_id"].tolist() == ["U1"] * 3
    # then prosedur 17/6 (rank 4), produk 19/6 (rank 5); persyaratan, kompetensi and perilaku
    # tie at 20/6 (rank 6). With n = 6 all three tied elements are kept, none dropped arbitrarily.
    tied = weakest_elements(hand_frame(), n=6)
    assert tied["element"].tolist() == [
        "waktu",
        "pengaduan",
        "sarana",
        "prosedur",
        "produk",
        "persyaratan",
        "kompetensi",
        "perilaku",
    ]
    assert tied["rank"].tolist() == [1, 2, 3, 4, 5, 6, 6, 6]
    with pytest.raises(OptionError, match="n must be a whole number"):
        weakest_elements(hand_frame(), n=0)


# --------------------------------------------------------------------------------------------
# Element change between periods
# --------------------------------------------------------------------------------------------


def change_survey(seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for unit, shift in (("U1", 0), ("U2", 1)):
        for period, n, low in (("2024-S1", 40, 1), ("2024-S2", 55, 1 + shift)):
            answers = rng.integers(low, 5, (n, 9)).astype(float)
            answers[rng.random((n, 9)) < 0.1] = NAN
            parts.append(frame(answers, unit_id=unit, period=period))
    parts.append(frame(np.full((7, 9), 4.0), unit_id="U1", period="2023-S2"))  # ignored
    return pd.concat(parts, ignore_index=True)


def test_element_change_matches_scipy_welch():
    df = change_survey()
    out = element_change(df, before="2024-S1", after="2024-S2", level=0.9)
    assert out.columns.tolist() == [
        "unit_id",
        "element",
        "label",
        "nrr_before",
        "nrr_after",
        "diff",
        "se",
        "ci_low",
        "ci_high",
        "pvalue",
        "n_before",
        "n_after",
        "t",
        "df",
    ]
    assert len(out) == 2 * 10
    for _, row in out[out.element != "ikm_converted"].iterrows():
        sub = df[df.unit_id == row["unit_id"]]
        before = sub.loc[sub.period == "2024-S1", row["element"]].dropna()
        after = sub.loc[sub.period == "2024-S2", row["element"]].dropna()
        ref = stats.ttest_ind(after, before, equal_var=False)
        ci = ref.confidence_interval(0.9)
        assert row["t"] == pytest.approx(ref.statistic, rel=1e-10)
        assert row["pvalue"] == pytest.approx(ref.pvalue, rel=1e-9)
        assert row["df"] == pytest.approx(ref.df, rel=1e-10)
        assert row["ci_low"] == pytest.approx(ci.low, rel=1e-10)
        assert row["ci_high"] == pytest.approx(ci.high, rel=1e-10)
        assert row["diff"] == pytest.approx(after.mean() - before.mean(), rel=1e-12)
        assert (row["n_before"], row["n_after"]) == (len(before), len(after))
    assert out.loc[out.element == "ikm_converted", "n_before"].tolist() == [40, 40]
    assert out.loc[out.element == "ikm_converted", "n_after"].tolist() == [55, 55]


def test_element_change_ikm_row_without_blanks_is_welch_on_scores():
    rng = np.random.default_rng(9)
    before = rng.integers(1, 5, (30, 9)).astype(float)
    after = rng.integers(2, 5, (45, 9)).astype(float)
    df = pd.concat(
        [frame(before, period="P1", unit_id="U"), frame(after, period="P2", unit_id="U")]
    )
    row = element_change(df, before="P1", after="P2").iloc[-1]
    ref = stats.ttest_ind(after.mean(axis=1) * 25, before.mean(axis=1) * 25, equal_var=False)
    assert row["element"] == "ikm_converted"
    assert row["nrr_before"] == pytest.approx(before.mean() * 25, rel=1e-13)
    assert row["t"] == pytest.approx(ref.statistic, rel=1e-10)
    assert row["pvalue"] == pytest.approx(ref.pvalue, rel=1e-9)
    assert row["df"] == pytest.approx(ref.df, rel=1e-10)


def test_element_change_ikm_row_with_blanks_is_the_linearisation():
    # Independent check of the delta-method variance: differentiate the IKM with respect to
    # respondent weights numerically, then Var = n/(n-1) * sum(derivative^2) per period.
    df = change_survey(seed=2)
    out = element_change(df, by="unit_id", before="2024-S1", after="2024-S2", weight=0.111)
    for unit in ("U1", "U2"):
        variances = []
        for period in ("2024-S1", "2024-S2"):
            x = df[(df.unit_id == unit) & (df.period == period)][list(ELEMENTS)].to_numpy()
            answered = ~np.isnan(x)
            filled = np.where(answered, x, 0.0)

            def converted(w, filled=filled, answered=answered):
                return 25 * 0.111 * (w @ filled / (w @ answered)).sum()

            n = len(x)
            eps = 1e-6
            grad = np.array(
                [(converted(np.ones(n) + eps * e) - converted(np.ones(n))) / eps for e in np.eye(n)]
            )
            variances.append(n / (n - 1) * (grad**2).sum())
        row = out[(out.unit_id == unit) & (out.element == "ikm_converted")].iloc[0]
        assert row["se"] == pytest.approx(np.sqrt(sum(variances)), rel=1e-4)


def test_element_change_bad_inputs():
    df = change_survey()
    with pytest.raises(SatisfactionInputError, match=r"'period'.*'2030-S1'|'2030-S1'.*'period'"):
        element_change(df, before="2030-S1", after="2024-S2")
    with pytest.raises(SatisfactionInputError, match="'semester'"):
        element_change(df, before="2024-S1", after="2024-S2", period_col="semester")
    with pytest.raises(SatisfactionInputError, match="same period"):
        element_change(df, before="2024-S1", after="2024-S1")
    lonely = pd.concat([df, frame(np.full((3, 9), 3.0), unit_id="U9", period="2024-S1")])
    with pytest.raises(SatisfactionInputError, match="unit_id='U9'"):
        element_change(lonely, before="2024-S1", after="2024-S2")
    gap = df.copy()
    gap.loc[(gap.unit_id == "U2") & (gap.period == "2024-S2"), "biaya"] = NAN
    with pytest.raises(SatisfactionInputError, match=r"unit_id='U2'.*'biaya'"):
        element_change(gap, before="2024-S1", after="2024-S2")
