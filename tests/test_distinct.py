"""The loader's per-distinct-value fast paths equal the per-cell code they replaced (issue 15).

Loading parses, checks and pseudonymises each distinct text of a column once and spreads the
result back (:mod:`asn_analysis.data.distinct`). Each fast path is compared here with the
straightforward per-cell implementation it replaced (kept below, or still in the code as the
path for mostly-distinct columns), on hypothesis-drawn columns under both pandas string storages:
repeated values, blanks and missing values, one value, an empty column, hostile spellings.
Values, dtypes, masks, messages and errors must be exactly the same.
"""

from __future__ import annotations

import hashlib
import hmac
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_analysis.data import bundled_data_path, loader, periods, privacy
from asn_analysis.data.checks import reference_problems
from asn_analysis.data.distinct import distinct_values, spread
from asn_analysis.data.read import Dialect, RawTable, _blank_cells, read_dataset
from asn_analysis.data.redaction import Identifiers, _normal
from asn_analysis.data.schema import TABLE_SPECS, TABLES, ColumnSpec
from asn_analysis.errors import AsnAnalysisError

STORAGES = ("pyarrow", "python")
#: Cell texts the parsers meet: numbers in every form, dates, periods, booleans, blanks, junk.
CELLS = (
    "", " ", "\u00a0", "\t2\t", "1", "2", " 3 ", "4", "1.5", "1,5", "1.234", "1,234", "1.234,5",
    "1,234.5", "12.345.678", "+7", "-2", "inf", "-inf", "nan", "NaN", "1e400", "9" * 25, "abc",
    "\u0663", "2022-04-12", "12/04/2022", "12-04-2022", "12.04.2022", "12 April 2022",
    "12 Agustus 2021", "04/13/2022", "31/02/2022", "2024-1", "Semester II 2024",
    "Triwulan III 2024", "Tahun 2024", "2024-S3", "2024-Q5", "S1 2024", "tw2 2024", "2024",
    "2024-S1", "2024-Q4", "ya", "tidak", "TRUE", "false", "0", "benar", "x",
)  # fmt: skip
KINDS = ("str", "int", "float", "date", "bool", "period")


def text_series(cells: list, storage: str, na_value=np.nan) -> pd.Series:
    index = pd.RangeIndex(len(cells)) * 3 + 5  # not 0..n-1: results must keep the cells' index
    return pd.Series(cells, dtype=pd.StringDtype(storage, na_value=na_value), index=index)


