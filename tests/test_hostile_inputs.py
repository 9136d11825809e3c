"""Hostile inputs (issue 13): every bad-input case through validate and both load modes.

Each case corrupts a copy of a tiny dataset cut from the bundled data and is run through
``validate``, ``load_dataset(on_error="raise")`` (strict) and
``load_dataset(on_error="quarantine")`` (lenient). For every case and mode: no traceback (only
``AsnAnalysisError``), the message names the table and column, no NIP and no name of the input
appears in any message, note, problem or quarantine value, and nothing is lost (rows in = kept +
quarantined, per table, and rows in = the data rows of the file). A case is either a clear
problem, a warning note, or a documented correct acceptance (blank rows around the data, a
formula-like or very long unit name: the loader keeps text as text, and what an export does
with it is the export's concern).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import read, write

from asn_analysis.data import DataValidationError, format_problems, load_dataset, validate
from asn_analysis.data.loader import REQUIRED_WITH
from asn_analysis.data.schema import TABLES
from asn_analysis.errors import AsnAnalysisError

#: A fixed, random-looking salt (real data needs ASN_ANALYSIS_SALT; modified copies are real).
SALT = "9f2c4b7e1a8d3f60c5e2b9a47d1f8e3c6b0a5d2e7f4c1b8a9e6d3f0c7b4a1e8d"
#: The run date: after every date of the bundled data, so only planted dates are in the future.
TODAY = dt.date(2026, 3, 1)
NIP_TABLES = ("employees", "competency_assessments", "performance", "training", "staff_survey")


@pytest.fixture(autouse=True)
def _salt(monkeypatch):
    monkeypatch.setenv("ASN_ANALYSIS_SALT", SALT)


@pytest.fixture(scope="module")
def tiny_source(mini_source, tmp_path_factory) -> Path:
    """Three units, eight employees each, and every row of theirs: fast to load three times."""
    raw = {t: read(mini_source, t) for t in TABLES}
    units = raw["units"].head(3)
    employees = raw["employees"][raw["employees"]["unit_id"].isin(units["unit_id"])]
    employees = employees.groupby("unit_id", sort=False).head(8)
    nips = set(employees["nip"])
    raw["units"], raw["employees"] = units, employees
    for t in NIP_TABLES[1:]:
        raw[t] = raw[t][raw[t]["nip"].isin(nips)]
    standards = raw["competency_standards"]
    raw["competency_standards"] = standards[standards["position"].isin(set(employees["position"]))]
    skm = raw["skm_responses"]
    raw["skm_responses"] = skm[skm["unit_id"].isin(units["unit_id"])].head(60)
    out = tmp_path_factory.mktemp("tiny")
    for t, frame in raw.items():
        write(out, t, frame)
    return out


@pytest.fixture()
def tiny(tiny_source, tmp_path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(tiny_source, dest)
    return dest


# ----------------------------------------------------------------- building cases


def edit(table: str, change: Callable[[pd.DataFrame], pd.DataFrame | None]):
    """A case builder: read a table, change it, write it back."""

    def build(folder: Path) -> Path:
        frame = read(folder, table)
        changed = change(frame)
        write(folder, table, frame if changed is None else changed)
        return folder

    return build


def cell(table: str, row: int, column: str, value: str):
    """A case builder setting one cell (``row`` a data index: spreadsheet row ``row + 2``)."""

    def change(frame):
        frame.loc[row, column] = value

    return edit(table, change)


def text(table: str, change: Callable[[str], str]):
    """A case builder editing a CSV file as text."""

    def build(folder: Path) -> Path:
        file = folder / f"{table}.csv"
        file.write_text(change(file.read_text(encoding="utf-8")), encoding="utf-8")
        return folder

    return build


def raw_bytes(table: str, data: bytes):
    def build(folder: Path) -> Path:
        (folder / f"{table}.csv").write_bytes(data)
        return folder

    return build


def workbook(change: Callable[[dict[str, pd.DataFrame]], None] | None = None, *, tables=None):
    """A case builder writing the tables (units and employees by default) as a workbook."""

    def build(folder: Path) -> Path:
        frames = {t: read(folder, t) for t in tables or ("units", "employees")}
        if change is not None:
            change(frames)
        book = folder / "data.xlsx"
        with pd.ExcelWriter(book, engine="openpyxl") as xl:
            for name, frame in frames.items():
                frame.to_excel(xl, sheet_name=name, index=False)
        return book

    return build


def both(*builders):
    def build(folder: Path) -> Path:
        path = folder
        for b in builders:
            path = b(folder)
        return path

    return build


def swap_gender(frame):
    frame.loc[2, "gender"] = {"L": "P", "P": "L"}[frame.loc[2, "gender"]]


def duplicate_row(index: int):
    def change(frame):
        return pd.concat([frame, frame.iloc[[index]]], ignore_index=True)

    return change


def repeated_level(frame):
    out = frame.copy()
    out.insert(4, "level_copy", frame["level"])
    return out.rename(columns={"level_copy": "level"})


def wb_repeated_level(frames):
    emp = frames["employees"]
    emp.insert(3, "x", emp["gender"])
    frames["employees"] = emp.rename(columns={"x": "gender"})


def wb_blank_row_then_bad(frames):
    emp = frames["employees"]
    blank = pd.DataFrame([[""] * emp.shape[1]], columns=emp.columns)
    emp = pd.concat([emp.iloc[:3], blank, emp.iloc[3:]], ignore_index=True)
    emp.loc[5, "job_type"] = "struktural"  # spreadsheet row 7: the header, 3 rows, blank, row 6
    frames["employees"] = emp


def wb_numeric_nip(frames):
    frames["employees"]["nip"] = frames["employees"]["nip"].astype(np.int64)


def wb_renamed_sheets(frames):
    frames["Unit Kerja"] = frames.pop("units")


def wb_sheet_in_other_case(frames):
    frames["Units"] = frames.pop("units")


def wb_empty_sheet(frames):
    frames["units"] = frames["units"].head(0)


def line_after_blank(table: str, value_column: str, value: str):
    """Insert a blank line after the header's first data row, then break the 4th data row."""

    def change(content: str) -> str:
        lines = content.splitlines()
        header = lines[0].split(",")
        fields = list(csv.reader([lines[4]]))[0]
        fields[header.index(value_column)] = value
        lines[4] = ",".join(f'"{f}"' if "," in f else f for f in fields)
        return "\n".join(lines[:2] + [""] + lines[2:]) + "\n"

    return text(table, change)


