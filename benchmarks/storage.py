"""Shared by the benchmarks: run one workload under both pandas string storages, measure memory.

pandas 3 stores text as ``str`` (``pd.StringDtype(na_value=nan)``), backed by pyarrow when it is
installed (the default, and a dependency of asn-analysis) or by Python objects. Each benchmark
builds its data and runs its workload once per storage in the same process, under
``pd.option_context("mode.string_storage", storage)`` (which sets the storage of every ``str``
column, index and category built inside it), and :func:`to_storage` converts a frame built
elsewhere. The pyarrow figure is the one a user sees; the python-storage figure beside it.

Peak memory: tracemalloc does not see pyarrow's memory pool, so an in-process tracemalloc peak
understates pyarrow strings. :func:`peak_rss` therefore runs a configuration in a fresh
subprocess, which builds its data, resets its peak RSS (Linux ``clear_refs``, so the data
generator's own peak is not counted), runs the workload once and reports its RSS with the data
built and its peak RSS during the run (``VmHWM``: interpreter, imports, the input data held and
the workload together).

Run ``python benchmarks/storage.py`` to see which storages this environment has.
"""

from __future__ import annotations

import contextlib
import gc
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

#: The pyarrow storage first: it is the default with pyarrow installed.
STORAGES = ("pyarrow", "python")


@contextlib.contextmanager
def use_storage(storage: str) -> Iterator[None]:
    """Build and run inside this block with ``str`` data stored as ``storage``."""
    with pd.option_context("mode.string_storage", storage):
        yield


def to_storage(frame: pd.DataFrame, storage: str) -> pd.DataFrame:
    """Return ``frame`` with every string column and string category stored as ``storage``."""
    dtype = pd.StringDtype(storage, na_value=float("nan"))
    out = {}
    for col in frame.columns:
        s = frame[col]
        if isinstance(s.dtype, pd.CategoricalDtype) and isinstance(
            s.cat.categories.dtype, pd.StringDtype
        ):
            s = s.cat.set_categories(s.cat.categories.astype(dtype), rename=True)
        elif isinstance(s.dtype, pd.StringDtype) or s.dtype == object:
            s = s.astype(dtype)
        out[col] = s
    return pd.DataFrame(out, index=frame.index)


def storage_of(frame: pd.DataFrame) -> str:
    """Name the storage of a frame's string columns and categories, e.g. ``pyarrow``."""
    found = set()
    for col in frame.columns:
        dtype = frame[col].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            dtype = dtype.categories.dtype
        if isinstance(dtype, pd.StringDtype):
            found.add(dtype.storage)
    return "+".join(sorted(found)) or "no strings"


def assert_same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Assert two results are equal value for value, whatever storage holds their strings."""

    def plain(frame: pd.DataFrame) -> pd.DataFrame:
        out = {}
        for col in frame.columns:
            s = frame[col]
            text = isinstance(s.dtype, pd.StringDtype) or (
                isinstance(s.dtype, pd.CategoricalDtype)
                and isinstance(s.cat.categories.dtype, pd.StringDtype)
            )
            out[str(col)] = s.astype(object) if text else s
        return pd.DataFrame(out, index=frame.index)

    pd.testing.assert_frame_equal(plain(left), plain(right), check_index_type=False)


def _status_mib(field: str) -> float | None:
    """A memory line of ``/proc/self/status`` (``VmRSS``, ``VmHWM``) in MiB; None elsewhere."""
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return None


def rss_mib() -> float:
    """Resident set size of this process now, MiB (the peak so far where /proc is absent)."""
    now = _status_mib("VmRSS")
    return now if now is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> bool:
    """Reset the peak RSS to the current RSS (Linux ``clear_refs``); False when not possible.

    Called once the input data are built, so the peak that follows is the run's (with the data
    it holds), not the data generator's.
    """
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def report_child(**figures: float) -> None:
    """In a child run: print the figures and the peak RSS as one JSON line for the parent."""
    peak = _status_mib("VmHWM")
    if peak is None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RSS-JSON " + json.dumps({**figures, "peak_rss_mib": peak}), flush=True)


def peak_rss(script: str, config: str, *args: str) -> dict[str, float]:
    """Run ``script --child config ...args`` in a fresh interpreter; return its figures."""
    run = subprocess.run(
        [sys.executable, str(Path(script)), "--child", config, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(r for r in run.stdout.splitlines() if r.startswith("RSS-JSON "))
    return json.loads(line.removeprefix("RSS-JSON "))


def best_of(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Best wall-clock and best CPU seconds of ``repeat`` runs, and the last result.

    CPU seconds (``time.process_time``, all threads of this process) are the figure to trust on
    a busy machine: another process's load stretches wall time, not this process's CPU time.
    """
    wall = cpu = float("inf")
    result: object = None
    for _ in range(repeat):
        result = None
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu, result


def no_text_note(what: str) -> str:
    """The line of a benchmark whose data hold no text: the storage cannot change its figures."""
    return (
        f"string storage: {pd.Series(['x']).dtype.storage} (default); {what} hold no text "
        "column, so the python storage runs the very same arrays (not timed twice)"
    )


def ratio_line(
    label: str, pyarrow_s: float, python_s: float, cpu: tuple[float, float] | None = None
) -> str:
    """The line comparing the two storages of one workload (wall seconds, and CPU if given)."""
    line = (
        f"{label}: pyarrow {pyarrow_s:7.3f} s | python {python_s:7.3f} s | "
        f"ratio pyarrow/python {pyarrow_s / python_s:5.2f}"
    )
    if cpu is not None:
        line += f" (CPU: {cpu[0]:.3f} s / {cpu[1]:.3f} s = {cpu[0] / cpu[1]:.2f})"
    return line


if __name__ == "__main__":
    import importlib.util

    has_arrow = importlib.util.find_spec("pyarrow") is not None
    print(f"pandas {pd.__version__}; pyarrow installed: {has_arrow}; storages: {STORAGES}")
    print(f"default str storage here: {pd.Series(['x']).dtype.storage}")
