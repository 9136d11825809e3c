"""Compute once per run (issue 15): the cache misses on every change; a hit equals a recompute."""

import datetime as dt
import pickle
import shutil
from pathlib import Path

import pandas as pd
import pytest

from asn_analysis import cache as cache_module
from asn_analysis import competency, load_dataset, segments
from asn_analysis.cache import CACHE_ENV_VAR, COSTLY, RunCache, content_hash, package_digest
from asn_analysis.data import bundled_data_path
from asn_analysis.reporting import summaries
from asn_analysis.reporting.summaries import collect

IKM = ("units", "skm_responses")
OTHER_SALT = "9d1e7c3b5a0f8e2d4c6b1a9f7e3d5c0b8a2f4e6d1c9b7a5e3f0d2c4b6a8e1f3d"
TODAY = dt.date(2026, 12, 1)


def copy_tables(dest: Path, tables=IKM) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for t in tables:
        shutil.copy(bundled_data_path() / f"{t}.csv", dest / f"{t}.csv")
    return dest


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.pkl"))


@pytest.fixture()
def store(tmp_path) -> RunCache:
    return RunCache(tmp_path / "cache")


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


# ----------------------------------------------------------------- the dataset


def test_a_dataset_is_loaded_once_and_read_back_equal(tmp_path, store):
    folder = copy_tables(tmp_path / "data")
    first = store.load_dataset(folder, today=TODAY)
    again = RunCache(store.folder).load_dataset(folder, today=TODAY)  # e.g. a notebook
    assert store.stats["load_dataset"] == {"hits": 0, "misses": 1}
    assert content_hash(again) == content_hash(first)
    assert content_hash(again) == content_hash(load_dataset(folder, today=TODAY))
    assert again.is_synthetic and len(entries(store.folder)) == 1


def test_a_changed_input_file_misses_and_a_touched_one_hits(tmp_path, store):
    folder = copy_tables(tmp_path / "data")
    store.load_dataset(folder, today=TODAY)
    path = folder / "units.csv"
    path.touch()  # a new date, the same bytes: content-addressed, so still a hit
    store.load_dataset(folder, today=TODAY)
    assert store.stats["load_dataset"] == {"hits": 1, "misses": 1}
    units = pd.read_csv(path, dtype=str, keep_default_na=False)
    units.loc[0, "unit_name"] = "Dinas Baru"
    units.to_csv(path, index=False)
    changed = store.load_dataset(folder, today=TODAY)
    assert store.stats["load_dataset"] == {"hits": 1, "misses": 2}
    assert changed.units.loc[0, "unit_name"] == "Dinas Baru" and not changed.is_synthetic


def test_an_added_table_file_misses(tmp_path, store):
    folder = copy_tables(tmp_path / "data")
    store.load_dataset(folder, today=TODAY)
    copy_tables(folder, ("employees",))
    assert store.load_dataset(folder, today=TODAY).employees is not None
    assert store.stats["load_dataset"]["misses"] == 2


def test_a_changed_salt_misses(tmp_path, store, monkeypatch):
    folder = copy_tables(tmp_path / "data", ("units", "employees"))
    (folder / "units.csv").write_text(
        (folder / "units.csv").read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8"
    )  # now real data: keyed by the secret salt
    first = store.load_dataset(folder, today=TODAY)
    monkeypatch.setenv("ASN_ANALYSIS_SALT", OTHER_SALT)
    second = store.load_dataset(folder, today=TODAY)
    assert store.stats["load_dataset"] == {"hits": 0, "misses": 2}
    assert set(first.employees["employee_id"]).isdisjoint(second.employees["employee_id"])
    store.load_dataset(folder, salt=OTHER_SALT, today=TODAY)  # the argument counts too
    assert store.stats["load_dataset"]["misses"] == 3


def test_the_salt_itself_is_never_written(tmp_path, store, monkeypatch):
    monkeypatch.setenv("ASN_ANALYSIS_SALT", OTHER_SALT)
    folder = copy_tables(tmp_path / "data")
    (folder / "units.csv").write_bytes((folder / "units.csv").read_bytes() + b"\n")
    store.load_dataset(folder, today=TODAY)
    for path in store.folder.rglob("*"):
        assert OTHER_SALT not in path.name
        if path.is_file():
            assert OTHER_SALT.encode() not in path.read_bytes()


