"""Load and validate an ASN dataset: the only place where NIP and names are read.

A dataset is a folder of CSV or Parquet files (one per table) or one ``.xlsx`` workbook (one sheet
per table), in the layout documented in ``data/README.md``. Files are read as exports write them
(:mod:`asn_analysis.data.read`: delimiter, decimal comma, BOM, Windows-1252, cell types),
headers are matched to the codebook through a column mapping (:mod:`asn_analysis.data.headers`)
and dates and periods are read as people write them (:mod:`asn_analysis.data.values`). Every
table is parsed and checked against its specification (:mod:`asn_analysis.data.schema`); all
problems are collected and reported together, naming table, column, file rows and values. NIPs
that a spreadsheet held as numbers (digits lost) are refused, once per table. After loading,
``nip`` and ``name`` are gone: every table is keyed by ``employee_id``, a keyed pseudonym
(:func:`asn_analysis.data.privacy.pseudonymize`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa

from asn_analysis._validation import check_option
from asn_analysis.data.checks import (
    competency_key_problems,
    duplicate_key_problems,
    file_rows,
    future_problems,
    identifier_cell_problems,
    nip_problems,
    position_notes,
    problem,
    reference_problems,
    row_rule_problems,
    service_notes,
)
from asn_analysis.data.distinct import distinct_values, spread
from asn_analysis.data.fingerprint import bundled_truth
from asn_analysis.data.headers import load_mapping, match_headers, nearest_header
from asn_analysis.data.periods import pool_mixed_kinds
from asn_analysis.data.privacy import SYNTHETIC_SALT, check_salt, pseudonymize, salt_from_env
from asn_analysis.data.read import FIRST_DATA_ROW, RawTable, column_label, read_dataset
from asn_analysis.data.redaction import REDACTED, Identifiers, looks_like_identifier
from asn_analysis.data.schema import (
    IDENTIFIER_COLUMNS,
    TABLE_KEYS,
    TABLE_SPECS,
    TABLES,
    ColumnSpec,
    TableSet,
    pandera_schema,
)
from asn_analysis.data.values import (
    DATE_FORMS,
    PERIOD_FORMS,
    parse_dates,
    parse_periods,
    period_kind,
    plain_numbers,
)
from asn_analysis.errors import AsnAnalysisError, OptionError

__all__ = [
    "FIRST_DATA_ROW",
    "PROBLEM_COLUMNS",
    "REQUIRED_WITH",
    "DataValidationError",
    "Dataset",
    "OnError",
    "ValidationReport",
    "bundled_data_path",
    "format_problems",
    "load_dataset",
    "validate",
]

#: What to do with rows that break the layout: raise, or leave them out and list them.
OnError = Literal["raise", "quarantine"]
PROBLEM_COLUMNS = ("table", "row", "column", "value", "reason")
_NIP_TABLES = ("competency_assessments", "performance", "training", "staff_survey")
#: Whole numbers beyond this are not exact in a double, nor a count, year or level.
_LARGEST_WHOLE = 2**53
_TRUE = {"true", "t", "yes", "y", "ya", "1", "benar"}
_FALSE = {"false", "f", "no", "n", "tidak", "0", "salah"}
#: A NIP written as a number: scientific notation, or digits with a decimal mark.
_NUMBER_FORM = r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+|\d{15,}[.,]\d*"
#: An 18-digit value ending in 000: what a number rounded to 15 significant digits looks like.
_ROUNDED = r"\d{15}000"
_NIP = r"\d{18}"
#: Parses of distinct column values within one load: (kind, decimal mark, dtype, values) -> parse.
_ParseCache = dict[tuple, tuple[pd.Series, pd.Series, str | pd.Series]]
#: Where to read the column mapping of a dataset: None, or the TOML file.
Columns = str | Path | None
#: The run date (dates after it are in the future): a date, an ISO date text, or None (today).
RunDate = dt.date | str | None
#: Tables a dataset may lack, and what makes each required: ``units`` always (an empty tuple),
#: the others when one of the listed tables is given. Tables not listed here are optional.
REQUIRED_WITH: dict[str, tuple[str, ...]] = {
    "units": (),
    "employees": _NIP_TABLES,
    "competency_standards": ("competency_assessments",),
    "survey_items": ("staff_survey",),
}


def bundled_data_path() -> Path:
    """Return the folder of the bundled synthetic data (``data/synthetic``).

    Returns
    -------
    pathlib.Path
        The folder; it exists in a clone of the repository.

    Examples
    --------
    >>> bundled_data_path().parts[-2:]
    ('data', 'synthetic')
    """
    return Path(__file__).resolve().parents[2] / "data" / "synthetic"


class DataValidationError(AsnAnalysisError):
    """The data breaks the documented layout; ``problems`` lists every problem.

    Attributes
    ----------
    problems : pandas.DataFrame
        One row per problem: table, row (file row, blank for table-level problems),
        column, value (identifiers redacted) and reason.
    """

    def __init__(self, problems: pd.DataFrame, *, source: str, note: str = "") -> None:
        self.problems = problems
        self.source = source
        super().__init__(format_problems(problems, source=source, note=note))


@dataclass(frozen=True)
class ValidationReport:
    """Outcome of validating a dataset.

    Attributes
    ----------
    source : str
        Where the data came from.
    problems : pandas.DataFrame
        Every problem found (see :class:`DataValidationError`).
    row_counts : pandas.DataFrame
        Per table: rows read, rows with a problem of their own.
    notes : tuple of str
        Things that are not errors but a user should know (e.g. ignored columns, a file read
        with ``;`` and a decimal comma, headers matched through the column mapping).
    dialects : pandas.DataFrame or None
        Per table read: file, encoding, delimiter, decimal (how each file was read).
    absent : tuple of str
        Tables without a file or sheet (listed in ``row_counts`` with blank counts); an
        absent table is a problem only when it is required (:data:`REQUIRED_WITH`).
    """

    source: str
    problems: pd.DataFrame
    row_counts: pd.DataFrame
    notes: tuple[str, ...] = ()
    dialects: pd.DataFrame | None = None
    absent: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return self.problems.empty

    @property
    def tables_present(self) -> tuple[str, ...]:
        """The tables given (a file or sheet), in the documented order."""
        return tuple(t for t in TABLES if t not in self.absent)

    def format(self) -> str:
        """Return the report as text (what ``asn-analysis validate`` prints)."""
        lines = [f"Validation of {self.source}"]
        if not self.row_counts.empty:
            lines.append(self.row_counts.to_string(index=False))
        if self.absent:
            lines.append(f"absent / tidak ada: {', '.join(self.absent)}")
        lines.extend(f"note: {n}" for n in self.notes)
        if self.ok:
            lines.append("No problems found. / Tidak ada masalah.")
        else:
            lines.append(format_problems(self.problems, source=self.source))
        return "\n".join(lines)


@dataclass(frozen=True)
class Dataset(TableSet):
    """A loaded, validated and pseudonymised dataset.

    Attributes
    ----------
    units, employees, competency_standards, competency_assessments, performance, training,
    skm_responses, staff_survey, survey_items : pandas.DataFrame or None
        The tables of ``data/README.md``, with ``employee_id`` in place of ``nip`` and
        without ``name``. A table the data does not give (no file or sheet) is None; see
        :attr:`tables_present`. Only ``units`` is always required (:data:`REQUIRED_WITH`).
    ground_truth : dict or None
        True parameters of the bundled synthetic data, recognised by content (every table
        file byte-for-byte as shipped, :func:`asn_analysis.data.fingerprint.bundled_truth`);
        None for anything else, which is real data.
    quarantine : pandas.DataFrame
        Rows left out under ``on_error="quarantine"``: table, row, column, value, reason.
    row_counts : pandas.DataFrame
        Per table: rows_in, rows_kept, rows_quarantined (rows_in = kept + quarantined);
        an absent table is listed with blank (``<NA>``) counts.
    source : str
        Where the data came from.
    notes : tuple of str
        Remarks from validation.
    dialects : pandas.DataFrame or None
        Per table read: file, encoding, delimiter, decimal (how each file was read).
    """

    ground_truth: dict | None
    quarantine: pd.DataFrame
    row_counts: pd.DataFrame
    source: str
    notes: tuple[str, ...] = field(default=())
    dialects: pd.DataFrame | None = field(default=None)

    @property
    def is_synthetic(self) -> bool:
        """True for the bundled synthetic data, recognised by content (it carries its truth).

        A flag inside the folder (``"synthetic": true``) does not count: a modified copy of
        the bundled data is real data.
        """
        return self.ground_truth is not None

    @property
    def tables_present(self) -> tuple[str, ...]:
        """The tables the data gives (not None), in the documented order."""
        return tuple(t for t in TABLES if getattr(self, t) is not None)

    @property
    def absent_tables(self) -> tuple[str, ...]:
        """The tables the data does not give (None), in the documented order."""
        return tuple(t for t in TABLES if getattr(self, t) is None)

    def summary(self) -> pd.DataFrame:
        """Return rows in, kept and quarantined per table."""
        return self.row_counts.copy()

    def _repr_html_(self) -> str:
        kind = "synthetic" if self.is_synthetic else "real"
        return f"<p>Dataset ({kind}) from {self.source}</p>" + self.row_counts.to_html(index=False)


# --------------------------------------------------------------------------- reading


def _read_raw(path: Path) -> tuple[dict[str, RawTable], list[dict], dict | None, dict]:
    """Read every table as text. Returns tables, table-level problems, ground truth, absent."""
    data = read_dataset(path, TABLES)
    problems = [problem(table, pd.NA, "", "", reason) for table, reason in data.problems]
    for table, raw in data.tables.items():
        if raw.frame.empty:
            problems.append(problem(table, pd.NA, "", "", "table is empty (no data rows)"))
    problems += _required_problems(
        data.absent, given=set(data.tables) | {p[0] for p in data.problems}
    )
    return data.tables, problems, data.ground_truth, data.absent


def _required_problems(absent: dict[str, str], *, given: set[str]) -> list[dict]:
    """One problem per absent table that is required (:data:`REQUIRED_WITH`)."""
    out = []
    for table, needed_by in REQUIRED_WITH.items():
        if table not in absent:
            continue
        if not needed_by:
            why = (
                f"{table} is required for every analysis / tabel {table} wajib ada untuk "
                "setiap analisis"
            )
        else:
            by = [t for t in needed_by if t in given]
            if not by:
                continue
            shown = ", ".join(by)
            why = (
                f"{table} is required when {shown} is given / tabel {table} wajib ada bila "
                f"tabel {shown} diberikan"
            )
        out.append(problem(table, pd.NA, "", "", f"{absent[table]}: {why}"))
    return out


def _dialects(raw: dict[str, RawTable]) -> pd.DataFrame:
    rows = [
        {
            "table": table,
            "file": r.dialect.file,
            "encoding": r.dialect.encoding,
            "delimiter": r.dialect.delimiter,
            "decimal": r.dialect.decimal,
        }
        for table, r in raw.items()
    ]
    return pd.DataFrame(rows, columns=["table", "file", "encoding", "delimiter", "decimal"])


# --------------------------------------------------------------------------- parsing


def _parse_column(
    raw: pd.Series, spec: ColumnSpec, *, decimal: str = "."
) -> tuple[pd.Series, pd.Series, str | pd.Series]:
    """Parse text into the spec's type. Returns values, mask of unparseable cells, reason(s)."""
    text = raw.astype("str").str.strip()
    blank = text.eq("") | raw.isna()
    text = text.mask(blank)
    if spec.kind == "str":
        return text.astype("str"), pd.Series(False, index=raw.index), ""
    if spec.kind == "period":
        values = parse_periods(text)
        bad = ~blank & values.isna()
        return values.astype("str"), bad, f"is not a period ({PERIOD_FORMS})"
    if spec.kind in ("int", "float"):
        text, ambiguous = plain_numbers(text, decimal=decimal, whole=spec.kind == "int")
        values = pd.to_numeric(text.where(~ambiguous), errors="coerce").astype("float64")
        # inf, -inf, 1e400 and the text nan are not numbers a table can hold
        bad = ~blank & ~np.isfinite(values)
        reason = "is not a whole number" if spec.kind == "int" else "is not a number"
        if spec.kind == "int":
            fractional = np.isfinite(values) & (values != np.floor(values))
            bad |= fractional | (values.abs() > _LARGEST_WHOLE)
            values = values.mask(bad).round().astype("Int64")
        else:
            values = values.mask(bad)
        if ambiguous.any():
            mark = "," if decimal == "." else "."
            why = (
                f"is ambiguous: one group of three digits after '{mark}' may be thousands or "
                f"decimals; write it without the separator (e.g. 1234) or with its decimals / "
                f"ambigu: tulis tanpa pemisah ribuan"
            )
            reason = pd.Series(reason, index=raw.index, dtype="object").mask(ambiguous, why)
        return values, bad, reason
    if spec.kind == "date":
        values = parse_dates(text)
        bad = ~blank & values.isna()
        return values, bad, f"is not a date ({DATE_FORMS})"
    lowered = text.str.lower()
    values = pd.Series(pd.NA, index=raw.index, dtype="boolean")
    values[lowered.isin(_TRUE)] = True
    values[lowered.isin(_FALSE)] = False
    bad = ~blank & values.isna()
    return values, bad, "is not true/false"


