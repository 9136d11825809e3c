"""Simulation study: coverage of the cost-of-misfit intervals with 30 unequal unit clusters.

Run with ``python benchmarks/competency_coverage.py`` (``--reps 200 --workers 2`` by default;
about 6 minutes on 2 cores). Not part of ``make test``.

The design of the bundled data is kept (the 15,068 appraised employee-years, each employee's
baseline JPM, mismatch flag, job type and unit; 30 units, the largest holding 48 % of the
appraisals). Each replication draws the predikat again from the stored ordered-logit truth
(:func:`asn_analysis.data.synthetic.redraw_predikat`, new logistic noise, seed ``SEED0 + r``) and
fits :func:`asn_analysis.competency.fit_effects` with its defaults, which report both the
unit-clustered (CR1, t(29)) interval and the wild cluster score bootstrap interval.

Targets: the planted ``b_mis`` (-1.0) and ``b_jpm`` (0.3 per 10 JPM points). The model omits
the planted segment shifts, so the estimator centres slightly away from the planted values; the
table therefore also gives coverage of the Monte Carlo mean of the estimates (the estimator's
own target on this design).

Outputs: ``benchmarks/results/competency_coverage.csv`` (one row per term and method) and
``docs/competency_coverage.md`` (the same table in Markdown with the settings).
"""

from __future__ import annotations

import argparse
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import pandas as pd

from asn_analysis import competency as cp
from asn_analysis import load_dataset
from asn_analysis.data.synthetic import redraw_predikat

ROOT = Path(__file__).resolve().parents[1]
SEED0 = 8_000_000
AS_OF = "2025-06-30"
TERMS = {"mismatch": "b_mis", "jpm_per_10": "b_jpm"}

_STATE: dict = {}


def _setup() -> None:
    ds = load_dataset()
    args = (ds.competency_assessments, ds.competency_standards, ds.employees)
    jpm = cp.job_person_match(*args, as_of=AS_OF)
    mis = cp.mismatches(cp.competency_gaps(*args, as_of=AS_OF), ds.employees)
    _STATE.update(ds=ds, jpm=jpm, mis=mis)


def _replicate(r: int) -> list[dict]:
    if not _STATE:
        _setup()
    ds, jpm, mis = _STATE["ds"], _STATE["jpm"], _STATE["mis"]
    drawn = redraw_predikat(ds.performance, jpm, mis.employees, ds.ground_truth, seed=SEED0 + r)
    res = cp.fit_effects(jpm, mis, drawn)
    inf = res.inference[res.inference["model"] == cp.MODEL_ORDERED]
    rows = []
    for term in TERMS:
        coef = float(res.effect(cp.MODEL_ORDERED, term)["coef"])
        for _, m in inf[inf["term"] == term].iterrows():
            kind = "wild score bootstrap" if m["method"].startswith("wild") else "CR1, t(G-1)"
            rows.append(
                {"rep": r, "term": term, "method": kind, "coef": coef,
                 "ci_low": m["ci_low"], "ci_high": m["ci_high"]}
            )  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    opts = parser.parse_args()
    start = time.perf_counter()
    with Pool(opts.workers) as pool:
        rows = [row for rep in pool.map(_replicate, range(opts.reps)) for row in rep]
    seconds = time.perf_counter() - start
    _setup()
    truth = _STATE["ds"].ground_truth["mismatch"]
    data = pd.DataFrame(rows)
    out = []
    for (term, method), g in data.groupby(["term", "method"], sort=False):
        planted = truth[TERMS[term]]
        centre = g["coef"].mean()
        width = g["ci_high"] - g["ci_low"]
        n = len(g)
        cover = ((g["ci_low"] <= planted) & (planted <= g["ci_high"])).mean()
        cover_c = ((g["ci_low"] <= centre) & (centre <= g["ci_high"])).mean()
        out.append(
            {
                "term": term,
                "method": method,
                "planted": planted,
                "mc_mean": round(centre, 4),
                "mc_sd": round(g["coef"].std(ddof=1), 4),
                "mean_ci_width": round(width.mean(), 4),
                "coverage_planted": round(cover, 3),
                "coverage_mc_mean": round(cover_c, 3),
                "mc_se_coverage": round(float(np.sqrt(0.95 * 0.05 / n)), 3),
                "reps": n,
            }
        )
    table = pd.DataFrame(out)
    results = ROOT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    table.to_csv(results / "competency_coverage.csv", index=False)
    md = [
        "# Coverage of the cost-of-misfit intervals (simulation)",
        "",
        f"Produced by `python benchmarks/competency_coverage.py --reps {opts.reps}` "
        f"({seconds:.0f} s with {opts.workers} workers). Design: the bundled data (30 units, "
        "the largest with 48 % of the 15,068 appraisals); predikat redrawn from the stored "
        "ordered-logit truth in each replication; ordered logit of `fit_effects` with unit "
        "clusters. Nominal level 95 %; the Monte Carlo standard error of a coverage of 0.95 is "
        "given in `mc_se_coverage`.",
        "",
        table.to_markdown(index=False),
        "",
        "`mc_mean` is the mean estimate over replications: the model omits the planted "
        "segment shifts, so it is the estimator's own target on this design, slightly away "
        "from the planted value.",
        "",
    ]
    (ROOT / "docs" / "competency_coverage.md").write_text("\n".join(md))
    print(table.to_string(index=False))
    print(f"{opts.reps} replications in {seconds:.1f} s")


if __name__ == "__main__":
    main()
