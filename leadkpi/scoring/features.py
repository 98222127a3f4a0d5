"""Training data for a lead model from a LeadData: attributes, engagement before the
qualification point, a label within a horizon, and a split by creation date.

The shapes: ``leads`` (one row per lead) and ``touches`` (one row per touch) →
a :class:`LeadSet` of ``X`` (one row per lead, one column per feature), ``y``
(0/1), ``lead_id`` and ``created_at``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from leadkpi.data import LeadData
from leadkpi.exceptions import ArgumentError
from leadkpi.scoring.labels import as_label

__all__ = [
    "LeadSet",
    "lead_features",
    "labelled_frame",
    "qualification_point",
    "epoch_seconds",
    "touch_rows",
    "split",
    "SALES_COLUMNS",
    "ID_COLUMNS",
    "EVENT_COLUMNS",
]

#: Columns that sales or the CRM fill in after first contact (or that are the
#: CRM's own score): never features by default.
SALES_COLUMNS: tuple[str, ...] = (
    "owner", "score", "deal_value", "deal_value_original", "currency",
    "lifecycle_stage", "lead_status", "status", "tags", "lead_quality", "notes",
)  # fmt: skip
#: Identifiers and contact details: never features.
ID_COLUMNS: tuple[str, ...] = ("lead_id", "account_id", "email", "phone", "name")
#: Dated marketing events (not replies to sales, which follow first contact) that
#: become a yes/no feature when dated before the qualification point; any other
#: date column is left out.
EVENT_COLUMNS: tuple[str, ...] = (
    "opted_out_at", "hard_bounced_at",
)  # fmt: skip


@dataclass(frozen=True)
class LeadSet:
    """Features, labels and keys of the same leads, in the same order.

    ``excluded`` lists the leads columns that are not features and why
    (``column, reason``); ``immature`` counts leads left out because their horizon
    had not passed by ``as_of``.
    """

    X: pd.DataFrame
    y: np.ndarray
    lead_id: pd.Series
    created_at: pd.Series | None
    excluded: pd.DataFrame
    immature: int = 0

    def __len__(self) -> int:
        return len(self.y)

    def take(self, rows: np.ndarray) -> LeadSet:
        """The leads at positions ``rows``."""
        return replace(
            self,
            X=self.X.iloc[rows].reset_index(drop=True),
            y=self.y[rows],
            lead_id=self.lead_id.iloc[rows].reset_index(drop=True),
            created_at=None
            if self.created_at is None
            else self.created_at.iloc[rows].reset_index(drop=True),
        )


def epoch_seconds(times: pd.Series) -> np.ndarray:
    """Seconds since 1970 UTC of timezone-aware (or naive UTC) times; NaN for NaT.

    Examples
    --------
    >>> epoch_seconds(pd.Series(pd.to_datetime(["1970-01-02", None], utc=True)))
    array([86400.,    nan])
    """
    values = pd.to_datetime(times, utc=True)
    out = values.to_numpy(dtype="datetime64[ns]").astype("int64") / 1e9
    out[values.isna().to_numpy()] = np.nan
    return out


def touch_rows(lead_ids: pd.Series, touch_ids: pd.Series) -> np.ndarray:
    """Position in the leads of each touch's lead, -1 when the lead is unknown.

    Examples
    --------
    >>> touch_rows(pd.Series(["a", "b"]), pd.Series(["b", "x", "a", "b"])).tolist()
    [1, -1, 0, 1]
    """
    both = pd.concat([lead_ids, touch_ids], ignore_index=True).astype("string")
    codes, uniques = pd.factorize(both, use_na_sentinel=False)
    n = len(lead_ids)
    position = np.full(len(uniques), -1, dtype="int64")
    position[codes[:n]] = np.arange(n)
    return position[codes[n:]]


def qualification_point(
    leads: pd.DataFrame,
    *,
    engagement_days: float = 7,
    stop_at: Sequence[str] = ("mql_at",),
) -> pd.Series:
    """When each lead is scored: ``engagement_days`` after creation, or earlier if
    one of the ``stop_at`` columns is dated earlier (default: when it became an
    MQL). Engagement after this point is never used.

    Examples
    --------
    >>> leads = pd.DataFrame({
    ...     "created_at": pd.to_datetime(["2025-01-01", "2025-01-01"], utc=True),
    ...     "mql_at": pd.to_datetime(["2025-01-03", None], utc=True)})
    >>> qualification_point(leads).dt.day.tolist()
    [3, 8]
    """
    point = leads["created_at"] + pd.Timedelta(days=float(engagement_days))
    for column in stop_at:
        if column in leads.columns:
            point = point.where(~(leads[column] < point), leads[column])
    return point


def _engagement(
    leads: pd.DataFrame, touches: pd.DataFrame | None, cutoff: pd.Series
) -> pd.DataFrame:
    """Touches per type dated at or before each lead's qualification point."""
    if touches is None or touches.empty:
        return pd.DataFrame(index=leads.index)
    row = touch_rows(leads["lead_id"], touches["lead_id"])
    known = row >= 0
    row = np.where(known, row, 0)
    before = known & (
        epoch_seconds(touches["touched_at"]) <= epoch_seconds(cutoff)[row]
    )
    kind = touches["touch_type"].astype("string").fillna("other").to_numpy()[before]
    counts = pd.crosstab(row[before], kind).reindex(range(len(leads)), fill_value=0)
    counts.columns = [f"touches_{c}" for c in counts.columns]
    counts["touches_total"] = counts.sum(axis=1)
    return counts.set_index(leads.index)


