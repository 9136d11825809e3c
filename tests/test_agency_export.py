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

import re
import tomllib
from importlib import resources

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


@pytest.fixture(scope="module")
def agency_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agency_export")
    headers = _indonesian_headers()
    for table in TABLES:
        raw = pd.read_csv(bundled_data_path() / f"{table}.csv", dtype=str, keep_default_na=False)
        agency = _agency_form(table, raw, headers.get(table, {}))
        agency.to_csv(folder / f"{table}.csv", sep=";", index=False, encoding="utf-8-sig")
    programs = "\n".join(
        f'"{RENAMED_PROGRAMS[name]}" = "{competency}"'
        for name, competency in ROLLOUT_PROGRAMS.items()
    )
    (folder / "asn-analysis.toml").write_text(
        f'case_unit = "{RENAMED_UNIT}"\nselection_program = "{RENAMED_SELECTION}"\n\n'
        f"[rollout_programs]\n{programs}\n",
        encoding="utf-8",
    )
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
