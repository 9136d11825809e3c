"""Survey periods as a small model: their kind, order, start and end dates, and coarsening.

SKM surveys run at least yearly (PermenPANRB 14/2017, Lampiran, Bab IV) and units report per
quarter (triwulan), semester or year. The loader normalises every spelling to one label per kind
(:mod:`asn_analysis.data.values`): ``2024-Q1`` (a quarter), ``2024-S1`` (a semester) or
``2024`` (a year). This module is the one place that knows what those labels mean, so no analysis
sorts period labels as text or splits them into halves itself:

* **order**: by start date, then by end date (``2024-Q1 < 2024-S1 < 2024 < 2024-Q2``; a year sorts
  with the periods that start with it), see :func:`sort_periods` and :func:`period_key`;
* **dates**: :func:`period_start` (first day) and :func:`period_end` (last day), and
  :func:`period_of` (the period of a given kind that holds a date);
* **coarsening**: :func:`coarsen` to a coarser kind (quarters Q1, Q2 -> S1 and Q3, Q4 -> S2;
  quarters and semesters -> the year), and :func:`coarsest_kind` of a set of periods;
* **steps**: :func:`period_number` counts periods of one kind (``2024-S2`` is one step after
  ``2024-S1``), for event time;
* **pooling** a table of mixed kinds to its coarsest kind, where that is honest
  (:func:`pool_mixed_kinds`, the loader's step right after validation).

Examples
--------
>>> import pandas as pd
>>> sort_periods(["2024-S2", "2024", "2024-Q1", "2023-S2", "2024-S1"])
['2023-S2', '2024-Q1', '2024-S1', '2024', '2024-S2']
>>> coarsen(pd.Series(["2024-Q1", "2024-Q3", "2024-S1"]), "semester").tolist()
['2024-S1', '2024-S2', '2024-S1']
>>> period_start("2024-S2"), period_end("2024-S2")
(Timestamp('2024-07-01 00:00:00'), Timestamp('2024-12-31 00:00:00'))
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from typing import Literal

import numpy as np
import pandas as pd

from asn_analysis._validation import check_option
from asn_analysis.data.distinct import distinct_values, spread
from asn_analysis.errors import AsnAnalysisError

__all__ = [
    "PERIOD_KINDS",
    "PeriodError",
    "PeriodKind",
    "coarsen",
    "coarsest_kind",
    "is_period",
    "ordered_times",
    "period_end",
    "period_key",
    "period_kind",
    "period_number",
    "period_of",
    "period_start",
    "pool_mixed_kinds",
    "sort_periods",
]

PeriodKind = Literal["quarter", "semester", "year"]
#: The kinds of period, finest first.
PERIOD_KINDS: tuple[str, ...] = ("quarter", "semester", "year")
_MONTHS = {"quarter": 3, "semester": 6, "year": 12}
_LETTER = {"Q": "quarter", "S": "semester", "": "year"}
_PREFIX = {"quarter": "Q", "semester": "S", "year": ""}
_LABEL = r"^(\d{4})(?:-([SQ])([1-4]))?$"
_LABEL_RE = re.compile(_LABEL)


class PeriodError(AsnAnalysisError):
    """A value that is not a normalised period, or periods that cannot be compared as asked."""


def _series(periods: object) -> pd.Series:
    if isinstance(periods, pd.Series):
        return periods
    if isinstance(periods, str):
        return pd.Series([periods], dtype="object")
    return pd.Series(list(periods), dtype="object")  # type: ignore[call-overload]


def _parts(periods: pd.Series) -> pd.DataFrame:
    """Split labels into year, kind and number (blank rows stay NA); anything else raises.

    The labels are parsed once per distinct value (:mod:`asn_analysis.data.distinct`) and spread
    back to every row.
    """
    text = periods.astype("string")
    codes, labels = distinct_values(text)
    parts, bad, too_big = _label_parts(labels)
    if codes is not None:
        parts, bad, too_big = spread(parts, codes, periods.index), bad[codes], too_big[codes]
    if bad.any():
        shown = ", ".join(repr(v) for v in pd.unique(periods[bad])[:5])
        raise PeriodError(
            f"not a period like 2024-Q1, 2024-S1 or 2024: {shown} / bukan periode yang dikenal"
        )
    if too_big.any():
        raise PeriodError(f"a year has two semesters: {', '.join(pd.unique(periods[too_big]))}")
    return parts


def _label_parts(labels: pd.Series) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Return the parts of each label, and masks of non-periods and of third semesters."""
    text = labels.astype("string").str.strip()
    parts = text.str.extract(_LABEL)
    bad = (text.notna() & parts[0].isna()).to_numpy(dtype=bool, na_value=False)
    kind = parts[1].fillna("").map(_LETTER).where(parts[0].notna())
    number = pd.to_numeric(parts[2], errors="coerce").astype("float64").fillna(1.0)
    too_big = (kind.eq("semester") & number.gt(2)).to_numpy(dtype=bool, na_value=False)
    year = pd.to_numeric(parts[0], errors="coerce").astype("float64")
    months = kind.map(_MONTHS).astype("float64")
    first_month = (number - 1) * months + 1
    frame = pd.DataFrame(
        {"year": year, "kind": kind, "number": number.where(year.notna()), "months": months,
         "first_month": first_month.where(year.notna())},
        index=labels.index,
    )  # fmt: skip
    return frame, bad, too_big


