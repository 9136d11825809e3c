"""Item maps and scale scores: which items form which scale, reverse keys, and each person's score.

:class:`ItemMap` says which items make up which scale, which items are reverse-keyed and the
answer range of every item (the ``survey_items`` table, see ``data/README.md``). :func:`score`
gives one scale score per respondent: the mean of the answered items after reverse keying.
Every scoring function takes the item map, so reverse keys are applied everywhere or nowhere.

References
----------
.. [1] Revelle, W. (2024). psych: Procedures for psychological, psychometric, and
       personality research (``scoreItems``). R package, https://CRAN.R-project.org/package=psych

Examples
--------
>>> import pandas as pd
>>> imap = ItemMap.from_dict({"s": {"items": ["a", "b"], "reverse": ["b"], "min": 1, "max": 5}})
>>> score(pd.DataFrame({"a": [4, 2], "b": [2, 1]}), imap)
     s
0  4.0
1  3.5
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from asn_analysis.errors import AsnAnalysisWarning, OptionError
from asn_analysis.scales.answers import (
    ScaleInputError,
    as_names,
    duplicate_column_problem,
    numeric_items,
    plain,
    show,
)

__all__ = ["InsufficientAnswersWarning", "ItemMap", "score"]

_TRUE_FLAGS = frozenset({"true", "1"})
_FALSE_FLAGS = frozenset({"false", "0"})


class InsufficientAnswersWarning(AsnAnalysisWarning):
    """Some respondents answered too few items of a scale, so their score is NaN."""


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
            problems.append(f"items listed more than once: {show(listed)}")
        reverse = frozenset(as_names(self.reverse_keyed))
        stray = sorted((r for r in reverse if r not in owners), key=repr)
        if stray:
            problems.append(f"reverse-keyed items that belong to no scale: {show(stray)}")
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
                inverted.append(f"{item!r} (min={plain(lo)}, max={plain(hi)})")
            lows[item], highs[item] = lo_f, hi_f
        if no_bounds:
            problems.append(f"items without min or max: {show(no_bounds)}")
        if bad_bounds:
            problems.append(f"items whose min/max are not finite numbers: {show(bad_bounds)}")
        if inverted:
            problems.append(f"items with min >= max: {show(inverted)}")
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
                f"item map table is missing columns {show(missing)} "
                f"(has {show(list(frame.columns))})"
            )
        problems: list[str] = []

        def blank(values: pd.Series) -> pd.Series:
            return values.isna() | values.astype(str).str.strip().eq("")

        for column in ("scale", "item"):
            empty = blank(frame[column])
            if empty.any():
                rows = list(frame.index[empty.to_numpy()])
                problems.append(f"column {column!r}: blank values in rows {show(rows)}")
        items = frame["item"].astype(object).map(lambda v: v.strip() if isinstance(v, str) else v)
        duplicated = items.duplicated(keep=False) & ~blank(frame["item"])
        if duplicated.any():
            names = pd.unique(items[duplicated])
            rows = list(frame.index[duplicated.to_numpy()])
            problems.append(f"duplicate items {show(names)} in rows {show(rows)}")

        flags = frame["reverse_keyed"]
        parsed: dict[Any, bool] = {}
        unknown_rows, unknown_values = [], []
        for row, item, flag in zip(frame.index, items, flags, strict=True):
            value = _parse_flag(flag)
            if value is None:
                unknown_rows.append(f"{item!r} (row {plain(row)!r})")
                unknown_values.append(flag)
            else:
                parsed[row] = value
        if unknown_rows:
            problems.append(
                "column 'reverse_keyed': values are not true/false: "
                f"{show(pd.unique(pd.Series(unknown_values, dtype=object)))} "
                f"for items {show(unknown_rows)}"
            )

        bounds: dict[str, pd.Series] = {}
        for column in ("min", "max"):
            raw = frame[column].astype(object)
            numeric = pd.to_numeric(raw, errors="coerce").astype("float64")
            bad = numeric.isna()
            if bad.any():
                shown = [f"{i!r} ({v!r})" for i, v in zip(items[bad], raw[bad], strict=True)]
                problems.append(f"column {column!r}: missing or non-numeric for {show(shown)}")
            bounds[column] = numeric
        inverted = bounds["min"].notna() & bounds["max"].notna() & (bounds["min"] >= bounds["max"])
        if inverted.any():
            shown = [
                f"{i!r} (min={plain(lo)}, max={plain(hi)})"
                for i, lo, hi in zip(
                    items[inverted],
                    bounds["min"][inverted],
                    bounds["max"][inverted],
                    strict=True,
                )
            ]
            problems.append(f"items with min >= max: {show(shown)}")
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
                problems.append(f"scale {name!r}: unknown keys {show(extra)}")
            absent = [key for key in ("items", "min", "max") if key not in entry]
            if absent:
                problems.append(f"scale {name!r}: missing keys {show(absent)}")
                continue
            items = entry["items"]
            if isinstance(items, str):
                problems.append(f"scale {name!r}: items must be a list of names, got {items!r}")
                continue
            items = tuple(items)
            scales[name] = items
            reverse.extend(as_names(entry.get("reverse", ())))
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

    def select_scales(self, scales: str | Iterable[str] | None) -> tuple[str, ...]:
        """Return the names of ``scales`` (a name or several; None for all), checked.

        Raises
        ------
        ScaleInputError
            If the item map has no scale of one of the names.

        Examples
        --------
        >>> imap = ItemMap.from_dict({"s": {"items": ["a", "b"], "min": 1, "max": 5}})
        >>> imap.select_scales(None), imap.select_scales("s")
        (('s',), ('s',))
        """
        if scales is None:
            return self.scale_names
        chosen = as_names(scales)
        unknown = [s for s in chosen if s not in self.scales]
        if unknown:
            raise ScaleInputError(
                f"unknown scales {show(unknown)}; the item map has {show(self.scale_names)}"
            )
        return tuple(str(s) for s in chosen)

    def items(self, scale: str) -> tuple[Hashable, ...]:
        """Items of ``scale``, in order.

        Raises
        ------
        ScaleInputError
            If the item map has no such scale.
        """
        return self.scales[self.select_scales(scale)[0]]

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
            per_scale = "; ".join(f"{s!r}: {show(m)}" for s, m in missing_by_scale.items() if m)
            problems.append(
                f"items named in the item map but missing from data: {show(missing)} "
                f"(by scale: {per_scale})"
            )
        duplicate = duplicate_column_problem(data, wanted)
        if duplicate:
            problems.append(duplicate)
            present = []
        else:
            present = [i for i in wanted if i in data.columns]
        numeric = numeric_items(data, present, self.item_min, self.item_max, problems)
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
        self._numeric(data, self.select_scales(scales))

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
        chosen = self.select_scales(scales)
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
    OptionError
        `min_answered` neither a share in (0, 1] nor a whole number of at least 1.

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
    if (
        isinstance(min_answered, (bool, np.bool_))
        or not isinstance(min_answered, numbers.Real)
        or (is_count and min_answered < 1)
        or (not is_count and not 0 < min_answered <= 1)
    ):
        raise OptionError(
            "min_answered must be a share in (0, 1] or a whole number of items of at least 1, "
            f"not {min_answered!r}"
        )
    chosen = item_map.select_scales(scales)
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
