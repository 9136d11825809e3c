"""One meaning of ``inference="auto"`` across the estimators, and the flagged event-time rows.

The rule (:func:`asn_analysis.stats.inference.headline_method`): with one treated unit the
headline interval and p-value are placebo-in-space permutation ones; with fewer than 42
clusters the wild cluster bootstrap's; otherwise CR1. CR1 is shown beside a bootstrap or
permutation headline (the second inference row). Event-time rows resting on one cohort are
flagged (``one_cohort``), noted, and never headlined (issue 14, part 4).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from asn_analysis import casestudy as cs
from asn_analysis import effects as ef
from asn_analysis.competency import fit_effects
from asn_analysis.data.schema import PREDIKAT
from asn_analysis.errors import OptionError
from asn_analysis.reporting.findings.effects import effect_sentence, event_time_sentence
from asn_analysis.stats.inference import HEADLINE_RULE, headline_first, headline_method
from asn_analysis.stats.intervals import FEW_CLUSTERS

FEW, MANY = 12, 50
assert FEW < FEW_CLUSTERS <= MANY


# ------------------------------------------------------------------------------ small data
def _panel(n_units: int, n_treated: int, *, seed: int = 0, periods: int = 6) -> pd.DataFrame:
    """Unit-period panel: the first ``n_treated`` units treated from period 3 (effect 2)."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        [(u, t) for u in range(n_units) for t in range(periods)], columns=["unit", "time"]
    )
    df["group"] = (df["unit"] < n_treated).astype(int)
    df["post"] = (df["time"] >= 3).astype(int)
    df["d"] = df["group"] * df["post"]
    df["y"] = (
        rng.normal(0, 1, n_units)[df["unit"]] + 0.3 * df["time"] + 2.0 * df["d"]
        + rng.normal(0, 0.5, len(df))
    )  # fmt: skip
    return df


def _fit_inputs(n_units: int, *, seed: int = 0, per_unit: int = 12):
    """JPM, mismatch and predikat of ``n_units`` units (no SKM: employee-level models only)."""
    rng = np.random.default_rng(seed)
    n = n_units * per_unit
    emp = [f"E{i:04d}" for i in range(n)]
    jpm = pd.DataFrame({
        "employee_id": emp,
        "unit_id": [f"U{i // per_unit:02d}" for i in range(n)],
        "job_type": rng.choice(["struktural", "fungsional"], n),
        "jpm_pct": rng.uniform(50, 100, n),
    })  # fmt: skip
    mis = pd.DataFrame({"employee_id": emp, "mismatch": rng.random(n) < 0.3})
    latent = 0.3 * jpm["jpm_pct"] / 10 - 1.0 * mis["mismatch"] + rng.logistic(size=n)
    codes = np.digitize(latent, [-1.0, 0.5, 1.5, 3.0])
    perf = pd.DataFrame({"employee_id": emp, "year": 2024,
                         "predikat": [PREDIKAT[c] for c in codes]})  # fmt: skip
    return jpm, mis, perf


def _did(n_units: int, n_treated: int):
    df = _panel(n_units, n_treated)
    return ef.did(df, outcome="y", treatment="group", post="post", unit="unit", time="time",
                  n_boot=199)  # fmt: skip


def _twfe(n_units: int, n_treated: int):
    df = _panel(n_units, n_treated)
    return ef.twfe(df, outcome="y", treatment="d", unit="unit", time="time", n_boot=199)


LINEAR = {"did": _did, "twfe": _twfe}


def _kinds(res: ef.EffectEstimate) -> list[str]:
    out = []
    for m in res.inference.index:
        out.append("wild" if m.startswith("wild") else
                   "permutation" if m.startswith("permutation") else
                   "cluster" if m.startswith("cluster-robust") else m)  # fmt: skip
    return out


def _headline_is_first_row(res: ef.EffectEstimate) -> None:
    first = res.inference.iloc[0]
    assert (res.ci_low, res.ci_high, res.pvalue) == (
        first["ci_low"],
        first["ci_high"],
        first["pvalue"],
    )
    assert res.headline == res.inference.index[0] == res.to_frame()["inference"].iloc[0]
    assert ef.compare([res])["inference"].iloc[0] == res.headline
    assert f"CI and p-value: {res.headline}" in res.summary()


