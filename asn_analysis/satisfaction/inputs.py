"""Survey input for every IKM function: checks, element columns, groups and grouped sums.

Every public function of :mod:`asn_analysis.satisfaction` passes its responses through
:func:`prepare`, which recognises the element columns by name (key or alias, never by position),
checks that answers are whole numbers 1-4, codes the groups and sums the answers per group and
element with ``numpy.bincount``. Problems are collected and raised together as one
:class:`SatisfactionInputError`, naming columns, index labels and values.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"unit_id": ["U1", "U1", "U2"], "waktu": [2, 3, 4], "tarif": [4, 4, None]})
>>> prep = prepare(df, by="unit_id", elements=None)
>>> prep.keys, prep.groups.n.tolist(), prep.answered.tolist()
(('waktu', 'biaya'), [2, 1], [[2, 2], [1, 0]])
>>> group_nrr(prep, "nan").tolist()
[[2.5, 4.0], [4.0, nan]]
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd

from asn_analysis._validation import show_list, show_value
from asn_analysis.errors import InputProblems, OptionError
from asn_analysis.satisfaction.regulation import (
    ALIASES,
    ANSWER_MAX,
    ANSWER_MIN,
    ELEMENT_LABELS,
    ELEMENTS,
)

__all__ = [
    "SHOW",
    "By",
    "Element",
    "ElementSpec",
    "Groups",
    "OnEmpty",
    "Prepared",
    "SatisfactionInputError",
    "Weight",
    "by_list",
    "check_by",
    "check_frame",
    "check_weight",
    "columns_hint",
    "combine",
    "group_codes",
    "locate",
    "sorted_codes",
    "group_nrr",
    "prepare",
]

Weight: TypeAlias = Literal["exact"] | float
OnEmpty: TypeAlias = Literal["raise", "nan"]
ElementSpec: TypeAlias = Mapping[Hashable, str] | Sequence[str] | None
By: TypeAlias = Hashable | Sequence[Hashable] | None

#: Rows / values quoted in an error message.
SHOW = 5
_OUTPUT_COLUMNS = frozenset({"n", "ikm", "ikm_converted", "mutu", "kinerja", "element", "rank"})


class SatisfactionInputError(InputProblems):
    """Invalid survey input; the message lists every problem found.

    Parameters
    ----------
    problems : str or sequence of str
        One message per problem. Each names the column(s), the first rows and the offending
        values. Rows are index labels of the DataFrame passed in (use ``.loc`` to see them), not
        file rows: after loading, the data no longer knows its file rows.

    Attributes
    ----------
    problems : tuple of str
        The individual problems, in the order found.
    """

    heading = "problems in the satisfaction input"


# --------------------------------------------------------------------------------------------
# Messages and the weight option
# --------------------------------------------------------------------------------------------


def locate(index: pd.Index, mask: np.ndarray) -> tuple[str, int]:
    """Return the index labels where ``mask`` holds (shown as in ``show_list``) and their count.

    Examples
    --------
    >>> locate(pd.Index(["a", "b", "c"]), np.array([False, True, True]))
    ("['b', 'c']", 2)
    """
    positions = np.flatnonzero(mask)
    return show_list(index[positions[:SHOW]].tolist(), len(positions)), len(positions)


def check_weight(weight: Any) -> None:
    """Raise :class:`~asn_analysis.errors.OptionError` unless ``weight`` is "exact" or in (0, 1].

    Examples
    --------
    >>> check_weight(0.111)
    >>> check_weight(2)
    Traceback (most recent call last):
    ...
    asn_analysis.errors.OptionError: weight must be 'exact' (1/k) or a number in (0, 1], not 2
    """
    if isinstance(weight, str) and weight == "exact":
        return
    if (
        isinstance(weight, str)
        or isinstance(weight, bool)
        or not isinstance(weight, numbers.Real)
        or not math.isfinite(weight)
        or not 0 < weight <= 1
    ):
        raise OptionError(f"weight must be 'exact' (1/k) or a number in (0, 1], not {weight!r}")


def _normalise_name(name: Any) -> str | None:
    if not isinstance(name, str):
        return None
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _element_key(name: Any) -> str | None:
    norm = _normalise_name(name)
    if norm is None:
        return None
    if norm in ELEMENT_LABELS:
        return norm
    return ALIASES.get(norm)


def by_list(by: By) -> list[Hashable]:
    """Return ``by`` as a list of column names (``None`` gives no columns).

    Examples
    --------
    >>> by_list("unit_id"), by_list(None), by_list(("unit_id", "period"))
    (['unit_id'], [], ['unit_id', 'period'])
    """
    if by is None:
        return []
    if isinstance(by, str) or not isinstance(by, Sequence):
        return [by]
    return list(by)


def columns_hint(frame: pd.DataFrame) -> str:
    """Show a frame's columns for a message that names a missing one."""
    return show_list(list(frame.columns), frame.shape[1])


