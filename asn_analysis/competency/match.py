"""Job Person Match: each employee's latest held levels against their position's standard.

A position's competency standard (*standar kompetensi jabatan*, PermenPANRB No. 38 Tahun 2017)
names the level (1-5) it requires in each managerial, socio-cultural and technical competency;
assessments record the level an employee holds. :func:`match_assessments` places each employee's
latest held level per competency of their standard in a dense employee x competency-slot matrix
(one ``numpy`` scatter, so 4.3 million employees with 9 competencies each are matched in a few
seconds, ``benchmarks/bench_competency.py``); :func:`job_person_match` turns it into the Job
Person Match percentage (JPM) and :func:`jpm_category` into its category.

Bad input is never dropped silently. Missing columns, levels outside 1-5 and duplicate keys raise
:class:`~asn_analysis.competency.inputs.CompetencyInputError`. Assessments or employees that
cannot be matched (an unknown employee, a competency or position without a standard, an
employee without a complete assessment) raise too with ``on_problem="raise"`` (default), or are
left out and counted in ``result.attrs["excluded"]`` with ``on_problem="exclude"``.

References
----------
.. [1] Peraturan Menteri PANRB No. 38 Tahun 2017 tentang Standar Kompetensi Jabatan Aparatur Sipil
   Negara (competency groups, levels 1-5).
.. [2] BKN competency-assessment practice for the Job Person Match and its categories (no single
   regulation fixes them; see the caveats in :func:`job_person_match`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, get_args

import numpy as np
import pandas as pd

from asn_analysis._validation import check_columns, check_option, show_list
from asn_analysis.competency.inputs import (
    TECHNICAL_GROUP,
    AsOf,
    Cap,
    CompetencyInputError,
    OnProblem,
    Scheme,
    assessment_dates,
    day_after,
    parse_as_of,
    whole_levels,
)

__all__ = [
    "CAPS",
    "JPM_SCHEMES",
    "Matched",
    "Standards",
    "job_person_match",
    "jpm_category",
    "match_assessments",
]


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


def _code_dtype(n_categories: int) -> np.dtype:
    """Smallest signed integer dtype of categorical codes (what pandas would convert to)."""
    for dtype in (np.int8, np.int16, np.int32):
        if n_categories < np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.int64)


def _is_arrow_text(values: pd.Series | pd.Index) -> bool:
    """Tell whether text is stored by pyarrow (``str`` with pyarrow, ``string[pyarrow]``)."""
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype):
        return dtype.storage == "pyarrow"
    if isinstance(dtype, pd.ArrowDtype):
        import pyarrow as pa

        return pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(
            dtype.pyarrow_dtype
        )
    return False


def _positions(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of every value in a unique ``index`` (-1 where absent), whatever the storage.

    Text stored by pyarrow is looked up by pyarrow's own hash join (``pyarrow.compute.index_in``)
    on the column's buffers: ``Index.get_indexer`` would box every value as a Python string first
    (several times slower, and a copy of the column). Python-stored text and other values use
    ``Index.get_indexer``, which is fastest for them.
    """
    if _is_arrow_text(values) and len(values):
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            if _is_arrow_text(index):
                keys = pa.array(index.array)
            else:
                keys = pa.array(np.asarray(index, dtype=object), type=pa.large_string())
            found = pc.index_in(pa.array(values.array), value_set=keys)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
            return index.get_indexer(values)  # an index of other values than text
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.intp, copy=False)
    return index.get_indexer(values)


