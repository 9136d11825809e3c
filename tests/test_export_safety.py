"""Safe exports (issue 13): no small cell, no formula from data, no markup from data.

The export scan reads back every exported file of a run (workbook sheets, Markdown brief) and
checks it with the one specification the export applies (``export.DISCLOSURE``), on the bundled
data and on a copy built to contain tiny cells; the hostile-names run checks that unit, position
and programme names reach the workbook as strings and both briefs as plain text.
"""

import html
import re
from pathlib import Path

import mistune
import openpyxl
import pandas as pd
import pytest

from asn_analysis import load_dataset
from asn_analysis.data import bundled_data_path
from asn_analysis.data.schema import TABLES
from asn_analysis.reporting import export
from asn_analysis.reporting.disclosure import HIDDEN, SUPPRESSED
from asn_analysis.reporting.summaries import collect
from asn_analysis.settings import RunSettings

SALT = "k7Qv2pX9rT4mW8zL1nB6cY3hJ5sD0fGa"

HOSTILE_UNITS = [
    '=HYPERLINK("http://x.example","click")',
    "=1+1",
    "+SUM(A1:A9)",
    "-2+3",
    "@cmd",
    "**bold** [link](http://x.example.org)",
]
HOSTILE_POSITION = "=1+2 <b>jabatan</b> _x_"
HOSTILE_PROGRAMME = "\t=cmd|' /C calc'!A0 <script>alert(1)</script>"

PEOPLE = (
    r"pegawai|employees?|orang|people|responden|respondents|staff|pemegang|holders|peserta|"
    r"participants?|penilaian peserta|participant ratings"
)


NOT_PEOPLE = r"unit|kombinasi|baris|rows|semua|all|\d|%"


def _copy(src: Path, dest: Path) -> dict[str, pd.DataFrame]:
    dest.mkdir(parents=True, exist_ok=True)
    raw = {t: pd.read_csv(src / f"{t}.csv", dtype=str, keep_default_na=False) for t in TABLES}
    return raw


def _write(raw: dict[str, pd.DataFrame], dest: Path) -> Path:
    for t, frame in raw.items():
        frame.to_csv(dest / f"{t}.csv", index=False)
    return dest


def _sheets_back(path: Path, lang: str) -> dict[str, pd.DataFrame]:
    """The workbook's sheets as a reader sees them, headers mapped back to column keys."""
    i = 0 if lang == "id" else 1
    by_name = {names[i][:31]: key for key, names in export.SHEETS.items()}
    header = {labels[i]: key for key, labels in export.LABELS.items()}
    out = {}
    for name, table in pd.read_excel(path, sheet_name=None).items():
        out[by_name[name]] = table.rename(columns=lambda c: header.get(c, c))
    return out


def small_counts_in_sentences(text: str) -> list[str]:
    """Counts of 1-4 people, and "k of n" with k or n - k from 1 to 4, stated in sentences."""
    found = [m.group(0) for m in re.finditer(rf"(?<![\d.,-])[1-4] ({PEOPLE})\b", text)]
    found += [m.group(0) for m in re.finditer(r"\bn = [1-4]\b", text)]
    # "k of n" counts people unless it says units or rows ("3 of 30 units are graded C")
    for m in re.finditer(rf"(\d[\d.,]*) (?:dari|of) (\d[\d.,]*)(?! ?({NOT_PEOPLE}))", text):
        k, n = (int(re.sub(r"[.,]", "", g)) for g in m.groups()[:2])
        if k > n:
            continue
        if 1 <= k <= 4 or 1 <= n - k <= 4:
            found.append(m.group(0))
    return found


def scan(exported: export.ExportResult, lang: str) -> list[str]:
    """Every small cell a reader of the run's files would see (empty when safe)."""
    problems = []
    tables = _sheets_back(exported.workbook, lang)
    for key, rule in export.DISCLOSURE.items():
        if key in tables:
            problems += [f"{key}: {v}" for v in rule.check(tables[key])]
    summary = "\n".join(map(str, tables["summary"].iloc[:, -1]))
    problems += [f"summary: {s}" for s in small_counts_in_sentences(summary)]
    md = exported.brief_md.read_text(encoding="utf-8")
    problems += [f"brief: {s}" for s in small_counts_in_sentences(md)]
    return problems


# ------------------------------------------------------------------ the scan's own checks


