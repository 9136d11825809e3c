"""Simulation study: bias, RMSE and CI coverage of the effect estimators on data with known truth.

Run with ``python benchmarks/effects_simulation.py`` (``--reps 200 --workers 2`` by default;
about 8 minutes on 2 cores). Not part of ``make test``.

Each replication regenerates the synthetic regency with a new seed
(``asn_analysis.data.synthetic.generate(seed=SEED0 + r)``, 4,500 employees, the bundled design:
30 units, roll-out cohorts 2024-S1 / 2024-S2 / 2025-S1, effects growing with time since
training, a self-selected programme), prepares the tables with :mod:`asn_analysis.casestudy`
exactly as the notebooks do, and compares every estimator with that replication's own truth
from ``ground_truth`` (sample effects from common random numbers, so the truth varies a little
between replications):

- IKM roll-out (truth ``ikm_effect.att_overall``, the mean effect over treated unit-periods):
  naive before-after, naive TWFE (its headline, the wild cluster bootstrap CI with 30
  clusters, and the CR1 CI shown beside it), Callaway-Sant'Anna.
- Event time 0-3 (truth ``att_by_event_time``): Callaway-Sant'Anna event study and dynamic TWFE,
  with the share of replications in which the row is flagged ``one_treated_unit``.
- Selection programme (truth ``selection_program.att``): naive difference, IPW, AIPW.
- Kirkpatrick level 3 (truth ``competency_training_effect.att_level``): DR-DiD.
- Dinas Kesehatan, IKM (truth: mean of ``dinas_kesehatan_by_period``): DiD with placebo
  permutation inference, demeaned synthetic control (mean-gap placebo test) and the classic
  synthetic control (levels, RMSPE-ratio test).

Outputs: ``benchmarks/results/effects_simulation.csv`` (one row per estimator) and
``docs/effects_simulation.md`` (the same table in Markdown with the settings).
"""

from __future__ import annotations

import argparse
import time
import traceback
from multiprocessing import Pool
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from asn_analysis import casestudy as cs
from asn_analysis import effects as ef
from asn_analysis.data.synthetic import generate

ROOT = Path(__file__).resolve().parents[1]
SEED0 = 7_000_000
LEVEL = 0.95


def _tables(seed: int) -> SimpleNamespace:
    data = generate(seed=seed)
    out = {}
    for name, frame in data.tables().items():
        out[name] = frame.rename(columns={"nip": "employee_id"}).drop(
            columns="name", errors="ignore"
        )
    return SimpleNamespace(**out, ground_truth=data.ground_truth)


def _row(estimator: str, target: str, est: ef.EffectEstimate | None, truth: float, *,
         estimate: float | None = None, ci: tuple[float, float] | None = None,
         se: float | None = None) -> dict:  # fmt: skip
    if est is not None:
        estimate = est.estimate if estimate is None else estimate
        ci = (est.ci_low, est.ci_high) if ci is None else ci
        se = est.se if se is None else se
    lo, hi = ci if ci is not None else (np.nan, np.nan)
    return {"estimator": estimator, "target": target, "estimate": estimate, "se": se,
            "ci_low": lo, "ci_high": hi, "truth": truth}  # fmt: skip


