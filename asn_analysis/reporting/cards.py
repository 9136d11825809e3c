"""Report cards per unit (rapor unit kerja): one printable page per unit, and their index.

A regional government hands each unit (OPD) its own findings. :func:`unit_cards` gathers, for
every unit of the data, its converted IKM and mutu with interval and trend (PermenPANRB
14/2017), its weakest SKM elements, its competency gaps and training priorities with JP
(PermenPANRB 38/2017), its resistance and transparency scores against the regency, and what to
do. :func:`write_cards` writes one HTML page per unit (A4 print CSS, its IKM trend figure
embedded), an index page and one combined page of all cards (one printed page per unit, for
:mod:`asn_analysis.reporting.pdf`).

Every table goes through :func:`asn_analysis.reporting.disclosure.protect`: a unit with fewer
than 5 respondents shows ``"<5"`` (not reported), never its IKM; counts of 1-4 people, and
what they reveal, are hidden the same way. Unit names come from the data; file names are safe
slugs of the unit ids (:func:`slug`).
"""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from asn_analysis._validation import Lang, check_lang  # noqa: E402
from asn_analysis.data.periods import ordered_times  # noqa: E402
from asn_analysis.data.privacy import MIN_GROUP_SIZE  # noqa: E402
from asn_analysis.reporting.disclosure import SUPPRESSED, protect  # noqa: E402
from asn_analysis.reporting.front import Table  # noqa: E402
from asn_analysis.reporting.labels import label  # noqa: E402
from asn_analysis.reporting.plots.general import localize  # noqa: E402
from asn_analysis.reporting.summaries import Results  # noqa: E402
from asn_analysis.reporting.text import cell, choose, count, number, percent  # noqa: E402

__all__ = [
    "CARD_CSS",
    "CardFiles",
    "TrendPainter",
    "UnitCard",
    "card_html",
    "slug",
    "unit_cards",
    "write_cards",
]

#: Folder (under the findings folder) and combined-file stem of the cards, per language.
COMBINED = {"id": "rapor-unit-kerja", "en": "unit-report-cards"}
#: Print CSS of a card: one A4 page per unit.
CARD_CSS = (
    "@page{size:A4;margin:12mm}body{font-family:sans-serif;color:#222;margin:0 auto;"
    "max-width:48rem;line-height:1.3;font-size:10pt}h1{font-size:1.35rem;margin:.2rem 0}"
    "h2{font-size:1rem;margin:.7rem 0 .2rem;border-bottom:1px solid #ccc}"
    ".note{background:#fff4d6;padding:.25rem .5rem;margin:.2rem 0;font-size:9pt}"
    ".key{display:flex;gap:1rem;flex-wrap:wrap}.key div{background:#eef3f8;padding:.35rem .6rem}"
    ".key b{display:block;font-size:1.15rem}table{border-collapse:collapse;width:100%;"
    "font-size:9.5pt;margin:.2rem 0}th,td{border:1px solid #ccc;padding:.15rem .35rem;"
    "text-align:left}caption{text-align:left;font-weight:bold}.tnote{font-size:8.5pt;margin:0}"
    "img{max-width:100%;height:auto}figure{margin:.3rem 0}"
    ".card{break-after:page;page-break-after:always}.card:last-child{break-after:auto}"
    "@media screen{.card{border-bottom:2px dashed #999;padding-bottom:1rem}}"
)


def slug(unit_id: object) -> str:
    """Return a safe file-name stem for a unit id (lower-case letters, digits and ``-``).

    Examples
    --------
    >>> slug("U01"), slug("OPD/03 Dinas"), slug("../..")
    ('u01', 'opd-03-dinas', 'unit')
    """
    text = re.sub(r"[^a-z0-9]+", "-", str(unit_id).lower()).strip("-")
    return text[:60] or "unit"


