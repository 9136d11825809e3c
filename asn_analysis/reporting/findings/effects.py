"""Findings text of the effect estimators: one sentence per estimate, and the roll-out story.

:func:`effect_sentence` states an :class:`~asn_analysis.effects.EffectEstimate` with its
headline interval and p-value, naming the method behind them (:func:`inference_label`) and,
when the headline is a bootstrap or a permutation test, the CR1 interval shown beside it, in
Bahasa Indonesia or English; :func:`effects_findings` compares the estimators of the training
roll-out's effect on IKM (notebook 04 and the report); :func:`event_time_sentence` states the
effects by time since training, leaving out the event times the result flags (``one_treated_unit``);
:func:`covariate_comparison_findings` states how far unit covariates move the Callaway-Sant'Anna
estimate (conditional parallel trends, Sant'Anna & Zhao 2020).

Examples
--------
>>> from asn_analysis.effects import EffectEstimate, EventStudyResult
>>> e = EffectEstimate(estimate=2.5, se=1.0, ci_low=0.5, ci_high=4.5, pvalue=0.0004,
...                    n_obs=10, n_treated=2, n_clusters=None, method="TWFE")
>>> effects_findings({"twfe": e}, lang="en")
['Two-way fixed effects (TWFE) effect: 2.50 (95% CI 0.50 to 4.50; p < 0.001; method TWFE).']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from asn_analysis._validation import Lang, check_lang
from asn_analysis.effects import EffectEstimate, EventStudyResult
from asn_analysis.reporting.labels import relabel
from asn_analysis.reporting.text import choose, ci_text, count, number

__all__ = [
    "covariate_comparison_findings",
    "effect_sentence",
    "effects_findings",
    "event_time_sentence",
    "inference_label",
]

_LABELS = (
    (
        "wild cluster score bootstrap",
        "bootstrap skor klaster liar",
        "wild cluster score bootstrap",
    ),
    ("wild", "bootstrap klaster liar", "wild cluster bootstrap"),
    ("permutation", "uji permutasi plasebo", "placebo permutation test"),
    ("placebo", "uji permutasi plasebo", "placebo permutation test"),
    ("cluster-robust", "galat baku klaster CR1", "cluster-robust CR1"),
    ("CR1", "galat baku klaster CR1", "cluster-robust CR1"),
    ("analytic", "fungsi pengaruh (analitik)", "influence function (analytic)"),
    ("influence function", "fungsi pengaruh (sandwich)", "influence function (sandwich)"),
    ("multiplier", "bootstrap multiplier", "multiplier bootstrap"),
)


def _short(method: str, lang: Lang) -> str:
    """Return the name of the method beside the headline: "CR1" for the cluster-robust one."""
    return (
        "CR1"
        if method.startswith(("cluster-robust", "CR1"))
        else inference_label(method, lang=lang)
    )


def inference_label(method: str, *, lang: Lang = "id") -> str:
    """Short bilingual name of an inference method (the first row of an estimate's inference).

    Parameters
    ----------
    method : str
        The method's full name, e.g. ``"wild cluster bootstrap (WCR, rademacher)"``.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    str
        The reader's name of the method; the full name when it is not a known family; "" for
        an empty name.

    Examples
    --------
    >>> inference_label("wild cluster bootstrap (WCR, rademacher)", lang="en")
    'wild cluster bootstrap'
    >>> inference_label("permutation (placebo-in-space)", lang="id")
    'uji permutasi plasebo'
    """
    check_lang(lang)
    for prefix, id_text, en_text in _LABELS:
        if method.startswith(prefix):
            return choose(lang, id_text, en_text)
    return method


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

    With few clusters the headline is the wild cluster bootstrap, CR1 beside it:

    >>> from asn_analysis.effects.estimate import inference_row
    >>> rows = [{"method": "wild cluster bootstrap (WCR, rademacher)", "se": float("nan"),
    ...          "ci_low": 0.2, "ci_high": 4.9, "pvalue": 0.04, "n_draws": 999},
    ...         inference_row("cluster-robust CR1, t(29)", 2.5, 1.0, 0.95, 29)]
    >>> w = EffectEstimate.from_inference(2.5, rows, n_obs=10, n_treated=2, n_clusters=30,
    ...                                   method="TWFE")
    >>> effect_sentence(w, what="Effect", lang="en")
    'Effect: 2.50 (95% CI 0.20 to 4.90, wild cluster bootstrap; p = 0.040; CR1 beside it:
    0.45 to 4.55; method TWFE).'
    """
    check_lang(lang)
    ci = ci_text(est.ci_low, est.ci_high, lang, digits, level=est.level)
    label = inference_label(est.headline, lang=lang)
    labelled = f"{ci}, {label}" if label and len(est.inference) > 1 else ci
    p = f"< {number(0.001, lang, 3)}" if est.pvalue < 0.001 else f"= {number(est.pvalue, lang, 3)}"
    beside = ""
    if len(est.inference) > 1:
        b = est.inference.iloc[1]
        to = choose(lang, "sampai", "to")
        beside = (
            f"; {_short(str(est.inference.index[1]), lang)} "
            f"{choose(lang, 'sebagai pembanding', 'beside it')}: "
            f"{number(b['ci_low'], lang, digits)} {to} {number(b['ci_high'], lang, digits)}"
        )
    method = choose(lang, "metode", "method")
    return (
        f"{what}: {number(est.estimate, lang, digits)} ({labelled}; p {p}{beside}; "
        f"{method} {relabel(est.method, lang)})."
    )


def event_time_sentence(study: EventStudyResult, *, lang: Lang = "id", digits: int = 1) -> str:
    """State the effects by periods since training, leaving out the flagged event times.

    Event times the result flags ``one_treated_unit`` (resting on a single treated unit: their
    intervals under-cover, see ``docs/effects_simulation.md``) are not stated as numbers; the
    sentence says they were left out and why.

    Parameters
    ----------
    study : EventStudyResult
        Output of :func:`asn_analysis.effects.event_study`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.
    digits : int, default 1
        Decimals shown.

    Returns
    -------
    str
        One sentence.

    Examples
    --------
    >>> import pandas as pd
    >>> from asn_analysis.effects import EventStudyResult
    >>> t = pd.DataFrame({"estimate": [0.0, 1.4, 2.8, 4.9], "ci_low": [None, 0.9, 1.9, 4.0],
    ...                   "ci_high": [None, 2.0, 3.6, 5.8], "pre": [True, False, False, False],
    ...                   "one_treated_unit": [False, False, False, True]},
    ...                  index=pd.Index([-1, 0, 1, 2], name="event_time"))
    >>> event_time_sentence(EventStudyResult(t, 1.0, 4, 0.9, "Wald", "es", 300, 30), lang="en")
    'Effect by semesters since training: 0: 1.4 (0.9 to 2.0); 1: 2.8 (1.9 to 3.6). Not stated:
    event time 2 rests on a single treated unit, so its interval is not reliable.'
    """
    check_lang(lang)
    shown = study.headline_rows()
    to = choose(lang, "sampai", "to")
    parts = [
        f"{e}: {number(r['estimate'], lang, digits)} ({number(r['ci_low'], lang, digits)} {to} "
        f"{number(r['ci_high'], lang, digits)})"
        for e, r in shown.iterrows()
    ]
    text = choose(
        lang, "Efek menurut semester sejak pelatihan: ", "Effect by semesters since training: "
    )
    text += "; ".join(parts) + "."
    post = study.table[~study.table["pre"].astype(bool)]
    if "one_treated_unit" in post and post["one_treated_unit"].any():
        times = ", ".join(str(e) for e in post.index[post["one_treated_unit"].astype(bool)])
        text += choose(
            lang,
            f" Tidak disebutkan: waktu peristiwa {times} hanya bertumpu pada satu unit yang "
            "dilatih, sehingga intervalnya tidak dapat diandalkan.",
            f" Not stated: event time {times} rests on a single treated unit, so its interval is "
            "not reliable.",
        )
    return text


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
        "twfe": (
            "Efek menurut model efek tetap dua arah (TWFE)",
            "Two-way fixed effects (TWFE) effect",
        ),
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


#: Reader's names of the unit covariates (:data:`asn_analysis.unit_covariates.UNIT_COVARIATES`)
#: and of the estimators with covariates (``est_method``).
_COVARIATE_LABELS = {
    "mismatch_share": ("ketidaksesuaian kompetensi teknis", "technical mismatch"),
    "mean_jpm": ("rata-rata JPM", "mean JPM"),
    "health": ("unit kesehatan", "health unit"),
}
_EST_METHOD_LABELS = {
    "dr": ("doubly robust", "doubly robust"),
    "ipw": ("pembobotan skor kecenderungan (IPW)", "inverse propensity weighting (IPW)"),
    "reg": ("regresi hasil", "outcome regression"),
}


def covariate_comparison_findings(
    plain: EffectEstimate,
    adjusted: EffectEstimate,
    *,
    covariates: Sequence[str],
    est_method: str,
    lang: Lang = "id",
    units_missing: Mapping[str, int] | None = None,
) -> list[str]:
    """State how far unit covariates move the Callaway-Sant'Anna estimate (notebook 04).

    With covariates the estimator needs parallel trends only among units alike in them
    (conditional parallel trends; Sant'Anna & Zhao 2020). A shift of less than half the plain
    estimate's standard error says the result does not hinge on comparing unlike units; a larger
    one says it depends on which units are compared, and the conditional estimate is the one
    whose assumption is weaker.

    Parameters
    ----------
    plain, adjusted : EffectEstimate
        :func:`asn_analysis.effects.staggered_did` without and with ``covariates=``.
    covariates : sequence of str
        The covariate names (:data:`asn_analysis.unit_covariates.UNIT_COVARIATES`; other names
        are shown as given).
    est_method : {"dr", "ipw", "reg"}
        The estimator with covariates.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.
    units_missing : mapping of str to int, optional
        Units lacking each covariate (``attrs["n_units_missing"]`` of
        :func:`asn_analysis.unit_covariates.unit_covariates`); a sentence says how many.

    Returns
    -------
    list of str
        The shift with its reading and the adjusted estimate; then the units without covariate
        data, if any.

    Examples
    --------
    >>> p = EffectEstimate(estimate=2.5, se=1.0, ci_low=0.5, ci_high=4.5, pvalue=0.02, n_obs=90,
    ...                    n_treated=8, n_clusters=30, method="CS")
    >>> a = EffectEstimate(estimate=2.7, se=1.1, ci_low=0.5, ci_high=4.9, pvalue=0.02, n_obs=90,
    ...                    n_treated=8, n_clusters=30, method="CS (dr)")
    >>> covariate_comparison_findings(p, a, covariates=["health"], est_method="dr", lang="en")
    ['With unit covariates (health unit; doubly robust) the estimate moves by +0.20 IKM points
    (less than half a standard error): the result does not hinge on comparing unlike units.
    Effect with covariates: 2.70 (95% CI 0.50 to 4.90; p = 0.020; method CS (dr)).']
    >>> covariate_comparison_findings(p, a, covariates=["health"], est_method="dr",
    ...                               units_missing={"health": 2})[1]
    'Unit tanpa data kovariat (tidak ikut dalam perbandingan yang memerlukannya): unit kesehatan 2.'
    """
    check_lang(lang)
    idx = 0 if lang == "id" else 1
    names = ", ".join(_COVARIATE_LABELS.get(c, (c, c))[idx] for c in covariates)
    method = _EST_METHOD_LABELS.get(est_method, (est_method, est_method))[idx]
    shift = adjusted.estimate - plain.estimate
    small = abs(shift) < plain.se / 2
    moved = number(shift, lang, sign=True)
    reading = (
        choose(
            lang,
            " (kurang dari setengah galat baku): hasil tidak bergantung pada perbandingan unit "
            "yang tidak serupa.",
            " (less than half a standard error): the result does not hinge on comparing unlike "
            "units.",
        )
        if small
        else choose(
            lang,
            " (lebih dari setengah galat baku): hasil bergantung pada unit yang dibandingkan; "
            "estimasi bersyarat hanya memerlukan tren paralel di antara unit yang serupa dalam "
            "kovariat ini.",
            " (more than half a standard error): the result depends on which units are "
            "compared; the conditional estimate needs parallel trends only among units alike in "
            "these covariates.",
        )
    )
    lead = choose(
        lang,
        f"Dengan kovariat unit ({names}; {method}) estimasi bergeser {moved} poin IKM",
        f"With unit covariates ({names}; {method}) the estimate moves by {moved} IKM points",
    )
    what = choose(lang, "Efek dengan kovariat", "Effect with covariates")
    out = [f"{lead}{reading} {effect_sentence(adjusted, what=what, lang=lang)}"]
    lacking = {c: int(n) for c, n in (units_missing or {}).items() if n}
    if lacking:
        listed = ", ".join(
            f"{_COVARIATE_LABELS.get(c, (c, c))[idx]} {count(n, lang)}" for c, n in lacking.items()
        )
        out.append(
            choose(
                lang,
                "Unit tanpa data kovariat (tidak ikut dalam perbandingan yang memerlukannya): ",
                "Units without covariate data (left out of the comparisons that need it): ",
            )
            + listed
            + "."
        )
    return out
