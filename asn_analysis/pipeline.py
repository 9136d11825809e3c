"""The main job: validate the data, then execute every notebook in order.

``asn-analysis run`` (and ``make run``) calls :func:`run`. Notebooks are executed with
papermill, which injects the run's settings (:class:`asn_analysis.settings.RunSettings`:
defaults < ``asn-analysis.toml`` beside the data < ``-p NAME VALUE``) into each notebook's
``parameters`` cell, each notebook receiving the settings it declares; the export reads the
same settings. Only the notebooks of which the data supports at least one analysis are run
(:mod:`asn_analysis.reporting.coverage`); the others are listed with the tables they miss, and
so are the sections skipped inside the notebooks that run. The
executed copies and an HTML rendering of each are written to ``<out>/notebooks/``, the findings
to ``<out>/findings/``, and what the run was to ``<out>/run.json`` (:func:`run_record`).

Each thing once, everything at the same time. The data is loaded and validated once, while the
notebooks' kernels start and import the analysis stack (:class:`asn_analysis.kernels.KernelPool`,
one kernel per job); the notebooks then run in those kernels, and the findings export runs
beside them in this process. Every costly result goes through the run's cache
(:class:`asn_analysis.cache.RunCache`): whichever process asks first computes it and the others
read it back (waiting while it is computed), so the notebooks and the export cannot disagree.

Runs are atomic. A run writes into a temporary folder beside ``out`` (``.<name>.partial-*``,
same parent, so the final rename is atomic) and replaces ``out`` only when everything is
written: a failed or interrupted run (an exception, Ctrl-C) removes its temporary folder and
leaves the previous complete outputs as they were. Each output folder holds one run only.
Before anything runs, ``out`` is checked (:func:`check_out`): it must not be a file, must be
writable, must not hold the run's inputs (the data, the column mapping, the notebooks), and,
since it is replaced whole, it must be new, empty, or an earlier run's output (every file in it
listed by its ``run.json``, or only ``notebooks/`` and ``findings/`` as earlier versions wrote),
so ``--out ~/Documents`` cannot wipe anybody's files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import shutil
import tempfile
import time
import uuid
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asn_analysis import __version__
from asn_analysis._validation import Lang, check_lang
from asn_analysis.cache import CACHE_ENV_VAR, RunCache
from asn_analysis.data import Dataset, bundled_data_path
from asn_analysis.data.fingerprint import combined_digest, file_fingerprints
from asn_analysis.data.read import table_files
from asn_analysis.data.schema import TABLES
from asn_analysis.errors import AsnAnalysisError, AsnAnalysisWarning
from asn_analysis.kernels import KernelPool, NotebookFailed, notebook_job, quiet_kernel_manager
from asn_analysis.reporting.coverage import coverage
from asn_analysis.reporting.notebook import warning_line
from asn_analysis.settings import RunSettings, load_settings, settings_file

if TYPE_CHECKING:  # imported where they are used: the kernels start before these load
    from asn_analysis.reporting.export import ExportResult
    from asn_analysis.reporting.summaries import Results

__all__ = [
    "RUN_FILE",
    "NotebookFailed",
    "NothingToAnalyse",
    "OutputFolderError",
    "RunResult",
    "check_out",
    "default_jobs",
    "incomplete_message",
    "input_fingerprint",
    "notebooks_dir",
    "quiet_kernel_manager",
    "run",
    "run_record",
    "warning_notes",
]

#: The manifest of a run, in its output folder.
RUN_FILE = "run.json"
#: What earlier versions wrote into an output folder (replaced without a run.json).
_LEGACY_OUTPUTS = {"notebooks", "findings"}


def notebooks_dir() -> Path:
    """Return the folder of the project's notebooks (``notebooks/``)."""
    return Path(__file__).resolve().parents[1] / "notebooks"


class NothingToAnalyse(AsnAnalysisError):
    """The data supports no analysis (e.g. only ``units``); the message says what each needs."""


class OutputFolderError(AsnAnalysisError):
    """The output folder cannot be used: a file, not writable, holding inputs or others' files."""


