"""Compute once per run: a content-addressed store of the validated Dataset and costly results.

A run (``asn-analysis run``) loads and validates the data once and computes each costly
analysis once; every notebook and the findings export read the same stored objects, so they
cannot disagree and nothing is recomputed. :class:`RunCache` is that store:

- :meth:`RunCache.load_dataset` is :func:`asn_analysis.data.load_dataset` keyed by the
  SHA-256 of every file of the input (the folder's files or the workbook, the column mapping),
  a digest of the salt (the argument and ``ASN_ANALYSIS_SALT``; the salt itself is never
  written), ``on_error``, the run date and the package (version and a digest of its source
  files, so an edited estimator misses too).
- :meth:`RunCache.call` runs a function once per *content* of its arguments: the key is the
  function's name, the package digest and a content hash of every argument after binding it
  to the signature (defaults filled in, so ``f(x)`` and ``f(x, n_boot=9999)`` share an entry
  when 9999 is the default). Frames are hashed by their values
  (:func:`pandas.util.hash_pandas_object`), dtypes, index and ``attrs``, never by pickle bytes
  (which differ between equal frames). :meth:`RunCache.module` gives a module whose costly
  functions (:data:`COSTLY`) go through :meth:`~RunCache.call`; a notebook uses it in its first
  cell, and :func:`asn_analysis.reporting.summaries.collect` uses the same calls.

A dataset loaded through a cache stands, in later calls, for its own key (hashing its tables
at every call would cost more than some analyses): a dataset's tables are read-only. A table
whose rows, columns or dtypes were changed is noticed (the dataset is then hashed by content);
change values in a copy, never in place.

A changed input file (content, not date), column mapping, salt, option, argument, run date or
package misses; a hit returns an object equal to the recomputed one (the analyses are
deterministic: seeds are parameters). An unreadable entry is a miss.

Processes share it safely. A run's notebooks (two kernels) and its export (the main process)
work at the same time on one store; an entry being computed is locked (``flock`` on POSIX), so
a second process asking for it waits and reads it back instead of computing it again, and each
computed entry is written once to the store's ledger (:meth:`RunCache.ledger`).

Where it lives. The run owns its cache: ``asn-analysis run`` keeps it in its temporary work
folder and deletes it with that folder before the outputs are put in place, so nothing of the
data outlives the run. Set ``ASN_ANALYSIS_CACHE_DIR`` to keep a cache between runs (a second
run on the same data and settings then reuses it). The pipeline passes its folder to the
notebooks' kernels in the same variable; a notebook opened by hand (no variable set) computes
everything itself from the data (:meth:`RunCache.from_env` gives a disabled cache).

Privacy. Entries are readable by their owner only (folders 0700, files 0600). Only the
pseudonymised Dataset (``nip`` and ``name`` are dropped by the loader) and
results computed from it are stored; an object holding a frame with a ``nip`` or ``name``
column is never written (:meth:`RunCache.call` computes it and counts it as ``refused``).

Examples
--------
>>> import tempfile
>>> from asn_analysis import competency
>>> cache = RunCache(tempfile.mkdtemp())
>>> ds = cache.load_dataset()
>>> cp = cache.module(competency)
>>> args = (ds.competency_assessments, ds.competency_standards, ds.employees)
>>> first = cp.job_person_match(*args, as_of="2025-06-30")
>>> again = cp.job_person_match(*args, as_of="2025-06-30")
>>> cache.stats["job_person_match"]
{'hits': 1, 'misses': 1}
>>> content_hash(first) == content_hash(again)
True
>>> RunCache(None).module(competency) is competency  # disabled: the module itself
True
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import inspect
import os
import pickle
import tempfile
import types
import weakref
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from asn_analysis import __version__
from asn_analysis.data import Dataset, bundled_data_path, load_dataset
from asn_analysis.data.fingerprint import file_sha256
from asn_analysis.data.privacy import SALT_ENV_VAR
from asn_analysis.data.schema import IDENTIFIER_COLUMNS

__all__ = [
    "CACHE_ENV_VAR",
    "COSTLY",
    "LEDGER",
    "RunCache",
    "content_hash",
    "package_digest",
]

#: Environment variable naming the cache folder (set by the pipeline for its notebooks).
CACHE_ENV_VAR = "ASN_ANALYSIS_CACHE_DIR"
#: The store's ledger of computed entries (:meth:`RunCache.ledger`).
LEDGER = "computed.log"

#: The functions of each module that :meth:`RunCache.module` computes once (the costly ones:
#: bootstraps, models, whole-table passes); the others pass through unchanged.
COSTLY: dict[str, tuple[str, ...]] = {
    "asn_analysis.competency": (
        "job_person_match",
        "competency_gaps",
        "mismatches",
        "fit_effects",
        "training_needs",
    ),
    "asn_analysis.effects": ("twfe", "staggered_did", "event_study", "att_weighting"),
    "asn_analysis.segments": ("employee_features", "unit_features", "segment"),
    "asn_analysis.casestudy": ("case_study",),
    "asn_analysis.reporting.summaries": ("summarize_satisfaction", "summarize_resistance"),
}

_PACKAGE = Path(__file__).resolve().parent
_SOURCE_SUFFIXES = (".py", ".toml", ".json", ".csv")


@functools.cache
def package_digest() -> str:
    """Return a SHA-256 over the package version and every source and data file of the package.

    Part of every key, so a cache never serves what an earlier version of the code computed
    (also while developing, when the version number stays the same).

    Returns
    -------
    str
        64 hex characters.

    Examples
    --------
    >>> len(package_digest())
    64
    """
    digest = hashlib.sha256(f"asn-analysis {__version__}\n".encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in _SOURCE_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(f"{path.relative_to(_PACKAGE).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# --------------------------------------------------------------------------- content hashing


def _update(digest, obj: Any, depth: int = 0) -> None:
    """Feed a canonical description of ``obj`` (type and content) into ``digest``."""
    if depth > 50:
        raise RecursionError("object nested too deeply to hash")
    put = digest.update
    if obj is None or isinstance(obj, bool | int | float | complex | str | bytes):
        put(f"{type(obj).__name__}:{obj!r};".encode())
    elif isinstance(obj, dt.date | dt.datetime | dt.time | dt.timedelta | np.generic):
        put(f"{type(obj).__name__}:{obj!r};".encode())
    elif isinstance(obj, pd.DataFrame):
        put(f"DataFrame{obj.shape};".encode())
        _update_index(digest, obj.columns)
        _update_index(digest, obj.index)
        for i in range(obj.shape[1]):
            _update_values(digest, obj.iloc[:, i])
        _update(digest, dict(obj.attrs), depth + 1)
    elif isinstance(obj, pd.Series):
        put(f"Series:{obj.name!r};".encode())
        _update_index(digest, obj.index)
        _update_values(digest, obj)
        _update(digest, dict(obj.attrs), depth + 1)
    elif isinstance(obj, pd.Index):
        _update_index(digest, obj)
    elif isinstance(obj, np.ndarray):
        put(f"ndarray:{obj.dtype.str}:{obj.shape};".encode())
        if obj.dtype.hasobject:
            for item in obj.ravel():
                _update(digest, item, depth + 1)
        else:
            put(np.ascontiguousarray(obj).tobytes())
    elif isinstance(obj, Mapping):
        put(f"{type(obj).__name__}{{{len(obj)};".encode())
        items = sorted(obj.items(), key=lambda kv: (type(kv[0]).__name__, repr(kv[0])))
        for key, value in items:
            _update(digest, key, depth + 1)
            _update(digest, value, depth + 1)
        put(b"}")
    elif isinstance(obj, list | tuple | set | frozenset | range):
        values = sorted(obj, key=repr) if isinstance(obj, set | frozenset) else obj
        put(f"{type(obj).__name__}[{len(obj)};".encode())
        for value in values:
            _update(digest, value, depth + 1)
        put(b"]")
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        put(f"{type(obj).__module__}.{type(obj).__qualname__}(".encode())
        for f in dataclasses.fields(obj):
            put(f"{f.name}=".encode())
            _update(digest, getattr(obj, f.name), depth + 1)
        put(b")")
    elif isinstance(obj, types.FunctionType | types.BuiltinFunctionType | type):
        put(f"callable:{obj.__module__}.{obj.__qualname__};".encode())
    else:  # anything else by its pickle: an unstable pickle only makes a miss, never a stale hit
        put(f"pickle:{type(obj).__module__}.{type(obj).__qualname__};".encode())
        put(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


def _update_index(digest, index: pd.Index) -> None:
    digest.update(f"Index:{type(index).__name__}:{index.names!r}:{index.nlevels};".encode())
    for level in range(index.nlevels):
        values = index.get_level_values(level)
        _update_values(digest, pd.Series(values, index=range(len(values)), copy=False))


def _update_values(digest, values: pd.Series) -> None:
    """Hash one column by its values and dtype (never by its pickle, which varies)."""
    digest.update(f"col:{values.dtype!s}:{len(values)};".encode())
    if values.dtype == object:  # mixed cells: by type and value (pandas would hash 1 as "1")
        for item in values.tolist():
            _update(digest, item)
        return
    try:
        hashed = pd.util.hash_pandas_object(values, index=False, categorize=False)
    except TypeError:  # unhashable cells (lists, dicts): one by one
        for item in values.tolist():
            _update(digest, item)
        return
    digest.update(hashed.to_numpy().tobytes())
    if isinstance(values.dtype, pd.CategoricalDtype):
        _update(digest, list(values.cat.categories), 1)
        digest.update(f"ordered={values.cat.ordered};".encode())


def content_hash(obj: Any) -> str:
    """Return a SHA-256 of an object's content: equal content, equal hash, in any process.

    Frames and series are hashed by column names, dtypes, index, values and ``attrs``;
    containers and dataclasses (a :class:`~asn_analysis.data.Dataset`, a result) field by
    field; scalars by type and value.

    Parameters
    ----------
    obj : object
        What to hash.

    Returns
    -------
    str
        64 hex characters.

    Examples
    --------
    >>> a = pd.DataFrame({"x": [1, 2], "y": ["a", "b"]})
    >>> content_hash(a) == content_hash(a.copy())
    True
    >>> content_hash(a) == content_hash(a.assign(x=[1, 3]))
    False
    """
    digest = hashlib.sha256()
    _update(digest, obj)
    return digest.hexdigest()


# --------------------------------------------------------------------------- privacy guard


def _holds_identifiers(obj: Any, depth: int = 0) -> bool:
    """Tell whether ``obj`` holds a frame or series named after a NIP or name column."""
    if depth > 6:
        return False
    if isinstance(obj, pd.DataFrame):
        named = {str(c).lower() for c in obj.columns} | {str(n).lower() for n in obj.index.names}
        return bool(named & set(IDENTIFIER_COLUMNS)) or _holds_identifiers(obj.attrs, depth + 1)
    if isinstance(obj, pd.Series):
        return str(obj.name).lower() in IDENTIFIER_COLUMNS or _holds_identifiers(
            obj.attrs, depth + 1
        )
    if isinstance(obj, dict):
        return any(_holds_identifiers(v, depth + 1) for v in obj.values())
    if isinstance(obj, list | tuple):
        return any(_holds_identifiers(v, depth + 1) for v in obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return any(
            _holds_identifiers(getattr(obj, f.name), depth + 1) for f in dataclasses.fields(obj)
        )
    return False


# --------------------------------------------------------------------------- the store


def _salt_digest(salt: str | None) -> str | None:
    if salt is None:
        return None
    return hashlib.sha256(f"asn-analysis cache salt\0{salt}".encode()).hexdigest()


def _input_files(path: Path) -> list[Path] | None:
    """Return the files whose bytes make the input (a folder: every file in it)."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file())
    if path.is_file():
        return [path]
    return None


