"""The input template: an empty workbook (or CSV files) in the codebook's layout, for agencies.

:func:`write_template` writes one sheet per table of :data:`asn_analysis.data.schema.TABLES`
with the codebook's headers, a bilingual ``instructions`` sheet and a bilingual ``codebook``
sheet (table, column, meaning in Bahasa Indonesia and English, type, allowed values). Text
columns (NIP, names, ids, codes, periods, keys, dates) are formatted as Text, so that an
18-digit NIP typed into them keeps all its digits; coded columns carry Excel drop-down lists
of the codebook's values, numeric columns their ranges, periods and dates a hint. With
``data=`` the raw tables are written into the template, identifiers as text in Text cells.

Why whole columns: the Text format is set on each table column (``<col style>``, what Excel
writes when a user formats a whole column) and every validation covers rows 2 to 1,048,576,
Excel's last row. No empty row is pre-formatted, so the sheet's used range ends at the last
row with data and readers see no trailing blank rows, yet every row a user types into is Text.

The meanings come from the codebook ``data/README.md`` and the rules from
:mod:`asn_analysis.data.schema`, so the template cannot drift from either.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> out = Path(tempfile.mkdtemp()) / "template.xlsx"
>>> [p.name for p in write_template(out)]
['template.xlsx']
>>> from openpyxl import load_workbook
>>> book = load_workbook(out)
>>> book.sheetnames[:3], book.sheetnames[-3:]
(['instructions', 'units', 'employees'], ['survey_items', 'codebook', 'lists'])
>>> [c.value for c in book["employees"][1]][:3]
['nip', 'name', 'unit_id']
>>> book["employees"].column_dimensions["A"].number_format
'@'
"""

from __future__ import annotations

import math
import numbers
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from asn_analysis._validation import check_option
from asn_analysis.data.loader import Dataset, bundled_data_path
from asn_analysis.data.schema import (
    JOB_FAMILIES,
    MANAGERIAL_COMPETENCIES,
    SOCIOCULTURAL_COMPETENCIES,
    TABLE_SPECS,
    TABLES,
    ColumnSpec,
    TableSet,
)
from asn_analysis.errors import AsnAnalysisError

__all__ = [
    "CODEBOOK_SHEET",
    "COMPETENCY_KEYS",
    "INSTRUCTIONS",
    "INSTRUCTIONS_SHEET",
    "LISTS_SHEET",
    "TEXT_FORMAT",
    "TemplateError",
    "TemplateFormat",
    "codebook",
    "is_text_column",
    "write_template",
]

TemplateFormat = Literal["xlsx", "csv"]
#: Excel's number format "Text": what a cell holds is kept as typed.
TEXT_FORMAT = "@"
INSTRUCTIONS_SHEET = "instructions"
CODEBOOK_SHEET = "codebook"
#: Hidden sheet holding the drop-down lists (inline lists are limited to 255 characters).
LISTS_SHEET = "lists"
#: The competency keys of the codebook; the schema accepts any snake_case key, so their
#: drop-down list warns rather than refuses.
COMPETENCY_KEYS: tuple[str, ...] = (
    *MANAGERIAL_COMPETENCIES,
    *SOCIOCULTURAL_COMPETENCIES,
    *(f"teknis_{family}" for family in JOB_FAMILIES),
)
_LAST_ROW = 1_048_576
#: In the empty template, staff_survey item columns are unknown: columns C to this one get
#: the usual Likert range 1-5 as a warning.
_LAST_ITEM_COLUMN = "BZ"
_LIKERT = (1, 5)
_KEY_COLUMNS = ("competency", "competency_targeted")
_BOOL_VALUES = ("true", "false")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_WIDE = {"name", "unit_name", "position", "program", "service", "text_id", "text_en"}
_CODEBOOK_COLUMNS = (
    "table",
    "column",
    "arti",
    "meaning",
    "type",
    "allowed",
    "required",
    "template_format",
)
_CODEBOOK_HEADERS = (
    "table / tabel",
    "column / kolom",
    "arti (Bahasa Indonesia)",
    "meaning (English)",
    "type / jenis",
    "allowed / nilai yang diizinkan",
    "required / wajib",
    "format in the template / format di templat",
)

