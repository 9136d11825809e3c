"""The documented defaults of a run: the bundled synthetic data's names and reference values.

These are the only place outside the generator (:mod:`asn_analysis.data.synthetic`) where the
bundled data's unit and programme names appear. Library code takes them as arguments and a run
takes them from :class:`asn_analysis.settings.RunSettings`, whose defaults are these values; an
agency's data sets its own in ``asn-analysis.toml`` (see the README, "Run configuration").

Examples
--------
>>> CASE_UNIT
'Dinas Kesehatan'
>>> sorted(ROLLOUT_PROGRAMS.values())
['komunikasi', 'pelayanan_publik']
"""

from __future__ import annotations

__all__ = [
    "AS_OF",
    "CASE_ELEMENTS",
    "CASE_UNIT",
    "ROLLOUT_PROGRAMS",
    "SELECTION_PROGRAM",
]

#: The unit of the case study (``units.unit_name``).
CASE_UNIT = "Dinas Kesehatan"
#: The roll-out programmes of the case study (``training.program``) and the competency each
#: targets (``competency_assessments.competency``).
ROLLOUT_PROGRAMS: dict[str, str] = {
    "Pelatihan Komunikasi Efektif": "komunikasi",
    "Pelatihan Pelayanan Prima": "pelayanan_publik",
}
#: The programme with self-selected participants (selection on observables).
SELECTION_PROGRAM = "Pelatihan Teknis Digitalisasi Layanan"
#: SKM elements the communication / public-service training should move (Kompetensi and
#: Perilaku Pelaksana).
CASE_ELEMENTS: tuple[str, ...] = ("kompetensi", "perilaku")
#: Reference date of competency fit: each employee's latest assessment on or before it.
AS_OF = "2025-06-30"