def _parse_distinct(
    raw: pd.Series, spec: ColumnSpec, *, decimal: str = ".", cache: _ParseCache | None = None
) -> tuple[pd.Series, pd.Series, str | pd.Series]:
    """:func:`_parse_column` once per distinct cell value, spread back to every cell.

    The parse of the distinct values depends on them, the column's kind and the decimal mark
    only, so columns holding the same values (the answers 1-4 of nine SKM elements) share one
    parse through `cache`.
    """
    codes, labels = distinct_values(raw, sort=True)
    if codes is None:
        return _parse_column(raw, spec, decimal=decimal)
    blank = bool(labels.isna().iloc[-1])  # a missing value is the last label (not a key part)
    written = tuple(labels.iloc[: len(labels) - blank].tolist())
    key = (spec.kind, decimal, labels.dtype, blank, written)
    if cache is None or key not in cache:
        parsed = _parse_column(labels, spec, decimal=decimal)
        if cache is not None:
            cache[key] = parsed
    values, bad, reason = parsed if cache is None else cache[key]
    if isinstance(reason, pd.Series):
        reason = spread(reason, codes, raw.index)
    return spread(values, codes, raw.index), spread(bad, codes, raw.index), reason


def _parse_table(
    table: str,
    raw: pd.DataFrame,
    specs: tuple[ColumnSpec, ...],
    problems: list[dict],
    *,
    decimal: str = ".",
    cache: _ParseCache | None = None,
) -> tuple[pd.DataFrame | None, list[str]]:
    """Parse one table; report missing columns and unparseable cells. Returns the frame."""
    missing = [s.name for s in specs if s.required and s.name not in raw.columns]
    ignored = [c for c in raw.columns if c not in {s.name for s in specs}]
    for name in missing:
        near = nearest_header(name, ignored, table=table)
        hint = f" (nearest header: '{near}'; map it in a column mapping)" if near else ""
        reason = f"required column {name} is missing{hint}"
        problems.append(problem(table, pd.NA, name, "", reason))
    if missing:
        shown = ", ".join(f"'{c}'" for c in raw.columns[:40]) or "none"
        more = f" (+{len(raw.columns) - 40} more)" if len(raw.columns) > 40 else ""
        reason = f"columns found: {shown}{more} / kolom yang ada: {len(raw.columns)}"
        problems.append(problem(table, pd.NA, "", "", reason))
        return None, []
    rows = file_rows(raw.index)
    parsed = {}
    for spec in specs:
        if spec.name not in raw.columns:
            continue
        values, bad, reason = _parse_distinct(raw[spec.name], spec, decimal=decimal, cache=cache)
        for i in np.flatnonzero(bad.to_numpy()):
            value = raw[spec.name].iloc[i]
            why = reason.iloc[i] if isinstance(reason, pd.Series) else reason
            problems.append(problem(table, rows.iloc[i], spec.name, value, why))
        parsed[spec.name] = values
    return pd.DataFrame(parsed, index=raw.index), ignored


