"""The loader reads the exports an agency actually has (issue 12, items 2-5 and 8).

Each variant is built from the mini dataset (tests/conftest.py) and must load to exactly the
same Dataset as the canonical CSV folder, or be refused with one clear message.
"""

import re
import tomllib

import numpy as np
import pandas as pd
import pytest
from conftest import TEST_SALT, read, write

from asn_analysis.cli import main
from asn_analysis.data import DataValidationError, load_dataset, validate
from asn_analysis.data.headers import DEFAULT_MAPPING_FILE, ColumnMappingError
from asn_analysis.data.schema import TABLES
from asn_analysis.data.values import parse_dates, parse_periods, plain_numbers

FLOATS = {"training": ("reaction_score", "pre_test", "post_test")}
NIP_TABLES = ("employees", "competency_assessments", "performance", "training", "staff_survey")
MONTHS_ID = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"


def assert_same(a, b):
    for t in TABLES:
        pd.testing.assert_frame_equal(getattr(a, t), getattr(b, t), obj=t)


def raw_tables(folder):
    return {t: read(folder, t) for t in TABLES}


def write_all(folder, tables, **kwargs):
    folder.mkdir(exist_ok=True)
    for t, frame in tables.items():
        frame.to_csv(folder / f"{t}.csv", index=False, **kwargs)


def problems_of(path, **kwargs):
    with pytest.raises(DataValidationError) as info:
        load_dataset(path, salt=TEST_SALT, **kwargs)
    return info.value


# ----------------------------------------------------------------- CSV dialects


def test_semicolon_decimal_comma_bom_csv(mini, tmp_path):
    tables = raw_tables(mini)
    for table, columns in FLOATS.items():
        for c in columns:
            tables[table][c] = tables[table][c].str.replace(".", ",", regex=False)
    out = tmp_path / "excel_id"
    write_all(out, tables, sep=";", encoding="utf-8-sig")
    assert_same(load_dataset(mini, salt=TEST_SALT), load_dataset(out, salt=TEST_SALT))
    report = validate(out)
    assert report.ok
    assert "training: training.csv read with delimiter ';', decimal comma, UTF-8 with BOM" in (
        report.notes
    )
    dialects = report.dialects.set_index("table")
    assert dialects.at["training", "delimiter"] == ";"
    assert dialects.at["training", "decimal"] == ","
    assert dialects.at["units", "encoding"] == "UTF-8 with BOM"


def test_tab_separated_csv(mini, tmp_path):
    out = tmp_path / "tabs"
    write_all(out, raw_tables(mini), sep="\t")
    assert_same(load_dataset(mini, salt=TEST_SALT), load_dataset(out, salt=TEST_SALT))
    assert validate(out).dialects["delimiter"].eq("\t").all()


def test_windows_1252_csv(mini, tmp_path):
    units = read(mini, "units")
    units.loc[0, "unit_name"] = "Dinas Pariwisata dan Kebudayaan Daérah"
    write(mini, "units", units)
    out = tmp_path / "cp1252"
    write_all(out, raw_tables(mini), encoding="cp1252")
    from_cp1252 = load_dataset(out, salt=TEST_SALT)
    assert_same(load_dataset(mini, salt=TEST_SALT), from_cp1252)
    assert from_cp1252.units.loc[0, "unit_name"].endswith("Daérah")
    assert any("Windows-1252" in n for n in from_cp1252.notes)


