"""Both string storages (issue 15): the numbers do not depend on how pandas stores text.

pandas 3 stores ``str`` columns with pyarrow when it is installed (the default, and a dependency
of asn-analysis) or as Python objects. Job Person Match, competency gaps and the IKM give identical
results under both, on the bundled data and on hypothesis-generated frames; the IKM's group keys
are factorized once and sorted like ``groupby(sort=True)``; integer-typed answers take the fast
validation path (a min and a max, no float copy) and still report every bad answer.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_analysis.competency import competency_gaps, job_person_match
from asn_analysis.data import load_dataset
from asn_analysis.satisfaction import ELEMENTS, SatisfactionInputError, ikm
from asn_analysis.satisfaction.inputs import sorted_codes

STORAGES = ("pyarrow", "python")
AS_OF = "2025-06-30"


def as_storage(frame: pd.DataFrame, storage: str) -> pd.DataFrame:
    """``frame`` with every string column and string category stored as ``storage``."""
    dtype = pd.StringDtype(storage, na_value=np.nan)
    out = {}
    for col in frame.columns:
        s = frame[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            if isinstance(s.cat.categories.dtype, pd.StringDtype):
                s = s.cat.rename_categories(s.cat.categories.astype(dtype))
        elif isinstance(s.dtype, pd.StringDtype) or s.dtype == object:
            s = s.astype(dtype)
        out[col] = s
    return pd.DataFrame(out, index=frame.index)


def storage_of(series: pd.Series) -> str:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    return dtype.storage


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Strings as Python objects, so frames from either storage compare value for value."""
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        text = isinstance(s.dtype, pd.StringDtype) or (
            isinstance(s.dtype, pd.CategoricalDtype)
            and isinstance(s.cat.categories.dtype, pd.StringDtype)
        )
        if text:
            out[col] = s.astype(object)
    out.columns = list(out.columns)
    return out


def assert_identical(left: pd.DataFrame, right: pd.DataFrame) -> None:
    # exact: no tolerance, the numbers must be the same bits
    pd.testing.assert_frame_equal(plain(left), plain(right), check_exact=True)


@pytest.fixture(scope="module")
def bundled():
    return load_dataset()


# --------------------------------------------------------------------------- bundled data


def test_the_bundled_data_loads_with_the_default_storage(bundled):
    assert storage_of(bundled.employees["position"]) == pd.Series(["x"]).dtype.storage


@pytest.mark.parametrize("fn", [job_person_match, competency_gaps])
def test_competency_results_are_identical_under_both_storages(bundled, fn):
    tables = (bundled.competency_assessments, bundled.competency_standards, bundled.employees)
    results = []
    for storage in STORAGES:
        converted = [as_storage(t, storage) for t in tables]
        assert storage_of(converted[1]["position"]) == storage
        results.append(fn(*converted, as_of=AS_OF))
    assert_identical(*results)
    assert_identical(results[0], fn(*tables, as_of=AS_OF))


@pytest.mark.parametrize("by", [["unit_id", "period"], "unit_id", None])
def test_ikm_is_identical_under_both_storages(bundled, by):
    results = [ikm(as_storage(bundled.skm_responses, s), by=by) for s in STORAGES]
    assert_identical(*results)
    if by is not None:
        expected = bundled.skm_responses.groupby(by, sort=True).size()
        assert results[0]["n"].tolist() == expected.tolist()  # sorted like groupby


# --------------------------------------------------------------------------- generated frames

units = st.text(alphabet="AaBbZz_-0é9 Ü", min_size=1, max_size=4)


@st.composite
def survey(draw):
    n = draw(st.integers(1, 40))
    unit_pool = draw(st.lists(units, min_size=1, max_size=6, unique=True))
    unit = draw(st.lists(st.sampled_from(unit_pool), min_size=n, max_size=n))
    period = draw(
        st.lists(st.sampled_from(["2024-S2", "2024-S1", "2023-S2"]), min_size=n, max_size=n)
    )
    answers = {key: draw(st.lists(st.integers(1, 4), min_size=n, max_size=n)) for key in ELEMENTS}
    return pd.DataFrame({"unit_id": unit, "period": period, **answers})


@settings(max_examples=60, deadline=None)
@given(frame=survey(), blanks=st.integers(0, 3))
def test_ikm_on_generated_frames_is_the_same_whatever_the_storage(frame, blanks):
    if blanks:  # a few blank answers in the first element (float column with NaN)
        frame = frame.astype({ELEMENTS[0]: "float64"})
        frame.loc[frame.index[:: blanks + 1][:blanks], ELEMENTS[0]] = np.nan
    forms = {storage: as_storage(frame, storage) for storage in STORAGES}
    forms["object"] = frame.astype({"unit_id": object, "period": object})
    forms["categorical"] = frame.astype({"unit_id": "category", "period": "category"})
    forms["float answers"] = frame.astype({k: "float64" for k in ELEMENTS})
    forms["nullable answers"] = frame.astype({k: "Int8" for k in ELEMENTS})
    results = {name: ikm(f, by=["unit_id", "period"], on_empty="nan") for name, f in forms.items()}
    expected = results.pop("pyarrow")
    for name, got in results.items():
        assert_identical(got, expected), name
    # sorted like groupby(sort=True) on plain Python strings
    keys = frame.groupby(["unit_id", "period"], sort=True).size().reset_index()
    assert expected["unit_id"].tolist() == keys["unit_id"].tolist()
    assert expected["period"].tolist() == keys["period"].tolist()


