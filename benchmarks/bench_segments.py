"""Benchmark: segment(k=4) on 4.3 million employees x 12 features (the mini-batch path).

Run with ``python benchmarks/bench_segments.py`` (optionally ``--rows N``, ``--n-boot B``,
``--threads T``).
Data: 4.3 million rows (about the size of Indonesia's civil service) x 12 float64 features, four
planted segments of unequal size plus Gaussian noise, about 2 % of rows with one missing value
(excluded by ``missing="drop"``, as in real data).

Two baselines call scikit-learn's ``MiniBatchKMeans`` directly with the same settings (k=4,
n_init=10, batch_size=4096, random_state=0) on the same rows already standardised:

* ``direct, all rows``: ``fit_predict`` on all rows, what a user would write. Since scikit-learn
  1.7 each mini-batch is drawn with a sample-weight aware ``choice`` costing O(n) per step
  (PR #30751), so this is slow on millions of rows and its time depends on when early stopping
  triggers.
* ``direct, same sample``: fit on the same 500,000-row sample segment() uses, then ``predict``
  all rows: the same computation as segment()'s fit; its labels must be identical.

segment() additionally validates the features, drops incomplete rows, standardises, computes the
silhouette on a 10,000-row subsample, refits ``n_boot`` times on 20,000-row resamples for the
stability, and builds the profiles. All run with the same thread limit (``--threads``, default 1
as segment()'s default). Seconds are one run each; peak memory is the tracemalloc peak of a
separate run (NumPy buffers are traced); the process peak RSS (resource.ru_maxrss, which includes
the data and the baselines' copy) is printed at the end. ``--skip-full`` skips the slow baseline.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.cluster import MiniBatchKMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler
from storage import no_text_note
from threadpoolctl import threadpool_limits

from asn_analysis.segments.engine import _fit_rows, segment

N_FEATURES = 12
SHARES = (0.38, 0.36, 0.17, 0.09)
FIT_SAMPLE = 500_000  # segment()'s default fit_sample


def make_features(n_rows: int, seed: int = 20250101) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, 1.5, size=(len(SHARES), N_FEATURES))
    truth = rng.choice(len(SHARES), size=n_rows, p=SHARES)
    x = rng.normal(0.0, 1.0, size=(n_rows, N_FEATURES))
    x += centres[truth]
    blank = rng.random(n_rows) < 0.02
    x[np.flatnonzero(blank), rng.integers(0, N_FEATURES, int(blank.sum()))] = np.nan
    columns = [f"f{j:02d}" for j in range(N_FEATURES)]
    return pd.DataFrame(x, columns=columns, copy=False), truth


def measure(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def traced_peak(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4_300_000)
    parser.add_argument("--n-boot", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="0 = the libraries' default")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument("--skip-full", action="store_true", help="skip the all-rows baseline")
    args = parser.parse_args()
    threads = args.threads or None

    start = time.perf_counter()
    data, truth = make_features(args.rows)
    features = list(data.columns)
    print(
        f"data: {len(data):,} rows x {N_FEATURES} features, built in "
        f"{time.perf_counter() - start:.1f} s ({data.memory_usage().sum() / 2**20:.0f} MiB); "
        f"threads: {threads or 'library default'}"
    )

    print(no_text_note("the 12 float features"))
    complete = data.notna().all(axis=1).to_numpy()
    z = StandardScaler().fit_transform(data.to_numpy()[complete])

    def estimator() -> MiniBatchKMeans:
        return MiniBatchKMeans(n_clusters=4, n_init=10, batch_size=4096, random_state=0)

    def baseline_full() -> np.ndarray:
        with threadpool_limits(limits=threads):
            return estimator().fit_predict(z)

    def baseline_sample() -> np.ndarray:
        with threadpool_limits(limits=threads):
            if len(z) <= FIT_SAMPLE:
                return estimator().fit_predict(z)
            return estimator().fit(z[_fit_rows(len(z), FIT_SAMPLE, 0)]).predict(z)

    def run_segment() -> object:
        return segment(data, features=features, k=4, n_boot=args.n_boot, n_threads=threads)

    t_seg, result = measure(run_segment)
    t_same, same_labels = measure(baseline_sample)
    assert isinstance(same_labels, np.ndarray)
    labels = result.labels.dropna().to_numpy(dtype="int64")  # type: ignore[attr-defined]
    identical = bool(np.array_equal(labels, same_labels))
    planted = truth[complete]

    print(
        f"segment(k=4, n_boot={args.n_boot})         : {t_seg:7.2f} s  "
        f"(algorithm {result.algorithm}, excluded {result.n_excluded:,} rows)"  # type: ignore[attr-defined]
    )
    print(f"direct, same sample + predict     : {t_same:7.2f} s")
    print(f"ratio segment / direct same sample: {t_seg / t_same:7.2f} (time)")
    print(f"labels identical to direct same sample: {'yes' if identical else 'NO'}")
    print(
        f"ARI vs planted segments: segment {adjusted_rand_score(planted, labels):.3f}; "
        f"stability (mean bootstrap ARI) {result.stability:.3f}"  # type: ignore[attr-defined]
    )
    if not args.skip_full:
        t_full, full_labels = measure(baseline_full)
        assert isinstance(full_labels, np.ndarray)
        print(f"direct, all rows (fit_predict)    : {t_full:7.2f} s")
        print(f"ratio segment / direct all rows   : {t_seg / t_full:7.2f} (time)")
        print(
            f"ARI direct all rows vs planted {adjusted_rand_score(planted, full_labels):.3f}; "
            f"vs segment {adjusted_rand_score(full_labels, labels):.3f}"
        )
    for note in result.notes:  # type: ignore[attr-defined]
        print(f"  note: {note}")

    if not args.no_trace:
        mem_same = traced_peak(baseline_sample)
        mem_seg = traced_peak(run_segment)
        print(f"peak traced memory direct sample : {mem_same:8.1f} MiB (tracemalloc)")
        print(f"peak traced memory segment       : {mem_seg:8.1f} MiB (tracemalloc)")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(f"process peak RSS                 : {maxrss:8.1f} MiB (ru_maxrss, whole run)")

    assert identical, "segment() labels differ from MiniBatchKMeans called directly"
    assert t_seg < 60.0, f"segment() took {t_seg:.1f} s (target < 60 s)"
    assert maxrss < 3 * 2**10, f"peak RSS {maxrss:.0f} MiB (target < 3 GiB)"


if __name__ == "__main__":
    main()
