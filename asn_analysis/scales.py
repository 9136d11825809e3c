"""Psychometric scales: item maps, scale scores, reliability and item analysis.

General tools for Likert-type questionnaires such as the staff survey on evaluation
(``staff_survey`` with its item map ``survey_items``, see ``data/README.md``):

* :class:`ItemMap` says which items make up which scale, which items are reverse-keyed and
  the answer range of every item. Every scoring function takes the item map (or, for the
  single-scale functions, ``reverse`` and ``scale``), so reverse keys are applied everywhere
  or nowhere.
* :func:`score` gives one scale score per respondent (mean of the answered items).
* :func:`cronbach_alpha`, :func:`omega`, :func:`item_analysis` and :func:`scale_reliability`
  describe how well the items hang together.

All numbers are stored unrounded; rounding happens only in ``summary()`` text.

References
----------
.. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
       Psychometrika, 16(3), 297-334.
.. [2] McDonald, R. P. (1999). Test theory: A unified treatment. Mahwah, NJ: Erlbaum.
.. [3] Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
       coefficient alpha. Applied Psychological Measurement, 11(1), 93-103.
.. [4] Revelle, W. (2024). psych: Procedures for psychological, psychometric, and
       personality research. R package, https://CRAN.R-project.org/package=psych
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd
from scipy import stats

from asn_analysis.errors import InputProblems

__all__ = [
    "AlphaResult",
    "InsufficientAnswersWarning",
    "ItemMap",
    "NanPolicy",
    "OmegaResult",
    "ReverseKeyWarning",
    "ScaleInputError",
    "cronbach_alpha",
    "item_analysis",
    "omega",
    "scale_reliability",
    "score",
]

NanPolicy = Literal["pairwise", "listwise"]
"""How missing answers are handled: ``"pairwise"`` or ``"listwise"`` deletion."""

_NAN_POLICIES: tuple[str, ...] = get_args(NanPolicy)
_MAX_SHOWN = 10  # values / rows listed per problem in error messages
_TRUE_FLAGS = frozenset({"true", "1"})
_FALSE_FLAGS = frozenset({"false", "0"})


class ScaleInputError(InputProblems):
    """Invalid item data or item map; lists every problem found, naming columns and values.

    Parameters
    ----------
    problems : str or sequence of str
        One message per problem.

    Attributes
    ----------
    problems : tuple of str
        The individual problems, in the order found.
    """

    heading = "problems with the scale input"


class InsufficientAnswersWarning(UserWarning):
    """Some respondents answered too few items of a scale, so their score is NaN."""


class ReverseKeyWarning(UserWarning):
    """Item statistics suggest a reverse-keyed item was not reversed (or vice versa)."""


# ----------------------------------------------------------------------------- helpers


def _show(values: Iterable[Any]) -> str:
    """List at most ``_MAX_SHOWN`` values for an error message."""
    values = list(values)
    shown = ", ".join(repr(_plain(v)) for v in values[:_MAX_SHOWN])
    if len(values) > _MAX_SHOWN:
        shown += f", ... ({len(values) - _MAX_SHOWN} more)"
    return f"[{shown}]"


def _plain(value: Any) -> Any:
    """Numpy scalars as Python scalars so messages read ``3`` rather than ``np.int64(3)``."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def _check_option(value: Any, allowed: tuple[str, ...], name: str) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")


def _check_ci(ci: float) -> None:
    if isinstance(ci, bool) or not isinstance(ci, (int, float)) or not 0 < ci < 1:
        raise ValueError(f"ci must be a number strictly between 0 and 1, got {ci!r}")


def _check_bounds(scale: tuple[float, float]) -> tuple[float, float]:
    try:
        lo, hi = scale
        lo, hi = float(lo), float(hi)
    except (TypeError, ValueError):
        raise ValueError(f"scale must be a (min, max) pair of numbers, got {scale!r}") from None
    if not lo < hi:
        raise ValueError(f"scale must satisfy min < max, got {scale!r}")
    return lo, hi


def _as_names(names: str | Iterable[Hashable]) -> tuple[Hashable, ...]:
    """Return a single column name or an iterable of names as a tuple."""
    if isinstance(names, str):
        return (names,)
    return tuple(names)


def _numeric_column(column: pd.Series, name: Hashable) -> tuple[pd.Series, str | None]:
    """Convert answers to float64 (NaN = unanswered); report values that are not numbers."""
    if pd.api.types.is_bool_dtype(column.dtype):
        values = pd.unique(column.dropna())
        return column.astype("float64"), (
            f"column {name!r}: non-numeric answers (boolean values {_show(values)})"
        )
    if pd.api.types.is_numeric_dtype(column.dtype):
        as_float = column.to_numpy(dtype="float64", na_value=np.nan)
        return pd.Series(as_float, index=column.index, name=column.name), None
    # Text or mixed objects: blank strings are unanswered, anything else must parse as a number.
    as_object = column.astype(object)
    is_blank = as_object.map(lambda v: isinstance(v, str) and v.strip() == "")
    as_object = as_object.mask(is_blank)
    coerced = pd.to_numeric(as_object, errors="coerce").astype("float64")
    bad = as_object.notna() & coerced.isna()
    if bad.any():
        values = pd.unique(as_object[bad])
        rows = list(column.index[bad.to_numpy()])
        return coerced, (
            f"column {name!r}: non-numeric answers {_show(values)} in rows {_show(rows)}"
        )
    return coerced, None


def _range_problem(values: pd.Series, name: Hashable, lo: float, hi: float) -> str | None:
    bad = values.notna() & ((values < lo) | (values > hi))
    if not bad.any():
        return None
    rows = list(values.index[bad.to_numpy()])
    shown = pd.unique(values[bad])
    return (
        f"column {name!r}: answers outside {_plain(lo)}-{_plain(hi)}: values {_show(shown)} "
        f"in rows {_show(rows)}"
    )


def _numeric_items(
    data: pd.DataFrame,
    columns: Sequence[Hashable],
    lows: Mapping[Hashable, float],
    highs: Mapping[Hashable, float],
    problems: list[str],
) -> pd.DataFrame:
    """Float64 copy of ``columns`` with non-numeric and out-of-range problems appended."""
    converted: dict[Hashable, pd.Series] = {}
    for name in columns:
        values, problem = _numeric_column(data[name], name)
        if problem is not None:
            problems.append(problem)
        else:
            problem = _range_problem(values, name, lows[name], highs[name])
            if problem is not None:
                problems.append(problem)
        converted[name] = values
    return pd.DataFrame(converted, index=data.index, columns=pd.Index(list(columns)))


def _duplicate_column_problem(data: pd.DataFrame, wanted: Iterable[Hashable]) -> str | None:
    wanted = set(wanted)
    duplicated = data.columns[data.columns.duplicated()]
    names = [c for c in pd.unique(duplicated) if c in wanted]
    if names:
        return f"data has duplicate item columns {_show(names)}"
    return None


