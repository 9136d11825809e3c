"""Periods of every kind (issue 12, item 5): the model, the loader's pooling, and the analyses.

The model (asn_analysis.data.periods) orders periods by date and coarsens quarters to
semesters or years. The loader pools SKM periods of mixed kinds to the coarsest one and refuses
to pool a staff survey when that would merge a person's rows. The analyses run on all-quarter
and all-year SKM data built from the bundled data (each semester's respondents split by row
into its two quarters, or relabelled to its year): pooling the quarters back gives exactly the
canonical semester IKM.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest
from conftest import read, write

from asn_analysis import casestudy as cs
from asn_analysis import effects as ef
from asn_analysis import load_dataset
from asn_analysis.data.periods import (
    PeriodError,
    coarsen,
    coarsest_kind,
    is_period,
    ordered_times,
    period_end,
    period_kind,
    period_number,
    period_of,
    period_start,
    sort_periods,
)
from asn_analysis.effects import EffectInputError
from asn_analysis.errors import AsnAnalysisError
from asn_analysis.satisfaction import element_change, ikm

# ----------------------------------------------------------------- the model


def test_order_is_by_date_not_text():
    mixed = ["2024-Q2", "2024", "2024-S1", "2024-Q1", "2023-S2", "2023", "2024-S2", "2024-Q4"]
    assert sort_periods(mixed) == [
        "2023", "2023-S2", "2024-Q1", "2024-S1", "2024", "2024-Q2", "2024-S2", "2024-Q4",
    ]  # fmt: skip
    assert sorted(["2024-S1", "2024-Q2"]) == ["2024-Q2", "2024-S1"]  # text order is wrong
    assert sort_periods(["2024-S1", "2024-Q2"]) == ["2024-S1", "2024-Q2"]
    assert sort_periods(pd.Series(["2025-Q1", None, "2024-Q4", "2025-Q1"])) == [
        "2024-Q4", "2025-Q1",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2024-Q1", "2024-01-01", "2024-03-31"),
        ("2024-Q2", "2024-04-01", "2024-06-30"),
        ("2024-Q3", "2024-07-01", "2024-09-30"),
        ("2024-Q4", "2024-10-01", "2024-12-31"),
        ("2024-S1", "2024-01-01", "2024-06-30"),
        ("2024-S2", "2024-07-01", "2024-12-31"),
        ("2024", "2024-01-01", "2024-12-31"),
    ],
)
def test_start_and_end_dates(period, start, end):
    assert period_start(period) == pd.Timestamp(start)
    assert period_end(period) == pd.Timestamp(end)
    series = pd.Series([period, None])
    assert period_start(series).iloc[0] == pd.Timestamp(start) and period_end(series).isna()[1]


def test_coarsen():
    quarters = pd.Series(["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", None])
    assert coarsen(quarters, "semester").tolist()[:4] == [
        "2024-S1",
        "2024-S1",
        "2024-S2",
        "2024-S2",
    ]
    assert coarsen(quarters, "year").tolist()[:4] == ["2024"] * 4
    assert pd.isna(coarsen(quarters, "year").iloc[4])
    assert coarsen(pd.Series(["2023-S2", "2024"]), "year").tolist() == ["2023", "2024"]
    assert coarsen(pd.Series(["2024-Q3"]), "quarter").tolist() == ["2024-Q3"]
    with pytest.raises(PeriodError, match="2024 cannot be split into semesters"):
        coarsen(pd.Series(["2024", "2024-S1"]), "semester")
    with pytest.raises(PeriodError, match="not a period"):
        coarsen(pd.Series(["2024-X1"]), "year")
    with pytest.raises(AsnAnalysisError, match="kind must be one of"):
        coarsen(quarters, "month")


def test_period_of_dates():
    dates = pd.Series(pd.to_datetime(["2024-03-31", "2024-04-01", "2024-07-01", None]))
    assert period_of(dates, "quarter").tolist()[:3] == ["2024-Q1", "2024-Q2", "2024-Q3"]
    assert period_of(dates, "semester").tolist()[:3] == ["2024-S1", "2024-S1", "2024-S2"]
    assert period_of(dates, "year").tolist()[:3] == ["2024"] * 3
    assert pd.isna(period_of(dates, "year").iloc[3])
    assert cs.semester(dates.iloc[:3]).tolist() == ["2024-S1", "2024-S1", "2024-S2"]


def test_kinds_and_steps():
    assert period_kind(pd.Series(["2024-Q1", "2024-S1", "2024"])).tolist() == [
        "quarter", "semester", "year",
    ]  # fmt: skip
    assert coarsest_kind(["2024-Q1", "2024"]) == "year" and coarsest_kind([]) is None
    steps = period_number(pd.Series(["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"])).diff()
    assert steps.iloc[1:].tolist() == [1, 1, 1]
    assert period_number(pd.Series(["2023", "2025"])).diff().iloc[1] == 2
    with pytest.raises(PeriodError, match="different kinds"):
        period_number(pd.Series(["2024-Q1", "2024-S2"]))
    assert is_period("2024-Q4") and not is_period("2024-Q5") and not is_period("2024-S3")


def test_ordered_times_of_estimators():
    assert ordered_times(["2024-S1", "2024-Q2", "2023"]) == ["2023", "2024-S1", "2024-Q2"]
    assert ordered_times([3, 1, 2, 1]) == [1, 2, 3]


# ----------------------------------------------------------------- the loader


def split_quarters(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Relabel each semester's rows as its two quarters: the first half of each group by row
    order to Q1 (Q3), the rest to Q2 (Q4)."""
    out = frame.copy()
    grp = out.groupby([*by, "period"], sort=False)
    second = grp.cumcount() >= grp["period"].transform("size") / 2
    first_half = out["period"].str.endswith("S1")
    quarter = np.where(first_half, np.where(second, "Q2", "Q1"), np.where(second, "Q4", "Q3"))
    out["period"] = out["period"].str[:4] + "-" + quarter
    return out


