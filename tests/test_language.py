"""Every label in the reader's language: the exported files scanned for keys and the other language.

The export runs on a small fixture (the tiny-cells dataset, three units' cards) in Bahasa
Indonesia and in English; the workbook (cells and sheet names), the briefs (Markdown and HTML),
the report cards and the figures' texts (and notebook 04's figures) are scanned for

- raw keys: snake_case identifiers and patsy terms (``C(job_type)[T.fungsional]``), and
  headers that are a bare lowercase identifier (``tiny``, ``jaccard``);
- words of the other language from a short list (:data:`ENGLISH` in the Indonesian files,
  :data:`INDONESIAN` in the English ones);
- in Indonesian, numbers in the English style (``2293`` beside ``22.360``, ``0.5`` on an axis).

Names from the data (units, programmes, positions) are removed before the scan, and so are the
technical terms both languages use (:data:`ALLOWED`): method names that are loanwords in
Indonesian statistics (bootstrap, k-means, Jaccard, logit ...) and the official Indonesian terms
an English reader is given (IKM, mutu, unsur, the kinerja grades ...). The data-quality log and
the coverage sheet name the input files and columns for the person who fixes them, so their
``table``, ``column`` and ``missing tables`` cells are not scanned for keys.
"""

from __future__ import annotations

import dataclasses
import re
import warnings

import matplotlib
import matplotlib.figure
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from openpyxl import load_workbook
from render_helpers import tiny_results

from asn_analysis import effects as ef
from asn_analysis.reporting import export, plots

#: Snake_case identifiers and patsy terms a reader must never see.
RAW_KEY = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|C\([A-Za-z_]+\)\[T\.")
#: English words that must not appear in the Indonesian files.
ENGLISH = (
    "the",
    "and",
    "of",
    "with",
    "training",
    "estimate",
    "effect",
    "wild",
    "odds",
    "naive",
    "before-after",
    "participants",
    "synthetic",
    "demeaned",
    "resistance",
    "transparency",
    "truth",
    "fixed effects",
    "Job Person Match",
    "employees",
    "staff",
    "talent pool",
    "below standard",
    "event study",
    "weighting",
    "treated",
    "share",
    "rank",
    "density",
    "periods since",
    "roll-out",
    "all but",
    "nearly all",
    "yes",
    "False",
    "True",
)
#: Indonesian words that must not appear in the English files.
INDONESIAN = (
    "dan",
    "yang",
    "pegawai",
    "pelatihan",
    "dengan",
    "untuk",
    "tidak",
    "sebelum",
    "sesudah",
    "kesenjangan",
    "responden",
    "peserta",
    "semua",
    "rata-rata",
    "dari",
    "pada",
    "unit kerja",
    "kompetensi",
    "Ringkasan",
    "Temuan",
    "Tindakan",
    "Bagian",
    "sintetis",
    "resistensi",
    "ya",
)
#: Terms accepted in both languages, removed before the scan (longest first). Indonesian
#: statistics writes these method names as loanwords; English keeps the official Indonesian terms.
ALLOWED = {
    "id": (
        "Callaway-Sant'Anna",
        "Goodman-Bacon",
        "Krejcie-Morgan",
        "Kirkpatrick",
        "DR-DiD",
        "DiD",
        "TWFE",
        "bootstrap",
        "k-means",
        "Jaccard",
        "silhouette",
        "coaching",
        "mentoring",
        "logit",
        "CR1",
        "d_z",
    ),
    "en": (
        "Sangat Baik",
        "Kurang Baik",
        "Tidak Baik",
        "Cukup Optimal",
        "Kurang Optimal",
        "Sangat Optimal",
        "Pelindungan Data Pribadi",
        "Manajemen Talenta",
        "d_z",  # Cohen's d for paired samples: notation, in both languages
    ),
}
#: A number in the English style: 2293 (no thousands dot) or 0.5 / 2.25 (a decimal point; a dot
#: before exactly three digits is the Indonesian thousands separator).
ENGLISH_NUMBER = re.compile(
    r"(?<![\d.,])\d{4,}(?![\d.,]|-S\d)|(?<![\d.,])(?:0\.\d+|\d+\.(?:\d{1,2}|\d{4,}))(?![\d.])"
)


def _words(text: str, words: tuple[str, ...]) -> list[str]:
    found = []
    for w in words:
        if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text, flags=re.IGNORECASE):
            found.append(w)
    return found


