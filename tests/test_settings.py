"""The run configuration: precedence, parsing, renamed names, absent names, one set of numbers."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from asn_analysis import casestudy as cs
from asn_analysis import competency as cp
from asn_analysis import defaults, load_dataset
from asn_analysis.cli import main
from asn_analysis.data import bundled_data_path
from asn_analysis.errors import OptionError
from asn_analysis.pipeline import notebooks_dir
from asn_analysis.reporting.brief import brief
from asn_analysis.reporting.export import export_findings, sheets
from asn_analysis.reporting.findings import competency_findings
from asn_analysis.settings import (
    SETTINGS_FILE,
    RunSettings,
    SettingsError,
    load_settings,
    programs_from_json,
    settings_table,
)

RENAMED_UNIT = "Dinas Kesehatan dan Keluarga Berencana"
RENAMED = {
    "Pelatihan Komunikasi Efektif": "Diklat Komunikasi Publik Angkatan I",
    "Pelatihan Pelayanan Prima": "Bimtek Service Excellence",
}


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def renamed(tmp_path_factory) -> Path:
    """The bundled data with the case unit and the roll-out programmes renamed, and a TOML."""
    out = tmp_path_factory.mktemp("renamed")
    src = bundled_data_path()
    for f in src.iterdir():
        if f.suffix in (".csv", ".json"):
            shutil.copy(f, out / f.name)  # modified: real data, keyed by the session's salt
    units = pd.read_csv(out / "units.csv", dtype=str, keep_default_na=False)
    units["unit_name"] = units["unit_name"].replace(defaults.CASE_UNIT, RENAMED_UNIT)
    units.to_csv(out / "units.csv", index=False)
    training = pd.read_csv(out / "training.csv", dtype=str, keep_default_na=False)
    training["program"] = training["program"].replace(RENAMED)
    training.to_csv(out / "training.csv", index=False)
    table = "\n".join(
        f'"{RENAMED[p]}" = "{c}"' for p, c in defaults.ROLLOUT_PROGRAMS.items()
    )  # fmt: skip
    (out / SETTINGS_FILE).write_text(
        f'case_unit = "{RENAMED_UNIT}"\n\n[rollout_programs]\n{table}\n', encoding="utf-8"
    )
    return out


# ----------------------------------------------------------------- sources and parsing


def test_defaults_are_the_bundled_data(ds):
    s = load_settings()
    assert s == RunSettings()
    assert s.case_unit in set(ds.units["unit_name"])
    assert set(s.rollout_programs) <= set(ds.training["program"])
    assert s.as_of == "2025-06-30" and s.n_boot == 1000 and s.k == 4


def test_precedence_defaults_toml_then_p(tmp_path):
    (tmp_path / SETTINGS_FILE).write_text(
        'as_of = "2024-12-31"\nk = 3\nlang = "en"\ncase_elements = ["kompetensi"]\n'
        '[rollout_programs]\n"Pelatihan X" = "komunikasi"\n',
        encoding="utf-8",
    )
    s = load_settings(tmp_path, overrides=[("k", "5"), ("k", "6"), ("period", "2024-S1")])
    assert s.as_of == "2024-12-31"  # file over default
    assert s.k == 6  # -p over file, later -p wins
    assert s.period == "2024-S1" and s.lang == "en" and s.case_elements == ("kompetensi",)
    assert s.rollout_programs == {"Pelatihan X": "komunikasi"}
    assert s.seed == 0 and s.data_path == str(tmp_path.resolve())
    # typed arguments (--lang, --seed) win over the file, -p over them
    assert load_settings(tmp_path, lang="id", overrides=[("seed", "3")]).lang == "id"
    # next to a workbook: the file in the workbook's folder
    book = tmp_path / "data.xlsx"
    book.write_bytes(b"")
    assert load_settings(book).k == 3


def test_p_values_parsed_by_declared_type():
    s = load_settings(overrides=[("seed", "7"), ("n_boot", "50"), ("case_elements", "a, b")])
    assert s.seed == 7 and isinstance(s.seed, int) and s.n_boot == 50
    assert s.case_elements == ("a", "b")
    assert load_settings(overrides=[("case_unit", "123")]).case_unit == "123"  # str stays str
    with pytest.raises(SettingsError, match="seed .* must be a whole number, not 'x'"):
        load_settings(overrides=[("seed", "x")])
    with pytest.raises(SettingsError, match="at least 0"):
        load_settings(overrides=[("k", "-1")])
    with pytest.raises(SettingsError, match="lang .* one of 'id', 'en', not 'fr'"):
        load_settings(overrides=[("lang", "fr")])
    with pytest.raises(SettingsError, match="ISO date"):
        load_settings(overrides=[("as_of", "30/06/2025")])
    with pytest.raises(SettingsError, match=r"table: set it in asn-analysis.toml"):
        load_settings(overrides=[("rollout_programs", "x")])


def test_unknown_name_lists_the_known_and_the_nearest(tmp_path):
    with pytest.raises(
        OptionError, match=r"unknown setting 'case_unti' \(did you mean 'case_unit'"
    ):
        load_settings(overrides=[("case_unti", "X")])
    with pytest.raises(SettingsError) as err:
        load_settings(overrides=[("zzz", "1")])
    assert "did you mean" not in str(err.value)
    assert all(name in str(err.value) for name in RunSettings.names())
    (tmp_path / SETTINGS_FILE).write_text("nboot = 5\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"'nboot' \(did you mean 'n_boot'\?\) in .*toml"):
        load_settings(tmp_path)


def test_bad_file_values(tmp_path):
    f = tmp_path / SETTINGS_FILE
    for text, message in [
        ("k = 'four'\n", "k .* whole number"),
        ("k = true\n", "k .* whole number"),
        ("case_unit = 3\n", "case_unit .* text"),
        ("rollout_programs = 'x'\n", "table of programme = competency"),
        ("[rollout_programs]\n", "at least one programme"),
        ('data_path = "x"\n', "given by --data"),
        ("k = \n", "not valid TOML"),
    ]:
        f.write_text(text, encoding="utf-8")
        with pytest.raises(SettingsError, match=message):
            load_settings(tmp_path)


def test_cli_p_errors_before_any_notebook(capsys, tmp_path):
    assert main(["run", "--out", str(tmp_path), "-p", "as_off", "2025-01-01"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'as_of'" in err and "Traceback" not in err
    assert not (tmp_path / "notebooks").exists()


def test_notebook_parameters_match_the_settings():
    """Each notebook declares the settings' defaults and receives only what it declares."""
    import papermill as pm

    full = RunSettings().notebook_parameters()
    assert json.loads(full["rollout_programs_json"]) == defaults.ROLLOUT_PROGRAMS
    assert programs_from_json(full["rollout_programs_json"]) == defaults.ROLLOUT_PROGRAMS
    for path in sorted(notebooks_dir().glob("[0-9]*.ipynb")):
        declared = pm.inspect_notebook(str(path))
        passed = RunSettings().notebook_parameters(declared)
        assert set(passed) == set(declared) & set(full), path.name
        for name, value in passed.items():
            default = declared[name]["default"]
            assert str(value) == default.strip("'\"") or repr(value) == default, (path.name, name)


