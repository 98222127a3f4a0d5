"""Data-quality checks: each on a hand-made case; a clean case finds nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi.checks import CHECK_COLUMNS, checks
from leadkpi.config import Config
from leadkpi.data import LeadData

NOW = "2026-01-01T00:00:00Z"
CONFIG = Config(currency="EUR", rates={"USD": 0.5})


def _found(check: str, **tables) -> pd.DataFrame:
    data = LeadData(**tables, config=CONFIG)
    found = checks(data, now=NOW)
    return found[found["check"] == check].reset_index(drop=True)


def _expected(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=CHECK_COLUMNS)
    return frame.astype({"count": "int64", "share": "float64"})


def _leads(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {
        "lead_id": [f"L{i}" for i in range(1, n + 1)],
        "created_at": ["2025-01-10T00:00:00Z"] * n,
    }
    return pd.DataFrame({**base, **columns})


def test_a_clean_dataset_has_no_findings_and_the_right_columns():
    leads = _leads(channel=["direct", "email"], email=["a@x.io", "b@x.io"])
    found = checks(LeadData(leads=leads), now=NOW)
    assert list(found.columns) == CHECK_COLUMNS and found.empty
    empty = checks(LeadData(), now=NOW)
    assert list(empty.columns) == CHECK_COLUMNS and empty.empty


def test_rejected_rows_are_errors():
    leads = _leads(channel=["direct"] * 4).assign(
        created_at=["2025-01-10T00:00:00Z", "bad", "2025-01-10T00:00:00Z", "x"]
    )
    found = _found("rejected_rows", leads=leads)
    expected = _expected(
        [
            ("rejected_rows", "leads", "error", 2, 0.5, "2 rows could not be used "
             "(see the rejects)", "<leads frame> line 2")
        ]
    )  # fmt: skip
    pd.testing.assert_frame_equal(found, expected)
    # the row's values, which may be personal data, only when asked for
    data = LeadData(leads=leads, config=CONFIG)
    personal = checks(data, now=NOW, personal=True)
    assert personal["example"].iloc[0] == (
        "<leads frame> line 2: created_at = 'bad' is not a timestamp like "
        "YYYY-MM-DD[ hh:mm[:ss]][±hh:mm]"
    )


def test_stage_dates_out_of_order():
    leads = _leads(
        channel=["direct"] * 3,
        mql_at=["2025-01-05T00:00:00Z", "2025-01-12T00:00:00Z", None],
        sql_at=[None, "2025-01-11T00:00:00Z", "2025-01-11T00:00:00Z"],
    )
    found = _found("stage_order", leads=leads)
    # L1: MQL before creation; L2: SQL before MQL. L3 has no MQL: nothing to compare.
    expected = _expected(
        [
            ("stage_order", "leads", "warning", 1, 1 / 3, "mql_at is before created_at",
             "L1"),
            ("stage_order", "leads", "warning", 1, 1 / 3, "sql_at is before mql_at",
             "L2"),
        ]
    )  # fmt: skip
    pd.testing.assert_frame_equal(found, expected)


def test_deals_without_lead_and_won_before_the_lead():
    leads = _leads(channel=["direct"])
    deals = pd.DataFrame(
        {
            "deal_id": ["D1", "D2", "D3", "D4"],
            "lead_id": ["L1", None, "zz", "L1"],
            "created_at": ["2025-01-05T00:00:00Z"] + ["2025-01-20T00:00:00Z"] * 3,
            "won_at": [None, None, None, "2025-01-09T00:00:00Z"],
        }
    )
    data = LeadData(leads=leads, deals=deals, config=CONFIG)
    found = checks(data, now=NOW)
    deal_rows = found[found["table"] == "deals"].reset_index(drop=True)
    expected = _expected(
        [
            ("deals_without_lead", "deals", "warning", 2, 0.5, "1 deals have no "
             "lead_id, 1 name a lead that is not in the leads table", "D2"),
            ("deal_before_lead", "deals", "warning", 1, 0.25,
             "a deal created before its lead was created", "D1"),
            ("deal_before_lead", "deals", "warning", 1, 0.25,
             "a deal won before its lead was created", "D4"),
        ]
    )  # fmt: skip
    pd.testing.assert_frame_equal(deal_rows, expected)


def test_customers_without_lead():
    customers = pd.DataFrame(
        {
            "customer_id": ["C1", "C2", "C3"],
            "lead_id": ["L1", "L7", None],
            "started_at": ["2025-02-01T00:00:00Z"] * 3,
        }
    )
    found = _found("customers_without_lead", leads=_leads(channel=["direct"]),
                   customers=customers)  # fmt: skip
    assert found[["count", "example"]].values.tolist() == [[1, "C2"]]


def test_duplicate_people_ignore_case_and_blanks():
    leads = _leads(
        channel=["direct"] * 5,
        email=["Ana@x.io", "ana@x.io ", "bo@x.io", None, ""],
    )
    found = _found("duplicate_people", leads=leads)
    expected = _expected(
        [("duplicate_people", "leads", "warning", 2, 0.4,
          "1 e-mail address(es) used by more than one lead_id", "lead_id L1, L2")]
    )  # fmt: skip
    pd.testing.assert_frame_equal(found, expected)
    data = LeadData(leads=leads, config=CONFIG)
    personal = checks(data, now=NOW, personal=True)
    assert personal["example"].iloc[0] == "ana@x.io"


def test_channel_coverage_counts_missing_and_other():
    leads = _leads(
        source=["acme", "acme", None, "google", "google"],
        medium=["fax", "fax", None, "cpc", "cpc"],
    )
    found = _found("channel_not_derived", leads=leads)
    expected = _expected(
        [("channel_not_derived", "leads", "warning", 3, 0.6,
          "1 leads have no channel and no source/medium/UTM data; 2 are 'other' "
          "(no channel rule matched)", "acme / fax")]
    )  # fmt: skip
    pd.testing.assert_frame_equal(found, expected)


def _spend() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": ["2025-01-01", "2025-01-02", "2025-01-05", "2025-01-08",
                     "2025-01-01"],
            "channel": ["paid_search"] * 4 + ["events"],
            "campaign": ["c"] * 5,
            "cost": [10.0, 10.0, 10.0, 10.0, 5.0],
        }
    )  # fmt: skip


def test_spend_gaps_per_channel():
    found = _found("spend_gaps", spend=_spend())
    # 3, 4 and 6, 7 January are missing out of the 8 days from 1 to 8 January
    expected = _expected(
        [("spend_gaps", "spend", "warning", 4, 0.5, "paid_search: 4 days without "
          "spend rows in 2 gaps between 2025-01-01 and 2025-01-08",
          "paid_search 2025-01-03 to 2025-01-04")]
    )  # fmt: skip
    pd.testing.assert_frame_equal(found, expected)


def test_spend_without_leads_and_paid_leads_without_spend():
    leads = _leads(channel=["paid_search", "paid_social", "paid_social", "direct"])
    data = LeadData(leads=leads, spend=_spend(), config=CONFIG)
    found = checks(data, now=NOW).set_index("check")
    lonely = found.loc["spend_without_leads"]
    assert (lonely["count"], lonely["example"]) == (1, "events")
    assert lonely["detail"].endswith("events (5.00)")
    unpaid = found.loc["paid_leads_without_spend"]
    # two paid_social leads in January, and no paid_social spend: 2 of 3 paid leads
    assert (unpaid["count"], unpaid["example"]) == (2, "paid_social 2025-01")
    assert unpaid["share"] == pytest.approx(2 / 3)


def test_rows_without_currency_in_a_mixed_table():
    spend = _spend().assign(currency=["USD", None, "EUR", "", None])
    found = _found("currency_missing", spend=spend)
    expected = _expected(
        [("currency_missing", "spend", "warning", 3, 0.6, "rows without a currency "
          "are taken as EUR, but this table also holds USD", "")]
    )  # fmt: skip
    pd.testing.assert_frame_equal(found, expected)


def test_future_dates():
    leads = _leads(channel=["direct"] * 2).assign(
        created_at=["2025-01-10T00:00:00Z", "2026-03-01T00:00:00Z"]
    )
    found = _found("future_dates", leads=leads)
    assert found[["table", "count", "share"]].values.tolist() == [["leads", 1, 0.5]]
    assert found["example"].item() == "2026-03-01 00:00:00+00:00"


def test_findings_are_sorted_by_severity():
    leads = _leads(channel=["direct", "direct", None]).assign(
        created_at=["2025-01-10T00:00:00Z", "bad", "2025-01-10T00:00:00Z"]
    )
    found = checks(LeadData(leads=leads), now=NOW)
    assert found["severity"].tolist() == ["error", "warning"]
    assert np.isclose(found["share"].iloc[1], 1 / 2)


def test_sample_findings(sample_config):
    from leadkpi import load

    found = checks(load(sample_config))
    assert found["check"].tolist() == ["duplicate_people", "spend_gaps"]


def test_checks_table_is_localised():
    from leadkpi.present.quality_tables import checks_table

    found = _expected(
        [("spend_gaps", "spend", "warning", 1234, 0.093, "x", "events 2025-08-01")]
    )
    html = checks_table(found, lang="es").to_html()
    for text in ("Días sin inversión", "inversión", "aviso", "1.234", "9,3"):
        assert text in html
    assert "Days without spend" in checks_table(found).to_html()
    empty = checks_table(found.iloc[:0], lang="es").to_html()
    assert "Ningún control encontró nada." in empty


def test_empty_tables_give_no_findings():
    def empty(*columns: str) -> pd.DataFrame:
        return pd.DataFrame({c: pd.Series([], dtype=str) for c in columns})

    data = LeadData(
        leads=empty("lead_id", "created_at", "email", "source", "landing_page"),
        deals=empty("deal_id", "lead_id", "created_at", "won_at"),
        spend=empty("date", "channel", "cost"),
        customers=empty("customer_id", "lead_id", "started_at"),
    )
    found = checks(data, now=NOW)
    assert list(found.columns) == CHECK_COLUMNS and found.empty


_day = st.one_of(st.none(), st.integers(0, 60))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), _day, _day), min_size=1, max_size=12))
def test_counts_and_shares_are_consistent(rows):
    base = pd.Timestamp("2025-01-01", tz="UTC")

    def stamp(day):
        return None if day is None else (base + pd.Timedelta(days=day)).isoformat()

    leads = pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(len(rows))],
            "created_at": [stamp(c) for c, _, _ in rows],
            "mql_at": [stamp(m) for _, m, _ in rows],
            "sql_at": [stamp(s) for _, _, s in rows],
            "channel": "direct",
        }
    )
    found = checks(LeadData(leads=leads), now=NOW)
    assert (found["count"] > 0).all()
    assert found["share"].between(0, 1).all()
    order = found[found["check"] == "stage_order"].set_index("detail")["count"]
    created, mql, sql = (
        pd.Series([r[i] for r in rows], dtype="float64") for i in range(3)
    )
    assert order.get("mql_at is before created_at", 0) == (mql < created).sum()
    assert order.get("sql_at is before mql_at", 0) == (sql < mql).sum()
