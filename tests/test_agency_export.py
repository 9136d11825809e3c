"""The bundled data exported the way an agency holds it runs end to end to the same numbers.

The "agency export" is built from the bundled CSVs as a BKPP and an organisation bureau would hand
them over: CSV saved by Excel in an Indonesian locale (``;``, decimal comma, byte-order mark),
Indonesian headers (the shipped spellings of ``asn_analysis/data/columns.toml``), day-first dates,
periods written ``Semester I 2024``, a case-study unit and training programmes with other names than
the bundled ones, and an ``asn-analysis.toml`` that names them. Loaded, configured and summarised
(:func:`asn_analysis.reporting.summaries.collect`, the numbers behind the brief and the workbook),
it must give the same numbers as the canonical folder: only the unit's name and the pseudonyms
differ (real data is keyed by the user's salt).
"""

from __future__ import annotations

import datetime
import re
import tomllib
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from conftest import TEST_SALT

from asn_analysis import load_dataset
from asn_analysis.data import bundled_data_path
from asn_analysis.data.schema import TABLE_SPECS, TABLES
from asn_analysis.defaults import CASE_UNIT, ROLLOUT_PROGRAMS, SELECTION_PROGRAM
from asn_analysis.reporting.summaries import collect
from asn_analysis.settings import load_settings

SALT = TEST_SALT  # a subset or copy that differs from the shipped files is real data
N_BOOT = 99
RENAMED_UNIT = "Dinas Kesehatan dan Keluarga Berencana"
RENAMED_PROGRAMS = {
    "Pelatihan Komunikasi Efektif": "Diklat Komunikasi Publik",
    "Pelatihan Pelayanan Prima": "Diklat Pelayanan Publik",
}
RENAMED_SELECTION = "Bimtek Layanan Digital"
ROMAN = {"1": "I", "2": "II"}


def _indonesian_headers() -> dict[str, dict[str, str]]:
    """Codebook name -> the first Indonesian spelling the shipped mapping knows, per table."""
    text = resources.files("asn_analysis.data").joinpath("columns.toml").read_text("utf-8")
    out: dict[str, dict[str, str]] = {}
    for table, mapping in tomllib.loads(text).items():
        out[table] = {}
        for source, name in mapping.items():
            out[table].setdefault(name, source)
    return out


