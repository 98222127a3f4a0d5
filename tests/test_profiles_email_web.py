"""Mailchimp campaign reports into the email table, GA4 reports into the web table.

Every expected table below was worked out by hand from the fixture's text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

from leadkpi import read
from leadkpi.io.profiles.email import MAILCHIMP
from leadkpi.io.profiles.web import GA4, GA4_CHANNELS

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"


def _frame(columns: dict[str, list], counts: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    for name in counts:
        frame[name] = pd.array(frame[name], dtype="Int64")
    return frame


def _check(table: pd.DataFrame, expected: pd.DataFrame) -> None:
    got = table[list(expected.columns)].reset_index(drop=True)
    pdt.assert_frame_equal(got, expected, check_dtype=False)


# --- Mailchimp ----------------------------------------------------------------------


def test_mailchimp_campaign_report_export():
    result = read(EXPORTS / "mailchimp" / "campaign_reports.csv", "email")
    assert result.profile == "mailchimp_campaigns"
    counts = ["sent", "delivered", "opens", "clicks", "unsubscribes", "bounces"]
    expected = _frame(
        {
            "sent_on": pd.to_datetime(
                ["2025-10-07", "2025-10-08", "2025-10-14", "2025-10-15", "2025-10-15"]
            ).astype("datetime64[ns]"),
            "campaign": [
                "Newsletter 2025-10-07",
                "Onboarding 1: first steps",
                "Newsletter 2025-10-14",
                "Reactivation - October",
                "Onboarding 1: first steps",
            ],
            "sent": [3021, 40, 3071, 1855, 52],
            "delivered": [2999, 40, 3049, 1799, 51],
            "opens": [704, 19, 783, 270, 22],
            "clicks": [65, 4, 102, 21, 5],
            "unsubscribes": [5, 0, 2, 14, 0],
            "bounces": [22, 0, 22, 56, 1],  # soft + hard
            "channel": ["email"] * 5,
        },
        counts,
    )
    _check(result.table, expected)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (5, 5, 0)
    assert result.skipped.empty
    # delivered = sent - bounces holds in the export itself
    table = result.table
    assert (table["delivered"] == table["sent"] - table["bounces"]).all()


def test_mailchimp_rows_that_do_not_parse_are_rejected_with_their_line(tmp_path):
    text = (EXPORTS / "mailchimp" / "campaign_reports.csv").read_text("utf-8")
    lines = text.splitlines(keepends=True)
    lines[3] = lines[3].replace('"3071"', '"lots"')
    path = tmp_path / "campaigns.csv"
    path.write_text("".join(lines), encoding="utf-8")
    result = read(path, profile="mailchimp_campaigns")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (5, 4, 1)
    assert result.rejects["line"].tolist() == [4]
    assert "sent = 'lots'" in result.rejects["reason"].iloc[0]
    assert result.rejects["Title"].iloc[0] == "Newsletter 2025-10-14"


# --- GA4 ----------------------------------------------------------------------------


def test_ga4_daily_traffic_acquisition_report():
    result = read(EXPORTS / "ga4" / "traffic_acquisition_daily.csv", "web")
    assert result.profile == "ga4_report"
    counts = ["sessions", "users", "engaged_sessions", "bounces", "form_submissions"]
    expected = _frame(
        {
            "date": pd.to_datetime(["2025-10-01"] * 3 + ["2025-10-02"] * 3).astype(
                "datetime64[ns]"
            ),
            "source": ["google", "google", "(direct)", "google", "newsletter"]
            + ["livestorm"],
            "medium": ["cpc", "organic", "(none)", "cpc", "email", "webinar"],
            "sessions": [24, 96, 40, 20, 16, 4],
            "users": [21, 80, 33, 19, 12, 3],
            "engaged_sessions": [18, 60, 22, 14, 11, 1],
            "bounces": [6, 36, 18, 6, 5, 3],  # sessions - engaged sessions
            # average engagement time per session x sessions: 71.25 x 24, ...
            "engagement_seconds": [1710.0, 3888.0, 1200.0, 1310.0, 804.0, 368.0],
            "form_submissions": [1, 3, 0, 2, 1, 0],  # key events
        },
        counts,
    )
    _check(result.table, expected)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (6, 6, 0)
    assert "pageviews" not in result.table  # the report has no Views column
    assert "_average" not in result.table
    assert result.skipped.empty


def test_ga4_channel_report_skips_the_grand_total_and_maps_channels(read_warned):
    path = EXPORTS / "ga4" / "channels_october.csv"
    result = read_warned(path, "2025-10-01 to 2025-10-31")
    assert result.profile == "ga4_report"
    counts = ["sessions", "users", "pageviews", "engaged_sessions", "bounces"]
    expected = _frame(
        {
            "date": pd.to_datetime(["2025-10-01"] * 4).astype("datetime64[ns]"),
            "channel": ["organic_search", "paid_search", "direct", "other"],
            "sessions": [2702, 1204, 640, 344],
            "users": [2210, 980, 520, 251],
            "pageviews": [6501, 2913, 1620, 800],
            "engaged_sessions": [1790, 701, 351, 162],
            "bounces": [912, 503, 289, 182],
            "engagement_seconds": [105400.0, 46120.0, 24010.0, 11800.0],
            "form_submissions": [88, 51, 20, 12],
        },
        [*counts, "form_submissions"],
    )
    _check(result.table, expected)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (4, 4, 0)
    assert result.skipped["line"].tolist() == [11]
    assert result.skipped["text"].iloc[0].startswith("Grand total,3961,4890")
    # the Grand total line is the sum of the rows, and is not among them
    assert int(result.table["sessions"].sum()) == 4890


def test_ga4_more_engaged_than_sessions_is_rejected_not_dropped(tmp_path):
    text = (EXPORTS / "ga4" / "traffic_acquisition_daily.csv").read_text("utf-8")
    path = tmp_path / "ga4.csv"
    path.write_text(
        text.replace(
            "20251002,google / cpc,19,20,14", "20251002,google / cpc,19,20,25"
        ),
        encoding="utf-8",
    )
    result = read(path, "web")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (6, 5, 1)
    assert result.rejects["line"].tolist() == [14]
    assert "bounces" in result.rejects["reason"].iloc[0]


@pytest.mark.filterwarnings("ignore:.*no day column")
@pytest.mark.parametrize(
    ("name", "profile", "kind"),
    [
        ("mailchimp/campaign_reports.csv", "mailchimp_campaigns", "email"),
        ("ga4/traffic_acquisition_daily.csv", "ga4_report", "web"),
        ("ga4/channels_october.csv", "ga4_report", "web"),
    ],
)
def test_auto_recognises_email_and_web_exports(name, profile, kind):
    result = read(EXPORTS / name)
    assert (result.profile, result.kind) == (profile, kind)
    assert result.rows_read == result.rows_loaded + result.rows_rejected
    assert any(w.startswith("recognised as") for w in result.warnings)


def test_channel_map_covers_ga4_default_channel_groups():
    default_groups = {
        "Direct", "Organic Search", "Paid Search", "Paid Social", "Organic Social",
        "Email", "Referral", "Display", "Affiliates", "Paid Other", "Cross-network",
        "Organic Video", "Paid Video", "Organic Shopping", "Paid Shopping", "SMS",
        "Mobile Push Notifications", "Audio", "Unassigned",
    }  # fmt: skip
    assert default_groups <= set(GA4_CHANNELS)
    assert GA4.values["channel"] is GA4_CHANNELS
    assert MAILCHIMP.constants == {"channel": "email"}
    assert MAILCHIMP.references and GA4.references
