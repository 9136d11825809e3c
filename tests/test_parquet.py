"""Parquet input (issue 15): a folder may hold ``<table>.parquet`` files instead of CSV files.

A Parquet table goes through the same validation, problems and pseudonyms as its CSV twin: the
loaded tables are equal, a bad value is reported with the same table, column and row, an NIP
stored as an integer column is refused like a numeric NIP cell of a workbook, and a table given
twice (CSV and Parquet) or a file that is not Parquet is a clear problem, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import TEST_SALT, read

from asn_analysis.data import DataValidationError, load_dataset, validate
from asn_analysis.data.read import read_dataset, read_parquet_table, table_files
from asn_analysis.data.schema import TABLES
from asn_analysis.errors import AsnAnalysisError
from asn_analysis.pipeline import input_fingerprint

TODAY = dt.date(2026, 3, 1)


def _as_parquet(folder: Path, tables=TABLES, *, typed: bool = False) -> None:
    """Replace CSV tables by Parquet files: text columns, or with natural column types."""
    for table in tables:
        frame = read(folder, table)
        if typed:
            frame = _typed(frame)
        frame.to_parquet(folder / f"{table}.parquet", index=False)
        (folder / f"{table}.csv").unlink()


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns as a database export types them: numbers as numbers, dates as dates."""
    out = frame.copy()
    for col in out.columns:
        if col == "nip":
            continue
        text = out[col].replace("", None)
        numbers = pd.to_numeric(text, errors="coerce")
        if text.notna().any() and numbers.notna().sum() == text.notna().sum():
            whole = numbers.dropna().eq(numbers.dropna().round()).all()
            out[col] = numbers.astype("Int64") if whole else numbers
            continue
        if col.endswith(("_on", "_date")):
            dates = pd.to_datetime(text, errors="coerce", format="ISO8601")
            if dates.notna().sum() == text.notna().sum():
                out[col] = dates.dt.date
    return out


@pytest.fixture(scope="module")
def csv_loaded(mini_source):
    return load_dataset(mini_source, salt=TEST_SALT, today=TODAY)


def _assert_same(a, b) -> None:
    for table in TABLES:
        left, right = getattr(a, table), getattr(b, table)
        assert (left is None) == (right is None), table
        if left is not None:
            pd.testing.assert_frame_equal(left, right, check_dtype=True, obj=table)
    pd.testing.assert_frame_equal(a.row_counts, b.row_counts)


@pytest.mark.parametrize("typed", [False, True], ids=["text columns", "typed columns"])
def test_a_parquet_folder_loads_like_its_csv_twin(mini, csv_loaded, typed):
    _as_parquet(mini, typed=typed)
    assert not list(mini.glob("*.csv"))
    ds = load_dataset(mini, salt=TEST_SALT, today=TODAY)
    _assert_same(ds, csv_loaded)  # same pseudonyms, values, dtypes and row counts
    assert set(ds.dialects["encoding"]) == {"parquet"}
    assert not [n for n in ds.notes if "read with" in n]  # no dialect note for a typed file


def test_csv_and_parquet_tables_mix_in_one_folder(mini, csv_loaded):
    _as_parquet(mini, ["employees", "competency_assessments"], typed=True)
    _assert_same(load_dataset(mini, salt=TEST_SALT, today=TODAY), csv_loaded)


def test_an_integer_nip_column_is_refused_like_a_numeric_cell(mini):
    frame = read(mini, "employees")
    nips = frame["nip"].tolist()
    frame["nip"] = frame["nip"].astype(np.int64)  # fits in int64; a spreadsheet would round it
    frame.to_parquet(mini / "employees.parquet", index=False)
    (mini / "employees.csv").unlink()
    with pytest.raises(DataValidationError) as info:
        load_dataset(mini, salt=TEST_SALT, today=TODAY)
    msg = str(info.value)
    assert "employees.nip" in msg and "NIP stored as a number" in msg
    assert f"{len(frame)} in a number column of the Parquet file" in msg
    assert not any(nip in msg for nip in nips)  # privacy: no NIP in the message
    report = validate(mini, today=TODAY)
    assert not report.ok
    assert not any(nip in report.format() for nip in nips)


def test_a_bad_value_names_table_column_and_the_sheet_row(mini):
    frame = _typed(read(mini, "competency_assessments"))
    frame.loc[3, "level"] = 7  # the fifth line when opened as a sheet: header is row 1
    frame.loc[6, "level"] = 0
    frame.to_parquet(mini / "competency_assessments.parquet", index=False)
    (mini / "competency_assessments.csv").unlink()
    with pytest.raises(DataValidationError) as info:
        load_dataset(mini, salt=TEST_SALT, today=TODAY)
    problems = info.value.problems
    bad = problems[problems["column"].eq("level")]
    assert set(bad["table"]) == {"competency_assessments"}
    assert sorted(bad["row"].astype(int)) == [5, 8]  # every problem, not only the first
    assert sorted(bad["value"].astype(str)) == ["0", "7"]