def _agency_form(table: str, frame: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    frame = frame.copy()
    for spec in TABLE_SPECS[table]:
        col = spec.name
        if col not in frame:
            continue
        if spec.kind == "date":
            iso = frame[col].str.fullmatch(r"\d{4}-\d{2}-\d{2}")
            frame.loc[iso, col] = frame.loc[iso, col].str.replace(
                r"(\d{4})-(\d{2})-(\d{2})", r"\3/\2/\1", regex=True
            )
        elif spec.kind == "period":
            frame[col] = frame[col].str.replace(
                r"^(\d{4})-S([12])$", lambda m: f"Semester {ROMAN[m[2]]} {m[1]}", regex=True
            )
        elif spec.kind == "float":
            frame[col] = frame[col].str.replace(r"^(-?\d+)\.(\d+)$", r"\1,\2", regex=True)
    if table == "units":
        frame["unit_name"] = frame["unit_name"].replace({CASE_UNIT: RENAMED_UNIT})
    if table == "training":
        frame["program"] = frame["program"].replace(
            {**RENAMED_PROGRAMS, SELECTION_PROGRAM: RENAMED_SELECTION}
        )
    return frame.rename(columns=headers)


def write_config(folder: Path) -> None:
    """The ``asn-analysis.toml`` that names the agency's case unit and programmes."""
    programs = "\n".join(
        f'"{RENAMED_PROGRAMS[name]}" = "{competency}"'
        for name, competency in ROLLOUT_PROGRAMS.items()
    )
    (folder / "asn-analysis.toml").write_text(
        f'case_unit = "{RENAMED_UNIT}"\nselection_program = "{RENAMED_SELECTION}"\n\n'
        f"[rollout_programs]\n{programs}\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def agency_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agency_export")
    headers = _indonesian_headers()
    for table in TABLES:
        raw = pd.read_csv(bundled_data_path() / f"{table}.csv", dtype=str, keep_default_na=False)
        agency = _agency_form(table, raw, headers.get(table, {}))
        agency.to_csv(folder / f"{table}.csv", sep=";", index=False, encoding="utf-8-sig")
    write_config(folder)
    return folder


@pytest.fixture(scope="module")
def both(agency_folder):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ASN_ANALYSIS_SALT", SALT)
        agency = load_dataset(agency_folder)
        settings = load_settings(agency_folder)
    canonical = load_dataset()
    return (
        collect(canonical, n_boot=N_BOOT),
        collect(agency, settings=settings, n_boot=N_BOOT),
        agency,
        settings,
    )


def test_the_export_is_in_agency_form(agency_folder):
    text = (agency_folder / "employees.csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")  # Excel's "CSV UTF-8"
    header = text[3:].split(b"\n", 1)[0].decode()
    assert header.startswith("NIP;Nama;Unit Kerja;Jabatan")
    training = (agency_folder / "training.csv").read_text(encoding="utf-8-sig")
    assert re.search(r";\d{2}/\d{2}/\d{4};", training)  # day-first dates
    assert "Diklat Komunikasi Publik" in training and "Pelatihan Komunikasi" not in training
    assert "Semester I 2024" in (agency_folder / "skm_responses.csv").read_text("utf-8-sig")


def test_it_loads_completely_and_says_how(both):
    _, _, agency, settings = both
    assert agency.quarantine.empty
    assert settings.case_unit == RENAMED_UNIT
    assert dict(settings.rollout_programs) == {
        RENAMED_PROGRAMS[k]: v for k, v in ROLLOUT_PROGRAMS.items()
    }
    notes = " ".join(agency.notes)
    assert "delimiter ';'" in notes and "'NIP' -> nip" in notes


def _named_back(frame: pd.DataFrame) -> pd.DataFrame:
    """The agency's table with the case unit's bundled name, to compare with the canonical one."""
    return frame.replace({RENAMED_UNIT: CASE_UNIT})


def test_same_numbers_as_the_canonical_data(both):
    canonical, agency, _, _ = both
    assert agency.skipped == {}
    pd.testing.assert_frame_equal(
        _named_back(agency.satisfaction.units), canonical.satisfaction.units
    )
    pd.testing.assert_frame_equal(agency.satisfaction.regency, canonical.satisfaction.regency)
    pd.testing.assert_frame_equal(
        agency.resistance.drivers.table, canonical.resistance.drivers.table, rtol=1e-10
    )
    c_jpm, a_jpm = canonical.competency["jpm"], agency.competency["jpm"]
    assert sorted(a_jpm["jpm_pct"]) == pytest.approx(sorted(c_jpm["jpm_pct"]))
    pd.testing.assert_frame_equal(
        agency.competency["needs"].reset_index(drop=True),
        canonical.competency["needs"].reset_index(drop=True),
    )
    pd.testing.assert_frame_equal(
        agency.competency["fit_effects"].table, canonical.competency["fit_effects"].table, rtol=1e-8
    )
    assert set(agency.effects) == set(canonical.effects) == {"before_after", "twfe", "staggered"}
    for name, est in canonical.effects.items():
        assert agency.effects[name].to_frame().equals(est.to_frame()), name
    case_a, case_c = agency.case.to_frame(), canonical.case.to_frame()
    pd.testing.assert_frame_equal(case_a, case_c, rtol=1e-10)
    assert agency.case.unit_name == RENAMED_UNIT


# --- the same export as one workbook, through one full run (notebooks + export) ---

FAST = [("n_boot", "20"), ("n_boot_wild", "19"), ("n_boot_stability", "5")]
#: Tables whose dates are real Excel date cells; the others hold day-first text.
DATE_CELLS = ("training",)


def _cell(value: str, kind: str, *, table: str, row: int):
    """One cell as an agency workbook holds it (numbers as numbers, ids and codes as text)."""
    if value == "":
        return None
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "date":
        if table in DATE_CELLS and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return datetime.datetime.strptime(value, "%Y-%m-%d")
        return re.sub(r"^(\d{4})-(\d{2})-(\d{2})$", r"\3/\2/\1", value)
    if kind == "period":
        year, half = value.split("-S")
        # two spellings in one export: "Semester I 2024" and "Semester 1 2024"
        return f"Semester {ROMAN[half] if row % 2 else half} {year}"
    return value


def write_agency_workbook(path: Path) -> Path:
    """The bundled data as one agency workbook: a sheet per table, Indonesian headers."""
    import openpyxl

    headers = _indonesian_headers()
    book = openpyxl.Workbook(write_only=True)
    for table in TABLES:
        raw = pd.read_csv(bundled_data_path() / f"{table}.csv", dtype=str, keep_default_na=False)
        renamed = _agency_form(table, raw, {})  # the renamed unit and programmes
        kinds = {spec.name: spec.kind for spec in TABLE_SPECS[table]}
        sheet = book.create_sheet(table)
        sheet.append([headers.get(table, {}).get(c, c) for c in raw.columns])
        for row, values in enumerate(raw.itertuples(index=False), start=2):
            cells = []
            for col, value in zip(raw.columns, values, strict=True):
                if col in ("unit_name", "program"):
                    value = renamed.at[row - 2, col]
                kind = kinds.get(col, "int" if value.isdigit() else "str")
                cells.append(_cell(value, kind, table=table, row=row))
            sheet.append(cells)
    book.save(path)
    return path


#: The agency's names and the bundled ones, to read the agency's outputs back in canonical names.
BACK = {
    RENAMED_UNIT: CASE_UNIT,
    **{new: old for old, new in RENAMED_PROGRAMS.items()},
    RENAMED_SELECTION: SELECTION_PROGRAM,
}
#: Lines of the brief that only synthetic data has (its warning and its known true effect).
SYNTHETIC_ONLY = ("> DATA SINTETIS", "> Sumber data:", "- Data sintetis:")


def _canonical_names(text: str) -> str:
    for new, old in BACK.items():
        text = text.replace(new, old)
    return text


@pytest.fixture(scope="module")
def workbook_runs(tmp_path_factory):
    """One full run on the agency workbook, and the canonical data's export (same settings)."""
    from asn_analysis.pipeline import run

    root = tmp_path_factory.mktemp("agency_workbook")
    book = write_agency_workbook(root / "ekspor_bkpp.xlsx")
    write_config(root)
    canonical = run(
        out=root / "canonical", notebook_dir=root / "none", progress=False, parameters=FAST
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ASN_ANALYSIS_SALT", SALT)
        agency = run(data=book, out=root / "agency", progress=False, parameters=FAST)
    return book, canonical, agency, root


def test_the_workbook_is_in_agency_form(workbook_runs):
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(workbook_runs[0]))

    def rows(sheet: str, n: int) -> list[list]:
        return book.get_sheet_by_name(sheet).to_python(nrows=n)

    header, first = rows("training", 2)
    assert header[:4] == ["NIP", "Nama Pelatihan", "Kompetensi Sasaran", "Tanggal Mulai"]
    assert isinstance(first[0], str) and len(first[0]) == 18  # NIP as text
    assert isinstance(first[3], datetime.date)  # a real date cell
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", rows("competency_assessments", 2)[1][3])  # text
    periods = {r[2] for r in rows("skm_responses", 50)[1:]}
    assert {"Semester I 2022", "Semester 1 2022"} <= periods


def test_one_full_run_on_the_workbook(workbook_runs):
    _, _, agency, _ = workbook_runs
    assert [p.name for p in agency.outputs if p.suffix == ".ipynb"] == [
        "01-data-overview.ipynb",
        "02-competency-fit.ipynb",
        "03-satisfaction-and-resistance.ipynb",
        "04-training-effects.ipynb",
        "05-case-study-dinas-kesehatan.ipynb",
        "06-segments.ipynb",
    ]
    assert agency.not_analysed == () and agency.skipped == {} and agency.skipped_sections == {}


@pytest.mark.parametrize(
    "sheet",
    [
        "IKM per unit dan periode",
        "Kesenjangan kompetensi",
        "Prioritas pelatihan",
        "Dampak pelatihan",
        "Faktor resistensi",
        "Segmen",
    ],
)
def test_the_workbook_gives_the_canonical_numbers(workbook_runs, sheet):
    _, canonical, agency, _ = workbook_runs
    read = {"sheet_name": sheet, "engine": "openpyxl"}
    mine = pd.read_excel(agency.findings[0], **read)
    theirs = pd.read_excel(canonical.findings[0], **read)
    mine = mine.map(lambda v: _canonical_names(v) if isinstance(v, str) else v)
    pd.testing.assert_frame_equal(mine, theirs, check_dtype=False)


def test_the_brief_gives_the_canonical_numbers(workbook_runs):
    _, canonical, agency, _ = workbook_runs
    (mine,) = [p for p in agency.findings if p.suffix == ".md"]
    (theirs,) = [p for p in canonical.findings if p.suffix == ".md"]
    a = _canonical_names(mine.read_text(encoding="utf-8")).splitlines()
    c = theirs.read_text(encoding="utf-8").splitlines()
    assert [x for x in a if not x.startswith(SYNTHETIC_ONLY)] == [
        x for x in c if not x.startswith(SYNTHETIC_ONLY)
    ]
    assert any("IKM" in x and "80,68" in x for x in a)  # the regency's IKM, as canonical


def test_no_small_cell_in_the_notebooks_of_the_agency_run(workbook_runs):
    from test_notebook_disclosure import scan

    _, _, agency, _ = workbook_runs
    problems, n_tables, n_hidden = scan([p for p in agency.outputs if p.suffix == ".ipynb"])
    assert problems == [] and n_tables >= 40 and n_hidden > 0
