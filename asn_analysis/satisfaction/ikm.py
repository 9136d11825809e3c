"""The IKM itself: NRR per element, the weighted index, and its mutu / kinerja categories.

Implements the computation of PermenPANRB No. 14 Tahun 2017: the mean of every element
(*nilai rata-rata per unsur*, NRR), their weighted sum (the IKM, 1-4), the converted value
(x 25, 25-100) and its band, the quality grade (*mutu*, A-D) and performance label (*kinerja
unit pelayanan*). Stored numbers are never rounded; the 2-decimal rounding of the regulation is
applied only to decide the category.

References
----------
.. [1] Peraturan Menteri PANRB No. 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan
   Masyarakat Unit Penyelenggara Pelayanan Publik.

Examples
--------
>>> import pandas as pd
>>> from asn_analysis.satisfaction import ELEMENTS
>>> df = pd.DataFrame({key: [3, 4] for key in ELEMENTS})
>>> ikm(df)[["n", "ikm", "ikm_converted", "mutu"]]
   n  ikm  ikm_converted mutu
0  2  3.5           87.5    B
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Sequence
from typing import Any, Literal, overload

import numpy as np
import pandas as pd

from asn_analysis._validation import check_option, show_list
from asn_analysis.satisfaction.inputs import (
    SHOW,
    By,
    ElementSpec,
    OnEmpty,
    Prepared,
    SatisfactionInputError,
    Weight,
    check_weight,
    combine,
    group_nrr,
    locate,
    prepare,
)
from asn_analysis.satisfaction.regulation import (
    ANSWER_MAX,
    ANSWER_MIN,
    CATEGORIES,
    CONVERSION_FACTOR,
)

__all__ = ["ikm", "ikm_table", "kinerja", "mutu"]

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
        rows, count = locate(where, flat)
        raise SatisfactionInputError(
            f"{name}: {count} converted IKM value(s) outside {low:g}-{high:g} (after rounding to "
            f"2 decimals), at {'index' if index is not None else 'position'} {rows}: values "
            f"{show_list(np.asarray(values, dtype=float).ravel()[flat][:SHOW], count)}"
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
            rows, count = locate(value.index, text)
            raise SatisfactionInputError(
                f"{name}: {count} value(s) are not numbers, at index {rows}: "
                f"{show_list(value.to_numpy()[text][:SHOW], count)}"
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


def _converted_range(weight: Weight, k: int) -> tuple[float, float]:
    """Attainable converted range; a printed weight such as 0.111 makes it 24.975-99.9."""
    scale = 1.0 if weight == "exact" else float(weight) * k
    return (
        min(25.0, CONVERSION_FACTOR * ANSWER_MIN * scale),
        max(100.0, CONVERSION_FACTOR * ANSWER_MAX * scale),
    )


def ikm_table(prep: Prepared, weight: Weight, on_empty: OnEmpty) -> pd.DataFrame:
    """Build the :func:`ikm` table from prepared responses (options already checked)."""
    nrr = group_nrr(prep, on_empty)
    index_1_4 = combine(nrr, weight)
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
        element without answers in a group (with ``on_empty="raise"``).
    OptionError
        An invalid `weight` or `on_empty`, before the data are checked.

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
    check_weight(weight)
    check_option("on_empty", on_empty, OnEmpty)
    prep = prepare(responses, by=by, elements=elements)
    return ikm_table(prep, weight, on_empty)
