"""Benchmark: the IKM bootstrap of ikm_ci() against the implementation before issue 15.

Run with ``python benchmarks/bench_ikm_ci.py`` (optionally ``--n-boot B``, ``--repeat R``).
Data: the bundled synthetic regency's SKM survey (63,469 responses), grouped as
``summarize_satisfaction`` groups it: 237 unit x period groups (the units table of notebook 03)
and 8 periods (the regency table). Both implementations draw the same uniforms from
``default_rng(0)``; the old one (``_bootstrap_reference`` in ``tests/test_satisfaction.py``)
draws all ``(n_boot, N)`` at once and sums in float64 on the BLAS defaults, the new one draws
and counts a cache-sized block at a time and sums on one BLAS thread (float32 when every sum is
an exact integer below 2**24). The replicates must be identical. Seconds are the best of
``--repeat`` runs (wall and CPU, both in this process, old and new alternating); peak memory
is the tracemalloc peak of a separate run (NumPy buffers are traced).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from bench_segments import traced_peak
from storage import best_of

from asn_analysis.data import load_dataset
from asn_analysis.satisfaction.ci import _bootstrap_ikm
from asn_analysis.satisfaction.inputs import prepare

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_satisfaction import _bootstrap_reference  # noqa: E402  (the old implementation)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-boot", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    skm = load_dataset().skm_responses
    print(f"data: {len(skm):,} SKM responses; n_boot {args.n_boot}; best of {args.repeat}")
    for by in (["unit_id", "period"], "period"):
        prep = prepare(skm, by=by, elements=None, keep_rows=True)
        assert prep.rows is not None
        call = (prep.groups.codes, prep.rows, prep.groups.size, "exact", args.n_boot)

        def old(call=call):
            return _bootstrap_reference(*call, np.random.default_rng(0))

        def new(call=call):
            return _bootstrap_ikm(*call, np.random.default_rng(0))

        o_wall, o_cpu, o_reps = best_of(old, args.repeat)
        n_wall, n_cpu, n_reps = best_of(new, args.repeat)
        same = np.array_equal(o_reps, n_reps, equal_nan=True)
        print(
            f"by {by!s:22} {prep.groups.size:4d} groups | old {o_wall:6.2f} s wall "
            f"{o_cpu:6.2f} s CPU {traced_peak(old):6.0f} MiB | new {n_wall:6.2f} s wall "
            f"{n_cpu:6.2f} s CPU {traced_peak(new):6.0f} MiB | CPU ratio old/new "
            f"{o_cpu / n_cpu:5.2f} | replicates identical: {'yes' if same else 'NO'}"
        )


if __name__ == "__main__":
    main()
