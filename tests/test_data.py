import hashlib
import hmac

import numpy as np
import pandas as pd
import pytest
from conftest import TEST_SALT, read, write

from asn_analysis.cli import main
from asn_analysis.data import DataValidationError, bundled_data_path, load_dataset, validate
from asn_analysis.data.privacy import SYNTHETIC_SALT, MissingSaltError
from asn_analysis.data.schema import TABLES


@pytest.fixture(scope="module")
def bundled():
    return load_dataset()


def raise_message(folder, **kwargs) -> str:
    with pytest.raises(DataValidationError) as info:
        load_dataset(folder, **kwargs)
    return str(info.value)


# ----------------------------------------------------------------- the bundled data


def test_bundled_data_is_valid_and_complete(bundled):
    counts = bundled.row_counts.set_index("table")
    assert list(counts.index) == list(TABLES)
    assert (counts["rows_quarantined"] == 0).all()
    for table in TABLES:
        raw_rows = len(pd.read_csv(bundled_data_path() / f"{table}.csv", dtype=str))
        assert counts.at[table, "rows_in"] == raw_rows == len(getattr(bundled, table))
    assert bundled.is_synthetic
    assert bundled.quarantine.empty


def test_no_identifier_leaves_the_loader(bundled):
    raw = pd.read_csv(bundled_data_path() / "employees.csv", dtype=str)
    secrets = set(raw["nip"]) | set(raw["name"])
    for table, frame in bundled.tables().items():
        assert "nip" not in frame.columns and "name" not in frame.columns, table
        for column in frame.columns:
            if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
                leaked = set(frame[column].dropna().astype(str)) & secrets
                assert not leaked, f"{table}.{column} holds identifiers"


def test_employee_id_is_hmac_sha256_of_nip(bundled):
    # Independent reference: the standard library's HMAC on the first employee's NIP.
    raw = pd.read_csv(bundled_data_path() / "employees.csv", dtype=str)
    nip = raw["nip"].iloc[0]
    expected = hmac.new(SYNTHETIC_SALT.encode(), nip.encode(), hashlib.sha256).hexdigest()[:16]
    assert bundled.employees["employee_id"].iloc[0] == expected
    assert bundled.employees["employee_id"].is_unique


def test_every_table_is_keyed_by_employee_id(bundled):
    ids = set(bundled.employees["employee_id"])
    for table in ("competency_assessments", "performance", "training", "staff_survey"):
        frame = getattr(bundled, table)
        assert frame.columns[0] == "employee_id"
        assert set(frame["employee_id"]) <= ids


def test_parsed_types(bundled):
    assert pd.api.types.is_datetime64_any_dtype(bundled.training["start_date"])
    assert str(bundled.skm_responses["waktu"].dtype) == "Int64"
    assert bundled.survey_items["reverse_keyed"].dtype == "boolean"
    assert bundled.skm_responses["waktu"].isna().any()  # blanks stay missing, not 0


# ----------------------------------------------------------------- each bad-input class


def test_missing_column(mini):
    write(mini, "employees", read(mini, "employees").drop(columns=["gender"]))
    msg = raise_message(mini)
    assert "employees.gender: required column gender is missing" in msg


def test_out_of_range_value_names_table_column_rows_and_value(mini):
    skm = read(mini, "skm_responses")
    skm.loc[[15, 202], "waktu"] = "5"
    write(mini, "skm_responses", skm)
    msg = raise_message(mini)
    # File rows: header is row 1, so data index 15 is row 17.
    assert "skm_responses.waktu rows 17, 204: 5 is outside 1-4" in msg


def test_not_a_number(mini):
    skm = read(mini, "skm_responses")
    skm.loc[3, "biaya"] = "baik"
    write(mini, "skm_responses", skm)
    assert "skm_responses.biaya row 5: baik is not a whole number" in raise_message(mini)


def test_not_allowed_value(mini):
    emp = read(mini, "employees")
    emp.loc[0, "job_type"] = "struktural"
    write(mini, "employees", emp)
    msg = raise_message(mini)
    assert "employees.job_type row 2: struktural is not one of jpt_pratama" in msg


def test_duplicate_key(mini):
    units = read(mini, "units")
    write(mini, "units", pd.concat([units, units.iloc[[1]]], ignore_index=True))
    msg = raise_message(mini)
    assert "is a duplicate key (unit_id appears more than once)" in msg
    assert f"rows 3, {len(units) + 2}" in msg


def test_dangling_reference(mini):
    tr = read(mini, "training")
    tr.loc[0, "nip"] = "198001012005011999"
    write(mini, "training", tr)
    msg = raise_message(mini)
    assert "training.nip row 2: <redacted> is not in employees" in msg
    assert "198001012005011999" not in msg  # identifiers are not echoed