def _schema_problems(
    table: str,
    frame: pd.DataFrame,
    specs: tuple[ColumnSpec, ...],
    problems: list[dict],
    *,
    unique: bool = True,
) -> None:
    """Run the pandera schema lazily and translate its failure cases; report duplicate keys."""
    present = tuple(s for s in specs if s.name in frame.columns)
    if unique:
        problems.extend(duplicate_key_problems(table, frame))
    schema = pandera_schema(table, present, unique=False)
    try:
        schema.validate(frame, lazy=True)
        return
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    already = {(p["row"], p["column"]) for p in problems if p["table"] == table}
    for case in cases.itertuples(index=False):
        if case.index is None or pd.isna(case.index):
            reason = f"check failed for the whole column: {case.check}"
            problems.append(problem(table, pd.NA, case.column, "", reason))
            continue
        row = int(case.index) + FIRST_DATA_ROW
        check = str(case.check)
        if (row, case.column) in already:
            continue  # the cell could not be parsed; already reported
        if check == "not_nullable":
            problems.append(problem(table, row, case.column, "", "is blank (required)"))
        else:
            problems.append(problem(table, row, case.column, case.failure_case, check))


# --------------------------------------------------------------------------- custom checks


def _numeric_nip_problem(table: str, raw: RawTable) -> dict | None:
    """One table-level problem when the NIP column was held as a number, else None.

    A spreadsheet keeps 15 significant digits: an 18-digit NIP in a numeric cell loses its
    last digits (the serial), shows as scientific notation (``E+17``) in a CSV, or ends in
    ``000``. The problem gives the count of such rows, never a value.
    """
    n = len(raw.frame)
    cells = raw.numeric.get("nip", np.zeros(n, dtype=bool))
    # the forms of each distinct NIP text, spread back to the rows
    codes, labels = distinct_values(raw.frame["nip"])
    text = labels.astype("str").str.strip()
    forms = [text.str.fullmatch(f).to_numpy(dtype=bool) for f in (_NUMBER_FORM, _ROUNDED, _NIP)]
    number_form, rounded, digits_18 = forms if codes is None else [f[codes] for f in forms]
    n_18 = int(digits_18.sum())
    many_rounded = rounded.sum() >= 2 and rounded.sum() >= 0.5 * n_18
    if not (cells.any() or number_form.any() or many_rounded):
        return None
    affected = int((cells | number_form | rounded).sum())
    how = []
    if cells.any():
        where = (
            "a number column of the Parquet file"
            if raw.dialect.encoding == "parquet"
            else ("numeric cells of the workbook")
        )
        how.append(f"{int(cells.sum())} in {where}")
    if number_form.any():
        how.append(f"{int(number_form.sum())} written as numbers (scientific notation, E+17)")
    if rounded.any() and not cells.any():
        how.append(f"{int(rounded.sum())} ending in 000, the mark of a rounded number")
    reason = (
        f"NIP stored as a number in {affected} of {n} rows ({'; '.join(how)}): a spreadsheet "
        "keeps only 15 significant digits, so the last digits of an 18-digit NIP are lost and "
        "cannot be recovered; no NIP of this table was checked or used. Fix: format the NIP "
        "column as Text, paste the NIPs again from the source system and export again, or fill "
        "in the template (asn-analysis template). / NIP tersimpan sebagai angka pada "
        f"{affected} baris: digit terakhir hilang dan tidak dapat dipulihkan. Format kolom NIP "
        "sebagai Teks lalu ekspor ulang, atau gunakan templat (asn-analysis template)."
    )
    return problem(table, pd.NA, "nip", "", reason)


