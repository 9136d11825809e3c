"""Codebook constants of the synthetic data: allowed values, periods, waves and the seed.

The allowed values come from the data model (:mod:`asn_analysis.data.schema`), so the
generator, the codebook (``data/README.md``) and the loader cannot drift apart; the periods,
waves and years fix the time frame of the synthetic regency (2022-2025).

Examples
--------
>>> SKM_PERIODS[0], SKM_PERIODS[-1]
('2022-S1', '2025-S2')
>>> TECHNICAL_COMPETENCIES[0]
'teknis_administrasi_umum'
"""

from __future__ import annotations

from asn_analysis.data.schema import (
    AGE_GROUPS,
    COMPETENCY_GROUPS,
    EDUCATION,
    GENDERS,
    JOB_FAMILIES,
    JOB_TYPES,
    MANAGERIAL_COMPETENCIES,
    PREDIKAT,
    PREDIKAT_MATRIX,
    RATINGS,
    RESPONDENT_EDUCATION,
    SECTORS,
    SKM_ELEMENTS,
    SOCIOCULTURAL_COMPETENCIES,
    STATUSES,
    TABLES,
    UNIT_TYPES,
)

__all__ = [
    "BIRTH_YEAR_RANGE",
    "COMPETENCY_GROUPS",
    "DEFAULT_SEED",
    "EDUCATION_LEVELS",
    "GENDERS",
    "GENERATOR",
    "JOB_FAMILIES",
    "JOB_TYPES",
    "MANAGERIAL_COMPETENCIES",
    "PERFORMANCE_YEARS",
    "PPPK_APPOINTMENT_YEAR",
    "PREDIKAT_LEVELS",
    "PREDIKAT_MATRIX",
    "RATINGS",
    "REFERENCE_DATE",
    "RESPONDENT_AGE_GROUPS",
    "RESPONDENT_EDUCATION",
    "SKM_ELEMENTS",
    "SKM_PERIODS",
    "SOSIAL_KULTURAL_COMPETENCIES",
    "STAFF_SURVEY_WAVES",
    "STATUSES",
    "SURVEY_SCALES",
    "TABLES",
    "TECHNICAL_COMPETENCIES",
    "UNIT_SECTORS",
    "UNIT_TYPES",
    "YEARS_OF_SERVICE_RANGE",
]

#: Version tag written into ``ground_truth.json``; it names the generator as of version 1
#: (when it was the module ``asn_analysis.synthetic``) and stays so that regenerated data is
#: byte-for-byte the bundled data.
GENERATOR = "asn_analysis.synthetic v1"
DEFAULT_SEED = 20250101
#: Snapshot date of the ``employees`` table (years of service are counted to it).
REFERENCE_DATE = "2025-06-30"

# The codebook's tables and allowed values come from the data model itself.
UNIT_SECTORS = SECTORS
EDUCATION_LEVELS = EDUCATION
RESPONDENT_AGE_GROUPS = AGE_GROUPS
SOSIAL_KULTURAL_COMPETENCIES = SOCIOCULTURAL_COMPETENCIES
PREDIKAT_LEVELS = PREDIKAT
BIRTH_YEAR_RANGE = (1955, 2008)
YEARS_OF_SERVICE_RANGE = (0, 45)
TECHNICAL_COMPETENCIES = tuple(f"teknis_{f}" for f in JOB_FAMILIES)
SKM_PERIODS = tuple(f"{y}-S{s}" for y in range(2022, 2026) for s in (1, 2))
SURVEY_SCALES = ("resistance", "transparency", "communication", "threat")
STAFF_SURVEY_WAVES = ("2023-S2", "2025-S1")
PERFORMANCE_YEARS = (2022, 2023, 2024, 2025)
PPPK_APPOINTMENT_YEAR = 2024
