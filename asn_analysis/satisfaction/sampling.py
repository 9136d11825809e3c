"""How many SKM respondents a unit needs (Krejcie & Morgan) and whether a survey reached it.

PermenPANRB No. 14 Tahun 2017 takes the SKM sample size from the Krejcie-Morgan table for the
number of service users; :func:`sample_adequacy` compares the respondents of every unit and
semester with that size.

References
----------
.. [1] Krejcie, R. V., & Morgan, D. W. (1970). Determining sample size for research activities.
   *Educational and Psychological Measurement*, 30(3), 607-610.
.. [2] PermenPANRB No. 14 Tahun 2017, Lampiran: penentuan besaran sampel.

Examples
--------
>>> krejcie_morgan(100), krejcie_morgan(1_000_000)
(80, 384)
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Literal, TypeAlias, overload

import numpy as np
import pandas as pd

from asn_analysis._validation import check_option, check_positive, show_list
from asn_analysis.errors import OptionError
from asn_analysis.satisfaction.inputs import (
    SHOW,
    By,
    SatisfactionInputError,
    by_list,
    check_by,
    check_frame,
    columns_hint,
    group_codes,
    locate,
)

__all__ = ["OnMissingPopulation", "krejcie_morgan", "sample_adequacy"]

#: What :func:`sample_adequacy` does with units without a population.
OnMissingPopulation: TypeAlias = Literal["raise", "flag"]


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
        If a population is missing, not a whole number, or less than 1.
    OptionError
        If `chi2` is not a positive number, or `p` or `d` is not between 0 and 1.

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
    check_positive("chi2", chi2)
    for name, value in (("p", p), ("d", d)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < 1:
            raise OptionError(f"{name} must be a number between 0 and 1, not {value!r}")
    problems: list[str] = []
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
        rows, count = locate(index if index is not None else pd.RangeIndex(flat.size), flat)
        where = f" at {'index' if index is not None else 'position'} {rows}" if n.ndim else ""
        problems.append(
            f"population: {count} value(s) missing, not whole or below 1{where}: "
            f"{show_list(n.ravel()[flat][:SHOW], count)}"
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
    OptionError
        An invalid `on_missing`, before the data are checked.

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
    check_option("on_missing", on_missing, OnMissingPopulation)
    problems: list[str] = []
    has_rows = check_frame(responses, problems)
    by_cols = by_list(by)
    by_ok = check_by(responses, by_cols, problems)
    if unit_col not in by_cols:
        problems.append(f"unit_col={unit_col!r} must be one of the by= columns {by_cols!r}")
        by_ok = False
    lookup: dict[Any, float] = {}
    if isinstance(population, pd.DataFrame):
        missing_cols = [c for c in (unit_col, population_col) if c not in population.columns]
        if missing_cols:
            problems.append(
                f"population table lacks column(s) {show_list(missing_cols)} (columns: "
                f"{columns_hint(population)})"
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
                    f"population table: units {show_list(conflict.index.tolist())} appear more "
                    f"than once in column {unit_col!r} with different {population_col!r}"
                )
            lookup = dict(zip(table["unit"], table["value"], strict=True))
    elif isinstance(population, Mapping):
        lookup = {unit: np.nan if v is None else v for unit, v in population.items()}
    else:
        kind = type(population).__name__
        raise TypeError(f"population must be a DataFrame or a mapping unit -> N, got {kind}")
    groups = group_codes(responses, by_cols, problems) if by_ok and has_rows else None
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
            f"population ({population_col!r}): units {show_list(bad_units)} have a population "
            f"below 1 or not whole: {show_list(pop_f[invalid])}"
        )
    if on_missing == "raise" and not known.all():
        missing_units = list(dict.fromkeys(units[~known].tolist()))
        problems.append(
            f"no population ({population_col!r}) for units {show_list(missing_units)} of column "
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
