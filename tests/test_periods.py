"""Choosing and checking report months."""

import pandas as pd
import pytest

from leadkpi.exceptions import PeriodError
from leadkpi.periods import check_month, latest_complete_month, parse_month, to_period


def _times(*values, tz="Europe/Madrid"):
    return pd.Series(
        pd.to_datetime(list(values), utc=True, format="ISO8601")
    ).dt.tz_convert(tz)


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "25-01", "2025/01", "", "x"])
def test_malformed_months_say_what_is_accepted(text):
    with pytest.raises(PeriodError, match="expected YYYY-MM, e.g."):
        parse_month(text)


def test_latest_complete_month():
    # data reaching the last day of October: October is complete
    assert (
        str(latest_complete_month(_times("2026-09-01", "2026-10-31T12:00")))
        == "2026-10"
    )
    # data ending mid-October: September is the latest complete month
    assert str(latest_complete_month(_times("2026-09-01", "2026-10-15"))) == "2026-09"
    with pytest.raises(PeriodError):
        latest_complete_month(pd.Series([], dtype="datetime64[ns, UTC]"))


def test_months_are_cut_in_local_time():
    times = _times("2025-01-31T23:30:00Z")  # 00:30 on 1 February in Madrid
    assert str(to_period(times).iloc[0]) == "2025-02"


def test_month_without_data_lists_the_months_that_have_some():
    times = _times("2025-01-10", "2025-02-10", "2025-03-10")
    with pytest.raises(
        PeriodError, match="no leads in 2024-12; months with data: 2025-01 to 2025-03"
    ):
        check_month("2024-12", times)
    assert str(check_month("2025-02", times)) == "2025-02"
