"""The main job: validate the data, then execute every notebook in order.

``asn-analysis run`` (and ``make run``) calls :func:`run`. Notebooks are executed with
papermill, which injects the run's settings (:class:`asn_analysis.settings.RunSettings`:
defaults < ``asn-analysis.toml`` beside the data < ``-p NAME VALUE``) into each notebook's
``parameters`` cell, each notebook receiving the settings it declares; the export reads the
same settings. Only the notebooks of which the data supports at least one analysis are run
(:mod:`asn_analysis.reporting.coverage`); the others are listed with the tables they miss, and
so are the sections skipped inside the notebooks that run. The
executed copies and an HTML rendering of each are written to ``<out>/notebooks/``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asn_analysis._validation import Lang, check_lang
from asn_analysis.data import load_dataset
from asn_analysis.errors import AsnAnalysisError
from asn_analysis.reporting.coverage import coverage
from asn_analysis.reporting.export import export_findings
from asn_analysis.reporting.summaries import collect
from asn_analysis.settings import RunSettings, load_settings

__all__ = ["NotebookFailed", "NothingToAnalyse", "RunResult", "notebooks_dir", "run"]


def notebooks_dir() -> Path:
    """Return the folder of the project's notebooks (``notebooks/``)."""
    return Path(__file__).resolve().parents[1] / "notebooks"


class NotebookFailed(AsnAnalysisError, RuntimeError):
    """A notebook raised an error; the message names the notebook, the cell and the error.

    It is also a :class:`RuntimeError`: the notebook failed while running, whatever its input.
    """


class NothingToAnalyse(AsnAnalysisError):
    """The data supports no analysis (e.g. only ``units``); the message says what each needs."""


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
        Seconds per notebook (and of the findings export).
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
    """

    outputs: list[Path]
    seconds: float
    timings: dict[str, float]
    data_source: str
    findings: list[Path]
    not_analysed: tuple[str, ...] = ()
    skipped: dict[str, str] = field(default_factory=dict)
    skipped_sections: dict[str, tuple[str, ...]] = field(default_factory=dict)

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
        lines.append(f"Total time / Waktu total: {self.seconds:.1f} s")
        return "\n".join(lines)


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
) -> RunResult:
    """Validate the data, execute the notebooks in order, render them and export findings.

    Parameters
    ----------
    data : str or pathlib.Path, optional
        Dataset folder or workbook; None uses the bundled synthetic data.
    lang : {"id", "en"}, optional
        Language of findings (Bahasa Indonesia or English); default the settings' ("id").
    out : str or pathlib.Path, default "reports"
        Output folder; executed notebooks go to ``out/notebooks``.
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

    Returns
    -------
    RunResult
        Paths written (notebooks, HTML renderings, ``out/findings``) and timings.

    Raises
    ------
    asn_analysis.errors.OptionError
        ``lang`` is neither "id" nor "en", or a setting is unknown or invalid
        (:class:`asn_analysis.settings.SettingsError`).
    asn_analysis.data.DataValidationError
        Invalid data: no notebook is run.
    NothingToAnalyse
        The data supports no analysis.
    NotebookFailed
        A notebook raised; names the notebook, cell and error.
    """
    import nbformat
    import papermill as pm
    from nbconvert import HTMLExporter
    from tqdm.auto import tqdm

    if lang is not None:
        check_lang(lang)
    started = time.perf_counter()
    if settings is None:
        given = {"lang": lang, "seed": seed, "n_boot": n_boot}
        if columns is not None:
            given["columns_path"] = str(Path(columns).resolve())
        settings = load_settings(data, overrides=parameters, **given)
    # validates (and checks the salt) before any notebook runs
    dataset = load_dataset(data, columns=settings.columns_path or None)
    cov = coverage(dataset.tables_present)
    if not cov.supported:
        raise NothingToAnalyse(
            "The data supports no analysis: nothing was run. / Data tidak mendukung analisis "
            "apa pun.\n" + cov.format()
        )
    out_dir = Path(out) / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = sorted(Path(notebook_dir or notebooks_dir()).glob("[0-9]*.ipynb"))
    if notebooks:
        wanted = set(notebooks)
        paths = [p for p in paths if p.name in wanted or p.stem in wanted]
        missing = wanted - {p.name for p in paths} - {p.stem for p in paths}
        if missing:
            raise FileNotFoundError(f"No such notebook: {', '.join(sorted(missing))}")
    not_analysed = [
        f"notebook {p.name}: {', '.join(cov.notebook_missing(p.stem))}"
        for p in paths
        if not cov.runs_notebook(p.stem)
    ]
    not_analysed += [
        f"{a.title[1]} / {a.title[0]}: {', '.join(cov.missing(a.key))}" for a in cov.unsupported
    ]
    paths = [p for p in paths if cov.runs_notebook(p.stem)]
    skipped_sections = {
        p.name: tuple(f"{k}: {', '.join(cov.missing(k))}" for k in cov.skipped_sections(p.stem))
        for p in paths
        if cov.skipped_sections(p.stem)
    }
    outputs: list[Path] = []
    timings: dict[str, float] = {}
    exporter = HTMLExporter()
    bar = tqdm(paths, desc="notebooks", unit="nb", disable=not progress)
    for path in bar:
        bar.set_postfix_str(path.name)
        target = out_dir / path.name
        t0 = time.perf_counter()
        # every setting the notebook declares in its parameters cell, and only those
        declared = pm.inspect_notebook(str(path))
        try:
            pm.execute_notebook(
                str(path),
                str(target),
                parameters=settings.notebook_parameters(declared),
                cwd=str(path.parent),
                progress_bar=False,
                kernel_name="python3",
            )
        except pm.PapermillExecutionError as exc:
            raise NotebookFailed(
                f"Notebook {path.name} failed in cell {exc.cell_index} "
                f"(execution count {exc.exec_count}): {exc.ename}: {exc.evalue}\n"
                f"The partly executed notebook is in {target}"
            ) from None
        timings[path.name] = time.perf_counter() - t0
        html, _ = exporter.from_notebook_node(nbformat.read(target, as_version=4))
        html_path = target.with_suffix(".html")
        html_path.write_text(html, encoding="utf-8")
        outputs += [target, html_path]
    if progress:
        print("exporting findings / menyusun temuan ...", flush=True)
    t0 = time.perf_counter()
    results = collect(dataset, settings=settings)
    exported = export_findings(results, Path(out) / "findings", lang=settings.lang)
    timings["findings export"] = time.perf_counter() - t0
    return RunResult(
        outputs,
        time.perf_counter() - started,
        timings,
        dataset.source,
        exported.paths(),
        tuple(not_analysed),
        results.skipped,
        skipped_sections,
    )