HOSTILE_NAMES = ('Siti "Ani" Rahma', "Andi\nMappa", "Dewi \U0001f600 Lestari", "O'Neil, S.Kom")


def hostile_names(frame):
    frame.loc[: len(HOSTILE_NAMES) - 1, "name"] = list(HOSTILE_NAMES)
    frame.loc[1, "birth_year"] = "1900"  # a problem in a row whose name is hostile


def nip_into(column: str, row: int = 0):
    def change(frame):
        frame.loc[row, column] = frame.loc[row + 1, "nip"]

    return edit("employees", change)


def name_into(column: str, row: int = 0):
    def change(frame):
        frame.loc[row, column] = frame.loc[row + 1, "name"]

    return edit("employees", change)


def headerless(table: str):
    return text(table, lambda content: content.split("\n", 1)[1])


def future_training(frame):
    frame.loc[0, ["start_date", "end_date"]] = ["2026-09-01", "2026-09-03"]


def service_contradicts_nip(frame):
    frame.loc[[0, 5], "years_of_service"] = ["44", "0"]


def position_without_standard(frame):
    frame.loc[[0, 1], "position"] = "Penjaga Menara Suar"


def spaced_nip(frame):
    nip = frame.loc[3, "nip"]
    frame.loc[3, "nip"] = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def two_blank_lines_above(content: str) -> str:
    return "\n\n" + content


def excel_blank_row(content: str) -> str:
    lines = content.splitlines()
    commas = "," * (lines[0].count(","))
    return "\n".join(lines[:3] + [commas] + lines[3:]) + "\n"


def trailing_field(content: str) -> str:
    lines = content.splitlines()
    return "\n".join([lines[0]] + [line + ",x" for line in lines[1:]]) + "\n"


def csv_is_workbook(folder: Path) -> Path:
    units = read(folder, "units")
    book = folder / "units_book.xlsx"
    units.to_excel(book, index=False)
    shutil.move(book, folder / "units.csv")
    return folder


def workbook_is_csv(folder: Path) -> Path:
    book = folder / "data.xlsx"
    shutil.copy(folder / "units.csv", book)
    return book