def test_unparseable_csv_names_file_line_and_expectation(mini):
    text = (mini / "units.csv").read_text(encoding="utf-8").splitlines()
    text[3] += ",extra,fields"
    (mini / "units.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    msg = str(problems_of(mini))
    assert "units.csv cannot be read as CSV" in msg
    assert "line 4 has 7 fields where the header has 5" in msg


# ----------------------------------------------------------------- headers


def indonesian_headers(tables):
    spellings = tomllib.loads(DEFAULT_MAPPING_FILE.read_text(encoding="utf-8"))
    out = {}
    for t, frame in tables.items():
        first = {}
        for source, target in spellings.get(t, {}).items():
            first.setdefault(target, source)
        out[t] = frame.rename(columns={c: first.get(c, c).upper() for c in frame.columns})
    return out


def test_indonesian_headers(mini, tmp_path):
    tables = indonesian_headers(raw_tables(mini))
    assert "UNIT KERJA" in tables["employees"].columns and "NIP" in tables["employees"].columns
    out = tmp_path / "headers"
    write_all(out, tables)
    loaded = load_dataset(out, salt=TEST_SALT)
    assert_same(load_dataset(mini, salt=TEST_SALT), loaded)
    assert any(
        "employees: headers read as codebook columns: 'NIP' -> nip" in n for n in loaded.notes
    )


def test_headers_ignore_case_spaces_and_underscores(mini):
    canonical = load_dataset(mini)
    emp = read(mini, "employees")
    renamed = {"birth_year": " Birth Year ", "job_type": "JOB_TYPE", "unit_id": "Unit  Id"}
    write(mini, "employees", emp.rename(columns=renamed))
    assert_same(canonical, load_dataset(mini))


def test_column_mapping_file(mini, tmp_path):
    canonical = load_dataset(mini, salt=TEST_SALT)
    skm = read(mini, "skm_responses")
    elements = ["persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku",
                "pengaduan", "sarana"]  # fmt: skip
    form_order = elements[::-1]  # the form asks the elements in another order
    positional = {e: f"U{i}" for i, e in enumerate(form_order, start=1)}
    write(mini, "skm_responses", skm.rename(columns={**positional, "period": "Masa Survei"}))
    mapping = tmp_path / "mapping.toml"
    lines = ["[skm_responses]", '"Masa Survei" = "period"']
    lines += [f'{u} = "{e}"' for e, u in positional.items()]
    mapping.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_same(canonical, load_dataset(mini, salt=TEST_SALT, columns=mapping))
    assert main(["validate", str(mini), "--columns", str(mapping)]) == 0
    # Without the mapping, U1..U9 are never guessed by position.
    msg = str(problems_of(mini))
    assert "skm_responses.persyaratan: required column persyaratan is missing" in msg
    assert "columns found: 'response_id', 'unit_id', 'Masa Survei'" in msg


def test_missing_column_lists_found_columns_and_nearest(mini):
    emp = read(mini, "employees")
    write(mini, "employees", emp.rename(columns={"gender": "Jenis Kelamn"}))
    msg = str(problems_of(mini))
    assert "required column gender is missing (nearest header: 'Jenis Kelamn'" in msg
    assert "employees: columns found: 'nip', 'name', 'unit_id'" in msg


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('[pegawai]\nNIP = "nip"\n', "[pegawai] is not a table of the codebook"),
        ('[employees]\nNIP = "nomor"\n', "nomor is not a column of employees"),
        ("[employees\n", "is not a valid TOML column mapping"),
    ],
)
def test_bad_mapping_file(mini, tmp_path, text, error):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(ColumnMappingError, match=re.escape(error)):
        load_dataset(mini, columns=mapping)


# ----------------------------------------------------------------- dates and periods


def test_day_first_dates(mini):
    canonical = load_dataset(mini)
    months = MONTHS_ID.split()
    tr = read(mini, "training")
    start = pd.to_datetime(tr["start_date"])
    tr["start_date"] = start.dt.strftime("%d/%m/%Y")
    tr["end_date"] = pd.to_datetime(tr["end_date"]).dt.strftime("%d-%m-%Y")
    write(mini, "training", tr)
    ca = read(mini, "competency_assessments")
    on = pd.to_datetime(ca["assessed_on"])
    ca["assessed_on"] = [f"{d.day} {months[d.month - 1]} {d.year}" for d in on]
    write(mini, "competency_assessments", ca)
    assert_same(canonical, load_dataset(mini))