def test_a_changed_column_mapping_misses(tmp_path, store):
    folder = copy_tables(tmp_path / "data")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[units]\n"Kode" = "unit_id"\n', encoding="utf-8")
    store.load_dataset(folder, columns=mapping, today=TODAY)
    store.load_dataset(folder, columns=mapping, today=TODAY)
    mapping.write_text('[units]\n"Kode OPD" = "unit_id"\n', encoding="utf-8")
    store.load_dataset(folder, columns=mapping, today=TODAY)
    store.load_dataset(folder, today=TODAY)  # no mapping at all
    assert store.stats["load_dataset"] == {"hits": 1, "misses": 3}


def test_a_changed_run_date_or_option_misses(tmp_path, store):
    folder = copy_tables(tmp_path / "data")
    store.load_dataset(folder, today=TODAY)
    store.load_dataset(folder, today=TODAY + dt.timedelta(days=1))
    store.load_dataset(folder, today=TODAY, on_error="quarantine")
    assert store.stats["load_dataset"] == {"hits": 0, "misses": 3}


def test_a_changed_package_misses(tmp_path, store, monkeypatch, ds):
    folder = copy_tables(tmp_path / "data")
    args = (ds.competency_assessments, ds.competency_standards, ds.employees)
    store.load_dataset(folder, today=TODAY)
    store.call(competency.competency_gaps, *args)
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    package_digest.cache_clear()
    try:
        store.load_dataset(folder, today=TODAY)
        store.call(competency.competency_gaps, *args)
    finally:
        package_digest.cache_clear()
    assert store.stats["load_dataset"]["misses"] == 2
    assert store.stats["competency_gaps"] == {"hits": 0, "misses": 2}