def outcome(fn, *args, **kwargs):
    """The result of a call, or the type and message of the error it raised."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - both paths must fail the same way
        return (type(exc).__name__, str(exc))


repeated = st.lists(st.sampled_from(CELLS + (None,)), min_size=0, max_size=40)


# --------------------------------------------------------------------------- distinct values


@pytest.mark.parametrize("storage", STORAGES)
@pytest.mark.parametrize("na_value", [np.nan, pd.NA])
@given(cells=repeated, sort=st.booleans())
@settings(max_examples=40, deadline=None)
def test_spreading_the_distinct_values_gives_back_the_column(storage, na_value, cells, sort):
    s = text_series(cells * 2, storage, na_value)
    codes, labels = distinct_values(s, most=1.0, sort=sort)
    if codes is None:  # empty: nothing to factorize
        assert not len(s) and labels is s
        return
    assert labels.dtype == s.dtype
    assert labels.is_unique and labels.isna().sum() == s.isna().any()
    pd.testing.assert_series_equal(spread(labels, codes, s.index), s, check_exact=True)


def test_columns_not_stored_as_text_and_mostly_distinct_ones_are_left_alone():
    assert distinct_values(pd.Series([1, 1, 2]))[0] is None
    assert distinct_values(pd.Series(["a", "b", "c", "a"], dtype="str"))[0] is None
    assert distinct_values(pd.Series(["a", "b", "a", "a"], dtype="str"))[0] is not None


# --------------------------------------------------------------------------- parsing cells


def assert_same_parse(fast, slow):
    if isinstance(slow, tuple) and isinstance(slow[0], str):  # both raised
        assert fast == slow
        return
    (v1, b1, r1), (v2, b2, r2) = fast, slow
    pd.testing.assert_series_equal(v1, v2, check_exact=True, check_names=False)
    assert v1.dtype == v2.dtype
    np.testing.assert_array_equal(b1.to_numpy(), b2.to_numpy())
    assert b1.index.equals(b2.index) and v1.index.equals(v2.index)
    if isinstance(r2, str):
        assert r1 == r2
    else:
        pd.testing.assert_series_equal(r1, r2, check_exact=True, check_names=False)


@pytest.mark.parametrize("storage", STORAGES)
@pytest.mark.parametrize("kind", KINDS)
@given(cells=repeated, decimal=st.sampled_from([".", ","]))
@settings(max_examples=30, deadline=None)
def test_a_column_parsed_once_per_distinct_value_equals_the_per_cell_parse(
    storage, kind, cells, decimal
):
    spec = ColumnSpec("c", kind)
    raw = text_series(cells * 3, storage)  # repeated: the distinct path is taken
    fast = outcome(loader._parse_distinct, raw, spec, decimal=decimal)
    slow = outcome(loader._parse_column, raw, spec, decimal=decimal)
    assert_same_parse(fast, slow)


@pytest.mark.parametrize("storage", STORAGES)
@given(columns=st.lists(repeated, min_size=1, max_size=6), decimal=st.sampled_from([".", ","]))
@settings(max_examples=15, deadline=None)
def test_columns_sharing_a_parse_get_what_each_would_get_alone(storage, columns, decimal):
    cache: dict = {}
    for i, cells in enumerate(columns):
        spec = ColumnSpec(f"c{i}", KINDS[i % len(KINDS)])
        raw = text_series(cells * 2 + cells[::-1], storage)
        fast = outcome(loader._parse_distinct, raw, spec, decimal=decimal, cache=cache)
        assert_same_parse(fast, outcome(loader._parse_column, raw, spec, decimal=decimal))


# --------------------------------------------------------------------------- period labels


def reference_parts(labels: pd.Series) -> pd.DataFrame:
    """The label parser as it was: one regular expression per row."""
    text = labels.astype("string").str.strip()
    parts = text.str.extract(r"^(\d{4})(?:-([SQ])([1-4]))?$")
    bad = text.notna() & parts[0].isna()
    if bad.any():
        shown = ", ".join(repr(v) for v in pd.unique(labels[bad])[:5])
        raise periods.PeriodError(
            f"not a period like 2024-Q1, 2024-S1 or 2024: {shown} / bukan periode yang dikenal"
        )
    kind = parts[1].fillna("").map({"Q": "quarter", "S": "semester", "": "year"})
    kind = kind.where(parts[0].notna())
    number = pd.to_numeric(parts[2], errors="coerce").astype("float64").fillna(1.0)
    too_big = kind.eq("semester") & number.gt(2)
    if too_big.any():
        raise periods.PeriodError(
            f"a year has two semesters: {', '.join(pd.unique(labels[too_big]))}"
        )
    year = pd.to_numeric(parts[0], errors="coerce").astype("float64")
    months = kind.map({"quarter": 3, "semester": 6, "year": 12}).astype("float64")
    first_month = (number - 1) * months + 1
    return pd.DataFrame(
        {"year": year, "kind": kind, "number": number.where(year.notna()), "months": months,
         "first_month": first_month.where(year.notna())},
        index=labels.index,
    )  # fmt: skip


LABELS = (
    "2024", "2023", "2024-S1", "2024-S2", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", " 2025-Q1 ",
    "", None, np.nan,
)  # fmt: skip
BAD_LABELS = ("2024-S3", "2024-Q5", "x", "Semester I 2024", 2024, 2024.0)


@pytest.mark.parametrize("dtype", ["object", "string", "str", "python"])
@given(
    labels=st.lists(st.sampled_from(LABELS), max_size=30),
    bad=st.lists(st.sampled_from(BAD_LABELS), max_size=2),
)
@settings(max_examples=40, deadline=None)
def test_period_labels_parsed_once_per_distinct_label_equal_the_per_row_parse(dtype, labels, bad):
    cells = labels + bad + labels
    if dtype == "object":
        s = pd.Series(cells, dtype=object)
    else:
        storage = "python" if dtype == "python" else "pyarrow"
        na = pd.NA if dtype == "string" else np.nan
        s = pd.Series([c if c is None or isinstance(c, str) else str(c) for c in cells])
        s = s.astype(pd.StringDtype(storage, na_value=na))
    s.index = pd.RangeIndex(len(s)) + 100
    fast, slow = outcome(periods._parts, s), outcome(reference_parts, s)
    if isinstance(slow, tuple):
        assert fast == slow
    else:
        pd.testing.assert_frame_equal(fast, slow, check_exact=True)


# --------------------------------------------------------------------------- pseudonyms


def reference_pseudonymize(nips, *, salt: str) -> pd.Series:
    """Pseudonyms as they were: one HMAC per row."""
    key = salt.encode("utf-8")
    values = [str(n) for n in nips]
    ids = [
        hmac.new(key, v.encode("utf-8"), hashlib.sha256).hexdigest()[: privacy.ID_LENGTH]
        for v in values
    ]
    pairs = pd.DataFrame({"nip": values, "id": ids}).drop_duplicates()
    if pairs["id"].duplicated().any():
        raise AsnAnalysisError("employee_id collision between distinct NIPs; use a different salt")
    return pd.Series(ids, name="employee_id", dtype="str")


NIPS = ("198503122010011001", "198601012011012001", "198702022012011001", " 1985 ", "", "x")


@pytest.mark.parametrize("form", ["list", "pyarrow", "python"])
@given(nips=st.lists(st.sampled_from(NIPS + (None,)), max_size=30))
@settings(max_examples=30, deadline=None)
def test_one_hmac_per_distinct_nip_gives_the_per_row_pseudonyms(form, nips):
    given_nips = nips if form == "list" else text_series(nips, form)
    fast = pseudonymize_outcome(given_nips)
    slow = outcome(reference_pseudonymize, given_nips, salt="example-salt-0123")
    pd.testing.assert_series_equal(fast, slow, check_exact=True)


def pseudonymize_outcome(nips):
    return outcome(privacy.pseudonymize, nips, salt="example-salt-0123")


def test_a_collision_between_distinct_nips_is_refused_as_before(monkeypatch):
    monkeypatch.setattr(privacy, "ID_LENGTH", 1)  # 16 ids: 40 distinct NIPs must collide
    nips = [f"1985031220100110{i:02d}" for i in range(40)] * 2
    fast = outcome(privacy.pseudonymize, nips, salt="example-salt-0123")
    assert fast == outcome(reference_pseudonymize, nips, salt="example-salt-0123")
    assert fast[0] == "AsnAnalysisError"
    same = outcome(privacy.pseudonymize, nips[:1] * 5, salt="example-salt-0123")
    assert same.nunique() == 1  # one NIP on many rows is no collision


# --------------------------------------------------------------------------- identifiers


@pytest.mark.parametrize("storage", STORAGES)
@given(nips=st.lists(st.sampled_from(NIPS + ("19850312 201001 1 001", None)), max_size=30))
@settings(max_examples=30, deadline=None)
def test_nips_added_from_a_column_once_per_distinct_text_equal_every_cell(storage, nips):
    column, cells = Identifiers(), Identifiers()
    column.add_nips(text_series(nips, storage))
    cells.add_nips(list(text_series(nips, storage)))
    assert vars(column) == vars(cells)
    names, listed = Identifiers(), Identifiers()
    names.add_names(text_series(nips, storage))
    listed.add_names(list(text_series(nips, storage)))
    assert vars(names) == vars(listed)


WHITESPACE = "".join(c for c in map(chr, range(0x3100)) if c.isspace()) + "\u3000"


@given(text=st.text(alphabet=st.sampled_from(WHITESPACE + "aB\u00c9 x1") | st.characters()))
@settings(max_examples=300, deadline=None)
def test_normalising_a_name_by_splitting_equals_the_regular_expression(text):
    assert _normal(text) == re.sub(r"\s+", " ", text).strip().casefold()


# --------------------------------------------------------------------------- references


def reference_reference_problems(table, frame, column, target, valid):
    """References as they were checked: ``Series.isin``."""
    values = frame[column]
    bad = values.notna() & ~values.isin(valid)
    rows = pd.Series(np.asarray(frame.index) + 2, index=frame.index)
    return [
        {"table": table, "row": rows[i], "column": column, "value": values[i],
         "reason": f"is not in {target}"}
        for i in frame.index[bad]
    ]  # fmt: skip


@pytest.mark.parametrize("storage", STORAGES)
@given(
    values=st.lists(st.sampled_from(("U01", "U02", "U03", "u01", " U01", "", None)), max_size=30),
    valid=st.lists(st.sampled_from(("U01", "U02", "U09", "")), max_size=4),
)
@settings(max_examples=40, deadline=None)
def test_a_reference_checked_by_hash_lookup_equals_isin(storage, values, valid):
    frame = pd.DataFrame({"unit_id": text_series(values, storage)})
    index = pd.Index(text_series(valid, storage))
    fast = reference_problems("employees", frame, "unit_id", "units", index)
    assert fast == reference_reference_problems("employees", frame, "unit_id", "units", index)


# --------------------------------------------------------------------------- reading


def reference_blank(cells: pd.DataFrame) -> np.ndarray:
    return cells.apply(lambda c: c.astype(str).str.strip().eq("")).all(axis=1).to_numpy()


@pytest.mark.parametrize("storage", STORAGES)
@given(
    rows=st.lists(
        st.lists(st.sampled_from(("", " ", "\u00a0", "\t", "a", " b ", "1")), min_size=3,
                 max_size=3),
        min_size=1, max_size=30,
    ),
    typed=st.booleans(),
)  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_blank_rows_found_once_per_distinct_text_equal_every_cell(storage, rows, typed):
    with pd.option_context("mode.string_storage", storage):
        cells = pd.DataFrame(rows * 2, dtype=object if typed else "str")
        if typed:  # a workbook grid holds Python objects (numbers, None) before text
            cells.iloc[0, 0] = 3.5
            cells.iloc[-1, -1] = None
        fast = np.ones(len(cells), dtype=bool)
        for _, column in cells.items():
            fast &= _blank_cells(column)
        np.testing.assert_array_equal(fast, reference_blank(cells))


def reference_numeric_nip_problem(table: str, raw: RawTable) -> dict | None:
    """The refusal of NIPs held as numbers as it was: three regular expressions per row."""
    text = raw.frame["nip"].astype("str").str.strip()
    n = len(text)
    cells = raw.numeric.get("nip", np.zeros(n, dtype=bool))
    number_form = text.str.fullmatch(loader._NUMBER_FORM).to_numpy(dtype=bool)
    rounded = text.str.fullmatch(loader._ROUNDED).to_numpy(dtype=bool)
    n_18 = int(text.str.fullmatch(r"\d{18}").sum())
    many_rounded = rounded.sum() >= 2 and rounded.sum() >= 0.5 * n_18
    if not (cells.any() or number_form.any() or many_rounded):
        return None
    affected = int((cells | number_form | rounded).sum())
    how = []
    if cells.any():
        where = (
            "a number column of the Parquet file"
            if raw.dialect.encoding == "parquet"
            else ("numeric cells of the workbook")
        )
        how.append(f"{int(cells.sum())} in {where}")
    if number_form.any():
        how.append(f"{int(number_form.sum())} written as numbers (scientific notation, E+17)")
    if rounded.any() and not cells.any():
        how.append(f"{int(rounded.sum())} ending in 000, the mark of a rounded number")
    reason = (
        f"NIP stored as a number in {affected} of {n} rows ({'; '.join(how)}): a spreadsheet "
        "keeps only 15 significant digits, so the last digits of an 18-digit NIP are lost and "
        "cannot be recovered; no NIP of this table was checked or used. Fix: format the NIP "
        "column as Text, paste the NIPs again from the source system and export again, or fill "
        "in the template (asn-analysis template). / NIP tersimpan sebagai angka pada "
        f"{affected} baris: digit terakhir hilang dan tidak dapat dipulihkan. Format kolom NIP "
        "sebagai Teks lalu ekspor ulang, atau gunakan templat (asn-analysis template)."
    )
    return {"table": table, "row": pd.NA, "column": "nip", "value": "", "reason": reason}


NIP_FORMS = NIPS + ("1.98503E+17", "198503122010011000", "198503122010011000.0", "1,5e17")


@pytest.mark.parametrize("storage", STORAGES)
@given(
    nips=st.lists(st.sampled_from(NIP_FORMS), min_size=1, max_size=30),
    typed=st.lists(st.booleans(), min_size=90, max_size=90) | st.none(),
    encoding=st.sampled_from(["workbook", "parquet"]),
)
@settings(max_examples=60, deadline=None)
def test_nips_held_as_numbers_are_counted_once_per_distinct_text_as_every_cell(
    storage, nips, typed, encoding
):
    frame = pd.DataFrame({"nip": text_series(nips * 3, storage)}).reset_index(drop=True)
    numeric = {} if typed is None else {"nip": np.array(typed[: len(frame)], dtype=bool)}
    raw = RawTable(frame, Dialect("employees", encoding, "", "."), numeric)
    fast = loader._numeric_nip_problem("employees", raw)
    assert fast == reference_numeric_nip_problem("employees", raw)


# --------------------------------------------------------------------------- the bundled data


def test_the_bundled_tables_parse_per_distinct_value_as_per_cell():
    """Every column of the bundled data: the fast parse (shared cache) equals the per-cell one."""
    data = read_dataset(bundled_data_path(), TABLES)
    cache: dict = {}
    for table, raw in data.tables.items():
        specs = {s.name: s for s in TABLE_SPECS[table]}
        for column in raw.frame.columns:
            spec = specs.get(column, ColumnSpec(column, "int"))  # the survey items
            fast = loader._parse_distinct(raw.frame[column], spec, cache=cache)
            assert_same_parse(fast, loader._parse_column(raw.frame[column], spec))
