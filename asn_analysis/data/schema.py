"""The data model: one specification per raw table, as documented in ``data/README.md``.

Each table is a tuple of :class:`ColumnSpec`. The loader (:mod:`asn_analysis.data.loader`) parses
raw text into these types and builds a pandera schema from them, so the codebook, the
parser and the validator cannot drift apart.

References
----------
PermenPANRB No. 14 Tahun 2017 (SKM elements), No. 38 Tahun 2017 (competency standards),
No. 6 Tahun 2022 (SKP predikat).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd
import pandera.pandas as pa

Kind = Literal["str", "int", "float", "date", "bool", "period"]

TABLES: tuple[str, ...] = (
    "units",
    "employees",
    "competency_standards",
    "competency_assessments",
    "performance",
    "training",
    "skm_responses",
    "staff_survey",
    "survey_items",
)

SECTORS = (
    "kesehatan",
    "pendidikan",
    "pemerintahan",
    "keuangan",
    "perekonomian",
    "infrastruktur",
    "sosial",
    "ketertiban",
    "kewilayahan",
    "pengawasan",
)
UNIT_TYPES = (
    "dinas",
    "badan",
    "sekretariat",
    "inspektorat",
    "satuan",
    "kecamatan",
    "rsud",
    "puskesmas",
)
JOB_TYPES = ("jpt_pratama", "administrator", "pengawas", "pelaksana", "fungsional")
JOB_FAMILIES = (
    "administrasi_umum",
    "keuangan",
    "kesehatan",
    "pendidikan",
    "perencanaan",
    "teknik",
    "teknologi_informasi",
    "ketertiban_umum",
)
STATUSES = ("PNS", "PPPK")
GENDERS = ("L", "P")
EDUCATION = ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
RESPONDENT_EDUCATION = ("SD", "SMP", "SMA", "D3", "S1", "S2", "S3")
AGE_GROUPS = ("<25", "25-34", "35-44", "45-54", "55+")
COMPETENCY_GROUPS = ("teknis", "manajerial", "sosial_kultural")
MANAGERIAL_COMPETENCIES = (
    "integritas",
    "kerjasama",
    "komunikasi",
    "orientasi_pada_hasil",
    "pelayanan_publik",
    "pengembangan_diri_dan_orang_lain",
    "mengelola_perubahan",
    "pengambilan_keputusan",
)
SOCIOCULTURAL_COMPETENCIES = ("perekat_bangsa",)
#: Technical competencies are keyed by job family: ``teknis_<job_family>``.
TECHNICAL_COMPETENCIES = tuple(f"teknis_{family}" for family in JOB_FAMILIES)
#: Every competency key of the codebook (``data/README.md``), PermenPANRB No. 38 Tahun 2017.
COMPETENCY_KEYS = MANAGERIAL_COMPETENCIES + SOCIOCULTURAL_COMPETENCIES + TECHNICAL_COMPETENCIES
RATINGS = ("di_bawah", "sesuai", "di_atas")
PREDIKAT = ("sangat_kurang", "kurang", "butuh_perbaikan", "baik", "sangat_baik")
#: PermenPANRB 6/2022 matrix: (hasil_kerja, perilaku_kerja) -> predikat.
PREDIKAT_MATRIX: dict[tuple[str, str], str] = {
    ("di_atas", "di_bawah"): "kurang",
    ("di_atas", "sesuai"): "baik",
    ("di_atas", "di_atas"): "sangat_baik",
    ("sesuai", "di_bawah"): "kurang",
    ("sesuai", "sesuai"): "baik",
    ("sesuai", "di_atas"): "baik",
    ("di_bawah", "di_bawah"): "sangat_kurang",
    ("di_bawah", "sesuai"): "butuh_perbaikan",
    ("di_bawah", "di_atas"): "butuh_perbaikan",
}
#: The nine SKM elements (unsur) of PermenPANRB 14/2017, keyed by name.
SKM_ELEMENTS = (
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "pengaduan",
    "sarana",
)
PERIOD_PATTERN = r"^\d{4}-S[12]$"
#: Every normalised period: semester (2024-S1), quarter (2024-Q1) or year (2024).
PERIOD_ANY_PATTERN = r"^\d{4}(?:-S[12]|-Q[1-4])?$"
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
#: Columns that identify a person; they never leave the loader.
IDENTIFIER_COLUMNS = ("nip", "name")


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a raw table.

    Parameters
    ----------
    name : str
        Column name in the file.
    kind : {"str", "int", "float", "date", "bool", "period"}
        Type the text is parsed into ("period": text normalised to ``2024-S1``, ``2024-Q1``
        or ``2024``, see :mod:`asn_analysis.data.values`).
    required : bool
        The column must be present in the file.
    nullable : bool
        Blank cells are allowed.
    allowed : tuple of str, optional
        The allowed values.
    min, max : float, optional
        Inclusive range.
    pattern : str, optional
        Regular expression the whole value must match.
    """

    name: str
    kind: Kind = "str"
    required: bool = True
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    pattern_text: str = ""

    def checks(self) -> list[pa.Check]:
        """Return the pandera checks of this column."""
        checks = []
        if self.allowed is not None:
            shown = ", ".join(self.allowed)
            checks.append(pa.Check.isin(list(self.allowed), error=f"is not one of {shown}"))
        lo, hi = self.min, self.max
        if self.kind == "date":
            lo = pd.Timestamp(lo) if lo is not None else None
            hi = pd.Timestamp(hi) if hi is not None else None
        if lo is not None and hi is not None:
            checks.append(pa.Check.in_range(lo, hi, error=f"is outside {_fmt(lo)}-{_fmt(hi)}"))
        elif lo is not None:
            checks.append(pa.Check.ge(lo, error=f"is below {_fmt(lo)}"))
        elif hi is not None:
            checks.append(pa.Check.le(hi, error=f"is above {_fmt(hi)}"))
        if self.pattern is not None:
            text = self.pattern_text or f"does not match {self.pattern}"
            checks.append(pa.Check.str_matches(self.pattern, error=text))
        return checks