@dataclass(frozen=True)
class RunResult:
    """What :func:`run` produced.

    Attributes
    ----------
    outputs : list of pathlib.Path
        Executed notebooks and their HTML renderings.
    seconds : float
        Total wall time.
    timings : dict
        Seconds of each part: loading and validating, the kernels' warm-up (beside the loading),
        each notebook, all notebooks, the findings export (beside the notebooks) and what of
        it was left after the last notebook.
    data_source : str
        Where the data came from (:attr:`asn_analysis.data.Dataset.source`).
    findings : list of pathlib.Path
        Files of the findings export (workbook, brief, figures).
    not_analysed : tuple of str
        Notebooks and analyses not run, each with the tables it misses.
    skipped_sections : dict of str to tuple of str
        Per notebook run, its sections the data does not support (skipped inside the
        notebook, which says so): ``"<key>: <missing tables>"``.
    skipped : dict of str to str
        Parts skipped because the data lacks a configured name (see
        :attr:`asn_analysis.reporting.summaries.Results.skipped`).
    record : pathlib.Path or None
        The run's manifest, ``<out>/run.json`` (:func:`run_record`).
    failed : dict of str to str
        Analyses of the export whose estimator refused the data, with its reason (see
        :attr:`asn_analysis.reporting.summaries.Results.failed`).
    notes : tuple of str
        The analyses' warnings (:class:`~asn_analysis.errors.AsnAnalysisWarning`), in plain
        words, once each: printed in the summary rather than as raw warnings.
    cache : dict
        Hits and misses of the run's cache in this process (loading and the export; see
        :class:`asn_analysis.cache.RunCache`).
    computed : tuple of (str, str)
        Every entry of the run's cache computed, by the notebooks' kernels or the export, as
        (function name, key) in the order computed (:meth:`~asn_analysis.cache.RunCache.ledger`):
        each appears once when nothing was computed twice.
    """

    outputs: list[Path]
    seconds: float
    timings: dict[str, float]
    data_source: str
    findings: list[Path]
    not_analysed: tuple[str, ...] = ()
    skipped: dict[str, str] = field(default_factory=dict)
    record: Path | None = None
    skipped_sections: dict[str, tuple[str, ...]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    cache: dict[str, dict[str, int]] = field(default_factory=dict)
    computed: tuple[tuple[str, str], ...] = ()

    def format(self) -> str:
        """Return the closing summary printed by ``asn-analysis run``."""
        lines = [f"Data: {self.data_source}"]
        for name, secs in self.timings.items():
            lines.append(f"  {name}: {secs:.1f} s")
        folders = sorted({str(p.parent) for p in self.outputs})
        lines.append("Notebooks: " + ", ".join(folders))
        lines += ["Findings / Temuan:"] + [f"  {p}" for p in self.findings]
        if self.not_analysed:
            lines.append("Not analysed (missing tables) / Tidak dianalisis (tabel tidak ada):")
            lines += [f"  {s}" for s in self.not_analysed]
        if self.skipped_sections:
            lines.append("Sections skipped (missing tables) / Bagian dilewati (tabel tidak ada):")
            for nb, parts in self.skipped_sections.items():
                lines += [f"  notebook {nb}: {part}" for part in parts]
        lines += [f"Skipped / Dilewati ({k}): {v}" for k, v in self.skipped.items()]
        lines += [
            f"Not estimable / Tidak dapat diestimasi ({k}): {v}" for k, v in self.failed.items()
        ]
        if self.notes:
            lines.append("Notes / Catatan:")
            lines += [f"  {note}" for note in self.notes]
        if self.record is not None:
            lines.append(f"Run record / Catatan proses: {self.record}")
        lines.append(f"Total time / Waktu total: {self.seconds:.1f} s")
        return "\n".join(lines)


# --------------------------------------------------------------------------- the output folder


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _replaceable(target: Path) -> bool:
    """Tell whether ``target`` holds only what an earlier run wrote (so it may be replaced)."""
    entries = {p.name for p in target.iterdir()}
    if not entries:
        return True
    record = target / RUN_FILE
    if record.is_file():
        try:
            listed = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return False
        if not isinstance(listed, dict) or listed.get("tool") != "asn-analysis":
            return False
        files = set(listed.get("outputs", [])) | {RUN_FILE}
        found = {p.relative_to(target).as_posix() for p in target.rglob("*") if not p.is_dir()}
        return found <= files
    return entries == _LEGACY_OUTPUTS and all((target / e).is_dir() for e in entries)


def check_out(out: str | Path, *, inputs: Sequence[str | Path | None] = ()) -> Path:
    """Check that a run may write ``out`` and replace it; return it resolved.

    Parameters
    ----------
    out : str or pathlib.Path
        The output folder of a run.
    inputs : sequence of str or pathlib.Path
        The run's inputs (data, column mapping, notebooks, settings file); None, "" and paths
        that do not exist are skipped.

    Returns
    -------
    pathlib.Path
        ``out`` resolved (symbolic links followed), which need not exist yet.

    Raises
    ------
    OutputFolderError
        ``out`` is a file (or lies under one); ``out`` or the folder that would hold it is
        not writable; ``out`` holds one of ``inputs`` (replacing it would delete them); ``out``
        is a folder holding files a run did not write (not empty, and neither every file listed
        in its ``run.json`` nor only ``notebooks/`` and ``findings/``).
    """
    target = Path(out).expanduser().resolve()
    shown = str(out)
    if target.exists() and not target.is_dir():
        raise OutputFolderError(
            f"--out {shown} is a file, not a folder: choose a folder for the outputs. / "
            f"--out {shown} adalah berkas, bukan folder."
        )
    existing = target.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise OutputFolderError(
            f"--out {shown} lies under {existing}, which is a file, not a folder. / "
            f"{existing} adalah berkas, bukan folder."
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputFolderError(
            f"--out {shown} cannot be written: no permission to write in {existing}. / "
            f"Tidak ada izin menulis di {existing}."
        )
    for given in inputs:
        if not given or not Path(given).exists():
            continue  # nothing to lose
        if _inside(Path(given).resolve(), target):
            raise OutputFolderError(
                f"--out {shown} holds an input of the run ({given}); a run replaces its output "
                "folder whole, which would delete it: choose another folder. / --out berisi "
                "masukan proses; pilih folder lain."
            )
    if _inside(Path.cwd().resolve(), target):
        raise OutputFolderError(
            f"--out {shown} is the current folder or holds it; a run replaces its output folder "
            "whole: choose a folder inside it, e.g. --out reports. / Pilih subfolder, mis. "
            "--out reports."
        )
    if target.is_dir() and not _replaceable(target):
        raise OutputFolderError(
            f"--out {shown} is a folder that holds files an asn-analysis run did not write (no "
            f"{RUN_FILE} lists them). A run replaces its output folder whole, so it will not "
            "use this one: choose a new or empty folder, e.g. --out reports. / Folder ini berisi "
            "berkas lain; pilih folder baru atau kosong."
        )
    return target


def incomplete_message(out: str | Path, *, interrupted: bool, existed: bool) -> str:
    """Return the one line said when a run stops before it completes.

    Parameters
    ----------
    out : str or pathlib.Path
        The output folder as the user gave it.
    interrupted : bool
        True for Ctrl-C (or a termination signal), False for a failure.
    existed : bool
        Whether ``out`` held earlier outputs.

    Returns
    -------
    str
        One line, in English and Bahasa Indonesia.
    """
    what = ("Interrupted", "Dihentikan") if interrupted else ("The run failed", "Proses gagal")
    if existed:
        kept = (f"{out} is as it was before the run", f"{out} tetap seperti sebelum proses")
    else:
        kept = (f"{out} was not created", f"{out} tidak dibuat")
    return (
        f"{what[0]}: nothing was replaced and the partial outputs were removed; {kept[0]}. / "
        f"{what[1]}: tidak ada yang diganti dan hasil sebagian dihapus; {kept[1]}."
    )


def _replace(target: Path, work: Path) -> None:
    """Put the complete ``work`` folder in place of ``target`` (two atomic renames)."""
    if not target.exists():
        os.replace(work, target)
        return
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    os.replace(target, old)
    try:
        os.replace(work, target)
    except BaseException:
        os.replace(old, target)
        raise
    try:
        shutil.rmtree(old, ignore_errors=True)
    except KeyboardInterrupt:  # pragma: no cover (the run is complete; a copy may remain)
        pass


# --------------------------------------------------------------------------- the run record


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def input_fingerprint(
    data: str | Path | None, *, columns: str | Path | None = None
) -> dict[str, object]:
    """Return the SHA-256 of each input file of a run (never a value from them).

    Parameters
    ----------
    data : str or pathlib.Path or None
        The dataset (folder or workbook); None = the bundled data.
    columns : str or pathlib.Path, optional
        The column mapping (TOML), if any.

    Returns
    -------
    dict
        ``files`` (table file, workbook, column mapping and ``asn-analysis.toml`` names ->
        SHA-256) and ``sha256`` (one digest over them, :func:`combined_digest`).
    """
    path = Path(data) if data is not None and str(data) else bundled_data_path()
    if path.is_dir():
        files = [file for t in TABLES for file in table_files(path, t)]
    else:
        files = [path]
    extra = [columns, settings_file(data)]
    files += [Path(p) for p in extra if p is not None and str(p) and Path(p).is_file()]
    prints = file_fingerprints(*files)
    return {"files": prints, "sha256": combined_digest(prints)}


def run_record(
    dataset: Dataset,
    settings: RunSettings,
    *,
    data: str | Path | None,
    started: str,
    notebooks_run: Sequence[str],
    not_run: dict[str, str],
    analyses: dict[str, object],
    skipped: dict[str, str],
    outputs: Sequence[str],
) -> dict[str, object]:
    """Return the manifest a run writes to ``<out>/run.json``.

    Parameters
    ----------
    dataset : Dataset
        The data the run analysed.
    settings : RunSettings
        The run's settings (all of them, as used).
    data : str or pathlib.Path or None
        The dataset as given (None = the bundled data).
    started : str
        Start time, UTC ISO 8601.
    notebooks_run : sequence of str
        Notebooks executed, in order.
    not_run : dict of str to str
        Notebooks not executed -> why (the tables they miss).
    analyses : dict
        ``run`` (analysis keys) and ``not_run`` (key -> missing tables).
    skipped : dict of str to str
        Parts skipped because a configured name is not in the data.
    outputs : sequence of str
        Files written, relative to the output folder (POSIX).

    Returns
    -------
    dict
        ``tool``, ``version``, ``status`` ("complete": an incomplete run leaves no folder),
        ``started`` / ``finished`` (UTC ISO 8601), ``data`` (source, whether it is the bundled
        synthetic data, :func:`input_fingerprint`), ``lang``, ``seed``, ``settings``,
        ``notebooks`` (run, not run with reasons), ``analyses``, ``skipped``, ``outputs``.
    """
    columns = settings.columns_path or None
    return {
        "tool": "asn-analysis",
        "version": __version__,
        "status": "complete",
        "started": started,
        "finished": _now(),
        "data": {
            "source": str(data) if data is not None and str(data) else "bundled data/synthetic",
            "synthetic": dataset.is_synthetic,
            **input_fingerprint(data, columns=columns),
        },
        "lang": settings.lang,
        "seed": settings.seed,
        "settings": asdict(settings),
        "notebooks": {"run": list(notebooks_run), "not_run": dict(not_run)},
        "analyses": analyses,
        "skipped": dict(skipped),
        "outputs": sorted(outputs),
    }


# --------------------------------------------------------------------------- the main job


def run(
    *,
    data: str | Path | None = None,
    lang: Lang | None = None,
    out: str | Path = "reports",
    seed: int | None = None,
    notebooks: list[str] | None = None,
    progress: bool = True,
    n_boot: int | None = None,
    notebook_dir: str | Path | None = None,
    columns: str | Path | None = None,
    parameters: Sequence[tuple[str, str]] = (),
    settings: RunSettings | None = None,
    jobs: int | None = None,
) -> RunResult:
    """Validate the data, execute the notebooks in order, render them and export findings.

    Parameters
    ----------
    data : str or pathlib.Path, optional
        Dataset folder or workbook; None uses the bundled synthetic data.
    lang : {"id", "en"}, optional
        Language of findings (Bahasa Indonesia or English); default the settings' ("id").
    out : str or pathlib.Path, default "reports"
        Output folder, replaced whole when the run completes (see :func:`check_out`):
        ``out/notebooks``, ``out/findings`` and ``out/run.json``.
    seed : int, optional
        Seed passed to every notebook (bootstrap, clustering); default the settings' (0).
    notebooks : list of str, optional
        Run only these notebooks (file names); default all ``notebooks/[0-9]*.ipynb``.
    progress : bool, default True
        Show a progress bar.
    n_boot : int, optional
        Bootstrap replicates of the IKM intervals (notebook 03) and the export; default the
        settings' (1000).
    notebook_dir : str or pathlib.Path, optional
        Folder of the notebooks; default the project's ``notebooks/``.
    columns : str or pathlib.Path, optional
        A column mapping (TOML) from the export's headers to the codebook's names
        (``data/README.md``); passed to every notebook as ``columns_path``.
    parameters : sequence of (str, str)
        ``-p NAME VALUE`` overrides of the settings, parsed by each setting's type.
    settings : RunSettings, optional
        Ready-made settings; default :func:`asn_analysis.settings.load_settings` on ``data``
        (``asn-analysis.toml`` beside it), then ``lang``, ``seed``, ``n_boot``, ``columns``
        and ``parameters`` on top.
    jobs : int, optional
        Notebooks executed at the same time, each in its own kernel (they share nothing but
        the run's cache); default :func:`default_jobs`. 1 runs them one after the other
        (the least memory: each kernel holds the dataset).

    Returns
    -------
    RunResult
        Paths written (notebooks, HTML renderings, ``out/findings``, ``out/run.json``) and
        timings.

    Raises
    ------
    asn_analysis.errors.OptionError
        ``lang`` is neither "id" nor "en", or a setting is unknown or invalid
        (:class:`asn_analysis.settings.SettingsError`).
    OutputFolderError
        ``out`` cannot be used (:func:`check_out`): nothing is run.
    asn_analysis.data.DataValidationError
        Invalid data: no notebook is run.
    NothingToAnalyse
        The data supports no analysis.
    NotebookFailed
        A notebook raised; names the notebook, cell and error. Like any failure or
        ``KeyboardInterrupt``, it leaves ``out`` as it was.
    """
    if lang is not None:
        check_lang(lang)
    started = time.perf_counter()
    started_at = _now()
    if settings is None:
        given = {"lang": lang, "seed": seed, "n_boot": n_boot}
        if columns is not None:
            given["columns_path"] = str(Path(columns).resolve())
        settings = load_settings(data, overrides=parameters, **given)
    source_dir = Path(notebook_dir or notebooks_dir()).resolve()
    target = check_out(
        out,
        inputs=[data, settings.columns_path, source_dir, settings_file(data)],
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    # the run's own cache, deleted with its work folder; ASN_ANALYSIS_CACHE_DIR keeps one
    cache = RunCache(os.environ.get(CACHE_ENV_VAR) or work / ".cache")
    timings: dict[str, float] = {}
    caught: list[warnings.WarningMessage] = []
    n_jobs = default_jobs() if jobs is None else jobs
    pool: KernelPool | None = None
    try:
        candidates = _candidates(source_dir, notebooks)
        if candidates:  # the kernels start and import the analysis stack while the data loads
            env = {**_ONE_THREAD, **os.environ, CACHE_ENV_VAR: str(cache.folder)}
            pool = KernelPool(min(n_jobs, len(candidates)), cwd=source_dir, env=env)
            pool.start()
        t0 = time.perf_counter()
        with _routed_warnings(caught):
            # validates (and checks the salt) before any notebook runs; stored for the notebooks
            dataset = cache.load_dataset(data, columns=settings.columns_path or None)
        timings["load and validate"] = time.perf_counter() - t0
        cov = coverage(dataset.tables_present)
        if not cov.supported:
            raise NothingToAnalyse(
                "The data supports no analysis: nothing was run. / Data tidak mendukung analisis "
                "apa pun.\n" + cov.format()
            )
        not_run = {p.name: ", ".join(cov.notebook_missing(p.stem)) for p in candidates}
        not_run = {k: v for k, v in not_run.items() if not cov.runs_notebook(Path(k).stem)}
        not_analysed = [f"notebook {name}: {why}" for name, why in not_run.items()]
        not_analysed += [
            f"{a.title[1]} / {a.title[0]}: {', '.join(cov.missing(a.key))}" for a in cov.unsupported
        ]
        paths = [p for p in candidates if cov.runs_notebook(p.stem)]
        skipped_sections = {
            p.name: tuple(f"{k}: {', '.join(cov.missing(k))}" for k in cov.skipped_sections(p.stem))
            for p in paths
            if cov.skipped_sections(p.stem)
        }
        out_dir = work / "notebooks"
        out_dir.mkdir()
        t0 = time.perf_counter()
        written: list[Path] = []
        seconds: dict[str, float] = {}
        # the export runs beside the notebooks: each result is computed once, by whichever
        # process asks first, while the others wait for it (the run cache's locks)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="export") as side:
            export = side.submit(_export, dataset, settings, cache, work / "findings", caught)
            try:
                if paths and pool is not None:
                    written, seconds = _execute_all(
                        paths, out_dir, settings, pool=pool, progress=progress
                    )
            except BaseException:
                with contextlib.suppress(BaseException):  # it writes into the work folder
                    export.result()
                raise
            if pool is not None:
                if pool.warm_up_seconds:
                    timings["kernels started and warmed up (beside loading)"] = max(
                        pool.warm_up_seconds
                    )
                pool.close(wait=False)  # the kernels shut down while the export ends
            timings |= seconds
            if paths:
                timings["all notebooks"] = time.perf_counter() - t0
            t1 = time.perf_counter()
            if progress and not export.done():
                print("exporting findings / menyusun temuan ...", flush=True)
            results, exported, timings["findings export"] = export.result()
            timings["export after the notebooks"] = time.perf_counter() - t1
        computed = tuple((name, key) for name, key, _ in cache.ledger())
        if _inside(cache.folder, work):
            shutil.rmtree(cache.folder, ignore_errors=True)  # nothing of the data outlives it
        findings = exported.paths()
        relative = [p.relative_to(work).as_posix() for p in [*written, *findings]]
        record = run_record(
            dataset,
            settings,
            data=data,
            started=started_at,
            notebooks_run=[p.name for p in paths],
            not_run=not_run,
            analyses={
                "run": [a.key for a in cov.supported],
                "not_run": {a.key: ", ".join(cov.missing(a.key)) for a in cov.unsupported},
            },
            skipped=results.skipped | {f"not estimable: {k}": v for k, v in results.failed.items()},
            outputs=relative,
        )
        text = json.dumps(record, indent=1, ensure_ascii=False, default=str)
        (work / RUN_FILE).write_text(text + "\n", encoding="utf-8")
        _replace(target, work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        if pool is not None:
            pool.close()
    shown = Path(out)
    return RunResult(
        [shown / p.relative_to(work) for p in written],
        time.perf_counter() - started,
        timings,
        dataset.source,
        [shown / p.relative_to(work) for p in findings],
        tuple(not_analysed),
        results.skipped,
        shown / RUN_FILE,
        skipped_sections,
        results.failed,
        notes=warning_notes(caught),
        cache=cache.stats,
        computed=computed,
    )


# --------------------------------------------------------------------------- the notebooks


def _export(
    dataset: Dataset,
    settings: RunSettings,
    cache: RunCache,
    out: Path,
    caught: list[warnings.WarningMessage],
) -> tuple[Results, ExportResult, float]:
    """Collect the findings' numbers (through the run's cache) and export them; and its seconds.

    The export's modules (figures, workbook, brief: about 2 s of imports) are imported here,
    beside the notebooks, rather than before the kernels can start.
    """
    from asn_analysis.reporting.export import export_findings
    from asn_analysis.reporting.summaries import collect
    from asn_analysis.stats.threads import one_blas_thread

    t0 = time.perf_counter()
    with _routed_warnings(caught), one_blas_thread():
        results = collect(dataset, settings=settings, cache=cache)
        exported = export_findings(results, out, lang=settings.lang)
    return results, exported, time.perf_counter() - t0


#: The kernels' BLAS and OpenMP threads, unless the environment sets them: the kernels and the
#: export already keep the cores busy, and threads of small matrix products that wait for a
#: busy core spin (up to ten times the CPU of one thread on this stack).
_ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def default_jobs() -> int:
    """Return how many notebooks a run executes at once by default: 2, or 1 on one core.

    Two kernels keep two cores busy (most of a notebook's time is one core's work); more
    would multiply the memory each kernel holds (the dataset) for little gain.
    """
    return max(1, min(2, os.cpu_count() or 1))


def _candidates(source_dir: Path, notebooks: list[str] | None) -> list[Path]:
    """Return the notebooks of ``source_dir`` a run may execute (all, or those asked for)."""
    paths = sorted(source_dir.glob("[0-9]*.ipynb"))
    if notebooks:
        wanted = set(notebooks)
        paths = [p for p in paths if p.name in wanted or p.stem in wanted]
        missing = wanted - {p.name for p in paths} - {p.stem for p in paths}
        if missing:
            raise FileNotFoundError(f"No such notebook: {', '.join(sorted(missing))}")
    return paths


def _execute_all(
    paths: Sequence[Path],
    out_dir: Path,
    settings: RunSettings,
    *,
    pool: KernelPool,
    progress: bool,
) -> tuple[list[Path], dict[str, float]]:
    """Execute the notebooks in the pool's kernels, rendering each to HTML as it is done.

    Files and seconds come back in the notebooks' order. The first failure (or Ctrl-C) stops
    the run: notebooks not started are dropped and the running kernels interrupted, and the
    error is raised once they have stopped.
    """
    import papermill as pm
    from tqdm.auto import tqdm

    bar = tqdm(total=len(paths), desc="notebooks", unit="nb", disable=not progress)
    jobs = []
    for path in paths:
        # every setting the notebook declares in its parameters cell, and only those
        declared = pm.inspect_notebook(str(path))
        parameters = settings.notebook_parameters(declared)
        jobs.append(notebook_job(path, out_dir / path.name, parameters=parameters))
    # the HTML renderings run in this process while the kernels go on with the next notebooks
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="render") as renderer:
        renders = {}

        def done(i: int) -> None:
            renders[i] = renderer.submit(_render_html, out_dir / paths[i].name)
            bar.set_postfix_str(paths[i].name)
            bar.update()

        try:
            seconds = pool.map(jobs, on_done=done)
            htmls = [renders[i].result() for i in range(len(paths))]
        finally:
            bar.close()
    written = [
        f for path, html in zip(paths, htmls, strict=True) for f in (out_dir / path.name, html)
    ]
    return written, {p.name: s for p, s in zip(paths, seconds, strict=True)}


@functools.cache
def _html_exporter() -> Any:
    """Return the process's one HTML exporter (loading its templates costs 0.2 s)."""
    from nbconvert import HTMLExporter

    return HTMLExporter()


def _render_html(executed: Path) -> Path:
    """Write the HTML rendering of an executed notebook beside it; return its path."""
    import nbformat

    html, _ = _html_exporter().from_notebook_node(nbformat.read(executed, as_version=4))
    html_path = executed.with_suffix(".html")
    html_path.write_text(html, encoding="utf-8")
    return html_path


# --------------------------------------------------------------------------- a quiet console


@contextlib.contextmanager
def _routed_warnings(caught: list[warnings.WarningMessage]) -> Iterator[None]:
    """Collect the analyses' warnings for the summary; show any other warning as usual."""
    seen: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always", AsnAnalysisWarning)
            yield
    finally:  # outside the recording block: a warning shown here is shown, not recorded
        for w in seen:
            if issubclass(w.category, AsnAnalysisWarning):
                caught.append(w)
            else:  # not ours: a real warning, shown as Python shows it
                warnings.showwarning(w.message, w.category, w.filename, w.lineno)


def warning_notes(caught: Sequence[warnings.WarningMessage]) -> tuple[str, ...]:
    """Return the analyses' warnings as summary lines: bilingual, once each, no source path.

    Parameters
    ----------
    caught : sequence of warnings.WarningMessage
        Warnings recorded during a run (:class:`~asn_analysis.errors.AsnAnalysisWarning`).

    Returns
    -------
    tuple of str
        One line per distinct warning, in the order first met.

    Examples
    --------
    >>> import warnings
    >>> from asn_analysis.scales import InsufficientAnswersWarning
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("NaN scores per scale: 'threat': 4.", InsufficientAnswersWarning)
    >>> print(warning_notes(seen)[0])  # doctest: +NORMALIZE_WHITESPACE
    Some staff-survey respondents answered too few items of a scale; their score on it is left
    blank and counted / Sebagian responden survei pegawai menjawab terlalu sedikit butir suatu
    skala; skornya dikosongkan dan dihitung (NaN scores per scale: 'threat': 4.)
    """
    notes: list[str] = []
    for w in caught:
        note = warning_line(w.message, w.category)
        if note not in notes:
            notes.append(note)
    return tuple(notes)
