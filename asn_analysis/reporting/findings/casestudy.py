"""The case study in words: one sentence per Kirkpatrick level, with uncertainty.

:func:`case_study_findings` tells a :class:`asn_analysis.casestudy.CaseStudy` in Bahasa
Indonesia or English: the competency gap the evaluation found (PermenPANRB No. 38 Tahun 2017
standards), the SKM elements before training (PermenPANRB No. 14 Tahun 2017), then reaction,
learning, behaviour and results (Kirkpatrick & Kirkpatrick 2006), each with its interval, and
the caveat of single-unit inference. :func:`skipped_sentence` says why a section was skipped
(a configured unit or programme the data does not hold).

Examples
--------
>>> from asn_analysis import load_dataset
>>> from asn_analysis.casestudy import case_study
>>> case_study_findings(case_study(load_dataset()))[-1][:40]
'Catatan: hanya satu unit yang diuji pada'

References
----------
.. [1] Kirkpatrick, D. L., & Kirkpatrick, J. D. (2006). Evaluating Training Programs: The Four
       Levels (3rd ed.). Berrett-Koehler.
"""

from __future__ import annotations

from asn_analysis._validation import Lang, check_lang, check_option
from asn_analysis.casestudy import CaseStudy
from asn_analysis.reporting.disclosure import hides_count
from asn_analysis.reporting.labels import label as official_name
from asn_analysis.reporting.text import choose, ci_text, number, share_of

__all__ = ["SKIPPED_LABELS", "case_study_findings", "skipped_sentence"]

_COMPETENCY_LABEL = {
    "komunikasi": ("komunikasi", "communication"),
    "pelayanan_publik": ("pelayanan publik", "public service"),
}
_OUTCOME_LABEL = {
    "ikm_converted": ("IKM (skala 25-100)", "IKM (25-100 scale)"),
    "nrr_kompetensi": ("unsur Kompetensi Pelaksana (NRR 1-4)", "the Staff competence element"
                       " (NRR 1-4)"),
    "nrr_perilaku": ("unsur Perilaku Pelaksana (NRR 1-4)", "the Staff conduct element "
                     "(NRR 1-4)"),
}  # fmt: skip


_n = number

#: What each skippable part is called: (Bahasa Indonesia, English).
SKIPPED_LABELS = {
    "case": ("Studi kasus", "Case study"),
    "rollout": ("Dampak peluncuran pelatihan", "Roll-out effects"),
    "selection": ("Program dengan peserta memilih sendiri", "Self-selected programme"),
}


def skipped_sentence(part: str, reason: str, *, lang: Lang = "id") -> str:
    """Say that a part of the analysis was skipped, and why (the data lacks a configured name).

    Parameters
    ----------
    part : {"case", "rollout", "selection"}
        The part skipped (keys of :data:`SKIPPED_LABELS`).
    reason : str
        The message of :class:`asn_analysis.casestudy.AbsentFromData`: what was asked and what
        exists.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    str

    Examples
    --------
    >>> skipped_sentence("case", "case-study unit 'X' is not in units", lang="en")
    "Case study skipped: case-study unit 'X' is not in units. Set case_unit \
(asn-analysis.toml / -p)."
    """
    check_lang(lang)
    check_option("part", part, tuple(SKIPPED_LABELS))
    label = SKIPPED_LABELS[part][0 if lang == "id" else 1]
    where = {
        "case": "case_unit (asn-analysis.toml / -p)",
        "rollout": "[rollout_programs] (asn-analysis.toml)",
        "selection": "selection_program (asn-analysis.toml / -p)",
    }[part]
    return choose(
        lang,
        f"{label} dilewati: {reason}. Atur {where}.",
        f"{label} skipped: {reason}. Set {where}.",
    )