def _clean(text: str, names: list[str], lang: str) -> str:
    for name in names:
        text = text.replace(name, " ")
    for term in ALLOWED[lang]:
        text = text.replace(term, " ")
    return text


def _html_text(path) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<style.*?</style>|<script.*?</script>", " ", text, flags=re.S)
    text = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", " ", text)
    text = re.sub(r'<img[^>]*\balt="([^"]*)"[^>]*>', r" \1 ", text)  # an image's text is read
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"&[a-z]+;|&#\d+;", " ", text)


def _workbook_texts(path, lang) -> dict[str, list[str]]:
    """Every text a reader sees in the workbook, by sheet (the sheet name first)."""
    i = 0 if lang == "id" else 1
    skip = {
        export.SHEETS["quality"][i]: {export.LABELS[c][i] for c in ("table", "column")},
        export.SHEETS["coverage"][i]: {export.LABELS["missing_tables"][i]},
    }
    out = {}
    for ws in load_workbook(path).worksheets:
        head = [str(c.value) for c in ws[1]]
        texts = [ws.title, *head]
        for row in ws.iter_rows(min_row=2, values_only=True):
            for h, v in zip(head, row, strict=False):
                if v is not None and h not in skip.get(ws.title, ()):
                    texts.append(str(v))
        out[ws.title] = texts
    return out


def _notebook_figures(lang: str) -> list[matplotlib.figure.Figure]:
    """Notebook 04's figures (event studies, weighting) and the case study's, drawn."""
    t = pd.DataFrame(
        {
            "estimate": [0.2, 0.0, 2.0, 2.5],
            "ci_low": [-1.0, 0.0, 0.8, 0.5],
            "ci_high": [1.4, 0.0, 3.2, 4.5],
            "one_treated_unit": [False, False, False, True],
        },
        index=pd.Index([-2, -1, 0, 1], name="event_time"),
    )
    cs = ef.EventStudyResult(t, 0.1, 1, 0.75, "Wald", "Callaway-Sant'Anna event study", 40, 8)
    tw = ef.EventStudyResult(t, 0.2, 1, 0.66, "F", "TWFE event study", 40, 8)
    balance = pd.DataFrame({"smd_before": [0.4, -0.2], "smd_after": [0.02, 0.01]}, index=["a", "b"])
    propensity = pd.DataFrame({"treatment": [1, 1, 0, 0], "propensity": [0.7, 0.6, 0.3, 0.5]})
    est = ef.EffectEstimate(
        1.0, 0.5, 0.0, 2.0, 0.05, 4, 2, None, "AIPW",
        details={"balance": balance, "propensity": propensity},
    )  # fmt: skip
    path = pd.DataFrame(
        {"treated": [70.0, 71.0, 76.0], "synthetic": [70.2, 70.8, 71.5], "post": [0, 0, 1]},
        index=["2024-S1", "2024-S2", "2025-S1"],
    ).astype({"post": bool})
    gaps = pd.DataFrame({"U05": [-0.2, 0.2, 4.5], "U01": [0.3, -0.1, 0.4]}, index=path.index)
    synth = ef.EffectEstimate(
        4.5, float("nan"), float("nan"), float("nan"), 0.5, 3, 1, None,
        "synthetic control (demeaned)", details={"path": path, "placebo_gaps": gaps},
    )  # fmt: skip
    figs = [
        plots.event_studies(cs, tw, truth={0: 2.0, 1: 2.4}, lang=lang).figure,
        plots.weighting_diagnostics(est, lang=lang),
        plots.synthetic_control_panels(synth, unit_name="Dinas Kesehatan", lang=lang),
    ]
    for fig in figs:
        fig.canvas.draw()
    return figs


