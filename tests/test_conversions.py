"""Conversions other than becoming a customer, worked by hand on a tiny project.

Five leads (three in January, two in February), seven touches, four spend rows:

=====  ==========  ===============  ========  ================================
lead   created     channel          campaign  touches (type, date)
=====  ==========  ===============  ========  ================================
L1     2025-01-10  paid_search      brand     form_fill 01-10, demo 01-11, demo 01-18
L2     2025-01-12  paid_search      generic   demo 01-12
L3     2025-01-15  organic_search   --        demo 02-01
L4     2025-02-03  paid_search      brand     demo 02-04
L5     2025-02-07  paid_social      li        webinar_registration 02-07
=====  ==========  ===============  ========  ================================

Trials started (``trial_started_at``): L1 on 01-20, L3 on 02-02, L4 on 02-05.
Spend: January 300 (brand, 4 platform conversions) + 100 (generic, 1); February 200
(brand, 2) + 150 (li, 3).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import leadkpi
from leadkpi.config import Config, ConversionEvent, parse_conversions
from leadkpi.conversions import (
    NOTHING_REPORTED,
    UNREPORTED,
    check_conversions,
    conversion_kpis,
    platform_vs_crm,
)
from leadkpi.exceptions import ArgumentError, ConfigError, LeadKPIWarning
from leadkpi.io.profiles.totals import CAMPAIGN

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"

LEADS = """lead_id,created_at,channel,campaign,trial_started_at
L1,2025-01-10T10:00:00Z,paid_search,brand,2025-01-20T10:00:00Z
L2,2025-01-12T10:00:00Z,paid_search,generic,
L3,2025-01-15T10:00:00Z,organic_search,,2025-02-02T10:00:00Z
L4,2025-02-03T10:00:00Z,paid_search,brand,2025-02-05T10:00:00Z
L5,2025-02-07T10:00:00Z,paid_social,li,
"""
TOUCHES = """lead_id,touched_at,channel,campaign,touch_type
L1,2025-01-10T10:00:00Z,paid_search,brand,form_fill
L1,2025-01-11T10:00:00Z,paid_search,brand,demo_request
L1,2025-01-18T10:00:00Z,paid_search,brand,demo_request
L2,2025-01-12T10:00:00Z,paid_search,generic,demo_request
L3,2025-02-01T10:00:00Z,organic_search,,demo_request
L4,2025-02-04T10:00:00Z,paid_search,brand,demo_request
L5,2025-02-07T10:00:00Z,paid_social,li,webinar_registration
"""
SPEND = """date,channel,campaign,cost,conversions,conversion_type
2025-01-05,paid_search,brand,300,4,
2025-01-06,paid_search,generic,100,1,
2025-02-05,paid_search,brand,200,2,
2025-02-06,paid_social,li,150,3,
"""
EVENTS = {
    "demo_request": {"touch_type": "demo_request"},
    "trial_start": {"lead_column": "trial_started_at"},
    "platform": {"platform": True, "crm": "demo_request"},
}


def _project(tmp_path, events=EVENTS, spend=SPEND, touches=TOUCHES):
    (tmp_path / "leads.csv").write_text(LEADS)
    (tmp_path / "touches.csv").write_text(touches)
    (tmp_path / "spend.csv").write_text(spend)
    config = {
        "sources": {
            "leads": "leads.csv",
            "touches": "touches.csv",
            "spend": "spend.csv",
        },
        "conversions": events,
    }
    path = tmp_path / "leadkpi.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


@pytest.fixture
def data(tmp_path):
    return leadkpi.load(_project(tmp_path))


def _values(table: pd.DataFrame, *keys: str) -> dict:
    frame = pd.DataFrame(table)
    index = [tuple(str(row[k]) for k in keys) for _, row in frame.iterrows()]
    return dict(zip(index, frame["value"], strict=True))


# ----------------------------------------------------------------- the KPIs
def test_each_event_by_month_worked_by_hand(data):
    got = _values(conversion_kpis(data, by=("month",)), "event", "month", "kpi")
    expected = {
        # L1 (twice: one lead) and L2 in January; L3 and L4 in February
        ("demo_request", "2025-01", "conversions"): 2,
        ("demo_request", "2025-01", "cost_per_conversion"): 400 / 2,
        ("demo_request", "2025-01", "conversion_rate"): 2 / 3,
        ("demo_request", "2025-02", "conversions"): 2,
        ("demo_request", "2025-02", "cost_per_conversion"): 350 / 2,
        ("demo_request", "2025-02", "conversion_rate"): 2 / 2,
        # trials dated when they started: L1 in January, L3 and L4 in February
        ("trial_start", "2025-01", "conversions"): 1,
        ("trial_start", "2025-01", "cost_per_conversion"): 400.0,
        ("trial_start", "2025-01", "conversion_rate"): 1 / 3,
        ("trial_start", "2025-02", "conversions"): 2,
        ("trial_start", "2025-02", "cost_per_conversion"): 175.0,
        ("trial_start", "2025-02", "conversion_rate"): 1.0,
        # the platforms' own counts: 4 + 1, then 2 + 3
        ("platform", "2025-01", "conversions"): 5,
        ("platform", "2025-01", "cost_per_conversion"): 80.0,
        ("platform", "2025-01", "conversion_rate"): 5 / 3,
        ("platform", "2025-02", "conversions"): 5,
        ("platform", "2025-02", "cost_per_conversion"): 70.0,
        ("platform", "2025-02", "conversion_rate"): 5 / 2,
    }
    assert got == pytest.approx(expected)


def test_a_lead_column_event_in_cohort_mode_follows_the_leads_created(data):
    table = conversion_kpis(data, by=("month",), mode="cohort", events="trial_start")
    got = _values(table, "month", "kpi")
    # January's leads L1, L2, L3: L1 and L3 started a trial (L3 in February)
    assert got[("2025-01", "conversions")] == 2
    assert got[("2025-01", "conversion_rate")] == pytest.approx(2 / 3)
    assert got[("2025-02", "conversion_rate")] == pytest.approx(1 / 2)
    assert set(pd.DataFrame(table)["mode"]) == {"cohort"}


def test_by_channel_and_campaign_the_touch_keeps_its_own(data):
    table = conversion_kpis(
        data, "cost_per_conversion", events="demo_request", by=("channel", "campaign")
    )
    got = _values(table, "channel", "campaign")
    # brand: L1 (January) and L4 (February), 500 of spend
    assert got[("paid_search", "brand")] == pytest.approx(500 / 2)
    assert got[("paid_search", "generic")] == pytest.approx(100.0)
    # no spend for organic search: unknown, with the reason, never 0
    organic = pd.DataFrame(table).query("channel == 'organic_search'").iloc[0]
    assert np.isnan(organic["value"])
    assert "no rows for channel 'organic_search'" in organic["reason"]


def test_the_event_column_comes_first_and_the_result_displays(data):
    table = leadkpi.conversion_kpis(data, by=())
    assert list(table.columns[:3]) == ["event", "kpi", "value"]
    assert pd.DataFrame(table)["event"].unique().tolist() == [
        "demo_request",
        "trial_start",
        "platform",
    ]
    assert "Cost per conversion" in table._repr_html_()


def test_the_catalogue_kpis_alone_read_the_platforms_count(data):
    result = leadkpi.compute(data, ["conversions", "cost_per_conversion"], by=())
    assert _values(result, "kpi") == pytest.approx(
        {("conversions",): 10.0, ("cost_per_conversion",): 750 / 10}
    )


def test_catalogue_has_the_kpis_in_both_languages():
    ids = ["conversions", "cost_per_conversion", "conversion_rate"]
    en, es = leadkpi.catalogue("en", ids), leadkpi.catalogue("es", ids)
    assert en["name"].tolist() == [
        "Conversions",
        "Cost per conversion",
        "Conversion rate",
    ]
    assert es["name"].tolist() == [
        "Conversiones",
        "Coste por conversión",
        "Tasa de conversión",
    ]
    assert es["definition"].str.len().gt(20).all()


def test_worked_examples_of_the_catalogue():
    from leadkpi.kpis import formulas as f

    # 1,500 of ads and 50 conversions; 25 conversions from 500 leads
    assert f.cost_per_conversion(spend=1_500, conversions=50) == 30.0
    assert f.conversion_rate(conversions=25, leads=500) == 0.05
    assert np.isnan(f.cost_per_conversion(spend=100, conversions=0))


# ------------------------------------------------- platform against the CRM
def test_platform_against_crm_by_month_and_channel(data):
    side = platform_vs_crm(data, by=("month", "channel"))
    side["month"] = side["month"].astype(str)
    rows = side.set_index(["month", "channel"])
    january = rows.loc[("2025-01", "paid_search")]
    # the platforms say 5; the CRM recorded demo requests from L1 and L2
    assert (january["platform"], january["crm"]) == (5.0, 2.0)
    assert january["difference"] == 3.0
    assert january["ratio"] == pytest.approx(2.5)
    social = rows.loc[("2025-02", "paid_social")]
    assert (social["platform"], social["crm"]) == (3.0, 0.0)
    assert np.isnan(social["ratio"])  # nothing recorded: no ratio, not infinity
    organic = rows.loc[("2025-02", "organic_search")]
    assert np.isnan(organic["platform"]) and organic["crm"] == 1.0
    assert organic["reason"] == NOTHING_REPORTED


def test_platform_against_several_crm_events_adds_them(data):
    side = platform_vs_crm(data, crm=["demo_request", "trial_start"], by=())
    row = side.iloc[0]
    # 4 demo requests (leads by month) + 3 trials; the platforms claim 10
    assert (row["platform"], row["crm"], row["difference"]) == (10.0, 7.0, 3.0)
    assert list(side.columns) == ["platform", "crm", "difference", "ratio", "reason"]


def test_platform_against_crm_needs_both_kinds_of_event(tmp_path):
    only_crm = {"demo_request": EVENTS["demo_request"]}
    data = leadkpi.load(_project(tmp_path, events=only_crm))
    with pytest.raises(ArgumentError, match="needs a platform event"):
        platform_vs_crm(data)
    with pytest.raises(ArgumentError, match="'demo' is not a CRM event"):
        platform_vs_crm(leadkpi.load(_project(tmp_path)), crm="demo")


# ----------------------------------------------------------- result types
MIXED = """date,channel,campaign,cost,conversions,conversion_type
2025-01-05,paid_social,leadform,300,4,actions:onsite_conversion.lead_grouped
2025-01-06,paid_social,traffic,100,60,actions:link_click
2025-01-07,paid_search,brand,50,2,
"""


def test_mixed_result_types_are_never_added_up(tmp_path):
    events = {"platform": {"platform": True}, **{"trial": EVENTS["trial_start"]}}
    data = leadkpi.load(_project(tmp_path, events=events, spend=MIXED))
    table = conversion_kpis(data, "conversions", events="platform", by=())
    got = _values(table, "event")
    assert got == {
        ("platform",): 2.0,  # the untyped counts (Google Ads, say)
        ("platform · actions:link_click",): 60.0,
        ("platform · actions:onsite_conversion.lead_grouped",): 4.0,
    }
    side = platform_vs_crm(data, by=())
    assert np.isnan(side["platform"].iloc[0])
    assert "mix result types" in side["reason"].iloc[0]
    with pytest.warns(LeadKPIWarning, match="mix result types"):
        leadkpi.compute(data, "conversions", by=())


def test_a_platform_event_with_types_counts_only_those(tmp_path):
    events = {
        "trial": EVENTS["trial_start"],
        "leads_platform": {
            "platform": True,
            "types": ["actions:onsite_conversion.lead_grouped"],
        },
    }
    data = leadkpi.load(_project(tmp_path, events=events, spend=MIXED))
    table = conversion_kpis(data, "conversions", events="leads_platform", by=())
    assert _values(table, "event") == {("leads_platform",): 4.0}
    assert platform_vs_crm(data, by=())["platform"].iloc[0] == 4.0


def test_spend_rows_without_a_count_give_no_platform_figure(tmp_path):
    spend = SPEND + "2025-02-06,events,fair,500,,\n"
    data = leadkpi.load(_project(tmp_path, spend=spend))
    table = conversion_kpis(data, "conversions", events="platform", by=("channel",))
    events = pd.DataFrame(table).query("channel == 'events'").iloc[0]
    assert np.isnan(events["value"]) and events["reason"] == UNREPORTED


# ------------------------------------------------------------- the config
def test_events_read_from_the_yaml_keep_their_line(tmp_path):
    config = leadkpi.load_config(_project(tmp_path))
    assert [(e.name, e.source, e.line) for e in config.conversions] == [
        ("demo_request", "touch_type", 7),
        ("trial_start", "lead_column", 9),
        ("platform", "platform", 11),
    ]
    assert config.conversions[2].crm == "demo_request"


def test_an_unknown_touch_type_or_column_is_a_config_error_with_its_line(tmp_path):
    events = {
        "demo": {"touch_type": "demo_requests"},
        "trial": {"lead_column": "trial_started"},
        "platform": {"platform": True, "crm": "demos"},
    }
    with pytest.raises(ConfigError) as caught:
        leadkpi.load(_project(tmp_path, events=events))
    message = str(caught.value)
    assert "leadkpi.yaml: 3 problems" in message
    assert (
        "line 7: 'conversions.demo.touch_type' names touch type 'demo_requests', "
        "which no touch has; the touches' types are demo_request, form_fill, "
        "webinar_registration; did you mean 'demo_request'?"
    ) in message
    assert (
        "line 9: 'conversions.trial.lead_column' names lead column "
        "'trial_started', which the leads table does not have; did you mean "
        "'trial_started_at'?"
    ) in message
    assert "line 11: 'conversions.platform.crm' names 'demos'" in message


def test_a_touch_event_without_touches_and_platform_without_counts(tmp_path):
    (tmp_path / "leads.csv").write_text(LEADS)
    (tmp_path / "spend.csv").write_text(
        "date,channel,campaign,cost\n2025-01-05,x,y,1\n"
    )
    config = {
        "sources": {"leads": "leads.csv", "spend": "spend.csv"},
        "conversions": {
            "demo": {"touch_type": "demo_request"},
            "platform": {"platform": True},
        },
    }
    path = tmp_path / "leadkpi.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    with pytest.raises(ConfigError, match="no touches table") as caught:
        leadkpi.load(path)
    assert "no spend export has a conversions column" in str(caught.value)


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        ({"touch_type": "a", "lead_column": "b"}, "not touch_type and lead_column"),
        ({}, "needs exactly one of touch_type"),
        ({"touch_type": "a", "types": ["x"]}, "'types' applies to a platform event"),
        ({"platform": True, "typo": 1}, "'conversions.event.typo' is not a setting"),
    ],
)
def test_the_schema_refuses_a_malformed_event(spec, said):
    with pytest.raises(ConfigError, match=said):
        parse_conversions({"event": spec})


def test_events_given_from_python():
    config = Config(conversions={"demo": {"touch_type": "demo_request"}})
    assert config.conversions == (ConversionEvent("demo", touch_type="demo_request"),)
    with pytest.raises(ConfigError, match="exactly one"):
        ConversionEvent("x")


def test_unknown_event_or_kpi_names_the_choices(data):
    with pytest.raises(ArgumentError, match="did you mean 'demo_request'"):
        conversion_kpis(data, events="demo_requests")
    with pytest.raises(ArgumentError, match="not a conversion KPI"):
        conversion_kpis(data, "cost_per_lead")


def test_without_events_the_table_is_empty(tmp_path):
    data = leadkpi.load(_project(tmp_path, events={}))
    table = conversion_kpis(data)
    assert len(table) == 0 and list(table.columns[:2]) == ["event", "month"]
    assert check_conversions(data) is data


# -------------------------------------------------------------- invariants
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 58), st.sampled_from("ab")),
        min_size=1,
        max_size=20,
    )
)
def test_a_touch_event_counts_each_lead_once_per_cell(tmp_path_factory, touches):
    """Each month counts the distinct leads with a touch of the type in it, the
    whole range the distinct leads overall; cost per conversion over the range is
    the range's spend over that count (a ratio of sums, never a mean of months)."""
    if not any(kind == "a" for *_, kind in touches):
        return
    tmp = tmp_path_factory.mktemp("p")
    day0 = pd.Timestamp("2025-01-01")
    rows = [
        f"L{lead + 1},{day0 + pd.Timedelta(days=day):%Y-%m-%d}T12:00:00Z,"
        f"paid_search,brand,{kind}"
        for lead, day, kind in touches
    ]
    body = "lead_id,touched_at,channel,campaign,touch_type\n" + "\n".join(rows)
    path = _project(tmp, events={"a": {"touch_type": "a"}}, touches=body + "\n")
    data = leadkpi.load(path)
    monthly = _values(conversion_kpis(data, "conversions", by=("month",)), "month")
    hits = [
        (lead, day0 + pd.Timedelta(days=day)) for lead, day, k in touches if k == "a"
    ]
    per_month = pd.DataFrame(
        {
            "lead": [lead for lead, _ in hits],
            "month": [d.strftime("%Y-%m") for _, d in hits],
        }
    )
    counts = per_month.drop_duplicates().groupby("month").size()
    for month, count in counts.items():
        assert monthly[(month,)] == count
    assert sum(monthly.values()) == counts.sum()
    whole = pd.DataFrame(
        conversion_kpis(data, ["conversions", "cost_per_conversion"], by=())
    )
    leads = len({lead for lead, _ in hits})
    assert whole["value"].tolist() == pytest.approx([leads, 750 / leads])