#: The instructions sheet: (Bahasa Indonesia, English) per line.
INSTRUCTIONS: tuple[tuple[str, str], ...] = (
    ("Petunjuk pengisian templat data asn-analysis", "How to fill the asn-analysis data template"),
    (
        "1. Isi satu sheet per tabel (units, employees, ...). Jangan mengganti nama sheet atau "
        "judul kolom. Isi tabel yang Anda miliki; sheet codebook menjelaskan setiap kolom.",
        "1. Fill one sheet per table (units, employees, ...). Do not rename sheets or column "
        "headers. Fill the tables you have; the codebook sheet explains every column.",
    ),
    (
        "2. NIP tetap sebagai Teks. Kolom NIP, kode, id, periode dan tanggal sudah berformat Teks. "
        "Ketik, atau tempel dengan Tempel Spesial > Nilai (Paste Special > Values) agar format "
        "Teks tidak tertimpa. Segitiga hijau 'angka disimpan sebagai teks' boleh diabaikan.",
        "2. Keep NIP as Text. The NIP, code, id, period and date columns are already formatted "
        "as Text. Type, or paste with Paste Special > Values so the Text format is kept. The "
        "green 'number stored as text' triangle is expected; ignore it.",
    ),
    (
        "3. Jangan pernah menempel angka ke kolom NIP: Excel hanya menyimpan 15 digit, sehingga "
        "NIP 18 digit yang tersimpan sebagai angka kehilangan digit terakhirnya dan tidak dapat "
        "dipulihkan. Jika sumber Anda menyimpan NIP sebagai angka, ekspor ulang dengan kolom NIP "
        "berformat Teks.",
        "3. Never paste numbers into the NIP column: Excel keeps 15 digits, so an 18-digit NIP "
        "stored as a number loses its last digits for good. If your source holds NIP as "
        "numbers, export it again with the NIP column formatted as Text.",
    ),
    (
        "4. Kolom berkode punya daftar pilihan (drop-down). Tanggal: YYYY-MM-DD (2022-04-12). "
        "Periode: 2024-S1 atau 2024-S2. Jawaban SKM 1-4, butir survei pegawai sesuai min-max "
        "di survey_items (biasanya 1-5). Sel kosong berarti tidak ada nilai.",
        "4. Coded columns have drop-down lists. Dates: YYYY-MM-DD (2022-04-12). Periods: "
        "2024-S1 or 2024-S2. SKM answers 1-4, staff survey items within their min-max in "
        "survey_items (usually 1-5). A blank cell is a missing value.",
    ),
    (
        "5. Isi nilai saja, bukan rumus. staff_survey: tambahkan satu kolom per butir "
        "survey_items (kolom item).",
        "5. Enter values only, never formulas. staff_survey: add one column per item of "
        "survey_items (its item column).",
    ),
    (
        "6. Simpan sebagai .xlsx, lalu periksa: asn-analysis validate FILE.xlsx. Setiap masalah "
        "disebut dengan tabel, kolom, baris dan nilainya; perbaiki lalu periksa lagi.",
        "6. Save as .xlsx, then check: asn-analysis validate FILE.xlsx. Every problem is listed "
        "with table, column, row and value; fix them and check again.",
    ),
    (
        "7. Tetapkan kunci rahasia ASN_ANALYSIS_SALT (lihat README), lalu jalankan: "
        "asn-analysis run --data FILE.xlsx",
        "7. Set the secret key ASN_ANALYSIS_SALT (see the README), then run: "
        "asn-analysis run --data FILE.xlsx",
    ),
    (
        "Sheet instructions, codebook dan lists (tersembunyi, daftar pilihan) tidak dibaca "
        "sebagai data; biarkan saja.",
        "The instructions, codebook and (hidden) lists sheets are not read as data; leave them.",
    ),
)


class TemplateError(AsnAnalysisError):
    """The template cannot be written: the target exists, or the data or codebook is unusable."""


