"""Rules across cells, rows and tables that a column specification cannot say.

The loader (:mod:`asn_analysis.data.loader`) parses each table against its specification
(:mod:`asn_analysis.data.schema`); the rules here need more than one cell: the NIP's form and its
agreement with gender and birth year, references between tables, the SKP predikat matrix
(PermenPANRB No. 6 Tahun 2022), dates after the run date, competency keys, and the notes a user
should read without them being errors (positions without a competency standard, years of service
that contradict the appointment month in the NIP). Each problem is a dict with table, row (the
row a spreadsheet shows), column, value and reason; values of ``nip`` are redacted by the loader.

Examples
--------
>>> import pandas as pd
>>> training = pd.DataFrame({"competency_targeted": ["integritas", "integirtas"]})
>>> [p["value"] for p in competency_key_problems(training, None)]
['integirtas']
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from asn_analysis.data.read import FIRST_DATA_ROW
from asn_analysis.data.redaction import REDACTED, Identifiers
from asn_analysis.data.schema import (
    COMPETENCY_KEYS,
    IDENTIFIER_COLUMNS,
    PREDIKAT_MATRIX,
    TABLE_KEYS,
)

__all__ = [
    "FUTURE_DATES",
    "SERVICE_TOLERANCE_YEARS",
    "appointment_months",
    "competency_key_problems",
    "duplicate_key_problems",
    "file_rows",
    "future_problems",
    "identifier_cell_problems",
    "nip_problems",
    "position_notes",
    "problem",
    "reference_problems",
    "row_rule_problems",
    "service_notes",
]

#: Years of service may differ by this much from the years since the NIP's appointment month.
SERVICE_TOLERANCE_YEARS = 1
#: Cells already reported: (table, row, column).
Reported = set[tuple[str, object, str]]


def problem(table: str, row: object, column: str, value: object, reason: str) -> dict:
    """Return one problem: table, row (spreadsheet row or NA), column, value and reason."""
    return {"table": table, "row": row, "column": column, "value": value, "reason": reason}


def file_rows(index: pd.Index) -> pd.Series:
    """Return the spreadsheet row of each index label (label + :data:`FIRST_DATA_ROW`)."""
    return pd.Series(np.asarray(index) + FIRST_DATA_ROW, index=index)


def _rows_text(rows: list[int], limit: int = 10) -> str:
    shown = ", ".join(map(str, rows[:limit]))
    return shown + (f" (+{len(rows) - limit} more)" if len(rows) > limit else "")


# --------------------------------------------------------------------------- NIP


def appointment_months(nip: pd.Series, status: pd.Series | None = None) -> pd.Series:
    """Return the appointment month (TMT CPNS/PPPK) in an NIP, as year * 12 + month - 1.

    Parameters
    ----------
    nip : pandas.Series
        NIPs as text (18 digits: birth date, appointment ``YYYYMM``, gender digit, serial).
    status : pandas.Series, optional
        PNS / PPPK: an NI PPPK may carry ``21`` in place of the month; its month is taken as July.

    Returns
    -------
    pandas.Series
        ``Int64`` months; NA where the NIP does not hold a real appointment month.

    Examples
    --------
    >>> appointment_months(pd.Series(["198503122010011001", "x"])).tolist()
    [24120, <NA>]
    """
    text = nip.astype("str")
    digits = text.str.fullmatch(r"\d{18}").fillna(False) & nip.notna()
    year = pd.to_numeric(text.str[8:12].where(digits), errors="coerce")
    month = pd.to_numeric(text.str[12:14].where(digits), errors="coerce")
    if status is not None:
        month = month.mask((month == 21) & status.eq("PPPK").to_numpy(), 7)
    ok = month.between(1, 12) & year.between(1900, 2100)
    return (year * 12 + month - 1).where(ok).astype("Int64")


def nip_problems(employees: pd.DataFrame) -> list[dict]:
    """Problems of NIP form: 18 digits, birth date, appointment month, gender digit, agreement."""
    nip = employees["nip"].astype("str")
    present = employees["nip"].notna()
    digits = nip.str.fullmatch(r"\d{18}").fillna(False) & present
    birth = pd.to_datetime(nip.str[:8].where(digits), format="%Y%m%d", errors="coerce")
    months = appointment_months(employees["nip"], employees["status"])
    appointed_year = months // 12
    gender_digit = nip.str[14].where(digits)
    expected_gender = gender_digit.map({"1": "L", "2": "P"})
    gender = employees["gender"]
    rules = [
        (present & ~digits, None),
        (digits & birth.isna(), "is not an NIP: digits 1-8 are not a real birth date (YYYYMMDD)"),
        (
            digits
            & birth.notna()
            & (months.isna() | (appointed_year < birth.dt.year + 14)).fillna(True),
            "is not an NIP: digits 9-14 are not a plausible appointment month (YYYYMM)",
        ),
        (
            digits & ~gender_digit.isin(["1", "2"]),
            "is not an NIP: digit 15 (gender) must be 1 or 2",
        ),
        (
            digits & nip.str[15:].eq("000"),
            "is not an NIP: digits 16-18 (serial) are 000, as when a number is rounded",
        ),
        (
            expected_gender.notna() & gender.isin(["L", "P"]) & (gender != expected_gender),
            "gender digit disagrees with gender",
        ),
        (
            birth.notna()
            & employees["birth_year"].notna()
            & (birth.dt.year != employees["birth_year"]),
            "birth year in the NIP disagrees with birth_year",
        ),
    ]
    rows = file_rows(employees.index)
    reported: set[int] = set()
    out = []
    for mask, reason in rules:
        for i in employees.index[mask.fillna(False).to_numpy(dtype=bool)]:
            if i in reported:
                continue
            reported.add(i)
            value = nip[i]
            if reason is None:
                hint = (
                    " (stored as a number? keep NIP as text)"
                    if "e" in value or "." in value
                    else ""
                )
                text = f"is not an NIP: {len(value)} characters, 18 digits expected{hint}"
            else:
                text = reason
            out.append(problem("employees", rows[i], "nip", value, text))
    return out


def reference_problems(
    table: str, frame: pd.DataFrame, column: str, target: str, valid: pd.Index
) -> list[dict]:
    """Problems of values of ``table.column`` that are not in ``valid`` (the ``target`` table)."""
    values = frame[column]
    bad = values.notna() & ~_member(values, valid)
    rows = file_rows(frame.index)
    return [
        problem(table, rows[i], column, values[i], f"is not in {target}") for i in frame.index[bad]
    ]


def _member(values: pd.Series, valid: pd.Index) -> pd.Series | np.ndarray:
    """``values.isin(valid)``; for text, a hash lookup of Python strings (the same answer).

    An Arrow-backed ``isin`` builds one Arrow scalar per valid value (4,500 NIPs per table).
    """
    if not (isinstance(values.dtype, pd.StringDtype) and isinstance(valid.dtype, pd.StringDtype)):
        return values.isin(valid)
    objects = pd.Series(values.to_numpy(dtype=object), dtype=object)
    found = objects.isin(valid.to_numpy(dtype=object))
    return found.to_numpy(dtype=bool)


# --------------------------------------------------------------------------- keys and identifiers


def _key_text(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def duplicate_key_problems(table: str, frame: pd.DataFrame) -> list[dict]:
    """One problem per row of a key written more than once; an NIP in the key is never shown.

    A key with a blank or unreadable cell is not compared (that cell is the one problem). When
    the key holds an identifier, the value shows the other key parts (``NIP redacted /
    integritas / 2022-04-12``) and the reason names the rows that share it, so two duplicate
    pairs that differ only in the NIP stay apart.
    """
    keys = [k for k in TABLE_KEYS[table] if k in frame.columns]
    if len(keys) < len(TABLE_KEYS[table]) or frame.empty:
        return []
    complete = frame[keys].notna().all(axis=1)
    dup = complete & frame.duplicated(keys, keep=False)
    if not dup.any():
        return []
    key = ", ".join(keys)
    hidden = [k for k in keys if k in IDENTIFIER_COLUMNS]
    out = []
    group = frame[dup].groupby(keys, sort=False).ngroup()
    for labels in group.groupby(group, sort=False).groups.values():
        rows = [int(i) + FIRST_DATA_ROW for i in labels]
        first = labels[0]
        parts = [
            f"{k.upper()} redacted" if k in hidden else _key_text(frame.at[first, k]) for k in keys
        ]
        value = " / ".join(parts)
        if hidden:
            names = ["NIP" if k == "nip" else k for k in keys]
            names = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            shown = ", ".join(map(str, rows[:10])) + (
                f" (+{len(rows) - 10} more)" if len(rows) > 10 else ""
            )
            reason = f"is a duplicate key: rows {shown} have the same {names}"
        else:
            reason = f"is a duplicate key ({key} appears more than once)"
        out.extend(problem(table, r, key, value, reason) for r in rows)
    return out


def identifier_cell_problems(parsed: dict[str, pd.DataFrame], ids: Identifiers) -> list[dict]:
    """One problem per text cell outside ``nip`` and ``name`` that is an NIP or a name.

    An identifier typed into another column (a shifted row, a name as the position) would
    otherwise pass into the pseudonymised tables and from there into published tables.
    """
    out = []
    for table, frame in parsed.items():
        for column in frame.columns:
            if column in IDENTIFIER_COLUMNS or not pd.api.types.is_string_dtype(frame[column]):
                continue
            values = frame[column].dropna()
            hit = {v for v in values.unique().tolist() if ids.is_identifier(v)}
            if not hit:
                continue
            reason = (
                "is an NIP or a name: identifiers belong only in nip and name / berisi NIP "
                "atau nama"
            )
            for i in values.index[values.isin(hit)]:
                out.append(problem(table, int(i) + FIRST_DATA_ROW, column, REDACTED, reason))
    return out


# --------------------------------------------------------------------------- row rules


def row_rule_problems(parsed: dict[str, pd.DataFrame]) -> list[dict]:
    """Problems of rules within a row: predikat matrix, end before start, item min and max."""
    out = []
    perf = parsed.get("performance")
    if perf is not None:
        expected = [
            PREDIKAT_MATRIX.get((h, p))
            for h, p in zip(
                perf["hasil_kerja"].tolist(), perf["perilaku_kerja"].tolist(), strict=True
            )
        ]
        expected = pd.Series(expected, index=perf.index, dtype="object")
        bad = expected.notna() & perf["predikat"].notna() & (perf["predikat"] != expected)
        rows = file_rows(perf.index)
        for i in perf.index[bad]:
            reason = (
                f"does not follow from hasil_kerja={perf.at[i, 'hasil_kerja']}, "
                f"perilaku_kerja={perf.at[i, 'perilaku_kerja']} (PermenPANRB 6/2022 gives "
                f"{expected[i]})"
            )
            out.append(problem("performance", rows[i], "predikat", perf.at[i, "predikat"], reason))
    training = parsed.get("training")
    if training is not None:
        bad = training["end_date"] < training["start_date"]
        rows = file_rows(training.index)
        for i in training.index[bad.fillna(False)]:
            value = training.at[i, "end_date"].strftime("%Y-%m-%d")
            out.append(problem("training", rows[i], "end_date", value, "is before start_date"))
    items = parsed.get("survey_items")
    if items is not None:
        bad = items["min"] >= items["max"]
        rows = file_rows(items.index)
        for i in items.index[bad.fillna(False)]:
            value = f"{items.at[i, 'min']}-{items.at[i, 'max']}"
            out.append(problem("survey_items", rows[i], "max", value, "is not above min"))
    return out


#: Date columns that cannot lie after the run date: an assessment or a training held.
FUTURE_DATES = {
    "competency_assessments": ("assessed_on",),
    "training": ("start_date", "end_date"),
}


def future_problems(
    parsed: dict[str, pd.DataFrame], *, today: dt.date, reported: Reported = frozenset()
) -> list[dict]:
    """Problems of dates after ``today`` and of a performance year after today's year.

    Parameters
    ----------
    parsed : dict of str to pandas.DataFrame
        Parsed tables (index: spreadsheet row minus 2).
    today : datetime.date
        The run date.
    reported : set of (table, row, column), optional
        Cells already reported (not reported twice).

    Returns
    -------
    list of dict
        One problem per cell.
    """
    out = []
    limit = pd.Timestamp(today)
    for table, columns in FUTURE_DATES.items():
        frame = parsed.get(table)
        if frame is None:
            continue
        rows = file_rows(frame.index)
        for column in columns:
            if column not in frame:
                continue
            later = (frame[column] > limit).fillna(False)
            for i in frame.index[later.to_numpy(dtype=bool)]:
                if (table, rows[i], column) in reported:
                    continue
                value = frame.at[i, column].strftime("%Y-%m-%d")
                reason = (
                    f"is after the run date {today:%Y-%m-%d} (a date in the future) / tanggal "
                    "setelah hari ini"
                )
                out.append(problem(table, rows[i], column, value, reason))
    perf = parsed.get("performance")
    if perf is not None and "year" in perf:
        rows = file_rows(perf.index)
        later = (perf["year"] > today.year).fillna(False).to_numpy(dtype=bool)
        for i in perf.index[later]:
            if ("performance", rows[i], "year") in reported:
                continue
            reason = (
                f"is after the current year {today.year} (the run date {today:%Y-%m-%d}) / "
                "tahun setelah tahun berjalan"
            )
            out.append(problem("performance", rows[i], "year", perf.at[i, "year"], reason))
    return out


def competency_key_problems(
    training: pd.DataFrame,
    standards: pd.DataFrame | None,
    *,
    reported: Reported = frozenset(),
) -> list[dict]:
    """Problems of ``training.competency_targeted`` values that are not a competency key.

    A key is one of the codebook (:data:`asn_analysis.data.schema.COMPETENCY_KEYS`: the
    managerial keys of PermenPANRB 38/2017, ``perekat_bangsa``, ``teknis_<job_family>``) or one
    that ``competency_standards`` names (an agency's own technical competencies).

    Parameters
    ----------
    training : pandas.DataFrame
        The parsed training table.
    standards : pandas.DataFrame or None
        The parsed competency standards, if given.
    reported : set of (table, row, column), optional
        Cells already reported (e.g. not a snake_case key).

    Returns
    -------
    list of dict
        One problem per cell.
    """
    known = set(COMPETENCY_KEYS)
    if standards is not None and "competency" in standards:
        known |= set(standards["competency"].dropna().tolist())
    values = training["competency_targeted"]
    bad = values.notna() & ~values.isin(known)
    rows = file_rows(training.index)
    reason = (
        "is not a competency key: neither in the codebook (data/README.md: the managerial keys, "
        "perekat_bangsa, teknis_<job_family>) nor in competency_standards / bukan kunci kompetensi"
    )
    return [
        problem("training", rows[i], "competency_targeted", values[i], reason)
        for i in training.index[bad.to_numpy(dtype=bool)]
        if ("training", rows[i], "competency_targeted") not in reported
    ]


# --------------------------------------------------------------------------- notes


def position_notes(
    employees: pd.DataFrame, standards: pd.DataFrame, *, limit: int = 15
) -> list[str]:
    """Return a note listing the positions without a competency standard, with head counts.

    The competency analyses (:mod:`asn_analysis.competency`) leave these employees out and
    count them as excluded; the note says so before any analysis runs.

    Examples
    --------
    >>> emp = pd.DataFrame({"position": ["Analis", "Analis", "Pranata"]})
    >>> std = pd.DataFrame({"position": ["Pranata"]})
    >>> position_notes(emp, std)[0][:64]
    'employees.position: 1 position has no competency standard (2 emp'
    """
    positions = employees["position"].dropna()
    missing = positions[~positions.isin(set(standards["position"].dropna().tolist()))]
    if missing.empty:
        return []
    counts = (
        missing.value_counts(sort=False).sort_index().sort_values(ascending=False, kind="stable")
    )
    shown = ", ".join(f"'{p}' ({n})" for p, n in counts.head(limit).items())
    more = f" (+{len(counts) - limit} more)" if len(counts) > limit else ""
    k, n = len(counts), int(counts.sum())
    return [
        f"employees.position: {k} position{'s have' if k > 1 else ' has'} no competency "
        f"standard ({n} employee{'s' if n > 1 else ''}; the competency analyses leave them out): "
        f"{shown}{more} / {k} jabatan tanpa standar kompetensi ({n} pegawai tidak dianalisis)"
    ]


def service_notes(employees: pd.DataFrame, *, reported: Reported = frozenset()) -> list[str]:
    """Return a warning when years of service contradict the appointment month in the NIP.

    Digits 9-14 of an NIP are the appointment month (TMT CPNS, or the PPPK appointment year).
    The date ``years_of_service`` is counted to is not in the data; it is taken as the one most
    rows imply (the median of appointment month + years of service + half a year). A row whose
    years of service differ by more than :data:`SERVICE_TOLERANCE_YEARS` from the whole years
    from its appointment month to that date is listed (a warning: the row is kept).

    Examples
    --------
    >>> emp = pd.DataFrame({
    ...     "nip": ["198503122010011001", "198601012011012001", "198702022012011001"],
    ...     "status": ["PNS"] * 3, "years_of_service": [15, 14, 30]})
    >>> service_notes(emp)[0][:70]
    'employees.years_of_service: 1 row differs by more than 1 year from the'
    """
    rows = file_rows(employees.index)
    usable = ~rows.map(lambda r: ("employees", r, "nip") in reported).to_numpy(dtype=bool)
    months = appointment_months(employees["nip"], employees["status"])
    years = employees["years_of_service"]
    ok = (months.notna() & years.notna()).to_numpy(dtype=bool) & usable
    if ok.sum() < 1:
        return []
    start = months[ok].astype("int64")
    held = years[ok].astype("int64")
    reference = int(np.median(start + 12 * held + 6))
    expected = (reference - start) // 12
    off = (held - expected).abs() > SERVICE_TOLERANCE_YEARS
    if not off.any():
        return []
    bad = rows[ok][off.to_numpy()].tolist()
    n = len(bad)
    year, month = divmod(reference, 12)
    return [
        f"employees.years_of_service: {n} row{'s differ' if n > 1 else ' differs'} by more than "
        f"{SERVICE_TOLERANCE_YEARS} year from the years since the appointment month in the NIP "
        f"(digits 9-14), counted to {year}-{month + 1:02d} (the date most rows imply): "
        f"row{'s' if n > 1 else ''} {_rows_text(bad)}; a warning, the rows are kept / masa kerja "
        f"{n} pegawai tidak sesuai dengan TMT pada NIP"
    ]