def _period_notes(table: str, text: pd.DataFrame, frame: pd.DataFrame) -> list[str]:
    """Return notes on period spellings rewritten and on periods other than semesters."""
    if "period" not in frame.columns:
        return []
    out = []
    periods = frame["period"].where(frame["period"].ne("nan") & frame["period"].ne("<NA>"))
    written = text["period"].astype("str").str.strip()
    changed = periods.notna() & (written != periods)
    if changed.any():
        first = changed.idxmax()
        out.append(
            f"{table}.period: {int(changed.sum())} values rewritten to the normalised form "
            f"(e.g. '{written[first]}' -> {periods[first]})"
        )
    kinds = set(period_kind(periods.dropna()).dropna())
    if len(kinds) == 1 and kinds != {"semester"}:
        out.append(
            f"{table}.period holds {kinds.pop()} periods: kept as their own kind; the analyses "
            "order them by date and line them up with other tables by the periods' dates"
        )
    return out


def _item_specs(items: pd.DataFrame | None, survey: pd.DataFrame | None, problems: list[dict]):
    """Column specs of staff_survey items from survey_items; report mismatched columns."""
    base = TABLE_SPECS["staff_survey"]
    if items is None:
        return base
    specs = list(base)
    for rec in items.dropna(subset=["item"]).itertuples(index=False):
        lo = None if pd.isna(rec.min) else int(rec.min)
        hi = None if pd.isna(rec.max) else int(rec.max)
        if lo is not None and hi is not None and lo >= hi:
            lo = hi = None  # survey_items reports the range; the answers cannot be checked
        specs.append(ColumnSpec(rec.item, "int", nullable=True, min=lo, max=hi))
    if survey is not None:
        known = {s.name for s in specs}
        for column in survey.columns:
            if column not in known:
                reason = f"column {column} is not an item of survey_items"
                problems.append(problem("staff_survey", pd.NA, column, "", reason))
    return tuple(specs)


