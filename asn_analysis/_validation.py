"""Checks of options and frames shared by every public function, defined once.

Each check raises :class:`~asn_analysis.errors.OptionError` (options) or the caller's own
error class (frames), with one wording everywhere, so a typo in ``lang``, ``level`` or an
option set reads the same whichever function it was passed to. ``Lang`` is the one alias of
the output languages.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Sequence
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from asn_analysis.errors import AsnAnalysisError, OptionError

__all__ = [
    "Lang",
    "check_columns",
    "check_int",
    "check_lang",
    "check_level",
    "check_option",
    "check_positive",
    "show_list",
    "show_value",
    "show_values",
]

#: Output language: Bahasa Indonesia or English.
Lang = Literal["id", "en"]


def show_values(values: Sequence[Any], limit: int = 5) -> str:
    """Join values for a message, showing at most ``limit`` of them and how many more.

    Examples
    --------
    >>> show_values(["a", "b", "c"], limit=2)
    "'a', 'b' and 1 more"
    """
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:limit])
    rest = len(values) - limit
    return f"{shown} and {rest} more" if rest > 0 else shown


def show_list(values: Sequence[Any], total: int | None = None, limit: int = 5) -> str:
    """Bracket values for a message: at most ``limit`` of them, and ``total`` when cut short.

    Floats print in the shortest form (``2.5``, ``7``); NumPy scalars as Python values.
    ``total`` is the number of values in all when ``values`` is already a sample of them.

    Examples
    --------
    >>> show_list([np.float64(2.5), "a"])
    "[2.5, 'a']"
    >>> show_list(range(7), limit=3)
    '[0, 1, 2, ... (7 in all)]'
    """
    values = list(values)
    total = len(values) if total is None else total
    shown = ", ".join(show_value(v) for v in values[:limit])
    more = f", ... ({total} in all)" if total > limit else ""
    return f"[{shown}{more}]"


def show_value(value: Any) -> str:
    """Show one value in a message: floats in the shortest form, NumPy scalars as Python ones.

    Examples
    --------
    >>> show_value(np.float64(2.50)), show_value("x")
    ('2.5', "'x'")
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value)


def check_option(name: str, value: Any, alias: Any) -> None:
    """Raise if ``value`` is not one of the ``Literal`` alias's values.

    Parameters
    ----------
    name : str
        The option's name, as the caller spells it.
    value : object
        What was passed.
    alias : typing.Literal alias, or a tuple of allowed values

    Raises
    ------
    OptionError
        ``"<name> must be one of 'a', 'b', not 'c'"``.

    Examples
    --------
    >>> check_option("cap", "none", Literal["none", "standard"])
    >>> check_option("cap", "x", Literal["none", "standard"])
    Traceback (most recent call last):
    ...
    asn_analysis.errors.OptionError: cap must be one of 'none', 'standard', not 'x'
    """
    allowed = alias if isinstance(alias, tuple) else get_args(alias)
    if isinstance(value, Hashable) and value in allowed:
        return
    shown = ", ".join(repr(a) for a in allowed)
    raise OptionError(f"{name} must be one of {shown}, not {value!r}")


def check_lang(lang: Any) -> None:
    """Raise :class:`OptionError` unless ``lang`` is ``"id"`` or ``"en"``.

    Examples
    --------
    >>> check_lang("id")
    """
    check_option("lang", lang, Lang)


def check_level(level: Any, name: str = "level") -> None:
    """Raise :class:`OptionError` unless ``level`` is a confidence level strictly in (0, 1).

    Examples
    --------
    >>> check_level(0.95)
    >>> check_level(95)
    Traceback (most recent call last):
    ...
    asn_analysis.errors.OptionError: level must be between 0 and 1 (e.g. 0.95), not 95
    """
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < float(level) < 1:
        raise OptionError(f"{name} must be between 0 and 1 (e.g. 0.95), not {level!r}")


def check_positive(name: str, value: Any) -> None:
    """Raise :class:`OptionError` unless ``value`` is a finite number above 0.

    Examples
    --------
    >>> check_positive("jp_per_level", 40)
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise OptionError(f"{name} must be a positive number, not {value!r}")


def check_int(name: str, value: Any, minimum: int) -> int:
    """Return ``value`` as int; raise :class:`OptionError` unless it is a whole number >= minimum.

    Examples
    --------
    >>> check_int("n_boot", 99, 1)
    99
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise OptionError(f"{name} must be a whole number of at least {minimum}, not {value!r}")
    return int(value)


def check_columns(
    frame: Any,
    name: str,
    columns: Sequence[Hashable],
    *,
    error: type[AsnAnalysisError] = AsnAnalysisError,
) -> None:
    """Raise ``error`` unless ``frame`` is a DataFrame holding every one of ``columns``.

    The message names the frame, the missing columns and the columns that were found.

    Examples
    --------
    >>> check_columns(pd.DataFrame({"a": [1]}), "data", ["a", "b"])
    Traceback (most recent call last):
    ...
    asn_analysis.errors.AsnAnalysisError: data has no column 'b' (columns: 'a')
    """
    if not isinstance(frame, pd.DataFrame):
        raise error(f"{name} must be a pandas DataFrame, not {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise error(
            f"{name} has no column {show_values(missing, 10)} "
            f"(columns: {show_values(list(frame.columns), 20)})"
        )
