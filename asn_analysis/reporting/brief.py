"""The brief for training planners: one screen for a decision maker, then the sections.

:func:`front_page` gives the first screen: at most six headline findings (one number with its
interval and one line of meaning each) and the top actions (which units to train in what, how
many JP, what to change in the SKM process). :func:`brief` gives the detailed sections in
reading order, assembled from the findings: ranked lists (training priorities, weakest SKM
elements, units by IKM) are :class:`Table` objects that went through the small-cell rule
(:func:`asn_analysis.reporting.disclosure.protect`), and the methods and caveats of each
section sit in its short "how we know / cara kami mengetahuinya" part at the end. Raw keys
are replaced by their official names (:mod:`asn_analysis.reporting.labels`).

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
from asn_analysis.reporting.front import (
    HOW_WE_KNOW,
    FrontPage,
    Headline,
    Table,
    front_page,
    ikm_units_table,
    priorities_table,
    weakest_elements_table,
)
from asn_analysis.reporting.labels import relabel
from asn_analysis.reporting.summaries import Results

__all__ = [
    "HOW_WE_KNOW",
    "METHOD_NOTES",
    "SECTION_TITLES",
    "FrontPage",
    "Headline",
    "Section",
    "Table",
    "brief",
    "failed_lines",
    "front_page",
]


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
    tables : tuple of Table
        Ranked lists, already through the small-cell rule.
    methods : tuple of str
        How we know: the methods and caveats, shown at the end of the section.

    Examples
    --------
    >>> s = Section("quality", SECTION_TITLES["quality"][1], ("Every row passed validation.",))
    >>> s.title, s.findings, s.tables
    ('Data quality', ('Every row passed validation.',), ())
    """

    key: str
    title: str
    findings: tuple[str, ...]
    actions: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    methods: tuple[str, ...] = ()


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

#: The "how we know" text of each section: the method and its source, (id, en).
METHOD_NOTES = {
    "competency": (
        "JPM (kesesuaian kompetensi dengan jabatan) = jumlah level kompetensi yang dimiliki "
        "dibagi jumlah level standar jabatan x 100 (PermenPANRB 38/2017; kategori pemetaan "
        "BKN). Kebutuhan JP dihitung dari kekurangan level dan asumsi JP per level.",
        "Job Person Match (JPM) = held competency levels over the post's standard levels x 100 "
        "(PermenPANRB 38/2017; BKN mapping categories). The JP needed follow from the level "
        "shortfall and an assumed number of JP per level.",
    ),
    "effects": (
        "Efek pelatihan dibandingkan antara unit yang sudah dan belum dilatih (selisih-dalam-"
        "selisih bertahap, Callaway & Sant'Anna 2021); studi kasus mengikuti empat level "
        "Kirkpatrick.",
        "Training effects compare units trained and not yet trained (staggered difference-in-"
        "differences, Callaway & Sant'Anna 2021); the case study follows Kirkpatrick's four "
        "levels.",
    ),
    "satisfaction": (
        "IKM = rata-rata nilai per unsur (NRR) x bobot 1/9, dikonversi ke skala 25-100; mutu A-D "
        "menurut PermenPANRB 14/2017. Interval dari bootstrap responden.",
        "IKM = mean score per element (NRR) x weight 1/9, converted to 25-100; grades A-D as in "
        "PermenPANRB 14/2017. Intervals from a bootstrap over respondents.",
    ),
    "resistance": (
        "Skala survei pegawai (1-6); faktor resistensi dari regresi dengan galat baku klaster "
        "per unit.",
        "Staff-survey scales (1-6); drivers of resistance from a regression with standard errors "
        "clustered by unit.",
    ),
    "segments": (
        "Segmen dari pengelompokan k-means atas profil pegawai; stabilitas diuji dengan bootstrap.",
        "Segments from k-means clustering of staff profiles; stability checked by bootstrap.",
    ),
}

