"""Experiments: a rate or cost KPI compared between groups, each against a control.

A group is any value of a lead, touch or spend dimension: a landing-page variant, a
campaign, a channel, a nurture track, a boolean column such as ``nurtured``. Each
group's KPI is compared with the control's by the same noise tests as
:func:`leadkpi.compare` (:func:`leadkpi.kpis.compare.null_standard_error`), with the
interval of the difference, the p-value (Holm-corrected when several groups are each
compared with the control) and the minimum detectable effect for the sample sizes.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from leadkpi.arguments import unknown
from leadkpi.data import LeadData
from leadkpi.exceptions import ArgumentError
from leadkpi.kpis.compare import LEVEL, null_standard_error
from leadkpi.kpis.engine import RESULT_COLUMNS, compute
from leadkpi.kpis.grain import NOT_SET
from leadkpi.kpis.kpi import KPI
from leadkpi.kpis.values import SMALL_SAMPLE
from leadkpi.periods import GRAINS

__all__ = ["compare_groups", "holm", "POWER", "OUTCOMES", "GROUP_COLUMNS"]

#: Power at which the minimum detectable effect is computed.
POWER = 0.80
#: What ``outcome`` says of a row: the control itself; a difference beyond noise in
#: the KPI's good or bad direction (``higher``/``lower`` for a KPI without one); no
#: detectable difference; a group or control below :data:`SMALL_SAMPLE`
#: observations; fewer than two groups; a value or test that cannot be had.
OUTCOMES = (
    "control",
    "better",
    "worse",
    "higher",
    "lower",
    "no_difference",
    "too_small",
    "one_group",
    "unavailable",
)
#: Columns after the group column, in order.
GROUP_COLUMNS = (
    "kpi",
    "control",
    "value",
    "numerator",
    "denominator",
    "n",
    "control_value",
    "control_n",
    "difference",
    "relative_difference",
    "ci_low",
    "ci_high",
    "p_value",
    "p_adjusted",
    "mde",
    "significant",
    "outcome",
    "test",
    "unit",
    "better",
    "reason",
)


def holm(p_values: object) -> np.ndarray:
    """Holm's step-down adjustment of p-values; NaN entries are not tests.

    The ``i``-th smallest of ``m`` p-values becomes ``max_{j<=i} (m - j + 1)
    p_(j)``, capped at 1: comparing every adjusted p-value with 5 % keeps the
    chance of any false "difference" among the ``m`` comparisons at 5 %.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03, np.nan]).round(2).tolist()
    [0.03, 0.06, 0.06, nan]
    """
    p = np.asarray(p_values, dtype="float64")
    out = np.full(p.shape, np.nan)
    tested = np.flatnonzero(np.isfinite(p))
    m = len(tested)
    order = tested[np.argsort(p[tested], kind="stable")]
    scaled = (m - np.arange(m)) * p[order]
    out[order] = np.minimum(np.maximum.accumulate(scaled), 1.0)
    return out


def _rows(
    data_or_result: LeadData | pd.DataFrame,
    kpi: str | KPI,
    group: str,
    start: object,
    end: object,
    mode: str,
) -> pd.DataFrame:
    """The KPI's engine rows by ``group``, one per group value."""
    kpi_id = kpi.id if isinstance(kpi, KPI) else kpi
    if isinstance(data_or_result, LeadData):
        result = compute(
            data_or_result, [kpi], by=(group,), start=start, end=end, mode=mode
        )
    elif isinstance(data_or_result, pd.DataFrame):
        result = data_or_result
        missing = [c for c in ("kpi", *RESULT_COLUMNS[1:4]) if c not in result]
        if missing:
            raise ArgumentError(
                "compare_groups() needs LeadData or a leadkpi.compute() result; the "
                f"frame has no {', '.join(missing)} column"
            )
        grain = list(result.columns[: result.columns.get_loc("kpi")])
        if group not in grain:
            raise unknown("group", group, grain, what="a grain column of the result")
        others = [c for c in grain if c != group]
        periods = [c for c in others if c in GRAINS]
        several = [c for c in periods if result[c].nunique(dropna=False) > 1]
        extra = [c for c in others if c not in GRAINS]
        if several or extra:
            raise ArgumentError(
                f"compare_groups() compares one figure per {group}; the result is "
                f"also cut by {', '.join(several + extra)}: compute it with "
                f"by=({group!r},) over the whole window instead"
            )
        kpis = result["kpi"].astype("str").unique()
        if kpi_id not in kpis:
            raise unknown("kpi", kpi_id, kpis, what="a KPI of the result")
    else:
        raise ArgumentError(
            "compare_groups() takes LeadData or a leadkpi.compute() result, not "
            f"{type(data_or_result).__name__}"
        )
    rows = pd.DataFrame(result[result["kpi"].astype("str") == kpi_id])
    unit = rows["unit"].astype("object").iloc[0] if len(rows) else None
    if unit == "count":
        raise ArgumentError(
            f"kpi={kpi_id!r} is a count, which grows with the traffic each group "
            "got; compare a rate or a cost (e.g. lead_to_mql_rate, cost_per_lead)"
        )
    rows[group] = rows[group].astype("str")
    return rows.reset_index(drop=True)


