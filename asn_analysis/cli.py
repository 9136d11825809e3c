"""Command line: ``asn-analysis validate | template | generate-data | run``.

``run`` never prints a traceback for a user's mistake or for Ctrl-C: a stopped run says so in
one line (exit status 130 for Ctrl-C or a termination signal, 1 for a failure) and leaves the
output folder as it was (:mod:`asn_analysis.pipeline`).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from asn_analysis.data import DataValidationError, bundled_data_path, validate
from asn_analysis.data.headers import ColumnMappingError
from asn_analysis.data.privacy import MissingSaltError
from asn_analysis.errors import AsnAnalysisError


def _cmd_validate(args: argparse.Namespace) -> int:
    try:
        report = validate(args.path, columns=args.columns)
    except (AsnAnalysisError, FileNotFoundError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(report.format())
    from asn_analysis.reporting.coverage import coverage

    print(coverage(report.tables_present).format())
    return 0 if report.ok else 1


def _cmd_template(args: argparse.Namespace) -> int:
    from asn_analysis.data.template import TemplateError, write_template

    if (args.out is None) == (args.csv is None):
        print(
            "Give either OUT.xlsx or --csv DIR / Berikan OUT.xlsx atau --csv DIR", file=sys.stderr
        )
        return 2
    target, fmt = (args.out, "xlsx") if args.out is not None else (args.csv, "csv")
    try:
        written = write_template(target, fmt=fmt, overwrite=args.force)
    except TemplateError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    what = "workbook" if fmt == "xlsx" else f"{len(written)} CSV files in"
    print(f"Wrote the input template ({what}) {target} / Templat data ditulis.")
    print(f"Fill it, then check it: asn-analysis validate {target}")
    return 0


def _cmd_generate(args: argparse.Namespace) -> int:
    from asn_analysis.data.synthetic import generate, write

    started = time.perf_counter()
    written = write(generate(seed=args.seed), args.out)
    print(f"Wrote {len(written)} files to {args.out} in {time.perf_counter() - started:.1f} s")
    print("The data is synthetic, not real Mamuju data. / Data ini sintetis.")
    return 0


@contextlib.contextmanager
def _termination_as_interrupt():
    """Let a termination signal (SIGTERM) stop a run as Ctrl-C does, cleaning up after it."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave the signal alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _cmd_run(args: argparse.Namespace) -> int:
    from asn_analysis.pipeline import (
        NotebookFailed,
        NothingToAnalyse,
        OutputFolderError,
        incomplete_message,
        run,
    )
    from asn_analysis.settings import SettingsError

    existed = args.out.exists()
    try:
        with _termination_as_interrupt():
            result = run(
                data=args.data,
                lang=args.lang,
                out=args.out,
                seed=args.seed,
                notebooks=args.notebook,
                columns=args.columns,
                parameters=[tuple(p) for p in args.param or ()],
                jobs=args.jobs,
            )
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except DataValidationError as exc:
        print(str(exc), file=sys.stderr)
        print(
            "No notebook was run: fix the data first. / Perbaiki data terlebih dahulu.",
            file=sys.stderr,
        )
        return 1
    except (
        MissingSaltError,
        ColumnMappingError,
        NothingToAnalyse,
        OutputFolderError,
        FileNotFoundError,
    ) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except NotebookFailed as exc:
        print(str(exc), file=sys.stderr)
        print(incomplete_message(args.out, interrupted=False, existed=existed), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(incomplete_message(args.out, interrupted=True, existed=existed), file=sys.stderr)
        return 130
    except Exception:
        # a defect, not a user's mistake: say what happened to the outputs, keep the traceback
        print(incomplete_message(args.out, interrupted=False, existed=existed), file=sys.stderr)
        raise
    print(result.format())
    return 0


def _positive(text: str) -> int:
    """Parse a whole number of at least 1 (``--jobs``)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of at least 1, not {text!r} / harus bilangan bulat >= 1"
        )
    return value


_COLUMNS_HELP = "column mapping (TOML): the export's headers -> codebook names (data/README.md)"


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``asn-analysis``."""
    parser = argparse.ArgumentParser(
        prog="asn-analysis",
        description="Evaluate an ASN personnel system: competency fit, training effects, "
        "citizen satisfaction (IKM) and resistance to evaluation.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check a dataset and print the validation report")
    p.add_argument("path", nargs="?", default=None, help="folder of CSV files or .xlsx workbook")
    p.add_argument("--columns", type=Path, default=None, help=_COLUMNS_HELP)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "template", help="write an empty input workbook (or CSV files) for an agency to fill"
    )
    p.add_argument("out", nargs="?", type=Path, default=None, help="workbook to write (.xlsx)")
    p.add_argument(
        "--csv", type=Path, default=None, metavar="DIR", help="write one CSV per table into DIR"
    )
    p.add_argument("--force", action="store_true", help="replace existing files")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser("generate-data", help="regenerate the synthetic Mamuju-like data")
    from asn_analysis.data.synthetic import DEFAULT_SEED

    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--out", type=Path, default=bundled_data_path())
    p.set_defaults(func=_cmd_generate)

    p = sub.add_parser("run", help="validate the data and execute every notebook")
    p.add_argument("--data", type=Path, default=None, help="dataset (default: bundled data)")
    p.add_argument("--columns", type=Path, default=None, help=_COLUMNS_HELP)
    p.add_argument("--lang", choices=["id", "en"], default=None, help="default: settings (id)")
    p.add_argument("--out", type=Path, default=Path("reports"))
    p.add_argument("--seed", type=int, default=None, help="default: settings (0)")
    p.add_argument(
        "-p",
        "--param",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        default=None,
        help="set a run setting (repeatable; see the README, 'Run configuration'); "
        "wins over asn-analysis.toml beside the data",
    )
    p.add_argument(
        "--notebook", action="append", default=None, help="run only this notebook (repeatable)"
    )
    p.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help="notebooks executed at once, one kernel each (default: 2, or 1 on one core); "
        "1 needs the least memory",
    )
    p.set_defaults(func=_cmd_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))


def console() -> NoReturn:
    """Run the command line as the ``asn-analysis`` program, and exit with its status.

    Once the command is done (its outputs written and closed, its summary printed), the
    objects left are frozen out of the garbage collector: Python's last collection at exit
    then skips them instead of walking the whole analysis heap (about a second after a run,
    against 0.1 s), and the operating system takes the memory back. Only the program does
    this; :func:`main`, called from Python (tests, scripts), leaves the collector alone.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    console()
