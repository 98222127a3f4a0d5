"""Ad-platform exports read into the spend table: one fixture per layout and language.

Every expected table below was worked out by hand from the fixture's text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi import read
from leadkpi.exceptions import DataFileError
from leadkpi.io.profiles._range import parse_day, report_range
from leadkpi.io.profiles.ads import PROFILES, ui_numbers

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"


COLUMNS = ["date", "channel", "campaign", "cost", "impressions", "clicks", "currency"]


def _spend(rows: list[tuple], channel: str, currency: str = "EUR") -> pd.DataFrame:
    """Expected spend rows ``(date, campaign, cost, impressions, clicks)``."""
    date, campaign, cost, impressions, clicks = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "date": pd.to_datetime(list(date)).astype("datetime64[ns]"),
            "channel": channel,
            "campaign": list(campaign),
            "cost": pd.array(cost, dtype="float64"),
            "impressions": pd.array(impressions, dtype="Int64"),
            "clicks": pd.array(clicks, dtype="Int64"),
            "currency": currency,
        }
    )


def _check(table: pd.DataFrame, expected: pd.DataFrame) -> None:
    got = table[list(expected.columns)].reset_index(drop=True)
    pdt.assert_frame_equal(got, expected, check_dtype=False)
    assert str(got["date"].dtype) == "datetime64[ns]"
    assert str(got["impressions"].dtype) == "Int64"


def _accounting(result, read_: int, skipped: dict[int, str]) -> None:
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (
        read_,
        read_,
        0,
    ), result.rejects.to_string()
    lines = zip(result.skipped["line"], result.skipped["reason"], strict=True)
    assert dict(lines) == skipped


# --- Google Ads -------------------------------------------------------------------

GOOGLE_BY_DAY = [
    ("2025-10-01", "Brand - ES", 12.50, 116, 14),
    ("2025-10-01", "Generic CRM", 1055.03, 12254, 315),
    ("2025-10-02", "Brand - ES", 9.80, 98, None),
    ("2025-10-02", "Competitors", 0.00, 0, 0),
    ("2025-10-03", "Generic CRM", 61.20, 301, 17),
]


def test_google_ads_csv_download_by_day():
    result = read(EXPORTS / "google_ads" / "campaign_report.csv", "spend")
    assert result.profile == "google_ads_campaigns"
    assert (result.encoding, result.delimiter) == ("utf-8", ",")
    _check(result.table, _spend(GOOGLE_BY_DAY, "paid_search"))
    # "--" is a missing value, not a reject; the three Total rows are kept aside
    # with their role, and the rows match the campaigns' total.
    _accounting(result, 5, {9: "account total", 10: "subtotal", 11: "campaign total"})
    assert set(result.reconciliation["status"]) == {"match"}
    assert result.skipped["text"].str.startswith("Total: ").all()
    assert float(result.table["cost"].sum()) == pytest.approx(1138.53)


def test_google_ads_spanish_ui_reads_decimal_commas():
    result = read(EXPORTS / "google_ads" / "informe_campanas.csv")
    assert result.profile == "google_ads_campaigns_es"
    names = {
        "Brand - ES": "Marca - ES",
        "Generic CRM": "CRM genérico",
        "Competitors": "Competidores",
    }
    rows = [(d, names[c], *rest) for d, c, *rest in GOOGLE_BY_DAY]
    _check(result.table, _spend(rows, "paid_search"))
    _accounting(result, 5, {9: "account total", 10: "campaign total"})


def test_google_ads_excel_download_without_day_is_dated_at_the_period_start(
    read_warned,
):
    path = EXPORTS / "google_ads" / "campaign_report_excel.csv"
    assert path.read_bytes()[:2] == b"\xff\xfe"
    result = read_warned(path, "2025-10-01 to 2025-10-31", "spend")
    assert (result.encoding, result.delimiter) == ("utf-16-le", "\t")
    expected = [
        ("2025-10-01", "Brand - ES", 412.35, 3912, 455),
        ("2025-10-01", "Generic CRM", 2310.80, 41870, 1021),
        ("2025-10-01", "Competitors", 0.00, 0, 0),
    ]
    _check(result.table, _spend(expected, "paid_search"))
    _accounting(result, 3, {7: "campaign total", 8: "account total"})


def test_google_ads_campaign_type_gives_display_channel(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text(
        "Campaign report\n1 October 2025 - 1 October 2025\n"
        "Campaign,Campaign type,Day,Cost,Impr.,Clicks\n"
        "Brand,Search,2025-10-01,1.00,10,1\n"
        "Remarketing,Display,2025-10-01,2.00,900,3\n"
        "Total: Campaigns,,,3.00,910,4\n",
        encoding="utf-8",
    )
    result = read(path)
    assert result.table["channel"].tolist() == ["paid_search", "display"]
    assert "currency" not in result.table  # the export does not say
    assert result.skipped["line"].tolist() == [6]


def test_google_ads_without_day_or_period_names_the_problem(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text("Campaign,Cost,Impr.,Clicks\nBrand,1.00,10,1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="no day column and no report period"):
        read(path, profile="google_ads_campaigns")


# --- Microsoft Advertising ----------------------------------------------------------


def test_microsoft_ads_campaign_performance_report():
    result = read(EXPORTS / "microsoft_ads" / "campaign_performance.csv", "spend")
    assert result.profile == "microsoft_ads_campaigns"
    assert result.encoding == "utf-8-sig"
    expected = [
        ("2025-10-01", "Bing - Brand", 42.17, 1204, 38),
        ("2025-10-01", "Bing - CRM software", 35.60, 880, 21),
        ("2025-10-02", "Bing - Brand", 39.02, 1117, 35),
        ("2025-10-02", "Bing - CRM software", 33.15, 905, 19),
        ("2025-10-12", "Bing - Brand", 14.90, 640, 12),  # month first: 12 October
    ]
    _check(result.table, _spend(expected, "paid_search"))
    _accounting(result, 5, {17: "blank", 18: "report footer"})
    assert "Microsoft Corporation" in result.skipped["text"].iloc[-1]


def test_microsoft_ads_reporting_api_download():
    path = EXPORTS / "microsoft_ads" / "campaign_performance_api.csv"
    result = read(path, "spend")
    assert result.profile == "microsoft_ads_campaigns_api"
    expected = [
        ("2025-10-01", "Bing - Brand", 42.17, 1204, 38),
        ("2025-10-01", "Bing - CRM software", 35.60, 880, 21),
        ("2025-10-02", "Bing - Brand", 39.02, 1117, 35),
    ]
    _check(result.table, _spend(expected, "paid_search"))
    _accounting(result, 3, {15: "blank", 16: "report footer"})


# --- Meta Ads Manager ---------------------------------------------------------------


def test_meta_export_by_day_takes_the_currency_from_the_header():
    result = read(EXPORTS / "meta" / "ads_manager_by_day.csv")
    assert result.profile == "meta_ads"
    expected = [
        ("2025-10-01", "Lead ads, SMB owners", 29.61, 3412, 41),
        ("2025-10-01", "Retargeting - site visitors", 12.40, 1502, 9),
        ("2025-10-02", "Lead ads, SMB owners", 28.04, 3108, 37),
        ("2025-10-02", "Retargeting - site visitors", 11.95, 1433, None),
        ("2025-10-03", "Lead ads, SMB owners", 31.05, 3690, 44),
    ]
    _check(result.table, _spend(expected, "paid_social"))
    _accounting(result, 5, {})
    assert "_ends" not in result.table


def test_meta_spanish_export_over_a_month_warns_and_dates_at_its_start(read_warned):
    path = EXPORTS / "meta" / "ads_manager_es.csv"
    result = read_warned(path, "2 row", "spend")
    assert result.profile == "meta_ads_es"
    expected = [
        ("2025-10-01", "Anuncios de clientes potenciales, pymes", 866.81, 98144, 1204),
        ("2025-10-01", "Retargeting - visitantes", 351.40, 30115, 233),
    ]
    _check(result.table, _spend(expected, "paid_social"))
    _accounting(result, 2, {})


def test_meta_portuguese_export_reads_valor_usado_in_its_currency():
    result = read(EXPORTS / "meta" / "gerenciador_anuncios_pt.csv")
    assert result.profile == "meta_ads_pt"
    expected = [
        ("2025-10-01", "Leads B2B, diretores financeiros", 85.50, 3870, 52),
        ("2025-10-01", "Remarketing - visitantes do site", 24.90, 1690, 11),
        ("2025-10-02", "Leads B2B, diretores financeiros", 80.30, 3511, 47),
        ("2025-10-02", "Remarketing - visitantes do site", 23.15, 1604, None),
        ("2025-10-03", "Leads B2B, diretores financeiros", 89.00, 4050, 58),
    ]
    _check(result.table, _spend(expected, "paid_social", currency="BRL"))
    _accounting(result, 5, {})
    # "Cliques no link" is read, not "Cliques (todos)"; the results keep their type
    assert result.table["conversions"].sum() == 12
    assert set(result.table["conversion_type"].dropna()) == {
        "actions:onsite_conversion.lead_grouped"
    }


@pytest.mark.parametrize(
    ("header", "currency"),
    [("Importe gastado (BOB)", "BOB"), ("Valor gasto (BRL)", "BRL")],
)
def test_meta_money_headers_seen_in_real_downloads_are_read(tmp_path, header, currency):
    source = EXPORTS / "meta" / "ads_manager_es.csv"
    path = tmp_path / "meta.csv"
    text = source.read_text(encoding="utf-8-sig")
    path.write_text(text.replace("Importe gastado (EUR)", header), encoding="utf-8")
    result = read(path)
    assert result.profile == "meta_ads_es"
    assert result.table["cost"].tolist() == [866.81, 351.40]
    assert result.table["currency"].unique().tolist() == [currency]


# --- LinkedIn -----------------------------------------------------------------------


def test_linkedin_campaign_performance_export():
    path = EXPORTS / "linkedin" / "campaign_performance.csv"
    result = read(path, "spend")
    assert result.profile == "linkedin_campaigns"
    assert (result.encoding, result.delimiter) == ("utf-16-le", "\t")
    expected = [
        ("2025-10-01", "IT managers - ES", 85.40, 4210, 22),
        ("2025-10-01", "Sales directors - EU", 120.10, 5344, 31),
        ("2025-10-02", "IT managers - ES", 79.95, 3988, 18),
        ("2025-10-12", "Sales directors - EU", 0.00, 0, 0),
    ]
    _check(result.table, _spend(expected, "paid_social"))
    _accounting(result, 4, {})


def test_linkedin_export_also_reads_as_utf8_with_commas(tmp_path):
    """Both encodings seen for this export: UTF-16 LE with tabs and UTF-8 commas."""
    source = EXPORTS / "linkedin" / "campaign_performance.csv"
    text = source.read_bytes().decode("utf-16").replace("\t", ",")
    path = tmp_path / "linkedin.csv"
    path.write_bytes(text.encode("utf-8"))
    result = read(path)
    assert (result.profile, result.encoding, result.delimiter) == (
        "linkedin_campaigns",
        "utf-8",
        ",",
    )
    pdt.assert_frame_equal(result.table, read(source).table)


# --- every layout -------------------------------------------------------------------

FIXTURES = {
    "google_ads/campaign_report.csv": "google_ads_campaigns",
    "google_ads/campaign_report_excel.csv": "google_ads_campaigns",
    "google_ads/informe_campanas.csv": "google_ads_campaigns_es",
    "microsoft_ads/campaign_performance.csv": "microsoft_ads_campaigns",
    "microsoft_ads/campaign_performance_api.csv": "microsoft_ads_campaigns_api",
    "meta/ads_manager_by_day.csv": "meta_ads",
    "meta/ads_manager_es.csv": "meta_ads_es",
    "linkedin/campaign_performance.csv": "linkedin_campaigns",
    "google_ads/kampagnenbericht_de.csv": "google_ads_campaigns_de",
}


@pytest.mark.filterwarnings("ignore:.*(no day|no day breakdown)")
@pytest.mark.parametrize(("name", "profile"), FIXTURES.items())
def test_auto_recognises_each_export_and_accounts_for_every_row(name, profile):
    result = read(EXPORTS / name, profile="auto")
    assert result.profile == profile
    assert result.kind == "spend"
    assert result.rows_read == result.rows_loaded + result.rows_rejected
    assert result.rows_rejected == 0
    assert set(result.table["channel"]) <= {"paid_search", "paid_social", "display"}
    assert (result.table["currency"] == "EUR").all()
    named = read(EXPORTS / name, profile=profile)
    pdt.assert_frame_equal(named.table, result.table)
    # the UI language fixes the number format: the reader's locale does not matter
    other = read(EXPORTS / name, profile=profile, locale="es")
    pdt.assert_frame_equal(other.table, result.table)


def test_profiles_are_well_formed():
    names = [p.name for p in PROFILES]
    assert len(names) == len(set(names))
    for profile in PROFILES:
        assert profile.kind == "spend"
        assert profile.references, profile.name
        for header in profile.signature:
            assert any(header in names for names in profile.columns.values())
        assert profile.constants["channel"] in {"paid_search", "paid_social"}


# --- report periods -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("1 October 2025 - 31 October 2025", ("2025-10-01", "2025-10-31")),
        ("October 1, 2025 - October 31, 2025", ("2025-10-01", "2025-10-31")),
        ("1 de octubre de 2025 - 31 de octubre de 2025", ("2025-10-01", "2025-10-31")),
        ("1 oct. 2025 - 3 oct. 2025", ("2025-10-01", "2025-10-03")),
        ("2025-10-01 - 2025-10-31", ("2025-10-01", "2025-10-31")),
        (
            "1 de septiembre de 2025 – 2 de septiembre de 2025",
            ("2025-09-01", "2025-09-02"),
        ),
    ],
)
def test_report_range_reads_titles_in_english_and_spanish(line, expected):
    start, end = report_range(["Campaign report", line])
    assert (start.isoformat(), end.isoformat()) == expected


@pytest.mark.parametrize(
    "line",
    ["Campaign report", "31 October 2025 - 1 October 2025", "31 February 2025 - x"],
)
def test_report_range_rejects_what_is_not_a_period(line):
    assert report_range([line]) is None
    assert parse_day("30 de febrero de 2025") is None


# --- number formats -------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    cents=st.lists(st.integers(0, 10**11), min_size=1, max_size=20),
    spanish=st.booleans(),
)
def test_ui_numbers_undo_the_ui_formats(cents, spanish):
    """Any amount written as an English or Spanish UI writes it reads back exactly."""
    english = [f"{c // 100:,}.{c % 100:02d}" for c in cents]
    text = (
        [e.translate(str.maketrans(",.", ".,")) for e in english]
        if spanish
        else english
    )
    frame = pd.DataFrame({"cost": text, "clicks": [f"{c:,}" for c in cents]})
    if spanish:
        frame["clicks"] = frame["clicks"].str.replace(",", ".")
    marks = (
        {"thousands": ".", "point": ","}
        if spanish
        else {"thousands": ",", "point": "."}
    )
    out = ui_numbers(frame, **marks)
    assert out["cost"].astype(float).tolist() == [c / 100 for c in cents]
    assert out["clicks"].astype(int).tolist() == cents
