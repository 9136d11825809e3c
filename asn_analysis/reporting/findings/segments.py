"""Segments in words: a label per segment, what each segment needs, and plain-language findings.

Turns a :class:`asn_analysis.segments.SegmentResult` into text a personnel planner reads, in
Bahasa Indonesia or English: :func:`segment_labels` names each segment from its profile
("kompetensi manajerial rendah, resistensi tinggi"), :func:`segment_actions` links each segment
to the training, coaching, placement or talent-pool action its profile points to (routine
development within the 20 JP yearly right, PP No. 11 Tahun 2017 jo. PP No. 17 Tahun 2020,
Pasal 203, when nothing stands out), and :func:`segment_findings` describes the segments with
their stability (Hennig 2007).

Examples
--------
>>> import numpy as np, pandas as pd
>>> from asn_analysis.segments import segment
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame({"jpm": np.r_[rng.normal(60, 5, 50), rng.normal(90, 5, 50)]})
>>> res = segment(df, features=["jpm"], k=2, n_boot=0)
>>> sorted(segment_labels(res, lang="en"))
['high fit (JPM)', 'low fit (JPM)']

References
----------
.. [1] Hennig, C. (2007). Cluster-wise assessment of cluster stability. Computational
       Statistics & Data Analysis, 52(1), 258-271.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd

from asn_analysis._validation import Lang, check_int, check_lang
from asn_analysis.reporting.disclosure import hides_count
from asn_analysis.reporting.text import choose as choose_text
from asn_analysis.reporting.text import number as _num
from asn_analysis.reporting.text import people as _count
from asn_analysis.reporting.text import percent as _pct
from asn_analysis.segments.engine import STABILITY_STABLE, SegmentResult
from asn_analysis.segments.features import GAP_FEATURES, MANAGERIAL_GROUP, feature_label

__all__ = ["segment_actions", "segment_findings", "segment_labels"]


def segment_labels(
    result: SegmentResult,
    *,
    lang: Lang = "id",
    names: Mapping[Hashable, str | Mapping[str, str]] | None = None,
    groups: Mapping[Hashable, Hashable] | None = None,
    top: int = 2,
    min_z: float = 0.25,
    include_extra: bool = True,
) -> pd.Series:
    """Give each segment a short readable label from its profile.

    Parameters
    ----------
    result : SegmentResult
        Output of :func:`asn_analysis.segments.segment`.
    lang : {"id", "en"}, default "id"
        ``"kompetensi manajerial rendah, resistensi tinggi"`` or
        ``"low managerial competency, high resistance"``.
    names : mapping, optional
        Display name per feature (or group): a string, or ``{"id": ..., "en": ...}``.
        Defaults to :data:`asn_analysis.segments.FEATURE_LABELS`, then the column name.
    groups : mapping, optional
        Feature -> group key; a group's z-score is the mean of its members' z-scores.
        By default the nine competency gap columns of
        :func:`asn_analysis.segments.employee_features` form the group
        ``"managerial_competency"``; pass ``{}`` to name features one by one.
    top : int, default 2
        Features (or groups) named at most.
    min_z : float, default 0.25
        Only features whose segment mean lies at least this many standard deviations from
        the overall mean are named; a segment with none is "profil rata-rata" /
        "average profile".
    include_extra : bool, default True
        Also consider the ``extra`` columns (profiled, not clustered on), e.g. a technical
        gap that sets a segment apart.

    Returns
    -------
    pandas.Series
        One label per segment (index as ``result.profiles``), name ``"label"``.

    Raises
    ------
    OptionError
        An invalid `lang` or `top`.

    Notes
    -----
    Each feature's segment mean is ranked by its absolute z-score against the overall mean
    (``result.z_profiles``); the ``top`` most extreme are named with "tinggi/rendah" ("high/
    low") by their sign.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from asn_analysis.segments import segment
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"fit": np.r_[rng.normal(0, 1, 50), rng.normal(5, 1, 50)],
    ...                    "perf": np.r_[rng.normal(2, 1, 50), rng.normal(0, 1, 50)]})
    >>> res = segment(df, features=["fit", "perf"], k=2, n_boot=0)
    >>> sorted(segment_labels(res, lang="en", names={"fit": "fit", "perf": "performance"}))
    ['high fit, low performance', 'low fit, high performance']
    """
    check_lang(lang)
    top = check_int("top", top, 1)
    cols = [*result.features, *(result.extra if include_extra else ())]
    z = result.z_profiles[cols]
    if groups is None:
        groups = {f: MANAGERIAL_GROUP for f in cols if f in GAP_FEATURES}
    keys = [groups.get(f, f) for f in z.columns]
    grouped = z.T.groupby(pd.Index(keys, dtype=object), sort=False).mean().T
    out = {}
    for seg, row in grouped.iterrows():
        row = row.dropna()
        order = row.abs().sort_values(ascending=False, kind="stable")
        named = [key for key in order.index[:top] if abs(row[key]) >= min_z]
        parts = []
        for key in named:
            name = feature_label(key, lang=lang, names=names)
            high = row[key] > 0
            if lang == "id":
                parts.append(f"{name} {'tinggi' if high else 'rendah'}")
            else:
                parts.append(f"{'high' if high else 'low'} {name}")
        default = "profil rata-rata" if lang == "id" else "average profile"
        out[seg] = ", ".join(parts) if parts else default
    return pd.Series(out, name="label", dtype=object).rename_axis(result.profiles.index.name)


_NEEDS = {
    "training": ("pelatihan", "training"),
    "training_placement": ("pelatihan / penempatan", "training / placement"),
    "coaching": ("coaching", "coaching"),
    "placement": ("penempatan", "placement"),
    "talent": ("kelompok rencana suksesi", "talent pool"),
    "service": ("perbaikan layanan", "service improvement"),
    "development": ("pengembangan rutin", "routine development"),
}
_ACTIONS = {
    "managerial": (
        "Pelatihan kompetensi manajerial dan sosial kultural (mis. kepemimpinan, pelayanan "
        "publik, pengambilan keputusan).",
        "Managerial and socio-cultural competency training (e.g. leadership, public service, "
        "decision making).",
    ),
    "technical": (
        "Pelatihan teknis sesuai jabatan; bila kesenjangan menetap, penempatan ulang ke jabatan "
        "yang sesuai kompetensinya.",
        "Technical training for the post; where the gap persists, reassignment to a post that "
        "fits the employee's competencies.",
    ),
    "resistance": (
        "Komunikasi yang jelas tentang tujuan dan cara evaluasi, serta coaching/mentoring oleh "
        "atasan langsung.",
        "Clear communication about the purpose and process of evaluation, and coaching/"
        "mentoring by the direct supervisor.",
    ),
    "performance": (
        "Coaching kinerja dan rencana perbaikan SKP bersama atasan.",
        "Performance coaching and an SKP improvement plan with the supervisor.",
    ),
    "talent": (
        "Masukkan ke kelompok rencana suksesi (manajemen talenta); libatkan sebagai mentor dan "
        "beri penugasan yang menantang.",
        "Add to the talent pool (succession planning); involve as mentors and give stretch "
        "assignments.",
    ),
    "unit_mismatch": (
        "Tinjau penempatan pegawai teknis: banyak pegawai di bawah standar teknis jabatannya.",
        "Review the placement of technical staff: many are below their post's technical standard.",
    ),
    "unit_training": (
        "Perluas cakupan pelatihan agar setiap pegawai mendapat hak 20 JP per tahun.",
        "Widen training coverage so every employee receives the 20 JP yearly right.",
    ),
    "unit_service": (
        "Perbaiki layanan pada unsur SKM terlemah unit (lihat analisis IKM).",
        "Improve the service on the unit's weakest SKM elements (see the IKM analysis).",
    ),
    "routine": (
        "Pengembangan rutin sesuai hak 20 JP per tahun; tidak ada kebutuhan khusus dari profil.",
        "Routine development within the 20 JP yearly right; the profile shows no specific need.",
    ),
}


def segment_actions(
    result: SegmentResult,
    *,
    lang: Lang = "id",
    names: Mapping[Hashable, str | Mapping[str, str]] | None = None,
    z_threshold: float = 0.5,
    gap_threshold: float = 0.5,
) -> pd.DataFrame:
    """Link each segment to what it needs: training, coaching, placement or the talent pool.

    Parameters
    ----------
    result : SegmentResult
        Output of :func:`asn_analysis.segments.segment` on the columns of
        :func:`~asn_analysis.segments.employee_features` or
        :func:`~asn_analysis.segments.unit_features` (others are ignored by the rules; such
        segments get routine development).
    lang : {"id", "en"}, default "id"
        Language of the text columns.
    names : mapping, optional
        Display names for the segment labels (see :func:`segment_labels`).
    z_threshold : float, default 0.5
        A segment mean at least this many standard deviations above (below) the overall mean
        counts as high (low).
    gap_threshold : float, default 0.5
        A mean competency gap of at most minus this many levels counts as below standard.

    Returns
    -------
    pandas.DataFrame
        One row per segment and action: segment, label, n, share, need, action, reason (the
        profile values that triggered the rule).

    Notes
    -----
    Rules, applied to the profile (means in original units and z-scores):

    * mean gap of the managerial and socio-cultural competencies <= -`gap_threshold`
      -> managerial training;
    * ``gap_teknis`` mean <= -`gap_threshold` (or, without ``gap_teknis``, JPM z <= -z while
      managerial gaps are not flagged) -> technical training or reassignment;
    * resistance z >= z -> communication and coaching; predikat z <= -z -> performance
      coaching;
    * high fit (JPM z >= z, or mean managerial gap >= +`gap_threshold`, i.e. above standard),
      performance above average, resistance not high and no competency gap -> talent pool;
    * units: mismatch share z >= z -> placement review; training coverage z <= -z -> wider
      training; IKM z <= -z -> service improvement;
    * no rule -> routine development (20 JP).

    The rules are a planning aid: they point to where to look, and each row says why. Decide
    on individual employees from their own assessments (notebook 02).

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> from asn_analysis.segments import EMPLOYEE_FEATURES, employee_features, segment
    >>> feats = employee_features(load_dataset())
    >>> res = segment(feats, features=EMPLOYEE_FEATURES, k=4, extra=["gap_teknis"], n_boot=0)
    >>> sorted(set(segment_actions(res, lang="en")["need"]))
    ['coaching', 'talent pool', 'training', 'training / placement']
    """
    check_lang(lang)
    li = 0 if lang == "id" else 1
    labels = segment_labels(result, lang=lang, names=names)
    rows = []
    for seg in result.profiles.index:
        mean = result.profiles.loc[seg]
        z = result.z_profiles.loc[seg]
        acts = _needs(mean, z, lang=lang, z_threshold=z_threshold, gap_threshold=gap_threshold)
        for need, action, why in acts or [("development", "routine", "-")]:
            if mean["tiny"]:
                why += "; segmen kecil, tinjau per orang" if lang == "id" else "; tiny segment"
            rows.append(
                {
                    "segment": seg,
                    "label": labels[seg],
                    "n": int(mean["n"]),
                    "share": float(mean["share"]),
                    "need": _NEEDS[need][li],
                    "action": _ACTIONS[action][li],
                    "reason": why,
                }
            )
    return pd.DataFrame(rows)


def _needs(
    mean: pd.Series, z: pd.Series, *, lang: Lang, z_threshold: float, gap_threshold: float
) -> list[tuple[str, str, str]]:
    """Apply the rules of :func:`segment_actions` to one segment: (need, action, reason)."""

    def zv(col: str) -> float:
        return float(z[col]) if col in z.index else float("nan")

    def because(id_text: str, en_text: str, value: str) -> str:
        return f"{id_text if lang == 'id' else en_text} {value}"

    acts: list[tuple[str, str, str]] = []
    gap_cols = [c for c in GAP_FEATURES if c in mean.index]
    mgap = float(mean[gap_cols].astype("float64").mean()) if gap_cols else float("nan")
    managerial = mgap <= -gap_threshold
    if managerial:
        level = _num(mgap, lang) + (" level" if lang == "id" else " levels")
        why = because("rerata kesenjangan manajerial", "mean managerial gap", level)
        acts.append(("training", "managerial", why))
    tech = False
    if "gap_teknis" in mean.index:
        tgap = float(mean["gap_teknis"])
        tech = tgap <= -gap_threshold
        if tech:
            level = _num(tgap, lang) + (" level" if lang == "id" else " levels")
            why = because("rerata kesenjangan teknis", "mean technical gap", level)
            acts.append(("training_placement", "technical", why))
    elif zv("jpm") <= -z_threshold and not managerial:
        tech = True
        why = because(
            "dugaan kesenjangan teknis (periksa): JPM rendah tanpa kesenjangan manajerial, z =",
            "presumed technical gap (check): low JPM without a managerial gap, z =",
            _num(zv("jpm"), lang),
        )
        acts.append(("training_placement", "technical", why))
    if zv("resistance") >= z_threshold:
        acts.append(
            (
                "coaching",
                "resistance",
                because("resistensi z =", "resistance z =", _num(zv("resistance"), lang)),
            )
        )
    if zv("predikat_rank") <= -z_threshold:
        acts.append(
            (
                "coaching",
                "performance",
                because("kinerja z =", "performance z =", _num(zv("predikat_rank"), lang)),
            )
        )
    high_fit = zv("jpm") >= z_threshold or mgap >= gap_threshold
    calm = not zv("resistance") >= z_threshold
    if high_fit and zv("predikat_rank") > 0 and calm and not (managerial or tech):
        parts = [because("kinerja z =", "performance z =", _num(zv("predikat_rank"), lang))]
        if gap_cols:
            parts.insert(0, because("kesenjangan manajerial", "managerial gap", _num(mgap, lang)))
        if "jpm" in mean.index:
            parts.insert(0, f"JPM {_num(float(mean['jpm']), lang, 1)}")
        acts.append(("talent", "talent", "; ".join(parts)))
    if zv("mismatch_share") >= z_threshold:
        why = because("ketidaksesuaian jabatan", "job mismatch", _pct(mean["mismatch_share"], lang))
        acts.append(("placement", "unit_mismatch", why))
    if zv("training_coverage") <= -z_threshold:
        cover = _pct(mean["training_coverage"], lang)
        acts.append(
            ("training", "unit_training", because("cakupan pelatihan", "training coverage", cover))
        )
    if zv("ikm") <= -z_threshold:
        acts.append(("service", "unit_service", f"IKM {_num(float(mean['ikm']), lang)}"))
    return acts


def segment_findings(
    result: SegmentResult,
    *,
    lang: Lang = "id",
    names: Mapping[Hashable, str | Mapping[str, str]] | None = None,
    subject: tuple[str, str] = ("pegawai", "employees"),
) -> list[str]:
    """Describe the segments in plain language, including how stable they are.

    Parameters
    ----------
    result : SegmentResult
        Output of :func:`asn_analysis.segments.segment`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.
    names : mapping, optional
        Display names for the segment labels (see :func:`segment_labels`).
    subject : (str, str), default ("pegawai", "employees")
        What a row is, in Indonesian and English (e.g. ``("unit kerja", "units")``).

    Returns
    -------
    list of str
        How many rows were segmented (and excluded; a warning when more than a fifth were), one
        sentence per segment (share, label, cluster-wise stability), the overall stability
        against Hennig's 0.75 threshold, and warnings on tiny segments.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from asn_analysis.segments import segment
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame(rng.normal(size=(200, 3)), columns=["a", "b", "c"])
    >>> res = segment(df, features=["a", "b", "c"], k=3, n_boot=10)
    >>> any("0.75" in s for s in segment_findings(res, lang="en"))
    True
    """
    check_lang(lang)
    who = subject[0 if lang == "id" else 1]
    labels = segment_labels(result, lang=lang, names=names)
    prof = result.profiles
    crit = result.scores.loc[result.k, result.criterion]
    crit_text = f"{result.criterion} {_num(float(crit), lang)}"
    how = {
        "kmeans": "k-means",
        "gmm": "campuran Gaussian" if lang == "id" else "Gaussian mixture",
        "ward": "Ward",
    }[result.method]
    if lang == "id":
        first = (
            f"{_count(result.n_obs, lang)} {who} dikelompokkan menjadi {result.k} segmen "
            f"dengan metode {how} ({crit_text})"
        )
        if result.n_excluded:
            first += (
                f"; {_count(result.n_excluded, lang)} tidak diikutkan karena datanya tidak lengkap"
            )
        if result.n_imputed:
            first += f"; {_count(result.n_imputed, lang)} dengan nilai kosong diisi rata-rata"
    else:
        first = (
            f"{_count(result.n_obs, lang)} {who} were grouped into {result.k} segments by "
            f"{how} ({crit_text})"
        )
        if result.n_excluded:
            first += f"; {_count(result.n_excluded, lang)} were left out for incomplete data"
        if result.n_imputed:
            first += f"; {_count(result.n_imputed, lang)} had blanks filled with the mean"
    out = [first + "."]
    total = result.n_obs + result.n_excluded
    if result.n_excluded > 0.2 * total:
        kept = _pct(result.n_obs / total, lang)
        out.append(
            f"Segmen hanya menggambarkan {who} dengan data lengkap ({kept} dari semua); "
            "yang dikecualikan bisa berbeda (lihat catatan hasil untuk kolom yang kosong)."
            if lang == "id"
            else f"The segments describe only {who} with complete data ({kept} of all); those "
            "left out may differ (the result's notes list the blank columns)."
        )
    for seg in prof.index:
        n, share, jac = (
            int(prof.loc[seg, "n"]),
            float(prof.loc[seg, "share"]),
            prof.loc[seg, "jaccard"],
        )
        if hides_count(n):  # a profile of fewer than 5 people is not shown (small-cell rule)
            text = choose_text(
                lang,
                f"Segmen {seg} (n = {_count(n, lang)}): profil disembunyikan",
                f"Segment {seg} (n = {_count(n, lang)}): profile hidden",
            )
        elif lang == "id":
            text = f"Segmen {seg} ({_pct(share, lang)}, n = {_count(n, lang)}): {labels[seg]}"
            if pd.notna(jac):
                text += f"; stabilitas Jaccard {_num(float(jac), lang)}"
        else:
            text = f"Segment {seg} ({_pct(share, lang)}, n = {_count(n, lang)}): {labels[seg]}"
            if pd.notna(jac):
                text += f"; Jaccard stability {_num(float(jac), lang)}"
        out.append(text + ".")
    thr = _num(STABILITY_STABLE, lang)
    if result.n_boot == 0 or not np.isfinite(result.stability):
        out.append(
            "Stabilitas segmen tidak diperiksa: jangan tafsirkan segmen berlebihan."
            if lang == "id"
            else "Segment stability was not assessed: do not over-read the segments."
        )
    else:
        s = _num(result.stability, lang)
        if lang == "id":
            verdict = (
                f"di atas ambang {thr} (Hennig 2007): segmen cukup stabil untuk dibaca"
                if result.stable
                else f"di bawah ambang {thr} (Hennig 2007): segmen lemah, jangan ditafsirkan "
                "berlebihan"
            )
            out.append(
                f"Stabilitas: rata-rata indeks Rand terkoreksi (ARI) antara segmen dan hasil "
                f"ulang pada {result.n_boot} sampel bootstrap adalah {s}, {verdict}."
            )
        else:
            verdict = (
                f"above the {thr} threshold (Hennig 2007): the segments are stable enough to read"
                if result.stable
                else f"below the {thr} threshold (Hennig 2007): weak segments, do not over-read "
                "them"
            )
            out.append(
                f"Stability: the mean adjusted Rand index (ARI) between the segments and "
                f"re-estimates on {result.n_boot} bootstrap resamples is {s}, {verdict}."
            )
    tiny = [str(s) for s in prof.index if prof.loc[s, "tiny"]]
    if tiny:
        out.append(
            f"Segmen {', '.join(tiny)} sangat kecil: profilnya bertumpu pada sedikit {who}."
            if lang == "id"
            else f"Segment(s) {', '.join(tiny)} are tiny: their profile rests on few {who}."
        )
    return out