#: Findings that move to "how we know" (methods, caveats) or are dropped because a table
#: shows them: substrings of the sentences of each section, in both languages.
_TO_METHODS = {
    "effects": (
        "Catatan:",
        "Note:",
        "TWFE berbeda",
        "TWFE differs",
        "Data sintetis:",
        "Synthetic data:",
    ),
    "satisfaction": ("Krejcie-Morgan",),
    "resistance": (
        "alfa Cronbach",
        "Cronbach's alpha",
        "Ini asosiasi",
        "These are associations",
        "Jumlah unit (",
        "Few units (",
    ),
    "segments": ("Stabilitas:", "Stability:", "Segmen hanya", "Segments describe only"),
}
_SHOWN_AS_TABLE = (
    "Tiga unit dengan IKM terendah",
    "The three units with the lowest IKM",
    "Unsur yang paling sering",
    "Elements most often",
    "Prioritas pelatihan teratas",
    "Top training priorities",
)


def _split(key: str, findings: list[str], lang: Lang) -> tuple[list[str], list[str]]:
    """Return (findings, how-we-know lines) of a section, raw keys replaced by names."""
    markers = _TO_METHODS.get(key, ())
    kept, methods = [], []
    for text in findings:
        if any(m in text for m in _SHOWN_AS_TABLE):
            continue
        (methods if any(m in text for m in markers) else kept).append(relabel(text, lang))
    if key in METHOD_NOTES:
        methods.insert(0, METHOD_NOTES[key][0 if lang == "id" else 1])
    return kept, methods


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
        exist, then ``not_analysed`` when some analysis was not supported. The training
        priorities, the units by IKM and the weakest SKM elements are tables
        (:attr:`Section.tables`); methods and caveats are :attr:`Section.methods`. The first
        screen is :func:`front_page`.
    """
    from asn_analysis.reporting.findings.casestudy import case_study_findings, skipped_sentence
    from asn_analysis.reporting.findings.competency import competency_findings
    from asn_analysis.reporting.findings.effects import effects_findings
    from asn_analysis.reporting.findings.segments import segment_actions, segment_findings

    check_lang(lang)
    i = 0 if lang == "id" else 1
    ds = results.dataset
    sat, res, c = results.satisfaction, results.resistance, results.competency
    # (key, findings, actions, figures) in reading order; None when not analysed
    parts: list = [
        ("overview", overview_findings(ds, lang=lang), (), (), ())
        if ds.employees is not None
        else None
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
        table = priorities_table(results, lang=lang)
        parts.append(("competency", fit, (), (), (table,) if table else ()))
    if results.effects is not None:  # {} when the configured roll-out is not in the data
        truth = (ds.ground_truth or {}).get("ikm_effect", {}).get("att_overall")
        effects = (
            effects_findings(results.effects, lang=lang, truth=truth) if results.effects else []
        )
        effects += [skipped_sentence(k, v, lang=lang) for k, v in results.skipped.items()]
        if results.case is not None:
            effects += case_study_findings(results.case, lang=lang)
        figures = ("training_effects",) if results.effects else ()
        parts.append(("effects", effects, (), figures, ()))
    if sat is not None:
        parts.append(
            (
                "satisfaction",
                satisfaction_findings(sat, lang=lang),
                satisfaction_actions(sat, lang=lang),
                ("ikm_per_unit",),
                (ikm_units_table(sat, lang=lang), weakest_elements_table(sat, lang=lang)),
            )
        )
    if res is not None:
        parts.append(
            (
                "resistance",
                resistance_findings(res, lang=lang),
                resistance_actions(res, lang=lang),
                ("resistance_drivers",),
                (),
            )
        )
    if results.segments is not None:
        actions = segment_actions(results.segments, lang=lang)
        # a segment of fewer than 5 people is not described (small-cell rule)
        sizes = results.segments.profiles["n"]
        shown = [not hides_count(int(sizes.get(s, 0))) for s in actions["segment"]]
        seg_actions = [f"{r.label}: {r.action}" for r in actions[shown].itertuples()]
        parts.append(
            ("segments", segment_findings(results.segments, lang=lang), seg_actions, (), ())
        )
    parts.append(("quality", quality_findings(ds, lang=lang), (), (), ()))
    skipped = results.coverage.skipped_lines(lang=lang) if results.coverage is not None else []
    skipped += failed_lines(results.failed, lang=lang)
    if skipped:
        parts.append(("not_analysed", skipped, (), (), ()))
    out = []
    for key, found, acts, figs, tables in filter(None, parts):
        found, methods = _split(key, list(found), lang)
        acts = tuple(relabel(a, lang) for a in acts)
        out.append(
            Section(
                key, SECTION_TITLES[key][i], tuple(found), acts, tuple(figs), tables, tuple(methods)
            )
        )
    return out


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
