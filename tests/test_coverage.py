"""Partial data: each subset of tables gives exactly its supported analyses (issue 12, item 6)."""

import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import TEST_SALT

from asn_analysis.cli import main
from asn_analysis.data import DataValidationError, bundled_data_path, load_dataset, validate
from asn_analysis.data.schema import TABLES
from asn_analysis.pipeline import NothingToAnalyse, run
from asn_analysis.reporting.coverage import ANALYSES, coverage

SALT = TEST_SALT  # a subset or copy that differs from the shipped files is real data
SUBSETS = {
    "ikm": ("units", "skm_responses"),
    "competency": ("units", "employees", "competency_standards", "competency_assessments"),
    "resistance": ("units", "employees", "staff_survey", "survey_items"),
    "no_training": tuple(t for t in TABLES if t != "training"),
}
#: Analyses each subset supports, and sheets its workbook holds (Bahasa Indonesia names).
SUPPORTED = {
    "ikm": ["survey_coverage", "satisfaction"],
    "competency": ["overview", "competency"],
    "resistance": ["overview", "resistance"],
    "no_training": [
        "overview",
        "survey_coverage",
        "competency",
        "fit_effects",
        "talent",
        "satisfaction",
        "resistance",
        "segments",
    ],
}
SHEETS = {
    "ikm": ["Ringkasan", "IKM per unit dan periode"],
    "competency": ["Ringkasan", "Kesenjangan kompetensi", "Prioritas pelatihan"],
    "resistance": ["Ringkasan", "Faktor resistensi"],
    "no_training": [
        "Ringkasan",
        "IKM per unit dan periode",
        "Kesenjangan kompetensi",
        "Prioritas pelatihan",
        "Faktor resistensi",
        "Segmen",
    ],
}
SECTIONS = {
    "ikm": ["Kepuasan masyarakat (IKM)"],
    "competency": ["Gambaran data", "Kesesuaian kompetensi dan kebutuhan pelatihan"],
    "resistance": ["Gambaran data", "Resistensi pegawai terhadap evaluasi"],
    "no_training": ["Gambaran data", "Kesesuaian kompetensi", "Kepuasan", "Resistensi", "Segmen"],
}


def copy_tables(dest: Path, tables, *, synthetic: bool = True) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    src = bundled_data_path()
    for t in tables:
        shutil.copy(src / f"{t}.csv", dest / f"{t}.csv")
    if synthetic:
        shutil.copy(src / "ground_truth.json", dest / "ground_truth.json")
    return dest


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("subsets")
    # unmodified subsets of the shipped files: the bundled data (its ground_truth.json or not)
    return {
        name: copy_tables(root / name, tables, synthetic=name != "ikm")
        for name, tables in SUBSETS.items()
    }


@pytest.fixture()
def salt(monkeypatch):
    monkeypatch.setenv("ASN_ANALYSIS_SALT", SALT)


def test_registry_names_known_tables_and_notebooks():
    notebooks = {p.stem for p in (Path(__file__).parents[1] / "notebooks").glob("[0-9]*.ipynb")}
    for a in ANALYSES:
        assert set(a.tables) <= set(TABLES) and "units" in a.tables
        assert a.notebook in notebooks
    assert {a.key for a in coverage(TABLES).supported} == {a.key for a in ANALYSES}


@pytest.mark.parametrize("name", list(SUBSETS))
def test_validate_lists_supported_and_not(name, folders, capsys):
    report = validate(folders[name])
    assert report.ok
    assert report.tables_present == SUBSETS[name]
    assert [a.key for a in coverage(report.tables_present).supported] == SUPPORTED[name]
    assert main(["validate", str(folders[name])]) == 0
    out = capsys.readouterr().out
    assert "Analyses the data supports / Analisis yang didukung data:" in out
    assert "Not supported (missing tables)" in out
    absent = [t for t in TABLES if t not in SUBSETS[name]]
    assert f"absent / tidak ada: {', '.join(absent)}" in out


