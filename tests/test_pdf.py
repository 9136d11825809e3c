"""PDF printing (reporting.pdf) with a stand-in for Chromium: order, background, failures."""

import time

import pytest
from render_helpers import fake_chromium

from asn_analysis.reporting.pdf import PdfFailed, PdfPrinter, PdfUnavailable, print_pdfs


@pytest.fixture
def chromium(tmp_path):
    return fake_chromium(tmp_path)


def _pages(tmp_path, *specs):
    out = []
    for name, seconds in specs:
        page = tmp_path / f"{name}.html"
        page.write_text(str(seconds))
        out.append((page, tmp_path / "pdf" / f"{name}.pdf"))
    return out


def test_printer_prints_in_the_background_and_keeps_the_order(tmp_path, chromium):
    pages = _pages(tmp_path, ("sleep", 0.6), ("quick", 0))
    start = time.perf_counter()
    with PdfPrinter(chromium=chromium) as printer:
        for page, pdf in pages:
            printer.submit(page, pdf)
        submitted = time.perf_counter() - start
        done = printer.results()
    assert submitted < 0.5  # submit does not wait for Chromium
    assert done == [pdf for _, pdf in pages]
    assert [p.read_bytes() for p in done] == [b"%PDF-1.4 sleep.html", b"%PDF-1.4 quick.html"]
    assert print_pdfs(pages, chromium=chromium) == done


def test_printer_reports_a_page_without_pdf_and_a_missing_chromium(tmp_path, chromium, monkeypatch):
    pages = _pages(tmp_path, ("fine", 0), ("fail", 0))
    with pytest.raises(PdfFailed, match="fail.html"):
        print_pdfs(pages, chromium=chromium)
    monkeypatch.setenv("ASN_ANALYSIS_CHROMIUM", "")  # PDFs switched off: no Chromium
    with pytest.raises(PdfUnavailable, match="Chromium"):
        PdfPrinter()
