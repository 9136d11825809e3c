r"""Training and programme effects: difference-in-differences, staggered roll-out, weighting.

The question a regional government asks after a training programme is whether it changed
anything: competency levels of the staff who attended, and the citizen satisfaction index (IKM)
of the units whose staff were trained. This package holds the estimators, one module per
family; preparing the ASN tables for them and the Kirkpatrick case study live in
:mod:`asn_analysis.casestudy`, their findings sentences in
:mod:`asn_analysis.reporting.findings.effects` and their figures in
:mod:`asn_analysis.reporting.plots.effects`.

Estimators (each returns an :class:`EffectEstimate` with SE, CI, p-value and notes;
:mod:`~asn_analysis.effects.estimate` holds the result classes):

- :mod:`~asn_analysis.effects.did`:
  :func:`did` — 2x2 difference-in-differences, optionally with unit and time fixed effects;
  :func:`twfe` — two-way fixed effects with one binary treatment (fast within transformation);
  :func:`twfe_weights` — the weights TWFE puts on each treated cell (its bias, made visible);
  :func:`naive_difference` — the raw treated-minus-untreated difference (for comparison only);
  :func:`before_after` — the naive change of treated units (for comparison only).
- :mod:`~asn_analysis.effects.staggered`:
  :func:`staggered_did` — Callaway & Sant'Anna (2021) group-time ATTs for staggered roll-outs,
  with covariates through the 2x2 doubly robust, IPW or regression estimators of
  :mod:`~asn_analysis.effects.drdid` (Sant'Anna & Zhao 2020);
  :func:`event_study` — leads and lags with a joint pre-trend test (an
  :class:`EventStudyResult`).
- :mod:`~asn_analysis.effects.synth`:
  :func:`synthetic_control` — Abadie et al. (2010) with placebo-in-space inference, fitted on
  pre-period outcomes or on predictors (covariates and outcome lags) with given or nested
  predictor weights V.
- :mod:`~asn_analysis.effects.weighting`:
  :func:`att_weighting` — IPW / AIPW for the effect on the treated with balance and overlap
  (a :class:`WeightingEstimate`); its propensity model is fitted by
  :mod:`~asn_analysis.effects.propensity` (separation check, Crump et al. 2009 trimming).
- :mod:`~asn_analysis.effects.power`:
  :func:`minimum_detectable_effect` — Bloom's MDE for planning the next evaluation.

:func:`compare` (:func:`asn_analysis.results.compare`) puts estimates side by side;
:mod:`~asn_analysis.effects.inputs` holds the input checks and :class:`EffectInputError`.

Inference with few clusters: one rule
-------------------------------------
A regency has about 30 units. Every estimator with an ``inference=`` option follows one rule
for ``inference="auto"`` (:func:`asn_analysis.stats.inference.headline_method`): the headline
interval and p-value (``ci_low``, ``ci_high``, ``pvalue``, the first row of
``EffectEstimate.inference``, named in its ``headline`` and in ``to_frame()["inference"]``)
are those whose coverage holds. With a single treated unit cluster-robust inference is not
valid (the treated cluster's residuals are fitted almost exactly): placebo-in-space permutation
(Abadie, Diamond & Hainmueller 2010; Conley & Taber 2011). With fewer than
:data:`~asn_analysis.stats.intervals.FEW_CLUSTERS` clusters: the wild cluster restricted
bootstrap (Cameron, Gelbach & Miller 2008; Roodman et al. 2019;
:class:`~asn_analysis.stats.bootstrap.WildClusterBootstrap`), p-value and test-inversion CI.
Otherwise cluster-robust CR1 with the small-sample factor and t(G - 1) critical values
(:mod:`asn_analysis.stats.ols`). CR1 is always shown beside the headline (the second row), and
the notes say which is which. Event-study rows that rest on a single treated unit are flagged
(``one_treated_unit``) and never a headline number.

References
----------
.. [1] Callaway, B., & Sant'Anna, P. H. C. (2021). Difference-in-differences with multiple time
       periods. Journal of Econometrics, 225(2), 200-230.
.. [2] Goodman-Bacon, A. (2021). Difference-in-differences with variation in treatment timing.
       Journal of Econometrics, 225(2), 254-277.
.. [3] Abadie, A., Diamond, A., & Hainmueller, J. (2010). Synthetic control methods for
       comparative case studies. Journal of the American Statistical Association, 105, 493-505.
.. [4] Cameron, A. C., Gelbach, J. B., & Miller, D. L. (2008). Bootstrap-based improvements for
       inference with clustered errors. Review of Economics and Statistics, 90(3), 414-427.
.. [5] Roodman, D., Nielsen, M. O., MacKinnon, J. G., & Webb, M. D. (2019). Fast and wild:
       Bootstrap inference in Stata using boottest. The Stata Journal, 19(1), 4-60.
.. [6] Conley, T. G., & Taber, C. R. (2011). Inference with "difference in differences" with a
       small number of policy changes. Review of Economics and Statistics, 93(1), 113-125.
.. [7] Bloom, H. S. (1995). Minimum detectable effects. Evaluation Review, 19(5), 547-556;
       Bloom, H. S. (2005). Randomizing groups to evaluate place-based programs. In Learning
       More from Social Experiments. Russell Sage Foundation.
.. [8] Sant'Anna, P. H. C., & Zhao, J. (2020). Doubly robust difference-in-differences
       estimators. Journal of Econometrics, 219(1), 101-122.
"""

from asn_analysis.effects.did import (
    Inference,
    before_after,
    did,
    naive_difference,
    twfe,
    twfe_weights,
)
from asn_analysis.effects.estimate import EffectEstimate, EventStudyResult
from asn_analysis.effects.inputs import EffectInputError
from asn_analysis.effects.power import MDEDesign, minimum_detectable_effect
from asn_analysis.effects.staggered import (
    BasePeriod,
    Control,
    CSSEMethod,
    EventMethod,
    event_study,
    staggered_did,
)
from asn_analysis.effects.synth import (
    SynthAggregation,
    SynthInputError,
    SynthPlaceboV,
    SynthPredictor,
    SynthStatistic,
    synthetic_control,
)
from asn_analysis.effects.weighting import (
    SEMethod,
    TrimRule,
    WeightingEstimate,
    WeightingMethod,
    att_weighting,
)
from asn_analysis.results import compare
from asn_analysis.stats.bootstrap import BootWeights

__all__ = [
    "BasePeriod",
    "BootWeights",
    "CSSEMethod",
    "Control",
    "EffectEstimate",
    "EffectInputError",
    "EventMethod",
    "EventStudyResult",
    "Inference",
    "MDEDesign",
    "SEMethod",
    "SynthAggregation",
    "SynthInputError",
    "SynthPlaceboV",
    "SynthPredictor",
    "SynthStatistic",
    "TrimRule",
    "WeightingEstimate",
    "WeightingMethod",
    "att_weighting",
    "before_after",
    "compare",
    "did",
    "event_study",
    "minimum_detectable_effect",
    "naive_difference",
    "staggered_did",
    "synthetic_control",
    "twfe",
    "twfe_weights",
]
