"""Which units to train in which competency first: the brief's training-priority actions."""

from __future__ import annotations

from asn_analysis._validation import Lang, check_lang
from asn_analysis.reporting.summaries import Results
from asn_analysis.reporting.text import count

__all__ = ["competency_actions"]


def competency_actions(results: Results, *, lang: Lang = "id", top: int = 5) -> list[str]:
    """Recommend which units to train in which competency first.

    Parameters
    ----------
    results : Results
        Output of :func:`asn_analysis.reporting.summaries.collect`; reads
        ``results.competency["needs"]`` (:func:`asn_analysis.competency.training_needs`).
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.
    top : int, default 5
        Number of priorities named.

    Returns
    -------
    list of str
        One action per priority, with the JP (hours of instruction) needed; groups under 5
        employees are never named.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> needs = pd.DataFrame({"rank": [1], "unit_id": ["U01"], "competency": ["teknis"],
    ...                       "n": [12], "n_below": [7], "jp_needed": [1240.4],
    ...                       "suppressed": [False]})
    >>> units = pd.DataFrame({"unit_id": ["U01"], "unit_name": ["Dinas Kesehatan"]})
    >>> results = SimpleNamespace(competency={"needs": needs},
    ...                           dataset=SimpleNamespace(units=units))
    >>> print(competency_actions(results, lang="en")[0])
    Priority 1: train teknis in Dinas Kesehatan — 7 of 12 staff below standard,
    about 1,240 JP needed.
    """
    check_lang(lang)
    needs = results.competency["needs"]
    needs = needs[~needs["suppressed"].astype(bool)].head(top)
    names = results.dataset.units.set_index("unit_id")["unit_name"]
    out = []
    for r in needs.itertuples():
        unit = names.get(r.unit_id, r.unit_id)
        jp = count(int(round(r.jp_needed)), lang)
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