def _fmt(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_KEY = {"pattern": KEY_PATTERN, "pattern_text": "is not a snake_case key"}
_PERIOD = {"pattern": PERIOD_ANY_PATTERN, "pattern_text": "is not a period like 2024-S1"}

TABLE_SPECS: dict[str, tuple[ColumnSpec, ...]] = {
    "units": (
        ColumnSpec("unit_id"),
        ColumnSpec("unit_name"),
        ColumnSpec("sector", allowed=SECTORS),
        ColumnSpec("unit_type", allowed=UNIT_TYPES),
        ColumnSpec("service_users_per_semester", "int", required=False, nullable=True, min=1),
    ),
    "employees": (
        ColumnSpec("nip"),
        ColumnSpec("name"),
        ColumnSpec("unit_id"),
        ColumnSpec("position"),
        ColumnSpec("job_type", allowed=JOB_TYPES),
        ColumnSpec("job_family", allowed=JOB_FAMILIES),
        ColumnSpec("status", allowed=STATUSES),
        ColumnSpec("gender", allowed=GENDERS),
        ColumnSpec("birth_year", "int", min=1955, max=2008),
        ColumnSpec("education", allowed=EDUCATION),
        ColumnSpec("years_of_service", "int", min=0, max=45),
    ),
    "competency_standards": (
        ColumnSpec("position"),
        ColumnSpec("competency", **_KEY),
        ColumnSpec("group", allowed=COMPETENCY_GROUPS),
        ColumnSpec("required_level", "int", min=1, max=5),
    ),
    "competency_assessments": (
        ColumnSpec("nip"),
        ColumnSpec("competency", **_KEY),
        ColumnSpec("level", "int", min=1, max=5),
        ColumnSpec("assessed_on", "date", min="2015-01-01"),
    ),
    "performance": (
        ColumnSpec("nip"),
        ColumnSpec("year", "int", min=2015, max=2100),
        ColumnSpec("hasil_kerja", allowed=RATINGS),
        ColumnSpec("perilaku_kerja", allowed=RATINGS),
        ColumnSpec("predikat", allowed=PREDIKAT),
    ),
    "training": (
        ColumnSpec("nip"),
        ColumnSpec("program"),
        ColumnSpec("competency_targeted", **_KEY),
        ColumnSpec("start_date", "date"),
        ColumnSpec("end_date", "date"),
        ColumnSpec("hours_jp", "int", min=1, max=500),
        ColumnSpec("reaction_score", "float", required=False, nullable=True, min=1, max=5),
        ColumnSpec("pre_test", "float", required=False, nullable=True, min=0, max=100),
        ColumnSpec("post_test", "float", required=False, nullable=True, min=0, max=100),
    ),
    "skm_responses": (
        ColumnSpec("response_id"),
        ColumnSpec("unit_id"),
        ColumnSpec("period", "period", **_PERIOD),
        ColumnSpec("service"),
        ColumnSpec("respondent_gender", required=False, nullable=True, allowed=GENDERS),
        ColumnSpec("respondent_age_group", required=False, nullable=True, allowed=AGE_GROUPS),
        ColumnSpec(
            "respondent_education", required=False, nullable=True, allowed=RESPONDENT_EDUCATION
        ),
        *(ColumnSpec(e, "int", nullable=True, min=1, max=4) for e in SKM_ELEMENTS),
    ),
    # Item columns are added from survey_items at load time.
    "staff_survey": (
        ColumnSpec("nip"),
        ColumnSpec("period", "period", **_PERIOD),
    ),
    "survey_items": (
        ColumnSpec("scale", **_KEY),
        ColumnSpec("item", **_KEY),
        ColumnSpec("text_id"),
        ColumnSpec("text_en"),
        ColumnSpec("reverse_keyed", "bool"),
        ColumnSpec("min", "int"),
        ColumnSpec("max", "int"),
    ),
}

#: Unique keys per table (file columns, before pseudonymisation).
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "units": ("unit_id",),
    "employees": ("nip",),
    "competency_standards": ("position", "competency"),
    "competency_assessments": ("nip", "competency", "assessed_on"),
    "performance": ("nip", "year"),
    "training": ("nip", "program", "start_date"),
    "skm_responses": ("response_id",),
    "staff_survey": ("nip", "period"),
    "survey_items": ("item",),
}