def replicate(r: int) -> list[dict]:
    seed = SEED0 + r
    try:
        ds = _tables(seed)
        gt = ds.ground_truth
        rows: list[dict] = []
        cohorts = cs.rollout_cohorts(ds.training, ds.employees)
        panel = cs.ikm_panel(ds.skm_responses, cohorts=cohorts)
        kw = dict(outcome="ikm_converted", unit="unit_id", time="period")
        att = gt["ikm_effect"]["att_overall"]
        target = "IKM roll-out ATT"
        rows.append(
            _row(
                "naive before-after",
                target,
                ef.before_after(panel, first_treated="first_treated", **kw),
                att,
            )
        )
        tw = ef.twfe(panel, treatment="treated", n_boot=999, seed=seed, **kw)
        # inference="auto" with 30 clusters: the wild bootstrap is the headline, CR1 beside it
        assert tw.headline.startswith("wild"), tw.headline
        rows.append(_row("naive TWFE (headline: wild bootstrap CI)", target, tw, att, se=np.nan))
        cr1 = tw.inference.iloc[1]
        rows.append(
            _row(
                "naive TWFE (CR1, shown beside)",
                target,
                tw,
                att,
                ci=(cr1["ci_low"], cr1["ci_high"]),
                se=cr1["se"],
            )
        )
        rows.append(
            _row(
                "Callaway-Sant'Anna",
                target,
                ef.staggered_did(panel, first_treated="first_treated", **kw),
                att,
            )
        )
        es = ef.event_study(panel, first_treated="first_treated", **kw)
        es_tw = ef.event_study(panel, first_treated="first_treated", method="twfe", **kw)
        for e, value in gt["ikm_effect"]["att_by_event_time"].items():
            for name, study in (("event time, Callaway-Sant'Anna", es),
                                ("event time, dynamic TWFE", es_tw)):  # fmt: skip
                t = study.table.loc[int(e)]
                row = _row(name, f"IKM effect at event time {e}", None, value,
                           estimate=t["estimate"], ci=(t["ci_low"], t["ci_high"]),
                           se=t["se"])  # fmt: skip
                rows.append(row | {"flagged": bool(t["one_treated_unit"])})
        sel = gt["selection_program"]
        data = cs.selection_program_data(ds.employees, ds.competency_assessments, ds.training)
        obs = data.dropna(subset=["outcome"])
        naive = ef.naive_difference(obs, outcome="outcome", treatment="treated")
        rows.append(_row("naive difference", "selection programme ATT", naive, sel["att"]))
        for method in ("ipw", "aipw"):
            res = ef.att_weighting(
                data,
                outcome="outcome",
                treatment="treated",
                covariates=list(cs.SELECTION_CONFOUNDERS),
                method=method,
            )
            rows.append(_row(method.upper(), "selection programme ATT", res, sel["att"]))
        beh = cs.behaviour_change(ds.employees, ds.competency_assessments, ds.training)
        for comp, value in gt["competency_training_effect"]["att_level"].items():
            rows.append(_row("DR-DiD (level 3)", f"level-3 ATT {comp}", beh[comp], value))
        dinkes = float(np.mean(list(gt["ikm_effect"]["dinas_kesehatan_by_period"].values())))
        res = cs.results_change(panel, unit_id="U01", outcomes=["ikm_converted"])
        target = "Dinas Kesehatan IKM effect"
        rows.append(_row("DiD, permutation inference", target, res["ikm_converted"]["did"], dinkes))
        rows.append(
            _row(
                "synthetic control, demeaned (mean-gap test)",
                target,
                res["ikm_converted"]["synthetic_control"],
                dinkes,
            )
        )
        donors = sorted(panel.loc[panel["first_treated"].isna(), "unit_id"].unique())
        sub = panel[panel["unit_id"].isin(["U01", *donors])]
        classic = ef.synthetic_control(
            sub, treated_unit="U01", treatment_start="2024-S1", statistic="rmspe_ratio", **kw
        )
        rows.append(_row("synthetic control, classic (RMSPE-ratio test)", target, classic, dinkes))
        for row in rows:
            row["rep"] = r
        return rows
    except Exception:  # noqa: BLE001 - report and keep the other replications
        return [{"rep": r, "error": traceback.format_exc()}]


def summarise(raw: pd.DataFrame) -> pd.DataFrame:
    raw = raw.copy()
    raw["error"] = raw["estimate"] - raw["truth"]
    raw["covered"] = (raw["ci_low"] <= raw["truth"]) & (raw["truth"] <= raw["ci_high"])
    raw["width"] = raw["ci_high"] - raw["ci_low"]
    flagged = raw["flagged"] if "flagged" in raw else pd.Series(False, index=raw.index)
    raw["flagged"] = flagged.fillna(False).astype(bool)
    finite = np.isfinite(raw["width"])
    raw.loc[~finite, "width"] = np.nan
    g = raw.groupby(["target", "estimator"], sort=False)
    out = g.agg(
        reps=("estimate", "size"),
        mean_truth=("truth", "mean"),
        mean_estimate=("estimate", "mean"),
        bias=("error", "mean"),
        rmse=("error", lambda e: float(np.sqrt(np.mean(e**2)))),
        sd_estimate=("estimate", "std"),
        mean_se=("se", "mean"),
        coverage=("covered", "mean"),
        mean_ci_width=("width", "mean"),
        share_flagged=("flagged", "mean"),
    )
    out["mc_se_bias"] = g["error"].std() / np.sqrt(out["reps"])
    out["mc_se_coverage"] = np.sqrt(out["coverage"] * (1 - out["coverage"]) / out["reps"])
    return out.reset_index()


