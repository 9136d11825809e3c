"""The brief's first screen and its ranked tables: headline findings, top actions, tables.

:func:`front_page` picks at most six headline numbers, each with its interval and one line of
meaning, and the top actions a decision maker takes (train whom in what and how many JP, fix
which SKM elements and surveys, lower resistance). The ranked lists (training priorities, units
by IKM, weakest SKM elements) are :class:`Table` objects whose cells went through the one
small-cell step (:func:`asn_analysis.reporting.disclosure.protect`) before being formatted
(:func:`asn_analysis.reporting.text.cell`). Nothing here estimates anything: it reads
:class:`~asn_analysis.reporting.summaries.Results`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd  # noqa: F401  (the examples use it)

from asn_analysis._validation import Lang, check_lang
from asn_analysis.data.privacy import MIN_GROUP_SIZE
from asn_analysis.reporting.disclosure import SUPPRESSED, hides_count, protect
from asn_analysis.reporting.labels import label
from asn_analysis.reporting.summaries import Results, SatisfactionSummary
from asn_analysis.reporting.text import cell, choose, ci_text, count, number, people, percent
from asn_analysis.stats.intervals import wilson_interval

__all__ = [
    "HOW_WE_KNOW",
    "FrontPage",
    "Headline",
    "Table",
    "front_page",
    "ikm_units_table",
    "priorities_table",
    "weakest_elements_table",
]

#: Heading of each section's methods and caveats.
HOW_WE_KNOW = ("Cara kami mengetahuinya", "How we know")
#: At most this many headline findings on the first screen.
MAX_HEADLINES = 6


@dataclass(frozen=True)
class Table:
    """A ranked list shown as a table, every cell already formatted and disclosure-checked.

    Attributes
    ----------
    key : str
        Stable identifier.
    title : str
        Caption in the reader's language.
    columns : tuple of str
        Column headers in the reader's language.
    rows : tuple of tuple of str
        Formatted cells (hidden cells read ``"<5"`` or ``"x"``).
    note : str
        A line under the table (what ``"<5"`` means, an assumption), or "".

    Examples
    --------
    >>> t = Table("t", "Units", ("Unit", "n"), (("Dinas <A>", "<5"),))
    >>> print(t.html())
    <table class="ranked"><caption>Units</caption><thead><tr><th>Unit</th><th>n</th></tr>\
</thead><tbody><tr><td>Dinas &lt;A&gt;</td><td>&lt;5</td></tr></tbody></table>
    """

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""

    def html(self) -> str:
        """Return the table as escaped HTML."""
        e = html.escape
        head = "".join(f"<th>{e(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>" for row in self.rows
        )
        note = f'<p class="tnote">{e(self.note)}</p>' if self.note else ""
        return (
            f'<table class="ranked"><caption>{e(self.title)}</caption><thead><tr>{head}</tr>'
            f"</thead><tbody>{body}</tbody></table>{note}"
        )


@dataclass(frozen=True)
class Headline:
    """One headline finding: what, the number with its interval, and what it means."""

    what: str
    value: str
    meaning: str


@dataclass(frozen=True)
class FrontPage:
    """The brief's first screen: headline findings and top actions."""

    headlines: tuple[Headline, ...]
    actions: tuple[str, ...]


def _small_note(lang: Lang) -> str:
    return choose(
        lang,
        f"{SUPPRESSED}: kurang dari {MIN_GROUP_SIZE} orang, tidak ditampilkan (UU 27/2022); "
        "x: ikut disembunyikan.",
        f"{SUPPRESSED}: fewer than {MIN_GROUP_SIZE} people, not shown (UU 27/2022); x: hidden too.",
    )


def _fmt(value: object, lang: Lang, digits: int = 1) -> str:
    return cell(value, lang, digits)