def off_matrix(frame):
    frame.loc[0, ["hasil_kerja", "perilaku_kerja", "predikat"]] = ["di_bawah", "sesuai", "baik"]


def scientific_nip(frame):
    frame["nip"] = [format(float(n), ".5E") for n in frame["nip"]]


def rounded_nip(frame):
    frame["nip"] = frame["nip"].str[:15] + "000"


def huge(frame):
    frame.loc[0, "year"] = "1" + "0" * 30


# ----------------------------------------------------------------- the cases


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Path], Path]
    #: What a message (or note) must name: ``table`` or ``table.column``.
    where: str
    #: "problem" (an error), "note" (a warning, data kept) or "accepted" (documented acceptance).
    outcome: str = "problem"
    #: Text the messages must contain besides ``where`` (e.g. a spreadsheet row).
    says: tuple[str, ...] = ()
    #: Tables given besides that of ``where`` and those it requires (fewer tables, faster runs).
    extra: tuple[str, ...] = ()

    def tables(self) -> set[str]:
        table = self.where.split(".")[0]
        given = {"units", table, *self.extra} & set(TABLES)
        for t in list(given):
            given |= {r for r, needed_by in REQUIRED_WITH.items() if t in needed_by}
        return given

    def __str__(self) -> str:
        return self.id


