"""Benchmark: load the bundled data from its CSV folder and from one workbook (issue 12, item 8).

Run with ``python benchmarks/bench_load.py`` (optionally ``--repeat N``).
The workbook is written once with openpyxl (one sheet per table, every cell as text, as the
template would hold identifiers), then both forms are loaded with ``load_dataset`` (workbooks
are read with python-calamine), and a Parquet folder (one file per table, every column text) is
loaded too. Each form is loaded under both pandas string storages (pyarrow, the default, then
python; ``benchmarks/storage.py``). Seconds are the best of ``--repeat`` runs; peak memory is the
tracemalloc peak of a separate run (pyarrow's memory pool is not seen). Target: the workbook
form within 3x the CSV form.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd
from storage import STORAGES, ratio_line, use_storage

from asn_analysis.data import bundled_data_path, load_dataset
from asn_analysis.data.privacy import SYNTHETIC_SALT
from asn_analysis.data.schema import TABLES

#: A fixed strong salt for the workbook and Parquet copies (not a secret: benchmark data only).
BENCH_SALT = "c0ffee5a1f3b9d2e8a7c6b5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f"


def write_workbook(path: Path) -> float:
    """Write the bundled data to one workbook, every cell as text; return seconds."""
    started = time.perf_counter()
    src = bundled_data_path()
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for table in TABLES:
            frame = pd.read_csv(src / f"{table}.csv", dtype=str, keep_default_na=False)
            frame.to_excel(xl, sheet_name=table, index=False)
    return time.perf_counter() - started


def write_parquet(folder: Path) -> float:
    """Write the bundled data as one Parquet file per table, every cell as text; return seconds."""
    started = time.perf_counter()
    src = bundled_data_path()
    folder.mkdir()
    for table in TABLES:
        frame = pd.read_csv(src / f"{table}.csv", dtype=str, keep_default_na=False)
        frame.to_parquet(folder / f"{table}.parquet", index=False)
    return time.perf_counter() - started


def measure(path: Path | None, repeat: int) -> tuple[float, float]:
    """Return best seconds and peak traced memory (MB) of ``load_dataset(path)``."""
    # A copy in another form is real data to the loader: it needs a strong salt.
    salt = SYNTHETIC_SALT if path is None else BENCH_SALT
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        load_dataset(path, salt=salt)
        best = min(best, time.perf_counter() - started)
    tracemalloc.start()
    load_dataset(path, salt=salt)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "bundled.xlsx"
        written = write_workbook(book)
        size = book.stat().st_size / 2**20
        print(f"workbook written with openpyxl in {written:.1f} s ({size:.1f} MB)")
        folder = Path(tmp) / "parquet"
        print(f"Parquet folder written in {write_parquet(folder):.1f} s")
        times: dict[tuple[str, str], float] = {}
        for storage in STORAGES:
            with use_storage(storage):
                csv_s, csv_mb = measure(None, args.repeat)
                xlsx_s, xlsx_mb = measure(book, args.repeat)
                pq_s, pq_mb = measure(folder, args.repeat)
            times[storage, "csv"], times[storage, "xlsx"], times[storage, "pq"] = (
                csv_s,
                xlsx_s,
                pq_s,
            )
            print(f"[{storage} strings] (peak: tracemalloc; pyarrow's pool is not seen)")
            print(f"  CSV folder    : {csv_s:6.2f} s, peak {csv_mb:7.1f} MB")
            print(f"  workbook      : {xlsx_s:6.2f} s, peak {xlsx_mb:7.1f} MB")
            print(f"  Parquet folder: {pq_s:6.2f} s, peak {pq_mb:7.1f} MB")
            verdict = "within" if xlsx_s <= 3 * csv_s else "NOT within"
            print(
                f"  ratio workbook/CSV: {xlsx_s / csv_s:.2f} x time, {xlsx_mb / csv_mb:.2f} x "
                f"memory ({verdict} the 3x target); Parquet/CSV {pq_s / csv_s:.2f} x time"
            )
    for form, label in (("csv", "CSV folder"), ("xlsx", "workbook"), ("pq", "Parquet folder")):
        print(ratio_line(f"load_dataset, {label}", times["pyarrow", form], times["python", form]))


if __name__ == "__main__":
    main()
