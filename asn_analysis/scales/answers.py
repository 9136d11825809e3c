"""Answers to questionnaire items: the scale input error, and the checks every scale function runs.

Answers are read as float64 (NaN = unanswered; blank strings too), and every answer that is not
a number or lies outside its item's range is reported, naming column, rows and values, in one
:class:`ScaleInputError`.

Examples
--------
>>> import pandas as pd
>>> problems = []
>>> data = pd.DataFrame({"a": [1, 7], "b": ["2", "agree"]})
>>> numeric_items(data, ["a", "b"], {"a": 1, "b": 1}, {"a": 5, "b": 5}, problems).to_dict("list")
{'a': [1.0, 7.0], 'b': [2.0, nan]}
>>> for p in problems:
...     print(p)
column 'a': answers outside 1-5: values [7.0] in rows [1]
column 'b': non-numeric answers ['agree'] in rows [1]
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from asn_analysis.errors import InputProblems

__all__ = [
    "ScaleInputError",
    "all_missing_problems",
    "as_names",
    "duplicate_column_problem",
    "numeric_items",
    "plain",
    "show",
]

_MAX_SHOWN = 10  # values / rows listed per problem in error messages


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


def show(values: Iterable[Any]) -> str:
    """List at most ten values for an error message, in brackets, saying how many more.

    Examples
    --------
    >>> show(range(12))
    '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ... (2 more)]'
    """
    values = list(values)
    shown = ", ".join(repr(plain(v)) for v in values[:_MAX_SHOWN])
    if len(values) > _MAX_SHOWN:
        shown += f", ... ({len(values) - _MAX_SHOWN} more)"
    return f"[{shown}]"


def plain(value: Any) -> Any:
    """Numpy scalars as Python scalars so messages read ``3`` rather than ``np.int64(3)``."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def as_names(names: str | Iterable[Hashable]) -> tuple[Hashable, ...]:
    """Return a single column name or an iterable of names as a tuple."""
    if isinstance(names, str):
        return (names,)
    return tuple(names)


def _numeric_column(column: pd.Series, name: Hashable) -> tuple[pd.Series, str | None]:
    """Convert answers to float64 (NaN = unanswered); report values that are not numbers."""
    if pd.api.types.is_bool_dtype(column.dtype):
        values = pd.unique(column.dropna())
        return column.astype("float64"), (
            f"column {name!r}: non-numeric answers (boolean values {show(values)})"
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
            f"column {name!r}: non-numeric answers {show(values)} in rows {show(rows)}"
        )
    return coerced, None


def _range_problem(values: pd.Series, name: Hashable, lo: float, hi: float) -> str | None:
    bad = values.notna() & ((values < lo) | (values > hi))
    if not bad.any():
        return None
    rows = list(values.index[bad.to_numpy()])
    shown = pd.unique(values[bad])
    return (
        f"column {name!r}: answers outside {plain(lo)}-{plain(hi)}: values {show(shown)} "
        f"in rows {show(rows)}"
    )


def numeric_items(
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


def duplicate_column_problem(data: pd.DataFrame, wanted: Iterable[Hashable]) -> str | None:
    """Name the ``wanted`` columns that occur more than once in ``data`` (None if none)."""
    wanted = set(wanted)
    duplicated = data.columns[data.columns.duplicated()]
    names = [c for c in pd.unique(duplicated) if c in wanted]
    if names:
        return f"data has duplicate item columns {show(names)}"
    return None


def all_missing_problems(keyed: pd.DataFrame, context: str = "") -> list[str]:
    """Name the items without a single answer (a list with one problem, or empty)."""
    empty = [c for c in keyed.columns if keyed[c].isna().all()]
    if not empty:
        return []
    return [f"{context}items with no answers at all (all missing): {show(empty)}"]