def is_period(value: object) -> bool:
    """Return True when `value` is a normalised period label (``2024-Q1``, ``2024-S1``, ``2024``).

    Examples
    --------
    >>> is_period("2024-S2"), is_period("2024-S3"), is_period(3)
    (True, False, False)
    """
    if not isinstance(value, str):
        return False
    # the rule of _parts on one label, without building a frame (called once per label)
    match = _LABEL_RE.match(value.strip())
    return match is not None and not (match.group(2) == "S" and int(match.group(3)) > 2)


def period_kind(periods: pd.Series) -> pd.Series:
    """Return the kind of normalised periods: "quarter", "semester" or "year" (NA if blank).

    Parameters
    ----------
    periods : pandas.Series
        Normalised periods (see :func:`asn_analysis.data.values.parse_periods`).

    Returns
    -------
    pandas.Series
        One kind per value.

    Raises
    ------
    PeriodError
        A value that is not a normalised period.

    Examples
    --------
    >>> period_kind(pd.Series(["2024-S1", "2024-Q2", "2025", None])).tolist()
    ['semester', 'quarter', 'year', nan]
    """
    kinds = _parts(periods)["kind"]
    return kinds.astype("object").where(kinds.notna(), np.nan)


def coarsest_kind(periods: Iterable[object]) -> str | None:
    """Return the coarsest kind among `periods` (None when there is none).

    Examples
    --------
    >>> coarsest_kind(["2024-Q1", "2024-S2"]), coarsest_kind([])
    ('semester', None)
    """
    kinds = set(period_kind(_series(periods)).dropna())
    return max(kinds, key=PERIOD_KINDS.index) if kinds else None


