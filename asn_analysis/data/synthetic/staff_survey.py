"""Stage 4 of the generator: the staff survey on resistance to evaluation (two waves).

Transparency, communication and threat traits generate their items; their *observed* scale
scores then enter the resistance latent, whose items are drawn so that the expected observed
resistance score equals the latent. The items (texts, reverse keying) come from
``survey_items.json`` (:mod:`.regency`).

Examples
--------
>>> items = _survey_item_frame()
>>> items["item"].tolist()[:3]
['res_01', 'res_02', 'res_03']
>>> int(items["reverse_keyed"].sum())
4
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from asn_analysis.data.synthetic.codebook import STAFF_SURVEY_WAVES, SURVEY_SCALES
from asn_analysis.data.synthetic.competencies import SEGMENT_NAMES, SEGMENTS
from asn_analysis.data.synthetic.draws import stochastic_round
from asn_analysis.data.synthetic.regency import LIKERT_MAX, LIKERT_MIN, SURVEY_ITEMS

__all__ = ["make_staff_survey"]


# --------------------------------------------------------------------------------- Model parameters
_ITEM_BLANK_RATE = 0.03
# Trait model: mean in wave 1, shift in wave 2, person sd, wave sd, item noise sd.
_TRAITS = {
    "transparency": {"mean": 3.0, "wave2_shift": 0.35, "person_sd": 0.4, "wave_sd": 0.25},
    "communication": {"mean": 3.1, "wave2_shift": 0.30, "person_sd": 0.4, "wave_sd": 0.25},
    "threat": {"mean": 2.9, "wave2_shift": 0.0, "person_sd": 0.4, "wave_sd": 0.25},
}
_ITEM_NOISE_SD = {"transparency": 0.3, "communication": 0.3, "threat": 0.2, "resistance": 1.0}
_RESISTANCE = {
    "intercept": 3.55,
    "transparency": -0.35,
    "communication": -0.25,
    "threat": 0.40,
    "years_of_service": 0.01,
    "wave2": -0.10,
    "job_type": {
        "jpt_pratama": -0.20,
        "administrator": -0.15,
        "pengawas": -0.05,
        "fungsional": 0.0,
        "pelaksana": 0.05,
    },
    "unit_sd": 0.08,
    "person_sd": 0.1,
    "noise_sd": 0.15,
}
_RESPONSE_RATE = {"resisten": 0.66, "default": 0.78}


# -------------------------------------------------------------------------------- Items and answers
def _survey_item_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "scale": [s for s, *_ in SURVEY_ITEMS],
            "item": [i for _, i, *_ in SURVEY_ITEMS],
            "text_id": [t for *_, t, _ in SURVEY_ITEMS],
            "text_en": [t for *_, t in SURVEY_ITEMS],
            "reverse_keyed": np.array([r for _, _, r, *_ in SURVEY_ITEMS], dtype=bool),
            "min": np.full(len(SURVEY_ITEMS), LIKERT_MIN, dtype=np.int64),
            "max": np.full(len(SURVEY_ITEMS), LIKERT_MAX, dtype=np.int64),
        }
    )


def _draw_items(
    latent: np.ndarray, reverse: list[bool], noise_sd: float, rng: np.random.Generator
) -> np.ndarray:
    """Items whose expected (reverse-corrected) answer equals ``latent`` on 1-5.

    Item noise is symmetric and clipped symmetrically to the distance from the nearest scale
    end, so ``latent + noise`` stays in [1, 5] with mean ``latent``; stochastic rounding keeps
    the mean. Returns a float array (n, k) of answers as given (reverse items reversed).
    """
    n, k = len(latent), len(reverse)
    room = np.minimum(latent - LIKERT_MIN, LIKERT_MAX - latent)[:, None]
    noise = np.clip(rng.normal(0, noise_sd, (n, k)), -room, room)
    x = latent[:, None] + noise
    ans = np.clip(stochastic_round(x, rng.random((n, k))), LIKERT_MIN, LIKERT_MAX)
    rev = np.array(reverse, dtype=bool)
    ans[:, rev] = LIKERT_MIN + LIKERT_MAX - ans[:, rev]
    return ans


def _scale_score(ans: np.ndarray, reverse: list[bool], blank: np.ndarray) -> np.ndarray:
    scored = ans.copy()
    rev = np.array(reverse, dtype=bool)
    scored[:, rev] = LIKERT_MIN + LIKERT_MAX - scored[:, rev]
    scored[blank] = np.nan
    with np.errstate(invalid="ignore"):
        total = np.nansum(scored, axis=1)
        count = (~np.isnan(scored)).sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def make_staff_survey(
    staff: pd.DataFrame, units: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Draw both waves of the staff survey and its true resistance model.

    Parameters
    ----------
    staff : pandas.DataFrame
        Staff after :func:`.competencies.make_baseline`.
    units : pandas.DataFrame
        The ``units`` table.
    rng : numpy.random.Generator
        Generator of the traits, answers, blanks and response.

    Returns
    -------
    tuple of (pandas.DataFrame, pandas.DataFrame, dict)
        ``staff_survey``, ``survey_items`` and the true parameters.
    """
    items = _survey_item_frame()
    n = len(staff)
    unit_ids = units["unit_id"].to_numpy()
    unit_re = dict(zip(unit_ids, rng.normal(0, _RESISTANCE["unit_sd"], len(unit_ids)), strict=True))
    person = {s: rng.normal(0, _TRAITS[s]["person_sd"], n) for s in _TRAITS}
    person_res = rng.normal(0, _RESISTANCE["person_sd"], n)
    seg_shift = {s: SEGMENTS[s]["resistance_shift"] for s in SEGMENT_NAMES}
    pppk = staff["status"].to_numpy() == "PPPK"
    resp_rate = np.where(
        staff["_segment"].to_numpy() == "resisten",
        _RESPONSE_RATE["resisten"],
        _RESPONSE_RATE["default"],
    )
    frames = []
    clipped_low = clipped_high = 0
    for w, wave in enumerate(STAFF_SURVEY_WAVES):
        eligible = ~pppk if w == 0 else np.ones(n, dtype=bool)
        respond = eligible & (rng.random(n) < resp_rate)
        idx = np.flatnonzero(respond)
        m = len(idx)
        seg_resp = staff["_segment"].to_numpy()[idx]
        answers: dict[str, np.ndarray] = {}
        scores: dict[str, np.ndarray] = {}
        for scale in ("transparency", "communication", "threat"):
            spec = _TRAITS[scale]
            random_part = person[scale][idx] + rng.normal(0, spec["wave_sd"], m)
            # Centre within segment among this wave's respondents: the (unobserved) segment
            # shift of resistance is then uncorrelated with the traits in the sample, not only
            # in expectation, so OLS without segments recovers the stated coefficients.
            seg_mean = pd.Series(random_part).groupby(seg_resp).transform("mean").to_numpy()
            trait = spec["mean"] + spec["wave2_shift"] * w + random_part - seg_mean
            trait = np.clip(trait, 1.2, 4.8)
            rev = [r for s, _, r, *_ in SURVEY_ITEMS if s == scale]
            ans = _draw_items(trait, rev, _ITEM_NOISE_SD[scale], rng)
            blank = rng.random(ans.shape) < _ITEM_BLANK_RATE
            score = _scale_score(ans, rev, blank)
            score = np.where(np.isnan(score), trait, score)  # all items blank: practically never
            ans[blank] = np.nan
            answers[scale], scores[scale] = ans, score
        sub = staff.iloc[idx]
        latent = (
            _RESISTANCE["intercept"]
            + _RESISTANCE["transparency"] * scores["transparency"]
            + _RESISTANCE["communication"] * scores["communication"]
            + _RESISTANCE["threat"] * scores["threat"]
            + sub["job_type"].map(_RESISTANCE["job_type"]).to_numpy()
            + _RESISTANCE["years_of_service"] * sub["years_of_service"].to_numpy()
            + _RESISTANCE["wave2"] * w
            + sub["unit_id"].map(unit_re).to_numpy()
            + sub["_segment"].map(seg_shift).to_numpy()
            + person_res[idx]
            + rng.normal(0, _RESISTANCE["noise_sd"], m)
        )
        clipped_low += int((latent < LIKERT_MIN).sum())
        clipped_high += int((latent > LIKERT_MAX).sum())
        latent = np.clip(latent, LIKERT_MIN, LIKERT_MAX)
        rev = [r for s, _, r, *_ in SURVEY_ITEMS if s == "resistance"]
        ans = _draw_items(latent, rev, _ITEM_NOISE_SD["resistance"], rng)
        ans[rng.random(ans.shape) < _ITEM_BLANK_RATE] = np.nan
        answers["resistance"] = ans
        frame = pd.DataFrame({"nip": sub["nip"].to_numpy(), "period": wave})
        for scale in SURVEY_SCALES:
            cols = [i for s, i, *_ in SURVEY_ITEMS if s == scale]
            for j, col in enumerate(cols):
                frame[col] = pd.array(answers[scale][:, j], dtype="Float64").astype("Int64")
        frame["_latent"] = latent
        frame["_segment"] = sub["_segment"].to_numpy()
        frames.append(frame)
    survey = pd.concat(frames, ignore_index=True)
    latent_mean = survey.groupby("period")["_latent"].mean()
    survey = survey.drop(columns=["_latent", "_segment"])
    survey = survey.sort_values(["nip", "period"], kind="stable").reset_index(drop=True)
    truth = {
        "model": (
            "resistance latent = intercept + b_transparency * transparency_score + "
            "b_communication * communication_score + b_threat * threat_score + "
            "job_type effect + b_years_of_service * years_of_service + wave2 * [period == "
            "2025-S1] + unit effect + segment shift + person effect + noise; scores are the "
            "observed scale means of answered items after reverse keying (6 - answer); "
            "E[observed resistance score | latent] = latent"
        ),
        "intercept": _RESISTANCE["intercept"],
        "b_transparency": _RESISTANCE["transparency"],
        "b_communication": _RESISTANCE["communication"],
        "b_threat": _RESISTANCE["threat"],
        "b_years_of_service": _RESISTANCE["years_of_service"],
        "wave2_effect": _RESISTANCE["wave2"],
        "job_type_effects": dict(_RESISTANCE["job_type"]),
        "unit_effects": {k: float(v) for k, v in unit_re.items()},
        "unit_sd": _RESISTANCE["unit_sd"],
        "person_sd": _RESISTANCE["person_sd"],
        "noise_sd": _RESISTANCE["noise_sd"],
        "segment_shifts": seg_shift,
        "traits": {k: dict(v) for k, v in _TRAITS.items()},
        "trait_centering": (
            "the random part of each trait (person + wave draw) is centred within segment among "
            "each wave's respondents, so the unobserved segment shift is uncorrelated with the "
            "traits in the sample"
        ),
        "item_noise_sd": dict(_ITEM_NOISE_SD),
        "item_blank_rate": _ITEM_BLANK_RATE,
        "response_rate": dict(_RESPONSE_RATE),
        "latent_clipped_below_1": clipped_low,
        "latent_clipped_above_5": clipped_high,
        "n_responses": len(survey),
        "mean_latent_by_wave": {k: float(v) for k, v in latent_mean.items()},
        "waves": list(STAFF_SURVEY_WAVES),
        "wave1_eligible": "PNS only (PPPK were appointed in 2024)",
    }
    return survey, items, truth
