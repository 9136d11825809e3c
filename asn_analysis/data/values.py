"""Parse dates, periods and decimal-comma numbers as people write them in Indonesian files.

Dates are ISO (``2022-04-12``) or day first (``12/04/2022``, ``12-04-2022``, ``12.04.2022``,
``12 April 2022`` with Indonesian or English month names), never month first: ``04/13/2022``
is not a date. Periods are normalised to one spelling per kind: semesters ``2024-S1``
(from ``2024-1``, ``S1 2024``, ``Semester I 2024``, ``Semester 1 2024``), quarters ``2024-Q1``
(from ``Triwulan I 2024``, ``TW1 2024``, ``Q1 2024``) and years ``2024`` (``Tahun 2024``).
A value that fits none of these is missing (NaT / NA), and the caller reports that one cell.

Examples
--------
>>> import pandas as pd
>>> parse_dates(pd.Series(["2022-04-12", "12/04/2022", "12 April 2022", "04/13/2022"])).tolist()
[Timestamp('2022-04-12 00:00:00'), Timestamp('2022-04-12 00:00:00'), Timestamp('2022-04-12 00:00:00'), NaT]
>>> parse_periods(pd.Series(["2024-1", "Semester II 2024", "Triwulan III 2024", "Tahun 2024"])).tolist()
['2024-S1', '2024-S2', '2024-Q3', '2024']
>>> period_kind(pd.Series(["2024-S1", "2024-Q2", "2025"])).tolist()
['semester', 'quarter', 'year']
"""  # noqa: E501

from __future__ import annotations

import re

import pandas as pd

from asn_analysis.data.periods import period_kind
from asn_analysis.data.schema import PERIOD_ANY_PATTERN

__all__ = [
    "DATE_FORMS",
    "MONTHS",
    "PERIOD_FORMS",
    "decimal_comma_to_point",
    "plain_numbers",
    "parse_dates",
    "parse_periods",
    "period_kind",  # re-exported from asn_analysis.data.periods
]

#: Month names and abbreviations (Indonesian first, English where it differs) -> month.
MONTHS: dict[str, int] = {
    **{
        m: i
        for i, m in enumerate(
            (
                "januari",
                "februari",
                "maret",
                "april",
                "mei",
                "juni",
                "juli",
                "agustus",
                "september",
                "oktober",
                "november",
                "desember",
            ),
            start=1,
        )
    },
    **{"pebruari": 2, "nopember": 11, "january": 1, "february": 2, "march": 3, "may": 5},
    **{"june": 6, "july": 7, "august": 8, "october": 10, "december": 12},
    **{"jan": 1, "feb": 2, "peb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agu": 8},
    **{"agt": 8, "ags": 8, "aug": 8, "sep": 9, "sept": 9, "okt": 10, "oct": 10, "nov": 11},
    **{"nop": 11, "des": 12, "dec": 12},
}
#: How dates may be written (for messages).
DATE_FORMS = "YYYY-MM-DD, or day first: DD/MM/YYYY, DD-MM-YYYY, 12 April 2022"
#: How periods may be written (for messages).
PERIOD_FORMS = "2024-S1, Semester I 2024, Triwulan I 2024, 2024-Q1 or Tahun 2024"

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
#: A time of day and its time zone (``08:00+07:00``, ``08:00:00.5+0700``, ``08:00Z``): the zone
#: is dropped, the date and time count as written.
_TIME_ZONE = r"(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s?(?:Z|[+-]\d{2}:?\d{2})$"
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+(\d{4})$")
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
_N = r"(i{1,3}|iv|[1-4])"
_PERIOD_RULES: tuple[tuple[re.Pattern, str, tuple[int, int]], ...] = (
    # (pattern, kind letter, (group of year, group of number))
    (re.compile(r"^(\d{4})\s*[-/ ]\s*s\s*([12])$"), "S", (1, 2)),
    (re.compile(r"^(\d{4})\s*[-/]\s*([12])$"), "S", (1, 2)),
    (re.compile(r"^s\s*([12])\s*[-/ ]?\s*(\d{4})$"), "S", (2, 1)),
    (re.compile(rf"^semester\s*{_N}\s*[-/ ]?\s*(?:tahun\s*)?(\d{{4}})$"), "S", (2, 1)),
    (re.compile(r"^(\d{4})\s*[-/ ]\s*(?:q|tw)\s*([1-4])$"), "Q", (1, 2)),
    (re.compile(rf"^(?:q|tw|triwulan|kuartal)\s*{_N}\s*[-/ ]?\s*(?:tahun\s*)?(\d{{4}})$"),
     "Q", (2, 1)),
    (re.compile(r"^(?:tahun\s*)?(\d{4})$"), "Y", (1, 0)),
)  # fmt: skip


