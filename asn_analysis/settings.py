"""The run configuration: one settings object the notebooks and the export both read.

Every scalar parameter of the notebooks' ``parameters`` cells, and the names a case study needs
(the case unit, the roll-out programmes and the competency each targets, the self-selected
programme, the SKM elements), is a field of :class:`RunSettings`. Its defaults are the bundled
synthetic data's values (:mod:`asn_analysis.defaults`). Sources, later wins:

1. the defaults;
2. ``asn-analysis.toml`` beside the data (in the data folder, or next to the workbook);
3. ``asn-analysis run -p NAME VALUE`` (repeatable), parsed by the field's declared type.

Mapping-valued settings (``rollout_programs``) come only from the TOML file. Notebooks receive
the scalars as papermill parameters, and a mapping as a JSON string (``rollout_programs_json``,
read back with :func:`programs_from_json`), so an executed notebook records every value it used.

Examples
--------
>>> s = load_settings(overrides=[("as_of", "2024-12-31"), ("k", "3")])
>>> s.as_of, s.k, s.case_unit == RunSettings().case_unit
('2024-12-31', 3, True)
>>> load_settings(overrides=[("as_off", "2024-12-31")])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
asn_analysis.settings.SettingsError: unknown setting 'as_off' (did you mean 'as_of'?) in -p; ...
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from asn_analysis import defaults
from asn_analysis.errors import OptionError

__all__ = [
    "SETTINGS_FILE",
    "RunSettings",
    "SettingsError",
    "load_settings",
    "programs_from_json",
    "settings_file",
    "settings_table",
]

#: File name of the run configuration, looked up beside the data.
SETTINGS_FILE = "asn-analysis.toml"


class SettingsError(OptionError):
    """A setting is unknown, of the wrong type or out of range (file, ``-p`` or argument)."""


#: What each setting means (README table, error messages).
_HELP = {
    "data_path": "dataset folder or .xlsx workbook ('' = the bundled data)",
    "columns_path": "column mapping (TOML) from the export's headers ('' = none)",
    "lang": "language of findings: 'id' or 'en'",
    "seed": "seed of every resampling step",
    "n_boot": "bootstrap replicates of the IKM intervals (notebook 03) and of the export",
    "n_boot_wild": "wild cluster bootstrap draws of notebook 04",
    "n_boot_stability": "bootstrap resamples of segment stability (notebook 06)",
    "period": "reference SKM period ('' = the latest in the data)",
    "as_of": "competency fit: each employee's latest assessment on or before this date",
    "scheme": "JPM categories: 'pemetaan' or 'seleksi'",
    "k": "employee segments (0 = chosen by silhouette)",
    "k_units": "unit types (0 = chosen by silhouette)",
    "case_unit": "units.unit_name of the case-study unit",
    "selection_program": "training.program of the self-selected programme",
    "case_elements": "SKM elements the roll-out should move (comma-separated)",
    "rollout_programs": "roll-out programme -> competency it targets (TOML table only)",
    "staggered_covariates": "unit covariates of notebook 04's Callaway-Sant'Anna comparison "
    "(comma-separated: mismatch_share, mean_jpm, health; '' = skip it)",
    "staggered_est_method": "estimator of that comparison: 'dr' (doubly robust), 'ipw' or 'reg'",
}
_CHOICES = {
    "lang": ("id", "en"),
    "scheme": ("pemetaan", "seleksi"),
    "staggered_est_method": ("dr", "ipw", "reg"),
}
#: Settings naming a subset of a fixed set ("" = none); the set of the unit covariates is
#: :data:`asn_analysis.unit_covariates.UNIT_COVARIATES` (a test keeps the two equal).
_SUBSETS = {"staggered_covariates": ("mismatch_share", "mean_jpm", "health")}
_MINIMUM = {"seed": 0, "n_boot": 0, "n_boot_wild": 0, "n_boot_stability": 0, "k": 0, "k_units": 0}
#: Settings that locate the data: set by ``--data`` / ``--columns``, never by the file itself.
_NOT_IN_FILE = ("data_path",)


@dataclass(frozen=True)
class RunSettings:
    """Every parameter of a run; the defaults are the bundled data's values.

    Attributes
    ----------
    data_path, columns_path : str
        The data and an optional column mapping ("" = bundled data / none).
    lang : {"id", "en"}
        Language of findings.
    seed : int
        Seed of every resampling step.
    n_boot, n_boot_wild, n_boot_stability : int
        Bootstrap replicates: IKM intervals and the export (1000), notebook 04's wild cluster
        bootstrap (999), segment stability in notebook 06 (20).
    period : str
        Reference SKM period ("" = the latest).
    as_of : str
        ISO date: competency fit uses each employee's latest assessment on or before it.
    scheme : {"pemetaan", "seleksi"}
        JPM categories.
    k, k_units : int
        Employee segments and unit types (0 = chosen by silhouette).
    case_unit : str
        ``units.unit_name`` of the case-study unit.
    selection_program : str
        ``training.program`` of the self-selected programme.
    case_elements : tuple of str
        SKM element keys the roll-out should move.
    rollout_programs : dict of str to str
        Roll-out programme (``training.program``) -> competency it targets.
    staggered_covariates : tuple of str
        Unit covariates of notebook 04's conditional Callaway-Sant'Anna comparison (a subset of
        ``mismatch_share``, ``mean_jpm``, ``health``, measured the day before the roll-out);
        empty skips it.
    staggered_est_method : {"dr", "ipw", "reg"}
        Its estimator: doubly robust (Sant'Anna & Zhao 2020), IPW or outcome regression.

    Examples
    --------
    >>> RunSettings().as_of
    '2025-06-30'
    >>> RunSettings(k=3).notebook_parameters({"k", "lang"})
    {'lang': 'id', 'k': 3}
    """

    data_path: str = ""
    columns_path: str = ""
    lang: str = "id"
    seed: int = 0
    n_boot: int = 1000
    n_boot_wild: int = 999
    n_boot_stability: int = 20
    period: str = ""
    as_of: str = defaults.AS_OF
    scheme: str = "pemetaan"
    k: int = 4
    k_units: int = 0
    case_unit: str = defaults.CASE_UNIT
    selection_program: str = defaults.SELECTION_PROGRAM
    case_elements: tuple[str, ...] = defaults.CASE_ELEMENTS
    rollout_programs: dict[str, str] = field(
        default_factory=lambda: dict(defaults.ROLLOUT_PROGRAMS)
    )
    staggered_covariates: tuple[str, ...] = ("mismatch_share", "health")
    staggered_est_method: str = "dr"

    def __post_init__(self) -> None:
        for f in fields(self):
            object.__setattr__(self, f.name, _coerce(f.name, getattr(self, f.name), "argument"))

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Return the names of all settings, in declaration order."""
        return tuple(f.name for f in fields(cls))

    def notebook_parameters(self, available: Iterable[str] | None = None) -> dict[str, Any]:
        """Return the papermill parameters, restricted to the names a notebook declares.

        Parameters
        ----------
        available : iterable of str, optional
            The notebook's parameter names; None keeps all.

        Returns
        -------
        dict
            Scalars as they are, ``case_elements`` comma-joined, ``rollout_programs`` as the JSON
            string ``rollout_programs_json``.
        """
        params: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, dict):
                params[f"{f.name}_json"] = json.dumps(value, ensure_ascii=False)
            elif isinstance(value, tuple):
                params[f.name] = ",".join(value)
            else:
                params[f.name] = value
        if available is None:
            return params
        wanted = set(available)
        return {k: v for k, v in params.items() if k in wanted}