@pytest.mark.parametrize("name", ["ikm", "competency", "resistance", "no_training"])
def test_run_exports_what_the_data_supports(name, folders, salt, tmp_path):
    # no notebook folder: the exports alone (the notebooks are run in the end-to-end test)
    result = run(
        data=folders[name],
        out=tmp_path,
        notebook_dir=tmp_path / "none",
        progress=False,
        n_boot=20,
    )
    book = openpyxl.load_workbook(result.findings[0], read_only=True)
    assert book.sheetnames == [*SHEETS[name], "Log kualitas data", "Cakupan data"]
    rows = list(book["Cakupan data"].iter_rows(values_only=True))
    assert rows[0] == ("Analisis", "Status", "Tabel yang tidak ada", "Notebook", "Lembar")
    supported = SUPPORTED[name]
    assert [r[0] for r in rows[1:]] == [a.title[0] for a in ANALYSES]
    assert [r[1] for r in rows[1:]] == [
        "dianalisis" if a.key in supported else "tidak dianalisis" for a in ANALYSES
    ]
    md = (tmp_path / "findings" / "ringkasan.md").read_text(encoding="utf-8")
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    for i, title in enumerate(SECTIONS[name], start=1):
        assert headings[i - 1].startswith(f"## {i}. {title}")
    assert headings[-2].endswith("Kualitas data") and headings[-1].endswith("Tidak dianalisis")
    skipped_part = md.split("Tidak dianalisis")[-1]
    unsupported = [a for a in ANALYSES if a.key not in supported]
    for a in unsupported:
        assert f"{a.title[0]}: tabel tidak ada" in skipped_part
    assert any(s.startswith(f"{unsupported[0].title[1]} /") for s in result.not_analysed)
    figures = {p.stem for p in result.findings if p.suffix == ".png"}
    assert ("ikm_per_unit" in figures) == ("satisfaction" in supported)
    assert ("training_effects" in figures) is False


def test_run_end_to_end_skips_notebooks(folders, tmp_path):
    # the real notebook 03 runs on data without training; notebook 04 needs training
    result = run(
        data=folders["no_training"],
        out=tmp_path,
        notebooks=["03-satisfaction-and-resistance", "04-training-effects"],
        progress=False,
        n_boot=20,
    )
    out = result.format()
    assert "notebook 04-training-effects.ipynb: training" in out
    assert "Training effects (roll-out) / Dampak pelatihan (peluncuran): training" in out
    assert (tmp_path / "notebooks" / "03-satisfaction-and-resistance.html").exists()
    assert not (tmp_path / "notebooks" / "04-training-effects.ipynb").exists()
    assert (tmp_path / "findings" / "temuan.xlsx").exists()


def test_only_units_runs_nothing(tmp_path, capsys):
    folder = copy_tables(tmp_path / "units", ["units"])
    assert load_dataset(folder).tables_present == ("units",)
    with pytest.raises(NothingToAnalyse, match="supports no analysis"):
        run(data=folder, out=tmp_path / "out", progress=False)
    assert main(["run", "--data", str(folder), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "The data supports no analysis: nothing was run." in err
    assert "Citizen satisfaction (IKM) / Kepuasan masyarakat (IKM): skm_responses" in err


def test_per_person_table_needs_employees(tmp_path):
    folder = copy_tables(tmp_path / "d", ["units", "performance", "competency_assessments"])
    with pytest.raises(DataValidationError) as info:
        load_dataset(folder)
    msg = str(info.value)
    assert (
        "file employees.csv is missing: employees is required when competency_assessments, "
        "performance is given / tabel employees wajib ada bila tabel competency_assessments, "
        "performance diberikan"
    ) in msg
    assert "file competency_standards.csv is missing: competency_standards is required" in msg
    assert "training" not in msg


def test_units_always_required(tmp_path):
    folder = copy_tables(tmp_path / "d", ["skm_responses"])
    report = validate(folder)
    assert not report.ok
    assert "file units.csv is missing: units is required for every analysis" in report.format()
