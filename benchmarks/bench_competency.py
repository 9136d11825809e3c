"""Benchmark: JPM, competency gaps and 9-box at national scale (4.3 million employees).

Run with ``python benchmarks/bench_competency.py`` (``--employees N`` for another size).

Data: 4.3 million employees (integer ids) in 2,000 positions and 15,000 units; each position's
standard has 9 competencies (8 managerial + the technical competency of one of 20 job families,
28 competency keys); the assessments table is long, one row per employee and competency
(38.7 million rows, in random order), with ``competency`` categorical and ``level`` int8, as a
national table kept as parquet would be (``--string-ids``: employee ids as text, the pseudonyms
``load_dataset`` gives). ``--reassessed`` adds a share of employees with a second,
later assessment of every competency (so the latest-assessment logic does real work).

Three ways to do the same work are timed in one run:

* the library: :func:`job_person_match`, :func:`competency_gaps`, and
  :func:`potensial_from_jpm` + :func:`kinerja_from_predikat` + :func:`nine_box`;
* a NumPy kernel doing the same arithmetic with no validation and no result tables: employee
  row by a lookup table, required level by (position, competency), ``np.bincount`` sums,
  division and cap, category cut, gap by subtraction, 9-box by a 3 x 3 lookup;
* a straightforward pandas solution: merge the standards onto the long table,
  ``groupby("employee_id").apply`` for JPM, a subtraction for gaps and a row-wise ``apply``
  for the 9-box. It is far too slow for 4.3 million groups, so it runs on a random subsample of
  employees and its time is extrapolated linearly (stated in the output).

Everything runs twice, once per pandas string storage (``benchmarks/storage.py``): the data are
built and the workloads run under ``mode.string_storage = "pyarrow"`` (the default with pyarrow
installed) and then ``"python"``, and the results must be identical. Seconds are the best of
``--repeat`` runs in this process. Memory is measured two ways: the tracemalloc peak of a separate
run (NumPy and pandas buffers; the input tables, built before, are not counted; pyarrow's memory
pool is not seen), and the peak RSS of a fresh process per storage (``--no-rss`` skips it), which
counts everything: interpreter, input tables and the run. Targets (issue 15): with pyarrow
strings, within 1.5x the python-storage time and under 1.5 GiB peak.
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
    assert_same,
    best_of,
    peak_rss,
    ratio_line,
    report_child,
    reset_peak,
    rss_mib,
    storage_of,
    use_storage,
)

from asn_analysis.competency import competency_gaps, job_person_match
from asn_analysis.data.schema import MANAGERIAL_COMPETENCIES, PREDIKAT, RATINGS
from asn_analysis.talent import (
    KINERJA_FROM_PREDIKAT,
    POTENTIAL,
    kinerja_from_predikat,
    nine_box,
    potensial_from_jpm,
)

N_POSITIONS = 2_000
N_UNITS = 15_000
N_FAMILIES = 20
ID_OFFSET = 197_000_000_000  # integer pseudonymous ids, not starting at 0
AS_OF = "2025-06-30"
PREDIKAT_SHARES = (0.0015, 0.0025, 0.006, 0.94, 0.05)


def make_data(
    n_employees: int, reassessed: float, seed: int = 20250101, string_ids: bool = False
) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    families = [f"teknis_keluarga_{i:02d}" for i in range(N_FAMILIES)]
    competencies = sorted([*MANAGERIAL_COMPETENCIES, *families])
    positions = [f"Jabatan {i:04d}" for i in range(N_POSITIONS)]
    pos_family = rng.integers(0, N_FAMILIES, N_POSITIONS)
    pos_level = rng.integers(1, 5, N_POSITIONS)
    rows = []
    for p in range(N_POSITIONS):
        for c in MANAGERIAL_COMPETENCIES:
            rows.append((positions[p], c, "manajerial", int(pos_level[p])))
        rows.append((positions[p], families[pos_family[p]], "teknis", int(pos_level[p]) + 1))
    standards = pd.DataFrame(rows, columns=["position", "competency", "group", "required_level"])

    ids = ID_OFFSET + rng.permutation(n_employees).astype(np.int64)
    emp_pos = rng.integers(0, N_POSITIONS, n_employees)
    employees = pd.DataFrame(
        {
            "employee_id": ids,
            "unit_id": pd.Categorical.from_codes(
                rng.integers(0, N_UNITS, n_employees), [f"U{u:05d}" for u in range(N_UNITS)]
            ),
            "position": pd.Categorical.from_codes(emp_pos, positions),
        }
    )
    # Long table: 9 rows per employee (8 managerial + the position's technical competency).
    comp_index = {c: i for i, c in enumerate(competencies)}
    managerial = np.array([comp_index[c] for c in MANAGERIAL_COMPETENCIES])
    technical = np.array([comp_index[f] for f in families])[pos_family[emp_pos]]
    comp_codes = np.column_stack([np.tile(managerial, (n_employees, 1)), technical]).ravel()
    emp_rows = np.repeat(np.arange(n_employees), 9)
    required = np.repeat(pos_level[emp_pos], 9).reshape(n_employees, 9)
    required[:, 8] += 1
    level = np.clip(required.ravel() + rng.integers(-1, 2, required.size), 1, 5).astype(np.int8)
    dates = np.datetime64("2022-01-03") + rng.integers(0, 900, n_employees).astype("m8[D]")
    assessed = np.repeat(dates, 9)
    if reassessed > 0:
        # A second assessment of all 9 competencies, 400 days later (some after AS_OF).
        again = np.flatnonzero(rng.random(n_employees) < reassessed)
        rows_again = (again[:, None] * 9 + np.arange(9)).ravel()
        emp_rows = np.concatenate([emp_rows, emp_rows[rows_again]])
        comp_codes = np.concatenate([comp_codes, comp_codes[rows_again]])
        new_level = np.clip(level[rows_again] + rng.integers(0, 2, len(rows_again)), 1, 5)
        level = np.concatenate([level, new_level.astype(np.int8)])
        assessed = np.concatenate([assessed, assessed[rows_again] + np.timedelta64(400, "D")])
    order = rng.permutation(len(emp_rows))
    assessments = pd.DataFrame(
        {
            "employee_id": ids[emp_rows[order]],
            "competency": pd.Categorical.from_codes(comp_codes[order], competencies),
            "level": level[order],
            "assessed_on": assessed[order].astype("datetime64[ns]"),
        }
    )
    kernel_ids = (employees["employee_id"].to_numpy(), assessments["employee_id"].to_numpy())
    if string_ids:  # pseudonyms as text, as load_dataset gives them (the kernel keeps integers)
        employees["employee_id"] = employees["employee_id"].astype("str")
        assessments["employee_id"] = assessments["employee_id"].astype("str")
    p = rng.choice(len(PREDIKAT), size=n_employees, p=PREDIKAT_SHARES)
    predikat = pd.Series(pd.Categorical.from_codes(p, PREDIKAT, ordered=True))
    return {
        "assessments": assessments,
        "standards": standards,
        "employees": employees,
        "predikat": predikat,
        "reassessed": reassessed > 0,
        "kernel_ids": kernel_ids,
    }


def run_library(d: dict) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    args = (d["assessments"], d["standards"], d["employees"])
    jpm = job_person_match(*args, as_of=AS_OF)
    gaps = competency_gaps(*args, as_of=AS_OF)
    box = nine_box(kinerja_from_predikat(d["predikat"]), potensial_from_jpm(jpm["jpm_pct"]))
    return jpm, gaps, box


def run_numpy(d: dict) -> tuple[np.ndarray, ...]:
    """The same arithmetic in plain NumPy (with repeats: keep the latest by a lexsort)."""
    a, s, e = d["assessments"], d["standards"], d["employees"]
    ids, assessed_ids = d["kernel_ids"]
    lo = int(ids.min())
    lut = np.full(int(ids.max()) - lo + 1, -1, dtype=np.int64)
    lut[ids - lo] = np.arange(len(ids))
    dates = a["assessed_on"].to_numpy()
    keep = dates <= np.datetime64(AS_OF)
    row = lut[assessed_ids[keep] - lo]
    pos_codes, positions = pd.factorize(s["position"])
    comp_codes, comps = pd.factorize(s["competency"])
    required = np.zeros((len(positions), len(comps)), dtype=np.int64)
    required[pos_codes, comp_codes] = s["required_level"].to_numpy()
    emp_pos = positions.get_indexer(e["position"].cat.categories)[e["position"].cat.codes]
    comp = comps.get_indexer(a["competency"].cat.categories)[a["competency"].cat.codes[keep]]
    level = a["level"].to_numpy()[keep]
    if d["reassessed"]:
        key = row * len(comps) + comp
        order = np.lexsort((dates[keep], key))
        last = order[np.append(key[order][1:] != key[order][:-1], True)]
        row, comp, level = row[last], comp[last], level[last]
    req = required[emp_pos[row], comp]
    held_sum = np.bincount(row, weights=level, minlength=len(ids))
    req_sum = np.bincount(row, weights=req, minlength=len(ids))
    jpm = np.minimum(100.0, 100.0 * held_sum / req_sum)
    category = (jpm >= 78).astype(np.int8) + (jpm >= 90)
    gap = level - req
    kin_lut = np.array([RATINGS.index(KINERJA_FROM_PREDIKAT[p]) for p in PREDIKAT])
    kinerja = kin_lut[d["predikat"].cat.codes.to_numpy()]
    potensial = (jpm >= 78).astype(np.int64) + (jpm >= 90)
    grid = np.array([[1, 2, 4], [3, 5, 7], [6, 8, 9]])  # [potensial, kinerja], PermenPANRB
    box = grid[potensial, kinerja]
    return jpm, category, gap, box


def run_pandas(d: dict) -> tuple[pd.Series, pd.DataFrame, pd.Series]:
    """Straightforward pandas: merge, groupby-apply, row-wise apply."""
    a = d["assessments"]
    a = a[a["assessed_on"] <= AS_OF]
    if d["reassessed"]:
        latest = a.sort_values("assessed_on").groupby(["employee_id", "competency"], observed=True)
        a = latest.tail(1)
    e = d["employees"].assign(position=d["employees"]["position"].astype(str))
    m = a.assign(competency=a["competency"].astype(str)).merge(
        e[["employee_id", "position"]], on="employee_id"
    )
    m = m.merge(d["standards"], on=["position", "competency"])
    jpm = m.groupby("employee_id").apply(
        lambda g: min(100.0, 100.0 * g["level"].sum() / g["required_level"].sum()),
        include_groups=False,
    )
    gaps = m.assign(gap=m["level"] - m["required_level"])
    pred = d["predikat"].astype(str).to_numpy()
    frame = pd.DataFrame(
        {
            "kinerja": [KINERJA_FROM_PREDIKAT[p] for p in pred[: len(jpm)]],
            "potensial": np.where(jpm >= 90, "tinggi", np.where(jpm >= 78, "menengah", "rendah")),
        }
    )
    grid = {
        (pot, kin): 3 * POTENTIAL.index(pot) + RATINGS.index(kin) + 1
        for pot in POTENTIAL
        for kin in RATINGS
    }
    box = frame.apply(lambda r: grid[(r["potensial"], r["kinerja"])], axis=1)
    return jpm, gaps, box


def subsample(d: dict, n: int, seed: int = 1) -> dict:
    rng = np.random.default_rng(seed)
    e = d["employees"]
    take = np.sort(rng.choice(len(e), size=n, replace=False))
    ids = e["employee_id"].to_numpy()[take]
    a = d["assessments"]
    return {
        "assessments": a[np.isin(a["employee_id"].to_numpy(), ids)],
        "standards": d["standards"],
        "employees": e.iloc[take],
        "predikat": d["predikat"].iloc[take].reset_index(drop=True),
        "reassessed": d["reassessed"],
        "kernel_ids": (ids, a["employee_id"].to_numpy()),
    }


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


def child(n_employees: int, reassessed: float, storage: str, string_ids: bool) -> None:
    """One storage in a fresh process: peak RSS of the data plus one library run."""
    with use_storage(storage):
        d = make_data(n_employees, reassessed, string_ids=string_ids)
        data_mib = rss_mib()
        reset_peak()
        run_library(d)
    report_child(data_rss_mib=data_mib)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=4_300_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reassessed", type=float, default=0.0)
    parser.add_argument("--pandas-sample", type=int, default=20_000)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--no-rss", action="store_true", help="skip the peak-RSS subprocesses")
    parser.add_argument(
        "--string-ids", action="store_true", help="employee ids as text (as load_dataset gives)"
    )
    args = parser.parse_args()
    if args.child:
        child(args.employees, args.reassessed, args.child, args.string_ids)
        return

    results: dict[str, dict[str, float]] = {}
    first: tuple | None = None
    for storage in STORAGES:
        with use_storage(storage):
            start = time.perf_counter()
            d = make_data(args.employees, args.reassessed, string_ids=args.string_ids)
            a = d["assessments"]
            assert storage_of(d["standards"]) == storage
            print(
                f"[{storage} strings] data: {len(d['employees']):,} employees, {len(a):,} "
                f"assessment rows, {len(d['standards']):,} standard rows; built in "
                f"{time.perf_counter() - start:.1f} s ({a.memory_usage().sum() / 2**20:.0f} MiB "
                "assessments)"
            )
            t_np, mem_np, base, ct_np = measure(lambda d=d: run_numpy(d), args.repeat)
            t_lib, mem_lib, lib, ct_lib = measure(lambda d=d: run_library(d), args.repeat)
            assert isinstance(lib, tuple) and isinstance(base, tuple)
            jpm, gaps, box = lib
            np.testing.assert_allclose(jpm["jpm_pct"].to_numpy(), base[0], rtol=1e-12)
            np.testing.assert_array_equal(jpm["category"].cat.codes.to_numpy(), base[1])
            assert len(gaps) == len(base[2]) and gaps["gap"].sum() == base[2].sum()
            np.testing.assert_array_equal(box["box"].to_numpy(dtype=np.int64), base[3])
            if first is None:
                first = lib
                sample = subsample(d, min(args.pandas_sample, args.employees))
                t0 = time.perf_counter()
                pd_jpm, _, _ = run_pandas(sample)
                t_pd_sample = time.perf_counter() - t0
                t_pd = t_pd_sample * args.employees / len(sample["employees"])
                check = jpm.set_index("employee_id")["jpm_pct"].reindex(pd_jpm.index)
                np.testing.assert_allclose(check.to_numpy(), pd_jpm.to_numpy(), rtol=1e-12)
                n_sample = len(sample["employees"])
            else:  # identical numbers under both storages
                for mine, theirs in zip(lib, first, strict=True):
                    assert_same(mine, theirs)
            results[storage] = {
                "numpy": t_np,
                "lib": t_lib,
                "cpu_np": ct_np,
                "cpu_lib": ct_lib,
                "mem_np": mem_np,
                "mem_lib": mem_lib,
            }
            del d, a, base, lib, jpm, gaps, box

    for storage in STORAGES:
        r = results[storage]
        print(f"[{storage} strings] (peak: tracemalloc, NumPy and pandas buffers; not pyarrow's)")
        print(
            f"  NumPy kernel            : {r['numpy']:7.2f} s (CPU {r['cpu_np']:7.2f} s)  "
            f"peak {r['mem_np']:8.1f} MiB"
        )
        print(
            f"  library (JPM+gaps+9-box): {r['lib']:7.2f} s (CPU {r['cpu_lib']:7.2f} s)  "
            f"peak {r['mem_lib']:8.1f} MiB"
        )
        print(
            f"  ratio library / NumPy kernel: {r['lib'] / r['numpy']:6.2f} "
            f"(CPU {r['cpu_lib'] / r['cpu_np']:.2f})"
        )
    print(
        f"pandas groupby-apply    : {t_pd:7.1f} s  EXTRAPOLATED linearly from "
        f"{n_sample:,} employees ({t_pd_sample:.2f} s, pyarrow strings)"
    )
    lib_arrow, lib_python = results["pyarrow"]["lib"], results["python"]["lib"]
    cpu = (results["pyarrow"]["cpu_lib"], results["python"]["cpu_lib"])
    print(ratio_line("library (JPM+gaps+9-box)", lib_arrow, lib_python, cpu))
    print(f"ratio library / pandas groupby-apply: {lib_arrow / t_pd:8.4f}")
    print("results equal to the NumPy kernel, to pandas on the sample and across storages: yes")
    peaks = {}
    if not args.no_rss:
        print("peak RSS of a fresh process per storage (interpreter + data + one library run):")
        for storage in STORAGES:
            got = peak_rss(
                __file__,
                storage,
                "--employees",
                str(args.employees),
                "--reassessed",
                str(args.reassessed),
                *(["--string-ids"] if args.string_ids else []),
            )
            peaks[storage] = got["peak_rss_mib"] - got["data_rss_mib"]
            print(
                f"  {storage:7s}: peak {got['peak_rss_mib']:7.0f} MiB (after building the data "
                f"{got['data_rss_mib']:7.0f} MiB, the run adds "
                f"{got['peak_rss_mib'] - got['data_rss_mib']:6.0f} MiB)"
            )
    ok = min(lib_arrow / lib_python, cpu[0] / cpu[1]) <= 1.5
    ok = ok and lib_arrow <= 2 * results["pyarrow"]["numpy"]
    if peaks:
        ok = ok and peaks["pyarrow"] < 1.5 * 1024
    print(
        "targets (pyarrow within 1.5x python in wall or CPU time, <= 2x NumPy kernel, "
        "the run's peak RSS over its input data < 1.5 GiB):",
        "met" if ok else "NOT met",
    )


if __name__ == "__main__":
    main()
