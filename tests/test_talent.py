"""Tests of asn_analysis.talent: SKP predikat matrix, 9-box (both numberings), IP ASN.

Expected tables are typed from the regulations (domain.md sections 3-5), not read from the
library's own constants, so a wrong constant fails here.
"""

import numpy as np
import pandas as pd
import pytest

from asn_analysis import load_dataset
from asn_analysis.competency import job_person_match
from asn_analysis.errors import OptionError
from asn_analysis.talent import (
    TalentInputError,
    classify_training,
    employee_talent,
    ip_asn,
    ip_asn_category,
    kinerja_from_predikat,
    nine_box,
    potensial_from_jpm,
    skp_predikat,
)

# PermenPANRB 6/2022: (hasil kerja, perilaku kerja) -> predikat
SKP = {
    ("di_atas", "di_bawah"): "kurang",
    ("di_atas", "sesuai"): "baik",
    ("di_atas", "di_atas"): "sangat_baik",
    ("sesuai", "di_bawah"): "kurang",
    ("sesuai", "sesuai"): "baik",
    ("sesuai", "di_atas"): "baik",
    ("di_bawah", "di_bawah"): "sangat_kurang",
    ("di_bawah", "sesuai"): "butuh_perbaikan",
    ("di_bawah", "di_atas"): "butuh_perbaikan",
}
# PermenPANRB 3/2020 numbering: (potensial, kinerja) -> box
BOX = {
    ("tinggi", "di_bawah"): 6,
    ("tinggi", "sesuai"): 8,
    ("tinggi", "di_atas"): 9,
    ("menengah", "di_bawah"): 3,
    ("menengah", "sesuai"): 5,
    ("menengah", "di_atas"): 7,
    ("rendah", "di_bawah"): 1,
    ("rendah", "sesuai"): 2,
    ("rendah", "di_atas"): 4,
}
# Row-by-row numbering from the bottom-left (the convention documented in nine_box).
ROW = {
    ("rendah", "di_bawah"): 1,
    ("rendah", "sesuai"): 2,
    ("rendah", "di_atas"): 3,
    ("menengah", "di_bawah"): 4,
    ("menengah", "sesuai"): 5,
    ("menengah", "di_atas"): 6,
    ("tinggi", "di_bawah"): 7,
    ("tinggi", "sesuai"): 8,
    ("tinggi", "di_atas"): 9,
}


@pytest.mark.parametrize(("cell", "expected"), list(SKP.items()))
def test_skp_matrix_all_nine_cells(cell, expected):
    out = skp_predikat([cell[0]], [cell[1]])
    assert out.iloc[0] == expected


def test_skp_predikat_is_ordered_and_vectorised():
    hasil, perilaku = zip(*SKP, strict=True)
    out = skp_predikat(pd.Series(hasil, index=list("abcdefghi")), list(perilaku))
    assert out.tolist() == list(SKP.values())
    assert list(out.index) == list("abcdefghi")
    assert out.cat.ordered
    assert list(out.cat.categories) == [
        "sangat_kurang",
        "kurang",
        "butuh_perbaikan",
        "baik",
        "sangat_baik",
    ]
    assert out.max() == "sangat_baik" and out.min() == "sangat_kurang"
    assert skp_predikat(["sesuai", None], ["sesuai", "sesuai"]).isna().tolist() == [False, True]
    with pytest.raises(TalentInputError, match="hasil_kerja"):
        skp_predikat(["baik"], ["sesuai"])
    with pytest.raises(TalentInputError, match="2 values"):
        skp_predikat(["sesuai", "sesuai"], ["sesuai"])


@pytest.mark.parametrize(("cell", "box"), list(BOX.items()))
def test_nine_box_permenpanrb_all_cells(cell, box):
    out = nine_box([cell[1]], [cell[0]])
    assert out["box"].iloc[0] == box == out["box_permenpanrb"].iloc[0]
    assert out["talent_pool"].iloc[0] == (box in (7, 8, 9))


@pytest.mark.parametrize(("cell", "box"), list(ROW.items()))
def test_nine_box_row_numbering_all_cells(cell, box):
    out = nine_box([cell[1]], [cell[0]], numbering="row")
    assert out["box"].iloc[0] == box
    # Actions and the talent pool belong to the cell, whatever the numbering.
    assert out["box_permenpanrb"].iloc[0] == BOX[cell]
    assert out["talent_pool"].iloc[0] == (BOX[cell] in (7, 8, 9))