def _boundary(periods: str | pd.Series, *, end: bool) -> pd.Timestamp | pd.Series:
    """Return the first (or last) day of each period: one date, or a Series like `periods`."""
    parts = _parts(_series(periods))
    # months since year 0 of the first month of the period (or of the one after it)
    month = parts["year"] * 12 + parts["first_month"] - 1 + (parts["months"] if end else 0)
    day = pd.to_datetime(
        pd.DataFrame({"year": month // 12, "month": month % 12 + 1, "day": 1}), errors="coerce"
    )
    if end:
        day = day - pd.Timedelta(days=1)
    return day.iloc[0] if isinstance(periods, str) else day


def period_start(periods: str | pd.Series) -> pd.Timestamp | pd.Series:
    """Return the first day of each period (``2024-Q2`` -> 1 April 2024).

    Parameters
    ----------
    periods : str or pandas.Series
        Normalised period labels.

    Returns
    -------
    pandas.Timestamp or pandas.Series
        The first day (NaT for a blank value); a Timestamp for one label.

    Examples
    --------
    >>> period_start(pd.Series(["2024-Q2", "2024-S2", "2025"])).dt.strftime("%Y-%m-%d").tolist()
    ['2024-04-01', '2024-07-01', '2025-01-01']
    """
    return _boundary(periods, end=False)


def period_end(periods: str | pd.Series) -> pd.Timestamp | pd.Series:
    """Return the last day of each period (``2024-Q2`` -> 30 June 2024), as :func:`period_start`.

    Examples
    --------
    >>> period_end("2024-Q1"), period_end("2024")
    (Timestamp('2024-03-31 00:00:00'), Timestamp('2024-12-31 00:00:00'))
    """
    return _boundary(periods, end=True)


def period_key(periods: pd.Series) -> pd.Series:
    """Return a sort key: periods in calendar order (start date, then end date).

    Use it with ``DataFrame.sort_values(..., key=...)`` on a period column.

    Examples
    --------
    >>> df = pd.DataFrame({"period": ["2024-S2", "2024-Q1", "2023"]})
    >>> df.sort_values("period", key=period_key)["period"].tolist()
    ['2023', '2024-Q1', '2024-S2']
    """
    parts = _parts(periods)
    return (parts["year"] * 12 + parts["first_month"] - 1) * 16 + parts["months"]


def sort_periods(periods: Iterable[object]) -> list[str]:
    """Return the distinct periods in calendar order (blank values left out).

    Parameters
    ----------
    periods : iterable
        Normalised period labels (a column, a list).

    Returns
    -------
    list of str
        Each period once, earliest first; a year sorts with the periods that start with it
        (``2024-Q1 < 2024-S1 < 2024 < 2024-Q2``).

    Raises
    ------
    PeriodError
        A label such as ``2024-S3`` or ``Semester I 2024`` (normalise spellings first with
        :func:`asn_analysis.data.values.parse_periods`).

    Examples
    --------
    >>> sort_periods(pd.Series(["2024-Q3", "2024-Q1", "2023-Q4", None, "2024-Q1"]))
    ['2023-Q4', '2024-Q1', '2024-Q3']
    """
    series = _series(periods).dropna()
    distinct = pd.Series(pd.unique(series), dtype="object")
    key = period_key(distinct)
    return [str(p) for p in distinct.iloc[np.argsort(key.to_numpy(), kind="stable")]]


def ordered_times(values: Iterable[Hashable]) -> list:
    """Return the distinct time values of a panel in order: periods by date, others as they sort.

    Estimators take any time column (numbers, dates, period labels); period labels must never
    be sorted as text, as ``"2024"`` would sort before ``"2023-S2"``'s year-mates incorrectly.

    Examples
    --------
    >>> ordered_times(["2024-S1", "2023", "2023-S2"]), ordered_times([3, 1, 2])
    (['2023', '2023-S2', '2024-S1'], [1, 2, 3])
    """
    distinct = pd.unique(pd.Series(list(values), dtype="object").dropna())
    if len(distinct) and all(is_period(v) for v in distinct):
        return sort_periods(distinct)
    return sorted(distinct.tolist())


def coarsen(periods: pd.Series, kind: PeriodKind) -> pd.Series:
    """Relabel periods to a coarser kind: quarters to semesters or years, semesters to years.

    Parameters
    ----------
    periods : pandas.Series
        Normalised period labels.
    kind : {"quarter", "semester", "year"}
        The target kind; values already of that kind are kept.

    Returns
    -------
    pandas.Series
        The period of `kind` that holds each period (Q1, Q2 -> S1; Q3, Q4 -> S2; any -> year),
        with the dtype of `periods` when that is a string dtype, else object.

    Raises
    ------
    PeriodError
        A period coarser than `kind` (a year cannot become a semester) or not a period.

    Examples
    --------
    >>> coarsen(pd.Series(["2024-Q4", "2024-S1", "2024"]), "year").tolist()
    ['2024', '2024', '2024']
    """
    check_option("kind", kind, PeriodKind)
    parts = _parts(periods)
    rank = parts["kind"].map({k: i for i, k in enumerate(PERIOD_KINDS)})
    finer = rank.gt(PERIOD_KINDS.index(kind))
    if finer.any():
        shown = ", ".join(sorted(map(str, pd.unique(periods[finer])))[:5])
        raise PeriodError(f"{shown} cannot be split into {kind}s; only coarser kinds pool periods")
    out = _label(parts["year"], parts["first_month"], kind).where(periods.notna(), np.nan)
    return out.astype(periods.dtype) if isinstance(periods.dtype, pd.StringDtype) else out


def _label(year: pd.Series, month: pd.Series, kind: str) -> pd.Series:
    number = ((month - 1) // _MONTHS[kind] + 1).astype("Int64").astype("string")
    year_text = year.astype("Int64").astype("string")
    if kind == "year":
        return year_text.astype("object")
    return (year_text + f"-{_PREFIX[kind]}" + number).astype("object")


def period_of(dates: pd.Series, kind: PeriodKind) -> pd.Series:
    """Return the period of `kind` that holds each date (``2024-08-15`` -> ``2024-S2``).

    Parameters
    ----------
    dates : pandas.Series
        Dates (datetime64; NaT gives a missing period).
    kind : {"quarter", "semester", "year"}
        The kind of period.

    Returns
    -------
    pandas.Series
        Normalised period labels.

    Examples
    --------
    >>> d = pd.Series(pd.to_datetime(["2024-03-04", "2024-09-02"]))
    >>> period_of(d, "quarter").tolist(), period_of(d, "semester").tolist()
    (['2024-Q1', '2024-Q3'], ['2024-S1', '2024-S2'])
    """
    check_option("kind", kind, PeriodKind)
    d = pd.to_datetime(pd.Series(dates))
    return _label(d.dt.year, d.dt.month, kind).where(d.notna(), np.nan)


def period_number(periods: pd.Series) -> pd.Series:
    """Count periods of one kind on a single scale: consecutive periods differ by 1.

    Parameters
    ----------
    periods : pandas.Series
        Normalised periods, all of one kind.

    Returns
    -------
    pandas.Series
        Integers (``year * periods_per_year + number - 1``); NA for a blank value.

    Raises
    ------
    PeriodError
        Periods of different kinds (a step would mean different lengths of time).

    Examples
    --------
    >>> period_number(pd.Series(["2024-S2", "2025-S1", "2025-S2"])).diff().tolist()[1:]
    [1, 1]
    """
    parts = _parts(periods)
    kinds = parts["kind"].dropna().unique()
    if len(kinds) > 1:
        raise PeriodError(
            f"periods of different kinds ({', '.join(sorted(kinds))}) have no common step; "
            "coarsen them to one kind first (asn_analysis.data.periods.coarsen)"
        )
    per_year = 12 // parts["months"]
    return (parts["year"] * per_year + parts["number"] - 1).astype("Int64")


def pool_mixed_kinds(
    frame: pd.DataFrame, *, table: str, person: str | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Pool a table's periods of mixed kinds into its coarsest kind, where that is honest.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table with a ``period`` column of normalised labels (blank, ``"nan"`` or ``"<NA>"``
        cells are left alone).
    table : str
        The table's name, for the note.
    person : str, optional
        The column naming a person in a table of one row per person and period (the staff
        survey's ``nip``). Pooling that would give a person two rows in one period is refused.

    Returns
    -------
    pandas.DataFrame
        The table, its finer periods relabelled to the coarsest kind (or unchanged).
    list of str
        A note (bilingual) saying what was pooled, with counts, or why nothing was; empty when
        the table holds one kind. It counts persons, never names one.

    Notes
    -----
    Respondent rows (SKM, PermenPANRB 14/2017) pool honestly: the respondents of ``2024-Q1``
    and ``2024-Q2`` are those of a survey of ``2024-S1``. Rows of one person and wave do not:
    two waves would become one, so the periods are kept and compared as separate waves.

    Examples
    --------
    >>> df = pd.DataFrame({"period": ["2024-Q1", "2024-Q2", "2024-S2"]})
    >>> out, notes = pool_mixed_kinds(df, table="skm_responses")
    >>> out["period"].tolist()
    ['2024-S1', '2024-S1', '2024-S2']
    >>> notes[0].split(" / ")[0]
    'skm_responses.period mixes quarters and semesters: 2 rows of 2024-Q1..2024-Q2 aggregated to semesters (2024-S1)'
    >>> waves = df.assign(nip=["a", "a", "a"])
    >>> pool_mixed_kinds(waves, table="staff_survey", person="nip")[0]["period"].tolist()
    ['2024-Q1', '2024-Q2', '2024-S2']
    """  # noqa: E501
    if "period" not in frame.columns:
        return frame, []
    periods = frame["period"].where(frame["period"].ne("nan") & frame["period"].ne("<NA>"))
    kinds = period_kind(periods)
    coarse = coarsest_kind(periods)
    if kinds.dropna().nunique() <= 1 or coarse is None:
        return frame, []
    finer = kinds.notna() & kinds.ne(coarse)
    relabelled = periods.where(~finer, coarsen(periods.where(finer), coarse))
    mixed = " and ".join(k + "s" for k in PERIOD_KINDS if k in set(kinds.dropna()))
    if person is not None and person in frame.columns:
        keyed = pd.DataFrame({"who": frame[person], "period": relabelled})[periods.notna()]
        merged = keyed.duplicated(["who", "period"], keep=False)
        if merged.any():
            hit = sort_periods(keyed.loc[merged, "period"])
            note = (
                f"{table}.period mixes {mixed}: not aggregated to {coarse}s, as "
                f"{keyed.loc[merged, 'who'].nunique():,} persons have more than one row within "
                f"{', '.join(hit[:6])} (pooling would merge a person's answers); the periods are "
                "kept as they are and compared as separate waves / periode campuran tidak "
                "digabung karena satu pegawai akan memiliki dua baris dalam satu periode"
            )
            return frame, [note]
    span = sort_periods(periods[finer])
    out = frame.copy()
    out["period"] = frame["period"].where(~finer, relabelled)
    note = (
        f"{table}.period mixes {mixed}: {int(finer.sum()):,} rows of {span[0]}..{span[-1]} "
        f"aggregated to {coarse}s ({', '.join(sort_periods(relabelled[finer])[:6])}) / periode "
        "campuran digabung ke " + ("semester" if coarse == "semester" else "tahun")
    )
    return out, [note]
