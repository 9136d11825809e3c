from pathlib import Path

import pandas as pd
import pytest
from conftest import TEST_SALT

from asn_analysis import load_dataset, overview
from asn_analysis.data import bundled_data_path
from asn_analysis.reporting import findings as report

TINY = Path(__file__).parent / "fixtures" / "tiny"


@pytest.fixture(scope="module")
def tiny():
    return load_dataset(TINY, salt=TEST_SALT)


@pytest.fixture(scope="module")
def bundled():
    return load_dataset()


def test_training_coverage_hand_computed(tiny):
    # 2023: only the PNS (appointed 2010) is in service; 8 JP < 20.
    # 2024: both in service (the PPPK was appointed 2024); the PNS has 24 JP.
    # 2025: both in service; the PPPK has 24 JP.
    cov = overview.training_coverage(tiny).set_index("year")
    assert cov.loc[2023, ["employees", "trained", "met_jp_right"]].tolist() == [1, 1, 0]
    assert cov.loc[2023, "mean_jp"] == 8
    assert cov.loc[2024, ["employees", "trained", "met_jp_right"]].tolist() == [2, 1, 1]
    assert cov.loc[2024, "mean_jp"] == 12
    assert cov.loc[2024, "share_met_jp_right"] == 0.5
    assert cov.loc[2025, "share_trained"] == 0.5


def test_appointment_year_comes_from_the_nip(tiny):
    assert sorted(tiny.employees["appointment_year"].tolist()) == [2010, 2024]


def test_training_programmes_hand_computed(tiny):
    prog = overview.training_programmes(tiny)
    assert prog.loc["Pelatihan Komunikasi Efektif", "participants"] == 1
    # The SKP course has no post-test: it does not enter the pre/post means.
    assert prog.loc["Bimbingan Teknis Penyusunan SKP", "n_tests"] == 0
    assert pd.isna(prog.loc["Bimbingan Teknis Penyusunan SKP", "pre_test"])
    assert prog.loc["Pelatihan Pelayanan Prima", "post_test"] == 90


def test_staff_by_job_type_matches_raw_counts(bundled):
    raw = pd.read_csv(bundled_data_path() / "employees.csv", dtype=str)
    table = overview.staff_by_job_type(bundled)
    for job_type, n in raw["job_type"].value_counts().items():
        assert table.loc[job_type, "total"] == n
    assert table.loc["total", "PPPK"] == (raw["status"] == "PPPK").sum()
    assert table.loc["total", "share"] == pytest.approx(1.0)


def test_survey_coverage_and_missing_unit_periods(bundled):
    raw = pd.read_csv(bundled_data_path() / "skm_responses.csv", dtype=str)
    cov = overview.survey_coverage(bundled)
    assert cov.to_numpy().sum() == len(raw)
    assert (
        cov.loc["U01", "2024-S1"]
        == ((raw["unit_id"] == "U01") & (raw["period"] == "2024-S1")).sum()
    )
    missing = overview.missing_unit_periods(bundled)
    assert len(missing) == int((cov == 0).to_numpy().sum())
    observed = set(zip(raw["unit_id"], raw["period"], strict=True))
    for row in missing.itertuples():
        assert (row.unit_id, row.period) not in observed


def test_staff_by_unit_keeps_every_unit(bundled):
    units = overview.staff_by_unit(bundled)
    assert len(units) == len(bundled.units)
    assert units["staff"].sum() == len(bundled.employees)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_overview_findings(bundled, lang):
    sentences = report.overview_findings(bundled, lang=lang)
    assert len(sentences) == 4
    n = f"{len(bundled.employees):,}"
    assert (n.replace(",", ".") if lang == "id" else n) in sentences[0]


def test_findings_reject_unknown_language(bundled):
    with pytest.raises(ValueError, match="lang"):
        report.overview_findings(bundled, lang="fr")