@dataclass(frozen=True)
class UnitCard:
    """The content of one unit's report card (every cell formatted and disclosure-checked).

    Attributes
    ----------
    unit_id, unit_name, slug : str
        The unit as the data names it, and its file-name stem.
    key_figures : tuple of (str, str)
        ``(what, value)`` boxes at the top: IKM with interval, mutu, respondents, trend.
    tables : tuple of Table
        Weakest SKM elements, competency gaps, training priorities, resistance and
        transparency against the regency.
    actions : tuple of str
        What to do.
    trend : pandas.DataFrame or None
        The unit's IKM per reported period (``n >= 5`` only) with its interval, for the figure.
    """

    unit_id: str
    unit_name: str
    slug: str
    key_figures: tuple[tuple[str, str], ...]
    tables: tuple[Table, ...]
    actions: tuple[str, ...]
    trend: pd.DataFrame | None = None


@dataclass(frozen=True)
class CardFiles:
    """Files :func:`write_cards` wrote."""

    index: Path
    pages: tuple[Path, ...]
    combined: Path


def _by_unit(table: pd.DataFrame) -> dict:
    """Split a table into its units' rows (each in the table's order)."""
    groups = table.groupby("unit_id", sort=False, observed=True, dropna=True)
    return {unit: rows for unit, rows in groups}


@dataclass
class _Parts:
    """Every card's rows of each table, disclosure-checked once for all units.

    The small-cell rule works row by row here (no ``summed`` column), so protecting a whole
    table and then splitting it by unit gives each card the cells protecting its own rows
    would; the per-unit work is then a dictionary look-up instead of a scan of every table.
    """

    tables: dict[str, dict]
    empty: dict[str, pd.DataFrame]
    orders: dict[tuple, list]

    @classmethod
    def of(cls, results: Results, *, top: int = 4) -> _Parts:
        """Protect and split the tables the cards read (``top`` gaps and priorities a unit)."""
        whole: dict[str, pd.DataFrame] = {}
        sat = results.satisfaction
        if sat is not None:
            cols = ["ikm_converted", "ikm_converted_ci_low", "ikm_converted_ci_high"]
            cols += ["mutu", "kinerja"]
            whole["ikm"] = protect(sat.units, counts=("n",), stats=dict.fromkeys(cols, "n"))
            whole["adequacy"] = sat.adequacy[sat.adequacy["period"] == sat.period]
            whole["weakest"] = protect(
                sat.weakest, counts=("n_answered",), stats={"nrr": "n_answered"}
            )
        comp = results.competency
        if comp is not None:
            gaps = comp["unit_gaps"][~comp["unit_gaps"]["small_group"].astype(bool)]
            # a stable sort of the whole table keeps each unit's ties in the order its own
            # sort would give; head() per unit then takes the same rows
            gaps = gaps.sort_values(["share_below", "competency"], ascending=[False, True])
            whole["gaps"] = protect(
                gaps.groupby("unit_id", sort=False, observed=True).head(top),
                counts=("n", "n_below"),
                totals={"n_below": "n"},
                stats={"share_below": ("n", "n_below")},
            )
            needs = comp["needs"][~comp["needs"]["suppressed"].astype(bool)]
            needs = needs.dropna(subset=["rank"])
            whole["needs"] = protect(
                needs.groupby("unit_id", sort=False, observed=True).head(top),
                counts=("n", "n_below"),
                totals={"n_below": "n"},
                stats={"jp_needed": ("n_below",)},
            )
        return cls(
            {k: _by_unit(t) for k, t in whole.items()},
            {k: t.iloc[:0] for k, t in whole.items()},
            {},
        )

    def get(self, table: str, unit: object) -> pd.DataFrame:
        """Return the unit's rows of ``table`` (none: an empty frame with its columns)."""
        return self.tables[table].get(unit, self.empty[table])

    def order(self, periods: pd.Series) -> list:
        """:func:`~asn_analysis.data.periods.ordered_times`, once per distinct sequence."""
        key = tuple(periods)
        if key not in self.orders:
            self.orders[key] = ordered_times(periods)
        return self.orders[key]