# --------------------------------------------------------------------------- the codebook


def is_text_column(spec: ColumnSpec) -> bool:
    """Return True when the column is written as Text (identifiers, codes, keys, dates).

    Examples
    --------
    >>> is_text_column(TABLE_SPECS["employees"][0]), is_text_column(TABLE_SPECS["employees"][8])
    (True, False)
    """
    return spec.kind in ("str", "date", "bool", "period")


def _readme_rows(readme: Path) -> dict[tuple[str, str], dict[str, str]]:
    """Parse the codebook's Markdown tables: (table, column) -> type, allowed, meaning, arti."""
    rows: dict[tuple[str, str], dict[str, str]] = {}
    table = None
    heading = re.compile(r"^###\s+`([a-z_]+)`")
    for line in readme.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            found = heading.match(line)
            table = found.group(1) if found else None
            continue
        if table is None or not line.startswith("|"):
            continue
        cells = [c.strip().replace("`", "") for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] == "column" or set(cells[0]) <= {"-", ":"}:
            continue
        name, kind, allowed, meaning, arti = cells
        rows[(table, name)] = {"type": kind, "allowed": allowed, "meaning": meaning, "arti": arti}
    return rows


def codebook(readme: str | Path | None = None) -> pd.DataFrame:
    """Return the bilingual codebook: one row per column of every table.

    Parameters
    ----------
    readme : str or pathlib.Path, optional
        The codebook in Markdown; default ``data/README.md`` of the repository.

    Returns
    -------
    pandas.DataFrame
        Columns table, column, arti (Bahasa Indonesia), meaning (English), type, allowed,
        required ("ya / yes" or "tidak / no") and template_format ("Text" or "Number").
        ``staff_survey`` ends with a row for its item columns.

    Raises
    ------
    TemplateError
        The codebook file is missing or lacks a column of the schema.

    Examples
    --------
    >>> book = codebook()
    >>> book.loc[book["column"].eq("nip"), "template_format"].unique().tolist()
    ['Text']
    >>> book.iloc[0][["table", "column", "meaning"]].tolist()
    ['units', 'unit_id', 'unit code']
    """
    path = Path(readme) if readme is not None else bundled_data_path().parent / "README.md"
    if not path.is_file():
        raise TemplateError(f"The codebook {path} is missing / Buku kode tidak ditemukan")
    described = _readme_rows(path)
    records = []
    missing = []
    for table in TABLES:
        columns = [(s.name, s) for s in TABLE_SPECS[table]]
        if table == "staff_survey":
            columns.append(("one column per item", None))
        for name, spec in columns:
            text = described.get((table, name))
            if text is None:
                missing.append(f"{table}.{name}")
                continue
            number = spec is not None and not is_text_column(spec)
            records.append(
                {
                    "table": table,
                    "column": name,
                    "arti": text["arti"],
                    "meaning": text["meaning"],
                    "type": text["type"],
                    "allowed": text["allowed"],
                    "required": "ya / yes" if spec is None or spec.required else "tidak / no",
                    "template_format": "Number" if spec is None or number else "Text",
                }
            )
    if missing:
        raise TemplateError(f"The codebook {path} does not describe {', '.join(missing)}")
    return pd.DataFrame.from_records(records, columns=list(_CODEBOOK_COLUMNS))


# --------------------------------------------------------------------------- cell values


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _as_text(value: object) -> str | None:
    """Return the text a CSV would hold; None for a blank cell."""
    if _missing(value):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    text = str(value)
    return text if text != "" else None


_INTEGER = re.compile(r"[+-]?\d+")


def _as_number(value: object) -> int | float | str | None:
    """Return a number for a numeric cell; other text stays text (the loader reports it)."""
    if _missing(value):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value) if math.isfinite(value) else str(value)
    text = str(value).strip()
    if text == "":
        return None
    if _INTEGER.fullmatch(text):
        number = int(text)
        return number if abs(number) < 2**53 else text  # a double would round it
    try:
        number = float(text)
    except ValueError:
        return text
    return number if math.isfinite(number) and "_" not in text else text


