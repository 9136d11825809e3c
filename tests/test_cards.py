"""Report cards per unit (rapor unit kerja): content, small-cell rule, names, files, PDF."""

import dataclasses
import io
import re

import numpy as np
import pandas as pd
import pytest
from render_helpers import (
    ENGLISH_WORDS,
    INDONESIAN_WORDS,
    RAW_KEY,
    blank,
    blue_pixels,
    fake_chromium,
    need_tools,
    pdf_pages,
    screenshot,
    tiny_results,
)

from asn_analysis.reporting import export
from asn_analysis.reporting.cards import slug, unit_cards, write_cards
from asn_analysis.reporting.disclosure import protect
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


@pytest.mark.parametrize("pdf", ["combined", "per_unit"])
def test_export_prints_the_brief_and_the_cards(results, tmp_path, monkeypatch, pdf):
    """The prints start while the export writes on (the cards first): the PDFs it returns are
    the brief's, then the combined cards', then (per_unit) each card's, all written."""
    monkeypatch.setenv("ASN_ANALYSIS_CHROMIUM", fake_chromium(tmp_path))
    few = dataclasses.replace(results.dataset, units=results.dataset.units.head(3))
    res = export.export_findings(dataclasses.replace(results, dataset=few), tmp_path, pdf=pdf)
    units = tmp_path / "units"
    expected = [tmp_path / "ringkasan.pdf", units / "rapor-unit-kerja.pdf"]
    if pdf == "per_unit":
        expected += [p.with_suffix(".pdf") for p in res.cards[1:-1]]
    assert list(res.pdfs) == expected and res.notes == ()
    assert [p.read_bytes() for p in expected] == [
        b"%PDF-1.4 " + p.with_suffix(".html").name.encode() for p in expected
    ]


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


# --------------------------------------------------------------------------- fast path


def _reference_rows(results, table: str, unit) -> pd.DataFrame:
    """The straightforward per-unit selection the cards made before issue 15 (the reference):
    filter one unit's rows, sort and cut them, then protect them on their own."""
    sat, comp = results.satisfaction, results.competency
    if table == "ikm":
        rows = sat.units[sat.units["unit_id"] == unit]
        cols = ["ikm_converted", "ikm_converted_ci_low", "ikm_converted_ci_high", "mutu", "kinerja"]
        return protect(rows, counts=("n",), stats=dict.fromkeys(cols, "n"))
    if table == "adequacy":
        a = sat.adequacy
        return a[(a["unit_id"] == unit) & (a["period"] == sat.period)]
    if table == "weakest":
        weak = sat.weakest[sat.weakest["unit_id"] == unit]
        return protect(weak, counts=("n_answered",), stats={"nrr": "n_answered"})
    if table == "gaps":
        gaps = comp["unit_gaps"]
        gaps = gaps[(gaps["unit_id"] == unit) & ~gaps["small_group"].astype(bool)]
        gaps = gaps.sort_values(["share_below", "competency"], ascending=[False, True]).head(4)
        spec = {"stats": {"share_below": ("n", "n_below")}}
    else:
        needs = comp["needs"]
        needs = needs[(needs["unit_id"] == unit) & ~needs["suppressed"].astype(bool)]
        gaps = needs.dropna(subset=["rank"]).head(4)
        spec = {"stats": {"jp_needed": ("n_below",)}}
    return protect(gaps, counts=("n", "n_below"), totals={"n_below": "n"}, **spec)


def _cells(frame) -> list:
    """Rows as lists of Python values (NaN as None), index first: dtype-blind, type-strict."""
    values = frame.astype(object).where(frame.notna(), None)
    return [[i, *row] for i, row in zip(frame.index, values.to_numpy().tolist(), strict=True)]