def test_mixed_skm_kinds_are_pooled_to_semesters_with_a_note(mini):
    canonical = load_dataset(mini)
    skm = read(mini, "skm_responses")
    in_2022 = skm["unit_id"].eq("U01")  # U01 surveyed per quarter, the others per semester
    assert 0 < in_2022.sum() < len(skm)
    skm.loc[in_2022] = split_quarters(skm[in_2022], ["unit_id"])
    assert skm["period"].str.contains("Q").sum() == in_2022.sum() > 0
    write(mini, "skm_responses", skm)
    loaded = load_dataset(mini)
    pd.testing.assert_frame_equal(canonical.skm_responses, loaded.skm_responses)
    [note] = [n for n in loaded.notes if "mixes" in n]
    assert note.startswith(
        f"skm_responses.period mixes quarters and semesters: {int(in_2022.sum()):,} rows of "
        "2022-Q1..2022-Q2 aggregated to semesters"
    )


def test_all_quarter_skm_loads_as_quarters(mini):
    skm = read(mini, "skm_responses")
    write(mini, "skm_responses", split_quarters(skm, ["unit_id"]))
    loaded = load_dataset(mini)
    assert set(period_kind(loaded.skm_responses["period"])) == {"quarter"}
    assert not any("mixes" in n for n in loaded.notes)


def test_mixed_staff_survey_that_would_merge_a_person_is_kept_and_says_why(mini):
    survey = read(mini, "staff_survey")
    first = survey["period"] == "2023-S2"
    q3 = survey[first].assign(period="2023-Q3")
    q4 = survey[first].assign(period="2023-Q4")  # the same persons again a quarter later
    write(mini, "staff_survey", pd.concat([q3, q4, survey[~first]], ignore_index=True))
    loaded = load_dataset(mini)
    [note] = [n for n in loaded.notes if "mixes" in n]
    assert note.startswith(
        f"staff_survey.period mixes quarters and semesters: not aggregated to semesters, as "
        f"{int(first.sum()):,} persons have more than one row within 2023-S2"
    )
    assert not re.search(r"\d{18}", " ".join(loaded.notes))  # never a NIP
    assert sort_periods(loaded.staff_survey["period"]) == ["2023-Q3", "2023-Q4", "2025-S1"]
    assert len(loaded.staff_survey) == len(survey) + int(first.sum())  # nothing merged, dropped


