"""Competency fit: Job Person Match, gaps, job mismatch, the cost of misfit, training needs.

A position's competency standard (*standar kompetensi jabatan*, PermenPANRB No. 38 Tahun 2017)
names the level (1-5) it requires in each managerial, socio-cultural and technical competency.
Assessments record the level an employee holds. This module compares the two:

* :func:`job_person_match` - the Job Person Match percentage (JPM) and its category;
* :func:`competency_gaps`, :func:`unit_gaps` - held minus required level, per employee and per
  unit;
* :func:`mismatches` - employees below the required level in their position's technical
  competency (e.g. an IT post held by someone without the IT level it needs);
* :func:`fit_effects` - how JPM and mismatch are associated with the SKP predikat and with the
  unit's citizen satisfaction (IKM), with cluster-robust confidence intervals;
* :func:`training_needs` - ranked training priorities per unit and competency, with the JP hours
  they need against the 20 JP yearly right;
* :func:`reassignment_suggestions` - moves between posts that would raise total JPM (suggestions
  for a human decision, never decisions);
* :func:`competency_findings` - the plain-language findings (Bahasa Indonesia and English).

The matching is vectorised: each employee's latest held level per competency is placed in a
dense employee x competency-slot matrix with ``numpy.bincount``, so 4.3 million employees with
9 competencies each are scored in a few seconds (``benchmarks/bench_competency.py``).

Bad input is never dropped silently. Missing columns, levels outside 1-5 and duplicate keys raise
:class:`CompetencyInputError`. Assessments or employees that cannot be matched (an unknown
employee, a competency or position without a standard, an employee without a complete assessment)
raise too with ``on_problem="raise"`` (default), or are left out and counted in
``result.attrs["excluded"]`` with ``on_problem="exclude"``.

References
----------
.. [1] Peraturan Menteri PANRB No. 38 Tahun 2017 tentang Standar Kompetensi Jabatan Aparatur Sipil
   Negara (competency groups, levels 1-5).
.. [2] BKN competency-assessment practice for the Job Person Match and its categories (no single
   regulation fixes them; see the caveats in :func:`job_person_match`).
.. [3] Peraturan Menteri PANRB No. 6 Tahun 2022 tentang Pengelolaan Kinerja Pegawai ASN (predikat).
.. [4] Peraturan Menteri PANRB No. 14 Tahun 2017 (IKM).
.. [5] Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
   *Journal of Human Resources*, 50(2), 317-372.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import math
import numbers
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, ParamSpec, TypeAlias, TypeVar, get_args

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import linear_sum_assignment
from statsmodels.miscmodels.ordinal_model import OrderedModel

from asn_analysis.errors import InputProblems
from asn_analysis.overview import JP_RIGHT_PER_YEAR
from asn_analysis.privacy import MIN_GROUP_SIZE
from asn_analysis.reporting.text import count as _count
from asn_analysis.reporting.text import number
from asn_analysis.schema import PREDIKAT
from asn_analysis.stats.bootstrap import BootWeights, boot_weights, bracket
from asn_analysis.stats.intervals import FEW_CLUSTERS, wilson_interval
from asn_analysis.stats.sandwich import cluster_sandwich

__all__ = [
    "CAPS",
    "JPM_SCHEMES",
    "JP_PER_LEVEL",
    "CompetencyInputError",
    "FitEffectsResult",
    "MismatchResult",
    "competency_findings",
    "competency_gaps",
    "fit_effects",
    "job_person_match",
    "jpm_category",
    "mismatches",
    "reassignment_suggestions",
    "training_needs",
    "unit_gaps",
]

Scheme: TypeAlias = Literal["pemetaan", "seleksi"]
Cap: TypeAlias = Literal["total", "per_competency"]
OnProblem: TypeAlias = Literal["raise", "exclude"]
UnitSE: TypeAlias = Literal["cluster", "HC1"]
FitInference: TypeAlias = Literal["auto", "cluster", "wild"]
Lang: TypeAlias = Literal["id", "en"]
AsOf: TypeAlias = str | _dt.date | pd.Timestamp | None

#: JPM categories per scheme, lowest first: (label, inclusive lower bound in %).
#: "pemetaan" (competency mapping) has one public source; "seleksi" (uji kompetensi) two.
JPM_SCHEMES: Mapping[str, tuple[tuple[str, float], ...]] = MappingProxyType(
    {
        "pemetaan": (("Kurang Optimal", 0.0), ("Cukup Optimal", 78.0), ("Optimal", 90.0)),
        "seleksi": (
            ("Kurang Memenuhi Syarat", 0.0),
            ("Masih Memenuhi Syarat", 68.0),
            ("Memenuhi Syarat", 80.0),
        ),
    }
)
CAPS: tuple[str, ...] = get_args(Cap)
#: Default assumption of :func:`training_needs`: JP of training that raise a held level by one.
#: Not a regulation: about one classical 5-day course (the bundled programmes run 16-40 JP).
JP_PER_LEVEL = 40.0
#: Levels of the competency scale (PermenPANRB 38/2017).
LEVEL_MIN, LEVEL_MAX = 1, 5
TECHNICAL_GROUP = "teknis"
SUGGESTION_STATUS = "usulan, bukan keputusan / suggestion only, not a decision"

_SHOW = 5
# Reasons an assessment row or an employee is not used. Problems raise under on_problem="raise".
_R_UNKNOWN_EMPLOYEE = "assessment of an employee_id that is not in employees"
_R_UNKNOWN_COMPETENCY = "competency that no position's standard names"
_R_NO_STANDARD = "position without a competency standard"
_R_NOT_IN_STANDARD = "competency not in the standard of the employee's position"
_R_NO_ASSESSMENT = "no assessment on or before as_of"
_R_INCOMPLETE = "assessed on only some of the position's competencies"
_R_AFTER = "assessed after as_of (not used by design)"
_R_SUPERSEDED = "replaced by a later assessment of the same competency (not used by design)"
_INFORMATIONAL = frozenset({_R_AFTER, _R_SUPERSEDED})
_EXCLUDED_COLUMNS = ["reason", "table", "n_rows", "n_employees", "examples", "problem"]
_NO_STANDARD_SLOT = -2


class CompetencyInputError(InputProblems):
    """Competency input the analysis cannot use; the message lists every problem found.

    Parameters
    ----------
    problems : str or sequence of str
        One message per problem, naming the table, column(s), counts and example values.

    Attributes
    ----------
    problems : tuple of str
        The individual problems, in the order found.
    """

    heading = "problems in the competency input"


# --------------------------------------------------------------------------------------------
# Small helpers: options, messages, lookups
# --------------------------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value)


def _fmt_list(values: Sequence[Any] | np.ndarray, total: int | None = None) -> str:
    values = list(values)
    total = len(values) if total is None else total
    shown = ", ".join(_fmt(v) for v in values[:_SHOW])
    more = f", ... ({total} in all)" if total > _SHOW else ""
    return f"[{shown}{more}]"


def _check_option(name: str, value: Any, alias: Any) -> None:
    allowed = get_args(alias)
    if value not in allowed:
        raise CompetencyInputError(
            f"option {name}={value!r} is not one of {', '.join(map(repr, allowed))}"
        )


def _check_level(level: Any) -> None:
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < level < 1:
        raise CompetencyInputError(f"option level={level!r}: must be between 0 and 1, e.g. 0.95")


def _check_positive(name: str, value: Any) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise CompetencyInputError(f"option {name}={value!r}: must be a positive number")


def _check_columns(frame: Any, name: str, columns: Sequence[str]) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise CompetencyInputError(f"{name} must be a pandas DataFrame, not {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CompetencyInputError(
            f"{name} has no column {', '.join(missing)} (columns: {_fmt_list(list(frame.columns))})"
        )


def _as_of(as_of: AsOf) -> pd.Timestamp | None:
    if as_of is None:
        return None
    try:
        stamp = pd.Timestamp(as_of)
    except (TypeError, ValueError) as exc:
        raise CompetencyInputError(f"as_of={as_of!r} is not a date (YYYY-MM-DD)") from exc
    if pd.isna(stamp):
        raise CompetencyInputError(f"as_of={as_of!r} is not a date (YYYY-MM-DD)")
    return stamp


def _day_after(stamp: pd.Timestamp) -> np.datetime64:
    """Midnight after the day of ``stamp``: ``as_of`` is a date, so all of that day is included."""
    return (stamp.normalize() + pd.Timedelta(days=1)).to_datetime64()


def _codes(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of every value in a small unique ``index``, -1 where absent."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        category_pos = index.get_indexer(values.cat.categories)
        # code -1 (missing) picks the appended -1; smallest dtype: this can be millions of rows
        table = np.append(category_pos, -1).astype(_code_dtype(len(index) + 1))
        return table[values.cat.codes.to_numpy()]
    return index.get_indexer(values)


class _KeyLookup:
    """Row of each key in a column of unique keys (the employee ids).

    Dense integer ids (the usual national pseudonymous id) use a lookup table: one gather per
    row instead of one hash per row, and uniqueness is checked by the same table.
    """

    def __init__(self, keys: pd.Series, name: str) -> None:
        raw = keys.to_numpy()
        self.keys = raw
        self.lut: np.ndarray | None = None
        if raw.dtype.kind in "iu" and len(raw):
            lo, hi = int(raw.min()), int(raw.max())
            if hi - lo + 1 <= 4 * len(raw) + 1024:
                self.lo, self.span = lo, hi - lo + 1
                lut = np.full(self.span, -1, dtype=np.int32 if len(raw) < 2**31 else np.int64)
                shifted = raw - lo
                lut[shifted] = np.arange(len(raw), dtype=lut.dtype)
                if not np.array_equal(lut.take(shifted), np.arange(len(raw))):
                    self._raise_duplicates(keys, name)
                self.lut = lut
                return
        self.index = pd.Index(keys)
        if self.index.hasnans or not self.index.is_unique:
            self._raise_duplicates(keys, name)

    @staticmethod
    def _raise_duplicates(keys: pd.Series, name: str) -> None:
        dup = keys[keys.duplicated()].unique().tolist()
        raise CompetencyInputError(
            f"{name} must be unique and non-blank: {len(dup)} ids repeat {_fmt_list(dup)}; "
            f"blank ids: {int(keys.isna().sum())}"
        )

    def packed(
        self, values: pd.Series, row_value: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """``row_value`` of each value's row (-1 where absent) in one gather, or None.

        Only for dense integer ids given as integers: one random read per assessment row
        instead of one for the row and one for the row's position. Also returns the int64
        index buffer it used, free for the caller to reuse.
        """
        if self.lut is None or isinstance(values.dtype, pd.CategoricalDtype):
            return None
        raw = values.to_numpy()
        if raw.dtype.kind not in "iu" or not len(raw):
            return None
        table = np.full(self.span, -1, dtype=np.int64)
        filled = self.lut >= 0
        table[filled] = row_value[self.lut[filled]]
        shifted = np.subtract(raw, self.lo, dtype=np.int64)
        if shifted.min() >= 0 and shifted.max() < self.span:
            return table.take(shifted), shifted
        out = table.take(shifted, mode="clip")
        out[(shifted < 0) | (shifted >= self.span)] = -1
        return out, shifted

    def codes(self, values: pd.Series) -> np.ndarray:
        """Row of each value (-1 where absent)."""
        if self.lut is None:
            return self.index.get_indexer(values)
        if isinstance(values.dtype, pd.CategoricalDtype):
            cats = self.codes(pd.Series(values.cat.categories))
            return np.append(cats, -1)[values.cat.codes.to_numpy()]
        raw = values.to_numpy()
        if raw.dtype.kind not in "iu":
            return pd.Index(self.keys).get_indexer(values)  # e.g. float ids: rows in key order
        shifted = np.subtract(raw, self.lo, dtype=np.int64)
        if len(shifted) and shifted.min() >= 0 and shifted.max() < self.span:
            return self.lut.take(shifted)
        out = self.lut.take(shifted, mode="clip")
        out[(shifted < 0) | (shifted >= self.span)] = -1
        return out


def _int_levels(series: pd.Series, table: str, column: str) -> np.ndarray:
    """Whole numbers 1-5 as int8; raise naming rows and values otherwise."""
    values = series
    if isinstance(values.dtype, pd.CategoricalDtype) or not (
        pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    ):
        values = pd.to_numeric(values.astype(object), errors="coerce")
    if isinstance(values.dtype, pd.api.extensions.ExtensionDtype):
        arr = values.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        arr = values.to_numpy()
    if arr.dtype.kind in "iu":
        if not len(arr) or (arr.min() >= LEVEL_MIN and arr.max() <= LEVEL_MAX):
            return arr.astype(np.int8, copy=False)  # two reductions, no mask (national scale)
        bad = (arr < LEVEL_MIN) | (arr > LEVEL_MAX)
    else:
        arr = arr.astype(np.float64, copy=False)
        bad = ~((arr >= LEVEL_MIN) & (arr <= LEVEL_MAX) & (arr == np.floor(arr)))
    if bad.any():
        n = int(bad.sum())
        raise CompetencyInputError(
            f"{table}.{column}: {n} values are blank or not whole numbers {LEVEL_MIN}-{LEVEL_MAX}: "
            f"{_fmt_list(series[bad].tolist(), n)} at rows "
            f"{_fmt_list(series.index[bad].tolist(), n)}"
        )
    return arr.astype(np.int8, copy=False)


def _dates(series: pd.Series, table: str) -> np.ndarray:
    values = series
    if not pd.api.types.is_datetime64_any_dtype(values):
        values = pd.to_datetime(values, errors="coerce", format="ISO8601")
    values = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) else values
    arr = values.to_numpy(dtype="datetime64[ns]")
    bad = np.isnat(arr)
    if bad.any():
        n = int(bad.sum())
        raise CompetencyInputError(
            f"{table}.assessed_on: {n} values are blank or not dates: "
            f"{_fmt_list(series[bad].tolist(), n)} at rows "
            f"{_fmt_list(series.index[bad].tolist(), n)}"
        )
    return arr


# --------------------------------------------------------------------------------------------
# Core: match assessments to standards in a dense employee x slot layout
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Standards:
    positions: pd.Index  # unique positions with a standard
    competencies: pd.Index  # unique competency keys named by any standard
    slot_of: np.ndarray  # ((n_pos + 1) * n_comp,) int16: slot of c in p; -1 not in p's standard;
    # the last row (position n_pos) is all -2: "the employee's position has no standard"
    slot_competency: np.ndarray  # (n_pos, n_slots) competency code per slot, -1 padding
    slot_required: np.ndarray  # (n_pos, n_slots) int8 required level, 0 padding
    slot_group: np.ndarray  # (n_pos, n_slots) group code per slot, -1 padding
    groups: pd.Index  # competency group labels

    @property
    def n_slots(self) -> int:
        return self.slot_required.shape[1]


def _code_dtype(n_categories: int) -> np.dtype:
    """Smallest signed integer dtype of categorical codes (what pandas would convert to)."""
    for dtype in (np.int8, np.int16, np.int32):
        if n_categories < np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.int64)


def _standards(standards: pd.DataFrame) -> _Standards:
    _check_columns(standards, "standards", ["position", "competency", "required_level"])
    required = _int_levels(standards["required_level"], "standards", "required_level")
    blank = standards["position"].isna() | standards["competency"].isna()
    if blank.any():
        raise CompetencyInputError(
            f"standards: {int(blank.sum())} rows have a blank position or competency at rows "
            f"{_fmt_list(standards.index[blank.to_numpy()].tolist(), int(blank.sum()))}"
        )
    dup = standards.duplicated(["position", "competency"], keep=False)
    if dup.any():
        pairs = standards.loc[dup, ["position", "competency"]].drop_duplicates()
        shown = [f"{p} / {c}" for p, c in pairs.itertuples(index=False)]
        raise CompetencyInputError(
            f"standards: {len(pairs)} (position, competency) pairs appear more than once: "
            f"{_fmt_list(shown, len(pairs))}"
        )
    pos_codes, positions = pd.factorize(standards["position"], sort=True)
    comp_codes, competencies = pd.factorize(standards["competency"], sort=True)
    if "group" in standards.columns:
        group_codes, groups = pd.factorize(standards["group"].fillna(""), sort=True)
    else:
        # Without a group column, technical competencies are recognised by their key prefix.
        prefix = np.char.startswith(np.asarray(standards["competency"], dtype=str), "teknis_")
        groups = pd.Index(["", TECHNICAL_GROUP])
        group_codes = prefix.astype(np.int64)
    n_pos, n_comp = len(positions), len(competencies)
    # Slot of each standard row within its position, in competency-key order.
    order = np.lexsort((comp_codes, pos_codes))
    sorted_pos = pos_codes[order]
    starts = np.searchsorted(sorted_pos, np.arange(n_pos))
    slot_sorted = np.arange(len(order)) - starts[sorted_pos]
    slot = np.empty(len(order), dtype=np.int64)
    slot[order] = slot_sorted
    n_slots = int(slot.max()) + 1 if len(slot) else 0
    slot_of = np.full((n_pos + 1) * n_comp, -1, dtype=np.int16)
    slot_of[n_pos * n_comp :] = _NO_STANDARD_SLOT
    slot_of[pos_codes * n_comp + comp_codes] = slot
    slot_competency = np.full((n_pos, n_slots), -1, dtype=_code_dtype(n_comp))
    slot_competency[pos_codes, slot] = comp_codes
    slot_required = np.zeros((n_pos, n_slots), dtype=np.int8)
    slot_required[pos_codes, slot] = required
    slot_group = np.full((n_pos, n_slots), -1, dtype=_code_dtype(len(groups)))
    slot_group[pos_codes, slot] = group_codes
    return _Standards(
        positions=pd.Index(positions),
        competencies=pd.Index(competencies),
        slot_of=slot_of,
        slot_competency=slot_competency,
        slot_required=slot_required,
        slot_group=slot_group,
        groups=pd.Index(groups),
    )


@dataclass(frozen=True)
class _Matched:
    std: _Standards
    employees: pd.DataFrame  # rows of the employees frame that are scored (reset index)
    position_code: np.ndarray  # (n,) position code of each scored employee
    held: np.ndarray  # (n, n_slots) int8 latest held level per slot, 0 where not assessed
    required: np.ndarray  # (n, n_slots) int8 required level per slot, 0 padding
    excluded: pd.DataFrame


def _excluded_row(
    reason: str, table: str, n_rows: int, n_employees: int, examples: Sequence[Any]
) -> dict:
    return {
        "reason": reason,
        "table": table,
        "n_rows": n_rows,
        "n_employees": n_employees,
        "examples": _fmt_list(list(examples)[:_SHOW], len(examples)) if len(examples) else "",
        "problem": reason not in _INFORMATIONAL,
    }


def _match(
    assessments: pd.DataFrame,
    standards: pd.DataFrame,
    employees: pd.DataFrame,
    *,
    as_of: AsOf,
    on_problem: OnProblem,
) -> _Matched:
    """Latest held level per (employee, competency of the position's standard).

    Works on whole columns: employee row by lookup, slot of the competency in the position's
    standard by a small table, then one scatter into a dense employee x slot matrix. Masks are
    built only when a check finds a problem, so clean national data pays for reductions only.
    """
    _check_option("on_problem", on_problem, OnProblem)
    stamp = _as_of(as_of)
    _check_columns(assessments, "assessments", ["employee_id", "competency", "level"])
    _check_columns(employees, "employees", ["employee_id", "position"])
    std = _standards(standards)
    lookup = _KeyLookup(employees["employee_id"], "employees.employee_id")
    level = _int_levels(assessments["level"], "assessments", "level")
    n_emp, n_slots, n_comp = len(employees), std.n_slots, len(std.competencies)
    comp_code = _codes(assessments["competency"], std.competencies)
    emp_pos = _codes(employees["position"], std.positions)
    # Per employee: the first key of its row in the employee x slot matrix (row * n_slots), and
    # the offset of its position in the flat slot table (the sentinel row without a standard).
    n_pos = len(std.positions)
    offset = np.where(emp_pos >= 0, emp_pos, n_pos).astype(np.int64) * n_comp
    base_of = np.arange(n_emp, dtype=np.int64) * n_slots
    # Pack both into one int64 so that each assessment row needs one random read.
    shift = max(n_pos * n_comp, 1).bit_length()
    gathered = None
    if (max(n_emp * n_slots, 1).bit_length() + shift) < 62:
        gathered = lookup.packed(assessments["employee_id"], (base_of << shift) | offset)
    if gathered is None:
        emp_code = lookup.codes(assessments["employee_id"])
        base = np.where(emp_code >= 0, base_of.take(emp_code, mode="clip"), -1)
        row_offset = offset.take(emp_code, mode="clip")
        del emp_code
    else:
        # Unpack in place, reusing the index buffer: no new array of one int64 per row.
        base, row_offset = gathered
        np.bitwise_and(base, (1 << shift) - 1, out=row_offset)
        base >>= shift  # -1 (unknown employee) stays -1: arithmetic shift
        del gathered
    rows: list[dict] = []
    keep: np.ndarray | None = None  # None: every row kept so far

    def drop(mask: np.ndarray, reason: str, column: str) -> None:
        nonlocal keep
        if keep is not None:
            mask = mask & keep
        n = int(mask.sum())
        if not n:
            return
        values = pd.unique(assessments[column].to_numpy()[mask][:10_000])
        n_e = int(pd.unique(assessments["employee_id"].to_numpy()[mask]).size)
        rows.append(_excluded_row(reason, "assessments", n, n_e, values))
        keep = ~mask if keep is None else keep & ~mask

    if len(base) and base.min() < 0:
        drop(base < 0, _R_UNKNOWN_EMPLOYEE, "employee_id")
    if len(comp_code) and comp_code.min() < 0:
        drop(comp_code < 0, _R_UNKNOWN_COMPETENCY, "competency")
    flat = row_offset
    flat += comp_code
    slot = std.slot_of.take(flat, mode="clip")  # rows dropped above may read garbage
    del flat, row_offset
    no_standard = None
    if len(slot) and slot.min() < 0:
        no_standard = slot == _NO_STANDARD_SLOT
        if no_standard.any():
            # Rows of employees without a standard: counted with the employee below.
            slot[no_standard] = 0
        else:
            no_standard = None
        if slot.min() < 0:
            drop(slot < 0, _R_NOT_IN_STANDARD, "competency")

    dates = None
    if stamp is not None:
        _check_columns(assessments, "assessments", ["assessed_on"])
        dates = _dates(assessments["assessed_on"], "assessments")
        after = dates >= _day_after(stamp)
        if after.any():
            drop(after, _R_AFTER, "assessed_on")
    used = keep
    if no_standard is not None:
        used = ~no_standard if used is None else used & ~no_standard
    idx = None if used is None else np.flatnonzero(used)
    if idx is None:
        key = base  # in place: every row is used, and key // n_slots is still its row
        key += slot
        row_level = level
    else:
        key = base[idx] + slot[idx]
        row_level = level[idx]
    held = np.zeros(n_emp * n_slots, dtype=np.int8)
    held[key] = row_level
    n_keys = int(np.count_nonzero(held))  # levels are >= 1: one nonzero per assessed key
    if n_keys < len(key):
        # Some competency was assessed more than once: keep the latest (on or before as_of).
        # The latest date per key by a scatter-max (no sort); rows on that date are the latest,
        # and a key with two of them is ambiguous.
        if dates is None:
            _check_columns(assessments, "assessments", ["assessed_on"])
            dates = _dates(assessments["assessed_on"], "assessments")
        row_dates = (dates if idx is None else dates[idx]).view(np.int64)
        best = np.full(n_emp * n_slots, np.iinfo(np.int64).min)
        np.maximum.at(best, key, row_dates)
        latest = row_dates == best.take(key)
        del best
        if int(np.count_nonzero(latest)) > n_keys:
            per_key = np.bincount(key[latest], minlength=n_emp * n_slots)
            tied = np.flatnonzero(per_key > 1)
            emp = employees["employee_id"].to_numpy()[tied // n_slots]
            raise CompetencyInputError(
                f"assessments: {len(tied)} employee and competency pairs have two or more "
                f"assessments on their latest assessed_on date (which one counts is "
                f"ambiguous): employee_id {_fmt_list(pd.unique(emp).tolist(), len(tied))}"
            )
        superseded_emp = key[~latest] // n_slots
        n_e = int(np.count_nonzero(np.bincount(superseded_emp, minlength=n_emp)))
        rows.append(_excluded_row(_R_SUPERSEDED, "assessments", len(superseded_emp), n_e, []))
        del superseded_emp
        held[key[latest]] = row_level[latest]
    del slot
    held = held.reshape(n_emp, n_slots)

    has_std = emp_pos >= 0
    if has_std.all():
        required = std.slot_required[emp_pos]
    else:
        required = np.zeros((n_emp, n_slots), dtype=np.int8)
        required[has_std] = std.slot_required[emp_pos[has_std]]
    missing = (required > 0) & (held == 0)
    complete = has_std & ~missing.any(axis=1)
    if not complete.all():
        n_present = np.count_nonzero(held, axis=1)
        # Assessment rows not yet accounted for, per employee (those of excluded employees).
        if idx is None:
            rows_left = np.bincount(key // n_slots, minlength=n_emp)
        else:
            pending = base >= 0 if keep is None else keep & (base >= 0)
            rows_left = np.bincount(base[pending] // n_slots, minlength=n_emp)
        employee_ids = employees["employee_id"].to_numpy()
        for mask, reason in (
            (~has_std, _R_NO_STANDARD),
            (has_std & (n_present == 0), _R_NO_ASSESSMENT),
            (has_std & (n_present > 0) & ~complete, _R_INCOMPLETE),
        ):
            n = int(mask.sum())
            if n:
                examples = (
                    pd.unique(employees["position"].to_numpy()[mask])
                    if reason == _R_NO_STANDARD
                    else employee_ids[mask]
                )
                rows.append(
                    _excluded_row(reason, "employees", int(rows_left[mask].sum()), n, examples)
                )
    del key, base
    excluded = pd.DataFrame(rows, columns=_EXCLUDED_COLUMNS)
    problems = excluded[excluded["problem"]]
    if on_problem == "raise" and len(problems):
        raise CompetencyInputError(
            [
                f"{r.table}: {r.reason}: {r.n_rows} assessment rows, {r.n_employees} employees, "
                f"e.g. {r.examples}"
                for r in problems.itertuples(index=False)
            ]
            + ["pass on_problem='exclude' to leave these out and count them in attrs['excluded']"]
        )
    if complete.all():
        scored = employees.reset_index(drop=True)
        return _Matched(std, scored, emp_pos, held, required, excluded)
    sel = np.flatnonzero(complete)
    if not len(sel):
        raise CompetencyInputError(
            "no employee has a complete assessment against a standard; excluded: "
            + "; ".join(f"{r.reason} ({r.n_employees})" for r in problems.itertuples(index=False))
        )
    return _Matched(
        std,
        employees.iloc[sel].reset_index(drop=True),
        emp_pos[sel],
        held[sel],
        required[sel],
        excluded,
    )


def _row_sums(matrix: np.ndarray) -> np.ndarray:
    """Row sums of a narrow small-integer matrix, as int64.

    Column by column: several times faster than ``sum(axis=1)`` over a short axis.
    """
    out = np.zeros(matrix.shape[0], dtype=np.int64)
    for j in range(matrix.shape[1]):
        out += matrix[:, j]
    return out


def _employee_columns(employees: pd.DataFrame) -> list[str]:
    wanted = ["employee_id", "unit_id", "position", "job_type", "job_family"]
    return [c for c in wanted if c in employees.columns]


# --------------------------------------------------------------------------------------------
# Job Person Match
# --------------------------------------------------------------------------------------------


def jpm_category(jpm_pct: Any, *, scheme: Scheme = "pemetaan") -> pd.Categorical:
    """Band JPM percentages into the categories of a scheme.

    Parameters
    ----------
    jpm_pct : array-like of float
        JPM in percent (0-100). NaN gives a missing category.
    scheme : {"pemetaan", "seleksi"}, default "pemetaan"
        ``"pemetaan"`` (competency mapping): Optimal >= 90, Cukup Optimal 78 to < 90, Kurang
        Optimal < 78. ``"seleksi"`` (selection, *uji kompetensi*): Memenuhi Syarat >= 80, Masih
        Memenuhi Syarat 68 to < 80, Kurang Memenuhi Syarat < 68.

    Returns
    -------
    pandas.Categorical
        Ordered, lowest category first. Lower bounds are inclusive and apply to the exact
        (unrounded) percentage: 89.99 is Cukup Optimal.

    Examples
    --------
    >>> list(jpm_category([77.99, 78, 89.99, 90]))
    ['Kurang Optimal', 'Cukup Optimal', 'Cukup Optimal', 'Optimal']
    >>> list(jpm_category([67.99, 68, 79.99, 80], scheme="seleksi"))
    ['Kurang Memenuhi Syarat', 'Masih Memenuhi Syarat', 'Masih Memenuhi Syarat', 'Memenuhi Syarat']
    """
    _check_option("scheme", scheme, Scheme)
    bands = JPM_SCHEMES[scheme]
    values = np.asarray(jpm_pct, dtype=np.float64)
    codes = np.zeros(values.shape, dtype=np.int8)
    for _, lower in bands[1:]:
        codes += values >= lower
    codes[np.isnan(values)] = -1
    return pd.Categorical.from_codes(codes, categories=[b[0] for b in bands], ordered=True)


def job_person_match(
    assessments: pd.DataFrame,
    standards: pd.DataFrame,
    employees: pd.DataFrame,
    *,
    scheme: Scheme = "pemetaan",
    as_of: AsOf = None,
    cap: Cap = "total",
    on_problem: OnProblem = "raise",
) -> pd.DataFrame:
    r"""Compute the Job Person Match (JPM) of every employee against their position's standard.

    Parameters
    ----------
    assessments : pandas.DataFrame
        One row per assessment: ``employee_id``, ``competency``, ``level`` (whole number 1-5) and
        ``assessed_on`` (needed when `as_of` is given or a competency was assessed more than once).
    standards : pandas.DataFrame
        The ``competency_standards`` table: ``position``, ``competency``, ``required_level``
        (1-5) and optionally ``group`` (teknis, manajerial, sosial_kultural).
    employees : pandas.DataFrame
        ``employee_id`` and ``position``; ``unit_id``, ``job_type`` and ``job_family`` are
        carried into the result when present.
    scheme : {"pemetaan", "seleksi"}, default "pemetaan"
        Category scheme (see :func:`jpm_category`).
    as_of : date-like, optional
        Use for each competency the latest assessment on or before this date. ``None`` (default)
        uses the latest of all.
    cap : {"total", "per_competency"}, default "total"
        ``"total"`` (default): the percentage is capped at 100, so a level above the standard in
        one competency can make up for a level below it in another. ``"per_competency"``: each
        held level is capped at its required level before summing, so nothing makes up for a gap.
    on_problem : {"raise", "exclude"}, default "raise"
        What to do with assessments or employees that cannot be matched (see Raises): raise, or
        leave them out and count them in ``attrs["excluded"]``.

    Returns
    -------
    pandas.DataFrame
        One row per employee (in the order of `employees`): ``employee_id``, ``unit_id``,
        ``position`` (the standard used), ``job_type``, ``job_family`` (those present),
        ``n_competencies`` (of the standard), ``held_sum``, ``required_sum``, ``jpm_pct``
        (unrounded) and ``category`` (ordered categorical). ``attrs`` holds ``scheme``, ``cap``,
        ``as_of`` and ``excluded``: a table of reason, table, n_rows, n_employees, examples,
        problem (False for rows left out by design: assessments after `as_of` and assessments
        replaced by a later one).

    Raises
    ------
    CompetencyInputError
        Always for missing columns, levels that are blank or not whole numbers 1-5 (naming rows
        and values), duplicated standards, duplicated employee ids, or two assessments of one
        competency on the same date. With ``on_problem="raise"`` also for: assessments of
        unknown employees, competencies no standard names, competencies outside the employee's
        position standard, positions without a standard, employees without any assessment on or
        before `as_of`, and employees assessed on only part of their standard (with counts).

    Notes
    -----
    For employee :math:`i` in position :math:`p` with standard competencies :math:`C_p`,
    required levels :math:`r_c` and latest held levels :math:`h_c`,

    .. math::

        JPM_i = \min\left(100,\ 100 \frac{\sum_{c \in C_p} h_c}{\sum_{c \in C_p} r_c}\right)
        \quad\text{(cap="total")}, \qquad
        JPM_i = 100 \frac{\sum_{c \in C_p} \min(h_c, r_c)}{\sum_{c \in C_p} r_c}
        \quad\text{(cap="per_competency")}.

    The ratio of held to required levels is the JPM of BKN competency assessments (the formula
    is settled); the cap at 100 is common practice, but whether a level above the standard is
    capped per competency before summing is not settled in public sources, hence `cap` (default
    ``"total"``). The *pemetaan* bands (90 / 78) have one public source, the *seleksi* bands
    (80 / 68) two: check them against the guidance your assessment centre follows. JPM is
    defined over the whole standard, so an employee missing an assessment of one required
    competency gets no JPM.

    References
    ----------
    .. [1] PermenPANRB No. 38 Tahun 2017 (standar kompetensi jabatan: competencies, levels 1-5).
    .. [2] BKN competency-assessment practice (Job Person Match). The category bands are
       published in BKN and assessment-centre guidance, not in a regulation: *pemetaan* one
       public source, *seleksi* two.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> jpm = job_person_match(
    ...     ds.competency_assessments, ds.competency_standards, ds.employees, as_of="2025-06-30"
    ... )
    >>> len(jpm) == len(ds.employees), bool(jpm["jpm_pct"].between(0, 100).all())
    (True, True)
    >>> list(jpm["category"].cat.categories)
    ['Kurang Optimal', 'Cukup Optimal', 'Optimal']
    """
    _check_option("scheme", scheme, Scheme)
    _check_option("cap", cap, Cap)
    m = _match(assessments, standards, employees, as_of=as_of, on_problem=on_problem)
    held = np.minimum(m.held, m.required) if cap == "per_competency" else m.held
    held_sum = _row_sums(held)
    # Required totals and counts are properties of the position: one small table, one gather.
    required_sum = _row_sums(m.std.slot_required)[m.position_code]
    n_competencies = np.count_nonzero(m.std.slot_required, axis=1)[m.position_code]
    jpm = 100.0 * held_sum / required_sum
    if cap == "total":
        np.minimum(jpm, 100.0, out=jpm)
    out = m.employees[_employee_columns(m.employees)]
    out["n_competencies"] = n_competencies
    out["held_sum"] = held_sum
    out["required_sum"] = required_sum
    out["jpm_pct"] = jpm
    out["category"] = jpm_category(jpm, scheme=scheme)
    out.attrs = {
        "scheme": scheme,
        "cap": cap,
        "as_of": None if as_of is None else str(_as_of(as_of).date()),
        "excluded": m.excluded,
    }
    return out


# --------------------------------------------------------------------------------------------
# Gaps
# --------------------------------------------------------------------------------------------


def competency_gaps(
    assessments: pd.DataFrame,
    standards: pd.DataFrame,
    employees: pd.DataFrame,
    *,
    as_of: AsOf = None,
    on_problem: OnProblem = "raise",
) -> pd.DataFrame:
    r"""List held against required level for every employee and competency of their standard.

    Parameters
    ----------
    assessments, standards, employees : pandas.DataFrame
        As in :func:`job_person_match`.
    as_of : date-like, optional
        Latest assessment on or before this date (default: latest of all).
    on_problem : {"raise", "exclude"}, default "raise"
        As in :func:`job_person_match`.

    Returns
    -------
    pandas.DataFrame
        One row per employee and competency of the position's standard: ``employee_id``,
        ``competency`` and ``group`` (categoricals), ``required``, ``held`` and
        ``gap = held - required`` (negative below standard; small integers, int16).
        ``attrs["excluded"]`` as in :func:`job_person_match`.

    Raises
    ------
    CompetencyInputError
        As :func:`job_person_match`.

    Notes
    -----
    ``gap`` follows BKN gap-analysis practice (held minus standard). The shortfall
    :math:`\max(0, r - h)` used by :func:`unit_gaps` and :func:`training_needs` is its negative
    part.

    References
    ----------
    .. [1] PermenPANRB No. 38 Tahun 2017 (standar kompetensi jabatan).

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> gaps = competency_gaps(
    ...     ds.competency_assessments, ds.competency_standards, ds.employees, as_of="2025-06-30"
    ... )
    >>> list(gaps.columns)
    ['employee_id', 'competency', 'group', 'required', 'held', 'gap']
    >>> len(gaps) == 10 * len(ds.employees)
    True
    """
    m = _match(assessments, standards, employees, as_of=as_of, on_problem=on_problem)
    std = m.std
    needed = m.required > 0
    n, k = needed.shape
    flat = None if needed.all() else np.flatnonzero(needed.ravel())
    size = n * k if flat is None else len(flat)
    comp = std.slot_competency[m.position_code].ravel()
    grp = std.slot_group[m.position_code].ravel()
    # required, held and gap share one int16 block, filled in place (no consolidation copy).
    block = np.empty((3, size), dtype=np.int16)
    if flat is None:
        block[0] = m.required.ravel()
        block[1] = m.held.ravel()
    else:
        comp, grp = comp[flat], grp[flat]
        block[0] = m.required.ravel()[flat]
        block[1] = m.held.ravel()[flat]
    np.subtract(block[1], block[0], out=block[2])
    ids = m.employees["employee_id"]
    if flat is None and isinstance(ids.dtype, np.dtype):
        id_column = np.repeat(ids.to_numpy(), k)
    else:
        id_column = ids.array.take(np.repeat(np.arange(n), k) if flat is None else flat // k)
    labels = pd.DataFrame(
        {
            "employee_id": id_column,
            "competency": pd.Categorical.from_codes(comp, categories=std.competencies),
            "group": pd.Categorical.from_codes(grp, categories=std.groups),
        },
        copy=False,  # fresh arrays owned here: no copy of up to 10^8 rows
    )
    levels = pd.DataFrame(block.T, columns=["required", "held", "gap"], copy=False)
    out = pd.concat([labels, levels], axis=1)
    out.attrs = {
        "as_of": None if as_of is None else str(_as_of(as_of).date()),
        "excluded": m.excluded,
    }
    return out


def _by_list(by: str | Sequence[str]) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def _attach(gaps: pd.DataFrame, employees: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    _check_columns(gaps, "gaps", ["employee_id", "competency", "required", "held"])
    need = [c for c in by if c not in gaps.columns]
    if not need:
        return gaps
    _check_columns(employees, "employees", ["employee_id", *need])
    info = employees.set_index("employee_id")[need]
    unknown = ~gaps["employee_id"].isin(info.index)
    if unknown.any():
        n = int(unknown.sum())
        raise CompetencyInputError(
            f"gaps: {n} rows have an employee_id not in employees, e.g. "
            f"{_fmt_list(pd.unique(gaps.loc[unknown, 'employee_id']).tolist(), n)}"
        )
    return gaps.join(info, on="employee_id")


def unit_gaps(
    gaps: pd.DataFrame,
    employees: pd.DataFrame,
    *,
    by: str | Sequence[str] = "unit_id",
    min_group: int = MIN_GROUP_SIZE,
) -> pd.DataFrame:
    """Summarise competency gaps per unit (or other group) and competency.

    Parameters
    ----------
    gaps : pandas.DataFrame
        Output of :func:`competency_gaps`.
    employees : pandas.DataFrame
        ``employee_id`` and the `by` columns.
    by : str or sequence of str, default "unit_id"
        Grouping columns (from `gaps` or `employees`).
    min_group : int, default 5
        Groups with fewer employees get ``small_group`` True (privacy: do not export them as is).

    Returns
    -------
    pandas.DataFrame
        One row per group and competency: the `by` columns, ``competency``, ``group``, ``n``
        (employees whose standard has the competency), ``n_below`` (held < required),
        ``share_below``, ``mean_gap`` (mean of held - required over all n, negative below
        standard), ``mean_shortfall_below`` (mean of required - held among those below; NaN if
        none) and ``small_group``. Sorted by `by`, then share below (largest first).

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> gaps = competency_gaps(ds.competency_assessments, ds.competency_standards, ds.employees,
    ...                        as_of="2025-06-30")
    >>> table = unit_gaps(gaps, ds.employees)
    >>> bool(table["share_below"].between(0, 1).all())
    True
    """
    keys = _by_list(by)
    data = _attach(gaps, employees, keys)
    gap = (data["held"].to_numpy(np.int64) - data["required"].to_numpy(np.int64)).astype(float)
    frame = pd.DataFrame(
        {
            **{k: data[k] for k in keys},
            "competency": data["competency"],
            "group": data["group"] if "group" in data.columns else "",
            "gap": gap,
            "below": gap < 0,
            "shortfall": np.where(gap < 0, -gap, np.nan),
        }
    )
    grouped = frame.groupby([*keys, "competency"], observed=True, sort=True)
    out = grouped.agg(
        group=("group", "first"),
        n=("gap", "size"),
        n_below=("below", "sum"),
        mean_gap=("gap", "mean"),
        mean_shortfall_below=("shortfall", "mean"),
    ).reset_index()
    out["share_below"] = out["n_below"] / out["n"]
    out["small_group"] = out["n"] < min_group
    cols = [*keys, "competency", "group", "n", "n_below", "share_below", "mean_gap"]
    cols += ["mean_shortfall_below", "small_group"]
    out = out[cols].sort_values([*keys, "share_below"], ascending=[True] * len(keys) + [False])
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Mismatch (technical competency below the post's standard)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MismatchResult:
    """Result of :func:`mismatches`.

    Attributes
    ----------
    employees : pandas.DataFrame
        One row per employee whose standard has a technical competency: employee_id, unit_id,
        job_type, job_family, position, n_technical, n_technical_below, worst_gap (most negative
        held - required), mismatch (True when any technical level is below the standard).
    details : pandas.DataFrame
        The technical competencies held below standard: employee_id, competency, required, held,
        gap.
    by_unit : pandas.DataFrame
        unit_id, n, n_mismatch, share, small_group.
    by_unit_job_family : pandas.DataFrame
        unit_id, job_family, n, n_mismatch, share, small_group ("IT posts outside Diskominfo").
    by_job_family : pandas.DataFrame
        Per job family: the home unit (most posts of the family, or as given), n, n_mismatch
        and share in and outside it, with Wilson intervals, and the difference outside - home.
    notes : tuple of str
        How to read the tables.
    """

    employees: pd.DataFrame
    details: pd.DataFrame
    by_unit: pd.DataFrame
    by_unit_job_family: pd.DataFrame
    by_job_family: pd.DataFrame
    notes: tuple[str, ...] = field(default=())

    def to_frame(self) -> pd.DataFrame:
        """Return the per-employee table."""
        return self.employees.copy()

    def summary(self) -> str:
        """Return a text summary: overall rate, by job family and the notes."""
        n = len(self.employees)
        k = int(self.employees["mismatch"].sum())
        lines = [f"Technical mismatch: {k} of {n} employees ({k / n:.1%})" if n else "no rows"]
        lines.append(self.by_job_family.round(3).to_string(index=False))
        lines += [f"note: {t}" for t in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{n}</li>" for n in self.notes)
        return (
            "<p><b>Technical mismatch by job family</b></p>"
            + self.by_job_family.round(3).to_html(index=False)
            + f"<ul>{notes}</ul>"
        )


def mismatches(
    gaps: pd.DataFrame,
    employees: pd.DataFrame,
    *,
    group: str = TECHNICAL_GROUP,
    home_units: Mapping[str, str] | None = None,
    min_group: int = MIN_GROUP_SIZE,
    level: float = 0.95,
) -> MismatchResult:
    """Find employees below their position's standard in its technical competency.

    Parameters
    ----------
    gaps : pandas.DataFrame
        Output of :func:`competency_gaps` (with ``group``; without it, competencies named
        ``teknis_*`` are technical).
    employees : pandas.DataFrame
        ``employee_id``, ``unit_id``, ``job_type``, ``job_family``, ``position``.
    group : str, default "teknis"
        Competency group checked.
    home_units : mapping of job family to unit_id, optional
        The unit where each job family's posts belong (e.g. ``{"teknologi_informasi": "U13"}``
        for Diskominfo). Default: the unit with the most posts of the family.
    min_group : int, default 5
        Groups with fewer employees get ``small_group`` True (privacy).
    level : float, default 0.95
        Level of the Wilson intervals of the shares in ``by_job_family``.

    Returns
    -------
    MismatchResult
        Per employee, the below-standard details, and shares per unit, unit x job family and
        job family (home unit against elsewhere).

    Raises
    ------
    CompetencyInputError
        Missing columns, or gaps of employees not in `employees`.

    Notes
    -----
    Mismatch here means :math:`h_c < r_c` for a technical competency :math:`c` of the position's
    standard (PermenPANRB 38/2017): the post asks for a technical level its holder does not have,
    e.g. an IT post (``teknis_teknologi_informasi``) held by someone without that IT level. The
    shares describe the staff in the data; the Wilson intervals treat them as draws from the
    process that fills posts (useful to compare units, not needed for a census count).

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> gaps = competency_gaps(ds.competency_assessments, ds.competency_standards, ds.employees,
    ...                        as_of="2025-06-30")
    >>> res = mismatches(gaps, ds.employees)
    >>> it = res.by_job_family.set_index("job_family").loc["teknologi_informasi"]
    >>> bool(it["share_outside"] > it["share_home"])
    True
    """
    _check_level(level)
    cols = ["unit_id", "job_type", "job_family", "position"]
    _check_columns(employees, "employees", ["employee_id", *cols])
    data = _attach(gaps, employees, [])
    if "group" in data.columns:
        technical = data["group"].astype("str").to_numpy() == group
    else:
        technical = data["competency"].astype("str").str.startswith("teknis_").to_numpy()
    tech = data.loc[technical, ["employee_id", "competency", "required", "held"]].copy()
    tech["gap"] = tech["held"].astype(np.int64) - tech["required"].astype(np.int64)
    tech["below"] = tech["gap"] < 0
    per = tech.groupby("employee_id", sort=False).agg(
        n_technical=("gap", "size"), n_technical_below=("below", "sum"), worst_gap=("gap", "min")
    )
    per["n_technical_below"] = per["n_technical_below"].astype(np.int64)
    info = employees.set_index("employee_id")[cols]
    unknown = ~per.index.isin(info.index)
    if unknown.any():
        raise CompetencyInputError(
            f"gaps: {int(unknown.sum())} employees are not in employees, e.g. "
            f"{_fmt_list(per.index[unknown].tolist())}"
        )
    emp = per.join(info).reset_index()
    emp["mismatch"] = emp["n_technical_below"] > 0
    emp = emp[["employee_id", *cols, "n_technical", "n_technical_below", "worst_gap", "mismatch"]]
    details = tech[tech["below"]].drop(columns="below").reset_index(drop=True)

    def shares(keys: list[str]) -> pd.DataFrame:
        out = emp.groupby(keys, observed=True).agg(
            n=("mismatch", "size"), n_mismatch=("mismatch", "sum")
        )
        out = out.reset_index()
        out["n_mismatch"] = out["n_mismatch"].astype(np.int64)
        out["share"] = out["n_mismatch"] / out["n"]
        out["small_group"] = out["n"] < min_group
        return out

    by_unit = shares(["unit_id"])
    by_unit_family = shares(["unit_id", "job_family"])
    homes = dict(home_units or {})
    rows = []
    for family, sub in by_unit_family.groupby("job_family", observed=True, sort=True):
        home = homes.get(family)
        if home is None:
            home = sub.sort_values(["n", "unit_id"], ascending=[False, True])["unit_id"].iloc[0]
        at_home = sub["unit_id"] == home
        n_h, k_h = int(sub.loc[at_home, "n"].sum()), int(sub.loc[at_home, "n_mismatch"].sum())
        n_o, k_o = int(sub.loc[~at_home, "n"].sum()), int(sub.loc[~at_home, "n_mismatch"].sum())
        rows.append(
            {
                "job_family": family,
                "home_unit": home,
                "n_home": n_h,
                "n_mismatch_home": k_h,
                "share_home": k_h / n_h if n_h else np.nan,
                "n_outside": n_o,
                "n_mismatch_outside": k_o,
                "share_outside": k_o / n_o if n_o else np.nan,
            }
        )
    fam = pd.DataFrame(rows)
    if len(fam):
        fam["ci_low_home"], fam["ci_high_home"] = wilson_interval(
            fam["n_mismatch_home"], fam["n_home"], level
        )
        fam["ci_low_outside"], fam["ci_high_outside"] = wilson_interval(
            fam["n_mismatch_outside"], fam["n_outside"], level
        )
        fam["difference"] = fam["share_outside"] - fam["share_home"]
    notes = (
        f"Mismatch: a '{group}' competency of the position's standard held below the required "
        "level (PermenPANRB 38/2017).",
        "Home unit of a job family: "
        + ("as given" if home_units else "the unit with the most posts of the family")
        + "; 'outside' pools all other units.",
        f"Groups with fewer than {min_group} employees are flagged small_group: do not export "
        "their shares without suppression (UU 27/2022).",
    )
    return MismatchResult(
        employees=emp,
        details=details,
        by_unit=by_unit,
        by_unit_job_family=by_unit_family,
        by_job_family=fam,
        notes=notes,
    )


# --------------------------------------------------------------------------------------------
# Training needs
# --------------------------------------------------------------------------------------------


def training_needs(
    gaps: pd.DataFrame,
    employees: pd.DataFrame,
    *,
    by: str | Sequence[str] = "unit_id",
    jp_per_level: float = JP_PER_LEVEL,
    jp_right: float = JP_RIGHT_PER_YEAR,
    min_group: int = MIN_GROUP_SIZE,
    suppress: bool = True,
) -> pd.DataFrame:
    """Rank training priorities per unit and competency, with the JP hours they need.

    Parameters
    ----------
    gaps : pandas.DataFrame
        Output of :func:`competency_gaps`.
    employees : pandas.DataFrame
        ``employee_id`` and the `by` columns.
    by : str or sequence of str, default "unit_id"
        Planning groups.
    jp_per_level : float, default 40
        Assumed JP (jam pelajaran) of training that raise a held level by one. No regulation
        fixes this; 40 JP is about one classical 5-day course. Set it from your own training
        evaluations (e.g. Kirkpatrick level 2-3 results).
    jp_right : float, default 20
        Yearly right to competency development per employee, in JP (PP 17/2020).
    min_group : int, default 5
        Groups with fewer employees are flagged ``suppressed`` (privacy, UU 27/2022).
    suppress : bool, default True
        Blank the numbers of flagged groups (NaN) and leave them unranked, so that the table can
        be exported as is. False keeps the numbers (for internal analysis).

    Returns
    -------
    pandas.DataFrame
        One row per group and competency with at least one employee below standard, ranked:
        ``rank`` (1 = highest priority), the `by` columns, ``competency``, ``group``, ``n``,
        ``n_below``, ``share_below``, ``mean_shortfall`` (levels, among those below),
        ``priority`` (``n_below x mean_shortfall``: total levels missing), ``jp_needed``
        (``priority x jp_per_level``), ``jp_per_employee`` (for one employee below standard),
        ``years_of_right`` (``jp_per_employee / jp_right``: years of the full yearly right this
        competency alone would take) and ``suppressed``. ``attrs`` records the assumptions and
        counts of groups without need and suppressed groups.

    Notes
    -----
    Priority ranks groups by the total number of levels missing, so a gap shared by many
    employees ranks above a large gap of one; ties are broken by the share below standard.
    JP needed assume training closes gaps linearly at `jp_per_level` JP per level.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> gaps = competency_gaps(ds.competency_assessments, ds.competency_standards, ds.employees,
    ...                        as_of="2025-06-30")
    >>> needs = training_needs(gaps, ds.employees)
    >>> int(needs["rank"].iloc[0])
    1
    """
    _check_positive("jp_per_level", jp_per_level)
    _check_positive("jp_right", jp_right)
    keys = _by_list(by)
    table = unit_gaps(gaps, employees, by=keys, min_group=min_group)
    n_without = int((table["n_below"] == 0).sum())
    out = table[table["n_below"] > 0].copy()
    out = out.rename(columns={"mean_shortfall_below": "mean_shortfall"})
    out["priority"] = out["n_below"] * out["mean_shortfall"]
    out["jp_needed"] = out["priority"] * jp_per_level
    out["jp_per_employee"] = out["mean_shortfall"] * jp_per_level
    out["years_of_right"] = out["jp_per_employee"] / jp_right
    out["suppressed"] = out["small_group"]
    out = out.drop(columns=["small_group", "mean_gap"])
    ranked = ~out["suppressed"] if suppress else pd.Series(True, index=out.index)
    out = pd.concat(
        [
            out[ranked].sort_values(
                ["priority", "share_below", *keys, "competency"],
                ascending=[False, False] + [True] * (len(keys) + 1),
            ),
            out[~ranked].sort_values([*keys, "competency"]),
        ]
    )
    out.insert(0, "rank", pd.array(np.arange(1, len(out) + 1), dtype="Int64"))
    out.loc[~ranked.reindex(out.index).to_numpy(), "rank"] = pd.NA
    numbers_ = ["n", "n_below", "share_below", "mean_shortfall", "priority", "jp_needed"]
    numbers_ += ["jp_per_employee", "years_of_right"]
    if suppress and (~ranked).any():
        out[["n", "n_below"]] = out[["n", "n_below"]].astype("Int64")
        out.loc[out["suppressed"], numbers_] = np.nan
    out = out.reset_index(drop=True)
    out.attrs = {
        "jp_per_level": jp_per_level,
        "jp_right": jp_right,
        "min_group": min_group,
        "n_groups_without_need": n_without,
        "n_suppressed": int(out["suppressed"].sum()),
        "assumption": f"{jp_per_level:g} JP of training raise a held level by one (assumed)",
    }
    return out


# --------------------------------------------------------------------------------------------
# Cost of misfit: performance (ordered logit, logit) and satisfaction (OLS)
# --------------------------------------------------------------------------------------------


class _OrderedLogit(OrderedModel):
    """statsmodels' OrderedModel (logit link) with analytic score and Hessian.

    OrderedModel differentiates numerically, which for some 40 parameters and 15,000 rows takes
    minutes; the analytic derivatives make Newton's method converge in a fraction of a second and
    give the exact score per observation needed for the cluster-robust sandwich. Thresholds keep
    statsmodels' parameterisation: the first cut point, then log increments.
    """

    def __init__(self, endog: np.ndarray, exog: np.ndarray) -> None:
        # No constant by construction (reference levels dropped); skip the rank check.
        super().__init__(endog, exog, distr="logit", hasconst=False)

    def _parts(self, params: np.ndarray, rows: np.ndarray | None = None) -> tuple:
        k = self.k_vars
        theta = params[k:]
        cuts = np.concatenate([theta[:1], theta[0] + np.cumsum(np.exp(theta[1:]))])
        exog = self.exog if rows is None else self.exog[rows]
        eta = exog @ params[:k]
        y = np.asarray(self.endog, dtype=np.intp)
        if rows is not None:
            y = y[rows]
        ext = np.concatenate([[-np.inf], cuts, [np.inf]])
        f_up = 1.0 / (1.0 + np.exp(-(ext[y + 1] - eta)))
        f_lo = 1.0 / (1.0 + np.exp(-(ext[y] - eta)))
        prob = np.maximum(f_up - f_lo, 1e-300)
        return theta, y, len(cuts), f_up, f_lo, prob

    @staticmethod
    def _dcut(theta: np.ndarray) -> np.ndarray:
        n_cut = len(theta)
        jac = np.zeros((n_cut, n_cut))
        jac[:, 0] = 1.0
        for m in range(1, n_cut):
            jac[m:, m] = np.exp(theta[m])
        return jac

    def _cut_scores(self, y: np.ndarray, n_cut: int, g_up: np.ndarray, g_lo: np.ndarray):
        rows = np.arange(len(y))
        out = np.zeros((len(y), n_cut))
        up, lo = y < n_cut, y > 0
        out[rows[up], y[up]] += g_up[up]
        out[rows[lo], y[lo] - 1] -= g_lo[lo]
        return out

    def score_obs(self, params: np.ndarray) -> np.ndarray:
        """Score of each observation (analytic)."""
        theta, y, n_cut, f_up, f_lo, prob = self._parts(params)
        g_up, g_lo = f_up * (1 - f_up) / prob, f_lo * (1 - f_lo) / prob
        s_beta = -(g_up - g_lo)[:, None] * self.exog
        s_cut = self._cut_scores(y, n_cut, g_up, g_lo) @ self._dcut(theta)
        return np.column_stack([s_beta, s_cut])

    def score(self, params: np.ndarray) -> np.ndarray:
        """Score (analytic)."""
        return self.score_obs(params).sum(axis=0)

    def loglike(self, params: np.ndarray) -> float:
        """Log-likelihood (same value as OrderedModel's, without its overhead)."""
        return float(np.log(self._parts(params)[-1]).sum())

    def hessian(self, params: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Hessian of the log-likelihood (analytic), of all rows or of ``rows`` only."""
        theta, y, n_cut, f_up, f_lo, prob = self._parts(params, rows)
        x = self.exog if rows is None else self.exog[rows]
        n, k = x.shape
        d_up, d_lo = f_up * (1 - f_up), f_lo * (1 - f_lo)
        g_up, g_lo = d_up / prob, d_lo / prob
        a = d_up * (1 - 2 * f_up) / prob - g_up**2
        b = -d_lo * (1 - 2 * f_lo) / prob - g_lo**2
        c = g_up * g_lo
        rows = np.arange(n)
        up, lo = y < n_cut, y > 0
        h_bb = (x * (a + b + 2 * c)[:, None]).T @ x
        w = np.zeros((n, n_cut))
        w[rows[up], y[up]] += (a + c)[up]
        w[rows[lo], y[lo] - 1] += (b + c)[lo]
        h_bc = -x.T @ w
        h_cc = np.zeros((n_cut, n_cut))
        np.add.at(h_cc, (y[up], y[up]), a[up])
        np.add.at(h_cc, (y[lo] - 1, y[lo] - 1), b[lo])
        both = up & lo
        np.add.at(h_cc, (y[both], y[both] - 1), c[both])
        np.add.at(h_cc, (y[both] - 1, y[both]), c[both])
        jac = self._dcut(theta)
        grad_cut = self._cut_scores(y, n_cut, g_up, g_lo).sum(axis=0)
        curvature = np.zeros(n_cut)
        for m in range(1, n_cut):
            curvature[m] = grad_cut[m:].sum() * np.exp(theta[m])
        hess = np.zeros((k + n_cut, k + n_cut))
        hess[:k, :k] = h_bb
        hess[:k, k:] = h_bc @ jac
        hess[k:, :k] = hess[:k, k:].T
        hess[k:, k:] = jac.T @ h_cc @ jac + np.diag(curvature)
        return hess


@dataclass(frozen=True)
class _MEstimator:
    """A smooth M-estimator as the score bootstrap needs it.

    ``objective`` is maximised (a log-likelihood, or minus half the sum of squares for OLS);
    ``score_obs`` gives the per-observation gradient (n x k); ``hessian(params, rows)`` the
    Hessian of the objective over all rows (``rows=None``) or over a subset.
    """

    objective: Callable[[np.ndarray], float]
    score_obs: Callable[[np.ndarray], np.ndarray]
    hessian: Callable[[np.ndarray, np.ndarray | None], np.ndarray]


def _ols_estimator(y: np.ndarray, x: np.ndarray) -> _MEstimator:
    def objective(params: np.ndarray) -> float:
        resid = y - x @ params
        return -0.5 * float(resid @ resid)

    def score_obs(params: np.ndarray) -> np.ndarray:
        return x * (y - x @ params)[:, None]

    def hessian(params: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        xr = x if rows is None else x[rows]
        return -(xr.T @ xr)

    return _MEstimator(objective, score_obs, hessian)


def _logit_estimator(model: Any) -> _MEstimator:
    x = np.asarray(model.exog)

    def hessian(params: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        xr = x if rows is None else x[rows]
        mu = 1.0 / (1.0 + np.exp(-(xr @ params)))
        return -((xr * (mu * (1.0 - mu))[:, None]).T @ xr)

    return _MEstimator(model.loglike, model.score_obs, hessian)


@np.errstate(over="ignore", invalid="ignore", divide="ignore")  # trial steps may overshoot
def _maximize(
    est: _MEstimator,
    start: np.ndarray,
    j: int | None = None,
    value: float = 0.0,
    *,
    maxiter: int = 200,
) -> np.ndarray:
    """Maximise the objective, with parameter ``j`` fixed at ``value`` when ``j`` is given.

    Newton's method with the Hessian's eigenvalues taken in absolute value (so every step goes
    uphill even where the threshold parameterisation makes the Hessian indefinite, far from
    the optimum) and step halving. Converged when the Newton decrement g' (-H)^-1 g falls
    below 1e-12.

    Raises
    ------
    CompetencyInputError
        No convergence within ``maxiter`` steps.
    """
    params = np.array(start, dtype=float)
    free = np.ones(len(params), dtype=bool)
    if j is not None:
        params[j] = value
        free[j] = False
    current = est.objective(params)
    for _ in range(maxiter):
        grad = est.score_obs(params).sum(axis=0)[free]
        lam, vec = np.linalg.eigh(-est.hessian(params, None)[np.ix_(free, free)])
        lam = np.maximum(np.abs(lam), 1e-10 * max(float(np.abs(lam).max()), 1.0))
        step = vec @ ((vec.T @ grad) / lam)
        decrement = float(grad @ step)
        if decrement < 1e-12:
            return params
        size = 1.0
        while size >= 1e-12:
            trial = params.copy()
            trial[free] += size * step
            value_trial = est.objective(trial)
            if value_trial > current or (
                size == 1.0 and value_trial >= current - 1e-13 * abs(current)
            ):
                break
            size /= 2
        else:
            if decrement < 1e-8 * (1.0 + abs(current)):  # no gain measurable in floating point
                return params
            break
        params, current = trial, value_trial
    what = "the model" if j is None else f"the model with parameter {j} fixed at {value:.6g}"
    raise CompetencyInputError(f"Newton's method did not converge for {what}")


class _ScoreBootstrap:
    r"""Wild cluster score bootstrap of the t-statistic of parameter ``j``, null imposed.

    For each hypothesised value :math:`b_0` the model is refitted with
    :math:`\theta_j = b_0` (:math:`\tilde\theta`). With cluster scores :math:`\tilde s_g`
    and Hessians :math:`\tilde H_g` at :math:`\tilde\theta`, :math:`A = (-\sum_g \tilde
    H_g)^{-1}` and weights :math:`w_g^*`, one Newton step from :math:`\tilde\theta` on the
    perturbed scores gives the bootstrap estimate and its own cluster scores:

    .. math::

        \delta^* = A \sum_g w_g^* \tilde s_g, \qquad
        s_g^* = w_g^* \tilde s_g + \tilde H_g \delta^*, \qquad
        t^* = \delta^*_j \Big/ \sqrt{\tfrac{G}{G-1}\, a_j' \textstyle\sum_g s_g^*
        s_g^{*\prime} a_j},

    with :math:`a_j` row ``j`` of :math:`A`. The observed statistic is the Wald
    :math:`t = (\hat\theta_j - b_0)/\mathrm{se}_{CR1}`. For a linear model this is exactly
    the wild cluster restricted (WCR) bootstrap (Roodman et al. 2019); for a likelihood it is
    the score bootstrap of Kline & Santos (2012) with the bootstrap variance recomputed at the
    one-step bootstrap estimate. Everything per draw is O(G): only :math:`a_j' \tilde s_g`
    and :math:`\tilde H_g a_j` enter.
    """

    _CHUNK = 4_000_000  # draws x clusters held at once

    def __init__(
        self,
        est: _MEstimator,
        params: np.ndarray,
        j: int,
        codes: np.ndarray,
        n_groups: int,
        weights: np.ndarray,
    ) -> None:
        self.est, self.params, self.j = est, np.asarray(params, float), j
        self.codes, self.g, self.v = codes, n_groups, weights
        cov = cluster_sandwich(est.score_obs(self.params), est.hessian(self.params, None), codes)
        if not (np.isfinite(cov[j, j]) and cov[j, j] > 0):
            raise CompetencyInputError(f"parameter {j} has no finite standard error")
        self.se0 = math.sqrt(cov[j, j])  # CR1 with G/(G-1), the factor used for t* too
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(n_groups + 1))
        self.rows = [order[bounds[i] : bounds[i + 1]] for i in range(n_groups)]
        self._warm = self.params

    def tstats(self, b0: float) -> tuple[float, np.ndarray]:
        """Observed Wald t and the bootstrap t's under the null theta_j = b0."""
        theta = _maximize(self.est, self._warm, self.j, b0)
        self._warm = theta
        k = len(theta)
        sums = np.zeros((self.g, k))
        np.add.at(sums, self.codes, self.est.score_obs(theta))
        h_g = np.stack([self.est.hessian(theta, r) for r in self.rows])
        a_mat = np.linalg.inv(-h_g.sum(axis=0))
        a = a_mat[self.j]
        u = sums @ a  # a' s_g
        m = h_g @ a  # H_g a (H_g symmetric)
        c = self.g / (self.g - 1)
        step = max(1, self._CHUNK // self.g)
        out = []
        for lo in range(0, len(self.v), step):
            v = self.v[lo : lo + step]
            delta = (v @ sums) @ a_mat  # B x k (A symmetric)
            q = v * u[None, :] + delta @ m.T
            with np.errstate(divide="ignore", invalid="ignore"):
                t_star = delta[:, self.j] / np.sqrt(c * (q**2).sum(axis=1))
            # A draw whose statistic is undefined (0/0) counts as extreme: conservative.
            out.append(np.where(np.isnan(t_star), np.inf, t_star))
        t0 = (self.params[self.j] - b0) / self.se0
        return t0, np.concatenate(out)

    def pvalue(self, b0: float) -> float:
        """Symmetric bootstrap p-value of theta_j = b0."""
        t0, t_boot = self.tstats(b0)
        # >= with a relative tolerance: under full enumeration the all-equal draws reproduce
        # the observed statistic up to rounding, and they count.
        return float(np.mean(np.abs(t_boot) >= np.abs(t0) * (1 - 1e-9)))

    def ci(self, level: float) -> tuple[float, float]:
        """Confidence interval by inverting the test (the set of b0 with p >= 1 - level)."""
        from scipy.optimize import brentq

        n = len(self.v)
        rank = math.ceil((1 - level) * n - 1e-9)  # p >= alpha  <=>  |t0| < rank-th largest |t*|
        beta = float(self.params[self.j])
        if rank < 1:
            return -math.inf, math.inf

        seen: dict[float, float] = {}  # brentq re-evaluates the bracket's ends

        def gap(b0: float) -> float:
            if b0 not in seen:
                t0, t_boot = self.tstats(b0)
                crit = np.partition(np.abs(t_boot), n - rank)[n - rank]
                seen[b0] = abs(t0) * (1 - 1e-9) - crit
            return seen[b0]

        def bound(direction: float) -> float:
            self._warm = self.params
            found = bracket(beta, direction * 2 * self.se0, lambda b: gap(b) >= 0, doublings=30)
            if found is None:
                return direction * math.inf
            lo, hi = sorted(found)
            return float(brentq(gap, lo, hi, xtol=1e-6 * self.se0, rtol=1e-12))

        return bound(-1.0), bound(1.0)


def _score_bootstrap_rows(
    est: _MEstimator,
    params: np.ndarray,
    names: Sequence[str],
    terms: Sequence[str],
    groups: np.ndarray,
    *,
    level: float,
    n_boot: int,
    weights: str,
    seed: int | None,
) -> tuple[dict[str, dict[str, Any]], str]:
    """Bootstrap p-value and test-inversion CI of each term; and the method's name."""
    codes, uniques = pd.factorize(groups)
    v, enumerated = boot_weights(weights, len(uniques), n_boot, seed)
    out = {}
    for term in terms:
        boot = _ScoreBootstrap(est, params, list(names).index(term), codes, len(uniques), v)
        low, high = boot.ci(level)
        out[term] = {"pvalue": boot.pvalue(0.0), "ci_low": low, "ci_high": high}
    how = "enumerated" if enumerated else f"seed {seed}"
    return out, f"wild cluster score bootstrap ({weights}, {len(v)} draws, {how})"


def _tidy(
    names: Sequence[str],
    params: np.ndarray,
    cov: np.ndarray,
    df: float | None,
    level: float,
    *,
    odds: bool,
) -> pd.DataFrame:
    se = np.sqrt(np.diag(cov))
    stat = params / se
    if df is None:
        crit = stats.norm.ppf(0.5 + level / 2)
        pvalue = 2 * stats.norm.sf(np.abs(stat))
    else:
        crit = stats.t.ppf(0.5 + level / 2, df)
        pvalue = 2 * stats.t.sf(np.abs(stat), df)
    out = pd.DataFrame(
        {
            "coef": params,
            "se": se,
            "t": stat,
            "pvalue": pvalue,
            "ci_low": params - crit * se,
            "ci_high": params + crit * se,
        },
        index=pd.Index(list(names), name="term"),
    )
    if odds:
        out["odds_ratio"] = np.exp(out["coef"])
        out["or_ci_low"] = np.exp(out["ci_low"])
        out["or_ci_high"] = np.exp(out["ci_high"])
    return out


def _dummies(values: pd.Series, prefix: str) -> tuple[pd.DataFrame, str]:
    """Build indicators with the most frequent level as reference (ties: first sorted)."""
    counts = values.value_counts()
    reference = sorted(counts.index[counts == counts.max()].tolist())[0]
    levels = sorted(v for v in counts.index if v != reference)
    frame = pd.DataFrame(
        {f"{prefix}[{v}]": (values.to_numpy() == v).astype(float) for v in levels},
        index=values.index,
    )
    return frame, str(reference)


def _drop_separated(
    data: pd.DataFrame, y: np.ndarray, columns: Sequence[str], *, low: int, high: int
) -> tuple[np.ndarray, list[str]]:
    """Mask of rows to keep: levels whose outcomes all sit in an end category are left out."""
    keep = np.ones(len(data), dtype=bool)
    notes = []
    for col in columns:
        values = data[col].to_numpy()
        frame = pd.DataFrame({"level": values, "y": y})
        ends = frame.groupby("level", sort=True)["y"].agg(["min", "max", "size"])
        bad = ends[((ends["min"] == high) & (ends["max"] == high)) | (ends["max"] == low)]
        if len(bad):
            drop = np.isin(values, bad.index.to_numpy())
            keep &= ~drop
            notes.append(
                f"{col} {_fmt_list(bad.index.tolist())}: every outcome in one end category, "
                f"so its effect is not identified; {int(drop.sum())} observations left out."
            )
    return keep, notes


@dataclass(frozen=True)
class FitEffectsResult:
    """Result of :func:`fit_effects`.

    Attributes
    ----------
    table : pandas.DataFrame
        The effects of interest, one row per model and term: model, term, coef, se, t, pvalue,
        ci_low, ci_high, inference (the method behind pvalue and the interval), odds_ratio,
        or_ci_low, or_ci_high (NaN for the linear model). ``se`` and ``t`` are always the
        cluster-robust (or HC1) ones. Terms
        ``jpm_per_10`` (per 10 JPM points) and ``mismatch`` for the employee-level models;
        ``mismatch_share`` (per +1.0, i.e. 0 to 100 % of staff) and ``mean_jpm`` (per JPM point)
        for the unit-level IKM model.
    coefficients : mapping of str to pandas.DataFrame
        Every coefficient of each model (controls, thresholds or intercept included).
    n_obs, n_clusters : mapping of str to int
        Observations and clusters per model.
    notes : tuple of str
        Assumptions and caveats.
    level : float
        Confidence level.
    inference : pandas.DataFrame
        Every method computed for each effect (model, term, method, se, pvalue, ci_low,
        ci_high): the cluster-robust one, and the wild cluster score bootstrap when it was run.
    """

    table: pd.DataFrame
    coefficients: Mapping[str, pd.DataFrame]
    n_obs: Mapping[str, int]
    n_clusters: Mapping[str, int]
    notes: tuple[str, ...] = field(default=())
    level: float = 0.95
    inference: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_frame(self) -> pd.DataFrame:
        """Return the table of effects (a copy)."""
        return self.table.copy()

    def effect(self, model: str, term: str) -> pd.Series:
        """Return one row of the table (coef, se, ..., ci_high)."""
        rows = self.table[(self.table["model"] == model) & (self.table["term"] == term)]
        if rows.empty:
            raise KeyError(f"no effect {term!r} in model {model!r}")
        return rows.iloc[0]

    def summary(self) -> str:
        """Return a text summary: models, sample sizes, effects with CIs, notes."""
        lines = [f"Cost of misfit ({self.level:.0%} confidence intervals)"]
        for model in self.table["model"].unique():
            lines.append(f"{model}: n = {self.n_obs[model]}, clusters = {self.n_clusters[model]}")
        cols = ["model", "term", "coef", "se", "pvalue", "ci_low", "ci_high", "odds_ratio"]
        lines.append(self.table[cols].round(4).to_string(index=False))
        methods = self.table["inference"].drop_duplicates().tolist()
        lines += [f"p-values and intervals: {m}" for m in methods]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{n}</li>" for n in self.notes)
        return (
            f"<p><b>Cost of misfit</b> ({self.level:.0%} CIs)</p>"
            + self.table.round(4).to_html(index=False)
            + f"<ul>{notes}</ul>"
        )


MODEL_ORDERED = "predikat_ordered_logit"
MODEL_BAIK = "at_least_baik_logit"
MODEL_IKM = "ikm_unit_ols"


def _one_blas_thread() -> contextlib.AbstractContextManager:
    """Run small dense algebra on one BLAS thread.

    The models here multiply matrices of some 15,000 x 40; multithreaded OpenBLAS gains nothing
    at that size and slows down by an order of magnitude when other processes share the cores.
    """
    try:
        from threadpoolctl import threadpool_limits  # installed with scikit-learn
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _on_one_blas_thread(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Wrap ``func`` so that it runs inside :func:`_one_blas_thread`."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with _one_blas_thread():
            return func(*args, **kwargs)

    return wrapper


@_on_one_blas_thread
def fit_effects(
    jpm: pd.DataFrame,
    mismatch: MismatchResult | pd.DataFrame,
    performance: pd.DataFrame,
    skm_responses: pd.DataFrame | None = None,
    *,
    years: Sequence[int] | None = None,
    cluster: str = "unit_id",
    unit_se: UnitSE = "cluster",
    jpm_scale: float = 10.0,
    ikm_weight: Literal["exact"] | float = "exact",
    level: float = 0.95,
    inference: FitInference = "auto",
    n_boot: int = 9999,
    weights: BootWeights = "rademacher",
    seed: int | None = 0,
) -> FitEffectsResult:
    r"""Estimate how competency fit is associated with performance and citizen satisfaction.

    Parameters
    ----------
    jpm : pandas.DataFrame
        Output of :func:`job_person_match` (employee_id, unit_id, job_type, jpm_pct).
    mismatch : MismatchResult or pandas.DataFrame
        Output of :func:`mismatches` (or its ``employees`` table: employee_id, mismatch).
        Employees without a technical competency in their standard count as not mismatched.
    performance : pandas.DataFrame
        SKP appraisals: employee_id, year, predikat (PermenPANRB 6/2022 levels).
    skm_responses : pandas.DataFrame, optional
        SKM answers (unit_id, period, the nine elements); None skips the unit-level model.
    years : sequence of int, optional
        Appraisal years used (default: all).
    cluster : str, default "unit_id"
        Cluster of the employee-level standard errors (``"unit_id"`` or ``"employee_id"``).
    unit_se : {"cluster", "HC1"}, default "cluster"
        Standard errors of the unit-level model: clustered by unit over periods (the unit
        covariates do not change between periods), or heteroskedasticity-robust HC1.
    jpm_scale : float, default 10
        JPM points per unit of the ``jpm_per_10`` term.
    ikm_weight : "exact" or float, default "exact"
        Element weight of the IKM (see :func:`asn_analysis.satisfaction.ikm`).
    level : float, default 0.95
        Confidence level.
    inference : {"auto", "cluster", "wild"}, default "auto"
        P-values and intervals of the reported effects. ``"cluster"``: cluster-robust with
        t(G-1). ``"wild"``: wild cluster score bootstrap with the null imposed, intervals by
        test inversion. ``"auto"``: the bootstrap for models with fewer than 42 clusters,
        otherwise cluster-robust. Both are kept in ``result.inference``.
    n_boot : int, default 9999
        Bootstrap draws (Rademacher signs are enumerated when 2**G <= n_boot).
    weights : {"rademacher", "webb", "mammen"}, default "rademacher"
        Bootstrap weights (Webb's six-point weights are better below about 12 clusters).
    seed : int, optional
        Seed of the bootstrap weights; the same seed gives the same intervals.

    Returns
    -------
    FitEffectsResult
        Tidy effects with confidence intervals, full coefficient tables and notes.

    Raises
    ------
    CompetencyInputError
        Missing columns, unknown predikat values, no overlap between tables, or too few clusters.

    Notes
    -----
    **Employee level** (one observation per employee-year), ordered logit (statsmodels
    ``OrderedModel``, logit link) of predikat (sangat kurang < kurang < butuh perbaikan < baik <
    sangat baik):

    .. math::

        P(y_{it} \le j) = \Lambda\left(\kappa_j - \beta_J \frac{JPM_i}{10} - \beta_M M_i
        - \gamma_{\text{job type}} - \alpha_{\text{unit}}\right),

    with :math:`M_i` the technical mismatch, job-type and unit indicators (most frequent level as
    reference). statsmodels has no cluster option for OrderedModel, so the covariance is the
    cluster-robust sandwich :func:`cluster_sandwich` (factor :math:`G/(G-1)`) from the analytic
    per-observation scores and Hessian; intervals use t(G-1). The likelihood is maximised by
    Newton's method on those analytic derivatives, safeguarded (absolute eigenvalues of the
    Hessian, step halving) because the log-increment thresholds make the Hessian indefinite far
    from the optimum. The binary model "at least Baik"
    (baik or sangat baik) is a statsmodels ``Logit`` with the same regressors plus an intercept
    and the same sandwich. Levels of unit or job type whose outcomes all fall in one end
    category do not identify their effect and are left out (counted in the notes, as Stata does).

    **Unit level** (one observation per unit and survey period): converted IKM (25-100,
    PermenPANRB 14/2017) on the unit's mismatch share (0-1) and mean JPM with period effects,
    OLS; standard errors clustered by unit (statsmodels CR1, t(G-1)) or HC1.

    **Few clusters.** With fewer than 42 clusters (here: units) cluster-robust standard errors
    are often too small, the more so when cluster sizes are unequal (MacKinnon & Webb 2017).
    ``inference="auto"`` then reports, for each effect, the p-value and interval of a wild
    cluster *score* bootstrap: the model is refitted with the coefficient fixed at the
    hypothesised value, the cluster scores at that restricted fit are multiplied by random
    signs, and one Newton step gives each bootstrap estimate and its own cluster-robust
    t-statistic (Kline & Santos 2012). For the linear unit model this is exactly the wild
    cluster restricted bootstrap (WCR; Roodman et al. 2019). Intervals collect the values the
    test does not reject. The ``coefficients`` tables stay cluster-robust.

    All coefficients are associations: JPM and mismatch are not randomly assigned, and the unit
    model has as many independent units as clusters.

    References
    ----------
    .. [1] PermenPANRB No. 6 Tahun 2022 (predikat kinerja); PermenPANRB No. 14 Tahun 2017 (IKM).
    .. [2] Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
       inference. *Journal of Human Resources*, 50(2), 317-372.
    .. [3] Kline, P., & Santos, A. (2012). A score based approach to wild bootstrap inference.
       *Journal of Econometric Methods*, 1(1), 23-41.
    .. [4] Roodman, D., MacKinnon, J. G., Nielsen, M. Ø., & Webb, M. D. (2019). Fast and wild:
       Bootstrap inference in Stata using boottest. *The Stata Journal*, 19(1), 4-60.
    .. [5] MacKinnon, J. G., & Webb, M. D. (2017). Wild bootstrap inference for wildly
       different cluster sizes. *Journal of Applied Econometrics*, 32(2), 233-254.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> args = (ds.competency_assessments, ds.competency_standards, ds.employees)
    >>> jpm = job_person_match(*args, as_of="2025-06-30")
    >>> mis = mismatches(competency_gaps(*args, as_of="2025-06-30"), ds.employees)
    >>> res = fit_effects(jpm, mis, ds.performance, ds.skm_responses)
    >>> row = res.effect("predikat_ordered_logit", "mismatch")
    >>> bool(row["ci_high"] < 0)
    True
    """
    import statsmodels.api as sm

    from asn_analysis.satisfaction import ikm

    _check_level(level)
    _check_option("unit_se", unit_se, UnitSE)
    _check_option("inference", inference, FitInference)
    _check_option("weights", weights, BootWeights)
    if isinstance(n_boot, bool) or not isinstance(n_boot, numbers.Integral) or n_boot < 19:
        raise CompetencyInputError(
            f"n_boot={n_boot!r}: use a whole number of at least 19 (999 or more for reporting)"
        )
    _check_positive("jpm_scale", jpm_scale)
    _check_columns(jpm, "jpm", ["employee_id", "unit_id", "job_type", "jpm_pct"])
    _check_columns(performance, "performance", ["employee_id", "year", "predikat"])
    mis_frame = mismatch.employees if isinstance(mismatch, MismatchResult) else mismatch
    _check_columns(mis_frame, "mismatch", ["employee_id", "mismatch"])
    if cluster not in ("unit_id", "employee_id"):
        raise CompetencyInputError(f"cluster={cluster!r}: use 'unit_id' or 'employee_id'")

    fit = jpm[["employee_id", "unit_id", "job_type", "jpm_pct"]].copy()
    flags = mis_frame.set_index("employee_id")["mismatch"].astype(bool)
    fit["mismatch"] = fit["employee_id"].map(flags).fillna(False).astype(float)
    fit["jpm_pct"] = fit["jpm_pct"].astype(float)
    perf = performance[["employee_id", "year", "predikat"]]
    if years is not None:
        perf = perf[perf["year"].isin(list(years))]
    unknown = ~perf["predikat"].isin(PREDIKAT) & perf["predikat"].notna()
    if unknown.any():
        raise CompetencyInputError(
            f"performance.predikat: {int(unknown.sum())} values are not one of "
            f"{', '.join(PREDIKAT)}: {_fmt_list(pd.unique(perf.loc[unknown, 'predikat']).tolist())}"
        )
    n_perf = len(perf)
    perf = perf.dropna(subset=["predikat"])
    data = perf.merge(fit, on="employee_id", how="inner")
    n_no_fit = n_perf - len(data)
    if data.empty:
        raise CompetencyInputError("no performance row has an employee with a JPM")
    y = pd.Categorical(data["predikat"].astype(object), categories=PREDIKAT).codes.astype(int)
    notes: list[str] = []
    if n_no_fit:
        notes.append(
            f"{n_no_fit} appraisals (of {n_perf}) left out: blank predikat or no JPM for the "
            "employee."
        )

    coefficients: dict[str, pd.DataFrame] = {}
    n_obs: dict[str, int] = {}
    n_clusters: dict[str, int] = {}
    rows: list[pd.DataFrame] = []
    inference_rows: list[dict[str, Any]] = []
    boot_methods: dict[str, str] = {}

    def report(
        name: str,
        full: pd.DataFrame,
        terms: list[str],
        cr1_text: str,
        est: _MEstimator | None,
        params: np.ndarray,
        groups: np.ndarray | None,
    ) -> None:
        """Add the model's effects (headline rows) and every method's row to the outputs."""
        head = full.loc[terms].assign(model=name, inference=cr1_text)
        g = 0 if groups is None else int(pd.unique(groups).size)
        wild = est is not None and (
            inference == "wild" or (inference == "auto" and g < FEW_CLUSTERS)
        )
        boot: dict[str, dict[str, Any]] = {}
        if wild:
            assert est is not None and groups is not None
            try:
                boot, method = _score_bootstrap_rows(
                    est, params, list(full.index), terms, groups,
                    level=level, n_boot=n_boot, weights=weights, seed=seed,
                )  # fmt: skip
                boot_methods[name] = method
            except CompetencyInputError as err:
                notes.append(
                    f"{name}: wild cluster score bootstrap not computed ({err}); the "
                    "cluster-robust p-values and intervals are reported instead."
                )
        for term in terms:
            row = full.loc[term]
            inference_rows.append(
                {"model": name, "term": term, "method": cr1_text, "se": row["se"],
                 "pvalue": row["pvalue"], "ci_low": row["ci_low"], "ci_high": row["ci_high"]}
            )  # fmt: skip
            if term in boot:
                inference_rows.append(
                    {"model": name, "term": term, "method": boot_methods[name], "se": np.nan,
                     **boot[term]}
                )  # fmt: skip
                for col in ("pvalue", "ci_low", "ci_high"):
                    head.loc[term, col] = boot[term][col]
                head.loc[term, "inference"] = boot_methods[name]
        if "odds_ratio" in head:
            head["or_ci_low"] = np.exp(head["ci_low"])
            head["or_ci_high"] = np.exp(head["ci_high"])
        rows.append(head)

    def design(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
        jt, jt_ref = _dummies(frame["job_type"].astype(str), "job_type")
        un, un_ref = _dummies(frame["unit_id"].astype(str), "unit_id")
        x = pd.concat(
            [
                pd.DataFrame(
                    {
                        "jpm_per_10": frame["jpm_pct"].to_numpy() / jpm_scale,
                        "mismatch": frame["mismatch"].to_numpy(),
                    },
                    index=frame.index,
                ),
                jt,
                un,
            ],
            axis=1,
        )
        return x, {"job_type": jt_ref, "unit_id": un_ref}

    # (1a) ordered logit of predikat
    keep, sep_notes = _drop_separated(
        data, y, ["unit_id", "job_type"], low=int(y.min()), high=int(y.max())
    )
    notes += [f"Ordered logit: {t}" for t in sep_notes]
    d_ord, y_ord = data[keep], y[keep]
    x_ord, refs = design(d_ord)
    model = _OrderedLogit(y_ord.astype(float), x_ord.to_numpy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = np.asarray(model.start_params, dtype=float)
    est_ord = _MEstimator(model.loglike, model.score_obs, model.hessian)
    try:
        params = _maximize(est_ord, start)
    except CompetencyInputError as err:
        raise CompetencyInputError(f"ordered logit of predikat: {err}") from err
    groups = d_ord[cluster].to_numpy()
    g_ord = int(pd.unique(groups).size)
    cov = cluster_sandwich(model.score_obs(params), model.hessian(params), groups)
    labels = [PREDIKAT[i] for i in np.unique(y_ord)]
    names = list(x_ord.columns) + [f"{a}|{b}" for a, b in zip(labels[:-1], labels[1:], strict=True)]
    full = _tidy(names, params, cov, g_ord - 1, level, odds=True)
    coefficients[MODEL_ORDERED] = full
    n_obs[MODEL_ORDERED], n_clusters[MODEL_ORDERED] = len(y_ord), g_ord
    cr1 = f"cluster-robust ({cluster}, G/(G-1)), t({g_ord - 1})"
    report(MODEL_ORDERED, full, ["jpm_per_10", "mismatch"], cr1, est_ord, params, groups)

    # (1b) at least Baik, logit
    y_bin = (y >= PREDIKAT.index("baik")).astype(int)
    keep_b, sep_b = _drop_separated(data, y_bin, ["unit_id", "job_type"], low=0, high=1)
    notes += [f"At-least-Baik logit: {t}" for t in sep_b]
    if len(np.unique(y_bin[keep_b])) == 2:
        d_b = data[keep_b]
        x_b, _ = design(d_b)
        x_b.insert(0, "const", 1.0)
        logit = sm.Logit(y_bin[keep_b].astype(float), x_b.to_numpy())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res_b = logit.fit(disp=False, method="newton", maxiter=200)
        p_b = np.asarray(res_b.params)
        groups_b = d_b[cluster].to_numpy()
        g_b = int(pd.unique(groups_b).size)
        cov_b = cluster_sandwich(logit.score_obs(p_b), logit.hessian(p_b), groups_b)
        full_b = _tidy(list(x_b.columns), p_b, cov_b, g_b - 1, level, odds=True)
        coefficients[MODEL_BAIK] = full_b
        n_obs[MODEL_BAIK], n_clusters[MODEL_BAIK] = int(keep_b.sum()), g_b
        cr1_b = f"cluster-robust ({cluster}, G/(G-1)), t({g_b - 1})"
        report(
            MODEL_BAIK, full_b, ["jpm_per_10", "mismatch"], cr1_b, _logit_estimator(logit),
            p_b, groups_b,
        )  # fmt: skip
        n_below = int((y_bin[keep_b] == 0).sum())
        notes.append(
            f"At-least-Baik logit: {n_below} of {int(keep_b.sum())} appraisals below Baik; with "
            "few events the odds ratios are imprecise."
        )
    else:
        notes.append("At-least-Baik logit not estimated: every appraisal is on one side of Baik.")

    notes.append(
        f"Employee-level models: one observation per employee-year; job type (reference "
        f"{refs['job_type']}) and unit (reference {refs['unit_id']}) indicators; standard errors "
        f"clustered by {cluster} (G/(G-1) sandwich from analytic scores), t(G-1) intervals."
    )
    if g_ord < FEW_CLUSTERS:
        largest = d_ord[cluster].value_counts(normalize=True).iloc[0]
        few = (
            f"Few clusters ({g_ord} < {FEW_CLUSTERS}) and the largest cluster holds "
            f"{largest:.0%} of the observations: cluster-robust standard errors can be too small."
        )
        if MODEL_ORDERED in boot_methods:
            few += (
                f" P-values and intervals of the employee-level effects therefore come from the "
                f"{boot_methods[MODEL_ORDERED]}, null imposed, intervals by test inversion "
                "(Kline & Santos 2012; Roodman et al. 2019); the cluster-robust ones are in "
                "`inference`."
            )
        else:
            few += " Read intervals near zero with caution (inference='wild' is the remedy)."
        notes.append(few)

    # (2) unit level: IKM on mismatch share and mean JPM
    if skm_responses is not None:
        table = ikm(skm_responses, by=["unit_id", "period"], weight=ikm_weight, on_empty="nan")
        n_blank = int(table["ikm_converted"].isna().sum())
        table = table.dropna(subset=["ikm_converted"])
        unit = fit.groupby("unit_id").agg(
            mismatch_share=("mismatch", "mean"),
            mean_jpm=("jpm_pct", "mean"),
            staff=("jpm_pct", "size"),
        )
        frame = table[["unit_id", "period", "ikm_converted"]].join(unit, on="unit_id")
        n_no_staff = int(frame["mismatch_share"].isna().sum())
        frame = frame.dropna(subset=["mismatch_share"]).reset_index(drop=True)
        periods, period_ref = _dummies(frame["period"].astype(str), "period")
        x_u = pd.concat(
            [
                pd.DataFrame({"const": 1.0}, index=frame.index),
                frame[["mismatch_share", "mean_jpm"]].astype(float),
                periods,
            ],
            axis=1,
        )
        g_u = int(frame["unit_id"].nunique())
        if g_u < 3:
            raise CompetencyInputError(f"unit-level model: {g_u} units with IKM and JPM; need 3+")
        ols = sm.OLS(frame["ikm_converted"].astype(float).to_numpy(), x_u.to_numpy())
        if unit_se == "cluster":
            res_u = ols.fit(
                cov_type="cluster",
                cov_kwds={"groups": pd.factorize(frame["unit_id"])[0]},
                use_t=True,
            )
            df_u: float | None = g_u - 1
            se_text = f"clustered by unit (CR1, {g_u} clusters, t({g_u - 1}))"
        else:
            res_u = ols.fit(cov_type="HC1", use_t=True)
            df_u = float(res_u.df_resid)
            se_text = "HC1 (treats unit-periods as independent; the unit covariates do not vary)"
        full_u = _tidy(
            list(x_u.columns),
            np.asarray(res_u.params),
            np.asarray(res_u.cov_params()),
            df_u,
            level,
            odds=False,
        )
        coefficients[MODEL_IKM] = full_u
        n_obs[MODEL_IKM], n_clusters[MODEL_IKM] = len(frame), g_u
        x_arr = x_u.to_numpy()
        report(
            MODEL_IKM, full_u, ["mismatch_share", "mean_jpm"],
            f"CR1 by unit, t({g_u - 1})" if unit_se == "cluster" else "HC1",
            _ols_estimator(frame["ikm_converted"].astype(float).to_numpy(), x_arr)
            if unit_se == "cluster" else None,
            np.asarray(res_u.params), frame["unit_id"].to_numpy() if unit_se == "cluster" else None,
        )  # fmt: skip
        notes.append(
            f"Unit-level IKM model: {len(frame)} unit-periods of {g_u} units; converted IKM on "
            f"mismatch share (per +1.0 = 0 to 100 % of staff) and mean JPM with period effects "
            f"(reference {period_ref}); standard errors {se_text}."
        )
        if n_blank or n_no_staff:
            notes.append(
                f"Unit-level IKM model: {n_blank} unit-periods without a complete IKM and "
                f"{n_no_staff} without staff with a JPM left out."
            )
        if g_u < FEW_CLUSTERS:
            text = (
                f"Unit level: only {g_u} units, and mismatch share and mean JPM are fixed per "
                "unit, so the estimate rests on a cross-section of units (few clusters)."
            )
            if MODEL_IKM in boot_methods:
                text += (
                    f" P-values and intervals come from the {boot_methods[MODEL_IKM]} (for OLS "
                    "this is the wild cluster restricted bootstrap, WCR)."
                )
            notes.append(text)
    notes.append(
        "Associations, not causal effects: competency fit is not randomly assigned, and units "
        "and employees with better fit may differ in other ways."
    )
    out = pd.concat(rows).reset_index()
    cols = ["model", "term", "coef", "se", "t", "pvalue", "ci_low", "ci_high", "inference"]
    cols += ["odds_ratio", "or_ci_low", "or_ci_high"]
    out = out.reindex(columns=cols)
    return FitEffectsResult(
        table=out,
        coefficients=MappingProxyType(coefficients),
        n_obs=MappingProxyType(n_obs),
        n_clusters=MappingProxyType(n_clusters),
        notes=tuple(notes),
        level=level,
        inference=pd.DataFrame(inference_rows),
    )


# --------------------------------------------------------------------------------------------
# Reassignment suggestions
# --------------------------------------------------------------------------------------------


def _latest_levels(
    assessments: pd.DataFrame, employees: pd.DataFrame, as_of: pd.Timestamp | None
) -> pd.DataFrame:
    """Employee x competency matrix of the latest held level (NaN where never assessed)."""
    a = assessments
    if as_of is not None:
        dates = _dates(a["assessed_on"], "assessments")
        a = a[dates < _day_after(as_of)]
    if "assessed_on" in a.columns:
        a = a.sort_values("assessed_on", kind="stable")
    a = a.assign(level=_int_levels(a["level"], "assessments", "level").astype(float))
    latest = a.groupby(["employee_id", "competency"], observed=True, sort=False)["level"].last()
    wide = latest.unstack("competency")
    return wide.reindex(pd.Index(employees["employee_id"]))


def reassignment_suggestions(
    assessments: pd.DataFrame,
    standards: pd.DataFrame,
    employees: pd.DataFrame,
    *,
    within: str | Sequence[str] = "unit_id",
    same_job_type: bool = True,
    as_of: AsOf = None,
    cap: Cap = "total",
    on_problem: OnProblem = "raise",
) -> pd.DataFrame:
    r"""Suggest moves between posts that maximise total JPM (suggestions only, not decisions).

    Parameters
    ----------
    assessments, standards, employees : pandas.DataFrame
        As in :func:`job_person_match`.
    within : str or sequence of str, default "unit_id"
        Employees are reassigned only among the posts of their own group (default: their unit).
    same_job_type : bool, default True
        Also keep every move within the job type (struktural posts to struktural, and so on).
    as_of : date-like, optional
        Latest assessments on or before this date.
    cap : {"total", "per_competency"}, default "total"
        JPM cap (see :func:`job_person_match`).
    on_problem : {"raise", "exclude"}, default "raise"
        As in :func:`job_person_match`; excluded employees are not moved.

    Returns
    -------
    pandas.DataFrame
        One row per suggested move: the group columns, ``employee_id``, ``from_position``,
        ``to_position``, ``jpm_from``, ``jpm_to``, ``gain`` (``jpm_to - jpm_from``; one move can
        lower someone's JPM when it raises the group's total more) and ``status`` (a reminder that
        this is a suggestion). ``attrs["groups"]`` lists per group the employees, moves and total
        JPM before and after; ``attrs["notes"]`` the assumptions.

    Notes
    -----
    Within each group the posts currently held are the seats to fill. With :math:`JPM_{ij}` the
    JPM employee :math:`i` would have against the standard of post :math:`j`, the assignment
    :math:`\sigma` maximises :math:`\sum_i JPM_{i\sigma(i)}`
    (``scipy.optimize.linear_sum_assignment``).
    An employee never assessed on a competency of post :math:`j` cannot be placed there. Ties are
    resolved in favour of staying (a bonus of 1e-7 JPM points for the current post), so no
    move is suggested without a strict gain in the group's total.

    These are suggestions for a personnel committee, **not decisions**: the assignment sees only
    the competency standard, not grade and rank rules (a move between grades is a promotion or
    demotion, governed by other rules), qualifications, performance, preferences or the needs of
    the service.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> moves = reassignment_suggestions(ds.competency_assessments, ds.competency_standards,
    ...                                  ds.employees, as_of="2025-06-30")
    >>> bool((moves["gain"].groupby(moves["unit_id"]).sum() > 0).all())
    True
    """
    _check_option("cap", cap, Cap)
    keys = _by_list(within)
    if same_job_type and "job_type" not in keys:
        keys.append("job_type")
    _check_columns(employees, "employees", ["employee_id", "position", *keys])
    m = _match(assessments, standards, employees, as_of=as_of, on_problem=on_problem)
    std = m.std
    scored = m.employees
    levels = _latest_levels(assessments, scored, _as_of(as_of))
    held_by_comp = np.full((len(scored), len(std.competencies)), np.nan)
    cols = std.competencies.get_indexer(levels.columns)
    ok = cols >= 0
    held_by_comp[:, cols[ok]] = levels.to_numpy(dtype=float)[:, ok]

    group_rows = []
    moves = []
    for key, idx in scored.groupby(keys, sort=True, observed=True).indices.items():
        key = key if isinstance(key, tuple) else (key,)
        pos = m.position_code[idx]
        distinct, seat_post = np.unique(pos, return_inverse=True)
        held = held_by_comp[idx]  # (n, n_comp)
        score = np.empty((len(idx), len(distinct)))
        for j, p in enumerate(distinct):
            comps = std.slot_competency[p]
            req = std.slot_required[p]
            used = comps >= 0
            h = held[:, comps[used]]
            r = req[used].astype(float)
            h_used = np.minimum(h, r) if cap == "per_competency" else h
            s = 100.0 * h_used.sum(axis=1) / r.sum()
            if cap == "total":
                s = np.minimum(s, 100.0)
            s[np.isnan(h).any(axis=1)] = -np.inf
            score[:, j] = s
        value = score[:, seat_post]  # employee x seat
        current = value[np.arange(len(idx)), np.arange(len(idx))]
        bonus = np.eye(len(idx)) * 1e-7
        cost = np.where(np.isfinite(value), -(value + bonus), np.inf)
        _, seat = linear_sum_assignment(cost)
        new = value[np.arange(len(idx)), seat]
        moved = seat_post[seat] != seat_post
        group_rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                "n_employees": len(idx),
                "n_moves": int(moved.sum()),
                "total_jpm_before": float(current.sum()),
                "total_jpm_after": float(new.sum()),
                "gain": float(new.sum() - current.sum()),
            }
        )
        for i in np.flatnonzero(moved):
            moves.append(
                {
                    **dict(zip(keys, key, strict=True)),
                    "employee_id": scored["employee_id"].iloc[idx[i]],
                    "from_position": std.positions[distinct[seat_post[i]]],
                    "to_position": std.positions[distinct[seat_post[seat[i]]]],
                    "jpm_from": current[i],
                    "jpm_to": new[i],
                    "gain": new[i] - current[i],
                }
            )
    cols_out = [*keys, "employee_id", "from_position", "to_position", "jpm_from", "jpm_to", "gain"]
    out = pd.DataFrame(moves, columns=cols_out)
    out = out.sort_values([*keys, "gain"], ascending=[True] * len(keys) + [False])
    out = out.reset_index(drop=True)
    out["status"] = SUGGESTION_STATUS
    out.attrs = {
        "groups": pd.DataFrame(group_rows),
        "excluded": m.excluded,
        "notes": (
            "Suggestions only, not decisions: the optimisation sees competency standards only, "
            "not grade rules, qualifications, performance or preferences.",
            f"Moves stay within {', '.join(keys)}; cap={cap}.",
        ),
    }
    return out


# --------------------------------------------------------------------------------------------
# Plain-language findings
# --------------------------------------------------------------------------------------------


def _num(value: float, lang: Lang, digits: int = 1) -> str:
    return number(value, lang, digits, grouping=True)


def _pct(value: float, lang: Lang, digits: int = 0) -> str:
    return number(100 * value, lang, digits, grouping=True) + "%"


def _ci(
    low: float, high: float, lang: Lang, digits: int = 2, level: float = 0.95, unit: str = ""
) -> str:
    lvl = f"{level:.0%}"
    lo, hi = _num(low, lang, digits) + unit, _num(high, lang, digits) + unit
    return f"IK {lvl}: {lo} s.d. {hi}" if lang == "id" else f"{lvl} CI {lo} to {hi}"


def _signed(value: float, lang: Lang, digits: int = 2) -> str:
    return ("+" if value > 0 else "") + _num(value, lang, digits)


def competency_findings(
    jpm: pd.DataFrame,
    mismatch: MismatchResult,
    effects: FitEffectsResult | None = None,
    needs: pd.DataFrame | None = None,
    *,
    gaps_by_unit: pd.DataFrame | None = None,
    talent: pd.DataFrame | None = None,
    units: pd.DataFrame | None = None,
    lang: Lang = "id",
) -> list[str]:
    """Describe competency fit and its cost in plain language (notebook 02).

    Parameters
    ----------
    jpm : pandas.DataFrame
        Output of :func:`job_person_match`.
    mismatch : MismatchResult
        Output of :func:`mismatches`.
    effects : FitEffectsResult, optional
        Output of :func:`fit_effects`: adds the cost of misfit, each estimate with its CI.
    needs : pandas.DataFrame, optional
        Output of :func:`training_needs`: adds the top priorities.
    gaps_by_unit : pandas.DataFrame, optional
        Output of :func:`unit_gaps`: adds the largest gap (groups of at least 5 only).
    talent : pandas.DataFrame, optional
        Output of :func:`asn_analysis.talent.employee_talent`: adds the 9-box summary.
    units : pandas.DataFrame, optional
        ``unit_id`` and ``unit_name``, to name units.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of str
        One sentence per finding. Counts describe the data; model estimates carry their
        confidence interval (IK = interval kepercayaan).

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> args = (ds.competency_assessments, ds.competency_standards, ds.employees)
    >>> jpm = job_person_match(*args, as_of="2025-06-30")
    >>> mis = mismatches(competency_gaps(*args, as_of="2025-06-30"), ds.employees)
    >>> competency_findings(jpm, mis, lang="en")[0].startswith("Job Person Match")
    True
    """
    if lang not in ("id", "en"):
        raise CompetencyInputError(f"lang must be 'id' or 'en', not {lang!r}")
    names = {} if units is None else dict(zip(units["unit_id"], units["unit_name"], strict=False))

    def unit(u: Any) -> str:
        return str(names.get(u, u))

    idn = lang == "id"
    out = []
    n = len(jpm)
    shares = jpm["category"].value_counts(normalize=True)
    cats = list(jpm["category"].cat.categories)
    median = float(jpm["jpm_pct"].median())
    parts = ", ".join(f"{_pct(shares.get(c, 0.0), lang)} {c}" for c in reversed(cats))
    scheme = jpm.attrs.get("scheme", "pemetaan")
    out.append(
        f"Job Person Match (JPM) {_count(n, lang)} pegawai: median {_num(median, lang)}%; "
        f"{parts} (skema {scheme})."
        if idn
        else f"Job Person Match (JPM) of {_count(n, lang)} employees: median "
        f"{_num(median, lang)}%; {parts} "
        f"({scheme} scheme)."
    )
    if gaps_by_unit is not None and len(gaps_by_unit):
        top = gaps_by_unit[~gaps_by_unit["small_group"]].sort_values(
            ["share_below", "n"], ascending=False
        )
        if len(top):
            r = top.iloc[0]
            out.append(
                f"Kesenjangan terbesar: {r['competency']} di {unit(r['unit_id'])}, "
                f"{int(r['n_below'])} dari {int(r['n'])} pegawai ({_pct(r['share_below'], lang)}) "
                "di bawah standar."
                if idn
                else f"Largest gap: {r['competency']} in {unit(r['unit_id'])}, {int(r['n_below'])} "
                f"of {int(r['n'])} employees ({_pct(r['share_below'], lang)}) below standard."
            )
    fam = mismatch.by_job_family
    if len(fam) and (fam["job_family"] == "teknologi_informasi").any():
        r = fam.set_index("job_family").loc["teknologi_informasi"]
        home = unit(r["home_unit"])
        ci_o = _ci(100 * r["ci_low_outside"], 100 * r["ci_high_outside"], lang, 0, unit="%")
        ci_h = _ci(100 * r["ci_low_home"], 100 * r["ci_high_home"], lang, 0, unit="%")
        k_o, n_o = int(r["n_mismatch_outside"]), int(r["n_outside"])
        k_h, n_h = int(r["n_mismatch_home"]), int(r["n_home"])
        p_o, p_h = _pct(r["share_outside"], lang), _pct(r["share_home"], lang)
        out.append(
            f"Jabatan TI di luar {home}: {k_o} dari {n_o} pemegang ({p_o}; {ci_o}) belum "
            f"memiliki level kompetensi teknis TI yang dipersyaratkan jabatannya, dibanding "
            f"{k_h} dari {n_h} ({p_h}; {ci_h}) di {home}."
            if idn
            else f"IT posts outside {home}: {k_o} of {n_o} holders ({p_o}; {ci_o}) lack the IT "
            f"level their post requires, against {k_h} of {n_h} ({p_h}; {ci_h}) in {home}."
        )
    total_mis = mismatch.employees["mismatch"].mean() if len(mismatch.employees) else np.nan
    out.append(
        f"Secara keseluruhan {_pct(total_mis, lang)} pegawai berada di bawah standar kompetensi "
        "teknis jabatannya (ketidaksesuaian jabatan)."
        if idn
        else f"Overall, {_pct(total_mis, lang)} of employees are below their post's technical "
        "competency standard (job mismatch)."
    )
    if effects is not None:
        lvl = effects.level
        tab = effects.table.set_index(["model", "term"])

        def how(model: str, row: pd.Series) -> str:
            if not str(row.get("inference", "")).startswith("wild"):
                return ""
            g = effects.n_clusters[model]
            return (
                f" Interval dari wild cluster bootstrap karena unitnya sedikit ({g})."
                if idn
                else f" Intervals from a wild cluster bootstrap, as there are few units ({g})."
            )

        if (MODEL_ORDERED, "mismatch") in tab.index:
            r = tab.loc[(MODEL_ORDERED, "mismatch")]
            j = tab.loc[(MODEL_ORDERED, "jpm_per_10")]
            ci_m = _ci(r["or_ci_low"], r["or_ci_high"], lang, 2, lvl)
            ci_j = _ci(j["or_ci_low"], j["or_ci_high"], lang, 2, lvl)
            or_m, or_j = _num(r["odds_ratio"], lang, 2), _num(j["odds_ratio"], lang, 2)
            out.append(
                f"Kinerja: odds predikat yang lebih baik bagi pegawai yang tidak sesuai jabatan "
                f"adalah {or_m} kali odds pegawai yang sesuai ({ci_m}); setiap tambahan 10 poin "
                f"JPM mengalikan odds itu dengan {or_j} ({ci_j}). Logit berurutan dengan kontrol "
                "jenis jabatan dan unit; asosiasi, bukan sebab-akibat."
                if idn
                else f"Performance: the odds of a better predikat for mismatched employees are "
                f"{or_m} times those of matched employees ({ci_m}); each 10 more JPM points "
                f"multiply those odds by {or_j} ({ci_j}). Ordered logit with job type and unit "
                "controls; an association, not a causal effect."
            )
            out[-1] += how(MODEL_ORDERED, r)
        if (MODEL_IKM, "mismatch_share") in tab.index:
            r = tab.loc[(MODEL_IKM, "mismatch_share")]
            j = tab.loc[(MODEL_IKM, "mean_jpm")]
            ci_m = _ci(r["ci_low"] / 10, r["ci_high"] / 10, lang, 2, lvl)
            ci_j = _ci(j["ci_low"], j["ci_high"], lang, 2, lvl)
            b_m, b_j = _signed(r["coef"] / 10, lang), _signed(j["coef"], lang)
            out.append(
                f"Kepuasan masyarakat: setiap tambahan 10 poin persen porsi pegawai yang tidak "
                f"sesuai jabatan di suatu unit berasosiasi dengan selisih IKM (konversi) {b_m} "
                f"poin ({ci_m}); setiap tambahan 1 poin rata-rata JPM unit dengan {b_j} poin "
                f"({ci_j}). Perbandingan antarunit; asosiasi, bukan sebab-akibat."
                if idn
                else f"Citizen satisfaction: each 10 percentage points more mismatched staff in a "
                f"unit go with a converted IKM difference of {b_m} points ({ci_m}); each extra "
                f"point of the unit's mean JPM with {b_j} points ({ci_j}). A comparison across "
                "units; an association, not a causal effect."
            )
            out[-1] += how(MODEL_IKM, r)
    if needs is not None and len(needs):
        ranked = needs.dropna(subset=["rank"]).head(3)
        items = []
        for r in ranked.itertuples(index=False):
            items.append(
                f"{r.competency} di {unit(r.unit_id)} ({int(r.n_below)} pegawai, "
                f"{_num(r.jp_needed, lang, 0)} JP)"
                if idn
                else f"{r.competency} in {unit(r.unit_id)} ({int(r.n_below)} employees, "
                f"{_num(r.jp_needed, lang, 0)} JP)"
            )
        jp = needs.attrs.get("jp_per_level", JP_PER_LEVEL)
        if items:
            out.append(
                "Prioritas pelatihan teratas: "
                + "; ".join(items)
                + f" (asumsi {_num(jp, lang, 0)} JP per level)."
                if idn
                else "Top training priorities: "
                + "; ".join(items)
                + f" (assuming {_num(jp, lang, 0)} JP per level)."
            )
    if talent is not None and len(talent):
        known = talent["box"].notna()
        pool = talent.loc[known, "talent_pool"].mean()
        lowest = (talent["kinerja"] == "di_bawah") & (talent["potensial"] == "rendah")
        box1 = int(lowest[known].sum())
        n_known = _count(int(known.sum()), lang)
        out.append(
            f"Talenta (9-box): {_pct(pool, lang)} dari {n_known} pegawai di kotak 7-9 "
            f"(kelompok suksesi); {box1} pegawai di kotak 1 (ditangani sesuai ketentuan)."
            if idn
            else f"Talent (9-box): {_pct(pool, lang)} of {n_known} employees in boxes "
            f"7-9 (succession pool); {box1} employees in box 1 (handled under the rules)."
        )
    return out
