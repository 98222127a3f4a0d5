"""Column-name and layout variants of real exports, beyond rows and sums.

The corpus test pins rows and sums of every fixture; these pin what each variant
is about (which column a header fills, what is said, what is kept aside).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from leadkpi import read
from leadkpi.exceptions import DataFileError
from leadkpi.io.profiles._range import month_words, parse_day, report_range

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"


def _utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def test_hubspot_date_entered_columns_date_the_stages_and_contact_id_is_the_id():
    result = read(EXPORTS / "hubspot" / "contacts_date_entered.csv")
    table = result.table.set_index("lead_id")
    assert list(table.index) == ["901", "902", "903"]
    assert table.loc["901", "mql_at"] == _utc("2025-03-03 10:00")
    assert table.loc["901", "sql_at"] == _utc("2025-03-10 12:00")
    assert table.loc["901", "won_at"] == _utc("2025-04-01 16:00")
    assert table.loc["902", "mql_at"] == _utc("2025-03-05 08:15")
    assert pd.isna(table.loc["903", "mql_at"])
    assert table["lifecycle_stage"].tolist() == ["customer", "mql", "lead"]


def test_hubspot_default_view_loads_as_leads_and_says_once_stages_are_unknown():
    result = read(EXPORTS / "hubspot" / "contacts_default_view.csv")
    assert result.table["lead_id"].tolist() == ["911", "912"]
    assert "mql_at" not in result.table and "lifecycle_stage" not in result.table
    said = [w for w in result.warnings if "no Lifecycle Stage column" in w]
    assert len(said) == 1
    # a full contacts export is not mistaken for the default view
    assert read(EXPORTS / "hubspot" / "contacts.csv").profile == "hubspot_contacts"


def test_salesforce_spanish_iso_8859_1_report():
    result = read(EXPORTS / "salesforce" / "oportunidades_es.csv")
    assert result.encoding.replace("_", "-").lower() in (
        "iso-8859-1",
        "latin-1",
        "cp1252",
    )
    table = result.table
    assert table["amount"].tolist() == [9000.0, 3000.0, 1250.5]
    assert table["stage"].tolist() == ["won", "lost", "Negociación"]
    assert table["created_at"].dt.strftime("%Y-%m-%d").tolist() == [
        "2025-03-01",
        "2025-03-15",
        "2025-03-20",
    ]
    assert table["won_at"].iloc[0] == _utc("2025-04-02")
    assert table["lead_source"].tolist()[:2] == ["Web", "Feria"]
    assert table["owner"].tolist() == ["Irene Vidal", "Tomás Gil", "Tomás Gil"]


def test_salesforce_lightning_names_fill_owner_and_created_at():
    result = read(EXPORTS / "salesforce" / "leads_lightning.csv")
    assert result.table["owner"].tolist() == ["Irene Vidal", "Tomás Gil"]
    assert result.table["created_at"].dt.day.tolist() == [4, 14]


def test_closed_deals_without_creation_date_load_and_say_so():
    result = read(EXPORTS / "salesforce" / "closed_opportunities.csv")
    assert "created_at" not in result.table
    assert result.table["won_at"].notna().tolist() == [True, False, True]
    assert any("deals have no creation date" in w for w in result.warnings)


def test_kpis_that_need_the_deals_creation_date_give_the_reason():
    from leadkpi.data import LeadData
    from leadkpi.kpis import compute

    deals = read(EXPORTS / "salesforce" / "closed_opportunities.csv").table
    leads = pd.DataFrame(
        {
            "lead_id": ["00Q5g00000LdA001", "00Q5g00000LdA002"],
            "created_at": ["2025-03-01T10:00:00Z", "2025-03-02T10:00:00Z"],
        }
    )
    data = LeadData(leads=leads, deals=deals)
    table = compute(data, ["pipeline_value", "revenue"], by=("month",), mode="period")
    pipeline = table[table["kpi"] == "pipeline_value"].iloc[0]
    assert pd.isna(pipeline["value"])
    assert pipeline["reason"] == "the deals table has no created_at column"
    revenue = table[table["kpi"] == "revenue"]
    assert revenue["value"].sum() == pytest.approx(9000.0)  # the April win


def test_microsoft_ads_api_hourly_rows_are_dated_by_their_day():
    result = read(EXPORTS / "microsoft_ads" / "campaign_performance_api_hourly.csv")
    assert result.table["date"].dt.strftime("%Y-%m-%d").unique().tolist() == [
        "2025-10-01"
    ]
    by_campaign = result.table.groupby("campaign")["cost"].sum().round(2).to_dict()
    assert by_campaign == {"Bing - Brand": 32.20, "Bing - CRM software": 9.90}


def test_microsoft_ads_api_gregorian_date_in_usd():
    result = read(EXPORTS / "microsoft_ads" / "campaign_performance_api_daily.csv")
    assert result.table["currency"].unique().tolist() == ["USD"]
    assert result.table["date"].dt.day.tolist() == [1, 1, 2]


def test_meta_no_data_available_is_an_empty_load_without_rejects():
    result = read(EXPORTS / "meta" / "no_data.csv")
    assert (result.rows_read, result.rows_rejected) == (0, 0)
    assert result.skipped["text"].str.startswith("No data available.").all()
    assert not any("no day breakdown" in w for w in result.warnings)


def test_ga4_resaved_by_a_spreadsheet_keeps_the_note_aside():
    result = read(EXPORTS / "ga4" / "resaved_by_spreadsheet.csv")
    assert result.rejects.empty
    notes = result.skipped[result.skipped["reason"] == "note"]
    assert notes["line"].tolist() == [15]
    assert result.table["date"].dt.day.tolist() == [1, 1, 2]


def test_ga4_date_and_hour_dimension_gives_the_day(tmp_path):
    text = (EXPORTS / "ga4" / "date_hour.csv").read_text()
    path = tmp_path / "hours.csv"  # the period now spans two days
    path.write_text(
        text.replace("# End date: 20251001", "# End date: 20251002")
        + "2025100223,google / cpc,2,3,1\n"
    )
    result = read(path)
    assert result.table["date"].dt.day.tolist() == [1, 1, 1, 2]
    assert not any("no day column" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("ter., 5 de mai. de 2026", dt.date(2026, 5, 5)),
        ("mar. 5 mars 2026", dt.date(2026, 3, 5)),
        ("5. Okt. 2025", dt.date(2025, 10, 5)),
        ("1 de out. de 2025", dt.date(2025, 10, 1)),
        ("1 janv. 2026", dt.date(2026, 1, 1)),
        ("3. März 2026", dt.date(2026, 3, 3)),
        ("Tue, May 5, 2026", dt.date(2026, 5, 5)),
        ("1 de octubre de 2025", dt.date(2025, 10, 1)),
    ],
)
def test_days_in_other_ui_languages(text, day):
    assert parse_day(text) == day


def test_month_words_come_from_babel_not_a_hand_list():
    from babel.dates import get_month_names

    words = month_words(("fr",))
    for number, name in get_month_names("abbreviated", locale="fr").items():
        assert words[name.lower().strip(".")] == number


def test_period_lines_in_portuguese_french_and_german():
    october = (dt.date(2025, 10, 1), dt.date(2025, 10, 31))
    assert report_range(["1 de out. de 2025 - 31 de out. de 2025"]) == october
    assert report_range(["Période : mer., 1 oct. 2025 - ven., 31 oct. 2025"]) == october
    assert report_range(["1. Okt. 2025 - 31. Okt. 2025"]) == october


def test_google_ads_other_languages_channels_and_refusal():
    pt = read(EXPORTS / "google_ads" / "relatorio_campanhas_pt.csv")
    assert pt.table["channel"].tolist() == ["paid_search", "display"]
    assert not any("not known" in w for w in pt.warnings)
    fr = read(EXPORTS / "google_ads" / "rapport_campagnes_fr.csv")
    assert fr.table["cost"].tolist() == [1204.5, 95.1]
    assert fr.table["impressions"].tolist() == [12004, 8200]
    de = read(EXPORTS / "google_ads" / "kampagnenbericht_de.csv")
    assert de.skipped["reason"].tolist() == ["campaign total"]
    with pytest.raises(Exception, match="cannot be placed in a month"):
        read(EXPORTS / "google_ads" / "relatorio_todo_periodo_pt.csv")


def test_mailchimp_list_without_successful_deliveries_derives_delivered():
    result = read(EXPORTS / "mailchimp" / "campaign_reports_no_deliveries.csv")
    assert result.profile == "mailchimp_campaigns_no_deliveries"
    assert result.table["delivered"].tolist() == [2949, 1201]  # 2,980 - 31; 1,210 - 9
    assert any("no 'Successful Deliveries'" in w for w in result.warnings)
    full = read(EXPORTS / "mailchimp" / "campaign_reports.csv")
    assert full.profile == "mailchimp_campaigns"


@pytest.mark.parametrize(
    "name",
    [
        "relatorio_campanhas_por_dia_pt.csv",  # ter., 5 de mai. de 2026
        "rapport_campagnes_par_jour_fr.csv",  # mar. 5 mai 2026
        "kampagnenbericht_tage_de.csv",  # Di., 5. Mai 2026
        "informe_campanas_por_dia.csv",  # 5 may. 2026
        "campaign_report_weekday_dates.csv",  # Tue, May 5, 2026
    ],
)
def test_day_cells_with_month_and_weekday_names_in_five_ui_languages(name):
    result = read(EXPORTS / "google_ads" / name)
    table = result.table
    assert table["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-05-04", "2026-05-04", "2026-05-05", "2026-05-05", "2026-05-06",
        "2026-05-06",
    ]  # fmt: skip
    by_day = table.groupby(table["date"].dt.day)["cost"].sum().round(2)
    assert by_day.to_dict() == {4: 155.45, 5: 140.05, 6: 1104.2}
    assert table["clicks"].tolist() == [48, 12, 39, 15, 301, 0]
    assert not any("day/month" in w for w in result.warnings)


MAILCHIMP_REPORT = EXPORTS / "mailchimp" / "campaign_report_single.csv"


def test_mailchimp_single_campaign_report_is_one_row_of_email():
    result = read(MAILCHIMP_REPORT)
    assert result.profile == "mailchimp_campaign_report"
    row = result.table.iloc[0]
    assert row["sent_on"] == pd.Timestamp("2026-05-05")  # "Tue, May 5, 2026 9:00 am"
    assert row["campaign"] == "Newsletter 2026-05-05"
    counts = ["sent", "delivered", "opens", "clicks", "unsubscribes", "bounces"]
    assert row[counts].tolist() == [3212, 3187, 812, 97, 6, 25]  # rates dropped
    assert row["channel"] == "email"
    assert result.lines.tolist() == [2]  # the Title: line
    skipped = result.skipped.set_index("line")["reason"]
    assert skipped[22] == skipped[26] == "per-link table"
    assert "nubalia.cloud/demo" in result.skipped.set_index("line").loc[25, "text"]


def test_mailchimp_report_sections_keep_their_role(tmp_path):
    text = MAILCHIMP_REPORT.read_text(encoding="utf-8")
    text += (
        '\n"Subscribers Who Opened"\n"Email Address","Opens"\n'
        '"lia@example.com","3"\n"tom@example.com","1"\n'
        '\n"Opens by Location"\n"Country","Opens"\n"Spain","640"\n'
    )
    path = tmp_path / "report.csv"
    path.write_text(text, encoding="utf-8")
    result = read(path)
    reasons = result.skipped.set_index("line")["reason"]
    assert reasons.loc[28:31].tolist() == ["per-subscriber table"] * 4
    assert reasons.loc[32] == "blank"
    assert reasons.loc[33:35].tolist() == ["report section"] * 3
    assert result.rows_read == result.rows_loaded == 1
    assert result.table["opens"].tolist() == [812]


def test_mailchimp_ab_test_report_is_refused_naming_the_repeated_key(tmp_path):
    path = tmp_path / "ab.csv"
    path.write_text(
        'Campaign Report\n"Title:","Spring test"\n'
        '"Delivery Date/Time:","Tue, May 5, 2026 10:15"\n\n'
        '"Combination 1 Stats"\n"Total Recipients:","1,751"\n'
        '"Recipients Who Opened:","141 (8.1%)"\n\n'
        '"Combination 2 Stats"\n"Total Recipients:","1,750"\n'
        '"Recipients Who Opened:","125 (7.2%)"\n',
        encoding="utf-8",
    )
    with pytest.raises(
        DataFileError, match=r"'Total Recipients:' appears twice"
    ) as info:
        read(path)
    assert info.value.line == 10
    assert "A/B test" in str(info.value)


def test_mailchimp_report_with_a_wrong_weekday_is_rejected_not_misdated(tmp_path):
    text = MAILCHIMP_REPORT.read_text(encoding="utf-8")
    path = tmp_path / "report.csv"
    path.write_text(text.replace("Tue, May 5", "Wed, May 5"), encoding="utf-8")
    result = read(path)
    assert (result.rows_loaded, result.rows_rejected) == (0, 1)
    reason = result.rejects["reason"].iloc[0]
    assert reason.startswith("sent_on = 'Wed, May 5, 2026 9:00 am' is not a date")
    assert "a weekday, if written, the date's" in reason


LINKEDIN = EXPORTS / "linkedin"


def test_linkedin_carousel_cards_are_kept_aside_not_read_as_spend():
    result = read(LINKEDIN / "ad_performance_carousel.csv")
    assert result.profile == "linkedin_ads"
    table = result.table
    assert table["ad_id"].tolist() == ["2101", "2102", "2101", "2102"]
    assert table["ad"].iloc[1] == "Informes - carrusel"
    assert table["clicks"].tolist() == [14, 19, 11, 16]  # the cards' 35 not added
    assert result.lines.tolist() == [7, 9, 13, 15]  # line 7's text spans line 8
    cards = result.skipped[result.skipped["reason"] == "carousel card"]
    assert cards["line"].tolist() == [10, 11, 12, 16, 17, 18]
    assert cards["text"].str.contains("Card 2: Previsión de ventas").sum() == 2


def test_a_row_labelled_carousel_card_with_spend_is_data(tmp_path):
    text = (LINKEDIN / "ad_performance_carousel.csv").read_text(encoding="utf-16")
    text = text.replace(
        "Card 1: Pipeline semanal\tCarousel Card\tACTIVE\t\tEUR\t\t\t9",
        "Card 1: Pipeline semanal\tCarousel Card\tACTIVE\t\tEUR\t3.10\t120\t9",
        1,
    )
    path = tmp_path / "ads.csv"
    path.write_text(text, encoding="utf-16")
    result = read(path)
    assert result.rows_read == 5
    assert float(result.table["cost"].sum()) == pytest.approx(219.35 + 3.10)
    assert result.skipped["reason"].eq("carousel card").sum() == 5


def test_linkedin_creative_report_keeps_numbered_cards_aside():
    """The real layout: a card's line has its number in 'Carousel Card' and its own
    'Card Impressions' / 'Card Clicks', the ad's row carries spend and impressions."""
    result = read(LINKEDIN / "creative_performance_cards.csv")
    assert result.profile == "linkedin_creative_names"
    table = result.table
    assert table["ad"].tolist() == ["Demo - imagen", "Informes - carrusel"] * 2
    assert table["impressions"].tolist() == [2410, 2980, 2204, 2811]
    assert table["clicks"].tolist() == [14, 19, 11, 16]  # the cards' 35 not added
    cards = result.skipped[result.skipped["reason"] == "carousel card"]
    assert cards["line"].tolist() == [10, 11, 12, 16, 17, 18]
    assert result.lines.tolist() == [7, 9, 13, 15]


