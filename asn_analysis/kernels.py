r"""Execute the run's notebooks in warm kernels: one per job, each notebook from a clean slate.

Starting a Jupyter kernel and importing the analysis stack (pandas, matplotlib, seaborn, scipy,
statsmodels, the package) costs about 4 s of CPU; a run of six notebooks paid it six times.
:class:`KernelPool` starts ``jobs`` kernels once, while the main process validates the data,
imports the stack in each (:data:`WARM_UP`), and then executes the notebooks one after another
in whichever kernel is free, through papermill (parameters injected as before, cell timings
in the notebook's metadata).

Each notebook still starts from a clean slate, as if its kernel were new. Before each one the
kernel's user namespace is emptied and a new history session begun (IPython's reset: the first
cell is ``In [1]``), and what a notebook may change in the interpreter is put back as it
was after the warm-up (:func:`fresh_session`): matplotlib's settings and open figures, the
warning filters, Python's warning hook and its "already shown" registries (so a warning a
previous notebook showed is shown again), NumPy's error and print settings, pandas' options.
Imported modules stay imported: that is the saving, and the package's functions hold no state
between calls but pure caches.

The kernels are quiet (:func:`quiet_kernel_manager`): IPC transport, no interrupt on shutdown.
A failing cell stops the run with :class:`NotebookFailed`; Ctrl-C interrupts every running
kernel (:func:`interrupt_kernels`). The kernels are shut down when the pool is closed.

Examples
--------
>>> import nbformat, tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 6 * 7\nx")])
>>> nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
...                              "language": "python"}
>>> nbformat.write(nb, folder / "a.ipynb")
>>> with KernelPool(1, cwd=folder, warm_up="import math") as pool:
...     seconds = pool.execute(folder / "a.ipynb", folder / "out.ipynb", parameters={})
>>> cell = nbformat.read(folder / "out.ipynb", as_version=4).cells[0]
>>> cell.execution_count, cell.outputs[0]["data"]
(1, {'text/plain': '42'})
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import queue
import shutil
import signal
import tempfile
import threading
import time
import warnings
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from asn_analysis.errors import AsnAnalysisError

__all__ = [
    "WARM_UP",
    "KernelPool",
    "NotebookFailed",
    "fresh_session",
    "interrupt_kernels",
    "quiet_kernel_manager",
    "remember_session",
]

#: Code each kernel runs once when it starts: the imports every notebook makes (the inline
#: backend included). Then :func:`remember_session` records the state each notebook starts from.
WARM_UP = """\
import matplotlib.pyplot
import pandas
import asn_analysis.cache
import asn_analysis.reporting.findings
import asn_analysis.reporting.notebook
import asn_analysis.reporting.plots
"""

_REMEMBER = "__import__('asn_analysis.kernels').kernels.remember_session()"
#: Code run before each notebook (see :func:`fresh_session`).
_FRESH = "__import__('asn_analysis.kernels').kernels.fresh_session()"


class NotebookFailed(AsnAnalysisError, RuntimeError):
    """A notebook raised an error; the message names the notebook, the cell and the error.

    It is also a :class:`RuntimeError`: the notebook failed while running, whatever its input.
    """


# --------------------------------------------------------------------------- inside a kernel

_SESSION: dict[str, Any] = {}


def remember_session() -> None:
    """Record the interpreter state each notebook starts from (run in a kernel, once).

    What is recorded is what :func:`fresh_session` puts back besides pandas' options (which a
    new kernel has at their defaults): matplotlib's rcParams, the warning filters and hook, and
    NumPy's error and print settings.

    Examples
    --------
    >>> remember_session()
    >>> sorted(_SESSION)
    ['filters', 'numpy_err', 'numpy_print', 'rc', 'showwarning']
    """
    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np

    # pyplot loads its backend with the first figure (in a kernel, the inline backend, which then
    # turns interactive mode on): load it now, so that what is recorded is the state in which a
    # notebook's figures are drawn and shown
    plt.close(plt.figure())
    _SESSION.update(
        rc=matplotlib.rcParams.copy(),
        filters=list(warnings.filters),
        showwarning=warnings.showwarning,
        numpy_err=np.geterr(),
        numpy_print=np.get_printoptions(),
    )


def fresh_session() -> None:
    """Put a kernel back in the state :func:`remember_session` recorded, as a new kernel is.

    Empties IPython's user namespace (``%reset -f``), closes every figure, restores the
    recorded settings, resets pandas' options to their defaults, clears the warnings' "already
    shown" registries and sets the execution count back so that the next cell is ``In [1]``.

    Examples
    --------
    >>> import warnings
    >>> remember_session()
    >>> warnings.simplefilter("ignore")
    >>> fresh_session()  # outside IPython: the settings only
    >>> warnings.filters == _SESSION["filters"]
    True
    """
    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    shell = _shell()
    if shell is not None:  # %reset -f, and a new history session as a new kernel has
        shell.reset(new_session=True)  # (which also makes the next cell In [1])
    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecated rcParams and options warn when set
        # every setting but the backend, which the kernel's inline support keeps as it chose
        matplotlib.rcParams.update({k: v for k, v in _SESSION["rc"].items() if k != "backend"})
        pd.reset_option("all")
    warnings.resetwarnings()  # marks every module's registry of shown warnings stale
    warnings.filters[:] = _SESSION["filters"]
    warnings.showwarning = _SESSION["showwarning"]
    np.seterr(**_SESSION["numpy_err"])
    np.set_printoptions(**_SESSION["numpy_print"])
    gc.collect()  # the previous notebook's data goes now, not when the kernel needs memory


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover (IPython comes with ipykernel)
        return None
    return get_ipython()


# --------------------------------------------------------------------------- the kernels


#: The kernel managers of this process's live kernels (to interrupt them when a run stops).
_LIVE_KERNELS: weakref.WeakSet = weakref.WeakSet()


def interrupt_kernels() -> None:
    """Interrupt every running notebook's kernel (SIGINT), as Ctrl-C in a terminal does."""
    for manager in list(_LIVE_KERNELS):
        pid = getattr(getattr(manager, "provisioner", None), "pid", None)
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGINT)