@dataclass(frozen=True, eq=False)
class TableSet:
    """The nine tables of the data model, one DataFrame each, named as in :data:`TABLES`.

    The base of :class:`asn_analysis.data.Dataset` (loaded data) and of
    :class:`asn_analysis.data.synthetic.SyntheticData` (generated data).

    Examples
    --------
    >>> frames = {name: pd.DataFrame() for name in TABLES}
    >>> list(TableSet(**frames).tables())[:3]
    ['units', 'employees', 'competency_standards']
    """

    units: pd.DataFrame
    employees: pd.DataFrame
    competency_standards: pd.DataFrame
    competency_assessments: pd.DataFrame
    performance: pd.DataFrame
    training: pd.DataFrame
    skm_responses: pd.DataFrame
    staff_survey: pd.DataFrame
    survey_items: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the tables by name, in the documented order."""
        return {name: getattr(self, name) for name in TABLES}


def pandera_schema(
    table: str, specs: tuple[ColumnSpec, ...], *, unique: bool = True
) -> pa.DataFrameSchema:
    """Build the pandera schema of a table from its column specifications.

    Parameters
    ----------
    table : str
        Table name (its unique key comes from :data:`TABLE_KEYS`).
    specs : tuple of ColumnSpec
        The columns present in the parsed table.
    unique : bool, default True
        Check the unique key (off when a key column could not be read, e.g. NIPs refused).

    Returns
    -------
    pandera.DataFrameSchema
        Schema checking values, ranges, blanks and the unique key; types are already
        parsed by the loader, so the schema does not coerce.

    Examples
    --------
    >>> schema = pandera_schema("survey_items", TABLE_SPECS["survey_items"])
    >>> schema.name, sorted(schema.columns)[:2]
    ('survey_items', ['item', 'max'])
    """
    columns = {
        s.name: pa.Column(checks=s.checks(), nullable=s.nullable, required=False) for s in specs
    }
    key = list(TABLE_KEYS[table]) if unique else None
    return pa.DataFrameSchema(columns, unique=key, report_duplicates="all", name=table)