def _headers(lang: Lang, pairs: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    return tuple(choose(lang, a, b) for a, b in pairs)


def _ikm_text(row: pd.Series, lang: Lang) -> str:
    if isinstance(row["ikm_converted"], str):
        return row["ikm_converted"]
    lo, hi = (number(row[f"ikm_converted_ci_{b}"], lang, 1) for b in ("low", "high"))
    return f"{number(row['ikm_converted'], lang, 1)} (IK 95%: {lo}-{hi})".replace(
        "IK 95%", choose(lang, "IK 95%", "95% CI")
    )


def _ikm_part(results: Results, unit: str, lang: Lang, parts: _Parts):
    """Key figures, trend and actions of the unit's IKM (PermenPANRB 14/2017)."""
    sat = results.satisfaction
    shown = parts.get("ikm", unit)
    order = parts.order(shown["period"]) if len(shown) else []
    shown = shown.set_index("period").reindex(order)
    cur = shown.loc[sat.period] if sat.period in shown.index else None
    figures, actions = [], []
    period = choose(lang, f"IKM {sat.period}", f"IKM {sat.period}")
    if cur is None or pd.isna(cur["n"]):
        figures.append((period, choose(lang, "tidak disurvei", "not surveyed")))
    elif isinstance(cur["ikm_converted"], str):
        figures.append(
            (
                period,
                choose(
                    lang,
                    f"{SUPPRESSED} responden: tidak dilaporkan",
                    f"{SUPPRESSED} respondents: not reported",
                ),
            )
        )
    else:
        figures.append((period, _ikm_text(cur, lang)))
        perf = label(cur["kinerja"], "kinerja", lang)
        figures.append((choose(lang, "Mutu", "Grade"), f"{cur['mutu']} ({perf})"))
        figures.append((choose(lang, "Responden", "Respondents"), cell(cur["n"], lang)))
        if cur["mutu"] in ("C", "D"):
            actions.append(
                choose(
                    lang,
                    "Mutu pelayanan di bawah B: susun rencana perbaikan layanan bersama "
                    "pimpinan unit dan laporkan kemajuannya pada survei berikut.",
                    "Service grade below B: draw up a service improvement plan with the unit's "
                    "head and report progress at the next survey.",
                )
            )
    visible = shown[shown["ikm_converted"].map(lambda v: not isinstance(v, str) and pd.notna(v))]
    trend = None
    if len(visible):
        trend = visible[["ikm_converted", "ikm_converted_ci_low", "ikm_converted_ci_high"]].astype(
            float
        )
    if trend is not None and len(trend) >= 2:
        d = trend["ikm_converted"].iloc[-1] - trend["ikm_converted"].iloc[0]
        figures.append(
            (
                choose(lang, f"Tren sejak {trend.index[0]}", f"Trend since {trend.index[0]}"),
                number(d, lang, 1, sign=True) + choose(lang, " poin", " points"),
            )
        )
    adequacy = parts.get("adequacy", unit)
    if len(adequacy) and not bool(adequacy["adequate"].iloc[0]):
        need = int(adequacy["required"].iloc[0])
        actions.append(
            choose(
                lang,
                f"Tambah responden SKM pada survei berikut: minimal {count(need, lang)} "
                "(Krejcie-Morgan) agar IKM cukup pasti.",
                f"Survey more citizens next time: at least {count(need, lang)} respondents "
                "(Krejcie-Morgan) for a precise IKM.",
            )
        )
    return figures, trend, actions


def _weakest_table(
    results: Results, unit: str, lang: Lang, parts: _Parts
) -> tuple[Table | None, list[str]]:
    sat = results.satisfaction
    shown = parts.get("weakest", unit)
    if shown.empty:
        return None, []
    rows = tuple(
        (str(r.rank), label(r.element, "element", lang), cell(r.nrr, lang, 2))
        for r in shown.itertuples(index=False)
    )
    names = [
        label(r.element, "element", lang)
        for r in shown.itertuples(index=False)
        if not isinstance(r.nrr, str)
    ]
    actions = []
    if names:
        actions.append(
            choose(
                lang,
                "Perbaiki unsur layanan terlemah: " + "; ".join(names) + ".",
                "Improve the weakest service elements: " + "; ".join(names) + ".",
            )
        )
    title = choose(lang, f"Unsur SKM terlemah, {sat.period}", f"Weakest SKM elements, {sat.period}")
    cols = _headers(lang, (("Peringkat", "Rank"), ("Unsur", "Element"), ("NRR (1-4)", "NRR (1-4)")))
    return Table("weakest", title, cols, rows), actions


def _gaps_table(unit: str, lang: Lang, parts: _Parts) -> Table | None:
    shown = parts.get("gaps", unit)
    if shown.empty:
        return None
    rows = tuple(
        (
            label(r.competency, "competency", lang),
            label(r.group, "group", lang),
            cell(r.n_below, lang),
            cell(r.n, lang),
            r.share_below if isinstance(r.share_below, str) else percent(r.share_below, lang),
        )
        for r in shown.itertuples(index=False)
    )
    cols = _headers(
        lang,
        (
            ("Kompetensi", "Competency"),
            ("Kelompok", "Group"),
            ("Di bawah standar", "Below standard"),
            ("Pegawai", "Staff"),
            ("Porsi", "Share"),
        ),
    )
    return Table("gaps", choose(lang, "Kesenjangan kompetensi", "Competency gaps"), cols, rows)


def _priorities_table(unit: str, lang: Lang, parts: _Parts):
    shown = parts.get("needs", unit)
    if shown.empty:
        return None, []
    rows, actions = [], []
    for r in shown.itertuples(index=False):
        comp = label(r.competency, "competency", lang)
        rows.append((comp, cell(r.n_below, lang), cell(r.jp_needed, lang, 0)))
        if not isinstance(r.jp_needed, str) and len(actions) < 2:
            actions.append(
                choose(
                    lang,
                    f"Kirim {cell(r.n_below, lang)} pegawai ke pelatihan {comp} "
                    f"(sekitar {cell(r.jp_needed, lang, 0)} JP).",
                    f"Send {cell(r.n_below, lang)} staff to {comp} training "
                    f"(about {cell(r.jp_needed, lang, 0)} JP).",
                )
            )
    cols = _headers(
        lang,
        (
            ("Kompetensi", "Competency"),
            ("Pegawai di bawah standar", "Staff below standard"),
            ("JP dibutuhkan", "JP needed"),
        ),
    )
    title = choose(lang, "Prioritas pelatihan", "Training priorities")
    return Table("priorities", title, cols, tuple(rows)), actions


def _scale_summaries(results: Results) -> dict:
    """Each scale's summary per unit (disclosure-checked) and the regency's mean, last wave."""
    from asn_analysis.resistance import summarize_by

    res = results.resistance
    scores = res.scores[res.scores["period"] == res.waves[-1]]
    out = {}
    for scale in ("resistance", "transparency"):
        per_unit = summarize_by(scores, by="unit_id", scale=scale).set_index("unit_id")
        everyone = summarize_by(scores.assign(all="all"), by="all", scale=scale)
        # one row per unit, and the rule works row by row: protected once for every card
        shown = protect(
            per_unit, counts=("n",), stats=dict.fromkeys(("mean", "ci_low", "ci_high"), "n")
        )
        out[scale] = (shown, float(everyone["mean"].iloc[0]))
    return out


def _scores_table(results: Results, unit: str, lang: Lang, summaries: dict):
    wave = results.resistance.waves[-1]
    rows, actions = [], []
    for scale in ("resistance", "transparency"):
        per_unit, reg = summaries[scale]
        mine = per_unit.loc[[unit]] if unit in per_unit.index else per_unit.iloc[:0]
        if mine.empty:
            value = choose(lang, "tidak disurvei", "not surveyed")
        else:
            r = mine.iloc[0]
            if isinstance(r["mean"], str):
                value = r["mean"]
            else:
                lo, hi = number(r["ci_low"], lang, 2), number(r["ci_high"], lang, 2)
                value = f"{number(r['mean'], lang, 2)} ({lo}-{hi})"
                if scale == "resistance" and r["ci_low"] > reg:
                    actions.append(
                        choose(
                            lang,
                            "Resistensi di atas rata-rata kabupaten: jelaskan tujuan dan cara "
                            "evaluasi kepada pegawai sebelum evaluasi berikut.",
                            "Resistance above the regency's: explain the purpose and method of "
                            "evaluation to staff before the next one.",
                        )
                    )
                if scale == "transparency" and r["ci_high"] < reg:
                    actions.append(
                        choose(
                            lang,
                            "Transparansi evaluasi di bawah rata-rata kabupaten: bagikan hasil "
                            "evaluasi dan tindak lanjutnya kepada pegawai.",
                            "Transparency below the regency's: share the evaluation results and "
                            "their follow-up with staff.",
                        )
                    )
        rows.append((label(scale, "scale", lang).capitalize(), value, number(reg, lang, 2)))
    cols = _headers(
        lang,
        (
            ("Skala (1-6)", "Scale (1-6)"),
            ("Unit (IK 95%)", "Unit (95% CI)"),
            ("Kabupaten", "Regency"),
        ),
    )
    title = choose(lang, f"Survei pegawai, {wave}", f"Staff survey, {wave}")
    return Table("scores", title, cols, tuple(rows)), actions


def unit_cards(results: Results, *, lang: Lang = "id") -> list[UnitCard]:
    """Build the report card of every unit in the data.

    Parameters
    ----------
    results : Results
        Output of :func:`asn_analysis.reporting.summaries.collect`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of UnitCard
        One per row of the units table, in its order; the parts whose analysis did not run
        are left out. Slugs are unique (a repeated one gets ``-2``, ``-3`` ...).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> units = pd.DataFrame({"unit_id": ["U/1"], "unit_name": ["Dinas A"]})
    >>> r = SimpleNamespace(dataset=SimpleNamespace(units=units), satisfaction=None,
    ...                     competency=None, resistance=None)
    >>> card = unit_cards(r, lang="en")[0]
    >>> card.slug, card.unit_name, card.actions
    ('u-1', 'Dinas A', ())
    """
    check_lang(lang)
    cards, used = [], set()
    summaries = _scale_summaries(results) if results.resistance is not None else {}
    parts = _Parts.of(results)
    for row in results.dataset.units.itertuples(index=False):
        unit = row.unit_id
        stem = base = slug(unit)
        k = 2
        while stem in used:
            stem, k = f"{base}-{k}", k + 1
        used.add(stem)
        key_figures, tables, actions, trend = [], [], [], None
        if results.satisfaction is not None:
            figs, trend, acts = _ikm_part(results, unit, lang, parts)
            key_figures += figs
            weak, weak_acts = _weakest_table(results, unit, lang, parts)
            tables += [weak] if weak else []
            actions += acts + weak_acts
        if results.competency is not None:
            gaps = _gaps_table(unit, lang, parts)
            prio, prio_acts = _priorities_table(unit, lang, parts)
            tables += [t for t in (gaps, prio) if t is not None]
            actions += prio_acts
        if results.resistance is not None:
            scores, score_acts = _scores_table(results, unit, lang, summaries)
            tables.append(scores)
            actions += score_acts
        cards.append(
            UnitCard(
                str(unit),
                str(row.unit_name),
                stem,
                tuple(key_figures),
                tuple(tables),
                tuple(actions),
                trend,
            )
        )
    return cards


def trend_figure(card: UnitCard, regency: pd.DataFrame | None, *, lang: Lang = "id") -> bytes:
    """Draw the unit's converted IKM per period with its interval (PNG bytes).

    Only periods with at least 5 respondents are in ``card.trend``; the regency's IKM is the
    grey dashed line, the grade-B bound (76.61) the dotted one. :func:`write_cards` draws all
    cards on one :class:`TrendPainter` (the same pixels, without a new figure per card).
    """
    painter = TrendPainter(regency, lang=lang)
    try:
        return painter.draw(card)
    finally:
        painter.close()


class TrendPainter:
    """One figure that draws the trend of card after card (:func:`trend_figure`'s pixels).

    The frame (size, margins, title, axis label, tick fonts, number style) is set up once;
    each :meth:`draw` removes the previous card's artists, empties the data limits and adds
    the card's, so the axes scale exactly as on a new figure. Creating a figure costs about
    as much as drawing it, and a run draws one per unit.

    Parameters
    ----------
    regency : pandas.DataFrame or None
        The regency's IKM per period (``period``, ``ikm_converted``): the dashed line.
    lang : {"id", "en"}, default "id"
        Language of the labels and numbers.
    """

    def __init__(self, regency: pd.DataFrame | None, *, lang: Lang = "id") -> None:
        check_lang(lang)
        self.lang = lang
        self.regency = None if regency is None else regency.set_index("period")["ikm_converted"]
        self.fig, self.ax = plt.subplots(figsize=(6.4, 2.0), dpi=100)
        ax = self.ax
        ax.set_ylabel(choose(lang, "IKM konversi", "Converted IKM"), fontsize=8)
        # y given: the title sits where matplotlib puts it (no ticks on top), without
        # measuring every tick label at each draw to find that out
        ax.set_title(
            choose(lang, "IKM per periode (IK 95%)", "IKM per period (95% CI)"), fontsize=9, y=1.0
        )
        ax.tick_params(axis="y", labelsize=7)
        localize(self.fig, lang)
        # fixed margins for the fixed size and fonts: tight_layout measured every text of 30 cards
        self.fig.subplots_adjust(left=0.09, right=0.99, top=0.86, bottom=0.16)
        self._drawn: list = []

    def draw(self, card: UnitCard) -> bytes:
        """Return the PNG of ``card``'s trend (it must have one)."""
        ax, lang = self.ax, self.lang
        for artist in self._drawn:
            artist.remove()
        ax.dataLim = Bbox.null()  # as on new axes: the limits come from this card's data only
        ax.ignore_existing_data_limits = True
        t = card.trend
        x = np.arange(len(t))
        drawn = [
            ax.fill_between(
                x,
                t["ikm_converted_ci_low"],
                t["ikm_converted_ci_high"],
                color="tab:blue",
                alpha=0.25,
                linewidth=0,
            )
        ]
        drawn += ax.plot(
            x, t["ikm_converted"], marker="o", color="tab:blue", label=card.unit_name[:40]
        )
        if self.regency is not None:
            reg = self.regency.reindex(t.index)
            drawn += ax.plot(
                x,
                reg.to_numpy(dtype=float),
                ls="--",
                color="0.45",
                label=choose(lang, "Seluruh unit", "All units"),
            )
        drawn.append(ax.axhline(76.61, ls=":", color="0.6", lw=1))
        ax.set_xticks(x, [str(p) for p in t.index], fontsize=7)
        drawn.append(ax.legend(fontsize=7, loc="lower right", frameon=False))
        self._drawn = drawn
        buf = io.BytesIO()
        # zlib level 1: the same pixels, written in a third of the time (flat colours compress)
        self.fig.savefig(
            buf, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": 1}
        )
        return buf.getvalue()

    def close(self) -> None:
        """Release the figure."""
        plt.close(self.fig)


def card_html(
    card: UnitCard, *, lang: Lang = "id", figure: bytes | None = None, banner: tuple[str, ...] = ()
) -> str:
    """Return the body of one unit's card (a ``<section class="card">``, escaped).

    Examples
    --------
    >>> c = UnitCard("U1", "Dinas <A>", "u1", (("IKM", "<5"),), (), ("Latih.",))
    >>> "Dinas &lt;A&gt;" in card_html(c, lang="id") and "<script" not in card_html(c)
    True
    """
    check_lang(lang)
    e = html.escape
    out = [f'<section class="card" id="{e(card.slug)}">']
    out.append(
        f"<h1>{e(choose(lang, 'Rapor unit kerja', 'Unit report card'))}: {e(card.unit_name)}</h1>"
    )
    out += [f'<p class="note">{e(line)}</p>' for line in banner]
    if card.key_figures:
        boxes = "".join(f"<div>{e(k)}<b>{e(v)}</b></div>" for k, v in card.key_figures)
        out.append(f'<div class="key">{boxes}</div>')
    if figure is not None:
        data = base64.b64encode(figure).decode("ascii")
        alt = choose(lang, "IKM per periode", "IKM per period")
        out.append(f'<figure><img alt="{e(alt)}" src="data:image/png;base64,{data}"></figure>')
    for t in card.tables:
        out.append(t.html())
    out.append(f"<h2>{e(choose(lang, 'Yang perlu dilakukan', 'What to do'))}</h2>")
    if card.actions:
        out.append("<ol>" + "".join(f"<li>{e(a)}</li>" for a in card.actions) + "</ol>")
    else:
        out.append(f"<p>{e(choose(lang, 'Tidak ada tindakan khusus.', 'No specific action.'))}</p>")
    note = choose(
        lang,
        f"{SUPPRESSED}: kurang dari {MIN_GROUP_SIZE} orang, tidak dilaporkan (UU 27/2022).",
        f"{SUPPRESSED}: fewer than {MIN_GROUP_SIZE} people, not reported (UU 27/2022).",
    )
    out.append(f'<p class="tnote">{e(note)}</p>')
    out.append("</section>")
    return "\n".join(out)


def _page(title: str, body: str, lang: Lang) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{CARD_CSS}</style></head><body>\n"
        f"{body}\n</body></html>\n"
    )