def test_a_numbered_card_line_is_a_card_even_with_spend(tmp_path):
    """Marked by its own column, a card's line is never a spend row: were the ad's
    spend repeated on it, reading it would count the spend twice."""
    source = LINKEDIN / "creative_performance_cards.csv"
    text = source.read_text(encoding="utf-16")
    card = "https://example.com/informes/1\t\t\t\t\t\t\t1\t2980\t9"
    assert text.count(card) == 1
    text = text.replace(card, card.replace("\t\t\t\t", "\t61.75\t2304\t2980\t", 1))
    path = tmp_path / "creatives.csv"
    path.write_text(text, encoding="utf-16")
    result = read(path)
    assert float(result.table["cost"].sum()) == pytest.approx(219.35)
    assert result.skipped["reason"].eq("carousel card").sum() == 6


def test_linkedin_spanish_ui_export():
    result = read(LINKEDIN / "rendimiento_campanas_es.csv")
    assert result.profile == "linkedin_campaigns_es"
    table = result.table
    assert table["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2025-10-13", "2025-10-13", "2025-10-14", "2025-10-15",
    ]  # fmt: skip
    assert table["cost"].tolist() == [85.40, 1120.10, 79.95, 0.0]  # 1.120,10
    assert table["impressions"].tolist() == [4210, 15344, 3988, 0]
    assert table["campaign"].iloc[1] == "Directores comerciales - LATAM"
    assert table["currency"].unique().tolist() == ["EUR"]
    assert table["channel"].unique().tolist() == ["paid_social"]
