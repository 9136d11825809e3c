"""Partial data: each subset of tables gives exactly its supported analyses (issue 12, item 6)."""

import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import TEST_SALT

from asn_analysis.cli import main
from asn_analysis.data import DataValidationError, bundled_data_path, load_dataset, validate
from asn_analysis.data.schema import TABLES
from asn_analysis.errors import OptionError
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


# --- notebooks on partial data: each runs the sections its data supports (issue 12, item 6) ---

#: Subsets run WITH notebooks: the tables given, then per notebook run the sections it skips.
NOTEBOOK_SUBSETS = {
    "ikm": (
        ("units", "skm_responses"),
        {
            "01-data-overview": ("overview", "training_coverage"),
            "03-satisfaction-and-resistance": ("resistance",),
        },
    ),
    "competency": (
        ("units", "employees", "competency_standards", "competency_assessments"),
        {
            "01-data-overview": ("survey_coverage", "training_coverage"),
            "02-competency-fit": ("fit_effects", "talent"),
        },
    ),
    "effects": (
        ("units", "employees", "training", "skm_responses"),
        {
            "01-data-overview": (),
            "03-satisfaction-and-resistance": ("resistance",),
            "04-training-effects": ("selection",),
        },
    ),
    # on the small tiny-cells cut (tests/tiny_data.py), to keep five notebooks fast
    "no_staff_survey": (
        tuple(t for t in TABLES if t not in ("staff_survey", "survey_items")),
        {
            "01-data-overview": (),
            "02-competency-fit": (),
            "03-satisfaction-and-resistance": ("resistance",),
            "04-training-effects": (),
            "05-case-study-dinas-kesehatan": (),
        },
    ),
}
FAST = ["-p", "n_boot", "20", "-p", "n_boot_wild", "19", "-p", "n_boot_stability", "5"]


def _notebook_text(path: Path) -> str:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", (path.name, out.get("ename"))
            parts.append(out.get("text", "") or out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def test_section_says_why_it_is_skipped(capsys):
    from asn_analysis.reporting.notebook import section

    ds = load_dataset()
    assert section(ds, "talent") is True
    assert capsys.readouterr().out == ""
    partial = type("Partial", (), {"tables_present": ("units", "skm_responses")})()
    assert section(partial, "resistance") is False
    line = capsys.readouterr().out.strip()
    assert line == (
        "Tidak dianalisis / Not analysed: Resistensi pegawai terhadap evaluasi / Employee "
        "resistance to evaluation: tabel tidak ada / missing tables: employees, staff_survey, "
        "survey_items"
    )
    assert section(partial, "resistance", quiet=True) is False
    assert capsys.readouterr().out == ""
    with pytest.raises(OptionError):
        section(ds, "nine_box")


def test_a_notebook_runs_when_any_of_its_analyses_is_supported():
    cov = coverage(("units", "skm_responses"))
    assert cov.runs_notebook("01-data-overview") and cov.runs_notebook(
        "03-satisfaction-and-resistance"
    )
    assert not cov.runs_notebook("02-competency-fit")
    assert cov.skipped_sections("01-data-overview") == ("overview", "training_coverage")
    assert cov.skipped_sections("02-competency-fit") == ("competency", "fit_effects", "talent")
    assert coverage(TABLES).skipped_sections("06-segments") == ()
    assert cov.runs_notebook("09-my-own-analysis")  # not in the registry: needs nothing


@pytest.mark.parametrize("name", list(NOTEBOOK_SUBSETS))
def test_run_with_notebooks_on_partial_data(name, tmp_path, salt, capsys):
    tables, expected = NOTEBOOK_SUBSETS[name]
    if name == "no_staff_survey":
        from tiny_data import build_tiny

        folder = build_tiny(tmp_path / "data", tables=tables)
    else:
        folder = copy_tables(tmp_path / "data", tables)
    out = tmp_path / "out"
    assert main(["run", "--data", str(folder), "--out", str(out), *FAST]) == 0
    printed = capsys.readouterr().out
    ran = sorted(p.stem for p in (out / "notebooks").glob("*.ipynb"))
    assert ran == sorted(expected)
    cov = coverage(tables)
    for nb, skipped in expected.items():
        text = _notebook_text(out / "notebooks" / f"{nb}.ipynb")
        for a in ANALYSES:
            if a.notebook != nb:
                continue
            line = cov.section_line(a.key)
            if a.key in skipped:
                assert text.count(line) == 1, (nb, a.key)
                assert f"  notebook {nb}.ipynb: {a.key}: {', '.join(cov.missing(a.key))}" in printed
            else:
                assert cov.supports(a.key) and "Not analysed: " + a.title[0] not in text
        if not skipped:
            assert f"notebook {nb}.ipynb:" not in printed.split("Sections skipped")[-1]
    for nb in {a.notebook for a in ANALYSES} - set(expected):
        assert f"notebook {nb}.ipynb: " in printed  # listed as not run, with its missing tables
