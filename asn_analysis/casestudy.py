r"""Training evaluation by Kirkpatrick's four levels, and the case study of one unit.

Government training is evaluated on four levels (Kirkpatrick): 1 reaction (participants'
ratings), 2 learning (pre/post tests), 3 behaviour (change on the job: here the reassessed
managerial competencies the training targeted) and 4 results (for a service unit: citizen
satisfaction, IKM). This module prepares the ASN tables for the estimators of
:mod:`asn_analysis.effects` and tells the case study the evaluation report tells: the
evaluation of the case unit found a gap in communication and public service, the training
was delivered, interaction with citizens improved and satisfaction rose. Every number comes with
its uncertainty and every function takes the codebook tables, so an evaluator can reproduce it.
The sentences that tell it are in :mod:`asn_analysis.reporting.findings.casestudy`.
The case unit, the roll-out programmes and the self-selected programme are arguments; their
defaults are the bundled data's names (:mod:`asn_analysis.defaults`), and a run takes them
from :class:`asn_analysis.settings.RunSettings`. A name the data does not hold raises
:class:`AbsentFromData`, whose message names what was asked and what exists.

References
----------
.. [1] Kirkpatrick, D. L., & Kirkpatrick, J. D. (2006). Evaluating Training Programs: The Four
       Levels (3rd ed.). Berrett-Koehler.
.. [2] PermenPANRB No. 14 Tahun 2017 (IKM); PermenPANRB No. 38 Tahun 2017 (competency
       standards).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from asn_analysis import defaults
from asn_analysis import effects as ef
from asn_analysis._validation import check_level, check_option, show_values
from asn_analysis.data.periods import (
    PERIOD_KINDS,
    coarsen,
    coarsest_kind,
    period_kind,
    period_number,
    period_of,
    period_start,
    sort_periods,
)
from asn_analysis.effects import EffectEstimate, EffectInputError
from asn_analysis.results import Result
from asn_analysis.satisfaction import ikm
from asn_analysis.stats.intervals import mean_interval, p_two_sided, t_critical

__all__ = [
    "CASE_ELEMENTS",
    "CASE_UNIT_NAME",
    "HIGHER_EDUCATION",
    "ROLLOUT_PROGRAMS",
    "SELECTION_CONFOUNDERS",
    "SELECTION_PROGRAM",
    "AbsentFromData",
    "CaseStudy",
    "Comparison",
    "behaviour_change",
    "case_study",
    "competency_gap",
    "element_gap",
    "ikm_panel",
    "learning_gain",
    "reaction_summary",
    "results_change",
    "rollout_cohorts",
    "selection_program_data",
    "semester",
]

#: The roll-out programmes of the case study and the competency each targets (default: the
#: bundled data's, :data:`asn_analysis.defaults.ROLLOUT_PROGRAMS`).
ROLLOUT_PROGRAMS: dict[str, str] = dict(defaults.ROLLOUT_PROGRAMS)
#: The programme with self-selected participants (selection on observables).
SELECTION_PROGRAM = defaults.SELECTION_PROGRAM
#: The unit of the case study (the bundled data's).
CASE_UNIT_NAME = defaults.CASE_UNIT
#: SKM elements the communication / public-service training should move (Kompetensi and
#: Perilaku Pelaksana).
CASE_ELEMENTS = defaults.CASE_ELEMENTS
#: Education levels counted as higher education (D-IV or above).
HIGHER_EDUCATION = ("D4", "S1", "S2", "S3")

Comparison = Literal["never_trained_units", "untrained"]


class AbsentFromData(EffectInputError):
    """A configured unit, programme or competency is not in the data.

    The message names what was asked and what the data holds, e.g. ``case-study unit 'X' is
    not in units; units are: ...``; a run skips the section it belongs to.
    """


def _absent(what: str, asked: Sequence[str], table: str, found: Sequence[str]) -> AbsentFromData:
    asked_s = ", ".join(repr(a) for a in asked)
    verb = "is" if len(asked) == 1 else "are"
    if len(asked) == 1:  # "roll-out programmes" -> "roll-out programme"
        what = what.removesuffix("s").replace("competencie", "competency")
    found_s = show_values(sorted(found), limit=40) if len(found) else "none"
    return AbsentFromData(f"{what} {asked_s} {verb} not in {table}; {table} has: {found_s}")


# =============================================================================================
# Preparing the tables
# =============================================================================================
def semester(dates: pd.Series) -> pd.Series:
    """Return the survey semester (``"YYYY-S1"`` for January-June, else ``"YYYY-S2"``).

    Parameters
    ----------
    dates : pandas.Series
        Dates (datetime64).

    Returns
    -------
    pandas.Series
        Text periods, as in ``skm_responses.period``.

    Examples
    --------
    >>> semester(pd.Series(pd.to_datetime(["2024-03-04", "2024-09-02"]))).tolist()
    ['2024-S1', '2024-S2']
    """
    return period_of(dates, "semester")


def rollout_cohorts(
    training: pd.DataFrame,
    employees: pd.DataFrame,
    *,
    programs: Sequence[str] = tuple(ROLLOUT_PROGRAMS),
) -> pd.DataFrame:
    """Find each unit's first treated period: the semester its staff first attended the roll-out.

    Parameters
    ----------
    training : pandas.DataFrame
        The ``training`` table (``employee_id``, ``program``, ``start_date``).
    employees : pandas.DataFrame
        The ``employees`` table (``employee_id``, ``unit_id``).
    programs : sequence of str
        Programme names of the roll-out.

    Returns
    -------
    pandas.DataFrame
        One row per unit with participants: ``unit_id``, ``first_treated`` (semester of the
        first class start), ``n_participants`` and ``first_start`` (the date of that start,
        from which :func:`ikm_panel` finds the first treated period of any kind).

    Raises
    ------
    AbsentFromData
        When no training row belongs to ``programs``.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> rollout_cohorts(ds.training, ds.employees).iloc[0, :3].astype(str).tolist()
    ['U01', '2024-S1', '45']
    """
    rows = training[training["program"].isin(list(programs))]
    if rows.empty:
        found = training["program"].dropna().unique()
        raise _absent("roll-out programmes", list(programs), "training", found)
    rows = rows.merge(employees[["employee_id", "unit_id"]], on="employee_id", how="left")
    out = rows.groupby("unit_id").agg(
        start=("start_date", "min"), n_participants=("employee_id", "nunique")
    )
    out["first_treated"] = semester(out["start"])
    out = out.rename(columns={"start": "first_start"}).reset_index()
    out = out[["unit_id", "first_treated", "n_participants", "first_start"]]
    return out.sort_values("unit_id", kind="stable").reset_index(drop=True)


def ikm_panel(skm_responses: pd.DataFrame, *, cohorts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Compute converted IKM and element NRRs per unit and period, with treatment timing.

    Parameters
    ----------
    skm_responses : pandas.DataFrame
        The ``skm_responses`` table.
    cohorts : pandas.DataFrame, optional
        Output of :func:`rollout_cohorts`; units not in it are never treated.

    Returns
    -------
    pandas.DataFrame
        The :func:`asn_analysis.satisfaction.ikm` table by ``unit_id`` and ``period`` plus
        ``first_treated`` (missing for never-treated units), ``treated`` (1 from the first
        treated period on) and ``event_time`` (periods since first treatment).

    Raises
    ------
    EffectInputError
        Cohorts given per a coarser kind of period than the survey's, without ``first_start``.
    asn_analysis.data.periods.PeriodError
        Survey periods of different kinds (the loader pools them to one kind).

    Notes
    -----
    The survey may run per quarter, semester or year. The first treated period is the survey
    period that holds the cohort's first class start (``first_start``), so training dates line
    up with survey periods of any kind; a cohort table without dates is coarsened to the
    survey's kind where it is finer. Event time counts periods of the survey's kind.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> panel = ikm_panel(ds.skm_responses, cohorts=rollout_cohorts(ds.training, ds.employees))
    >>> int(panel["treated"].sum())
    21
    """
    panel = ikm(skm_responses, by=["unit_id", "period"])
    periods = sort_periods(panel["period"])
    t = period_number(panel["period"])
    first = _first_treated(cohorts, coarsest_kind(periods))
    panel["first_treated"] = panel["unit_id"].map(first)
    g = period_number(panel["first_treated"].where(panel["first_treated"].isin(periods)))
    panel["treated"] = (g.notna() & (t >= g)).astype(int)
    panel["event_time"] = (t - g).astype("Int64")
    return panel