def priorities_table(results: Results, *, lang: Lang = "id", top: int = 10) -> Table | None:
    """Rank the training priorities (unit x competency) with the JP they need.

    Parameters
    ----------
    results : Results
        Output of :func:`asn_analysis.reporting.summaries.collect`.
    lang : {"id", "en"}, default "id"
        Language of headers and names.
    top : int, default 10
        Rows shown.

    Returns
    -------
    Table or None
        None without competency results. Groups under 5 employees are left out (they are
        never ranked); counts of 1-4 below standard, and what they reveal, read ``"<5"``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> needs = pd.DataFrame({"rank": [1, 2], "unit_id": ["U1", "U2"],
    ...     "competency": ["komunikasi", "integritas"], "group": "manajerial", "n": [40, 30],
    ...     "n_below": [12, 3], "share_below": [0.3, 0.1], "jp_needed": [960.0, 120.0],
    ...     "suppressed": False})
    >>> units = pd.DataFrame({"unit_id": ["U1", "U2"], "unit_name": ["Dinas A", "Dinas B"]})
    >>> r = SimpleNamespace(competency={"needs": needs}, dataset=SimpleNamespace(units=units))
    >>> priorities_table(r, lang="id").rows
    (('1', 'Dinas A', 'Komunikasi', '12', '30%', '960'), ('2', 'Dinas B', 'Integritas', '<5', \
'<5', '<5'))
    """
    check_lang(lang)
    if results.competency is None:
        return None
    needs = results.competency["needs"]
    needs = needs[~needs["suppressed"].astype(bool)].dropna(subset=["rank"]).head(top)
    if needs.empty:
        return None
    names = results.dataset.units.set_index("unit_id")["unit_name"]
    shown = protect(
        needs,
        counts=("n", "n_below"),
        totals={"n_below": "n"},
        stats={"share_below": ("n", "n_below"), "jp_needed": ("n_below",)},
    )
    rows = []
    for r in shown.itertuples(index=False):
        share = r.share_below if isinstance(r.share_below, str) else percent(r.share_below, lang)
        rows.append(
            (
                count(int(r.rank), lang),
                str(names.get(r.unit_id, r.unit_id)),
                label(r.competency, "competency", lang),
                _fmt(r.n_below, lang),
                share,
                _fmt(r.jp_needed, lang, 0),
            )
        )
    jp = needs.attrs.get("jp_per_level")
    note = _small_note(lang)
    if jp:
        note = (
            choose(
                lang,
                f"Asumsi {count(int(jp), lang)} JP per level. ",
                f"Assuming {jp:g} JP per level. ",
            )
            + note
        )
    return Table(
        "priorities",
        choose(lang, "Prioritas pelatihan", "Training priorities"),
        tuple(
            choose(lang, a, b)
            for a, b in (
                ("Peringkat", "Rank"),
                ("Unit kerja", "Unit"),
                ("Kompetensi", "Competency"),
                ("Pegawai di bawah standar", "Staff below standard"),
                ("Porsi", "Share"),
                ("JP dibutuhkan", "JP needed"),
            )
        ),
        tuple(rows),
        note,
    )


def ikm_units_table(summary: SatisfactionSummary, *, lang: Lang = "id") -> Table:
    """Rank the units by converted IKM in the reference period, lowest first.

    Units with fewer than 5 respondents show ``"<5"`` for n, IKM and mutu and come last; the
    respondent counts sum to the stated total, so one hidden count is never left alone
    (:func:`~asn_analysis.reporting.disclosure.protect` with ``summed``).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> units = pd.DataFrame({"unit_name": ["A", "B", "C"], "period": "2025-S2",
    ...     "n": [3, 40, 60], "ikm_converted": [70.0, 75.0, 80.0],
    ...     "ikm_converted_ci_low": [60.0, 73.0, 78.0], "ikm_converted_ci_high": [80.0, 77.0, 82.0],
    ...     "mutu": ["C", "C", "B"], "kinerja": ["Kurang Baik", "Kurang Baik", "Baik"]})
    >>> t = ikm_units_table(SimpleNamespace(units=units, period="2025-S2"), lang="en")
    >>> [r[:3] for r in t.rows]
    [('C', '60', '80.0 (78.0-82.0)'), ('A', '<5', '<5'), ('B', 'x', 'x')]
    """
    check_lang(lang)
    cur = summary.units[summary.units["period"] == summary.period]
    cols = ["ikm_converted", "ikm_converted_ci_low", "ikm_converted_ci_high", "mutu", "kinerja"]
    shown = protect(cur, counts=("n",), stats=dict.fromkeys(cols, "n"), summed=("n",))
    hidden = shown["ikm_converted"].map(lambda v: isinstance(v, str))
    # hidden rows last, by name: their order must not rank the hidden IKM
    ikm = np.where(hidden.to_numpy(), np.inf, cur["ikm_converted"].to_numpy(dtype=float))
    order = np.lexsort((cur["unit_name"].astype(str).to_numpy(), ikm))
    rows = []
    for r in shown.iloc[order].itertuples(index=False):
        if isinstance(r.ikm_converted, str):
            ikm = r.ikm_converted
        else:
            lo, hi = (number(v, lang, 1) for v in (r.ikm_converted_ci_low, r.ikm_converted_ci_high))
            ikm = f"{number(r.ikm_converted, lang, 1)} ({lo}-{hi})"
        perf = r.kinerja if isinstance(r.kinerja, str) and r.kinerja in (SUPPRESSED, "x") else None
        perf = perf or label(str(r.kinerja), "kinerja", lang)
        rows.append((str(r.unit_name), _fmt(r.n, lang), ikm, str(r.mutu), perf))
    return Table(
        "ikm_units",
        choose(
            lang,
            f"Unit kerja menurut IKM, {summary.period} (terendah dahulu)",
            f"Units by IKM, {summary.period} (lowest first)",
        ),
        tuple(
            choose(lang, a, b)
            for a, b in (
                ("Unit kerja", "Unit"),
                ("Responden", "Respondents"),
                ("IKM (IK 95%)", "IKM (95% CI)"),
                ("Mutu", "Grade"),
                ("Kinerja", "Performance"),
            )
        ),
        tuple(rows),
        _small_note(lang),
    )