def _all_missing_problems(keyed: pd.DataFrame, context: str = "") -> list[str]:
    empty = [c for c in keyed.columns if keyed[c].isna().all()]
    if not empty:
        return []
    return [f"{context}items with no answers at all (all missing): {_show(empty)}"]


def _prepare_items(
    items: pd.DataFrame,
    *,
    reverse: str | Iterable[Hashable],
    scale: tuple[float, float],
    min_items: int,
    what: str,
) -> pd.DataFrame:
    """Validate a one-scale item frame and return it reverse-keyed as float64."""
    if not isinstance(items, pd.DataFrame):
        raise TypeError(f"items must be a pandas DataFrame, got {type(items).__name__}")
    lo, hi = _check_bounds(scale)
    reverse = _as_names(reverse)
    problems: list[str] = []
    columns = list(items.columns)
    if items.columns.has_duplicates:
        dup = pd.unique(items.columns[items.columns.duplicated()])
        raise ScaleInputError(f"items has duplicate columns {_show(dup)}")
    unknown = [r for r in reverse if r not in items.columns]
    if unknown:
        problems.append(
            f"reverse names columns that are not among the items: {_show(unknown)} "
            f"(items: {_show(columns)})"
        )
    if len(columns) < min_items:
        problems.append(
            f"{what} needs at least {min_items} items, got {len(columns)}: {_show(columns)}"
            + (" (alpha is undefined for a single item)" if len(columns) == 1 else "")
        )
    numeric = _numeric_items(
        items, columns, dict.fromkeys(columns, lo), dict.fromkeys(columns, hi), problems
    )
    problems.extend(_all_missing_problems(numeric))
    if problems:
        raise ScaleInputError(problems)
    for name in reverse:
        numeric[name] = lo + hi - numeric[name]
    return numeric


def _apply_nan_policy(keyed: pd.DataFrame, nan_policy: str) -> pd.DataFrame:
    """Rows used: pairwise keeps rows with at least one answer, listwise only complete rows."""
    if nan_policy == "listwise":
        return keyed.dropna(how="any")
    return keyed.dropna(how="all")


def _pairwise_problems(used: pd.DataFrame, minimum: int = 2) -> list[str]:
    answered = used.notna().to_numpy(dtype="int64")
    overlap = answered.T @ answered
    names = list(used.columns)
    pairs = [
        f"{names[i]!r}/{names[j]!r} ({overlap[i, j]} joint answers)"
        for i in range(len(names))
        for j in range(i + 1, len(names))
        if overlap[i, j] < minimum
    ]
    if not pairs:
        return []
    return [
        f"item pairs answered together by fewer than {minimum} respondents, so their "
        f"covariance is undefined: {_show(pairs)}"
    ]


def _feldt_ci(alpha: float, n: int, k: int, ci: float) -> tuple[float, float]:
    """Feldt confidence interval, same operations as pingouin (but unrounded)."""
    tail = 1 - ci
    df1 = n - 1
    df2 = df1 * (k - 1)
    lower = 1 - (1 - alpha) * stats.f.isf(tail / 2, df1, df2)
    upper = 1 - (1 - alpha) * stats.f.isf(1 - tail / 2, df1, df2)
    return float(lower), float(upper)


def _warn_reverse_keys(message: str, stacklevel: int = 3) -> None:
    warnings.warn(message, ReverseKeyWarning, stacklevel=stacklevel)


# ----------------------------------------------------------------------------- item map


