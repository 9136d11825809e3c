from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest
from render_helpers import blue_pixels, screenshot

from asn_analysis import load_dataset
from asn_analysis.cli import main
from asn_analysis.data import bundled_data_path
from asn_analysis.pipeline import NotebookFailed, run
from asn_analysis.reporting import export
from asn_analysis.reporting.brief import brief
from asn_analysis.reporting.pdf import find_chromium
from asn_analysis.reporting.summaries import collect


@pytest.fixture(scope="module")
def results():
    return collect(load_dataset(), seed=0, n_boot=200)


@pytest.fixture(scope="module")
def exported(results, tmp_path_factory):
    return export.export_findings(results, tmp_path_factory.mktemp("findings"), lang="id")


def workbook_cells(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    return [
        str(v)
        for ws in book
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    ]


def test_workbook_sheets_and_headers(exported):
    book = openpyxl.load_workbook(exported.workbook)
    assert exported.workbook.name == "temuan.xlsx"
    assert book.sheetnames == [
        "Ringkasan",
        "IKM per unit dan periode",
        "Kesenjangan kompetensi",
        "Prioritas pelatihan",
        "Dampak pelatihan",
        "Faktor resistensi",
        "Segmen",
        "Log kualitas data",
        "Cakupan data",
    ]
    ws = book["IKM per unit dan periode"]
    assert ws.freeze_panes == "A2"
    headers = [c.value for c in ws[1]]
    assert "IKM konversi" in headers and "Unit kerja" in headers
    col = headers.index("IKM konversi") + 1
    cell = ws.cell(row=2, column=col)
    assert isinstance(cell.value, float) and cell.number_format == "0.000"


def test_brief_sections(exported):
    md = exported.brief_md.read_text(encoding="utf-8")
    for heading in (
        "## 1. Gambaran data",
        "## 2. Kesesuaian kompetensi dan kebutuhan pelatihan",
        "## 3. Dampak pelatihan",
        "## 4. Kepuasan masyarakat (IKM)",
        "## 5. Resistensi pegawai terhadap evaluasi",
        "## 6. Segmen pegawai",
        "## 7. Kualitas data",
    ):
        assert heading in md
    assert "DATA SINTETIS" in md and "IK 95%" in md
    page = exported.brief_html.read_text(encoding="utf-8")
    # the first screen shows the IKM figure again (issue 16): one more embedded image
    assert page.count('src="data:image/png;base64,') == len(exported.figures) + 1 == 4
    assert "<script" not in page and "http" not in page  # self-contained, opens offline


def test_no_identifier_in_any_export(exported):
    raw = pd.read_csv(bundled_data_path() / "employees.csv", dtype=str)
    secrets = set(raw["nip"]) | set(raw["name"])
    ids = set(load_dataset().employees["employee_id"])
    texts = [
        exported.brief_md.read_text(encoding="utf-8"),
        exported.brief_html.read_text(encoding="utf-8"),
        "\n".join(workbook_cells(exported.workbook)),
    ]
    for text in texts:
        assert not any(s in text for s in secrets)
        assert not any(i in text for i in ids)
    for png in exported.figures:
        blob = png.read_bytes()
        assert not any(s.encode() in blob for s in raw["nip"])


def test_small_groups_suppressed(results):
    tables = export.sheets(results, brief(results, lang="en"), lang="en")
    for key, rule in export.DISCLOSURE.items():
        assert rule.check(tables[key]) == [], key
    raw = results.competency["unit_gaps"]
    raw = raw[~raw["small_group"]]
    gaps = tables["gaps"]
    small = raw["n_below"].between(1, 4).to_numpy()
    assert small.any()  # the bundled data has them: the rule is at work
    assert (gaps.loc[small, ["n_below", "share_below", "mean_shortfall_below"]] == "<5").all().all()
    rest = (raw["n"] - raw["n_below"]).between(1, 4).to_numpy()
    assert (gaps.loc[rest & ~small, "n_below"] == "x").all()  # large, hidden to protect the rest
    shown = gaps[~gaps["n_below"].isin(["<5", "x"])]
    vals = pd.to_numeric(shown["n_below"])
    assert ((vals == 0) | (vals >= 5)).all()
    assert (tables["gaps"]["n"] >= 5).all() and (tables["priorities"]["n"] >= 5).all()


def test_small_ikm_and_segment_cells_hidden():
    ikm = pd.DataFrame(
        {"unit_name": ["A", "B", "C"], "period": "2025-S2", "n": [3, 40, 60], "mutu": "B"}
    ).assign(ikm_converted=[80.0, 75.0, 70.0])
    out = export.DISCLOSURE["ikm"].apply(ikm)
    # 3 respondents hidden with their IKM and grade; the smallest other count too, because the
    # brief states the total of respondents
    assert out["n"].tolist() == ["<5", "x", 60]
    assert out["mutu"].tolist() == ["<5", "x", "B"] and out["unit_name"].tolist() == list("ABC")
    seg = pd.DataFrame({"segment": [0, 1], "n": [2, 50], "tiny": [True, False], "label": "x"})
    out = export.DISCLOSURE["segments"].apply(seg.assign(jpm=[70.0, 80.0]))
    assert out["label"].tolist() == ["<5", "x"] and out["jpm"].tolist() == ["<5", 80.0]
    effects = pd.DataFrame(
        {"scope": "s", "level": [3.0, 4.0, None], "n_treated": [3, 1, 2], "estimate": 1.0}
    )
    out = export.DISCLOSURE["effects"].apply(effects)
    # level-3 rows count participants; level 4 and the roll-out count units
    assert out["n_treated"].tolist() == ["<5", 1, 2]
    assert out["estimate"].tolist() == ["<5", 1.0, 1.0]


def test_same_data_and_seed_give_identical_exports(tmp_path):
    ds = load_dataset()
    a = export.export_findings(collect(ds, seed=5, n_boot=100), tmp_path / "a", lang="en")
    b = export.export_findings(collect(ds, seed=5, n_boot=100), tmp_path / "b", lang="en")
    assert a.workbook.name == "findings.xlsx"
    assert a.brief_md.read_text() == b.brief_md.read_text()
    sheets_a = pd.read_excel(a.workbook, sheet_name=None)
    sheets_b = pd.read_excel(b.workbook, sheet_name=None)
    assert list(sheets_a) == list(sheets_b) and "Summary" in sheets_a
    for name in sheets_a:
        pd.testing.assert_frame_equal(sheets_a[name], sheets_b[name])


@pytest.mark.skipif(
    find_chromium() is None,
    reason="no Chromium: install Debian's chromium package "
    "(.ci/run does) to check the HTML brief renders",
)
def test_html_brief_renders_in_headless_chromium(exported, tmp_path):
    img = screenshot(exported.brief_html, tmp_path / "brief.png", size="1200,5000")
    assert img.std() > 0.05  # not blank
    # The figures draw in matplotlib's tab:blue (31, 119, 180); no text or background is blue,
    # so blue pixels mean the embedded PNG figures were decoded and painted.
    assert blue_pixels(img) > 200


# ----------------------------------------------------------------- the main job


def test_run_executes_notebooks_and_exports(tmp_path):
    out = tmp_path / "reports"
    result = run(out=out, notebooks=["01-data-overview"], progress=False, n_boot=50)
    assert (out / "notebooks" / "01-data-overview.ipynb").exists()
    assert (out / "notebooks" / "01-data-overview.html").exists()
    assert (out / "findings" / "temuan.xlsx") in result.findings
    assert "Total time" in result.format()


def test_failing_notebook_names_notebook_cell_and_error(tmp_path, capsys):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("data_path = ''"), nbformat.v4.new_code_cell("1 / 0")]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    folder = tmp_path / "nbs"
    folder.mkdir()
    nbformat.write(nb, folder / "09-broken.ipynb")
    with pytest.raises(NotebookFailed, match=r"09-broken.ipynb failed in cell .*ZeroDivisionError"):
        run(out=tmp_path / "out", notebook_dir=folder, progress=False)


def test_invalid_data_stops_before_any_notebook(mini, tmp_path, capsys):
    skm = pd.read_csv(mini / "skm_responses.csv", dtype=str, keep_default_na=False)
    skm.loc[0, "waktu"] = "6"
    skm.to_csv(mini / "skm_responses.csv", index=False)
    out = tmp_path / "reports"
    assert main(["run", "--data", str(mini), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "skm_responses.waktu row 2: 6 is outside 1-4" in err
    assert not (out / "notebooks").exists()
