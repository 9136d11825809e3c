"""Helpers of the layout tests: a small results fixture, Chromium screenshots, PDF pages."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
from matplotlib.image import imread
from tiny_data import SALT, build_tiny

from asn_analysis import load_dataset
from asn_analysis.reporting.pdf import find_chromium
from asn_analysis.reporting.summaries import collect

#: Snake_case identifiers and patsy terms a reader must never see.
RAW_KEY = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|C\([a-z_]+\)\[T\.")
#: Words of the other language that must not appear (a short list).
ENGLISH_WORDS = ("the ", " and ", "before-after", "all participants", "resistance", "naive")
INDONESIAN_WORDS = (" dan ", "pegawai", "Kesenjangan", "sebelum", "Responden ", "tidak ")


def tiny_results(root: Path, monkeypatch_env) -> object:
    """Collect the results of the tiny-cells dataset (one unit of 3 staff) quickly."""
    folder = build_tiny(root / "data")
    monkeypatch_env.setenv("ASN_ANALYSIS_SALT", SALT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return collect(load_dataset(folder), seed=0, n_boot=20)


def need_tools() -> str | None:
    """Why the rendering tests cannot run here (None when Chromium and pdftoppm exist)."""
    if find_chromium() is None:
        return "no Chromium: install Debian's chromium package (.ci/run does)"
    if shutil.which("pdftoppm") is None:
        return "no pdftoppm: install Debian's poppler-utils package (.ci/run does)"
    return None


def pdf_pages(pdf: Path, folder: Path) -> list[np.ndarray]:
    """Render every page of a PDF (pdftoppm, 30 dpi) and return the images."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(pdf), str(folder / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return [imread(p)[..., :3] for p in sorted(folder.glob("page*.png"))]


def screenshot(page: Path, shot: Path, *, size: str = "1200,1000") -> np.ndarray:
    """Screenshot the first screen of an HTML page with headless Chromium."""
    subprocess.run(
        [
            find_chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={shot.parent / 'profile'}",
            "--hide-scrollbars",
            f"--window-size={size}",
            f"--screenshot={shot}",
            page.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return imread(shot)[..., :3]


def blue_pixels(img: np.ndarray) -> int:
    """Pixels in matplotlib's tab:blue (31, 119, 180): a figure was decoded and painted."""
    return int(np.all(np.abs(img * 255 - np.array([31, 119, 180])) < 25, axis=-1).sum())


def blank(img: np.ndarray) -> bool:
    """True for a page with (almost) nothing on it."""
    return bool(img.std() < 0.02)


_FAKE_CHROMIUM = """#!{python}
import sys, time
from pathlib import Path
args = sys.argv[1:]
pdf = next(a.split("=", 1)[1] for a in args if a.startswith("--print-to-pdf="))
page = Path(args[-1].removeprefix("file://"))
time.sleep(float(page.read_text()) if "sleep" in page.name else 0)
if "fail" not in page.name:
    Path(pdf).write_bytes(b"%PDF-1.4 " + page.name.encode())
"""


def fake_chromium(folder: Path) -> str:
    """Write a stand-in for Chromium: it "prints" a page by writing a PDF file naming it.

    A page whose name holds ``sleep`` holds the seconds it takes; one whose name holds
    ``fail`` gets no PDF.
    """
    path = folder / "fake-chromium"
    path.write_text(_FAKE_CHROMIUM.format(python=sys.executable))
    path.chmod(0o755)
    return str(path)
