"""Why deals are lost: lost reasons from CRM exports, by channel, stage and owner,
and the share of leads lost at each funnel stage."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leadkpi import LeadData, lost_by_stage, lost_reasons, read
from leadkpi.data import MissingTableError
from leadkpi.exceptions import ArgumentError
from leadkpi.present.lost_tables import lost_reasons_table, lost_stage_table

EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def _t(day: str | None) -> str | None:
    return None if day is None else f"2026-{day}T10:00:00Z"


@pytest.fixture
def data() -> LeadData:
    """Six leads. March: l1 lost as an opportunity (deal d1, 'Price too high'), l2
    lost as an MQL, l3 won, l4 lost as a lead, l5 lost as an opportunity (deal d5,
    'Chose a competitor'). April: l6 lost as an opportunity (deal d6, no reason)."""
    leads = pd.DataFrame(
        {
            "lead_id": ["l1", "l2", "l3", "l4", "l5", "l6"],
            "created_at": [_t("03-01")] * 5 + [_t("04-01")],
            "channel": ["email", "email", "paid_search", "paid_search",
                        "paid_search", "email"],
            "mql_at": [_t("03-02"), _t("03-02"), _t("03-02"), None, _t("03-02"), None],
            "sql_at": [_t("03-03"), None, _t("03-04"), None, _t("03-03"),
                       _t("04-03")],
            "lost_at": [_t("03-20"), _t("03-10"), None, _t("03-03"), _t("03-15"),
                        _t("04-10")],
        }
    )  # fmt: skip
    deals = pd.DataFrame(
        {
            "deal_id": ["d1", "d3", "d5", "d6"],
            "lead_id": ["l1", "l3", "l5", "l6"],
            "created_at": [_t("03-05"), _t("03-06"), _t("03-04"), _t("04-05")],
            "won_at": [None, _t("03-25"), None, None],
            "lost_at": [_t("03-20"), None, _t("03-15"), _t("04-10")],
            "amount": ["1000", "2000", "1500", "900"],
            "owner": ["Ana", "Ben", "Ben", "Ana"],
            "lost_reason": ["Price too high", None, "Chose a competitor", ""],
        }
    )
    return LeadData(leads=leads, deals=deals)


def test_lost_reasons_overall(data):
    got = lost_reasons(data, by=())
    expected = pd.DataFrame(
        {
            "reason": ["(not set)", "Chose a competitor", "Price too high"],
            "lost": [1, 1, 1],
            "share": [1 / 3] * 3,
        }
    )
    pd.testing.assert_frame_equal(got, expected)


def test_lost_reasons_by_channel_owner_stage_and_month(data):
    by_channel = lost_reasons(data, by=("channel",))
    assert by_channel.to_dict("list") == {
        "channel": ["email", "email", "paid_search"],
        "reason": ["(not set)", "Price too high", "Chose a competitor"],
        "lost": [1, 1, 1],
        "share": [0.5, 0.5, 1.0],
    }
    by_owner = lost_reasons(data, by=("owner",)).groupby("owner")["lost"].sum()
    assert by_owner.to_dict() == {"Ana": 2, "Ben": 1}
    # every deal was lost as an opportunity (its deal dates it: rolled up)
    by_stage = lost_reasons(data, by=("stage",))
    assert set(by_stage["stage"]) == {"opportunity"} and by_stage["lost"].sum() == 3
    march = lost_reasons(data, by=("month",), start="2026-03", end="2026-03")
    assert march["reason"].tolist() == ["Chose a competitor", "Price too high"]
    assert (march["month"] == pd.Period("2026-03", "M")).all()


def test_share_of_leads_lost_at_each_stage_by_hand(data):
    got = lost_by_stage(data, start="2026-03", end="2026-03")
    # March cohort: 5 leads; 4 MQLs (l4 never); 3 SQLs; 3 opportunities; 1 won.
    # Lost at: lead l4, MQL l2, opportunity l1 and l5.
    assert got["stage"].tolist() == ["lead", "mql", "sql", "opportunity", "customer"]
    assert got["reached"].tolist() == [5, 4, 3, 3, 1]
    assert got["lost"].tolist() == [1, 1, 0, 2, 0]
    np.testing.assert_allclose(got["lost_share"], [0.2, 0.25, 0.0, 2 / 3, 0.0])
    assert set(got["mode"]) == {"cohort"}


def test_lost_by_stage_by_month_in_period_mode(data):
    got = lost_by_stage(data, by=("month",), mode="period")
    april = got[got["month"] == pd.Period("2026-04", "M")].set_index("stage")
    # l6 skipped the MQL (counted, cumulative) and was lost as an opportunity
    assert april.loc["opportunity", "lost"] == 1
    assert april.loc["opportunity", "reached"] == 1
    assert april.loc["sql", "lost"] == 0


def test_lost_by_stage_from_deals_when_leads_have_no_lost_at(data):
    view = LeadData(leads=data.leads.drop(columns=["lost_at"]), deals=data.deals)
    got = lost_by_stage(view, start="2026-03", end="2026-03").set_index("stage")
    # only the deals' losses are known: l1 and l5 as opportunities
    assert got["lost"].tolist() == [0, 0, 0, 2, 0]


def test_without_lost_reasons_it_says_what_is_missing(data):
    plain = LeadData(leads=data.leads.drop(columns=["lost_at"]))
    with pytest.raises(MissingTableError, match="lost_reason"):
        lost_reasons(plain)
    with pytest.raises(ArgumentError, match="by"):
        lost_reasons(data, by=("colour",))


def test_crm_exports_map_their_lost_reason_column(tmp_path):
    hubspot = tmp_path / "hubspot-deals.csv"
    hubspot.write_text(
        '"Record ID","Deal Name","Amount","Associated Contact IDs","Close Date",'
        '"Closed Lost Reason","Create Date","Deal owner","Deal Stage","Pipeline"\n'
        '"5002","Brisa pilot","4500","104","2025-04-10 09:00","Went with a '
        'competitor","2025-03-15 10:00","Carmen Ortiz","Closed Lost","Sales Pipeline"\n'
        '"5003","Nube plan","800","105","2025-04-11 09:00","","2025-03-16 10:00",'
        '"Carmen Ortiz","Closed Won","Sales Pipeline"\n',
        encoding="utf-8",
    )
    result = read(hubspot)
    assert result.profile == "hubspot_deals"
    assert result.table["lost_reason"].tolist()[0] == "Went with a competitor"
    assert pd.isna(result.table["lost_reason"].iloc[1])
    salesforce = tmp_path / "opportunities.csv"
    salesforce.write_text(
        '"Opportunity Owner","Account Name","Opportunity Name","Stage","Amount",'
        '"Close Date","Created Date","Loss Reason","Opportunity ID"\n'
        '"Lucía Martín","Brisa SL","Brisa - Pilot","Closed Lost","4500.00",'
        '"3/20/2025","2/27/2025","Price","0065g00000XyZaC1"\n',
        encoding="utf-8",
    )
    result = read(salesforce)
    assert result.profile == "salesforce_opportunities"
    assert result.table["lost_reason"].tolist() == ["Price"]
    pipedrive = read(EXPORTS / "pipedrive" / "deals.csv")
    lost = pipedrive.table[pipedrive.table["lost_at"].notna()]
    assert lost["lost_reason"].tolist() == ["Price"]


def test_report_tables_in_both_languages(data):
    stages = lost_stage_table(
        lost_by_stage(data, start="2026-03", end="2026-03"), lang="es"
    )
    assert list(stages.data.columns) == [
        "Etapa",
        "Alcanzaron",
        "Perdidos",
        "Proporción perdida",
    ]
    assert stages.data["Proporción perdida"].iloc[0] == "20,0\xa0%"
    wide = lost_reasons_table(lost_reasons(data, by=("channel",)), lang="en")
    assert wide.data.to_dict("list") == {
        "Reason": ["(not set)", "Chose a competitor", "Price too high"],
        "Email": ["1", "0", "1"],
        "Paid search": ["0", "1", "0"],
        "Total": ["1", "1", "1"],
    }
    hostile = lost_reasons(data, by=()).assign(reason="<script>x</script>")
    html = lost_reasons_table(hostile).to_html()
    assert "<script>x" not in html and "&lt;script&gt;" in html