def to_markdown(table: pd.DataFrame, *, reps: int, seconds: float, workers: int) -> str:
    cols = ["target", "estimator", "reps", "mean_truth", "mean_estimate", "bias", "mc_se_bias",
            "rmse", "sd_estimate", "mean_se", "coverage", "mean_ci_width",
            "share_flagged"]  # fmt: skip
    shown = table[cols].copy()
    lines = [
        "# Simulation study of the effect estimators",
        "",
        "Generated by `benchmarks/effects_simulation.py` (not part of `make test`); the numbers",
        "below are its CSV output `benchmarks/results/effects_simulation.csv`, rounded for",
        "display only.",
        "",
        f"- Replications: {reps}, each a new synthetic regency "
        f"(`asn_analysis.data.synthetic.generate(seed={SEED0} + r)`, 4,500 employees, 30 units).",
        f"- Run time: {seconds / 60:.1f} min on {workers} worker processes.",
        "- Truth: each replication's own sample effect from `ground_truth` (common random",
        "  numbers); `bias` = mean(estimate - truth), `mc_se_bias` its Monte Carlo SE,",
        f"  `coverage` = share of {LEVEL:.0%} CIs containing the truth; `share_flagged` = share",
        "  of replications in which the result flags the row (`one_treated_unit`: an event time",
        "  resting on a single treated unit, never a headline number).",
        '- Headline rule (`inference="auto"`, one rule across the package,',
        "  `asn_analysis.stats.inference.headline_method`): one treated unit -> placebo-in-space",
        "  permutation; fewer than 42 clusters -> wild cluster bootstrap; otherwise CR1. CR1 is",
        "  shown beside the headline. Every row below is the estimator's headline interval",
        '  except the one marked "shown beside".',
        "",
        "| " + " | ".join(cols) + " |",
        "|" + "|".join("---" for _ in cols) + "|",
    ]
    for _, row in shown.iterrows():
        cells = []
        for c in cols:
            v = row[c]
            cells.append(f"{v:.3f}" if isinstance(v, float) else str(v))
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Reading the table:",
        "",
        "- The naive before-after change counts the secular trend of IKM as effect.",
        "- Naive TWFE is biased downward: with a staggered roll-out and effects that grow with",
        "  time since training it under-weights long exposures and compares late cohorts with",
        "  already-trained units (Goodman-Bacon 2021). Callaway-Sant'Anna is not.",
        "- With 30 units the headline of TWFE is the wild cluster bootstrap interval; it",
        "  covers more often than the CR1 interval shown beside it, and is wider.",
        "- The naive difference of the self-selected programme is about twice the effect;",
        "  IPW and AIPW on the documented confounders remove the bias.",
        "- Event time 3 is observed for one cohort of one unit (Dinas Kesehatan): its analytic",
        "  SE contains only the comparison units' noise, so the CI under-covers badly. The",
        "  event study flags such rows (`one_treated_unit`, `share_flagged` = 1) with a note, and",
        "  the brief never headlines them (`EventStudyResult.headline_rows`). Earlier event",
        "  times and the overall ATT rest on 4-8 units; their CIs cover 86-93 %, a little",
        "  under 95 % with so few treated units.",
        "- Level 3: unit-clustered SEs with 8 treated units run about 15 % small (coverage",
        "  88-89 %); the estimate's notes say so (few treated clusters). No wild bootstrap",
        "  exists for the doubly robust estimator here, so CR1 stays its headline.",
        "- Below 0.90 and not flagged: Callaway-Sant'Anna event times 1-2 (86-89 %, 4-8",
        "  treated units, normal critical values) and level 3; their notes carry the caveat.",
        "  Only the single-treated-unit rows (coverage 30-49 %) are flagged and kept out of",
        "  the findings.",
        "- Dinas Kesehatan is a single treated unit: permutation (placebo-in-space) inference.",
        "  Its level lies below every donor on the targeted elements, so the classic synthetic",
        "  control cannot fit it and its RMSPE-ratio test has little power with 4 pre-periods;",
        "  the demeaned synthetic control and the DiD do not have that problem. Placebos that",
        "  fit their 4 pre-periods almost exactly have enormous RMSPE ratios, so the classic",
        "  test's CI is sometimes astronomically wide (hence its mean CI width).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    start = time.perf_counter()
    rows: list[dict] = []
    with Pool(args.workers) as pool:
        for i, result in enumerate(pool.imap_unordered(replicate, range(args.reps)), 1):
            rows.extend(result)
            if i % 20 == 0:
                print(f"{i}/{args.reps} replications, {time.perf_counter() - start:.0f} s",
                      flush=True)  # fmt: skip
    seconds = time.perf_counter() - start
    raw = pd.DataFrame(rows)
    errors = raw[raw["error"].notna()] if "error" in raw else raw.iloc[:0]
    if len(errors):
        print(f"{len(errors)} replications failed; first error:\n{errors['error'].iloc[0]}")
        raw = raw[raw["error"].isna()].drop(columns="error")
    table = summarise(raw)
    out_csv = ROOT / "benchmarks" / "results" / "effects_simulation.csv"
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_csv, index=False)
    md = to_markdown(table, reps=int(raw["rep"].nunique()), seconds=seconds, workers=args.workers)
    out_md = ROOT / "docs" / "effects_simulation.md"
    out_md.parent.mkdir(parents=True, exist_ok=True)
    out_md.write_text(md)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.round(3).to_string(index=False))
    print(f"done in {seconds / 60:.1f} min; wrote {out_csv} and {out_md}")


if __name__ == "__main__":
    main()