CASES = [
    # numbers a column cannot hold (issue 13 point 6: an OverflowError before)
    Case("inf", cell("skm_responses", 3, "waktu", "inf"), "skm_responses.waktu", says=("row 5",)),
    Case("-inf", cell("employees", 2, "birth_year", "-inf"), "employees.birth_year"),
    Case("1e400", cell("training", 1, "hours_jp", "1e400"), "training.hours_jp"),
    Case("nan text", cell("competency_assessments", 0, "level", "nan"),
         "competency_assessments.level"),
    Case("NaN float", cell("training", 0, "reaction_score", "NaN"), "training.reaction_score"),
    Case("inf float", cell("training", 0, "pre_test", "inf"), "training.pre_test"),
    Case("huge whole number", edit("performance", huge), "performance.year"),
    Case("huge survey answer", cell("staff_survey", 0, "res_01", "9" * 25), "staff_survey.res_01"),
    # dates and years after the run date
    Case("future assessment", cell("competency_assessments", 4, "assessed_on", "2027-01-05"),
         "competency_assessments.assessed_on", says=("row 6", "2027-01-05", "after the run date")),
    Case("future training", edit("training", future_training), "training.start_date",
         says=("training.end_date",)),
    Case("future performance year", cell("performance", 2, "year", "2027"), "performance.year",
         says=("after the current year 2026",)),
    Case("impossible date", cell("training", 2, "start_date", "31/02/2022"),
         "training.start_date"),
    Case("zero date", cell("training", 2, "end_date", "00/00/0000"), "training.end_date"),
    Case("month-first date", cell("competency_assessments", 0, "assessed_on", "04/13/2022"),
         "competency_assessments.assessed_on"),
    # dates pandas cannot hold (a raw OutOfBoundsDatetime before) and time zones (a ValueError)
    Case("year 3022 typo", cell("training", 2, "start_date", "3022-04-12"), "training.start_date",
         says=("row 4", "3022-04-12", "is not a date")),
    Case("year 1500", cell("training", 1, "end_date", "01/01/1500"), "training.end_date",
         says=("is not a date",)),
    Case("negative year", cell("competency_assessments", 0, "assessed_on", "-1"),
         "competency_assessments.assessed_on", says=("is not a date",)),
    Case("time zone", cell("training", 2, "start_date", "2019-03-01T08:00+07:00"),
         "training.start_date", "accepted"),
    # keys and codes
    Case("unknown competency key", cell("training", 0, "competency_targeted", "integirtas"),
         "training.competency_targeted", says=("integirtas", "not a competency key")),
    Case("competency not snake_case", cell("competency_assessments", 0, "competency", "Integritas"),
         "competency_assessments.competency"),
    Case("not allowed value", cell("employees", 0, "job_type", "struktural"), "employees.job_type"),
    Case("unknown unit", cell("employees", 1, "unit_id", "U99"), "employees.unit_id"),
    Case("bad period", cell("staff_survey", 0, "period", "Semester 3 2024"), "staff_survey.period"),
    Case("predikat off the matrix", edit("performance", off_matrix), "performance.predikat"),
    Case("item min above max", cell("survey_items", 0, "min", "6"), "survey_items.max",
         extra=("staff_survey",)),
    # ranges
    Case("negative count", cell("units", 0, "service_users_per_semester", "-5"),
         "units.service_users_per_semester"),
    Case("negative hours", cell("training", 1, "hours_jp", "-3"), "training.hours_jp"),
    Case("SKM answer out of range", cell("skm_responses", 0, "sarana", "0"),
         "skm_responses.sarana"),
    Case("survey answer out of range", cell("staff_survey", 1, "res_02", "9"),
         "staff_survey.res_02"),
    Case("not a number", cell("skm_responses", 3, "biaya", "baik"), "skm_responses.biaya"),
    Case("birth year out of range", cell("employees", 7, "birth_year", "1900"),
         "employees.birth_year"),
    # NIPs
    Case("NIP too short", cell("employees", 4, "nip", "19850312201001100"), "employees.nip"),
    Case("NIP with letters", cell("employees", 4, "nip", "19850312201O011001"), "employees.nip"),
    Case("NIP with spaces", edit("employees", spaced_nip), "employees.nip"),
    Case("NIP birth date", cell("employees", 4, "nip", "198513422010011001"), "employees.nip"),
    Case("NIP month", cell("employees", 4, "nip", "198503122010131001"), "employees.nip"),
    Case("NIP gender digit", cell("employees", 4, "nip", "198503122010013001"), "employees.nip"),
    Case("NIP disagrees with gender", edit("employees", swap_gender), "employees.nip"),
    Case("blank NIP", cell("training", 0, "nip", ""), "training.nip", says=("is blank",)),
    Case("dangling NIP", cell("training", 0, "nip", "198001012005011999"), "training.nip"),
    Case("scientific-notation NIP", edit("employees", scientific_nip), "employees.nip"),
    Case("rounded NIP", edit("employees", rounded_nip), "employees.nip"),
    Case("numeric NIP workbook", workbook(wb_numeric_nip), "employees.nip"),
    # duplicate keys: the NIP of a composite key is never echoed (issue 13 point 2)
    Case("duplicate NIP", edit("employees", duplicate_row(3)), "employees.nip"),
    Case("duplicate assessment", edit("competency_assessments", duplicate_row(0)),
         "competency_assessments.nip, competency, assessed_on", says=("NIP redacted / ",)),
    Case("duplicate performance", edit("performance", duplicate_row(1)), "performance.nip, year",
         says=("have the same NIP and year",)),
    Case("duplicate training", edit("training", duplicate_row(0)),
         "training.nip, program, start_date"),
    Case("duplicate staff survey", edit("staff_survey", duplicate_row(0)),
         "staff_survey.nip, period"),
    Case("duplicate unit", edit("units", duplicate_row(1)), "units.unit_id"),
    # identifiers where they do not belong
    Case("NIP in unit_id", nip_into("unit_id"), "employees.unit_id"),
    Case("NIP in position", nip_into("position"), "employees.position"),
    Case("name in position", name_into("position"), "employees.position"),
    Case("name in unit_id", name_into("unit_id", 2), "employees.unit_id"),
    Case("hostile names", edit("employees", hostile_names), "employees.birth_year"),
    Case("no header row (employees)", headerless("employees"), "employees",
         says=("not column names",)),
    Case("no header row (training)", headerless("training"), "training"),
    # columns and headers
    Case("missing column", edit("employees", lambda f: f.drop(columns=["gender"])),
         "employees.gender"),
    Case("repeated header", edit("competency_assessments", repeated_level),
         "competency_assessments.level", says=("column C (3) and column E (5)",)),
    Case("repeated header workbook", workbook(wb_repeated_level), "employees.gender",
         says=("column D (4) and column I (9)",)),
    Case("headers differing in case", edit("employees", lambda f: f.assign(GENDER=f["gender"])),
         "employees", says=("'gender' (column H (8)) and 'GENDER' (column L (12))",)),
    Case("item not in item map", edit("staff_survey", lambda f: f.assign(res_99="3")),
         "staff_survey.res_99"),
    # rows as a spreadsheet shows them
    Case("blank line then a bad value", line_after_blank("skm_responses", "waktu", "7"),
         "skm_responses.waktu", says=("row 6: 7 is outside 1-4",)),
    Case("blank row workbook", workbook(wb_blank_row_then_bad), "employees.job_type",
         says=("row 7: struktural",)),
    Case("blank lines above the header", text("units", two_blank_lines_above), "units",
         "accepted"),
    Case("Excel blank row", text("units", excel_blank_row), "units", "accepted"),
    Case("one field too many", text("units", trailing_field), "units", says=("line 2 has 6",)),
    Case("unclosed quote", text("units", lambda c: c.replace("Dinas", '"Dinas', 1)), "units"),
    # files
    Case("empty file", raw_bytes("units", b""), "units", says=("is empty",)),
    Case("header-only file", edit("training", lambda f: f.head(0)), "training",
         says=("table is empty",)),
    Case("empty workbook sheet", workbook(wb_empty_sheet), "units", extra=("employees",)),
    Case("missing required file", lambda f: (f / "employees.csv").unlink() or f, "employees",
         extra=("performance",)),
    Case("wrong sheet names", workbook(wb_renamed_sheets), "units", says=("no sheet named units",),
         extra=("employees",)),
    Case("sheet name in other case", workbook(wb_sheet_in_other_case), "units", "accepted",
         extra=("employees",)),
    Case("CSV that is a workbook", csv_is_workbook, "units", says=("is an Excel workbook",)),
    Case("workbook that is a CSV", workbook_is_csv, "data.xlsx"),
    Case("neither UTF-8 nor Windows-1252", raw_bytes("units", b"unit_id,unit_name\nU\x81,x\n"),
         "units"),
    # warnings (the rows are kept) and accepted inputs
    Case("years of service against the NIP", edit("employees", service_contradicts_nip),
         "employees.years_of_service", "note", says=("rows 2, 7",)),
    Case("position without a standard", edit("employees", position_without_standard),
         "employees.position", "note", says=("'Penjaga Menara Suar' (2)",),
         extra=("competency_standards",)),
    Case("formula-like unit name", cell("units", 0, "unit_name", '=HYPERLINK("http://x","y")'),
         "units", "accepted"),
    Case("very long text", cell("units", 0, "unit_name", "Dinas " * 2000), "units", "accepted"),
]  # fmt: skip


