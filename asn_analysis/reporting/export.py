"""Write the findings a training planner reads: workbook, brief and figures.

An Excel workbook, a brief (Markdown and self-contained HTML) and the figures as PNG files.

Everything exported comes from :mod:`asn_analysis.reporting.summaries` (the numbers),
:mod:`asn_analysis.reporting.brief` (the sentences) and :mod:`asn_analysis.reporting.plots`
(the figures). The same data and seed give the same workbook values and the same Markdown.
Sheets, figures and brief sections of analyses the data does not support are left out; the
"data coverage" sheet lists every analysis, whether it was analysed and which tables it missed
(:mod:`asn_analysis.reporting.coverage`).

Safe outputs
------------
- **No identifier.** No NIP, name or employee_id is written.
- **No small cell.** Every sheet goes through the one disclosure step
  (:mod:`asn_analysis.reporting.disclosure`) with the columns :data:`DISCLOSURE` declares for it:
  a count of 1 to 4 people, and any statistic computed over fewer than 5 people, is shown as
  ``"<5"``; a count shown with its total (people below standard out of ``n``) is hidden also when
  the rest of the total is 1 to 4, and what is computed from a hidden count is hidden with it
  (complementary suppression, as statistical agencies do; Hundepool et al. 2012; UU No. 27
  Tahun 2022 tentang Pelindungan Data Pribadi). The counts of respondents in the IKM sheet sum
  to the total the brief states, so one hidden count is never left alone there. Every count of
  people in the brief's sentences goes through :func:`asn_analysis.reporting.text.people`. The
  summary sheet says how many cells each sheet hides. The data-quality log counts rows of input
  files for the person who fixes them (with their row numbers) and is not a table of people.
- **No formula from data.** Every text cell is written as a string (data type ``"s"``); text a
  spreadsheet would evaluate (leading ``=``, ``+``, ``-``, ``@``, tab, carriage return: OWASP
  "CSV injection") is also marked with Excel's quote prefix, so it shows as typed and is never
  evaluated. Data values in the Markdown brief are escaped (Markdown specials, autolinks) and the
  HTML brief escapes every text.
"""

from __future__ import annotations

import base64
import contextlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from asn_analysis import __version__  # noqa: E402
from asn_analysis._validation import Lang, check_lang  # noqa: E402
from asn_analysis.data.privacy import MIN_GROUP_SIZE  # noqa: E402
from asn_analysis.reporting.brief import (  # noqa: E402
    HOW_WE_KNOW,
    FrontPage,
    Section,
    Table,
    brief,
    front_page,
)
from asn_analysis.reporting.coverage import coverage  # noqa: E402
from asn_analysis.reporting.disclosure import (  # noqa: E402
    HIDDEN,
    SUPPRESSED,
    disclosure_note,
    protect,
    violations,
)
from asn_analysis.reporting.labels import (  # noqa: E402
    HEADERS,
    header,
    label,
    relabel,
    term_label,
)
from asn_analysis.reporting.notebook import SYNTHETIC_WARNING  # noqa: E402
from asn_analysis.reporting.plots.general import localize  # noqa: E402
from asn_analysis.reporting.plots.resistance import resistance_drivers  # noqa: E402
from asn_analysis.reporting.plots.satisfaction import ikm_by_unit  # noqa: E402
from asn_analysis.reporting.plots.training import training_effects  # noqa: E402
from asn_analysis.reporting.summaries import Results  # noqa: E402
from asn_analysis.reporting.text import choose  # noqa: E402
from asn_analysis.reporting.workbook import (  # noqa: E402
    FORMULA_START,
    SHEETS,
    write_workbook,
)

#: File stem of the brief per language (ringkasan.* / brief.*).
BRIEF_STEM = {"id": "ringkasan", "en": "brief"}
#: The first screen's headings, (id, en).
FRONT = {
    "title": ("Ringkasan untuk pimpinan", "Summary for decision makers"),
    "headlines": ("Temuan utama", "Headline findings"),
    "actions": ("Tindakan utama", "Top actions"),
    "what": ("Temuan", "Finding"),
    "value": ("Angka (IK 95%)", "Number (95% CI)"),
    "meaning": ("Artinya", "What it means"),
}