# ------------------------------------------------------------------ exports
def test_platform_exports_keep_their_conversions():
    google = leadkpi.read(EXPORTS / "google_ads" / "campaign_report_by_day_totals.csv")
    assert google.table["conversions"].tolist()[:3] == [1.0, 4.0, 0.0]
    assert np.isnan(google.table["conversions"].iloc[3])  # "--": missing, not 0
    checked = google.reconciliation.query("metric == 'conversions'")
    assert checked.set_index("role").loc[CAMPAIGN, "file_total"] == 6.5
    meta = leadkpi.read(EXPORTS / "meta" / "ads_manager_summary_row.csv")
    assert meta.table["conversions"].sum() == 9
    assert meta.table["conversion_type"].dropna().unique().tolist() == [
        "actions:onsite_conversion.lead_grouped"
    ]
    microsoft = leadkpi.read(EXPORTS / "microsoft_ads" / "campaign_performance.csv")
    assert microsoft.table["conversions"].isna().sum() == 1  # an empty cell


def test_an_export_without_the_column_loads_as_before():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = leadkpi.read(EXPORTS / "google_ads" / "campaign_types.csv")
    assert "conversions" not in result.table.columns
    assert "conversions" not in set(result.reconciliation["metric"])


def test_the_sample_reports_its_events():
    data = leadkpi.load_sample()
    assert [e.name for e in data.config.conversions] == [
        "form_fill",
        "demo_request",
        "webinar_registration",
        "ad_platforms",
    ]
    table = pd.DataFrame(
        conversion_kpis(data, "conversions", by=(), start="2026-10", end="2026-10")
    )
    assert (table["value"] > 0).all()
    side = platform_vs_crm(data, by=("channel",), start="2026-10", end="2026-10")
    paid = side.set_index("channel").loc["paid_social"]
    assert paid["platform"] > paid["crm"] > 0  # the platforms claim more