# --------------------------------------------------------------------------- validation


@dataclass
class _Checked:
    source: str
    parsed: dict[str, pd.DataFrame]
    problems: pd.DataFrame
    rows_in: dict[str, int]
    notes: list[str]
    ground_truth: dict | None
    dialects: pd.DataFrame
    absent: dict[str, str]
    identifiers: Identifiers = field(default_factory=Identifiers)


def _mapping_options(columns: Columns) -> dict:
    if columns is None:
        return {}
    known = {t: [s.name for s in TABLE_SPECS[t]] for t in TABLES}
    return {"mapping": load_mapping(columns, known)}


def _run_date(today: RunDate) -> dt.date:
    """Return the run date: ``today`` as a date, or the system date when None."""
    if today is None:
        return dt.date.today()
    if isinstance(today, dt.datetime):
        return today.date()
    if isinstance(today, dt.date):
        return today
    if isinstance(today, str):
        try:
            return dt.date.fromisoformat(today.strip())
        except ValueError:
            pass
    raise OptionError(f"today must be a date (datetime.date or 'YYYY-MM-DD'), not {today!r}")


def _layout(table: str, raw: RawTable, problems: list[dict], notes: list[str]) -> bool:
    """Report how a table is laid out: header row, blank rows, repeated or data-like headers.

    Returns False when the header row holds data (an NIP where a header belongs): the table is
    then not parsed, and no header of it is shown.
    """
    if any(looks_like_identifier(c) for c in raw.frame.columns):
        reason = (
            "the first row holds data, not column names (16 to 19 digits where a header "
            "belongs, like an NIP): add the header row of data/README.md / baris pertama berisi "
            "data, bukan judul kolom"
        )
        problems.append(problem(table, pd.NA, "", "", reason))
        return False
    for header, positions in raw.duplicate_headers.items():
        where = " and ".join(column_label(p) for p in positions)
        reason = (
            f"header '{header}' is written {len(positions)} times ({where}): keep one of these "
            f"columns, or rename the others / judul kolom '{header}' ganda"
        )
        problems.append(problem(table, pd.NA, header, "", reason))
    if raw.header_row > 1:
        notes.append(
            f"{table}: the header is on row {raw.header_row} (blank rows above it); rows are "
            "numbered as a spreadsheet shows them"
        )
    if raw.blank_rows:
        n = len(raw.blank_rows)
        shown = ", ".join(map(str, raw.blank_rows[:10])) + (f" (+{n - 10} more)" if n > 10 else "")
        notes.append(
            f"{table}: {n} blank row{'s' if n > 1 else ''} between data rows left out (row"
            f"{'s' if n > 1 else ''} {shown}); other rows keep the numbers a spreadsheet shows"
        )
    return True