@dataclass(frozen=True)
class SheetRule:
    """What the small-cell rule protects on one sheet (see :data:`DISCLOSURE`).

    Attributes
    ----------
    counts : tuple of str
        Columns holding counts of people.
    stats : dict of str to str or tuple of str
        ``{statistic: count column(s) it is computed over}``.
    totals : dict of str to str
        ``{count: its total}`` shown in the same row (secondary suppression).
    rest : str or None
        Every other column not in ``keys`` is a statistic over this count column (so a
        column added later is protected by default).
    keys : tuple of str
        Columns that name the group (unit, period, competency ...), never hidden.
    summed : tuple of str
        Count columns whose sum is published elsewhere (see
        :func:`~asn_analysis.reporting.disclosure.protect`).
    people_rows : tuple of (str, object) or None
        ``(column, value)``: only these rows count people (the other rows count units); None
        for every row.

    Examples
    --------
    >>> rule = SheetRule(counts=("n",), rest="n", keys=("unit",))
    >>> t = pd.DataFrame({"unit": ["A", "B"], "n": [3, 9], "mean": [1.0, 2.0]})
    >>> rule.apply(t)["mean"].tolist(), rule.check(rule.apply(t))
    (['<5', 2.0], [])
    """

    counts: tuple[str, ...] = ()
    stats: dict = field(default_factory=dict)
    totals: dict = field(default_factory=dict)
    rest: str | None = None
    keys: tuple[str, ...] = ()
    summed: tuple[str, ...] = ()
    people_rows: tuple[str, object] | None = None

    def _stats(self, table: pd.DataFrame) -> dict:
        named = {*self.counts, *self.stats, *self.keys, *self.totals.values()}
        out = dict(self.stats)
        if self.rest is not None:
            out.update({c: self.rest for c in table.columns if c not in named})
        return out

    def _rows(self, table: pd.DataFrame) -> pd.Series:
        if self.people_rows is None:
            return pd.Series(True, index=table.index)
        column, value = self.people_rows
        return table[column] == value

    def apply(self, table: pd.DataFrame) -> pd.DataFrame:
        """Return the table as a reader may see it (hidden cells ``"<5"``)."""
        rows = self._rows(table)
        part = protect(
            table[rows],
            counts=self.counts,
            stats=self._stats(table),
            totals=self.totals,
            summed=self.summed,
        )
        out = table.astype(object) if rows.any() else table.copy()
        for c in part.columns:
            out.loc[rows, c] = part[c]
        out = out.infer_objects()
        out.attrs["disclosure"] = part.attrs["disclosure"]
        return out

    def check(self, table: pd.DataFrame) -> list[str]:
        """Return the cells of ``table`` that break the rule (empty when it is safe)."""
        part = table[self._rows(table)]
        return violations(part, counts=self.counts, stats=self._stats(table))


#: The small-cell rule of each sheet: the one specification the export applies and the export
#: scan test checks. The data-quality log and the coverage sheet hold no counts of people.
DISCLOSURE: dict[str, SheetRule] = {
    "ikm": SheetRule(counts=("n",), rest="n", keys=("unit_name", "period"), summed=("n",)),
    "gaps": SheetRule(
        counts=("n", "n_below"),
        totals={"n_below": "n"},
        stats={"share_below": ("n", "n_below"), "mean_shortfall_below": "n_below"},
        rest="n",
        keys=("unit_name", "competency", "group"),
    ),
    "priorities": SheetRule(
        counts=("n", "n_below"),
        totals={"n_below": "n"},
        stats={"share_below": ("n", "n_below")},
        rest="n_below",
        keys=("rank", "unit_name", "competency", "group"),
    ),
    "effects": SheetRule(
        counts=("n_treated",),
        rest="n_treated",
        keys=("scope", "estimator", "level", "measure", "method", "n_obs"),
        people_rows=("level", 3),  # level-3 rows count participants; the others count units
    ),
    "resistance": SheetRule(counts=("n",), rest="n", keys=("term",)),
    "segments": SheetRule(counts=("n",), rest="n", keys=("segment", "tiny")),
}

#: Column headers in Bahasa Indonesia and English (:data:`~asn_analysis.reporting.labels.HEADERS`).
LABELS = HEADERS
FINDING = ("Temuan", "Finding")
ACTION = ("Tindakan", "Action")
NOTE = ("Catatan", "Note")
#: The summary sheet's statement of the small-cell rule.
RULE_NOTE = (
    f"Sel bertanda {SUPPRESSED} disembunyikan: jumlah 1-4 orang, dan angka yang dihitung dari "
    f"kurang dari {MIN_GROUP_SIZE} orang, tidak ditampilkan; sel bertanda {HIDDEN} ikut "
    "disembunyikan karena sel itu dapat dihitung ulang dari total (UU 27/2022 tentang "
    "Pelindungan Data Pribadi).",
    f"Cells shown as {SUPPRESSED} are hidden: counts of 1-4 people, and numbers computed over "
    f"fewer than {MIN_GROUP_SIZE} people, are not shown; cells shown as {HIDDEN} are hidden too, "
    "because a total would give a hidden cell away (UU 27/2022 on personal data protection).",
)