def parse_dates(text: pd.Series) -> pd.Series:
    """Parse dates written ISO or day first; anything else is NaT.

    Parameters
    ----------
    text : pandas.Series
        Text (blank cells as missing).

    Returns
    -------
    pandas.Series
        ``datetime64[ns]`` values; NaT where the text is blank or not a date.

    Notes
    -----
    ISO dates parse exactly as before; only the cells ISO cannot read are tried day first.
    Month-first dates are never read (a 13th month is not a date, and ``03/04/2022`` is
    3 April), as Indonesian files write the day first. A time zone after a time of day
    (``2022-04-12T08:00+07:00``, ``...Z``) is dropped: the date and time are read as written,
    not moved to UTC (which could change the day). A date outside 1677-09-22 .. 2262-04-11
    (the range pandas stores; ``3022-04-12`` is a typo) is not a date.

    Examples
    --------
    >>> parse_dates(pd.Series(["3022-04-12", "2022-04-12T08:00+07:00", "-1"])).tolist()
    [NaT, Timestamp('2022-04-12 08:00:00'), NaT]
    """
    local = text.astype("string").str.replace(_TIME_ZONE, r"\1", regex=True)
    values = _within_range(pd.to_datetime(local, errors="coerce", format="ISO8601"))
    todo = values.isna() & text.notna()
    if not todo.any():
        return values
    rest = text[todo].astype(str).str.strip()
    parts = rest.str.extract(_DAY_FIRST)
    named = rest.str.extract(_DAY_MONTH_NAME)
    month_names = named[1].str.lower().str.rstrip(".").map(MONTHS)
    day = parts[0].fillna(named[0])
    month = pd.to_numeric(parts[1], errors="coerce").fillna(month_names)
    year = parts[2].fillna(named[2])
    ok = day.notna() & month.notna() & year.notna()
    if ok.any():
        built = pd.to_datetime(
            pd.DataFrame(
                {
                    "year": pd.to_numeric(year[ok]),
                    "month": month[ok].astype(int),
                    "day": pd.to_numeric(day[ok]),
                }
            ),
            errors="coerce",
        )
        values.loc[built.index] = _within_range(built)
    return values


def _within_range(values: pd.Series) -> pd.Series:
    """Return ``values`` as ``datetime64[ns]``, NaT where a date lies outside its range."""
    inside = (values >= pd.Timestamp.min) & (values <= pd.Timestamp.max)
    return values.where(inside).astype("datetime64[ns]")