def _tables(data: object) -> dict[str, pd.DataFrame]:
    """Return the raw tables of ``data`` by name (missing tables are left out)."""
    if isinstance(data, Dataset):
        raise TemplateError(
            "data is a loaded Dataset: it is pseudonymised (no nip, no name) and cannot be "
            "written back; pass the raw tables (e.g. read with dtype=str)"
        )
    if isinstance(data, TableSet):
        tables = data.tables()
    elif isinstance(data, Mapping):
        tables = dict(data)
    else:
        raise TemplateError(f"data must be a mapping of table name to DataFrame, not {data!r}")
    unknown = [name for name in tables if name not in TABLES]
    if unknown:
        raise TemplateError(f"data has tables not in the codebook: {', '.join(map(str, unknown))}")
    for name, frame in tables.items():
        if not isinstance(frame, pd.DataFrame):
            raise TemplateError(f"data[{name!r}] is not a DataFrame")
    return {name: frame for name, frame in tables.items() if frame is not None}


def _layout(table: str, frame: pd.DataFrame | None) -> list[tuple[str, ColumnSpec | None, bool]]:
    """Return the columns of a sheet: (name, spec or None, written as text)."""
    specs = TABLE_SPECS[table]
    out: list[tuple[str, ColumnSpec | None, bool]] = [(s.name, s, is_text_column(s)) for s in specs]
    if frame is not None:
        known = {s.name for s in specs}
        # staff_survey item columns are answers (numbers); other extra columns stay text.
        extra_is_text = table != "staff_survey"
        out += [(str(c), None, extra_is_text) for c in frame.columns if str(c) not in known]
    return out


def _column_values(frame: pd.DataFrame | None, name: str, text: bool, n_rows: int) -> list:
    if frame is None or name not in frame.columns:
        return [None] * n_rows
    convert = _as_text if text else _as_number
    return [convert(v) for v in frame[name].tolist()]


# --------------------------------------------------------------------------- validations


class _Lists:
    """The drop-down lists, one column each on the hidden lists sheet."""

    def __init__(self) -> None:
        self.columns: list[tuple[str, tuple[str, ...]]] = []

    def reference(self, label: str, values: tuple[str, ...]) -> str:
        known = [values_ for _, values_ in self.columns]
        if values not in known:
            self.columns.append((label, values))
            known.append(values)
        i = known.index(values)
        letter = get_column_letter(i + 1)
        return f"{LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _data_validation(
    name: str, options: dict, *, style: str, rule: str, prompt: str, cells: str
) -> DataValidation:
    validation = DataValidation(
        **options,
        allow_blank=True,
        showErrorMessage=options.get("type") is not None,
        showInputMessage=bool(prompt),
        errorStyle=style,
        errorTitle=_short(name, 32),
        error=_short(f"{name}: {rule}", 255) if rule else None,
        promptTitle=_short(name, 32),
        prompt=_short(prompt, 255) if prompt else None,
    )
    validation.add(cells)
    return validation


def _range_rule(kind: str, lo: float | None, hi: float | None) -> tuple[dict, str]:
    """Excel options and wording of a numeric range; no options without a bound."""
    if kind not in ("int", "float") or (lo is None and hi is None):
        return {"type": None}, ""
    options: dict = {"type": "whole" if kind == "int" else "decimal"}
    if lo is not None and hi is not None:
        options |= {"operator": "between", "formula1": _num(lo), "formula2": _num(hi)}
        rule = f"{_num(lo)}-{_num(hi)}"
    elif lo is not None:
        options |= {"operator": "greaterThanOrEqual", "formula1": _num(lo)}
        rule = f">= {_num(lo)}"
    else:
        options |= {"operator": "lessThanOrEqual", "formula1": _num(hi)}
        rule = f"<= {_num(hi)}"
    if kind == "int":
        rule = f"a whole number {rule} / bilangan bulat {rule}"
    return options, rule