@dataclass(frozen=True)
class ExportResult:
    """Files written by :func:`export_findings`."""

    workbook: Path
    brief_md: Path
    brief_html: Path
    figures: tuple[Path, ...]
    cards: tuple[Path, ...] = ()
    pdfs: tuple[Path, ...] = ()
    notes: tuple[str, ...] = ()

    def paths(self) -> list[Path]:
        """Return every file written."""
        return [
            self.workbook,
            self.brief_md,
            self.brief_html,
            *self.figures,
            *self.cards,
            *self.pdfs,
        ]


def _i(lang: Lang) -> int:
    """Return the index of ``lang`` in the (Indonesian, English) pairs of :data:`SHEETS`."""
    check_lang(lang)
    return 0 if lang == "id" else 1


# --------------------------------------------------------------------------- sheets


def sheets(
    results: Results, sections: list[Section], *, lang: Lang = "id"
) -> dict[str, pd.DataFrame]:
    """Build the workbook's tables (keys of :data:`SHEETS`), identifiers removed.

    Parameters
    ----------
    results : Results
        Output of :func:`asn_analysis.reporting.summaries.collect`.
    sections : list of Section
        The brief (its sentences fill the summary sheet).
    lang : {"id", "en"}, default "id"
        Language of text cells.

    Returns
    -------
    dict of str to pandas.DataFrame
        Tables with English column names (headers are translated when written); the sheets
        of analyses the data does not support are left out.
    """
    i = _i(lang)
    rows = []
    for s in sections:
        rows += [{"section": s.title, "kind": FINDING[i], "text": t} for t in s.findings]
        rows += [{"section": s.title, "kind": ACTION[i], "text": t} for t in s.actions]
        rows += [{"section": s.title, "kind": HOW_WE_KNOW[i], "text": t} for t in s.methods]
    out = {"summary": pd.DataFrame(rows)}

    sat = results.satisfaction
    if sat is not None:
        _ikm_sheet(sat, out)
    names = results.dataset.units.set_index("unit_id")["unit_name"]
    c = results.competency
    if c is not None:
        gaps = c["unit_gaps"][~c["unit_gaps"]["small_group"].astype(bool)]
        gaps.insert(0, "unit_name", gaps["unit_id"].map(names))
        out["gaps"] = gaps.drop(columns=["unit_id", "small_group"])
        needs = c["needs"][~c["needs"]["suppressed"].astype(bool)]
        needs.insert(1, "unit_name", needs["unit_id"].map(names))
        out["priorities"] = needs.drop(columns=["unit_id", "suppressed"])
    if results.effects is not None:
        _effects_sheet(results, out, lang)
    if results.segments is not None:
        _segments_sheet(results.segments, out, lang)
    if results.resistance is not None:
        _resistance_sheet(results.resistance, out)
    _quality_sheet(results.dataset, out)
    cov = results.coverage or coverage(results.dataset.tables_present)
    out["coverage"] = cov.sheet(lang=lang)
    notes = []
    for key, rule in DISCLOSURE.items():
        if key in out:
            out[key] = rule.apply(out[key])
            note = disclosure_note(out[key], lang=lang)
            notes.append(
                {"section": SHEETS[key][i], "kind": NOTE[i], "text": note} if note else None
            )
    rule_note = {"section": SHEETS["summary"][i], "kind": NOTE[i], "text": RULE_NOTE[i]}
    out["summary"] = pd.concat(
        [out["summary"], pd.DataFrame([rule_note, *filter(None, notes)])], ignore_index=True
    )
    return {key: _readable(key, out[key], lang) for key in SHEETS if key in out}


def _inference_name(method: object, lang: Lang) -> object:
    """Return the reader's name of an inference method (short in Indonesian)."""
    from asn_analysis.reporting.findings.effects import inference_label

    if not isinstance(method, str) or lang == "en":
        return method
    return inference_label(method, lang=lang)


