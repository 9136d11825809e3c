"""Structure, calibration and ground-truth checks of the synthetic data generator."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from asn_analysis.data import synthetic as syn
from asn_analysis.data.privacy import SYNTHETIC_SALT, pseudonymize
from asn_analysis.data.synthetic.skm import _krejcie_morgan
from asn_analysis.data.synthetic.writing import _jsonable

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "data" / "README.md"
BUNDLED = ROOT / "data" / "synthetic"
SMALL = 1500


@pytest.fixture(scope="module")
def small() -> syn.SyntheticData:
    return syn.generate(n_employees=SMALL)


@pytest.fixture(scope="module")
def full() -> syn.SyntheticData:
    return syn.generate()


# ---------------------------------------------------------------------------------------------
# Codebook parsing (data/README.md is the contract)
# ---------------------------------------------------------------------------------------------
def _codebook_tables() -> dict[str, list[dict[str, str]]]:
    text = CODEBOOK.read_text(encoding="utf-8")
    tables: dict[str, list[dict[str, str]]] = {}
    for match in re.finditer(r"^### `(\w+)`.*?\n(.*?)(?=^### |^## |\Z)", text, re.S | re.M):
        rows = []
        for line in match.group(2).splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 3 or cells[0] in ("column", "") or set(cells[0]) <= {"-"}:
                continue
            rows.append({"column": cells[0], "type": cells[1], "allowed": cells[2]})
        tables[match.group(1)] = rows
    return tables


def _allowed_list(table: str, column: str) -> list[str]:
    row = next(r for r in _codebook_tables()[table] if r["column"] == column)
    return [v.strip() for v in row["allowed"].split(",")]


def _competency_keys() -> dict[str, list[str]]:
    text = CODEBOOK.read_text(encoding="utf-8")
    para = text[text.index("Competency keys") :].split("\n\n")[0]
    managerial = re.search(r"manajerial (.*?); sosial kultural", para, re.S).group(1)
    sosial = re.search(r"sosial kultural (.*?); teknis", para, re.S).group(1)
    return {
        "manajerial": re.findall(r"`(\w+)`", managerial),
        "sosial_kultural": re.findall(r"`(\w+)`", sosial),
    }


def test_constants_match_codebook():
    checks = {
        ("units", "sector"): syn.UNIT_SECTORS,
        ("units", "unit_type"): syn.UNIT_TYPES,
        ("employees", "job_type"): syn.JOB_TYPES,
        ("employees", "job_family"): syn.JOB_FAMILIES,
        ("employees", "status"): syn.STATUSES,
        ("employees", "gender"): syn.GENDERS,
        ("employees", "education"): syn.EDUCATION_LEVELS,
        ("competency_standards", "group"): syn.COMPETENCY_GROUPS,
        ("performance", "hasil_kerja"): syn.RATINGS,
        ("performance", "perilaku_kerja"): syn.RATINGS,
        ("performance", "predikat"): syn.PREDIKAT_LEVELS,
        ("skm_responses", "respondent_gender"): syn.GENDERS,
        ("skm_responses", "respondent_age_group"): syn.RESPONDENT_AGE_GROUPS,
        ("skm_responses", "respondent_education"): syn.RESPONDENT_EDUCATION,
    }
    for (table, column), constant in checks.items():
        assert set(_allowed_list(table, column)) == set(constant), (table, column)
    keys = _competency_keys()
    assert keys["manajerial"] == list(syn.MANAGERIAL_COMPETENCIES)
    assert keys["sosial_kultural"] == list(syn.SOSIAL_KULTURAL_COMPETENCIES)
    assert set(syn.SKM_ELEMENTS) <= {r["column"] for r in _codebook_tables()["skm_responses"]}


def test_columns_follow_codebook(small):
    book = _codebook_tables()
    for name, frame in small.tables().items():
        expected = [r["column"] for r in book[name]]
        if name == "staff_survey":
            expected = [c for c in expected if c in ("nip", "period")]
            expected += small.survey_items["item"].tolist()
        assert list(frame.columns) == expected, name


# ---------------------------------------------------------------------------------------------
# Determinism
# ---------------------------------------------------------------------------------------------
def test_same_seed_identical(small):
    again = syn.generate(n_employees=SMALL)
    for name, frame in small.tables().items():
        pd.testing.assert_frame_equal(frame, getattr(again, name), obj=name)
    assert json.dumps(_jsonable(small.ground_truth), sort_keys=True) == json.dumps(
        _jsonable(again.ground_truth), sort_keys=True
    )


def test_different_seed_differs(small):
    other = syn.generate(seed=syn.DEFAULT_SEED + 1, n_employees=SMALL)
    assert not small.employees["nip"].equals(other.employees["nip"])
    assert not small.skm_responses.equals(other.skm_responses)
    assert small.ground_truth["ikm_effect"]["att_overall"] != pytest.approx(
        other.ground_truth["ikm_effect"]["att_overall"], abs=1e-9
    )


def test_write_is_byte_identical(small, tmp_path):
    first = syn.write(small, tmp_path / "a")
    second = syn.write(syn.generate(n_employees=SMALL), tmp_path / "b")
    assert [p.name for p in first] == [f"{t}.csv" for t in syn.TABLES] + [
        "ground_truth.json",
        "MANIFEST.sha256",
    ]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    units = first[0].read_bytes()
    assert b"\r\n" not in units and units.endswith(b"\n")
    training = (tmp_path / "a" / "training.csv").read_text(encoding="utf-8")
    assert re.search(r",\d{4}-\d{2}-\d{2},\d{4}-\d{2}-\d{2},", training)
    items = (tmp_path / "a" / "survey_items.csv").read_text(encoding="utf-8")
    assert ",true," in items and ",false," in items and "True" not in items


def test_too_few_employees_rejected():
    with pytest.raises(ValueError, match="at least 500"):
        syn.generate(n_employees=100)


# ---------------------------------------------------------------------------------------------
# Codebook rules in every table
# ---------------------------------------------------------------------------------------------
def test_allowed_values_and_keys(small):
    d = small
    u = d.units
    assert u["unit_id"].is_unique and len(u) == 30
    assert u.loc[u["unit_id"] == "U01", "unit_name"].item() == "Dinas Kesehatan"
    assert set(u["sector"]) <= set(syn.UNIT_SECTORS)
    assert set(u["unit_type"]) <= set(syn.UNIT_TYPES)
    assert (u["service_users_per_semester"] >= 1).all()

    e = d.employees
    assert e["nip"].is_unique
    assert set(e["unit_id"]) <= set(u["unit_id"])
    for col, allowed in [
        ("job_type", syn.JOB_TYPES),
        ("job_family", syn.JOB_FAMILIES),
        ("status", syn.STATUSES),
        ("gender", syn.GENDERS),
        ("education", syn.EDUCATION_LEVELS),
    ]:
        assert set(e[col]) <= set(allowed), col
    assert e["birth_year"].between(*syn.BIRTH_YEAR_RANGE).all()
    assert e["years_of_service"].between(*syn.YEARS_OF_SERVICE_RANGE).all()
    assert (e["name"].str.len() > 0).all()
    assert set(e["position"]) <= set(d.competency_standards["position"])

    s = d.competency_standards
    assert not s.duplicated(["position", "competency"]).any()
    assert set(s["group"]) <= set(syn.COMPETENCY_GROUPS)
    assert s["required_level"].between(1, 5).all()
    valid_keys = set(syn.MANAGERIAL_COMPETENCIES) | set(syn.SOSIAL_KULTURAL_COMPETENCIES)
    valid_keys |= set(syn.TECHNICAL_COMPETENCIES)
    assert set(s["competency"]) <= valid_keys
    assert (s.groupby("position").size() == 10).all()

    a = d.competency_assessments
    assert set(a["nip"]) <= set(e["nip"])
    assert not a.duplicated(["nip", "competency", "assessed_on"]).any()
    assert a["level"].between(1, 5).all()
    assert (a["assessed_on"] >= pd.Timestamp("2015-01-01")).all()

    p = d.performance
    assert not p.duplicated(["nip", "year"]).any()
    assert set(p["nip"]) <= set(e["nip"])
    assert set(p["hasil_kerja"]) | set(p["perilaku_kerja"]) <= set(syn.RATINGS)
    assert set(p["predikat"]) <= set(syn.PREDIKAT_LEVELS)
    assert p["year"].between(2015, 2100).all()

    t = d.training
    assert not t.duplicated(["nip", "program", "start_date"]).any()
    assert set(t["nip"]) <= set(e["nip"])
    assert (t["end_date"] >= t["start_date"]).all()
    assert t["hours_jp"].between(1, 500).all()
    assert set(t["competency_targeted"]) <= valid_keys
    assert t["reaction_score"].dropna().between(1, 5).all()
    for col in ("pre_test", "post_test"):
        assert t[col].dropna().between(0, 100).all()
        assert (t[col].dropna().round(1) == t[col].dropna()).all()

    k = d.skm_responses
    assert k["response_id"].is_unique
    assert k["response_id"].str.fullmatch(r"R\d{6}").all()
    assert set(k["unit_id"]) <= set(u["unit_id"])
    assert k["period"].str.fullmatch(r"\d{4}-S[12]").all()
    assert (k["service"].str.len() > 0).all()
    assert set(k["respondent_gender"].dropna()) <= set(syn.GENDERS)
    assert set(k["respondent_age_group"].dropna()) <= set(syn.RESPONDENT_AGE_GROUPS)
    assert set(k["respondent_education"].dropna()) <= set(syn.RESPONDENT_EDUCATION)
    for el in syn.SKM_ELEMENTS:
        assert str(k[el].dtype) == "Int64"
        assert k[el].dropna().between(1, 4).all()

    si = d.survey_items
    assert si["item"].is_unique
    assert set(si["scale"]) == set(syn.SURVEY_SCALES)
    assert si["reverse_keyed"].dtype == bool
    assert (si["max"] > si["min"]).all()
    assert (si["text_id"].str.len() > 0).all() and (si["text_en"].str.len() > 0).all()
    ss = d.staff_survey
    assert not ss.duplicated(["nip", "period"]).any()
    assert set(ss["nip"]) <= set(e["nip"])
    assert set(ss["period"]) == set(syn.STAFF_SURVEY_WAVES)
    for item, lo, hi in si[["item", "min", "max"]].itertuples(index=False):
        assert ss[item].dropna().between(lo, hi).all(), item


def test_survey_instrument_shape(small):
    counts = small.survey_items.groupby("scale")["reverse_keyed"].agg(["size", "sum"])
    assert counts.loc["resistance"].tolist() == [6, 2]
    assert counts.loc["transparency"].tolist() == [4, 1]
    assert counts.loc["communication"].tolist() == [4, 1]
    assert counts.loc["threat"].tolist() == [3, 0]
    assert small.survey_items["item"].str.fullmatch(r"(res|trn|com|thr)_\d{2}").all()


def test_nip_valid_and_consistent(small):
    e = small.employees
    nip = e["nip"]
    assert nip.str.fullmatch(r"\d{18}").all()
    birth = pd.to_datetime(nip.str[:8], format="%Y%m%d", errors="coerce")
    tmt = pd.to_datetime(nip.str[8:14] + "01", format="%Y%m%d", errors="coerce")
    assert birth.notna().all() and tmt.notna().all()
    assert (birth.dt.year == e["birth_year"]).all()
    assert (nip.str[14].map({"1": "L", "2": "P"}) == e["gender"]).all()
    assert (tmt.dt.year - birth.dt.year >= 18).all()
    pppk = e["status"] == "PPPK"
    assert (tmt[pppk].dt.year == syn.PPPK_APPOINTMENT_YEAR).all()
    assert e.loc[pppk, "years_of_service"].between(0, 2).all()
    assert (nip.str[15:].astype(int) >= 1).all()


def test_predikat_follows_matrix(full):
    p = full.performance
    expected = [
        syn.PREDIKAT_MATRIX[(h, b)] for h, b in zip(p.hasil_kerja, p.perilaku_kerja, strict=True)
    ]
    assert (p["predikat"] == pd.Series(expected, index=p.index)).all()
    assert syn.PREDIKAT_MATRIX[("di_bawah", "di_bawah")] == "sangat_kurang"
    assert syn.PREDIKAT_MATRIX[("sesuai", "di_atas")] == "baik"
    assert syn.PREDIKAT_MATRIX[("di_atas", "di_bawah")] == "kurang"


def test_assessment_design(small):
    d = small
    e = d.employees.set_index("nip")
    a = d.competency_assessments.merge(d.employees[["nip", "position", "status"]], on="nip")
    first = a.groupby("nip")["assessed_on"].transform("min")
    base = a[a["assessed_on"] == first]
    assert (base.groupby("nip").size() == 10).all() and base["nip"].nunique() == len(e)
    std = d.competency_standards
    merged = base.merge(std, on=["position", "competency"], how="left")
    assert merged["required_level"].notna().all()
    pns_year = base.loc[base["status"] == "PNS", "assessed_on"].dt.year
    assert (pns_year == 2022).all()
    pppk_dates = base.loc[base["status"] == "PPPK", "assessed_on"]
    assert pppk_dates.between("2024-07-01", "2024-12-31").all()
    re_ = a[a["assessed_on"] >= pd.Timestamp("2025-07-01")]
    assert (re_.groupby("nip").size() == 10).all()
    assert 0.8 <= re_["nip"].nunique() / len(e) <= 0.9


def test_performance_years(small):
    p = small.performance.merge(small.employees[["nip", "status"]], on="nip")
    assert set(p["year"]) == set(syn.PERFORMANCE_YEARS)
    assert (p.loc[p["status"] == "PPPK", "year"] >= syn.PPPK_APPOINTMENT_YEAR).all()


# ---------------------------------------------------------------------------------------------
# Calibration
# ---------------------------------------------------------------------------------------------
def test_calibration_shares(full):
    e = full.employees
    jt = e["job_type"].value_counts(normalize=True)
    assert 0.67 <= jt["fungsional"] <= 0.73
    assert 0.20 <= jt["pelaksana"] <= 0.26
    struct = jt[["jpt_pratama", "administrator", "pengawas"]]
    assert 0.05 <= struct.sum() <= 0.09
    assert 0.60 <= struct["pengawas"] / struct.sum() <= 0.78
    assert 0.25 <= (e["status"] == "PPPK").mean() <= 0.35
    female = e["gender"] == "P"
    assert 0.52 <= female.mean() <= 0.60
    assert female[e["status"] == "PPPK"].mean() > female[e["status"] == "PNS"].mean()
    assert 0.40 <= e["position"].str.startswith("Guru").mean() <= 0.46
    pns_age = 2025 - e.loc[e["status"] == "PNS", "birth_year"]
    assert 0.28 <= pns_age.between(51, 60).mean() <= 0.40
    edu = e["education"].value_counts(normalize=True)
    assert 0.55 <= edu[["D4", "S1"]].sum() <= 0.72
    pred = full.performance["predikat"].value_counts(normalize=True)
    assert 0.92 <= pred["baik"] <= 0.96
    assert 0.03 <= pred["sangat_baik"] <= 0.07
    assert pred.drop(["baik", "sangat_baik"]).sum() <= 0.02
    it_outside = (e["job_family"] == "teknologi_informasi") & (e["unit_id"] != "U13")
    assert it_outside.sum() >= 40


def test_training_calibration(full):
    t = full.training.copy()
    e = full.employees
    t["year"] = t["start_date"].dt.year
    jp = t.groupby(["nip", "year"])["hours_jp"].sum()
    for year in syn.PERFORMANCE_YEARS:
        active = e if year >= syn.PPPK_APPOINTMENT_YEAR else e[e["status"] == "PNS"]
        met = (jp.xs(year, level="year") >= 20).reindex(active["nip"], fill_value=False)
        assert 0.28 <= met.mean() <= 0.42, year
    assert t["hours_jp"].between(16, 40).mean() >= 0.9
    assert 50 <= t["pre_test"].mean() <= 65 and 80 <= t["post_test"].mean() <= 95
    classes = t.groupby(["program", "start_date"]).size()
    big = classes[classes >= 30]
    assert (big <= 40).all() and len(big) >= 0.5 * len(classes)


def _krejcie_morgan_table() -> dict[int, int]:
    return {
        15: 14, 20: 19, 25: 24, 30: 28, 50: 44, 100: 80, 220: 140, 250: 152, 300: 169,
        1200: 291, 1500: 306, 1900: 320, 2000: 322, 2200: 327, 1_000_000: 384,
    }  # fmt: skip


def test_krejcie_morgan_published_table():
    for population, sample in _krejcie_morgan_table().items():
        assert _krejcie_morgan(population) == sample, population


def test_skm_sample_sizes_and_scores(full):
    k = full.skm_responses
    users = full.units.set_index("unit_id")["service_users_per_semester"]
    n = k.groupby(["unit_id", "period"]).size().rename("n").reset_index()
    n["required"] = n["unit_id"].map(lambda u: _krejcie_morgan(int(users[u])))
    ratio = n["n"] / n["required"]
    short = ratio < 1
    assert 0.07 <= short.mean() <= 0.25
    assert ratio[short].between(0.58, 0.91).all()
    assert len(n) == 30 * 8 - len(full.ground_truth["skm_answer_model"]["missing_unit_periods"])
    blank = k[list(syn.SKM_ELEMENTS)].isna().mean().mean()
    assert 0.01 <= blank <= 0.03
    nrr = k.groupby(["unit_id", "period"])[list(syn.SKM_ELEMENTS)].mean()
    ikm = 25 * nrr.mean(axis=1)
    assert ikm.between(75, 82).mean() >= 0.6
    means = nrr.mean()
    assert means.idxmax() == "biaya"
    assert set(means.nsmallest(3).index) == {"waktu", "sarana", "pengaduan"}


# ---------------------------------------------------------------------------------------------
# Ground truth
# ---------------------------------------------------------------------------------------------
GT_KEYS = {
    "synthetic",
    "seed",
    "generator",
    "salt",
    "rollout",
    "ikm_effect",
    "competency_training_effect",
    "selection_program",
    "mismatch",
    "resistance",
    "segments",
    "skm_answer_model",
    "notes",
}


def test_ground_truth_keys(small):
    gt = small.ground_truth
    assert GT_KEYS <= set(gt)
    assert gt["synthetic"] is True and gt["seed"] == syn.DEFAULT_SEED
    assert gt["generator"].startswith("asn_analysis.synthetic v")
    assert gt["salt"]["value"] == SYNTHETIC_SALT
    for key in ("att_overall", "att_by_event_time", "att_by_cohort", "dinas_kesehatan_by_period"):
        assert key in gt["ikm_effect"]
    assert set(gt["ikm_effect"]["element_nrr_effects"]) == set(syn.SKM_ELEMENTS)
    for key in ("b_mis", "b_jpm", "cutpoints", "job_type_effects", "unit_effects"):
        assert key in gt["mismatch"]
    assert len(gt["mismatch"]["cutpoints"]) == len(syn.PREDIKAT_LEVELS) - 1
    for key in ("b_transparency", "b_communication", "b_threat", "b_years_of_service"):
        assert key in gt["resistance"]
    ids = pseudonymize(small.employees["nip"], salt=SYNTHETIC_SALT)
    assert set(gt["segments"]["labels"]) == set(ids)
    assert set(gt["segments"]["labels"].values()) == set(gt["segments"]["names"])
    assert gt["notes"] and all(isinstance(n, str) for n in gt["notes"])
    json.dumps(_jsonable(gt))


def test_rollout_design(small):
    gt = small.ground_truth["rollout"]
    assert gt["cohorts"]["2024-S1"] == ["U01"]
    assert gt["first_treated_period"]["U01"] == "2024-S1"
    t = small.training.merge(small.employees[["nip", "unit_id"]], on="nip")
    for program in gt["programs"]:
        rows = t[t["program"] == program]
        assert len(rows) > 0
        first = rows["unit_id"].map(gt["first_treated_period"])
        assert first.notna().all()
        year = rows["start_date"].dt.year.astype(str)
        half = np.where(rows["start_date"].dt.month <= 6, "S1", "S2")
        assert (year + "-" + half == first).all()
    shares = pd.Series(gt["attendance_share_of_front_line"])
    assert shares.between(0.55, 0.85).all()


def test_ikm_truth_is_on_the_observed_scale(small):
    ikm = small.ground_truth["ikm_effect"]
    k = small.skm_responses
    nrr = k.groupby(["unit_id", "period"])[list(syn.SKM_ELEMENTS)].mean()
    observed = 25 * nrr.sum(axis=1) / len(syn.SKM_ELEMENTS)
    for row in ikm["by_unit_period"]:
        assert observed[(row["unit_id"], row["period"])] == pytest.approx(
            row["ikm_converted_y1"], abs=1e-9
        )
        assert row["effect"] == pytest.approx(row["ikm_converted_y1"] - row["ikm_converted_y0"])
        assert row["nrr_effect"]["biaya"] == 0 and row["nrr_effect"]["sarana"] == 0
    by_event = ikm["att_by_event_time"]
    assert by_event["0"] < by_event["1"] < by_event["2"]
    effects = [r["effect"] for r in ikm["by_unit_period"]]
    assert ikm["att_overall"] == pytest.approx(np.mean(effects))
    nrr_eff = ikm["element_nrr_effects"]
    assert min(nrr_eff["kompetensi"], nrr_eff["perilaku"]) > max(
        nrr_eff["prosedur"], nrr_eff["waktu"], nrr_eff["pengaduan"]
    )


def test_selection_naive_differs_from_att(full):
    sel = full.ground_truth["selection_program"]
    assert 0.2 <= sel["att"] <= 0.8
    assert sel["naive_difference"] - sel["att"] > 0.15
    assert sel["n_treated_reassessed"] > 200


def test_mismatch_planted(full):
    mm = full.ground_truth["mismatch"]
    assert 0.4 <= mm["rate_it_outside_diskominfo"] <= 0.65
    assert 0.05 <= mm["rate_elsewhere"] <= 0.15
    assert mm["skm"]["ame_converted_ikm_per_unit_mismatch_share"] <= -15


def _cronbach_alpha(x: pd.DataFrame) -> float:
    x = x.dropna()
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def _scale_scores(data: syn.SyntheticData) -> tuple[pd.DataFrame, dict[str, float]]:
    ss = data.staff_survey.copy()
    alphas = {}
    for scale, rows in data.survey_items.groupby("scale"):
        items = ss[rows["item"]].astype(float)
        for item, rev, lo, hi in rows[["item", "reverse_keyed", "min", "max"]].itertuples(
            index=False
        ):
            if rev:
                items[item] = lo + hi - items[item]
        ss[scale] = items.mean(axis=1)
        alphas[scale] = _cronbach_alpha(items)
    return ss, alphas


def test_staff_survey_reliability_and_campaign(full):
    ss, alphas = _scale_scores(full)
    for scale, alpha in alphas.items():
        assert 0.74 <= alpha <= 0.91, (scale, alpha)
    blank = ss[full.survey_items["item"]].isna().mean().mean()
    assert 0.02 <= blank <= 0.04
    by_wave = ss.groupby("period")[["transparency", "communication", "resistance"]].mean()
    w1, w2 = syn.STAFF_SURVEY_WAVES
    assert by_wave.loc[w2, "transparency"] > by_wave.loc[w1, "transparency"]
    assert by_wave.loc[w2, "communication"] > by_wave.loc[w1, "communication"]
    assert by_wave.loc[w2, "resistance"] < by_wave.loc[w1, "resistance"]
    n_pns = (full.employees["status"] == "PNS").sum()
    assert 0.68 <= (ss["period"] == w1).sum() / n_pns <= 0.82


def test_segments_recovered_by_kmeans(full):
    d = full
    e = d.employees
    a = d.competency_assessments
    base = a[a["assessed_on"] == a.groupby("nip")["assessed_on"].transform("min")]
    base = base.merge(e[["nip", "position"]], on="nip").merge(
        d.competency_standards, on=["position", "competency"]
    )
    base["gap"] = base["level"] - base["required_level"]
    nontech = [*syn.MANAGERIAL_COMPETENCIES, *syn.SOSIAL_KULTURAL_COMPETENCIES]
    gaps = base[base["competency"].isin(nontech)].pivot(
        index="nip", columns="competency", values="gap"
    )
    sums = base.groupby("nip")[["level", "required_level"]].sum()
    jpm = np.minimum(100.0, 100.0 * sums["level"] / sums["required_level"]).rename("jpm")
    ss, _ = _scale_scores(d)
    resistance = ss[ss["period"] == syn.STAFF_SURVEY_WAVES[0]].set_index("nip")["resistance"]
    rank = {p: i + 1 for i, p in enumerate(syn.PREDIKAT_LEVELS)}
    predikat = d.performance.assign(r=d.performance["predikat"].map(rank)).groupby("nip")["r"]
    features = (
        gaps.join(jpm).join(resistance.rename("res")).join(predikat.mean().rename("pr")).dropna()
    )
    assert len(features) > 1500
    z = StandardScaler().fit_transform(features)
    labels_km = KMeans(n_clusters=4, n_init=10, random_state=0).fit_predict(z)
    ids = pseudonymize(features.index, salt=SYNTHETIC_SALT)
    truth = ids.map(d.ground_truth["segments"]["labels"])
    assert truth.notna().all()
    assert adjusted_rand_score(truth, labels_km) >= 0.9


def test_package_data_files_are_shipped():
    """The regency's data files are read from the package and listed as package data."""
    import fnmatch
    import tomllib
    from importlib import resources

    package = "asn_analysis.data.synthetic"
    files = sorted(p.name for p in resources.files(package).iterdir() if p.name.endswith(".json"))
    assert files == ["programmes.json", "regency.json", "survey_items.json"]
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"][package]
    assert all(any(fnmatch.fnmatch(f, pat) for pat in patterns) for f in files)