# ----------------------------------------------------------- the report part
def test_report_section_in_both_languages(data):
    from leadkpi.present.conversion_tables import conversion_section

    month = pd.Period("2025-01", "M")
    en = conversion_section(data, month, lang="en")
    assert [type(p).__name__ for p in en] == [
        "Markdown",
        "Markdown",
        "Styler",
        "Markdown",
        "Markdown",
        "Styler",
    ]
    table = en[2].data
    assert list(table.columns) == [
        "Event",
        "Conversions",
        "Cost per conversion",
        "Conversion rate",
    ]
    assert table.values.tolist() == [
        ["Demo requests", "2", "€200.00", "66.7%"],
        ["Trials started", "1", "€400.00", "33.3%"],
        ["platform", "5", "€80.00", "166.7%"],
    ]
    assert "(Demo requests)" in en[4].data
    side = en[5].data  # organic search: no platform reports on it, left out
    assert side.values.tolist() == [["Paid search", "5", "2", "3", "2.50×"]]
    es = conversion_section(data, month, lang="es", currency="EUR")
    assert list(es[2].data.columns) == [
        "Evento",
        "Conversiones",
        "Coste por conversión",
        "Tasa de conversión",
    ]
    assert es[2].data.iloc[0].tolist() == [
        "Solicitudes de demo",
        "2",
        "200,00\xa0€",
        "66,7\xa0%",
    ]
    assert es[0].data == "### Conversiones antes de la venta"