def _column_validation(spec: ColumnSpec, letter: str, lists: _Lists, prompt: str) -> DataValidation:
    """Return the schema's rule that Excel can check, with the column's meaning as a prompt."""
    cell = f"{letter}2"
    style = "stop"
    if spec.allowed is not None:
        options = {"type": "list", "formula1": lists.reference(spec.name, spec.allowed)}
        rule = ", ".join(spec.allowed)
    elif spec.name in _KEY_COLUMNS:
        # The schema accepts any snake_case key: the list suggests, it does not refuse.
        options = {"type": "list", "formula1": lists.reference("competency", COMPETENCY_KEYS)}
        style, rule = "warning", "a snake_case key, usually one of the list / kunci snake_case"
    elif spec.kind == "bool":
        options = {"type": "list", "formula1": lists.reference(spec.name, _BOOL_VALUES)}
        rule = "true, false"
    elif spec.kind == "period":
        # A hint, not a refusal: the loader also reads "Semester I 2024", "Triwulan I 2024", ...
        form = f'AND(LEN({cell})=7,OR(MID({cell},5,2)="-S",MID({cell},5,2)="-Q"))'
        options = {"type": "custom", "formula1": f"OR(LEN({cell})=4,{form})"}
        style = "warning"
        rule = "a period like 2024-S1, 2024-Q1 or 2024 / periode seperti 2024-S1, 2024-Q1 atau 2024"
    elif spec.kind == "date":
        formula = f'AND(LEN({cell})=10,MID({cell},5,1)="-",MID({cell},8,1)="-")'
        options = {"type": "custom", "formula1": formula}
        style, rule = "warning", "a date YYYY-MM-DD / tanggal YYYY-MM-DD"
    else:
        options, rule = _range_rule(spec.kind, spec.min, spec.max)
    return _data_validation(
        spec.name,
        options,
        style=style,
        rule=rule,
        prompt=prompt,
        cells=f"{cell}:{letter}{_LAST_ROW}",
    )


def _item_validation(
    name: str, first: str, last: str, item_range: tuple[int | None, int | None] | None
) -> DataValidation:
    """Return an item's rule: its survey_items range, or 1-5 as a warning when unknown."""
    if item_range is None:
        options, rule = _range_rule("int", *_LIKERT)
        prompt = "answer within the item's min-max in survey_items (usually 1-5)"
        style = "warning"
    else:
        options, rule = _range_rule("int", *item_range)
        prompt, style = f"answer {rule}" if rule else "", "stop"
    return _data_validation(
        name, options, style=style, rule=rule, prompt=prompt, cells=f"{first}2:{last}{_LAST_ROW}"
    )


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _item_ranges(tables: Mapping[str, pd.DataFrame]) -> dict[str, tuple[int | None, int | None]]:
    items = tables.get("survey_items")
    if items is None or not {"item", "min", "max"} <= set(items.columns):
        return {}
    out = {}
    for item, lo, hi in zip(items["item"], items["min"], items["max"], strict=True):
        lo, hi = _as_number(lo), _as_number(hi)
        out[str(item)] = (
            lo if isinstance(lo, int) else None,
            hi if isinstance(hi, int) else None,
        )
    return out


# --------------------------------------------------------------------------- writing


def _cell(sheet, value: object, *, text: bool = False, header: bool = False):
    """Return a write-only cell (None for a blank); a string never becomes a formula."""
    if value is None and not text:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"  # "=..." is data, not a formula
    if text:
        cell.number_format = TEXT_FORMAT
    if header:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    return cell


def _check_text(table: str, name: str, values: Iterable) -> None:
    for row, value in enumerate(values, start=2):
        if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
            raise TemplateError(
                f"{table}.{name} row {row} holds a control character that a workbook cannot "
                "store; remove it"
            )