def _mapping_proxy(items: dict) -> types.MappingProxyType:
    """Rebuild a read-only mapping (results hold them; pickle cannot write them itself)."""
    return types.MappingProxyType(items)


class _Pickler(pickle.Pickler):
    """Pickle that also writes read-only mappings (``types.MappingProxyType``)."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is types.MappingProxyType:
            return _mapping_proxy, (dict(obj),)
        return NotImplemented


def _layout(dataset: Dataset) -> tuple:
    """Names, shapes and dtypes of a dataset's tables (a cheap check that none was changed)."""
    return tuple(
        (t, frame.shape, tuple(map(str, frame.columns)), tuple(map(str, frame.dtypes)))
        for t in dataset.tables_present
        for frame in [getattr(dataset, t)]
    )


#: Datasets loaded through a cache in this process: id -> (weak reference, key, layout). Any
#: cache keys a call on one of them by the dataset's key, however it was loaded.
_DATASETS: dict[int, tuple[weakref.ref, str, tuple]] = {}


def _register(dataset: Dataset, key: str) -> None:
    ident = id(dataset)
    _DATASETS[ident] = (
        weakref.ref(dataset, lambda _: _DATASETS.pop(ident, None)),
        key,
        _layout(dataset),
    )


class RunCache:
    """The store of one run (or, with ``ASN_ANALYSIS_CACHE_DIR``, of several).

    Parameters
    ----------
    folder : str or pathlib.Path or None
        Where entries are written (created when needed); None or "" disables the cache:
        every call computes, nothing is written.

    Attributes
    ----------
    folder : pathlib.Path or None
        The cache folder (None when disabled).
    stats : dict of str to dict
        Per function name (``load_dataset`` too): ``hits`` and ``misses`` (and ``refused``:
        results holding a NIP or name column, computed but never written).

    Examples
    --------
    >>> import tempfile
    >>> cache = RunCache(tempfile.mkdtemp())
    >>> cache.call(sum, [1, 2, 3]), cache.call(sum, [1, 2, 3])
    (6, 6)
    >>> cache.stats
    {'sum': {'hits': 1, 'misses': 1}}
    """

    def __init__(self, folder: str | Path | None) -> None:
        self.folder = Path(folder) if folder is not None and str(folder) else None
        self.stats: dict[str, dict[str, int]] = {}

    @classmethod
    def from_env(cls) -> RunCache:
        """Return the cache named by ``ASN_ANALYSIS_CACHE_DIR`` (disabled when it is unset).

        Returns
        -------
        RunCache
            The run's cache inside ``asn-analysis run``; a disabled cache in a notebook opened
            by hand, which then computes everything from the data.
        """
        return cls(os.environ.get(CACHE_ENV_VAR) or None)

    @property
    def enabled(self) -> bool:
        """True when entries are read and written."""
        return self.folder is not None

    def __repr__(self) -> str:
        return f"RunCache({str(self.folder) if self.folder else None!r})"

    # ------------------------------------------------------------------ entries

    def _count(self, name: str, what: str) -> None:
        counts = self.stats.setdefault(name, {"hits": 0, "misses": 0})
        counts[what] = counts.get(what, 0) + 1

    def _path(self, name: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / name / f"{key}.pkl"

    def _read(self, path: Path) -> tuple[bool, Any]:
        try:
            with open(path, "rb") as handle:
                return True, pickle.load(handle)
        except FileNotFoundError:
            return False, None
        except Exception:  # a damaged or foreign entry is a miss, and is replaced
            path.unlink(missing_ok=True)
            return False, None

    def _write(self, path: Path, value: Any) -> None:
        self._make_folders(path)
        handle, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
            os.replace(tmp, path)  # atomic: a reader sees the whole entry or none
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _make_folders(self, path: Path) -> None:
        """Create the store's folder and the entry's (private: 0700; entries are 0600)."""
        assert self.folder is not None
        # private, so other users of a server cannot read the entries
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.parent.mkdir(exist_ok=True, mode=0o700)

    @contextlib.contextmanager
    def _claim(self, path: Path) -> Iterator[None]:
        """Hold the entry's lock: one process computes it, the others wait and read it back.

        An exclusive ``flock`` on ``<entry>.lock``, released when the block ends (or when its
        process dies). The lock is advisory and POSIX only; where it is unavailable (Windows,
        a file system without locks) two processes may both compute an entry, with the same
        result.
        """
        try:
            import fcntl
        except ImportError:  # pragma: no cover (Windows)
            yield
            return
        try:
            self._make_folders(path)
            handle = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:  # a read-only folder: computed without the lock
            yield
            return
        try:
            with contextlib.suppress(OSError):
                fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)  # releases the lock

    def _log_computed(self, name: str, key: str) -> None:
        """Append the entry computed to the store's ledger (``computed.log``: one line each)."""
        assert self.folder is not None
        with contextlib.suppress(OSError):
            line = f"{name} {key} {os.getpid()}\n".encode()
            handle = os.open(self.folder / LEDGER, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(handle, line)  # one write in append mode: lines never interleave
            finally:
                os.close(handle)

    def ledger(self) -> list[tuple[str, str, int]]:
        """Return every entry computed in this store, by any process: (name, key, process id).

        A run's notebooks and its export share one store; each entry appears once when each
        result was computed once.

        Returns
        -------
        list of tuple
            In the order computed (an empty list when disabled or nothing was computed).
        """
        if not self.enabled:
            return []
        try:
            text = (self.folder / LEDGER).read_text(encoding="utf-8")
        except OSError:
            return []
        rows = [line.split(" ") for line in text.splitlines() if line.count(" ") == 2]
        return [(name, key, int(pid)) for name, key, pid in rows]

    def _get_or_compute(self, name: str, key: str, compute: Callable[[], Any]) -> Any:
        path = self._path(name, key)
        found, value = self._read(path)
        if found:
            self._count(name, "hits")
            return value
        with self._claim(path):
            found, value = self._read(path)  # another process may have written it meanwhile
            if found:
                self._count(name, "hits")
                return value
            self._count(name, "misses")
            value = compute()
            self._log_computed(name, key)
            if _holds_identifiers(value):
                self._count(name, "refused")
                return value
            try:
                self._write(path, value)
            except (OSError, pickle.PicklingError, TypeError, AttributeError):
                # a full or read-only disk, or an object pickle cannot write: computed again
                self._count(name, "unwritten")
        return value

    # ------------------------------------------------------------------ the dataset

    def _dataset_key(self, path: str | Path | None, options: dict[str, Any]) -> str | None:
        """Return the key of :meth:`load_dataset` (None: the input is not a readable file)."""
        files = _input_files(Path(path) if path is not None else bundled_data_path())
        columns = options["columns"]
        mapping = _input_files(Path(columns)) if columns is not None and str(columns) else []
        if files is None or mapping is None or len(mapping) > 1:
            return None
        today = options["today"]
        when = today.isoformat() if isinstance(today, dt.date) else str(today)
        parts = {
            "package": package_digest(),
            "input": [(p.name, file_sha256(p)) for p in files],
            "columns": [file_sha256(p) for p in mapping],
            "salt": _salt_digest(options["salt"]),
            "salt_env": _salt_digest(os.environ.get(SALT_ENV_VAR)),
            "on_error": options["on_error"],
            "today": when,
        }
        return content_hash(parts)

    def load_dataset(
        self,
        path: str | Path | None = None,
        *,
        columns: str | Path | None = None,
        salt: str | None = None,
        on_error: str = "raise",
        today: dt.date | str | None = None,
    ) -> Dataset:
        """Load and validate a dataset once; later calls on the same input read it back.

        Parameters
        ----------
        path : str or pathlib.Path, optional
            A folder of table files or a workbook; None = the bundled data.
        columns : str or pathlib.Path, optional
            A column mapping (TOML).
        salt : str, optional
            Key of the pseudonyms (default as the loader: the synthetic salt for the bundled
            data, else ``ASN_ANALYSIS_SALT``).
        on_error : {"raise", "quarantine"}, default "raise"
            As :func:`asn_analysis.data.load_dataset`.
        today : datetime.date or str, optional
            The run date (default the system date), part of the key.

        Returns
        -------
        Dataset
            The pseudonymised dataset, as :func:`asn_analysis.data.load_dataset` returns it.

        Raises
        ------
        asn_analysis.data.DataValidationError
            Invalid data (never stored: every call validates again).
        """
        today = today if today is not None else dt.date.today()
        kwargs = {"columns": columns, "salt": salt, "on_error": on_error, "today": today}
        key = self._dataset_key(path, kwargs) if self.enabled else None
        if key is None:
            return load_dataset(path, **kwargs)
        dataset = self._get_or_compute("load_dataset", key, lambda: load_dataset(path, **kwargs))
        _register(dataset, key)
        return dataset

    def _token(self, value: Any) -> Any:
        """Return what stands for an argument in a key: a dataset loaded here, its key."""
        known = _DATASETS.get(id(value)) if isinstance(value, Dataset) else None
        if known is not None and known[0]() is value and known[2] == _layout(value):
            return ("Dataset", known[1])
        return value

    # ------------------------------------------------------------------ results

    def call(self, func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Return ``func(*args, **kwargs)``, computed once per content of its arguments.

        Parameters
        ----------
        func : callable
            A deterministic function (seeds are arguments).
        *args, **kwargs
            Its arguments, bound to its signature with the defaults filled in.

        Returns
        -------
        object
            The result (read back from the store on a hit: a fresh copy each time).
        """
        if not self.enabled:
            return func(*args, **kwargs)
        try:
            bound = inspect.signature(func).bind(*args, **kwargs)
            bound.apply_defaults()
            arguments: Any = {k: self._token(v) for k, v in bound.arguments.items()}
        except (TypeError, ValueError):  # no signature, or the call is wrong: let func say so
            arguments = (args, kwargs)
        name = getattr(func, "__name__", type(func).__name__)
        where = f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', name)}"
        try:
            key = content_hash({"package": package_digest(), "func": where, "args": arguments})
        except (TypeError, pickle.PicklingError, AttributeError, RecursionError):
            self._count(name, "unhashable")  # an argument without a content: computed
            return func(*args, **kwargs)
        return self._get_or_compute(name, key, lambda: func(*args, **kwargs))

    def cached(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Return ``func`` going through :meth:`call` (``func`` itself when disabled)."""
        if not self.enabled:
            return func

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return self.call(func, *args, **kwargs)

        return wrapper

    def module(self, module: types.ModuleType) -> types.ModuleType:
        """Return ``module`` with its costly functions (:data:`COSTLY`) computed once.

        Parameters
        ----------
        module : module
            E.g. :mod:`asn_analysis.competency`.

        Returns
        -------
        module
            A stand-in whose attributes are the module's, the costly functions going through
            :meth:`call`; the module itself when the cache is disabled or none is costly.
        """
        names = COSTLY.get(module.__name__, ())
        if not self.enabled or not names:
            return module
        proxy = types.ModuleType(module.__name__, module.__doc__)
        proxy.__dict__.update({k: v for k, v in vars(module).items() if k != "__name__"})
        for name in names:
            setattr(proxy, name, self.cached(getattr(module, name)))
        return proxy
