"""Benchmark of the main job: ``asn-analysis run`` end to end on the bundled data.

Prints total seconds, peak memory of this process, and how the time splits between kernel
start-up/shutdown (notebook wall time minus the cells' own execution time, from papermill's
metadata), cell execution, and the findings export. Baseline in the same process: executing an
empty notebook with papermill (pure kernel overhead); the ratio says how many empty-notebook runs
the whole job costs. Target: under 90 s on 2 cores.
"""

import resource
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm

from asn_analysis.pipeline import run


def empty_notebook_seconds(folder: Path) -> float:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("pass")]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    src = folder / "empty.ipynb"
    nbformat.write(nb, src)
    t0 = time.perf_counter()
    pm.execute_notebook(str(src), str(folder / "empty-out.ipynb"), progress_bar=False)
    return time.perf_counter() - t0


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        baseline = empty_notebook_seconds(tmp)
        t0 = time.perf_counter()
        result = run(out=tmp / "reports", progress=False)
        total = time.perf_counter() - t0
        cells = 0.0
        for path in sorted((tmp / "reports" / "notebooks").glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            cells += sum((c.metadata.get("papermill", {}).get("duration") or 0.0) for c in nb.cells)
        notebooks = sum(v for k, v in result.timings.items() if k.endswith(".ipynb"))
        export = result.timings.get("findings export", 0.0)
        overhead = notebooks - cells
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        n = sum(1 for k in result.timings if k.endswith(".ipynb"))
        print(f"notebooks run: {n}")
        print(f"total (validate + notebooks + HTML + export): {total:.1f} s (target < 90 s)")
        print(
            f"  kernel start-up/shutdown and papermill overhead: {overhead:.1f} s "
            f"({overhead / total:.0%})"
        )
        print(f"  cell execution (analysis and plots): {cells:.1f} s ({cells / total:.0%})")
        print(f"  findings export: {export:.1f} s ({export / total:.0%})")
        print(f"  rest (validation, HTML rendering): {total - notebooks - export:.1f} s")
        print(f"peak memory of this process (ru_maxrss): {peak:.0f} MiB (kernels run separately)")
        print(
            f"baseline: empty notebook via papermill {baseline:.2f} s; "
            f"ratio total / baseline = {total / baseline:.1f}"
        )


if __name__ == "__main__":
    main()
