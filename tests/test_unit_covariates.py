"""Unit covariates measured before a date (notebook 04's conditional comparison) and its findings.

The covariates are the library's own measures at the day before the roll-out; nothing assessed
later moves them; a unit without data is kept with a missing value and counted, never dropped;
unknown names are all named; the run settings use the same vocabulary.
"""

from dataclasses import replace
from typing import get_args

import numpy as np
import pandas as pd
import pytest

from asn_analysis import casestudy as cs
from asn_analysis import effects as ef
from asn_analysis import load_dataset
from asn_analysis.competency import competency_gaps
from asn_analysis.effects.drdid import DIDEstMethod
from asn_analysis.errors import AsnAnalysisError, OptionError
from asn_analysis.reporting.findings import covariate_comparison_findings
from asn_analysis.settings import RunSettings, SettingsError, load_settings
from asn_analysis.unit_covariates import (
    UNIT_COVARIATES,
    UnitCovariateError,
    covariate_names,
    day_before_rollout,
    unit_covariates,
)

BEFORE = "2024-03-03"  # the day before the bundled roll-out's first class
#: Technical mismatch share per unit at BEFORE, as published with tests/test_staggered_covariates
#: (three decimals): a few units spanning the range.
PUBLISHED_MISMATCH = {"U01": 0.037, "U02": 0.113, "U10": 0.151, "U25": 0.217, "U30": 0.023}


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def bundled_x(ds) -> pd.DataFrame:
    return unit_covariates(ds, before=BEFORE)


@pytest.fixture(scope="module")
def mini_ds(mini_source):
    return load_dataset(mini_source)


def test_bundled_covariates_are_the_notebooks_and_every_unit_is_kept(ds, bundled_x):
    x = bundled_x
    assert list(x.columns) == list(UNIT_COVARIATES) and x.index.name == "unit_id"
    assert list(x.index) == list(ds.units["unit_id"])  # every unit, in the units' order
    for unit, share in PUBLISHED_MISMATCH.items():
        assert x.loc[unit, "mismatch_share"] == pytest.approx(share, abs=5e-4)
    health = ds.units.set_index("unit_id")["sector"].eq("kesehatan")
    assert (x["health"] == health.astype(float)).all() and x["health"].sum() == health.sum() > 0
    assert x["mean_jpm"].between(0, 100).all()
    assert x.attrs["before"] == BEFORE
    assert x.attrs["n_units_missing"] == {c: 0 for c in UNIT_COVARIATES}
    assert x.attrs["n_employees"]["mean_jpm"] > 0 and x.attrs["n_employees"]["mismatch_share"] > 0


def test_mean_jpm_is_the_mean_over_the_units_scored_staff(ds, bundled_x):
    from asn_analysis.competency import job_person_match

    args = (ds.competency_assessments, ds.competency_standards, ds.employees)
    jpm = job_person_match(*args, as_of=BEFORE, on_problem="exclude")
    u01 = jpm.loc[jpm["unit_id"] == "U01", "jpm_pct"]
    assert bundled_x.loc["U01", "mean_jpm"] == pytest.approx(u01.mean())
    assert bundled_x.attrs["n_employees"]["mean_jpm"] == jpm["jpm_pct"].notna().sum()


def test_only_what_is_asked_is_built_in_the_order_asked(ds):
    x = unit_covariates(ds, before=BEFORE, covariates="health, mismatch_share")
    assert list(x.columns) == ["health", "mismatch_share"]
    assert "mean_jpm" not in x.attrs["n_employees"]
    only = unit_covariates(ds, before=BEFORE, covariates=["health"])
    assert list(only.columns) == ["health"] and only.attrs["n_employees"] == {}