def _table_sheet(
    book: Workbook,
    table: str,
    frame: pd.DataFrame | None,
    lists: _Lists,
    meanings: Mapping[tuple[str, str], tuple[str, str]],
    item_ranges: Mapping[str, tuple[int | None, int | None]] | None,
) -> None:
    sheet = book.create_sheet(table)
    layout = _layout(table, frame)
    sheet.freeze_panes = "A2"
    for i, (name, _, text) in enumerate(layout, start=1):
        letter = get_column_letter(i)
        dims = sheet.column_dimensions[letter]
        dims.width = 40 if name in _WIDE else max(22 if name == "nip" else 12, len(name) + 4)
        if text:
            dims.number_format = TEXT_FORMAT
    for i, (name, spec, _) in enumerate(layout, start=1):
        letter = get_column_letter(i)
        if spec is not None:
            arti, meaning = meanings.get((table, name), ("", ""))
            prompt = f"{arti} / {meaning}"
            sheet.data_validations.append(_column_validation(spec, letter, lists, prompt))
        elif table == "staff_survey" and item_ranges is not None:
            item_range = item_ranges.get(name, (None, None))
            sheet.data_validations.append(_item_validation(name, letter, letter, item_range))
    if table == "staff_survey" and item_ranges is None:
        first = get_column_letter(len(layout) + 1)
        sheet.data_validations.append(_item_validation("item", first, _LAST_ITEM_COLUMN, None))
    sheet.append([_cell(sheet, name, text=True, header=True) for name, _, _ in layout])
    if frame is None:
        return
    n_rows = len(frame)
    columns = []
    for name, _, text in layout:
        values = _column_values(frame, name, text, n_rows)
        _check_text(table, name, values)
        columns.append((values, text))
    for row in zip(*(values for values, _ in columns), strict=True):
        sheet.append(
            [
                _cell(sheet, value, text=True)
                if text and value is not None
                else _cell(sheet, value)
                for value, (_, text) in zip(row, columns, strict=True)
            ]
        )


def _text_sheet(book: Workbook, title: str, header: tuple[str, ...], rows, widths) -> None:
    sheet = book.create_sheet(title)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, h, header=True) for h in header])
    for row in rows:
        cells = []
        for value in row:
            cell = _cell(sheet, value)
            if cell is not None:
                cell.alignment = _WRAP
            cells.append(cell)
        sheet.append(cells)


def _lists_sheet(book: Workbook, lists: _Lists) -> None:
    sheet = book.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    sheet.append([_cell(sheet, label, text=True, header=True) for label, _ in lists.columns])
    depth = max((len(values) for _, values in lists.columns), default=0)
    for r in range(depth):
        sheet.append(
            [
                _cell(sheet, values[r], text=True) if r < len(values) else None
                for _, values in lists.columns
            ]
        )