def test_month_first_date_is_one_problem_and_does_not_cascade(mini):
    ca = read(mini, "competency_assessments")
    pair = ca[ca.duplicated(["nip", "competency"], keep=False)].index[:2]
    ca.loc[pair, "assessed_on"] = ["04/13/2022", "13/13/2022"]
    write(mini, "competency_assessments", ca)
    problems = problems_of(mini).problems
    assert len(problems) == 2
    assert problems["reason"].str.startswith("is not a date").all()
    assert not problems["reason"].str.contains("duplicate").any()


def test_date_parsing_forms():
    same = ["2022-04-12", "12/04/2022", "12-04-2022", "12.04.2022", "12 April 2022"]
    other = ["12 Agustus 2022", "1 Mei 2022", "04/13/2022", "31/02/2022", None]
    text = pd.Series(same + other)
    got = parse_dates(text)
    assert got[:5].eq(pd.Timestamp("2022-04-12")).all()
    assert got[5] == pd.Timestamp("2022-08-12") and got[6] == pd.Timestamp("2022-05-01")
    assert got[7:].isna().all()


@pytest.mark.parametrize(
    ("written", "period"),
    [
        ("2024-S1", "2024-S1"),
        ("2024-1", "2024-S1"),
        ("2024-2", "2024-S2"),
        ("S1 2024", "2024-S1"),
        ("s2-2024", "2024-S2"),
        ("Semester I 2024", "2024-S1"),
        ("SEMESTER II 2024", "2024-S2"),
        ("Semester 1 2024", "2024-S1"),
        ("Semester 2 Tahun 2024", "2024-S2"),
        ("Triwulan I 2024", "2024-Q1"),
        ("Triwulan IV 2024", "2024-Q4"),
        ("TW1 2024", "2024-Q1"),
        ("TW 3 2024", "2024-Q3"),
        ("2024-Q1", "2024-Q1"),
        ("Q2 2024", "2024-Q2"),
        ("2024", "2024"),
        ("Tahun 2024", "2024"),
    ],
)
def test_period_spellings(written, period):
    assert parse_periods(pd.Series([written])).tolist() == [period]


@pytest.mark.parametrize("written", ["2024-S3", "Semester III 2024", "Triwulan V 2024", "24-S1"])
def test_not_a_period(written):
    assert parse_periods(pd.Series([written])).isna().all()


def test_semester_spellings_load_like_canonical(mini):
    canonical = load_dataset(mini)
    spell = {"S1": "Semester I {}", "S2": "Semester II {}"}
    for table in ("skm_responses", "staff_survey"):
        frame = read(mini, table)
        year, half = frame["period"].str[:4], frame["period"].str[5:]
        frame["period"] = [spell[h].format(y) for y, h in zip(year, half, strict=True)]
        write(mini, table, frame)
    loaded = load_dataset(mini)
    assert_same(canonical, loaded)
    assert any("skm_responses.period:" in n and "Semester I" in n for n in loaded.notes)


def test_quarter_and_year_periods_are_their_own_kind(mini):
    skm = read(mini, "skm_responses")
    skm["period"] = skm["period"].str[:4].radd("Triwulan II ")
    write(mini, "skm_responses", skm)
    report = validate(mini)
    assert report.ok
    assert any("quarter periods" in n and "kept as their own kind" in n for n in report.notes)
    assert load_dataset(mini).skm_responses["period"].str.fullmatch(r"\d{4}-Q2").all()


def test_bad_period_is_one_problem(mini):
    survey = read(mini, "staff_survey")
    survey.loc[0, "period"] = "Semester 3 2024"
    write(mini, "staff_survey", survey)
    problems = problems_of(mini).problems
    assert len(problems) == 1 and problems["reason"].iloc[0].startswith("is not a period")


# ----------------------------------------------------------------- workbooks


def test_workbook_with_typed_cells_equals_csv(mini, tmp_path):
    """Excel date cells, numeric cells for numbers, identifiers as text: same Dataset."""
    book = tmp_path / "typed.xlsx"
    with pd.ExcelWriter(book, engine="openpyxl") as xl:
        for t, frame in raw_tables(mini).items():
            frame = frame.copy()
            for c in ("birth_year", "years_of_service", "level", "year", "hours_jp"):
                if c in frame:
                    frame[c] = frame[c].astype(int)
            for c in ("assessed_on", "start_date", "end_date"):
                if c in frame:
                    frame[c] = pd.to_datetime(frame[c])
            for c in FLOATS.get(t, ()):
                frame[c] = pd.to_numeric(frame[c])
            frame.to_excel(xl, sheet_name=t, index=False)
    assert_same(load_dataset(mini, salt=TEST_SALT), load_dataset(book, salt=TEST_SALT))


