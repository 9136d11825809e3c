"""The numbers behind the brief: each domain's results computed once, independent of language.

:func:`summarize_satisfaction` and :func:`summarize_resistance` gather the tables notebook 03
and the brief report; :func:`collect` runs every analysis the brief and the workbook report.
The findings sentences (:mod:`asn_analysis.reporting.findings`) and the export
(:mod:`asn_analysis.reporting.export`) read these objects and compute nothing of their own, so
the numbers a planner reads are the numbers the analysis computed.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace

import pandas as pd

from asn_analysis._validation import check_option
from asn_analysis.cache import RunCache
from asn_analysis.data import Dataset
from asn_analysis.data.periods import (
    PERIOD_KINDS,
    coarsen,
    coarsest_kind,
    period_kind,
    sort_periods,
)
from asn_analysis.data.values import parse_periods
from asn_analysis.errors import AsnAnalysisError, OptionError
from asn_analysis.reporting.coverage import Coverage, coverage
from asn_analysis.resistance import DriversResult
from asn_analysis.settings import RunSettings

__all__ = [
    "ResistanceSummary",
    "Results",
    "SatisfactionSummary",
    "collect",
    "summarize_resistance",
    "summarize_satisfaction",
]


@dataclass(frozen=True)
class SatisfactionSummary:
    """The IKM results a notebook and the brief report (see :func:`summarize_satisfaction`).

    Attributes
    ----------
    period : str
        The reference period (latest by default).
    regency : pandas.DataFrame
        IKM of all units together per period, with bootstrap CI.
    units : pandas.DataFrame
        IKM per unit and period, with unit_name and bootstrap CI.
    adequacy : pandas.DataFrame
        Respondents against the Krejcie-Morgan requirement per unit and period.
    weakest : pandas.DataFrame
        The three lowest elements per unit in the reference period.
    change : pandas.DataFrame
        Change of every element and of the converted IKM, all units together, between the
        first and the reference period (Welch tests).
    first_period : str
        The first period (base of ``change``).
    """

    period: str
    first_period: str
    regency: pd.DataFrame
    units: pd.DataFrame
    adequacy: pd.DataFrame
    weakest: pd.DataFrame
    change: pd.DataFrame


def summarize_satisfaction(
    dataset: Dataset,
    *,
    period: str | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> SatisfactionSummary:
    """Compute the IKM tables behind notebook 03 and the brief (PermenPANRB 14/2017).

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    period : str, optional
        Reference period; default the latest in ``skm_responses``. Written as people write it
        (``Semester II 2025``, ``TW4 2025``); a period finer than the survey's (a quarter when
        the survey runs per semester) means the survey period that holds it.
    n_boot : int, default 1000
        Bootstrap replicates of the IKM confidence intervals.
    seed : int, default 0
        Seed of the bootstrap.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    SatisfactionSummary
        The tables; see its attributes.

    Raises
    ------
    asn_analysis.errors.OptionError
        ``period`` is not a period of ``skm_responses``.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> sat = summarize_satisfaction(load_dataset(), n_boot=20)
    >>> sat.first_period, sat.period
    ('2022-S1', '2025-S2')
    """
    from asn_analysis import satisfaction as sat

    skm = dataset.skm_responses
    periods = sort_periods(skm["period"])
    period = _survey_period(period, periods) if period else periods[-1]
    check_option("period", period, tuple(periods))
    names = dataset.units.set_index("unit_id")["unit_name"]
    kw = {"n_boot": n_boot, "seed": seed, "level": level}
    units = sat.ikm_ci(skm, by=["unit_id", "period"], **kw)
    units.insert(1, "unit_name", units["unit_id"].map(names))
    regency = sat.ikm_ci(skm, by="period", **kw)
    adequacy = sat.sample_adequacy(skm, dataset.units)
    adequacy.insert(1, "unit_name", adequacy["unit_id"].map(names))
    weakest = sat.weakest_elements(skm[skm["period"] == period], by="unit_id", n=3)
    weakest.insert(1, "unit_name", weakest["unit_id"].map(names))
    change = sat.element_change(skm, before=periods[0], after=period, by=None, level=level)
    return SatisfactionSummary(period, periods[0], regency, units, adequacy, weakest, change)


def _survey_period(asked: str, periods: list[str]) -> str:
    """Return the survey period meant by `asked`: spelling normalised, coarsened to the survey."""
    normal = parse_periods(pd.Series([asked])).iloc[0]
    kind = coarsest_kind(periods)
    if pd.isna(normal) or kind is None:
        return asked
    if PERIOD_KINDS.index(period_kind(pd.Series([normal])).iloc[0]) < PERIOD_KINDS.index(kind):
        return str(coarsen(pd.Series([normal]), kind).iloc[0])
    return str(normal)


@dataclass(frozen=True)
class ResistanceSummary:
    """The staff-survey results behind notebook 03 and the brief.

    Attributes
    ----------
    scores : pandas.DataFrame
        Scale scores per employee and wave.
    reliability : pandas.DataFrame
        Alpha (with CI) and omega per scale.
    drivers : asn_analysis.resistance.DriversResult
        The drivers model.
    by_job_type, by_unit : pandas.DataFrame
        Mean resistance per group and wave with CI; groups under 5 suppressed.
    change : pandas.DataFrame
        Paired change between the first and last wave.
    waves : tuple of str
        First and last wave.
    """

    scores: pd.DataFrame
    reliability: pd.DataFrame
    drivers: DriversResult
    by_job_type: pd.DataFrame
    by_unit: pd.DataFrame
    change: pd.DataFrame
    waves: tuple[str, str]


def summarize_resistance(dataset: Dataset, *, level: float = 0.95) -> ResistanceSummary:
    """Compute the staff-survey tables behind notebook 03 and the brief.

    Reliability is Cronbach's alpha and McDonald's omega; the drivers model is OLS with standard
    errors clustered by unit (see :func:`asn_analysis.resistance.drivers`).

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    ResistanceSummary
        Scores, reliability, drivers, group summaries and change between waves.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> summarize_resistance(load_dataset()).waves
    ('2023-S2', '2025-S1')
    """
    from asn_analysis import resistance as res
    from asn_analysis.scales import InsufficientAnswersWarning, ItemMap, scale_reliability

    item_map = ItemMap.from_frame(dataset.survey_items)
    with warnings.catch_warnings():
        # The count of unscorable answers is kept in scores.attrs and reported.
        warnings.simplefilter("ignore", InsufficientAnswersWarning)
        scores = res.scale_scores(dataset.staff_survey, item_map, dataset.employees)
    reliability = scale_reliability(dataset.staff_survey, item_map, level=level)
    waves = sort_periods(scores["period"])
    by_job = res.summarize_by(scores, by=["job_type", "period"], level=level)
    by_unit = res.summarize_by(scores, by=["unit_id", "period"], level=level)
    names = dataset.units.set_index("unit_id")["unit_name"]
    by_unit.insert(1, "unit_name", by_unit["unit_id"].map(names))
    change = res.wave_change(scores, before=waves[0], after=waves[-1], level=level)
    return ResistanceSummary(
        scores=scores,
        reliability=reliability,
        drivers=res.drivers(scores, level=level),
        by_job_type=by_job,
        by_unit=by_unit,
        change=change,
        waves=(waves[0], waves[-1]),
    )


@dataclass(frozen=True)
class Results:
    """Every analysis the brief reports, computed once, independent of language.

    Build it with :func:`collect`. Attributes hold the results of the domain modules:
    ``competency`` (dict of JPM, gaps, unit gaps, mismatches, fit effects, training needs),
    ``effects`` (dict of roll-out estimates by estimator; empty when skipped), ``case`` (the
    case study; None when skipped) and ``segments`` (employee segments). An analysis the data
    does not support (:mod:`asn_analysis.reporting.coverage`) is None
    (``competency["fit_effects"]`` too); ``coverage`` says which and why. ``settings`` are the
    run's settings; ``skipped`` maps a skipped part ("rollout", "case") to the reason: a
    configured unit or programme the data does not hold, naming what exists. ``failed`` maps
    an analysis key (:data:`~asn_analysis.reporting.coverage.ANALYSES`) to the reason its
    estimator gave for refusing the data (too few clusters, no untreated unit ...); that part
    is None and the brief lists it under "not analysed".
    """

    dataset: Dataset
    satisfaction: SatisfactionSummary | None
    resistance: ResistanceSummary | None
    competency: dict | None
    effects: dict | None
    case: object
    segments: object
    seed: int
    coverage: Coverage | None = None
    settings: RunSettings = field(default_factory=RunSettings)
    skipped: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def _attempt(key: str, failed: dict[str, str], compute, *args, **kwargs):
    """Run one analysis; when the data cannot support it, record why and return None.

    An estimator refuses data it cannot use with an :class:`~asn_analysis.errors.AsnAnalysisError`
    (one cluster, no unit left untreated, too few people): that is a finding about the data, not
    a failure of the run, so it is reported in the brief's "not analysed" part. A wrong option
    (:class:`~asn_analysis.errors.OptionError`) is a mistake of the caller and is raised.
    """
    try:
        return compute(*args, **kwargs)
    except OptionError:
        raise
    except AsnAnalysisError as exc:
        failed[key] = " ".join(str(exc).split())
        return None


def collect(
    dataset: Dataset,
    *,
    settings: RunSettings | None = None,
    seed: int | None = None,
    n_boot: int | None = None,
    k_segments: int | None = None,
    cache: RunCache | None = None,
) -> Results:
    """Run the analyses the brief and the workbook report, with the notebooks' settings.

    Each analysis is the notebook's own call, with the same arguments (notebook 02's cost of
    misfit, notebook 04's roll-out with ``n_boot_wild`` draws, notebook 06's segments with
    ``n_boot_stability`` resamples and ``gap_teknis`` profiled), so the export and the
    notebooks report the same numbers; within a run they are computed once and read back
    from the run's cache (:mod:`asn_analysis.cache`).

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    settings : RunSettings, optional
        The run's settings (:func:`asn_analysis.settings.load_settings`); default the bundled
        data's. The notebooks read the same ones, so both report the same numbers.
    seed : int, optional
        Seed of every resampling step; overrides ``settings.seed``.
    n_boot : int, optional
        Bootstrap replicates of the IKM intervals (as notebook 03); overrides
        ``settings.n_boot``. The roll-out's wild cluster bootstrap uses
        ``settings.n_boot_wild`` and segment stability ``settings.n_boot_stability``, as
        notebooks 04 and 06 do.
    k_segments : int, optional
        Number of employee segments (0 = chosen by silhouette); overrides ``settings.k``.
    cache : asn_analysis.cache.RunCache, optional
        The run's cache: results the notebooks computed are read back, not recomputed.
        Default: none (everything is computed).

    Returns
    -------
    Results
        The summaries. Competency fit uses each employee's latest assessment on or before
        ``settings.as_of``, as notebook 02 does. Only the analyses the dataset's tables support
        are computed; the others are None. A configured case unit or roll-out programme the
        data lacks skips that part (``Results.skipped``), never raises.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> results = collect(load_dataset(), n_boot=20)  # doctest: +SKIP
    >>> sorted(results.effects)  # doctest: +SKIP
    ['before_after', 'staggered', 'twfe']
    """
    from asn_analysis import casestudy, competency, effects, segments

    cache = cache or RunCache(None)
    cs, cp = cache.module(casestudy), cache.module(competency)
    ef, cl = cache.module(effects), cache.module(segments)
    given = {"seed": seed, "n_boot": n_boot, "k": k_segments}
    settings = replace(
        settings or RunSettings(), **{k: v for k, v in given.items() if v is not None}
    )
    seed, n_boot, k_segments = settings.seed, settings.n_boot, settings.k
    cov = coverage(dataset.tables_present)
    competency = effects = case = segments = cohorts = None
    skipped: dict[str, str] = {}
    failed: dict[str, str] = {}
    programs = settings.rollout_programs
    # In the reverse order of the notebooks that compute the same results (06 segments, 05 the
    # case study, 04 the roll-out, 03 satisfaction and resistance, 02 competency fit): in a run
    # the export works beside the notebooks, and each result is computed by whichever asks
    # first (the others wait for it), so starting from the end keeps them from waiting.
    if cov.supports("segments"):
        feats = cl.employee_features(dataset)
        segments = _attempt(
            "segments",
            failed,
            cl.segment,
            feats,
            features=cl.EMPLOYEE_FEATURES,
            k=k_segments or None,
            extra=["gap_teknis"],
            n_boot=settings.n_boot_stability,
            seed=seed,
        )
    if cov.supports("case"):

        def case_part():
            try:
                return cs.case_study(
                    dataset,
                    unit_name=settings.case_unit,
                    programs=programs,
                    elements=list(settings.case_elements),
                )
            except cs.AbsentFromData as exc:  # a configured name the data lacks: skipped
                skipped["case"] = str(exc)
                return None

        case = _attempt("case", failed, case_part)
    if cov.supports("effects"):
        effects = {}
        try:
            cohorts = cs.rollout_cohorts(
                dataset.training, dataset.employees, programs=list(programs)
            )
        except cs.AbsentFromData as exc:
            skipped["rollout"] = str(exc)
    if effects is not None and cohorts is not None:

        def rollout():
            panel = cs.ikm_panel(dataset.skm_responses, cohorts=cohorts)
            kw = {"outcome": "ikm_converted", "unit": "unit_id", "time": "period"}
            return {
                "before_after": ef.before_after(panel, first_treated="first_treated", **kw),
                "twfe": ef.twfe(
                    panel, treatment="treated", n_boot=settings.n_boot_wild, seed=seed, **kw
                ),
                "staggered": ef.staggered_did(panel, first_treated="first_treated", **kw),
            }

        effects = _attempt("effects", failed, rollout) or {}
    sat = res = None
    if cov.supports("satisfaction"):
        sat = _attempt(
            "satisfaction",
            failed,
            cache.cached(summarize_satisfaction),
            dataset,
            period=settings.period or None,
            n_boot=n_boot,
            seed=seed,
        )
    if cov.supports("resistance"):
        res = _attempt("resistance", failed, cache.cached(summarize_resistance), dataset)
    if cov.supports("competency"):
        args = (dataset.competency_assessments, dataset.competency_standards, dataset.employees)
        jpm = cp.job_person_match(*args, scheme=settings.scheme, as_of=settings.as_of)
        gaps = cp.competency_gaps(*args, as_of=settings.as_of)
        mis = cp.mismatches(gaps, dataset.employees)
        fit = None
        if cov.supports("fit_effects"):
            fit = _attempt(
                "fit_effects",
                failed,
                cp.fit_effects,
                jpm,
                mis,
                dataset.performance,
                dataset.skm_responses,
                seed=seed,
            )
        competency = {
            "jpm": jpm,
            "gaps": gaps,
            "unit_gaps": cp.unit_gaps(gaps, dataset.employees),
            "mismatches": mis,
            "fit_effects": fit,
            "needs": cp.training_needs(gaps, dataset.employees),
        }
    return Results(
        dataset=dataset,
        satisfaction=sat,
        resistance=res,
        competency=competency,
        effects=effects,
        case=case,
        segments=segments,
        seed=seed,
        coverage=cov,
        settings=settings,
        skipped=skipped,
        failed=failed,
    )
