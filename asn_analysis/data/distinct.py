"""Compute a per-cell function of a text column once per distinct value, then spread it back.

The loader's parsers (numbers, dates, periods, true/false) and the period model's label parser
are functions of each cell's value alone, yet a column of 83,410 cells holds five levels or 424
dates. :func:`distinct_values` factorizes the column once (exact string equality, under either
pandas string storage) into integer codes and its distinct values, a missing value last when the
column has one; the caller runs the per-cell function on those few values and :func:`spread`
takes the results back to every cell by the codes.

The result is the per-cell result exactly, dtypes included: each value's result depends on the
value only, and pandas infers a result's dtype from the set of values it sees (all whole
numbers, any missing value), which the distinct values share with the column. Columns that are
not stored as text (``pd.StringDtype``), or that hold mostly distinct values, are computed cell
by cell (``codes`` is None): factorizing would only add work.

Examples
--------
>>> import pandas as pd
>>> s = pd.Series(["b", "a", "b", None, "a"], dtype="string", index=[10, 11, 12, 13, 14])
>>> codes, labels = distinct_values(s, most=1.0)
>>> codes.tolist(), labels.tolist()
([0, 1, 0, 2, 1], ['b', 'a', <NA>])
>>> spread(labels.str.upper(), codes, s.index).tolist()
['B', 'A', 'B', <NA>, 'A']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["DISTINCT_SHARE", "distinct_values", "spread"]

#: Factorize only when the distinct values are at most this share of the cells.
DISTINCT_SHARE = 0.5


def distinct_values(
    values: pd.Series, *, most: float = DISTINCT_SHARE, sort: bool = False
) -> tuple[np.ndarray | None, pd.Series]:
    """Return the codes of a text column and its distinct values (a missing value last).

    Parameters
    ----------
    values : pandas.Series
        A column stored as text (``pd.StringDtype``, either storage, either missing value).
    most : float, default :data:`DISTINCT_SHARE`
        Factorize only when the distinct values are at most this share of the cells.
    sort : bool, default False
        Sort the distinct values (then two columns holding the same values give the same
        distinct values, whatever their order in the column).

    Returns
    -------
    numpy.ndarray or None
        One code per cell, indexing the distinct values; None when the column is not stored as
        text or holds more distinct values than `most` allows (compute on `values` itself).
    pandas.Series
        The distinct values in order of first appearance (or sorted), with the dtype of `values`
        and a default index; the dtype's missing value last when the column has one. `values`
        itself when the codes are None.
    """
    if not isinstance(values.dtype, pd.StringDtype) or len(values) == 0:
        return None, values
    codes, uniques = pd.factorize(values.array, use_na_sentinel=True, sort=sort)
    missing = codes < 0
    blank = bool(missing.any())
    if len(uniques) + blank > most * len(values):
        return None, values
    if blank:
        # the dtype's own missing value (NaN or NA), as the column holds it
        uniques = uniques.take(np.append(np.arange(len(uniques)), -1), allow_fill=True)
        codes = np.where(missing, len(uniques) - 1, codes)
    return codes, pd.Series(uniques, name=values.name, copy=False)


def spread(result: pd.Series | pd.DataFrame, codes: np.ndarray, index: pd.Index):
    """Take a result computed on the distinct values back to every cell.

    Parameters
    ----------
    result : pandas.Series or pandas.DataFrame
        One row per distinct value (as :func:`distinct_values` returned them).
    codes : numpy.ndarray
        The codes of the cells.
    index : pandas.Index
        The index of the cells.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        One row per cell, on `index`, with the dtypes of `result`.
    """
    return result.take(codes).set_axis(index, axis=0)