# --------------------------------------------------------------------------------------------
# Core: element resolution, answer validation, group codes, grouped sums
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Element:
    """A data column recognised as one SKM element (``key`` as in :data:`ELEMENTS`)."""

    column: Hashable
    key: str


@dataclass(frozen=True)
class Groups:
    """Group codes of the rows: one code per row, one key row and one count per group."""

    by: tuple[Hashable, ...]
    codes: np.ndarray  # intp group code of every row
    keys: pd.DataFrame  # one row per group, columns = by (sorted like groupby(sort=True))
    n: np.ndarray  # rows per group

    @property
    def size(self) -> int:
        """Number of groups."""
        return len(self.n)

    def describe(self, g: int) -> str:
        """Name group ``g`` for a message, e.g. ``unit_id='U1', period='2024-S1'``."""
        if not self.by:
            return "all responses"
        row = self.keys.iloc[g]
        return ", ".join(f"{col}={show_value(row[col])}" for col in self.by)


@dataclass(frozen=True)
class Prepared:
    """Checked responses: groups, element columns and the sums per group and element."""

    groups: Groups
    elements: tuple[Element, ...]
    total: np.ndarray  # (G, k) sum of answers
    answered: np.ndarray  # (G, k) number of answers
    rows: np.ndarray | None  # (N, k) answers with NaN for blanks, in input row order

    @property
    def keys(self) -> tuple[str, ...]:
        """Element keys in :data:`ELEMENTS` order."""
        return tuple(e.key for e in self.elements)


def _resolve_elements(
    frame: pd.DataFrame, elements: ElementSpec, problems: list[str]
) -> list[Element]:
    """Map data columns to element keys, in ELEMENTS order."""
    found: dict[str, list[Hashable]] = {}
    if isinstance(elements, Mapping):
        for column, name in elements.items():
            key = _element_key(name)
            if column not in frame.columns:
                problems.append(
                    f"elements= names column {column!r}, which is not in responses "
                    f"(columns: {columns_hint(frame)})"
                )
            if key is None:
                problems.append(
                    f"elements= maps column {column!r} to {name!r}, which is not an element key "
                    f"or alias (keys: {', '.join(ELEMENTS)})"
                )
            if column in frame.columns and key is not None:
                found.setdefault(key, []).append(column)
    else:
        for column in frame.columns:
            key = _element_key(column)
            if key is not None:
                found.setdefault(key, []).append(column)
        if elements is not None:
            if isinstance(elements, str):
                elements = [elements]
            wanted: list[str] = []
            for name in elements:
                key = _element_key(name)
                if key is None:
                    problems.append(
                        f"elements= lists {name!r}, which is not an element key or alias "
                        f"(keys: {', '.join(ELEMENTS)})"
                    )
                elif key in wanted:
                    problems.append(f"elements= lists element {key!r} twice")
                elif key not in found:
                    problems.append(
                        f"elements= asks for element {key!r}, but no column of responses is named "
                        f"{key!r} or an alias of it (columns: {columns_hint(frame)})"
                    )
                else:
                    wanted.append(key)
            found = {key: cols for key, cols in found.items() if key in wanted}
    for key, cols in found.items():
        if len(cols) > 1:
            problems.append(
                f"columns {', '.join(map(repr, cols))} all map to element {key!r}: keep one "
                "(or pass elements= to choose)"
            )
    if not found and not any("elements=" in p for p in problems):
        problems.append(
            "responses has no element column: expected columns named after the elements "
            f"({', '.join(ELEMENTS)}) or their aliases; got {columns_hint(frame)}. "
            "Map other names with elements={column: key}."
        )
    return [Element(found[key][0], key) for key in ELEMENTS if key in found]