def test_quarantine_keeps_every_row_accounted_for(mini):
    frame = read(mini, "training")
    rows_in = len(frame)
    frame.loc[2, "start_date"] = "31-02-2024"
    frame.to_parquet(mini / "training.parquet", index=False)
    (mini / "training.csv").unlink()
    ds = load_dataset(mini, on_error="quarantine", salt=TEST_SALT, today=TODAY)
    counts = ds.row_counts.set_index("table").loc["training"]
    assert counts["rows_in"] == rows_in
    assert counts["rows_kept"] + counts["rows_quarantined"] == rows_in
    assert counts["rows_quarantined"] >= 1
    assert 4 in set(ds.quarantine.loc[ds.quarantine["table"].eq("training"), "row"])


def test_a_null_row_is_a_blank_row_with_sheet_numbers(tmp_path):
    table = pa.table(
        {
            "unit_id": ["U01", None, "U03"],
            "score": pa.array([3.0, None, 2.5]),
            "n": pa.array([1, None, 3], pa.int64()),
            "on": pa.array([dt.date(2024, 1, 2), None, dt.date(2024, 3, 4)]),
            "at": pa.array([dt.datetime(2024, 1, 2), None, dt.datetime(2024, 1, 2, 3, 4)]),
            "flag": pa.array([True, None, False]),
            "kind": pa.array(["a", None, "b"]).dictionary_encode(),
        }
    )
    pq.write_table(table, tmp_path / "units.parquet")
    raw, error = read_parquet_table(tmp_path / "units.parquet")
    assert error == "" and raw is not None
    assert raw.frame.to_dict("list") == {
        "unit_id": ["U01", "U03"],
        "score": ["3", "2.5"],  # a whole float reads as a workbook shows it
        "n": ["1", "3"],
        "on": ["2024-01-02", "2024-03-04"],
        "at": ["2024-01-02", "2024-01-02 03:04:00"],
        "flag": ["true", "false"],
        "kind": ["a", "b"],
    }
    assert raw.blank_rows == (3,) and raw.frame.index.tolist() == [0, 2]  # rows 2 and 4
    assert sorted(raw.numeric) == ["n", "score"]
    np.testing.assert_array_equal(raw.numeric["n"], [True, True])


def test_a_repeated_column_name_keeps_the_first_and_is_listed(tmp_path):
    table = pa.Table.from_arrays([pa.array(["U01"]), pa.array(["x"])], names=["unit_id"] * 2)
    pq.write_table(table, tmp_path / "units.parquet")
    raw, _ = read_parquet_table(tmp_path / "units.parquet")
    assert raw is not None and raw.duplicate_headers == {"unit_id": (1, 2)}
    assert raw.frame["unit_id"].tolist() == ["U01"]


def test_a_table_given_twice_is_one_clear_problem(mini):
    read(mini, "units").to_parquet(mini / "units.parquet", index=False)
    assert [f.name for f in table_files(mini, "units")] == ["units.csv", "units.parquet"]
    with pytest.raises(DataValidationError, match="units.csv and units.parquet both hold"):
        load_dataset(mini, salt=TEST_SALT, today=TODAY)


@pytest.mark.parametrize(
    "content",
    [b"unit_id,unit_name\nU01,Dinas\n", b"PAR1", b""],
    ids=["csv text", "magic only", "empty file"],
)
def test_a_file_that_is_not_parquet_is_a_problem_not_a_traceback(mini, content):
    (mini / "units.csv").unlink()
    (mini / "units.parquet").write_bytes(content)
    raw = read_dataset(mini, TABLES)
    assert "units" not in raw.tables
    [(table, reason)] = [p for p in raw.problems if p[0] == "units"]
    assert "units.parquet cannot be read as a Parquet file" in reason
    with pytest.raises(AsnAnalysisError, match="units.parquet cannot be read as a Parquet"):
        load_dataset(mini, salt=TEST_SALT, today=TODAY)


def test_an_empty_parquet_table_is_reported(mini):
    read(mini, "units").head(0).to_parquet(mini / "units.parquet", index=False)
    (mini / "units.csv").unlink()
    with pytest.raises(DataValidationError, match="table is empty"):
        load_dataset(mini, salt=TEST_SALT, today=TODAY)


def test_the_run_fingerprint_covers_parquet_files(mini, tmp_path):
    before = input_fingerprint(mini)
    _as_parquet(mini, ["units"])
    after = input_fingerprint(mini)
    assert "units.parquet" in after["files"] and "units.csv" not in after["files"]
    assert after["sha256"] != before["sha256"]
    copy = tmp_path / "copy"
    shutil.copytree(mini, copy)
    assert input_fingerprint(copy)["sha256"] == after["sha256"]


def test_a_parquet_copy_of_the_bundled_data_is_real_data(mini_source, tmp_path):
    from asn_analysis.data import bundled_data_path

    folder = tmp_path / "bundled"
    shutil.copytree(bundled_data_path(), folder)
    _as_parquet(folder, ["units"])
    ds = load_dataset(folder, salt=TEST_SALT, today=TODAY)
    assert ds.ground_truth is None  # not recognised as the bundled synthetic data
