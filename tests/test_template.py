"""The input template: sheets, headers, Text columns, lists, no formulas, round trip, CLI."""

import shutil

import openpyxl
import pandas as pd
import pytest
from conftest import TEST_SALT
from openpyxl.utils import column_index_from_string, get_column_letter

from asn_analysis.cli import main
from asn_analysis.data import bundled_data_path, load_dataset
from asn_analysis.data.schema import SKM_ELEMENTS, TABLE_SPECS, TABLES
from asn_analysis.data.template import (
    CODEBOOK_SHEET,
    COMPETENCY_KEYS,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    TEXT_FORMAT,
    TemplateError,
    codebook,
    is_text_column,
    write_template,
)
from asn_analysis.errors import AsnAnalysisError, OptionError

SHEETS = [INSTRUCTIONS_SHEET, *TABLES, CODEBOOK_SHEET, LISTS_SHEET]


def raw_tables(folder):
    return {t: pd.read_csv(folder / f"{t}.csv", dtype=str, keep_default_na=False) for t in TABLES}


def assert_same_dataset(got, expected):
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(got, table), getattr(expected, table), obj=table)
    pd.testing.assert_frame_equal(got.row_counts, expected.row_counts)
    assert got.quarantine.empty and expected.quarantine.empty
    assert got.notes == expected.notes


@pytest.fixture(scope="module")
def empty_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.xlsx"
    write_template(path)
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def mini_book(mini_source, tmp_path_factory):
    path = tmp_path_factory.mktemp("filled") / "mini.xlsx"
    write_template(path, data=raw_tables(mini_source))
    return path


def validations(sheet):
    """Column letter -> the data validation whose range starts in row 2 of that column."""
    out = {}
    for dv in sheet.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            assert rng.min_row == 2 and rng.max_row == 1_048_576
            for col in range(rng.min_col, rng.max_col + 1):
                out[get_column_letter(col)] = dv
    return out


def list_values(book, formula):
    sheet_name, cells = formula.split("!")
    assert sheet_name == LISTS_SHEET
    first, last = cells.replace("$", "").split(":")
    column = "".join(c for c in first if c.isalpha())
    rows = range(int(first[len(column) :]), int(last[len(column) :]) + 1)
    sheet = book[sheet_name]
    return tuple(sheet[f"{column}{r}"].value for r in rows)


# --------------------------------------------------------------------------- the empty workbook


def test_sheets_in_order_with_hidden_lists(empty_book):
    assert empty_book.sheetnames == SHEETS
    assert empty_book[LISTS_SHEET].sheet_state == "hidden"
    assert all(empty_book[s].sheet_state == "visible" for s in SHEETS[:-1])
    assert empty_book.active.title == INSTRUCTIONS_SHEET


@pytest.mark.parametrize("table", TABLES)
def test_headers_are_the_schema(empty_book, table):
    sheet = empty_book[table]
    assert [c.value for c in sheet[1]] == [s.name for s in TABLE_SPECS[table]]
    assert sheet.max_row == 1  # no pre-formatted empty rows: the used range is the header
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize("table", TABLES)
def test_text_columns_are_formatted_as_text(empty_book, table):
    sheet = empty_book[table]
    for i, spec in enumerate(TABLE_SPECS[table], start=1):
        fmt = sheet.column_dimensions[get_column_letter(i)].number_format
        assert (fmt == TEXT_FORMAT) == is_text_column(spec), spec.name
        if spec.name in ("nip", "period") or spec.name.endswith("_id"):
            assert fmt == TEXT_FORMAT, spec.name
        assert sheet.cell(1, i).number_format == TEXT_FORMAT


