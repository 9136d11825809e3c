r"""Read the files of a dataset into text tables, and say how each file was read (its dialect).

A dataset is a folder of table files (CSV or Parquet) or one workbook. CSV files are read as Excel
writes them: the
encoding (UTF-8, UTF-8 with a byte-order mark, or Windows-1252 for older files), the delimiter
(``,``, ``;`` or tab, from the header line) and the decimal mark (a comma in an Indonesian locale)
are detected and recorded in a :class:`Dialect`. Workbooks are read with python-calamine, which
gives each cell's type: a number stored in a numeric cell is flagged (``RawTable.numeric``), so
the loader can refuse identifiers that a spreadsheet held as numbers. Parquet files (national
tables) are read with pyarrow; a column stored as numbers is flagged like numeric cells, so an NIP
saved as an integer is refused the same way. Every cell comes back as text; parsing into types is
the loader's job (:mod:`asn_analysis.data.loader`).

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

from asn_analysis.data.distinct import distinct_values
from asn_analysis.errors import AsnAnalysisError

__all__ = [
    "CANONICAL_DIALECT",
    "FIRST_DATA_ROW",
    "TABLE_SUFFIXES",
    "Dialect",
    "RawData",
    "RawTable",
    "UnreadableWorkbook",
    "column_label",
    "read_csv_table",
    "read_dataset",
    "read_parquet_table",
    "read_workbook",
    "table_files",
]

_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tab"}
#: Rows as a spreadsheet shows them: the header is row 1, the first data row is row 2.
FIRST_DATA_ROW = 2
#: The file forms of one table in a dataset folder, in the order they are looked for.
TABLE_SUFFIXES = (".csv", ".parquet")
#: The first bytes of a zip file (an .xlsx workbook) and of an old binary .xls workbook.
_WORKBOOK_MAGIC = {b"PK\x03\x04": ".xlsx", b"\xd0\xcf\x11\xe0": ".xls"}
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
        "UTF-8", "UTF-8 with BOM", "Windows-1252", "workbook" for a sheet or "parquet" for a
        Parquet file.
    delimiter : str
        The field separator of a CSV file ("" for a sheet or a Parquet file).
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

    @property
    def is_typed(self) -> bool:
        """True for a file that stores cell types (a workbook sheet or a Parquet file)."""
        return self.encoding in ("workbook", "parquet")

    def describe(self) -> str:
        """Return the dialect in words, e.g. ``delimiter ';', decimal comma, UTF-8 with BOM``."""
        if self.encoding == "workbook":
            return "workbook sheet, cell types read (python-calamine)"
        if self.encoding == "parquet":
            return "Parquet file, column types read (pyarrow)"
        mark = "decimal comma" if self.decimal == "," else "decimal point"
        return f"delimiter {_DELIMITER_NAMES[self.delimiter]}, {mark}, {self.encoding}"


class UnreadableWorkbook(AsnAnalysisError):
    """A file named as a workbook that cannot be read as one."""


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
    header_row : int
        The row a spreadsheet shows the header on (1 unless blank rows are above it).
    blank_rows : tuple of int
        Blank rows between data rows, left out (the rows a spreadsheet shows).
    duplicate_headers : dict of str to tuple of int
        A header written more than once -> its column positions (1-based); only the first of
        those columns is kept in ``frame``.
    positions : dict of str to int
        Each column of ``frame`` -> its 1-based position in the file or sheet.

    Notes
    -----
    The index of ``frame`` is the spreadsheet row minus :data:`FIRST_DATA_ROW`: the header on
    row 1 makes the first data row label 0, and blank rows leave gaps, so every reported row
    is the row a spreadsheet shows.
    """

    frame: pd.DataFrame
    dialect: Dialect
    numeric: dict[str, np.ndarray] = field(default_factory=dict)
    header_row: int = 1
    blank_rows: tuple[int, ...] = ()
    duplicate_headers: dict[str, tuple[int, ...]] = field(default_factory=dict)
    positions: dict[str, int] = field(default_factory=dict)

    def rename(self, renames: dict[str, str]) -> None:
        """Rename columns (source header -> codebook name) in the frame and the masks."""
        if not renames:
            return
        self.frame = self.frame.rename(columns=renames)
        self.numeric = {renames.get(k, k): v for k, v in self.numeric.items()}
        self.positions = {renames.get(k, k): v for k, v in self.positions.items()}


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


