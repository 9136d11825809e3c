"""Benchmark of the main job: ``asn-analysis run`` end to end on the bundled data (``make run``).

Prints the breakdown of one run: loading and validating the data (once per run, issue 15),
each notebook (wall time = the cells' own time from papermill's metadata, of which the first
cell, imports and loading, + papermill and the clean slate between notebooks; the kernels start
and import once, beside the loading: :mod:`asn_analysis.kernels`), all notebooks together
(two kernels at a time), the findings export (beside the notebooks; each result is computed
once, by whichever process asks first: the run's cache, :mod:`asn_analysis.cache`) and the rest
(HTML renderings run beside the notebooks). Baseline in the same process: an empty notebook
executed by papermill (pure kernel overhead, which each notebook paid before the kernels were
kept warm). CPU seconds (this process and its kernels) are printed beside wall seconds: on a
busy machine the wall time grows with the load, the CPU time hardly. Target: ``make run``
warm on the bundled data in at most 20 s (about 48 s before issue 15).

``python benchmarks/bench_run.py [--repeat N]`` runs the job N times (default 1) and prints
each run's breakdown; the first run of a fresh clone also pays Python's byte-compilation.
"""

import argparse
import resource
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm

from asn_analysis.pipeline import default_jobs, quiet_kernel_manager, run

TARGET = 20.0


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the notebooks' kernels)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def empty_notebook_seconds(folder: Path) -> float:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("pass")]
    spec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["kernelspec"] = spec
    src = folder / "empty.ipynb"
    nbformat.write(nb, src)
    t0 = time.perf_counter()
    pm.execute_notebook(
        str(src),
        str(folder / "empty-out.ipynb"),
        progress_bar=False,
        kernel_manager_class=quiet_kernel_manager(),
    )
    return time.perf_counter() - t0


def cell_seconds(path: Path) -> tuple[float, float]:
    """(all cells, the load cell) of an executed notebook, from papermill's metadata."""
    nb = nbformat.read(path, as_version=4)
    durations = [(c, c.metadata.get("papermill", {}).get("duration") or 0.0) for c in nb.cells]
    load = sum(d for c, d in durations if "load_dataset(" in c.source)
    return sum(d for _, d in durations), load


def one_run(tmp: Path, baseline: float) -> float:
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    result = run(out=tmp / "reports", progress=False)
    total, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    load = result.timings.get("load and validate", 0.0)
    export = result.timings.get("findings export", 0.0)
    books = {k: v for k, v in result.timings.items() if k.endswith(".ipynb")}
    print(f"total: {total:.1f} s wall, {cpu:.1f} s CPU (target <= {TARGET:.0f} s wall, quiet)")
    print(f"  load and validate (once): {load:.1f} s")
    warm = result.timings.get("kernels started and warmed up (beside loading)", 0.0)
    print(f"  kernels started and warmed up, beside the loading: {warm:.1f} s (slowest kernel)")
    overhead_sum = 0.0
    for name, wall in books.items():
        cells, first = cell_seconds(tmp / "reports" / "notebooks" / name)
        overhead = wall - cells
        overhead_sum += overhead
        print(
            f"  {name}: {wall:.1f} s = cells {cells:.1f} s (load cell {first:.1f} s)"
            f" + papermill and the clean slate {overhead:.1f} s"
        )
    together = result.timings.get("all notebooks", 0.0)
    after = result.timings.get("export after the notebooks", 0.0)
    print(f"  all notebooks ({default_jobs()} kernels): {together:.1f} s")
    print(f"  findings export, beside the notebooks: {export:.1f} s ({after:.1f} s after them)")
    rest = total - load - together - after
    print(f"  rest (settings, run record, replacing the output folder): {rest:.1f} s")
    print(
        f"  overhead outside the cells over {len(books)} notebooks: {overhead_sum:.1f} s, "
        f"{overhead_sum / max(len(books), 1) / baseline:.2f}x an empty notebook in a new kernel "
        f"({baseline:.2f} s) per notebook"
    )
    hits = sum(v.get("hits", 0) for k, v in result.cache.items() if k != "load_dataset")
    misses = sum(v.get("misses", 0) for k, v in result.cache.items() if k != "load_dataset")
    twice = len(result.computed) - len(set(result.computed))
    print(
        f"  the run's cache: {len(result.computed)} results computed, {twice} of them twice; "
        f"the export computed {misses} and read {hits} back from the notebooks"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of this process (ru_maxrss): {peak:.0f} MiB (kernels run separately)")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs to time (default 1)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        baseline = empty_notebook_seconds(tmp)
        print(f"baseline: an empty notebook via papermill takes {baseline:.2f} s")
        totals = []
        for i in range(args.repeat):
            print(f"run {i + 1} of {args.repeat}:")
            totals.append(one_run(tmp, baseline))
        if len(totals) > 1:
            print(f"fastest run: {min(totals):.1f} s; slowest: {max(totals):.1f} s")


if __name__ == "__main__":
    main()
