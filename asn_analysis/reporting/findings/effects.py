"""Findings text of the effect estimators: one sentence per estimate, and the roll-out story.

:func:`effect_sentence` states an :class:`~asn_analysis.effects.EffectEstimate` with its
interval and p-value in Bahasa Indonesia or English; :func:`effects_findings` compares the
estimators of the training roll-out's effect on IKM (notebook 04 and the report).

Examples
--------
>>> from asn_analysis.effects import EffectEstimate
>>> e = EffectEstimate(estimate=2.5, se=1.0, ci_low=0.5, ci_high=4.5, pvalue=0.0004,
...                    n_obs=10, n_treated=2, n_clusters=None, method="TWFE")
>>> effects_findings({"twfe": e}, lang="en")
['Two-way fixed effects (TWFE) effect: 2.50 (95% CI 0.50 to 4.50; p < 0.001; method TWFE).']
"""

from __future__ import annotations

from collections.abc import Mapping

from asn_analysis._validation import Lang, check_lang
from asn_analysis.effects import EffectEstimate
from asn_analysis.reporting.text import choose, ci_text, number

__all__ = ["effect_sentence", "effects_findings"]


def effect_sentence(est: EffectEstimate, *, what: str, lang: Lang = "id", digits: int = 2) -> str:
    """One plain-language sentence for an estimate, with its CI and p-value.

    Parameters
    ----------
    est : EffectEstimate
        The estimate.
    what : str
        What was estimated, in the sentence's language (e.g. "the effect on converted IKM").
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.
    digits : int, default 2
        Decimals shown (display only).

    Returns
    -------
    str
        The sentence.

    Examples
    --------
    >>> e = EffectEstimate(estimate=2.5, se=1.0, ci_low=0.5, ci_high=4.5, pvalue=0.02, n_obs=10,
    ...                    n_treated=2, n_clusters=None, method="DiD")
    >>> effect_sentence(e, what="Efek", lang="id")
    'Efek: 2,50 (IK 95%: 0,50 sampai 4,50; p = 0,020; metode DiD).'
    """
    check_lang(lang)
    ci = ci_text(est.ci_low, est.ci_high, lang, digits, level=est.level)
    p = f"< {number(0.001, lang, 3)}" if est.pvalue < 0.001 else f"= {number(est.pvalue, lang, 3)}"
    method = choose(lang, "metode", "method")
    return f"{what}: {number(est.estimate, lang, digits)} ({ci}; p {p}; {method} {est.method})."


def effects_findings(
    estimates: Mapping[str, EffectEstimate],
    *,
    lang: Lang = "id",
    truth: float | None = None,
) -> list[str]:
    """Plain-language findings comparing estimators of one roll-out effect (notebook 04).

    Parameters
    ----------
    estimates : mapping of str to EffectEstimate
        Keys ``"before_after"``, ``"twfe"``, ``"staggered"`` (any subset; others ignored).
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.
    truth : float, optional
        Known true ATT (synthetic data only).

    Returns
    -------
    list of str
        One sentence per finding, each with its uncertainty.
    """
    check_lang(lang)
    labels = {
        "before_after": ("Perubahan sebelum-sesudah (naif)", "Naive before-after change"),
        "twfe": ("Efek fixed effects dua arah (TWFE)", "Two-way fixed effects (TWFE) effect"),
        "staggered": (
            "Efek menurut Callaway-Sant'Anna (tahan terhadap efek yang berbeda antarwaktu)",
            "Callaway-Sant'Anna effect (robust to effects that change over time)",
        ),
    }
    out = []
    for key, (id_text, en_text) in labels.items():
        if key in estimates:
            out.append(
                effect_sentence(estimates[key], what=id_text if lang == "id" else en_text,
                                lang=lang)
            )  # fmt: skip
    if truth is not None:
        t = number(truth, lang)
        out.append(
            f"Data sintetis: efek sebenarnya {t} poin IKM."
            if lang == "id"
            else f"Synthetic data: the true effect is {t} IKM points."
        )
    if "twfe" in estimates and "staggered" in estimates:
        diff = estimates["twfe"].estimate - estimates["staggered"].estimate
        out.append(
            f"TWFE berbeda {number(diff, lang)} poin dari estimator Callaway-Sant'Anna. Dengan "
            "peluncuran bertahap dan efek yang tumbuh, TWFE memberi bobot kecil pada paparan "
            "yang lama dan memakai unit yang sudah dilatih sebagai pembanding (Goodman-Bacon "
            "2021); estimasi Callaway-Sant'Anna yang sebaiknya dilaporkan."
            if lang == "id"
            else f"TWFE differs by {number(diff, lang)} points from Callaway-Sant'Anna. With a "
            "staggered roll-out and growing effects TWFE gives long exposures little weight and "
            "uses already-trained units as controls (Goodman-Bacon 2021); report the "
            "Callaway-Sant'Anna estimate."
        )
    return out