def case_study_findings(case: CaseStudy, *, lang: Lang = "id") -> list[str]:
    """Tell the case study in plain language, one sentence per finding, with uncertainty.

    Parameters
    ----------
    case : CaseStudy
        Output of :func:`asn_analysis.casestudy.case_study`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of str
        The gap found, levels 1 to 4, and the caveat on single-unit inference.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> from asn_analysis.casestudy import case_study
    >>> case_study_findings(case_study(load_dataset()), lang="en")[0][:40]
    'Evaluation finding: at baseline, Dinas K'
    """
    check_lang(lang)
    i = 0 if lang == "id" else 1
    name = case.unit_name
    out = []
    gap = case.competency_gap
    parts = []
    for comp in gap.index.get_level_values("competency").unique():
        row = gap.loc[(comp, "unit")]
        other = gap.loc[(comp, "other units")]
        label = _COMPETENCY_LABEL.get(comp, (comp, comp))[i]
        ci = ci_text(row["diff_ci_low"], row["diff_ci_high"], lang)
        # the share below standard over the unit's staff is a count in disguise
        below = share_of(int(round(row["share_below"] * row["n"])), int(row["n"]), lang)
        if lang == "id":
            parts.append(
                f"{label}: selisih level dimiliki dan level standar rata-rata "
                f"{_n(row['mean_gap'], lang, 2, sign=True)} (unit lain "
                f"{_n(other['mean_gap'], lang, 2, sign=True)}; perbedaan "
                f"{_n(row['difference'], lang)}, {ci}; {below} pegawai di bawah standar)"
            )
        else:
            parts.append(
                f"{label}: held minus required level {_n(row['mean_gap'], lang, 2, sign=True)} "
                f"on average (other units {_n(other['mean_gap'], lang, 2, sign=True)}; "
                f"difference {_n(row['difference'], lang)}, {ci}; {below} of staff below "
                "the standard)"
            )
    out.append(
        f"Temuan evaluasi: pada asesmen awal, kompetensi pegawai {name} lebih rendah daripada "
        f"unit lain — {'; '.join(parts)}."
        if lang == "id"
        else f"Evaluation finding: at baseline, {name} staff held lower competency levels than "
        f"staff of other units — {'; '.join(parts)}."
    )
    eg = case.element_gap
    el = "; ".join(
        f"{official_name(e, 'element', lang)} {_n(r['unit_mean'], lang)} vs "
        f"{_n(r['other_mean'], lang)} "
        f"({ci_text(r['ci_low'], r['ci_high'], lang)})"
        for e, r in eg.iterrows()
    )
    out.append(
        f"Sebelum pelatihan, nilai unsur SKM {name} lebih rendah daripada unit lain: {el}."
        if lang == "id"
        else f"Before the training, {name}'s SKM element scores were below other units': {el}."
    )
    # A sentence over fewer than 5 participants is left out (the small-cell rule).
    r = case.reaction
    if len(r) and not hides_count(int(r["n"].sum())):
        n = int(r["n"].sum())
        mean = float((r["mean"] * r["n"]).sum() / n)
        lo, hi = float(r["ci_low"].min()), float(r["ci_high"].max())
        out.append(
            f"Level 1 (reaksi): {n} penilaian peserta, rata-rata {_n(mean, lang)} dari 5 "
            f"(IK 95% per program antara {_n(lo, lang)} dan {_n(hi, lang)})."
            if lang == "id"
            else f"Level 1 (reaction): {n} participant ratings, mean {_n(mean, lang)} out of 5 "
            f"(per-programme 95% CIs within {_n(lo, lang)} to {_n(hi, lang)})."
        )
    for prog, row in case.learning.iterrows():
        if hides_count(int(row["n_pairs"])):
            continue
        ci = ci_text(row["ci_low"], row["ci_high"], lang, 1)
        out.append(
            f"Level 2 (pembelajaran), {prog}: nilai naik dari {_n(row['mean_pre'], lang, 1)} ke "
            f"{_n(row['mean_post'], lang, 1)}, selisih {_n(row['diff'], lang, 1)} poin ({ci}; "
            f"d_z = {_n(row['cohens_dz'], lang)}; n = {int(row['n_pairs'])})."
            if lang == "id"
            else f"Level 2 (learning), {prog}: scores rose from {_n(row['mean_pre'], lang, 1)} to "
            f"{_n(row['mean_post'], lang, 1)}, a gain of {_n(row['diff'], lang, 1)} points ({ci}; "
            f"d_z = {_n(row['cohens_dz'], lang)}; n = {int(row['n_pairs'])})."
        )
    for comp, e in case.behaviour.items():
        if hides_count(int(e.n_treated)):
            continue
        label = _COMPETENCY_LABEL.get(comp, (comp, comp))[i]
        all_e = case.behaviour_all.get(comp)
        ci = ci_text(e.ci_low, e.ci_high, lang)
        extra = ""
        if all_e is not None:
            prefix = "semua peserta program" if lang == "id" else "all participants"
            ci_all = ci_text(all_e.ci_low, all_e.ci_high, lang)
            extra = f"; {prefix}: {_n(all_e.estimate, lang)} ({ci_all})"
        out.append(
            f"Level 3 (perilaku): level {label} peserta {name} naik {_n(e.estimate, lang)} level "
            f"lebih banyak daripada pegawai pembanding yang tidak dilatih ({ci}; "
            f"n = {e.n_treated} peserta{extra})."
            if lang == "id"
            else f"Level 3 (behaviour): the {label} level of {name} participants rose "
            f"{_n(e.estimate, lang)} levels more than that of untrained comparison staff "
            f"({ci}; n = {e.n_treated} participants{extra})."
        )
    for outcome, methods in case.results.items():
        label = _OUTCOME_LABEL.get(outcome, (outcome, outcome))[i]
        s, d = methods["synthetic_control"], methods["did"]
        digits = 2 if outcome == "ikm_converted" else 3
        perm_p = choose(lang, "p permutasi", "permutation p")
        synth, diff = (
            f"{_n(r.estimate, lang, digits)} ({ci_text(r.ci_low, r.ci_high, lang, digits)}; "
            f"{perm_p} = {_n(r.pvalue, lang, 3)})"
            for r in (s, d)
        )
        out.append(
            f"Level 4 (hasil), {label}: dibanding kontrol sintetis berubah {synth}; DiD {diff}."
            if lang == "id"
            else f"Level 4 (results), {label}: against its synthetic control the change is "
            f"{synth}; DiD {diff}."
        )
    n_units = int(case.results["ikm_converted"]["did"].inference["n_draws"].iloc[0]) + 1
    out.append(
        f"Catatan: hanya satu unit yang diuji pada level 4, sehingga nilai p berasal dari uji "
        f"plasebo terhadap {n_units - 1} unit pembanding (nilai p terkecil yang mungkin "
        f"1/{n_units}); efek diasumsikan tidak menular ke unit pembanding."
        if lang == "id"
        else f"Caveat: level 4 rests on a single unit, so p-values come from placebo tests on "
        f"{n_units - 1} comparison units (smallest possible p-value 1/{n_units}); the effect is "
        "assumed not to spill over to comparison units."
    )
    return out