def _hostile(results, seed: int):
    """The results with small counts, ties, NaN, empty units and odd periods (seeded)."""
    rng = np.random.default_rng(seed)
    sat, comp = results.satisfaction, results.competency
    units = sat.units.copy()
    units["n"] = rng.integers(0, 9, len(units))
    units.loc[rng.random(len(units)) < 0.1, "ikm_converted"] = np.nan
    gone = rng.choice(units["unit_id"].unique(), 3, replace=False)  # units with no rows
    units = units[~units["unit_id"].isin(gone[:1])]
    if seed % 2:
        units = units.sample(frac=1.0, random_state=seed)  # periods out of order
    weakest = sat.weakest.copy()
    weakest["n_answered"] = rng.integers(0, 9, len(weakest))
    weakest = weakest[~weakest["unit_id"].isin(gone[1:2])]
    gaps = comp["unit_gaps"].copy()
    gaps["n"] = rng.integers(0, 12, len(gaps))
    gaps["n_below"] = np.minimum(gaps["n"], rng.integers(0, 12, len(gaps)))
    gaps["share_below"] = rng.choice([0.0, 0.25, 0.5, np.nan], len(gaps))  # ties
    gaps["small_group"] = rng.random(len(gaps)) < 0.2
    gaps = gaps[~gaps["unit_id"].isin(gone[2:])]
    needs = comp["needs"].copy()
    needs["n_below"] = rng.integers(0, 9, len(needs))
    needs.loc[rng.random(len(needs)) < 0.2, "rank"] = np.nan
    needs["suppressed"] = rng.random(len(needs)) < 0.2
    adequacy = sat.adequacy.copy()
    adequacy["adequate"] = rng.random(len(adequacy)) < 0.5
    sat = dataclasses.replace(sat, units=units, weakest=weakest, adequacy=adequacy)
    comp = {**comp, "unit_gaps": gaps, "needs": needs}
    ds = results.dataset
    if seed % 3 == 0:  # one unit only
        ds = dataclasses.replace(ds, units=ds.units.iloc[seed % 5 : seed % 5 + 1])
    return dataclasses.replace(results, satisfaction=sat, competency=comp, dataset=ds)


@pytest.mark.parametrize("seed", range(6))
def test_cards_per_unit_rows_equal_the_one_unit_at_a_time_reference(results, seed):
    """Protecting and splitting each table once (the fast path) gives every unit the rows and
    cells the old per-unit filter, sort, cut and protect gave, ties and empty units included."""
    from asn_analysis.data.periods import ordered_times
    from asn_analysis.reporting.cards import _Parts

    hostile = _hostile(results, seed) if seed else results
    parts = _Parts.of(hostile)
    ids = [*hostile.dataset.units["unit_id"], "NO-SUCH-UNIT"]
    for table in ("ikm", "adequacy", "weakest", "gaps", "needs"):
        for unit in ids:
            fast, ref = parts.get(table, unit), _reference_rows(hostile, table, unit)
            assert list(fast.columns) == list(ref.columns), (table, unit)
            assert _cells(fast) == _cells(ref), (seed, table, unit)
    for unit in ids:
        periods = parts.get("ikm", unit)["period"]
        assert parts.order(periods) == ordered_times(periods)
    full = unit_cards(hostile, lang="en")
    for k, card in enumerate(full[:3]):  # and the cards read them: one unit alone, same card
        alone = dataclasses.replace(
            hostile,
            dataset=dataclasses.replace(hostile.dataset, units=hostile.dataset.units[k : k + 1]),
        )
        assert unit_cards(alone, lang="en")[0].tables == card.tables


def _pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_one_painter_draws_every_card_as_a_new_figure_would(results, lang):
    """The reused figure (the fast path) leaves nothing of one card on the next: each card's
    pixels equal those of a figure made for it alone, in any order (fewer and more periods)."""
    from asn_analysis.reporting.cards import TrendPainter, trend_figure

    sat = results.satisfaction
    cards = [c for c in unit_cards(results, lang=lang) if c.trend is not None]
    short = dataclasses.replace(cards[0], trend=cards[0].trend.iloc[-2:], unit_name="Pendek")
    shifted = cards[1].trend + 9.0  # other limits
    picked = [cards[0], short, dataclasses.replace(cards[1], trend=shifted), cards[2], short]
    painter = TrendPainter(sat.regency, lang=lang)
    try:
        drawn = [painter.draw(c) for c in picked]
    finally:
        painter.close()
    for card, png in zip(picked, drawn, strict=True):
        assert np.array_equal(_pixels(png), _pixels(trend_figure(card, sat.regency, lang=lang)))
    assert not np.array_equal(_pixels(drawn[0]), _pixels(drawn[1]))
