"""Employee resistance to evaluation in plain language: findings and actions (notebook 03)."""

from __future__ import annotations

from asn_analysis._validation import Lang, check_lang
from asn_analysis.reporting.labels import label
from asn_analysis.reporting.summaries import ResistanceSummary
from asn_analysis.reporting.text import choose, interval, number, people
from asn_analysis.stats.intervals import FEW_CLUSTERS

__all__ = ["resistance_actions", "resistance_findings"]


def resistance_findings(summary: ResistanceSummary, *, lang: Lang = "id") -> list[str]:
    """Describe the resistance results in plain language (notebook 03, the brief).

    Parameters
    ----------
    summary : ResistanceSummary
        Output of :func:`asn_analysis.reporting.summaries.summarize_resistance`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of str
        One sentence per finding, each estimate with its 95% CI: scale reliability
        (Cronbach 1951), the drivers with unit-clustered standard errors, the change between
        waves, and a warning when there are fewer than :data:`FEW_CLUSTERS` units
        (Cameron, Gelbach & Miller 2008).

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> from asn_analysis.reporting.summaries import summarize_resistance
    >>> text = resistance_findings(summarize_resistance(load_dataset()), lang="en")
    >>> text[0].startswith("Reliability of the staff-survey scales")
    True
    """
    check_lang(lang)
    t = summary.drivers.table

    def coef(term: str) -> str:
        return interval(t.loc[term, "coef"], t.loc[term, "ci_low"], t.loc[term, "ci_high"], lang)

    ch = summary.change.loc["resistance"]
    rel = summary.reliability.set_index("scale")["alpha"]
    w0, w1 = summary.waves
    change = interval(ch["diff"], ch["ci_low"], ch["ci_high"], lang)
    pairs = people(int(ch["n_pairs"]), lang)
    alphas = ", ".join(f"{label(s, 'scale', lang)} {number(a, lang, 2)}" for s, a in rel.items())
    few = summary.drivers.n_clusters < FEW_CLUSTERS
    if lang == "id":
        out = [
            f"Keandalan skala survei pegawai (alfa Cronbach): {alphas}.",
            f"Setiap kenaikan 1 poin persepsi transparansi evaluasi sejalan dengan perubahan "
            f"resistensi {coef('transparency')} poin; komunikasi {coef('communication')}; "
            f"rasa terancam {coef('threat')} (IK 95%, galat baku klaster per unit).",
            f"Resistensi berubah {change} poin dari {w0} ke {w1} pada {pairs} "
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
        f"Reliability of the staff-survey scales (Cronbach's alpha): {alphas}.",
        f"Each 1-point higher perceived transparency of evaluation goes with a change in "
        f"resistance of {coef('transparency')} points; communication {coef('communication')}; "
        f"perceived threat {coef('threat')} (95% CI, standard errors clustered by unit).",
        f"Resistance changed by {change} points from {w0} to {w1} among the "
        f"{pairs} employees who answered both waves.",
        "These are associations, not proof of cause: transparency and communication are "
        "measured in the same survey.",
    ]
    if few:
        out.append(
            f"Few units ({summary.drivers.n_clusters}): clustered p-values can be too small."
        )
    return out


#: How the brief names the drivers a planner can act on.
DRIVER_WORDS = {
    "id": {"transparency": "transparansi tujuan evaluasi", "communication": "komunikasi"},
    "en": {
        "transparency": "transparency about the purpose of evaluation",
        "communication": "communication",
    },
}


def resistance_actions(summary: ResistanceSummary, *, lang: Lang = "id") -> list[str]:
    """Recommend what to do about resistance to evaluation.

    Parameters
    ----------
    summary : ResistanceSummary
        Output of :func:`asn_analysis.reporting.summaries.summarize_resistance`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of str
        Recommended actions, only for drivers whose CI excludes zero, and the units with the
        highest resistance now (groups under 5 employees are never named).

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> from asn_analysis.reporting.summaries import summarize_resistance
    >>> actions = resistance_actions(summarize_resistance(load_dataset()), lang="en")
    >>> actions[-1].startswith("Units with the highest resistance now")
    True
    """
    check_lang(lang)
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
    words = DRIVER_WORDS[lang]
    out = []
    if lowers:
        out.append(
            choose(lang, "Perkuat ", "Strengthen ")
            + choose(lang, " dan ", " and ").join(words[k] for k in lowers)
            + choose(
                lang,
                " sebelum dan selama evaluasi: keduanya sejalan dengan resistensi lebih rendah.",
                " before and during evaluation: both go with lower resistance.",
            )
        )
    if threat:
        out.append(
            choose(
                lang,
                "Tegaskan bahwa hasil evaluasi dipakai untuk pengembangan, bukan hukuman.",
                "Make clear that evaluation results serve development, not punishment.",
            )
        )
    out.append(
        choose(
            lang,
            "Unit dengan resistensi tertinggi saat ini: ",
            "Units with the highest resistance now: ",
        )
        + ", ".join(top)
        + "."
    )
    return out
