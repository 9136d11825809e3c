import pytest

from asn_analysis import load_dataset
from asn_analysis.reporting import findings, summaries


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def sat(ds):
    return summaries.summarize_satisfaction(ds, n_boot=200, seed=3)


@pytest.fixture(scope="module")
def res(ds):
    return summaries.summarize_resistance(ds)


def test_satisfaction_summary_tables(ds, sat):
    assert sat.period == "2025-S2" and sat.first_period == "2022-S1"
    assert set(sat.regency["period"]) == set(ds.skm_responses["period"])
    assert (
        sat.weakest["unit_id"].nunique()
        == ds.skm_responses.query("period == @sat.period")["unit_id"].nunique()
    )
    assert (sat.units["ikm_converted_ci_low"] <= sat.units["ikm_converted"]).all()
    assert "ikm_converted" in set(sat.change["element"])


def test_satisfaction_summary_is_deterministic(ds, sat):
    again = summaries.summarize_satisfaction(ds, n_boot=200, seed=3)
    assert again.units.equals(sat.units)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_satisfaction_findings_state_numbers_with_ci(sat, lang):
    text = findings.satisfaction_findings(sat, lang=lang)
    reg = sat.regency.set_index("period").loc[sat.period]
    value = f"{reg['ikm_converted']:.2f}"
    low = f"{reg['ikm_converted_ci_low']:.1f}"
    if lang == "id":
        value, low = value.replace(".", ","), low.replace(".", ",")
    assert value in text[0] and low in text[0]
    assert ("IK 95%" if lang == "id" else "95% CI") in text[0]


def test_unknown_period_is_an_error(ds):
    with pytest.raises(ValueError, match="2030-S1"):
        summaries.summarize_satisfaction(ds, period="2030-S1", n_boot=10)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_resistance_findings(res, lang):
    text = findings.resistance_findings(res, lang=lang)
    coef = res.drivers.table.loc["transparency", "coef"]
    shown = f"{coef:.2f}".replace(".", ",") if lang == "id" else f"{coef:.2f}"
    assert shown in text[1]
    assert any(("sedikit" if lang == "id" else "Few units") in s for s in text)


def test_resistance_summary_suppresses_small_unit_groups(res):
    small = res.by_unit[res.by_unit["n"] < 5]
    assert small["suppressed"].all() and small["mean"].isna().all()


def test_small_agency_data_reports_what_it_cannot_estimate(mini_source, tmp_path):
    """A regency of six units: estimators that need more clusters say so; nothing raises."""
    from asn_analysis.data import load_dataset
    from asn_analysis.reporting.brief import brief, failed_lines
    from asn_analysis.reporting.coverage import ANALYSES
    from asn_analysis.reporting.export import export_findings
    from asn_analysis.reporting.summaries import collect

    results = collect(load_dataset(mini_source), n_boot=20)
    assert results.failed, "the mini data is expected to be too small for some estimator"
    for key, reason in results.failed.items():
        assert reason and "\n" not in reason
        assert key in {a.key for a in ANALYSES}
    for lang in ("id", "en"):
        sections = {s.key: s for s in brief(results, lang=lang)}
        lines = sections["not_analysed"].findings
        for line in failed_lines(results.failed, lang=lang):
            assert line in lines
    files = export_findings(results, tmp_path / "out", lang="en")
    text = files.brief_md.read_text(encoding="utf-8")
    assert "the data cannot support it" in text