def test_readme_documents_every_setting():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert settings_table() in readme


# ----------------------------------------------------------------- renamed and absent names


def test_renamed_unit_and_programmes_give_the_same_case_study(ds, renamed):
    settings = load_settings(renamed)
    assert settings.case_unit == RENAMED_UNIT
    other = load_dataset(renamed)
    case = cs.case_study(
        other, unit_name=settings.case_unit, programs=settings.rollout_programs
    )  # fmt: skip
    canonical = cs.case_study(ds)
    assert case.unit_id == canonical.unit_id and case.first_treated == canonical.first_treated
    assert case.unit_name == RENAMED_UNIT
    pd.testing.assert_frame_equal(case.competency_gap, canonical.competency_gap)
    pd.testing.assert_frame_equal(case.element_gap, canonical.element_gap)
    pd.testing.assert_frame_equal(case.to_frame(), canonical.to_frame())
    renamed_index = case.reaction.rename(index={v: k for k, v in RENAMED.items()})
    pd.testing.assert_frame_equal(renamed_index.sort_index(), canonical.reaction.sort_index())
    cohorts = cs.rollout_cohorts(
        other.training, other.employees, programs=list(settings.rollout_programs)
    )  # fmt: skip
    pd.testing.assert_frame_equal(cohorts, cs.rollout_cohorts(ds.training, ds.employees))