@pytest.mark.parametrize(
    ("nip", "reason"),
    [
        ("19850312201001100", "18 digits expected"),
        ("19851342201001100 1", "18 digits expected"),
        ("198513422010011001", "not a real birth date"),
        ("198503122010131001", "not a plausible appointment month"),
        ("198503122010013001", "digit 15 (gender) must be 1 or 2"),
    ],
)
def test_invalid_nip(mini, nip, reason):
    emp = read(mini, "employees")
    emp.loc[4, "nip"] = nip
    write(mini, "employees", emp)
    msg = raise_message(mini)
    assert "employees.nip row 6: <redacted>" in msg and reason in msg


def test_nip_disagreeing_with_gender(mini):
    emp = read(mini, "employees")
    emp.loc[2, "gender"] = {"L": "P", "P": "L"}[emp.loc[2, "gender"]]
    write(mini, "employees", emp)
    assert "gender digit disagrees with gender" in raise_message(mini)


def test_predikat_must_follow_the_matrix(mini):
    perf = read(mini, "performance")
    perf.loc[0, ["hasil_kerja", "perilaku_kerja", "predikat"]] = ["di_bawah", "sesuai", "baik"]
    write(mini, "performance", perf)
    msg = raise_message(mini)
    assert "performance.predikat row 2: baik does not follow" in msg
    assert "gives butuh_perbaikan" in msg


def test_empty_table(mini):
    write(mini, "training", read(mini, "training").head(0))
    assert "training: table is empty" in raise_message(mini)


def test_neither_utf8_nor_windows_1252(mini):
    text = (mini / "units.csv").read_text(encoding="utf-8")
    raw = text.replace("Dinas", "Dinás", 1).encode("latin-1").replace(b"\xe1", b"\x81")
    (mini / "units.csv").write_bytes(raw)
    msg = raise_message(mini)
    assert "units.csv is not UTF-8 text (byte 0x81 on line 2), nor Windows-1252" in msg


def test_missing_file(mini):
    # an optional table may be absent; employees is required once a per-person table is given
    (mini / "performance.csv").unlink()
    assert load_dataset(mini).performance is None
    (mini / "employees.csv").unlink()
    msg = raise_message(mini)
    assert "file employees.csv is missing: employees is required when" in msg
    assert "performance" not in msg


def test_staff_survey_column_not_in_item_map(mini):
    survey = read(mini, "staff_survey")
    survey["res_99"] = "3"
    write(mini, "staff_survey", survey)
    assert "column res_99 is not an item of survey_items" in raise_message(mini)


def test_all_problems_are_collected(mini):
    skm = read(mini, "skm_responses")
    skm.loc[0, "sarana"] = "0"
    write(mini, "skm_responses", skm)
    units = read(mini, "units")
    units.loc[0, "sector"] = "kesehatan_x"
    write(mini, "units", units)
    tr = read(mini, "training")
    tr.loc[1, "hours_jp"] = "-3"
    write(mini, "training", tr)
    with pytest.raises(DataValidationError) as info:
        load_dataset(mini)
    tables = set(info.value.problems["table"])
    assert {"skm_responses", "units", "training"} <= tables


# ----------------------------------------------------------------- workbooks


def to_workbook(folder, path, skip=()):
    with pd.ExcelWriter(path) as xl:
        for t in TABLES:
            if t not in skip:
                read(folder, t).to_excel(xl, sheet_name=t, index=False)


def test_workbook_equals_csv_folder(mini, tmp_path):
    book = tmp_path / "data.xlsx"
    to_workbook(mini, book)
    from_csv = load_dataset(mini, salt=TEST_SALT)
    from_xlsx = load_dataset(book, salt=TEST_SALT)
    assert from_xlsx.ground_truth is None
    for t in TABLES:
        pd.testing.assert_frame_equal(getattr(from_csv, t), getattr(from_xlsx, t))


def test_workbook_missing_a_sheet(mini, tmp_path):
    book = tmp_path / "data.xlsx"
    to_workbook(mini, book, skip=("survey_items",))
    assert "workbook data.xlsx has no sheet named survey_items" in raise_message(
        book, salt=TEST_SALT
    )


# ----------------------------------------------------------------- quarantine


