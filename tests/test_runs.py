"""Atomic, traceable runs (issue 13, point 5): replaced only when complete, run.json, --out."""

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest

import asn_analysis
from asn_analysis import pipeline
from asn_analysis.cli import main
from asn_analysis.data import bundled_data_path
from asn_analysis.data.fingerprint import file_sha256
from asn_analysis.pipeline import RUN_FILE, OutputFolderError, check_out, run
from asn_analysis.reporting import export as export_module
from asn_analysis.reporting import summaries as summaries_module

IKM = ("units", "skm_responses")
RESISTANCE = ("units", "employees", "staff_survey", "survey_items")
OVERVIEW = ("units", "employees", "training", "skm_responses")  # notebook 01 runs, 02 does not


def copy_tables(dest: Path, tables) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for t in tables:
        shutil.copy(bundled_data_path() / f"{t}.csv", dest / f"{t}.csv")
    return dest


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    return {
        "ikm": copy_tables(root / "ikm", IKM),
        "resistance": copy_tables(root / "res", RESISTANCE),
    }


@pytest.fixture(scope="module")
def notebook_dir(tmp_path_factory):
    """One trivial notebook (papermill reads its parameters without a kernel)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("data_path = ''\nlang = 'id'"),
        nbformat.v4.new_code_cell("1"),
    ]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    folder = tmp_path_factory.mktemp("nbs")
    nbformat.write(nb, folder / "01-tiny.ipynb")
    return folder


def export_only(data_folder, out, **kwargs):
    # no notebook folder: the export alone (fast); notebooks are covered by one real run below
    return run(
        data=data_folder,
        out=out,
        notebook_dir=out.parent / "none",
        progress=False,
        n_boot=20,
        **kwargs,
    )


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): file_sha256(p) for p in folder.rglob("*") if p.is_file()
    }


def messages(err: str) -> list[str]:
    """The lines of stderr without the progress bar's."""
    return [line for line in err.split("\n") if line and "nb/s" not in line]


def siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


class StandInPool:
    """The kernel pool for tests that replace papermill: the jobs run in threads, no kernel."""

    def __init__(self, size, *, cwd, env=None, warm_up=None):
        self.size, self.warm_up_seconds = size, []

    def start(self):
        pass

    def close(self, *, wait=True):
        pass

    def map(self, jobs, *, on_done=None):
        from concurrent.futures import ThreadPoolExecutor, as_completed

        with ThreadPoolExecutor(self.size) as threads:
            futures = {threads.submit(job, None): i for i, job in enumerate(jobs)}
            done = {}
            for future in as_completed(futures):
                done[futures[future]] = future.result()
                if on_done is not None:
                    on_done(futures[future])
        return [done[i] for i in range(len(jobs))]


@pytest.fixture()
def no_kernels(monkeypatch):
    """Papermill is replaced in these tests: no kernel is started for it."""
    monkeypatch.setattr(pipeline, "KernelPool", StandInPool)


@pytest.fixture()
def previous(data, tmp_path):
    """A complete earlier run in tmp_path / 'reports'."""
    out = tmp_path / "reports"
    export_only(data["resistance"], out)
    return out


# ----------------------------------------------------------------- run.json


def test_run_json_records_the_run(data, tmp_path):
    out = tmp_path / "reports"
    result = export_only(data["ikm"], out, seed=7, lang="en")
    assert result.record == out / RUN_FILE
    record = json.loads((out / RUN_FILE).read_text(encoding="utf-8"))
    assert record["tool"] == "asn-analysis" and record["version"] == asn_analysis.__version__
    assert record["status"] == "complete"
    started = dt.datetime.fromisoformat(record["started"])
    finished = dt.datetime.fromisoformat(record["finished"])
    assert started.utcoffset() == dt.timedelta(0) and started <= finished
    assert record["started"].endswith("Z")
    assert (record["lang"], record["seed"]) == ("en", 7)
    assert record["settings"]["seed"] == 7 and record["settings"]["n_boot"] == 20
    files = record["data"]["files"]
    assert list(files) == ["units.csv", "skm_responses.csv"]
    assert files["units.csv"] == file_sha256(data["ikm"] / "units.csv")
    assert record["data"]["synthetic"] is True  # unmodified bundled files
    assert len(record["data"]["sha256"]) == 64
    assert record["analyses"]["run"] == ["survey_coverage", "satisfaction"]
    assert record["analyses"]["not_run"]["competency"].startswith("employees")
    assert record["notebooks"] == {"run": [], "not_run": {}}
    found = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert set(record["outputs"]) | {RUN_FILE} == found
    assert "findings/findings.xlsx" in record["outputs"]