#: How the key cells of each sheet are named for a reader: {sheet: {column: namer}}.
_NAMERS: dict[str, dict[str, Callable[[object, Lang], object]]] = {
    "gaps": {
        "competency": lambda v, lang: label(v, "competency", lang),
        "group": lambda v, lang: label(v, "group", lang),
    },
    "priorities": {
        "competency": lambda v, lang: label(v, "competency", lang),
        "group": lambda v, lang: label(v, "group", lang),
    },
    "effects": {
        "scope": lambda v, lang: relabel(v, lang),
        "estimator": lambda v, lang: label(v, "method", lang),
        "measure": lambda v, lang: header(v, lang).removeprefix("NRR "),
        "method": lambda v, lang: relabel(v, lang),
        "inference": _inference_name,
        "beside": _inference_name,
    },
    "resistance": {"term": lambda v, lang: term_label(v, lang)},
    "segments": {
        "tiny": lambda v, lang: choose(lang, "ya", "yes") if v else choose(lang, "tidak", "no")
    },
    "coverage": {
        "sheets": lambda v, lang: ", ".join(
            SHEETS[k][_i(lang)] for k in v.split(", ") if k in SHEETS
        )
    },
}


def _readable(key: str, table: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Name the keys in a sheet's cells (competencies, methods, terms) in the reader's language.

    Cells of the columns :data:`_NAMERS` lists get their official names (:mod:`~asn_analysis.
    reporting.labels`); a hidden cell (``"<5"``) and a missing one stay as they are.
    """
    namers = _NAMERS.get(key, {})
    if not namers or table.empty:
        return table
    table = table.copy()
    for column, name in namers.items():
        if column in table:
            table[column] = [
                v if v is None or v != v or v in (SUPPRESSED, HIDDEN) else name(v, lang)
                for v in table[column].astype(object)
            ]
    return table


def _resistance_sheet(res, out: dict) -> None:
    """Add the drivers table, with the number of respondents behind each category's term.

    A coefficient of a category (``C(job_type)[T.jpt_pratama]``) compares the people in it with
    the base category, so it is a statistic over them and is hidden when they are fewer than 5;
    slopes of scales (``transparency``) have no such group (``n`` blank).
    """
    drv = res.drivers.table.reset_index()
    cols = ["term", "coef", "se", "ci_low", "ci_high", "pvalue", "std_coef"]
    drv = drv.rename(columns={drv.columns[0]: "term"})[cols]
    parsed = drv["term"].str.extract(r"^C\((?P<var>\w+)\)\[T\.(?P<level>.+)\]$")
    scores = res.scores
    n = []
    for var, level in zip(parsed["var"], parsed["level"], strict=True):
        if isinstance(var, str) and var in scores.columns:
            rows = scores[scores[var].astype(str) == level]
            who = rows["employee_id"].nunique() if "employee_id" in rows else len(rows)
            n.append(int(who))
        else:
            n.append(None)
    drv.insert(1, "n", pd.array(n, dtype="Int64"))
    out["resistance"] = drv


def _ikm_sheet(sat, out: dict) -> None:
    cols = [
        "unit_name",
        "period",
        "n",
        "ikm_converted",
        "ikm_converted_ci_low",
        "ikm_converted_ci_high",
        "mutu",
        "kinerja",
    ]
    nrr = [c for c in sat.units.columns if c.startswith("nrr_")]
    out["ikm"] = sat.units[cols + nrr]


def _effects_sheet(results: Results, out: dict, lang: Lang) -> None:
    from asn_analysis import effects as ef

    parts = []  # a part the settings name but the data lacks is skipped (results.skipped)
    if results.effects:
        rollout = ef.compare(results.effects).reset_index(names="estimator")
        rollout.insert(0, "scope", "roll-out: IKM" if lang == "en" else "peluncuran: IKM")
        parts.append(rollout)
    if results.case is not None:
        case = results.case.to_frame()
        case["scope"] = results.case.unit_name + ": " + case["scope"].astype(str)
        parts.append(case)
    keep = [
        "scope",
        "estimator",
        "level",
        "measure",
        "method",
        "estimate",
        "se",
        "ci_low",
        "ci_high",
        "pvalue",
        "inference",
        "beside",
        "beside_ci_low",
        "beside_ci_high",
        "beside_pvalue",
        "n_obs",
        "n_treated",
    ]
    effects = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    out["effects"] = effects.reindex(columns=keep)


def _segments_sheet(seg, out: dict, lang: Lang) -> None:
    from asn_analysis.reporting.findings import segments as cl

    profiles = seg.to_frame().reset_index(names="segment")
    profiles.insert(1, "label", list(cl.segment_labels(seg, lang=lang)))
    actions = cl.segment_actions(seg, lang=lang)
    out["segments"] = profiles.merge(
        actions[["segment", "need", "action"]].groupby("segment").agg(" / ".join).reset_index(),
        on="segment",
        how="left",
    )


def _quality_sheet(dataset, out: dict) -> None:
    q = dataset.quarantine
    if q.empty:
        log = pd.DataFrame(columns=["table", "column", "reason", "rows", "example_rows"])
    else:
        log = (
            q.groupby(["table", "column", "reason"], sort=False)["row"]
            .agg(rows="nunique", example_rows=lambda r: ", ".join(map(str, list(r.dropna())[:10])))
            .reset_index()
        )
    counts = dataset.row_counts.assign(column="", reason="")
    out["quality"] = pd.concat([counts, log], ignore_index=True)[
        [
            "table",
            "rows_in",
            "rows_kept",
            "rows_quarantined",
            "column",
            "reason",
            "rows",
            "example_rows",
        ]
    ]


# --------------------------------------------------------------------------- figures


FigureMaker = Callable[[Results, Lang], plt.Figure]


def _fig_ikm(results: Results, lang: Lang) -> plt.Figure:
    sat = results.satisfaction
    units = sat.units[sat.units["n"] >= MIN_GROUP_SIZE]  # an IKM over < 5 respondents is hidden
    return ikm_by_unit(units, period=sat.period, lang=lang).figure


def _fig_resistance(results: Results, lang: Lang) -> plt.Figure:
    return resistance_drivers(results.resistance.drivers.table, lang=lang).figure


def _fig_effects(results: Results, lang: Lang) -> plt.Figure:
    from asn_analysis import effects as ef

    truth = (results.dataset.ground_truth or {}).get("ikm_effect", {}).get("att_overall")
    return training_effects(ef.compare(results.effects), truth=truth, lang=lang).figure


FIGURES: dict[str, FigureMaker] = {
    "training_effects": _fig_effects,
    "ikm_per_unit": _fig_ikm,
    "resistance_drivers": _fig_resistance,
}
#: What each figure shows, (id, en): the image's alternative text in the brief.
FIGURE_TITLES = {
    "training_effects": ("Dampak pelatihan pada IKM", "Training effect on IKM"),
    "ikm_per_unit": ("IKM per unit kerja", "IKM by unit"),
    "resistance_drivers": ("Resistensi: faktor terkait", "Resistance: what goes with it"),
}
#: The result each figure draws (an attribute of Results); no figure when it is None.
_FIGURE_RESULT = {
    "training_effects": "effects",
    "ikm_per_unit": "satisfaction",
    "resistance_drivers": "resistance",
}


def _figure_title(name: str, lang: Lang) -> str:
    """Return what a figure shows in the reader's language (its file stem when unknown)."""
    return FIGURE_TITLES[name][_i(lang)] if name in FIGURE_TITLES else name.replace("_", " ")


def write_figures(results: Results, folder: Path, *, lang: Lang = "id") -> list[Path]:
    """Draw every figure of the brief and save it as PNG.

    Parameters
    ----------
    results : Results
        Output of :func:`asn_analysis.reporting.summaries.collect`.
    folder : pathlib.Path
        Where the PNG files go.
    lang : {"id", "en"}, default "id"
        Language of labels.

    Returns
    -------
    list of pathlib.Path
        The files, one per entry of :data:`FIGURES` whose analysis the data supports (without
        the training effects when the configured roll-out is not in the data).
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in FIGURES.items():
        if not getattr(results, _FIGURE_RESULT[name]):
            continue  # not supported by the tables, or the roll-out was skipped (results.skipped)
        fig = localize(make(results, lang), lang)
        path = folder / f"{name}.png"
        fig.savefig(path, dpi=110, metadata={"Software": None})
        plt.close(fig)
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- brief


def _header(results: Results, lang: Lang) -> tuple[str, list[str]]:
    ds = results.dataset
    title = choose(
        lang,
        "Ringkasan temuan evaluasi kepegawaian ASN",
        "Findings of the ASN personnel evaluation",
    )
    if ds.is_synthetic:
        source = choose(lang, "Sumber data: data sintetis bawaan", "Data: bundled synthetic data")
    else:
        source = choose(lang, "Sumber data: data pengguna", "Data: user data")
    lines = [f"{source}; asn-analysis {__version__}; seed {results.seed}."]
    if ds.is_synthetic:
        lines.insert(0, SYNTHETIC_WARNING[lang])
    lines.append(
        choose(
            lang,
            "Setiap angka disertai ketidakpastiannya (IK 95%). Jumlah 1-4 orang dan angka dari "
            f"kurang dari 5 orang ditampilkan sebagai {SUPPRESSED}; sel yang ikut disembunyikan "
            f"agar tidak dapat dihitung ulang ditandai {HIDDEN} (UU 27/2022).",
            "Every number comes with its uncertainty (95% CI). Counts of 1-4 people and numbers "
            f"over fewer than 5 people are shown as {SUPPRESSED}; cells hidden so that they cannot "
            f"be worked out are shown as {HIDDEN} (UU 27/2022).",
        )
    )
    return title, lines


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^(\s*|\s*\d+(?=[.)]))([#>+=.)-])")
_MD_AUTOLINK = re.compile(r"(?i)(?<=www)\.|:(?=//)|@")


def escape_markdown(text: str) -> str:
    r"""Escape a text so that Markdown shows it as typed (no emphasis, link, HTML or list).

    Backslash-escapes the characters that start inline markup (``\ ` * _ [ ] < > | ~ &``),
    a leading block marker (``#``, ``>``, ``+``, ``=``, ``-``, ``1.``), and the ``:`` of
    ``://``, the ``.`` of ``www.`` and ``@`` so no autolink forms (GitHub Flavored Markdown);
    line breaks become spaces so a value stays inside its list item.

    Parameters
    ----------
    text : str
        A sentence holding data values (unit, position or programme names).

    Returns
    -------
    str
        Markdown source that renders as ``text``.

    Examples
    --------
    >>> print(escape_markdown("**bold** [link](http://x.example) =1+1"))
    \*\*bold\*\* \[link\](http\://x.example) =1+1
    """
    text = re.sub(r"[\r\n]+", " ", str(text))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_AUTOLINK.sub(lambda m: "\\" + m.group(0), text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _table_markdown(t: Table) -> list[str]:
    esc = escape_markdown
    out = [f"*{esc(t.title)}*", "", "| " + " | ".join(esc(c) for c in t.columns) + " |"]
    out.append("|" + "---|" * len(t.columns))
    out += ["| " + " | ".join(esc(v) for v in row) + " |" for row in t.rows]
    return out + ([""] + [esc(t.note)] if t.note else []) + [""]


def brief_markdown(
    results: Results,
    sections: list[Section],
    *,
    lang: Lang = "id",
    front: FrontPage | None = None,
) -> str:
    """Render the brief as Markdown (figures linked from ``figures/``).

    Parameters
    ----------
    results : Results
        Output of :func:`asn_analysis.reporting.summaries.collect`.
    sections : list of Section
        Output of :func:`asn_analysis.reporting.brief.brief`.
    lang : {"id", "en"}, default "id"
        Language.
    front : FrontPage, optional
        The first screen (:func:`asn_analysis.reporting.brief.front_page`); default built
        from ``results``.

    Returns
    -------
    str
        The Markdown text: the first screen (headline findings as a table, top actions), then
        the numbered sections, each with its findings, tables, actions, figures and its
        "how we know" part.
    """
    i = _i(lang)
    front = front if front is not None else front_page(results, lang=lang)
    title, lines = _header(results, lang)
    esc = escape_markdown
    md = [f"# {title}", ""] + [f"> {esc(line)}" for line in lines] + [""]
    md += [f"**{FRONT['title'][i]}**", ""]
    if front.headlines:
        md += [f"*{FRONT['headlines'][i]}*", ""]
        md += [f"| {FRONT['what'][i]} | {FRONT['value'][i]} | {FRONT['meaning'][i]} |"]
        md += ["|---|---|---|"]
        md += [f"| {esc(h.what)} | {esc(h.value)} | {esc(h.meaning)} |" for h in front.headlines]
        md += [""]
    if front.actions:
        md += [f"*{FRONT['actions'][i]}*", ""]
        md += [f"{k}. {esc(a)}" for k, a in enumerate(front.actions, start=1)] + [""]
    for n, s in enumerate(sections, start=1):
        md += [f"## {n}. {esc(s.title)}", "", f"**{FINDING[i]}**", ""]
        md += [f"- {esc(t)}" for t in s.findings] + [""]
        for t in s.tables:
            md += _table_markdown(t)
        if s.actions:
            md += [f"**{ACTION[i]}**", ""] + [f"- {esc(t)}" for t in s.actions] + [""]
        md += [f"![{_figure_title(f, lang)}](figures/{f}.png)" for f in s.figures]
        md += [""] if s.figures else []
        if s.methods:
            md += [f"**{HOW_WE_KNOW[i]}**", ""] + [f"- {esc(t)}" for t in s.methods] + [""]
    return "\n".join(md).rstrip() + "\n"


#: Print CSS of the brief: A4, the first screen and every section on a new page.
BRIEF_CSS = (
    "body{font-family:sans-serif;max-width:72rem;margin:1rem auto;padding:0 1rem;"
    "line-height:1.45;color:#222}h1{font-size:1.6rem}h2{border-bottom:1px solid #ccc;"
    "margin-top:2rem}.note{background:#fff4d6;padding:.4rem .6rem;margin:.3rem 0}"
    "img{max-width:100%}table{border-collapse:collapse;width:100%;margin:.5rem 0}"
    "th,td{border:1px solid #ccc;padding:.2rem .4rem;text-align:left;vertical-align:top}"
    "caption{text-align:left;font-weight:bold;padding:.2rem 0}.tnote{font-size:.85rem}"
    ".front h2{border:none;margin-top:.5rem}.cols{display:flex;gap:1rem;align-items:flex-start}"
    ".cols .heads{flex:3}.cols figure{flex:2;margin:0}.cols img{max-height:30rem}"
    ".how{background:#f3f3f3;padding:.3rem .8rem;font-size:.92rem}"
    "@page{size:A4;margin:14mm}"
    "@media print{body{margin:0;max-width:none}section.part{break-before:page;"
    "page-break-before:always}table,figure{break-inside:avoid}}"
)


def brief_html(
    results: Results,
    sections: list[Section],
    *,
    figures: dict[str, Path],
    lang: Lang = "id",
    front: FrontPage | None = None,
) -> str:
    """Render the brief as one self-contained HTML page (figures embedded, opens offline).

    Parameters
    ----------
    results : Results
        Output of :func:`asn_analysis.reporting.summaries.collect`.
    sections : list of Section
        Output of :func:`asn_analysis.reporting.brief.brief`.
    figures : dict of str to pathlib.Path
        PNG file of each figure name.
    lang : {"id", "en"}, default "id"
        Language.
    front : FrontPage, optional
        The first screen; default built from ``results``.

    Returns
    -------
    str
        The HTML document, with print CSS (:data:`BRIEF_CSS`): A4, each section on a new page.
    """
    i = _i(lang)
    front = front if front is not None else front_page(results, lang=lang)
    title, lines = _header(results, lang)
    e = html.escape

    def img(name: str) -> str:
        data = base64.b64encode(figures[name].read_bytes()).decode("ascii")
        alt = e(_figure_title(name, lang))
        return f'<figure><img alt="{alt}" src="data:image/png;base64,{data}"></figure>'

    body = [f"<h1>{e(title)}</h1>"] + [f'<p class="note">{e(x)}</p>' for x in lines]
    body.append(f'<section class="front" id="front"><h2>{e(FRONT["title"][i])}</h2>')
    cols = []
    if front.headlines:
        head = "".join(f"<th>{e(FRONT[k][i])}</th>" for k in ("what", "value", "meaning"))
        rows = "".join(
            f"<tr><td>{e(h.what)}</td><td><b>{e(h.value)}</b></td><td>{e(h.meaning)}</td></tr>"
            for h in front.headlines
        )
        cols.append(
            f'<div class="heads"><table><caption>{e(FRONT["headlines"][i])}</caption><thead>'
            f"<tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
        )
    if "ikm_per_unit" in figures:
        cols.append(img("ikm_per_unit"))
    body.append('<div class="cols">' + "".join(cols) + "</div>")
    if front.actions:
        body.append(
            f"<h3>{e(FRONT['actions'][i])}</h3><ol>"
            + "".join(f"<li>{e(a)}</li>" for a in front.actions)
            + "</ol>"
        )
    body.append("</section>")
    for n, s in enumerate(sections, start=1):
        body.append(f'<section class="part" id="{e(s.key)}"><h2>{n}. {e(s.title)}</h2>')
        body.append(
            f"<h3>{FINDING[i]}</h3><ul>" + "".join(f"<li>{e(t)}</li>" for t in s.findings) + "</ul>"
        )
        body += [t.html() for t in s.tables]
        if s.actions:
            body.append(
                f"<h3>{ACTION[i]}</h3><ul>"
                + "".join(f"<li>{e(t)}</li>" for t in s.actions)
                + "</ul>"
            )
        body += [img(f) for f in s.figures]
        if s.methods:
            body.append(
                f'<div class="how"><h3>{e(HOW_WE_KNOW[i])}</h3><ul>'
                + "".join(f"<li>{e(t)}</li>" for t in s.methods)
                + "</ul></div>"
            )
        body.append("</section>")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title><style>{BRIEF_CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


PdfOption = Literal["combined", "per_unit", "none"]


def export_findings(
    results: Results,
    out: str | Path,
    *,
    lang: Lang = "id",
    cards: bool = True,
    pdf: PdfOption = "combined",
) -> ExportResult:
    """Write the workbook, the brief (Markdown, HTML, PDF), the figures and the unit cards.

    Parameters
    ----------
    results : Results
        Output of :func:`asn_analysis.reporting.summaries.collect`.
    out : str or pathlib.Path
        Folder (``reports/findings``); created if missing.
    lang : {"id", "en"}, default "id"
        ``temuan.xlsx``, ``ringkasan.*`` and Indonesian text, or ``findings.xlsx``,
        ``brief.*`` and English.
    cards : bool, default True
        Write the report card of every unit to ``units/`` (:mod:`asn_analysis.reporting.cards`).
    pdf : {"combined", "per_unit", "none"}, default "combined"
        A4 PDFs by headless Chromium (:mod:`asn_analysis.reporting.pdf`): the brief and one
        combined file of all cards (one page per unit); ``"per_unit"`` also prints each card
        to its own PDF (slower: one Chromium run per unit, two at a time). Without Chromium
        the HTML is written, a :class:`~asn_analysis.reporting.pdf.PdfUnavailableWarning`
        says how to install it and :attr:`ExportResult.notes` holds the message.

    Returns
    -------
    ExportResult
        The files written.
    """
    import warnings

    from asn_analysis._validation import check_option
    from asn_analysis.reporting import pdf as printing
    from asn_analysis.reporting.cards import write_cards

    check_option("pdf", pdf, ("combined", "per_unit", "none"))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    with contextlib.ExitStack() as stack:
        printer = None
        if pdf != "none":
            try:
                printer = stack.enter_context(printing.PdfPrinter())
            except printing.PdfUnavailable as exc:
                notes.append(str(exc))
        sections = brief(results, lang=lang)
        front = front_page(results, lang=lang)
        stem = BRIEF_STEM[lang]
        page = out / f"{stem}.html"
        card_paths: list[Path] = []
        to_print = []
        if cards:  # first: Chromium prints the cards while the rest is written
            _, banner = _header(results, lang)
            written = write_cards(results, out / "units", lang=lang, banner=tuple(banner[:-1]))
            card_paths = [written.index, *written.pages, written.combined]
            to_print.append(written.combined)
            if pdf == "per_unit":
                to_print += written.pages
        if printer is not None:
            for p in to_print:
                printer.submit(p, p.with_suffix(".pdf"))
        figure_paths = write_figures(results, out / "figures", lang=lang)
        figures = {p.stem: p for p in figure_paths}
        md = out / f"{stem}.md"
        md.write_text(brief_markdown(results, sections, lang=lang, front=front), encoding="utf-8")
        page.write_text(
            brief_html(results, sections, figures=figures, lang=lang, front=front),
            encoding="utf-8",
        )
        if printer is not None:
            printer.submit(page, page.with_suffix(".pdf"))
        book = write_workbook(
            sheets(results, sections, lang=lang),
            out / ("temuan.xlsx" if lang == "id" else "findings.xlsx"),
            lang=lang,
        )
        pdfs: list[Path] = []
        if printer is not None:
            try:
                printed = printer.results()
                pdfs = [printed[-1], *printed[:-1]]  # the brief first, then the cards
            except printing.PdfFailed as exc:
                notes.append(str(exc))
    for note in notes:
        warnings.warn(note, printing.PdfUnavailableWarning, stacklevel=2)
    return ExportResult(
        book, md, page, tuple(figure_paths), tuple(card_paths), tuple(pdfs), tuple(notes)
    )


__all__ = [
    "BRIEF_CSS",
    "BRIEF_STEM",
    "DISCLOSURE",
    "FORMULA_START",
    "SHEETS",
    "ExportResult",
    "SheetRule",
    "brief_html",
    "brief_markdown",
    "escape_markdown",
    "export_findings",
    "sheets",
    "write_figures",
    "write_workbook",
]
