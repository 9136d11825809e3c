"""Unit covariates measured before a date: what a conditional comparison of units conditions on.

A staggered roll-out compares each cohort of trained units with comparison units. When units
differ in ways that move their IKM *trends* (a health unit serves other citizens; a unit's
technical mismatch and its Job Person Match move its service), the comparison is credible only
among units alike in them: the conditional parallel-trends assumption of Callaway & Sant'Anna
(2021) and the doubly robust estimator of Sant'Anna & Zhao (2020), which
:func:`asn_analysis.effects.staggered_did` runs with ``covariates=``. :func:`unit_covariates`
builds those covariates, one row per unit, from a loaded dataset, measured on or before a date
(a covariate the training itself moves would take part of its effect away);
:func:`day_before_rollout` gives that date for a roll-out. The competency covariates are the
library's own measures (:func:`asn_analysis.competency.competency_gaps`,
:func:`~asn_analysis.competency.mismatches`, :func:`~asn_analysis.competency.job_person_match`,
PermenPANRB No. 38 Tahun 2017); units without data are kept with a missing value and counted.

References
----------
.. [1] Callaway, B., & Sant'Anna, P. H. C. (2021). Difference-in-differences with multiple time
       periods. Journal of Econometrics, 225(2), 200-230.
.. [2] Sant'Anna, P. H. C., & Zhao, J. (2020). Doubly robust difference-in-differences
       estimators. Journal of Econometrics, 219(1), 101-122.

Examples
--------
>>> UNIT_COVARIATES
('mismatch_share', 'mean_jpm', 'health')
>>> covariate_names("mismatch_share, health")
['mismatch_share', 'health']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from asn_analysis.competency import competency_gaps, job_person_match, mismatches
from asn_analysis.data import Dataset
from asn_analysis.errors import AsnAnalysisError, OptionError

__all__ = [
    "HEALTH_SECTOR",
    "UNIT_COVARIATES",
    "UnitCovariateError",
    "covariate_names",
    "day_before_rollout",
    "unit_covariates",
]

#: The unit covariates :func:`unit_covariates` builds (the ``staggered_covariates`` setting
#: names a subset): ``mismatch_share`` (share of the unit's assessed staff below their position's
#: technical requirement), ``mean_jpm`` (mean Job Person Match, %), ``health`` (1 for a
#: health-sector unit, else 0).
UNIT_COVARIATES: tuple[str, ...] = ("mismatch_share", "mean_jpm", "health")
#: ``units.sector`` of the health units (the codebook's sector list, ``data/schema.py``).
HEALTH_SECTOR = "kesehatan"


class UnitCovariateError(AsnAnalysisError):
    """The unit covariates cannot be built: no table, no date, or no assessment before it."""


def covariate_names(covariates: str | Sequence[str]) -> list[str]:
    """Read a list of unit covariate names (comma-separated text or a sequence); check each.

    Parameters
    ----------
    covariates : str or sequence of str
        E.g. ``"mismatch_share,health"`` (the ``staggered_covariates`` setting); ``""`` = none.

    Returns
    -------
    list of str
        The names, stripped, in the order given, each once.

    Raises
    ------
    OptionError
        A name not in :data:`UNIT_COVARIATES` (all unknown names are listed).

    Examples
    --------
    >>> covariate_names(["health", "health"]), covariate_names("")
    (['health'], [])
    >>> covariate_names("mismatch, jpm")
    Traceback (most recent call last):
    ...
    asn_analysis.errors.OptionError: unknown unit covariates 'mismatch', 'jpm'; choose from \
