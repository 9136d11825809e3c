"""Benchmark: fit_effects() on the bundled data, with and without the wild cluster score bootstrap.

Run with ``python benchmarks/bench_fit_effects.py`` (``--repeat R``, ``--n-boot B``).

Data: the bundled synthetic regency (15,068 appraisals of 4,500 employees in 30 units, about
40 parameters in the ordered logit; 237 unit-periods for the IKM model). Timed in one process:

- baseline: ``fit_effects(..., inference="cluster")`` (three models, cluster-robust only);
- ours: ``fit_effects(...)`` with its default for 30 clusters, the wild cluster score bootstrap
  (``n_boot`` draws, p-value and test-inversion interval for each of the six effects);
- for scale, a pairs cluster bootstrap that refits the employee-level models on every draw,
  extrapolated from the time of one refit (refitting is what the score bootstrap avoids).

Everything runs twice, with the data loaded under each pandas string storage (pyarrow, the
default, then python; ``benchmarks/storage.py``), and the ratio of the two is printed. Seconds
are the best of ``--repeat`` runs after a warm-up; peak memory is tracemalloc's peak of the call
(NumPy reports its allocations to tracemalloc; pyarrow's pool is not seen).
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings

from storage import STORAGES, ratio_line, use_storage

from asn_analysis import competency as cp
from asn_analysis import load_dataset

AS_OF = "2025-06-30"


def _measure(fn, repeat: int) -> tuple[float, float]:
    best = float("inf")
    peak = 0
    for _ in range(repeat):
        tracemalloc.start()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return best, peak / 2**20


def run(opts: argparse.Namespace, storage: str) -> float:
    """Time fit_effects with the bundled data loaded under one string storage; return ours."""
    with use_storage(storage):
        ds = load_dataset()
        args = (ds.competency_assessments, ds.competency_standards, ds.employees)
        jpm = cp.job_person_match(*args, as_of=AS_OF)
        mis = cp.mismatches(cp.competency_gaps(*args, as_of=AS_OF), ds.employees)
        data = (jpm, mis, ds.performance, ds.skm_responses)

        warm = cp.fit_effects(*data, inference="cluster")  # warm-up: imports and caches
        cp.fit_effects(*data, n_boot=99)
        base_s, base_mb = _measure(lambda: cp.fit_effects(*data, inference="cluster"), opts.repeat)
        ours_s, ours_mb = _measure(lambda: cp.fit_effects(*data, n_boot=opts.n_boot), opts.repeat)

        # One fit of the employee-level models (analytic Newton), the unit of a refitting
        # bootstrap.
        n_params = len(warm.coefficients[cp.MODEL_ORDERED])
        perf = ds.performance.merge(jpm[["employee_id"]], on="employee_id")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()
            cp.fit_effects(jpm, mis, perf, inference="cluster")
            refit_s = time.perf_counter() - start
    refit_total = refit_s * opts.n_boot

    print(f"[{storage} strings] fit_effects on the bundled data: {len(perf):,} appraisals, "
          f"30 units, {n_params} ordered-logit parameters, {opts.n_boot} draws")  # fmt: skip
    print(f"  baseline (cluster-robust only)   {base_s:7.2f} s  peak {base_mb:7.1f} MiB")
    print(f"  ours (wild score bootstrap)      {ours_s:7.2f} s  peak {ours_mb:7.1f} MiB  "
          f"time ratio {ours_s / base_s:.1f}  memory ratio {ours_mb / base_mb:.1f}")  # fmt: skip
    print(f"  pairs bootstrap refitting each draw (extrapolated, one fit {refit_s:.2f} s): "
          f"{refit_total:,.0f} s, {refit_total / ours_s:,.0f}x ours")  # fmt: skip
    return ours_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n-boot", type=int, default=9999)
    opts = parser.parse_args()
    ours = {storage: run(opts, storage) for storage in STORAGES}
    print(ratio_line("fit_effects (wild score bootstrap)", ours["pyarrow"], ours["python"]))


if __name__ == "__main__":
    main()