def test_invalid_data_is_never_stored(tmp_path, store):
    folder = copy_tables(tmp_path / "data")
    (folder / "skm_responses.csv").write_text("unit_id\nU01\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(Exception, match="skm_responses"):
            store.load_dataset(folder, today=TODAY)
    assert entries(store.folder) == []


def test_entries_are_private_to_their_owner(store):
    store.call(sum, [1, 2])
    (entry,) = entries(store.folder)
    assert entry.stat().st_mode & 0o077 == 0
    assert store.folder.stat().st_mode & 0o077 == 0 and entry.parent.stat().st_mode & 0o077 == 0


def test_the_stored_dataset_holds_no_nip_or_name(mini_source, store):
    raw = pd.read_csv(mini_source / "employees.csv", dtype=str, keep_default_na=False)
    store.load_dataset(mini_source, today=TODAY)
    (entry,) = entries(store.folder)
    blob = entry.read_bytes()
    assert not any(nip.encode() in blob for nip in raw["nip"])
    assert not any(name.encode() in blob for name in raw["name"])


# ----------------------------------------------------------------- results


def test_a_hit_equals_the_recomputed_result(store, ds):
    args = (ds.competency_assessments, ds.competency_standards, ds.employees)
    jpm = store.call(competency.job_person_match, *args, as_of="2025-06-30")
    hit = store.call(competency.job_person_match, *args, as_of="2025-06-30")
    fresh = competency.job_person_match(*args, as_of="2025-06-30")
    assert store.stats["job_person_match"] == {"hits": 1, "misses": 1}
    assert content_hash(hit) == content_hash(jpm) == content_hash(fresh)
    pd.testing.assert_frame_equal(hit, fresh)
    pd.testing.assert_frame_equal(hit.attrs["excluded"], fresh.attrs["excluded"])


def test_a_result_with_read_only_mappings_is_stored_and_read_back(store, ds):
    args = (ds.competency_assessments, ds.competency_standards, ds.employees)
    jpm = competency.job_person_match(*args, as_of="2025-06-30")
    mis = competency.mismatches(competency.competency_gaps(*args, as_of="2025-06-30"), ds.employees)
    kw = {"n_boot": 49, "seed": 2}
    first = store.call(competency.fit_effects, jpm, mis, ds.performance, ds.skm_responses, **kw)
    hit = store.call(competency.fit_effects, jpm, mis, ds.performance, ds.skm_responses, **kw)
    assert store.stats["fit_effects"] == {"hits": 1, "misses": 1}
    assert type(hit.n_obs) is type(first.n_obs) and dict(hit.n_obs) == dict(first.n_obs)
    pd.testing.assert_frame_equal(hit.to_frame(), first.to_frame())
    assert content_hash(hit) == content_hash(first)


def test_seeded_results_hit_equal_and_a_changed_seed_misses(store, ds):
    kw = {"n_boot": 30, "seed": 3}
    first = store.call(summaries.summarize_satisfaction, ds, **kw)
    hit = store.call(summaries.summarize_satisfaction, ds, **kw)
    fresh = summaries.summarize_satisfaction(ds, **kw)
    assert content_hash(hit) == content_hash(first) == content_hash(fresh)
    store.call(summaries.summarize_satisfaction, ds, n_boot=30, seed=4)
    store.call(summaries.summarize_satisfaction, ds, n_boot=31, seed=3)
    assert store.stats["summarize_satisfaction"] == {"hits": 1, "misses": 3}


@pytest.mark.filterwarnings("ignore::asn_analysis.scales.InsufficientAnswersWarning")
def test_defaults_are_part_of_the_key(store, ds):
    feats = segments.employee_features(ds)
    kw = {"features": segments.EMPLOYEE_FEATURES, "k": 3, "seed": 0}
    store.call(segments.segment, feats, n_boot=0, **kw)
    store.call(segments.segment, feats, n_boot=0, method="kmeans", **kw)  # the default
    assert store.stats["segment"] == {"hits": 1, "misses": 1}


def test_changed_argument_content_misses(store, ds):
    gaps = competency.competency_gaps(
        ds.competency_assessments, ds.competency_standards, ds.employees
    )
    store.call(competency.mismatches, gaps, ds.employees)
    store.call(competency.mismatches, gaps.copy(), ds.employees.copy())  # equal content: hit
    store.call(competency.mismatches, gaps.iloc[:-1], ds.employees)
    assert store.stats["mismatches"] == {"hits": 1, "misses": 1 + 1}


def test_a_dataset_changed_in_shape_is_hashed_not_trusted(tmp_path, store):
    folder = copy_tables(tmp_path / "data")
    loaded = store.load_dataset(folder, today=TODAY)
    store.call(summaries.summarize_satisfaction, loaded, n_boot=10)
    object.__setattr__(loaded, "skm_responses", loaded.skm_responses.iloc[:-50])
    store.call(summaries.summarize_satisfaction, loaded, n_boot=10)
    assert store.stats["summarize_satisfaction"] == {"hits": 0, "misses": 2}


def test_a_result_holding_nip_or_names_is_never_written(store):
    def identified(n):
        return {"rows": pd.DataFrame({"nip": ["198001012005011001"] * n, "x": range(n)})}

    assert len(store.call(identified, 2)["rows"]) == 2
    store.call(identified, 2)
    assert store.stats["identified"] == {"hits": 0, "misses": 2, "refused": 2}
    assert entries(store.folder) == []


def test_a_damaged_entry_is_a_miss(store):
    store.call(sum, [1, 2])
    (entry,) = entries(store.folder)
    entry.write_bytes(b"not a pickle")
    assert store.call(sum, [1, 2]) == 3
    assert store.stats["sum"] == {"hits": 0, "misses": 2}
    assert pickle.loads(entry.read_bytes()) == 3  # rewritten


def test_a_disabled_cache_computes_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv(CACHE_ENV_VAR, raising=False)
    off = RunCache.from_env()
    assert not off.enabled and off.module(competency) is competency
    assert off.call(sum, [1, 2]) == 3 and off.stats == {}
    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path / "c"))
    on = RunCache.from_env()
    assert on.enabled and on.folder == tmp_path / "c"


