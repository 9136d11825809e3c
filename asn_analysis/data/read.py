r"""Read the files of a dataset into text tables, and say how each file was read (its dialect).

A dataset is a folder of CSV files or one workbook. CSV files are read as Excel writes them: the
encoding (UTF-8, UTF-8 with a byte-order mark, or Windows-1252 for older files), the delimiter
(``,``, ``;`` or tab, from the header line) and the decimal mark (a comma in an Indonesian locale)
are detected and recorded in a :class:`Dialect`. Workbooks are read with python-calamine, which
gives each cell's type: a number stored in a numeric cell is flagged (``RawTable.numeric``), so
the loader can refuse identifiers that a spreadsheet held as numbers. Every cell comes back as
text; parsing into types is the loader's job (:mod:`asn_analysis.data.loader`).

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "units.csv").write_bytes(b"\xef\xbb\xbfunit_id;score\nU01;3,5\n")
>>> table, error = read_csv_table(folder / "units.csv")
>>> table.dialect.describe()
"delimiter ';', decimal comma, UTF-8 with BOM"
>>> table.frame.to_dict("records")
[{'unit_id': 'U01', 'score': '3,5'}]
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from asn_analysis.errors import AsnAnalysisError

__all__ = [
    "CANONICAL_DIALECT",
    "Dialect",
    "RawData",
    "RawTable",
    "read_csv_table",
    "read_dataset",
    "read_workbook",
]

_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tab"}
#: A number written with a decimal comma, alone in its cell (``3,5``, or ``1.234,5`` with
#: thousands separators), in a ``;`` or tab file.
#: A number written with a decimal point that is not a thousands group (``3.5``, ``12.25``).
_DECIMAL_POINT = re.compile(
    r"(?:^|[;\t])\"?[+-]?(?!\d{1,3}(?:\.\d{3})+\"?(?:[;\t\r\n]|$))\d+\.\d+\"?(?=[;\t\r\n]|$)",
    re.MULTILINE,
)
_DECIMAL_COMMA = re.compile(
    r"(?:^|[;\t])\"?[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+\"?(?=[;\t\r\n]|$)", re.MULTILINE
)


@dataclass(frozen=True)
class Dialect:
    """How one file was read.

    Attributes
    ----------
    file : str
        The file (or ``workbook[sheet]``) name.
    encoding : str
        "UTF-8", "UTF-8 with BOM", "Windows-1252", or "workbook" for a sheet.
    delimiter : str
        The field separator of a CSV file ("" for a sheet).
    decimal : str
        The decimal mark of numbers ("." or ",").
    """

    file: str
    encoding: str = "UTF-8"
    delimiter: str = ","
    decimal: str = "."

    @property
    def is_canonical(self) -> bool:
        """True for the documented form: UTF-8 CSV, comma-separated, decimal point."""
        return (self.encoding, self.delimiter, self.decimal) == ("UTF-8", ",", ".")

    def describe(self) -> str:
        """Return the dialect in words, e.g. ``delimiter ';', decimal comma, UTF-8 with BOM``."""
        if self.encoding == "workbook":
            return "workbook sheet, cell types read (python-calamine)"
        mark = "decimal comma" if self.decimal == "," else "decimal point"
        return f"delimiter {_DELIMITER_NAMES[self.delimiter]}, {mark}, {self.encoding}"


#: The dialect of the documented layout (``data/README.md``).
CANONICAL_DIALECT = Dialect("")


@dataclass
class RawTable:
    """One table as read: every cell as text.

    Attributes
    ----------
    frame : pandas.DataFrame
        The cells as text ("" for blank), headers as written in the file.
    dialect : Dialect
        How the file was read.
    numeric : dict of str to numpy.ndarray
        For a workbook: per column that holds numeric cells, a boolean mask of them.
    """

    frame: pd.DataFrame
    dialect: Dialect
    numeric: dict[str, np.ndarray] = field(default_factory=dict)

    def rename(self, renames: dict[str, str]) -> None:
        """Rename columns (source header -> codebook name) in the frame and the masks."""
        if not renames:
            return
        self.frame = self.frame.rename(columns=renames)
        self.numeric = {renames.get(k, k): v for k, v in self.numeric.items()}


@dataclass
class RawData:
    """Every table of a dataset as read, with the problems that concern whole files.

    ``absent`` holds the tables that have no file (or sheet), each with the sentence saying
    so; whether an absent table is a problem is the loader's decision (only some are required).
    """

    tables: dict[str, RawTable]
    problems: list[tuple[str, str]]
    ground_truth: dict | None
    absent: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- CSV


def _decode(raw: bytes, name: str) -> tuple[str | None, str, str]:
    """Decode a file. Returns text, encoding name, and an error (blank when decoded)."""
    if raw.startswith(codecs.BOM_UTF8):
        encoding, body = "UTF-8 with BOM", raw[len(codecs.BOM_UTF8) :]
    else:
        encoding, body = "UTF-8", raw
    try:
        return body.decode("utf-8"), encoding, ""
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return raw.decode("cp1252"), "Windows-1252", ""
    except UnicodeDecodeError:
        pass
    line = raw[: utf8_error.start].count(b"\n") + 1
    byte = raw[utf8_error.start : utf8_error.start + 1].hex()
    return (
        None,
        "",
        (
            f"{name} is not UTF-8 text (byte 0x{byte} on line {line}), nor Windows-1252; save "
            "it as 'CSV UTF-8' / simpan sebagai CSV UTF-8"
        ),
    )


def _delimiter(text: str) -> str:
    """Return the delimiter of the header line: the candidate seen most often outside quotes."""
    header = text.split("\n", 1)[0]
    header = re.sub(r'"[^"]*"', "", header)
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _decimal_mark(text: str, delimiter: str) -> str:
    """Return the decimal mark of a file: "," when its numbers are written with a decimal comma.

    A ``;`` file is what Excel writes where the comma is the decimal mark, so it reads with a
    decimal comma unless its numbers show a decimal point (``3.5``, not a thousands group such
    as ``1.234``); a tab file only when a number shows a decimal comma; a ``,`` file never.
    """
    if delimiter == ",":
        return "."
    if _DECIMAL_COMMA.search(text):
        return ","
    if delimiter == ";" and not _DECIMAL_POINT.search(text):
        return ","
    return "."


def _parser_reason(name: str, dialect: Dialect, exc: Exception) -> str:
    text = str(exc).strip()
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    where = f"{name} cannot be read as CSV ({dialect.describe()})"
    if fields:
        expected, line, seen = fields.groups()
        return (
            f"{where}: line {line} has {seen} fields where the header has {expected}; a value "
            f"holding the delimiter must be quoted / baris {line} berisi {seen} kolom, header "
            f"{expected}"
        )
    quote = re.search(r"EOF inside string starting at row (\d+)", text)
    if quote:
        line = int(quote.group(1)) + 1
        return (
            f"{where}: the quote opened on line {line} is never closed / tanda kutip pada "
            f"baris {line} tidak ditutup"
        )
    return f"{where}: {text}"


def read_csv_table(file: Path) -> tuple[RawTable | None, str]:
    """Read one CSV file as text, detecting its encoding, delimiter and decimal mark.

    Parameters
    ----------
    file : pathlib.Path
        The file.

    Returns
    -------
    RawTable or None
        The table, or None when the file cannot be read.
    str
        Why it cannot be read (naming the file, the line and what was expected); blank when read.
    """
    text, encoding, error = _decode(file.read_bytes(), file.name)
    if text is None:
        return None, error
    delimiter = _delimiter(text)
    decimal = _decimal_mark(text, delimiter)
    dialect = Dialect(file.name, encoding, delimiter, decimal)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, na_filter=False
        )
    except pd.errors.EmptyDataError as exc:
        return None, f"{file.name} cannot be read as CSV: {exc}".strip()
    except pd.errors.ParserError as exc:
        return None, _parser_reason(file.name, dialect, exc)
    return RawTable(frame, dialect), ""


# --------------------------------------------------------------------------- workbooks


def _cell_text(value: object) -> str:
    """One workbook cell as the text a CSV export would hold."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _sheet_table(rows: list[list], label: str) -> RawTable:
    while rows and all(v == "" or v is None for v in rows[-1]):
        rows.pop()  # formatted but empty rows below the data
    header = [_cell_text(v).strip() for v in rows[0]] if rows else []
    body = rows[1:]
    columns: dict[str, list[str]] = {}
    numeric: dict[str, np.ndarray] = {}
    for j, name in enumerate(header):
        cells = [row[j] if j < len(row) else "" for row in body]
        if not name and all(v == "" for v in cells):
            continue  # a formatted but empty column
        if all(type(v) is str for v in cells):
            columns[name] = cells
            continue
        mask = np.fromiter(
            (isinstance(v, int | float) and not isinstance(v, bool) for v in cells),
            dtype=bool,
            count=len(cells),
        )
        if mask.any():
            numeric[name] = mask
        columns[name] = [_cell_text(v) for v in cells]
    frame = pd.DataFrame(columns, dtype=str) if columns else pd.DataFrame()
    return RawTable(frame, Dialect(label, "workbook", "", "."), numeric)


