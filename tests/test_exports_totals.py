"""Totals rows inside export tables, report types, campaign types and stage labels.

Each fixture's expected rows and sums were worked out by hand from its text.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi import read
from leadkpi.cli import main
from leadkpi.config import load_config
from leadkpi.exceptions import DataFileError
from leadkpi.io.profiles import get_profile
from leadkpi.io.profiles.base import RawTable
from leadkpi.io.profiles.totals import _roles, split_totals
from leadkpi.io.result import empty_skipped
from leadkpi.io.text import read_text_table
from leadkpi.stage_labels import merge_labels, unrecognised_closed

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"


def _status(result) -> dict[tuple[str, str], str]:
    table = result.reconciliation
    keys = zip(table["role"], table["metric"], strict=True)
    return dict(zip(keys, table["status"], strict=True))


# --- totals rows ---------------------------------------------------------------------


def test_google_ads_per_day_totals_in_any_column_are_kept_aside_not_loaded():
    result = read(EXPORTS / "google_ads" / "campaign_report_by_day_totals.csv")
    # 5 data rows; the 8 per-day Total rows (shuffled, the label in the status or
    # the type column, the date in the Day column) would have made spend x4.
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (5, 5, 0)
    assert result.table["cost"].sum() == pytest.approx(1138.53)
    assert int(result.table["impressions"].sum()) == 12769
    skipped = dict(zip(result.skipped["line"], result.skipped["reason"], strict=True))
    assert skipped == {
        9: "account total",
        10: "campaign total",
        11: "account total",
        12: "subtotal",
        13: "campaign total",
        14: "account total",
        15: "subtotal",
        16: "campaign total",
    }
    assert result.rejects.empty
    assert not result.table["campaign"].str.startswith("Total").any()


def test_campaign_totals_match_and_a_larger_account_total_is_noted_not_warned():
    result = read(EXPORTS / "google_ads" / "campaign_report_by_day_totals.csv")
    status = _status(result)
    assert status[("campaign total", "cost")] == "match"
    assert status[("campaign total", "clicks")] == "match"
    # 1,067.53 + 9.80 + 70.00: the account spent 8.80 on a campaign not listed
    account = result.reconciliation.set_index(["role", "metric"])
    assert account.loc[("account total", "cost"), "file_total"] == pytest.approx(
        1147.33
    )
    assert status[("account total", "cost")] == "account larger"
    assert not any("does not match" in w for w in result.warnings)


def test_a_campaign_total_the_rows_miss_warns_with_both_figures(tmp_path):
    text = (EXPORTS / "google_ads" / "campaign_report_by_day_totals.csv").read_text()
    path = tmp_path / "report.csv"
    # one data row lost its cost: the rows now sum to 1,126.03, the file says 1,138.53
    path.write_text(
        text.replace("Brand - ES,Search,EUR,12.50", "Brand - ES,Search,EUR,")
    )
    result = read(path)
    assert _status(result)[("campaign total", "cost")] == "mismatch"
    message = next(w for w in result.warnings if "does not match" in w)
    assert "cost 1,126.03" in message and "campaign total 1,138.53" in message


def test_split_totals_moves_rows_before_typing():
    raw = read_text_table(
        EXPORTS / "google_ads" / "campaign_report_by_day_totals.csv",
        find_header=lambda cells: "Cost" in cells,
    )
    data, totals = split_totals(get_profile("google_ads_campaigns"), raw)
    assert len(data.frame) + len(totals.frame) == len(raw.frame)
    assert list(totals.lines) == [9, 10, 11, 12, 13, 14, 15, 16]
    assert set(totals.frame["_role"]) == {"campaign total", "account total", "subtotal"}


def test_meta_summary_first_row_is_the_campaigns_total_not_data():
    result = read(EXPORTS / "meta" / "ads_manager_summary_row.csv")
    assert (result.rows_read, result.rows_loaded) == (5, 5)
    assert result.table["cost"].sum() == pytest.approx(113.05)  # not 226.10
    assert result.skipped[["line", "reason"]].values.tolist() == [[2, "campaign total"]]
    assert set(result.reconciliation["status"]) == {"match"}
    assert not any("no day breakdown" in w for w in result.warnings)


def test_salesforce_grand_totals_count_the_records():
    result = read(EXPORTS / "salesforce" / "opportunities.csv")
    row = result.reconciliation.iloc[0]
    assert (row["role"], row["metric"], row["file_total"], row["status"]) == (
        "grand total",
        "records",
        5.0,
        "match",
    )
    assert (result.skipped["reason"] == "grand total").sum() == 1


def test_spanish_sample_reconciles_to_the_cent():
    result = read(EXPORTS / "google_ads" / "informe_tipos_de_campana.csv")
    assert set(result.reconciliation["status"]) == {"match"}
    assert result.table["cost"].sum() == pytest.approx(104.50)


# --- report type ---------------------------------------------------------------------


def test_search_terms_report_is_refused_naming_the_report_to_export():
    path = EXPORTS / "google_ads" / "search_terms_report.csv"
    for profile in ("auto", "google_ads_campaigns"):
        with pytest.raises(DataFileError, match="search terms report") as info:
            read(path, profile=profile)
        assert "Download the Campaigns report instead" in str(info.value)


def test_keyword_report_loads_at_its_own_grain():
    result = read(EXPORTS / "google_ads" / "keyword_report.csv")
    assert result.profile == "google_ads_keywords"
    assert result.table["keyword"].tolist() == [
        "crm software",
        "small business crm",
        "nubeprueba",
        "crm software",
        "crm free",
    ]
    by_campaign = result.table.groupby("campaign")["cost"].sum().round(2).to_dict()
    assert by_campaign == {"Brand - ES": 4.20, "Generic CRM": 76.15}
    assert _status(result)[("campaign total", "cost")] == "match"


def test_spanish_ad_group_report_loads_at_its_own_grain():
    result = read(EXPORTS / "google_ads" / "informe_grupos_de_anuncios.csv")
    assert result.profile == "google_ads_ad_groups_es"
    assert result.table["ad_group"].tolist() == [
        "CRM - genérico",
        "Marca",
        "CRM - genérico",
    ]
    assert result.table["cost"].sum() == pytest.approx(1080.35)
    assert set(result.reconciliation["status"]) == {"match"}


def test_all_time_report_is_refused_with_the_reason():
    with pytest.raises(DataFileError, match='"All time"') as info:
        read(EXPORTS / "google_ads" / "all_time_report.csv")
    assert "cannot be placed in a month" in str(info.value)
    assert "segmented by day" in str(info.value)


# --- campaign types to channels ------------------------------------------------------


def test_google_ads_campaign_types_map_to_the_default_channels():
    result = read(EXPORTS / "google_ads" / "campaign_types.csv")
    channels = dict(
        zip(result.table["campaign_type"], result.table["channel"], strict=True)
    )
    assert channels == {
        "Search": "paid_search",
        "Display": "display",
        "Video": "display",
        "In-stream video": "display",
        "Shopping": "paid_search",
        "Performance Max": "paid_search",
        "Demand Gen": "paid_social",
        "Smart": "paid_search",
        "App": "other",
        "Hotel": "other",
    }
    assert result.rows_loaded == 10  # the unknown type is kept...
    assert any(
        "'Hotel' (1 row(s)) not known" in w for w in result.warnings
    )  # ...and said


def test_spanish_campaign_type_labels():
    result = read(EXPORTS / "google_ads" / "informe_tipos_de_campana.csv")
    assert result.table["channel"].tolist() == [
        "paid_search",
        "display",
        "display",
        "paid_search",
        "paid_social",
        "paid_search",
    ]
    assert not any("not known" in w for w in result.warnings)


# --- stage labels --------------------------------------------------------------------


def test_renamed_stages_in_the_defaults_are_recognised():
    result = read(EXPORTS / "hubspot" / "deals_renamed_stages.csv")
    table = result.table.set_index("deal_id")
    assert table.loc["7001", "stage"] == "won"  # "Cerrada ganada"
    assert table.loc["7004", "stage"] == "lost"  # "Closed: lost"
    assert table["won_at"].notna().sum() == 1
    warning = next(w for w in result.warnings if "look closed" in w)
    assert "only 2 deal(s)" in warning and "'Won – signed' (2 row(s))" in warning


def test_configured_labels_read_won_and_silence_the_warning():
    stages = merge_labels({"won": ["Won – signed"]})
    result = read(EXPORTS / "hubspot" / "deals_renamed_stages.csv", stages=stages)
    assert result.table["won_at"].notna().sum() == 3
    assert result.table["won_at"].dropna().dt.day.tolist() == [2, 6, 9]
    assert not any("look closed" in w for w in result.warnings)


def test_no_recognised_closed_stage_warns_loudly_with_labels_and_counts():
    result = read(EXPORTS / "hubspot" / "deals_unrecognised_stages.csv")
    warning = next(w for w in result.warnings if "look closed" in w)
    assert "NO deal is read as won or lost" in warning
    assert "'Won – signed' (2 row(s)), 'Closed – no budget' (1 row(s))" in warning
    assert "'Demo booked'" not in warning


def test_salesforce_spanish_stages_read_won_and_lost(tmp_path):
    path = tmp_path / "oportunidades.csv"
    path.write_text(
        '"Opportunity ID","Created Date","Stage","Close Date","Amount"\n'
        '"006A1","3/1/2025","Cerrada ganada","3/20/2025","100"\n'
        '"006A2","3/2/2025","Cerrada perdida","3/21/2025","50"\n'
        '"006A3","3/3/2025","Prospecting","4/30/2025","70"\n',
        encoding="utf-8",
    )
    result = read(path)
    assert result.table["stage"].tolist() == ["won", "lost", "Prospecting"]
    assert result.table["won_at"].notna().tolist() == [True, False, False]
    assert result.table["lost_at"].notna().tolist() == [False, True, False]


def test_unrecognised_closed_in_other_languages():
    stage = pd.Series(["Gewonnen!", "Fechado - ganho", "Em negociação", "won", "Perdu"])
    assert sorted(unrecognised_closed(stage).index) == [
        "Fechado - ganho",
        "Gewonnen!",
        "Perdu",
    ]


def test_config_stages_take_labels_and_keep_the_funnel(tmp_path):
    path = tmp_path / "leadkpi.yaml"
    path.write_text(
        "stages:\n"
        "  lead: created_at\n"
        "  mql: {column: mql_at, labels: [Lead cualificado]}\n"
        "  customer: won_at\n"
        "  won: [Won – signed]\n"
        "  lost: [Closed – no budget]\n"
    )
    config = load_config(path)
    assert config.stages == (
        ("lead", "created_at"),
        ("mql", "mql_at"),
        ("customer", "won_at"),
    )
    assert config.stage_labels["won"][-1] == "Won – signed"
    assert "Closed Won" in config.stage_labels["won"]
    assert config.stage_labels["mql"][-1] == "Lead cualificado"
    assert load_config(path).sources == ()


def test_config_stages_of_the_wrong_shape_name_the_stage(tmp_path):
    path = tmp_path / "leadkpi.yaml"
    path.write_text("stages:\n  lead: created_at\n  won: 3\n")
    message = "'stages.won' must be a lead column, a list of labels"
    with pytest.raises(Exception, match=message):
        load_config(path)


# --- config default and validate -----------------------------------------------------


def test_an_unmarked_source_is_recognised(tmp_path):
    (tmp_path / "ads.csv").write_text(
        (EXPORTS / "google_ads" / "campaign_report.csv").read_text()
    )
    path = tmp_path / "leadkpi.yaml"
    path.write_text("sources:\n  spend: ads.csv\n")
    assert load_config(path).sources[0].profile == "auto"


def test_validate_a_usd_file_without_config_exits_0(tmp_path, capsys):
    path = tmp_path / "report.csv"
    text = (EXPORTS / "google_ads" / "campaign_report_by_day_totals.csv").read_text()
    path.write_text(text.replace(",EUR,", ",USD,"))
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "no rate" not in out and "checks not run" not in out
    assert "campaign total: cost 1,138.53 vs 1,138.53" in out
    assert "account total: cost 1,147.33 vs 1,138.53" in out
    # an explicit currency without a rate: the checks say so, the file still passes
    assert main(["validate", str(path), "--currency", "EUR"]) == 0
    assert "checks not run" in capsys.readouterr().out


def test_validate_takes_rates_and_stages_from_a_config(tmp_path, capsys):
    config = tmp_path / "leadkpi.yaml"
    config.write_text(
        "currency: EUR\nrates: {USD: 0.9}\n"
        "stages:\n  lead: created_at\n  won: [Won – signed]\n"
    )
    deals = EXPORTS / "hubspot" / "deals_unrecognised_stages.csv"
    assert main(["validate", str(deals), "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "'Won – signed'" not in out and "'Closed – no budget'" in out


_LABELS = st.sampled_from(
    [
        "Total: Campaigns", " Total: Account ", "Total: Search", "Total:", "total: x",
        "Gesamt: Kampagnen", "Brand - ES", "Total: campañas\n", "x Total: Account",
        "Results from 4 campaigns", "Carousel Card", "", "1,055.03", "--",
        "line\nTotal: Account", "Totals", "Total : Account",
    ]
)  # fmt: skip


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(st.lists(st.one_of(_LABELS, st.none()), min_size=3, max_size=3),
             min_size=1, max_size=12),
    st.sampled_from(["google_ads_campaigns", "google_ads_campaigns_de", "meta_ads"]),
)  # fmt: skip
def test_totals_rows_are_found_as_cell_by_cell_matching_finds_them(rows, name):
    """The one-pass search over joined cells finds exactly the rows that a regular
    expression per cell finds (the first-row summary rule aside)."""
    profile = get_profile(name)
    frame = pd.DataFrame(
        rows, columns=["Campaign", "Campaign type", "Cost"], dtype="str"
    )
    raw = RawTable(
        frame=frame,
        lines=np.arange(len(rows), dtype=np.int64) + 2,
        preamble=(),
        header_line=1,
        encoding="utf-8",
        delimiter=",",
        skipped=empty_skipped(),
        path=Path("export.csv"),
    )
    patterns = {r: p for r, p in profile.totals.items() if not r.startswith("_")}
    expected = []
    for cells in rows:
        role = ""
        for found, pattern in patterns.items():
            if any(c is not None and re.match(rf"\s*(?:{pattern})", c) for c in cells):
                role = found
                break
        expected.append(role)
    roles = _roles(profile, raw).tolist()
    if "_first_blank" in profile.totals:
        roles, expected = roles[1:], expected[1:]
    assert roles == expected
    data, _ = split_totals(profile, raw)
    kept = [i for i, r in enumerate(_roles(profile, raw)) if r == ""]
    assert data.lines.tolist() == [i + 2 for i in kept]


def test_totals_rows_are_found_alike_on_one_thread_and_on_two(monkeypatch):
    from leadkpi.io import threads

    raw = read_text_table(
        "tests/fixtures/exports/google_ads/campaign_report_by_day_totals.csv",
        find_header=lambda cells: "Cost" in cells,
    )
    profile = get_profile("google_ads_campaigns")
    found = []
    for rows in (10**9, 1):  # one thread, then two from the first row
        monkeypatch.setattr(threads, "THREADED_ROWS", rows)
        found.append(_roles(profile, raw))
    pd.testing.assert_series_equal(found[1], found[0])
    assert (found[1] != "").sum() == 8