'mismatch_share', 'mean_jpm', 'health'
    """
    items = covariates.split(",") if isinstance(covariates, str) else list(covariates)
    names = list(dict.fromkeys(str(c).strip() for c in items if str(c).strip()))
    unknown = [c for c in names if c not in UNIT_COVARIATES]
    if unknown:
        raise OptionError(
            f"unknown unit covariates {', '.join(repr(c) for c in unknown)}; choose from "
            + ", ".join(repr(c) for c in UNIT_COVARIATES)
        )
    return names


def day_before_rollout(cohorts: pd.DataFrame) -> str:
    """Return the ISO date of the day before a roll-out's first class.

    Parameters
    ----------
    cohorts : pandas.DataFrame
        Output of :func:`asn_analysis.casestudy.rollout_cohorts` (``first_start`` per unit).

    Returns
    -------
    str
        ``YYYY-MM-DD``: covariates measured on or before it are not moved by the training.

    Raises
    ------
    UnitCovariateError
        No ``first_start`` column, or no date in it.

    Examples
    --------
    >>> import pandas as pd
    >>> day_before_rollout(pd.DataFrame({"first_start": pd.to_datetime(["2024-09-02",
    ...                                                                   "2024-03-04"])}))
    '2024-03-03'
    """
    if "first_start" not in cohorts.columns:
        raise UnitCovariateError("cohorts has no first_start column (see rollout_cohorts)")
    first = pd.to_datetime(cohorts["first_start"]).min()
    if pd.isna(first):
        raise UnitCovariateError("cohorts has no first_start date: the roll-out has no class")
    return (first - pd.Timedelta(days=1)).date().isoformat()


def _excluded_employees(frame: pd.DataFrame) -> int:
    excluded = frame.attrs.get("excluded")
    if not isinstance(excluded, pd.DataFrame) or excluded.empty:
        return 0
    return int(excluded["n_employees"].sum()) if "n_employees" in excluded else len(excluded)


def _competency_covariates(
    dataset: Dataset, names: list[str], before: str, ids: pd.Index, counts: dict[str, Any]
) -> dict[str, pd.Series]:
    tables = ("competency_assessments", "competency_standards", "employees")
    absent = [t for t in tables if t not in dataset.tables_present]
    if absent:
        raise UnitCovariateError(
            f"unit covariates {', '.join(names)} need the tables {', '.join(absent)}"
        )
    args = (dataset.competency_assessments, dataset.competency_standards, dataset.employees)
    earlier = dataset.competency_assessments["assessed_on"] <= pd.Timestamp(before)
    if not earlier.any():
        raise UnitCovariateError(
            f"unit covariates {', '.join(names)} are measured on or before {before}, but no "
            "competency assessment in competency_assessments is that early"
        )
    out: dict[str, pd.Series] = {}
    if "mismatch_share" in names:
        gaps = competency_gaps(*args, as_of=before, on_problem="exclude")
        by_unit = mismatches(gaps, dataset.employees).by_unit.set_index("unit_id")
        out["mismatch_share"] = by_unit["share"].reindex(ids).astype("float64")
        counts["n_employees"]["mismatch_share"] = int(by_unit["n"].sum())
        counts["n_employees_excluded"]["mismatch_share"] = _excluded_employees(gaps)
    if "mean_jpm" in names:
        jpm = job_person_match(*args, as_of=before, on_problem="exclude")
        out["mean_jpm"] = (
            jpm.groupby("unit_id")["jpm_pct"].mean().reindex(ids).astype("float64")
        )  # fmt: skip
        counts["n_employees"]["mean_jpm"] = int(jpm["jpm_pct"].notna().sum())
        counts["n_employees_excluded"]["mean_jpm"] = _excluded_employees(jpm)
    return out


def unit_covariates(
    dataset: Dataset,
    *,
    before: str | pd.Timestamp,
    covariates: str | Sequence[str] = UNIT_COVARIATES,
) -> pd.DataFrame:
    """Build unit covariates measured on or before a date, one row per unit.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset (``units``; for the competency covariates also
        ``competency_assessments``, ``competency_standards`` and ``employees``).
    before : date-like
        Each employee's latest assessment on or before this date is used; for a roll-out the
        day before its first class (:func:`day_before_rollout`), so the training cannot move
        the covariates.
    covariates : str or sequence of str, default all of :data:`UNIT_COVARIATES`
        Which to build, e.g. ``"mismatch_share,health"``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``unit_id`` (every unit of ``dataset.units``, in its order), one float column
        per covariate asked, in the order asked: ``mismatch_share`` (share of the unit's staff
        assessed by then whose technical competency is below the position's requirement, from
        :func:`asn_analysis.competency.mismatches`), ``mean_jpm`` (mean Job Person Match, %, of
        the unit's staff scored by then, :func:`asn_analysis.competency.job_person_match`),
        ``health`` (1.0 if ``units.sector`` is ``"kesehatan"``, else 0.0). A unit without data
        (no employee assessed by then) has a missing value: never dropped, counted in ``attrs``:
        ``before``, ``n_units_missing`` and ``units_missing`` (per covariate: how many and which
        unit ids), ``n_employees`` (employees each competency covariate rests on) and
        ``n_employees_excluded`` (employees the competency functions could not score,
        ``on_problem="exclude"``).

    Raises
    ------
    OptionError
        An unknown covariate name (all of them are named).
    UnitCovariateError
        `before` is not a date; a table the covariates need is absent; no assessment on or
        before `before`.

    Notes
    -----
    Covariates enter :func:`asn_analysis.effects.staggered_did` once per unit (its value in the
    comparison's base period; these are constant over periods): join them onto the unit-period
    panel by ``unit_id``. A unit with a missing value is left out of the comparisons that need
    it, and the estimator counts it too.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> x = unit_covariates(load_dataset(), before="2024-03-03")
    >>> list(x.columns), x.index.name, int(x["health"].sum())
    (['mismatch_share', 'mean_jpm', 'health'], 'unit_id', 7)
    >>> x.attrs["n_units_missing"]
    {'mismatch_share': 0, 'mean_jpm': 0, 'health': 0}
    """
    names = covariate_names(covariates)
    try:
        stamp = pd.Timestamp(before)
    except (TypeError, ValueError):
        raise UnitCovariateError(f"before must be a date, not {before!r}") from None
    if pd.isna(stamp):
        raise UnitCovariateError(f"before must be a date, not {before!r}")
    day = stamp.date().isoformat()
    if "units" not in dataset.tables_present:
        raise UnitCovariateError("unit covariates need the units table")
    ids = pd.Index(dataset.units["unit_id"], name="unit_id")
    counts: dict[str, Any] = {"n_employees": {}, "n_employees_excluded": {}}
    built: dict[str, pd.Series] = {}
    competency = [c for c in names if c in ("mismatch_share", "mean_jpm")]
    if competency:
        built.update(_competency_covariates(dataset, competency, day, ids, counts))
    if "health" in names:
        sector = dataset.units.set_index("unit_id")["sector"]
        built["health"] = sector.eq(HEALTH_SECTOR).astype("float64").where(sector.notna())
    out = pd.DataFrame({c: built[c].reindex(ids) for c in names}, index=ids)
    missing = {c: [str(u) for u in out.index[out[c].isna()]] for c in names}
    out.attrs.update(
        before=day,
        n_units_missing={c: len(u) for c, u in missing.items()},
        units_missing=missing,
        **counts,
    )
    return out
