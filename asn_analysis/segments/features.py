"""The ASN feature builders of the segments: one row per employee or per unit, in the data's units.

A regency's personnel planner asks which groups of employees need the same thing (managerial
training, technical training or reassignment, coaching, a place in the talent pool) and which
units look alike. :func:`employee_features` and :func:`unit_features` build the tables the
segments are formed on from a loaded dataset (competency gaps against the position's standard,
PermenPANRB No. 38 Tahun 2017; Job Person Match; resistance to evaluation; performance predikat;
IKM, PermenPANRB No. 14 Tahun 2017; training coverage); :func:`feature_label` names each feature
in Bahasa Indonesia or English. The clustering itself is :func:`asn_analysis.segments.segment`.

Examples
--------
>>> feature_label("gap_teknis"), feature_label("gap_teknis", lang="en")
('kompetensi teknis', 'technical competency')
>>> EMPLOYEE_FEATURES[-3:]
('jpm', 'resistance', 'predikat_rank')
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, Literal, TypeAlias

import pandas as pd

from asn_analysis._validation import Lang, check_lang, check_option
from asn_analysis.competency import job_person_match
from asn_analysis.data import Dataset
from asn_analysis.data.periods import coarsen, period_start, sort_periods
from asn_analysis.data.schema import MANAGERIAL_COMPETENCIES, PREDIKAT, SOCIOCULTURAL_COMPETENCIES
from asn_analysis.resistance import scale_scores
from asn_analysis.satisfaction import ikm
from asn_analysis.scales import ItemMap
from asn_analysis.segments.engine import SegmentInputError

__all__ = [
    "EMPLOYEE_FEATURES",
    "FEATURE_LABELS",
    "GAP_FEATURES",
    "MANAGERIAL_GROUP",
    "UNIT_FEATURES",
    "IkmOver",
    "employee_features",
    "feature_label",
    "unit_features",
]

IkmOver: TypeAlias = Literal["latest_year", "mean"]

_NON_TECHNICAL = (*MANAGERIAL_COMPETENCIES, *SOCIOCULTURAL_COMPETENCIES)
#: The nine competency gap columns (eight managerial, one socio-cultural competency).
GAP_FEATURES: tuple[str, ...] = tuple(f"gap_{c}" for c in _NON_TECHNICAL)
#: The twelve features the employee segments are formed on (see :func:`employee_features`).
EMPLOYEE_FEATURES: tuple[str, ...] = (*GAP_FEATURES, "jpm", "resistance", "predikat_rank")
#: The features of the unit typology (see :func:`unit_features`).
UNIT_FEATURES: tuple[str, ...] = ("ikm", "mismatch_share", "training_coverage", "resistance")
#: The group key of the :data:`GAP_FEATURES` when segments are labelled by feature group.
MANAGERIAL_GROUP = "managerial_competency"

#: Display names (Bahasa Indonesia, English) of the features built here and of feature groups.
FEATURE_LABELS: Mapping[str, tuple[str, str]] = {
    "gap_integritas": ("integritas", "integrity"),
    "gap_kerjasama": ("kerja sama", "teamwork"),
    "gap_komunikasi": ("komunikasi", "communication"),
    "gap_orientasi_pada_hasil": ("orientasi pada hasil", "results orientation"),
    "gap_pelayanan_publik": ("pelayanan publik", "public service"),
    "gap_pengembangan_diri_dan_orang_lain": (
        "pengembangan diri dan orang lain",
        "developing self and others",
    ),
    "gap_mengelola_perubahan": ("mengelola perubahan", "managing change"),
    "gap_pengambilan_keputusan": ("pengambilan keputusan", "decision making"),
    "gap_perekat_bangsa": ("perekat bangsa", "national cohesion"),
    MANAGERIAL_GROUP: ("kompetensi manajerial", "managerial competency"),
    "gap_teknis": ("kompetensi teknis", "technical competency"),
    "jpm": ("kesesuaian (JPM)", "fit (JPM)"),
    "resistance": ("resistensi", "resistance"),
    "predikat_rank": ("kinerja", "performance"),
    "ikm": ("kepuasan masyarakat (IKM)", "citizen satisfaction (IKM)"),
    "mismatch_share": ("ketidaksesuaian jabatan", "job mismatch"),
    "training_coverage": ("cakupan pelatihan", "training coverage"),
    "staff": ("jumlah pegawai", "staff"),
}


def feature_label(
    key: Hashable,
    *,
    lang: Lang = "id",
    names: Mapping[Hashable, str | Mapping[str, str]] | None = None,
) -> str:
    """Return the display name of a feature (or feature group) in Bahasa Indonesia or English.

    Parameters
    ----------
    key : hashable
        Column name or group key (e.g. ``"jpm"``, ``"managerial_competency"``).
    lang : {"id", "en"}, default "id"
        Language.
    names : mapping, optional
        Display names that take precedence: a string, or ``{"id": ..., "en": ...}``.

    Returns
    -------
    str
        From `names`, else :data:`FEATURE_LABELS`, else ``str(key)``.

    Raises
    ------
    OptionError
        `lang` is not ``"id"`` or ``"en"``.

    Examples
    --------
    >>> feature_label("predikat_rank", lang="en"), feature_label("jpm")
    ('performance', 'kesesuaian (JPM)')
    """
    check_lang(lang)
    if names is not None and key in names:
        value = names[key]
        if isinstance(value, Mapping):
            return str(value.get(lang, next(iter(value.values()))))
        return str(value)
    if key in FEATURE_LABELS:
        return FEATURE_LABELS[key][0 if lang == "id" else 1]  # type: ignore[index]
    return str(key)


# --------------------------------------------------------------------------------------------
# Feature builders
# --------------------------------------------------------------------------------------------


def _as_timestamp(as_of: Any) -> pd.Timestamp | None:
    if as_of is None:
        return None
    try:
        return pd.Timestamp(as_of)
    except (TypeError, ValueError) as exc:
        raise SegmentInputError(f"as_of must be a date, not {as_of!r}") from exc


def _baseline_assessments(dataset: Dataset, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Earliest assessment per employee and competency (on or before `as_of`)."""
    a = dataset.competency_assessments
    if as_of is not None:
        a = a[a["assessed_on"] <= as_of]
    first = a.groupby(["employee_id", "competency"])["assessed_on"].transform("min")
    return a[a["assessed_on"] == first]