def test_nine_box_actions_bilingual():
    kin = [k for _, k in BOX]
    pot = [p for p, _ in BOX]
    out = nine_box(kin, pot).set_index("box_permenpanrb")
    assert "Dipromosikan" in out.loc[9, "action_id"] and "Promote" in out.loc[9, "action_en"]
    assert out.loc[8, "action_en"] == out.loc[7, "action_en"]
    assert "suksesi" in out.loc[8, "action_id"]
    assert out.loc[3, "action_id"] == out.loc[2, "action_id"]
    assert "Rotasi" in out.loc[4, "action_id"]
    assert "bimbingan kinerja" in out.loc[6, "action_id"]
    assert (
        "ketentuan peraturan" in out.loc[1, "action_id"] and "statutory" in out.loc[1, "action_en"]
    )
    # 9 boxes; 8 and 7 share one action, 3 and 2 another: 7 distinct actions in each language.
    assert out["action_id"].nunique() == 7 == out["action_en"].nunique()


def test_nine_box_missing_and_invalid():
    out = nine_box(pd.Series(["sesuai", None], index=[10, 11]), ["tinggi", "tinggi"])
    assert list(out.index) == [10, 11]
    assert out["box"].iloc[0] == 8 and pd.isna(out["box"].iloc[1])
    assert not out["talent_pool"].iloc[1]
    with pytest.raises(TalentInputError, match="potensial"):
        nine_box(["sesuai"], ["high"])
    with pytest.raises(OptionError, match="numbering must be one of"):
        nine_box(["sesuai"], ["tinggi"], numbering="column")


def test_kinerja_and_potensial_mapping():
    assert kinerja_from_predikat(
        ["sangat_kurang", "kurang", "butuh_perbaikan", "baik", "sangat_baik"]
    ).tolist() == ["di_bawah", "di_bawah", "di_bawah", "sesuai", "di_atas"]
    custom = {
        "sangat_kurang": "di_bawah",
        "kurang": "di_bawah",
        "butuh_perbaikan": "sesuai",
        "baik": "sesuai",
        "sangat_baik": "di_atas",
    }
    assert kinerja_from_predikat(["butuh_perbaikan"], mapping=custom).tolist() == ["sesuai"]
    with pytest.raises(TalentInputError, match="every predikat"):
        kinerja_from_predikat(["baik"], mapping={"baik": "sesuai"})
    pot = potensial_from_jpm([77.99, 78.0, 89.99, 90.0, np.nan])
    assert pot.tolist()[:4] == ["rendah", "menengah", "menengah", "tinggi"]
    assert pd.isna(pot.iloc[4])
    tert = potensial_from_jpm(np.arange(1.0, 10.0), cuts="tertiles")
    assert tert.value_counts().tolist() == [3, 3, 3]
    assert potensial_from_jpm([50, 60], cuts=(55, 70)).tolist() == ["rendah", "menengah"]
    with pytest.raises(TalentInputError):
        potensial_from_jpm([50], cuts=(90, 78))


def test_employee_talent_on_bundled_data():
    ds = load_dataset()
    jpm = job_person_match(
        ds.competency_assessments, ds.competency_standards, ds.employees, as_of="2025-06-30"
    )
    talent = employee_talent(jpm, ds.performance, year=2024)
    assert len(talent) == len(jpm)
    appraised_2024 = ds.performance.loc[ds.performance["year"] == 2024, "employee_id"].nunique()
    assert talent["box"].notna().sum() == appraised_2024
    assert talent.attrs["n_without_appraisal"] == len(jpm) - appraised_2024
    sangat_baik = talent["predikat"] == "sangat_baik"
    assert (talent.loc[sangat_baik, "kinerja"] == "di_atas").all()
    high = talent["jpm_pct"] >= 90
    assert (talent.loc[high & sangat_baik, "box"] == 9).all()


