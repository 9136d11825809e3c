"""Plain-language findings in Bahasa Indonesia and English, built from library results.

Notebooks and exports take their sentences from here, so the numbers a planner reads are the
numbers the analysis computed. Every sentence that reports an estimate states its uncertainty.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from asn_analysis import overview as ov
from asn_analysis.data import Dataset
from asn_analysis.resistance import DriversResult
from asn_analysis.text import count as _count
from asn_analysis.text import number
from asn_analysis.text import percent as _pct

Lang = Literal["id", "en"]


def _check_lang(lang: str) -> None:
    if lang not in ("id", "en"):
        raise ValueError(f"lang must be 'id' or 'en', not {lang!r}")


def _num(value: float, lang: Lang, digits: int = 1) -> str:
    return number(value, lang, digits)


def overview_findings(dataset: Dataset, *, lang: Lang = "id") -> list[str]:
    """Describe what the data holds, in plain language (notebook 01).

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of str
        One sentence per finding.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> overview_findings(load_dataset(), lang="en")[0].startswith("The data holds")
    True
    """
    _check_lang(lang)
    jobs = ov.staff_by_job_type(dataset)
    n = int(jobs.loc["total", "total"])
    n_units = len(dataset.units)
    pppk = jobs.loc["total", "PPPK"] / n
    fungsional = jobs.loc["fungsional", "share"]
    cov = ov.survey_coverage(dataset)
    n_resp = int(cov.to_numpy().sum())
    n_missing = len(ov.missing_unit_periods(dataset))
    train = ov.training_coverage(dataset)
    quarantined = int(dataset.row_counts["rows_quarantined"].sum())
    periods = f"{cov.columns[0]} - {cov.columns[-1]}" if len(cov.columns) else "-"
    if lang == "id":
        out = [
            f"Data memuat {_count(n, lang)} pegawai ASN di {n_units} unit kerja; "
            f"{_pct(pppk, lang)} berstatus PPPK dan {_pct(fungsional, lang)} menduduki "
            "jabatan fungsional.",
            f"Survei kepuasan masyarakat: {_count(n_resp, lang)} responden, periode {periods}; "
            f"{n_missing} kombinasi unit-periode tanpa responden.",
        ]
    else:
        out = [
            f"The data holds {_count(n, lang)} civil servants in {n_units} units; "
            f"{_pct(pppk, lang)} are PPPK and {_pct(fungsional, lang)} hold functional "
            "positions.",
            f"Citizen satisfaction survey: {_count(n_resp, lang)} respondents, periods "
            f"{periods}; {n_missing} unit-periods have no respondent.",
        ]
    if len(train):
        last = train.iloc[-1]
        year, trained, met = int(last["year"]), last["share_trained"], last["share_met_jp_right"]
        jp = ov.JP_RIGHT_PER_YEAR
        out.append(
            f"Pada {year}, {_pct(trained, lang)} pegawai mengikuti pelatihan dan hanya "
            f"{_pct(met, lang)} memenuhi hak {jp} JP per tahun."
            if lang == "id"
            else f"In {year}, {_pct(trained, lang)} of employees attended training and only "
            f"{_pct(met, lang)} met the {jp} JP yearly right."
        )
    if lang == "id":
        out.append(
            "Validasi data: tidak ada baris yang dikarantina."
            if quarantined == 0
            else f"Validasi data: {quarantined} baris dikarantina (lihat log kualitas data)."
        )
    else:
        out.append(
            "Data validation: no row was quarantined."
            if quarantined == 0
            else f"Data validation: {quarantined} rows quarantined (see the data-quality log)."
        )
    return out


# --------------------------------------------------------------------------- satisfaction


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
    random_state: int = 0,
    level: float = 0.95,
) -> SatisfactionSummary:
    """Compute the IKM tables behind notebook 03 and the brief.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    period : str, optional
        Reference period; default the latest in ``skm_responses``.
    n_boot : int, default 1000
        Bootstrap replicates of the IKM confidence intervals.
    random_state : int, default 0
        Seed of the bootstrap.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    SatisfactionSummary
        The tables; see its attributes.
    """
    from asn_analysis import satisfaction as sat

    skm = dataset.skm_responses
    periods = sorted(skm["period"].dropna().unique())
    period = period or periods[-1]
    if period not in periods:
        raise ValueError(f"period {period!r} is not in skm_responses; periods: {periods}")
    names = dataset.units.set_index("unit_id")["unit_name"]
    kw = {"n_boot": n_boot, "seed": random_state, "level": level}
    units = sat.ikm_ci(skm, by=["unit_id", "period"], **kw)
    units.insert(1, "unit_name", units["unit_id"].map(names))
    regency = sat.ikm_ci(skm, by="period", **kw)
    adequacy = sat.sample_adequacy(skm, dataset.units)
    adequacy.insert(1, "unit_name", adequacy["unit_id"].map(names))
    weakest = sat.weakest_elements(skm[skm["period"] == period], by="unit_id", n=3)
    weakest.insert(1, "unit_name", weakest["unit_id"].map(names))
    change = sat.element_change(skm, before=periods[0], after=period, by=None, level=level)
    return SatisfactionSummary(period, periods[0], regency, units, adequacy, weakest, change)


def satisfaction_findings(summary: SatisfactionSummary, *, lang: Lang = "id") -> list[str]:
    """Describe the citizen-satisfaction results in plain language (notebook 03, the brief).

    Parameters
    ----------
    summary : SatisfactionSummary
        Output of :func:`summarize_satisfaction`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of str
        One sentence per finding; every IKM value with its confidence interval.
    """
    _check_lang(lang)
    p = summary.period
    reg = summary.regency.set_index("period").loc[p]
    cur = summary.units[summary.units["period"] == p].sort_values("ikm_converted")
    low = cur.head(3)
    below_b = cur[cur["mutu"].isin(["C", "D"])]
    ch = summary.change.set_index("element").loc["ikm_converted"]
    short = summary.adequacy[~summary.adequacy["adequate"].astype(bool)]
    common = summary.weakest["element"].value_counts().head(3)

    def ci(row: pd.Series) -> str:
        lo, hi = row["ikm_converted_ci_low"], row["ikm_converted_ci_high"]
        return f"{_num(row['ikm_converted'], lang, 2)} ({_num(lo, lang)}-{_num(hi, lang)})"

    low_txt = ", ".join(f"{row['unit_name']} {ci(row)}" for _, row in low.iterrows())
    weak_txt = ", ".join(f"{e} ({n})" for e, n in common.items())
    diff = (
        f"{_num(ch['diff'], lang, 2)} ({_num(ch['ci_low'], lang, 2)} s.d. "
        f"{_num(ch['ci_high'], lang, 2)})"
        if lang == "id"
        else f"{_num(ch['diff'], lang, 2)} ({_num(ch['ci_low'], lang, 2)} to "
        f"{_num(ch['ci_high'], lang, 2)})"
    )
    if lang == "id":
        return [
            f"IKM seluruh unit pada {p}: {ci(reg)} dari 100 (IK 95%), mutu {reg['mutu']} "
            f"({reg['kinerja']}).",
            f"Perubahan IKM sejak {summary.first_period}: {diff} poin.",
            f"Tiga unit dengan IKM terendah pada {p}: {low_txt}.",
            f"{len(below_b)} dari {len(cur)} unit bermutu C atau D pada {p}.",
            f"Unsur yang paling sering termasuk tiga terlemah per unit: {weak_txt}.",
            f"{len(short)} dari {len(summary.adequacy)} kombinasi unit-periode memiliki responden "
            "kurang dari syarat Krejcie-Morgan; IKM-nya lebih tidak pasti.",
        ]
    return [
        f"IKM of all units in {p}: {ci(reg)} out of 100 (95% CI), grade {reg['mutu']} "
        f"({reg['kinerja']}).",
        f"Change in IKM since {summary.first_period}: {diff} points.",
        f"The three units with the lowest IKM in {p}: {low_txt}.",
        f"{len(below_b)} of {len(cur)} units are graded C or D in {p}.",
        f"Elements most often among a unit's three weakest: {weak_txt}.",
        f"{len(short)} of {len(summary.adequacy)} unit-periods have fewer respondents than the "
        "Krejcie-Morgan requirement; their IKM is less certain.",
    ]


# --------------------------------------------------------------------------- resistance


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
    """
    import warnings

    from asn_analysis import resistance as res
    from asn_analysis.scales import InsufficientAnswersWarning, ItemMap, scale_reliability

    item_map = ItemMap.from_frame(dataset.survey_items)
    with warnings.catch_warnings():
        # The count of unscorable answers is kept in scores.attrs and reported.
        warnings.simplefilter("ignore", InsufficientAnswersWarning)
        scores = res.scale_scores(dataset.staff_survey, item_map, dataset.employees)
    reliability = scale_reliability(dataset.staff_survey, item_map, level=level)
    waves = sorted(scores["period"].unique())
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


