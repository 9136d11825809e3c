"""The data layer: load, validate and pseudonymise a dataset; its model; synthetic data.

Modules
-------
loader
    :func:`load_dataset`, :func:`validate`, :class:`Dataset`, :class:`ValidationReport`,
    :class:`DataValidationError`: reading, parsing, checking, quarantine, pseudonyms.
read
    Reading files as exports write them: CSV dialects (delimiter, decimal comma, BOM,
    Windows-1252) and workbook cell types (python-calamine).
headers
    Header matching and column mappings (TOML; the shipped ``columns.toml`` of common spellings).
values
    Dates (ISO or day first), periods (``2024-S1``, ``2024-Q1``, ``2024``) and numbers with
    thousands separators as people write them.
periods
    The period model: order by date, start and end dates, coarsening to a coarser kind.
schema
    The data model: one :class:`~asn_analysis.data.schema.ColumnSpec` tuple per raw table,
    the codebook's allowed values and the PermenPANRB 6/2022 predikat matrix.
privacy
    Keyed pseudonyms (``employee_id``), the salt and its rule, and the small-cell rule
    (:data:`~asn_analysis.data.privacy.MIN_GROUP_SIZE`).
fingerprint
    SHA-256 of data files: the bundled data's manifest (``MANIFEST.sha256``), recognising
    the bundled data by content, and a run's input fingerprint.
synthetic
    The generator of the bundled synthetic data (``asn_analysis.data.synthetic.generate``);
    imported on demand, not by ``import asn_analysis``.
"""

from asn_analysis.data.loader import (
    FIRST_DATA_ROW,
    PROBLEM_COLUMNS,
    Dataset,
    DataValidationError,
    OnError,
    ValidationReport,
    bundled_data_path,
    format_problems,
    load_dataset,
    validate,
)
from asn_analysis.data.privacy import MIN_GROUP_SIZE, MissingSaltError, pseudonymize

__all__ = [
    "FIRST_DATA_ROW",
    "MIN_GROUP_SIZE",
    "PROBLEM_COLUMNS",
    "DataValidationError",
    "Dataset",
    "MissingSaltError",
    "OnError",
    "ValidationReport",
    "bundled_data_path",
    "format_problems",
    "load_dataset",
    "pseudonymize",
    "validate",
]