@functools.cache
def quiet_kernel_manager() -> type:
    """Return the kernel manager of the run's notebooks: quiet on a successful run.

    Two defaults of ``jupyter_client`` make a successful run print alarming lines: kernels talk
    over TCP without encryption (the kernel warns, once per kernel), and shutting a kernel
    down first interrupts it (SIGINT), which an idle kernel logs as "KeyboardInterrupt caught
    in kernel". This manager uses the IPC transport (Unix sockets in a private folder, which
    the kernel does not warn about and other users cannot reach) where the system has it, and
    shuts an idle kernel down without interrupting it. Ctrl-C still reaches a running kernel
    from the terminal, and a failing cell still fails the run.

    Returns
    -------
    type
        A subclass of :class:`jupyter_client.manager.AsyncKernelManager`.

    Examples
    --------
    >>> quiet_kernel_manager().__name__
    'QuietKernelManager'
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class QuietKernelManager(AsyncKernelManager):
        """IPC transport in a private folder; no interrupt sent when shutting down."""

        _socket_dir: str | None = None

        @default("transport")
        def _default_transport(self) -> str:
            return "ipc" if os.name == "posix" else "tcp"

        def _ip_default(self) -> str:  # traitlets' dynamic default of ``ip``
            if self.transport != "ipc":
                return super()._ip_default()
            self._socket_dir = tempfile.mkdtemp(prefix="asn-kernel-")
            return os.path.join(self._socket_dir, "k")

        async def _async_post_start_kernel(self, **kwargs: Any) -> None:
            await super()._async_post_start_kernel(**kwargs)
            _LIVE_KERNELS.add(self)

        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:  # the notebook is done: nothing to interrupt
                return
            await super()._async_interrupt_kernel()

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            _LIVE_KERNELS.discard(self)
            if not restart and self._socket_dir:
                shutil.rmtree(self._socket_dir, ignore_errors=True)

    return QuietKernelManager


@functools.cache
def _engine_name() -> str:
    """Register (once) papermill's nbclient engine on a kernel the pool owns; return its name.

    papermill leaves a kernel it did not start running, but also its client's channels open:
    this engine closes them after each notebook (a custom engine is papermill's extension
    point for how notebooks are executed).
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class PooledKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):  # noqa: ANN001
            km = kwargs.pop("km")
            client = PapermillNotebookClient(
                nb_man,
                km=km,
                kernel_name=kernel_name,
                timeout=kwargs.get("execution_timeout"),
                startup_timeout=kwargs.get("start_timeout", 60),
                log=kwargs.get("log") or _papermill_logger(),
                log_output=kwargs.get("log_output", False),
                stdout_file=kwargs.get("stdout_file"),
                stderr_file=kwargs.get("stderr_file"),
            )
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register("asn-analysis-pool", PooledKernelEngine)
    return "asn-analysis-pool"


