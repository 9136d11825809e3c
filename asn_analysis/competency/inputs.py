"""Reading the competency inputs: the error class, option sets, levels, dates and grouping keys.

Every function of :mod:`asn_analysis.competency` reads assessments, standards, employees or gaps
through these checks, so a bad level, date or employee id is reported with the same wording
(table, column, counts, example values and rows) wherever it is passed.

References
----------
.. [1] Peraturan Menteri PANRB No. 38 Tahun 2017 tentang Standar Kompetensi Jabatan Aparatur Sipil
   Negara (competency levels 1-5).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Literal, TypeAlias

import numpy as np
import pandas as pd

from asn_analysis._validation import check_columns, show_list
from asn_analysis.errors import InputProblems

__all__ = [
    "LEVEL_MAX",
    "LEVEL_MIN",
    "TECHNICAL_GROUP",
    "AsOf",
    "Cap",
    "CompetencyInputError",
    "OnProblem",
    "Scheme",
    "as_list",
    "assessment_dates",
    "attach_employees",
    "day_after",
    "parse_as_of",
    "whole_levels",
]

#: JPM category scheme (see :func:`asn_analysis.competency.jpm_category`).
Scheme: TypeAlias = Literal["pemetaan", "seleksi"]
#: Where the JPM is capped at 100 % (see :func:`asn_analysis.competency.job_person_match`).
Cap: TypeAlias = Literal["total", "per_competency"]
#: What to do with assessments or employees that cannot be matched.
OnProblem: TypeAlias = Literal["raise", "exclude"]
#: A date: latest assessment on or before it; None for the latest of all.
AsOf: TypeAlias = str | _dt.date | pd.Timestamp | None

#: Levels of the competency scale (PermenPANRB 38/2017).
LEVEL_MIN, LEVEL_MAX = 1, 5
#: Competency group of the technical competencies (a post's specialist knowledge).
TECHNICAL_GROUP = "teknis"


class CompetencyInputError(InputProblems):
    """Competency input the analysis cannot use; the message lists every problem found.

    Parameters
    ----------
    problems : str or sequence of str
        One message per problem, naming the table, column(s), counts and example values.

    Attributes
    ----------
    problems : tuple of str
        The individual problems, in the order found.
    """

    heading = "problems in the competency input"


def parse_as_of(as_of: AsOf) -> pd.Timestamp | None:
    """Return ``as_of`` as a timestamp (None stays None); raise if it is not a date.

    Examples
    --------
    >>> parse_as_of("2025-06-30")
    Timestamp('2025-06-30 00:00:00')
    """
    if as_of is None:
        return None
    try:
        stamp = pd.Timestamp(as_of)
    except (TypeError, ValueError) as exc:
        raise CompetencyInputError(f"as_of={as_of!r} is not a date (YYYY-MM-DD)") from exc
    if pd.isna(stamp):
        raise CompetencyInputError(f"as_of={as_of!r} is not a date (YYYY-MM-DD)")
    return stamp


def day_after(stamp: pd.Timestamp) -> np.datetime64:
    """Midnight after the day of ``stamp``: ``as_of`` is a date, so all of that day is included.

    Examples
    --------
    >>> str(day_after(pd.Timestamp("2025-06-30 15:00")))
    '2025-07-01T00:00:00.000000'
    """
    return (stamp.normalize() + pd.Timedelta(days=1)).to_datetime64()


def whole_levels(series: pd.Series, table: str, column: str) -> np.ndarray:
    """Return whole numbers 1-5 as int8; raise naming rows and values otherwise.

    Examples
    --------
    >>> whole_levels(pd.Series([1, 5]), "assessments", "level")
    array([1, 5], dtype=int8)
    >>> whole_levels(pd.Series([1, 6]), "assessments", "level")
    Traceback (most recent call last):
    ...
    asn_analysis.competency.inputs.CompetencyInputError: assessments.level: ... [6] at rows [1]
    """
    values = series
    if isinstance(values.dtype, pd.CategoricalDtype) or not (
        pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    ):
        values = pd.to_numeric(values.astype(object), errors="coerce")
    if pd.api.types.is_integer_dtype(values.dtype) and isinstance(
        values.dtype, pd.api.extensions.ExtensionDtype
    ):
        # Nullable integers (Int64 as loaded, int64[pyarrow]): two masked reductions, then one
        # narrow copy; no float copy of the column (national scale: tens of millions of rows).
        if not len(values) or (
            not values.hasnans and values.min() >= LEVEL_MIN and values.max() <= LEVEL_MAX
        ):
            return values.to_numpy(dtype=np.int8)
        arr = values.to_numpy(dtype=np.float64, na_value=np.nan)
    elif isinstance(values.dtype, pd.api.extensions.ExtensionDtype):
        arr = values.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        arr = values.to_numpy()
    if arr.dtype.kind in "iu":
        if not len(arr) or (arr.min() >= LEVEL_MIN and arr.max() <= LEVEL_MAX):
            return arr.astype(np.int8, copy=False)  # two reductions, no mask (national scale)
        bad = (arr < LEVEL_MIN) | (arr > LEVEL_MAX)
    else:
        arr = arr.astype(np.float64, copy=False)
        bad = ~((arr >= LEVEL_MIN) & (arr <= LEVEL_MAX) & (arr == np.floor(arr)))
    if bad.any():
        raise _bad_values(
            series, bad, f"{table}.{column}", f"whole numbers {LEVEL_MIN}-{LEVEL_MAX}"
        )
    return arr.astype(np.int8, copy=False)


def _bad_values(series: pd.Series, bad: np.ndarray, where: str, what: str) -> CompetencyInputError:
    """Return the error naming the blank or invalid values of a column and their rows."""
    n = int(bad.sum())
    return CompetencyInputError(
        f"{where}: {n} values are blank or not {what}: {show_list(series[bad].tolist(), n)} "
        f"at rows {show_list(series.index[bad].tolist(), n)}"
    )


def assessment_dates(series: pd.Series, table: str) -> np.ndarray:
    """Return the ``assessed_on`` dates as datetime64[ns]; raise naming blanks and non-dates.

    Examples
    --------
    >>> assessment_dates(pd.Series(["2024-01-15"]), "assessments")
    array(['2024-01-15T00:00:00.000000000'], dtype='datetime64[ns]')
    """
    values = series
    if not pd.api.types.is_datetime64_any_dtype(values):
        values = pd.to_datetime(values, errors="coerce", format="ISO8601")
    values = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) else values
    arr = values.to_numpy(dtype="datetime64[ns]")
    bad = np.isnat(arr)
    if bad.any():
        raise _bad_values(series, bad, f"{table}.assessed_on", "dates")
    return arr


def as_list(by: str | Sequence[str]) -> list[str]:
    """Return grouping columns as a list (one name or several).

    Examples
    --------
    >>> as_list("unit_id"), as_list(("unit_id", "job_type"))
    (['unit_id'], ['unit_id', 'job_type'])
    """
    return [by] if isinstance(by, str) else list(by)


def attach_employees(gaps: pd.DataFrame, employees: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Add to ``gaps`` the ``by`` columns it lacks, from ``employees``; raise for unknown ids.

    Examples
    --------
    >>> gaps = pd.DataFrame({"employee_id": ["a"], "competency": ["k"], "required": [3],
    ...                      "held": [2]})
    >>> emp = pd.DataFrame({"employee_id": ["a"], "unit_id": ["U1"]})
    >>> attach_employees(gaps, emp, ["unit_id"])["unit_id"].tolist()
    ['U1']
    """
    check_columns(
        gaps, "gaps", ["employee_id", "competency", "required", "held"], error=CompetencyInputError
    )
    need = [c for c in by if c not in gaps.columns]
    if not need:
        return gaps
    check_columns(employees, "employees", ["employee_id", *need], error=CompetencyInputError)
    info = employees.set_index("employee_id")[need]
    unknown = ~gaps["employee_id"].isin(info.index)
    if unknown.any():
        n = int(unknown.sum())
        raise CompetencyInputError(
            f"gaps: {n} rows have an employee_id not in employees, e.g. "
            f"{show_list(pd.unique(gaps.loc[unknown, 'employee_id']).tolist(), n)}"
        )
    return gaps.join(info, on="employee_id")
