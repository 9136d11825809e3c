"""Write the findings workbook: one sheet per table, readable and safe to open.

:func:`write_workbook` writes the tables :func:`asn_analysis.reporting.export.sheets` built
(already through the small-cell rule) to an ``.xlsx`` file with openpyxl: translated
headers, number formats, a frozen header row and fitted columns. Every text cell is a string,
never a formula (OWASP "CSV injection": :data:`FORMULA_START`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from asn_analysis import __version__
from asn_analysis._validation import Lang, check_lang
from asn_analysis.reporting.labels import HEADERS, header

__all__ = ["FORMULA_START", "SHEETS", "write_workbook"]

#: Sheet names per table key, (id, en).
SHEETS = {
    "summary": ("Ringkasan", "Summary"),
    "ikm": ("IKM per unit dan periode", "IKM by unit and period"),
    "gaps": ("Kesenjangan kompetensi", "Competency gaps"),
    "priorities": ("Prioritas pelatihan", "Training priorities"),
    "effects": ("Dampak pelatihan", "Training effects"),
    "resistance": ("Faktor resistensi", "Resistance drivers"),
    "segments": ("Segmen", "Segments"),
    "quality": ("Log kualitas data", "Data-quality log"),
    "coverage": ("Cakupan data", "Data coverage"),
}


#: First characters that make a spreadsheet evaluate a cell (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(ws) -> None:
    """Write every text cell of a sheet as a string, never as a formula.

    openpyxl stores a string starting with ``=`` as a formula; the cell is set back to a
    string (data type ``"s"``), and a text a spreadsheet would evaluate when retyped or
    re-saved as CSV also gets Excel's quote prefix (shown as typed, not as an apostrophe).
    """
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if cell.value.startswith(FORMULA_START):
                    cell.quotePrefix = True


def _title(text: str) -> str:
    """Return a header with a capital first letter (``kesesuaian (JPM)``: ``Kesesuaian (JPM)``)."""
    return text[:1].upper() + text[1:]


def write_workbook(tables: dict[str, pd.DataFrame], path: Path, *, lang: Lang = "id") -> Path:
    """Write tables to an Excel workbook a planner can read.

    Headers are translated, numbers stay numbers with a display format (shares as
    percentages), the header row is frozen and columns are sized to fit. Every text cell is a
    string: a value starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return is never a
    formula (:data:`FORMULA_START`).

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Keys of :data:`SHEETS`.
    path : pathlib.Path
        The ``.xlsx`` file.
    lang : {"id", "en"}, default "id"
        Language of sheet names and headers.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> from openpyxl import load_workbook
    >>> t = pd.DataFrame({"unit_name": ["=1+1"], "n": [12]})
    >>> path = write_workbook({"ikm": t}, Path(tempfile.mkdtemp()) / "t.xlsx", lang="en")
    >>> cell = load_workbook(path)["IKM by unit and period"]["A2"]
    >>> cell.value, cell.data_type, cell.quotePrefix
    ('=1+1', 's', True)
    """
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    check_lang(lang)
    i = 0 if lang == "id" else 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for key, table in tables.items():
            name = SHEETS[key][i][:31]
            shown = table.rename(
                columns={
                    c: HEADERS[c][i] if c in HEADERS else _title(header(c, lang))
                    for c in table.columns
                }
            )
            shown.to_excel(xl, sheet_name=name, index=False)
            ws = xl.sheets[name]
            _as_text(ws)
            ws.freeze_panes = "A2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for j, column in enumerate(table.columns, start=1):
                values = table[column]
                fmt = None
                if pd.api.types.is_float_dtype(values):
                    whole = values.dropna()
                    whole = len(whole) > 0 and bool((whole == whole.round()).all())
                    fmt = "0.0%" if column.startswith("share") else "#,##0" if whole else "0.000"
                elif pd.api.types.is_integer_dtype(values):
                    fmt = "#,##0"
                elif values.map(lambda v: isinstance(v, int | float) and v == v).any():
                    # a column with hidden cells ("<5") is object: format its numbers anyway
                    nums = pd.to_numeric(values, errors="coerce").dropna()
                    whole = bool((nums == nums.round()).all())
                    fmt = "0.0%" if column.startswith("share") else "#,##0" if whole else "0.000"
                width = max([len(str(shown.columns[j - 1]))] + [len(str(v)) for v in values[:200]])
                ws.column_dimensions[get_column_letter(j)].width = min(max(8, width + 2), 80)
                if fmt:
                    for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                        row[0].number_format = fmt
        book = xl.book
        book.properties.creator = f"asn-analysis {__version__}"
    return path
