"""Which funnel stages each lead reached, and when: the one place that reads the
stage columns for the funnel table, the cohort matrix and the time-to-stage curve.

Stage dates are handled as int64 nanoseconds since the epoch (UTC) in an
``(leads, stages)`` array, so every rule is a vectorised operation over the handful
of stage columns, never a loop over leads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from leadkpi.exceptions import ArgumentError

__all__ = ["StageDates", "reached", "resolve_as_of", "NAT"]

#: Sentinel of an unset date in the int64 arrays (the value of ``NaT``).
NAT = np.iinfo("int64").min
_NEVER = np.iinfo("int64").max


def nanoseconds(values: pd.Series) -> np.ndarray:
    """Timestamps (tz-aware, naive UTC or text) as int64 UTC ns; NaT → :data:`NAT`."""
    if not (
        isinstance(values.dtype, pd.DatetimeTZDtype)
        or pd.api.types.is_datetime64_dtype(values.dtype)
    ):
        values = pd.to_datetime(values, utc=True)
    return np.asarray(pd.DatetimeIndex(values).as_unit("ns").asi8, dtype="int64")


def resolve_as_of(
    as_of: object,
    frames: Sequence[tuple[pd.DataFrame, Sequence[str]]],
    timezone: str = "UTC",
) -> pd.Timestamp:
    """The "as of" instant of an analysis.

    ``as_of`` given (Timestamp or string; a naive one is wall-clock time in
    ``timezone``, the project's) is returned as a UTC Timestamp. Default: the
    latest timestamp present in the given columns of the given tables, leaving out
    timestamps after the current time (those are flagged as in the future by the
    analyses rather than taken as "now"), so results are deterministic on a fixed
    dataset.
    """
    if as_of is not None:
        try:
            stamp = pd.Timestamp(as_of)
        except (TypeError, ValueError):
            stamp = pd.NaT
        if stamp is pd.NaT:
            raise ArgumentError(
                f"as_of must be a timestamp such as '2026-10-31', not {as_of!r}"
            )
        if stamp.tz is None:
            stamp = stamp.tz_localize(
                timezone, ambiguous=True, nonexistent="shift_forward"
            )
        return stamp.tz_convert("UTC")
    now = pd.Timestamp.now(tz="UTC").value
    latest = NAT
    for frame, columns in frames:
        for column in columns:
            if column not in frame.columns or not len(frame):
                continue
            ns = nanoseconds(frame[column])
            ns = ns[(ns != NAT) & (ns <= now)]
            if len(ns):
                latest = max(latest, int(ns.max()))
    if latest == NAT:
        return pd.Timestamp(now, tz="UTC")
    return pd.Timestamp(latest, tz="UTC")


@dataclass(frozen=True)
class StageDates:
    """Per lead and stage: the effective date a lead reached the stage, and why.

    All arrays have shape ``(leads, stages)`` in the order of :attr:`stages`.

    Attributes
    ----------
    stages : tuple of str
        Stage ids.
    columns : tuple of str
        The leads column that dates each stage.
    created : numpy.ndarray
        ``created_at`` of each lead, int64 UTC nanoseconds.
    dates : numpy.ndarray
        Effective date (int64 UTC ns, :data:`NAT` where not reached). Under
        cumulative stages, the earliest date of the stage or any later stage (so a
        skipped stage is dated by the earliest later stage reached, and a stage is
        never reached after a later one); otherwise the stage's own date.
    reached : numpy.ndarray
        Bool: reached as of ``as_of`` (and, with a window, within the window).
    skipped : numpy.ndarray
        Bool: no date of its own but a later stage dated (counted as reached only
        with cumulative stages).
    before_created : numpy.ndarray
        Bool: reached, dated before ``created_at`` (counted as reached).
    future : numpy.ndarray
        Bool: dated after ``as_of`` (not reached as of ``as_of``).
    late : numpy.ndarray
        Bool: reached, but after the window (not counted within the window).
    raw : numpy.ndarray
        The stage columns as found (int64 UTC ns, :data:`NAT` where unset).
    later : numpy.ndarray
        Earliest date of the stage or any later stage (int64 UTC ns, :data:`NAT`
        where none): what dates a skipped stage.
    reasons : dict
        Stage id → why it cannot be counted (its column is missing).
    """

    stages: tuple[str, ...]
    columns: tuple[str, ...]
    created: np.ndarray
    dates: np.ndarray
    reached: np.ndarray
    skipped: np.ndarray
    before_created: np.ndarray
    future: np.ndarray
    late: np.ndarray
    raw: np.ndarray
    later: np.ndarray
    reasons: dict[str, str] = field(default_factory=dict)

    def index(self, stage: str) -> int:
        """Position of ``stage``; ArgumentError naming the stages when unknown."""
        if stage not in self.stages:
            raise ArgumentError(
                f"unknown stage {stage!r}; expected one of {list(self.stages)}"
            )
        return self.stages.index(stage)

    def counted(self, stage: str) -> np.ndarray:
        """The effective date where the stage counts (reached), else :data:`NAT`."""
        j = self.index(stage)
        return np.where(self.reached[:, j], self.dates[:, j], NAT)


def reached(
    leads: pd.DataFrame,
    stages: Sequence[tuple[str, str]],
    *,
    cumulative: bool,
    as_of: pd.Timestamp,
    window: pd.Timedelta | None = None,
) -> StageDates:
    """Which stages each lead reached by ``as_of``, and when.

    Parameters
    ----------
    leads : pandas.DataFrame
        The canonical leads table (``created_at`` and the stage columns).
    stages : sequence of (stage, column)
        Stages in funnel order, each with the leads column that dates it.
    cumulative : bool
        Whether reaching a stage implies the earlier ones (the project default is
        ``config.cumulative_stages``, True). Then a stage with no date but a later
        stage dated (a *skipped* stage, e.g. an SQL that was never an MQL) counts as
        reached, dated by the earliest later stage reached (a backward cumulative
        minimum over the stage columns; ``created_at`` is never moved). Otherwise
        it is not reached.
    as_of : Timestamp
        Dates after it are *in the future*: not reached yet, and flagged.
    window : Timedelta, optional
        Count a stage only when reached within this long after ``created_at``;
        stages reached later are flagged ``late``.

    Returns
    -------
    StageDates
        Dates and the masks of skipped, before-creation, future and late stages. A
        stage whose column is missing from the table is never reached and has a
        reason (``"the leads table has no mql_at column"``), it is not an error.

    Examples
    --------
    >>> import pandas as pd
    >>> leads = pd.DataFrame({
    ...     "created_at": pd.to_datetime(["2025-01-01", "2025-01-02"], utc=True),
    ...     "mql_at": pd.to_datetime([None, "2025-01-03"], utc=True),
    ...     "sql_at": pd.to_datetime(["2025-01-05", None], utc=True)})
    >>> got = reached(leads, [("lead", "created_at"), ("mql", "mql_at"),
    ...               ("sql", "sql_at")], cumulative=True, as_of=pd.Timestamp.max)
    >>> got.reached.tolist(), got.skipped[:, 1].tolist()
    ([[True, True, True], [True, True, False]], [True, False])
    """
    stages = list(stages)
    columns = [c for _, c in stages]
    n, k = len(leads), len(stages)
    limit = pd.Timestamp(as_of).value
    created = nanoseconds(leads["created_at"])
    raw = np.full((n, k), NAT, dtype="int64")
    reasons: dict[str, str] = {}
    present = np.zeros(k, dtype=bool)
    for j, (stage, column) in enumerate(stages):  # a handful of stage columns
        if column not in leads.columns:
            reasons[stage] = f"the leads table has no {column} column"
            continue
        present[j] = True
        raw[:, j] = nanoseconds(leads[column])
    dated = raw != NAT
    future = dated & (raw > limit)
    own = np.where(future, NAT, raw)
    has_own = own != NAT
    # earliest date of this stage or any later one: a backward cumulative minimum
    later = np.minimum.accumulate(np.where(has_own, own, _NEVER)[:, ::-1], axis=1)
    filled = np.where(later[:, ::-1] == _NEVER, NAT, later[:, ::-1])
    skipped = ~has_own & (filled != NAT) & present
    dates = own
    if cumulative:  # reaching a stage implies the earlier ones, at the latest then
        dates = np.where(present, filled, NAT)
        creation = [j for j, c in enumerate(columns) if c == "created_at"]
        dates[:, creation] = own[:, creation]  # a lead exists from its creation
    is_set = dates != NAT
    before = is_set & (dates < created[:, None])
    late = np.zeros((n, k), dtype=bool)
    if window is not None:
        late = is_set & (dates - created[:, None] > pd.Timedelta(window).value)
    return StageDates(
        stages=tuple(s for s, _ in stages),
        columns=tuple(c for _, c in stages),
        created=created,
        dates=dates,
        reached=is_set & ~late,
        skipped=skipped,
        before_created=before,
        future=future,
        late=late,
        raw=raw,
        later=filled,
        reasons=reasons,
    )