def test_absent_unit_and_programme_name_what_exists(ds):
    with pytest.raises(cs.AbsentFromData) as err:
        cs.case_study(ds, unit_name="Dinas Pariwisata Antah")
    text = str(err.value)
    assert text.startswith("case-study unit 'Dinas Pariwisata Antah' is not in units;")
    assert defaults.CASE_UNIT in text  # the units that exist are listed
    with pytest.raises(cs.AbsentFromData, match="roll-out programme 'Diklat X' is not"):
        cs.case_study(ds, programs={"Diklat X": "komunikasi"})
    with pytest.raises(cs.AbsentFromData, match=defaults.SELECTION_PROGRAM):
        cs.rollout_cohorts(ds.training, ds.employees, programs=["Diklat X"])
    with pytest.raises(cs.AbsentFromData, match="targeted competency 'empati'"):
        cs.case_study(ds, programs={next(iter(defaults.ROLLOUT_PROGRAMS)): "empati"})
    with pytest.raises(cs.AbsentFromData, match="SKM element 'x' is not in skm_responses"):
        cs.case_study(ds, elements=["x"])


def test_collect_skips_absent_names_and_the_export_still_builds(ds, tmp_path):
    from asn_analysis.reporting.summaries import collect

    settings = RunSettings(case_unit="Dinas Pendidikan Antah", rollout_programs={"Diklat X": "k"})
    results = collect(ds, settings=settings, n_boot=20)
    assert results.case is None and results.effects == {}
    assert "'Dinas Pendidikan Antah' is not in units" in results.skipped["case"]
    assert "'Diklat X' is not in training" in results.skipped["rollout"]
    for lang in ("id", "en"):
        sections = brief(results, lang=lang)
        effects = next(s for s in sections if s.key == "effects")
        assert any("Dinas Pendidikan Antah" in f for f in effects.findings)
        assert any("Diklat X" in f and defaults.SELECTION_PROGRAM in f for f in effects.findings)
        assert effects.figures == ()
        assert sheets(results, sections, lang=lang)["effects"].empty
    written = export_findings(results, tmp_path, lang="en")
    assert all(p.exists() for p in written.paths())
    md = next(p for p in written.paths() if p.suffix == ".md").read_text(encoding="utf-8")
    assert "Case study skipped: case-study unit 'Dinas Pendidikan Antah'" in md


def test_notebook_and_brief_agree_on_the_competency_gap(ds):
    """Notebook 02's as_of is the setting the export uses: the same JPM, the same sentences."""
    import papermill as pm

    nb02 = notebooks_dir() / "02-competency-fit.ipynb"
    as_of = pm.inspect_notebook(str(nb02))["as_of"]["default"].strip("'\"")
    assert as_of == RunSettings().as_of
    args = (ds.competency_assessments, ds.competency_standards, ds.employees)
    in_notebook = cp.job_person_match(*args, scheme="pemetaan", as_of=as_of)
    latest = cp.job_person_match(*args)
    from asn_analysis.reporting.summaries import collect

    results = collect(ds, n_boot=20)
    pd.testing.assert_frame_equal(results.competency["jpm"], in_notebook)
    gaps = cp.competency_gaps(*args, as_of=as_of)
    pd.testing.assert_frame_equal(results.competency["gaps"], gaps)
    fit = competency_findings(
        in_notebook,
        results.competency["mismatches"],
        results.competency["fit_effects"],
        results.competency["needs"],
        gaps_by_unit=cp.unit_gaps(gaps, ds.employees),
        units=ds.units,
        lang="en",
    )
    section = next(s for s in brief(results, lang="en") if s.key == "competency")
    # the brief states the notebook's sentences: as findings, or under "how we know"; only the
    # training-priority sentence becomes the priorities table
    told = set(section.findings) | set(section.methods)
    assert section.findings and set(section.findings) <= set(fit)
    assert [s for s in fit if s not in told] == [
        s for s in fit if s.startswith("Top training priorities")
    ]
    assert section.tables and len(section.tables[0].rows) > 0
    assert not in_notebook.equals(latest)  # the two reference dates differ on this data