def _figure_texts(fig: matplotlib.figure.Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text().strip()]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The export of the tiny fixture in both languages, with the figures' texts."""
    with pytest.MonkeyPatch.context() as mp:
        results = tiny_results(tmp_path_factory.mktemp("tiny"), mp)
        few = dataclasses.replace(results.dataset, units=results.dataset.units.head(3))
        results_few = dataclasses.replace(results, dataset=few)
        texts: dict[str, list[str]] = {}
        current = {"lang": "id"}
        save = matplotlib.figure.Figure.savefig

        def recording_savefig(fig, *args, **kwargs):
            saved = save(fig, *args, **kwargs)  # drawn: the tick labels are the ones printed
            texts.setdefault(current["lang"], []).extend(_figure_texts(fig))
            return saved

        mp.setattr(matplotlib.figure.Figure, "savefig", recording_savefig)
        mp.setenv("ASN_ANALYSIS_CHROMIUM", "")
        out = {}
        for lang in ("id", "en"):
            current["lang"] = lang
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out[lang] = export.export_findings(
                    results_few, tmp_path_factory.mktemp(lang), lang=lang, pdf="none"
                )
    ds = results.dataset
    names = [str(n) for n in ds.units["unit_name"]]
    for table, column in (("training", "program"), ("employees", "position")):
        frame = getattr(ds, table, None)
        if isinstance(frame, pd.DataFrame) and column in frame:
            names += [str(n) for n in frame[column].dropna().unique()]
    names.sort(key=len, reverse=True)
    return out, texts, names, results_few


def _documents(exported, lang) -> dict[str, str]:
    """Each file (or sheet, or figure set) a reader of ``lang`` sees, as text."""
    out, figure_texts = exported[:2]
    res = out[lang]
    # a Markdown link's target (figures/ikm_per_unit.png) is a file name, not text a reader sees
    md = re.sub(r"\]\([^)]*\)", "]", res.brief_md.read_text(encoding="utf-8"))
    docs = {"brief.md": md}
    docs["brief.html"] = _html_text(res.brief_html)
    for p in res.cards:
        docs[f"cards/{p.name}"] = _html_text(p)
    for sheet, texts in _workbook_texts(res.workbook, lang).items():
        docs[f"workbook/{sheet}"] = "\n".join(texts)
    docs["figures"] = "\n".join(figure_texts.get(lang, []))
    figs = _notebook_figures(lang)
    docs["notebook 04 figures"] = "\n".join(t for f in figs for t in _figure_texts(f))
    plt.close("all")
    return docs


@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_raw_key_reaches_a_reader(exported, lang):
    names = exported[2]
    problems = {}
    for where, text in _documents(exported, lang).items():
        found = sorted(set(RAW_KEY.findall(_clean(text, names, lang))))
        if found:
            problems[where] = found[:8]
    assert not problems, problems


@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_word_of_the_other_language(exported, lang):
    names = exported[2]
    other = ENGLISH if lang == "id" else INDONESIAN
    problems = {}
    for where, text in _documents(exported, lang).items():
        found = _words(_clean(text, names, lang), other)
        if found:
            problems[where] = found
    assert not problems, problems


@pytest.mark.parametrize("lang", ["id", "en"])
def test_workbook_headers_are_names_not_keys(exported, lang):
    out = exported[0][lang]
    bare = {}
    for ws in load_workbook(out.workbook).worksheets:
        keys = [str(c.value) for c in ws[1] if re.fullmatch(r"[a-z_]+", str(c.value))]
        keys = [k for k in keys if k != "n"]
        if keys:
            bare[ws.title] = keys
    assert not bare, bare


def test_indonesian_numbers_in_one_style(exported):
    """Sentences and figures in Indonesian: 2.293 and 0,5, never 2293 or 0.5."""
    names = exported[2]
    docs = _documents(exported, "id")
    problems = {}
    for where in ("brief.md", "figures", "notebook 04 figures"):
        text = _clean(docs[where], names, "id")
        text = re.sub(r"\b(?:19|20)\d\d\b|PermenPANRB \d+/\d+|\d+/20\d\d|UU \d+/\d+", " ", text)
        found = ENGLISH_NUMBER.findall(text)
        if found:
            problems[where] = found[:8]
    assert not problems, problems


