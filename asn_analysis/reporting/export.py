"""Write the findings a training planner reads: workbook, brief and figures.

An Excel workbook, a brief (Markdown and self-contained HTML) and the figures as PNG files.

Everything exported comes from :mod:`asn_analysis.reporting.summaries` (the numbers),
:mod:`asn_analysis.reporting.brief` (the sentences) and :mod:`asn_analysis.reporting.plots`
(the figures). Nothing exported identifies a
person: no NIP, name or employee_id is written, and any aggregate over fewer than
:data:`~asn_analysis.privacy.MIN_GROUP_SIZE` people is suppressed (shown as such). The same
data and seed give the same workbook values and the same Markdown. Sheets, figures and brief
sections of analyses the data does not support are left out; the "data coverage" sheet lists
every analysis, whether it was analysed and which tables it missed
(:mod:`asn_analysis.reporting.coverage`).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from asn_analysis import __version__  # noqa: E402
from asn_analysis._validation import Lang, check_lang  # noqa: E402
from asn_analysis.data.privacy import MIN_GROUP_SIZE  # noqa: E402
from asn_analysis.reporting.brief import Section, brief  # noqa: E402
from asn_analysis.reporting.coverage import coverage  # noqa: E402
from asn_analysis.reporting.notebook import SYNTHETIC_WARNING  # noqa: E402
from asn_analysis.reporting.plots.resistance import resistance_drivers  # noqa: E402
from asn_analysis.reporting.plots.satisfaction import ikm_by_unit  # noqa: E402
from asn_analysis.reporting.plots.training import training_effects  # noqa: E402
from asn_analysis.reporting.summaries import Results  # noqa: E402
from asn_analysis.reporting.text import choose  # noqa: E402

#: Aggregates over fewer people than this are suppressed in every export.
SUPPRESSED = {"id": "disembunyikan (<5)", "en": "suppressed (<5)"}

SHEETS = {
    "summary": ("Ringkasan", "Summary"),
    "ikm": ("IKM per unit dan periode", "IKM by unit and period"),
    "gaps": ("Kesenjangan kompetensi", "Competency gaps"),
    "priorities": ("Prioritas pelatihan", "Training priorities"),
    "effects": ("Dampak pelatihan", "Training effects"),
    "resistance": ("Faktor resistensi", "Resistance drivers"),
    "segments": ("Segmen", "Segments"),
    "quality": ("Log kualitas data", "Data-quality log"),
    "coverage": ("Cakupan data", "Data coverage"),
}
#: Column headers in Bahasa Indonesia and English.
LABELS = {
    "section": ("Bagian", "Section"),
    "competency": ("Kompetensi", "Competency"),
    "group": ("Kelompok", "Group"),
    "n_below": ("Di bawah standar", "Below standard"),
    "share_below": ("Porsi di bawah standar", "Share below standard"),
    "mean_gap": ("Rata-rata selisih", "Mean gap"),
    "mean_shortfall": ("Rata-rata kekurangan", "Mean shortfall"),
    "mean_shortfall_below": ("Rata-rata kekurangan", "Mean shortfall"),
    "rank": ("Peringkat", "Rank"),
    "priority": ("Skor prioritas", "Priority score"),
    "jp_needed": ("JP dibutuhkan", "JP needed"),
    "jp_per_employee": ("JP per pegawai", "JP per employee"),
    "years_of_right": ("Tahun hak 20 JP", "Years of the 20 JP right"),
    "scope": ("Cakupan", "Scope"),
    "estimator": ("Penduga", "Estimator"),
    "level": ("Level Kirkpatrick", "Kirkpatrick level"),
    "measure": ("Ukuran", "Measure"),
    "method": ("Metode", "Method"),
    "estimate": ("Estimasi", "Estimate"),
    "n_obs": ("n observasi", "n observations"),
    "n_treated": ("n dilatih", "n treated"),
    "segment": ("Segmen", "Segment"),
    "label": ("Label", "Label"),
    "share": ("Porsi", "Share"),
    "need": ("Kebutuhan", "Need"),
    "action": ("Tindakan", "Action"),
    "suppressed": ("Disembunyikan (<5)", "Suppressed (<5)"),
    "kind": ("Jenis", "Kind"),
    "text": ("Isi", "Text"),
    "unit_name": ("Unit kerja", "Unit"),
    "period": ("Periode", "Period"),
    "n": ("n", "n"),
    "ikm_converted": ("IKM konversi", "Converted IKM"),
    "ikm_converted_ci_low": ("IK 95% bawah", "95% CI low"),
    "ikm_converted_ci_high": ("IK 95% atas", "95% CI high"),
    "mutu": ("Mutu", "Grade"),
    "kinerja": ("Kinerja unit", "Unit performance"),
    "term": ("Variabel", "Term"),
    "coef": ("Koefisien", "Coefficient"),
    "se": ("Galat baku", "Std. error"),
    "ci_low": ("IK 95% bawah", "95% CI low"),
    "ci_high": ("IK 95% atas", "95% CI high"),
    "pvalue": ("Nilai p", "p-value"),
    "std_coef": ("Koefisien baku", "Standardized coef."),
    "table": ("Tabel", "Table"),
    "column": ("Kolom", "Column"),
    "reason": ("Alasan", "Reason"),
    "rows": ("Jumlah baris", "Rows"),
    "example_rows": ("Contoh nomor baris", "Example file rows"),
    "rows_in": ("Baris masuk", "Rows in"),
    "rows_kept": ("Baris dipakai", "Rows kept"),
    "rows_quarantined": ("Baris dikarantina", "Rows quarantined"),
    "analysis": ("Analisis", "Analysis"),
    "status": ("Status", "Status"),
    "missing_tables": ("Tabel yang tidak ada", "Missing tables"),
    "notebook": ("Notebook", "Notebook"),
    "sheets": ("Lembar", "Sheets"),
}
FINDING = ("Temuan", "Finding")
ACTION = ("Tindakan", "Action")


@dataclass(frozen=True)
class ExportResult:
    """Files written by :func:`export_findings`."""

    workbook: Path
    brief_md: Path
    brief_html: Path
    figures: tuple[Path, ...]

    def paths(self) -> list[Path]:
        """Return every file written."""
        return [self.workbook, self.brief_md, self.brief_html, *self.figures]


def _i(lang: Lang) -> int:
    """Return the index of ``lang`` in the (Indonesian, English) pairs of :data:`SHEETS`."""
    check_lang(lang)
    return 0 if lang == "id" else 1


def suppress_small(
    table: pd.DataFrame, *, n_col: str, value_cols: list[str], min_n: int = MIN_GROUP_SIZE
) -> pd.DataFrame:
    """Blank the values of groups smaller than ``min_n`` and mark them.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per group, with its size in ``n_col``.
    n_col : str
        Column holding the group size.
    value_cols : list of str
        Columns blanked for small groups.
    min_n : int, default 5
        Smallest group shown.

    Returns
    -------
    pandas.DataFrame
        A copy with a boolean ``suppressed`` column.

    Examples
    --------
    >>> t = pd.DataFrame({"n": [3, 12], "mean": [2.0, 3.0]})
    >>> suppress_small(t, n_col="n", value_cols=["mean"])["mean"].isna().tolist()
    [True, False]
    """
    out = table.copy()
    small = out[n_col] < min_n
    for c in value_cols:
        out[c] = out[c].mask(small)
    out["suppressed"] = small
    return out


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
        drv = results.resistance.drivers.table.reset_index()
        out["resistance"] = drv[["term", "coef", "se", "ci_low", "ci_high", "pvalue", "std_coef"]]
    _quality_sheet(results.dataset, out)
    cov = results.coverage or coverage(results.dataset.tables_present)
    out["coverage"] = cov.sheet(lang=lang)
    return {key: out[key] for key in SHEETS if key in out}


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
    ikm = suppress_small(
        sat.units[cols + nrr],
        n_col="n",
        value_cols=["ikm_converted", "ikm_converted_ci_low", "ikm_converted_ci_high", *nrr],
    )
    out["ikm"] = ikm


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
        "n_obs",
        "n_treated",
    ]
    effects = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    out["effects"] = effects.reindex(columns=keep)


def _segments_sheet(seg, out: dict, lang: Lang) -> None:
    from asn_analysis.reporting.findings import segments as cl

    profiles = seg.to_frame().reset_index(names="segment")
    profiles.insert(1, "label", list(cl.segment_labels(seg, lang=lang)))
    profiles = suppress_small(
        profiles,
        n_col="n",
        value_cols=[
            col for col in profiles.columns if col not in ("segment", "label", "n", "tiny")
        ],
    )
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


def write_workbook(tables: dict[str, pd.DataFrame], path: Path, *, lang: Lang = "id") -> Path:
    """Write tables to an Excel workbook a planner can read.

    Headers are translated, numbers stay numbers with a display format (shares as
    percentages), the header row is frozen and columns are sized to fit.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Keys of :data:`SHEETS`.
    path : pathlib.Path
        The ``.xlsx`` file.
    lang : {"id", "en"}, default "id"
        Language of sheet names and headers.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    i = _i(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for key, table in tables.items():
            name = SHEETS[key][i][:31]
            shown = table.rename(columns={c: LABELS.get(c, (c, c))[i] for c in table.columns})
            shown.to_excel(xl, sheet_name=name, index=False)
            ws = xl.sheets[name]
            ws.freeze_panes = "A2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for j, column in enumerate(table.columns, start=1):
                values = table[column]
                fmt = None
                if pd.api.types.is_float_dtype(values):
                    fmt = "0.0%" if column.startswith("share") else "0.000"
                elif pd.api.types.is_integer_dtype(values):
                    fmt = "0"
                width = max([len(str(shown.columns[j - 1]))] + [len(str(v)) for v in values[:200]])
                ws.column_dimensions[get_column_letter(j)].width = min(max(8, width + 2), 80)
                if fmt:
                    for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                        row[0].number_format = fmt
        book = xl.book
        book.properties.creator = f"asn-analysis {__version__}"
    return path


# --------------------------------------------------------------------------- figures


FigureMaker = Callable[[Results, Lang], plt.Figure]


def _fig_ikm(results: Results, lang: Lang) -> plt.Figure:
    sat = results.satisfaction
    units = suppress_small(sat.units, n_col="n", value_cols=["ikm_converted"])
    return ikm_by_unit(units[~units["suppressed"]], period=sat.period, lang=lang).figure


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
#: The result each figure draws (an attribute of Results); no figure when it is None.
_FIGURE_RESULT = {
    "training_effects": "effects",
    "ikm_per_unit": "satisfaction",
    "resistance_drivers": "resistance",
}


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
        fig = make(results, lang)
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
            "Setiap angka disertai ketidakpastiannya (IK 95%). Kelompok < 5 orang disembunyikan.",
            "Every number comes with its uncertainty (95% CI). Groups under 5 people are "
            "suppressed.",
        )
    )
    return title, lines


