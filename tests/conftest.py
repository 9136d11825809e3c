import shutil
from pathlib import Path

import pandas as pd
import pytest

from asn_analysis.data import bundled_data_path
from asn_analysis.data.schema import TABLES

MINI_EMPLOYEES = 150


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
