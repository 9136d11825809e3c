"""Citizen satisfaction index (IKM) from the SKM survey, PermenPANRB No. 14 Tahun 2017.

The Survei Kepuasan Masyarakat (SKM) asks service users to rate nine elements (*unsur*) of a
public service from 1 (tidak baik) to 4 (sangat baik). The Indeks Kepuasan Masyarakat (IKM) is the
weighted sum of the element means (*nilai rata-rata per unsur*, NRR), converted to a 25-100 scale
and banded into a quality grade (*mutu*) and a performance label (*kinerja unit pelayanan*).

Elements are recognised by name (key or alias, see :data:`ELEMENTS` and :data:`ALIASES`), never
by position: the order of the nine elements differs between sources and questionnaires.

Everything here is computed with grouped sums (``numpy.bincount``), so ten million answers are
summarised in about a second. Stored numbers are never rounded; the 2-decimal rounding of the
regulation is applied only to decide the category.

References
----------
.. [1] Peraturan Menteri PANRB No. 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan
   Masyarakat Unit Penyelenggara Pelayanan Publik.
.. [2] Krejcie, R. V., & Morgan, D. W. (1970). Determining sample size for research activities.
   *Educational and Psychological Measurement*, 30(3), 607-610.
"""

from __future__ import annotations

import math
import numbers
import re
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, NamedTuple, TypeAlias, get_args, overload

import numpy as np
import pandas as pd
from scipy import sparse, special
from scipy import stats as sps

from asn_analysis.data.schema import SKM_ELEMENTS
from asn_analysis.errors import InputProblems

__all__ = [
    "ALIASES",
    "CATEGORIES",
    "ELEMENTS",
    "ELEMENT_LABELS",
    "Category",
    "SatisfactionInputError",
    "element_change",
    "ikm",
    "ikm_ci",
    "kinerja",
    "krejcie_morgan",
    "mutu",
    "sample_adequacy",
    "weakest_elements",
]

# --------------------------------------------------------------------------------------------
# Constants from PermenPANRB No. 14 Tahun 2017
# --------------------------------------------------------------------------------------------

#: The nine SKM elements (unsur), keyed by name in the order of ``domain.md``.
ELEMENTS: tuple[str, ...] = SKM_ELEMENTS

#: Official name (unsur) of each element key.
ELEMENT_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "persyaratan": "Persyaratan",
        "prosedur": "Sistem, Mekanisme, dan Prosedur",
        "waktu": "Waktu Penyelesaian",
        "biaya": "Biaya/Tarif",
        "produk": "Produk Spesifikasi Jenis Pelayanan",
        "kompetensi": "Kompetensi Pelaksana",
        "perilaku": "Perilaku Pelaksana",
        "pengaduan": "Penanganan Pengaduan, Saran dan Masukan",
        "sarana": "Sarana dan Prasarana",
    }
)

#: Common alternative column names, alias -> element key. Positional names (U1..U9) are
#: deliberately absent: their order differs between questionnaires.
ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "sistem_mekanisme_prosedur": "prosedur",
        "waktu_penyelesaian": "waktu",
        "tarif": "biaya",
        "produk_layanan": "produk",
        "kompetensi_pelaksana": "kompetensi",
        "perilaku_pelaksana": "perilaku",
        "penanganan_pengaduan": "pengaduan",
        "sarana_prasarana": "sarana",
    }
)


class Category(NamedTuple):
    """One band of the IKM category table (PermenPANRB No. 14 Tahun 2017).

    Bounds are inclusive and apply to the converted value rounded to 2 decimals.
    ``ikm_lower`` / ``ikm_upper`` are the 1-4 bounds as printed in the regulation (display only).
    """

    mutu: str
    kinerja: str
    lower: float
    upper: float
    ikm_lower: float
    ikm_upper: float


#: The 14/2017 band table. Not the 2004 bands (43.75 / 62.50 / 81.25), and the C/B cut is 76.61,
#: not 76.00 as in some public calculators.
CATEGORIES: tuple[Category, ...] = (
    Category("A", "Sangat Baik", 88.31, 100.00, 3.5324, 4.00),
    Category("B", "Baik", 76.61, 88.30, 3.0644, 3.532),
    Category("C", "Kurang Baik", 65.00, 76.60, 2.60, 3.064),
    Category("D", "Tidak Baik", 25.00, 64.99, 1.00, 2.5996),
)

ANSWER_MIN = 1
ANSWER_MAX = 4
#: Factor from the 1-4 IKM to the converted 25-100 value.
CONVERSION_FACTOR = 25.0

Weight: TypeAlias = Literal["exact"] | float
OnEmpty: TypeAlias = Literal["raise", "nan"]
CIMethod: TypeAlias = Literal["percentile", "basic", "bca"]
OnMissingPopulation: TypeAlias = Literal["raise", "flag"]
ElementSpec: TypeAlias = Mapping[Hashable, str] | Sequence[str] | None
By: TypeAlias = Hashable | Sequence[Hashable] | None

_SHOW = 5  # rows / values quoted in an error message
_BOOT_CELLS = 4_000_000  # resampled row slots per bootstrap chunk (bounds memory)
_OUTPUT_COLUMNS = frozenset({"n", "ikm", "ikm_converted", "mutu", "kinerja", "element", "rank"})