def read_workbook(path: Path) -> dict[str, RawTable]:
    """Read every sheet of a workbook with python-calamine, keeping each cell's type.

    Parameters
    ----------
    path : pathlib.Path
        An ``.xlsx`` / ``.xlsm`` workbook.

    Returns
    -------
    dict of str to RawTable
        One table per sheet, by sheet name; numeric cells flagged in ``RawTable.numeric``.
    """
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    out = {}
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        out[name] = _sheet_table(list(rows), f"{path.name}[{name}]")
    return out


# --------------------------------------------------------------------------- datasets


def read_dataset(path: Path, tables: tuple[str, ...]) -> RawData:
    """Read the tables of a dataset (folder of CSV files or one workbook) as text.

    Parameters
    ----------
    path : pathlib.Path
        Folder of ``<table>.csv`` files (and ``ground_truth.json`` for synthetic data), or
        an ``.xlsx`` workbook with one sheet per table.
    tables : tuple of str
        The table names to read.

    Returns
    -------
    RawData
        Tables read, file-level problems as (table, reason), the ground truth if any, and
        the tables without a file or sheet (``absent``).

    Raises
    ------
    FileNotFoundError
        Nothing at ``path``.
    asn_analysis.errors.AsnAnalysisError
        ``path`` is neither a folder nor a workbook.
    """
    out: dict[str, RawTable] = {}
    problems: list[tuple[str, str]] = []
    absent: dict[str, str] = {}
    ground_truth = None
    if path.is_dir():
        for table in tables:
            file = path / f"{table}.csv"
            if not file.exists():
                absent[table] = f"file {file.name} is missing"
                continue
            raw, error = read_csv_table(file)
            if raw is None:
                problems.append((table, error))
            else:
                out[table] = raw
        truth_file = path / "ground_truth.json"
        if truth_file.exists():
            ground_truth = json.loads(truth_file.read_text(encoding="utf-8"))
    elif path.suffix.lower() in {".xlsx", ".xlsm"}:
        sheets = read_workbook(path)
        for table in tables:
            if table not in sheets:
                absent[table] = f"workbook {path.name} has no sheet named {table}"
            else:
                out[table] = sheets[table]
    elif not path.exists():
        raise FileNotFoundError(f"No dataset at {path} / Data tidak ditemukan")
    else:
        raise AsnAnalysisError(
            f"{path} is neither a folder of CSV files nor an .xlsx workbook (see data/README.md)"
        )
    for raw in out.values():
        raw.frame.columns = [str(c).strip() for c in raw.frame.columns]
        raw.numeric = {str(k).strip(): v for k, v in raw.numeric.items()}
    return RawData(out, problems, ground_truth, absent)