def _kind(name: str) -> str:
    return {
        "seed": "int",
        "n_boot": "int",
        "n_boot_wild": "int",
        "n_boot_stability": "int",
        "k": "int",
        "k_units": "int",
        "case_elements": "list",
        "rollout_programs": "mapping",
        "staggered_covariates": "subset",
    }.get(name, "str")


def _fail(name: str, source: str, what: str) -> SettingsError:
    return SettingsError(f"setting {name} ({source}) {what}")


def _coerce(name: str, value: Any, source: str) -> Any:
    """Check one value against its declared type and range; return it in canonical form."""
    kind = _kind(name)
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(name, source, f"must be a whole number, not {value!r}")
        if value < _MINIMUM.get(name, 0):
            raise _fail(name, source, f"must be at least {_MINIMUM[name]}, not {value}")
    elif kind == "list":
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise _fail(name, source, f"must be a list of text values, not {value!r}")
        if not value:
            raise _fail(name, source, "must name at least one element")
        value = tuple(value)
    elif kind == "subset":
        value = _subset(name, value, source)
    elif kind == "mapping":
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise _fail(name, source, f"must be a table of programme = competency, not {value!r}")
        if not value:
            raise _fail(name, source, "must name at least one programme")
        value = dict(value)
    else:
        if not isinstance(value, str):
            raise _fail(name, source, f"must be text, not {value!r}")
        if name in _CHOICES and value not in _CHOICES[name]:
            shown = ", ".join(repr(c) for c in _CHOICES[name])
            raise _fail(name, source, f"must be one of {shown}, not {value!r}")
        if name == "as_of":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise _fail(
                    name, source, f"must be an ISO date (YYYY-MM-DD), not {value!r}"
                ) from None
        if name in ("case_unit", "selection_program") and not value.strip():
            raise _fail(name, source, "must not be empty")
    return value


def _subset(name: str, value: Any, source: str) -> tuple[str, ...]:
    """Read a comma-separated text or a list of names from a fixed set ("" or [] = none)."""
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",")]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise _fail(name, source, f"must be a list of names, not {value!r}")
    names = tuple(dict.fromkeys(v.strip() for v in value if v.strip()))
    unknown = [v for v in names if v not in _SUBSETS[name]]
    if unknown:
        shown = ", ".join(repr(v) for v in unknown)
        known = ", ".join(repr(v) for v in _SUBSETS[name])
        raise _fail(name, source, f"has unknown names {shown}; choose from {known} ('' = none)")
    return names