@settings(max_examples=40, deadline=None)
@given(
    ids=st.lists(
        st.text(alphabet="ab01é", min_size=1, max_size=3), min_size=1, max_size=8, unique=True
    ),
    data=st.data(),
)
def test_jpm_on_generated_frames_is_the_same_whatever_the_storage(ids, data):
    comps = ["integritas", "kerjasama", "teknis_a"]
    standards = pd.DataFrame(
        {
            "position": ["P1"] * 3 + ["P2"] * 2,
            "competency": comps + comps[:2],
            "required_level": data.draw(st.lists(st.integers(1, 5), min_size=5, max_size=5)),
        }
    )
    positions = data.draw(
        st.lists(st.sampled_from(["P1", "P2"]), min_size=len(ids), max_size=len(ids))
    )
    employees = pd.DataFrame({"employee_id": ids, "position": positions})
    rows = [
        (e, c)
        for e, p in zip(ids, positions, strict=True)
        for c in (comps if p == "P1" else comps[:2])
    ]
    levels = data.draw(st.lists(st.integers(1, 5), min_size=len(rows), max_size=len(rows)))
    assessments = pd.DataFrame(
        {
            "employee_id": [e for e, _ in rows],
            "competency": [c for _, c in rows],
            "level": levels,
            "assessed_on": "2024-01-15",
        }
    ).sample(frac=1.0, random_state=0)
    results = [
        job_person_match(*(as_storage(t, s) for t in (assessments, standards, employees)))
        for s in STORAGES
    ]
    assert_identical(*results)


# --------------------------------------------------------------------------- factorize once


@pytest.mark.parametrize("storage", [*STORAGES, "object"])
def test_sorted_codes_number_keys_like_a_sorted_factorize(storage):
    values = pd.Series(["U2", "U10", None, "U1", "U2", "Ü", "u1"])
    values = (
        values.astype(object)
        if storage == "object"
        else as_storage(values.to_frame("k"), storage)["k"]
    )
    codes, uniques = sorted_codes(values)
    want_codes, want_uniques = pd.factorize(values, sort=True)
    assert codes.tolist() == want_codes.tolist()
    assert list(uniques) == list(want_uniques)
    assert codes.dtype == np.intp


def test_sorted_codes_keep_first_seen_order_for_keys_that_cannot_be_ordered():
    codes, uniques = sorted_codes(pd.Series(["b", 1, "a", 1], dtype=object))
    assert codes.tolist() == [0, 1, 2, 1] and list(uniques) == ["b", 1, "a"]


# --------------------------------------------------------------------------- integer answers


def test_integer_answers_outside_1_4_are_all_reported_as_integers():
    answers = {key: np.full(8, 3, dtype=np.int8) for key in ELEMENTS}
    answers["waktu"][[2, 6]] = [5, 0]
    answers["biaya"][4] = -1
    frame = pd.DataFrame(answers)
    with pytest.raises(SatisfactionInputError) as info:
        ikm(frame)
    msg = str(info.value)
    assert "column 'waktu' (element 'waktu'): 2 answer(s) outside 1-4" in msg
    assert "at index [2, 6]: values [5, 0]" in msg
    assert "column 'biaya' (element 'biaya'): 1 answer(s)" in msg and "[-1]" in msg


def test_nullable_integer_blanks_are_blanks_and_bad_values_are_named():
    frame = pd.DataFrame({key: pd.array([3, 4, None, 2], dtype="Int8") for key in ELEMENTS})
    as_float = frame.astype("float64")
    assert_identical(ikm(frame), ikm(as_float))
    assert ikm(frame)["n"].item() == 4
    frame.loc[1, "waktu"] = 9
    with pytest.raises(SatisfactionInputError, match=r"at index \[1\]: values \[9\]"):
        ikm(frame)


def test_integer_answers_are_not_copied_to_float():
    n = 400_000
    rng = np.random.default_rng(1)
    unit = pd.Categorical.from_codes(rng.integers(0, 50, n), [f"U{i:02d}" for i in range(50)])
    ints = pd.DataFrame(
        {"unit_id": unit, **{k: rng.integers(1, 5, n).astype(np.int8) for k in ELEMENTS}}
    )
    floats = ints.astype({k: "float64" for k in ELEMENTS})

    def peak(frame: pd.DataFrame) -> int:
        tracemalloc.start()
        ikm(frame, by="unit_id")
        top = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return top

    assert_identical(ikm(ints, by="unit_id"), ikm(floats, by="unit_id"))
    # The float path makes a filled copy (8 bytes a row) per element; the integer path none.
    assert peak(ints) < peak(floats) - 4 * n