def test_report_section_without_events_says_what_to_configure(tmp_path):
    from leadkpi.present.conversion_tables import conversion_section

    data = leadkpi.load(_project(tmp_path, events={}))
    parts = conversion_section(data, pd.Period("2025-01", "M"), lang="es")
    assert len(parts) == 2
    assert "`conversions:` de `leadkpi.yaml`" in parts[1].data
    assert "`{touch_type: demo_request}`" in parts[1].data


def test_an_event_name_is_shown_escaped(tmp_path):
    from leadkpi.present.conversion_tables import conversion_table

    table = pd.DataFrame(
        {
            "event": ["<b>x</b>"] * 3,
            "kpi": ["conversions", "cost_per_conversion", "conversion_rate"],
            "value": [1.0, 2.0, 0.5],
        }
    )
    html = conversion_table(table).to_html()
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html


def test_validate_names_a_wrong_event_and_exits_2(tmp_path, capsys):
    from leadkpi.cli import main

    events = {"demo": {"touch_type": "demo_requests"}}
    path = _project(tmp_path, events=events)
    assert main(["validate", str(path)]) == 2
    said = capsys.readouterr()
    assert "rows: 5 read, 5 loaded, 0 rejected" in said.out  # the files first
    assert "line 7: 'conversions.demo.touch_type' names touch type" in said.err