@dataclass(frozen=True)
class _Answers:
    """One validated element column: answers with blanks as 0, and where the blanks are."""

    filled: np.ndarray  # answers as stored (integers stay integers), 0 for a blank
    blank: np.ndarray | None  # True for a blank answer; None when nothing is blank
    with_nan: np.ndarray | None  # float answers with NaN for blanks, when already at hand

    def as_float(self) -> np.ndarray:
        """Return the answers as float64 with NaN for blanks (what the bootstrap resamples)."""
        if self.with_nan is not None:
            return self.with_nan
        x = self.filled.astype(np.float64)
        if self.blank is not None:
            x[self.blank] = np.nan
        return x


def _integer_answers(series: pd.Series, label: str, problems: list[str]) -> _Answers | None:
    """Check integer-typed answers by a min and a max: no float copy, no mask.

    NumPy integers are used as they are; nullable integers (``Int8``, ``int64[pyarrow]``) give
    their blanks as a mask and their values as int64.
    """
    if isinstance(series.dtype, np.dtype):
        values, blank = series.to_numpy(), None
        lo, hi = (int(values.min()), int(values.max())) if len(values) else (ANSWER_MIN,) * 2
    else:
        missing = series.isna().to_numpy(dtype=bool)
        blank = missing if missing.any() else None
        values = series.to_numpy(dtype=np.int64, na_value=0)
        lo, hi = (ANSWER_MIN, ANSWER_MIN) if missing.all() else (series.min(), series.max())
    if ANSWER_MIN <= lo and hi <= ANSWER_MAX:
        return _Answers(values, blank, None)
    bad = (values < ANSWER_MIN) | (values > ANSWER_MAX)
    if blank is not None:
        bad &= ~blank
    rows, count = locate(series.index, bad)
    problems.append(
        f"{label}: {count} answer(s) outside {ANSWER_MIN}-{ANSWER_MAX} or not whole numbers, "
        f"at index {rows}: values {show_list(values[bad][:SHOW].tolist(), count)}"
    )
    return None


def _is_integer_dtype(dtype: Any) -> bool:
    return pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _answers(series: pd.Series, element: Element, problems: list[str]) -> _Answers | None:
    """Validate one element column (whole numbers 1-4 or blank); None after a problem."""
    label = f"column {element.column!r} (element {element.key!r})"
    dtype = series.dtype
    non_numeric: np.ndarray | None = None
    if pd.api.types.is_bool_dtype(dtype):
        problems.append(f"{label}: answers are true/false values; expected whole numbers 1-4")
        return None
    if _is_integer_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        return _integer_answers(series, label, problems)
    if isinstance(dtype, np.dtype) and dtype.kind in "fiu":
        x = series.to_numpy(dtype=np.float64, copy=False)
    elif pd.api.types.is_numeric_dtype(dtype):
        x = series.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        raw = series.astype(object)
        blank = raw.map(lambda v: isinstance(v, str) and not v.strip()).astype(bool)
        raw = raw.mask(blank)
        numeric = pd.to_numeric(raw, errors="coerce")
        x = numeric.to_numpy(dtype=np.float64, na_value=np.nan)
        non_numeric = np.isnan(x) & raw.notna().to_numpy()
        if non_numeric.any():
            rows, count = locate(series.index, non_numeric)
            problems.append(
                f"{label}: {count} answer(s) are not numbers, at index {rows}: values "
                f"{show_list(raw.to_numpy()[non_numeric][:SHOW], count)}"
            )
    blank = np.isnan(x)
    if blank.all():
        lo = hi = float(ANSWER_MIN)
    else:
        lo, hi = float(np.fmin.reduce(x)), float(np.fmax.reduce(x))
    filled = np.where(blank, 0.0, x)
    ok = ANSWER_MIN <= lo and hi <= ANSWER_MAX
    # The int8 cast is safe once the range is known to be 1-4; it is the fast whole-number check.
    if ok and not np.array_equal(filled.astype(np.int8), filled):
        ok = False
    if not ok:
        bad = ~blank & ~np.isin(x, np.arange(ANSWER_MIN, ANSWER_MAX + 1))
        rows, count = locate(series.index, bad)
        problems.append(
            f"{label}: {count} answer(s) outside {ANSWER_MIN}-{ANSWER_MAX} or not whole numbers, "
            f"at index {rows}: values {show_list(x[bad][:SHOW], count)}"
        )
    if not ok or (non_numeric is not None and non_numeric.any()):
        return None
    return _Answers(filled, blank, x)