@dataclass(frozen=True)
class ItemMap:
    """Which items form which scale, which are reverse-keyed, and each item's answer range.

    Build it with :meth:`from_frame` (the ``survey_items`` table) or :meth:`from_dict`.
    The mappings are read-only after construction.

    Parameters
    ----------
    scales : mapping of str to sequence of item names
        Scale name -> its items, in questionnaire order. An item belongs to one scale only.
    reverse_keyed : iterable of item names, optional
        Items scored in reverse (``min + max - answer``).
    item_min, item_max : mapping of item name to number
        Lowest and highest possible answer of every item (``min < max``).

    Raises
    ------
    ScaleInputError
        Empty scales, an item in more than one scale (or twice in one), reverse-keyed items
        that are in no scale, or items without a valid min/max; all problems are listed.

    Examples
    --------
    >>> imap = ItemMap.from_dict(
    ...     {"trust": {"items": ["t1", "t2", "t3"], "reverse": ["t3"], "min": 1, "max": 5}}
    ... )
    >>> imap.items("trust"), imap.reverse("trust")
    (('t1', 't2', 't3'), ('t3',))
    >>> imap.bounds("t3")
    (1.0, 5.0)
    """

    scales: Mapping[str, tuple[Hashable, ...]]
    reverse_keyed: frozenset[Hashable] = frozenset()
    item_min: Mapping[Hashable, float] = field(default_factory=dict)
    item_max: Mapping[Hashable, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems: list[str] = []
        scales: dict[str, tuple[Hashable, ...]] = {}
        for name, items in dict(self.scales).items():
            if isinstance(items, str):
                problems.append(f"scale {name!r}: items must be a list of names, got {items!r}")
                items = (items,)
            scales[str(name)] = tuple(items)
        if not scales:
            problems.append("the item map has no scales")
        owners: dict[Hashable, list[str]] = {}
        for name, items in scales.items():
            if not items:
                problems.append(f"scale {name!r} has no items")
            for item in items:
                owners.setdefault(item, []).append(name)
        repeated = {item: s for item, s in owners.items() if len(s) > 1}
        if repeated:
            listed = [f"{item!r} in {s}" for item, s in repeated.items()]
            problems.append(f"items listed more than once: {_show(listed)}")
        reverse = frozenset(_as_names(self.reverse_keyed))
        stray = sorted((r for r in reverse if r not in owners), key=repr)
        if stray:
            problems.append(f"reverse-keyed items that belong to no scale: {_show(stray)}")
        lows: dict[Hashable, float] = {}
        highs: dict[Hashable, float] = {}
        given_min, given_max = dict(self.item_min), dict(self.item_max)
        no_bounds, bad_bounds, inverted = [], [], []
        for item in owners:
            lo, hi = given_min.get(item), given_max.get(item)
            if lo is None or hi is None:
                no_bounds.append(item)
                continue
            try:
                lo_f, hi_f = float(lo), float(hi)
            except (TypeError, ValueError):
                bad_bounds.append(f"{item!r} (min={lo!r}, max={hi!r})")
                continue
            if not (math.isfinite(lo_f) and math.isfinite(hi_f)):
                bad_bounds.append(f"{item!r} (min={lo!r}, max={hi!r})")
            elif lo_f >= hi_f:
                inverted.append(f"{item!r} (min={_plain(lo)}, max={_plain(hi)})")
            lows[item], highs[item] = lo_f, hi_f
        if no_bounds:
            problems.append(f"items without min or max: {_show(no_bounds)}")
        if bad_bounds:
            problems.append(f"items whose min/max are not finite numbers: {_show(bad_bounds)}")
        if inverted:
            problems.append(f"items with min >= max: {_show(inverted)}")
        if problems:
            raise ScaleInputError(problems)
        object.__setattr__(self, "scales", MappingProxyType(scales))
        object.__setattr__(self, "reverse_keyed", reverse)
        object.__setattr__(self, "item_min", MappingProxyType(lows))
        object.__setattr__(self, "item_max", MappingProxyType(highs))

    def __hash__(self) -> int:
        return hash(
            (
                tuple(self.scales.items()),
                self.reverse_keyed,
                tuple(self.item_min.items()),
                tuple(self.item_max.items()),
            )
        )

    # -- constructors ---------------------------------------------------------------

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> ItemMap:
        """Build the item map from a ``survey_items``-style table.

        Parameters
        ----------
        frame : pandas.DataFrame
            Columns ``scale``, ``item``, ``reverse_keyed``, ``min``, ``max`` (others such as
            ``text_id`` / ``text_en`` are ignored). One row per item, in questionnaire order.
            ``reverse_keyed`` may be boolean, ``"true"``/``"false"`` in any case, or 1/0.

        Returns
        -------
        ItemMap

        Raises
        ------
        ScaleInputError
            Missing columns; blank scale or item names; duplicate items; reverse flags that
            are not true/false; min/max that are missing, not numbers, or ``min >= max``.
            Problems name the items, rows (index labels) and values.

        Examples
        --------
        >>> table = pd.DataFrame(
        ...     {
        ...         "scale": ["trust", "trust", "trust"],
        ...         "item": ["t1", "t2", "t3"],
        ...         "reverse_keyed": [False, False, True],
        ...         "min": [1, 1, 1],
        ...         "max": [5, 5, 5],
        ...     }
        ... )
        >>> ItemMap.from_frame(table).reverse("trust")
        ('t3',)
        """
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
        required = ["scale", "item", "reverse_keyed", "min", "max"]
        missing = [c for c in required if c not in frame.columns]
        if missing:
            raise ScaleInputError(
                f"item map table is missing columns {_show(missing)} "
                f"(has {_show(list(frame.columns))})"
            )
        problems: list[str] = []

        def blank(values: pd.Series) -> pd.Series:
            return values.isna() | values.astype(str).str.strip().eq("")

        for column in ("scale", "item"):
            empty = blank(frame[column])
            if empty.any():
                rows = list(frame.index[empty.to_numpy()])
                problems.append(f"column {column!r}: blank values in rows {_show(rows)}")
        items = frame["item"].astype(object).map(lambda v: v.strip() if isinstance(v, str) else v)
        duplicated = items.duplicated(keep=False) & ~blank(frame["item"])
        if duplicated.any():
            names = pd.unique(items[duplicated])
            rows = list(frame.index[duplicated.to_numpy()])
            problems.append(f"duplicate items {_show(names)} in rows {_show(rows)}")

        flags = frame["reverse_keyed"]
        parsed: dict[Any, bool] = {}
        unknown_rows, unknown_values = [], []
        for row, item, flag in zip(frame.index, items, flags, strict=True):
            value = _parse_flag(flag)
            if value is None:
                unknown_rows.append(f"{item!r} (row {_plain(row)!r})")
                unknown_values.append(flag)
            else:
                parsed[row] = value
        if unknown_rows:
            problems.append(
                "column 'reverse_keyed': values are not true/false: "
                f"{_show(pd.unique(pd.Series(unknown_values, dtype=object)))} "
                f"for items {_show(unknown_rows)}"
            )

        bounds: dict[str, pd.Series] = {}
        for column in ("min", "max"):
            raw = frame[column].astype(object)
            numeric = pd.to_numeric(raw, errors="coerce").astype("float64")
            bad = numeric.isna()
            if bad.any():
                shown = [f"{i!r} ({v!r})" for i, v in zip(items[bad], raw[bad], strict=True)]
                problems.append(f"column {column!r}: missing or non-numeric for {_show(shown)}")
            bounds[column] = numeric
        inverted = bounds["min"].notna() & bounds["max"].notna() & (bounds["min"] >= bounds["max"])
        if inverted.any():
            shown = [
                f"{i!r} (min={_plain(lo)}, max={_plain(hi)})"
                for i, lo, hi in zip(
                    items[inverted],
                    bounds["min"][inverted],
                    bounds["max"][inverted],
                    strict=True,
                )
            ]
            problems.append(f"items with min >= max: {_show(shown)}")
        if problems:
            raise ScaleInputError(problems)

        scales: dict[str, list[Hashable]] = {}
        for scale_name, item in zip(frame["scale"], items, strict=True):
            scales.setdefault(str(scale_name).strip(), []).append(item)
        reverse = [item for row, item in zip(frame.index, items, strict=True) if parsed[row]]
        return cls(
            scales={s: tuple(v) for s, v in scales.items()},
            reverse_keyed=frozenset(reverse),
            item_min=dict(zip(items, bounds["min"], strict=True)),
            item_max=dict(zip(items, bounds["max"], strict=True)),
        )

    @classmethod
    def from_dict(cls, spec: Mapping[str, Mapping[str, Any]]) -> ItemMap:
        """Build the item map from ``{"scale": {"items": [...], "reverse": [...], ...}}``.

        Parameters
        ----------
        spec : mapping
            Scale name -> mapping with ``items`` (list of item names, required), ``reverse``
            (list of reverse-keyed items, optional), ``min`` and ``max`` (required; one
            number for all items of the scale, or a mapping item -> number).

        Returns
        -------
        ItemMap

        Raises
        ------
        ScaleInputError
            Missing or unknown keys, and everything :class:`ItemMap` itself rejects.

        Examples
        --------
        >>> ItemMap.from_dict({"s": {"items": ["a", "b"], "min": 1, "max": 5}}).scales["s"]
        ('a', 'b')
        """
        if not isinstance(spec, Mapping):
            raise TypeError(f"spec must be a mapping, got {type(spec).__name__}")
        problems: list[str] = []
        scales: dict[str, tuple[Hashable, ...]] = {}
        reverse: list[Hashable] = []
        lows: dict[Hashable, Any] = {}
        highs: dict[Hashable, Any] = {}
        allowed = {"items", "reverse", "min", "max"}
        for name, entry in spec.items():
            if not isinstance(entry, Mapping):
                problems.append(f"scale {name!r}: expected a mapping, got {entry!r}")
                continue
            extra = sorted(set(entry) - allowed, key=str)
            if extra:
                problems.append(f"scale {name!r}: unknown keys {_show(extra)}")
            absent = [key for key in ("items", "min", "max") if key not in entry]
            if absent:
                problems.append(f"scale {name!r}: missing keys {_show(absent)}")
                continue
            items = entry["items"]
            if isinstance(items, str):
                problems.append(f"scale {name!r}: items must be a list of names, got {items!r}")
                continue
            items = tuple(items)
            scales[name] = items
            reverse.extend(_as_names(entry.get("reverse", ())))
            for key, target in (("min", lows), ("max", highs)):
                value = entry[key]
                if isinstance(value, Mapping):
                    target.update(value)
                else:
                    target.update(dict.fromkeys(items, value))
        if problems:
            raise ScaleInputError(problems)
        return cls(scales=scales, reverse_keyed=frozenset(reverse), item_min=lows, item_max=highs)

    # -- accessors ------------------------------------------------------------------

    @property
    def scale_names(self) -> tuple[str, ...]:
        """Scale names in the order given."""
        return tuple(self.scales)

    @property
    def all_items(self) -> tuple[Hashable, ...]:
        """Every item, scale by scale."""
        return tuple(item for items in self.scales.values() for item in items)

    def _scale_list(self, scales: str | Iterable[str] | None) -> tuple[str, ...]:
        if scales is None:
            return self.scale_names
        chosen = _as_names(scales)
        unknown = [s for s in chosen if s not in self.scales]
        if unknown:
            raise ScaleInputError(
                f"unknown scales {_show(unknown)}; the item map has {_show(self.scale_names)}"
            )
        return tuple(str(s) for s in chosen)

    def items(self, scale: str) -> tuple[Hashable, ...]:
        """Items of ``scale``, in order.

        Raises
        ------
        ScaleInputError
            If the item map has no such scale.
        """
        return self.scales[self._scale_list(scale)[0]]

    def reverse(self, scale: str) -> tuple[Hashable, ...]:
        """Reverse-keyed items of ``scale``, in order."""
        return tuple(i for i in self.items(scale) if i in self.reverse_keyed)

    def bounds(self, item: Hashable) -> tuple[float, float]:
        """``(min, max)`` answer of ``item``."""
        if item not in self.item_min:
            raise ScaleInputError(f"item {item!r} is not in the item map")
        return self.item_min[item], self.item_max[item]

    def to_frame(self) -> pd.DataFrame:
        """Return the map as a table ``scale, item, reverse_keyed, min, max`` (a row per item).

        ``ItemMap.from_frame(m.to_frame()) == m``.
        """
        rows = [
            (scale, item, item in self.reverse_keyed, self.item_min[item], self.item_max[item])
            for scale, items in self.scales.items()
            for item in items
        ]
        table = pd.DataFrame(rows, columns=["scale", "item", "reverse_keyed", "min", "max"])
        return table.astype({"reverse_keyed": bool, "min": "float64", "max": "float64"})

    # -- data checks ----------------------------------------------------------------

    def _numeric(self, data: pd.DataFrame, scales: tuple[str, ...]) -> pd.DataFrame:
        """Return validated float64 answers of the items of ``scales`` (not reverse-keyed)."""
        if not isinstance(data, pd.DataFrame):
            raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
        wanted = [item for s in scales for item in self.scales[s]]
        problems: list[str] = []
        missing_by_scale = {s: [i for i in self.scales[s] if i not in data.columns] for s in scales}
        missing = [i for s in scales for i in missing_by_scale[s]]
        if missing:
            per_scale = "; ".join(f"{s!r}: {_show(m)}" for s, m in missing_by_scale.items() if m)
            problems.append(
                f"items named in the item map but missing from data: {_show(missing)} "
                f"(by scale: {per_scale})"
            )
        duplicate = _duplicate_column_problem(data, wanted)
        if duplicate:
            problems.append(duplicate)
            present = []
        else:
            present = [i for i in wanted if i in data.columns]
        numeric = _numeric_items(data, present, self.item_min, self.item_max, problems)
        if problems:
            raise ScaleInputError(problems)
        return numeric

    def check(self, data: pd.DataFrame, *, scales: str | Iterable[str] | None = None) -> None:
        """Check that ``data`` holds every item of the map, with numeric answers in range.

        Parameters
        ----------
        data : pandas.DataFrame
            One row per respondent, one column per item (other columns are ignored).
            Blank / NaN answers are unanswered and allowed.
        scales : str or iterable of str, optional
            Only check these scales (default: all).

        Raises
        ------
        ScaleInputError
            Items missing from ``data``; non-numeric answers (naming column and values);
            answers outside the item's min-max (naming column, rows and values). All
            problems are reported together.
        """
        self._numeric(data, self._scale_list(scales))

    def reverse_key(
        self, data: pd.DataFrame, *, scales: str | Iterable[str] | None = None
    ) -> pd.DataFrame:
        """Copy of ``data`` with reverse-keyed items scored as ``min + max - answer``.

        Parameters
        ----------
        data : pandas.DataFrame
            Answers; checked as in :meth:`check`.
        scales : str or iterable of str, optional
            Only these scales' items (default: all).

        Returns
        -------
        pandas.DataFrame
            Same index and columns as ``data``; the item columns of the chosen scales are
            float64 (NaN = unanswered), reverse-keyed ones transformed. Applying it twice
            gives back the original answers.

        Examples
        --------
        >>> imap = ItemMap.from_dict({"s": {"items": ["a", "b"], "reverse": ["b"], "min": 1,
        ...                                 "max": 5}})
        >>> imap.reverse_key(pd.DataFrame({"a": [1, 2], "b": [1, None]}))
             a    b
        0  1.0  5.0
        1  2.0  NaN
        """
        chosen = self._scale_list(scales)
        numeric = self._numeric(data, chosen)
        out = data.copy()
        for item in numeric.columns:
            values = numeric[item]
            if item in self.reverse_keyed:
                values = self.item_min[item] + self.item_max[item] - values
            out[item] = values
        return out


def _parse_flag(flag: Any) -> bool | None:
    """True/False from a reverse_keyed cell, or None when it is not a recognised flag."""
    if isinstance(flag, (bool, np.bool_)):
        return bool(flag)
    if isinstance(flag, (int, np.integer)) and flag in (0, 1):
        return bool(flag)
    if isinstance(flag, (float, np.floating)) and flag in (0.0, 1.0):
        return bool(flag)
    if isinstance(flag, str):
        text = flag.strip().lower()
        if text in _TRUE_FLAGS:
            return True
        if text in _FALSE_FLAGS:
            return False
    return None


# ----------------------------------------------------------------------------- scores


def score(
    data: pd.DataFrame,
    item_map: ItemMap,
    *,
    scales: str | Iterable[str] | None = None,
    min_answered: float | int = 0.5,
) -> pd.DataFrame:
    r"""Scale scores: the mean of each respondent's answered items, after reverse-keying.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent, one column per item (other columns are ignored).
    item_map : ItemMap
        Scales, reverse keys and answer ranges.
    scales : str or iterable of str, optional
        Scales to score (default: all in the item map).
    min_answered : float or int, default 0.5
        Least number of answered items for a score. A ``float`` in (0, 1] is a share of the
        scale's items (rounded up: 0.5 of 5 items = 3 items); an ``int`` >= 1 is a count of
        items. Note ``1`` (one item) and ``1.0`` (all items) differ.

    Returns
    -------
    pandas.DataFrame
        Same index as ``data``, one float column per scale. A score is NaN when fewer than
        ``min_answered`` items were answered. ``attrs["n_insufficient"]`` maps each scale to
        its number of NaN scores and ``attrs["min_items"]`` to the item count required.

    Raises
    ------
    ScaleInputError
        Anything :meth:`ItemMap.check` rejects, or an item count larger than a scale.

    Warns
    -----
    InsufficientAnswersWarning
        When any score is NaN, with the count per scale (same numbers as ``attrs``).

    Notes
    -----
    For respondent :math:`i` with answered, reverse-keyed items :math:`A_i` of a scale,

    .. math:: s_i = \frac{1}{|A_i|} \sum_{j \in A_i} x_{ij}
              \quad \text{if } |A_i| \ge m, \text{ else NaN,}

    with :math:`m` = ``ceil(min_answered * k)`` or the given count. Averaging the answered
    items (rather than summing) keeps the score on the answer scale and is the prorated
    score used by ``psych::scoreItems`` without imputation [1]_.

    References
    ----------
    .. [1] Revelle, W. psych: Procedures for psychological, psychometric, and personality
           research (``scoreItems``). https://CRAN.R-project.org/package=psych

    Examples
    --------
    >>> imap = ItemMap.from_dict({"s": {"items": ["a", "b", "c"], "reverse": ["c"],
    ...                                 "min": 1, "max": 5}})
    >>> answers = pd.DataFrame({"a": [4, 2, None], "b": [5, None, None], "c": [2, 1, 3]})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     scores = score(answers, imap, min_answered=2)
    >>> scores
              s
    0  4.333333
    1  3.500000
    2       NaN
    >>> scores.attrs["n_insufficient"]
    {'s': 1}
    """
    if not isinstance(item_map, ItemMap):
        raise TypeError(f"item_map must be an ItemMap, got {type(item_map).__name__}")
    is_count = isinstance(min_answered, numbers.Integral)
    if isinstance(min_answered, (bool, np.bool_)) or not isinstance(min_answered, numbers.Real):
        raise ValueError(
            f"min_answered must be a share in (0, 1] or an item count >= 1, got {min_answered!r}"
        )
    if is_count and min_answered < 1:
        raise ValueError(f"min_answered as an item count must be >= 1, got {min_answered!r}")
    if not is_count and not 0 < min_answered <= 1:
        raise ValueError(f"min_answered as a share must be in (0, 1], got {min_answered!r}")
    chosen = item_map._scale_list(scales)
    required: dict[str, int] = {}
    problems: list[str] = []
    for scale_name in chosen:
        k = len(item_map.scales[scale_name])
        if is_count:
            if min_answered > k:
                problems.append(
                    f"scale {scale_name!r} has {k} items, fewer than min_answered={min_answered}"
                )
            required[scale_name] = int(min_answered)
        else:
            # The small tolerance keeps e.g. 2/3 of 3 items at 2, not 3, despite float error.
            required[scale_name] = max(1, math.ceil(min_answered * k - 1e-9))
    if problems:
        raise ScaleInputError(problems)

    keyed = item_map.reverse_key(data, scales=chosen)
    scores: dict[str, pd.Series] = {}
    insufficient: dict[str, int] = {}
    for scale_name in chosen:
        answers = keyed[list(item_map.scales[scale_name])]
        answered = answers.notna().sum(axis=1)
        enough = answered >= required[scale_name]
        scores[scale_name] = answers.mean(axis=1, skipna=True).where(enough)
        insufficient[scale_name] = int((~enough).sum())
    result = pd.DataFrame(scores, index=data.index, columns=pd.Index(list(chosen)))
    result.attrs["n_insufficient"] = insufficient
    result.attrs["min_items"] = required
    if any(insufficient.values()):
        counts = ", ".join(f"{s!r}: {n}" for s, n in insufficient.items() if n)
        warnings.warn(
            f"scale scores set to NaN for respondents with too few answered items "
            f"(required per scale {required}); NaN scores per scale: {counts}. "
            "The counts are in DataFrame.attrs['n_insufficient'].",
            InsufficientAnswersWarning,
            stacklevel=2,
        )
    return result


# ----------------------------------------------------------------------------- alpha


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha with its Feldt confidence interval.

    Attributes
    ----------
    alpha : float
        Coefficient alpha (raw, from covariances).
    ci_low, ci_high : float
        Feldt confidence interval bounds (unrounded).
    n : int
        Respondents used (see :func:`cronbach_alpha`, Notes).
    k : int
        Number of items.
    nan_policy : {"pairwise", "listwise"}
        How missing answers were handled.
    ci_level : float
        Confidence level of the interval, e.g. 0.95.
    """

    alpha: float
    ci_low: float
    ci_high: float
    n: int
    k: int
    nan_policy: NanPolicy
    ci_level: float = 0.95

    def to_frame(self) -> pd.DataFrame:
        """One-row table with every field."""
        return pd.DataFrame(
            [
                {
                    "alpha": self.alpha,
                    "ci_low": self.ci_low,
                    "ci_high": self.ci_high,
                    "n": self.n,
                    "k": self.k,
                    "nan_policy": self.nan_policy,
                    "ci_level": self.ci_level,
                }
            ]
        )

    def summary(self, digits: int = 3) -> str:
        """One line for reports; numbers rounded to ``digits`` for display only."""
        return (
            f"Cronbach's alpha = {self.alpha:.{digits}f} "
            f"({self.ci_level:.0%} CI {self.ci_low:.{digits}f} to {self.ci_high:.{digits}f}, "
            f"Feldt); n = {self.n}, k = {self.k}, nan_policy = {self.nan_policy!r}"
        )

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False)


def _alpha_keyed(keyed: pd.DataFrame, nan_policy: str, ci: float) -> AlphaResult:
    """Alpha on validated, reverse-keyed float items (wraps pingouin.cronbach_alpha)."""
    import pingouin  # deferred: importing pingouin takes about two seconds

    used = _apply_nan_policy(keyed, nan_policy)
    n, k = used.shape
    if n < 2:
        raise ScaleInputError(
            f"alpha needs at least 2 respondents after {nan_policy} deletion, got {n} "
            f"(items {_show(list(keyed.columns))})"
        )
    if nan_policy == "pairwise":
        problems = _pairwise_problems(used)
        if problems:
            raise ScaleInputError(problems)
    alpha = float(pingouin.cronbach_alpha(data=used, nan_policy=nan_policy)[0])
    if not math.isfinite(alpha):
        raise ScaleInputError(
            f"alpha is undefined: the items {_show(list(keyed.columns))} have no total variance"
        )
    low, high = _feldt_ci(alpha, n, k, ci)
    return AlphaResult(alpha, low, high, int(n), int(k), nan_policy, float(ci))  # type: ignore[arg-type]


def cronbach_alpha(
    items: pd.DataFrame,
    *,
    reverse: str | Iterable[Hashable] = (),
    scale: tuple[float, float] = (1, 5),
    nan_policy: NanPolicy = "pairwise",
    ci: float = 0.95,
) -> AlphaResult:
    r"""Cronbach's alpha of one scale, reverse-keying items first, with a Feldt interval.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item of the scale, one row per respondent; NaN = unanswered.
    reverse : str or iterable of column names, default ()
        Reverse-keyed items, scored as ``min + max - answer`` before anything else.
    scale : (min, max), default (1, 5)
        Answer range of every item; answers outside it are an error.
    nan_policy : {"pairwise", "listwise"}, default "pairwise"
        ``"pairwise"``: covariances from pairwise-complete answers (pandas ``DataFrame.cov``,
        as ``psych::alpha(use="pairwise")``). ``"listwise"``: drop every respondent with any
        missing item first (as ``psych::alpha(use="complete.obs")``).
    ci : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    AlphaResult
        ``alpha, ci_low, ci_high, n, k, nan_policy, ci_level``.

    Raises
    ------
    ScaleInputError
        Fewer than two items; ``reverse`` naming columns not in ``items``; non-numeric
        answers; answers outside ``scale``; an item with no answers; fewer than two
        respondents; an item pair never answered together (pairwise).

    Notes
    -----
    With :math:`C` the :math:`k \times k` item covariance matrix,

    .. math:: \alpha = \frac{k}{k-1}\left(1 - \frac{\operatorname{tr} C}
              {\sum_{ij} C_{ij}}\right)

    (Cronbach [1]_). The point estimate is computed by ``pingouin.cronbach_alpha`` on the
    reverse-keyed items, so it equals pingouin and R ``psych::alpha`` (raw_alpha).

    ``n`` is the number of respondents whose answers enter :math:`C`: for ``"pairwise"`` the
    rows with at least one answered item, for ``"listwise"`` the complete rows. The Feldt
    interval [2]_ uses :math:`F` quantiles with :math:`n-1` and :math:`(n-1)(k-1)` degrees of
    freedom:

    .. math:: [\,1 - (1-\alpha) F_{1-\gamma/2},\; 1 - (1-\alpha) F_{\gamma/2}\,],
              \quad \gamma = 1 - \text{ci},

    with :math:`F_p` the upper-:math:`p` quantile. This is pingouin's formula without its
    rounding to 3 decimals. pingouin and psych take :math:`n` as all rows passed in, also
    for listwise deletion; here the rows that were deleted do not count, so with missing
    answers the listwise interval is (correctly) wider than pingouin's. For data without
    empty rows the pairwise interval equals pingouin's.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
           Psychometrika, 16(3), 297-334.
    .. [2] Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
           coefficient alpha. Applied Psychological Measurement, 11(1), 93-103.
           (Feldt, L. S. (1965). Psychometrika, 30(3), 357-370, for the F distribution.)

    Examples
    --------
    >>> answers = pd.DataFrame({"q1": [4, 5, 3, 2, 4, 5], "q2": [4, 4, 3, 1, 5, 5],
    ...                         "q3": [2, 1, 3, 5, 2, None]})
    >>> res = cronbach_alpha(answers, reverse=["q3"], scale=(1, 5))
    >>> round(res.alpha, 4), res.n, res.k
    (0.9606, 6, 3)
    >>> print(res.summary())
    Cronbach's alpha = 0.961 (95% CI 0.833 to 0.994, Feldt); n = 6, k = 3, nan_policy = 'pairwise'

    The same call on R's ``psych::bfi`` Neuroticism items (N1-N5, answers 1-6) gives
    raw_alpha 0.813963, as ``psych::alpha(bfi[16:20])`` does (see ``tests/test_scales.py``).
    """
    _check_option(nan_policy, _NAN_POLICIES, "nan_policy")
    _check_ci(ci)
    keyed = _prepare_items(
        items, reverse=reverse, scale=scale, min_items=2, what="Cronbach's alpha"
    )
    return _alpha_keyed(keyed, nan_policy, ci)


# ----------------------------------------------------------------------------- omega


@dataclass(frozen=True, eq=False)  # eq=False: pandas Series fields have no single truth value
class OmegaResult:
    """McDonald's omega total from a one-factor model.

    Attributes
    ----------
    omega : float
        Omega total.
    loadings : pandas.Series
        Standardised loadings per item (sign fixed so that their sum is positive).
    uniquenesses : pandas.Series
        Unique variances per item (``1 - loading**2`` for the ML fit).
    n : int
        Respondents used.
    k : int
        Number of items.
    nan_policy : {"pairwise", "listwise"}
        How missing answers were handled.
    """

    omega: float
    loadings: pd.Series
    uniquenesses: pd.Series
    n: int
    k: int
    nan_policy: NanPolicy

    def to_frame(self) -> pd.DataFrame:
        """Per-item table: ``loading``, ``uniqueness``, ``communality``."""
        table = pd.DataFrame(
            {
                "loading": self.loadings,
                "uniqueness": self.uniquenesses,
                "communality": self.loadings**2,
            }
        )
        table.index.name = "item"
        return table

    def summary(self, digits: int = 3) -> str:
        """One line for reports; numbers rounded to ``digits`` for display only."""
        return (
            f"McDonald's omega (total, one factor, ML) = {self.omega:.{digits}f}; "
            f"n = {self.n}, k = {self.k}, nan_policy = {self.nan_policy!r}"
        )

    def _repr_html_(self) -> str:
        return f"<p>{self.summary()}</p>" + self.to_frame().to_html()


def _omega_keyed(keyed: pd.DataFrame, nan_policy: str) -> OmegaResult:
    """One-factor ML omega on validated, reverse-keyed float items."""
    from statsmodels.multivariate.factor import Factor  # deferred: heavy import

    used = _apply_nan_policy(keyed, nan_policy)
    n, k = used.shape
    problems: list[str] = []
    if n < 3:
        problems.append(
            f"omega needs at least 3 respondents after {nan_policy} deletion, got {n} "
            f"(items {_show(list(keyed.columns))})"
        )
    else:
        constant = [c for c in used.columns if not used[c].std(ddof=1) > 0]
        if constant:
            problems.append(f"items without variance (correlation undefined): {_show(constant)}")
        if nan_policy == "pairwise":
            problems.extend(_pairwise_problems(used, minimum=3))
    if problems:
        raise ScaleInputError(problems)
    corr = used.corr().to_numpy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = Factor(corr=corr, n_factor=1, method="ml", nobs=n).fit()
    retvals = getattr(fit, "mle_retvals", None)
    converged = bool(retvals is not None and retvals.get("success", False))
    if caught or not converged:
        # Re-issue statsmodels' warnings once, naming the items (it does not).
        details = "; ".join(sorted({str(w.message) for w in caught})) or "no convergence flag"
        warnings.warn(
            f"one-factor ML fit for items {_show(list(used.columns))} may be unreliable "
            f"({details}); a loading near 1 (Heywood case) or very few respondents are the "
            "usual causes",
            UserWarning,
            stacklevel=4,
        )
    loadings = np.asarray(fit.loadings, dtype="float64")[:, 0]
    if loadings.sum() < 0:  # a factor's sign is arbitrary
        loadings = -loadings
    uniquenesses = np.asarray(fit.uniqueness, dtype="float64")
    total = loadings.sum() ** 2
    value = float(total / (total + uniquenesses.sum()))
    names = pd.Index(list(used.columns), name="item")
    if (loadings < 0).any():
        negative = list(names[loadings < 0])
        _warn_reverse_keys(
            f"items {_show(negative)} load negatively on the common factor; check reverse keys",
            stacklevel=4,
        )
    return OmegaResult(
        omega=value,
        loadings=pd.Series(loadings, index=names, name="loading"),
        uniquenesses=pd.Series(uniquenesses, index=names, name="uniqueness"),
        n=int(n),
        k=int(k),
        nan_policy=nan_policy,  # type: ignore[arg-type]
    )


def omega(
    items: pd.DataFrame,
    *,
    reverse: str | Iterable[Hashable] = (),
    scale: tuple[float, float] = (1, 5),
    nan_policy: NanPolicy = "listwise",
) -> OmegaResult:
    r"""McDonald's omega total of one scale from a one-factor maximum-likelihood model.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item (at least three), one row per respondent; NaN = unanswered.
    reverse : str or iterable of column names, default ()
        Reverse-keyed items, scored as ``min + max - answer`` first.
    scale : (min, max), default (1, 5)
        Answer range of every item.
    nan_policy : {"pairwise", "listwise"}, default "listwise"
        Correlations from complete rows only, or from pairwise-complete answers.

    Returns
    -------
    OmegaResult
        ``omega, loadings, uniquenesses, n, k, nan_policy``.

    Raises
    ------
    ScaleInputError
        Fewer than three items (a one-factor model is not identified with two), and the
        input problems listed for :func:`cronbach_alpha`; items without variance.

    Warns
    -----
    ReverseKeyWarning
        When an item loads negatively (usually a reverse key that was not applied).

    Notes
    -----
    The items are standardised (the model is fitted to their correlation matrix) and a
    single factor is fitted by maximum likelihood with
    ``statsmodels.multivariate.factor.Factor(method="ml")``. With loadings
    :math:`\lambda_j` and uniquenesses :math:`\psi_j = 1 - \lambda_j^2`,

    .. math:: \omega = \frac{(\sum_j \lambda_j)^2}{(\sum_j \lambda_j)^2 + \sum_j \psi_j}

    (McDonald [1]_). The ML fit was chosen over ``sklearn.decomposition.FactorAnalysis``
    because it works on the correlation matrix itself (so pairwise correlations are
    possible) and its uniquenesses sum exactly with the communalities to 1; on simulated
    and real data the two agree to about 1e-4 (see the tests). R ``psych::omega`` uses a
    hierarchical (bifactor) model with minres by default, so its omega total can differ;
    this is the one-factor omega total (``psych::omega(x, nfactors = 1, fm = "ml")``).

    For tau-equivalent items (equal loadings) omega equals alpha; for congeneric items
    omega >= alpha.

    References
    ----------
    .. [1] McDonald, R. P. (1999). Test theory: A unified treatment. Mahwah, NJ: Erlbaum.
    .. [2] Revelle, W., & Condon, D. M. (2019). Reliability from alpha to omega: A tutorial.
           Psychological Assessment, 31(12), 1395-1411.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> factor = rng.normal(size=500)
    >>> answers = pd.DataFrame(
    ...     {f"q{j}": np.clip(np.round(3 + factor + rng.normal(size=500)), 1, 5)
    ...      for j in range(1, 5)}
    ... )
    >>> res = omega(answers)
    >>> res.k, res.n, bool(0.7 < res.omega < 0.9)
    (4, 500, True)
    """
    _check_option(nan_policy, _NAN_POLICIES, "nan_policy")
    keyed = _prepare_items(items, reverse=reverse, scale=scale, min_items=3, what="omega")
    return _omega_keyed(keyed, nan_policy)


# ----------------------------------------------------------------------------- items


def _item_analysis_keyed(keyed: pd.DataFrame, nan_policy: str) -> pd.DataFrame:
    share_missing = keyed.isna().mean()
    used = _apply_nan_policy(keyed, nan_policy)
    total = _alpha_keyed(used, nan_policy, 0.95)
    cov = used.cov().to_numpy()
    names = list(used.columns)
    rows = []
    for j, name in enumerate(names):
        rest = [i for i in range(len(names)) if i != j]
        rest_cov = cov[j, rest].sum()
        rest_var = cov[np.ix_(rest, rest)].sum()
        item_rest_r = float(rest_cov / math.sqrt(cov[j, j] * rest_var))
        if len(names) > 2:
            alpha_if_deleted = _alpha_keyed(used.drop(columns=[name]), nan_policy, 0.95).alpha
        else:
            alpha_if_deleted = float("nan")  # alpha of a single item is undefined
        rows.append(
            {
                "n": int(used[name].notna().sum()),
                "mean": float(used[name].mean()),
                "sd": float(used[name].std(ddof=1)),
                "share_missing": float(share_missing[name]),
                "item_rest_r": item_rest_r,
                "alpha_if_deleted": alpha_if_deleted,
            }
        )
    table = pd.DataFrame(rows, index=pd.Index(names, name="item"))
    table.attrs["alpha"] = total.alpha
    table.attrs["n"] = total.n
    table.attrs["nan_policy"] = nan_policy
    negative = list(table.index[table["item_rest_r"] < 0])
    if negative or total.alpha < 0:
        reasons = []
        if negative:
            reasons.append(f"items {_show(negative)} correlate negatively with the rest")
        if total.alpha < 0:
            reasons.append(f"alpha is negative ({total.alpha:.3f})")
        _warn_reverse_keys("; ".join(reasons) + "; check reverse keys", stacklevel=4)
    return table


def item_analysis(
    items: pd.DataFrame,
    *,
    reverse: str | Iterable[Hashable] = (),
    scale: tuple[float, float] = (1, 5),
    nan_policy: NanPolicy = "pairwise",
) -> pd.DataFrame:
    r"""Per-item statistics of one scale: mean, sd, missing share, item-rest r, alpha if deleted.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item (at least two), one row per respondent; NaN = unanswered.
    reverse : str or iterable of column names, default ()
        Reverse-keyed items, scored as ``min + max - answer`` first.
    scale : (min, max), default (1, 5)
        Answer range of every item.
    nan_policy : {"pairwise", "listwise"}, default "pairwise"
        As in :func:`cronbach_alpha`; applied once to the whole scale, so every statistic
        (and every alpha-if-deleted) uses the same respondents.

    Returns
    -------
    pandas.DataFrame
        Index ``item``; columns ``n`` (answers used), ``mean`` and ``sd`` (after reverse
        keying, over the rows used), ``share_missing`` (share of all rows passed in),
        ``item_rest_r`` (corrected item-total correlation) and ``alpha_if_deleted`` (NaN for
        a two-item scale). ``attrs`` holds the scale's ``alpha``, ``n`` and ``nan_policy``.

    Raises
    ------
    ScaleInputError
        As :func:`cronbach_alpha`.

    Warns
    -----
    ReverseKeyWarning
        Message contains "check reverse keys" when any ``item_rest_r`` < 0 or alpha < 0.

    Notes
    -----
    The item-rest correlation of item :math:`j` is computed from the covariance matrix
    :math:`C` (pairwise or listwise) as in ``psych::alpha`` (``r.drop``):

    .. math:: r_{j,\text{rest}} = \frac{\sum_{i \ne j} C_{ij}}
              {\sqrt{C_{jj} \sum_{i,l \ne j} C_{il}}}

    which, with complete data, is the Pearson correlation of the item with the sum of the
    other items. ``alpha_if_deleted`` is :func:`cronbach_alpha` on the other
    :math:`k - 1` items of the same rows.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
           Psychometrika, 16(3), 297-334.
    .. [2] Revelle, W. psych: ``alpha`` (``alpha.drop``, ``item.stats``).
           https://CRAN.R-project.org/package=psych

    Examples
    --------
    Four items driven by one factor; ``q4`` is worded the other way round.

    >>> rng = np.random.default_rng(0)
    >>> factor = rng.normal(size=200)
    >>> answers = pd.DataFrame(
    ...     {f"q{j}": np.clip(np.round(3 + factor + rng.normal(size=200)), 1, 5)
    ...      for j in range(1, 5)}
    ... )
    >>> answers["q4"] = 6 - answers["q4"]
    >>> table = item_analysis(answers, reverse=["q4"])
    >>> shown = table[["mean", "item_rest_r", "alpha_if_deleted"]].round(3)
    >>> shown  # doctest: +NORMALIZE_WHITESPACE
           mean  item_rest_r  alpha_if_deleted
    item
    q1    2.940        0.635             0.762
    q2    3.025        0.624             0.767
    q3    3.005        0.625             0.767
    q4    2.865        0.639             0.760
    """
    _check_option(nan_policy, _NAN_POLICIES, "nan_policy")
    keyed = _prepare_items(items, reverse=reverse, scale=scale, min_items=2, what="item analysis")
    return _item_analysis_keyed(keyed, nan_policy)


# ----------------------------------------------------------------------------- all scales


def scale_reliability(
    data: pd.DataFrame,
    item_map: ItemMap,
    *,
    nan_policy: NanPolicy = "pairwise",
    ci: float = 0.95,
    scales: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Reliability of every scale in the item map: alpha with CI, omega, mean and sd.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent, one column per item.
    item_map : ItemMap
        Scales, reverse keys and answer ranges; the items' own min/max are used.
    nan_policy : {"pairwise", "listwise"}, default "pairwise"
        Used for alpha and for the correlations behind omega.
    ci : float, default 0.95
        Confidence level of the Feldt interval for alpha.
    scales : str or iterable of str, optional
        Only these scales (default: all).

    Returns
    -------
    pandas.DataFrame
        One row per scale: ``scale, k, n, alpha, ci_low, ci_high, omega, mean, sd``.
        ``omega`` is NaN for scales with fewer than three items. ``mean`` and ``sd`` describe
        the respondents' mean of answered items over the rows used (as ``psych::alpha``
        reports them), not :func:`score` with its ``min_answered`` rule.

    Raises
    ------
    ScaleInputError
        Items missing from ``data``, non-numeric or out-of-range answers, scales with one
        item, items without answers; all scales' problems are reported together.

    Warns
    -----
    ReverseKeyWarning
        When a scale's alpha is negative.

    Notes
    -----
    Per scale this is :func:`cronbach_alpha` (which calls ``pingouin.cronbach_alpha``) and
    :func:`omega` on the items reverse-keyed by ``item_map``; see those functions for the
    formulas and for the definition of ``n``.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
           Psychometrika, 16(3), 297-334.
    .. [2] McDonald, R. P. (1999). Test theory: A unified treatment. Mahwah, NJ: Erlbaum.
    .. [3] Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
           coefficient alpha. Applied Psychological Measurement, 11(1), 93-103.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> factor = rng.normal(size=200)
    >>> answers = pd.DataFrame(
    ...     {f"q{j}": np.clip(np.round(3 + factor + rng.normal(size=200)), 1, 5)
    ...      for j in range(1, 5)}
    ... )
    >>> answers["q4"] = 6 - answers["q4"]
    >>> imap = ItemMap.from_dict(
    ...     {"s": {"items": ["q1", "q2", "q3", "q4"], "reverse": ["q4"], "min": 1, "max": 5}}
    ... )
    >>> scale_reliability(answers, imap).round(3)
      scale  k    n  alpha  ci_low  ci_high  omega   mean     sd
    0     s  4  200  0.812   0.766    0.851  0.813  2.959  1.009
    """
    if not isinstance(item_map, ItemMap):
        raise TypeError(f"item_map must be an ItemMap, got {type(item_map).__name__}")
    _check_option(nan_policy, _NAN_POLICIES, "nan_policy")
    _check_ci(ci)
    chosen = item_map._scale_list(scales)
    problems: list[str] = []
    for scale_name in chosen:
        k = len(item_map.scales[scale_name])
        if k < 2:
            problems.append(
                f"scale {scale_name!r} has one item {_show(item_map.scales[scale_name])}; "
                "alpha is undefined"
            )
    try:
        keyed_all = item_map.reverse_key(data, scales=chosen)
    except ScaleInputError as error:
        raise ScaleInputError(problems + list(error.problems)) from None
    for scale_name in chosen:
        keyed = keyed_all[list(item_map.scales[scale_name])]
        problems.extend(_all_missing_problems(keyed, context=f"scale {scale_name!r}: "))
    if problems:
        raise ScaleInputError(problems)

    rows = []
    for scale_name in chosen:
        keyed = keyed_all[list(item_map.scales[scale_name])].astype("float64")
        alpha = _alpha_keyed(keyed, nan_policy, ci)
        omega_value = _omega_keyed(keyed, nan_policy).omega if keyed.shape[1] >= 3 else float("nan")
        person_means = _apply_nan_policy(keyed, nan_policy).mean(axis=1)
        rows.append(
            {
                "scale": scale_name,
                "k": alpha.k,
                "n": alpha.n,
                "alpha": alpha.alpha,
                "ci_low": alpha.ci_low,
                "ci_high": alpha.ci_high,
                "omega": omega_value,
                "mean": float(person_means.mean()),
                "sd": float(person_means.std(ddof=1)),
            }
        )
    table = pd.DataFrame(
        rows, columns=["scale", "k", "n", "alpha", "ci_low", "ci_high", "omega", "mean", "sd"]
    )
    negative = list(table.loc[table["alpha"] < 0, "scale"])
    if negative:
        _warn_reverse_keys(f"scales {_show(negative)} have negative alpha; check reverse keys")
    return table