def _baseline(dataset: Dataset, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Baseline assessments with the required level of the employee's position."""
    base = _baseline_assessments(dataset, as_of)[["employee_id", "competency", "level"]]
    base = base.merge(dataset.employees[["employee_id", "position"]], on="employee_id")
    base = base.merge(
        dataset.competency_standards[["position", "competency", "group", "required_level"]],
        on=["position", "competency"],
        how="inner",
    )
    base["level"] = base["level"].astype("float64")
    base["required_level"] = base["required_level"].astype("float64")
    base["gap"] = base["level"] - base["required_level"]
    return base


def _jpm_values(jpm: Any) -> pd.Series:
    if isinstance(jpm, pd.DataFrame):
        if "jpm_pct" not in jpm.columns:
            raise SegmentInputError("jpm DataFrame needs a 'jpm_pct' column")
        frame = jpm.set_index("employee_id") if "employee_id" in jpm.columns else jpm
        jpm = frame["jpm_pct"]
    if not isinstance(jpm, pd.Series):
        raise SegmentInputError(
            f"jpm must be a Series (or DataFrame with jpm_pct) indexed by employee_id, "
            f"not {type(jpm).__name__}"
        )
    if not pd.api.types.is_numeric_dtype(jpm):
        raise SegmentInputError(f"jpm must be numeric, not {jpm.dtype}")
    if not jpm.index.is_unique:
        raise SegmentInputError("jpm has duplicated employee_id values")
    return jpm.astype("float64")


def _resistance(dataset: Dataset, wave: str | None, as_of: pd.Timestamp | None) -> pd.Series:
    survey = dataset.staff_survey
    waves = sort_periods(survey["period"])
    if as_of is not None:
        waves = [w for w in waves if period_start(w) <= as_of]
    if wave is None:
        if not waves:
            return pd.Series(dtype="float64", name="resistance")
        wave = waves[0]
    elif wave not in waves:
        raise SegmentInputError(f"wave {wave!r} is not a staff-survey period; periods: {waves}")
    rows = survey[survey["period"] == wave]
    scores = scale_scores(rows, ItemMap.from_frame(dataset.survey_items), dataset.employees)
    return scores.set_index("employee_id")["resistance"].astype("float64")


def employee_features(
    dataset: Dataset,
    *,
    jpm: pd.Series | pd.DataFrame | None = None,
    as_of: str | pd.Timestamp | None = None,
    wave: str | None = None,
) -> pd.DataFrame:
    """Build the per-employee features of the employee segments.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    jpm : pandas.Series or DataFrame, optional
        Job Person Match (%) per employee_id to use instead of the default (a Series indexed by
        employee_id, or a frame with ``jpm_pct`` such as the output of
        :func:`asn_analysis.competency.job_person_match` with other options). ``None``
        computes the baseline JPM (Notes).
    as_of : date, optional
        Use only assessments on or before this date, predikat of years up to its year and
        survey waves started by then. ``None`` uses everything.
    wave : str, optional
        Staff-survey wave of the resistance score (e.g. ``"2023-S2"``); default the first.

    Returns
    -------
    pandas.DataFrame
        Indexed by employee_id (every employee, in the order of ``dataset.employees``):
        ``gap_<competency>`` for the eight managerial and the socio-cultural competency
        (baseline level held minus level required by the employee's position), ``jpm``
        (0-100), ``resistance`` (scale score in the wave), ``predikat_rank`` (mean over years
        of the predikat coded 0 sangat_kurang ... 4 sangat_baik) and ``gap_teknis`` (baseline
        gap of the position's technical competency; not in :data:`EMPLOYEE_FEATURES`, useful as
        ``extra``). Missing where the data is missing (e.g. PPPK staff not in the first survey
        wave); ``attrs`` records ``wave``, ``jpm_source`` and ``jpm_excluded`` (employees
        whose JPM could not be computed, from ``job_person_match``).

    Raises
    ------
    SegmentInputError
        An invalid `as_of`, `wave` or `jpm`.

    Notes
    -----
    The baseline is each employee's earliest assessment of each competency; required levels
    come from ``competency_standards`` for the employee's position (PermenPANRB No. 38 Tahun
    2017). A competency the standard does not list gives a missing gap.

    JPM (``jpm=None``) is :func:`asn_analysis.competency.job_person_match` (scheme
    "pemetaan", cap "total": sum of levels held / sum required x 100, capped at 100) on the
    baseline assessments only, so it is the JPM at baseline, like the gaps. Employees it cannot
    score (e.g. assessed on only part of their standard) get a missing JPM and are listed in
    ``attrs["jpm_excluded"]``.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> feats = employee_features(load_dataset())
    >>> list(feats.columns[-4:])
    ['jpm', 'resistance', 'predikat_rank', 'gap_teknis']
    """
    ts = _as_timestamp(as_of)
    base = _baseline(dataset, ts)
    ids = pd.Index(dataset.employees["employee_id"], name="employee_id")
    nontech = base[base["competency"].isin(_NON_TECHNICAL)]
    gaps = nontech.pivot(index="employee_id", columns="competency", values="gap")
    gaps = gaps.reindex(index=ids, columns=list(_NON_TECHNICAL))
    gaps.columns = list(GAP_FEATURES)
    out = gaps.astype("float64")
    excluded = pd.DataFrame()
    if jpm is None:
        scored = job_person_match(
            _baseline_assessments(dataset, ts),
            dataset.competency_standards,
            dataset.employees,
            scheme="pemetaan",
            cap="total",
            on_problem="exclude",
        )
        out["jpm"] = scored.set_index("employee_id")["jpm_pct"].astype("float64").reindex(ids)
        excluded = scored.attrs.get("excluded", excluded)
        source = "job_person_match (baseline assessments, scheme='pemetaan', cap='total')"
    else:
        values = _jpm_values(jpm)
        if not values.index.isin(ids).any():
            raise SegmentInputError("jpm shares no employee_id with dataset.employees")
        out["jpm"] = values.reindex(ids)
        source = "given"
    out["resistance"] = _resistance(dataset, wave, ts).reindex(ids)
    perf = dataset.performance
    if ts is not None:
        perf = perf[perf["year"] <= ts.year]
    rank = perf["predikat"].map({p: i for i, p in enumerate(PREDIKAT)}).astype("float64")
    out["predikat_rank"] = rank.groupby(perf["employee_id"]).mean().reindex(ids)
    tech = base[base["group"] == "teknis"].groupby("employee_id")["gap"].mean()
    out["gap_teknis"] = tech.reindex(ids)
    out.attrs["jpm_source"] = source
    out.attrs["jpm_excluded"] = excluded
    out.attrs["wave"] = wave if wave is not None else _first_wave(dataset, ts)
    return out


def _first_wave(dataset: Dataset, as_of: pd.Timestamp | None) -> str | None:
    waves = sort_periods(dataset.staff_survey["period"])
    if as_of is not None:
        waves = [w for w in waves if period_start(w) <= as_of]
    return waves[0] if waves else None


def unit_features(
    dataset: Dataset,
    *,
    ikm_over: IkmOver = "latest_year",
    training_year: int | None = None,
    wave: str | None = None,
) -> pd.DataFrame:
    """Build the per-unit features of the unit typology.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    ikm_over : {"latest_year", "mean"}, default "latest_year"
        IKM of the responses of the latest survey year pooled, or the mean of the unit's
        per-semester IKM values over all periods.
    training_year : int, optional
        Year of the training coverage; default the latest year with training.
    wave : str, optional
        Staff-survey wave of the resistance score; default the first.

    Returns
    -------
    pandas.DataFrame
        Indexed by unit_id (every unit): ``ikm`` (converted, 25-100, PermenPANRB 14/2017, via
        :func:`asn_analysis.satisfaction.ikm`), ``mismatch_share`` (share of staff with a
        baseline technical competency below the position's requirement), ``training_coverage``
        (share of staff in service that year who started at least one programme, as
        :func:`asn_analysis.overview.training_coverage` per unit), ``resistance`` (mean score of
        the unit's respondents in the wave) and ``staff`` (employees). ``attrs`` records the
        choices.

    Raises
    ------
    SegmentInputError
        A wave that is not in the staff survey.
    OptionError
        An invalid `ikm_over`.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> units = unit_features(load_dataset())
    >>> list(units.columns)
    ['ikm', 'mismatch_share', 'training_coverage', 'resistance', 'staff']
    """
    check_option("ikm_over", ikm_over, IkmOver)
    ids = pd.Index(dataset.units["unit_id"], name="unit_id")
    skm = dataset.skm_responses
    if ikm_over == "latest_year":
        # Each distinct period coarsened once (a regular expression per response is slow).
        periods = skm["period"].drop_duplicates()
        year = coarsen(periods, "year")
        latest = year.max()
        table = ikm(skm[skm["period"].isin(periods[year == latest])], by="unit_id", on_empty="nan")
        ikm_value = table.set_index("unit_id")["ikm_converted"]
        ikm_note = f"latest year {latest}"
    else:
        table = ikm(skm, by=["unit_id", "period"], on_empty="nan")
        ikm_value = table.groupby("unit_id")["ikm_converted"].mean()
        ikm_note = "mean over periods"
    emp = dataset.employees[["employee_id", "unit_id", "appointment_year"]]
    base = _baseline(dataset, None)
    tech = base[base["group"] == "teknis"].groupby("employee_id")["gap"].min()
    below = (tech < 0).rename("below").reset_index().merge(emp, on="employee_id")
    mismatch = below.groupby("unit_id")["below"].mean()
    tr = dataset.training
    years = tr["start_date"].dt.year
    if training_year is None:
        training_year = int(years.max()) if len(tr) else None
    if training_year is not None:
        trained = set(tr.loc[years == training_year, "employee_id"])
        active = emp[emp["appointment_year"] <= training_year]
        coverage = active["employee_id"].isin(trained).groupby(active["unit_id"]).mean()
    else:
        coverage = pd.Series(dtype="float64")
    res = _resistance(dataset, wave, None)
    res_unit = res.groupby(emp.set_index("employee_id")["unit_id"].reindex(res.index)).mean()
    out = pd.DataFrame(
        {
            "ikm": ikm_value.reindex(ids).astype("float64"),
            "mismatch_share": mismatch.reindex(ids).astype("float64"),
            "training_coverage": coverage.reindex(ids).astype("float64"),
            "resistance": res_unit.reindex(ids).astype("float64"),
            "staff": emp.groupby("unit_id").size().reindex(ids, fill_value=0).astype("int64"),
        },
        index=ids,
    )
    out.attrs.update(
        ikm=ikm_note,
        training_year=training_year,
        wave=wave if wave is not None else _first_wave(dataset, None),
    )
    return out
