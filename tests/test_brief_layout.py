"""The brief's layout (issue 16): one screen for a decision maker, tables, "how we know", PDF."""

import re
import warnings

import pytest
from render_helpers import (
    ENGLISH_WORDS,
    INDONESIAN_WORDS,
    RAW_KEY,
    blank,
    blue_pixels,
    need_tools,
    pdf_pages,
    screenshot,
    tiny_results,
)

from asn_analysis.reporting import export
from asn_analysis.reporting.brief import brief, front_page
from asn_analysis.reporting.front import MAX_HEADLINES
from asn_analysis.reporting.labels import label, relabel
from asn_analysis.reporting.pdf import CHROMIUM_ENV, PdfUnavailableWarning
from asn_analysis.reporting.text import cell


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        return tiny_results(tmp_path_factory.mktemp("tiny"), mp)


@pytest.fixture(scope="module")
def out(results, tmp_path_factory):
    root = tmp_path_factory.mktemp("brief")
    return {
        lang: export.export_findings(results, root / lang, lang=lang, cards=False)
        for lang in ("id", "en")
    }


def test_front_page_headlines_and_actions(results):
    front = front_page(results, lang="id")
    assert 1 <= len(front.headlines) <= MAX_HEADLINES
    for h in front.headlines:
        assert "IK 95%" in h.value and h.meaning  # a number, its interval, one line of meaning
    assert any("JP" in a and a.startswith("Latih ") for a in front.actions)
    assert any(a.startswith("SKM:") for a in front.actions)


def test_first_screen_comes_before_the_sections(out):
    md = out["id"].brief_md.read_text(encoding="utf-8")
    front, rest = md.split("## 1. ", 1)
    assert "**Ringkasan untuk pimpinan**" in front and "*Tindakan utama*" in front
    assert "| Temuan | Angka (IK 95%) | Artinya |" in front
    assert front.count("\n1. ") == 1  # actions numbered


def test_ranked_lists_are_tables_not_sentences(out):
    md = out["id"].brief_md.read_text(encoding="utf-8")
    assert "*Prioritas pelatihan*" in md and "| Peringkat | Unit kerja | Kompetensi |" in md
    assert "Unit kerja menurut IKM" in md and "Unsur SKM seluruh unit" in md
    assert "Prioritas pelatihan teratas" not in md and "Tiga unit dengan IKM terendah" not in md
    page = out["en"].brief_html.read_text(encoding="utf-8")
    assert page.count('<table class="ranked">') == 3


def test_how_we_know_ends_each_section(results):
    for s in brief(results, lang="id"):
        if s.key in ("satisfaction", "resistance", "effects"):
            assert s.methods, s.key
            assert not any("Krejcie-Morgan" in f for f in s.findings if s.key == "satisfaction")
    sat = next(s for s in brief(results, lang="id") if s.key == "satisfaction")
    assert any("Krejcie-Morgan" in m for m in sat.methods)
    md_sections = export.brief_markdown(results, brief(results, lang="en"), lang="en")
    part = md_sections.split("Citizen satisfaction (IKM)")[1].split("\n## ")[0]
    assert part.index("**Finding**") < part.index("**How we know**")


def test_tables_pass_the_small_cell_rule(results):
    for s in brief(results, lang="en"):
        for t in s.tables:
            counts = [
                j for j, c in enumerate(t.columns) if c in ("Staff below standard", "Respondents")
            ]
            for row in t.rows:
                for j in counts:
                    assert row[j] not in {"1", "2", "3", "4"}, (t.key, row)


def test_one_number_format_per_language(out):
    md_id = out["id"].brief_md.read_text(encoding="utf-8")
    md_en = out["en"].brief_md.read_text(encoding="utf-8")
    assert re.search(r"\d\\\.\d{3}", md_id)  # 1.234 (escaped for Markdown)
    assert re.search(r"\d,\d{3}", md_en)
    assert not re.search(r"\b\d{5,}\b", md_id.replace("asn-analysis", ""))  # 22360 ungrouped
    assert cell(22360.0, "id", 0) == "22.360" and cell(22360.0, "en", 0) == "22,360"