def resistance_findings(summary: ResistanceSummary, *, lang: Lang = "id") -> list[str]:
    """Describe the resistance results in plain language (notebook 03, the brief).

    Parameters
    ----------
    summary : ResistanceSummary
        Output of :func:`summarize_resistance`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of str
        One sentence per finding, each estimate with its 95% CI.
    """
    _check_lang(lang)
    t = summary.drivers.table

    def coef(term: str) -> str:
        lo, hi = t.loc[term, "ci_low"], t.loc[term, "ci_high"]
        sep = "s.d." if lang == "id" else "to"
        return (
            f"{_num(t.loc[term, 'coef'], lang, 2)} ({_num(lo, lang, 2)} {sep} {_num(hi, lang, 2)})"
        )

    ch = summary.change.loc["resistance"]
    rel = summary.reliability.set_index("scale")["alpha"]
    w0, w1 = summary.waves
    sep = "s.d." if lang == "id" else "to"
    change = f"{_num(ch['diff'], lang, 2)} ({_num(ch['ci_low'], lang, 2)} {sep} " + (
        f"{_num(ch['ci_high'], lang, 2)})"
    )
    few = summary.drivers.n_clusters < 42
    if lang == "id":
        out = [
            "Keandalan skala survei pegawai (alfa Cronbach): "
            + ", ".join(f"{s} {_num(a, lang, 2)}" for s, a in rel.items())
            + ".",
            f"Setiap kenaikan 1 poin persepsi transparansi evaluasi sejalan dengan perubahan "
            f"resistensi {coef('transparency')} poin; komunikasi {coef('communication')}; "
            f"rasa terancam {coef('threat')} (IK 95%, galat baku klaster per unit).",
            f"Resistensi berubah {change} poin dari {w0} ke {w1} pada {int(ch['n_pairs'])} "
            "pegawai yang mengisi kedua gelombang.",
            "Ini asosiasi, bukan bukti sebab-akibat: transparansi dan komunikasi diukur dalam "
            "survei yang sama.",
        ]
        if few:
            out.append(
                f"Jumlah unit ({summary.drivers.n_clusters}) sedikit: nilai p klaster bisa "
                "terlalu kecil."
            )
        return out
    out = [
        "Reliability of the staff-survey scales (Cronbach's alpha): "
        + ", ".join(f"{s} {_num(a, lang, 2)}" for s, a in rel.items())
        + ".",
        f"Each 1-point higher perceived transparency of evaluation goes with a change in "
        f"resistance of {coef('transparency')} points; communication {coef('communication')}; "
        f"perceived threat {coef('threat')} (95% CI, standard errors clustered by unit).",
        f"Resistance changed by {change} points from {w0} to {w1} among the "
        f"{int(ch['n_pairs'])} employees who answered both waves.",
        "These are associations, not proof of cause: transparency and communication are "
        "measured in the same survey.",
    ]
    if few:
        out.append(
            f"Few units ({summary.drivers.n_clusters}): clustered p-values can be too small."
        )
    return out