def test_run_json_holds_no_value_of_the_data(data, tmp_path):
    folder = copy_tables(tmp_path / "real", RESISTANCE)
    emp = pd.read_csv(folder / "employees.csv", dtype=str, keep_default_na=False)
    emp.to_csv(folder / "employees.csv", index=False, lineterminator="\r\n")  # now real data
    export_only(folder, tmp_path / "out")
    text = (tmp_path / "out" / RUN_FILE).read_text(encoding="utf-8")
    record = json.loads(text)
    assert record["data"]["synthetic"] is False
    assert not {*emp["nip"], *emp["name"]} & set(text.replace('"', " ").split())
    assert not any(nip in text for nip in emp["nip"].head(200))


def test_each_folder_holds_one_run(previous, data):
    assert (previous / "findings" / "figures" / "resistance_drivers.png").exists()
    export_only(data["ikm"], previous)
    assert not (previous / "findings" / "figures" / "resistance_drivers.png").exists()
    record = json.loads((previous / RUN_FILE).read_text(encoding="utf-8"))
    assert set(record["outputs"]) | {RUN_FILE} == set(snapshot(previous))
    assert siblings(previous) == []


# ----------------------------------------------------------------- failure and Ctrl-C


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_a_failed_or_interrupted_run_leaves_the_previous_outputs(
    previous, data, monkeypatch, error
):
    before = snapshot(previous)

    def fail(*args, **kwargs):
        (Path(args[1]) / "half-written.md").parent.mkdir(parents=True, exist_ok=True)
        (Path(args[1]) / "half-written.md").write_text("half", encoding="utf-8")
        raise error

    monkeypatch.setattr(export_module, "export_findings", fail)
    with pytest.raises(type(error)):
        export_only(data["ikm"], previous)
    assert snapshot(previous) == before
    assert siblings(previous) == []


def test_ctrl_c_in_a_notebook_says_so_in_one_line(
    previous, data, notebook_dir, monkeypatch, capsys, no_kernels
):
    before = snapshot(previous)

    def interrupted(source, target, **kwargs):
        Path(target).write_text("{", encoding="utf-8")  # a half-written notebook
        raise KeyboardInterrupt

    monkeypatch.setattr(papermill, "execute_notebook", interrupted)
    monkeypatch.setattr(pipeline, "notebooks_dir", lambda: notebook_dir)
    code = main(["run", "--data", str(data["ikm"]), "--out", str(previous)])
    err = capsys.readouterr().err
    assert code == 130
    assert len(messages(err)) == 1 and "Traceback" not in err
    err = messages(err)[0]
    assert err.startswith("Interrupted: nothing was replaced") and "Dihentikan" in err
    assert f"{previous} is as it was before the run" in err
    assert snapshot(previous) == before and siblings(previous) == []


def test_ctrl_c_that_reaches_the_kernel_first_is_an_interruption(
    data, notebook_dir, tmp_path, monkeypatch, capsys, no_kernels
):
    def kernel_interrupted(source, target, **kwargs):
        raise papermill.PapermillExecutionError(1, 2, "", "KeyboardInterrupt", "", [])

    monkeypatch.setattr(papermill, "execute_notebook", kernel_interrupted)
    monkeypatch.setattr(pipeline, "notebooks_dir", lambda: notebook_dir)
    out = tmp_path / "new"
    assert main(["run", "--data", str(data["ikm"]), "--out", str(out)]) == 130
    assert f"{out} was not created" in capsys.readouterr().err
    assert not out.exists() and siblings(out) == []