def _write_xlsx(path: Path, tables: Mapping[str, pd.DataFrame], book_rows: pd.DataFrame) -> None:
    meanings = {(r.table, r.column): (r.arti, r.meaning) for r in book_rows.itertuples(index=False)}
    lists = _Lists()
    book = Workbook(write_only=True)
    _text_sheet(book, INSTRUCTIONS_SHEET, INSTRUCTIONS[0], INSTRUCTIONS[1:], (90, 90))
    item_ranges = _item_ranges(tables) if "staff_survey" in tables else None
    for table in TABLES:
        frame = tables.get(table)
        _table_sheet(
            book, table, frame, lists, meanings, item_ranges if frame is not None else None
        )
    widths = (22, 30, 40, 40, 20, 40, 14, 16)
    _text_sheet(book, CODEBOOK_SHEET, _CODEBOOK_HEADERS, book_rows.itertuples(index=False), widths)
    _lists_sheet(book, lists)
    handle, temporary = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        book.save(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _write_csv(folder: Path, tables: Mapping[str, pd.DataFrame], book_rows: pd.DataFrame) -> None:
    for table in TABLES:
        frame = tables.get(table)
        layout = _layout(table, frame)
        n_rows = 0 if frame is None else len(frame)
        out = pd.DataFrame(
            {
                name: [
                    "" if v is None else (v if isinstance(v, str) else _num_text(v))
                    for v in _column_values(frame, name, text, n_rows)
                ]
                for name, _, text in layout
            },
            columns=[name for name, _, _ in layout],
        )
        out.to_csv(folder / f"{table}.csv", index=False, encoding="utf-8", lineterminator="\n")
    # utf-8-sig: the codebook is for people, and Excel needs the mark to open it as UTF-8.
    book_rows.set_axis(list(_CODEBOOK_HEADERS), axis=1).to_csv(
        folder / "codebook.csv", index=False, encoding="utf-8-sig", lineterminator="\n"
    )


def _num_text(value: int | float) -> str:
    return str(value) if isinstance(value, int) else repr(float(value))


def _targets(path: Path, fmt: str) -> list[Path]:
    if fmt == "xlsx":
        return [path]
    return [path / f"{table}.csv" for table in TABLES] + [path / "codebook.csv"]


def write_template(
    path: str | Path,
    *,
    fmt: TemplateFormat = "xlsx",
    data: Mapping[str, pd.DataFrame] | TableSet | None = None,
    overwrite: bool = False,
) -> list[Path]:
    """Write the input template: a workbook, or a folder of CSV files, in the codebook's layout.

    Parameters
    ----------
    path : str or pathlib.Path
        ``fmt="xlsx"``: the workbook to write (``.xlsx``). ``fmt="csv"``: the folder to write
        into (created if missing).
    fmt : {"xlsx", "csv"}, default "xlsx"
        "xlsx": sheets ``instructions``, the nine tables, ``codebook`` and a hidden ``lists``
        (the drop-down values). Text columns are formatted as Text, coded columns have
        drop-down lists, numeric columns their ranges. "csv": one UTF-8 CSV per table with its
        headers, and ``codebook.csv``.
    data : mapping of table name to DataFrame, optional
        Raw tables (as the CSV files hold them, e.g. read with ``dtype=str,
        keep_default_na=False``) to write into the template; identifiers are written as text
        into Text cells, numeric columns as numbers, blanks as empty cells. Tables left out
        get their headers only. Columns beyond the codebook's (``staff_survey`` items) follow
        the codebook's columns.
    overwrite : bool, default False
        Replace existing files; otherwise an existing target is refused.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    TemplateError
        A target exists (and ``overwrite`` is False), ``path`` is of the wrong kind, the
        codebook is unusable, or ``data`` is not raw tables.
    asn_analysis.errors.OptionError
        ``fmt`` is not "xlsx" or "csv".

    Notes
    -----
    No cell holds a formula: text starting with ``=`` is stored as text. A loaded workbook
    gives the same tables as the CSV files it was written from.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "template"
    >>> [p.name for p in write_template(folder, fmt="csv")][:2]
    ['units.csv', 'employees.csv']
    >>> (folder / "units.csv").read_text().strip()
    'unit_id,unit_name,sector,unit_type,service_users_per_semester'
    >>> write_template(folder, fmt="csv")
    Traceback (most recent call last):
    ...
    asn_analysis.data.template.TemplateError: ...exists...
    """
    check_option("fmt", fmt, TemplateFormat)
    path = Path(path)
    tables = _tables(data) if data is not None else {}
    if fmt == "xlsx":
        if path.suffix.lower() != ".xlsx":
            raise TemplateError(f"{path} must end in .xlsx (for CSV files write a folder)")
        if path.is_dir():
            raise TemplateError(f"{path} is a folder, not a workbook")
    elif path.exists() and not path.is_dir():
        raise TemplateError(f"{path} is a file; CSV templates are written into a folder")
    targets = _targets(path, fmt)
    existing = [t for t in targets if t.exists()]
    if existing and not overwrite:
        shown = ", ".join(str(t) for t in existing[:3]) + (" ..." if len(existing) > 3 else "")
        raise TemplateError(
            f"{shown} already exists; nothing was written (use --force / overwrite=True to "
            "replace) / berkas sudah ada"
        )
    book_rows = codebook()
    if fmt == "xlsx":
        if not path.parent.exists():
            raise TemplateError(f"The folder {path.parent} does not exist")
        _write_xlsx(path, tables, book_rows)
    else:
        path.mkdir(parents=True, exist_ok=True)
        _write_csv(path, tables, book_rows)
    return targets