def digit_runs_absent(message, nips):
    runs = set(re.findall(r"\d{6,}", message))
    return not any(run in nip for run in runs for nip in nips)


def test_numeric_nip_workbook_is_refused_once_per_table(mini, tmp_path):
    tables = raw_tables(mini)
    nips = set(tables["employees"]["nip"])
    book = tmp_path / "numeric_nip.xlsx"
    with pd.ExcelWriter(book, engine="openpyxl") as xl:
        for t, frame in tables.items():
            frame = frame.copy()
            if "nip" in frame:
                frame["nip"] = frame["nip"].astype(np.int64)  # a numeric cell: a double
            frame.to_excel(xl, sheet_name=t, index=False)
    err = problems_of(book)
    problems = err.problems
    assert sorted(problems["table"]) == sorted(NIP_TABLES)  # one problem per table, nothing else
    counts = problems.set_index("table")["reason"]
    n_emp = len(tables["employees"])
    assert counts["employees"].startswith(f"NIP stored as a number in {n_emp} of {n_emp} rows")
    assert "cannot be recovered" in counts["employees"]
    assert "format the NIP column as Text" in counts["employees"]
    assert "asn-analysis template" in counts["employees"]
    message = str(err)
    assert "duplicate" not in message and "is not in employees" not in message
    assert digit_runs_absent(message, nips)
    assert not validate(book).ok


def test_scientific_notation_nip_csv(mini):
    emp = read(mini, "employees")
    nips = set(emp["nip"])
    emp.loc[emp.index[:40], "nip"] = [format(float(n), ".5E") for n in emp["nip"][:40]]
    write(mini, "employees", emp)
    err = problems_of(mini)
    assert len(err.problems) == 1  # no cascade into the tables that refer to employees
    reason = err.problems["reason"].iloc[0]
    assert f"NIP stored as a number in 40 of {len(emp)} rows" in reason
    assert "scientific notation" in reason
    assert digit_runs_absent(str(err), nips)
    assert "E+17" not in err.problems["value"].str.cat()


def test_rounded_nip_csv(mini):
    emp = read(mini, "employees")
    nips = set(emp["nip"])
    emp["nip"] = emp["nip"].str[:15] + "000"
    write(mini, "employees", emp)
    err = problems_of(mini)
    assert len(err.problems) == 1
    reason = err.problems["reason"].iloc[0]
    assert f"NIP stored as a number in {len(emp)} of {len(emp)} rows" in reason
    assert "ending in 000" in reason
    assert digit_runs_absent(str(err), nips)


def test_one_nip_ending_000_is_an_ordinary_nip_problem(mini):
    emp = read(mini, "employees")
    emp.loc[3, "nip"] = emp.loc[3, "nip"][:15] + "000"
    write(mini, "employees", emp)
    msg = str(problems_of(mini))
    assert "employees.nip row 5: <redacted> is not an NIP: digits 16-18 (serial) are 000" in msg


# ----------------------------------------------------------------- thousands separators


@pytest.mark.parametrize(
    ("written", "decimal", "whole", "expected"),
    [
        ("1.234,5", ",", False, "1234.5"),
        ("1.234.567,25", ",", False, "1234567.25"),
        ("1.234", ",", True, "1234"),
        ("12.345.678", ",", False, "12345678"),
        ("1,234.5", ".", False, "1234.5"),
        ("1,234", ".", True, "1234"),
        ("-1,234,567", ".", False, "-1234567"),
        ("3,5", ",", False, "3.5"),
    ],
)
def test_thousands_separator_forms(written, decimal, whole, expected):
    text, ambiguous = plain_numbers(pd.Series([written]), decimal=decimal, whole=whole)
    assert text.tolist() == [expected] and not ambiguous.any()