# ----------------------------------------------------------------- running a case


def identifiers(folder: Path, extra=()) -> tuple[set[str], set[str]]:
    """The NIPs and names of the pristine input, and the hostile names planted."""
    nips: set[str] = set()
    for t in NIP_TABLES:
        nips |= set(read(folder, t)["nip"])
    names = set(read(folder, "employees")["name"]) | set(extra)
    return nips, names


def leaked(texts: list[str], nips: set[str], names: set[str]) -> list[str]:
    blob = "\n".join(texts)
    folded = blob.casefold()
    found = [n for n in nips if n in blob or n[:15] in blob]
    found += [n for n in names if n.casefold() in folded]
    return found


def frame_texts(frame: pd.DataFrame | None) -> list[str]:
    if frame is None or frame.empty:
        return []
    return [str(v) for v in frame.to_numpy().ravel()]


def data_rows(path: Path) -> dict[str, int]:
    """Rows with any non-blank cell, per CSV table (independent of the loader's reader)."""
    out = {}
    if not path.is_dir():
        return out
    for t in TABLES:
        file = path / f"{t}.csv"
        try:
            rows = list(csv.reader(file.read_text(encoding="utf-8").splitlines()))
        except (FileNotFoundError, UnicodeDecodeError):
            continue
        filled = [r for r in rows if any(c.strip() for c in r)]
        out[t] = max(len(filled) - 1, 0)
    return out


def run(mode: str, path: Path):
    """Run one mode; return (result or None, error or None, texts to scan)."""
    try:
        if mode == "validate":
            result = validate(path, today=TODAY)
            texts = [result.format(), *result.notes, *frame_texts(result.problems)]
        else:
            on_error = "raise" if mode == "strict" else "quarantine"
            result = load_dataset(path, on_error=on_error, today=TODAY)
            texts = [*result.notes, *frame_texts(result.quarantine)]
            texts.append(format_problems(result.quarantine))
        return result, None, texts
    except Exception as exc:  # noqa: BLE001 - any other type is the failure this suite catches
        assert isinstance(exc, AsnAnalysisError), f"{mode}: traceback {type(exc).__name__}: {exc}"
        texts = [str(exc), *frame_texts(getattr(exc, "problems", None))]
        return None, exc, texts