def test_mixed_staff_survey_without_merging_is_pooled(mini):
    canonical = load_dataset(mini)
    survey = read(mini, "staff_survey")
    survey.loc[survey["period"] == "2023-S2", "period"] = "Triwulan IV 2023"
    write(mini, "staff_survey", survey)
    loaded = load_dataset(mini)
    pd.testing.assert_frame_equal(canonical.staff_survey, loaded.staff_survey)
    assert any(
        n.startswith("staff_survey.period mixes quarters and semesters") for n in loaded.notes
    )


# ----------------------------------------------------------------- the analyses


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def quarterly(ds):
    return dataclasses.replace(ds, skm_responses=split_quarters(ds.skm_responses, ["unit_id"]))


@pytest.fixture(scope="module")
def yearly(ds):
    skm = ds.skm_responses
    return dataclasses.replace(ds, skm_responses=skm.assign(period=skm["period"].str[:4]))


@pytest.fixture(scope="module")
def cohorts(ds):
    return cs.rollout_cohorts(ds.training, ds.employees)


def test_pooling_quarters_gives_exactly_the_semester_ikm(ds, quarterly):
    q = quarterly.skm_responses
    pooled = ikm(q.assign(period=coarsen(q["period"], "semester")), by=["unit_id", "period"])
    pd.testing.assert_frame_equal(pooled, ikm(ds.skm_responses, by=["unit_id", "period"]))
    per_quarter = ikm(q, by="period")
    assert sort_periods(per_quarter["period"]) == per_quarter["period"].tolist()
    assert len(per_quarter) == 16 and per_quarter["ikm_converted"].between(70, 90).all()


def test_ikm_trend_and_change_per_quarter_and_year(quarterly, yearly):
    from asn_analysis.reporting.summaries import summarize_satisfaction

    sat = summarize_satisfaction(quarterly, n_boot=20)
    assert (sat.first_period, sat.period) == ("2022-Q1", "2025-Q4")
    assert sat.regency["period"].tolist() == sort_periods(quarterly.skm_responses["period"])
    sat_y = summarize_satisfaction(yearly, n_boot=20)
    assert (sat_y.first_period, sat_y.period) == ("2022", "2025")
    change = element_change(yearly.skm_responses, before="2022", after="2025", by=None)
    assert np.isfinite(change["diff"]).all() and (change["n_before"] > 0).all()


def test_effects_panel_lines_training_dates_up_with_quarters(quarterly, cohorts):
    panel = cs.ikm_panel(quarterly.skm_responses, cohorts=cohorts)
    first = panel.dropna(subset=["first_treated"]).groupby("unit_id")["first_treated"].first()
    starts = cohorts.set_index("unit_id")["first_start"]
    assert (first == period_of(starts[first.index], "quarter")).all()
    assert set(period_kind(first)) == {"quarter"}
    treated = panel["first_treated"].notna()
    started = period_start(panel["period"]) >= period_start(panel["first_treated"].fillna("1900"))
    assert (panel["treated"].astype(bool) == (treated & started)).all()
    u01 = panel[panel["unit_id"] == "U01"].set_index("period")["event_time"]
    assert u01[first["U01"]] == 0 and u01.diff().dropna().eq(1).all()


@pytest.mark.parametrize("kind", ["quarter", "year"])
def test_effect_estimators_run_on_quarters_and_years(kind, quarterly, yearly, ds, cohorts):
    data = quarterly if kind == "quarter" else yearly
    panel = cs.ikm_panel(data.skm_responses, cohorts=cohorts)
    kw = {"outcome": "ikm_converted", "unit": "unit_id", "time": "period"}
    stag = ef.staggered_did(panel, first_treated="first_treated", **kw)
    base = ef.staggered_did(cs.ikm_panel(ds.skm_responses, cohorts=cohorts),
                            first_treated="first_treated", **kw)  # fmt: skip
    assert stag.ci_low < base.ci_high and base.ci_low < stag.ci_high  # consistent with semesters
    assert stag.estimate > 0
    if kind == "year":  # whole years hold the generator's semesters: the truth is covered
        assert stag.ci_low < ds.ground_truth["ikm_effect"]["att_overall"] < stag.ci_high
    naive = ef.before_after(panel, first_treated="first_treated", **kw)
    twfe = ef.twfe(panel, treatment="treated", n_boot=49, seed=1, **kw)
    assert np.isfinite([naive.estimate, twfe.estimate]).all() and twfe.estimate > 0