def _label_column(data: LeadData, label: str) -> str:
    stages = dict(data.config.stages)
    if label in stages:
        return stages[label]
    if label in data.leads.columns:
        return label
    raise ArgumentError(
        f"label={label!r}: expected a stage ({', '.join(stages)}) or a date column "
        "of the leads"
    )


def lead_features(
    data: LeadData,
    *,
    label: str = "customer",
    within_days: float = 180,
    engagement_days: float = 7,
    stop_at: Sequence[str] = ("mql_at",),
    exclude: Sequence[str] = SALES_COLUMNS,
    events: Sequence[str] = EVENT_COLUMNS,
    as_of: pd.Timestamp | str | None = None,
) -> LeadSet:
    """Features and labels of the leads whose outcome is known.

    Parameters
    ----------
    data : LeadData
    label : str
        A stage (``customer``, ``sql``, ...) or a date column: the lead is 1 when
        it reached it within ``within_days`` of creation.
    within_days : float
        The horizon. Leads created less than ``within_days`` before ``as_of``
        are left out (counted in ``immature``): they may still convert.
    engagement_days, stop_at
        The qualification point (:func:`qualification_point`); the label's own
        column is always a stop too, so nothing after the outcome is used.
    exclude : sequence of str
        Columns never used (default :data:`SALES_COLUMNS`, filled in by sales).
    events : sequence of str
        Date columns that become yes/no features when dated at or before the
        qualification point; every other date column is left out.
    as_of : timestamp, optional
        What is known; default the latest ``created_at``.

    Returns
    -------
    LeadSet
        ``X`` holds the leads' text and number attributes (not ids, dates or
        excluded columns), ``touches_<type>`` counts and ``touches_total``, and
        the ``events`` flags.

    Examples
    --------
    >>> import leadkpi
    >>> leadset = lead_features(leadkpi.load("leadkpi.yaml"))
    >>> len(leadset), leadset.immature, "touches_webinar" in leadset.X
    (4153, 1847, True)
    """
    leads = data.require("leads", "lead features")
    target = _label_column(data, label)
    end = leads["created_at"].max() if as_of is None else pd.Timestamp(as_of)
    if end.tzinfo is None:
        end = end.tz_localize(leads["created_at"].dt.tz)
    horizon = pd.Timedelta(days=float(within_days))
    mature = (leads["created_at"] + horizon <= end).to_numpy()
    cutoff = qualification_point(
        leads, engagement_days=engagement_days, stop_at=(*stop_at, target)
    )
    reached = leads[target] - leads["created_at"]
    y = (reached.notna() & (reached <= horizon)).to_numpy().astype("int8")

    dated = [c for c in leads.columns if isinstance(leads[c].dtype, pd.DatetimeTZDtype)]
    flags = {
        f"{c.removesuffix('_at')}_before": (leads[c] <= cutoff).to_numpy(
            dtype=bool, na_value=False
        )
        for c in events
        if c in dated and c != target
    }
    skipped = set(exclude) | set(ID_COLUMNS) | set(dated)
    attributes = [c for c in leads.columns if c not in skipped]
    X = pd.concat(
        [
            leads[attributes],
            _engagement(leads, data.touches, cutoff),
            pd.DataFrame(flags, index=leads.index),
        ],
        axis=1,
    )
    reasons = [
        (c, "identifier" if c in ID_COLUMNS else "filled in by sales")
        for c in leads.columns
        if c in set(exclude) | set(ID_COLUMNS)
    ] + [
        (c, "event before the qualification point" if c in events else "a date")
        for c in dated
    ]
    keep = np.flatnonzero(mature)
    full = LeadSet(
        X=X.reset_index(drop=True),
        y=y,
        lead_id=leads["lead_id"].reset_index(drop=True),
        created_at=leads["created_at"].reset_index(drop=True),
        excluded=pd.DataFrame(reasons, columns=["column", "reason"]),
        immature=int((~mature).sum()),
    )
    return full.take(keep)