def test_coded_columns_have_the_schemas_lists(empty_book):
    seen = periods = 0
    for table in TABLES:
        checks = validations(empty_book[table])
        for i, spec in enumerate(TABLE_SPECS[table], start=1):
            dv = checks[get_column_letter(i)]
            assert dv.allow_blank
            if spec.allowed is not None:
                assert dv.type == "list" and dv.errorStyle == "stop" and dv.showErrorMessage
                assert list_values(empty_book, dv.formula1) == spec.allowed
                seen += 1
            elif spec.name in ("competency", "competency_targeted"):
                assert dv.type == "list" and dv.errorStyle == "warning"
                assert list_values(empty_book, dv.formula1) == COMPETENCY_KEYS
            elif spec.kind == "bool":
                assert list_values(empty_book, dv.formula1) == ("true", "false")
            elif spec.kind == "period":
                assert dv.type == "custom" and dv.errorStyle == "warning"
                assert "2024-S1" in dv.error and "2024-Q1" in dv.error
                periods += 1
            elif spec.kind in ("int", "float") and spec.min is not None and spec.max is not None:
                assert dv.type == ("whole" if spec.kind == "int" else "decimal")
                assert (dv.operator, float(dv.formula1), float(dv.formula2)) == (
                    "between",
                    spec.min,
                    spec.max,
                )
            assert dv.prompt  # every column tells its meaning
    assert seen == sum(s.allowed is not None for t in TABLES for s in TABLE_SPECS[t])
    assert periods == sum(s.kind == "period" for t in TABLES for s in TABLE_SPECS[t]) > 0


def test_skm_answers_1_to_4_and_survey_items_1_to_5(empty_book):
    skm = validations(empty_book["skm_responses"])
    names = [s.name for s in TABLE_SPECS["skm_responses"]]
    for element in SKM_ELEMENTS:
        dv = skm[get_column_letter(names.index(element) + 1)]
        assert (dv.type, dv.formula1, dv.formula2, dv.errorStyle) == ("whole", "1", "4", "stop")
    survey = validations(empty_book["staff_survey"])
    for letter in ("C", "D", "BZ"):
        dv = survey[letter]
        assert (dv.type, dv.formula1, dv.formula2, dv.errorStyle) == ("whole", "1", "5", "warning")


def test_codebook_sheet_is_bilingual_and_complete(empty_book):
    rows = list(empty_book[CODEBOOK_SHEET].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[2].startswith("arti") and header[3].startswith("meaning")
    described = {(r[0], r[1]) for r in body}
    for table in TABLES:
        assert {(table, s.name) for s in TABLE_SPECS[table]} <= described
    assert all(r[2] and r[3] and r[4] for r in body)
    nip = [r for r in body if r[1] == "nip"]
    assert {r[7] for r in nip} == {"Text"}
    book = codebook()
    assert len(book) == len(body)
    assert book.loc[book["column"].eq("persyaratan"), "allowed"].iloc[0] == "1-4"


def test_instructions_are_bilingual_and_name_the_commands(empty_book):
    rows = list(empty_book[INSTRUCTIONS_SHEET].iter_rows(values_only=True))
    assert all(len(r) == 2 and r[0] and r[1] for r in rows)
    text = " ".join(r[1] for r in rows)
    for needle in ("Text", "15 digits", "asn-analysis validate", "asn-analysis run"):
        assert needle in text


def test_no_cell_holds_a_formula(empty_book, mini_book):
    for book in (empty_book, openpyxl.load_workbook(mini_book, read_only=True)):
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate)
                    assert not (isinstance(cell.value, str) and cell.value.startswith("="))


def test_text_starting_with_equals_stays_text(mini_source, tmp_path):
    raw = raw_tables(mini_source)
    raw["units"].loc[0, "unit_name"] = "=1+1"
    path = tmp_path / "t.xlsx"
    write_template(path, data=raw)
    cell = openpyxl.load_workbook(path)["units"]["B2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")
    assert load_dataset(path, salt=TEST_SALT).units.loc[0, "unit_name"] == "=1+1"


# --------------------------------------------------------------------------- filled templates


def test_filled_template_keeps_nip_as_text(mini_book, mini_source):
    sheet = openpyxl.load_workbook(mini_book, read_only=True)["employees"]
    first = next(sheet.iter_rows(min_row=2, max_row=2))
    nip = raw_tables(mini_source)["employees"].loc[0, "nip"]
    assert (first[0].value, first[0].data_type, first[0].number_format) == (nip, "s", "@")
    # numbers stay numbers: birth_year is column I
    assert isinstance(first[column_index_from_string("I") - 1].value, int)


def test_filled_template_loads_to_the_same_dataset(mini_book, mini_source):
    assert_same_dataset(load_dataset(mini_book, salt=TEST_SALT), load_dataset(mini_source))