def _unknown(name: str, source: str) -> SettingsError:
    known = RunSettings.names()
    near = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return SettingsError(
        f"unknown setting {name!r}{hint} in {source}; settings are: {', '.join(known)}"
    )


def _parse_text(name: str, text: str) -> Any:
    """Parse a ``-p NAME VALUE`` value by the setting's declared type."""
    kind = _kind(name)
    if kind == "mapping":
        raise SettingsError(
            f"setting {name} is a table: set it in {SETTINGS_FILE} under [{name}], not with -p"
        )
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            raise _fail(name, "-p", f"must be a whole number, not {text!r}") from None
    return text


def settings_file(data: str | Path | None) -> Path | None:
    """Return the ``asn-analysis.toml`` beside the data, or None when there is none.

    Parameters
    ----------
    data : str or pathlib.Path, optional
        A data folder (the file inside it) or a workbook (the file next to it); None = the
        bundled data, which has no configuration file.

    Returns
    -------
    pathlib.Path or None
    """
    if data is None:
        return None
    path = Path(data)
    candidate = (path if path.is_dir() else path.parent) / SETTINGS_FILE
    return candidate if candidate.is_file() else None


def _read_file(path: Path) -> dict[str, Any]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path} is not valid TOML: {exc}") from None
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in RunSettings.names():
            raise _unknown(name, str(path))
        if name in _NOT_IN_FILE:
            raise SettingsError(f"{path}: {name} is given by --data, not in {SETTINGS_FILE}")
        if name == "columns_path" and isinstance(value, str) and value:
            value = str((path.parent / value).resolve())
        out[name] = _coerce(name, value, str(path))
    return out


def load_settings(
    data: str | Path | None = None,
    *,
    overrides: Iterable[tuple[str, str]] = (),
    **given: Any,
) -> RunSettings:
    """Build the run's settings: defaults < ``asn-analysis.toml`` beside the data < overrides.

    Parameters
    ----------
    data : str or pathlib.Path, optional
        The dataset; its folder (or the workbook's folder) is searched for
        ``asn-analysis.toml``. None = the bundled data (defaults only).
    overrides : iterable of (str, str)
        ``-p NAME VALUE`` pairs, parsed by each setting's declared type; later pairs win.
    **given
        Typed values that win over the file (e.g. ``lang`` from ``--lang``); None is ignored.

    Returns
    -------
    RunSettings
        Validated settings; ``data_path`` is the resolved data path ("" for the bundled data).

    Raises
    ------
    SettingsError
        An unknown name (with the nearest known one), a value of the wrong type or out of range,
        invalid TOML, or a table given with ``-p``.

    Examples
    --------
    >>> load_settings(overrides=[("seed", "7"), ("lang", "en")]).seed
    7
    >>> load_settings(overrides=[("seed", "x")])
    Traceback (most recent call last):
    ...
    asn_analysis.settings.SettingsError: setting seed (-p) must be a whole number, not 'x'
    """
    values: dict[str, Any] = {}
    path = settings_file(data)
    if path is not None:
        values.update(_read_file(path))
    for name, value in given.items():
        if name not in RunSettings.names():
            raise _unknown(name, "arguments")
        if value is not None:
            values[name] = _coerce(name, value, "argument")
    for name, text in overrides:
        if name not in RunSettings.names():
            raise _unknown(name, "-p")
        values[name] = _coerce(name, _parse_text(name, text), "-p")
    if data is not None and "data_path" not in values:
        values["data_path"] = str(Path(data).resolve())
    return replace(RunSettings(), **values)


def programs_from_json(text: str) -> dict[str, str]:
    """Read the ``rollout_programs_json`` notebook parameter ("" = the defaults).

    Parameters
    ----------
    text : str
        JSON object of programme -> competency, as :meth:`RunSettings.notebook_parameters`
        writes it.

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> programs_from_json('{"Pelatihan A": "komunikasi"}')
    {'Pelatihan A': 'komunikasi'}
    >>> programs_from_json("") == RunSettings().rollout_programs
    True
    """
    if not text:
        return RunSettings().rollout_programs
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SettingsError(f"rollout_programs_json is not valid JSON: {exc}") from None
    return _coerce("rollout_programs", value, "rollout_programs_json")


def settings_table() -> str:
    """Return the settings as a Markdown table (name, default, meaning), as in the README.

    Returns
    -------
    str

    Examples
    --------
    >>> settings_table().splitlines()[2]
    "| `data_path` | `''` | dataset folder or .xlsx workbook ('' = the bundled data) |"
    """
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    for f in fields(RunSettings):
        default = getattr(RunSettings(), f.name)
        shown = f"`{default!r}`" if not isinstance(default, dict) else "see the example"
        rows.append(f"| `{f.name}` | {shown} | {_HELP[f.name]} |")
    return "\n".join(rows)