def _codes(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of every value in a small unique ``index``, -1 where absent."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        category_pos = index.get_indexer(values.cat.categories)
        # code -1 (missing) picks the appended -1; smallest dtype: this can be millions of rows
        table = np.append(category_pos, -1).astype(_code_dtype(len(index) + 1))
        return table[values.cat.codes.to_numpy()]
    return _positions(values, index)


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
        if _is_arrow_text(keys):
            # pyarrow text: uniqueness by pyarrow's hash (the pandas one boxes every value)
            import pyarrow as pa
            import pyarrow.compute as pc

            column = pa.array(keys.array)
            if column.null_count or pc.count_distinct(column).as_py() != len(keys):
                self._raise_duplicates(keys, name)
        elif self.index.hasnans or not self.index.is_unique:
            self._raise_duplicates(keys, name)

    @staticmethod
    def _raise_duplicates(keys: pd.Series, name: str) -> None:
        dup = keys[keys.duplicated()].unique().tolist()
        raise CompetencyInputError(
            f"{name} must be unique and non-blank: {len(dup)} ids repeat {show_list(dup)}; "
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
            return _positions(values, self.index)
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


# --------------------------------------------------------------------------------------------
# Core: match assessments to standards in a dense employee x slot layout
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standards:
    """The competency standards of all positions, one row of competency slots per position.

    Slot ``s`` of position ``p`` is the ``s``-th competency of its standard in key order;
    positions with fewer competencies are padded (code -1, required level 0).
    """

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
        """Slots per position: the largest number of competencies in one standard."""
        return self.slot_required.shape[1]


def _standards(standards: pd.DataFrame) -> Standards:
    check_columns(
        standards,
        "standards",
        ["position", "competency", "required_level"],
        error=CompetencyInputError,
    )
    required = whole_levels(standards["required_level"], "standards", "required_level")
    blank = standards["position"].isna() | standards["competency"].isna()
    if blank.any():
        raise CompetencyInputError(
            f"standards: {int(blank.sum())} rows have a blank position or competency at rows "
            f"{show_list(standards.index[blank.to_numpy()].tolist(), int(blank.sum()))}"
        )
    dup = standards.duplicated(["position", "competency"], keep=False)
    if dup.any():
        pairs = standards.loc[dup, ["position", "competency"]].drop_duplicates()
        shown = [f"{p} / {c}" for p, c in pairs.itertuples(index=False)]
        raise CompetencyInputError(
            f"standards: {len(pairs)} (position, competency) pairs appear more than once: "
            f"{show_list(shown, len(pairs))}"
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
    return Standards(
        positions=pd.Index(positions),
        competencies=pd.Index(competencies),
        slot_of=slot_of,
        slot_competency=slot_competency,
        slot_required=slot_required,
        slot_group=slot_group,
        groups=pd.Index(groups),
    )


@dataclass(frozen=True)
class Matched:
    """Held and required levels of the scored employees, slot by slot (see :class:`Standards`)."""

    std: Standards
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
        "examples": show_list(list(examples)[:_SHOW], len(examples)) if len(examples) else "",
        "problem": reason not in _INFORMATIONAL,
    }


def match_assessments(
    assessments: pd.DataFrame,
    standards: pd.DataFrame,
    employees: pd.DataFrame,
    *,
    as_of: AsOf,
    on_problem: OnProblem,
) -> Matched:
    """Latest held level per (employee, competency of the position's standard).

    Works on whole columns: employee row by lookup, slot of the competency in the position's
    standard by a small table, then one scatter into a dense employee x slot matrix. Masks are
    built only when a check finds a problem, so clean national data pays for reductions only.
    The inputs, `as_of` and `on_problem` are those of :func:`job_person_match`.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> m = match_assessments(ds.competency_assessments, ds.competency_standards, ds.employees,
    ...                       as_of="2025-06-30", on_problem="raise")
    >>> m.held.shape == m.required.shape == (len(ds.employees), m.std.n_slots)
    True
    """
    check_option("on_problem", on_problem, OnProblem)
    stamp = parse_as_of(as_of)
    check_columns(
        assessments,
        "assessments",
        ["employee_id", "competency", "level"],
        error=CompetencyInputError,
    )
    check_columns(employees, "employees", ["employee_id", "position"], error=CompetencyInputError)
    std = _standards(standards)
    lookup = _KeyLookup(employees["employee_id"], "employees.employee_id")
    level = whole_levels(assessments["level"], "assessments", "level")
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
        check_columns(assessments, "assessments", ["assessed_on"], error=CompetencyInputError)
        dates = assessment_dates(assessments["assessed_on"], "assessments")
        after = dates >= day_after(stamp)
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
            check_columns(assessments, "assessments", ["assessed_on"], error=CompetencyInputError)
            dates = assessment_dates(assessments["assessed_on"], "assessments")
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
                f"ambiguous): employee_id {show_list(pd.unique(emp).tolist(), len(tied))}"
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
        return Matched(std, scored, emp_pos, held, required, excluded)
    sel = np.flatnonzero(complete)
    if not len(sel):
        raise CompetencyInputError(
            "no employee has a complete assessment against a standard; excluded: "
            + "; ".join(f"{r.reason} ({r.n_employees})" for r in problems.itertuples(index=False))
        )
    return Matched(
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
    check_option("scheme", scheme, Scheme)
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
    check_option("scheme", scheme, Scheme)
    check_option("cap", cap, Cap)
    m = match_assessments(assessments, standards, employees, as_of=as_of, on_problem=on_problem)
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
        "as_of": None if as_of is None else str(parse_as_of(as_of).date()),
        "excluded": m.excluded,
    }
    return out