def check_reconciles(mode: str, result, rows: dict[str, int]) -> None:
    counts = result.row_counts.set_index("table")
    rows_in = counts["rows_in"].dropna()
    for t, n in rows.items():
        if t in rows_in.index:
            assert rows_in[t] == n, f"{mode}: {t} read {rows_in[t]} rows of {n}"
    if mode == "validate":
        return
    for t in result.tables_present:
        kept, lost = counts.at[t, "rows_kept"], counts.at[t, "rows_quarantined"]
        assert kept + lost == counts.at[t, "rows_in"], f"{mode}: {t} does not reconcile"
        assert kept == len(getattr(result, t)), f"{mode}: {t} kept {kept}"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_hostile_input(case, tiny):
    nips, names = identifiers(tiny, HOSTILE_NAMES)
    for t in set(TABLES) - case.tables():
        (tiny / f"{t}.csv").unlink()
    path = case.build(tiny)
    rows = data_rows(path)
    for mode in ("validate", "strict", "lenient"):
        result, error, texts = run(mode, path)
        assert not leaked(texts, nips, names), f"{mode}: identifiers in {texts}"
        said = "\n".join(texts)
        if case.outcome == "problem":
            assert case.where in said, f"{mode}: {case.where} not named in {said[:2000]}"
            for words in case.says:
                assert words in said, f"{mode}: {words!r} not in {said[:2000]}"
            if mode == "validate":
                assert error is not None or not result.ok, f"{mode}: accepted"
            elif mode == "strict":
                assert isinstance(error, AsnAnalysisError), f"{mode}: accepted"
            else:
                assert error is not None or not result.quarantine.empty, f"{mode}: accepted"
        else:
            assert error is None, f"{mode}: refused: {error}"
            if mode == "validate":
                assert result.ok, result.format()
            if case.outcome == "note":
                assert any(n.startswith(case.where) for n in result.notes), result.notes
                for words in case.says:
                    assert words in said, f"{mode}: {words!r} not in {said[:2000]}"
        if result is not None:
            check_reconciles(mode, result, rows)


# ----------------------------------------------------------------- specific promises


def test_the_issue_example_of_a_duplicate_composite_key(tiny):
    """Issue 13 point 2: the raw NIP was echoed; now the other key parts and the rows."""
    ca = read(tiny, "competency_assessments")
    write(tiny, "competency_assessments", pd.concat([ca, ca.iloc[[0]]], ignore_index=True))
    nip = ca.loc[0, "nip"]
    with pytest.raises(DataValidationError) as info:
        load_dataset(tiny, today=TODAY)
    message = str(info.value)
    assert nip not in message
    expected = (
        f"competency_assessments.nip, competency, assessed_on rows 2, {len(ca) + 2}: NIP "
        f"redacted / {ca.loc[0, 'competency']} / {ca.loc[0, 'assessed_on']} is a duplicate key: "
        f"rows 2, {len(ca) + 2} have the same NIP, competency and assessed_on"
    )
    assert expected in message
    ds = load_dataset(tiny, on_error="quarantine", today=TODAY)
    assert not ds.quarantine["value"].str.contains(nip).any()
    assert set(ds.quarantine["row"]) == {2, len(ca) + 2}


def test_two_duplicate_pairs_differing_only_in_the_nip_stay_apart(tiny):
    perf = read(tiny, "performance")
    first = perf.index[perf["year"] == perf.loc[0, "year"]]
    other = next(i for i in first if perf.loc[i, "nip"] != perf.loc[0, "nip"])
    write(tiny, "performance", pd.concat([perf, perf.iloc[[0, other]]], ignore_index=True))
    report = validate(tiny, today=TODAY)
    lines = [line for line in report.format().splitlines() if "duplicate key" in line]
    assert len(lines) == 2, lines  # one line per pair, not one line of four rows