# --------------------------------------------------------------------------- the brief


@dataclass(frozen=True)
class Section:
    """One section of the brief for training planners.

    Attributes
    ----------
    key : str
        Stable identifier (also the figure's file stem).
    title : str
        Heading in the brief's language.
    findings : tuple of str
        What the numbers say, each with its uncertainty.
    actions : tuple of str
        What to do about it.
    figures : tuple of str
        Figure names (PNG files in ``figures/``).
    """

    key: str
    title: str
    findings: tuple[str, ...]
    actions: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Results:
    """Every analysis the brief reports, computed once, independent of language.

    Build it with :func:`collect`. Attributes hold the results of the domain modules:
    ``competency`` (dict of JPM, gaps, unit gaps, mismatches, fit effects, training needs),
    ``effects`` (dict of roll-out estimates by estimator), ``case`` (the Dinas Kesehatan case
    study) and ``segments`` (employee segments).
    """

    dataset: Dataset
    satisfaction: SatisfactionSummary
    resistance: ResistanceSummary
    competency: dict
    effects: dict
    case: object
    segments: object
    seed: int


def collect(dataset: Dataset, *, seed: int = 0, n_boot: int = 1000, k_segments: int = 4) -> Results:
    """Run the analyses the brief and the workbook report.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    seed : int, default 0
        Seed of every resampling step.
    n_boot : int, default 1000
        Bootstrap replicates (IKM intervals, wild cluster bootstrap).
    k_segments : int, default 4
        Number of employee segments (0 = chosen by silhouette).

    Returns
    -------
    Results
        The summaries. Competency fit uses each employee's latest assessment.
    """
    from asn_analysis import casestudy as cs
    from asn_analysis import competency as cp
    from asn_analysis import effects as ef
    from asn_analysis import segments as cl

    args = (dataset.competency_assessments, dataset.competency_standards, dataset.employees)
    jpm = cp.job_person_match(*args)
    gaps = cp.competency_gaps(*args)
    mis = cp.mismatches(gaps, dataset.employees)
    competency = {
        "jpm": jpm,
        "gaps": gaps,
        "unit_gaps": cp.unit_gaps(gaps, dataset.employees),
        "mismatches": mis,
        "fit_effects": cp.fit_effects(
            jpm, mis, dataset.performance, dataset.skm_responses, n_boot=n_boot, seed=seed
        ),
        "needs": cp.training_needs(gaps, dataset.employees),
    }
    cohorts = cs.rollout_cohorts(dataset.training, dataset.employees)
    panel = cs.ikm_panel(dataset.skm_responses, cohorts=cohorts)
    kw = {"outcome": "ikm_converted", "unit": "unit_id", "time": "period"}
    effects = {
        "before_after": ef.before_after(panel, first_treated="first_treated", **kw),
        "twfe": ef.twfe(panel, treatment="treated", n_boot=n_boot, seed=seed, **kw),
        "staggered": ef.staggered_did(panel, first_treated="first_treated", **kw),
    }
    feats = cl.employee_features(dataset)
    segments = cl.segment(feats, features=cl.EMPLOYEE_FEATURES, k=k_segments or None, seed=seed)
    return Results(
        dataset=dataset,
        satisfaction=summarize_satisfaction(dataset, n_boot=n_boot, random_state=seed),
        resistance=summarize_resistance(dataset),
        competency=competency,
        effects=effects,
        case=cs.case_study(dataset),
        segments=segments,
        seed=seed,
    )