def weakest_elements_table(summary: SatisfactionSummary, *, lang: Lang = "id") -> Table:
    """Rank the nine SKM elements of all units together, weakest first, with their change.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> change = pd.DataFrame({"element": ["waktu", "biaya", "ikm_converted"],
    ...     "nrr_after": [2.9, 3.5, 80.0], "diff": [0.1, 0.0, 2.0], "ci_low": [0.05, -0.02, 1.0],
    ...     "ci_high": [0.15, 0.02, 3.0], "n_after": [900, 900, 900]})
    >>> weakest = pd.DataFrame({"unit_id": ["U1", "U2"], "element": ["waktu", "waktu"]})
    >>> s = SimpleNamespace(change=change, weakest=weakest, period="2025-S2",
    ...                     first_period="2022-S1", units=pd.DataFrame())
    >>> weakest_elements_table(s, lang="en").rows[0]
    ('1', 'Completion time', '2.90', '+0.10 (0.05 to 0.15)', '2')
    """
    check_lang(lang)
    ch = summary.change[summary.change["element"] != "ikm_converted"].sort_values("nrr_after")
    ch = protect(ch, counts=("n_after",), stats=dict.fromkeys(["nrr_after", "diff"], "n_after"))
    among = summary.weakest["element"].value_counts()
    rows = []
    for rank, r in enumerate(ch.itertuples(index=False), start=1):
        if isinstance(r.diff, str):
            diff = r.diff
        else:
            lo, hi = number(r.ci_low, lang, 2), number(r.ci_high, lang, 2)
            diff = f"{number(r.diff, lang, 2, sign=True)} ({lo} {choose(lang, 's.d.', 'to')} {hi})"
        rows.append(
            (
                str(rank),
                label(r.element, "element", lang),
                _fmt(r.nrr_after, lang, 2),
                diff,
                count(int(among.get(r.element, 0)), lang),
            )
        )
    return Table(
        "weakest_elements",
        choose(
            lang,
            f"Unsur SKM seluruh unit, {summary.period} (terlemah dahulu)",
            f"SKM elements, all units, {summary.period} (weakest first)",
        ),
        tuple(
            choose(lang, a, b)
            for a, b in (
                ("Peringkat", "Rank"),
                ("Unsur", "Element"),
                ("NRR (1-4)", "NRR (1-4)"),
                (
                    f"Perubahan sejak {summary.first_period} (IK 95%)",
                    f"Change since {summary.first_period} (95% CI)",
                ),
                (
                    "Unit yang unsur ini termasuk 3 terlemahnya",
                    "Units where it is among the 3 weakest",
                ),
            )
        ),
        tuple(rows),
    )


def _ci(est: float, low: float, high: float, lang: Lang, digits: int = 2, unit: str = "") -> str:
    ci = ci_text(low, high, lang, digits, unit=unit, to_id="s.d.")
    return f"{number(est, lang, digits)}{unit} ({ci})"


def _direction(low: float, high: float, lang: Lang, up: str, down: str, none: str) -> str:
    if low > 0:
        return up
    if high < 0:
        return down
    return none