def test_a_failed_notebook_names_it_and_keeps_the_outputs(
    previous, data, notebook_dir, monkeypatch, capsys, no_kernels
):
    before = snapshot(previous)

    def failed(source, target, **kwargs):
        raise papermill.PapermillExecutionError(
            1, 2, "", "ZeroDivisionError", "division by zero", []
        )

    monkeypatch.setattr(papermill, "execute_notebook", failed)
    monkeypatch.setattr(pipeline, "notebooks_dir", lambda: notebook_dir)
    assert main(["run", "--data", str(data["ikm"]), "--out", str(previous)]) == 1
    err = messages(capsys.readouterr().err)
    assert (
        err[0].startswith("Notebook 01-tiny.ipynb failed in cell 1")
        and "ZeroDivisionError" in err[0]
    )
    assert err[1].startswith("The run failed: nothing was replaced") and len(err) == 2
    assert snapshot(previous) == before and siblings(previous) == []


def test_a_defect_keeps_its_traceback_but_says_what_happened(previous, data, monkeypatch, capsys):
    monkeypatch.setattr(export_module, "export_findings", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        main(["run", "--data", str(data["ikm"]), "--out", str(previous)])
    assert "The run failed: nothing was replaced" in capsys.readouterr().err
    assert siblings(previous) == []


def test_one_real_run_executes_and_records_its_notebooks(tmp_path):
    out = tmp_path / "reports"
    folder = copy_tables(tmp_path / "data", OVERVIEW)
    result = run(
        data=folder,
        out=out,
        notebooks=["01-data-overview", "02-competency-fit"],
        progress=False,
        n_boot=20,
    )
    record = json.loads((out / RUN_FILE).read_text(encoding="utf-8"))
    assert record["notebooks"]["run"] == ["01-data-overview.ipynb"]
    assert record["notebooks"]["not_run"]["02-competency-fit.ipynb"].startswith(
        "competency_standards"
    )
    assert out / "notebooks" / "01-data-overview.html" in result.outputs
    assert {"notebooks/01-data-overview.ipynb", "notebooks/01-data-overview.html"} <= set(
        record["outputs"]
    )
    assert siblings(out) == []


# ----------------------------------------------------------------- --out


def test_out_that_is_a_file(data, tmp_path, capsys):
    file = tmp_path / "report.txt"
    file.write_text("mine", encoding="utf-8")
    assert main(["run", "--data", str(data["ikm"]), "--out", str(file)]) == 1
    err = capsys.readouterr().err
    assert f"--out {file} is a file, not a folder" in err and "Traceback" not in err
    assert file.read_text(encoding="utf-8") == "mine"
    with pytest.raises(OutputFolderError, match="lies under .* which is a file"):
        check_out(file / "sub")


def test_out_that_cannot_be_written(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # root may write anywhere
    with pytest.raises(OutputFolderError, match=f"no permission to write in {tmp_path}"):
        check_out(tmp_path / "new" / "reports")


def test_out_with_files_a_run_did_not_write_is_never_replaced(previous, data, tmp_path):
    mine = tmp_path / "Documents"
    mine.mkdir()
    (mine / "letter.docx").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="holds files an asn-analysis run did not write"):
        export_only(data["ikm"], mine)
    assert (mine / "letter.docx").read_text(encoding="utf-8") == "mine"
    (previous / "findings" / "notes.txt").write_text("mine", encoding="utf-8")  # added by hand
    with pytest.raises(OutputFolderError):
        check_out(previous)
    forged = tmp_path / "forged"
    forged.mkdir()
    (forged / RUN_FILE).write_text("{}", encoding="utf-8")
    with pytest.raises(OutputFolderError):
        check_out(forged)


def test_empty_new_and_legacy_folders_may_be_replaced(tmp_path):
    (tmp_path / "empty").mkdir()
    assert check_out(tmp_path / "empty") == (tmp_path / "empty").resolve()
    assert check_out(tmp_path / "a" / "b") == (tmp_path / "a" / "b").resolve()
    legacy = tmp_path / "legacy"
    (legacy / "notebooks").mkdir(parents=True)
    (legacy / "findings").mkdir()
    (legacy / "findings" / "temuan.xlsx").write_bytes(b"x")
    assert check_out(legacy) == legacy.resolve()
    (legacy / "other").mkdir()
    with pytest.raises(OutputFolderError):
        check_out(legacy)


def test_out_that_holds_the_inputs_or_the_current_folder(data, tmp_path, monkeypatch):
    with pytest.raises(OutputFolderError, match="holds an input of the run"):
        check_out(data["ikm"].parent, inputs=[data["ikm"]])
    with pytest.raises(OutputFolderError, match="holds an input of the run"):
        check_out(data["ikm"], inputs=[data["ikm"]])
    assert check_out(data["ikm"] / "reports", inputs=[data["ikm"]])  # inside the data: fine
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputFolderError, match="the current folder"):
        check_out(".")