def brief_markdown(results: Results, sections: list[Section], *, lang: Lang = "id") -> str:
    """Render the brief as Markdown (figures linked from ``figures/``).

    Parameters
    ----------
    results : Results
        Output of :func:`asn_analysis.reporting.summaries.collect`.
    sections : list of Section
        Output of :func:`asn_analysis.reporting.brief.brief`.
    lang : {"id", "en"}, default "id"
        Language.

    Returns
    -------
    str
        The Markdown text.
    """
    i = _i(lang)
    title, lines = _header(results, lang)
    md = [f"# {title}", ""] + [f"> {line}" for line in lines] + [""]
    for n, s in enumerate(sections, start=1):
        md += [f"## {n}. {s.title}", "", f"**{FINDING[i]}**", ""]
        md += [f"- {t}" for t in s.findings] + [""]
        if s.actions:
            md += [f"**{ACTION[i]}**", ""] + [f"- {t}" for t in s.actions] + [""]
        md += [f"![{f}](figures/{f}.png)" for f in s.figures]
        md += [""] if s.figures else []
    return "\n".join(md).rstrip() + "\n"


def brief_html(
    results: Results, sections: list[Section], *, figures: dict[str, Path], lang: Lang = "id"
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

    Returns
    -------
    str
        The HTML document.
    """
    i = _i(lang)
    title, lines = _header(results, lang)
    e = html.escape
    body = [f"<h1>{e(title)}</h1>"] + [f'<p class="note">{e(x)}</p>' for x in lines]
    for n, s in enumerate(sections, start=1):
        body.append(f'<section id="{e(s.key)}"><h2>{n}. {e(s.title)}</h2>')
        body.append(
            f"<h3>{FINDING[i]}</h3><ul>" + "".join(f"<li>{e(t)}</li>" for t in s.findings) + "</ul>"
        )
        if s.actions:
            body.append(
                f"<h3>{ACTION[i]}</h3><ul>"
                + "".join(f"<li>{e(t)}</li>" for t in s.actions)
                + "</ul>"
            )
        for f in s.figures:
            data = base64.b64encode(figures[f].read_bytes()).decode("ascii")
            body.append(f'<figure><img alt="{e(f)}" src="data:image/png;base64,{data}"></figure>')
        body.append("</section>")
    style = (
        "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.45;color:#222}h1{font-size:1.6rem}h2{border-bottom:1px solid #ccc;"
        "margin-top:2rem}.note{background:#fff4d6;padding:.4rem .6rem;margin:.3rem 0}"
        "img{max-width:100%}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title><style>{style}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def export_findings(results: Results, out: str | Path, *, lang: Lang = "id") -> ExportResult:
    """Write the workbook, the brief (Markdown and HTML) and the figures.

    Parameters
    ----------
    results : Results
        Output of :func:`asn_analysis.reporting.summaries.collect`.
    out : str or pathlib.Path
        Folder (``reports/findings``); created if missing.
    lang : {"id", "en"}, default "id"
        ``temuan.xlsx`` and Indonesian text, or ``findings.xlsx`` and English; the brief is
        ``ringkasan.md`` / ``ringkasan.html`` in both.

    Returns
    -------
    ExportResult
        The files written.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    sections = brief(results, lang=lang)
    figure_paths = write_figures(results, out / "figures", lang=lang)
    figures = {p.stem: p for p in figure_paths}
    book = write_workbook(
        sheets(results, sections, lang=lang),
        out / ("temuan.xlsx" if lang == "id" else "findings.xlsx"),
        lang=lang,
    )
    stem = "ringkasan"  # the brief keeps its name in both languages
    md = out / f"{stem}.md"
    md.write_text(brief_markdown(results, sections, lang=lang), encoding="utf-8")
    page = out / f"{stem}.html"
    page.write_text(brief_html(results, sections, figures=figures, lang=lang), encoding="utf-8")
    return ExportResult(book, md, page, tuple(figure_paths))


__all__ = [
    "ExportResult",
    "brief_html",
    "brief_markdown",
    "export_findings",
    "sheets",
    "suppress_small",
    "write_figures",
    "write_workbook",
]
