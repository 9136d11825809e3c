"""The synthetic regency's literal data, read from the package data files beside this module.

``regency.json`` holds the units (with their struktural posts and public services), the
position catalogue, headcount weights, age and education by grade, and the name lists;
``programmes.json`` the training programmes and the roll-out cohorts; ``survey_items.json``
the staff-survey items. This module turns them into the Python values the generator stages
use (tuples where order or hashing matters, ``int`` years as keys). The files are read with
:mod:`importlib.resources`, so an installed package finds them too.

Examples
--------
>>> UNITS[0].unit_id, UNITS[0].name
('U01', 'Dinas Kesehatan')
>>> len(UNITS)
30
>>> FUNGSIONAL["Guru Ahli Muda"]
('pendidikan', 'muda')
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = [
    "AGE_PNS",
    "AGE_PPPK",
    "DINKES",
    "DISDIK",
    "DISKOMINFO",
    "EDUCATION_BY_GRADE",
    "FAMILY_NAMES",
    "FEMALE_FIRST_NAMES",
    "FUNGSIONAL",
    "GRADE_JOB_TYPE",
    "GROUP_SHARES",
    "HEALTH",
    "HIGHER_EDUCATION",
    "LEADERSHIP_PROGRAMS",
    "LIKERT_MAX",
    "LIKERT_MIN",
    "MALE_FIRST_NAMES",
    "ORIENTATION_PROGRAM",
    "ORIENTATION_SHARE",
    "OTHER_FUNGSIONAL",
    "OWN_TECHNICAL",
    "PELAKSANA",
    "PELAKSANA_DEFAULT_MIX",
    "PELAKSANA_EXTRA",
    "PELAKSANA_UNIT",
    "REFERENCE_SIZE",
    "REGULAR_PROGRAMS",
    "REQ_MANAGERIAL",
    "REQ_TECHNICAL",
    "ROLLOUT_COHORTS",
    "ROLLOUT_PROGRAMS",
    "SELECTION_PROGRAM",
    "STRUCT_FAMILY",
    "SURVEY_ITEMS",
    "TEACHERS",
    "UNITS",
    "UnitSpec",
    "read_data_file",
]


def read_data_file(name: str) -> dict[str, Any]:
    """Return one JSON data file of this package, parsed (keys in file order).

    Parameters
    ----------
    name : str
        File name, e.g. ``"regency.json"``.

    Returns
    -------
    dict
        The parsed file; numbers parse exactly as the Python literals they replaced.

    Examples
    --------
    >>> read_data_file("survey_items.json")["answer_range"]
    [1, 5]
    """
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class UnitSpec:
    """One unit of the regency: its codebook row, core job family, posts and services.

    ``head`` is the jpt_pratama post (None for puskesmas and kecamatan); ``admin`` and
    ``pengawas`` the administrator and pengawas posts, in the order they are kept when the
    staff is scaled down.
    """

    unit_id: str
    name: str
    sector: str
    unit_type: str
    users: int
    family: str
    head: str | None
    admin: tuple[str, ...]
    pengawas: tuple[str, ...]
    services: tuple[str, ...]


_REGENCY = read_data_file("regency.json")
_PROGRAMMES = read_data_file("programmes.json")
_SURVEY = read_data_file("survey_items.json")

# ---------------------------------------------------------------------------------- units and posts
UNITS: tuple[UnitSpec, ...] = tuple(
    UnitSpec(
        u["unit_id"],
        u["unit_name"],
        u["sector"],
        u["unit_type"],
        u["service_users_per_semester"],
        u["job_family"],
        u["head"],
        tuple(u["administrator"]),
        tuple(u["pengawas"]),
        tuple(u["services"]),
    )
    for u in _REGENCY["units"]
)
DINKES: str = _REGENCY["dinas_kesehatan"]
DISKOMINFO: str = _REGENCY["diskominfo"]
#: The unit of the teachers (Dinas Pendidikan dan Kebudayaan).
DISDIK: str = _REGENCY["dinas_pendidikan"]
#: Struktural posts whose job family does not follow the unit's core family.
STRUCT_FAMILY: dict[str, str] = _REGENCY["struktural_job_family"]
GRADE_JOB_TYPE: dict[str, str] = _REGENCY["grade_job_type"]
#: Fungsional posts: title -> (job family, grade).
FUNGSIONAL: dict[str, tuple[str, str]] = {
    title: (post["job_family"], post["grade"]) for title, post in _REGENCY["fungsional"].items()
}
#: Pelaksana posts: title -> job family.
PELAKSANA: dict[str, str] = _REGENCY["pelaksana"]

# --------------------------------------------------------------------------------------- headcounts
REFERENCE_SIZE: int = _REGENCY["reference_size"]
#: Share of ASN by staff group (domain.md section 7); pelaksana take the rest after struktural.
GROUP_SHARES: dict[str, float] = _REGENCY["group_shares"]
TEACHERS: dict[str, int] = _REGENCY["teachers"]
#: Health fungsional weights per unit; each puskesmas scales one template by its size.
HEALTH: dict[str, dict[str, float]] = {
    **_REGENCY["health"],
    **{
        uid: {k: v * size for k, v in _REGENCY["health_puskesmas"].items()}
        for uid, size in _REGENCY["puskesmas_size"].items()
    },
}
OTHER_FUNGSIONAL: dict[str, dict[str, int]] = _REGENCY["other_fungsional"]
#: Pelaksana headcount weights per unit (at about 4,500 staff).
PELAKSANA_UNIT: dict[str, int] = _REGENCY["pelaksana_per_unit"]
PELAKSANA_DEFAULT_MIX: dict[str, int] = _REGENCY["pelaksana_default_mix"]
PELAKSANA_EXTRA: dict[str, dict[str, int]] = _REGENCY["pelaksana_extra"]

# ------------------------------------------------------------------------------------------- people
#: Required managerial / socio-cultural and technical level by grade (synthetic pattern; the
#: library always reads the levels from competency_standards).
REQ_MANAGERIAL: dict[str, int] = _REGENCY["required_level"]["managerial"]
REQ_TECHNICAL: dict[str, int] = _REGENCY["required_level"]["technical"]
#: Age in 2025 by grade for PNS: (mean, sd, min, max); retirement 58, or 60 for JPT, Ahli
#: Madya and teachers.
AGE_PNS: dict[str, tuple[float, float, int, int]] = {
    grade: tuple(v) for grade, v in _REGENCY["age_pns"].items()
}
AGE_PPPK: tuple[float, float, int, int] = tuple(_REGENCY["age_pppk"])
EDUCATION_BY_GRADE: dict[str, dict[str, float]] = _REGENCY["education_by_grade"]
HIGHER_EDUCATION: tuple[str, ...] = tuple(_REGENCY["higher_education"])
MALE_FIRST_NAMES: tuple[str, ...] = tuple(_REGENCY["names"]["male_first"])
FEMALE_FIRST_NAMES: tuple[str, ...] = tuple(_REGENCY["names"]["female_first"])
FAMILY_NAMES: tuple[str, ...] = tuple(_REGENCY["names"]["family"])

# ----------------------------------------------------------------------------------------- training
#: competency_targeted of a programme that targets each participant's own technical competency.
OWN_TECHNICAL = "teknis_<job_family>"
#: Roll-out programmes: (name, competency_targeted, hours).
ROLLOUT_PROGRAMS: tuple[tuple[str, str, int], ...] = tuple(
    (p["program"], p["competency_targeted"], p["hours_jp"])
    for p in _PROGRAMMES["rollout"]["programmes"]
)
#: Cohort semester -> units first treated in it.
ROLLOUT_COHORTS: dict[str, tuple[str, ...]] = {
    cohort: tuple(units) for cohort, units in _PROGRAMMES["rollout"]["cohorts"].items()
}
#: The self-selection programme: (name, competency_targeted, hours, year).
SELECTION_PROGRAM: tuple[str, str, int, int] = tuple(
    _PROGRAMMES["selection"][k] for k in ("program", "competency_targeted", "hours_jp", "year")
)
#: PPPK orientation: (name, competency_targeted, hours) and the share of PPPK oriented per year.
ORIENTATION_PROGRAM: tuple[str, str, int] = tuple(
    _PROGRAMMES["orientation"][k] for k in ("program", "competency_targeted", "hours_jp")
)
ORIENTATION_SHARE: dict[int, float] = {
    int(year): share for year, share in _PROGRAMMES["orientation"]["share_by_year"].items()
}
#: Leadership programmes: (name, competency_targeted, hours, job type, share per year).
LEADERSHIP_PROGRAMS: tuple[tuple[str, str, int, str, float], ...] = tuple(
    (p["program"], p["competency_targeted"], p["hours_jp"], p["job_type"], p["share_per_year"])
    for p in _PROGRAMMES["leadership"]
)
#: Regular programmes: (name, competency_targeted, hours, eligibility by column).
REGULAR_PROGRAMS: tuple[tuple[str, str, int, dict[str, tuple[str, ...]]], ...] = tuple(
    (
        p["program"],
        p["competency_targeted"],
        p["hours_jp"],
        {column: tuple(values) for column, values in p["eligible"].items()},
    )
    for p in _PROGRAMMES["regular"]
)

# ------------------------------------------------------------------------------------- staff survey
LIKERT_MIN, LIKERT_MAX = _SURVEY["answer_range"]
#: Staff-survey items: (scale, item, reverse_keyed, text_id, text_en).
SURVEY_ITEMS: tuple[tuple[str, str, bool, str, str], ...] = tuple(
    (i["scale"], i["item"], i["reverse_keyed"], i["text_id"], i["text_en"])
    for i in _SURVEY["items"]
)