class SatisfactionInputError(InputProblems):
    """Invalid survey input or option; the message lists every problem found.

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
# Small helpers: messages and option checks
# --------------------------------------------------------------------------------------------


def _fmt_value(value: Any) -> str:
    if isinstance(value, float | np.floating):
        return f"{float(value):g}"
    return repr(value.item() if isinstance(value, np.generic) else value)


def _fmt_list(values: Sequence[Any] | np.ndarray, total: int | None = None) -> str:
    values = list(values)
    total = len(values) if total is None else total
    shown = ", ".join(_fmt_value(v) for v in values[:_SHOW])
    more = f", ... ({total} in all)" if total > _SHOW else ""
    return f"[{shown}{more}]"


def _where(index: pd.Index, mask: np.ndarray) -> tuple[str, int]:
    positions = np.flatnonzero(mask)
    return _fmt_list(index[positions[:_SHOW]].tolist(), len(positions)), len(positions)


def _check_option(name: str, value: Any, alias: Any, problems: list[str]) -> None:
    allowed = get_args(alias)
    if value not in allowed:
        problems.append(f"option {name}={value!r} is not one of {', '.join(map(repr, allowed))}")


def _check_weight(weight: Any, problems: list[str]) -> None:
    if isinstance(weight, str):
        if weight != "exact":
            problems.append(
                f"option weight={weight!r}: use 'exact' (1/k) or a number such as 0.111"
            )
        return
    if (
        isinstance(weight, bool)
        or not isinstance(weight, numbers.Real)
        or not math.isfinite(weight)
        or not 0 < weight <= 1
    ):
        problems.append(f"option weight={weight!r}: must be 'exact' or a number in (0, 1]")


def _check_level(level: Any, problems: list[str]) -> None:
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < level < 1:
        problems.append(f"option level={level!r}: must be a number between 0 and 1, e.g. 0.95")


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


def _by_list(by: By) -> list[Hashable]:
    if by is None:
        return []
    if isinstance(by, str) or not isinstance(by, Sequence):
        return [by]
    return list(by)


def _columns_hint(frame: pd.DataFrame) -> str:
    return _fmt_list(list(frame.columns), frame.shape[1])


# --------------------------------------------------------------------------------------------
# Core: element resolution, answer validation, group codes, grouped sums
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Element:
    column: Hashable
    key: str


@dataclass(frozen=True)
class _Groups:
    by: tuple[Hashable, ...]
    codes: np.ndarray  # intp group code of every row
    keys: pd.DataFrame  # one row per group, columns = by (sorted like groupby(sort=True))
    n: np.ndarray  # rows per group

    @property
    def size(self) -> int:
        return len(self.n)

    def describe(self, g: int) -> str:
        if not self.by:
            return "all responses"
        row = self.keys.iloc[g]
        return ", ".join(f"{col}={_fmt_value(row[col])}" for col in self.by)


@dataclass(frozen=True)
class _Prepared:
    groups: _Groups
    elements: tuple[_Element, ...]
    total: np.ndarray  # (G, k) sum of answers
    answered: np.ndarray  # (G, k) number of answers
    rows: np.ndarray | None  # (N, k) answers with NaN for blanks, in input row order

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(e.key for e in self.elements)


def _resolve_elements(
    frame: pd.DataFrame, elements: ElementSpec, problems: list[str]
) -> list[_Element]:
    """Map data columns to element keys, in ELEMENTS order."""
    found: dict[str, list[Hashable]] = {}
    if isinstance(elements, Mapping):
        for column, name in elements.items():
            key = _element_key(name)
            if column not in frame.columns:
                problems.append(
                    f"elements= names column {column!r}, which is not in responses "
                    f"(columns: {_columns_hint(frame)})"
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
                        f"{key!r} or an alias of it (columns: {_columns_hint(frame)})"
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
            f"({', '.join(ELEMENTS)}) or their aliases; got {_columns_hint(frame)}. "
            "Map other names with elements={column: key}."
        )
    return [_Element(found[key][0], key) for key in ELEMENTS if key in found]


def _answers(
    series: pd.Series, element: _Element, problems: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Validate one element column; return (answers with NaN, zero-filled answers, blank mask)."""
    label = f"column {element.column!r} (element {element.key!r})"
    dtype = series.dtype
    non_numeric: np.ndarray | None = None
    if pd.api.types.is_bool_dtype(dtype):
        problems.append(f"{label}: answers are true/false values; expected whole numbers 1-4")
        return None
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
            rows, count = _where(series.index, non_numeric)
            problems.append(
                f"{label}: {count} answer(s) are not numbers, at index {rows}: values "
                f"{_fmt_list(raw.to_numpy()[non_numeric][:_SHOW], count)}"
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
        rows, count = _where(series.index, bad)
        problems.append(
            f"{label}: {count} answer(s) outside {ANSWER_MIN}-{ANSWER_MAX} or not whole numbers, "
            f"at index {rows}: values {_fmt_list(x[bad][:_SHOW], count)}"
        )
    if not ok or (non_numeric is not None and non_numeric.any()):
        return None
    return x, filled, blank


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


def _group_codes(
    frame: pd.DataFrame, by: Sequence[Hashable], problems: list[str]
) -> _Groups | None:
    n_rows = len(frame)
    if not by:
        keys = pd.DataFrame(index=pd.RangeIndex(1))
        return _Groups((), np.zeros(n_rows, dtype=np.intp), keys, np.array([n_rows]))
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
            try:
                codes, uniques = pd.factorize(series, sort=True)
            except TypeError:  # mixed types that cannot be ordered
                codes, uniques = pd.factorize(series, sort=False)
            codes = codes.astype(np.intp, copy=False)
            n_levels = len(uniques)
            make = uniques.take
        missing = codes < 0
        if missing.any():
            rows, count = _where(frame.index, missing)
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
    return _Groups(tuple(by), codes, keys, np.bincount(codes, minlength=len(components)))


def _check_frame(responses: Any, problems: list[str], name: str = "responses") -> bool:
    if not isinstance(responses, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(responses).__name__}")
    if len(responses) == 0:
        problems.append(f"{name} has no rows")
        return False
    return True


def _check_by(frame: pd.DataFrame, by_cols: list[Hashable], problems: list[str]) -> bool:
    ok = True
    seen: set[Hashable] = set()
    for col in by_cols:
        if col in seen:
            problems.append(f"by= lists column {col!r} twice")
            ok = False
        seen.add(col)
        if col not in frame.columns:
            problems.append(
                f"column {col!r} given in by= is not in responses (columns: {_columns_hint(frame)})"
            )
            ok = False
        elif isinstance(frame[col], pd.DataFrame):
            problems.append(f"responses has more than one column named {col!r} (by=)")
            ok = False
        elif col in _OUTPUT_COLUMNS or (isinstance(col, str) and col.startswith("nrr_")):
            problems.append(f"column {col!r} given in by= clashes with an output column; rename it")
            ok = False
    return ok


def _prepare(
    responses: pd.DataFrame,
    *,
    by: By,
    elements: ElementSpec,
    keep_rows: bool = False,
    problems: list[str] | None = None,
) -> _Prepared:
    problems = [] if problems is None else problems
    has_rows = _check_frame(responses, problems)
    by_cols = _by_list(by)
    by_ok = _check_by(responses, by_cols, problems)
    resolved = _resolve_elements(responses, elements, problems)
    overlap = [e.column for e in resolved if e.column in by_cols]
    if overlap:
        problems.append(f"column(s) {_fmt_list(overlap)} are used both in by= and as elements")
    groups = _group_codes(responses, by_cols, problems) if by_ok and has_rows else None
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
        x, filled, blank = got
        total[:, j] = np.bincount(groups.codes, weights=filled, minlength=n_groups)
        answered[:, j] = groups.n - np.bincount(groups.codes[blank], minlength=n_groups)
        if rows is not None:
            rows[:, j] = x
    if problems:
        raise SatisfactionInputError(problems)
    assert groups is not None
    return _Prepared(groups, tuple(resolved), total, answered, rows)


def _nrr(prep: _Prepared, on_empty: OnEmpty) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        nrr = prep.total / prep.answered
    empty = prep.answered == 0
    if on_empty == "raise" and empty.any():
        g_idx, j_idx = np.nonzero(empty)
        cells = [
            f"{prep.groups.describe(g)}: {prep.elements[j].key!r}"
            for g, j in zip(g_idx[:_SHOW], j_idx[:_SHOW], strict=True)
        ]
        more = f" ... ({len(g_idx)} in all)" if len(g_idx) > _SHOW else ""
        raise SatisfactionInputError(
            "no answers for an element in a group, so its NRR is undefined: "
            f"{'; '.join(cells)}{more}. Use on_empty='nan' to report NaN for these groups, or "
            "elements= to leave the element out (k, and so the weight 1/k, changes)."
        )
    return nrr


def _combine(nrr: np.ndarray, weight: Weight) -> np.ndarray:
    """IKM on the 1-4 scale from NRRs (last axis = elements)."""
    if weight == "exact":
        # sum / k rather than sum of NRR * (1/k): exact for equal NRRs (all 4 gives exactly 4.0).
        return nrr.sum(axis=-1) / nrr.shape[-1]
    return (nrr * float(weight)).sum(axis=-1)


def _converted_range(weight: Weight, k: int) -> tuple[float, float]:
    """Attainable converted range; a printed weight such as 0.111 makes it 24.975-99.9."""
    scale = 1.0 if weight == "exact" else float(weight) * k
    return (
        min(25.0, CONVERSION_FACTOR * ANSWER_MIN * scale),
        max(100.0, CONVERSION_FACTOR * ANSWER_MAX * scale),
    )


# --------------------------------------------------------------------------------------------
# Categories (mutu / kinerja)
# --------------------------------------------------------------------------------------------


def _hundredths(values: np.ndarray) -> np.ndarray:
    """Round half up to 2 decimals, in hundredths, reading the number as its decimal text.

    ``88.305`` is stored in binary as 88.30499999...; spreadsheet ROUND(x; 2) gives 88.31, and so
    does this (the product is first rounded to 6 decimals to remove binary noise).
    """
    return np.floor(np.round(np.asarray(values, dtype=np.float64) * 100.0, 6) + 0.5)


_LOWER_HUNDREDTHS = _hundredths(np.array([c.lower for c in CATEGORIES]))
_ASCENDING = np.argsort(_LOWER_HUNDREDTHS)


def _category_index(
    values: np.ndarray,
    *,
    low: float = 25.0,
    high: float = 100.0,
    name: str = "value",
    index: pd.Index | None = None,
) -> np.ndarray:
    """Index into CATEGORIES for each converted value (-1 for NaN)."""
    h = _hundredths(values)
    nan = np.isnan(h)
    bad = ~nan & ((h < _hundredths(low)) | (h > _hundredths(high)))
    if bad.any():
        flat = bad.ravel()
        where = index if index is not None else pd.RangeIndex(flat.size)
        rows, count = _where(where, flat)
        raise SatisfactionInputError(
            f"{name}: {count} converted IKM value(s) outside {low:g}-{high:g} (after rounding to "
            f"2 decimals), at {'index' if index is not None else 'position'} {rows}: values "
            f"{_fmt_list(np.asarray(values, dtype=float).ravel()[flat][:_SHOW], count)}"
        )
    pos = np.searchsorted(_LOWER_HUNDREDTHS[_ASCENDING], np.where(nan, 0.0, h), side="right") - 1
    # Below 25.00 only with a printed weight (k * w < 1): still the lowest band.
    idx = _ASCENDING[np.clip(pos, 0, None)]
    return np.where(nan, -1, idx)


def _labels(idx: np.ndarray, field: Literal["mutu", "kinerja"]) -> np.ndarray:
    table = np.array([getattr(c, field) for c in CATEGORIES] + [None], dtype=object)
    return table[idx]


def _categorise(value: Any, field: Literal["mutu", "kinerja"]) -> Any:
    if isinstance(value, pd.Series):
        name = f"Series {value.name!r}" if value.name is not None else "Series"
        numeric = pd.to_numeric(value, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        text = np.isnan(numeric) & value.notna().to_numpy()
        if text.any():
            rows, count = _where(value.index, text)
            raise SatisfactionInputError(
                f"{name}: {count} value(s) are not numbers, at index {rows}: "
                f"{_fmt_list(value.to_numpy()[text][:_SHOW], count)}"
            )
        idx = _category_index(numeric, name=name, index=value.index)
        return pd.Series(_labels(idx, field), index=value.index, name=field, dtype="str")
    if np.ndim(value) == 0:
        if value is None or (isinstance(value, numbers.Real) and math.isnan(value)):
            return None
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise SatisfactionInputError(f"value {value!r} is not a number")
        return _labels(_category_index(np.array([float(value)])), field)[0]
    arr = np.asarray(value, dtype=np.float64)
    return _labels(_category_index(arr, name="array"), field)


@overload
def mutu(value: pd.Series) -> pd.Series: ...
@overload
def mutu(value: float | None) -> str | None: ...
@overload
def mutu(value: np.ndarray | Sequence[float]) -> np.ndarray: ...
def mutu(value: Any) -> Any:
    """Return the quality grade (mutu pelayanan, A-D) of converted IKM values.

    Parameters
    ----------
    value : float, array-like or pandas.Series
        Converted IKM (25-100).

    Returns
    -------
    str, numpy.ndarray or pandas.Series
        ``"A"``, ``"B"``, ``"C"`` or ``"D"``; an object array of the same shape for array input; a
        string Series with the same index for a Series. NaN gives ``None`` (NaN in a Series).

    Raises
    ------
    SatisfactionInputError
        If a value rounds to less than 25.00 or more than 100.00, or is not a number.

    Notes
    -----
    The value is rounded half up to 2 decimals (as the spreadsheet ROUND does, reading 88.305 as
    the decimal 88.305, so it becomes 88.31) and then banded with inclusive lower bounds
    (:data:`CATEGORIES`): 88.31-100 A, 76.61-88.30 B, 65.00-76.60 C, 25.00-64.99 D.
    Stored values are never rounded; only the band decision uses the rounded value.

    References
    ----------
    .. [1] PermenPANRB No. 14 Tahun 2017, Lampiran: nilai persepsi, interval konversi IKM, mutu
       pelayanan dan kinerja unit pelayanan.

    Examples
    --------
    >>> from asn_analysis.satisfaction import mutu
    >>> mutu(76.60), mutu(76.61), mutu(88.305)
    ('C', 'B', 'A')
    >>> mutu([64.99, 65.0, float("nan")]).tolist()
    ['D', 'C', None]
    """
    return _categorise(value, "mutu")


@overload
def kinerja(value: pd.Series) -> pd.Series: ...
@overload
def kinerja(value: float | None) -> str | None: ...
@overload
def kinerja(value: np.ndarray | Sequence[float]) -> np.ndarray: ...
def kinerja(value: Any) -> Any:
    """Return the performance label (kinerja unit pelayanan) of converted IKM values.

    Parameters
    ----------
    value : float, array-like or pandas.Series
        Converted IKM (25-100).

    Returns
    -------
    str, numpy.ndarray or pandas.Series
        ``"Sangat Baik"``, ``"Baik"``, ``"Kurang Baik"`` or ``"Tidak Baik"``, shaped as in
        :func:`mutu`. NaN gives ``None`` (NaN in a Series).

    Raises
    ------
    SatisfactionInputError
        If a value rounds to less than 25.00 or more than 100.00, or is not a number.

    Notes
    -----
    Same rounding and bands as :func:`mutu`: A Sangat Baik, B Baik, C Kurang Baik, D Tidak Baik.

    References
    ----------
    .. [1] PermenPANRB No. 14 Tahun 2017, Lampiran: mutu pelayanan dan kinerja unit pelayanan.

    Examples
    --------
    >>> import pandas as pd
    >>> from asn_analysis.satisfaction import kinerja
    >>> kinerja(88.31)
    'Sangat Baik'
    >>> kinerja(pd.Series([70.0, 80.0], index=["U1", "U2"])).to_dict()
    {'U1': 'Kurang Baik', 'U2': 'Baik'}
    """
    return _categorise(value, "kinerja")


# --------------------------------------------------------------------------------------------
# IKM
# --------------------------------------------------------------------------------------------


def _ikm_table(prep: _Prepared, weight: Weight, on_empty: OnEmpty) -> pd.DataFrame:
    nrr = _nrr(prep, on_empty)
    index_1_4 = _combine(nrr, weight)
    converted = index_1_4 * CONVERSION_FACTOR
    low, high = _converted_range(weight, len(prep.elements))
    cat = _category_index(converted, low=low, high=high, name="ikm_converted")
    columns: dict[Hashable, Any] = {col: prep.groups.keys[col] for col in prep.groups.by}
    columns["n"] = prep.groups.n.astype(np.int64)
    for j, key in enumerate(prep.keys):
        columns[f"nrr_{key}"] = nrr[:, j]
    columns["ikm"] = index_1_4
    columns["ikm_converted"] = converted
    columns["mutu"] = pd.array(_labels(cat, "mutu"), dtype="str")
    columns["kinerja"] = pd.array(_labels(cat, "kinerja"), dtype="str")
    return pd.DataFrame(columns, index=pd.RangeIndex(prep.groups.size))


def ikm(
    responses: pd.DataFrame,
    *,
    by: By = None,
    elements: ElementSpec = None,
    weight: Weight = "exact",
    on_empty: OnEmpty = "raise",
) -> pd.DataFrame:
    r"""Compute the citizen satisfaction index (IKM) per group.

    Parameters
    ----------
    responses : pandas.DataFrame
        One row per respondent (the ``skm_responses`` table). Element columns hold answers 1-4,
        blank (NaN) when not answered; other columns are ignored unless named in `by`.
    by : column name or list of column names, optional
        Grouping, e.g. ``["unit_id", "period"]``. ``None`` (default) gives one row for all
        responses. Groups are sorted by key; unobserved categories give no row.
    elements : dict or list, optional
        ``None`` (default): every column named after an element key or alias (case-insensitive,
        spaces or hyphens read as ``_``). A list of keys/aliases uses that subset. A dict
        ``{column: key}`` maps other column names and uses exactly those columns.
    weight : {"exact"} or float, default "exact"
        ``"exact"`` weighs each of the k elements used 1/k. A number (e.g. ``0.111``, as printed
        in official spreadsheets) is used as the weight of every element.
    on_empty : {"raise", "nan"}, default "raise"
        What to do when an element has no answers in a group: raise (naming group and element),
        or give NaN for that NRR and for the group's IKM and categories.

    Returns
    -------
    pandas.DataFrame
        One row per group, columns ``[*by, "n", "nrr_<key>" ..., "ikm", "ikm_converted", "mutu",
        "kinerja"]``. ``n`` counts respondents (rows) in the group; NRR columns follow the order
        of :data:`ELEMENTS` whatever the column order of `responses`. Nothing is rounded.

    Raises
    ------
    SatisfactionInputError
        Listing every problem: no rows; no element column; a column named twice for one element;
        an unknown element in `elements`; a `by` column that is missing or has blank keys;
        answers that are not whole numbers 1-4 (naming column, index labels and values); an
        element without answers in a group (with ``on_empty="raise"``); an invalid option.

    Notes
    -----
    For element :math:`j` answered by :math:`n_j` respondents of a group,

    .. math::

        NRR_j = \frac{1}{n_j} \sum_i x_{ij}, \qquad
        IKM = \sum_{j=1}^{k} w \, NRR_j, \qquad
        IKM_{konversi} = 25 \times IKM,

    with :math:`w = 1/k` by default. Blank answers are left out of that element's mean only
    (the respondent still counts in ``n`` and in the other elements). ``mutu`` and ``kinerja``
    come from the converted value rounded to 2 decimals (see :func:`mutu`). With a printed weight
    such as 0.111 the attainable range is 24.975-99.9; values below 25 are then band D.

    The sums are grouped with ``numpy.bincount`` (no loop over groups): ten million responses
    by unit and period take about a second (``benchmarks/bench_ikm.py``).

    References
    ----------
    .. [1] PermenPANRB No. 14 Tahun 2017, Lampiran: pengolahan data survei (NRR, NRR tertimbang,
       bobot 1/jumlah unsur, IKM unit pelayanan x 25).

    Examples
    --------
    Four respondents of two units; one did not answer *waktu*:

    >>> import pandas as pd
    >>> from asn_analysis.satisfaction import ELEMENTS, ikm
    >>> answers = {key: [3, 4, 3, 3] for key in ELEMENTS}
    >>> answers["waktu"] = [2, 3, 2, None]
    >>> df = pd.DataFrame({"unit_id": ["U1", "U1", "U2", "U2"], **answers})
    >>> table = ikm(df, by="unit_id")
    >>> table[["unit_id", "n", "nrr_waktu", "ikm_converted", "mutu", "kinerja"]]
      unit_id  n  nrr_waktu  ikm_converted mutu      kinerja
    0      U1  2        2.5      84.722222    B         Baik
    1      U2  2        2.0      72.222222    C  Kurang Baik

    By hand for U2: eight NRRs of 3 and one of 2 sum to 26; 26 / 9 x 25 = 72.22 (C).
    The spreadsheet weight 0.111 moves the first decimal (28.333 x 0.111 x 25 = 78.625):

    >>> [round(float(ikm(df, weight=w)["ikm_converted"].iloc[0]), 4) for w in ("exact", 0.111)]
    [78.7037, 78.625]
    """
    problems: list[str] = []
    _check_weight(weight, problems)
    _check_option("on_empty", on_empty, OnEmpty, problems)
    prep = _prepare(responses, by=by, elements=elements, problems=problems)
    return _ikm_table(prep, weight, on_empty)


# --------------------------------------------------------------------------------------------
# Bootstrap confidence intervals
# --------------------------------------------------------------------------------------------


def _bootstrap_ikm(
    codes: np.ndarray,
    rows: np.ndarray,
    n_groups: int,
    weight: Weight,
    n_boot: int,
    rng: np.random.Generator,
    *,
    strategy: Literal["auto", "dense", "sparse"] = "auto",
) -> np.ndarray:
    """Replicates (n_boot, G) of the 1-4 IKM, resampling respondents within each group.

    Each replicate draws n_g rows with replacement inside every group (exact multinomial
    resampling of row indices). Draws for all groups come from one ``rng.random`` stream in a fixed
    order, so the result depends neither on the chunk size nor on the strategy. The resampled
    per-group sums are resampling counts (chunk x N) times each row's answers and answered flags:
    one BLAS product per group ("dense", fast for groups of dozens of respondents or more) or one
    sparse product against a block matrix ("sparse", for many small groups).
    """
    n_rows, k = rows.shape
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    sizes = np.bincount(codes, minlength=n_groups)
    starts = np.cumsum(sizes) - sizes
    sorted_rows = rows[order]
    answered = ~np.isnan(sorted_rows)
    design = np.hstack([np.where(answered, sorted_rows, 0.0), answered.astype(np.float64)])
    width = 2 * k
    if strategy == "auto":
        strategy = "dense" if n_rows >= 32 * n_groups else "sparse"
    design_t = None
    if strategy == "sparse":
        design_t = sparse.csr_array(
            (
                design.ravel(),
                (
                    (sorted_codes[:, None] * width + np.arange(width)).ravel(),
                    np.repeat(np.arange(n_rows), width),
                ),
            ),
            shape=(n_groups * width, n_rows),
        )
    row_size = sizes[sorted_codes]
    row_size_f = row_size.astype(np.float64)
    row_start = starts[sorted_codes]
    chunk = max(1, min(n_boot, _BOOT_CELLS // max(n_rows, 1)))
    out = np.empty((n_boot, n_groups))
    for b0 in range(0, n_boot, chunk):
        c = min(chunk, n_boot - b0)
        u = rng.random((c, n_rows))
        u *= row_size_f
        draw = u.astype(np.intp)
        del u
        np.minimum(draw, row_size - 1, out=draw)  # guard against u * n rounding up to n
        draw += row_start
        draw += (np.arange(c, dtype=np.intp) * n_rows)[:, None]
        counts = np.bincount(draw.ravel(), minlength=c * n_rows).reshape(c, n_rows)
        counts = counts.astype(np.float64)
        if design_t is None:
            sums = np.empty((c, n_groups, width))
            for g in range(n_groups):
                rows_g = slice(starts[g], starts[g] + sizes[g])
                sums[:, g] = counts[:, rows_g] @ design[rows_g]
        else:
            sums = (design_t @ np.ascontiguousarray(counts.T)).T.reshape(c, n_groups, width)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[b0 : b0 + c] = _combine(sums[..., :k] / sums[..., k:], weight)
    return out


def _column_quantiles(sorted_reps: np.ndarray, n_valid: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Linear-interpolation quantile q[g] of column g among its first n_valid[g] sorted values."""
    n_cols = sorted_reps.shape[1]
    out = np.full(n_cols, np.nan)
    ok = (n_valid > 0) & np.isfinite(q)
    pos = np.clip(q, 0.0, 1.0) * np.maximum(n_valid - 1, 0)
    lo = np.floor(np.where(ok, pos, 0.0)).astype(np.intp)
    hi = np.minimum(lo + 1, np.maximum(n_valid - 1, 0))
    frac = np.where(ok, pos, 0.0) - lo
    cols = np.arange(n_cols)
    value = sorted_reps[lo, cols] * (1 - frac) + sorted_reps[hi, cols] * frac
    # interpolation between equal neighbours must give that value exactly
    value = np.where(sorted_reps[lo, cols] == sorted_reps[hi, cols], sorted_reps[lo, cols], value)
    out[ok] = value[ok]
    return out


def _jackknife_acceleration(prep: _Prepared, weight: Weight, theta: np.ndarray) -> np.ndarray:
    """BCa acceleration per group from leave-one-respondent-out estimates."""
    assert prep.rows is not None
    codes = prep.groups.codes
    answered = ~np.isnan(prep.rows)
    values = np.where(answered, prep.rows, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        loo = _combine((prep.total[codes] - values) / (prep.answered[codes] - answered), weight)
    finite = np.isfinite(loo)
    g = prep.groups.size
    m = np.bincount(codes[finite], minlength=g)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.bincount(codes[finite], weights=loo[finite], minlength=g) / m
        d = np.where(finite, mean[codes] - loo, 0.0)
        num = np.bincount(codes, weights=d**3, minlength=g)
        den = 6.0 * np.bincount(codes, weights=d**2, minlength=g) ** 1.5
        accel = np.where(den > 0, num / den, 0.0)
    return np.where(np.isfinite(theta), accel, np.nan)


def ikm_ci(
    responses: pd.DataFrame,
    *,
    by: By = None,
    elements: ElementSpec = None,
    weight: Weight = "exact",
    level: float = 0.95,
    n_boot: int = 2000,
    random_state: int | np.random.Generator | None = 0,
    method: CIMethod = "percentile",
    on_empty: OnEmpty = "raise",
) -> pd.DataFrame:
    """Compute the IKM table with bootstrap standard errors and confidence intervals.

    Parameters
    ----------
    responses : pandas.DataFrame
        As in :func:`ikm`.
    by, elements, weight, on_empty
        As in :func:`ikm`.
    level : float, default 0.95
        Confidence level.
    n_boot : int, default 2000
        Bootstrap replicates.
    random_state : int, numpy.random.Generator or None, default 0
        Seed of the single generator used for all groups; the same seed gives the same intervals.
    method : {"percentile", "basic", "bca"}, default "percentile"
        Percentile interval; basic (reverse percentile) interval; or bias-corrected and
        accelerated (acceleration from the leave-one-respondent-out jackknife).

    Returns
    -------
    pandas.DataFrame
        The :func:`ikm` table plus ``ikm_se``, ``ikm_ci_low``, ``ikm_ci_high`` (1-4 scale) and
        ``ikm_converted_se``, ``ikm_converted_ci_low``, ``ikm_converted_ci_high`` (25-100;
        exactly 25 times the former). The SE is the standard deviation of the replicates.

    Raises
    ------
    SatisfactionInputError
        As :func:`ikm`, and for an invalid `level`, `n_boot` or `method`.

    Warns
    -----
    RuntimeWarning
        When some replicates of a group are dropped because a rarely answered element got no
        answers in the resample (the interval is then conditional on it being answered).

    Notes
    -----
    Respondents of a group are resampled with replacement (n_g draws, exact multinomial
    resampling of rows) and the IKM is recomputed from the resampled answers, so the interval
    reflects the correlation between a respondent's answers and the blanks. This assumes the
    respondents are an i.i.d. sample from the group's service users. In practice SKM respondents
    are whoever used the service on survey days and agreed to answer, not a simple random
    sample: the interval covers sampling noise only, not selection bias. Groups are resampled
    independently, with one generator in a fixed order, so a group's interval also depends on the
    other groups in the call (not on chunking). About 2 s for 240 groups x 300 respondents x 2000
    replicates.

    References
    ----------
    .. [1] PermenPANRB No. 14 Tahun 2017 (the IKM computed on each replicate).
    .. [2] Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman &
       Hall, ch. 13-14 (percentile, BCa).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from asn_analysis.satisfaction import ELEMENTS, ikm_ci
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame({key: rng.integers(2, 5, 60) for key in ELEMENTS})
    >>> table = ikm_ci(df, n_boot=500)
    >>> row = table.iloc[0]
    >>> bool(row.ikm_converted_ci_low < row.ikm_converted < row.ikm_converted_ci_high)
    True
    >>> round(float(row.ikm_converted_se), 1)
    1.0
    """
    problems: list[str] = []
    _check_weight(weight, problems)
    _check_level(level, problems)
    _check_option("method", method, CIMethod, problems)
    _check_option("on_empty", on_empty, OnEmpty, problems)
    if isinstance(n_boot, bool) or not isinstance(n_boot, numbers.Integral) or n_boot < 2:
        problems.append(f"option n_boot={n_boot!r}: must be a whole number of at least 2")
    prep = _prepare(responses, by=by, elements=elements, keep_rows=True, problems=problems)
    table = _ikm_table(prep, weight, on_empty)
    theta = table["ikm"].to_numpy()
    assert prep.rows is not None
    rng = np.random.default_rng(random_state)
    reps = _bootstrap_ikm(prep.groups.codes, prep.rows, prep.groups.size, weight, int(n_boot), rng)
    finite = np.isfinite(reps)
    n_valid = finite.sum(axis=0)
    dropped = np.isfinite(theta) & (n_valid < n_boot)
    if dropped.any():
        where = [prep.groups.describe(g) for g in np.flatnonzero(dropped)[:_SHOW]]
        warnings.warn(
            f"{int(dropped.sum())} group(s) lost bootstrap replicates in which an element had no "
            f"answers (e.g. {'; '.join(where)}); their intervals use the remaining replicates",
            RuntimeWarning,
            stacklevel=2,
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(finite, reps, 0.0).sum(axis=0) / n_valid
        var = np.where(finite, (reps - mean) ** 2, 0.0).sum(axis=0) / (n_valid - 1)
    se = np.where(n_valid > 1, np.sqrt(var), np.nan)
    sorted_reps = np.sort(reps, axis=0)  # NaN last
    alpha = (1.0 - level) / 2.0
    q_low = np.full(prep.groups.size, alpha)
    q_high = np.full(prep.groups.size, 1.0 - alpha)
    if method == "bca":
        below = np.where(finite, reps < theta, False).sum(axis=0)
        ties = np.where(finite, reps == theta, False).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            z0 = special.ndtri((below + 0.5 * ties) / n_valid)
        accel = _jackknife_acceleration(prep, weight, theta)
        for q in (q_low, q_high):
            z = special.ndtri(q)
            with np.errstate(invalid="ignore", divide="ignore"):
                q[:] = special.ndtr(z0 + (z0 + z) / (1.0 - accel * (z0 + z)))
    low = _column_quantiles(sorted_reps, n_valid, q_low)
    high = _column_quantiles(sorted_reps, n_valid, q_high)
    if method == "basic":
        low, high = 2.0 * theta - high, 2.0 * theta - low
    nan = ~np.isfinite(theta)
    for arr in (se, low, high):
        arr[nan] = np.nan
    factor = CONVERSION_FACTOR
    extra = {
        "ikm_se": se,
        "ikm_ci_low": low,
        "ikm_ci_high": high,
        "ikm_converted_se": se * factor,
        "ikm_converted_ci_low": low * factor,
        "ikm_converted_ci_high": high * factor,
    }
    return table.assign(**extra)


# --------------------------------------------------------------------------------------------
# Sample size (Krejcie & Morgan) and adequacy
# --------------------------------------------------------------------------------------------


@overload
def krejcie_morgan(
    population: float, *, chi2: float = ..., p: float = ..., d: float = ...
) -> int: ...
@overload
def krejcie_morgan(
    population: pd.Series, *, chi2: float = ..., p: float = ..., d: float = ...
) -> pd.Series: ...
@overload
def krejcie_morgan(
    population: np.ndarray | Sequence[float], *, chi2: float = ..., p: float = ..., d: float = ...
) -> np.ndarray: ...
def krejcie_morgan(population: Any, *, chi2: float = 3.841, p: float = 0.5, d: float = 0.05) -> Any:
    r"""Return the required sample size for a population (Krejcie & Morgan table).

    Parameters
    ----------
    population : int, array-like or pandas.Series
        Population size N (e.g. service users per semester), a whole number of at least 1.
    chi2 : float, default 3.841
        Chi-square value for 1 degree of freedom at the confidence level (3.841 for 95 %).
    p : float, default 0.5
        Population proportion assumed (0.5 gives the largest sample).
    d : float, default 0.05
        Margin of error.

    Returns
    -------
    int, numpy.ndarray or pandas.Series
        Required sample size s, rounded to the nearest integer (halves up), as in the published
        table. Arrays give an int64 array of the same shape; a Series keeps its index.

    Raises
    ------
    SatisfactionInputError
        If a population is missing, not a whole number, or less than 1, or an option is out of
        range.

    Notes
    -----
    .. math::

        s = \frac{\chi^2 N P (1 - P)}{d^2 (N - 1) + \chi^2 P (1 - P)}

    Rounding to the nearest integer (not up) reproduces the published table: N = 30 -> 28,
    N = 300 -> 169, N = 1,000,000 -> 384. PermenPANRB No. 14 Tahun 2017 uses this table for the
    SKM sample.

    References
    ----------
    .. [1] Krejcie, R. V., & Morgan, D. W. (1970). Determining sample size for research
       activities. *Educational and Psychological Measurement*, 30(3), 607-610.
    .. [2] PermenPANRB No. 14 Tahun 2017, Lampiran: penentuan besaran sampel.

    Examples
    --------
    >>> from asn_analysis.satisfaction import krejcie_morgan
    >>> krejcie_morgan(300)
    169
    >>> krejcie_morgan([15, 100, 2200, 1_000_000]).tolist()
    [14, 80, 327, 384]
    """
    problems: list[str] = []
    for name, value, lo, hi in (
        ("chi2", chi2, 0.0, math.inf),
        ("p", p, 0.0, 1.0),
        ("d", d, 0.0, 1.0),
    ):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not lo < value < hi:
            problems.append(f"option {name}={value!r}: must be a number in ({lo:g}, {hi:g})")
    is_series = isinstance(population, pd.Series)
    index = population.index if is_series else None
    try:
        if is_series:
            n = population.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            n = np.asarray(population, dtype=np.float64)
    except (TypeError, ValueError):
        raise SatisfactionInputError(f"population {population!r} is not numeric") from None
    bad = ~np.isfinite(n) | (n < 1) | (n != np.floor(n))
    if bad.any():
        flat = bad.ravel()
        rows, count = _where(index if index is not None else pd.RangeIndex(flat.size), flat)
        where = f" at {'index' if index is not None else 'position'} {rows}" if n.ndim else ""
        problems.append(
            f"population: {count} value(s) missing, not whole or below 1{where}: "
            f"{_fmt_list(n.ravel()[flat][:_SHOW], count)}"
        )
    if problems:
        raise SatisfactionInputError(problems)
    pq = p * (1.0 - p)
    s = chi2 * n * pq / (d**2 * (n - 1.0) + chi2 * pq)
    size = np.floor(s + 0.5).astype(np.int64)
    if is_series:
        return pd.Series(size, index=index, name="required")
    if size.ndim == 0:
        return int(size)
    return size


def sample_adequacy(
    responses: pd.DataFrame,
    population: pd.DataFrame | Mapping[Hashable, float],
    *,
    by: By = ("unit_id", "period"),
    population_col: Hashable = "service_users_per_semester",
    unit_col: Hashable = "unit_id",
    on_missing: OnMissingPopulation = "raise",
) -> pd.DataFrame:
    """Compare respondents per group with the Krejcie-Morgan sample size.

    Parameters
    ----------
    responses : pandas.DataFrame
        One row per respondent; needs the `by` columns.
    population : pandas.DataFrame or mapping
        Either a table with `unit_col` and `population_col` (the ``units`` table) or a mapping
        ``{unit_id: N}``.
    by : column name or list of column names, default ("unit_id", "period")
        Groups; must include `unit_col`. The population is per semester, so group by semester.
    population_col : column name, default "service_users_per_semester"
        Population column of a `population` table.
    unit_col : column name, default "unit_id"
        Unit column, in `responses` and in a `population` table.
    on_missing : {"raise", "flag"}, default "raise"
        Units without a population: raise naming them, or keep their rows with missing
        population, required, shortfall, adequacy and share (never dropped).

    Returns
    -------
    pandas.DataFrame
        One row per group: ``[*by, "n_respondents", "population", "required", "shortfall",
        "adequate", "share_of_required"]``. ``n_respondents`` counts rows (questionnaires);
        ``required`` is :func:`krejcie_morgan` of the population; ``shortfall`` is
        ``max(required - n_respondents, 0)``; ``adequate`` is ``n_respondents >= required``;
        ``share_of_required`` is ``n_respondents / required``. Counts are nullable ``Int64`` and
        ``adequate`` is nullable ``boolean`` so that flagged rows can hold missing values.

    Raises
    ------
    SatisfactionInputError
        Missing columns, `unit_col` not in `by`, blank group keys, a unit listed twice with
        different populations, invalid populations, or (with ``on_missing="raise"``) units
        without a population.

    Notes
    -----
    Krejcie-Morgan gives the sample needed to estimate a proportion within +/- 5 points at
    95 % confidence, for a simple random sample. It is the size PermenPANRB No. 14 Tahun 2017
    refers to; it says nothing about how respondents were selected.

    References
    ----------
    .. [1] PermenPANRB No. 14 Tahun 2017, Lampiran: penentuan besaran sampel.
    .. [2] Krejcie, R. V., & Morgan, D. W. (1970). *Educational and Psychological Measurement*,
       30(3), 607-610.

    Examples
    --------
    >>> import pandas as pd
    >>> from asn_analysis.satisfaction import sample_adequacy
    >>> df = pd.DataFrame({"unit_id": ["U1"] * 150 + ["U2"] * 20, "period": "2024-S1"})
    >>> units = pd.DataFrame({"unit_id": ["U1", "U2"], "service_users_per_semester": [250, 30]})
    >>> sample_adequacy(df, units)[["unit_id", "n_respondents", "required", "adequate"]]
      unit_id  n_respondents  required  adequate
    0      U1            150       152     False
    1      U2             20        28     False
    """
    problems: list[str] = []
    _check_option("on_missing", on_missing, OnMissingPopulation, problems)
    has_rows = _check_frame(responses, problems)
    by_cols = _by_list(by)
    by_ok = _check_by(responses, by_cols, problems)
    if unit_col not in by_cols:
        problems.append(f"unit_col={unit_col!r} must be one of the by= columns {by_cols!r}")
        by_ok = False
    lookup: dict[Any, float] = {}
    if isinstance(population, pd.DataFrame):
        missing_cols = [c for c in (unit_col, population_col) if c not in population.columns]
        if missing_cols:
            problems.append(
                f"population table lacks column(s) {_fmt_list(missing_cols)} (columns: "
                f"{_columns_hint(population)})"
            )
        else:
            values = pd.to_numeric(population[population_col], errors="coerce")
            table = pd.DataFrame(
                {"unit": population[unit_col].astype(object).to_numpy(), "value": values}
            ).dropna(subset=["value"])
            conflict = table.groupby("unit", sort=True)["value"].nunique()
            conflict = conflict[conflict > 1]
            if len(conflict):
                problems.append(
                    f"population table: units {_fmt_list(conflict.index.tolist())} appear more "
                    f"than once in column {unit_col!r} with different {population_col!r}"
                )
            lookup = dict(zip(table["unit"], table["value"], strict=True))
    elif isinstance(population, Mapping):
        lookup = {unit: np.nan if v is None else v for unit, v in population.items()}
    else:
        kind = type(population).__name__
        raise TypeError(f"population must be a DataFrame or a mapping unit -> N, got {kind}")
    groups = _group_codes(responses, by_cols, problems) if by_ok and has_rows else None
    if groups is None:
        raise SatisfactionInputError(problems)
    units = groups.keys[unit_col].astype(object).to_numpy()
    pop = np.array([lookup.get(u, np.nan) for u in units], dtype=object)
    try:
        pop_f = pop.astype(np.float64)
    except (TypeError, ValueError):
        pop_f = np.array(pd.to_numeric(pd.Series(pop), errors="coerce"), dtype=np.float64)
    known = np.isfinite(pop_f)
    invalid = known & ((pop_f < 1) | (pop_f != np.floor(pop_f)))
    if invalid.any():
        bad_units = list(dict.fromkeys(units[invalid].tolist()))
        problems.append(
            f"population ({population_col!r}): units {_fmt_list(bad_units)} have a population "
            f"below 1 or not whole: {_fmt_list(pop_f[invalid])}"
        )
    if on_missing == "raise" and not known.all():
        missing_units = list(dict.fromkeys(units[~known].tolist()))
        problems.append(
            f"no population ({population_col!r}) for units {_fmt_list(missing_units)} of column "
            f"{unit_col!r}; add them, or pass on_missing='flag' to keep them with missing values"
        )
    if problems:
        raise SatisfactionInputError(problems)
    n = groups.n.astype(np.int64)
    required = np.zeros(len(n), dtype=np.int64)
    if known.any():
        required[known] = krejcie_morgan(pop_f[known])
    out: dict[Hashable, Any] = {col: groups.keys[col] for col in groups.by}
    out["n_respondents"] = n
    out["population"] = pd.array(np.where(known, pop_f, 0).astype(np.int64), dtype="Int64")
    out["required"] = pd.array(required, dtype="Int64")
    out["shortfall"] = pd.array(np.maximum(required - n, 0), dtype="Int64")
    out["adequate"] = pd.array(n >= required, dtype="boolean")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_of_required"] = np.where(known, n / np.where(known, required, 1), np.nan)
    result = pd.DataFrame(out, index=pd.RangeIndex(len(n)))
    for col in ("population", "required", "shortfall", "adequate"):
        result.loc[~known, col] = pd.NA
    return result


# --------------------------------------------------------------------------------------------
# Element diagnostics
# --------------------------------------------------------------------------------------------


def weakest_elements(
    responses: pd.DataFrame,
    *,
    by: By = "unit_id",
    n: int = 3,
    elements: ElementSpec = None,
    on_empty: OnEmpty = "raise",
) -> pd.DataFrame:
    """List each group's lowest-scoring elements (lowest NRR).

    Parameters
    ----------
    responses : pandas.DataFrame
        As in :func:`ikm`.
    by : column name or list of column names, default "unit_id"
        Groups; ``None`` for all responses together.
    n : int, default 3
        Number of lowest ranks to keep per group.
    elements, on_empty
        As in :func:`ikm`. With ``on_empty="nan"`` an element without answers is left out of
        its group's ranking.

    Returns
    -------
    pandas.DataFrame
        Long table ``[*by, "rank", "element", "label", "nrr", "n_answered"]`` sorted by group,
        rank and element order. ``rank`` 1 is the lowest NRR; tied NRRs share the lowest rank
        (``method="min"``), and every element ranked ``<= n`` is kept, so a tie at the cut-off
        returns more than `n` rows rather than dropping one arbitrarily. ``label`` is the
        official unsur name.

    Raises
    ------
    SatisfactionInputError
        As :func:`ikm`, and when `n` is not a whole number of at least 1.

    Notes
    -----
    NRR as in :func:`ikm`. Lowest NRRs point to the unsur to improve first (PermenPANRB
    No. 14 Tahun 2017 asks units to follow up the weakest unsur).

    References
    ----------
    .. [1] PermenPANRB No. 14 Tahun 2017, Lampiran: tindak lanjut hasil SKM.

    Examples
    --------
    >>> import pandas as pd
    >>> from asn_analysis.satisfaction import ELEMENTS, weakest_elements
    >>> answers = {key: [3, 4, 3] for key in ELEMENTS}
    >>> answers["waktu"] = [2, 2, 3]
    >>> answers["sarana"] = [2, 3, 3]
    >>> df = pd.DataFrame({"unit_id": "U1", **answers})
    >>> weakest_elements(df, n=2)[["rank", "element", "nrr"]]
       rank element       nrr
    0     1   waktu  2.333333
    1     2  sarana  2.666667
    """
    problems: list[str] = []
    _check_option("on_empty", on_empty, OnEmpty, problems)
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        problems.append(f"option n={n!r}: must be a whole number of at least 1")
    prep = _prepare(responses, by=by, elements=elements, problems=problems)
    nrr = _nrr(prep, on_empty)
    ranked = np.where(np.isnan(nrr), np.inf, nrr)
    rank = (ranked[:, None, :] < ranked[:, :, None]).sum(axis=2) + 1
    keep = (rank <= n) & ~np.isnan(nrr)
    g_idx, j_idx = np.nonzero(keep)
    order = np.lexsort((j_idx, rank[g_idx, j_idx], g_idx))
    g_idx, j_idx = g_idx[order], j_idx[order]
    keys = np.array(prep.keys, dtype=object)
    out: dict[Hashable, Any] = {
        col: prep.groups.keys[col].iloc[g_idx].reset_index(drop=True) for col in prep.groups.by
    }
    out["rank"] = rank[g_idx, j_idx].astype(np.int64)
    out["element"] = pd.array(keys[j_idx], dtype="str")
    out["label"] = pd.array([ELEMENT_LABELS[k] for k in keys[j_idx]], dtype="str")
    out["nrr"] = nrr[g_idx, j_idx]
    out["n_answered"] = prep.answered[g_idx, j_idx]
    return pd.DataFrame(out, index=pd.RangeIndex(len(g_idx)))


def element_change(
    responses: pd.DataFrame,
    *,
    before: Hashable,
    after: Hashable,
    by: By = "unit_id",
    period_col: Hashable = "period",
    level: float = 0.95,
    elements: ElementSpec = None,
    weight: Weight = "exact",
) -> pd.DataFrame:
    r"""Compare element NRRs and the converted IKM between two periods, per group.

    Parameters
    ----------
    responses : pandas.DataFrame
        As in :func:`ikm`, with a period column.
    before, after : period labels
        Values of `period_col` to compare (e.g. ``"2024-S1"`` and ``"2024-S2"``). Rows of other
        periods are ignored.
    by : column name or list of column names, default "unit_id"
        Groups compared separately; ``None`` for all responses together. Must not include
        `period_col`.
    period_col : column name, default "period"
        Period column.
    level : float, default 0.95
        Confidence level of the intervals.
    elements, weight
        As in :func:`ikm`.

    Returns
    -------
    pandas.DataFrame
        Per group, one row per element then one row ``element="ikm_converted"``: ``[*by,
        "element", "label", "nrr_before", "nrr_after", "diff", "se", "ci_low", "ci_high",
        "pvalue", "n_before", "n_after", "t", "df"]``. For element rows ``nrr_*`` are NRRs
        (1-4) and ``n_*`` count the answers; for the ``ikm_converted`` row they are converted
        IKMs (25-100) and respondent counts. ``diff`` is after minus before; ``pvalue`` is
        two-sided.

    Raises
    ------
    SatisfactionInputError
        As :func:`ikm`; when `period_col` is missing or in `by`, `before` or `after` does not
        occur, `before` equals `after`, a group lacks one of the periods, or an element has no
        answers in a group and period.

    Notes
    -----
    Respondents are assumed independent between the two periods (different people, or
    unlinked questionnaires) and i.i.d. within a group and period.

    *Elements*: Welch's t-test on the answers of the respondents who answered the element:
    :math:`se = \sqrt{s_b^2/n_b + s_a^2/n_a}`, Welch-Satterthwaite degrees of freedom, and
    :math:`diff \pm t_{1-\alpha/2, df} \, se` as interval; the same numbers as
    ``scipy.stats.ttest_ind(after, before, equal_var=False)``. With one answer in a period the
    variance is undefined and se, t, p and the interval are NaN. When both variances are zero,
    df is set to 1 as scipy does.

    *Converted IKM*: delta method (linearisation). With :math:`w_j` the element weight and
    :math:`n_j` the answers to element :math:`j` in the group and period, respondent :math:`i`
    contributes :math:`u_i = 25 \sum_j w_j \, \delta_{ij} (x_{ij} - NRR_j) / n_j`
    (:math:`\delta_{ij}` = 1 if answered) and :math:`\widehat{Var} = n/(n-1) \sum_i u_i^2` over
    the n respondents. This accounts for the correlation between elements and for blanks; without
    blanks it equals the squared standard error of the mean of the respondents' converted scores,
    so the test is then exactly Welch's t-test on those scores. Degrees of freedom are
    Welch-Satterthwaite with :math:`n - 1` per period.

    References
    ----------
    .. [1] Welch, B. L. (1947). The generalization of "Student's" problem when several different
       population variances are involved. *Biometrika*, 34(1-2), 28-35.
    .. [2] Wolter, K. M. (2007). *Introduction to Variance Estimation* (2nd ed.). Springer,
       ch. 6 (Taylor series / linearisation).
    .. [3] PermenPANRB No. 14 Tahun 2017 (NRR and IKM).

    Examples
    --------
    >>> import pandas as pd
    >>> from asn_analysis.satisfaction import ELEMENTS, element_change
    >>> before = {key: [3, 3, 2, 3] for key in ELEMENTS}
    >>> after = {key: [3, 4, 3, 4] for key in ELEMENTS}
    >>> df = pd.concat([
    ...     pd.DataFrame({"unit_id": "U1", "period": "2024-S1", **before}),
    ...     pd.DataFrame({"unit_id": "U1", "period": "2024-S2", **after}),
    ... ])
    >>> out = element_change(df, before="2024-S1", after="2024-S2")
    >>> last = out.iloc[-1]
    >>> last["element"], float(last["nrr_before"]), float(last["nrr_after"]), float(last["diff"])
    ('ikm_converted', 68.75, 87.5, 18.75)
    >>> round(float(last["pvalue"]), 4)  # = ttest_ind([75, 100, 75, 100], [75, 75, 50, 75])
    0.0981
    """
    problems: list[str] = []
    _check_weight(weight, problems)
    _check_level(level, problems)
    _check_frame(responses, problems)
    by_cols = _by_list(by)
    if period_col in by_cols:
        problems.append(f"period_col={period_col!r} must not be one of the by= columns")
    if before == after:
        problems.append(f"before= and after= are the same period {before!r}")
    mask = np.zeros(len(responses), dtype=bool)
    if period_col not in responses.columns:
        problems.append(
            f"column {period_col!r} (period_col) is not in responses (columns: "
            f"{_columns_hint(responses)})"
        )
    else:
        periods = responses[period_col]
        for name, label in (("before", before), ("after", after)):
            hit = (periods == label).to_numpy(dtype=bool, na_value=False)
            if not hit.any():
                seen = pd.unique(periods.dropna())
                problems.append(
                    f"{name}={label!r} does not occur in column {period_col!r} (values: "
                    f"{_fmt_list(sorted(map(str, seen)), len(seen))})"
                )
            mask |= hit
    if problems:
        # validate the rest too, so that one error lists everything
        _prepare(responses, by=by, elements=elements, problems=problems)
    sub = responses.loc[mask]
    prep = _prepare(sub, by=[*by_cols, period_col], elements=elements, keep_rows=True)
    assert prep.rows is not None
    cells = prep.groups
    is_after = (cells.keys[period_col] == after).to_numpy(dtype=bool)
    base = _group_codes(cells.keys, by_cols, problems)
    assert base is not None
    n_groups = base.size
    cell_of = np.full((n_groups, 2), -1, dtype=np.intp)
    cell_of[base.codes, is_after.astype(np.intp)] = np.arange(cells.size)
    lacking = (cell_of < 0).any(axis=1)
    if lacking.any():
        names = [base.describe(g) for g in np.flatnonzero(lacking)[:_SHOW]]
        more = f" ... ({int(lacking.sum())} in all)" if lacking.sum() > _SHOW else ""
        raise SatisfactionInputError(
            f"groups without responses in both periods {before!r} and {after!r} of column "
            f"{period_col!r}: {'; '.join(names)}{more}; filter them out first"
        )
    k = len(prep.elements)
    empty = prep.answered[cell_of] == 0  # (G, 2, k)
    if empty.any():
        found = np.argwhere(empty)[:_SHOW]
        names = [
            f"{base.describe(g)}, {period_col}={_fmt_value((before, after)[p])}: "
            f"{prep.elements[j].key!r}"
            for g, p, j in found
        ]
        raise SatisfactionInputError(
            f"no answers for an element in a group and period, so its NRR is undefined: "
            f"{'; '.join(names)}. Use elements= to leave the element out."
        )
    rows = prep.rows
    answered = ~np.isnan(rows)
    filled = np.where(answered, rows, 0.0)
    squares = np.column_stack(
        [
            np.bincount(cells.codes, weights=filled[:, j] ** 2, minlength=cells.size)
            for j in range(k)
        ]
    ).reshape(cells.size, k)
    total = prep.total[cell_of]
    count = prep.answered[cell_of].astype(np.float64)
    sq = squares[cell_of]
    mean = total / count
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.maximum(sq - total * total / count, 0.0) / (count - 1.0)
    var = np.where(count > 1, var, np.nan)
    v_elem = var / count  # squared SE of each NRR, (G, 2, k)

    # delta method for the converted IKM
    w = np.full(k, 1.0 / k if weight == "exact" else float(weight))
    cell_mean = prep.total / prep.answered
    u = (
        np.where(answered, rows - cell_mean[cells.codes], 0.0) * (w / prep.answered[cells.codes])
    ).sum(axis=1) * CONVERSION_FACTOR
    n_cell = cells.n.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        v_cell = np.bincount(cells.codes, weights=u * u, minlength=cells.size) * (
            n_cell / (n_cell - 1.0)
        )
    v_cell = np.where(n_cell > 1, v_cell, np.nan)
    ikm_cell = _combine(cell_mean, weight) * CONVERSION_FACTOR

    est = np.concatenate([mean, ikm_cell[cell_of][:, :, None]], axis=2)  # (G, 2, k+1)
    v = np.concatenate([v_elem, v_cell[cell_of][:, :, None]], axis=2)
    nn = np.concatenate([count, n_cell[cell_of][:, :, None]], axis=2)
    diff = est[:, 1] - est[:, 0]
    v_sum = v[:, 0] + v[:, 1]
    se = np.sqrt(v_sum)
    with np.errstate(divide="ignore", invalid="ignore"):
        df = v_sum**2 / (v[:, 0] ** 2 / (nn[:, 0] - 1.0) + v[:, 1] ** 2 / (nn[:, 1] - 1.0))
        df = np.where(v_sum == 0, 1.0, df)  # both variances zero: scipy's convention
        t = diff / se
    pvalue = 2.0 * sps.t.sf(np.abs(t), df)
    crit = sps.t.ppf(0.5 + level / 2.0, df)
    ci_low = diff - crit * se
    ci_high = diff + crit * se

    m = k + 1
    g_rep = np.repeat(np.arange(n_groups), m)
    names = np.array([*prep.keys, "ikm_converted"], dtype=object)
    labels = [ELEMENT_LABELS[key] for key in prep.keys] + ["IKM (nilai konversi)"]
    out: dict[Hashable, Any] = {
        col: base.keys[col].iloc[g_rep].reset_index(drop=True) for col in base.by
    }
    out["element"] = pd.array(np.tile(names, n_groups), dtype="str")
    out["label"] = pd.array(np.tile(np.array(labels, dtype=object), n_groups), dtype="str")
    out["nrr_before"] = est[:, 0].ravel()
    out["nrr_after"] = est[:, 1].ravel()
    out["diff"] = diff.ravel()
    out["se"] = se.ravel()
    out["ci_low"] = ci_low.ravel()
    out["ci_high"] = ci_high.ravel()
    out["pvalue"] = pvalue.ravel()
    out["n_before"] = nn[:, 0].ravel().astype(np.int64)
    out["n_after"] = nn[:, 1].ravel().astype(np.int64)
    out["t"] = t.ravel()
    out["df"] = df.ravel()
    return pd.DataFrame(out, index=pd.RangeIndex(n_groups * m))
