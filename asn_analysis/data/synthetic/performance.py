"""Stage 3 of the generator: SKP predikat per employee-year from an ordered logit.

The latent is ``b_jpm * (JPM - 80) / 10 + b_mis * mismatch + job-type effect + unit effect +
segment shift + logistic noise``; cutpoints give the lenient distribution (about 94 % *baik*),
and ``hasil_kerja`` and ``perilaku_kerja`` are drawn so that the PermenPANRB 6/2022 matrix gives
exactly that predikat. :func:`redraw_predikat` draws the predikat again from the stored truth,
for simulation studies.

Examples
--------
>>> round(_PREDIKAT_TARGET["baik"], 2)
0.94
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special

from asn_analysis.data.synthetic.codebook import (
    PERFORMANCE_YEARS,
    PPPK_APPOINTMENT_YEAR,
    PREDIKAT_LEVELS,
)
from asn_analysis.data.synthetic.competencies import SEGMENT_NAMES, SEGMENTS

__all__ = ["make_performance", "redraw_predikat"]


# --------------------------------------------------------------------------------- Model parameters
_B_JPM = 0.3
_B_MIS = -1.0
_JPM_CENTRE = 80.0
_JPM_SCALE = 10.0
_PERF_JOB_TYPE = {
    "jpt_pratama": 0.4,
    "administrator": 0.3,
    "pengawas": 0.2,
    "fungsional": 0.0,
    "pelaksana": -0.2,
}
_PERF_UNIT_SD = 0.3
_PREDIKAT_TARGET = {
    "sangat_kurang": 0.0015,
    "kurang": 0.0025,
    "butuh_perbaikan": 0.006,
    "baik": 0.94,
    "sangat_baik": 0.05,
}
# P(hasil_kerja, perilaku_kerja | predikat): each cell maps to the predikat by the matrix.
_CELLS_GIVEN_PREDIKAT = {
    "sangat_baik": ((("di_atas", "di_atas"), 1.0),),
    "baik": (
        (("sesuai", "sesuai"), 0.88),
        (("di_atas", "sesuai"), 0.07),
        (("sesuai", "di_atas"), 0.05),
    ),
    "butuh_perbaikan": ((("di_bawah", "sesuai"), 0.85), (("di_bawah", "di_atas"), 0.15)),
    "kurang": ((("sesuai", "di_bawah"), 0.8), (("di_atas", "di_bawah"), 0.2)),
    "sangat_kurang": ((("di_bawah", "di_bawah"), 1.0),),
}
_PERFORMANCE_MISSING_RATE = 0.01


# --------------------------------------------------------------------------------------- Appraisals
def make_performance(
    staff: pd.DataFrame, units: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Draw the SKP appraisals 2022-2025 (PPPK from 2024) from the ordered logit.

    Parameters
    ----------
    staff : pandas.DataFrame
        Staff after :func:`.competencies.make_baseline` (with ``_jpm``, ``_mismatch``,
        ``_segment``).
    units : pandas.DataFrame
        The ``units`` table.
    rng : numpy.random.Generator
        Generator of the unit effects, noise and rating cells.

    Returns
    -------
    tuple of (pandas.DataFrame, dict)
        The ``performance`` table and the true parameters (cutpoints, effects, shares).
    """
    unit_ids = units["unit_id"].to_numpy()
    unit_eff = dict(zip(unit_ids, rng.normal(0, _PERF_UNIT_SD, len(unit_ids)), strict=True))
    seg_shift = {s: SEGMENTS[s]["performance_shift"] for s in SEGMENT_NAMES}
    eta = (
        _B_JPM * (staff["_jpm"].to_numpy() - _JPM_CENTRE) / _JPM_SCALE
        + _B_MIS * staff["_mismatch"].to_numpy().astype(float)
        + staff["job_type"].map(_PERF_JOB_TYPE).to_numpy()
        + staff["unit_id"].map(unit_eff).to_numpy()
        + staff["_segment"].map(seg_shift).to_numpy()
    )
    rows_emp = []
    rows_year = []
    pppk = staff["status"].to_numpy() == "PPPK"
    for year in PERFORMANCE_YEARS:
        active = np.flatnonzero(~pppk | (year >= PPPK_APPOINTMENT_YEAR))
        rows_emp.append(active)
        rows_year.append(np.full(len(active), year))
    emp = np.concatenate(rows_emp)
    year = np.concatenate(rows_year)
    eta_ey = eta[emp]

    # Cutpoints so that the expected shares match the lenient targets on this sample.
    cum_target = np.cumsum([_PREDIKAT_TARGET[p] for p in PREDIKAT_LEVELS])[:-1]
    cutpoints = []
    for target in cum_target:
        cutpoints.append(
            optimize.brentq(lambda k, t=target: special.expit(k - eta_ey).mean() - t, -30, 30)
        )
    cutpoints = np.array(cutpoints)
    latent = eta_ey + rng.logistic(0, 1, size=len(emp))
    cat = np.searchsorted(cutpoints, latent)  # 0..4
    predikat = np.array(PREDIKAT_LEVELS, dtype=object)[cat]

    hasil = np.empty(len(emp), dtype=object)
    perilaku = np.empty(len(emp), dtype=object)
    u = rng.random(len(emp))
    for p, cells in _CELLS_GIVEN_PREDIKAT.items():
        m = predikat == p
        cum = np.cumsum([w for _, w in cells])
        k = np.minimum(np.searchsorted(cum, u[m], side="right"), len(cells) - 1)
        hasil[m] = np.array([c[0] for c, _ in cells], dtype=object)[k]
        perilaku[m] = np.array([c[1] for c, _ in cells], dtype=object)[k]

    keep = rng.random(len(emp)) >= _PERFORMANCE_MISSING_RATE
    perf = pd.DataFrame(
        {
            "nip": staff["nip"].to_numpy()[emp],
            "year": year.astype(np.int64),
            "hasil_kerja": hasil.astype(str),
            "perilaku_kerja": perilaku.astype(str),
            "predikat": predikat.astype(str),
        }
    )[keep]
    perf = perf.sort_values(["nip", "year"], kind="stable").reset_index(drop=True)
    shares = perf["predikat"].value_counts(normalize=True)
    truth = {
        "b_jpm": _B_JPM,
        "b_mis": _B_MIS,
        "jpm_centre": _JPM_CENTRE,
        "jpm_scale": _JPM_SCALE,
        "cutpoints": cutpoints.tolist(),
        "cutpoint_labels": [
            f"{PREDIKAT_LEVELS[i]}|{PREDIKAT_LEVELS[i + 1]}" for i in range(len(cutpoints))
        ],
        "job_type_effects": dict(_PERF_JOB_TYPE),
        "unit_effects": {k: float(v) for k, v in unit_eff.items()},
        "unit_effect_sd": _PERF_UNIT_SD,
        "segment_shifts": seg_shift,
        "target_predikat_shares": dict(_PREDIKAT_TARGET),
        "realized_predikat_shares": {p: float(shares.get(p, 0.0)) for p in PREDIKAT_LEVELS},
        "missing_rate": _PERFORMANCE_MISSING_RATE,
    }
    return perf, truth