def competency_actions(results: Results, *, lang: Lang = "id", top: int = 5) -> list[str]:
    """Recommend which units to train in which competency first.

    Parameters
    ----------
    results : Results
        Output of :func:`collect`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.
    top : int, default 5
        Number of priorities named.

    Returns
    -------
    list of str
        One action per priority (groups under 5 employees are never named).
    """
    _check_lang(lang)
    needs = results.competency["needs"]
    needs = needs[~needs["suppressed"].astype(bool)].head(top)
    names = results.dataset.units.set_index("unit_id")["unit_name"]
    out = []
    for r in needs.itertuples():
        unit = names.get(r.unit_id, r.unit_id)
        jp = _count(int(round(r.jp_needed)), lang)
        if lang == "id":
            out.append(
                f"Prioritas {r.rank}: latih {r.competency} di {unit} — {r.n_below} dari {r.n} "
                f"pegawai di bawah standar, kebutuhan sekitar {jp} JP."
            )
        else:
            out.append(
                f"Priority {r.rank}: train {r.competency} in {unit} — {r.n_below} of {r.n} staff "
                f"below standard, about {jp} JP needed."
            )
    return out


def satisfaction_actions(summary: SatisfactionSummary, *, lang: Lang = "id") -> list[str]:
    """Recommend what to do about citizen satisfaction.

    Parameters
    ----------
    summary : SatisfactionSummary
        Output of :func:`summarize_satisfaction`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of str
        Recommended actions.
    """
    _check_lang(lang)
    cur = summary.units[summary.units["period"] == summary.period]
    weak_units = cur[cur["mutu"].isin(["C", "D"])].sort_values("ikm_converted")["unit_name"]
    common = list(summary.weakest["element"].value_counts().head(3).index)
    short = summary.adequacy[~summary.adequacy["adequate"].astype(bool)]
    short_units = sorted(short["unit_name"].unique())
    out = []
    if lang == "id":
        if len(weak_units):
            out.append("Dampingi lebih dulu unit bermutu C/D: " + ", ".join(weak_units) + ".")
        out.append("Fokus perbaikan pada unsur " + ", ".join(common) + ".")
        if short_units:
            out.append(
                f"Penuhi jumlah responden minimal (Krejcie-Morgan) pada survei berikut di "
                f"{len(short_units)} unit yang pernah kurang."
            )
        return out
    if len(weak_units):
        out.append("Support the units graded C/D first: " + ", ".join(weak_units) + ".")
    out.append("Focus improvement on the elements " + ", ".join(common) + ".")
    if short_units:
        out.append(
            f"Reach the minimum number of respondents (Krejcie-Morgan) in the next survey in the "
            f"{len(short_units)} units that fell short."
        )
    return out