def _first_treated(cohorts: pd.DataFrame | None, kind: str | None) -> pd.Series:
    """Each cohort's first treated period in the survey's kind of period (by unit)."""
    if cohorts is None or cohorts.empty or kind is None:
        return pd.Series(dtype=object)
    cohorts = cohorts.set_index("unit_id")
    if "first_start" in cohorts.columns:
        return period_of(cohorts["first_start"], kind)
    first = cohorts["first_treated"]
    kinds = set(period_kind(first).dropna())
    coarser = sorted(k for k in kinds if PERIOD_KINDS.index(k) > PERIOD_KINDS.index(kind))
    if coarser:
        raise EffectInputError(
            f"cohorts give first_treated per {' and '.join(coarser)}, the survey per {kind}: the "
            f"first treated {kind} is unknown; give first_start (the date of the first class) "
            "as rollout_cohorts does"
        )
    return coarsen(first, kind)


def selection_program_data(
    employees: pd.DataFrame,
    assessments: pd.DataFrame,
    training: pd.DataFrame,
    *,
    program: str = SELECTION_PROGRAM,
    reference_year: int = 2024,
    status: Sequence[str] = ("PNS",),
    exclude_job_types: Sequence[str] = ("jpt_pratama",),
    followup_from: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Build the person-level data of a programme with self-selected participants.

    Parameters
    ----------
    employees, assessments, training : pandas.DataFrame
        Codebook tables (``competency_assessments`` as ``assessments``).
    program : str, default :data:`SELECTION_PROGRAM`
        The programme; it targets each participant's own technical competency
        (``teknis_<job_family>``).
    reference_year : int, default 2024
        Year of the programme (age is ``reference_year - birth_year``).
    status : sequence of str, default ("PNS",)
        Employment statuses eligible.
    exclude_job_types : sequence of str, default ("jpt_pratama",)
        Job types not eligible.
    followup_from : date, optional
        Reassessments on or after this date are the outcome; default the day after the
        programme's last class ends.

    Returns
    -------
    pandas.DataFrame
        One row per eligible employee: ``employee_id``, ``unit_id``, ``treated``,
        ``outcome`` (follow-up level of the technical competency, missing when not
        reassessed), ``baseline_level`` (first assessment), ``age``, ``higher_education``,
        ``years_of_service``, ``job_type``.
    """
    emp = employees[
        employees["status"].isin(list(status))
        & ~employees["job_type"].isin(list(exclude_job_types))
    ].copy()
    emp["competency"] = "teknis_" + emp["job_family"].astype(str)
    part = training[training["program"] == program]
    if part.empty:
        found = training["program"].dropna().unique()
        raise _absent("self-selected programme", [program], "training", found)
    cutoff = (
        pd.Timestamp(followup_from)
        if followup_from is not None
        else part["end_date"].max() + pd.Timedelta(days=1)
    )
    a = assessments.merge(emp[["employee_id", "competency"]], on=["employee_id", "competency"])
    a = a.sort_values(["employee_id", "assessed_on"], kind="stable")
    first = a.groupby("employee_id")["level"].first()
    later = a[a["assessed_on"] >= cutoff].groupby("employee_id")["level"].last()
    out = emp[["employee_id", "unit_id", "job_type"]].copy()
    out["treated"] = out["employee_id"].isin(part["employee_id"]).astype(int)
    out["outcome"] = out["employee_id"].map(later).astype("Float64").astype(float)
    out["baseline_level"] = out["employee_id"].map(first).astype("Float64").astype(float)
    out["age"] = (reference_year - emp["birth_year"].astype(float)).to_numpy()
    out["higher_education"] = emp["education"].isin(list(HIGHER_EDUCATION)).astype(int).to_numpy()
    out["years_of_service"] = emp["years_of_service"].astype(float).to_numpy()
    return out.reset_index(drop=True)


#: Confounders of :func:`selection_program_data` for :func:`asn_analysis.effects.att_weighting`.
SELECTION_CONFOUNDERS = (
    "age",
    "higher_education",
    "years_of_service",
    "job_type",
    "baseline_level",
)


# =============================================================================================
# Kirkpatrick levels
# =============================================================================================
def _participants(
    training: pd.DataFrame, programs: Sequence[str] | None, employees: Sequence[str] | None
) -> pd.DataFrame:
    """Training rows of the given programmes (default all) and participants (default all)."""
    rows = training if programs is None else training[training["program"].isin(list(programs))]
    if employees is not None:
        rows = rows[rows["employee_id"].isin(list(employees))]
    return rows


def reaction_summary(
    training: pd.DataFrame,
    *,
    programs: Sequence[str] | None = None,
    employees: Sequence[str] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Summarise Kirkpatrick level 1 (reaction) per programme.

    Parameters
    ----------
    training : pandas.DataFrame
        The ``training`` table (``program``, ``reaction_score`` 1-5).
    programs : sequence of str, optional
        Programmes to include (default all).
    employees : sequence of str, optional
        Restrict to these participants (``employee_id``), e.g. one unit's staff.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Index ``program``: n (ratings), n_missing, mean, sd, se, ci_low, ci_high (t-based,
        ratings treated as independent) and share_4_or_more (rated 4 or 5).

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> table = reaction_summary(load_dataset().training, programs=list(ROLLOUT_PROGRAMS))
    >>> bool(table["mean"].between(3.5, 4.5).all())
    True
    """
    check_level(level)
    rows = _participants(training, programs, employees)
    out = []
    for prog, sub in rows.groupby("program", sort=True):
        score = sub["reaction_score"].to_numpy(dtype=float, na_value=np.nan)
        ok = score[np.isfinite(score)]
        out.append(
            {"program": prog, **mean_interval(ok, level), "n_missing": int(np.isnan(score).sum()),
             "share_4_or_more": float(np.mean(ok >= 4)) if len(ok) else np.nan}
        )  # fmt: skip
    return pd.DataFrame(out).set_index("program")


def learning_gain(
    training: pd.DataFrame,
    *,
    programs: Sequence[str] | None = None,
    employees: Sequence[str] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    r"""Test Kirkpatrick level 2 (learning): paired pre/post-test comparison per programme.

    Parameters
    ----------
    training : pandas.DataFrame
        The ``training`` table (``pre_test``, ``post_test`` 0-100).
    programs : sequence of str, optional
        Programmes to include (default all with tests).
    employees : sequence of str, optional
        Restrict to these participants.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Index ``program``: n_pairs, mean_pre, mean_post, diff, se, ci_low, ci_high, t, pvalue,
        cohens_dz, dz_ci_low, dz_ci_high, n_missing (rows without both tests).

    Notes
    -----
    Paired t-test on :math:`d_i = post_i - pre_i` (same as ``scipy.stats.ttest_rel``);
    :math:`d_z = \bar d / s_d` with the approximate CI
    :math:`d_z \pm z\sqrt{1/n + d_z^2/(2n)}`. A gain shows learning in the test, not on the job
    (that is level 3); without a comparison group it also includes practice effects.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> table = learning_gain(load_dataset().training, programs=list(ROLLOUT_PROGRAMS))
    >>> bool((table["diff"] > 20).all())
    True
    """
    check_level(level)
    rows = _participants(training, programs, employees)
    z = t_critical(level, math.inf)
    out = []
    for prog, sub in rows.groupby("program", sort=True):
        pre = sub["pre_test"].to_numpy(dtype=float, na_value=np.nan)
        post = sub["post_test"].to_numpy(dtype=float, na_value=np.nan)
        ok = np.isfinite(pre) & np.isfinite(post)
        if ok.sum() < 2:
            continue
        d = post[ok] - pre[ok]
        m = mean_interval(d, level)
        t = m["mean"] / m["se"] if m["se"] > 0 else np.nan
        dz = m["mean"] / m["sd"] if m["sd"] > 0 else np.nan
        dz_se = math.sqrt(1 / m["n"] + dz**2 / (2 * m["n"]))
        out.append(
            {
                "program": prog,
                "n_pairs": m["n"],
                "mean_pre": float(pre[ok].mean()),
                "mean_post": float(post[ok].mean()),
                "diff": m["mean"],
                "se": m["se"],
                "ci_low": m["ci_low"],
                "ci_high": m["ci_high"],
                "t": t,
                "pvalue": p_two_sided(t, m["n"] - 1),
                "cohens_dz": dz,
                "dz_ci_low": dz - z * dz_se,
                "dz_ci_high": dz + z * dz_se,
                "n_missing": int((~ok).sum()),
            }
        )
    return pd.DataFrame(out).set_index("program")


def _first_and_followup(
    assessments: pd.DataFrame, competency: str, cutoff: pd.Timestamp
) -> pd.DataFrame:
    a = assessments[assessments["competency"] == competency]
    a = a.sort_values(["employee_id", "assessed_on"], kind="stable")
    first = a.groupby("employee_id").first()
    later = a[a["assessed_on"] >= cutoff].groupby("employee_id").last()
    out = pd.DataFrame(
        {
            "baseline": first["level"].astype("Float64").astype(float),
            "baseline_date": first["assessed_on"],
        }
    )
    out["followup"] = later["level"].astype("Float64").astype(float).reindex(out.index)
    return out


def behaviour_change(
    employees: pd.DataFrame,
    assessments: pd.DataFrame,
    training: pd.DataFrame,
    *,
    programs: dict[str, str] | None = None,
    units: Sequence[str] | None = None,
    comparison: Comparison = "never_trained_units",
    level: float = 0.95,
) -> dict[str, EffectEstimate]:
    r"""Estimate Kirkpatrick level 3 (behaviour): change in the targeted competency levels.

    Parameters
    ----------
    employees, assessments, training : pandas.DataFrame
        Codebook tables (``competency_assessments`` as ``assessments``).
    programs : dict of str to str, optional
        Programme name -> competency it targets (default :data:`ROLLOUT_PROGRAMS`).
    units : sequence of str, optional
        Count as trained only participants of these units (e.g. the case unit); default all.
    comparison : {"never_trained_units", "untrained"}, default "never_trained_units"
        Comparison employees: staff of units none of whose staff attended (no spill-over), or
        every employee who did not attend.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    dict of str to EffectEstimate
        One estimate per competency: the ATT on the follow-up level (reassessment after the
        last class) relative to the baseline assessment.

    Notes
    -----
    Conditional difference-in-differences: the outcome is the change
    :math:`\Delta_i = level^{follow-up}_i - level^{baseline}_i`, compared between trained and
    comparison employees with the same baseline level, by the doubly robust ATT of
    :func:`asn_analysis.effects.att_weighting` (Sant'Anna & Zhao 2020, panel DR-DiD with the
    baseline level as covariate). Conditioning on the baseline level matters because levels are
    bounded 1-5: staff already at 5 cannot rise, and the trained (who start lower) would look
    better under an unconditional DiD. Baseline levels no trained employee has are left out
    (common support, counted in the notes). Assumes parallel trends given the baseline level.
    Standard errors cluster by work unit (the training was assigned by unit).

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> res = behaviour_change(ds.employees, ds.competency_assessments, ds.training)
    >>> bool(0.4 < res["komunikasi"].estimate < 0.9)
    True
    """
    check_level(level)
    check_option("comparison", comparison, Comparison)
    programs = dict(ROLLOUT_PROGRAMS if programs is None else programs)
    info = employees.set_index("employee_id")["unit_id"]
    out: dict[str, EffectEstimate] = {}
    for prog, competency in programs.items():
        part = training[training["program"] == prog]
        if part.empty:
            found = training["program"].dropna().unique()
            raise _absent("roll-out programme", [prog], "training", found)
        cutoff = part["end_date"].max() + pd.Timedelta(days=1)
        data = _first_and_followup(assessments, competency, cutoff)
        data["unit_id"] = info.reindex(data.index).to_numpy()
        attended = data.index.isin(part["employee_id"])
        trained_units = set(info.reindex(part["employee_id"]).dropna().unique())
        treated = attended & (data["unit_id"].isin(list(units)).to_numpy() if units else True)
        if comparison == "never_trained_units":
            control = ~data["unit_id"].isin(trained_units).to_numpy()
        else:
            control = ~attended
        data = data[treated | control].copy()
        data["trained"] = treated[treated | control].astype(int)
        data["change"] = data["followup"] - data["baseline"]
        # Baseline dated before the training: for the trained, before their class started.
        starts = part.groupby("employee_id")["start_date"].min()
        late = data["trained"].eq(1) & (data["baseline_date"] >= data.index.to_series().map(starts))
        data = data[~late & data["change"].notna()]
        support = set(data.loc[data["trained"] == 1, "baseline"].dropna())
        outside = int((~data["baseline"].isin(support) & data["change"].notna()).sum())
        data = data[data["baseline"].isin(support)]
        data["baseline_level"] = data["baseline"].astype(int).astype(str)
        n_units_treated = int(data.loc[data["trained"] == 1, "unit_id"].nunique())
        # One treated unit: its IF terms sum to ~0 within the cluster, so unit clustering
        # would understate the SE; fall back to employees as independent (noted below).
        cluster = "unit_id" if n_units_treated >= 2 else None
        covs = ["baseline_level"] if data["baseline_level"].nunique() > 1 else []
        if covs:
            est = ef.att_weighting(
                data.reset_index(), outcome="change", treatment="trained", covariates=covs,
                method="aipw", cluster=cluster, level=level,
            )  # fmt: skip
        else:
            est = ef.naive_difference(
                data.reset_index(), outcome="change", treatment="trained", cluster=cluster,
                level=level,
            )  # fmt: skip
        notes = [
            f"Kirkpatrick level 3: change in the {competency} level from the baseline "
            f"assessment to the reassessment after {cutoff.date()} (programme {prog!r}); "
            f"trained employees vs {comparison.replace('_', ' ')}; conditional DiD (doubly "
            "robust, baseline level as covariate).",
            *est.notes,
        ]
        if outside:
            notes.append(
                f"{outside} comparison employees with a baseline level no trained employee has "
                "were left out (common support)."
            )
        if n_units_treated == 1:
            notes.append(
                "Trained staff come from one unit: standard errors treat employees as "
                "independent (unit clustering is not possible with one treated cluster), so "
                "shocks shared by the unit's staff are not covered."
            )
        elif n_units_treated < 10:
            notes.append(
                f"Trained staff come from {n_units_treated} units: cluster-robust SEs with so "
                "few treated clusters can be too small."
            )
        out[competency] = EffectEstimate(
            estimate=est.estimate, se=est.se, ci_low=est.ci_low, ci_high=est.ci_high,
            pvalue=est.pvalue, n_obs=est.n_obs, n_treated=est.n_treated,
            n_clusters=est.n_clusters, method=f"DR-DiD ({competency})",
            estimand=f"ATT on {competency} level", level=level, n_excluded=est.n_excluded,
            inference=est.inference, details=est.details, notes=tuple(notes),
        )  # fmt: skip
    return out


def results_change(
    panel: pd.DataFrame,
    *,
    unit_id: str,
    outcomes: Sequence[str] = ("ikm_converted", *(f"nrr_{e}" for e in CASE_ELEMENTS)),
    donors: Sequence[str] | None = None,
    level: float = 0.95,
) -> dict[str, dict[str, EffectEstimate]]:
    """Estimate Kirkpatrick level 4 (results) for one unit: its IKM against comparison units.

    Parameters
    ----------
    panel : pandas.DataFrame
        Output of :func:`ikm_panel`.
    unit_id : str
        The treated unit.
    outcomes : sequence of str
        Columns of ``panel`` (default converted IKM and the NRR of *kompetensi* and
        *perilaku pelaksana*).
    donors : sequence of str, optional
        Comparison units; default the never-treated units (later-treated units are left out:
        their post-periods are affected).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    dict
        ``{outcome: {"did": EffectEstimate, "synthetic_control": EffectEstimate}}``.

    Notes
    -----
    One treated unit: by the one rule of ``inference="auto"``
    (:func:`asn_analysis.stats.inference.headline_method`) the headline interval and p-value of
    the DiD (unit and period fixed effects) and of the synthetic control are placebo-in-space
    permutation ones; the DiD shows CR1 beside it (second row of ``inference``); see
    :func:`asn_analysis.effects.did` and :func:`asn_analysis.effects.synthetic_control`.
    The synthetic control is demeaned and tested on the mean post gap: the case unit starts
    below every donor on the elements the training targets (the gap the evaluation found), so
    its levels lie outside the donors' range, and with four pre-periods placebo fits are
    near-exact, which makes the RMSPE-ratio test powerless.
    """
    check_level(level)
    start = panel.loc[panel["unit_id"] == unit_id, "first_treated"].dropna().unique()
    if len(start) != 1:
        raise EffectInputError(f"unit {unit_id!r} has no first treated period in the panel")
    start = start[0]
    if donors is None:
        donors = sorted(panel.loc[panel["first_treated"].isna(), "unit_id"].unique())
    sample = panel[panel["unit_id"].isin([unit_id, *donors])].copy()
    sample["is_case"] = (sample["unit_id"] == unit_id).astype(int)
    sample["post"] = (period_start(sample["period"]) >= period_start(start)).astype(int)
    out = {}
    for y in outcomes:
        d = ef.did(
            sample, outcome=y, treatment="is_case", post="post", unit="unit_id", time="period",
            level=level,
        )  # fmt: skip
        s = ef.synthetic_control(
            sample, outcome=y, unit="unit_id", time="period", treated_unit=unit_id,
            treatment_start=start, donors=list(donors), demean=True, statistic="mean_gap",
            level=level,
        )  # fmt: skip
        out[y] = {"did": d, "synthetic_control": s}
    return out


def competency_gap(
    employees: pd.DataFrame,
    assessments: pd.DataFrame,
    standards: pd.DataFrame,
    *,
    unit_id: str,
    competencies: Sequence[str] = tuple(ROLLOUT_PROGRAMS.values()),
    level: float = 0.95,
) -> pd.DataFrame:
    """Compare baseline competency levels with the standard: one unit against the others.

    Parameters
    ----------
    employees, assessments, standards : pandas.DataFrame
        Codebook tables (``competency_assessments``, ``competency_standards``).
    unit_id : str
        The unit examined.
    competencies : sequence of str
        Competency keys (default komunikasi and pelayanan_publik).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Index (competency, group ∈ {unit, other units}): n, mean_gap (held minus required level
        at the first assessment), its se and CI, share_below (held below required),
        difference (unit minus other units' mean gap) with its Welch CI on the unit's rows.
    """
    check_level(level)
    a = assessments[assessments["competency"].isin(list(competencies))]
    a = a.sort_values(["employee_id", "assessed_on"], kind="stable")
    first = a.groupby(["employee_id", "competency"], as_index=False).first()
    first = first.merge(employees[["employee_id", "unit_id", "position"]], on="employee_id")
    first = first.merge(
        standards[["position", "competency", "required_level"]], on=["position", "competency"]
    )
    first["gap"] = first["level"].astype(float) - first["required_level"].astype(float)
    rows = []
    for comp, sub in first.groupby("competency", sort=True):
        parts = {
            "unit": sub[sub["unit_id"] == unit_id],
            "other units": sub[sub["unit_id"] != unit_id],
        }
        for label, part in parts.items():
            m = mean_interval(part["gap"].to_numpy(), level)
            rows.append({"competency": comp, "group": label, "n": m["n"], "mean_gap": m["mean"],
                         "se": m["se"], "ci_low": m["ci_low"], "ci_high": m["ci_high"],
                         "share_below": float((part["gap"] < 0).mean())})  # fmt: skip
        welch = stats.ttest_ind(parts["unit"]["gap"], parts["other units"]["gap"], equal_var=False)
        ci = welch.confidence_interval(confidence_level=level)
        diff = parts["unit"]["gap"].mean() - parts["other units"]["gap"].mean()
        rows[-2] |= {"difference": diff, "diff_ci_low": ci.low, "diff_ci_high": ci.high,
                     "diff_pvalue": welch.pvalue}  # fmt: skip
    return pd.DataFrame(rows).set_index(["competency", "group"])


def element_gap(
    panel: pd.DataFrame,
    *,
    unit_id: str,
    elements: Sequence[str] = CASE_ELEMENTS,
    level: float = 0.95,
) -> pd.DataFrame:
    """Compare one unit's pre-treatment SKM element scores (NRR) with the other units'.

    Parameters
    ----------
    panel : pandas.DataFrame
        Output of :func:`ikm_panel`.
    unit_id : str
        The unit.
    elements : sequence of str
        Element keys (default kompetensi and perilaku).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Index element: unit_mean and other_mean (mean NRR over the unit's pre-treatment
        semesters), difference, and a t-based CI and p-value treating the other units' unit
        means as a sample (n - 1 degrees of freedom).
    """
    check_level(level)
    start = panel.loc[panel["unit_id"] == unit_id, "first_treated"].dropna()
    pre = (
        panel[period_start(panel["period"]) < period_start(start.iloc[0])] if len(start) else panel
    )
    rows = []
    for e in elements:
        col = f"nrr_{e}"
        means = pre.groupby("unit_id")[col].mean()
        own, others = means.get(unit_id, np.nan), means.drop(unit_id, errors="ignore")
        n = len(others)
        se = others.std(ddof=1) * math.sqrt(1 + 1 / n)  # prediction interval for a new unit
        t = (own - others.mean()) / se
        tc = t_critical(level, n - 1)
        # An infinite t (the other units' means all equal) has p = 0, as scipy gives.
        pvalue = 0.0 if np.isinf(t) else p_two_sided(t, n - 1)
        rows.append({"element": e, "unit_mean": own, "other_mean": others.mean(),
                     "difference": own - others.mean(), "ci_low": own - others.mean() - tc * se,
                     "ci_high": own - others.mean() + tc * se,
                     "pvalue": pvalue})  # fmt: skip
    return pd.DataFrame(rows).set_index("element")


# =============================================================================================
# The case study
# =============================================================================================
@dataclass(frozen=True, repr=False)
class CaseStudy(Result):
    """The case study of one unit by Kirkpatrick level.

    Attributes
    ----------
    unit_id, unit_name : str
        The case unit.
    first_treated : str
        Survey period (of the SKM's kind: quarter, semester or year) the unit's training started.
    competency_gap : pandas.DataFrame
        The finding of the evaluation: baseline competency gap (:func:`competency_gap`).
    element_gap : pandas.DataFrame
        Pre-training SKM elements of the unit vs others (:func:`element_gap`).
    reaction, learning : pandas.DataFrame
        Levels 1 and 2 for the unit's participants.
    behaviour : dict of str to EffectEstimate
        Level 3 for the unit's participants.
    behaviour_all : dict of str to EffectEstimate
        Level 3 for all roll-out participants (more precise, same programme).
    results : dict
        Level 4 (:func:`results_change`).
    notes : tuple of str
        Caveats.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> case = case_study(load_dataset())
    >>> case.summary().splitlines()[0].split("(")[1]
    'U01), training from 2024-S1'
    >>> sorted(set(case.to_frame()["level"]))
    [3, 4]
    """

    unit_id: str
    unit_name: str
    first_treated: str
    competency_gap: pd.DataFrame
    element_gap: pd.DataFrame
    reaction: pd.DataFrame
    learning: pd.DataFrame
    behaviour: dict[str, EffectEstimate]
    behaviour_all: dict[str, EffectEstimate]
    results: dict[str, dict[str, EffectEstimate]]
    notes: tuple[str, ...] = field(default=())

    def to_frame(self) -> pd.DataFrame:
        """Return every estimate of levels 3 and 4 in one tidy table."""
        rows = []
        for scope, block in (("unit", self.behaviour), ("all participants", self.behaviour_all)):
            for comp, e in block.items():
                rows.append({"level": 3, "measure": comp, "scope": scope} | _row(e))
        for outcome, methods in self.results.items():
            for e in methods.values():
                rows.append({"level": 4, "measure": outcome, "scope": "unit"} | _row(e))
        return pd.DataFrame(rows)

    def heading(self) -> str:
        """Return the case unit and when its training started."""
        return f"Case study: {self.unit_name} ({self.unit_id}), training from {self.first_treated}"

    def tables(self) -> list[pd.DataFrame]:
        """Return the baseline gaps, levels 1 and 2, then levels 3 and 4, each titled."""
        titled = [
            ("Baseline competency gap", self.competency_gap),
            ("Pre-training SKM elements", self.element_gap),
            ("Level 1 reaction", self.reaction),
            ("Level 2 learning", self.learning),
            ("Levels 3 and 4", self.to_frame()),
        ]
        out = []
        for title, table in titled:
            table = table.copy()
            table.columns.name = title
            out.append(table)
        return out


def _row(e: EffectEstimate) -> dict[str, Any]:
    """One row of the levels-3-and-4 table: the headline inference, and the method beside it."""
    return {"method": e.method, "estimate": e.estimate, "se": e.se, "ci_low": e.ci_low,
            "ci_high": e.ci_high, "pvalue": e.pvalue, "n_treated": e.n_treated,
            "inference": e.headline,
            **{k: v for k, v in e.compare_row().items() if k.startswith("beside")}}  # fmt: skip


def case_study(
    dataset: Any,
    *,
    unit_name: str = CASE_UNIT_NAME,
    programs: dict[str, str] | None = None,
    elements: Sequence[str] = CASE_ELEMENTS,
    level: float = 0.95,
) -> CaseStudy:
    """Run the case study end to end on a dataset.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset (:func:`asn_analysis.load_dataset`); any object with the codebook
        tables as attributes works.
    unit_name : str, default :data:`CASE_UNIT_NAME`
        ``units.unit_name`` of the case unit (default the bundled data's).
    programs : dict of str to str, optional
        Roll-out programme -> targeted competency (default :data:`ROLLOUT_PROGRAMS`).
    elements : sequence of str, default :data:`CASE_ELEMENTS`
        SKM element keys compared before the training and estimated at level 4.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    CaseStudy
        All four Kirkpatrick levels plus the baseline gap.

    Raises
    ------
    AbsentFromData
        When the unit, a programme or a targeted competency is not in the data, or the unit
        has no roll-out participants; the message names what was asked and what exists.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> case = case_study(load_dataset())
    >>> case.unit_id, case.first_treated
    ('U01', '2024-S1')
    """
    check_level(level)
    programs = dict(ROLLOUT_PROGRAMS if programs is None else programs)
    units = dataset.units
    match = units.loc[units["unit_name"] == unit_name, "unit_id"]
    if match.empty:
        raise _absent("case-study unit", [unit_name], "units", units["unit_name"].dropna())
    uid = str(match.iloc[0])
    found = set(dataset.training["program"].dropna().unique())
    missing = [p for p in programs if p not in found]
    if missing:
        raise _absent("roll-out programmes", missing, "training", sorted(found))
    held = set(dataset.competency_assessments["competency"].dropna().unique())
    gone = [c for c in programs.values() if c not in held]
    if gone:
        raise _absent("targeted competencies", gone, "competency_assessments", sorted(held))
    cohorts = rollout_cohorts(dataset.training, dataset.employees, programs=list(programs))
    if uid not in set(cohorts["unit_id"].unique()):
        raise AbsentFromData(
            f"case-study unit {unit_name!r} ({uid}) has no participants in the roll-out "
            f"programmes {show_values(list(programs), limit=10)}"
        )
    panel = ikm_panel(dataset.skm_responses, cohorts=cohorts)
    have = [c.removeprefix("nrr_") for c in panel.columns if c.startswith("nrr_")]
    unknown = [e for e in elements if e not in have]
    if unknown:
        raise _absent("SKM elements", unknown, "skm_responses", have)
    staff = dataset.employees.loc[dataset.employees["unit_id"] == uid, "employee_id"]
    # The survey's kind of period (quarter, semester or year), as the panel lines them up.
    in_panel = panel.loc[panel["unit_id"] == uid, "first_treated"].dropna()
    first = str(
        in_panel.iloc[0] if len(in_panel) else cohorts.set_index("unit_id").at[uid, "first_treated"]
    )
    tr = dataset.training
    args = (dataset.employees, dataset.competency_assessments, tr)
    notes = [
        "Levels 1-2 describe the unit's participants without a comparison group; levels 3-4 "
        "compare with units whose staff were not trained.",
        "Level 4 has a single treated unit: p-values come from placebo permutations, the "
        "smallest attainable p-value is 1 / (number of units).",
    ]
    return CaseStudy(
        unit_id=uid,
        unit_name=unit_name,
        first_treated=first,
        competency_gap=competency_gap(
            dataset.employees,
            dataset.competency_assessments,
            dataset.competency_standards,
            unit_id=uid,
            competencies=list(programs.values()),
            level=level,
        ),  # fmt: skip
        element_gap=element_gap(panel, unit_id=uid, elements=elements, level=level),
        reaction=reaction_summary(tr, programs=list(programs), employees=staff, level=level),
        learning=learning_gain(tr, programs=list(programs), employees=staff, level=level),
        behaviour=behaviour_change(*args, programs=programs, units=[uid], level=level),
        behaviour_all=behaviour_change(*args, programs=programs, level=level),
        results=results_change(
            panel,
            unit_id=uid,
            outcomes=("ikm_converted", *(f"nrr_{e}" for e in elements)),
            level=level,
        ),
        notes=tuple(notes),
    )
