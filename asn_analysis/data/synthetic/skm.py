"""Stage 6 of the generator: SKM (citizen satisfaction) responses and the roll-out's IKM truth.

Answers are ``x = mu[u, t, e] + r_i + eps_ie`` rounded stochastically and clipped to 1-4, with
``mu`` holding element levels, unit and unit-element effects, common and unit-period noise, the
unit's mismatch share and mean JPM, and the roll-out effect. Sample sizes follow Krejcie and
Morgan (1970), some unit-periods falling short. The truth per treated unit-period is converted
IKM (PermenPANRB 14/2017, weights 1/9) with minus without the training, from the same answers.

References
----------
Krejcie, R. V. & Morgan, D. W. (1970). Determining sample size for research activities.
*Educational and Psychological Measurement*, 30, 607-610.

Examples
--------
>>> _krejcie_morgan(1000)
278
>>> _period_index("2024-S1")
4
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from asn_analysis.data.synthetic.codebook import (
    RESPONDENT_AGE_GROUPS,
    RESPONDENT_EDUCATION,
    SKM_ELEMENTS,
    SKM_PERIODS,
)
from asn_analysis.data.synthetic.draws import stochastic_round
from asn_analysis.data.synthetic.regency import DINKES, UNITS

__all__ = [
    "SKM_GAMMA_JPM",
    "SKM_GAMMA_MISMATCH",
    "SKM_MISSING_UNIT_PERIODS",
    "SKM_SHORT_SHARE",
    "make_skm",
]


# --------------------------------------------------------------------------------- Model parameters
_SKM_ELEMENT_BASE = {
    "persyaratan": 3.22,
    "prosedur": 3.15,
    "waktu": 2.86,
    "biaya": 3.55,
    "produk": 3.20,
    "kompetensi": 3.20,
    "perilaku": 3.26,
    "pengaduan": 2.86,
    "sarana": 2.80,
}
_SKM_RESPONDENT_SD = 0.35
_SKM_ANSWER_SD = 0.45
_SKM_UNIT_SD = 0.05
_SKM_UNIT_ELEMENT_SD = 0.05
_SKM_UNIT_PERIOD_SD = 0.04
_SKM_PERIOD_TREND = 0.012
_SKM_PERIOD_SD = 0.02
SKM_GAMMA_MISMATCH = -1.0
SKM_GAMMA_JPM = 0.02
_SKM_REF_MISMATCH = 0.12
_SKM_REF_JPM = 96.0
_SKM_DINKES_ELEMENT = {"kompetensi": -0.2, "perilaku": -0.2}
_SKM_ROLLOUT_ELEMENT_WEIGHT = {
    "persyaratan": 0.1,
    "prosedur": 0.2,
    "waktu": 0.2,
    "biaya": 0.0,
    "produk": 0.1,
    "kompetensi": 0.5,
    "perilaku": 0.5,
    "pengaduan": 0.2,
    "sarana": 0.0,
}
_SKM_EVENT_MULTIPLIER = (0.35, 0.7, 1.0, 1.15)
_SKM_ATTENDANCE_REF = 0.7
_SKM_BLANK_RATE = 0.02
SKM_SHORT_SHARE = 0.15
_SKM_SHORT_RANGE = (0.6, 0.9)
SKM_MISSING_UNIT_PERIODS = (("U22", "2022-S1"), ("U29", "2022-S2"), ("U24", "2023-S1"))
_SKM_KM = {"chi2": 3.841, "p": 0.5, "d": 0.05}


# ------------------------------------------------------------------------- Sample sizes and periods
def _krejcie_morgan(
    population: int, *, chi2: float = 3.841, p: float = 0.5, d: float = 0.05
) -> int:
    """Krejcie-Morgan sample size, rounded half up (not ceil)."""
    n = float(population)
    s = chi2 * n * p * (1 - p) / (d * d * (n - 1) + chi2 * p * (1 - p))
    return int(math.floor(s + 0.5))


def _period_index(period: str) -> int:
    return SKM_PERIODS.index(period)


# ---------------------------------------------------------------------------------------- Responses
def make_skm(
    units: pd.DataFrame, staff: pd.DataFrame, rollout: dict[str, Any], rng: np.random.Generator
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Draw the SKM responses of every unit-period and the roll-out's IKM truth.

    Parameters
    ----------
    units : pandas.DataFrame
        The ``units`` table (with service users per semester).
    staff : pandas.DataFrame
        Staff after :func:`.competencies.make_baseline` (unit mismatch share, mean JPM).
    rollout : dict
        From :func:`.training.make_rollout`.
    rng : numpy.random.Generator
        Generator of the effects, sample sizes and answers.

    Returns
    -------
    tuple of (pandas.DataFrame, dict)
        ``skm_responses`` and the truth (``ikm_effect``, ``skm_answer_model``, ``unit_skm``,
        ``first_treated``).
    """
    unit_ids = units["unit_id"].to_numpy()
    U, T, E = len(unit_ids), len(SKM_PERIODS), len(SKM_ELEMENTS)
    mis_share = staff.groupby("unit_id")["_mismatch"].mean().reindex(unit_ids).to_numpy()
    mean_jpm = staff.groupby("unit_id")["_jpm"].mean().reindex(unit_ids).to_numpy()

    base = np.array([_SKM_ELEMENT_BASE[e] for e in SKM_ELEMENTS])
    unit_eff = rng.normal(0, _SKM_UNIT_SD, U)
    unit_elem = rng.normal(0, _SKM_UNIT_ELEMENT_SD, (U, E))
    u_dinkes = int(np.flatnonzero(unit_ids == DINKES)[0])
    for e, v in _SKM_DINKES_ELEMENT.items():
        unit_elem[u_dinkes, SKM_ELEMENTS.index(e)] += v
    period_common = _SKM_PERIOD_TREND * np.arange(T) + rng.normal(0, _SKM_PERIOD_SD, T)
    unit_period = rng.normal(0, _SKM_UNIT_PERIOD_SD, (U, T))
    structural = SKM_GAMMA_MISMATCH * (mis_share - _SKM_REF_MISMATCH) + SKM_GAMMA_JPM * (
        mean_jpm - _SKM_REF_JPM
    )
    mu0 = (
        base[None, None, :]
        + (unit_eff + structural)[:, None, None]
        + unit_elem[:, None, :]
        + period_common[None, :, None]
        + unit_period[:, :, None]
    )
    # Roll-out effect on the latent answers.
    tau = np.zeros((U, T, E))
    first_treated: dict[str, str] = {}
    w_el = np.array([_SKM_ROLLOUT_ELEMENT_WEIGHT[e] for e in SKM_ELEMENTS])
    for ui, uid in enumerate(unit_ids):
        cohort = rollout["unit_cohort"].get(uid)
        if cohort is None:
            continue
        first_treated[uid] = cohort
        g = _period_index(cohort)
        scale = rollout["unit_share"][uid] / _SKM_ATTENDANCE_REF
        for t in range(g, T):
            tau[ui, t, :] = w_el * _SKM_EVENT_MULTIPLIER[t - g] * scale
    mu1 = mu0 + tau

    missing = set(SKM_MISSING_UNIT_PERIODS)
    users = units["service_users_per_semester"].to_numpy()
    services = {u.unit_id: u.services for u in UNITS}
    frames = []
    effects = []
    sample_info = []
    counter = 0
    for t, period in enumerate(SKM_PERIODS):
        for ui, uid in enumerate(unit_ids):
            if (uid, period) in missing:
                continue
            required = _krejcie_morgan(int(users[ui]), **_SKM_KM)
            short = rng.random() < SKM_SHORT_SHARE
            if short:
                m = int(math.floor(required * rng.uniform(*_SKM_SHORT_RANGE) + 0.5))
            else:
                m = required + int(rng.integers(0, max(1, int(0.08 * required)) + 1))
            sample_info.append((uid, period, required, m, short))
            r = rng.normal(0, _SKM_RESPONDENT_SD, m)
            eps = rng.normal(0, _SKM_ANSWER_SD, (m, E))
            u = rng.random((m, E))
            x0 = mu0[ui, t][None, :] + r[:, None] + eps
            y0 = np.clip(stochastic_round(x0, u), 1, 4)
            y1 = np.clip(stochastic_round(x0 + tau[ui, t][None, :], u), 1, 4)
            blank = rng.random((m, E)) < _SKM_BLANK_RATE
            y_obs = np.where(blank, np.nan, y1)
            if tau[ui, t].any():
                y0b = np.where(blank, np.nan, y0)
                nrr0 = np.nanmean(y0b, axis=0)
                nrr1 = np.nanmean(y_obs, axis=0)
                ikm0 = 25 * nrr0.sum() / E
                ikm1 = 25 * nrr1.sum() / E
                g = _period_index(first_treated[uid])
                effects.append(
                    {
                        "unit_id": uid,
                        "period": period,
                        "cohort": first_treated[uid],
                        "event_time": t - g,
                        "ikm_converted_y0": ikm0,
                        "ikm_converted_y1": ikm1,
                        "effect": ikm1 - ikm0,
                        "nrr_effect": dict(zip(SKM_ELEMENTS, nrr1 - nrr0, strict=True)),
                    }
                )
            svc = np.array(services[uid], dtype=object)
            svc_w = np.linspace(1.6, 0.6, len(svc))
            frame = pd.DataFrame(
                {
                    "response_id": [f"R{counter + i + 1:06d}" for i in range(m)],
                    "unit_id": uid,
                    "period": period,
                    "service": svc[rng.choice(len(svc), size=m, p=svc_w / svc_w.sum())].astype(str),
                }
            )
            counter += m
            gender = np.where(rng.random(m) < 0.55, "P", "L").astype(object)
            gender[rng.random(m) < 0.01] = None
            age = np.array(RESPONDENT_AGE_GROUPS, dtype=object)[
                rng.choice(5, size=m, p=[0.12, 0.28, 0.27, 0.2, 0.13])
            ]
            age[rng.random(m) < 0.02] = None
            edu = np.array(RESPONDENT_EDUCATION, dtype=object)[
                rng.choice(7, size=m, p=[0.06, 0.10, 0.40, 0.10, 0.30, 0.035, 0.005])
            ]
            edu[rng.random(m) < 0.02] = None
            frame["respondent_gender"] = pd.array(gender, dtype="str")
            frame["respondent_age_group"] = pd.array(age, dtype="str")
            frame["respondent_education"] = pd.array(edu, dtype="str")
            for j, e in enumerate(SKM_ELEMENTS):
                frame[e] = pd.array(y_obs[:, j], dtype="Float64").astype("Int64")
            frames.append(frame)
    skm = pd.concat(frames, ignore_index=True)

    # Ground truth of the roll-out on converted IKM.
    eff = pd.DataFrame(effects)
    att_overall = float(eff["effect"].mean())
    att_event = {str(k): float(v) for k, v in eff.groupby("event_time")["effect"].mean().items()}
    att_cohort = {str(k): float(v) for k, v in eff.groupby("cohort")["effect"].mean().items()}
    dinkes = {r["period"]: float(r["effect"]) for r in effects if r["unit_id"] == DINKES}
    nrr_eff = pd.DataFrame([r["nrr_effect"] for r in effects])
    nrr_by_event = {
        str(k): {e: float(v) for e, v in grp[list(SKM_ELEMENTS)].mean().items()}
        for k, grp in pd.concat([eff[["event_time"]], nrr_eff], axis=1).groupby("event_time")
    }

    # Average marginal effects on expected converted IKM (closed form: E[answer | x] is
    # clip(x, 1, 4), so dE/dmu = P(1 < x < 4) with x ~ N(mu, s)).
    s = math.hypot(_SKM_RESPONDENT_SD, _SKM_ANSWER_SD)
    observed = np.ones((U, T), dtype=bool)
    for uid, period in missing:
        observed[int(np.flatnonzero(unit_ids == uid)[0]), _period_index(period)] = False
    mu_obs = mu1[observed]  # (n_unit_periods, E)
    p_in = special.ndtr((4 - mu_obs) / s) - special.ndtr((1 - mu_obs) / s)
    slope = 25 * p_in.sum(axis=1) / E  # d E[IKM converted] / d latent shift of all elements
    ame_share = float(SKM_GAMMA_MISMATCH * slope.mean())
    ame_jpm = float(SKM_GAMMA_JPM * slope.mean())

    def expected_ikm(mu: np.ndarray) -> np.ndarray:
        a, b = (1 - mu) / s, (4 - mu) / s
        mid = mu * (special.ndtr(b) - special.ndtr(a)) + s * (
            np.exp(-0.5 * a * a) - np.exp(-0.5 * b * b)
        ) / math.sqrt(2 * math.pi)
        val = special.ndtr(a) * 1 + (1 - special.ndtr(b)) * 4 + mid
        return 25 * val.sum(axis=-1) / E

    discrete_share_01 = float(
        (expected_ikm(mu_obs + SKM_GAMMA_MISMATCH * 0.1) - expected_ikm(mu_obs)).mean()
    )
    info = pd.DataFrame(sample_info, columns=["unit_id", "period", "required", "n", "short"])
    truth = {
        "ikm_effect": {
            "definition": (
                "per treated unit-period: converted IKM (25 x sum of element NRR x 1/9, NRR over "
                "answered items) from the answers with training minus from the same respondents' "
                "answers without it (common random numbers); ATTs are unweighted means over "
                "treated unit-periods"
            ),
            "att_overall": att_overall,
            "att_by_event_time": att_event,
            "att_by_cohort": att_cohort,
            "dinas_kesehatan_by_period": dinkes,
            "element_nrr_effects": {e: float(v) for e, v in nrr_eff.mean().items()},
            "element_nrr_effects_by_event_time": nrr_by_event,
            "by_unit_period": [
                {k: v for k, v in r.items() if k != "nrr_effect"} | {"nrr_effect": r["nrr_effect"]}
                for r in effects
            ],
            "n_treated_unit_periods": len(effects),
        },
        "skm_answer_model": {
            "model": (
                "x = mu[u,t,e] + r_i + eps_ie; answer = clip(floor(x + U), 1, 4); "
                "mu = element_base[e] + unit_effect[u] + gamma_mismatch * (mismatch_share[u] - "
                "reference_mismatch_share) + gamma_jpm * (mean_jpm[u] - reference_jpm) + "
                "unit_element_effect[u,e] + period_effect[t] + unit_period_effect[u,t] + "
                "rollout_effect[u,t,e]"
            ),
            "element_base": dict(_SKM_ELEMENT_BASE),
            "respondent_sd": _SKM_RESPONDENT_SD,
            "answer_sd": _SKM_ANSWER_SD,
            "unit_effects": dict(zip(unit_ids, unit_eff.tolist(), strict=True)),
            "unit_effect_sd": _SKM_UNIT_SD,
            "unit_element_effects": {
                uid: dict(zip(SKM_ELEMENTS, unit_elem[i].tolist(), strict=True))
                for i, uid in enumerate(unit_ids)
            },
            "dinas_kesehatan_element_effects": dict(_SKM_DINKES_ELEMENT),
            "period_effects": dict(zip(SKM_PERIODS, period_common.tolist(), strict=True)),
            "period_trend_per_semester": _SKM_PERIOD_TREND,
            "unit_period_sd": _SKM_UNIT_PERIOD_SD,
            "gamma_mismatch_share": SKM_GAMMA_MISMATCH,
            "gamma_mean_jpm": SKM_GAMMA_JPM,
            "reference_mismatch_share": _SKM_REF_MISMATCH,
            "reference_jpm": _SKM_REF_JPM,
            "rollout_element_weights": dict(_SKM_ROLLOUT_ELEMENT_WEIGHT),
            "rollout_event_time_multipliers": list(_SKM_EVENT_MULTIPLIER),
            "rollout_attendance_reference": _SKM_ATTENDANCE_REF,
            "rollout_latent_shift": (
                "element_weight[e] x event_time_multiplier[t - g] x attendance_share[u] / "
                "attendance_reference"
            ),
            "blank_rate": _SKM_BLANK_RATE,
            "krejcie_morgan": dict(_SKM_KM),
            "short_sample_share_target": SKM_SHORT_SHARE,
            "short_sample_range": list(_SKM_SHORT_RANGE),
            "n_unit_periods_short": int(info["short"].sum()),
            "n_unit_periods": len(info),
            "missing_unit_periods": [list(x) for x in SKM_MISSING_UNIT_PERIODS],
        },
        "unit_skm": {
            "mismatch_share": dict(zip(unit_ids, mis_share.tolist(), strict=True)),
            "mean_jpm": dict(zip(unit_ids, mean_jpm.tolist(), strict=True)),
            "ame_converted_ikm_per_unit_mismatch_share": ame_share,
            "ame_converted_ikm_per_jpm_point": ame_jpm,
            "discrete_change_converted_ikm_per_0_1_mismatch_share": discrete_share_01,
        },
        "first_treated": first_treated,
    }
    return skm, truth
