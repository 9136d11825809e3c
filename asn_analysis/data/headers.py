"""Match the headers of an export to the codebook's column names, through a column mapping.

Headers match ignoring case, surrounding spaces and space/underscore differences
(:func:`normalise_header`). A column mapping says which source header is which codebook
column, per table; it is a small TOML file (documented in ``data/README.md``)::

    [employees]
    "NIP Baru" = "nip"
    "Nama Pegawai" = "name"

    [skm_responses]
    U1 = "persyaratan"

The package ships a default mapping of common Indonesian spellings (``columns.toml`` beside
this module: common spellings, not a confirmed SIASN list); a user's mapping overrides it.
A required column that is still missing is reported with the nearest header found (difflib).

Examples
--------
>>> match = match_headers("employees", ["NIP", " Nama ", "Unit_Kerja", "remark"],
...                       ["nip", "name", "unit_id"])
>>> match.renames
{'NIP': 'nip', ' Nama ': 'name', 'Unit_Kerja': 'unit_id'}
>>> nearest_header("gender", ["Jenis Kelamn", "remark"], table="employees")
'Jenis Kelamn'
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from asn_analysis.data.read import column_label
from asn_analysis.errors import AsnAnalysisError

__all__ = [
    "DEFAULT_MAPPING_FILE",
    "ColumnMapping",
    "ColumnMappingError",
    "HeaderMatch",
    "default_mapping",
    "load_mapping",
    "match_headers",
    "nearest_header",
    "normalise_header",
]

#: The shipped mapping of common Indonesian spellings (package data).
DEFAULT_MAPPING_FILE = Path(__file__).with_name("columns.toml")
#: Per table: normalised source header -> codebook name.
ColumnMapping = Mapping[str, Mapping[str, str]]


class ColumnMappingError(AsnAnalysisError):
    """A column mapping file that cannot be used (unknown table or column, wrong form)."""


def normalise_header(name: object) -> str:
    """Return a header in its comparable form: lower case, trimmed, ``_`` as space.

    Parameters
    ----------
    name : object
        A header as written.

    Returns
    -------
    str
        The form two spellings share when they differ only in case, surrounding spaces or
        spaces/underscores.

    Examples
    --------
    >>> normalise_header("  Unit_Kerja ") == normalise_header("UNIT  KERJA")
    True
    """
    text = str(name).replace("\ufeff", "").replace("_", " ").strip().lower()
    return re.sub(r"\s+", " ", text)


def _parse_mapping(data: Mapping, source: str, known: Mapping[str, Iterable[str]]) -> dict:
    out: dict[str, dict[str, str]] = {}
    for table, entries in data.items():
        if table not in known:
            raise ColumnMappingError(
                f"{source}: [{table}] is not a table of the codebook (tables: "
                f"{', '.join(known)}) / [{table}] bukan tabel"
            )
        if not isinstance(entries, Mapping):
            raise ColumnMappingError(
                f'{source}: [{table}] must list "source header" = "codebook name" pairs'
            )
        names = set(known[table])
        table_map: dict[str, str] = {}
        for header, target in entries.items():
            if not isinstance(target, str):
                raise ColumnMappingError(
                    f'{source}: [{table}] "{header}" must map to a column name in quotes'
                )
            open_items = table == "staff_survey" and re.fullmatch(r"[a-z][a-z0-9_]*", target)
            if target not in names and not open_items:
                raise ColumnMappingError(
                    f'{source}: [{table}] "{header}" = "{target}": {target} is not a column of '
                    f"{table} (columns: {', '.join(sorted(names))}) / bukan kolom {table}"
                )
            table_map[normalise_header(header)] = target
        out[table] = table_map
    return out


def load_mapping(path: str | Path, known: Mapping[str, Iterable[str]]) -> dict:
    """Read a column mapping file (TOML: one section per table, ``"header" = "column"``).

    Parameters
    ----------
    path : str or pathlib.Path
        The TOML file.
    known : mapping of str to iterable of str
        The codebook: table -> column names (staff_survey also takes any snake_case item).

    Returns
    -------
    dict
        Per table: normalised source header -> codebook name.

    Raises
    ------
    FileNotFoundError
        No file at ``path``.
    ColumnMappingError
        The file is not TOML, or names a table or column the codebook does not have.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"No column mapping at {path} / Berkas pemetaan kolom tidak ada")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ColumnMappingError(
            f"{path.name} is not a valid TOML column mapping: {exc} / bukan TOML yang sah"
        ) from None
    return _parse_mapping(data, path.name, known)