# ------------------------------------------------------------------- Redraws for simulation studies
def redraw_predikat(
    performance: pd.DataFrame,
    jpm: pd.DataFrame,
    mismatch: pd.DataFrame,
    ground_truth: dict[str, Any],
    *,
    seed: int,
) -> pd.DataFrame:
    """Draw the SKP predikat of observed employee-years again from the stored truth.

    For simulation studies of the cost-of-misfit estimators: the design (which employee-years
    are appraised, each employee's JPM, mismatch flag, job type, unit and planted segment) is
    kept; only the logistic noise of the ordered logit (item 3 of the module notes) is new.

    Parameters
    ----------
    performance : pandas.DataFrame
        The appraisals to redraw (employee_id, year), e.g. ``Dataset.performance``.
    jpm : pandas.DataFrame
        :func:`asn_analysis.competency.job_person_match` at the baseline (employee_id, unit_id,
        job_type, jpm_pct).
    mismatch : pandas.DataFrame
        Employees' mismatch flags (employee_id, mismatch), e.g. ``MismatchResult.employees``.
    ground_truth : dict
        ``Dataset.ground_truth`` of the bundled synthetic data (``mismatch`` and ``segments``).
    seed : int
        Seed of the new noise.

    Returns
    -------
    pandas.DataFrame
        employee_id, year, predikat; one row per appraisal with a JPM.

    Examples
    --------
    >>> from asn_analysis import competency as cp, load_dataset
    >>> ds = load_dataset()
    >>> args = (ds.competency_assessments, ds.competency_standards, ds.employees)
    >>> jpm = cp.job_person_match(*args, as_of="2025-06-30")
    >>> mis = cp.mismatches(cp.competency_gaps(*args, as_of="2025-06-30"), ds.employees)
    >>> again = redraw_predikat(ds.performance, jpm, mis.employees, ds.ground_truth, seed=1)
    >>> len(again) == len(ds.performance)
    True
    """
    truth = ground_truth["mismatch"]
    segment = ground_truth["segments"]["labels"]
    perf = performance[["employee_id", "year"]].merge(
        jpm[["employee_id", "unit_id", "job_type", "jpm_pct"]], on="employee_id"
    )
    flag = mismatch.set_index("employee_id")["mismatch"].astype(float)
    eta = (
        truth["b_jpm"] * (perf["jpm_pct"] - truth["jpm_centre"]) / truth["jpm_scale"]
        + truth["b_mis"] * perf["employee_id"].map(flag).fillna(0.0)
        + perf["job_type"].map(truth["job_type_effects"]).astype(float)
        + perf["unit_id"].map(truth["unit_effects"]).astype(float)
        + perf["employee_id"].map(segment).map(truth["segment_shifts"]).astype(float)
    ).to_numpy()
    latent = eta + np.random.default_rng(seed).logistic(size=len(eta))
    levels = np.array(PREDIKAT_LEVELS, dtype=object)
    predikat = levels[np.searchsorted(truth["cutpoints"], latent)]
    return perf[["employee_id", "year"]].assign(predikat=predikat)
