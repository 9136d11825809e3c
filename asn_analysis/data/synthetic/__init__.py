"""Synthetic personnel and survey data of a Mamuju-like regency, with a known causal truth.

The bundled data set in ``data/synthetic/`` is produced by :func:`generate` and :func:`write`.
The regency's literal data (units, posts, positions, headcounts, names, training programmes,
survey items) lives in the package data files ``regency.json``, ``programmes.json`` and
``survey_items.json`` beside this package; the code is split by stage (:mod:`.staff`,
:mod:`.competencies`, :mod:`.performance`, :mod:`.staff_survey`, :mod:`.training`,
:mod:`.skm`, :mod:`.truth`), run in order by :mod:`.generator` and written by :mod:`.writing`.
It is **synthetic**: no row describes a real person or the real Kabupaten Mamuju. NIPs have the
valid 18-digit form but belong to nobody; names are random combinations of common first and
family names. Every table follows the codebook in ``data/README.md``.

Calibration (Kabupaten Mamuju and national ASN figures 2021-2025) gives the marginal shapes:
about 30 units, about 4,500 ASN (fungsional 70 %, pelaksana 23 %, struktural 7 %), teachers
about 43 % and health workers about 14 %, PPPK about 30 % (all appointed in 2024), about 55 %
women, lenient SKP ratings (about 94 % *baik*), IKM of 75-82 with *biaya* the best and
*waktu*, *sarana* and *pengaduan* the worst elements, and only about a third of staff reaching
the 20 JP training right in a year.

Causal structure (all true parameters are saved in ``ground_truth.json``)
-------------------------------------------------------------------------
Every causal effect uses common random numbers (CRN): the outcome with and without the cause is
drawn from the *same* random numbers, so the stored truth is the exact sample effect on the
outcome's own, observed scale (e.g. converted IKM points, competency levels), not a latent shift.
Integer outcomes use stochastic rounding ``floor(x + U)``, ``U ~ Uniform(0, 1)``, which is
unbiased (``E[floor(x + U)] = x``) and monotone in ``x`` for a shared ``U``.

1. **Staggered training roll-out** (the case study). *Pelatihan Komunikasi Efektif*
   (``komunikasi``) and *Pelatihan Pelayanan Prima* (``pelayanan_publik``) are delivered together
   to 60-80 % of the front-line staff (fungsional and pelaksana) of a unit in its cohort semester:
   cohort 2024-S1 is Dinas Kesehatan (``U01``) alone, cohort 2024-S2 RSUD and two puskesmas,
   cohort 2025-S1 Disdukcapil, DPMPTSP, a puskesmas and a kecamatan; other units are never
   treated within the data. The latent SKM answers of a treated unit rise from the cohort
   semester on, growing with event time, most for *kompetensi* and *perilaku*, less for
   *prosedur*, *waktu*, *pengaduan*, *persyaratan* and *produk*, not at all for *biaya* and
   *sarana*; the shift scales with the unit's attendance share. The truth per treated
   unit-period is converted IKM (weights exactly 1/9) from the treated answers minus converted
   IKM from the untreated answers; ATT overall, by event time and by cohort are means of these.
   Because effects grow with time, a static two-way fixed-effects regression is biased here.
   Attendance also raises the reassessed (2025-S2) ``komunikasi`` and ``pelayanan_publik``
   levels of the attendee.
2. **Self-selection** into *Pelatihan Teknis Digitalisasi Layanan* (2024, targets the position's
   technical competency, PNS only). Participation is logistic in age, education (D4 or higher),
   years of service, job type and the baseline level of the targeted competency; the reassessed
   (2025-S2) level of that competency depends on the same covariates, so the naive
   trained-minus-untrained difference is biased but selection is on observables.
3. **Competency mismatch**: the baseline level held in the position's technical competency is
   below the required level. Planted at about 40-60 % among ``teknologi_informasi`` posts outside
   Diskominfo ("IT posts held by people without IT skills") and at about 10 % elsewhere.
   SKP predikat follows an ordered logit per employee-year with latent
   ``b_jpm * (JPM - 80) / 10 + b_mis * mismatch + job-type effect + unit effect + segment shift
   + logistic noise``; JPM is from the baseline assessment (sum held / sum required x 100, the
   total capped at 100). Cutpoints give the lenient distribution; ``hasil_kerja`` and
   ``perilaku_kerja`` are drawn so that PermenPANRB 6/2022 gives exactly that predikat.
   A unit's mismatch share and mean JPM shift the latent SKM answers of all elements.
4. **Resistance to evaluation** (staff survey, waves 2023-S2 and 2025-S1): transparency,
   communication and threat traits generate their items; their *observed* scale scores (mean
   of answered items after reverse keying) then enter the resistance latent
   ``a - 0.35 * transparency - 0.25 * communication + 0.40 * threat + job-type effect
   + 0.01 * years_of_service + wave effect + unit effect + segment shift + noise``, whose items
   are drawn so that the expected observed resistance score equals the latent. Transparency
   and communication are higher in wave 2 (an information campaign).
5. **Employee segments** shift the baseline competency gaps, the performance latent and the
   resistance latent: ``kompeten_berkinerja`` (above standard, better rated, low resistance),
   ``kesenjangan_teknis`` (technical level below standard: the mismatch), ``kesenjangan_manajerial``
   (managerial and socio-cultural levels below standard) and ``resisten`` (competent but highly
   resistant and rated lower). k-means (k = 4) on standardised [baseline gaps of the 9 managerial
   and socio-cultural competencies, JPM, wave-1 resistance score, mean predikat rank] recovers
   them (adjusted Rand index about 0.94-0.96 for the default size). The segment shifts of the
   performance latent (+0.8 and -0.9) are nearly mean-zero where JPM is 100 and mismatch is 0,
   so ``b_jpm`` and ``b_mis`` stay recoverable without knowing the segments.
6. **SKM answers**: ``x = mu[u, t, e] + r_i + eps_ie``; answer = stochastic rounding of ``x``
   clipped to 1-4 (so ``E[answer | x] = clip(x, 1, 4)``), where ``mu`` holds element levels,
   unit and unit-element effects, common and unit-period noise, mismatch share, mean JPM and
   the roll-out effect.

References
----------
PermenPANRB No. 14 Tahun 2017 (SKM/IKM); PermenPANRB No. 38 Tahun 2017 (standar kompetensi);
PermenPANRB No. 6 Tahun 2022 (predikat kinerja); Krejcie, R. V. & Morgan, D. W. (1970).
Determining sample size for research activities. *Educational and Psychological Measurement*,
30, 607-610.
"""

from asn_analysis.data.synthetic import codebook
from asn_analysis.data.synthetic.codebook import *  # noqa: F403 (re-exports codebook.__all__)
from asn_analysis.data.synthetic.generator import SyntheticData, generate
from asn_analysis.data.synthetic.performance import redraw_predikat
from asn_analysis.data.synthetic.writing import write

# The codebook constants (listed once, in codebook.__all__) and the four entry points.
__all__ = [*codebook.__all__, "SyntheticData", "generate", "redraw_predikat", "write"]