def resistance_actions(summary: ResistanceSummary, *, lang: Lang = "id") -> list[str]:
    """Recommend what to do about resistance to evaluation.

    Parameters
    ----------
    summary : ResistanceSummary
        Output of :func:`summarize_resistance`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of str
        Recommended actions, only for drivers whose CI excludes zero.
    """
    _check_lang(lang)
    t = summary.drivers.table
    lowers = [k for k in ("transparency", "communication") if t.loc[k, "ci_high"] < 0]
    threat = t.loc["threat", "ci_low"] > 0
    top = (
        summary.by_unit[
            (summary.by_unit["period"] == summary.waves[-1]) & ~summary.by_unit["suppressed"]
        ]
        .sort_values("mean", ascending=False)
        .head(3)["unit_name"]
    )
    words = {
        "id": {"transparency": "transparansi tujuan evaluasi", "communication": "komunikasi"},
        "en": {
            "transparency": "transparency about the purpose of evaluation",
            "communication": "communication",
        },
    }[lang]
    out = []
    if lang == "id":
        if lowers:
            out.append(
                "Perkuat "
                + " dan ".join(words[k] for k in lowers)
                + " sebelum dan selama evaluasi: keduanya sejalan dengan resistensi lebih rendah."
            )
        if threat:
            out.append("Tegaskan bahwa hasil evaluasi dipakai untuk pengembangan, bukan hukuman.")
        out.append("Unit dengan resistensi tertinggi saat ini: " + ", ".join(top) + ".")
        return out
    if lowers:
        out.append(
            "Strengthen "
            + " and ".join(words[k] for k in lowers)
            + " before and during evaluation: both go with lower resistance."
        )
    if threat:
        out.append("Make clear that evaluation results serve development, not punishment.")
    out.append("Units with the highest resistance now: " + ", ".join(top) + ".")
    return out