# ----------------------------------------------------------------- compute once, a quiet console

NOISE = ("IPKernelApp", "without encryption", "KeyboardInterrupt", "Warning:", "warnings.warn")


def test_a_run_computes_once_and_its_console_is_quiet(data, tmp_path, capfd, monkeypatch):
    monkeypatch.delenv("ASN_ANALYSIS_CACHE_DIR", raising=False)
    out = tmp_path / "reports"
    result = run(
        data=data["ikm"],
        out=out,
        notebooks=["03-satisfaction-and-resistance"],
        progress=True,
        n_boot=20,
    )
    captured = capfd.readouterr()  # file descriptors: the kernels' own output included
    console = captured.out + captured.err
    assert not [noise for noise in NOISE if noise in console], console
    assert "notebooks" in captured.err  # the progress bar
    # the data was validated once, and the notebook and the export (which run at the same
    # time) computed each result once between them
    assert result.cache["load_dataset"] == {"hits": 0, "misses": 1}
    assert sum(result.cache["summarize_satisfaction"].values()) == 1
    names = [name for name, _ in result.computed]
    assert names.count("load_dataset") == 1 and names.count("summarize_satisfaction") == 1
    assert len(set(result.computed)) == len(result.computed)
    assert list(result.timings)[0] == "load and validate"
    assert "03-satisfaction-and-resistance.ipynb" in result.timings
    # the run's cache does not outlive it
    assert not [p for p in out.rglob("*") if ".cache" in p.parts] and siblings(out) == []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_analysis_warnings_go_to_the_summary_and_others_still_show(
    data, tmp_path, monkeypatch, capsys
):
    import warnings

    from asn_analysis.scales import InsufficientAnswersWarning

    real_collect = summaries_module.collect

    def warning_collect(*args, **kwargs):
        for _ in range(2):  # raised twice (employee and unit features): said once
            warnings.warn(
                "NaN scores per scale: 'threat': 4.", InsufficientAnswersWarning, stacklevel=2
            )
        warnings.warn("a library's own warning", RuntimeWarning, stacklevel=2)
        return real_collect(*args, **kwargs)

    monkeypatch.setattr(summaries_module, "collect", warning_collect)
    notebooks = tmp_path / "none"
    monkeypatch.setattr(pipeline, "notebooks_dir", lambda: notebooks)
    with pytest.warns(RuntimeWarning, match="a library's own warning") as shown:
        assert main(["run", "--data", str(data["ikm"]), "--out", str(tmp_path / "out")]) == 0
    assert [w.category for w in shown] == [RuntimeWarning]  # not ours: shown as Python shows it
    captured = capsys.readouterr()
    assert "InsufficientAnswersWarning" not in captured.out + captured.err
    assert "test_runs.py" not in captured.err  # no source path of the analyses' warnings
    notes = [line for line in captured.out.split("\n") if "too few items" in line]
    assert len(notes) == 1 and "terlalu sedikit butir" in notes[0] and "'threat': 4" in notes[0]
    assert captured.out.index("Notes / Catatan:") < captured.out.index(notes[0])


def stand_in_notebooks(folder: Path, names) -> Path:
    """Notebooks named as the project's, holding only a parameters cell (for a fake papermill)."""
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("data_path = ''")]
    nb.cells[0].metadata["tags"] = ["parameters"]
    spec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["kernelspec"] = spec
    for name in names:
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