def write_cards(
    results: Results, folder: str | Path, *, lang: Lang = "id", banner: tuple[str, ...] = ()
) -> CardFiles:
    """Write every unit's card (HTML), an index page and the combined page of all cards.

    Parameters
    ----------
    results : Results
        Output of :func:`asn_analysis.reporting.summaries.collect`.
    folder : str or pathlib.Path
        ``<findings>/units``; created if missing.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.
    banner : tuple of str
        Lines shown on every card (the synthetic-data warning, the data source).

    Returns
    -------
    CardFiles
        ``index.html``, ``<slug>.html`` per unit and ``rapor-unit-kerja.html`` /
        ``unit-report-cards.html`` (all cards, one printed page each).
    """
    check_lang(lang)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    regency = results.satisfaction.regency if results.satisfaction is not None else None
    cards = unit_cards(results, lang=lang)
    title = choose(lang, "Rapor unit kerja", "Unit report cards")
    pages, bodies, index = [], [], []
    painter = TrendPainter(regency, lang=lang)
    try:
        figures = [painter.draw(c) if c.trend is not None else None for c in cards]
    finally:
        painter.close()
    for card, fig in zip(cards, figures, strict=True):
        body = card_html(card, lang=lang, figure=fig, banner=banner)
        bodies.append(body)
        path = folder / f"{card.slug}.html"
        path.write_text(_page(f"{title}: {card.unit_name}", body, lang), encoding="utf-8")
        pages.append(path)
        ikm = dict(card.key_figures)
        first = card.key_figures[0][1] if card.key_figures else "-"
        grade = ikm.get(choose(lang, "Mutu", "Grade"), "-")
        index.append(
            f'<tr><td><a href="{html.escape(path.name)}">{html.escape(card.unit_name)}</a></td>'
            f"<td>{html.escape(first)}</td><td>{html.escape(grade)}</td></tr>"
        )
    e = html.escape
    combined = folder / f"{COMBINED[lang]}.html"
    combined.write_text(_page(title, "\n".join(bodies), lang), encoding="utf-8")
    head = "".join(
        f"<th>{e(h)}</th>"
        for h in (choose(lang, "Unit kerja", "Unit"), "IKM", choose(lang, "Mutu", "Grade"))
    )
    everything = choose(lang, "Semua rapor (untuk dicetak)", "All cards (to print)")
    body = (
        f"<h1>{e(title)}</h1>"
        + "".join(f'<p class="note">{e(line)}</p>' for line in banner)
        + f'<p><a href="{e(combined.name)}">{e(everything)}</a></p>'
        + f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(index)}</tbody></table>"
    )
    idx = folder / "index.html"
    idx.write_text(_page(title, body, lang), encoding="utf-8")
    return CardFiles(idx, tuple(pages), combined)