def quality_findings(dataset: Dataset, *, lang: Lang = "id") -> list[str]:
    """Describe what validation left out (the data-quality log) in plain language.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of str
        One sentence per table with quarantined rows, or one saying none was.
    """
    _check_lang(lang)
    counts = dataset.row_counts
    bad = counts[counts["rows_quarantined"] > 0]
    if bad.empty:
        return [
            "Semua baris lolos validasi; tidak ada yang dikarantina."
            if lang == "id"
            else "Every row passed validation; none was quarantined."
        ]
    if lang == "id":
        return [
            f"{r.table}: {r.rows_quarantined} dari {r.rows_in} baris dikarantina."
            for r in bad.itertuples()
        ]
    return [
        f"{r.table}: {r.rows_quarantined} of {r.rows_in} rows quarantined."
        for r in bad.itertuples()
    ]


SECTION_TITLES = {
    "overview": ("Gambaran data", "The data"),
    "competency": (
        "Kesesuaian kompetensi dan kebutuhan pelatihan",
        "Competency fit and training needs",
    ),
    "effects": ("Dampak pelatihan", "Training effects"),
    "satisfaction": ("Kepuasan masyarakat (IKM)", "Citizen satisfaction (IKM)"),
    "resistance": ("Resistensi pegawai terhadap evaluasi", "Employee resistance to evaluation"),
    "segments": ("Segmen pegawai", "Employee segments"),
    "quality": ("Kualitas data", "Data quality"),
}


def brief(results: Results, *, lang: Lang = "id") -> list[Section]:
    """Assemble the brief's sections from the results.

    Parameters
    ----------
    results : Results
        Output of :func:`collect`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of Section
        In reading order.
    """
    from asn_analysis.reporting.findings import casestudy as cs
    from asn_analysis.reporting.findings import segments as cl
    from asn_analysis.reporting.findings.competency import competency_findings
    from asn_analysis.reporting.findings.effects import effects_findings

    _check_lang(lang)
    i = 0 if lang == "id" else 1
    ds = results.dataset
    c = results.competency
    fit = competency_findings(
        c["jpm"],
        c["mismatches"],
        c["fit_effects"],
        c["needs"],
        gaps_by_unit=c["unit_gaps"],
        units=ds.units,
        lang=lang,
    )
    truth = (ds.ground_truth or {}).get("ikm_effect", {}).get("att_overall")
    effects = effects_findings(results.effects, lang=lang, truth=truth)
    effects += cs.case_study_findings(results.case, lang=lang)
    actions = cl.segment_actions(results.segments, lang=lang)
    seg_actions = [f"{r.label}: {r.action}" for r in actions.itertuples()]
    return [
        Section("overview", SECTION_TITLES["overview"][i], tuple(overview_findings(ds, lang=lang))),
        Section(
            "competency",
            SECTION_TITLES["competency"][i],
            tuple(fit),
            tuple(competency_actions(results, lang=lang)),
        ),
        Section("effects", SECTION_TITLES["effects"][i], tuple(effects), (), ("training_effects",)),
        Section(
            "satisfaction",
            SECTION_TITLES["satisfaction"][i],
            tuple(satisfaction_findings(results.satisfaction, lang=lang)),
            tuple(satisfaction_actions(results.satisfaction, lang=lang)),
            ("ikm_per_unit",),
        ),
        Section(
            "resistance",
            SECTION_TITLES["resistance"][i],
            tuple(resistance_findings(results.resistance, lang=lang)),
            tuple(resistance_actions(results.resistance, lang=lang)),
            ("resistance_drivers",),
        ),
        Section(
            "segments",
            SECTION_TITLES["segments"][i],
            tuple(cl.segment_findings(results.segments, lang=lang)),
            tuple(seg_actions),
        ),
        Section("quality", SECTION_TITLES["quality"][i], tuple(quality_findings(ds, lang=lang))),
    ]