# ------------------------------------------------------------------------------- the rule
def test_headline_method_is_the_one_rule():
    assert headline_method("auto", n_clusters=FEW_CLUSTERS - 1) == "wild"
    assert headline_method("auto", n_clusters=FEW_CLUSTERS) == "cluster"
    assert headline_method("auto", n_clusters=None) == "cluster"
    assert headline_method("auto", n_clusters=MANY, one_treated_unit=True) == "permutation"
    assert headline_method("cluster", n_clusters=FEW) == "cluster"
    assert headline_method("wild", n_clusters=MANY) == "wild"
    with pytest.raises(OptionError, match="inference"):
        headline_method("bootstrap", n_clusters=FEW)
    rows = [{"m": "CR1"}, {"m": "perm"}, {"m": "other"}]
    kinds = ["cluster", "permutation", "other"]
    assert [r["m"] for r in headline_first(rows, "permutation", kinds=kinds)] == [
        "perm", "CR1", "other"
    ]  # fmt: skip
    # No row of the headline kind (the bootstrap was not available): CR1 first.
    assert headline_first(rows[:1], "wild", kinds=["cluster"])[0]["m"] == "CR1"
    assert "42" in HEADLINE_RULE


@pytest.mark.parametrize("name", sorted(LINEAR))
def test_few_clusters_headline_is_the_wild_bootstrap_with_cr1_beside(name):
    res = LINEAR[name](FEW, FEW // 2)
    assert _kinds(res) == ["wild", "cluster"]
    _headline_is_first_row(res)
    # The SE stays the CR1 one (a bootstrap by test inversion has none).
    assert res.se == res.inference.iloc[1]["se"]
    row = ef.compare([res]).iloc[0]
    assert row["beside"] == res.inference.index[1]
    assert row["beside_ci_low"] == res.inference.iloc[1]["ci_low"]
    assert any(n.startswith("Headline interval and p-value: wild") for n in res.notes)
    assert "beside it" in res.summary()


@pytest.mark.parametrize("name", sorted(LINEAR))
def test_many_clusters_headline_is_cr1(name):
    res = LINEAR[name](MANY, MANY // 2)
    assert _kinds(res) == ["cluster"]
    _headline_is_first_row(res)
    assert "beside" not in ef.compare([res]).columns
    assert any(f"enough clusters, {MANY} >= 42" in n for n in res.notes)


@pytest.mark.parametrize("name", sorted(LINEAR))
@pytest.mark.parametrize("n_units", [FEW, MANY])
def test_one_treated_unit_headline_is_permutation_with_cr1_beside(name, n_units):
    res = LINEAR[name](n_units, 1)
    assert _kinds(res) == ["permutation", "cluster"]
    _headline_is_first_row(res)
    assert res.inference.iloc[0]["n_draws"] == n_units - 1


@pytest.mark.parametrize("n_units", [FEW, MANY])
def test_synthetic_control_one_treated_unit_is_permutation(n_units):
    df = _panel(n_units, 1)
    res = ef.synthetic_control(df, outcome="y", unit="unit", time="time", treated_unit=0,
                               treatment_start=3)  # fmt: skip
    assert res.headline.startswith("placebo-in-space")
    _headline_is_first_row(res)


def test_case_study_level_4_follows_the_rule():
    df = _panel(FEW, 1).rename(columns={"unit": "unit_id", "time": "period"})
    df["unit_id"] = [f"U{u:02d}" for u in df["unit_id"]]
    df["period"] = df["period"].map(dict(enumerate(
        ["2022-S1", "2022-S2", "2023-S1", "2023-S2", "2024-S1", "2024-S2"])))  # fmt: skip
    df["first_treated"] = np.where(df["unit_id"] == "U00", "2023-S2", None)
    res = cs.results_change(df, unit_id="U00", outcomes=["y"])["y"]
    assert _kinds(res["did"]) == ["permutation", "cluster"]
    assert res["synthetic_control"].headline.startswith("placebo-in-space")


@pytest.mark.parametrize(("n_units", "kinds"), [(FEW, ["wild", "cluster"]), (MANY, ["cluster"])])
def test_fit_effects_follows_the_rule(n_units, kinds):
    jpm, mis, perf = _fit_inputs(n_units)
    res = fit_effects(jpm, mis, perf, n_boot=199)
    for term in ("jpm_per_10", "mismatch"):
        rows = res.inference[(res.inference["model"] == "predikat_ordered_logit")
                             & (res.inference["term"] == term)]  # fmt: skip
        got = ["wild" if m.startswith("wild") else "cluster" for m in rows["method"]]
        assert got == kinds
        head = res.effect("predikat_ordered_logit", term)
        assert head["inference"] == rows["method"].iloc[0]
        assert head["ci_low"] == rows["ci_low"].iloc[0] and head["pvalue"] == rows["pvalue"].iloc[0]


# --------------------------------------------------------------------- downstream wording
def test_effect_sentence_labels_the_headline_and_shows_cr1_beside():
    few = _twfe(FEW, FEW // 2)
    en, idn = effect_sentence(few, what="E", lang="en"), effect_sentence(few, what="E", lang="id")
    assert "wild cluster bootstrap" in en and "CR1 beside it" in en
    assert "bootstrap klaster liar" in idn and "wild" not in idn and "CR1 sebagai pembanding" in idn
    perm = effect_sentence(_twfe(FEW, 1), what="E", lang="en")
    assert "placebo permutation test" in perm and "CR1 beside it" in perm
    many = effect_sentence(_twfe(MANY, MANY // 2), what="E", lang="en")
    assert "beside" not in many and "bootstrap" not in many


# ------------------------------------------------------------------- flagged event times
def _staggered(n_first: int) -> pd.DataFrame:
    """Cohort 3 (``n_first`` units) and cohort 5 (4 units), 12 never treated, periods 0-7:
    event times 3 and 4 rest on the first cohort alone."""
    rng = np.random.default_rng(3)
    n = n_first + 16
    df = pd.DataFrame([(u, t) for u in range(n) for t in range(8)], columns=["u", "t"])
    df["g"] = np.select([df["u"] < n_first, df["u"] < n_first + 4], [3.0, 5.0], np.nan)
    df["y"] = (rng.normal(0, 1, n)[df["u"]] + 0.2 * df["t"]
               + np.where(df["t"] >= df["g"], 1.0 + (df["t"] - df["g"]), 0.0)
               + rng.normal(0, 0.3, len(df)))  # fmt: skip
    return df


@pytest.mark.parametrize("method", ["cs", "twfe"])
def test_event_times_on_one_treated_unit_are_flagged_noted_and_not_headlined(method):
    study = ef.event_study(_staggered(1), outcome="y", unit="u", time="t", first_treated="g",
                           method=method)  # fmt: skip
    table = study.table
    assert table.index[table["one_treated_unit"]].tolist() == [3, 4]
    assert (table.loc[[3, 4], "n_treated"] == 1).all()
    assert not table.loc[-1, "one_treated_unit"]  # the reference period is not an estimate
    assert any(n.startswith("Event time(s) 3, 4 rest on one treated unit") for n in study.notes)
    assert study.headline_rows().index.tolist() == [0, 1, 2]
    text = event_time_sentence(study, lang="en")
    assert "Not stated: event time 3, 4 rests on a single treated unit" in text
    stated = text.split("Not stated")[0]
    assert "3: " not in stated and "4: " not in stated and "2: " in stated
    assert "satu unit yang dilatih" in event_time_sentence(study, lang="id")


def test_no_flag_when_every_event_time_has_two_treated_units():
    study = ef.event_study(_staggered(2), outcome="y", unit="u", time="t", first_treated="g")
    assert not study.table["one_treated_unit"].any()
    assert not any("rest on one treated unit" in n for n in study.notes)
    assert "Not stated" not in event_time_sentence(study, lang="en")
    assert study.headline_rows().index.tolist() == [0, 1, 2, 3, 4]
