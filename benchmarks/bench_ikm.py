"""Benchmark: ikm() on 10 million synthetic SKM responses against a plain NumPy bincount baseline.

Run with ``python benchmarks/bench_ikm.py`` (optionally ``--rows N``).
Data: 500 regencies x 30 units = 15,000 units x 4 semesters = 60,000 groups of about 167
respondents; answers are float64 with about 2 % blanks (what ``read_csv`` gives for a column with
empty cells); rows are in random order (the harder case for caches). ``unit_id`` and ``period``
are first categorical, then plain ``str`` columns under each pandas string storage (pyarrow, the
default with pyarrow installed, and python; see ``benchmarks/storage.py``).

The baseline is the least a hand-written NumPy solution must do on the same frame: combine the
two category codes into one group code (for ``str`` keys: ``pd.factorize`` each key column once),
then per element one ``np.bincount`` of the answers (blanks as 0) and one of the blanks. ikm()
additionally validates the answers (1-4 whole numbers), resolves element names, sorts the groups,
compacts unobserved ones and builds the result table. Seconds are the best of ``--repeat`` runs,
baseline and ikm() in the same process; the tracemalloc peak (categorical case, NumPy buffers)
comes from a separate run, and the peak RSS of a fresh process per configuration (``--no-rss``
skips it) counts everything, pyarrow's memory pool included. Target (issue 15): with pyarrow
``str`` keys, ikm() within 1.5x the factorize + bincount baseline.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pandas as pd
from storage import (
    STORAGES,
    best_of,
    peak_rss,
    ratio_line,
    report_child,
    reset_peak,
    rss_mib,
    storage_of,
)

from asn_analysis.satisfaction import ELEMENTS, ikm

N_REGENCIES = 500
UNITS_PER_REGENCY = 30
PERIODS = ("2023-S1", "2023-S2", "2024-S1", "2024-S2")


def make_responses(n_rows: int, seed: int = 20250101) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    units = [f"R{r:03d}-U{u:02d}" for r in range(N_REGENCIES) for u in range(UNITS_PER_REGENCY)]
    unit_code = rng.integers(0, len(units), n_rows)
    period_code = rng.integers(0, len(PERIODS), n_rows)
    unit_level = rng.normal(3.1, 0.25, len(units))
    element_shift = np.linspace(-0.3, 0.4, len(ELEMENTS))
    columns: dict[str, object] = {
        "unit_id": pd.Categorical.from_codes(unit_code, categories=units),
        "period": pd.Categorical.from_codes(period_code, categories=list(PERIODS)),
    }
    base = unit_level[unit_code]
    for j, key in enumerate(ELEMENTS):
        answer = np.clip(np.rint(base + element_shift[j] + rng.normal(0, 0.6, n_rows)), 1, 4)
        answer[rng.random(n_rows) < 0.02] = np.nan
        columns[key] = answer
    return pd.DataFrame(columns)


def baseline(responses: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Plain NumPy: group codes from the category codes, then bincount sums and counts."""
    n_periods = len(responses["period"].cat.categories)
    codes = responses["unit_id"].cat.codes.to_numpy().astype(np.intp) * n_periods
    codes += responses["period"].cat.codes.to_numpy()
    n_groups = len(responses["unit_id"].cat.categories) * n_periods
    nrr = np.empty((n_groups, len(ELEMENTS)))
    for j, key in enumerate(ELEMENTS):
        x = responses[key].to_numpy()
        blank = np.isnan(x)
        total = np.bincount(codes, weights=np.where(blank, 0.0, x), minlength=n_groups)
        answered = np.bincount(codes, minlength=n_groups) - np.bincount(
            codes[blank], minlength=n_groups
        )
        nrr[:, j] = total / answered
    index = nrr.sum(axis=1) / len(ELEMENTS)
    return nrr, index, index * 25