@pytest.mark.parametrize(
    ("written", "decimal"),
    # groups not of three digits, or the file's decimal mark used as a separator: left as written
    [("1.23,4", ","), ("12.34", ","), ("1,234,56", "."), ("1.234,5", "."), ("1,234.5", ",")],
)
def test_irregular_grouping_is_left_as_written(written, decimal):
    text, ambiguous = plain_numbers(pd.Series([written]), decimal=decimal)
    assert text.tolist() == [written] and not ambiguous.any()


@pytest.mark.parametrize(("written", "decimal"), [("1.234", ","), ("1,234", ".")])
def test_one_group_in_a_decimal_column_is_ambiguous(written, decimal):
    text, ambiguous = plain_numbers(pd.Series([written, "12"]), decimal=decimal)
    assert ambiguous.tolist() == [True, False] and text.iloc[0] == written


def test_thousands_separators_in_a_decimal_comma_csv(mini, tmp_path):
    tables = raw_tables(mini)
    canonical = load_dataset(mini, salt=TEST_SALT)
    units = tables["units"]
    units["service_users_per_semester"] = "1.234"  # an integer column: 1234
    tables["training"]["pre_test"] = tables["training"]["pre_test"].str.replace(".", ",")
    out = tmp_path / "grouped"
    write_all(out, tables, sep=";")
    loaded = load_dataset(out, salt=TEST_SALT)
    assert (loaded.units["service_users_per_semester"] == 1234).all()
    pd.testing.assert_frame_equal(canonical.training, loaded.training)
    # a grouped decimal is a number (here above the column's maximum, so a range problem)
    tables["training"].loc[0, "pre_test"] = "1.234,5"
    tables["training"].loc[1, "post_test"] = "1.234"  # ambiguous in a decimal column
    tables["training"].loc[2, "post_test"] = "1.23.4"  # not a number
    write_all(out, tables, sep=";")
    problems = problems_of(out).problems.set_index(["column", "row"])["reason"]
    assert "1234.5" in problems[("pre_test", 2)] or "100" in problems[("pre_test", 2)]
    assert not problems[("pre_test", 2)].startswith("is not a number")
    assert problems[("post_test", 3)].startswith("is ambiguous")
    assert problems[("post_test", 4)] == "is not a number"
    assert len(problems) == 3


def test_thousands_separators_in_a_decimal_point_csv(mini):
    units = read(mini, "units")
    units["service_users_per_semester"] = "1,234"
    write(mini, "units", units)  # to_csv quotes the cell: "1,234"
    assert (load_dataset(mini).units["service_users_per_semester"] == 1234).all()
    training = read(mini, "training")
    training.loc[0, "pre_test"] = "1,234.5"
    training.loc[1, "pre_test"] = "1,234"
    write(mini, "training", training)
    problems = problems_of(mini).problems.set_index(["column", "row"])["reason"]
    assert not problems[("pre_test", 2)].startswith("is not a number")  # 1234.5 > max 100
    assert problems[("pre_test", 3)].startswith("is ambiguous")


@pytest.mark.parametrize(
    ("body", "decimal"),
    [
        (b"unit_id;users\nU01;1.234\n", ","),  # ';' as Excel writes it where ',' is decimal
        (b"unit_id;users\nU01;1.234,5\n", ","),  # a grouped decimal comma
        (b"unit_id;score\nU01;3.5\n", "."),  # a decimal point shows in the numbers
        (b"unit_id\tusers\nU01\t1.234\n", "."),  # a tab file needs a decimal comma to show
        (b'unit_id,users\nU01,"1,234"\n', "."),
    ],
)
def test_decimal_mark_of_a_file(tmp_path, body, decimal):
    from asn_analysis.data.read import read_csv_table

    (tmp_path / "units.csv").write_bytes(body)
    table, _ = read_csv_table(tmp_path / "units.csv")
    assert table.dialect.decimal == decimal