def _papermill_logger() -> Any:
    from papermill.log import logger

    return logger


def _run_code(km: Any, code: str, *, cwd: Path, env: Mapping[str, str] | None = None) -> None:
    """Run ``code`` in the kernel of ``km`` (starting it first if needed); raise if it fails."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    client = NotebookClient(nb, km=km, kernel_name="python3", allow_errors=False)
    start = {"cwd": str(cwd)} | ({"env": dict(env)} if env is not None else {})
    try:
        with client.setup_kernel(**start):
            client.execute_cell(nb.cells[0], 0)
    except CellExecutionError as exc:
        raise NotebookFailed(
            f"The kernel could not be prepared: {exc.ename}: {exc.evalue}"
        ) from None
    finally:
        if client.kc is not None:
            client.kc.stop_channels()


def _close_event_loop() -> None:
    """Close this thread's asyncio event loop, if it has one that is not running."""
    import asyncio

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "no current event loop"
        try:
            loop = asyncio.get_event_loop_policy().get_event_loop()
        except RuntimeError:
            return
    if not loop.is_running() and not loop.is_closed():
        loop.close()
    asyncio.set_event_loop(None)


class KernelPool:
    """``size`` warm kernels executing notebooks one after another, each from a clean slate.

    Parameters
    ----------
    size : int
        Kernels (notebooks executed at the same time).
    cwd : pathlib.Path
        The kernels' working folder (the notebooks' folder, as when a notebook is opened there).
    env : mapping, optional
        The kernels' environment (default this process's).
    warm_up : str, default :data:`WARM_UP`
        Code each kernel runs when it starts.

    Notes
    -----
    Each kernel lives in a thread of its own (the thread that started it executes its
    notebooks and shuts it down): jupyter_client's asynchronous managers are bound to the event
    loop of the thread that made them. :meth:`start` returns at once; the kernels start and warm
    up in the background while the caller does other work; :meth:`run` waits for them.
    """

    def __init__(
        self,
        size: int,
        *,
        cwd: Path,
        env: Mapping[str, str] | None = None,
        warm_up: str = WARM_UP,
    ) -> None:
        if size < 1:
            raise ValueError("a kernel pool needs at least one kernel")
        self.size, self.cwd, self.env, self.warm_up = size, Path(cwd), env, warm_up
        self._tasks: queue.Queue = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._errors: list[BaseException] = []
        self._stop = threading.Event()
        #: seconds each kernel took to start and warm up (filled in as they become ready)
        self.warm_up_seconds: list[float] = []

    def __enter__(self) -> KernelPool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the kernels (in the background); they warm up while the caller works."""
        for i in range(self.size):
            thread = threading.Thread(target=self._worker, name=f"asn-kernel-{i}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _worker(self) -> None:
        km = quiet_kernel_manager()(kernel_name="python3")
        t0 = time.perf_counter()
        try:
            _run_code(km, f"{self.warm_up}\n{_REMEMBER}", cwd=self.cwd, env=self.env)
            self.warm_up_seconds.append(time.perf_counter() - t0)
            while not self._stop.is_set():
                task = self._tasks.get()
                if task is None:
                    break
                job, done = task
                try:
                    _run_code(km, _FRESH, cwd=self.cwd)
                    done(job(km), None)
                except BaseException as exc:  # noqa: BLE001 (handed to the caller)
                    done(None, exc)
        except BaseException as exc:  # noqa: BLE001 (a kernel that could not start)
            self._errors.append(exc)
        finally:
            from nbclient.util import run_sync

            # the kernel is idle and holds nothing the run needs (the notebooks are written, the
            # cache's entries atomically): it is stopped at once, as nbclient's "immediate"
            # shutdown does, rather than waiting about a second for it to tidy its heap away
            with contextlib.suppress(Exception):
                if run_sync(km.is_alive)():
                    run_sync(km.shutdown_kernel)(now=True)
            with contextlib.suppress(Exception):
                run_sync(km.cleanup_resources)()
            _close_event_loop()  # the one jupyter's synchronous calls made for this thread

    def map(
        self, jobs: list[Callable[[Any], Any]], *, on_done: Callable[[int], None] | None = None
    ) -> list[Any]:
        """Run each ``job(kernel_manager)`` in a free kernel; results in the order given.

        The first failure (or Ctrl-C) stops the run: jobs not started are dropped and the
        running kernels interrupted, and the error is raised once they have stopped.
        """
        results: dict[int, Any] = {}
        finished: queue.Queue = queue.Queue()
        for i, job in enumerate(jobs):
            self._tasks.put((job, lambda value, exc, i=i: finished.put((i, value, exc))))
        try:
            while len(results) < len(jobs):
                try:
                    i, value, exc = finished.get(timeout=0.5)
                except queue.Empty:
                    if not any(t.is_alive() for t in self._threads):
                        raise (
                            self._errors[0]
                            if self._errors
                            else NotebookFailed(
                                "The notebooks' kernels stopped before the notebooks ran."
                            )
                        ) from None
                    continue
                if exc is not None:
                    raise exc
                results[i] = value
                if on_done is not None:
                    on_done(i)
        except BaseException:
            self._cancel()
            raise
        return [results[i] for i in range(len(jobs))]

    def _cancel(self) -> None:
        with contextlib.suppress(queue.Empty):
            while True:
                self._tasks.get_nowait()
        interrupt_kernels()

    def close(self, *, wait: bool = True) -> None:
        """Shut the kernels down; with ``wait``, wait for them (a few tenths of a second each).

        Closing twice is harmless: ``close(wait=False)`` when the notebooks are done lets the
        kernels stop in the background, and a later ``close()`` waits for them.
        """
        if not self._stop.is_set():
            self._stop.set()
            for _ in self._threads:
                self._tasks.put(None)
        if wait:
            for thread in self._threads:
                thread.join(timeout=30)
            self._threads = []

    def execute(
        self,
        source: Path,
        target: Path,
        *,
        parameters: Mapping[str, Any],
    ) -> float:
        """Execute one notebook in a free kernel (papermill); return its seconds.

        Raises
        ------
        NotebookFailed
            A cell raised; names the notebook, the cell and the error.
        KeyboardInterrupt
            Ctrl-C reached the kernel first.
        """
        return self.map([notebook_job(source, target, parameters=parameters)])[0]


def notebook_job(
    source: Path, target: Path, *, parameters: Mapping[str, Any]
) -> Callable[[Any], float]:
    """Return the job executing ``source`` into ``target`` on a pool's kernel (its seconds)."""

    def job(km: Any) -> float:
        import papermill as pm

        t0 = time.perf_counter()
        try:
            pm.execute_notebook(
                str(source),
                str(target),
                parameters=dict(parameters),
                engine_name=_engine_name(),
                km=km,
                progress_bar=False,
                kernel_name="python3",
                # written once at the end (and every 30 s of a long cell), not after every cell
                request_save_on_cell_execute=False,
            )
        except pm.PapermillExecutionError as exc:
            if exc.ename == "KeyboardInterrupt":  # Ctrl-C reached the kernel first
                raise KeyboardInterrupt from None
            raise NotebookFailed(
                f"Notebook {Path(source).name} failed in cell {exc.cell_index} "
                f"(execution count {exc.exec_count}): {exc.ename}: {exc.evalue}"
            ) from None
        return time.perf_counter() - t0

    return job
