"""The main job: validate the data, then execute every notebook in order.

``asn-analysis run`` (and ``make run``) calls :func:`run`. Notebooks are executed with
papermill, which injects the scalar parameters (data path, language, seed) into each
notebook's ``parameters`` cell; the executed copies and an HTML rendering of each are
written to ``<out>/notebooks/``. Only the notebooks whose analyses the data supports are run
(:mod:`asn_analysis.reporting.coverage`); the others are listed with the tables they miss.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from asn_analysis._validation import Lang, check_lang
from asn_analysis.data import load_dataset
from asn_analysis.errors import AsnAnalysisError
from asn_analysis.reporting.coverage import coverage
from asn_analysis.reporting.export import export_findings
from asn_analysis.reporting.summaries import collect

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
    skipped : tuple of str
        Notebooks and analyses not run, each with the tables it misses.
    """

    outputs: list[Path]
    seconds: float
    timings: dict[str, float]
    data_source: str
    findings: list[Path]
    skipped: tuple[str, ...] = ()

    def format(self) -> str:
        """Return the closing summary printed by ``asn-analysis run``."""
        lines = [f"Data: {self.data_source}"]
        for name, secs in self.timings.items():
            lines.append(f"  {name}: {secs:.1f} s")
        folders = sorted({str(p.parent) for p in self.outputs})
        lines.append("Notebooks: " + ", ".join(folders))
        lines += ["Findings / Temuan:"] + [f"  {p}" for p in self.findings]
        if self.skipped:
            lines.append("Not analysed (missing tables) / Tidak dianalisis (tabel tidak ada):")
            lines += [f"  {s}" for s in self.skipped]
        lines.append(f"Total time / Waktu total: {self.seconds:.1f} s")
        return "\n".join(lines)


def run(
    *,
    data: str | Path | None = None,
    lang: Lang = "id",
    out: str | Path = "reports",
    seed: int = 0,
    notebooks: list[str] | None = None,
    progress: bool = True,
    n_boot: int = 1000,
    notebook_dir: str | Path | None = None,
    columns: str | Path | None = None,
) -> RunResult:
    """Validate the data, execute the notebooks in order, render them and export findings.

    Parameters
    ----------
    data : str or pathlib.Path, optional
        Dataset folder or workbook; None uses the bundled synthetic data.
    lang : {"id", "en"}, default "id"
        Language of findings (Bahasa Indonesia or English).
    out : str or pathlib.Path, default "reports"
        Output folder; executed notebooks go to ``out/notebooks``.
    seed : int, default 0
        Seed passed to every notebook (bootstrap, clustering).
    notebooks : list of str, optional
        Run only these notebooks (file names); default all ``notebooks/[0-9]*.ipynb``.
    progress : bool, default True
        Show a progress bar.
    n_boot : int, default 1000
        Bootstrap replicates for the exported confidence intervals.
    notebook_dir : str or pathlib.Path, optional
        Folder of the notebooks; default the project's ``notebooks/``.
    columns : str or pathlib.Path, optional
        A column mapping (TOML) from the export's headers to the codebook's names
        (``data/README.md``); passed to every notebook as ``columns_path``.

    Returns
    -------
    RunResult
        Paths written (notebooks, HTML renderings, ``out/findings``) and timings.

    Raises
    ------
    asn_analysis.errors.OptionError
        ``lang`` is neither "id" nor "en".
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

    check_lang(lang)
    started = time.perf_counter()
    # validates (and checks the salt) before any notebook runs
    dataset = load_dataset(data, columns=columns)
    cov = coverage(dataset.tables_present)
    if not cov.supported:
        raise NothingToAnalyse(
            "The data supports no analysis: nothing was run. / Data tidak mendukung analisis "
            "apa pun.\n" + cov.format()
        )
    data_path = "" if data is None else str(Path(data).resolve())
    out_dir = Path(out) / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = sorted(Path(notebook_dir or notebooks_dir()).glob("[0-9]*.ipynb"))
    if notebooks:
        wanted = set(notebooks)
        paths = [p for p in paths if p.name in wanted or p.stem in wanted]
        missing = wanted - {p.name for p in paths} - {p.stem for p in paths}
        if missing:
            raise FileNotFoundError(f"No such notebook: {', '.join(sorted(missing))}")
    skipped = [
        f"notebook {p.name}: {', '.join(cov.notebook_missing(p.stem))}"
        for p in paths
        if not cov.runs_notebook(p.stem)
    ]
    skipped += [
        f"{a.title[1]} / {a.title[0]}: {', '.join(cov.missing(a.key))}" for a in cov.unsupported
    ]
    paths = [p for p in paths if cov.runs_notebook(p.stem)]
    parameters = {"data_path": data_path, "lang": lang, "seed": int(seed)}
    if columns is not None:
        parameters["columns_path"] = str(Path(columns).resolve())
    outputs: list[Path] = []
    timings: dict[str, float] = {}
    exporter = HTMLExporter()
    bar = tqdm(paths, desc="notebooks", unit="nb", disable=not progress)
    for path in bar:
        bar.set_postfix_str(path.name)
        target = out_dir / path.name
        t0 = time.perf_counter()
        try:
            pm.execute_notebook(
                str(path),
                str(target),
                parameters=parameters,
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
    results = collect(dataset, seed=seed, n_boot=n_boot)
    exported = export_findings(results, Path(out) / "findings", lang=lang)
    timings["findings export"] = time.perf_counter() - t0
    return RunResult(
        outputs,
        time.perf_counter() - started,
        timings,
        dataset.source,
        exported.paths(),
        tuple(skipped),
    )
