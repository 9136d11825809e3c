"""Checks and conversions of the tables the effect estimators take, shared by all of them.

Each check raises :class:`EffectInputError` naming the column and what is wrong with it;
rows with a missing value in a needed column are dropped and counted (never silently).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from asn_analysis._validation import check_columns
from asn_analysis.errors import AsnAnalysisError

__all__ = [
    "EffectInputError",
    "binary_column",
    "check_frame",
    "complete_rows",
    "constant_within",
    "numeric_column",
]


class EffectInputError(AsnAnalysisError):
    """Input an effect estimator cannot use; the message names the column and what is wrong."""


def check_frame(data: Any, columns: Sequence[Hashable]) -> None:
    """Raise unless ``data`` is a DataFrame with rows and every one of ``columns``.

    Examples
    --------
    >>> check_frame(pd.DataFrame({"y": [1.0]}), ["y", "d"])
    Traceback (most recent call last):
    ...
    asn_analysis.effects.inputs.EffectInputError: data has no column 'd' (columns: 'y')
    """
    check_columns(data, "data", columns, error=EffectInputError)
    if len(data) == 0:
        raise EffectInputError("data has no rows")


def numeric_column(series: pd.Series, name: str) -> np.ndarray:
    """Return a float array (NaN for missing); raise when the column is not numeric.

    Examples
    --------
    >>> numeric_column(pd.Series([True, False]), "d")
    array([1., 0.])
    """
    if isinstance(series.dtype, pd.BooleanDtype) or series.dtype == bool:
        return series.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    if not pd.api.types.is_numeric_dtype(series):
        raise EffectInputError(
            f"column {name!r} must be numeric, found {series.dtype} "
            f"(e.g. {series.dropna().astype(str).head(3).tolist()})"
        )
    return series.to_numpy(dtype=float, na_value=np.nan)


def binary_column(values: np.ndarray, name: str) -> np.ndarray:
    """Return ``values`` unchanged; raise unless each is 0, 1 or missing.

    Examples
    --------
    >>> binary_column(np.array([0.0, 2.0]), "d")
    Traceback (most recent call last):
    ...
    asn_analysis.effects.inputs.EffectInputError: d must be binary (0/1 or True/False); found values [2.0]
    """  # noqa: E501
    ok = np.isnan(values) | (values == 0) | (values == 1)
    if not ok.all():
        bad = np.unique(values[~ok])[:5]
        raise EffectInputError(
            f"{name} must be binary (0/1 or True/False); found values {bad.tolist()}"
        )
    return values


def complete_rows(data: pd.DataFrame, columns: Sequence[Hashable]) -> tuple[pd.DataFrame, int]:
    """Drop rows with a missing value in ``columns``; return the rest and how many were dropped.

    Examples
    --------
    >>> rest, n_excluded = complete_rows(pd.DataFrame({"y": [1.0, None]}), ["y"])
    >>> len(rest), n_excluded
    (1, 1)
    """
    mask = data[list(dict.fromkeys(columns))].notna().all(axis=1)
    n_excluded = int((~mask).sum())
    return (data, 0) if n_excluded == 0 else (data.loc[mask], n_excluded)


def constant_within(frame: pd.DataFrame, column: str, by: list[Hashable], what: str) -> None:
    """Raise unless ``column`` takes one value within each group of ``by`` (a ``what``).

    Examples
    --------
    >>> constant_within(pd.DataFrame({"u": [1, 1], "d": [0, 1]}), "d", ["u"], "unit")
    Traceback (most recent call last):
    ...
    asn_analysis.effects.inputs.EffectInputError: d varies within a unit (1 units, e.g. 1); it must be constant within each unit
    """  # noqa: E501
    spread = frame.groupby(by, observed=True, sort=False)[column].nunique()
    bad = spread[spread > 1]
    if len(bad):
        shown = ", ".join(map(str, bad.index[:5].tolist()))
        raise EffectInputError(
            f"{column} varies within a {what} ({len(bad)} {what}s, e.g. {shown}); it must be "
            f"constant within each {what}"
        )
