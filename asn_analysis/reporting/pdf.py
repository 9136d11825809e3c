"""Print HTML pages to A4 PDF with headless Chromium (the brief and the unit report cards).

Chromium's print-to-PDF is a real layout engine: it honours the print CSS of the pages (A4,
page breaks between sections and cards) and paints the embedded PNG figures. Debian's
``chromium`` package is used as installed (``ASN_ANALYSIS_CHROMIUM`` names another binary;
set it empty to switch PDFs off). One Chromium process prints one file in about a second, so
:func:`print_pdfs` runs at most two at a time (the machine's cores are shared) and the unit
cards are printed as one combined file, one page per unit. :class:`PdfPrinter` prints in the
background: the export starts each print as soon as its HTML is written and goes on writing.

When Chromium is missing, :func:`print_pdfs` raises :class:`PdfUnavailable` with a bilingual
message saying how to install it; the export catches it, keeps the HTML it wrote and warns
(:class:`PdfUnavailableWarning`) instead of failing the run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from asn_analysis.errors import AsnAnalysisError, AsnAnalysisWarning

__all__ = [
    "CHROMIUM_ENV",
    "PdfFailed",
    "PdfPrinter",
    "PdfUnavailable",
    "PdfUnavailableWarning",
    "find_chromium",
    "print_pdfs",
]

#: Environment variable naming the Chromium binary ("" switches PDF output off).
CHROMIUM_ENV = "ASN_ANALYSIS_CHROMIUM"
_NAMES = ("chromium", "chromium-browser", "google-chrome")
MISSING = (
    "PDF tidak dibuat: Chromium tidak ditemukan (pasang paket Debian `chromium`, atau isi "
    f"{CHROMIUM_ENV} dengan lokasinya); berkas HTML tetap ditulis dan dapat dicetak dari "
    "peramban. / PDF not written: Chromium was not found (install Debian's `chromium` package, "
    f"or set {CHROMIUM_ENV} to its path); the HTML files are written and print from a browser."
)


class PdfUnavailable(AsnAnalysisError):
    """No Chromium to print PDFs with (the message says how to install it)."""


class PdfFailed(AsnAnalysisError):
    """Chromium ran but wrote no PDF."""


class PdfUnavailableWarning(AsnAnalysisWarning):
    """The export wrote HTML but no PDF (Chromium missing or failed)."""


def find_chromium() -> str | None:
    """Return the Chromium binary to print with, or None.

    ``ASN_ANALYSIS_CHROMIUM`` wins when set (an empty value or a path that does not exist
    means none); otherwise the first of ``chromium``, ``chromium-browser``, ``google-chrome``
    on ``PATH``.

    Examples
    --------
    >>> import os
    >>> os.environ[CHROMIUM_ENV] = "/nonexistent/chromium"
    >>> find_chromium() is None
    True
    >>> del os.environ[CHROMIUM_ENV]
    """
    if CHROMIUM_ENV in os.environ:
        given = os.environ[CHROMIUM_ENV].strip()
        found = shutil.which(given) if given else None
        return found
    for name in _NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _print_one(chromium: str, page: Path, pdf: Path, timeout: float) -> Path:
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="asn-chromium-") as profile:
        done = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                page.resolve().as_uri(),
            ],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    if not pdf.exists() or pdf.stat().st_size == 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise PdfFailed(
            f"Chromium menulis PDF kosong / Chromium wrote no PDF for {page.name} "
            f"(exit {done.returncode}): {' '.join(tail)}"
        )
    return pdf


class PdfPrinter:
    """Print pages to PDF in the background while the caller writes its next files.

    Each :meth:`submit` starts a Chromium print (at most ``workers`` at a time) and returns at
    once; :meth:`results` waits for all of them. The export submits the cards as soon as their
    HTML exists and the brief as soon as its own does, so Chromium works while Python writes
    the workbook. Use it as a context manager: leaving the block waits for the prints running
    (and drops those not started).

    Parameters
    ----------
    workers : int, default 2
        Chromium processes at a time.
    timeout : float, default 180
        Seconds one file may take.
    chromium : str, optional
        The binary; default :func:`find_chromium`.

    Raises
    ------
    PdfUnavailable
        No Chromium (bilingual message with the fix), when the printer is made.
    """

    def __init__(
        self, *, workers: int = 2, timeout: float = 180, chromium: str | None = None
    ) -> None:
        self.binary = chromium or find_chromium()
        if self.binary is None:
            raise PdfUnavailable(MISSING)
        self.timeout = timeout
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers))
        self._jobs: list[Future] = []

    def submit(self, page: Path, pdf: Path) -> None:
        """Start printing ``page`` (an HTML file) to ``pdf``."""
        job = self._pool.submit(_print_one, self.binary, Path(page), Path(pdf), self.timeout)
        self._jobs.append(job)

    def results(self) -> list[Path]:
        """Wait for every print; return the PDF files in the order they were submitted.

        Raises
        ------
        PdfFailed
            Chromium wrote no PDF for a page.
        """
        return [job.result() for job in self._jobs]

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def print_pdfs(
    pages: Sequence[tuple[Path, Path]],
    *,
    workers: int = 2,
    timeout: float = 180,
    chromium: str | None = None,
) -> list[Path]:
    """Print each HTML page to its PDF file (A4, by the pages' print CSS).

    Parameters
    ----------
    pages : sequence of (pathlib.Path, pathlib.Path)
        ``(html file, pdf file)`` pairs.
    workers, timeout, chromium
        As for :class:`PdfPrinter` (2 processes at a time, 180 s a file, the binary found).

    Returns
    -------
    list of pathlib.Path
        The PDF files, in the order of ``pages``.

    Raises
    ------
    PdfUnavailable
        No Chromium (bilingual message with the fix).
    PdfFailed
        Chromium wrote no PDF for a page.

    Examples
    --------
    >>> import os
    >>> os.environ[CHROMIUM_ENV] = ""
    >>> try:
    ...     print_pdfs([(Path("a.html"), Path("a.pdf"))])
    ... except PdfUnavailable as exc:
    ...     print(str(exc)[:40])
    PDF tidak dibuat: Chromium tidak ditemuk
    >>> del os.environ[CHROMIUM_ENV]
    """
    with PdfPrinter(
        workers=max(1, min(workers, len(pages))), timeout=timeout, chromium=chromium
    ) as printer:
        for page, pdf in pages:
            printer.submit(page, pdf)
        return printer.results()