def test_module_caches_only_the_costly_functions(store):
    cp = store.module(competency)
    assert cp.job_person_match is not competency.job_person_match
    assert cp.unit_gaps is competency.unit_gaps
    assert cp.CompetencyInputError is competency.CompetencyInputError
    assert set(COSTLY["asn_analysis.competency"]) <= set(competency.__all__)


def test_content_hash_tells_types_and_values_apart():
    a = pd.DataFrame({"x": [1, 2], "y": ["a", "b"]})
    assert content_hash(a) == content_hash(pickle.loads(pickle.dumps(a)))
    assert content_hash(a) != content_hash(a.astype({"x": float}))
    assert content_hash(a) != content_hash(a.rename(columns={"y": "z"}))
    assert content_hash(a) != content_hash(a.set_axis([5, 6]))
    b = a.copy()
    b.attrs["note"] = "changed"
    assert content_hash(a) != content_hash(b)
    mixed = pd.DataFrame({"v": pd.Series([1, "1"], dtype=object)})
    strings = pd.DataFrame({"v": pd.Series(["1", "1"], dtype=object)})
    assert content_hash(mixed) != content_hash(strings)  # pandas alone would hash 1 as "1"
    assert content_hash([1, 2]) != content_hash((1, 2)) != content_hash({1: 2})


# ----------------------------------------------------------------- the export


#: The analysis keys of ``Results.failed`` -> the cached function behind each.
FUNCTIONS = {
    "fit_effects": {"fit_effects"},
    "effects": {"twfe", "staggered_did"},
    "segments": {"segment"},
    "satisfaction": {"summarize_satisfaction"},
    "resistance": {"summarize_resistance"},
    "case": {"case_study"},
}


def test_collect_reads_back_what_was_computed_and_agrees(mini_source, store):
    data = store.load_dataset(mini_source)
    first = collect(data, n_boot=20, cache=store)
    misses = {k: v["misses"] for k, v in store.stats.items() if k != "load_dataset"}
    assert misses and all(v >= 1 for v in misses.values())
    again = collect(RunCache(store.folder).load_dataset(mini_source), n_boot=20, cache=store)
    recomputed = {
        k for k, v in store.stats.items() if k != "load_dataset" and v["hits"] < misses[k]
    }
    # only what an estimator refused (an error is never stored) is computed again
    refused = {name for key in first.failed for name in FUNCTIONS[key]}
    assert recomputed <= refused, (store.stats, first.failed)
    assert store.stats["job_person_match"]["hits"] == 1
    plain = collect(load_dataset(mini_source), n_boot=20)  # no cache at all
    for part in ("satisfaction", "resistance", "competency", "effects", "case", "segments"):
        assert content_hash(getattr(again, part)) == content_hash(getattr(plain, part)), part
        assert content_hash(getattr(first, part)) == content_hash(getattr(plain, part)), part
    assert again.failed == plain.failed and again.skipped == plain.skipped


# ----------------------------------------------------------------- processes share one store

SHARED = """
import sys, time
from asn_analysis.cache import RunCache

def slow_double(x):
    time.sleep(1.5)  # long enough for the other process to ask meanwhile
    return 2 * x

print(RunCache(sys.argv[1]).call(slow_double, 21))
"""


def test_two_processes_asking_at_once_compute_an_entry_once(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "shared.py"
    script.write_text(SHARED, encoding="utf-8")
    store = tmp_path / "store"
    procs = [
        subprocess.Popen([sys.executable, str(script), str(store)], stdout=subprocess.PIPE)
        for _ in range(2)
    ]
    printed = [p.communicate(timeout=120)[0].decode().strip() for p in procs]
    assert printed == ["42", "42"]
    ledger = RunCache(store).ledger()
    assert [name for name, _, _ in ledger] == ["slow_double"]  # computed by one process only
    assert ledger[0][2] in {p.pid for p in procs}


def test_the_ledger_lists_what_was_computed(tmp_path):
    cache = RunCache(tmp_path)
    cache.call(sum, [1, 2]), cache.call(sum, [1, 2]), cache.call(sum, [3])
    assert [name for name, _, _ in cache.ledger()] == ["sum", "sum"]
    assert RunCache(None).ledger() == []
