"""Competency findings: plain-language sentences on competency fit and its cost (notebook 02).

:func:`competency_findings` turns the results of :mod:`asn_analysis.competency` (JPM, gaps,
mismatch, the cost of misfit, training needs) and the 9-box of :mod:`asn_analysis.talent` into
sentences in Bahasa Indonesia or English. Counts describe the data; model estimates carry their
confidence interval (IK = interval kepercayaan). :func:`competency_actions` says which units
to train in which competency first (the brief's training-priority actions).

References
----------
.. [1] Peraturan Menteri PANRB No. 38 Tahun 2017 (standar kompetensi jabatan) and No. 3 Tahun
   2020 (manajemen talenta: the 9-box).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from asn_analysis._validation import Lang, check_lang
from asn_analysis.competency import (
    JP_PER_LEVEL,
    MODEL_IKM,
    MODEL_ORDERED,
    FitEffectsResult,
    MismatchResult,
)
from asn_analysis.reporting.disclosure import hides_count
from asn_analysis.reporting.labels import label
from asn_analysis.reporting.summaries import Results
from asn_analysis.reporting.text import ci_text, count, number, people, percent, share_of

__all__ = ["competency_actions", "competency_findings"]


def _num(value: float, lang: Lang, digits: int = 1) -> str:
    """Format a number with thousands grouping (1.234,5 / 1,234.5)."""
    return number(value, lang, digits, grouping=True)


def _ci(
    low: float, high: float, lang: Lang, digits: int = 2, level: float = 0.95, unit: str = ""
) -> str:
    return ci_text(low, high, lang, digits, level=level, unit=unit, grouping=True, to_id="s.d.")


def _shown(table: pd.DataFrame) -> pd.DataFrame:
    """Rows whose "n_below of n" a sentence may state (the small-cell rule, with its total)."""
    ok = [
        not hides_count(int(k), total=int(n))
        for k, n in zip(table["n_below"], table["n"], strict=True)
    ]
    return table[np.asarray(ok, dtype=bool)]


def _signed(value: float, lang: Lang, digits: int = 2) -> str:
    return ("+" if value > 0 else "") + _num(value, lang, digits)


def competency_findings(
    jpm: pd.DataFrame,
    mismatch: MismatchResult,
    effects: FitEffectsResult | None = None,
    needs: pd.DataFrame | None = None,
    *,
    gaps_by_unit: pd.DataFrame | None = None,
    talent: pd.DataFrame | None = None,
    units: pd.DataFrame | None = None,
    lang: Lang = "id",
) -> list[str]:
    """Describe competency fit and its cost in plain language (notebook 02).

    Parameters
    ----------
    jpm : pandas.DataFrame
        Output of :func:`job_person_match`.
    mismatch : MismatchResult
        Output of :func:`mismatches`.
    effects : FitEffectsResult, optional
        Output of :func:`fit_effects`: adds the cost of misfit, each estimate with its CI.
    needs : pandas.DataFrame, optional
        Output of :func:`training_needs`: adds the top priorities.
    gaps_by_unit : pandas.DataFrame, optional
        Output of :func:`unit_gaps`: adds the largest gap (groups of at least 5 only).
    talent : pandas.DataFrame, optional
        Output of :func:`asn_analysis.talent.employee_talent`: adds the 9-box summary.
    units : pandas.DataFrame, optional
        ``unit_id`` and ``unit_name``, to name units.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of str
        One sentence per finding. Counts describe the data; model estimates carry their
        confidence interval (IK = interval kepercayaan).

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> from asn_analysis.competency import competency_gaps, job_person_match, mismatches
    >>> ds = load_dataset()
    >>> args = (ds.competency_assessments, ds.competency_standards, ds.employees)
    >>> jpm = job_person_match(*args, as_of="2025-06-30")
    >>> mis = mismatches(competency_gaps(*args, as_of="2025-06-30"), ds.employees)
    >>> competency_findings(jpm, mis, lang="en")[0].startswith("Job Person Match")
    True
    """
    check_lang(lang)
    names = {} if units is None else dict(zip(units["unit_id"], units["unit_name"], strict=False))

    def unit(u: Any) -> str:
        return str(names.get(u, u))

    idn = lang == "id"
    out = []
    n = len(jpm)
    counts = jpm["category"].value_counts()
    cats = list(jpm["category"].cat.categories)
    median = float(jpm["jpm_pct"].median())
    parts = ", ".join(f"{share_of(int(counts.get(c, 0)), n, lang)} {c}" for c in reversed(cats))
    scheme = jpm.attrs.get("scheme", "pemetaan")
    out.append(
        f"Kesesuaian kompetensi dengan jabatan (JPM) {people(n, lang)} pegawai: median "
        f"{_num(median, lang)}%; {parts} (skema {scheme})."
        if idn
        else f"Job Person Match (JPM) of {people(n, lang)} employees: median "
        f"{_num(median, lang)}%; {parts} "
        f"({scheme} scheme)."
    )
    if gaps_by_unit is not None and len(gaps_by_unit):
        top = _shown(gaps_by_unit[~gaps_by_unit["small_group"]]).sort_values(
            ["share_below", "n"], ascending=False
        )
        if len(top):
            r = top.iloc[0]
            share = percent(r["share_below"], lang)
            comp = label(r["competency"], "competency", lang)
            k, of = count(int(r["n_below"]), lang), count(int(r["n"]), lang)
            out.append(
                f"Kesenjangan terbesar: {comp} di {unit(r['unit_id'])}, "
                f"{k} dari {of} pegawai ({share}) di bawah standar."
                if idn
                else f"Largest gap: {comp} in {unit(r['unit_id'])}, {k} "
                f"of {of} employees ({share}) below standard."
            )
    fam = mismatch.by_job_family
    if len(fam) and (fam["job_family"] == "teknologi_informasi").any():
        r = fam.set_index("job_family").loc["teknologi_informasi"]
        home = unit(r["home_unit"])
        ci_o = _ci(100 * r["ci_low_outside"], 100 * r["ci_high_outside"], lang, 0, unit="%")
        ci_h = _ci(100 * r["ci_low_home"], 100 * r["ci_high_home"], lang, 0, unit="%")
        k_o, n_o = int(r["n_mismatch_outside"]), int(r["n_outside"])
        k_h, n_h = int(r["n_mismatch_home"]), int(r["n_home"])
        p_o, p_h = percent(r["share_outside"], lang), percent(r["share_home"], lang)
        # A share or interval beside a hidden count would give the count away.
        if hides_count(k_o, total=n_o):
            p_o, ci_o = share_of(k_o, n_o, lang), "-"
        if hides_count(k_h, total=n_h):
            p_h, ci_h = share_of(k_h, n_h, lang), "-"
        k_o, k_h = people(k_o, lang, total=n_o), people(k_h, lang, total=n_h)
        n_o, n_h = people(n_o, lang), people(n_h, lang)
        out.append(
            f"Jabatan TI di luar {home}: {k_o} dari {n_o} pemegang ({p_o}; {ci_o}) belum "
            f"memiliki level kompetensi teknis TI yang dipersyaratkan jabatannya, dibanding "
            f"{k_h} dari {n_h} ({p_h}; {ci_h}) di {home}."
            if idn
            else f"IT posts outside {home}: {k_o} of {n_o} holders ({p_o}; {ci_o}) lack the IT "
            f"level their post requires, against {k_h} of {n_h} ({p_h}; {ci_h}) in {home}."
        )
    mis = mismatch.employees["mismatch"]
    total_mis = share_of(int(mis.sum()), len(mis), lang) if len(mis) else percent(np.nan, lang)
    out.append(
        f"Secara keseluruhan {total_mis} pegawai berada di bawah standar kompetensi "
        "teknis jabatannya (ketidaksesuaian jabatan)."
        if idn
        else f"Overall, {total_mis} of employees are below their post's technical "
        "competency standard (job mismatch)."
    )
    if effects is not None:
        lvl = effects.level
        tab = effects.table.set_index(["model", "term"])

        def how(model: str, row: pd.Series) -> str:
            """Name the headline method of the interval (the one rule of inference="auto")."""
            method = str(row.get("inference", ""))
            g = effects.n_clusters[model]
            if method.startswith("wild"):
                return (
                    f" Interval dari bootstrap klaster liar karena unitnya sedikit ({g}); "
                    "interval galat baku klaster (CR1) ditampilkan di sampingnya di notebook 02."
                    if idn
                    else f" Intervals from a wild cluster bootstrap, as there are few units "
                    f"({g}); the cluster-robust (CR1) ones are shown beside them in notebook 02."
                )
            if method.startswith(("cluster-robust", "CR1")):
                return (
                    f" Interval galat baku klaster (CR1), {g} klaster."
                    if idn
                    else f" Cluster-robust (CR1) intervals, {g} clusters."
                )
            return ""

        if (MODEL_ORDERED, "mismatch") in tab.index:
            r = tab.loc[(MODEL_ORDERED, "mismatch")]
            j = tab.loc[(MODEL_ORDERED, "jpm_per_10")]
            ci_m = _ci(r["or_ci_low"], r["or_ci_high"], lang, 2, lvl)
            ci_j = _ci(j["or_ci_low"], j["or_ci_high"], lang, 2, lvl)
            or_m, or_j = _num(r["odds_ratio"], lang, 2), _num(j["odds_ratio"], lang, 2)
            out.append(
                f"Kinerja: bagi pegawai yang tidak sesuai jabatan, peluang relatif meraih "
                f"predikat yang lebih baik adalah {or_m} kali peluang relatif pegawai yang sesuai "
                f"({ci_m}); setiap tambahan 10 poin JPM mengalikan peluang relatif itu dengan "
                f"{or_j} ({ci_j}). Logit berurutan dengan kontrol jenis jabatan dan unit; "
                "asosiasi, bukan sebab-akibat."
                if idn
                else f"Performance: the odds of a better predikat for mismatched employees are "
                f"{or_m} times those of matched employees ({ci_m}); each 10 more JPM points "
                f"multiply those odds by {or_j} ({ci_j}). Ordered logit with job type and unit "
                "controls; an association, not a causal effect."
            )
            out[-1] += how(MODEL_ORDERED, r)
        if (MODEL_IKM, "mismatch_share") in tab.index:
            r = tab.loc[(MODEL_IKM, "mismatch_share")]
            j = tab.loc[(MODEL_IKM, "mean_jpm")]
            ci_m = _ci(r["ci_low"] / 10, r["ci_high"] / 10, lang, 2, lvl)
            ci_j = _ci(j["ci_low"], j["ci_high"], lang, 2, lvl)
            b_m, b_j = _signed(r["coef"] / 10, lang), _signed(j["coef"], lang)
            out.append(
                f"Kepuasan masyarakat: setiap tambahan 10 poin persen porsi pegawai yang tidak "
                f"sesuai jabatan di suatu unit berasosiasi dengan selisih IKM (konversi) {b_m} "
                f"poin ({ci_m}); setiap tambahan 1 poin rata-rata JPM unit dengan {b_j} poin "
                f"({ci_j}). Perbandingan antarunit; asosiasi, bukan sebab-akibat."
                if idn
                else f"Citizen satisfaction: each 10 percentage points more mismatched staff in a "
                f"unit go with a converted IKM difference of {b_m} points ({ci_m}); each extra "
                f"point of the unit's mean JPM with {b_j} points ({ci_j}). A comparison across "
                "units; an association, not a causal effect."
            )
            out[-1] += how(MODEL_IKM, r)
    if needs is not None and len(needs):
        ranked = _shown(needs.dropna(subset=["rank"])).head(3)
        items = []
        for r in ranked.itertuples(index=False):
            comp, k = label(r.competency, "competency", lang), count(int(r.n_below), lang)
            jp_text = count(int(round(r.jp_needed)), lang)
            items.append(
                f"{comp} di {unit(r.unit_id)} ({k} pegawai, {jp_text} JP)"
                if idn
                else f"{comp} in {unit(r.unit_id)} ({k} employees, {jp_text} JP)"
            )
        jp = needs.attrs.get("jp_per_level", JP_PER_LEVEL)
        if items:
            out.append(
                "Prioritas pelatihan teratas: "
                + "; ".join(items)
                + f" (asumsi {_num(jp, lang, 0)} JP per level)."
                if idn
                else "Top training priorities: "
                + "; ".join(items)
                + f" (assuming {_num(jp, lang, 0)} JP per level)."
            )
    if talent is not None and len(talent):
        known = talent["box"].notna()
        pool = talent.loc[known, "talent_pool"].mean()
        lowest = (talent["kinerja"] == "di_bawah") & (talent["potensial"] == "rendah")
        box1 = int(lowest[known].sum())
        n_known = people(int(known.sum()), lang)
        box1 = people(box1, lang)
        out.append(
            f"Talenta (9-box): {percent(pool, lang)} dari {n_known} pegawai di kotak 7-9 "
            f"(kelompok suksesi); {box1} pegawai di kotak 1 (ditangani sesuai ketentuan)."
            if idn
            else f"Talent (9-box): {percent(pool, lang)} of {n_known} employees in boxes "
            f"7-9 (succession pool); {box1} employees in box 1 (handled under the rules)."
        )
    return out


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
        employees are never named, nor a priority whose count below standard (or the rest
        of its group) is 1 to 4 (the small-cell rule).

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> needs = pd.DataFrame({"rank": [1], "unit_id": ["U01"], "competency": ["teknis"],
    ...                       "n": [12], "n_below": [7], "jp_needed": [1240.4],
    ...                       "suppressed": [False]})
    >>> units = pd.DataFrame({"unit_id": ["U01"], "unit_name": ["Dinas Sosial"]})
    >>> results = SimpleNamespace(competency={"needs": needs},
    ...                           dataset=SimpleNamespace(units=units))
    >>> print(competency_actions(results, lang="en")[0])
    Priority 1: train teknis in Dinas Sosial — 7 of 12 staff below standard,
    about 1,240 JP needed.
    """
    check_lang(lang)
    needs = results.competency["needs"]
    needs = _shown(needs[~needs["suppressed"].astype(bool)]).head(top)
    names = results.dataset.units.set_index("unit_id")["unit_name"]
    out = []
    for r in needs.itertuples():
        unit = names.get(r.unit_id, r.unit_id)
        jp = count(int(round(r.jp_needed)), lang)
        comp = label(r.competency, "competency", lang)
        k, n = count(int(r.n_below), lang), count(int(r.n), lang)
        if lang == "id":
            out.append(
                f"Prioritas {r.rank}: latih {comp} di {unit} — {k} dari {n} "
                f"pegawai di bawah standar, kebutuhan sekitar {jp} JP."
            )
        else:
            out.append(
                f"Priority {r.rank}: train {comp} in {unit} — {k} of {n} staff "
                f"below standard, about {jp} JP needed."
            )
    return out
