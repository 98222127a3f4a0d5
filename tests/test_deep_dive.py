"""The campaign deep dive: one campaign or channel against the rest of the account,
on a hand-made account whose figures are worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi import deep_dive as dd
from leadkpi.data import LeadData
from leadkpi.exceptions import ArgumentError
from leadkpi.present import deep_dive_tables as dt

#: Six leads in the week of Monday 2026-03-02, two in the next; campaign "a" has
#: L1-L3 and L7, on two pages; the rest has four leads.
LEADS = pd.DataFrame(
    {
        "lead_id": [f"L{i}" for i in range(1, 9)],
        "created_at": ["2026-03-02T10:00:00Z", "2026-03-03T10:00:00Z",
                       "2026-03-04T10:00:00Z", "2026-03-04T11:00:00Z",
                       "2026-03-05T10:00:00Z", "2026-03-06T10:00:00Z",
                       "2026-03-09T10:00:00Z", "2026-03-10T10:00:00Z"],
        "campaign": ["a", "a", "a", "b", "b", "c", "a", "b"],
        "channel": ["paid_search"] * 3 + ["paid_social"] * 2 + ["email", "paid_search",
                                                                 "paid_social"],
        "landing_page": ["https://x.io/demo?utm_campaign=a", "https://x.io/demo#form",
                         "https://x.io/price", "https://x.io/demo?utm_campaign=b",
                         None, "https://x.io/", "https://x.io/price/", "https://x.io/"],
        "opportunity_at": ["2026-03-20T10:00:00Z", None, None, "2026-03-21T10:00:00Z",
                           None, None, "2026-03-25T10:00:00Z", None],
        "first_response_at": ["2026-03-02T11:00:00Z", "2026-03-03T13:00:00Z",
                              None, "2026-03-04T11:30:00Z", None, None,
                              "2026-03-09T12:00:00Z", None],
    }
)  # fmt: skip
SPEND = pd.DataFrame(
    {
        "date": ["2026-03-02", "2026-03-03", "2026-03-09", "2026-03-02", "2026-03-10"],
        "campaign": ["a", "a", "a", "b", "b"],
        "channel": ["paid_search", "paid_search", "paid_search", "paid_social",
                    "paid_social"],
        "cost": [100.0, 50.0, 90.0, 80.0, 40.0],
    }
)  # fmt: skip


@pytest.fixture(scope="module")
def view() -> LeadData:
    return dd.focus(LeadData(leads=LEADS, spend=SPEND), campaign="a")


def _values(table: pd.DataFrame, *keys: str) -> dict:
    return {tuple(row[k] for k in keys): row["value"] for _, row in table.iterrows()}


def test_focus_marks_every_table_with_the_column(view):
    assert view.leads["focus"].tolist() == ["a"] * 3 + ["rest"] * 3 + ["a", "rest"]
    assert view.spend["focus"].tolist() == ["a"] * 3 + ["rest"] * 2
    assert "focus" not in LEADS  # the caller's frames are left alone


def test_summary_is_sum_over_sum_for_the_focus_and_the_rest(view):
    found = dd.summary(view, "2026-03-02", "2026-03-15")
    got = _values(found[found["kpi"].isin(["spend", "leads", "cost_per_lead"])],
                  "focus", "kpi")  # fmt: skip
    assert got == {
        ("a", "spend"): 240.0, ("a", "leads"): 4, ("a", "cost_per_lead"): 60.0,
        ("rest", "spend"): 120.0, ("rest", "leads"): 4, ("rest", "cost_per_lead"): 30.0,
    }  # fmt: skip
    cpo = _values(found[found["kpi"] == "cost_per_opportunity"], "focus")
    assert cpo == {("a",): 120.0, ("rest",): 120.0}  # 240 / 2 and 120 / 1
    # median response of a's contacted leads: 1 h, 3 h, 2 h -> 2 h
    response = _values(found[found["kpi"] == "lead_response_time"], "focus")
    assert response[("a",)] == 2 * 3600


def test_weekly_splits_by_week(view):
    found = dd.weekly(view, "2026-03-02", "2026-03-15")
    leads = found[found["kpi"] == "leads"]
    got = {(str(w.start_time.date()), f): v for w, f, v in
           zip(leads["week"], leads["focus"], leads["value"], strict=True)}  # fmt: skip
    assert got == {("2026-03-02", "a"): 3, ("2026-03-02", "rest"): 3,
                   ("2026-03-09", "a"): 1, ("2026-03-09", "rest"): 1}  # fmt: skip


def test_landing_pages_without_query_against_the_rest(view):
    pages = dd.landing_pages(view, "2026-03-02", "2026-03-15")
    assert pages["landing_page"].tolist() == ["x.io/demo", "x.io/price"]
    assert pages["leads"].tolist() == [2, 2]
    assert pages["share"].tolist() == [0.5, 0.5]
    assert pages["opportunity_rate"].tolist() == [0.5, 0.5]  # L1 of 2; L7 of 2
    assert pages["rest_leads"].tolist() == [1, 0]  # L4 on the demo page
    assert pages["rest_opportunity_rate"].iloc[0] == 1.0
    assert pd.isna(pages["rest_opportunity_rate"].iloc[1])
    only_first_week = dd.landing_pages(view, "2026-03-02", "2026-03-08", top=1)
    assert only_first_week[["landing_page", "leads"]].values.tolist() == [
        ["x.io/demo", 2]
    ]


def test_funnel_by_focus_keeps_the_counted_stages(view):
    stages = dd.focus_funnel(view, "2026-03-02", "2026-03-15")
    a = stages[stages["focus"] == "a"].set_index("stage")["count"]
    assert a["lead"] == 4 and a["opportunity"] == 2


def test_unknown_name_lists_the_closest(view):
    data = LeadData(leads=LEADS, spend=SPEND)
    with pytest.raises(ArgumentError, match=r"channel='paid_serch' is not a channel "
                       r"of the data; did you mean 'paid_search'"):  # fmt: skip
        dd.focus(data, channel="paid_serch")
    with pytest.raises(ArgumentError, match="not both or neither"):
        dd.focus(data, campaign="a", channel="email")
    with pytest.raises(ArgumentError, match="not both or neither"):
        dd.focus(data)


def test_date_range_defaults_and_errors():
    created = pd.Series(pd.to_datetime(["2026-01-05 10:00", "2026-10-31 23:00"]))
    assert dd.date_range("", "", created) == ("2026-08-02", "2026-10-31")
    assert dd.date_range("", "2026-03-31", created) == ("2025-12-31", "2026-03-31")
    with pytest.raises(ArgumentError, match="start=2026-04-01 is after end"):
        dd.date_range("2026-04-01", "2026-03-31", created)
    with pytest.raises(ArgumentError, match="end='31/03/2026' is not a day"):
        dd.date_range("", "31/03/2026", created)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=12))
def test_focus_and_rest_add_up_to_the_account(campaigns):
    n = len(campaigns)
    leads = pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(n)],
            "created_at": [f"2026-03-{1 + i % 28:02d}T10:00:00Z" for i in range(n)],
            "campaign": campaigns,
        }
    )
    view = dd.focus(LeadData(leads=leads), campaign=campaigns[0])
    found = dd.summary(view, "2026-03", "2026-03")
    leads_found = found[found["kpi"] == "leads"]["value"].sum()
    assert leads_found == n


def test_tables_in_spanish(view):
    summary = dd.summary(view, "2026-03-02", "2026-03-15")
    shown = dt.summary_table(summary, "campaign", ["spend", "cost_per_lead"],
                             lang="es").data  # fmt: skip
    assert shown.columns.tolist() == ["KPI", "a", "Resto de la cuenta"]
    assert shown.iloc[1].tolist() == ["Coste por lead", "60,00\xa0€*", "30,00\xa0€*"]
    funnel = dt.funnel_table(dd.focus_funnel(view, "2026-03-02", "2026-03-15"),
                             "campaign", lang="es").data  # fmt: skip
    assert funnel.columns[0] == "Etapa" and "Resto de la cuenta: Leads" in funnel
    pages = dt.pages_table(dd.landing_pages(view, "2026-03-02", "2026-03-15"),
                           lang="es").data  # fmt: skip
    assert [v.replace("\xa0", " ") for v in pages.iloc[0]] == [
        "x.io/demo",
        "2",
        "50,0 %",
        "1",
        "50,0 %",
        "1",
        "100,0 %",
    ]


def test_campaign_report_on_the_sample(tmp_path, capsys, sample_config):
    """`leadkpi report campaign`: one file per campaign, in the end's month."""
    from leadkpi.cli import main

    argv = [
        "report",
        "campaign",
        "--config",
        str(sample_config),
        "--out",
        str(tmp_path),
        "--quiet",
        "--start",
        "2026-08-01",
        "--end",
        "2026-10-31",
    ]
    assert main([*argv, "--channel", "paid_search", "--lang", "es"]) == 0
    html = tmp_path / "2026-10" / "campaign_deep_dive.paid_search.es.html"
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(html)
    page = html.read_text(encoding="utf-8")
    assert "<title>Análisis de campaña — octubre de 2026 (español)</title>" in page
    for heading in (
        "Canal Búsqueda de pago: del 2026\\-08\\-01",
        "Todo el periodo",
        "Semana a semana",
        "Embudo y conversión de la cohorte",
        "Velocidad de respuesta",
        "Páginas de destino principales",
    ):
        assert heading.replace("\\", "") in page, heading
    assert "Resto de la cuenta" in page and "data:image/png;base64" in page
    # an unknown campaign: refused before the run (exit 2), naming the closest ones
    assert main([*argv, "--campaign", "gads_generic_cmr"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'gads_generic_crm'" in err and err.count("\n") <= 2
    assert "rendering" not in err  # no kernel was started
    assert not list((tmp_path / "2026-10").glob("campaign_deep_dive.gads_generic_cmr*"))
    # a report without those parameters refuses the options
    assert main(["report", "monthly", "--config", str(sample_config), "--out",
                 str(tmp_path), "--campaign", "x"]) == 2  # fmt: skip
    assert "monthly_report.ipynb has no campaign parameter" in capsys.readouterr().err