def _cross_table(
    parsed: dict[str, pd.DataFrame], problems: list[dict], notes: list[str], today: dt.date
) -> None:
    """Rules across rows and tables (:mod:`asn_analysis.data.checks`), and their notes."""
    employees = parsed.get("employees")
    if employees is not None and "nip" in employees:
        problems.extend(nip_problems(employees))
    problems.extend(row_rule_problems(parsed))
    if "units" in parsed:
        units = pd.Index(parsed["units"]["unit_id"].dropna())
        for table in ("employees", "skm_responses"):
            if table in parsed:
                problems.extend(reference_problems(table, parsed[table], "unit_id", "units", units))
    if employees is not None and "nip" in employees:
        nips = pd.Index(employees["nip"].dropna())
        for table in _NIP_TABLES:
            if table in parsed and "nip" in parsed[table]:
                problems.extend(reference_problems(table, parsed[table], "nip", "employees", nips))
    reported = {(p["table"], p["row"], p["column"]) for p in problems}
    problems.extend(future_problems(parsed, today=today, reported=reported))
    standards = parsed.get("competency_standards")
    if "training" in parsed:
        problems.extend(competency_key_problems(parsed["training"], standards, reported=reported))
    if employees is not None and standards is not None:
        notes.extend(position_notes(employees, standards))
    if employees is not None and "nip" in employees:
        notes.extend(service_notes(employees, reported=reported))


def _check(path: Path, columns: Columns = None, today: RunDate = None) -> _Checked:
    run_date = _run_date(today)
    mapping = _mapping_options(columns)
    raw, problems, ground_truth, absent = _read_raw(path)
    parsed: dict[str, pd.DataFrame] = {}
    notes: list[str] = []
    ids = Identifiers()
    cache: _ParseCache = {}
    order = ["survey_items"] + [t for t in TABLES if t != "survey_items"]
    for table, r in raw.items():
        if not r.dialect.is_canonical and not r.dialect.is_typed:
            notes.append(f"{table}: {r.dialect.file} read with {r.dialect.describe()}")
    for table in order:
        if table not in raw or raw[table].frame.empty:
            continue
        if not _layout(table, raw[table], problems, notes):
            continue
        specs = TABLE_SPECS[table]
        if table == "staff_survey":
            specs = _item_specs(parsed.get("survey_items"), None, problems)
        names = [s.name for s in specs]
        match = match_headers(
            table, raw[table].frame.columns, names, positions=raw[table].positions, **mapping
        )
        for reason in match.conflicts:
            problems.append(problem(table, pd.NA, "", "", reason))
        raw[table].rename(match.renames)
        if match.renames:
            shown = ", ".join(f"'{a}' -> {b}" for a, b in match.renames.items())
            notes.append(f"{table}: headers read as codebook columns: {shown}")
        text = raw[table].frame
        if "nip" in text.columns:
            ids.add_nips(text["nip"])
        if "name" in text.columns:
            ids.add_names(text["name"])
        if table == "staff_survey":
            specs = _item_specs(parsed.get("survey_items"), text, problems)
        unique = True
        if "nip" in text.columns:
            refused = _numeric_nip_problem(table, raw[table])
            if refused is not None:
                # The digits are lost: the NIPs are neither checked, nor used, nor shown.
                problems.append(refused)
                text = text.drop(columns="nip")
                specs = tuple(s for s in specs if s.name != "nip")
                unique = "nip" not in TABLE_KEYS[table]
        frame, ignored = _parse_table(
            table, text, specs, problems, decimal=raw[table].dialect.decimal, cache=cache
        )
        if ignored and table != "staff_survey":
            notes.append(f"{table}: columns not in the codebook were ignored: {', '.join(ignored)}")
        if frame is None:
            continue
        _schema_problems(table, frame, specs, problems, unique=unique)
        notes.extend(_period_notes(table, text, frame))
        frame, coarsened = pool_mixed_kinds(frame, table=table, person="nip")
        notes.extend(coarsened)
        parsed[table] = frame
    _cross_table(parsed, problems, notes, run_date)
    problems.extend(identifier_cell_problems(parsed, ids))
    frame = _problem_frame(problems, ids).sort_values(
        ["table", "row", "column"], key=_table_order, na_position="first", kind="stable"
    )
    rows_in = {t: len(raw[t].frame) for t in TABLES if t in raw}
    return _Checked(
        str(path),
        parsed,
        frame.reset_index(drop=True),
        rows_in,
        [ids.redact_text(n) for n in notes],
        ground_truth,
        _dialects(raw),
        absent,
        ids,
    )


