"""Job mismatch: employees below their post's standard in its technical competency.

A post asks for a technical level its holder does not have, e.g. an IT post
(``teknis_teknologi_informasi``) held by someone without that IT level (PermenPANRB No. 38
Tahun 2017). :func:`mismatches` finds them and compares the share mismatched per unit, per unit
and job family, and per job family between its home unit and elsewhere, with Wilson intervals.

References
----------
.. [1] Peraturan Menteri PANRB No. 38 Tahun 2017 tentang Standar Kompetensi Jabatan ASN.
.. [2] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
   inference. *JASA*, 22(158), 209-212.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from asn_analysis._validation import check_columns, check_level, show_list
from asn_analysis.competency.inputs import TECHNICAL_GROUP, CompetencyInputError, attach_employees
from asn_analysis.data.privacy import MIN_GROUP_SIZE
from asn_analysis.results import Result
from asn_analysis.stats.intervals import wilson_interval

__all__ = ["MismatchResult", "mismatches"]


@dataclass(frozen=True, repr=False)
class MismatchResult(Result):
    """Result of :func:`mismatches`.

    Attributes
    ----------
    employees : pandas.DataFrame
        One row per employee whose standard has a technical competency: employee_id, unit_id,
        job_type, job_family, position, n_technical, n_technical_below, worst_gap (most negative
        held - required), mismatch (True when any technical level is below the standard).
    details : pandas.DataFrame
        The technical competencies held below standard: employee_id, competency, required, held,
        gap.
    by_unit : pandas.DataFrame
        unit_id, n, n_mismatch, share, small_group.
    by_unit_job_family : pandas.DataFrame
        unit_id, job_family, n, n_mismatch, share, small_group ("IT posts outside Diskominfo").
    by_job_family : pandas.DataFrame
        Per job family: the home unit (most posts of the family, or as given), n, n_mismatch
        and share in and outside it, with Wilson intervals, and the difference outside - home.
    notes : tuple of str
        How to read the tables.
    """

    employees: pd.DataFrame
    details: pd.DataFrame
    by_unit: pd.DataFrame
    by_unit_job_family: pd.DataFrame
    by_job_family: pd.DataFrame
    notes: tuple[str, ...] = field(default=())

    def to_frame(self) -> pd.DataFrame:
        """Return the per-employee table."""
        return self.employees.copy()

    def heading(self) -> str:
        """Return the overall rate: "Technical mismatch: k of n employees (x %)"."""
        n = len(self.employees)
        k = int(self.employees["mismatch"].sum()) if n else 0
        return f"Technical mismatch: {k} of {n} employees ({k / n:.1%})" if n else "no rows"

    def tables(self) -> list[pd.DataFrame]:
        """Return the shares by job family, home unit against elsewhere."""
        fam = self.by_job_family
        return [fam.set_index("job_family") if "job_family" in fam else fam]


def mismatches(
    gaps: pd.DataFrame,
    employees: pd.DataFrame,
    *,
    group: str = TECHNICAL_GROUP,
    home_units: Mapping[str, str] | None = None,
    min_group: int = MIN_GROUP_SIZE,
    level: float = 0.95,
) -> MismatchResult:
    """Find employees below their position's standard in its technical competency.

    Parameters
    ----------
    gaps : pandas.DataFrame
        Output of :func:`competency_gaps` (with ``group``; without it, competencies named
        ``teknis_*`` are technical).
    employees : pandas.DataFrame
        ``employee_id``, ``unit_id``, ``job_type``, ``job_family``, ``position``.
    group : str, default "teknis"
        Competency group checked.
    home_units : mapping of job family to unit_id, optional
        The unit where each job family's posts belong (e.g. ``{"teknologi_informasi": "U13"}``
        for Diskominfo). Default: the unit with the most posts of the family.
    min_group : int, default 5
        Groups with fewer employees get ``small_group`` True (privacy).
    level : float, default 0.95
        Level of the Wilson intervals of the shares in ``by_job_family``.

    Returns
    -------
    MismatchResult
        Per employee, the below-standard details, and shares per unit, unit x job family and
        job family (home unit against elsewhere).

    Raises
    ------
    CompetencyInputError
        Missing columns, or gaps of employees not in `employees`.

    Notes
    -----
    Mismatch here means :math:`h_c < r_c` for a technical competency :math:`c` of the position's
    standard (PermenPANRB 38/2017): the post asks for a technical level its holder does not have,
    e.g. an IT post (``teknis_teknologi_informasi``) held by someone without that IT level. The
    shares describe the staff in the data; the Wilson intervals treat them as draws from the
    process that fills posts (useful to compare units, not needed for a census count).

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> from asn_analysis.competency import competency_gaps
    >>> ds = load_dataset()
    >>> gaps = competency_gaps(ds.competency_assessments, ds.competency_standards, ds.employees,
    ...                        as_of="2025-06-30")
    >>> res = mismatches(gaps, ds.employees)
    >>> it = res.by_job_family.set_index("job_family").loc["teknologi_informasi"]
    >>> bool(it["share_outside"] > it["share_home"])
    True
    """
    check_level(level)
    cols = ["unit_id", "job_type", "job_family", "position"]
    check_columns(employees, "employees", ["employee_id", *cols], error=CompetencyInputError)
    data = attach_employees(gaps, employees, [])
    if "group" in data.columns:
        technical = data["group"].astype("str").to_numpy() == group
    else:
        technical = data["competency"].astype("str").str.startswith("teknis_").to_numpy()
    tech = data.loc[technical, ["employee_id", "competency", "required", "held"]].copy()
    tech["gap"] = tech["held"].astype(np.int64) - tech["required"].astype(np.int64)
    tech["below"] = tech["gap"] < 0
    per = tech.groupby("employee_id", sort=False).agg(
        n_technical=("gap", "size"), n_technical_below=("below", "sum"), worst_gap=("gap", "min")
    )
    per["n_technical_below"] = per["n_technical_below"].astype(np.int64)
    info = employees.set_index("employee_id")[cols]
    unknown = ~per.index.isin(info.index)
    if unknown.any():
        raise CompetencyInputError(
            f"gaps: {int(unknown.sum())} employees are not in employees, e.g. "
            f"{show_list(per.index[unknown].tolist())}"
        )
    emp = per.join(info).reset_index()
    emp["mismatch"] = emp["n_technical_below"] > 0
    emp = emp[["employee_id", *cols, "n_technical", "n_technical_below", "worst_gap", "mismatch"]]
    details = tech[tech["below"]].drop(columns="below").reset_index(drop=True)

    def shares(keys: list[str]) -> pd.DataFrame:
        out = emp.groupby(keys, observed=True).agg(
            n=("mismatch", "size"), n_mismatch=("mismatch", "sum")
        )
        out = out.reset_index()
        out["n_mismatch"] = out["n_mismatch"].astype(np.int64)
        out["share"] = out["n_mismatch"] / out["n"]
        out["small_group"] = out["n"] < min_group
        return out

    by_unit = shares(["unit_id"])
    by_unit_family = shares(["unit_id", "job_family"])
    homes = dict(home_units or {})
    rows = []
    for family, sub in by_unit_family.groupby("job_family", observed=True, sort=True):
        home = homes.get(family)
        if home is None:
            home = sub.sort_values(["n", "unit_id"], ascending=[False, True])["unit_id"].iloc[0]
        at_home = sub["unit_id"] == home
        n_h, k_h = int(sub.loc[at_home, "n"].sum()), int(sub.loc[at_home, "n_mismatch"].sum())
        n_o, k_o = int(sub.loc[~at_home, "n"].sum()), int(sub.loc[~at_home, "n_mismatch"].sum())
        rows.append(
            {
                "job_family": family,
                "home_unit": home,
                "n_home": n_h,
                "n_mismatch_home": k_h,
                "share_home": k_h / n_h if n_h else np.nan,
                "n_outside": n_o,
                "n_mismatch_outside": k_o,
                "share_outside": k_o / n_o if n_o else np.nan,
            }
        )
    fam = pd.DataFrame(rows)
    if len(fam):
        fam["ci_low_home"], fam["ci_high_home"] = wilson_interval(
            fam["n_mismatch_home"], fam["n_home"], level
        )
        fam["ci_low_outside"], fam["ci_high_outside"] = wilson_interval(
            fam["n_mismatch_outside"], fam["n_outside"], level
        )
        fam["difference"] = fam["share_outside"] - fam["share_home"]
    notes = (
        f"Mismatch: a '{group}' competency of the position's standard held below the required "
        "level (PermenPANRB 38/2017).",
        "Home unit of a job family: "
        + ("as given" if home_units else "the unit with the most posts of the family")
        + "; 'outside' pools all other units.",
        f"Groups with fewer than {min_group} employees are flagged small_group: do not export "
        "their shares without suppression (UU 27/2022).",
    )
    return MismatchResult(
        employees=emp,
        details=details,
        by_unit=by_unit,
        by_unit_job_family=by_unit_family,
        by_job_family=fam,
        notes=notes,
    )
