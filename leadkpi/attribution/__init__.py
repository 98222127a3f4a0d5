"""Multi-touch attribution: which channel and campaign gets credit.

:func:`journeys` turns touches and leads into each lead's ordered touches up to
its conversion; :func:`path_table` aggregates them into distinct paths (or take
one from a warehouse); :func:`attribute` credits conversions and revenue to
channels under rule-based models (first, last, last non-direct, linear, time
decay, U-shaped, W-shaped) and data-driven ones (Markov removal effect of order
1 to 3, solved exactly; Shapley value, exact over coalitions);
:func:`attribution_kpis` joins the credit with spend for CPL, CAC, ROAS and ROI
per channel under each model; :func:`sensitivity` shows how the credit moves
with the lookback window and the time-decay half-life. Given a
:class:`~leadkpi.warehouse.RemoteData`, :func:`path_table` and :func:`attribute`
count the distinct paths on its backend (:mod:`leadkpi.attribution.remote`).
"""

from leadkpi.attribution.credit import DEFAULT_MODELS, MODELS, attribute
from leadkpi.attribution.journeys import NO_TOUCH, journeys
from leadkpi.attribution.paths import check_path_table, path_table
from leadkpi.attribution.sensitivity import sensitivity
from leadkpi.attribution.spend import attribution_kpis

__all__ = [
    "journeys",
    "path_table",
    "check_path_table",
    "attribute",
    "attribution_kpis",
    "sensitivity",
    "MODELS",
    "DEFAULT_MODELS",
    "NO_TOUCH",
]