def test_quarantine_reconciles_and_cascades(mini):
    emp = read(mini, "employees")
    emp.loc[7, "birth_year"] = "1900"
    write(mini, "employees", emp)
    skm = read(mini, "skm_responses")
    skm.loc[[1, 2], "prosedur"] = "7"
    write(mini, "skm_responses", skm)
    ds = load_dataset(mini, on_error="quarantine")
    counts = ds.row_counts.set_index("table")
    for t in TABLES:
        rows_in = len(read(mini, t))
        assert counts.at[t, "rows_in"] == rows_in
        assert counts.at[t, "rows_kept"] == len(getattr(ds, t))
        assert counts.at[t, "rows_kept"] + counts.at[t, "rows_quarantined"] == rows_in
    assert counts.at["employees", "rows_quarantined"] == 1
    assert counts.at["skm_responses", "rows_quarantined"] == 2
    # The employee's other rows go too, each with a reason pointing at employees row 9.
    nip = emp.loc[7, "nip"]
    own = sum((read(mini, t)["nip"] == nip).sum() for t in ("performance", "training"))
    cascaded = ds.quarantine[ds.quarantine["reason"].str.contains("quarantined in employees")]
    assert len(cascaded) >= own > 0
    assert cascaded["reason"].str.contains(r"\(row 9\)").all()
    assert (ds.quarantine.loc[ds.quarantine["column"] == "nip", "value"] == "<redacted>").all()


def test_table_level_problem_is_not_quarantined(mini):
    write(mini, "units", read(mini, "units").drop(columns=["sector"]))
    with pytest.raises(DataValidationError, match="cannot be quarantined"):
        load_dataset(mini, on_error="quarantine")


# ----------------------------------------------------------------- salt


def test_real_data_needs_a_salt(mini, monkeypatch):
    # mini is a cut of the bundled data: real data, though its ground_truth.json says synthetic
    assert '"synthetic": true' in (mini / "ground_truth.json").read_text(encoding="utf-8")
    monkeypatch.delenv("ASN_ANALYSIS_SALT", raising=False)
    with pytest.raises(MissingSaltError, match="ASN_ANALYSIS_SALT"):
        load_dataset(mini)
    monkeypatch.setenv("ASN_ANALYSIS_SALT", TEST_SALT)
    ds = load_dataset(mini)
    assert ds.ground_truth is None and not ds.is_synthetic
    other = load_dataset(mini, salt=TEST_SALT[::-1])
    assert not np.array_equal(ds.employees["employee_id"], other.employees["employee_id"])


# ----------------------------------------------------------------- command line


def test_cli_validate(mini, capsys):
    assert main(["validate", str(mini)]) == 0
    assert "No problems found" in capsys.readouterr().out
    skm = read(mini, "skm_responses")
    skm.loc[0, "waktu"] = "9"
    write(mini, "skm_responses", skm)
    assert main(["validate", str(mini)]) == 1
    assert "skm_responses.waktu row 2: 9 is outside 1-4" in capsys.readouterr().out


def test_validate_report_counts(mini):
    report = validate(mini)
    assert report.ok
    assert report.row_counts["rows_with_problems"].sum() == 0


# ----------------------------------------------------------------- identifiers (issue 13)


def test_a_name_inside_a_unit_name_is_not_an_identifier_out_of_place(mini):
    """Only a whole value equal to a name is refused: RSUD dr. <name> stays a unit."""
    emp = read(mini, "employees")
    emp.loc[0, "name"] = "Soetomo"
    write(mini, "employees", emp)
    units = read(mini, "units")
    units.loc[0, "unit_name"] = "RSUD dr. Soetomo"
    write(mini, "units", units)
    assert validate(mini, today="2026-03-01").ok
    units.loc[1, "unit_name"] = "soetomo"  # the name itself, in another case
    write(mini, "units", units)
    problems = validate(mini, today="2026-03-01").problems
    assert problems[["table", "row", "column", "value"]].values.tolist() == [
        ["units", 3, "unit_name", "<redacted>"]
    ]


def test_a_message_naming_a_unit_after_a_person_is_redacted_not_the_data(mini):
    emp = read(mini, "employees")
    emp.loc[0, "name"] = "Soetomo"
    emp.loc[1, "unit_id"] = "RSUD Soetomo"  # not a unit: the message must not carry the name
    write(mini, "employees", emp)
    msg = raise_message(mini, today="2026-03-01")
    assert "employees.unit_id row 3: <redacted> is not in units" in msg
    assert "Soetomo" not in msg


def test_cli_validate_of_a_file_that_is_not_a_workbook(mini, tmp_path, capsys):
    book = tmp_path / "data.xlsx"
    book.write_bytes((mini / "units.csv").read_bytes())
    assert main(["validate", str(book)]) == 1
    assert "data.xlsx cannot be read as an Excel workbook" in capsys.readouterr().out
    assert main(["validate", str(mini / "units.csv")]) == 1
    assert "neither a folder of CSV files nor an .xlsx workbook" in capsys.readouterr().err
