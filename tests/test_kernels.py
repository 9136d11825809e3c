"""The warm kernel pool: each notebook runs as in a new kernel, failures stop the run."""

from pathlib import Path

import nbformat
import papermill
import pytest

from asn_analysis.kernels import KernelPool, NotebookFailed

SPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

# A notebook that changes what a kernel keeps between cells: names, matplotlib and pandas
# settings, NumPy's error state, warning filters and the warning hook; and shows a warning.
LEAVES_STATE = [
    "import warnings, numpy as np, pandas as pd, matplotlib as mpl, matplotlib.pyplot as plt\n"
    "left_behind = 42\n"
    "mpl.rcParams['lines.linewidth'] = 9.0\n"
    "pd.set_option('display.max_rows', 3)\n"
    "np.seterr(all='raise')\n"
    "warnings.simplefilter('ignore', DeprecationWarning)\n"
    "warnings.showwarning = lambda *a, **k: print('hooked')\n"
    "fig = plt.figure()",
    "import asn_analysis.kernels as k\nk.warn_here()",
]

# What a new kernel says about the same things (its first cell is In [1]).
CHECKS_STATE = [
    "import warnings, numpy as np, pandas as pd, matplotlib as mpl, matplotlib.pyplot as plt\n"
    "print('left_behind' in dir())\n"
    "print(mpl.rcParams['lines.linewidth'], pd.get_option('display.max_rows'))\n"
    "print(np.geterr()['divide'], len(plt.get_fignums()))\n"
    "print(any(f[0] == 'ignore' and f[2] is DeprecationWarning for f in warnings.filters[:1]))",
    "import asn_analysis.kernels as k\nk.warn_here()",
]


def notebook(folder: Path, name: str, cells: list[str]) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = SPEC
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def outputs(path: Path) -> list[tuple[int, list[str]]]:
    cells = nbformat.read(path, as_version=4).cells
    shown = []
    for cell in cells:
        texts = [o.get("text") or o.get("data", {}).get("text/plain", "") for o in cell.outputs]
        shown.append((cell.execution_count, texts))
    return shown


def test_each_notebook_starts_as_in_a_new_kernel(tmp_path):
    # the warning raised from the same line twice is shown twice: the registry is cleared
    helper = tmp_path / "helper_mod.py"
    helper.write_text(
        "import warnings\n\ndef warn_here():\n    warnings.warn('once per kernel', UserWarning)\n",
        encoding="utf-8",
    )
    leaves = [c.replace("asn_analysis.kernels", "helper_mod") for c in LEAVES_STATE]
    checks = [c.replace("asn_analysis.kernels", "helper_mod") for c in CHECKS_STATE]
    first = notebook(tmp_path, "first", leaves)
    second = notebook(tmp_path, "second", checks)
    with KernelPool(1, cwd=tmp_path) as pool:  # one kernel: the second follows the first
        pool.execute(first, tmp_path / "first-out.ipynb", parameters={})
        pool.execute(second, tmp_path / "second-out.ipynb", parameters={})
        pool.execute(first, tmp_path / "first-again.ipynb", parameters={})
    papermill.execute_notebook(
        str(second), str(tmp_path / "second-new.ipynb"), cwd=str(tmp_path), progress_bar=False
    )
    pooled, fresh = outputs(tmp_path / "second-out.ipynb"), outputs(tmp_path / "second-new.ipynb")
    assert pooled == fresh
    assert [count for count, _ in pooled] == [1, 2]
    assert pooled[0][1] == ["False\n1.5 60\nwarn 0\nFalse\n"]
    assert "once per kernel" in "".join(pooled[1][1])  # shown again after the first showed it
    assert outputs(tmp_path / "first-again.ipynb") == outputs(tmp_path / "first-out.ipynb")


def test_a_failing_notebook_stops_the_pool_with_its_name(tmp_path):
    ok = notebook(tmp_path, "ok", ["x = 1"])
    bad = notebook(tmp_path, "bad", ["1 / 0"])
    with KernelPool(2, cwd=tmp_path) as pool, pytest.raises(NotebookFailed) as caught:
        pool.map(
            [
                _job(pool, ok, tmp_path / "ok-out.ipynb"),
                _job(pool, bad, tmp_path / "bad-out.ipynb"),
            ]
        )
    assert "bad.ipynb failed in cell 0" in str(caught.value)
    assert "ZeroDivisionError" in str(caught.value)


def _job(pool, source, target):
    from asn_analysis.kernels import notebook_job

    return notebook_job(source, target, parameters={})


def test_a_kernel_that_cannot_warm_up_fails_the_run_instead_of_hanging(tmp_path):
    ok = notebook(tmp_path, "ok", ["x = 1"])
    with KernelPool(1, cwd=tmp_path, warm_up="import no_such_module_here") as pool:
        with pytest.raises(NotebookFailed, match="could not be prepared.*ModuleNotFoundError"):
            pool.execute(ok, tmp_path / "out.ipynb", parameters={})


def test_a_pool_needs_a_kernel(tmp_path):
    with pytest.raises(ValueError, match="at least one kernel"):
        KernelPool(0, cwd=tmp_path)


def test_a_closed_pool_leaves_no_open_event_loop_or_socket(tmp_path):
    import gc
    import warnings

    ok = notebook(tmp_path, "ok", ["x = 1"])
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        with KernelPool(1, cwd=tmp_path) as pool:
            pool.execute(ok, tmp_path / "out.ipynb", parameters={})
        gc.collect()
    assert not [w for w in seen if issubclass(w.category, ResourceWarning)]
