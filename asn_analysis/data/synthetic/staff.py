"""Stage 1 of the generator: units, staffing slots and people (demographics, NIP, names).

The ``units`` table comes from the regency's data file (:mod:`.regency`). Staffing slots
(unit, position, job type, job family, grade, staff group, status) are deterministic: heads and
struktural posts per unit, the other staff groups by their calibrated shares, split over
positions by largest remainder. People then get a gender, an age and birth date, an
appointment month (PNS by 2021, PPPK in the first half of 2024), education by grade, an NIP of
the valid 18-digit form (birth date, appointment month, gender digit, sequence) and a name.

Examples
--------
>>> make_units().shape
(30, 5)
>>> staff = make_staffing(600)
>>> len(staff), int((staff["group"] == "struktural").sum()) > 30
(600, True)
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from asn_analysis.data.synthetic.codebook import (
    JOB_TYPES,
    PPPK_APPOINTMENT_YEAR,
    YEARS_OF_SERVICE_RANGE,
)
from asn_analysis.data.synthetic.regency import (
    AGE_PNS,
    AGE_PPPK,
    DISDIK,
    DISKOMINFO,
    EDUCATION_BY_GRADE,
    FAMILY_NAMES,
    FEMALE_FIRST_NAMES,
    FUNGSIONAL,
    GRADE_JOB_TYPE,
    GROUP_SHARES,
    HEALTH,
    HIGHER_EDUCATION,
    MALE_FIRST_NAMES,
    OTHER_FUNGSIONAL,
    PELAKSANA,
    PELAKSANA_DEFAULT_MIX,
    PELAKSANA_EXTRA,
    PELAKSANA_UNIT,
    REFERENCE_SIZE,
    STRUCT_FAMILY,
    TEACHERS,
    UNITS,
    UnitSpec,
)

__all__ = ["make_people", "make_staffing", "make_units"]


# ------------------------------------------------------------------------------- Units and staffing
def make_units() -> pd.DataFrame:
    """Return the ``units`` table of the regency (codebook columns, file order)."""
    units = pd.DataFrame(
        {
            "unit_id": [u.unit_id for u in UNITS],
            "unit_name": [u.name for u in UNITS],
            "sector": [u.sector for u in UNITS],
            "unit_type": [u.unit_type for u in UNITS],
            "service_users_per_semester": np.array([u.users for u in UNITS], dtype=np.int64),
        }
    )
    return units


def _struct_family(title: str, unit: UnitSpec) -> str:
    return STRUCT_FAMILY.get(title, unit.family)


def make_staffing(n: int) -> pd.DataFrame:
    """Return deterministic staffing slots for ``n`` ASN.

    Struktural posts are fixed per unit (heads) or scale with the size; teachers, health
    workers, other fungsional and pelaksana keep their shares (:data:`.regency.GROUP_SHARES`)
    and are split over positions by largest remainder.

    Parameters
    ----------
    n : int
        Number of ASN.

    Returns
    -------
    pandas.DataFrame
        One row per slot: unit_id, position, job_type, job_family, grade, group, status.
    """
    scale = n / REFERENCE_SIZE
    rows: list[tuple[str, str, str, str, str, str, str]] = []

    def keep(titles: tuple[str, ...]) -> tuple[str, ...]:
        if not titles:
            return titles
        k = len(titles) if scale >= 1 else max(1, int(math.floor(len(titles) * scale + 0.5)))
        return titles[:k]

    for unit in UNITS:
        posts = []
        if unit.head:
            posts.append((unit.head, "jpt"))
        posts += [(t, "administrator") for t in keep(unit.admin)]
        posts += [(t, "pengawas") for t in keep(unit.pengawas)]
        for title, grade in posts:
            rows.append(
                (
                    unit.unit_id,
                    title,
                    GRADE_JOB_TYPE[grade],
                    _struct_family(title, unit),
                    grade,
                    "struktural",
                    "PNS",
                )
            )
    n_struct = len(rows)

    cells: list[tuple[str, str, str, float]] = []  # unit, title, group, weight
    cells += [(DISDIK, t, "teacher", w) for t, w in TEACHERS.items()]
    cells += [(u, t, "health", w) for u, d in HEALTH.items() for t, w in d.items()]
    cells += [
        (u, t, "other_fungsional", w) for u, d in OTHER_FUNGSIONAL.items() for t, w in d.items()
    ]
    for uid, total in PELAKSANA_UNIT.items():
        mix = dict(PELAKSANA_DEFAULT_MIX)
        for t, w in PELAKSANA_EXTRA.get(uid, {}).items():
            mix[t] = mix.get(t, 0) + w
        s = sum(mix.values())
        cells += [(uid, t, "pelaksana", total * w / s) for t, w in mix.items()]
    cells_df = pd.DataFrame(cells, columns=["unit_id", "position", "group", "weight"])

    n_groups = {g: int(math.floor(n * s + 0.5)) for g, s in GROUP_SHARES.items()}
    n_groups["pelaksana"] = n - n_struct - sum(n_groups.values())
    counts = np.zeros(len(cells_df), dtype=np.int64)
    for group, total in n_groups.items():
        idx = np.flatnonzero(cells_df["group"].to_numpy() == group)
        counts[idx] = _largest_remainder(cells_df["weight"].to_numpy()[idx], total)
    cells_df["count"] = counts

    for cell in cells_df.itertuples(index=False):
        if cell.count == 0:
            continue
        if cell.group == "pelaksana":
            family, grade, job_type = PELAKSANA[cell.position], "pelaksana", "pelaksana"
        else:
            family, grade = FUNGSIONAL[cell.position]
            job_type = "fungsional"
        share = _pppk_share(cell.group, grade)
        n_pppk = int(math.floor(cell.count * share + 0.5))
        for k in range(int(cell.count)):
            status = "PPPK" if k < n_pppk else "PNS"
            rows.append((cell.unit_id, cell.position, job_type, family, grade, cell.group, status))
    staff = pd.DataFrame(
        rows, columns=["unit_id", "position", "job_type", "job_family", "grade", "group", "status"]
    )
    _check_position_consistency(staff)
    return staff


def _pppk_share(group: str, grade: str) -> float:
    if group == "teacher":
        return 0.85 if grade == "pertama" else 0.0
    if group == "health":
        return 0.4 if grade in ("terampil", "pertama") else 0.0
    if group == "other_fungsional":
        return 0.2 if grade in ("terampil", "pertama") else 0.0
    if group == "pelaksana":
        return 0.22
    return 0.0


def _check_position_consistency(staff: pd.DataFrame) -> None:
    per_position = staff.groupby("position")[["job_type", "job_family", "grade"]].nunique()
    bad = per_position[(per_position > 1).any(axis=1)]
    if len(bad):
        raise AssertionError(f"positions with inconsistent attributes: {list(bad.index)}")


def _largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    quota = w / w.sum() * total
    base = np.floor(quota).astype(np.int64)
    rest = int(total - base.sum())
    order = np.argsort(-(quota - base), kind="stable")
    base[order[:rest]] += 1
    return base


def _choice(rng: np.random.Generator, probs: dict[str, float], size: int) -> np.ndarray:
    keys = np.array(list(probs), dtype=object)
    p = np.array(list(probs.values()), dtype=float)
    return keys[rng.choice(len(keys), size=size, p=p / p.sum())]


# ----------------------------------------------------------------- People: demographics, NIP, names
def _female_probability(staff: pd.DataFrame) -> np.ndarray:
    pos = staff["position"].to_numpy().astype(str)
    p = np.full(len(staff), 0.47)
    group = staff["group"].to_numpy()
    family = staff["job_family"].to_numpy()
    p[group == "teacher"] = 0.60
    p[group == "health"] = 0.72
    p[np.char.startswith(pos, "Dokter")] = 0.55
    p[np.char.startswith(pos, "Bidan")] = 1.0
    p[family == "ketertiban_umum"] = 0.15
    p[family == "teknik"] = 0.30
    p[group == "pelaksana"] = np.minimum(p[group == "pelaksana"], 0.45)
    p[group == "struktural"] = 0.35
    p[staff["job_type"].to_numpy() == "jpt_pratama"] = 0.2
    pppk = staff["status"].to_numpy() == "PPPK"
    p[pppk & (p < 1.0)] = np.minimum(p[pppk & (p < 1.0)] + 0.10, 0.95)
    return p


def make_people(
    staff: pd.DataFrame, rng: np.random.Generator, rng_names: np.random.Generator
) -> pd.DataFrame:
    """Draw gender, age, appointment, education, NIP and name for each staffing slot.

    Parameters
    ----------
    staff : pandas.DataFrame
        Slots from :func:`make_staffing`.
    rng, rng_names : numpy.random.Generator
        Generators of the demographics and of the names.

    Returns
    -------
    pandas.DataFrame
        The slots with gender, years_of_service, birth_year, education, nip, name and
        helper columns (prefixed ``_``) the later stages use.
    """
    staff = staff.copy()
    n = len(staff)
    pppk = staff["status"].to_numpy() == "PPPK"
    grade = staff["grade"].to_numpy()
    group = staff["group"].to_numpy()

    female = rng.random(n) < _female_probability(staff)
    staff["gender"] = np.where(female, "P", "L")

    # Age in 2025 and birth year.
    age = np.empty(n)
    z = rng.standard_normal(n)
    for g, (mean, sd, lo, hi) in AGE_PNS.items():
        m = (grade == g) & ~pppk
        a = mean + sd * z[m]
        # Teachers retire at 60, most other posts at 58.
        upper = np.where(group[m] == "teacher", 59, hi)
        age[m] = np.clip(a, lo, upper)
    mean, sd, lo, hi = AGE_PPPK
    age[pppk] = np.clip(mean + sd * z[pppk], lo, hi)
    age = np.floor(age + 0.5).astype(np.int64)
    birth_year = 2025 - age
    day_of_year = rng.integers(0, 365, size=n)
    birth = np.array([f"{y}-01-01" for y in birth_year], dtype="datetime64[D]") + day_of_year
    # Keep the birth date inside its year (no 31 December overflow into the next year).
    birth = np.minimum(birth, np.array([f"{y}-12-31" for y in birth_year], dtype="datetime64[D]"))

    # Appointment (TMT): PPPK in the first half of 2024, PNS by end of 2021.
    tmt_year = np.empty(n, dtype=np.int64)
    tmt_month = np.empty(n, dtype=np.int64)
    tmt_year[pppk] = PPPK_APPOINTMENT_YEAR
    tmt_month[pppk] = rng.choice(
        np.arange(1, 7), size=int(pppk.sum()), p=[0.1, 0.2, 0.3, 0.2, 0.1, 0.1]
    )
    pns = ~pppk
    app_age = 22 + rng.gamma(2.0, 2.2, size=int(pns.sum()))
    ty = np.floor(birth_year[pns] + app_age).astype(np.int64)
    ty = np.clip(ty, np.maximum(birth_year[pns] + 19, 1985), 2021)
    tmt_year[pns] = ty
    tmt_month[pns] = rng.choice(
        np.arange(1, 13),
        size=int(pns.sum()),
        p=[0.25, 0.08, 0.15, 0.1, 0.05, 0.05, 0.05, 0.05, 0.04, 0.06, 0.04, 0.08],
    )
    ref_year, ref_month = 2025, 6
    months = (ref_year * 12 + ref_month) - (tmt_year * 12 + tmt_month)
    staff["years_of_service"] = np.clip(months // 12, *YEARS_OF_SERVICE_RANGE).astype(np.int64)
    staff["birth_year"] = birth_year.astype(np.int64)
    staff["_birth"] = birth
    staff["_tmt_year"] = tmt_year
    staff["_tmt_month"] = tmt_month

    # Education by grade.
    edu = np.empty(n, dtype=object)
    for g, probs in EDUCATION_BY_GRADE.items():
        m = grade == g
        edu[m] = _choice(rng, probs, int(m.sum()))
    # Teachers are S1 or higher (UU Guru dan Dosen); nurses and midwives at Terampil hold D3.
    teacher_low = (group == "teacher") & ~np.isin(edu, HIGHER_EDUCATION)
    edu[teacher_low] = "S1"
    staff["education"] = edu.astype(str)

    # NIP: birth date + TMT + gender digit + 3-digit sequence unique within the prefix.
    gender_digit = np.where(female, "2", "1")
    birth_str = np.datetime_as_string(birth, unit="D")
    prefix = [
        f"{b.replace('-', '')}{y:04d}{m:02d}{g}"
        for b, y, m, g in zip(birth_str, tmt_year, tmt_month, gender_digit, strict=True)
    ]
    offset = rng.integers(0, 4, size=n)
    pre = pd.Series(prefix)
    seq = pre.groupby(pre, sort=False).cumcount().to_numpy() + 1
    first_offset = pd.Series(offset).groupby(pre, sort=False).transform("first").to_numpy()
    seq = seq + first_offset
    staff["nip"] = [f"{p}{s:03d}" for p, s in zip(prefix, seq, strict=True)]
    if staff["nip"].duplicated().any():  # pragma: no cover - guarded by construction
        raise AssertionError("duplicate NIP")

    # Names.
    male_first = np.array(MALE_FIRST_NAMES, dtype=object)
    female_first = np.array(FEMALE_FIRST_NAMES, dtype=object)
    family = np.array(FAMILY_NAMES, dtype=object)
    first = np.where(
        female,
        female_first[rng_names.integers(0, len(female_first), size=n)],
        male_first[rng_names.integers(0, len(male_first), size=n)],
    )
    last = family[rng_names.integers(0, len(family), size=n)]
    andi = rng_names.random(n) < 0.06
    staff["name"] = [
        f"{'Andi ' if a else ''}{f} {lname}" for a, f, lname in zip(andi, first, last, strict=True)
    ]
    jt_rank = {j: i for i, j in enumerate(JOB_TYPES)}
    staff["_jt_rank"] = staff["job_type"].map(jt_rank).astype(np.int64)
    unit_spec = {u.unit_id: u for u in UNITS}
    staff["_it_outside"] = (staff["job_family"] == "teknologi_informasi") & (
        staff["unit_id"] != DISKOMINFO
    )
    staff["_front_line"] = staff["job_type"].isin(["fungsional", "pelaksana"])
    staff["_unit_type"] = staff["unit_id"].map(lambda u: unit_spec[u].unit_type)
    return staff.reset_index(drop=True)
