"""Benchmark: the notebooks' heatmaps and JPM bars, fast path against the old code, one process.

Run with ``python benchmarks/bench_plots.py`` (optionally ``--reps N``, ``--lang en``).
Data: the bundled synthetic data set, turned into the tables the notebooks draw (SKM
respondents per unit and period, share below standard per unit and competency, converted IKM
per unit and period with a 50-draw bootstrap, employee segment profiles, JPM categories).

Each figure is drawn and then written as the notebooks' inline backend writes it
(``savefig(BytesIO(), format="png", bbox_inches="tight")`` at the style's 100 dpi), by the
library (``fast``) and by the old code kept in ``tests/plot_references.py`` (seaborn's heatmap;
pandas' stacked bars) alternately, ``--reps`` times each; the medians of wall seconds
(``perf_counter``) and CPU seconds (``process_time``) are printed with the ratio old / fast and
the tracemalloc peak of one more run. Both must write the same PNG, pixel for pixel (checked).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from plot_references import png, reference_heatmap, reference_jpm_categories  # noqa: E402

from asn_analysis import competency, segments  # noqa: E402
from asn_analysis import overview as ov  # noqa: E402
from asn_analysis.data import load_dataset  # noqa: E402
from asn_analysis.reporting import plots, summaries  # noqa: E402
from asn_analysis.reporting.findings import segment_labels  # noqa: E402


def figure_pairs(lang: str) -> dict[str, tuple[Callable, Callable]]:
    """Each figure as (fast, old): the notebooks' calls on the bundled data."""
    ds = load_dataset()
    names = ds.units.set_index("unit_id")["unit_name"]
    cov = ov.survey_coverage(ds).rename(index=names)
    args = (ds.competency_assessments, ds.competency_standards, ds.employees)
    jpm = competency.job_person_match(*args, as_of="2025-06-30")
    gaps = competency.unit_gaps(competency.competency_gaps(*args, as_of="2025-06-30"), ds.employees)
    shares = gaps[~gaps["small_group"]].pivot(
        index="unit_id", columns="competency", values="share_below"
    )
    sat = summaries.summarize_satisfaction(ds, n_boot=50, seed=0).units
    trend = sat.pivot(index="unit_name", columns="period", values="ikm_converted")
    feats = segments.employee_features(ds)
    seg = segments.segment(feats, features=segments.EMPLOYEE_FEATURES, k=4, n_boot=0, seed=0)
    z = seg.z_profiles.T
    seg_options = {
        "cmap": "RdBu_r", "center": 0, "vmin": -2.5, "vmax": 2.5, "annot": True, "fmt": ".1f",
        "yticklabels": [segments.feature_label(c, lang=lang) for c in z.index],
        "xticklabels": [f"{s}: {n}" for s, n in segment_labels(seg, lang=lang).items()],
    }  # fmt: skip
    cov_options = {"cmap": "Blues", "annot": True, "fmt": "d", "cbar": False,
                   "annot_kws": {"size": 7}}  # fmt: skip
    gap_options = {"cmap": "Reds", "vmin": 0, "vmax": 0.6, "cbar_kws": {"label": "share"}}
    trend_options = {"cmap": "RdYlGn", "center": 76.61, "annot": True, "fmt": ".1f",
                     "annot_kws": {"size": 7}, "cbar": False}  # fmt: skip

    def pair(table, figsize, options):
        def fast():
            return plots.heatmap(table, title="t", figsize=figsize, lang=lang, **options).figure

        def old():
            return reference_heatmap(table, title="t", figsize=figsize, lang=lang, **options).figure

        return fast, old

    return {
        "01 survey_coverage heatmap": pair(cov, (9, 9), cov_options),
        "02 gap_shares heatmap": pair(shares.rename(index=names), (11, 9), gap_options),
        "03 ikm_trend heatmap": pair(trend, (9, 9), trend_options),
        "06 segment_profiles heatmap": pair(z, (11, 7), seg_options),
        "02 jpm_categories": (
            lambda: plots.jpm_categories(jpm, unit_names=names, lang=lang),
            lambda: reference_jpm_categories(jpm, unit_names=names, lang=lang),
        ),
    }


def timed(draw: Callable) -> tuple[float, float, np.ndarray]:
    """Draw and write one figure; return wall and CPU seconds and the PNG."""
    t0, c0 = time.perf_counter(), time.process_time()
    image = png(draw())
    seconds = (time.perf_counter() - t0, time.process_time() - c0)
    plt.close("all")
    return *seconds, image


def peak(draw: Callable) -> float:
    """Tracemalloc peak (MiB) of one draw and write."""
    tracemalloc.start()
    png(draw())
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    plt.close("all")
    return top / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--lang", default="id", choices=["id", "en"])
    opts = parser.parse_args()
    warnings.simplefilter("ignore")
    plots.set_style()
    pairs = figure_pairs(opts.lang)
    timed(pairs["01 survey_coverage heatmap"][1])  # warm-up: seaborn, fonts
    print(f"{'figure':30s} {'fast s':>7s} {'cpu':>6s} {'MiB':>5s} {'old s':>7s} {'cpu':>6s} "
          f"{'MiB':>5s} {'old/fast cpu':>12s}")  # fmt: skip
    totals = np.zeros(4)
    for name, (fast, old) in pairs.items():
        runs: dict[str, list[tuple[float, float]]] = {"fast": [], "old": []}
        images = {}
        for _ in range(opts.reps):  # alternate, so both see the same load
            for key, draw in (("fast", fast), ("old", old)):
                wall, cpu, images[key] = timed(draw)
                runs[key].append((wall, cpu))
        if not np.array_equal(images["fast"], images["old"]):
            raise SystemExit(f"{name}: the fast path wrote a different PNG")
        med = {k: [statistics.median(x) for x in zip(*v, strict=True)] for k, v in runs.items()}
        totals += [*med["fast"], *med["old"]]
        print(f"{name:30s} {med['fast'][0]:7.3f} {med['fast'][1]:6.3f} {peak(fast):5.1f} "
              f"{med['old'][0]:7.3f} {med['old'][1]:6.3f} {peak(old):5.1f} "
              f"{med['old'][1] / med['fast'][1]:12.2f}")  # fmt: skip
    print(f"{'total':30s} {totals[0]:7.3f} {totals[1]:6.3f} {'':5s} {totals[2]:7.3f} "
          f"{totals[3]:6.3f} {'':5s} {totals[3] / totals[1]:12.2f}")  # fmt: skip
    print("PNG of each figure identical, pixel for pixel, fast and old")


if __name__ == "__main__":
    main()