def _compact(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Renumber observed codes 0..G-1 in sorted order; return (codes, observed original codes)."""
    if size <= max(4 * len(values), 1 << 20):
        counts = np.bincount(values, minlength=size)
        present = np.flatnonzero(counts)
        if len(present) == size:
            return values, present
        remap = np.full(size, -1, dtype=np.intp)
        remap[present] = np.arange(len(present))
        return remap[values], present
    present, inverse = np.unique(values, return_inverse=True)
    return inverse.astype(np.intp, copy=False), present


def sorted_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Factorize a key column once, numbering its values in sorted order (-1 for a blank).

    The column is hashed once (``pd.factorize``, fast for pyarrow and python strings alike);
    only its few unique values are sorted, and the codes are renumbered by one gather, instead
    of sorting while factorizing. Values that cannot be ordered (mixed types) keep the order
    they are first seen in.

    Examples
    --------
    >>> codes, uniques = sorted_codes(pd.Series(["U2", "U1", None, "U2"]))
    >>> codes.tolist(), uniques.tolist()
    ([1, 0, -1, 1], ['U1', 'U2'])
    """
    codes, uniques = pd.factorize(values, sort=False)
    codes = codes.astype(np.intp, copy=False)
    uniques = pd.Index(uniques)
    try:
        order = uniques.argsort()
    except TypeError:  # mixed types that cannot be ordered
        return codes, uniques
    if (order == np.arange(len(order))).all():
        return codes, uniques
    rank = np.empty(len(order) + 1, dtype=np.intp)
    rank[order] = np.arange(len(order))
    rank[-1] = -1  # code -1 (blank) reads the last entry
    return rank[codes], uniques.take(order)


def group_codes(frame: pd.DataFrame, by: Sequence[Hashable], problems: list[str]) -> Groups | None:
    """Code the groups of ``by`` (sorted like ``groupby(sort=True)``, unobserved keys dropped).

    Rows without a key are appended to ``problems`` (then None is returned), as are no rows.
    """
    n_rows = len(frame)
    if not by:
        keys = pd.DataFrame(index=pd.RangeIndex(1))
        return Groups((), np.zeros(n_rows, dtype=np.intp), keys, np.array([n_rows]))
    parts = []
    failed = False
    for col in by:
        series = frame[col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy().astype(np.intp)
            n_levels = len(series.dtype.categories)

            def make(idx: np.ndarray, dtype: Any = series.dtype) -> Any:
                return pd.Categorical.from_codes(idx, dtype=dtype)
        else:
            codes, uniques = sorted_codes(series)
            n_levels = len(uniques)
            make = uniques.take
        missing = codes < 0
        if missing.any():
            rows, count = locate(frame.index, missing)
            problems.append(
                f"column {col!r} (by=): {count} row(s) have no value, at index {rows}; fill or "
                "drop them first (they would otherwise be left out of every group)"
            )
            failed = True
        parts.append((codes, n_levels, make))
    if failed or n_rows == 0:
        return None
    codes, present = _compact(parts[0][0], parts[0][1])
    components = present[:, None]
    for part_codes, n_levels, _ in parts[1:]:
        combined = codes * n_levels + part_codes
        codes, present = _compact(combined, len(components) * n_levels)
        components = np.column_stack([components[present // n_levels], present % n_levels])
    keys = pd.DataFrame(
        {
            col: make(components[:, i])
            for i, (col, (_, _, make)) in enumerate(zip(by, parts, strict=True))
        }
    )
    return Groups(tuple(by), codes, keys, np.bincount(codes, minlength=len(components)))


def check_frame(responses: Any, problems: list[str], name: str = "responses") -> bool:
    """Raise TypeError unless ``responses`` is a DataFrame; note (and return False) if empty."""
    if not isinstance(responses, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(responses).__name__}")
    if len(responses) == 0:
        problems.append(f"{name} has no rows")
        return False
    return True


def check_by(frame: pd.DataFrame, by_cols: list[Hashable], problems: list[str]) -> bool:
    """Note missing, repeated or clashing ``by`` columns in ``problems``; return True if none."""
    ok = True
    seen: set[Hashable] = set()
    for col in by_cols:
        if col in seen:
            problems.append(f"by= lists column {col!r} twice")
            ok = False
        seen.add(col)
        if col not in frame.columns:
            problems.append(
                f"column {col!r} given in by= is not in responses (columns: {columns_hint(frame)})"
            )
            ok = False
        elif isinstance(frame[col], pd.DataFrame):
            problems.append(f"responses has more than one column named {col!r} (by=)")
            ok = False
        elif col in _OUTPUT_COLUMNS or (isinstance(col, str) and col.startswith("nrr_")):
            problems.append(f"column {col!r} given in by= clashes with an output column; rename it")
            ok = False
    return ok


def prepare(
    responses: pd.DataFrame,
    *,
    by: By,
    elements: ElementSpec,
    keep_rows: bool = False,
    problems: list[str] | None = None,
) -> Prepared:
    """Check the responses and sum the answers per group and element.

    Parameters
    ----------
    responses : pandas.DataFrame
        One row per respondent, as in :func:`asn_analysis.satisfaction.ikm`.
    by, elements
        As in :func:`asn_analysis.satisfaction.ikm`.
    keep_rows : bool, default False
        Also keep the (N, k) answers with NaN for blanks (the bootstrap needs them).
    problems : list of str, optional
        Problems already found by the caller; they are raised together with these.

    Returns
    -------
    Prepared

    Raises
    ------
    SatisfactionInputError
        Listing every problem found (and the caller's).
    """
    problems = [] if problems is None else problems
    has_rows = check_frame(responses, problems)
    by_cols = by_list(by)
    by_ok = check_by(responses, by_cols, problems)
    resolved = _resolve_elements(responses, elements, problems)
    overlap = [e.column for e in resolved if e.column in by_cols]
    if overlap:
        problems.append(f"column(s) {show_list(overlap)} are used both in by= and as elements")
    groups = group_codes(responses, by_cols, problems) if by_ok and has_rows else None
    k = len(resolved)
    n_groups = groups.size if groups is not None else 0
    total = np.zeros((n_groups, k))
    answered = np.zeros((n_groups, k), dtype=np.int64)
    rows = np.empty((len(responses), k)) if keep_rows else None
    for j, element in enumerate(resolved):
        if isinstance(responses[element.column], pd.DataFrame):
            continue  # a repeated column label, already reported as two columns for one element
        got = _answers(responses[element.column], element, problems)
        if got is None or groups is None:
            continue
        total[:, j] = np.bincount(groups.codes, weights=got.filled, minlength=n_groups)
        answered[:, j] = groups.n
        if got.blank is not None:
            answered[:, j] -= np.bincount(groups.codes[got.blank], minlength=n_groups)
        if rows is not None:
            rows[:, j] = got.as_float()
    if problems:
        raise SatisfactionInputError(problems)
    assert groups is not None
    return Prepared(groups, tuple(resolved), total, answered, rows)


def group_nrr(prep: Prepared, on_empty: OnEmpty) -> np.ndarray:
    """Return the (G, k) NRRs; an element without answers raises, or gives NaN with "nan"."""
    with np.errstate(divide="ignore", invalid="ignore"):
        nrr = prep.total / prep.answered
    empty = prep.answered == 0
    if on_empty == "raise" and empty.any():
        g_idx, j_idx = np.nonzero(empty)
        cells = [
            f"{prep.groups.describe(g)}: {prep.elements[j].key!r}"
            for g, j in zip(g_idx[:SHOW], j_idx[:SHOW], strict=True)
        ]
        more = f" ... ({len(g_idx)} in all)" if len(g_idx) > SHOW else ""
        raise SatisfactionInputError(
            "no answers for an element in a group, so its NRR is undefined: "
            f"{'; '.join(cells)}{more}. Use on_empty='nan' to report NaN for these groups, or "
            "elements= to leave the element out (k, and so the weight 1/k, changes)."
        )
    return nrr


def combine(nrr: np.ndarray, weight: Weight) -> np.ndarray:
    """IKM on the 1-4 scale from NRRs (last axis = elements)."""
    if weight == "exact":
        # sum / k rather than sum of NRR * (1/k): exact for equal NRRs (all 4 gives exactly 4.0).
        return nrr.sum(axis=-1) / nrr.shape[-1]
    return (nrr * float(weight)).sum(axis=-1)