def test_filled_survey_items_get_their_ranges(mini_book, mini_source):
    book = openpyxl.load_workbook(mini_book)
    sheet = book["staff_survey"]
    header = [c.value for c in sheet[1]]
    assert header == list(raw_tables(mini_source)["staff_survey"].columns)
    dv = validations(sheet)[get_column_letter(header.index("res_01") + 1)]
    assert (dv.type, dv.formula1, dv.formula2, dv.errorStyle) == ("whole", "1", "5", "stop")


def test_filled_csv_template_loads_to_the_same_dataset(mini_source, tmp_path):
    folder = tmp_path / "csv"
    write_template(folder, fmt="csv", data=raw_tables(mini_source))
    assert_same_dataset(load_dataset(folder, salt=TEST_SALT), load_dataset(mini_source))


def test_bundled_data_in_the_template_loads_to_the_same_dataset(tmp_path):
    source = bundled_data_path()
    path = tmp_path / "bundled.xlsx"
    write_template(path, data=raw_tables(source))
    assert_same_dataset(load_dataset(path, salt=TEST_SALT), load_dataset(source, salt=TEST_SALT))


def test_integer_nips_are_written_exactly(mini_source, tmp_path):
    raw = raw_tables(mini_source)
    nips = raw["employees"]["nip"]
    raw["employees"]["nip"] = nips.astype("int64")  # beyond a double's 15-16 digits
    path = tmp_path / "t.xlsx"
    write_template(path, data={"employees": raw["employees"]})
    sheet = openpyxl.load_workbook(path, read_only=True)["employees"]
    written = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert written == nips.tolist()


# --------------------------------------------------------------------------- CSV and errors


def test_csv_template_has_headers_and_a_codebook(tmp_path):
    folder = tmp_path / "new" / "template"
    written = write_template(folder, fmt="csv")
    assert [p.name for p in written] == [f"{t}.csv" for t in TABLES] + ["codebook.csv"]
    for table in TABLES:
        frame = pd.read_csv(folder / f"{table}.csv", dtype=str)
        assert list(frame.columns) == [s.name for s in TABLE_SPECS[table]] and frame.empty
    book = pd.read_csv(folder / "codebook.csv", encoding="utf-8-sig")
    assert len(book) == len(codebook())


def test_refuses_existing_targets_unless_overwrite(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"mine")
    with pytest.raises(TemplateError, match="already exists"):
        write_template(path)
    assert path.read_bytes() == b"mine"
    write_template(path, overwrite=True)
    assert openpyxl.load_workbook(path).sheetnames == SHEETS


def test_errors(tmp_path, mini_source):
    assert issubclass(TemplateError, AsnAnalysisError)
    with pytest.raises(OptionError, match="fmt must be one of"):
        write_template(tmp_path / "t.xlsx", fmt="ods")
    with pytest.raises(TemplateError, match=".xlsx"):
        write_template(tmp_path / "t.xls")
    with pytest.raises(TemplateError, match="is a file"):
        (tmp_path / "f").write_text("x")
        write_template(tmp_path / "f", fmt="csv")
    with pytest.raises(TemplateError, match="pseudonymised"):
        write_template(tmp_path / "d.xlsx", data=load_dataset(mini_source))
    with pytest.raises(TemplateError, match="not in the codebook"):
        write_template(tmp_path / "d.xlsx", data={"people": pd.DataFrame()})
    assert not (tmp_path / "d.xlsx").exists()


def test_cli_writes_both_forms_and_refuses_to_overwrite(tmp_path, capsys):
    out = tmp_path / "template.xlsx"
    assert main(["template", str(out)]) == 0
    assert "asn-analysis validate" in capsys.readouterr().out
    before = out.read_bytes()
    assert main(["template", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert main(["template", str(out), "--force"]) == 0
    folder = tmp_path / "csv"
    assert main(["template", "--csv", str(folder)]) == 0
    assert (folder / "employees.csv").read_text().startswith("nip,name,unit_id")
    assert main(["template", "--csv", str(folder)]) == 1
    assert main(["template"]) == 2
    assert main(["template", str(out), "--csv", str(folder)]) == 2
    shutil.rmtree(folder)
