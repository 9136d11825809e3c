"""What a dataset holds: staff profile, survey coverage and training coverage.

These tables open every analysis (notebook 01) and the exported brief, so they live here
rather than in a notebook.
"""

from __future__ import annotations

import pandas as pd

from asn_analysis.data import Dataset
from asn_analysis.data.periods import sort_periods
from asn_analysis.data.schema import JOB_TYPES, STATUSES

__all__ = [
    "JP_RIGHT_PER_YEAR",
    "missing_unit_periods",
    "staff_by_job_type",
    "staff_by_unit",
    "survey_coverage",
    "training_coverage",
    "training_programmes",
]

#: Every civil servant's yearly right to competency development, in hours of instruction (JP)
#: (PP No. 11 Tahun 2017 jo. PP No. 17 Tahun 2020, Pasal 203).
JP_RIGHT_PER_YEAR = 20


def staff_by_job_type(dataset: Dataset) -> pd.DataFrame:
    """Count employees by job type and status (PNS/PPPK).

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.

    Returns
    -------
    pandas.DataFrame
        Rows job types (in the documented order), columns PNS, PPPK, total and share of all
        staff (0-1); a last row ``total``.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> table = staff_by_job_type(load_dataset())
    >>> int(table.loc["total", "total"]) == len(load_dataset().employees)
    True
    """
    emp = dataset.employees
    table = pd.crosstab(
        pd.Categorical(emp["job_type"], categories=JOB_TYPES),
        pd.Categorical(emp["status"], categories=STATUSES),
        dropna=False,
    )
    table.index = pd.Index(list(JOB_TYPES), name="job_type")
    table.columns = list(STATUSES)
    table.loc["total"] = table.sum()
    table["total"] = table.sum(axis=1)
    table["share"] = table["total"] / table.loc["total", "total"]
    return table


def staff_by_unit(dataset: Dataset) -> pd.DataFrame:
    """Staff numbers and composition per unit.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.

    Returns
    -------
    pandas.DataFrame
        One row per unit (units with no staff included, with 0): unit_id, unit_name, sector,
        unit_type, staff, share_pppk, share_female, share_fungsional.
    """
    emp = dataset.employees
    grouped = emp.groupby("unit_id").agg(
        staff=("employee_id", "size"),
        share_pppk=("status", lambda s: (s == "PPPK").mean()),
        share_female=("gender", lambda s: (s == "P").mean()),
        share_fungsional=("job_type", lambda s: (s == "fungsional").mean()),
    )
    out = dataset.units[["unit_id", "unit_name", "sector", "unit_type"]].merge(
        grouped, left_on="unit_id", right_index=True, how="left"
    )
    out["staff"] = out["staff"].fillna(0).astype(int)
    return out.reset_index(drop=True)


def survey_coverage(dataset: Dataset) -> pd.DataFrame:
    """Respondents of the SKM survey per unit (rows) and period (columns).

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.

    Returns
    -------
    pandas.DataFrame
        Counts, indexed by unit_id, with every unit and every period seen in the data; a unit
        that was not surveyed in a period shows 0.
    """
    skm = dataset.skm_responses
    periods = sort_periods(skm["period"])
    table = pd.crosstab(skm["unit_id"], skm["period"]).reindex(
        index=dataset.units["unit_id"], columns=periods, fill_value=0
    )
    table.index.name = "unit_id"
    table.columns.name = "period"
    return table


def missing_unit_periods(dataset: Dataset) -> pd.DataFrame:
    """Unit-periods without any SKM respondent.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.

    Returns
    -------
    pandas.DataFrame
        Columns unit_id, unit_name, period; one row per unit-period with no respondent.
    """
    cov = survey_coverage(dataset)
    missing = cov.stack().loc[lambda s: s == 0].reset_index()[["unit_id", "period"]]
    names = dataset.units.set_index("unit_id")["unit_name"]
    missing.insert(1, "unit_name", missing["unit_id"].map(names))
    return missing.reset_index(drop=True)


def training_coverage(dataset: Dataset, *, min_jp: int = JP_RIGHT_PER_YEAR) -> pd.DataFrame:
    """Share of employees trained, and meeting the yearly JP right, per year.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    min_jp : int, default 20
        Hours of instruction (JP) a year every civil servant is entitled to.

    Returns
    -------
    pandas.DataFrame
        One row per training year: employees (in service that year: appointment_year <= year),
        trained (at least one programme starting that year), share_trained, mean_jp (over
        employees in service), met_jp_right (JP >= ``min_jp``) and share_met_jp_right.

    Notes
    -----
    A programme counts in the year it starts. Employees are the current roster; staff who left
    before the data was exported are not in it.
    """
    emp = dataset.employees[["employee_id", "appointment_year"]]
    tr = dataset.training.assign(year=dataset.training["start_date"].dt.year)
    hours = tr.groupby(["year", "employee_id"])["hours_jp"].sum()
    rows = []
    for year in sorted(tr["year"].dropna().unique()):
        in_service = emp.loc[emp["appointment_year"] <= year, "employee_id"]
        jp = hours.loc[year].reindex(in_service, fill_value=0)
        n = len(in_service)
        rows.append(
            {
                "year": int(year),
                "employees": n,
                "trained": int((jp > 0).sum()),
                "share_trained": (jp > 0).mean() if n else float("nan"),
                "mean_jp": jp.mean() if n else float("nan"),
                "met_jp_right": int((jp >= min_jp).sum()),
                "share_met_jp_right": (jp >= min_jp).mean() if n else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def training_programmes(dataset: Dataset) -> pd.DataFrame:
    """Participants, hours and Kirkpatrick level 1-2 summaries per programme.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.

    Returns
    -------
    pandas.DataFrame
        One row per programme: competency_targeted (``"<k> competencies"`` when it differs
        between participants, e.g. each participant's own technical competency), participants,
        first_start, last_end, mean hours_jp, mean reaction_score, mean pre_test and post_test
        (over participants with both tests), n_tests.
    """
    tr = dataset.training
    both = tr[["pre_test", "post_test"]].notna().all(axis=1)
    out = tr.groupby("program").agg(
        competency_targeted=("competency_targeted", _one_or_count),
        participants=("employee_id", "nunique"),
        first_start=("start_date", "min"),
        last_end=("end_date", "max"),
        hours_jp=("hours_jp", "mean"),
        reaction_score=("reaction_score", "mean"),
    )
    tests = (
        tr[both]
        .groupby("program")
        .agg(
            pre_test=("pre_test", "mean"),
            post_test=("post_test", "mean"),
            n_tests=("pre_test", "size"),
        )
    )
    out = out.join(tests)
    out["n_tests"] = out["n_tests"].fillna(0).astype(int)
    return out.sort_values("participants", ascending=False)


def _one_or_count(values: pd.Series) -> str:
    unique = values.dropna().unique()
    return str(unique[0]) if len(unique) == 1 else f"{len(unique)} competencies"
