"""Benchmark: load the bundled data from its CSV folder and from one workbook (issue 12, item 8).

Run with ``python benchmarks/bench_load.py`` (optionally ``--repeat N``).
The workbook is written once with openpyxl (one sheet per table, every cell as text, as the
template would hold identifiers), then both forms are loaded with ``load_dataset`` (workbooks
are read with python-calamine). Seconds are the best of ``--repeat`` runs; peak memory is the
tracemalloc peak of a separate run. Target: the workbook form within 3x the CSV form.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd

from asn_analysis.data import bundled_data_path, load_dataset
from asn_analysis.data.privacy import SYNTHETIC_SALT
from asn_analysis.data.schema import TABLES


def write_workbook(path: Path) -> float:
    """Write the bundled data to one workbook, every cell as text; return seconds."""
    started = time.perf_counter()
    src = bundled_data_path()
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for table in TABLES:
            frame = pd.read_csv(src / f"{table}.csv", dtype=str, keep_default_na=False)
            frame.to_excel(xl, sheet_name=table, index=False)
    return time.perf_counter() - started


def measure(path: Path | None, repeat: int) -> tuple[float, float]:
    """Return best seconds and peak traced memory (MB) of ``load_dataset(path)``."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        load_dataset(path, salt=SYNTHETIC_SALT)
        best = min(best, time.perf_counter() - started)
    tracemalloc.start()
    load_dataset(path, salt=SYNTHETIC_SALT)
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
        csv_s, csv_mb = measure(None, args.repeat)
        xlsx_s, xlsx_mb = measure(book, args.repeat)
    print(f"CSV folder : {csv_s:6.2f} s, peak {csv_mb:7.1f} MB")
    print(f"workbook   : {xlsx_s:6.2f} s, peak {xlsx_mb:7.1f} MB")
    verdict = "within" if xlsx_s <= 3 * csv_s else "NOT within"
    print(
        f"ratio workbook/CSV: {xlsx_s / csv_s:.2f} x time, {xlsx_mb / csv_mb:.2f} x memory "
        f"({verdict} the 3x target)"
    )


if __name__ == "__main__":
    main()