def labelled_frame(frame: pd.DataFrame, label_col: str) -> LeadSet:
    """A LeadSet from any frame of lead attributes with a label column (no dates
    needed); a ``lead_id`` and a ``created_at`` column are used when present.

    Examples
    --------
    >>> frame = pd.DataFrame({"Industry": ["Retail", "Software"],
    ...                       "Converted": ["yes", "no"]})
    >>> leadset = labelled_frame(frame, "Converted")
    >>> list(leadset.X.columns), leadset.y.tolist()
    (['Industry'], [1, 0])
    """
    if label_col not in frame.columns:
        raise ArgumentError(
            f"label_col={label_col!r} is not a column; the frame has "
            f"{', '.join(map(str, frame.columns))}"
        )
    frame = frame.reset_index(drop=True)
    y = as_label(frame[label_col], label_col)
    ids = frame["lead_id"] if "lead_id" in frame else pd.Series(np.arange(len(frame)))
    created = None
    if "created_at" in frame:
        created = pd.to_datetime(frame["created_at"], errors="coerce", utc=True)
    drop = [c for c in (label_col, "lead_id", "created_at") if c in frame.columns]
    return LeadSet(
        X=frame.drop(columns=drop),
        y=y,
        lead_id=ids.astype("string"),
        created_at=created,
        excluded=pd.DataFrame({"column": drop, "reason": "label or key"}),
    )


def split(
    leadset: LeadSet, *, test_share: float = 0.3, random_state: int | None = 0
) -> tuple[LeadSet, LeadSet]:
    """Train and test sets: the latest ``test_share`` of leads by creation date
    are the test set (leads created at the same moment stay together); without
    dates, a random split stratified by label.

    Examples
    --------
    >>> frame = pd.DataFrame({"x": range(10), "y": [0, 1] * 5,
    ...     "created_at": pd.date_range("2025-01-01", periods=10, tz="UTC")})
    >>> train, test = split(labelled_frame(frame, "y"))
    >>> len(train), len(test), test.created_at.min() > train.created_at.max()
    (7, 3, True)
    """
    if not 0 < test_share < 1:
        raise ArgumentError(f"test_share={test_share!r}: expected between 0 and 1")
    n = len(leadset)
    if leadset.created_at is not None and leadset.created_at.notna().all():
        when = leadset.created_at.to_numpy()
        boundary = np.sort(when)[min(n - 1, int(np.floor(n * (1 - test_share))))]
        test = when >= boundary
    else:
        rng = np.random.default_rng(random_state)
        test = np.zeros(n, dtype=bool)
        for value in (0, 1):  # two classes, not rows
            rows = np.flatnonzero(leadset.y == value)
            pick = rng.permutation(rows)[: int(round(len(rows) * test_share))]
            test[pick] = True
    return leadset.take(np.flatnonzero(~test)), leadset.take(np.flatnonzero(test))