def test_sentence_check_finds_small_counts():
    assert small_counts_in_sentences("Level 2: n = 3. 4 employees in box 1.") == [
        "4 employees",
        "n = 3",
    ]
    assert small_counts_in_sentences("7 dari 9 pegawai; 12 of 40 holders; 1.234 pegawai") == [
        "7 dari 9"
    ]
    assert small_counts_in_sentences("against 3 of 45 (7%) in X; 3 of 30 units") == ["3 of 45"]
    assert small_counts_in_sentences(f"{SUPPRESSED} dari 12 pegawai; 14 employees") == []


# ------------------------------------------------------------------ real-form data


@pytest.fixture(scope="module")
def bundled_results():
    return collect(load_dataset(), seed=0, n_boot=20)


@pytest.fixture(scope="module")
def bundled_run(bundled_results, tmp_path_factory):
    return export.export_findings(bundled_results, tmp_path_factory.mktemp("bundled"), lang="en")


def test_export_scan_bundled_data(bundled_run):
    assert scan(bundled_run, "en") == []
    tables = _sheets_back(bundled_run.workbook, "en")
    # the rule is at work: the bundled data has "below standard" counts of 1-4 and they are hidden
    assert (tables["gaps"]["n_below"] == SUPPRESSED).any()
    assert (tables["priorities"]["jp_needed"] == SUPPRESSED).any()
    notes = tables["summary"][tables["summary"]["kind"] == "Note"]["text"]
    assert notes.str.contains("Cells shown as <5 are hidden").any()
    assert notes.str.contains("cells hidden (<5 = fewer than 5 people", regex=False).any()


def test_scan_finds_what_the_rule_would_hide(bundled_results, monkeypatch):
    """Without the rule the bundled data's sheets break it: the scan is not vacuous."""
    results = bundled_results
    monkeypatch.setattr(export.SheetRule, "apply", lambda self, table: table)
    tables = export.sheets(results, [], lang="en")
    assert export.DISCLOSURE["gaps"].check(tables["gaps"])
    assert export.DISCLOSURE["priorities"].check(tables["priorities"])


@pytest.fixture(scope="module")
def tiny_source(tmp_path_factory) -> Path:
    """The bundled data with one unit's staff cut to 3 people and one unit-period of 2 SKM."""
    dest = tmp_path_factory.mktemp("tiny")
    raw = _copy(bundled_data_path(), dest)
    emp = raw["employees"]
    small_unit = raw["units"]["unit_id"].iloc[-1]
    keep = emp[emp["unit_id"] == small_unit].head(3)
    emp = pd.concat([emp[emp["unit_id"] != small_unit], keep])
    raw["employees"] = emp
    nips = set(emp["nip"])
    for t in ("competency_assessments", "performance", "training", "staff_survey"):
        raw[t] = raw[t][raw[t]["nip"].isin(nips)]
    skm = raw["skm_responses"]
    two_unit = raw["units"]["unit_id"].iloc[-2]
    last = sorted(skm["period"].unique())[-1]
    cut = (skm["unit_id"] == two_unit) & (skm["period"] == last)
    raw["skm_responses"] = pd.concat([skm[~cut], skm[cut].head(2)])
    return _write(raw, dest)


def test_export_scan_tiny_cells(tiny_source, tmp_path, monkeypatch):
    monkeypatch.setenv("ASN_ANALYSIS_SALT", SALT)
    results = collect(load_dataset(tiny_source), seed=0, n_boot=20)
    units = results.satisfaction.units
    assert (units["n"] == 2).any()  # the fixture holds the tiny cells it means to
    for lang in ("id", "en"):
        exported = export.export_findings(results, tmp_path / lang, lang=lang)
        assert scan(exported, lang) == []
    tables = _sheets_back(exported.workbook, "en")
    n = tables["ikm"]["n"].astype(str)
    small, other = tables["ikm"][n == SUPPRESSED], tables["ikm"][n == HIDDEN]
    # the 2 respondents are hidden, with their IKM, and a second count beside them (the brief
    # states the total of respondents, which would give a lone hidden count away): "x"
    assert len(small) >= 1 and len(small) + len(other) >= 2
    assert (small["ikm_converted"] == SUPPRESSED).all() and (other["ikm_converted"] == HIDDEN).all()


def test_sentences_hide_small_counts():
    from asn_analysis.reporting.text import people

    assert [people(k, "en") for k in (0, 1, 4, 5)] == ["0", SUPPRESSED, SUPPRESSED, "5"]
    assert people(9, "id", total=12) == "semua kecuali <5" and people(9, "id", total=20) == "9"
    assert people(9, "en", total=12) == "all but <5"


