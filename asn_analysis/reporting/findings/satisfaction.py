"""Citizen satisfaction (IKM, PermenPANRB 14/2017) in plain language: findings and actions."""

from __future__ import annotations

import pandas as pd

from asn_analysis._validation import Lang, check_lang
from asn_analysis.data.privacy import MIN_GROUP_SIZE
from asn_analysis.reporting.labels import label
from asn_analysis.reporting.summaries import SatisfactionSummary
from asn_analysis.reporting.text import choose, interval, number

__all__ = ["satisfaction_actions", "satisfaction_findings"]


def _shown(units: pd.DataFrame) -> pd.DataFrame:
    """Units whose IKM may be stated: those with at least 5 respondents (small-cell rule)."""
    return units[units["n"] >= MIN_GROUP_SIZE]


def satisfaction_findings(summary: SatisfactionSummary, *, lang: Lang = "id") -> list[str]:
    """Describe the citizen-satisfaction results in plain language (notebook 03, the brief).

    Parameters
    ----------
    summary : SatisfactionSummary
        Output of :func:`asn_analysis.reporting.summaries.summarize_satisfaction`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of str
        One sentence per finding; every IKM value with its confidence interval, the grade
        (mutu) and unit performance (kinerja) of PermenPANRB 14/2017, and the units short of
        the Krejcie-Morgan (1970) sample size.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> from asn_analysis.reporting.summaries import summarize_satisfaction
    >>> sat = summarize_satisfaction(load_dataset(), n_boot=20)
    >>> satisfaction_findings(sat, lang="en")[0].startswith("IKM of all units in 2025-S2")
    True
    """
    check_lang(lang)
    p = summary.period
    reg = summary.regency.set_index("period").loc[p]
    cur = _shown(summary.units[summary.units["period"] == p]).sort_values("ikm_converted")
    low = cur.head(3)
    below_b = cur[cur["mutu"].isin(["C", "D"])]
    ch = summary.change.set_index("element").loc["ikm_converted"]
    short = summary.adequacy[~summary.adequacy["adequate"].astype(bool)]
    common = summary.weakest["element"].value_counts().head(3)

    def ci(row: pd.Series) -> str:
        est = number(row["ikm_converted"], lang, 2)
        lo, hi = (number(row[f"ikm_converted_ci_{b}"], lang, 1) for b in ("low", "high"))
        return f"{est} ({lo}-{hi})"

    low_txt = ", ".join(f"{row['unit_name']} {ci(row)}" for _, row in low.iterrows())
    weak_txt = ", ".join(f"{label(e, 'element', lang)} ({n})" for e, n in common.items())
    diff = interval(ch["diff"], ch["ci_low"], ch["ci_high"], lang)
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


def satisfaction_actions(summary: SatisfactionSummary, *, lang: Lang = "id") -> list[str]:
    """Recommend what to do about citizen satisfaction.

    Parameters
    ----------
    summary : SatisfactionSummary
        Output of :func:`asn_analysis.reporting.summaries.summarize_satisfaction`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of str
        Recommended actions: units graded C/D first, the weakest elements (unsur), and
        surveys short of the Krejcie-Morgan sample size.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> from asn_analysis.reporting.summaries import summarize_satisfaction
    >>> sat = summarize_satisfaction(load_dataset(), n_boot=20)
    >>> any(a.startswith("Focus improvement") for a in satisfaction_actions(sat, lang="en"))
    True
    """
    check_lang(lang)
    cur = _shown(summary.units[summary.units["period"] == summary.period])
    weak_units = cur[cur["mutu"].isin(["C", "D"])].sort_values("ikm_converted")["unit_name"]
    common = list(summary.weakest["element"].value_counts().head(3).index)
    short = summary.adequacy[~summary.adequacy["adequate"].astype(bool)]
    short_units = sorted(short["unit_name"].unique())
    out = []
    if len(weak_units):
        out.append(
            choose(
                lang,
                "Dampingi lebih dulu unit bermutu C/D: ",
                "Support the units graded C/D first: ",
            )
            + ", ".join(weak_units)
            + "."
        )
    out.append(
        choose(lang, "Fokus perbaikan pada unsur ", "Focus improvement on the elements ")
        + ", ".join(label(e, "element", lang) for e in common)
        + "."
    )
    if short_units:
        out.append(
            choose(
                lang,
                f"Penuhi jumlah responden minimal (Krejcie-Morgan) pada survei berikut di "
                f"{len(short_units)} unit yang pernah kurang.",
                f"Reach the minimum number of respondents (Krejcie-Morgan) in the next survey in "
                f"the {len(short_units)} units that fell short.",
            )
        )
    return out