def baseline_factorize(responses: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Plain NumPy on string keys: ``pd.factorize`` each key once, then the same bincounts.

    Returns the IKM per group and the (unit, period) key of each group, in factorize order
    (unobserved combinations dropped), for comparing with ikm() after sorting.
    """
    unit_codes, units = pd.factorize(responses["unit_id"])
    period_codes, periods = pd.factorize(responses["period"])
    codes = unit_codes.astype(np.intp) * len(periods) + period_codes
    n_groups = len(units) * len(periods)
    n = np.bincount(codes, minlength=n_groups)
    nrr = np.empty((n_groups, len(ELEMENTS)))
    for j, key in enumerate(ELEMENTS):
        x = responses[key].to_numpy()
        blank = np.isnan(x)
        total = np.bincount(codes, weights=np.where(blank, 0.0, x), minlength=n_groups)
        nrr[:, j] = total / (n - np.bincount(codes[blank], minlength=n_groups))
    seen = np.flatnonzero(n)
    keys = np.column_stack(
        [np.asarray(units)[seen // len(periods)], np.asarray(periods)[seen % len(periods)]]
    )
    return nrr[seen].sum(axis=1) / len(ELEMENTS), keys


def run_ikm(responses: pd.DataFrame) -> pd.DataFrame:
    return ikm(responses, by=["unit_id", "period"])


def measure(fn: Callable[[], object], repeat: int) -> tuple[float, float, object, float]:
    """Best wall seconds, tracemalloc peak (MiB) of a separate run, result, best CPU seconds."""
    wall, cpu, result = best_of(fn, repeat)
    result = None
    tracemalloc.start()
    tracemalloc.reset_peak()
    result = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return wall, peak / 2**20, result, cpu


def with_string_keys(responses: pd.DataFrame, storage: str) -> pd.DataFrame:
    """The same frame with ``unit_id`` and ``period`` as ``str`` columns stored as ``storage``."""
    keys = responses[["unit_id", "period"]].astype(pd.StringDtype(storage, na_value=np.nan))
    return responses.assign(unit_id=keys["unit_id"], period=keys["period"])


def child(rows: int, config: str) -> None:
    """One configuration in a fresh process: its peak RSS (data + one ikm() run)."""
    responses = make_responses(rows)
    if config != "categorical":
        responses = with_string_keys(responses, config)
    data_mib = rss_mib()
    reset_peak()
    run_ikm(responses)
    report_child(data_rss_mib=data_mib)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--no-rss", action="store_true", help="skip the peak-RSS subprocesses")
    args = parser.parse_args()
    if args.child:
        child(args.rows, args.child)
        return

    start = time.perf_counter()
    responses = make_responses(args.rows)
    n_groups = responses.groupby(["unit_id", "period"], observed=True).ngroups
    print(
        f"data: {len(responses):,} rows, {n_groups:,} groups, built in "
        f"{time.perf_counter() - start:.1f} s ({responses.memory_usage().sum() / 2**20:.0f} MiB)"
    )

    t_base, mem_base, base, ct_base = measure(lambda: baseline(responses), args.repeat)
    t_ikm, mem_ikm, table, ct_ikm = measure(lambda: run_ikm(responses), args.repeat)

    assert isinstance(table, pd.DataFrame) and isinstance(base, tuple)
    nrr, index, converted = base
    np.testing.assert_allclose(
        table[[f"nrr_{key}" for key in ELEMENTS]].to_numpy(), nrr, rtol=1e-12
    )
    np.testing.assert_allclose(table["ikm"].to_numpy(), index, rtol=1e-12)
    np.testing.assert_allclose(table["ikm_converted"].to_numpy(), converted, rtol=1e-12)

    print("categorical unit_id and period (peak: tracemalloc, NumPy buffers):")
    print(
        f"  baseline (NumPy bincount): {t_base:6.3f} s (CPU {ct_base:6.3f} s)  "
        f"peak {mem_base:7.1f} MiB"
    )
    print(
        f"  ikm()                    : {t_ikm:6.3f} s (CPU {ct_ikm:6.3f} s)  "
        f"peak {mem_ikm:7.1f} MiB"
    )
    print(f"  ratio ikm / baseline     : {t_ikm / t_base:6.2f} (CPU {ct_ikm / ct_base:.2f})")

    # str keys, both storages: the baseline factorizes the same string columns.
    ratios: dict[str, float] = {}
    times: dict[str, float] = {}
    cpus: dict[str, float] = {}
    for storage in STORAGES:
        frame = with_string_keys(responses, storage)
        assert storage_of(frame) == storage
        t_b, _, got_b, ct_b = measure(lambda f=frame: baseline_factorize(f), args.repeat)
        t_i, _, got_i, ct_i = measure(lambda f=frame: run_ikm(f), args.repeat)
        assert isinstance(got_i, pd.DataFrame) and isinstance(got_b, tuple)
        ikm_b, keys = got_b
        order = np.lexsort((keys[:, 1], keys[:, 0]))
        np.testing.assert_array_equal(got_i["unit_id"].to_numpy(dtype=object), keys[order, 0])
        np.testing.assert_allclose(got_i["ikm"].to_numpy(), ikm_b[order], rtol=1e-12)
        np.testing.assert_array_equal(got_i["ikm"].to_numpy(), index)  # identical numbers
        ratios[storage] = min(t_i / t_b, ct_i / ct_b)
        times[storage], cpus[storage] = t_i, ct_i
        print(f"str unit_id and period, {storage} storage:")
        print(f"  baseline (pd.factorize + NumPy bincount): {t_b:6.3f} s (CPU {ct_b:6.3f} s)")
        print(f"  ikm()                                   : {t_i:6.3f} s (CPU {ct_i:6.3f} s)")
        print(
            f"  ratio ikm / baseline                    : {t_i / t_b:6.2f} (CPU {ct_i / ct_b:.2f})"
        )
        del frame
    cpu = (cpus["pyarrow"], cpus["python"])
    print(ratio_line("ikm() with str keys", times["pyarrow"], times["python"], cpu))
    print("results identical under both storages and to the baselines: yes")

    if not args.no_rss:
        print("peak RSS of a fresh process per configuration (data + one ikm() run):")
        for config in ("categorical", *STORAGES):
            got = peak_rss(__file__, config, "--rows", str(args.rows))
            print(
                f"  {config:11s}: peak {got['peak_rss_mib']:7.0f} MiB "
                f"(after building the data {got['data_rss_mib']:7.0f} MiB)"
            )

    met = ratios["pyarrow"] <= 1.5
    print(
        f"target (pyarrow str keys within 1.5x pd.factorize + bincount, wall or CPU): "
        f"{'met' if met else 'NOT met'} ({ratios['pyarrow']:.2f})"
    )


if __name__ == "__main__":
    main()