def test_labels_official_names():
    assert label("pengambilan_keputusan", "competency", "id") == "Pengambilan Keputusan"
    assert label("pengambilan_keputusan", "competency", "en") == "Decision making"
    assert relabel("metode before-after (naive); all participants", "id") == (
        "metode sebelum-sesudah (naif); semua peserta"
    )


def _words(text: str) -> str:
    text = re.sub(r"\(figures/[^)]*\)|!\[[^]]*\]", "", text)  # figure links are file names
    return text.replace("\\_", "_")


def test_no_raw_keys_and_no_other_language_in_the_front_page(out, results):
    names = results.dataset.units["unit_name"].tolist()  # data, in the data's language

    def text(path):
        t = _words(path.read_text(encoding="utf-8"))
        for n in sorted(names, key=len, reverse=True):
            t = t.replace(n, "UNIT")
        return t

    md_id, md_en = text(out["id"].brief_md), text(out["en"].brief_md)
    front_id, front_en = md_id.split("## 1. ")[0], md_en.split("## 1. ")[0]
    assert not RAW_KEY.findall(md_id), RAW_KEY.findall(md_id)[:5]
    assert not RAW_KEY.findall(md_en), RAW_KEY.findall(md_en)[:5]
    assert not [w for w in ENGLISH_WORDS if w in front_id]
    assert not [w for w in INDONESIAN_WORDS if w in front_en]


def test_english_brief_is_named_brief(out):
    assert out["en"].brief_md.name == "brief.md" and out["en"].brief_html.name == "brief.html"
    assert out["id"].brief_md.name == "ringkasan.md"


@pytest.mark.skipif(need_tools() is not None, reason=str(need_tools()))
def test_pdf_brief_every_page_painted_and_first_screen(out, results, tmp_path):
    pdf = out["id"].brief_html.with_suffix(".pdf")
    assert pdf in out["id"].pdfs
    pages = pdf_pages(pdf, tmp_path / "pages")
    assert len(pages) >= len(brief(results, lang="id")) + 1  # first screen, a page per section
    assert not [k for k, img in enumerate(pages, start=1) if blank(img)]
    img = screenshot(out["id"].brief_html, tmp_path / "first.png", size="1200,1100")
    assert img.std() > 0.05 and blue_pixels(img) > 200  # the first screen shows a figure


def test_missing_chromium_writes_html_and_says_so(results, tmp_path, monkeypatch):
    monkeypatch.setenv(CHROMIUM_ENV, "")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = export.export_findings(results, tmp_path, lang="en", cards=False)
    assert res.brief_html.exists() and not res.pdfs
    assert any(issubclass(w.category, PdfUnavailableWarning) for w in caught)
    assert "Chromium tidak ditemukan" in res.notes[0] and "Chromium was not found" in res.notes[0]


def test_workbook_whole_numbers_without_decimals(out):
    import openpyxl

    book = openpyxl.load_workbook(out["id"].workbook)
    ws = book["Prioritas pelatihan"]
    headers = [c.value for c in ws[1]]
    jp = ws.cell(row=2, column=headers.index("JP dibutuhkan") + 1)
    assert float(jp.value).is_integer() and jp.number_format == "#,##0"
    ikm = book["IKM per unit dan periode"]
    col = [c.value for c in ikm[1]].index("IKM konversi") + 1
    assert ikm.cell(row=2, column=col).number_format == "0.000"  # decimals stay


def test_front_page_lists_names_that_hold_commas_unambiguously(results):
    """Unit and unsur names may hold commas (BKPP: "Badan Kepegawaian, Pendidikan dan
    Pelatihan"; "Penanganan Pengaduan, Saran dan Masukan"): lists of them use "; "."""
    sat = results.satisfaction
    cur = sat.units[(sat.units["period"] == sat.period) & (sat.units["n"] >= 5)]
    expected = cur[cur["mutu"].isin(["C", "D"])].sort_values("ikm_converted")["unit_name"]
    assert len(expected) >= 2 and any(", " in name for name in expected)  # the case at stake
    for lang in ("id", "en"):
        actions = front_page(results, lang=lang).actions
        graded = next(a for a in actions if "C/D" in a)
        assert graded.split(": ", 1)[1].removesuffix(".").split("; ") == list(expected)
        skm = next(a for a in actions if a.startswith("SKM"))
        elements = skm.split(". ")[0].split("; ")
        assert len(elements) == min(3, sat.weakest["element"].nunique())