def test_row_numbers_count_blank_lines(tiny):
    """After a blank line every row was one too low; a spreadsheet counts the blank row."""
    skm = read(tiny, "skm_responses")
    lines = (tiny / "skm_responses.csv").read_text(encoding="utf-8").splitlines()
    # blank lines at spreadsheet rows 3 and 6: data index 3 is now on row 7
    lines = lines[:2] + [""] + lines[2:4] + [""] + lines[4:]
    (tiny / "skm_responses.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert validate(tiny, today=TODAY).ok
    written = lines.copy()
    fields = written[6].split(",")
    fields[skm.columns.get_loc("waktu")] = "9"
    written[6] = ",".join(fields)
    (tiny / "skm_responses.csv").write_text("\n".join(written) + "\n", encoding="utf-8")
    report = validate(tiny, today=TODAY)
    assert report.problems["row"].tolist() == [7]
    assert any("2 blank rows between data rows left out (rows 3, 6)" in n for n in report.notes)
    ds = load_dataset(tiny, on_error="quarantine", today=TODAY)
    assert ds.quarantine["row"].tolist() == [7]
    assert len(ds.skm_responses) == len(skm) - 1


def test_a_quoted_value_over_two_lines_is_one_row(tiny):
    units = read(tiny, "units")
    units.loc[0, "unit_name"] = "Dinas\nKesehatan"
    units.loc[2, "sector"] = "kesehatan_x"
    write(tiny, "units", units)
    assert validate(tiny, today=TODAY).problems["row"].tolist() == [4]


def test_the_reference_date_is_a_keyword(tiny):
    ca = read(tiny, "competency_assessments")
    ca.loc[0, "assessed_on"] = "2026-06-01"
    write(tiny, "competency_assessments", ca)
    assert validate(tiny, today="2026-12-31").ok
    assert not validate(tiny, today=dt.date(2026, 5, 31)).ok
    assert validate(tiny).ok is (dt.date.today() >= dt.date(2026, 6, 1))
    with pytest.raises(AsnAnalysisError, match="today must be a date"):
        validate(tiny, today="next week")


def test_years_of_service_warning_keeps_the_rows(tiny):
    emp = read(tiny, "employees")
    emp.loc[3, "years_of_service"] = str(int(emp.loc[3, "years_of_service"]) + 2)
    write(tiny, "employees", emp)
    report = validate(tiny, today=TODAY)
    assert report.ok
    (note,) = [n for n in report.notes if n.startswith("employees.years_of_service")]
    assert "1 row differs by more than 1 year" in note and "row 5;" in note
    emp.loc[3, "years_of_service"] = str(int(emp.loc[3, "years_of_service"]) - 1)  # one year off
    write(tiny, "employees", emp)
    assert not any("years_of_service" in n for n in validate(tiny, today=TODAY).notes)
    assert len(load_dataset(tiny, today=TODAY).employees) == len(emp)


def test_positions_without_a_standard_are_excluded_by_the_competency_analysis(tiny):
    from asn_analysis import competency

    emp = read(tiny, "employees")
    emp.loc[[0, 1], "position"] = "Penjaga Menara Suar"
    write(tiny, "employees", emp)
    ds = load_dataset(tiny, today=TODAY)
    assert any("'Penjaga Menara Suar' (2)" in n for n in ds.notes)
    jpm = competency.job_person_match(
        ds.competency_assessments,
        ds.competency_standards,
        ds.employees,
        on_problem="exclude",
        as_of="2025-12-31",
    )
    excluded = jpm.attrs["excluded"]
    row = excluded[excluded["reason"].str.contains("position without a competency standard")]
    assert row["n_employees"].sum() == 2


def test_codebook_competency_keys_and_the_agencys_own(tiny):
    std = read(tiny, "competency_standards")
    std.loc[0, "competency"] = "teknis_pengadaan_barang"
    write(tiny, "competency_standards", std)
    tr = read(tiny, "training")
    tr.loc[0, "competency_targeted"] = "teknis_pengadaan_barang"  # the agency's own key
    tr.loc[1, "competency_targeted"] = "teknis_keuangan"  # a codebook key
    write(tiny, "training", tr)
    problems = validate(tiny, today=TODAY).problems
    assert "competency_targeted" not in set(problems["column"])


def test_a_repeated_header_is_not_an_ignored_column(tiny):
    write(tiny, "competency_assessments", repeated_level(read(tiny, "competency_assessments")))
    report = validate(tiny, today=TODAY)
    assert not any("level.1" in n or "ignored" in n for n in report.notes)
    (reason,) = report.problems["reason"]
    assert reason.startswith("header 'level' is written 2 times (column C (3) and column E (5))")
