"""The executive summary: tiles worked by hand, targets, findings on the sample's
planted effects, and a project without spend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import leadkpi
from leadkpi import summary, summary_findings
from leadkpi.present import findings_tables, summary_tables
from leadkpi.present.plots import channel_colours, channel_order

MONTH = pd.Period("2026-10", "M")


def _trend() -> pd.DataFrame:
    """Thirteen months of leads and conversion rate; only three months matter:
    Oct 2025 (a year ago), Sep 2026 (previous) and Oct 2026 (the month)."""
    months = pd.period_range(MONTH - 12, MONTH, freq="M")
    leads = {MONTH - 12: 120.0, MONTH - 1: 100.0, MONTH: 130.0}
    won = {MONTH - 12: 12.0, MONTH - 1: 8.0, MONTH: 10.0}
    rows = []
    for month in months:
        n = leads.get(month, 90.0)
        rows.append((month, "leads", n, n, np.nan, "count", "higher"))
        hits = won.get(month, 4.0)
        rows.append(
            (month, "lead_conversion_rate", hits / 200, hits, 200.0, "fraction",
             "higher")
        )  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=["month", "kpi", "value", "numerator", "denominator", "unit", "better"],
    )


def test_tiles_by_hand():
    tiles = summary.tiles(
        _trend(), MONTH, targets={"leads": 120, "lead_conversion_rate": 0.06}
    ).set_index("kpi")
    leads = tiles.loc["leads"]
    # 100 → 130: +30 %; a year ago 120 → +8.33 %
    assert leads["change_kind"] == "relative"
    assert leads["change"] == pytest.approx(0.30)
    assert leads["year_ago"] == 120 and leads["change_year"] == pytest.approx(10 / 120)
    # Poisson: 30 / sqrt(230) = 1.98 > 1.96 beyond noise; 10 / sqrt(250) = 0.63 within
    assert not leads["within_noise"] and leads["within_noise_year"]
    assert leads["improved"] and leads["direction"] == "higher"
    assert (leads["target"], leads["target_status"]) == (120, "met")
    rate = tiles.loc["lead_conversion_rate"]
    # 4 % → 5 % is one percentage point, not +25 %; 6 % a year ago: −1 point
    assert rate["change_kind"] == "points"
    assert rate["change"] == pytest.approx(0.01)
    assert rate["change_year"] == pytest.approx(-0.01)
    # pooled share 18/400: z = 0.01 / 0.0207 = 0.48, within noise
    assert rate["within_noise"]
    assert (rate["target"], rate["target_status"]) == (0.06, "missed")


def test_a_ratio_changes_in_points_never_in_percent():
    months = pd.period_range(MONTH - 1, MONTH, freq="M")
    trend = pd.DataFrame(
        {"month": months, "kpi": "roi", "value": [3.0, 20.31], "unit": "fraction",
         "better": "higher"}
    )  # fmt: skip
    tile = summary.tiles(trend, MONTH).iloc[0]
    assert tile["change"] == pytest.approx(17.31)  # not +577 %
    shown = summary_tables.format_tile_change(tile["change"], "points", "fraction")
    assert shown == "+1,731.0\xa0pp"
    es = summary_tables.format_tile_change(tile["change"], "points", "fraction",
                                           lang="es")  # fmt: skip
    assert es == "+1.731,0\xa0p. p."
    html = summary_tables.tiles_html(summary.tiles(trend, MONTH), MONTH).data
    assert "+1,731.0\xa0pp" in html and "577" not in html


@settings(max_examples=50, deadline=None)
@given(
    before=st.floats(0.5, 1e6),
    after=st.floats(0, 1e6),
    unit=st.sampled_from(["count", "currency", "fraction", "multiple"]),
)
def test_change_kind_follows_the_unit(before, after, unit):
    months = pd.period_range(MONTH - 1, MONTH, freq="M")
    trend = pd.DataFrame(
        {"month": months, "kpi": "k", "value": [before, after], "unit": unit,
         "better": "lower"}
    )  # fmt: skip
    tile = summary.tiles(trend, MONTH).iloc[0]
    if unit in ("fraction", "multiple"):
        assert tile["change_kind"] == "points"
        assert tile["change"] == pytest.approx(after - before)
    else:
        assert tile["change_kind"] == "relative"
        assert tile["change"] == pytest.approx((after - before) / before)
    assert pd.isna(tile["year_ago"])  # no year-ago month in the frame: unknown


def test_a_tile_without_a_value_says_unknown_and_why():
    months = pd.period_range(MONTH - 1, MONTH, freq="M")
    trend = pd.DataFrame(
        {"month": months, "kpi": "cac", "value": [np.nan, np.nan],
         "unit": "currency", "better": "lower",
         "reason": "needs the `spend` table"}
    )  # fmt: skip
    tiles = summary.tiles(trend, MONTH)
    assert tiles.loc[0, "reason"] == "needs the `spend` table"
    html = summary_tables.tiles_html(tiles, MONTH, lang="es").data
    assert "sin dato" in html and "needs the `spend` table" in html


def test_channels_keep_one_order_and_one_colour():
    assert channel_order(["events", "zeta", "paid_search", None]) == [
        "paid_search", "events", "zeta"
    ]  # fmt: skip
    first = dict(zip(["events", "email"], channel_colours(["events", "email"]),
                     strict=True))  # fmt: skip
    second = dict(
        zip(["paid_social", "email", "events"],
            channel_colours(["paid_social", "email", "events"]), strict=True)
    )  # fmt: skip
    assert first["events"] == second["events"] and first["email"] == second["email"]
    assert len(set(channel_colours(leadkpi.channels.CHANNELS))) == 10


# --- the sample company ---------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    data = leadkpi.load("leadkpi.yaml").as_of(MONTH.end_time)
    trend = leadkpi.compute(
        data, summary.TILE_KPIS, by=("month",), mode="period", start=MONTH - 12,
        end=MONTH,
    )  # fmt: skip
    targets = data.config.targets
    tiles = summary.tiles(trend, MONTH, targets=targets)
    channels = summary.dimension_numbers(data, MONTH, targets=targets)
    owners = leadkpi.speed_to_lead(data, by=("owner",), start=MONTH - 11, end=MONTH)
    found = summary_findings.findings(
        tiles, channels, trend=trend, owners=owners, checks=leadkpi.checks(data)
    )
    return {"data": data, "trend": trend, "tiles": tiles, "channels": channels,
            "found": found}  # fmt: skip


def test_per_channel_targets_are_flagged_and_overall_ones_are_not(sample):
    channels = sample["channels"]
    cpl = channels[channels["kpi"] == "cost_per_lead"].set_index("channel")
    # leadkpi.yaml: cost_per_lead 60 overall, paid_search 80, events 300
    assert cpl.loc["paid_search", "value"] == pytest.approx(6850.53 / 76)
    assert (cpl.loc["paid_search", "target"], cpl.loc["paid_search", "status"]) == (
        80.0, "missed"
    )  # fmt: skip
    assert cpl.loc["events", "status"] == "met"
    assert cpl.drop(index=["paid_search", "events"])["target"].isna().all()
    leads = channels[channels["kpi"] == "leads"]
    assert leads["target"].isna().all()  # 300 leads is the month's, not a channel's
    shown = summary_tables.dimension_html(channels, "channel", MONTH).data
    assert "target €80.00: missed" in shown


def test_findings_name_the_planted_effects(sample):
    found = {f.kind: f for f in sample["found"]}
    assert 3 <= len(sample["found"]) <= 6
    # events: the highest cost per lead, yet the lowest CAC
    cac = found["channel_cac"]
    assert cac.subject == "events" and "best_cost_per_lead" in cac.numbers
    # paid social: the cheapest leads and no customer
    idle = found["no_customers"]
    assert idle.subject == "paid_social" and idle.numbers["cheapest"]
    # the slow rep
    slow = found["sla_outlier"]
    assert slow.subject == "Raúl Delgado"
    assert slow.numbers["rate"] == pytest.approx(24 / 489)
    # the paid-search CPL above its own target
    missed = found["targets_missed"].items
    assert {"kpi": "cost_per_lead", "level": "paid_search"}.items() <= next(
        i for i in missed if i["level"] == "paid_search"
    ).items()
    # the largest move beyond noise and what drove it
    move = sample["found"][0]
    assert move.kind == "move" and move.kpi == "cost_per_lead"
    assert move.driver["component"] == "spend"
    assert move.driver["channel"] == "events"
    sentences = [findings_tables.finding_text(f) for f in sample["found"]]
    words = " ".join(sentences)
    for fact in (
        "Cost per lead fell 30.8%",
        "Events & webinars has the highest cost per lead",
        "Paid social brings the cheapest leads",
        "Raúl Delgado answers 4.9%",
        "Cost per lead of paid search €90.14 against a target of €80.00",
    ):
        assert fact in words, (fact, sentences)
    es = " ".join(findings_tables.finding_text(f, lang="es") for f in sample["found"])
    assert "Coste por lead: bajó un 30,8\xa0%" in es
    assert "El canal redes sociales de pago trae los leads más baratos" in es
    assert "Raúl Delgado atiende el 4,9\xa0%" in es


def test_summary_renders_without_spend(sample):
    bare = sample["data"].with_tables(spend=None, costs=None)
    trend = leadkpi.compute(
        bare, summary.TILE_KPIS, by=("month",), mode="period", start=MONTH - 12,
        end=MONTH,
    )  # fmt: skip
    tiles = summary.tiles(trend, MONTH, targets=bare.config.targets)
    cpl = tiles.set_index("kpi").loc["cost_per_lead"]
    assert np.isnan(cpl["value"]) and isinstance(cpl["reason"], str)
    channels = summary.dimension_numbers(bare, MONTH, targets=bare.config.targets)
    found = summary_findings.findings(tiles, channels, trend=trend)
    assert {f.kind for f in found} <= {"move", "targets_missed"}
    assert "unknown" in summary_tables.tiles_html(tiles, MONTH).data
    es = summary_tables.tiles_html(tiles, MONTH, lang="es").data
    assert "sin dato" in es and "necesita la tabla de inversión" in es
    assert summary_tables.dimension_html(channels, "channel", MONTH).data
    assert findings_tables.findings_markdown(found, MONTH, lang="es").data


def test_a_ratio_over_zero_says_why_it_is_unknown():
    months = pd.period_range(MONTH - 1, MONTH, freq="M")
    trend = pd.DataFrame(
        {"month": months, "kpi": "cac", "value": [500.0, np.nan],
         "numerator": [1000.0, 800.0], "denominator": [2.0, 0.0],
         "unit": "currency", "better": "lower"}
    )  # fmt: skip
    tiles = summary.tiles(trend, MONTH)
    assert tiles.loc[0, "zero_denominator"] and np.isnan(tiles.loc[0, "change"])
    html = summary_tables.tiles_html(tiles, MONTH).data
    assert "unknown" in html and "its denominator is zero" in html


def test_reasons_read_in_spanish():
    said = summary_tables.reason_text(
        "needs the spend table (to tell paid channels); the spend table has no rows "
        "for month 2026-10, channel 'email'",
        lang="es",
    )
    assert said == (
        "necesita la tabla de inversión (para distinguir los canales de pago); la "
        "tabla de inversión no tiene filas para mes 2026-10, canal 'email'"
    )
    assert summary_tables.reason_text("something new", lang="es") == "something new"


@pytest.mark.parametrize("limit", [1, 3, 6])
def test_findings_keep_to_their_limit_and_read_in_both_languages(sample, limit):
    found = summary_findings.findings(
        sample["tiles"], sample["channels"], trend=sample["trend"], limit=limit
    )
    assert 1 <= len(found) <= limit
    if limit == 1:  # the largest move comes first
        assert found[0].kind == "move"
    for lang in ("en", "es"):
        for finding in found:
            sentence = findings_tables.finding_text(finding, lang=lang)
            assert sentence.endswith(".") and "{" not in sentence


def test_channel_rows_follow_the_one_channel_order(sample):
    shown = summary_tables.dimension_html(sample["channels"], "channel", MONTH).data
    at = [
        shown.index(f">{name}<")
        for name in (
            "Paid search",
            "Organic search",
            "Paid social",
            "Events &amp; webinars",
        )
    ]
    assert at == sorted(at)
