import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

from asn_analysis.data import bundled_data_path
from asn_analysis.data.schema import TABLES

# Property tests draw the same examples on every run (the suite is deterministic, like the package);
# `HYPOTHESIS_PROFILE=explore pytest ...` draws fresh ones when hunting for counterexamples.
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

MINI_EMPLOYEES = 150
#: The secret salt of the test session (a copy of the bundled data that a test modified is real
#: data and needs one); tests of the missing-salt error remove it with monkeypatch.delenv.
TEST_SALT = "5f0c3a9e8b7d6c1f2e4a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e"


@pytest.fixture(scope="session", autouse=True)
def _session_salt():
    """Every test (and module fixture) has a strong ``ASN_ANALYSIS_SALT``; notebooks inherit it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASN_ANALYSIS_SALT", TEST_SALT)
        yield


@pytest.fixture(scope="session")
def mini_source(tmp_path_factory) -> Path:
    """A small valid dataset cut from the bundled data (a few units, all their rows)."""
    src = bundled_data_path()
    raw = {t: pd.read_csv(src / f"{t}.csv", dtype=str, keep_default_na=False) for t in TABLES}
    units = raw["units"].head(6)
    employees = raw["employees"][raw["employees"]["unit_id"].isin(units["unit_id"])]
    employees = employees.head(MINI_EMPLOYEES)
    nips = set(employees["nip"])
    out = tmp_path_factory.mktemp("mini")
    raw["units"] = units
    raw["employees"] = employees
    for t in ("competency_assessments", "performance", "training", "staff_survey"):
        raw[t] = raw[t][raw[t]["nip"].isin(nips)]
    raw["competency_standards"] = raw["competency_standards"][
        raw["competency_standards"]["position"].isin(set(employees["position"]))
    ]
    skm = raw["skm_responses"]
    raw["skm_responses"] = skm[skm["unit_id"].isin(units["unit_id"])].head(600)
    for t, frame in raw.items():
        frame.to_csv(out / f"{t}.csv", index=False)
    shutil.copy(src / "ground_truth.json", out / "ground_truth.json")
    return out


@pytest.fixture()
def mini(mini_source, tmp_path) -> Path:
    """A fresh, writable copy of the mini dataset for one test to corrupt."""
    dest = tmp_path / "data"
    shutil.copytree(mini_source, dest)
    return dest


def read(folder: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)


def write(folder: Path, table: str, frame: pd.DataFrame) -> None:
    frame.to_csv(folder / f"{table}.csv", index=False)