def _headlines(results: Results, lang: Lang) -> list[Headline]:
    out = []
    sat, res, c = results.satisfaction, results.resistance, results.competency
    if sat is not None:
        reg = sat.regency.set_index("period").loc[sat.period]
        cur = sat.units[(sat.units["period"] == sat.period) & (sat.units["n"] >= MIN_GROUP_SIZE)]
        low = int(cur["mutu"].isin(["C", "D"]).sum())
        out.append(
            Headline(
                choose(lang, f"IKM seluruh unit, {sat.period}", f"IKM, all units, {sat.period}"),
                _ci(
                    reg["ikm_converted"],
                    reg["ikm_converted_ci_low"],
                    reg["ikm_converted_ci_high"],
                    lang,
                    1,
                ),
                choose(
                    lang,
                    f"Mutu {reg['mutu']} ({label(reg['kinerja'], 'kinerja', lang)}); "
                    f"{count(low, lang)} dari "
                    f"{count(len(cur), lang)} unit bermutu C atau D.",
                    f"Grade {reg['mutu']} ({label(reg['kinerja'], 'kinerja', lang)}); "
                    f"{count(low, lang)} of "
                    f"{count(len(cur), lang)} units are graded C or D.",
                ),
            )
        )
        ch = sat.change.set_index("element").loc["ikm_converted"]
        out.append(
            Headline(
                choose(
                    lang,
                    f"Perubahan IKM sejak {sat.first_period}",
                    f"Change in IKM since {sat.first_period}",
                ),
                _ci(ch["diff"], ch["ci_low"], ch["ci_high"], lang, 1),
                _direction(
                    ch["ci_low"],
                    ch["ci_high"],
                    lang,
                    choose(lang, "Kepuasan masyarakat naik.", "Citizen satisfaction rose."),
                    choose(lang, "Kepuasan masyarakat turun.", "Citizen satisfaction fell."),
                    choose(lang, "Tidak ada perubahan yang jelas.", "No clear change."),
                ),
            )
        )
    eff = (results.effects or {}).get("staggered") or (results.effects or {}).get("twfe")
    if eff is not None:
        out.append(
            Headline(
                choose(lang, "Efek pelatihan pada IKM unit", "Training effect on unit IKM"),
                _ci(eff.estimate, eff.ci_low, eff.ci_high, lang, 1),
                _direction(
                    eff.ci_low,
                    eff.ci_high,
                    lang,
                    choose(
                        lang,
                        "Unit yang stafnya dilatih naik IKM-nya dibanding unit yang belum.",
                        "Units whose staff were trained gained IKM against units not yet trained.",
                    ),
                    choose(lang, "IKM unit yang dilatih turun.", "Trained units lost IKM."),
                    choose(lang, "Efek belum terbukti.", "No effect shown yet."),
                ),
            )
        )
    if c is not None:
        mis = c["mismatches"].employees["mismatch"].astype(bool)
        k, n = int(mis.sum()), len(mis)
        if n and not hides_count(k, total=n):
            lo, hi = wilson_interval(np.array([k]), np.array([n]), 0.95)
            out.append(
                Headline(
                    choose(
                        lang,
                        "Pegawai di bawah standar kompetensi teknis jabatannya",
                        "Staff below their post's technical competency standard",
                    ),
                    _ci(100 * k / n, 100 * lo[0], 100 * hi[0], lang, 0, unit="%"),
                    choose(
                        lang,
                        f"{people(k, lang)} dari {people(n, lang)} pegawai perlu pelatihan teknis "
                        "atau penempatan yang sesuai.",
                        f"{people(k, lang)} of {people(n, lang)} staff need technical training "
                        "or a better-suited post.",
                    ),
                )
            )
    if res is not None:
        ch = res.change.loc["resistance"]
        out.append(
            Headline(
                choose(
                    lang,
                    f"Perubahan resistensi terhadap evaluasi, {res.waves[0]} ke {res.waves[1]}",
                    f"Change in resistance to evaluation, {res.waves[0]} to {res.waves[1]}",
                ),
                _ci(ch["diff"], ch["ci_low"], ch["ci_high"], lang),
                _direction(
                    ch["ci_low"],
                    ch["ci_high"],
                    lang,
                    choose(lang, "Resistensi naik (skala 1-6).", "Resistance rose (1-6 scale)."),
                    choose(lang, "Resistensi turun (skala 1-6).", "Resistance fell (1-6 scale)."),
                    choose(lang, "Tidak ada perubahan yang jelas.", "No clear change."),
                ),
            )
        )
        t = res.drivers.table.loc["transparency"]
        out.append(
            Headline(
                choose(
                    lang,
                    "Resistensi per 1 poin transparansi evaluasi lebih tinggi",
                    "Resistance per 1 point more transparency of evaluation",
                ),
                _ci(t["coef"], t["ci_low"], t["ci_high"], lang),
                _direction(
                    t["ci_low"],
                    t["ci_high"],
                    lang,
                    choose(
                        lang,
                        "Transparansi sejalan dengan resistensi lebih tinggi.",
                        "Transparency goes with higher resistance.",
                    ),
                    choose(
                        lang,
                        "Menjelaskan tujuan evaluasi sejalan dengan resistensi lebih rendah.",
                        "Explaining the purpose of evaluation goes with lower resistance.",
                    ),
                    choose(lang, "Tidak ada hubungan yang jelas.", "No clear association."),
                ),
            )
        )
    return out[:MAX_HEADLINES]