def _problem_frame(problems: list[dict], ids: Identifiers) -> pd.DataFrame:
    """Return the problems as a table, every identifier redacted (values, columns, reasons)."""
    frame = pd.DataFrame(problems, columns=list(PROBLEM_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    frame["value"] = frame["value"].astype("object").where(frame["value"].notna(), "")
    frame["value"] = frame["value"].map(str)
    identifying = frame["column"].isin(IDENTIFIER_COLUMNS)
    return ids.redact_frame(frame.assign(value=frame["value"].mask(identifying, REDACTED)))


def _table_order(values: pd.Series) -> pd.Series:
    if values.name == "table":
        return values.map({t: i for i, t in enumerate(TABLES)})
    return values


def format_problems(problems: pd.DataFrame, *, source: str = "", note: str = "", limit=60) -> str:
    """Format problems as lines like ``skm_responses.waktu rows 17, 204: 5 is outside 1-4``.

    Parameters
    ----------
    problems : pandas.DataFrame
        Columns table, row, column, value, reason.
    source : str, optional
        Where the data came from (first line).
    note : str, optional
        A sentence added after the heading.
    limit : int, default 60
        At most this many lines; the rest are counted.

    Returns
    -------
    str
        The report.
    """
    n_rows = problems.dropna(subset=["row"]).groupby("table")["row"].nunique().sum()
    head = f"{len(problems)} problem(s) in {source or 'the data'}"
    head += f", {n_rows} row(s) affected / {len(problems)} masalah ditemukan"
    lines = [head] + ([note] if note else [])
    groups = problems.fillna({"value": ""}).groupby(
        ["table", "column", "reason", "value"], sort=False, dropna=False
    )
    for i, ((table, column, reason, value), grp) in enumerate(groups):
        if i == limit:
            lines.append(f"... and {groups.ngroups - limit} more (see .problems)")
            break
        where = f"{table}.{column}" if column else table
        rows = grp["row"].dropna().astype(int).tolist()
        if rows:
            shown = ", ".join(map(str, rows[:10])) + (
                f" (+{len(rows) - 10} more)" if len(rows) > 10 else ""
            )
            label = "row" if len(rows) == 1 else "rows"
            lines.append(f"  {where} {label} {shown}: {value} {reason}".rstrip())
        else:
            lines.append(f"  {where}: {reason}")
    return "\n".join(lines)


def validate(
    path: str | Path | None = None, *, columns: Columns = None, today: RunDate = None
) -> ValidationReport:
    """Check a dataset against the documented layout without loading it.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Folder of CSV or Parquet files or ``.xlsx`` workbook; None checks the bundled data.
    columns : str or pathlib.Path, optional
        A column mapping (TOML) from the file's headers to the codebook's names, per table
        (see ``data/README.md``); it adds to the shipped mapping of common spellings.
    today : datetime.date or str, optional
        The run date: assessment and training dates after it, and a performance year after
        its year, are problems. Default: the system date (pass a date for repeatable checks).

    Returns
    -------
    ValidationReport
        All problems found, rows per table and notes. No salt is needed: nothing is
        pseudonymised.

    Examples
    --------
    >>> validate().ok
    True
    """
    checked = _check(Path(path) if path is not None else bundled_data_path(), columns, today)
    counts = _row_counts(checked.rows_in, checked.problems, checked.absent).rename(
        columns={"rows_kept": "rows_ok", "rows_quarantined": "rows_with_problems"}
    )
    return ValidationReport(
        checked.source,
        checked.problems,
        counts,
        tuple(checked.notes),
        checked.dialects,
        tuple(t for t in TABLES if t in checked.absent),
    )


def _row_counts(
    rows_in: dict[str, int], quarantined: pd.DataFrame, absent: dict[str, str] | None = None
) -> pd.DataFrame:
    q = quarantined.dropna(subset=["row"]).groupby("table")["row"].nunique()
    out = pd.DataFrame({"table": list(rows_in), "rows_in": list(rows_in.values())})
    out["rows_quarantined"] = out["table"].map(q).fillna(0).astype(int)
    out["rows_kept"] = out["rows_in"] - out["rows_quarantined"]
    out = out[["table", "rows_in", "rows_kept", "rows_quarantined"]]
    if absent:
        # absent tables are listed with blank counts, in the documented order
        out = out.astype({c: "Int64" for c in out.columns[1:]}).set_index("table")
        order = [t for t in TABLES if t in rows_in or t in absent]
        out = out.reindex(order).rename_axis("table").reset_index()
    return out


def _cascade(parsed: dict[str, pd.DataFrame], bad: dict[str, set[int]]) -> list[dict]:
    """Quarantine rows that refer to a quarantined unit or employee."""
    out = []

    def dropped_values(table: str, column: str) -> dict[str, int]:
        frame = parsed[table]
        kept = frame.drop(index=list(bad.get(table, ())))[column]
        lost = frame.loc[list(bad.get(table, ())), column].dropna()
        lost = lost[~lost.isin(kept)]
        return {v: int(i) + FIRST_DATA_ROW for i, v in lost.items()}

    links = [("units", "unit_id", ["employees", "skm_responses"])]
    links.append(("employees", "nip", list(_NIP_TABLES)))
    for source, column, targets in links:
        if source not in parsed:
            continue
        lost = dropped_values(source, column)
        if not lost:
            continue
        for target in targets:
            if target not in parsed:
                continue
            frame = parsed[target]
            hit = frame[column].isin(list(lost)) & ~frame.index.isin(list(bad.get(target, ())))
            for i in frame.index[hit]:
                value = frame.at[i, column]
                reason = f"refers to a row quarantined in {source} (row {lost[value]})"
                out.append(problem(target, i + FIRST_DATA_ROW, column, value, reason))
                bad.setdefault(target, set()).add(int(i))
    return out


def load_dataset(
    path: str | Path | None = None,
    *,
    on_error: OnError = "raise",
    salt: str | None = None,
    columns: Columns = None,
    today: RunDate = None,
) -> Dataset:
    """Load, validate and pseudonymise a dataset.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A folder of CSV or Parquet files (``units.csv``, ``employees.parquet``, ...) or one
        ``.xlsx`` workbook with one sheet per table. None loads the bundled synthetic data.
    on_error : {"raise", "quarantine"}, default "raise"
        "raise": any problem raises :class:`DataValidationError` listing all of them.
        "quarantine": rows with problems (and rows referring to them) are left out and
        listed in ``Dataset.quarantine``; problems that concern a whole table (a missing
        file, sheet or column, an empty table, a file that is not UTF-8) still raise.
    salt : str, optional
        Key of the pseudonyms. Default: the public synthetic salt for the bundled data
        (recognised by content: every table file as shipped, see
        :mod:`asn_analysis.data.fingerprint`), else ``ASN_ANALYSIS_SALT``. Any salt, from
        the argument or the environment, must pass
        :func:`asn_analysis.data.privacy.check_salt`; only the bundled data may be keyed by
        the synthetic salt.
    columns : str or pathlib.Path, optional
        A column mapping (TOML) from the file's headers to the codebook's names, per table
        (see ``data/README.md``); it adds to the shipped mapping of common spellings.
    today : datetime.date or str, optional
        The run date: assessment and training dates after it, and a performance year after
        its year, are problems. Default: the system date (pass a date for repeatable checks).

    Returns
    -------
    Dataset
        Tables keyed by ``employee_id``; ``nip`` and ``name`` are not in any of them.

    Raises
    ------
    DataValidationError
        The data breaks the layout of ``data/README.md``.
    asn_analysis.data.privacy.MissingSaltError
        Real data without a salt, or with a weak one
        (:class:`~asn_analysis.data.privacy.WeakSaltError`).
    asn_analysis.errors.OptionError
        ``on_error`` is not "raise" or "quarantine", or ``today`` is not a date.
    asn_analysis.data.headers.ColumnMappingError
        The column mapping names a table or column the codebook does not have.

    Examples
    --------
    >>> ds = load_dataset()
    >>> int(ds.row_counts["rows_quarantined"].sum())
    0
    >>> "nip" in ds.employees.columns
    False
    """
    check_option("on_error", on_error, OnError)
    folder = Path(path) if path is not None else bundled_data_path()
    checked = _check(folder, columns, today)
    # the public key only for the bundled data, recognised by content, never by a flag
    truth = bundled_truth(folder, reference=bundled_data_path(), tables=TABLES)
    if salt is None:
        salt = SYNTHETIC_SALT if truth is not None else salt_from_env()
    elif not (truth is not None and salt == SYNTHETIC_SALT):
        check_salt(salt, origin="the salt= argument")
    problems = checked.problems
    table_level = problems[problems["row"].isna()]
    if not table_level.empty:
        note = (
            ""
            if on_error == "raise"
            else "These problems concern whole tables and cannot be quarantined."
        )
        raise DataValidationError(
            problems if on_error == "raise" else table_level, source=checked.source, note=note
        )
    if on_error == "raise" and not problems.empty:
        raise DataValidationError(problems, source=checked.source)
    parsed = checked.parsed
    bad: dict[str, set[int]] = {}
    for table, rows in problems.groupby("table")["row"]:
        bad[table] = {int(r) - FIRST_DATA_ROW for r in rows.dropna()}
    extra = _cascade(parsed, bad)
    if extra:
        extra_frame = _problem_frame(extra, checked.identifiers)
        problems = pd.concat([problems, extra_frame], ignore_index=True)
    kept = {t: f.drop(index=list(bad.get(t, ()))) for t, f in parsed.items()}
    tables = {t: None for t in TABLES} | _pseudonymise(kept, salt=salt)
    counts = _row_counts(checked.rows_in, problems, checked.absent)
    return Dataset(
        **tables,
        ground_truth=truth,
        quarantine=problems.reset_index(drop=True),
        row_counts=counts,
        source=checked.source,
        notes=tuple(checked.notes),
        dialects=checked.dialects,
    )


def _pseudonymise(tables: dict[str, pd.DataFrame], *, salt: str) -> dict[str, pd.DataFrame]:
    out = {}
    for table, frame in tables.items():
        frame = frame.reset_index(drop=True)
        if table == "employees":
            # The appointment month is in the NIP (digits 9-14); keep its year, drop the NIP.
            position = frame.columns.get_loc("birth_year") + 1
            frame.insert(position, "appointment_year", frame["nip"].str[8:12].astype("Int64"))
        if "nip" in frame.columns:
            # one pseudonym per distinct NIP, spread back to the rows (a person has many rows)
            codes, nips = distinct_values(frame["nip"])
            ids = pseudonymize(nips, salt=salt).to_numpy()
            frame = frame.drop(columns=[c for c in IDENTIFIER_COLUMNS if c in frame.columns])
            frame.insert(0, "employee_id", ids if codes is None else ids[codes])
        out[table] = frame
    return out