# ---------------------------------------------------------------------------------------------
# Indeks Profesionalitas ASN
# ---------------------------------------------------------------------------------------------
def test_ip_asn_hand_example():
    employees = pd.DataFrame(
        {
            "employee_id": ["adm", "pel", "fun", "new"],
            "education": ["S2", "SMA", "S1", "D3"],
            "job_type": ["administrator", "pelaksana", "fungsional", "fungsional"],
        }
    )
    training = pd.DataFrame(
        {
            "employee_id": ["adm", "adm", "pel", "pel", "fun"],
            "program": [
                "Pelatihan Kepemimpinan Administrator",  # leadership, 2023: counts (cumulative)
                "Pelatihan Pengelolaan Keuangan Daerah",  # technical, 24 JP in 2024
                "Pelatihan Kearsipan",  # technical, 16 JP < 20: no points
                "Seminar Pelayanan Publik",  # seminar
                "Pelatihan Kearsipan",  # technical, but in 2023: outside the year
            ],
            "start_date": pd.to_datetime(
                ["2023-03-01", "2024-05-01", "2024-02-01", "2024-08-01", "2023-06-01"]
            ),
            "hours_jp": [150, 24, 16, 8, 24],
        }
    )
    performance = pd.DataFrame(
        {
            "employee_id": ["adm", "pel", "fun", "fun"],
            "year": [2024, 2024, 2024, 2023],
            "predikat": ["baik", "sangat_baik", "butuh_perbaikan", "sangat_baik"],
        }
    )
    discipline = pd.DataFrame(
        {"employee_id": ["adm", "fun", "fun"], "sanction": ["ringan", "ringan", "berat"]}
    )
    out = ip_asn(
        employees, training=training, performance=performance, discipline=discipline, year=2024
    ).set_index("employee_id")
    # adm: S2 20 + (leadership 15 + technical 15) + baik 25 + ringan 3 = 78 -> Sedang
    assert out.loc["adm", ["kualifikasi", "kompetensi", "kinerja", "disiplin"]].tolist() == [
        20.0,
        30.0,
        25.0,
        3.0,
    ]
    assert out.loc["adm", "ip_asn"] == 78.0 and out.loc["adm", "category"] == "Sedang"
    # pel: SMA 5 + seminar 17.5 + sangat baik 30 + no sanction 5 = 57.5 -> Sangat Rendah
    assert out.loc["pel", "kompetensi"] == 17.5 and out.loc["pel", "ip_asn"] == 57.5
    assert out.loc["pel", "category"] == "Sangat Rendah"
    # fun: S1 15 + 0 (training in 2023 only) + butuh perbaikan 15 + berat 1 = 31
    assert out.loc["fun", "ip_asn"] == 31.0
    # new: no appraisal in 2024 -> total missing, counted
    assert pd.isna(out.loc["new", "ip_asn"]) and out.loc["new", "kualifikasi"] == 10.0
    assert out.attrs["n_incomplete"] == 1
    # Without a year: latest predikat (fun: 2024) and all training (fun's 2023 course counts).
    all_years = ip_asn(employees, training=training, performance=performance)
    assert all_years.set_index("employee_id").loc["fun", "kompetensi"] == 15.0
    assert any("without sanction" in n for n in all_years.attrs["notes"])
    # Kinerja mapping is a parameter.
    points = {"sangat_baik": 30, "baik": 28, "butuh_perbaikan": 10, "kurang": 5, "sangat_kurang": 1}
    other = ip_asn(employees, performance=performance, kinerja_points=points, year=2024)
    assert other.set_index("employee_id").loc["adm", "kinerja"] == 28


def test_ip_asn_categories_and_errors():
    assert list(ip_asn_category([90.0, 90.01, 80.0, 80.5, 70.5, 60.5, 60.0, np.nan]))[:7] == [
        "Tinggi",
        "Sangat Tinggi",
        "Sedang",
        "Tinggi",
        "Sedang",
        "Rendah",
        "Sangat Rendah",
    ]
    emp = pd.DataFrame({"employee_id": ["a"], "education": ["S4"], "job_type": ["pelaksana"]})
    with pytest.raises(TalentInputError, match="education"):
        ip_asn(emp)
    emp = emp.assign(education="S1")
    bad = pd.DataFrame({"employee_id": ["a"], "sanction": ["teguran"]})
    with pytest.raises(TalentInputError, match="sanction"):
        ip_asn(emp, discipline=bad)
    t = pd.DataFrame({"program": ["Workshop SKP", "PKA Angkatan I", "Diklat Fungsional Guru"]})
    assert classify_training(t).tolist() == ["seminar", "kepemimpinan", "fungsional"]