def _actions(results: Results, lang: Lang, top: int = 3) -> list[str]:
    out = []
    c, sat, res = results.competency, results.satisfaction, results.resistance
    if c is not None:
        needs = c["needs"]
        needs = needs[~needs["suppressed"].astype(bool)].dropna(subset=["rank"])
        ok = [
            not hides_count(int(k), total=int(n))
            for k, n in zip(needs["n_below"], needs["n"], strict=True)
        ]
        names = results.dataset.units.set_index("unit_id")["unit_name"]
        for r in needs[np.asarray(ok, dtype=bool)].head(top).itertuples(index=False):
            unit = names.get(r.unit_id, r.unit_id)
            comp = label(r.competency, "competency", lang)
            jp = count(int(round(r.jp_needed)), lang)
            out.append(
                choose(
                    lang,
                    f"Latih {comp} di {unit}: {people(int(r.n_below), lang)} pegawai di bawah "
                    f"standar, sekitar {jp} JP.",
                    f"Train {comp} in {unit}: {people(int(r.n_below), lang)} staff below "
                    f"standard, about {jp} JP.",
                )
            )
    if sat is not None:
        cur = sat.units[(sat.units["period"] == sat.period) & (sat.units["n"] >= MIN_GROUP_SIZE)]
        weak = cur[cur["mutu"].isin(["C", "D"])].sort_values("ikm_converted")["unit_name"]
        if len(weak):
            out.append(
                choose(lang, "Dampingi unit bermutu C/D: ", "Support the units graded C/D: ")
                + "; ".join(map(str, weak))  # names may hold commas (BKPP)
                + "."
            )
        elements = [
            label(e, "element", lang) for e in sat.weakest["element"].value_counts().head(3).index
        ]
        short = sat.adequacy[~sat.adequacy["adequate"].astype(bool)]
        latest = short[short["period"] == sat.period]["unit_id"].nunique()
        text = choose(
            lang,
            "SKM: perbaiki unsur " + "; ".join(elements),  # official names hold commas
            "SKM: improve the elements " + "; ".join(elements),
        )
        if latest:
            text += choose(
                lang,
                f". Penuhi jumlah responden minimal (Krejcie-Morgan) di {count(latest, lang)} "
                f"unit yang kurang pada {sat.period}.",
                f". Reach the minimum number of respondents (Krejcie-Morgan) in the "
                f"{count(latest, lang)} units short of it in {sat.period}.",
            )
        out.append(text if text.endswith(".") else text + ".")
    if res is not None:
        t = res.drivers.table.loc["transparency"]
        if t["ci_high"] < 0:
            out.append(
                choose(
                    lang,
                    "Jelaskan tujuan dan cara evaluasi sebelum evaluasi dimulai: transparansi "
                    "sejalan dengan resistensi lebih rendah.",
                    "Explain the purpose and method of evaluation before it starts: transparency "
                    "goes with lower resistance.",
                )
            )
    return out


def front_page(results: Results, *, lang: Lang = "id") -> FrontPage:
    """Build the brief's first screen: headline findings and top actions.

    Parameters
    ----------
    results : Results
        Output of :func:`asn_analysis.reporting.summaries.collect`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    FrontPage
        At most :data:`MAX_HEADLINES` headlines (IKM now and its change, the training effect,
        staff below their technical standard, resistance and transparency; each only when its
        analysis ran) and the top actions: the first training priorities with their JP, the
        units graded C/D, the SKM elements and surveys to fix, and transparency. Counts of
        people go through :func:`asn_analysis.reporting.text.people`.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> empty = SimpleNamespace(satisfaction=None, resistance=None, competency=None, effects=None)
    >>> front_page(empty, lang="en")
    FrontPage(headlines=(), actions=())
    """
    check_lang(lang)
    return FrontPage(tuple(_headlines(results, lang)), tuple(_actions(results, lang)))