def test_the_notebooks_get_the_run_cache_and_a_kept_cache_is_reused(data, tmp_path, monkeypatch):
    seen = []

    def fake_execute(source, target, **kwargs):
        seen.append(kwargs["km"])
        Path(target).write_text(Path(source).read_text(encoding="utf-8"), encoding="utf-8")

    monkeypatch.setattr(papermill, "execute_notebook", fake_execute)
    nbs = stand_in_notebooks(tmp_path / "nbs", ["03-satisfaction-and-resistance"])
    monkeypatch.delenv("ASN_ANALYSIS_CACHE_DIR", raising=False)
    run(data=data["ikm"], out=tmp_path / "a", notebook_dir=nbs, progress=False, n_boot=20)
    # a kernel of the run's pool (its environment holds the run's cache: see the quiet-run test)
    assert type(seen[0]).__name__ == "QuietKernelManager" and not seen[0].has_kernel
    assert "ASN_ANALYSIS_CACHE_DIR" not in os.environ
    kept = tmp_path / "kept"
    monkeypatch.setenv("ASN_ANALYSIS_CACHE_DIR", str(kept))
    first = run(data=data["ikm"], out=tmp_path / "b", notebook_dir=nbs, progress=False, n_boot=20)
    second = run(data=data["ikm"], out=tmp_path / "c", notebook_dir=nbs, progress=False, n_boot=20)
    assert kept.is_dir()
    assert first.cache["load_dataset"] == {"hits": 0, "misses": 1}
    assert second.cache["load_dataset"] == {"hits": 1, "misses": 0}
    assert second.cache["summarize_satisfaction"] == {"hits": 1, "misses": 0}
    a = (tmp_path / "b" / "findings").rglob("*.md")
    b = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "c" / "findings").rglob("*.md")}
    assert {p.name: p.read_text(encoding="utf-8") for p in a} == b


def test_notebooks_run_two_at_a_time_and_a_failure_stops_the_run(data, tmp_path, monkeypatch):
    import threading

    nbs = stand_in_notebooks(
        tmp_path / "nbs", ["01-data-overview", "03-satisfaction-and-resistance"]
    )
    both = threading.Barrier(2, timeout=30)  # passes only when two run at the same time

    def fake_execute(source, target, **kwargs):
        both.wait()
        Path(target).write_text(Path(source).read_text(encoding="utf-8"), encoding="utf-8")

    monkeypatch.setattr(papermill, "execute_notebook", fake_execute)
    out = tmp_path / "out"
    here = os.getcwd()
    result = run(data=data["ikm"], out=out, notebook_dir=nbs, progress=False, n_boot=20, jobs=2)
    assert os.getcwd() == here  # the caller's folder is kept
    assert [p.name for p in result.outputs] == [
        "01-data-overview.ipynb",
        "01-data-overview.html",
        "03-satisfaction-and-resistance.ipynb",
        "03-satisfaction-and-resistance.html",
    ]
    before = snapshot(out)

    def one_fails(source, target, **kwargs):
        if "03-" in source:
            raise papermill.PapermillExecutionError(1, 2, "", "ValueError", "bad", [])
        Path(target).write_text(Path(source).read_text(encoding="utf-8"), encoding="utf-8")

    monkeypatch.setattr(papermill, "execute_notebook", one_fails)
    with pytest.raises(pipeline.NotebookFailed, match="03-satisfaction-and-resistance"):
        run(data=data["ikm"], out=out, notebook_dir=nbs, progress=False, n_boot=20, jobs=2)
    assert snapshot(out) == before and siblings(out) == []


def test_jobs_must_be_at_least_one(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--jobs", "0"])
    assert "at least 1" in capsys.readouterr().err


def test_the_program_exits_with_the_commands_status_and_skips_the_last_collection(monkeypatch):
    import gc

    from asn_analysis import cli

    frozen = []
    monkeypatch.setattr(cli, "main", lambda: 3)
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    with pytest.raises(SystemExit) as exited:
        cli.console()
    assert exited.value.code == 3 and frozen == [True]