def test_assessments_after_the_date_do_not_move_the_covariates(mini_ds):
    a = mini_ds.competency_assessments
    before = a["assessed_on"].sort_values().iloc[len(a) // 2].date().isoformat()
    x = unit_covariates(mini_ds, before=before)
    later = a["assessed_on"] > pd.Timestamp(before)
    assert later.any()
    lowered = a.copy()
    lowered.loc[later, "level"] = 1  # everything assessed after the date falls to level 1
    moved = replace(mini_ds, competency_assessments=lowered)
    pd.testing.assert_frame_equal(unit_covariates(moved, before=before), x)
    earlier = lowered.copy()
    earlier.loc[~later, "level"] = 1  # ... but what was assessed by then moves them
    changed = unit_covariates(replace(mini_ds, competency_assessments=earlier), before=before)
    assert (changed["mean_jpm"] < x["mean_jpm"]).any()
    assert (changed["mismatch_share"] > x["mismatch_share"]).any()


def test_a_unit_without_assessments_by_then_is_kept_missing_and_counted(mini_ds):
    before = mini_ds.competency_assessments["assessed_on"].max().date().isoformat()
    full = unit_covariates(mini_ds, before=before)
    empty = set(full.index[full["mean_jpm"].isna()])  # units of the mini data without staff
    assert full.attrs["n_units_missing"]["mean_jpm"] == len(empty) < len(full)
    unit = full.index[full["mean_jpm"].notna()][0]
    staff = set(mini_ds.employees.loc[mini_ds.employees["unit_id"] == unit, "employee_id"])
    a = mini_ds.competency_assessments
    a = a.assign(assessed_on=a["assessed_on"].where(~a["employee_id"].isin(staff),
                                                    pd.Timestamp("2099-01-01")))  # fmt: skip
    x = unit_covariates(replace(mini_ds, competency_assessments=a), before=before)
    assert unit in x.index and len(x) == len(mini_ds.units)  # not dropped
    assert np.isnan(x.loc[unit, "mismatch_share"]) and np.isnan(x.loc[unit, "mean_jpm"])
    assert x.loc[unit, "health"] in (0.0, 1.0)
    n = len(empty) + 1
    assert x.attrs["n_units_missing"] == {"mismatch_share": n, "mean_jpm": n, "health": 0}
    assert set(x.attrs["units_missing"]["mean_jpm"]) == empty | {str(unit)}
    assert x.drop(index=[unit, *empty]).notna().all().all()


def test_employees_the_competency_functions_cannot_score_are_counted(mini_ds):
    before = mini_ds.competency_assessments["assessed_on"].max().date().isoformat()
    expected = competency_gaps(
        mini_ds.competency_assessments,
        mini_ds.competency_standards,
        mini_ds.employees,
        as_of=before,
        on_problem="exclude",
    ).attrs["excluded"]
    x = unit_covariates(mini_ds, before=before, covariates=["mismatch_share"])
    n = int(expected["n_employees"].sum()) if len(expected) else 0
    assert x.attrs["n_employees_excluded"] == {"mismatch_share": n}


def test_unknown_names_are_all_named():
    with pytest.raises(OptionError, match=r"'mismatch', 'jpm'; choose from 'mismatch_share'"):
        covariate_names("mismatch, jpm,health")
    assert covariate_names(" health ,health,, mean_jpm") == ["health", "mean_jpm"]
    assert covariate_names("") == [] and covariate_names([]) == []


def test_dates_and_tables_are_checked(ds, mini_ds):
    with pytest.raises(UnitCovariateError, match="before must be a date, not 'soon'"):
        unit_covariates(ds, before="soon")
    with pytest.raises(UnitCovariateError, match="no competency assessment .* that early"):
        unit_covariates(ds, before="1990-01-01")
    assert unit_covariates(ds, before="1990-01-01", covariates="health").notna().all().all()
    no_assessments = replace(mini_ds, competency_assessments=None)
    with pytest.raises(UnitCovariateError, match="need the tables competency_assessments"):
        unit_covariates(no_assessments, before=BEFORE, covariates="mean_jpm")
    assert issubclass(UnitCovariateError, AsnAnalysisError)


def test_day_before_rollout(ds):
    cohorts = cs.rollout_cohorts(ds.training, ds.employees)
    assert day_before_rollout(cohorts) == BEFORE
    with pytest.raises(UnitCovariateError, match="first_start"):
        day_before_rollout(cohorts.drop(columns="first_start"))
    with pytest.raises(UnitCovariateError, match="no first_start date"):
        day_before_rollout(cohorts.assign(first_start=pd.NaT))


def test_the_notebook_path_estimates_with_the_built_covariates(ds, bundled_x):
    """unit_covariates joined onto the IKM panel is what staggered_did takes (notebook 04)."""
    cohorts = cs.rollout_cohorts(ds.training, ds.employees)
    panel = cs.ikm_panel(ds.skm_responses, cohorts=cohorts)
    kw = dict(outcome="ikm_converted", unit="unit_id", time="period", first_treated="first_treated")
    covs = list(RunSettings().staggered_covariates)
    res = ef.staggered_did(panel.join(bundled_x, on="unit_id"), covariates=covs, **kw)
    plain = ef.staggered_did(panel, **kw)
    truth = ds.ground_truth["ikm_effect"]["att_overall"]
    assert res.ci_low < truth < res.ci_high and res.estimate != plain.estimate


# --------------------------------------------------------------------------- settings


def test_settings_use_the_same_covariates_and_estimators():
    for name in UNIT_COVARIATES:
        assert load_settings(overrides=[("staggered_covariates", name)]).staggered_covariates == (
            name,
        )
    with pytest.raises(SettingsError) as err:
        load_settings(overrides=[("staggered_covariates", "x")])
    listed = str(err.value).split("choose from ")[1]
    assert listed == ", ".join(repr(c) for c in UNIT_COVARIATES) + " ('' = none)"
    for method in get_args(DIDEstMethod):
        assert load_settings(overrides=[("staggered_est_method", method)]).staggered_est_method
    with pytest.raises(SettingsError, match="'dr', 'ipw', 'reg', not 'aipw'"):
        load_settings(overrides=[("staggered_est_method", "aipw")])
    assert set(RunSettings().staggered_covariates) <= set(UNIT_COVARIATES)


# --------------------------------------------------------------------------- findings

PLAIN = ef.EffectEstimate(estimate=2.5, se=1.0, ci_low=0.5, ci_high=4.5, pvalue=0.02, n_obs=90,
                          n_treated=8, n_clusters=30, method="CS")  # fmt: skip


def _adjusted(estimate: float) -> ef.EffectEstimate:
    return ef.EffectEstimate(
        estimate=estimate, se=1.1, ci_low=estimate - 2, ci_high=estimate + 2, pvalue=0.03,
        n_obs=90, n_treated=8, n_clusters=30, method="CS dr",
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["id", "en"])
def test_findings_say_whether_the_shift_is_small(lang):
    small = covariate_comparison_findings(
        PLAIN, _adjusted(2.9), covariates=["mismatch_share", "health"], est_method="dr", lang=lang
    )
    large = covariate_comparison_findings(
        PLAIN, _adjusted(3.1), covariates=["mismatch_share"], est_method="ipw", lang=lang
    )
    assert len(small) == len(large) == 1
    if lang == "id":
        assert "bergeser +0,40 poin IKM (kurang dari setengah galat baku)" in small[0]
        assert "(lebih dari setengah galat baku)" in large[0]
        assert "ketidaksesuaian kompetensi teknis, unit kesehatan; doubly robust" in small[0]
        assert "pembobotan skor kecenderungan (IPW)" in large[0]
        assert "IK 95%: 0,90 sampai 4,90" in small[0]
    else:
        assert "moves by +0.40 IKM points (less than half a standard error)" in small[0]
        assert "(more than half a standard error)" in large[0]
        assert "(technical mismatch, health unit; doubly robust)" in small[0]
    for text in small + large:  # no raw keys in the reader's text
        assert "mismatch_share" not in text and "_" not in text


def test_findings_count_the_units_without_covariate_data():
    out = covariate_comparison_findings(
        PLAIN,
        _adjusted(2.6),
        covariates=["mean_jpm", "health"],
        est_method="reg",
        lang="en",
        units_missing={"mean_jpm": 3, "health": 0},
    )
    assert out[1] == (
        "Units without covariate data (left out of the comparisons that need it): mean JPM 3."
    )
    assert "outcome regression" in out[0]
    none_missing = covariate_comparison_findings(
        PLAIN, _adjusted(2.6), covariates=["health"], est_method="dr", units_missing={"health": 0}
    )
    assert len(none_missing) == 1
    with pytest.raises(OptionError):
        covariate_comparison_findings(PLAIN, PLAIN, covariates=[], est_method="dr", lang="fr")