def parse_periods(text: pd.Series) -> pd.Series:
    """Normalise period spellings: ``2024-S1``, ``2024-Q1`` or ``2024``; anything else NA.

    Parameters
    ----------
    text : pandas.Series
        Text (blank cells as missing).

    Returns
    -------
    pandas.Series
        Object series of normalised periods, NA where the text is blank or not a period.
    """
    out = pd.Series(pd.NA, index=text.index, dtype="object")
    lowered = text.astype("string").str.strip().str.lower()
    todo = lowered.notna()
    for pattern, kind, (year_group, number_group) in _PERIOD_RULES:
        if not todo.any():
            break
        parts = lowered[todo].str.extract(pattern)
        hit = parts[0].notna()
        if not hit.any():
            continue
        parts = parts[hit]
        year = parts[year_group - 1]
        if kind == "Y":
            out.loc[parts.index] = year.to_numpy()
        else:
            number = parts[number_group - 1].map(lambda v: _ROMAN.get(v, v))
            out.loc[parts.index] = (year + f"-{kind}" + number).to_numpy()
        todo.loc[parts.index] = False
    bad_number = out.notna() & out.astype("string").str.fullmatch(PERIOD_ANY_PATTERN).eq(False)
    return out.mask(bad_number.fillna(False))


def decimal_comma_to_point(text: pd.Series) -> pd.Series:
    """Turn ``3,5`` into ``3.5`` (cells that are a number with one decimal comma only).

    Parameters
    ----------
    text : pandas.Series
        Text of a numeric column of a file written with a decimal comma.

    Returns
    -------
    pandas.Series
        The text, with the decimal comma of plain numbers replaced by a point.

    Examples
    --------
    >>> decimal_comma_to_point(pd.Series(["3,5", "4", "a,b"])).tolist()
    ['3.5', '4', 'a,b']
    """
    return text.str.replace(r"^([+-]?\d+),(\d+)$", r"\1.\2", regex=True)


def plain_numbers(
    text: pd.Series, *, decimal: str = ".", whole: bool = False
) -> tuple[pd.Series, pd.Series]:
    """Rewrite numbers as Excel writes them (``1.234,5`` or ``1,234.5``) in plain form (``1234.5``).

    Parameters
    ----------
    text : pandas.Series
        Text of a numeric column.
    decimal : {".", ","}, default "."
        The file's decimal mark (:class:`asn_analysis.data.read.Dialect`); the other mark is
        the thousands separator.
    whole : bool, default False
        True for a whole-number column, where ``1.234`` (decimal comma) or ``1,234`` (decimal
        point) can only be 1234.

    Returns
    -------
    pandas.Series
        The text with thousands separators removed and a decimal comma turned into a point;
        other cells unchanged (the caller reports them as not a number).
    pandas.Series
        Boolean mask of ambiguous cells: one group of three digits without a decimal part in a
        decimal column (``1.234`` may be 1234 or 1.234); they are left as written.

    Notes
    -----
    Grouping is accepted only where it is unambiguous: one to three leading digits, then groups
    of exactly three digits, all separated by the mark that is not the file's decimal mark
    (``1.234.567,8`` in a decimal-comma file, ``1,234,567.8`` in a decimal-point file).
    Anything else (``12.34.5``, ``1.23,4``, a point in a decimal-point file's grouping) stays
    as written.

    Examples
    --------
    >>> t = pd.Series(["1.234,5", "1.234", "12.345.678", "3,5", "1.23,4"])
    >>> plain_numbers(t, decimal=",")[0].tolist()
    ['1234.5', '1.234', '12345678', '3.5', '1.23,4']
    >>> plain_numbers(t, decimal=",", whole=True)[0].tolist()[1]
    '1234'
    >>> plain_numbers(pd.Series(["1,234.5", "1,234"]), decimal=".")[1].tolist()
    [False, True]
    """
    group = "." if decimal == "," else ","
    g, d = re.escape(group), re.escape(decimal)
    strings = text.astype("string")
    grouped = strings.str.fullmatch(rf"[+-]?\d{{1,3}}(?:{g}\d{{3}})+(?:{d}\d+)?").fillna(False)
    single = strings.str.fullmatch(rf"[+-]?\d{{1,3}}{g}\d{{3}}").fillna(False)
    ambiguous = single & (not whole)
    out = text.copy()
    take = grouped & ~ambiguous
    out[take] = strings[take].str.replace(group, "", regex=False).astype(object)
    if decimal == ",":
        out = decimal_comma_to_point(out)
    return out, ambiguous.astype(bool)