@cache
def _default_data() -> dict:
    return tomllib.loads(DEFAULT_MAPPING_FILE.read_text(encoding="utf-8"))


def default_mapping() -> dict[str, dict[str, str]]:
    """Return the shipped mapping: per table, normalised source header -> codebook name.

    Examples
    --------
    >>> default_mapping()["employees"]["jenis kelamin"]
    'gender'
    """
    return {
        table: {normalise_header(h): t for h, t in entries.items()}
        for table, entries in _default_data().items()
    }


@dataclass
class HeaderMatch:
    """How the headers of one table were matched.

    Attributes
    ----------
    renames : dict of str to str
        Source header -> codebook name, for the headers that were not already the name.
    conflicts : list of str
        Reasons for headers that give the same codebook column twice.
    """

    renames: dict[str, str] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)


def match_headers(
    table: str,
    columns: Iterable[object],
    names: Iterable[str],
    *,
    mapping: ColumnMapping | None = None,
    defaults: bool = True,
    positions: Mapping[str, int] | None = None,
) -> HeaderMatch:
    """Match the headers of one table to its codebook names.

    Parameters
    ----------
    table : str
        The table (selects its section of the mappings).
    columns : iterable
        The headers as written in the file, in their order (positions name the columns).
    names : iterable of str
        The codebook names of the table.
    mapping : mapping, optional
        A user mapping (from :func:`load_mapping`); it overrides the codebook names and the
        default mapping.
    defaults : bool, default True
        Use the shipped mapping of common spellings.
    positions : mapping of str to int, optional
        Header -> its 1-based column position in the sheet (default: the order of ``columns``).

    Returns
    -------
    HeaderMatch
        Renames to apply, and conflicts to report (two headers giving one column).
    """
    lookup: dict[str, str] = {}
    if defaults:
        lookup.update(default_mapping().get(table, {}))
    lookup.update({normalise_header(n): n for n in names})
    if mapping:
        lookup.update(mapping.get(table, {}))
    match = HeaderMatch()
    given: dict[str, tuple[str, int]] = {}
    for order, column in enumerate(columns, start=1):
        position = (positions or {}).get(str(column), order)
        target = lookup.get(normalise_header(column))
        if target is None:
            continue
        if target in given:
            first, at = given[target]
            match.conflicts.append(
                f"columns '{first}' ({column_label(at)}) and '{column}' ({column_label(position)}) "
                f"both give {target}; keep one, or map one elsewhere in a column mapping / dua "
                f"kolom untuk {target}"
            )
            continue
        given[target] = (str(column), position)
        if column != target:
            match.renames[str(column)] = target
    return match


def nearest_header(name: str, found: Iterable[object], *, table: str) -> str | None:
    """Return the found header nearest to a codebook name (or to its known spellings).

    Parameters
    ----------
    name : str
        The codebook name of a missing column.
    found : iterable
        Headers found in the file that matched no column.
    table : str
        The table (its known spellings of ``name`` count as targets too).

    Returns
    -------
    str or None
        The nearest header (difflib ratio at least 0.6), or None.
    """
    targets = {normalise_header(name)}
    targets |= {h for h, t in default_mapping().get(table, {}).items() if t == name}
    best, score = None, 0.6
    for column in found:
        text = normalise_header(column)
        ratio = max(difflib.SequenceMatcher(None, text, t).ratio() for t in targets)
        if ratio >= score:
            best, score = str(column), ratio
    return best
