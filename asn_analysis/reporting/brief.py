"""The brief for training planners: its sections, in reading order, assembled from the findings.

A section whose analysis the data does not support is left out; the analyses left out are
listed, with the tables they miss, in a last "not analysed / tidak dianalisis" section (absent
when everything was analysed).
"""

from __future__ import annotations

from dataclasses import dataclass

from asn_analysis._validation import Lang, check_lang
from asn_analysis.reporting.coverage import ANALYSES, NOT_ANALYSED
from asn_analysis.reporting.disclosure import hides_count
from asn_analysis.reporting.findings.overview import overview_findings
from asn_analysis.reporting.findings.quality import quality_findings
from asn_analysis.reporting.findings.resistance import resistance_actions, resistance_findings
from asn_analysis.reporting.findings.satisfaction import (
    satisfaction_actions,
    satisfaction_findings,
)
from asn_analysis.reporting.summaries import Results

__all__ = ["SECTION_TITLES", "Section", "brief", "failed_lines"]


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

    Examples
    --------
    >>> Section("quality", SECTION_TITLES["quality"][1], ("Every row passed validation.",))
    Section(key='quality', title='Data quality', findings=('Every row passed validation.',), \
actions=(), figures=())
    """

    key: str
    title: str
    findings: tuple[str, ...]
    actions: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()


#: Heading of each section: (Bahasa Indonesia, English).
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
    "not_analysed": NOT_ANALYSED,
}


def brief(results: Results, *, lang: Lang = "id") -> list[Section]:
    """Assemble the brief's sections from the results.

    Parameters
    ----------
    results : Results
        Output of :func:`asn_analysis.reporting.summaries.collect`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of Section
        In reading order, keys as in :data:`SECTION_TITLES`; only the sections whose results
        exist, then ``not_analysed`` when some analysis was not supported.
    """
    from asn_analysis.reporting.findings.casestudy import case_study_findings, skipped_sentence
    from asn_analysis.reporting.findings.competency import competency_actions, competency_findings
    from asn_analysis.reporting.findings.effects import effects_findings
    from asn_analysis.reporting.findings.segments import segment_actions, segment_findings

    check_lang(lang)
    i = 0 if lang == "id" else 1
    ds = results.dataset
    sat, res, c = results.satisfaction, results.resistance, results.competency
    # (key, findings, actions, figures) in reading order; None when not analysed
    parts: list = [
        ("overview", overview_findings(ds, lang=lang), (), ()) if ds.employees is not None else None
    ]
    if c is not None:
        fit = competency_findings(
            c["jpm"],
            c["mismatches"],
            c["fit_effects"],
            c["needs"],
            gaps_by_unit=c["unit_gaps"],
            units=ds.units,
            lang=lang,
        )
        parts.append(("competency", fit, competency_actions(results, lang=lang), ()))
    if results.effects is not None:  # {} when the configured roll-out is not in the data
        truth = (ds.ground_truth or {}).get("ikm_effect", {}).get("att_overall")
        effects = (
            effects_findings(results.effects, lang=lang, truth=truth) if results.effects else []
        )
        effects += [skipped_sentence(k, v, lang=lang) for k, v in results.skipped.items()]
        if results.case is not None:
            effects += case_study_findings(results.case, lang=lang)
        figures = ("training_effects",) if results.effects else ()
        parts.append(("effects", effects, (), figures))
    if sat is not None:
        parts.append(
            (
                "satisfaction",
                satisfaction_findings(sat, lang=lang),
                satisfaction_actions(sat, lang=lang),
                ("ikm_per_unit",),
            )
        )
    if res is not None:
        parts.append(
            (
                "resistance",
                resistance_findings(res, lang=lang),
                resistance_actions(res, lang=lang),
                ("resistance_drivers",),
            )
        )
    if results.segments is not None:
        actions = segment_actions(results.segments, lang=lang)
        # a segment of fewer than 5 people is not described (small-cell rule)
        sizes = results.segments.profiles["n"]
        shown = [not hides_count(int(sizes.get(s, 0))) for s in actions["segment"]]
        seg_actions = [f"{r.label}: {r.action}" for r in actions[shown].itertuples()]
        parts.append(("segments", segment_findings(results.segments, lang=lang), seg_actions, ()))
    parts.append(("quality", quality_findings(ds, lang=lang), (), ()))
    skipped = results.coverage.skipped_lines(lang=lang) if results.coverage is not None else []
    skipped += failed_lines(results.failed, lang=lang)
    if skipped:
        parts.append(("not_analysed", skipped, (), ()))
    return [
        Section(key, SECTION_TITLES[key][i], tuple(found), tuple(acts), tuple(figs))
        for key, found, acts, figs in filter(None, parts)
    ]


def failed_lines(failed: dict[str, str], *, lang: Lang = "id") -> list[str]:
    """Return one line per analysis whose estimator refused the data, with its reason.

    Parameters
    ----------
    failed : dict of str to str
        :attr:`asn_analysis.reporting.summaries.Results.failed` (analysis key to reason).
    lang : {"id", "en"}, default "id"
        Language of the line (the reason is the estimator's own message).

    Examples
    --------
    >>> failed_lines({"fit_effects": "1 cluster; at least 2 are needed"}, lang="en")
    ['Cost of misfit: the data cannot support it: 1 cluster; at least 2 are needed']
    """
    check_lang(lang)
    i = 0 if lang == "id" else 1
    titles = {a.key: a.title[i] for a in ANALYSES}
    word = ("data tidak memadai", "the data cannot support it")[i]
    return [f"{titles.get(k, k)}: {word}: {v}" for k, v in failed.items()]