def _select(
    rows: pd.DataFrame, group: str, control: str, groups: Iterable[object] | None
) -> pd.DataFrame:
    """The control's row first, then the groups compared, in the order asked."""
    present = rows[group].tolist()
    if control not in present:
        raise unknown("control", control, present, what=f"a {group} with data")
    if groups is None:
        wanted = [g for g in present if g not in (control, NOT_SET)]
    else:
        wanted = [str(g) for g in groups if str(g) != control]
        absent = [g for g in wanted if g not in present]
        if absent:
            raise unknown("groups", absent[0], present, what=f"a {group} with data")
    order = {g: i for i, g in enumerate([control, *dict.fromkeys(wanted)])}
    chosen = rows[rows[group].isin(order)]
    return chosen.iloc[np.argsort(chosen[group].map(order).to_numpy())].reset_index(
        drop=True
    )


def compare_groups(
    data_or_result: LeadData | pd.DataFrame,
    kpi: str | KPI,
    *,
    group: str,
    control: object,
    groups: Iterable[object] | None = None,
    start: object = None,
    end: object = None,
    mode: str = "cohort",
    level: float = LEVEL,
    power: float = POWER,
) -> pd.DataFrame:
    """Compare a rate or cost KPI between groups, each against a control group.

    Parameters
    ----------
    data_or_result : LeadData or pandas.DataFrame
        The project's tables (the KPI is computed with ``by=(group,)`` over
        ``start``–``end``), or a :func:`leadkpi.compute` result already cut by
        ``group`` (and by nothing else but at most one period value).
    kpi : str or KPI
        A rate (``lead_to_mql_rate``, ``landing_page_conversion_rate``, …) or a
        cost (``cost_per_lead``, ``cac``, …), or any KPI with an interval. Counts
        are refused: they grow with the traffic a group got.
    group : str
        The column whose values are the groups: ``landing_page``, ``campaign``,
        ``channel``, any extra lead column (a boolean one gives ``"True"`` and
        ``"False"``).
    control : object
        The group the others are compared with (compared as text).
    groups : iterable, optional
        The groups compared with the control, in that order; default every other
        group with data except ``"(not set)"``.
    start, end : str or Period, optional
        The window, when ``data_or_result`` is LeadData.
    mode : {"cohort", "period"}
        Counting mode, when ``data_or_result`` is LeadData. An experiment on leads
        is read in cohort mode: what the leads of each variant went on to do.
    level : float
        Confidence level of the intervals and the tests (default 95 %).
    power : float
        Power of the minimum detectable effect (default 80 %).

    Returns
    -------
    pandas.DataFrame
        One row per group, the control first: the group column, then
        :data:`GROUP_COLUMNS`. ``difference`` is value − control value (a rate's
        in fraction points: 0.021 is +2.1 percentage points), with its ``level``
        interval ``ci_low``–``ci_high`` (unpooled, for shares) and
        ``relative_difference`` (÷ the control's value). ``p_value`` is the
        two-sided test of no difference (two-proportion z-test with the pooled
        share for shares of whole counts, ``test="two_proportion"``; otherwise the
        standard errors of both groups' intervals, ``test="intervals"``);
        ``p_adjusted`` is Holm's correction over the groups tested
        (:func:`holm`; equal to ``p_value`` with one comparison) and
        ``significant`` is ``p_adjusted < 1 - level``. ``mde`` is the smallest
        difference that the test would find with probability ``power`` at these
        sample sizes: ``(z_(1-α/2) + z_power) × se`` with the test's standard
        error. ``outcome`` is one of :data:`OUTCOMES`; with too few observations
        (``n`` < 30 in the group or the control), fewer than two groups, or no
        value, the p-value, ``p_adjusted``, ``significant`` and ``mde`` are
        missing and ``reason`` says why. ``attrs`` holds ``group``, ``control``,
        ``kpi``, ``level``, ``power`` and ``comparisons`` (the number of tests the
        Holm correction covers). Sentences for a reader:
        :func:`leadkpi.present.experiment_tables.verdicts`.

    Raises
    ------
    ArgumentError
        An unknown KPI, group column, control or group (with the closest ones); a
        count KPI; a result cut by more than ``group``; ``level`` or ``power``
        outside (0, 1).

    Notes
    -----
    These are normal approximations, like :func:`leadkpi.compare`'s. Compare groups
    that ran over the same weeks: groups that ran at different times also differ
    by everything else that changed.

    Examples
    --------
    Two Google Ads campaigns sending search traffic to two landing pages over the
    same months:

    >>> from leadkpi import load
    >>> data = load("leadkpi.yaml")
    >>> test = compare_groups(data, "lead_to_mql_rate", group="campaign",
    ...                       control="gads_generic_crm",
    ...                       groups=["gads_generic_automation"],
    ...                       start="2025-11", end="2026-10")
    >>> test[["campaign", "value", "n", "p_value", "outcome"]].round(3)
                      campaign  value      n  p_value        outcome
    0         gads_generic_crm  0.460  285.0      NaN        control
    1  gads_generic_automation  0.403  181.0    0.232  no_difference
    >>> test.loc[1, ["difference", "ci_low", "ci_high", "mde"]].astype(float).round(3)
    difference   -0.056
    ci_low       -0.148
    ci_high       0.036
    mde           0.132
    Name: 1, dtype: float64
    """
    if not 0 < level < 1:
        raise ArgumentError(f"level must be between 0 and 1, not {level!r}")
    if not 0 < power < 1:
        raise ArgumentError(f"power must be between 0 and 1, not {power!r}")
    # scipy.special is imported when first needed: importing leadkpi stays quick
    from scipy.special import ndtr, ndtri

    control = str(control)
    rows = _rows(data_or_result, kpi, group, start, end, mode)
    chosen = _select(rows, group, control, groups)
    first = chosen.iloc[[0] * len(chosen)].reset_index(drop=True)
    sides = ("value", "numerator", "denominator", "ci_low", "ci_high")
    unit = chosen["unit"].astype("object").to_numpy()
    se0, shares = null_standard_error(
        unit,
        tuple(_numbers(first, c) for c in sides),
        tuple(_numbers(chosen, c) for c in sides),
    )
    value, base = _numbers(chosen, "value"), _numbers(first, "value")
    n, base_n = _numbers(chosen, "n"), _numbers(first, "n")
    x1, n1 = _numbers(first, "numerator"), _numbers(first, "denominator")
    x2, n2 = _numbers(chosen, "numerator"), _numbers(chosen, "denominator")
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = x1 / n1, x2 / n2
        unpooled = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    se = np.where(shares, unpooled, se0)
    difference = value - base
    z = ndtri(0.5 + level / 2)
    is_control = np.arange(len(chosen)) == 0
    reason = chosen["reason"].astype("object").to_numpy().copy()
    known = np.isfinite(value) & np.isfinite(base)
    big = (n >= SMALL_SAMPLE) & (base_n >= SMALL_SAMPLE)
    judged = known & big & np.isfinite(se0) & (se0 > 0) & ~is_control
    tested_se = np.where(judged, se0, 1.0)  # no division by an unknown or 0
    p_value = np.where(judged, 2 * ndtr(-np.abs(difference) / tested_se), np.nan)
    adjusted = holm(p_value)
    significant = pd.array(adjusted < 1 - level, dtype="boolean")
    significant[~judged] = pd.NA
    sign = np.sign(difference) * chosen["better"].map(
        {"higher": 1.0, "lower": -1.0}
    ).to_numpy("float64", na_value=np.nan)
    outcome = np.select(
        [
            is_control,
            ~known,
            ~big,
            ~judged,
            ~np.asarray(significant.fillna(False), dtype=bool),
            sign > 0,
            sign < 0,
            difference > 0,
        ],
        [
            "control",
            "unavailable",
            "too_small",
            "unavailable",
            "no_difference",
            "better",
            "worse",
            "higher",
        ],
        "lower",
    ).astype(object)
    if len(chosen) < 2:
        outcome[:] = "one_group"
    small = ~big & known & ~is_control
    reason = np.where(
        small & pd.isna(reason),
        f"fewer than {SMALL_SAMPLE} observations in the group or the control",
        reason,
    )
    reason = np.where(
        known & big & ~judged & ~is_control & pd.isna(reason),
        "no standard error: the KPI has no interval to test with",
        reason,
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(base != 0, difference / np.abs(base), np.nan)
    out = pd.DataFrame(
        {
            group: chosen[group].to_numpy(dtype=object),
            "kpi": chosen["kpi"].astype("object").to_numpy(),
            "control": control,
            "value": value,
            "numerator": x2,
            "denominator": n2,
            "n": n,
            "control_value": base,
            "control_n": base_n,
            "difference": np.where(is_control, np.nan, difference),
            "relative_difference": np.where(is_control, np.nan, relative),
            "ci_low": np.where(judged, difference - z * se, np.nan),
            "ci_high": np.where(judged, difference + z * se, np.nan),
            "p_value": p_value,
            "p_adjusted": adjusted,
            "mde": np.where(judged, (z + ndtri(power)) * se0, np.nan),
            "significant": significant,
            "outcome": outcome,
            "test": np.where(
                judged, np.where(shares, "two_proportion", "intervals"), None
            ).astype(object),
            "unit": unit,
            "better": chosen["better"].astype("object").to_numpy(),
            "reason": reason,
        }
    )
    out.attrs.update(
        group=group,
        control=control,
        kpi=str(out["kpi"].iloc[0]) if len(out) else str(kpi),
        level=level,
        power=power,
        comparisons=int(judged.sum()),
    )
    return out


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    return pd.to_numeric(frame[column], errors="coerce").to_numpy("float64")
