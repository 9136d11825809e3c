"""A small dataset cut from the bundled data, built to contain tiny cells (tests only).

All 30 units stay (the unit-level estimators need them), each with a sample of its staff and
all the rows of those people; one unit keeps only 3 employees, so per-unit tables have groups
of 1 to 4 people. The SKM survey is thinned too. Written as a modified copy of the bundled data
it is real data: loading it needs ``ASN_ANALYSIS_SALT``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from asn_analysis.data import bundled_data_path
from asn_analysis.data.schema import TABLES

#: A constant salt of 64 hex characters for tests of real-form data.
SALT = "3b9f0e7a5c1d8264af0c9e3b7d5a1f86e2c4b0d9a7f3e1c5b8d6a0f2e4c7b9a1"
PER_PERSON = ("competency_assessments", "performance", "training", "staff_survey")


def build_tiny(
    dest: Path,
    *,
    share: float = 0.12,
    tiny_unit: str = "U30",
    tiny_staff: int = 3,
    tables: tuple[str, ...] = TABLES,
    seed: int = 1,
) -> Path:
    """Write the tiny-cells dataset (only ``tables``) into ``dest`` and return it."""
    src = bundled_data_path()
    raw = {t: pd.read_csv(src / f"{t}.csv", dtype=str, keep_default_na=False) for t in TABLES}
    emp = raw["employees"]
    kept = []
    for unit, staff in emp.groupby("unit_id", sort=False):
        n = tiny_staff if unit == tiny_unit else max(8, round(share * len(staff)))
        kept.append(staff.sample(n=min(n, len(staff)), random_state=seed))
    raw["employees"] = pd.concat(kept).sort_index()
    nips = set(raw["employees"]["nip"])
    for t in PER_PERSON:
        raw[t] = raw[t][raw[t]["nip"].isin(nips)]
    raw["competency_standards"] = raw["competency_standards"][
        raw["competency_standards"]["position"].isin(set(raw["employees"]["position"]))
    ]
    raw["skm_responses"] = raw["skm_responses"].sample(frac=0.3, random_state=seed).sort_index()
    dest.mkdir(parents=True, exist_ok=True)
    for t in tables:
        raw[t].to_csv(dest / f"{t}.csv", index=False)
    if (src / "ground_truth.json").exists():
        shutil.copy(src / "ground_truth.json", dest / "ground_truth.json")
    return dest
