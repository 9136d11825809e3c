"""did()'s placebo-in-space runs equal refitting did() on each placebo frame, as before.

The reference is the straightforward permutation: for each comparison unit a copy of the other
units' rows with that unit treated, refitted by ``did(..., inference="cluster")``; a run that
``did`` refuses (no control rows, no pre- or post-period, a collinear design) is skipped. The
fast path builds the same arrays once and refits only the regression; the p-value, interval and
SE of the permutation row must be the same numbers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from asn_analysis.effects import EffectInputError, did


def _reference_placebos(frame: pd.DataFrame, **kw) -> np.ndarray:
    treated = frame.loc[frame["treat"] == 1, "unit"].unique()[0]
    rest = frame[frame["unit"] != treated]
    out = []
    for c in rest["unit"].unique():
        fake = rest.copy()
        fake["treat"] = (fake["unit"] == c).astype(float)
        try:
            out.append(did(fake, inference="cluster", **kw).estimate)
        except EffectInputError:
            continue
    return np.asarray(out)


def _reference_row(est: float, placebos: np.ndarray, level: float) -> dict[str, float]:
    n = len(placebos)
    pval = (1 + int(np.sum(np.abs(placebos) >= abs(est) - 1e-12))) / (n + 1)
    m = math.floor((1 - level) * (n + 1) - 1 + 1e-9)
    half = np.sort(np.abs(placebos))[::-1][m] if 0 <= m < n else math.inf
    se = float(np.sqrt(np.mean(placebos**2))) if n else np.nan
    return {"pvalue": pval, "ci_low": est - half, "ci_high": est + half, "se": se, "n": n}


def _panel(seed: int, n_units: int, *, covariate: bool = False, ties: bool = False):
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(n_units):
        for t in range(4):
            rows.append(
                {
                    "unit": f"u{u:02d}",
                    "time": f"t{t}",
                    "treat": int(u == 2),
                    "post": int(t >= 2),
                    "y": rng.normal() + (0.8 if u == 2 and t >= 2 else 0.0),
                    "z": rng.normal(),
                }
            )
    df = pd.DataFrame(rows).sample(frac=1.0, random_state=seed)  # rows in no order
    if ties:
        df.loc[df["unit"] == "u01", "y"] = df.loc[df["unit"] == "u03", "y"].to_numpy()
    df.loc[df.index[5], "y"] = np.nan  # an excluded row
    return df


CASES = [
    {"seed": 0, "n_units": 8, "panel": True},
    {"seed": 1, "n_units": 12, "panel": True, "covariate": True},
    {"seed": 2, "n_units": 6, "panel": False},
    {"seed": 3, "n_units": 9, "panel": True, "ties": True},
    {"seed": 4, "n_units": 3, "panel": True},  # two comparison units
]


@pytest.mark.parametrize("case", CASES)
def test_permutation_row_equals_refitting_did(case):
    df = _panel(case["seed"], case["n_units"], ties=case.get("ties", False))
    kw = {"outcome": "y", "treatment": "treat", "post": "post", "unit": "unit"}
    if case["panel"]:
        kw["time"] = "time"
    if case.get("covariate"):
        kw["covariates"] = ["z"]
    res = did(df, **kw)
    frame = df.dropna(subset=["y"])
    placebos = _reference_placebos(frame, **kw)
    want = _reference_row(res.estimate, placebos, 0.95)
    row = res.inference.iloc[0]
    assert res.inference.index[0] == "permutation (placebo-in-space)"
    assert row["n_draws"] == want["n"]
    for col in ("pvalue", "ci_low", "ci_high", "se"):
        assert row[col] == want[col] or np.isclose(row[col], want[col], rtol=1e-12), col


def test_only_one_comparison_unit_skips_every_run_as_did_refuses_it():
    df = _panel(5, 3)
    df = df[df["unit"] != "u00"]
    res = did(df, outcome="y", treatment="treat", post="post", unit="unit", time="time")
    frame = df.dropna(subset=["y"])
    kw = {"outcome": "y", "treatment": "treat", "post": "post", "unit": "unit", "time": "time"}
    assert len(_reference_placebos(frame, **kw)) == 0
    assert res.inference.iloc[0]["n_draws"] == 0