def test_case_study_per_quarter(quarterly):
    case = cs.case_study(quarterly)
    assert case.unit_id == "U01" and period_kind(pd.Series([case.first_treated]))[0] == "quarter"
    assert case.results and all(np.isfinite(r["did"].estimate) for r in case.results.values())


def test_mixed_kinds_in_a_panel_and_coarser_cohorts_are_clear_errors(quarterly, cohorts):
    mixed = quarterly.skm_responses.copy()
    mixed.loc[mixed["period"] == "2022-Q1", "period"] = "2022-S1"
    with pytest.raises(PeriodError, match="different kinds"):
        cs.ikm_panel(mixed, cohorts=cohorts)
    with pytest.raises(
        EffectInputError, match="first_treated per semester, the survey per quarter"
    ):
        cs.ikm_panel(quarterly.skm_responses, cohorts=cohorts.drop(columns="first_start"))
    # finer cohorts than the survey are coarsened
    yearly_panel = cs.ikm_panel(
        quarterly.skm_responses.assign(period=coarsen(quarterly.skm_responses["period"], "year")),
        cohorts=cohorts.drop(columns="first_start"),
    )
    assert set(yearly_panel["first_treated"].dropna()) == {"2024", "2025"}


def test_collect_and_export_per_quarter(quarterly, tmp_path):
    from asn_analysis.reporting import export
    from asn_analysis.reporting.summaries import collect

    results = collect(quarterly, n_boot=20)
    assert not results.skipped
    assert results.satisfaction.period == "2025-Q4"
    assert set(results.effects) == {"before_after", "twfe", "staggered"}
    written = export.export_findings(results, tmp_path, lang="en")
    assert all(p.exists() for p in written.paths())
    ikm_sheet = export.sheets(results, [], lang="en")["ikm"]
    assert ikm_sheet.filter(like="eriod").iloc[:, 0].str.contains("Q").all()


def test_segments_use_the_latest_year_of_any_kind(quarterly, ds):
    from asn_analysis.segments import unit_features

    q = unit_features(quarterly)
    pd.testing.assert_series_equal(q["ikm"], unit_features(ds)["ikm"])


def test_reference_period_as_people_write_it(ds, quarterly):
    from asn_analysis.errors import OptionError
    from asn_analysis.reporting.summaries import summarize_satisfaction

    assert summarize_satisfaction(ds, period="Semester I 2024", n_boot=10).period == "2024-S1"
    assert summarize_satisfaction(ds, period="TW3 2024", n_boot=10).period == "2024-S2"
    assert summarize_satisfaction(quarterly, period="2024-Q3", n_boot=10).period == "2024-Q3"
    with pytest.raises(OptionError, match="period must be one of"):
        summarize_satisfaction(quarterly, period="2024", n_boot=10)  # a year holds 4 quarters


def test_ikm_trend_heatmap_orders_periods_by_date():
    import matplotlib.pyplot as plt

    from asn_analysis.reporting.plots import ikm_trend

    units = pd.DataFrame(
        {"unit_name": ["A"] * 3, "period": ["2024-S1", "2024-Q2", "2023"],
         "ikm_converted": [80.0, 81.0, 79.0]}
    )  # fmt: skip
    ax = ikm_trend(units, lang="en")
    labels = [t.get_text() for t in ax.get_xticklabels()]
    plt.close(ax.figure)
    assert labels == ["2023", "2024-S1", "2024-Q2"]


@pytest.mark.parametrize(
    "label",
    ["2024", "2024-S1", "2024-S2", "2024-S3", "2024-Q1", "2024-Q4", "2024-Q5", " 2024-S1 ",
     "24-S1", "2024-S1x", "2024-s1", "2024-H1", "", "2024-"],
)  # fmt: skip
def test_is_period_agrees_with_the_vectorised_rule(label):
    """is_period (one label, fast) says what period_key (the frame rule) accepts."""
    from asn_analysis.data.periods import PeriodError, is_period, period_key

    try:
        accepted = bool(period_key(pd.Series([label])).notna().all())
    except PeriodError:
        accepted = False
    assert is_period(label) is accepted
