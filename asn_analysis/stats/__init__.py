"""Statistical building blocks that several estimators share, each implemented once.

- :mod:`~asn_analysis.stats.intervals`: t / normal critical values and p-values, Wilson
  intervals for proportions;
- :mod:`~asn_analysis.stats.inference`: the one rule of ``inference="auto"`` (which method
  gives an estimate's headline interval: permutation, wild cluster bootstrap or CR1);
- :mod:`~asn_analysis.stats.sandwich`: the cluster-robust (CR1) covariance of an M-estimator;
- :mod:`~asn_analysis.stats.bootstrap`: wild-bootstrap weights, the test-inversion bracket and
  the wild cluster restricted bootstrap of an OLS coefficient;
- :mod:`~asn_analysis.stats.ols`: least squares with absorbed fixed effects and CR1 covariance.

Estimators in :mod:`asn_analysis.effects` and :mod:`asn_analysis.competency` import from here;
nothing here imports a domain module.
"""
