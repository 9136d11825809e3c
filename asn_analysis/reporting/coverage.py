"""What the data supports: the one registry of analyses, the tables each needs, and where it shows.

Only ``units`` is always required; an agency may bring only some tables (an organisation bureau
only the SKM survey, a BKPP only employees and competency assessments). Each analysis of the
package is declared once in :data:`ANALYSES`: its bilingual title, the tables it needs, the
notebook it lives in and the parts of the export it feeds (brief sections, workbook sheets,
figures). :func:`coverage` says, for the tables a dataset gives, which analyses it supports and,
for the others, which tables are missing. ``asn-analysis validate`` prints that,
``asn-analysis run`` executes the notebooks of which at least one analysis is supported (each
section of a notebook whose analysis is not supported prints one "Tidak dianalisis / Not
analysed" line, :meth:`Coverage.section_line`, and is skipped), and
:func:`asn_analysis.reporting.summaries.collect` computes only what the tables support; the brief
lists the rest under "not analysed / tidak dianalisis" and the workbook in its "data coverage"
sheet.

Examples
--------
>>> cov = coverage(("units", "skm_responses"))
>>> cov.supports("satisfaction"), cov.supports("competency")
(True, False)
>>> cov.missing("competency")
('employees', 'competency_standards', 'competency_assessments')
>>> cov.runs_notebook("03-satisfaction-and-resistance")  # its IKM sections run
True
>>> cov.skipped_sections("03-satisfaction-and-resistance")
('resistance',)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from asn_analysis._validation import Lang, check_lang

__all__ = ["ANALYSES", "Analysis", "Coverage", "NOT_ANALYSED", "coverage"]

#: Heading of the brief's part on what was not analysed: (Bahasa Indonesia, English).
NOT_ANALYSED = ("Tidak dianalisis", "Not analysed")


@dataclass(frozen=True)
class Analysis:
    """One analysis: what it needs and where it shows.

    Attributes
    ----------
    key : str
        Stable identifier.
    title : tuple of str
        (Bahasa Indonesia, English).
    tables : tuple of str
        Tables it needs (``data/README.md``), all of them.
    notebook : str
        Stem of the notebook it lives in.
    sections : tuple of str
        Sections of the brief it feeds (keys of ``reporting.brief.SECTION_TITLES``).
    sheets : tuple of str
        Workbook sheets it feeds (keys of ``reporting.export.SHEETS``).
    figures : tuple of str
        Figures of the brief it feeds (PNG stems).
    """

    key: str
    title: tuple[str, str]
    tables: tuple[str, ...]
    notebook: str
    sections: tuple[str, ...] = ()
    sheets: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()


_COMPETENCY = ("units", "employees", "competency_standards", "competency_assessments")
_STAFF_SURVEY = ("staff_survey", "survey_items")

#: Every analysis, in the order of the notebooks. A notebook runs when any of its analyses is
#: supported (its other sections are skipped); an export part is written when the analysis
#: that feeds it is supported.
ANALYSES: tuple[Analysis, ...] = (
    Analysis(
        "overview",
        ("Gambaran pegawai", "Staff overview"),
        ("units", "employees"),
        "01-data-overview",
        sections=("overview",),
    ),
    Analysis(
        "survey_coverage",
        ("Cakupan survei kepuasan", "Satisfaction survey coverage"),
        ("units", "skm_responses"),
        "01-data-overview",
        sections=("overview",),
    ),
    Analysis(
        "training_coverage",
        ("Cakupan pelatihan (hak 20 JP)", "Training coverage (20 JP right)"),
        ("units", "employees", "training"),
        "01-data-overview",
        sections=("overview",),
    ),
    Analysis(
        "competency",
        ("Kesesuaian kompetensi dan kebutuhan pelatihan", "Competency fit and training needs"),
        _COMPETENCY,
        "02-competency-fit",
        sections=("competency",),
        sheets=("gaps", "priorities"),
    ),
    Analysis(
        "fit_effects",
        ("Biaya ketidaksesuaian kompetensi", "Cost of misfit"),
        (*_COMPETENCY, "performance", "skm_responses"),
        "02-competency-fit",
        sections=("competency",),
    ),
    Analysis(
        "talent",
        ("Talenta (9-box)", "Talent (9-box)"),
        (*_COMPETENCY, "performance"),
        "02-competency-fit",
    ),
    Analysis(
        "satisfaction",
        ("Kepuasan masyarakat (IKM)", "Citizen satisfaction (IKM)"),
        ("units", "skm_responses"),
        "03-satisfaction-and-resistance",
        sections=("satisfaction",),
        sheets=("ikm",),
        figures=("ikm_per_unit",),
    ),
    Analysis(
        "resistance",
        ("Resistensi pegawai terhadap evaluasi", "Employee resistance to evaluation"),
        ("units", "employees", *_STAFF_SURVEY),
        "03-satisfaction-and-resistance",
        sections=("resistance",),
        sheets=("resistance",),
        figures=("resistance_drivers",),
    ),
    Analysis(
        "effects",
        ("Dampak pelatihan (peluncuran)", "Training effects (roll-out)"),
        ("units", "employees", "training", "skm_responses"),
        "04-training-effects",
        sections=("effects",),
        sheets=("effects",),
        figures=("training_effects",),
    ),
    Analysis(
        "selection",
        ("Dampak program pilihan (pembobotan)", "Self-selected programme (weighting)"),
        ("units", "employees", "competency_assessments", "training"),
        "04-training-effects",
    ),
    Analysis(
        "case",
        ("Studi kasus unit", "Unit case study"),
        (*_COMPETENCY, "training", "skm_responses"),
        "05-case-study-dinas-kesehatan",
        sections=("effects",),
        sheets=("effects",),
    ),
    Analysis(
        "segments",
        ("Segmen pegawai", "Employee segments"),
        (*_COMPETENCY, "performance", *_STAFF_SURVEY),
        "06-segments",
        sections=("segments",),
        sheets=("segments",),
    ),
    Analysis(
        "unit_segments",
        ("Segmen unit kerja", "Unit segments"),
        (*_COMPETENCY, "training", "skm_responses", *_STAFF_SURVEY),
        "06-segments",
    ),
)
_BY_KEY = {a.key: a for a in ANALYSES}


def _i(lang: Lang) -> int:
    check_lang(lang)
    return 0 if lang == "id" else 1


@dataclass(frozen=True)
class Coverage:
    """Which analyses the given tables support (build it with :func:`coverage`).

    Attributes
    ----------
    present : tuple of str
        The tables the data gives.
    """

    present: tuple[str, ...]

    def missing(self, key: str) -> tuple[str, ...]:
        """Return the tables analysis ``key`` needs and the data lacks (empty: supported)."""
        return tuple(t for t in _BY_KEY[key].tables if t not in self.present)

    def supports(self, key: str) -> bool:
        """Return True when the data gives every table analysis ``key`` needs."""
        return not self.missing(key)

    @property
    def supported(self) -> tuple[Analysis, ...]:
        """The analyses the data supports, in registry order."""
        return tuple(a for a in ANALYSES if self.supports(a.key))

    @property
    def unsupported(self) -> tuple[Analysis, ...]:
        """The analyses the data does not support, in registry order."""
        return tuple(a for a in ANALYSES if not self.supports(a.key))

    def notebook_missing(self, notebook: str) -> tuple[str, ...]:
        """Return the tables a notebook (stem) needs and the data lacks; unknown ones need none."""
        needed = [t for a in ANALYSES if a.notebook == notebook for t in a.tables]
        return tuple(dict.fromkeys(t for t in needed if t not in self.present))

    def runs_notebook(self, notebook: str) -> bool:
        """Return True when at least one analysis of the notebook (stem) is supported.

        A notebook the registry does not know (a user's own) needs nothing and always runs.
        """
        keys = [a.key for a in ANALYSES if a.notebook == notebook]
        return not keys or any(self.supports(k) for k in keys)

    def skipped_sections(self, notebook: str) -> tuple[str, ...]:
        """Return the keys of the notebook's analyses (sections) the data does not support."""
        return tuple(a.key for a in ANALYSES if a.notebook == notebook and not self.supports(a.key))

    def section_line(self, key: str) -> str:
        """Return the bilingual line a notebook prints for a section it skips ("" if supported).

        Examples
        --------
        >>> print(coverage(["units", "skm_responses"]).section_line("resistance"))
        Tidak dianalisis / Not analysed: Resistensi pegawai terhadap evaluasi / Employee \
resistance to evaluation: tabel tidak ada / missing tables: employees, staff_survey, survey_items
        """
        missing = self.missing(key)
        if not missing:
            return ""
        title = _BY_KEY[key].title
        return (
            f"{NOT_ANALYSED[0]} / {NOT_ANALYSED[1]}: {title[0]} / {title[1]}: "
            f"tabel tidak ada / missing tables: {', '.join(missing)}"
        )

    def skipped_lines(self, *, lang: Lang = "id") -> list[str]:
        """Return one line per unsupported analysis: its title and the missing tables."""
        i = _i(lang)
        word = ("tabel tidak ada", "missing")[i]
        return [f"{a.title[i]}: {word} {', '.join(self.missing(a.key))}" for a in self.unsupported]

    def format(self) -> str:
        """Return the bilingual text ``asn-analysis validate`` and ``run`` print."""
        lines = ["Analyses the data supports / Analisis yang didukung data:"]
        lines += [f"  + {a.title[1]} / {a.title[0]}" for a in self.supported] or ["  (none)"]
        if self.unsupported:
            lines.append("Not supported (missing tables) / Tidak didukung (tabel tidak ada):")
            lines += [
                f"  - {a.title[1]} / {a.title[0]}: {', '.join(self.missing(a.key))}"
                for a in self.unsupported
            ]
        return "\n".join(lines)

    def sheet(self, *, lang: Lang = "id") -> pd.DataFrame:
        """Return the "data coverage" table: one row per analysis.

        Columns: analysis, status (analysed or not), missing_tables, notebook, sheets. No
        count of people is shown.
        """
        i = _i(lang)
        done = ("dianalisis", "analysed")[i]
        not_done = ("tidak dianalisis", "not analysed")[i]
        rows = [
            {
                "analysis": a.title[i],
                "status": done if self.supports(a.key) else not_done,
                "missing_tables": ", ".join(self.missing(a.key)),
                "notebook": a.notebook,
                "sheets": ", ".join(a.sheets),
            }
            for a in ANALYSES
        ]
        return pd.DataFrame(rows)


def coverage(present: tuple[str, ...] | list[str]) -> Coverage:
    """Say which analyses the given tables support.

    Parameters
    ----------
    present : sequence of str
        The tables a dataset gives (``Dataset.tables_present`` or
        ``ValidationReport.tables_present``).

    Returns
    -------
    Coverage
        Supported and unsupported analyses, the missing tables of each.

    Examples
    --------
    >>> cov = coverage(["units", "employees", "competency_standards", "competency_assessments"])
    >>> [a.key for a in cov.supported]
    ['overview', 'competency']
    """
    return Coverage(tuple(present))
