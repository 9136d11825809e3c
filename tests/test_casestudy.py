"""Tests of asn_analysis.casestudy and ground-truth recovery on the bundled synthetic data.

The bundled data's truth (data/synthetic/ground_truth.json): roll-out cohorts U01 2024-S1;
U03-U05 2024-S2; U06, U15, U16, U25 2025-S1; ATT on converted IKM 2.77 (mean over treated
unit-periods), growing with event time (1.59, 3.03, 4.03, 5.00); level-3 ATT 0.65 (komunikasi)
and 0.70 (pelayanan_publik); selection programme ATT 0.444 vs naive difference 0.847.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from asn_analysis import casestudy as cs
from asn_analysis import effects as ef
from asn_analysis import load_dataset
from asn_analysis.effects import EffectInputError
from asn_analysis.errors import OptionError
from asn_analysis.reporting.findings.casestudy import case_study_findings

REF_DIR = Path(__file__).parent / "reference"


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def truth(ds):
    return ds.ground_truth


@pytest.fixture(scope="module")
def panel(ds):
    return cs.ikm_panel(ds.skm_responses, cohorts=cs.rollout_cohorts(ds.training, ds.employees))


@pytest.fixture(scope="module")
def case(ds):
    return cs.case_study(ds)


def test_reference_panel_is_what_the_library_computes(panel):
    """The parity tests of test_effects.py use this CSV; it must not go stale."""
    ref = pd.read_csv(REF_DIR / "ikm_panel_bundled.csv")
    ours = panel[ref.columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        ours.astype({"first_treated": object}), ref.astype({"first_treated": object}),
        check_dtype=False, rtol=1e-14,
    )  # fmt: skip


def test_rollout_cohorts_match_ground_truth(ds, truth):
    cohorts = cs.rollout_cohorts(ds.training, ds.employees)
    assert (
        dict(zip(cohorts["unit_id"], cohorts["first_treated"], strict=True))
        == (truth["rollout"]["first_treated_period"])
    )
    with pytest.raises(EffectInputError, match="'Pelatihan Fiktif' is not in training"):
        cs.rollout_cohorts(ds.training, ds.employees, programs=["Pelatihan Fiktif"])


def test_robust_estimators_recover_the_ikm_effect(panel, truth):
    t = truth["ikm_effect"]
    res = ef.staggered_did(panel, outcome="ikm_converted", unit="unit_id", time="period",
                           first_treated="first_treated")  # fmt: skip
    assert res.ci_low < t["att_overall"] < res.ci_high
    ev = res.details["event_time"]
    for e, value in t["att_by_event_time"].items():
        assert ev.loc[int(e), "ci_low"] < value < ev.loc[int(e), "ci_high"], e
    study = ef.event_study(panel, outcome="ikm_converted", unit="unit_id", time="period",
                           first_treated="first_treated")  # fmt: skip
    assert study.pretrend_pvalue > 0.05  # no pre-trend in the generator
    naive = ef.before_after(panel, outcome="ikm_converted", unit="unit_id", time="period",
                            first_treated="first_treated")  # fmt: skip
    assert naive.ci_low > t["att_overall"]  # the secular trend is counted as effect


def test_twfe_is_biased_by_growing_effects_and_cs_is_not(panel, truth):
    """Applied to the true effects alone (the outcome every estimator sees, minus the
    untreated outcome), each linear estimator returns its estimand: TWFE's is a weighted
    mean that under-weights long exposures, Callaway-Sant'Anna's is the ATT."""
    tau = pd.DataFrame(truth["ikm_effect"]["by_unit_period"])[["unit_id", "period", "effect"]]
    data = panel.merge(tau, on=["unit_id", "period"], how="left").fillna({"effect": 0.0})
    att = truth["ikm_effect"]["att_overall"]
    tw = ef.twfe(data, outcome="effect", treatment="treated", unit="unit_id", time="period",
                 inference="cluster")  # fmt: skip
    weights = ef.twfe_weights(data, treatment="treated", unit="unit_id", time="period")
    w = weights.merge(tau, on=["unit_id", "period"])
    assert tw.estimate == pytest.approx(float((w["weight"] * w["effect"]).sum()), abs=1e-10)
    assert tw.estimate < att - 0.1
    robust = ef.staggered_did(data, outcome="effect", unit="unit_id", time="period",
                              first_treated="first_treated")  # fmt: skip
    assert robust.estimate == pytest.approx(att, abs=1e-5)


def test_weighting_recovers_the_selection_programme_effect(ds, truth):
    sel = truth["selection_program"]
    data = cs.selection_program_data(ds.employees, ds.competency_assessments, ds.training)
    assert int(data["treated"].sum()) == sel["n_treated"]
    observed = data.dropna(subset=["outcome"])
    naive = observed.groupby("treated")["outcome"].mean()
    assert naive[1] - naive[0] == pytest.approx(sel["naive_difference"], abs=1e-5)
    for method in ("ipw", "aipw"):
        res = ef.att_weighting(
            data, outcome="outcome", treatment="treated",
            covariates=list(cs.SELECTION_CONFOUNDERS), method=method,
        )  # fmt: skip
        assert res.ci_low < sel["att"] < res.ci_high, method
        assert res.ci_high < sel["naive_difference"]
        assert res.n_treated == sel["n_treated_reassessed"]
        assert res.details["balance"]["smd_after"].abs().max() < 0.05


def test_behaviour_change_recovers_level_3(ds, truth):
    att = truth["competency_training_effect"]["att_level"]
    res = cs.behaviour_change(ds.employees, ds.competency_assessments, ds.training)
    for comp, value in att.items():
        assert res[comp].ci_low < value < res[comp].ci_high, comp
        assert res[comp].n_treated == truth["competency_training_effect"]["n_attendees_reassessed"]


def test_case_study_levels(case, truth):
    assert (case.unit_id, case.first_treated) == ("U01", "2024-S1")
    # The evaluation's finding: Dinas Kesehatan below other units on both competencies.
    gap = case.competency_gap
    for comp in ("komunikasi", "pelayanan_publik"):
        assert gap.loc[(comp, "unit"), "diff_ci_high"] < 0
    assert (case.element_gap["ci_high"] < 0).all()
    # Level 1 and 2 tables: by hand / scipy.
    assert set(case.reaction.index) == set(cs.ROLLOUT_PROGRAMS)
    assert case.reaction["mean"].between(1, 5).all()
    # Level 4: effect of the training on Dinas Kesehatan's IKM (mean over its 4 post periods).
    dinkes = np.mean(list(truth["ikm_effect"]["dinas_kesehatan_by_period"].values()))
    for method, est in case.results["ikm_converted"].items():
        assert est.ci_low < dinkes < est.ci_high, method
        assert est.n_treated == 1
    did = case.results["ikm_converted"]["did"]
    n_units = int(did.inference["n_draws"].iloc[0]) + 1
    assert did.pvalue * n_units == pytest.approx(round(did.pvalue * n_units))  # rank / n
    assert did.inference.index[0] == "permutation (placebo-in-space)"
    table = case.to_frame()
    assert set(table["level"]) == {3, 4} and len(table) == 4 + 6
    assert "Levels 3 and 4" in case.summary() and "<table" in case._repr_html_()


def test_learning_and_reaction_match_scipy(ds):
    tr = ds.training
    table = cs.learning_gain(tr, programs=["Pelatihan Komunikasi Efektif"])
    rows = tr[tr["program"] == "Pelatihan Komunikasi Efektif"].dropna(
        subset=["pre_test", "post_test"]
    )
    test = stats.ttest_rel(rows["post_test"], rows["pre_test"])
    row = table.iloc[0]
    assert row["t"] == pytest.approx(test.statistic) and row["pvalue"] == pytest.approx(test.pvalue)
    ci = test.confidence_interval()
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high))
    d = rows["post_test"] - rows["pre_test"]
    assert row["cohens_dz"] == pytest.approx(d.mean() / d.std(ddof=1))
    react = cs.reaction_summary(tr, programs=["Pelatihan Pelayanan Prima"]).iloc[0]
    scores = tr.loc[tr["program"] == "Pelatihan Pelayanan Prima", "reaction_score"]
    assert (
        react["mean"] == pytest.approx(scores.mean()) and react["n_missing"] == scores.isna().sum()
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_case_study_findings(case, lang):
    sentences = case_study_findings(case, lang=lang)
    assert len(sentences) >= 8
    text = " ".join(sentences)
    if lang == "id":
        assert "IK 95%" in text and "Level 4 (hasil)" in text and "Dinas Kesehatan" in text
        est = case.results["ikm_converted"]["synthetic_control"].estimate
        assert f"{est:.2f}".replace(".", ",") in text
    else:
        assert "95% CI" in text and "Level 3 (behaviour)" in text
    assert "nip" not in text.lower()
    with pytest.raises(OptionError, match="lang"):
        case_study_findings(case, lang="fr")  # type: ignore[arg-type]


def test_case_study_bad_unit(ds):
    with pytest.raises(
        EffectInputError, match="case-study unit 'Dinas Fiktif' is not in units; units has: "
    ):
        cs.case_study(ds, unit_name="Dinas Fiktif")
    with pytest.raises(EffectInputError, match="has no participants"):
        cs.case_study(ds, unit_name="Inspektorat")