def test_notebook_skips_an_absent_case_unit(tmp_path):
    """The one executed notebook: an absent case unit prints a bilingual message, no traceback."""
    import nbformat
    import papermill as pm

    out = tmp_path / "05.ipynb"
    params = RunSettings(case_unit="Dinas Pendidikan Antah").notebook_parameters(
        pm.inspect_notebook(str(notebooks_dir() / "05-case-study-dinas-kesehatan.ipynb"))
    )
    pm.execute_notebook(
        str(notebooks_dir() / "05-case-study-dinas-kesehatan.ipynb"),
        str(out),
        parameters=params,
        cwd=str(notebooks_dir()),
        progress_bar=False,
        kernel_name="python3",
    )
    nb = nbformat.read(out, as_version=4)
    text = "".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
    )
    assert "Studi kasus dilewati: case-study unit 'Dinas Pendidikan Antah' is not in units" in text
    assert "Case study skipped:" in text and defaults.CASE_UNIT in text
    assert not any(
        o.get("output_type") == "error" for c in nb.cells if c.cell_type == "code"
        for o in c.get("outputs", [])
    )  # fmt: skip


def test_staggered_covariates_and_est_method_are_run_settings(tmp_path):
    """Notebook 04's conditional comparison: set by -p and by the file; "" skips it."""
    assert RunSettings().staggered_covariates == ("mismatch_share", "health")
    assert RunSettings().staggered_est_method == "dr"
    given = [("staggered_covariates", " mean_jpm, health,health"), ("staggered_est_method", "reg")]
    s = load_settings(overrides=given)
    assert s.staggered_covariates == ("mean_jpm", "health") and s.staggered_est_method == "reg"
    params = s.notebook_parameters({"staggered_covariates", "staggered_est_method"})
    assert params == {"staggered_covariates": "mean_jpm,health", "staggered_est_method": "reg"}
    skip = load_settings(overrides=[("staggered_covariates", "")])
    assert skip.staggered_covariates == ()
    assert skip.notebook_parameters({"staggered_covariates"}) == {"staggered_covariates": ""}
    toml = 'staggered_covariates = ["mismatch_share"]\nstaggered_est_method = "ipw"\n'
    (tmp_path / SETTINGS_FILE).write_text(toml, encoding="utf-8")
    from_file = load_settings(tmp_path)
    assert from_file.staggered_covariates == ("mismatch_share",)
    assert from_file.staggered_est_method == "ipw"
    (tmp_path / SETTINGS_FILE).write_text('staggered_covariates = ""\n', encoding="utf-8")
    assert load_settings(tmp_path).staggered_covariates == ()


def test_unknown_staggered_covariates_are_all_named(tmp_path):
    with pytest.raises(SettingsError) as err:
        load_settings(overrides=[("staggered_covariates", "jpm, health, sector")])
    text = str(err.value)
    assert text.startswith("setting staggered_covariates (-p) has unknown names 'jpm', 'sector';")
    assert "choose from 'mismatch_share', 'mean_jpm', 'health'" in text
    (tmp_path / SETTINGS_FILE).write_text("staggered_covariates = [1]\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"staggered_covariates \(.*toml\) must be a list"):
        load_settings(tmp_path)
    with pytest.raises(SettingsError, match="staggered_est_method .* not 'DR'"):
        load_settings(overrides=[("staggered_est_method", "DR")])
    with pytest.raises(SettingsError, match="staggered_covariates .* unknown names 'x'"):
        RunSettings(staggered_covariates=("x",))
