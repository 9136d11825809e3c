"""Benchmark: twfe() on 1 million employees x 8 periods against linearmodels and pyfixest.

Run with ``python benchmarks/bench_twfe.py`` (``--units N``, ``--periods T``, ``--repeat R``).
linearmodels (a test dependency) and pyfixest (optional: not a project dependency) are timed
when installed and skipped, with a message, when not.

Data: a balanced panel of ``units`` employees x ``periods`` semesters (8 million rows by
default) in one long DataFrame with integer ``unit`` and ``period`` columns; a staggered
binary treatment (a quarter of the units, first treated in periods 3-8) and
y = unit effect + period effect + 1.0 x treatment + noise.

Each method runs in a fresh child process that builds the same data (same seed) and then
goes from that DataFrame to a fitted coefficient with unit-clustered standard errors,
including any reshaping the library needs (linearmodels wants a (unit, period) MultiIndex;
pyfixest runs a formula). Seconds are the best of ``--repeat`` runs after one warm-up on a
small panel (so import and JIT costs are not counted); peak memory is the highest resident
set size above the level before the call, sampled every 2 ms from /proc while the estimator
runs (tracemalloc would miss memory allocated outside Python, e.g. by pyfixest's compiled
core).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import threading
import time

import numpy as np
import pandas as pd
from storage import no_text_note

PAGE = 4096


def make_panel(n_units: int, n_periods: int, seed: int = 20250101) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n_units, dtype=np.int64), n_periods)
    period = np.tile(np.arange(n_periods, dtype=np.int64), n_units)
    first = np.where(rng.random(n_units) < 0.25, rng.integers(2, n_periods, n_units), n_periods)
    d = (period >= first[unit]).astype(np.int64)
    y = (rng.normal(0, 1, n_units)[unit] + 0.1 * period + 1.0 * d
         + rng.normal(0, 1, n_units * n_periods))  # fmt: skip
    return pd.DataFrame({"unit": unit, "period": period, "d": d, "y": y})


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def _ours(df: pd.DataFrame) -> tuple[float, float]:
    from asn_analysis.effects import twfe

    res = twfe(df, outcome="y", treatment="d", unit="unit", time="period", inference="cluster")
    return res.estimate, res.se


def _linearmodels(df: pd.DataFrame) -> tuple[float, float]:
    from linearmodels import PanelOLS

    data = df.set_index(["unit", "period"])
    res = PanelOLS(data["y"], data[["d"]], entity_effects=True, time_effects=True).fit(
        cov_type="clustered", cluster_entity=True
    )
    return float(res.params.iloc[0]), float(res.std_errors.iloc[0])


def _pyfixest(df: pd.DataFrame) -> tuple[float, float]:
    import pyfixest as pf

    res = pf.feols("y ~ d | unit + period", data=df, vcov={"CRV1": "unit"})
    return float(res.coef().iloc[0]), float(res.se().iloc[0])


METHODS = {"asn_analysis.twfe": _ours, "linearmodels": _linearmodels, "pyfixest": _pyfixest}


def _child(name: str, n_units: int, n_periods: int, repeat: int, queue: mp.Queue) -> None:
    try:
        fn = METHODS[name]
        fn(make_panel(2_000, n_periods, seed=1))  # warm-up: imports, JIT, caches
        df = make_panel(n_units, n_periods)
        times = []
        peak_extra = 0
        for _ in range(repeat):
            base = _rss()
            peak = [base]
            stop = threading.Event()

            def sample(peak=peak, stop=stop) -> None:
                while not stop.is_set():
                    peak[0] = max(peak[0], _rss())
                    time.sleep(0.002)

            watcher = threading.Thread(target=sample, daemon=True)
            watcher.start()
            start = time.perf_counter()
            coef, se = fn(df)
            times.append(time.perf_counter() - start)
            stop.set()
            watcher.join()
            peak_extra = max(peak_extra, peak[0] - base)
        queue.put({"method": name, "seconds": min(times), "peak_mb": peak_extra / 2**20,
                   "coef": coef, "se": se})  # fmt: skip
    except ImportError as exc:
        queue.put({"method": name, "skipped": f"not installed ({exc.name})"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--periods", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    ctx = mp.get_context("spawn")
    results = []
    for name in METHODS:
        queue = ctx.Queue()
        proc = ctx.Process(target=_child, args=(name, args.units, args.periods, args.repeat, queue))
        proc.start()
        results.append(queue.get())
        proc.join()
    print(no_text_note("the panel's columns (integer unit and period)"))
    print(f"TWFE, {args.units:,} units x {args.periods} periods = "
          f"{args.units * args.periods:,} rows; best of {args.repeat}")  # fmt: skip
    done = [r for r in results if "seconds" in r]
    ours = next(r for r in done if r["method"] == "asn_analysis.twfe")
    others = [r for r in done if r is not ours]
    for r in results:
        if "skipped" in r:
            print(f"  {r['method']:<18} skipped: {r['skipped']}")
            continue
        print(f"  {r['method']:<18} {r['seconds']:7.2f} s  peak +{r['peak_mb']:7.0f} MB  "
              f"coef {r['coef']:.10f}  se {r['se']:.3e}  "
              f"time ratio vs ours {r['seconds'] / ours['seconds']:.2f}  "
              f"memory ratio {r['peak_mb'] / max(ours['peak_mb'], 1e-9):.2f}")  # fmt: skip
    if others:
        fastest = min(others, key=lambda r: r["seconds"])
        diff = max(abs(r["coef"] - ours["coef"]) for r in others)
        print(f"fastest reference: {fastest['method']} ({fastest['seconds']:.2f} s); ours is "
              f"{fastest['seconds'] / ours['seconds']:.2f}x its speed; max coefficient "
              f"difference {diff:.2e}")  # fmt: skip
    print(json.dumps(results))


if __name__ == "__main__":
    main()
