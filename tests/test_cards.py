"""Report cards per unit (rapor unit kerja): content, small-cell rule, names, files, PDF."""

import dataclasses
import re

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
from asn_analysis.reporting.cards import slug, unit_cards, write_cards
from asn_analysis.reporting.pdf import print_pdfs


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        return tiny_results(tmp_path_factory.mktemp("tiny"), mp)


@pytest.fixture(scope="module")
def written(results, tmp_path_factory):
    return write_cards(results, tmp_path_factory.mktemp("findings") / "units", lang="id")


def _text(path) -> str:
    return re.sub(r"<[^>]+>|data:image/png;base64,[A-Za-z0-9+/=]+", " ", path.read_text("utf-8"))


def test_every_unit_gets_a_card_and_the_index_links_it(results, written):
    ids = results.dataset.units["unit_id"].tolist()
    assert [p.stem for p in written.pages] == [slug(u) for u in ids]
    index = written.index.read_text(encoding="utf-8")
    for page in written.pages:
        assert f'href="{page.name}"' in index
    assert written.combined.read_text(encoding="utf-8").count('<section class="card"') == len(ids)


def test_card_content(results, written):
    card = _text(written.pages[0])
    for part in (
        "IKM",
        "Mutu",
        "Unsur SKM terlemah",
        "Kesenjangan kompetensi",
        "Prioritas pelatihan",
        "JP dibutuhkan",
        "Resistensi",
        "Transparansi",
        "Kabupaten",
        "Yang perlu dilakukan",
        "IK 95%",
    ):
        assert part in card, part
    assert "DATA" not in card or "DATA SINTETIS" in card


def test_unit_under_five_respondents_is_not_reported(results, tmp_path):
    sat = results.satisfaction
    units = sat.units.copy()
    mine = (units["unit_id"] == "U05") & (units["period"] == sat.period)
    units.loc[mine, "n"] = 3
    ikm = float(units.loc[mine, "ikm_converted"].iloc[0])
    changed = dataclasses.replace(results, satisfaction=dataclasses.replace(sat, units=units))
    card = next(c for c in unit_cards(changed, lang="en") if c.unit_id == "U05")
    assert card.key_figures[0][1] == "<5 respondents: not reported"
    assert sat.period not in card.trend.index  # nor drawn in the figure
    few = dataclasses.replace(changed.dataset, units=changed.dataset.units.iloc[2:6])
    files = write_cards(dataclasses.replace(changed, dataset=few), tmp_path, lang="en")
    page = _text(tmp_path / "u05.html")
    assert f"{ikm:.1f}" not in page
    assert len(files.pages) == 4


def test_small_groups_of_staff_never_shown(results):
    # U30 keeps 3 employees: no count or share of its 1-4 people reaches its card
    card = next(c for c in unit_cards(results, lang="en") if c.unit_id == "U30")
    for table in card.tables:
        for j, column in enumerate(table.columns):
            if column in ("Below standard", "Staff", "Staff below standard"):
                assert all(row[j] not in {"1", "2", "3", "4"} for row in table.rows), table.key
    scores = next(t for t in card.tables if t.key == "scores")
    assert all(row[1] in ("<5", "not surveyed") for row in scores.rows)


def test_unit_names_come_from_the_data_and_are_escaped(results, tmp_path):
    units = results.dataset.units.head(2).copy()
    units.loc[0, "unit_name"] = "Kantor <Uji> & Co"
    units.loc[1, "unit_id"] = "OPD/../02"
    ds = dataclasses.replace(results.dataset, units=units)
    files = write_cards(dataclasses.replace(results, dataset=ds), tmp_path, lang="id")
    assert "Kantor &lt;Uji&gt; &amp; Co" in files.pages[0].read_text(encoding="utf-8")
    assert files.pages[1].name == "opd-02.html" and files.pages[1].parent == tmp_path


def test_slugs_are_safe_and_unique(results):
    assert slug("U01") == "u01" and slug("../../etc") == "etc" and slug("") == "unit"
    units = results.dataset.units.copy()
    units["unit_id"] = ["A 1", "a-1"] + units["unit_id"].tolist()[2:]
    ds = dataclasses.replace(results.dataset, units=units)
    stems = [c.slug for c in unit_cards(dataclasses.replace(results, dataset=ds), lang="id")]
    assert stems[:2] == ["a-1", "a-1-2"] and len(set(stems)) == len(stems)


def test_cards_speak_the_readers_language(results, tmp_path):
    names = sorted(results.dataset.units["unit_name"], key=len, reverse=True)

    def words(path):
        text = _text(path)
        for n in names:
            text = text.replace(n, "UNIT")
        return text

    few = dataclasses.replace(results.dataset, units=results.dataset.units.head(6))
    few = dataclasses.replace(results, dataset=few)
    for lang, other in (("id", ENGLISH_WORDS), ("en", INDONESIAN_WORDS)):
        files = write_cards(few, tmp_path / lang, lang=lang)
        for page in files.pages:
            text = words(page)
            assert not RAW_KEY.findall(text), (page.name, RAW_KEY.findall(text)[:3])
            assert not [w for w in other if w in text], (lang, page.name)


def test_export_writes_the_cards(results, tmp_path, monkeypatch):
    monkeypatch.setenv("ASN_ANALYSIS_CHROMIUM", "")
    few = dataclasses.replace(results.dataset, units=results.dataset.units.head(3))
    results = dataclasses.replace(results, dataset=few)
    with pytest.warns(Warning):
        res = export.export_findings(results, tmp_path, lang="en")
    assert (tmp_path / "units" / "index.html") in res.cards
    assert (tmp_path / "units" / "unit-report-cards.html").exists()


@pytest.mark.skipif(need_tools() is not None, reason=str(need_tools()))
def test_one_printed_page_per_card_all_painted(written, tmp_path):
    pdf = print_pdfs([(written.combined, tmp_path / "cards.pdf")])[0]
    pages = pdf_pages(pdf, tmp_path / "pages")
    assert len(pages) == len(written.pages)  # one A4 page per unit
    assert not [k for k, img in enumerate(pages, start=1) if blank(img)]
    assert all(blue_pixels(img) > 20 for img in pages[:3])  # the trend figure is printed


@pytest.mark.skipif(need_tools() is not None, reason=str(need_tools()))
def test_card_screenshot_shows_its_figure(written, tmp_path):
    img = screenshot(written.pages[0], tmp_path / "card.png", size="900,1000")
    assert img.std() > 0.05 and blue_pixels(img) > 200


def test_weakest_elements_action_keeps_names_with_commas_whole(results):
    """Official unsur names hold commas ("Penanganan Pengaduan, Saran dan Masukan"): the card's
    action lists them with "; ", so a reader counts them right."""
    from asn_analysis.reporting.labels import label

    sat = results.satisfaction
    for card in unit_cards(results, lang="id"):
        action = next((a for a in card.actions if a.startswith("Perbaiki unsur")), None)
        if action is None:
            continue
        listed = action.split(": ", 1)[1].removesuffix(".").split("; ")
        weak = sat.weakest[sat.weakest["unit_id"] == card.unit_id]
        assert set(listed) <= {label(e, "element", "id") for e in weak["element"]}