def test_event_study_marks_one_treated_unit():
    for lang, entry in (("id", "satu unit dilatih"), ("en", "one treated unit")):
        fig = _notebook_figures(lang)[0]
        legend = [t.get_text() for t in fig.axes[0].get_legend().texts]
        assert entry in legend, legend
        hollow = [
            line
            for line in fig.axes[0].lines
            if line.get_markerfacecolor() in ("white", (1.0, 1.0, 1.0, 1.0))
        ]
        assert len(hollow) == 1 and list(hollow[0].get_xdata()) == [1]
        plt.close("all")


def test_the_scan_sees_raw_keys_and_english():
    """The scan is not vacuous: it finds what today's main left in the Indonesian files."""
    text = "Segmen tiny; C(job_type)[T.fungsional] and nrr_waktu; the wild cluster bootstrap"
    assert RAW_KEY.findall(text) == ["C(job_type)[T.", "nrr_waktu"]
    assert _words(_clean(text, [], "id"), ENGLISH) == ["the", "and", "wild"]
    assert ENGLISH_NUMBER.findall("470 dari 2293 pegawai, 22.360 JP; 0.5 dan 0,5; 2025-S2") == [
        "2293",
        "0.5",
    ]


def test_counts_in_sentences_have_thousands_separators():
    """ "470 dari 2293 pegawai ... 22.360 JP" read 2.293: every count through reporting.text."""
    from types import SimpleNamespace

    from asn_analysis.reporting.findings import competency_actions, quality_findings

    counts = pd.DataFrame({"table": ["skm_responses"], "rows_in": [2293], "rows_quarantined": [7]})
    ds = SimpleNamespace(row_counts=counts)
    assert quality_findings(ds, lang="id") == [
        "Survei kepuasan masyarakat (SKM) (skm_responses.csv): 7 dari 2.293 baris dikarantina."
    ]
    assert quality_findings(ds, lang="en")[0].endswith(": 7 of 2,293 rows quarantined.")
    needs = pd.DataFrame(
        {
            "rank": [1],
            "unit_id": ["U01"],
            "competency": ["pengambilan_keputusan"],
            "n": [2293],
            "n_below": [1470],
            "jp_needed": [22360.0],
            "suppressed": [False],
        }
    )
    units = pd.DataFrame({"unit_id": ["U01"], "unit_name": ["Dinas Sosial"]})
    results = SimpleNamespace(competency={"needs": needs}, dataset=SimpleNamespace(units=units))
    assert competency_actions(results, lang="id") == [
        "Prioritas 1: latih Pengambilan Keputusan di Dinas Sosial — 1.470 dari 2.293 pegawai di "
        "bawah standar, kebutuhan sekitar 22.360 JP."
    ]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_findings_are_worded_at_the_source(exported, lang, monkeypatch):
    """The sentences of reporting.findings need no relabelling: the notebooks print them as is."""
    from asn_analysis.reporting import brief as brief_module

    monkeypatch.setattr(brief_module, "relabel", lambda text, lang="id": text)
    names, results = exported[2], exported[3]
    sections = brief_module.brief(results, lang=lang)
    text = "\n".join(t for s in sections for t in (*s.findings, *s.actions, *s.methods))
    text = _clean(text, names, lang)
    assert not RAW_KEY.findall(text), RAW_KEY.findall(text)[:8]
    assert not _words(text, ENGLISH if lang == "id" else INDONESIAN)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_workbook_numbers_have_one_format(exported, lang):
    """Every number has a display format; a column of whole numbers shows none of decimals.

    The format codes are Excel's, so the reader's Excel shows them in its own locale's style
    (1.234 / 1,234): one style per language.
    """
    out = exported[0][lang]
    problems = []
    for ws in load_workbook(out.workbook).worksheets:
        head = [c.value for c in ws[1]]
        columns: dict[str, list] = {}
        for row in ws.iter_rows(min_row=2):
            for h, c in zip(head, row, strict=False):
                if isinstance(c.value, int | float) and not isinstance(c.value, bool):
                    columns.setdefault(h, []).append(c)
        for h, cells in columns.items():
            formats = {c.number_format for c in cells}
            if "General" in formats:
                problems.append((ws.title, h, "General"))
            whole = all(float(c.value).is_integer() for c in cells)
            if whole and not formats <= {"#,##0", "0.0%"}:
                problems.append((ws.title, h, formats))
    assert not problems, problems