def _parser_reason(name: str, dialect: Dialect, exc: Exception, leading: int = 0) -> str:
    text = str(exc).strip()
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    where = f"{name} cannot be read as CSV ({dialect.describe()})"
    if fields:
        expected, line, seen = fields.groups()
        line = int(line) + leading
        return (
            f"{where}: line {line} has {seen} fields where the header has {expected}; a value "
            f"holding the delimiter must be quoted / baris {line} berisi {seen} kolom, header "
            f"{expected}"
        )
    quote = re.search(r"EOF inside string starting at row (\d+)", text)
    if quote:
        line = int(quote.group(1)) + 1 + leading
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

    Notes
    -----
    Rows are numbered as a spreadsheet shows them: blank lines count (and are left out, see
    :attr:`RawTable.blank_rows`), a quoted value spanning lines is one row. A data row with
    more fields than the header is an error, never a silent index column.
    """
    raw = file.read_bytes()
    for magic, kind in _WORKBOOK_MAGIC.items():
        if raw.startswith(magic):
            return None, (
                f"{file.name} is an Excel workbook ({kind}) with a .csv name, not CSV text: save "
                "it as 'CSV UTF-8', or give the workbook itself (.xlsx) / berkas ini workbook "
                "Excel, bukan CSV"
            )
    text, encoding, error = _decode(raw, file.name)
    if text is None:
        return None, error
    body = text.lstrip("\r\n")
    leading = text[: len(text) - len(body)].count("\n")
    if not body.strip():
        return None, f"{file.name} is empty: no header row / berkas kosong, tanpa judul kolom"
    delimiter = _delimiter(body)
    decimal = _decimal_mark(body, delimiter)
    dialect = Dialect(file.name, encoding, delimiter, decimal)
    try:
        cells = pd.read_csv(
            io.StringIO(body),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
        )
    except pd.errors.EmptyDataError as exc:
        return None, f"{file.name} cannot be read as CSV: {exc}".strip()
    except pd.errors.ParserError as exc:
        return None, _parser_reason(file.name, dialect, exc, leading)
    cells.index = cells.index + leading
    return _grid_table(cells.fillna(""), dialect), ""


def _column_letter(position: int) -> str:
    """Return the spreadsheet letter of a 1-based column position (1 -> A, 27 -> AA)."""
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_label(position: int) -> str:
    """Return a 1-based column position as a spreadsheet shows it, e.g. ``column C (3)``.

    Examples
    --------
    >>> column_label(3), column_label(28)
    ('column C (3)', 'column AB (28)')
    """
    return f"column {_column_letter(position)} ({position})"


def _blank_cells(column: pd.Series) -> np.ndarray:
    """Mask of the cells of a column that are blank once stripped (once per distinct text)."""
    codes, labels = distinct_values(column.astype(str))
    blank = labels.str.strip().eq("").to_numpy(dtype=bool)
    return blank if codes is None else blank[codes]


def _grid_table(cells: pd.DataFrame, dialect: Dialect, numeric: pd.DataFrame | None = None):
    """Build a table from a grid of text cells whose index is the spreadsheet row minus 1.

    The first non-blank row is the header. Blank rows are left out (those between data rows are
    listed in ``blank_rows``); a column without a header and without data is left out; a header
    written twice keeps its first column and is listed in ``duplicate_headers``.
    """
    blank = np.ones(len(cells), dtype=bool)
    for _, column in cells.items():
        blank &= _blank_cells(column)
    filled = np.flatnonzero(~blank)
    if not len(filled):
        return RawTable(pd.DataFrame(), dialect)
    top, last = filled[0], filled[-1]
    header = [str(v).strip() for v in cells.iloc[top]]
    rows = cells.index.to_numpy()
    keep_rows = ~blank
    keep_rows[: top + 1] = False
    interior = np.flatnonzero(blank[top + 1 : last])
    blank_rows = tuple(int(rows[top + 1 + i]) + 1 for i in interior)
    body = cells[keep_rows]
    seen: dict[str, list[int]] = {}
    keep_cols = []
    for j, name in enumerate(header):
        empty = not name and body.iloc[:, j].astype(str).str.strip().eq("").all()
        if empty:
            continue  # a formatted but empty column, or a trailing delimiter
        label = name or f"(blank header, {column_label(j + 1)})"
        seen.setdefault(label, []).append(j + 1)
        if len(seen[label]) == 1:
            keep_cols.append((j, label))
    frame = body.iloc[:, [j for j, _ in keep_cols]].astype(str)
    frame.columns = [label for _, label in keep_cols]
    frame.index = pd.Index(frame.index + 1 - FIRST_DATA_ROW, dtype="int64")
    masks: dict[str, np.ndarray] = {}
    if numeric is not None:
        kept = numeric[keep_rows]
        for j, label in keep_cols:
            mask = kept.iloc[:, j].to_numpy(dtype=bool)
            if mask.any():
                masks[label] = mask
    duplicates = {h: tuple(p) for h, p in seen.items() if len(p) > 1}
    positions = {label: j + 1 for j, label in keep_cols}
    return RawTable(frame, dialect, masks, int(rows[top]) + 1, blank_rows, duplicates, positions)


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
    width = max((len(r) for r in rows), default=0)
    grid = [list(r) + [""] * (width - len(r)) for r in rows]
    cells = pd.DataFrame([[_cell_text(v) for v in r] for r in grid], dtype=object)
    numeric = pd.DataFrame(
        [[isinstance(v, int | float) and not isinstance(v, bool) for v in r] for r in grid],
        dtype=bool,
    )
    if cells.empty:
        return RawTable(pd.DataFrame(), Dialect(label, "workbook", "", "."))
    return _grid_table(cells, Dialect(label, "workbook", "", "."), numeric)


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

    Raises
    ------
    UnreadableWorkbook
        The file is not a workbook calamine can read (e.g. a CSV file named ``.xlsx``).
    """
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = {
            name: list(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in book.sheet_names
        }
    except Exception as exc:  # noqa: BLE001 - calamine's errors (zip, xml, password) differ
        raise UnreadableWorkbook(
            f"{path.name} cannot be read as an Excel workbook ({type(exc).__name__}): save it "
            "again from Excel as .xlsx, or give a folder of CSV files / berkas tidak dapat "
            "dibaca sebagai workbook Excel"
        ) from None
    return {name: _sheet_table(rows, f"{path.name}[{name}]") for name, rows in sheets.items()}


# --------------------------------------------------------------------------- Parquet


def _floats_text(values: np.ndarray) -> np.ndarray:
    """Float cells as a workbook cell would show them: whole numbers without a ``.0``."""
    out = np.full(values.shape, "", dtype=object)
    finite = np.isfinite(values)
    whole = finite & (np.abs(values) < 1e15)
    whole[whole] = values[whole] == np.floor(values[whole])
    out[whole] = values[whole].astype(np.int64).astype(str)
    rest = finite & ~whole
    out[rest] = [format(v, ".15g") for v in values[rest]]
    out[np.isnan(values)] = ""
    out[np.isinf(values)] = np.where(values[np.isinf(values)] > 0, "inf", "-inf")
    return out


def _parquet_column(column) -> tuple[np.ndarray, np.ndarray | None]:
    """One Parquet column as text cells ("" for null) and, for a numeric column, its mask."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_dictionary(kind):
        column, kind = column.cast(kind.value_type), kind.value_type
    null = column.is_null().to_numpy(zero_copy_only=False)
    numeric = None
    if pa.types.is_floating(kind):
        text = _floats_text(column.to_numpy(zero_copy_only=False).astype(np.float64))
        numeric = ~null
    elif pa.types.is_integer(kind) or pa.types.is_decimal(kind):
        text = pc.cast(column, pa.string()).fill_null("").to_numpy(zero_copy_only=False)
        numeric = ~null
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_boolean(kind):
        text = pc.cast(column, pa.string()).fill_null("").to_numpy(zero_copy_only=False)
    else:  # dates, timestamps, times, binary: as a workbook cell would read (then judged)
        text = np.array([_cell_text(v) for v in column.to_pylist()], dtype=object)
    return np.asarray(text, dtype=object), numeric


def read_parquet_table(file: Path) -> tuple[RawTable | None, str]:
    """Read one Parquet file as text, keeping which columns were stored as numbers.

    Parameters
    ----------
    file : pathlib.Path
        The file (``<table>.parquet``).

    Returns
    -------
    RawTable or None
        The table, or None when the file cannot be read. Integer, decimal and float columns are
        flagged in ``RawTable.numeric`` (as numeric cells of a workbook are), so an NIP stored
        as an integer is refused like a numeric NIP cell.
    str
        Why it cannot be read; blank when read.

    Notes
    -----
    Rows are numbered as if the file were opened as a sheet: the column names are row 1 and
    the first data row is row 2. A row where every value is null is a blank row (left out and
    listed, as in a sheet). Whole numbers stored as floats read as a workbook shows them
    (``3.0`` -> ``3``); timestamps at midnight as dates.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"unit_id": ["U01"], "score": [3.5]}).to_parquet(folder / "units.parquet")
    >>> table, error = read_parquet_table(folder / "units.parquet")
    >>> table.frame.to_dict("records"), table.dialect.describe()
    ([{'unit_id': 'U01', 'score': '3.5'}], 'Parquet file, column types read (pyarrow)')
    >>> sorted(table.numeric)
    ['score']
    """
    import pyarrow.parquet as pq

    try:
        data = pq.ParquetFile(file).read()
    except Exception as exc:  # noqa: BLE001 - pyarrow's errors (magic bytes, thrift, codec) differ
        return None, (
            f"{file.name} cannot be read as a Parquet file ({type(exc).__name__}): write it "
            "again (e.g. pandas DataFrame.to_parquet), or give the table as CSV / berkas tidak "
            "dapat dibaca sebagai Parquet"
        )
    dialect = Dialect(file.name, "parquet", "", ".")
    if not data.num_columns:
        return None, f"{file.name} is empty: no columns / berkas kosong, tanpa kolom"
    texts, masks = [], []
    for column in data.columns:
        text, numeric = _parquet_column(column)
        texts.append(text)
        masks.append(np.zeros(len(text), dtype=bool) if numeric is None else numeric)
    header = [str(name) for name in data.column_names]
    n = data.num_rows
    cells = pd.DataFrame(
        {j: np.concatenate([[header[j]], texts[j]]) for j in range(len(header))}, dtype=object
    )
    numeric = pd.DataFrame(
        {j: np.concatenate([[False], masks[j]]) for j in range(len(header))}, dtype=bool
    )
    cells.index = numeric.index = pd.RangeIndex(n + 1)
    return _grid_table(cells, dialect, numeric), ""


# --------------------------------------------------------------------------- datasets


def table_files(folder: Path, table: str) -> list[Path]:
    r"""Return the files of ``table`` in a dataset folder (``<table>.csv``, ``<table>.parquet``).

    More than one means the table is given twice (the loader refuses that).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "units.csv").write_text("unit_id\nU01\n", encoding="utf-8")
    >>> [f.name for f in table_files(folder, "units")], table_files(folder, "employees")
    (['units.csv'], [])
    """
    return [
        folder / f"{table}{suffix}"
        for suffix in TABLE_SUFFIXES
        if (folder / f"{table}{suffix}").is_file()
    ]


def _sheet_form(name: str) -> str:
    """Return a sheet name as compared with a table name: case, spaces, underscores aside."""
    return re.sub(r"[\s_]+", "_", str(name).strip().lower())


def read_dataset(path: Path, tables: tuple[str, ...]) -> RawData:
    """Read the tables of a dataset (folder of CSV / Parquet files or one workbook) as text.

    Parameters
    ----------
    path : pathlib.Path
        Folder of ``<table>.csv`` or ``<table>.parquet`` files (and ``ground_truth.json`` for
        synthetic data), or an ``.xlsx`` workbook with one sheet per table.
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
            files = table_files(path, table)
            if not files:
                absent[table] = f"file {table}.csv is missing"
                continue
            if len(files) > 1:
                shown = " and ".join(f.name for f in files)
                problems.append(
                    (
                        table,
                        f"{shown} both hold table {table}: keep one / tabel {table} diberikan "
                        "dua kali, simpan satu berkas saja",
                    )
                )
                continue
            file = files[0]
            reader = read_parquet_table if file.suffix == ".parquet" else read_csv_table
            raw, error = reader(file)
            if raw is None:
                problems.append((table, error))
            else:
                out[table] = raw
        truth_file = path / "ground_truth.json"
        if truth_file.exists():
            ground_truth = json.loads(truth_file.read_text(encoding="utf-8"))
    elif path.suffix.lower() in {".xlsx", ".xlsm"}:
        try:
            sheets = read_workbook(path)
        except UnreadableWorkbook as exc:
            return RawData({}, [(tables[0], str(exc))], None, {})
        by_form = {_sheet_form(name): name for name in reversed(list(sheets))}
        for table in tables:
            name = table if table in sheets else by_form.get(_sheet_form(table))
            if name is None:
                found = ", ".join(f"'{n}'" for n in sheets) or "none"
                absent[table] = f"workbook {path.name} has no sheet named {table} (sheets: {found})"
            else:
                out[table] = sheets[name]
    elif not path.exists():
        raise FileNotFoundError(f"No dataset at {path} / Data tidak ditemukan")
    else:
        raise AsnAnalysisError(
            f"{path} is neither a folder of CSV files nor an .xlsx workbook (a folder may hold "
            "<table>.parquet files too; see data/README.md)"
        )
    for raw in out.values():
        raw.frame.columns = [str(c).strip() for c in raw.frame.columns]
        raw.numeric = {str(k).strip(): v for k, v in raw.numeric.items()}
        raw.positions = {str(k).strip(): v for k, v in raw.positions.items()}
    return RawData(out, problems, ground_truth, absent)
