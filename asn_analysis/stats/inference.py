"""The one rule of ``inference="auto"``: which method gives an estimate's headline interval.

Every estimator with an ``inference=`` option (:func:`asn_analysis.effects.did`,
:func:`~asn_analysis.effects.twfe`, :func:`asn_analysis.competency.fit_effects`, and through
them the case study) calls :func:`headline_method` to choose the method whose interval and
p-value are reported as the estimate's own (its ``ci_low``, ``ci_high``, ``pvalue``, the first
row of its inference table), and :func:`headline_first` to order the methods computed:

- **one treated unit** (and a placebo run is possible): placebo-in-space permutation
  (Conley & Taber 2011); cluster-robust standard errors are not valid with one treated cluster;
- **fewer than** :data:`~asn_analysis.stats.intervals.FEW_CLUSTERS` **(42) clusters**: the wild
  cluster (restricted or score) bootstrap, whose coverage holds with few and unequal clusters
  (Cameron, Gelbach & Miller 2008; MacKinnon & Webb 2017);
- **otherwise**: cluster-robust CR1 with t(G - 1) critical values.

The cluster-robust (CR1) interval is always computed and shown beside the headline (the second
row of the inference table), so a reader sees how much the choice matters.

References
----------
.. [1] Cameron, Gelbach & Miller (2008), Review of Economics and Statistics 90(3); Conley &
       Taber (2011), Review of Economics and Statistics 93(1); MacKinnon & Webb (2017),
       Journal of Applied Econometrics 32(2) (full entries in :mod:`asn_analysis.effects.did`).

Examples
--------
>>> headline_method("auto", n_clusters=30), headline_method("auto", n_clusters=60)
('wild', 'cluster')
>>> headline_method("auto", n_clusters=30, one_treated_unit=True)
'permutation'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, TypeAlias

from asn_analysis._validation import check_option
from asn_analysis.stats.intervals import FEW_CLUSTERS

__all__ = ["HEADLINE_RULE", "Headline", "headline_first", "headline_method", "headline_note"]

#: The method behind an estimate's headline interval and p-value.
Headline: TypeAlias = Literal["cluster", "wild", "permutation"]

#: The rule in one sentence (docstrings and notes quote it).
HEADLINE_RULE = (
    f'inference="auto": one treated unit -> placebo-in-space permutation; fewer than '
    f"{FEW_CLUSTERS} clusters -> wild cluster bootstrap; otherwise cluster-robust CR1. "
    "CR1 is always shown beside the headline."
)


def headline_method(
    inference: str,
    *,
    n_clusters: int | None,
    one_treated_unit: bool = False,
) -> Headline:
    """Return the method whose interval and p-value an estimate reports as its headline.

    Parameters
    ----------
    inference : {"auto", "cluster", "wild", "permutation"}
        The estimator's option. Anything but ``"auto"`` is taken as asked.
    n_clusters : int or None
        Clusters of the standard errors (None: not clustered, so no bootstrap by cluster).
    one_treated_unit : bool, default False
        Exactly one unit is treated and a placebo-in-space run is possible.

    Returns
    -------
    {"cluster", "wild", "permutation"}
        ``"permutation"`` with one treated unit, ``"wild"`` with fewer than
        :data:`~asn_analysis.stats.intervals.FEW_CLUSTERS` clusters, else ``"cluster"``.

    Raises
    ------
    OptionError
        ``inference`` is not one of the four options.

    Notes
    -----
    The rule is the one of :data:`HEADLINE_RULE`; the threshold of 42 clusters follows
    Angrist & Pischke (2009) and Cameron & Miller (2015), below which CR1 intervals under-cover,
    the more so with unequal cluster sizes (MacKinnon & Webb 2017).

    Examples
    --------
    >>> headline_method("auto", n_clusters=None)
    'cluster'
    >>> headline_method("wild", n_clusters=100)
    'wild'
    """
    check_option("inference", inference, ("auto", "cluster", "wild", "permutation"))
    if inference != "auto":
        return inference  # type: ignore[return-value]
    if one_treated_unit:
        return "permutation"
    if n_clusters is not None and n_clusters < FEW_CLUSTERS:
        return "wild"
    return "cluster"


def headline_first(
    rows: Sequence[dict[str, Any]], headline: Headline, *, kinds: Sequence[Headline]
) -> list[dict[str, Any]]:
    """Order the inference rows: the headline method first, then CR1, then the rest.

    Parameters
    ----------
    rows : sequence of dict
        One row per method computed (any keys).
    headline : {"cluster", "wild", "permutation"}
        The method chosen by :func:`headline_method`.
    kinds : sequence of {"cluster", "wild", "permutation"}
        The kind of each row (same length as ``rows``).

    Returns
    -------
    list of dict
        The same rows, reordered (stable within a kind). When no row has the headline kind
        (e.g. the bootstrap could not be computed) CR1 comes first.

    Examples
    --------
    >>> rows = [{"method": "CR1"}, {"method": "wild"}]
    >>> [r["method"] for r in headline_first(rows, "wild", kinds=["cluster", "wild"])]
    ['wild', 'CR1']
    """
    rank = {headline: 0, "cluster": 1}
    order = sorted(range(len(rows)), key=lambda i: (rank.get(kinds[i], 2), i))
    return [rows[i] for i in order]


def headline_note(headline: Headline, *, n_clusters: int | None, method: str) -> str:
    """Return the note saying which method gives the headline and why (plain English).

    Parameters
    ----------
    headline : {"cluster", "wild", "permutation"}
        The kind of the first inference row.
    n_clusters : int or None
        Clusters of the standard errors.
    method : str
        The full name of the headline method (the first inference row's name).

    Returns
    -------
    str
        One sentence naming the headline method, the reason and that CR1 is shown beside it.

    Examples
    --------
    >>> headline_note("wild", n_clusters=30, method="wild cluster bootstrap (WCR)")[:58]
    'Headline interval and p-value: wild cluster bootstrap (WCR'
    """
    if headline == "permutation":
        why = "a single treated unit"
    elif headline == "wild":
        why = f"few clusters, {n_clusters} < {FEW_CLUSTERS}"
    elif n_clusters is not None and n_clusters >= FEW_CLUSTERS:
        why = f"enough clusters, {n_clusters} >= {FEW_CLUSTERS}"
    else:
        why = "as asked, or the bootstrap was not available"
    beside = "" if headline == "cluster" else "; cluster-robust CR1 is shown beside it"
    return f"Headline interval and p-value: {method} ({why}){beside}. Rule: {HEADLINE_RULE}"
