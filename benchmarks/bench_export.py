"""Benchmark: the findings export (cards, figures, brief, workbook, PDFs) on the bundled data.

Run with ``python benchmarks/bench_export.py`` (``--repeat R``, ``--storage pyarrow``).

The analyses are computed once (``summaries.collect``, not timed); then, in one process, best
of ``--repeat`` runs after a warm-up, wall and CPU seconds (CPU: this process only, not
Chromium's) and tracemalloc's peak:

- the 30 trend charts of the unit cards: one reused figure (:class:`TrendPainter`, ours)
  against a new figure per card (:func:`trend_figure`, the way before issue 15);
- the whole export with PDFs: the prints started as soon as their HTML exists (ours) against
  the export without PDFs followed by the same two prints (the way before issue 15);
  without Chromium only the export is timed.

Everything runs once per pandas string storage (``benchmarks/storage.py``).
"""

from __future__ import annotations

import argparse
import tempfile
import tracemalloc
import warnings
from pathlib import Path

from storage import STORAGES, best_of, ratio_line, use_storage

from asn_analysis import load_dataset
from asn_analysis.reporting import summaries
from asn_analysis.reporting.cards import TrendPainter, trend_figure, unit_cards
from asn_analysis.reporting.export import export_findings
from asn_analysis.reporting.pdf import find_chromium, print_pdfs


def _peak(fn) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def _line(what: str, ours: tuple, base: tuple, ours_mb: float, base_mb: float) -> str:
    return (
        f"  {what:34s} ours {ours[0]:6.2f} s (CPU {ours[1]:5.2f}) peak {ours_mb:6.1f} MiB | "
        f"before {base[0]:6.2f} s (CPU {base[1]:5.2f}) peak {base_mb:6.1f} MiB | "
        f"ratio before/ours wall {base[0] / ours[0]:4.2f} CPU {base[1] / ours[1]:4.2f}"
    )


def run(opts: argparse.Namespace, storage: str) -> float:
    """Time the export with the bundled data loaded under one string storage; return ours."""
    with use_storage(storage), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = summaries.collect(load_dataset())
        regency = results.satisfaction.regency
        cards = [c for c in unit_cards(results, lang="id") if c.trend is not None]

        def painter() -> None:
            p = TrendPainter(regency, lang="id")
            try:
                [p.draw(c) for c in cards]
            finally:
                p.close()

        def one_by_one() -> None:
            [trend_figure(c, regency, lang="id") for c in cards]

        folder = Path(tempfile.mkdtemp(prefix="asn-bench-export-"))
        chromium = find_chromium() is not None

        def ours() -> None:
            export_findings(results, folder / "ours", lang="id", pdf="combined")

        def before() -> None:
            out = export_findings(results, folder / "before", lang="id", pdf="none")
            if chromium:  # out.cards: index, one page per unit, the combined page (last)
                pages = [out.brief_html, out.cards[-1]]
                print_pdfs([(p, p.with_suffix(".pdf")) for p in pages])

        ours()  # warm-up: imports, fonts, Chromium's first start
        print(f"[{storage} strings] export of the bundled data: {len(cards)} unit cards")
        figs = best_of(painter, opts.repeat), best_of(one_by_one, opts.repeat)
        print(_line("trend charts (30)", *figs, _peak(painter), _peak(one_by_one)))
        timed = best_of(ours, opts.repeat), best_of(before, opts.repeat)
        what = "export with PDFs" if chromium else "export (no Chromium: no PDFs)"
        print(_line(what, *timed, _peak(ours), _peak(before)))
    return timed[0][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--storage", choices=STORAGES, action="append")
    opts = parser.parse_args()
    storages = opts.storage or list(STORAGES)
    ours = {storage: run(opts, storage) for storage in storages}
    if len(ours) == 2:
        print(ratio_line("export_findings", ours["pyarrow"], ours["python"]))


if __name__ == "__main__":
    main()