# ------------------------------------------------------------------ hostile names


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """The bundled data with hostile unit, position and programme names (so: real data)."""
    dest = tmp_path_factory.mktemp("hostile")
    raw = _copy(bundled_data_path(), dest)
    raw["units"].loc[: len(HOSTILE_UNITS) - 1, "unit_name"] = HOSTILE_UNITS
    pos = raw["employees"]["position"].iloc[0]
    for t in ("employees", "competency_standards"):
        raw[t]["position"] = raw[t]["position"].replace(pos, HOSTILE_POSITION)
    # renaming a roll-out programme makes the brief list the programmes the data holds
    first, second = list(RunSettings().rollout_programs)[:2]
    programmes = {first: HOSTILE_PROGRAMME, second: "Pelatihan Lain"}
    raw["training"]["program"] = raw["training"]["program"].replace(programmes)
    _write(raw, dest)
    mp = pytest.MonkeyPatch()
    mp.setenv("ASN_ANALYSIS_SALT", SALT)
    try:
        results = collect(load_dataset(dest), seed=0, n_boot=20)
        out = {
            lang: export.export_findings(results, dest / f"out-{lang}", lang=lang)
            for lang in ("id", "en")
        }
    finally:
        mp.undo()
    return out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_workbook_has_no_formula_cell(hostile_run, lang):
    book = openpyxl.load_workbook(hostile_run[lang].workbook)
    texts = []
    for ws in book:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(export.FORMULA_START):
                        assert cell.quotePrefix, (ws.title, cell.coordinate)
    # the names are there, as typed
    for name in HOSTILE_UNITS[:2]:
        assert name in texts


def test_formula_cells_written_as_text(tmp_path):
    """write_workbook itself: a formula-looking value stays a string cell when reopened."""
    table = pd.DataFrame({"unit_name": ["=1+1", "@x", "-3", "plain"], "n": [5, 6, 7, 8]})
    path = export.write_workbook({"ikm": table}, tmp_path / "t.xlsx", lang="en")
    ws = openpyxl.load_workbook(path)["IKM by unit and period"]
    cells = [ws.cell(row=r, column=1) for r in range(2, 6)]
    assert [c.value for c in cells] == ["=1+1", "@x", "-3", "plain"]
    assert [c.data_type for c in cells] == ["s"] * 4
    assert [bool(c.quotePrefix) for c in cells] == [True, True, True, False]
    assert ws.cell(row=2, column=2).data_type == "n"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_briefs_show_names_as_plain_text(hostile_run, lang):
    md = hostile_run[lang].brief_md.read_text(encoding="utf-8")
    rendered = mistune.html(md)
    assert "<strong>bold</strong>" not in rendered and "x.example.org" in rendered
    assert '<a href="http://x.example' not in rendered
    assert "<b>" not in rendered and "<script" not in rendered
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert "**bold** [link](http://x.example.org)" in text
    assert "=cmd|' /C calc'!A0 <script>alert(1)</script>" in text  # the programme, as typed
    page = hostile_run[lang].brief_html.read_text(encoding="utf-8")
    assert "<b>jabatan</b>" not in page and "<script>alert" not in page
    assert html.escape("**bold** [link](http://x.example.org)") in page


def test_escape_markdown_round_trip():
    for text in [*HOSTILE_UNITS, HOSTILE_POSITION, "1. first", "# title", "a_b_c www.x.id"]:
        rendered = mistune.html(f"- {export.escape_markdown(text)}")
        inner = re.fullmatch(r"<ul>\n<li>(.*)</li>\n</ul>\n", rendered, flags=re.S)
        assert inner and html.unescape(inner.group(1)) == text.strip(), (text, rendered)


def test_tiny_segment_is_not_described():
    import numpy as np

    from asn_analysis.reporting.findings.segments import segment_findings
    from asn_analysis.segments import segment

    rng = np.random.default_rng(0)
    points = np.r_[rng.normal(0, 1, (60, 2)), rng.normal(30, 0.1, (3, 2))]
    res = segment(pd.DataFrame(points, columns=["a", "b"]), features=["a", "b"], k=2, n_boot=0)
    text = segment_findings(res, lang="en")
    assert sum("(n = <5): profile hidden" in t for t in text) == 1
    assert small_counts_in_sentences(" ".join(text)) == []
