"""One question, one number: the engine, the analyses, the CLI and the report agree.

Each test asks one question in every place that answers it and compares the
answers, on the sample company (October 2026 unless said otherwise) or on a
hand-made table.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import leadkpi
from leadkpi import LeadData, compute, funnel
from leadkpi.cli import main
from leadkpi.exceptions import ArgumentError
from leadkpi.present import plots

OCT = {"start": "2026-10", "end": "2026-10"}
STAGE_KPIS = {
    "lead": "leads",
    "mql": "mqls",
    "sql": "sqls",
    "opportunity": "opportunities",
    "customer": "customers",
}


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def data():
    return leadkpi.load(ROOT / "leadkpi.yaml")


def _values(result: pd.DataFrame) -> dict[str, float]:
    return dict(zip(result["kpi"], pd.DataFrame(result)["value"], strict=True))


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


# --- 1. stage counts -----------------------------------------------------------


@pytest.mark.parametrize("mode", ["period", "cohort"])
def test_stage_counts_are_the_funnels_in_engine_and_cli(data, capsys, mode):
    table = funnel(data, mode=mode, **OCT).set_index("stage")
    engine = _values(compute(data, list(STAGE_KPIS.values()), by=(), mode=mode, **OCT))
    code, out, _ = _cli(
        capsys, "kpis", *STAGE_KPIS.values(), "--by", "month", "--mode", mode,
        "--start", "2026-10", "--end", "2026-10",
        "--config", str(data.config.path),
    )  # fmt: skip
    cli = pd.read_csv(io.StringIO(out)).set_index("kpi")["value"]
    assert code == 0
    for stage, kpi in STAGE_KPIS.items():
        assert table.loc[stage, "count"] == engine[kpi] == cli[kpi], (stage, mode)
    assert table.loc["mql", "skipped"] > 0  # the sample has skipped MQLs


def test_recorded_counts_keep_their_own_name(data):
    got = _values(compute(data, ["mqls", "mqls_recorded"], by=(), mode="period", **OCT))
    skipped = funnel(data, mode="period", **OCT).set_index("stage").loc["mql"]
    assert got["mqls"] - got["mqls_recorded"] == skipped["skipped"]


def test_skipped_stage_by_hand():
    leads = pd.DataFrame(
        {
            "lead_id": ["a", "b", "c"],
            "created_at": ["2025-01-02T09:00:00Z"] * 3,
            "mql_at": ["2025-01-03T09:00:00Z", None, None],
            "sql_at": ["2025-01-04T09:00:00Z", "2025-02-05T09:00:00Z", None],
        }
    )
    data = LeadData(leads=leads)
    got = compute(data, ["mqls", "mqls_recorded", "lead_to_mql_rate"], by=("month",))
    wide = pd.DataFrame(got).pivot(index="month", columns="kpi", values="value")
    # b skipped MQL: reached it with its SQL, in February (cohort: January's lead)
    assert wide.loc[pd.Period("2025-01", "M"), "mqls"] == 2
    assert wide.loc[pd.Period("2025-01", "M"), "mqls_recorded"] == 1
    assert wide.loc[pd.Period("2025-01", "M"), "lead_to_mql_rate"] == pytest.approx(
        2 / 3
    )
    period = compute(data, "mqls", by=("month",), mode="period")
    assert list(pd.DataFrame(period)["value"]) == [1, 1]  # January, then February


# --- 11. the same mistake, the same error ---------------------------------------


BAD = [
    ({"by": ("month", "chanel")}, "by='chanel'.*did you mean 'channel'"),
    ({"start": "2026-13"}, "start='2026-13' is not a period"),
    ({"end": "oct"}, "end='oct' is not a period"),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD)
def test_bad_arguments_raise_one_error_everywhere(data, kwargs, message):
    by_period = [
        lambda **kw: compute(data, "leads", **kw),
        lambda **kw: funnel(data, **kw),
        lambda **kw: leadkpi.time_between(data, "lead", "customer", **kw),
        lambda **kw: leadkpi.speed_to_lead(data, **kw),
        lambda **kw: leadkpi.response_buckets(data, **kw),
        lambda **kw: leadkpi.churn_table(data, **kw),
    ]
    # the cohort analyses take dimensions only (their cohorts are months)
    by_dims = [
        lambda **kw: leadkpi.cohort_matrix(data, "customer", **kw),
        lambda **kw: leadkpi.retention_matrix(data, **kw),
        lambda **kw: leadkpi.ltv_table(data, **kw),
    ]
    if "by" in kwargs:
        dims = {"by": ("chanel",)}
        calls = [(c, kwargs) for c in by_period] + [(c, dims) for c in by_dims]
    else:
        calls = [(c, kwargs) for c in by_period + by_dims[:1] + by_dims[2:]]
    for call, given in calls:
        with pytest.raises(ArgumentError, match=message):
            call(**given)


def test_by_mnth_is_refused(data):
    with pytest.raises(ArgumentError, match="by='mnth'.*did you mean 'month'"):
        compute(data, "leads", by=("mnth",))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["leads", "--by", "mnth"], "by='mnth'"),
        (["leads", "--start", "2026-13"], "start='2026-13'"),
        (["leads", "--end", "oct"], "end='oct'"),
        (["cpl"], "kpis='cpl' is not a KPI id"),
    ],
)
def test_cli_exits_2_with_the_same_one_line(data, capsys, argv, message):
    code, out, err = _cli(capsys, "kpis", *argv, "--config", str(data.config.path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert re.search(message, err)


def test_unknown_kpi_and_target_ids(data):
    with pytest.raises(ArgumentError, match="kpis='cost_per_leed'.*'cost_per_lead'"):
        compute(data, "cost_per_leed")
    result = compute(data, "leads", by=("month",), **OCT)
    with pytest.raises(ArgumentError, match="targets='leeds'.*did you mean 'leads'"):
        leadkpi.add_targets(result, {"leeds": 300})


def test_plots_refuse_the_wrong_table(data):
    speed = leadkpi.speed_to_lead(data, **OCT)
    for plot, source in [
        (plots.plot_funnel, "leadkpi.funnel()"),
        (plots.plot_ltv, "leadkpi.ltv_table()"),
        (plots.plot_time_to_stage, "leadkpi.time_to_stage()"),
        (plots.plot_stage_durations, "leadkpi.stage_durations()"),
    ]:
        with pytest.raises(ArgumentError, match=f"table= lacks .*{re.escape(source)}"):
            plot(speed, ax=plt.gca())
    with pytest.raises(ArgumentError, match="kpi='cpl' is not a KPI of the table"):
        plots.plot_trend(compute(data, "leads", **OCT), "cpl", ax=plt.gca())
    assert np.isfinite(speed["within_sla_rate"]).all()


# --- 2. durations -------------------------------------------------------------


@pytest.fixture
def backwards() -> LeadData:
    """Four leads created on 2 January; c was won a day *before* it was created,
    and e (February) only has a backwards response."""
    day = pd.Timedelta(days=1)
    created = pd.Timestamp("2025-01-02T09:00:00Z")
    feb = pd.Timestamp("2025-02-03T09:00:00Z")
    return LeadData(
        leads=pd.DataFrame(
            {
                "lead_id": ["a", "b", "c", "d", "e"],
                "created_at": [created] * 4 + [feb],
                "won_at": [
                    created + 2 * day,
                    created + 4 * day,
                    created - day,
                    created + 6 * day,
                    None,
                ],
                "first_response_at": [created + pd.Timedelta(hours=1)] * 4
                + [feb - pd.Timedelta(hours=2)],
            }
        )  # fmt: skip
    )


def test_negative_durations_are_left_out_and_counted_everywhere(backwards):
    kpis = ["time_to_conversion", "time_to_conversion_p90", "lead_response_time"]
    got = pd.DataFrame(compute(backwards, kpis, by=("month",))).set_index(
        ["month", "kpi"]
    )
    jan, feb = pd.Period("2025-01", "M"), pd.Period("2025-02", "M")
    median = got.loc[(jan, "time_to_conversion")]
    assert median["value"] == 4 * 86_400  # median of 2, 4 and 6 days, not of -1 too
    assert median["n"] == 3
    assert median["reason"] == "1 left out: won_at before created_at"
    p90 = got.loc[(jan, "time_to_conversion_p90")]
    assert p90["value"] == pytest.approx((4 + 0.8 * 2) * 86_400) and p90["n"] == 3
    only_wrong = got.loc[(feb, "lead_response_time")]
    assert np.isnan(only_wrong["value"]) and only_wrong["n"] == 0
    assert only_wrong["reason"] == "1 left out: first_response_at before created_at"
    between = leadkpi.time_between(backwards, "lead", "customer").iloc[0]
    assert (between["count"], between["median"], between["negative"]) == (
        median["n"],
        median["value"],
        1,
    )
    speed = leadkpi.speed_to_lead(backwards, by=("month",)).set_index("month")
    assert speed.loc[feb, "before_created"] == 1
    assert np.isnan(speed.loc[feb, "median_seconds"])


def test_duration_unit_reads_as_a_timedelta(data):
    got = pd.DataFrame(compute(data, "time_to_conversion", by=()))
    row = got.iloc[0]
    assert row["unit"] == "seconds"
    span = pd.to_timedelta(row["value"], unit=row["unit"])
    median = leadkpi.time_between(data, "lead", "customer")["median"].iloc[0]
    assert span == pd.to_timedelta(median, unit="s") and span > pd.Timedelta(days=7)


# --- 3. the clock of the SLA ----------------------------------------------------


def test_sla_rate_follows_business_hours(data):
    import dataclasses

    from leadkpi.config import BusinessHours

    office = data.with_config(
        dataclasses.replace(data.config, business_hours=BusinessHours())
    )
    rates = {}
    for name, project in (("calendar", data), ("business", office)):
        engine = _values(
            compute(project, ["contacted_within_sla_rate", "lead_response_time"],
                    by=(), **OCT)
        )  # fmt: skip
        speed = leadkpi.speed_to_lead(project, **OCT).iloc[0]
        assert speed["clock"] == name
        assert engine["contacted_within_sla_rate"] == speed["within_sla_rate"]
        assert engine["lead_response_time"] == speed["median_seconds"]
        rates[name] = engine["contacted_within_sla_rate"]
    assert rates["business"] != rates["calendar"]


# --- 10. channel from source ---------------------------------------------------


def test_sources_that_name_a_channel_are_that_channel_everywhere():
    sources = ["organic_search", "paid_search", "social", "email", "referral",
               "display", "direct_traffic", "ORGANIC_SEARCH", "acme"]  # fmt: skip
    expected = ["organic_search", "paid_search", "organic_social", "email",
                "referral", "display", "direct", "organic_search", "other"]  # fmt: skip
    leads = pd.DataFrame(
        {
            "lead_id": [f"l{i}" for i in range(len(sources))],
            "created_at": ["2025-01-05T10:00:00Z"] * len(sources),
            "source": sources,
        }
    )
    web = pd.DataFrame(
        {"date": ["2025-01-05"] * len(sources), "source": sources, "sessions": 1}
    )
    data = LeadData(leads=leads, web=web)
    assert data.leads["channel"].tolist() == expected
    assert data.web["channel"].tolist() == expected
    counts = pd.DataFrame(compute(data, "leads", by=("channel",)))
    assert dict(zip(counts["channel"], counts["value"], strict=True)) == {
        "direct": 1, "display": 1, "email": 1, "organic_search": 2,
        "organic_social": 1, "other": 1, "paid_search": 1, "referral": 1,
    }  # fmt: skip
    stages = funnel(data, by=("channel",), stages=[("lead", "created_at")])
    assert stages.set_index("channel").loc["organic_search", "count"] == 2


# --- 6. ROI and ROAS basis ------------------------------------------------------


def test_roas_sets_paid_revenue_against_spend_at_every_grain(data):
    span = {"start": "2026-01", "end": "2026-10"}
    kpis = ["roas", "roi", "blended_roas", "blended_roi", "revenue", "spend"]
    total = _values(compute(data, kpis, by=(), **span))
    rows = pd.DataFrame(compute(data, kpis, by=("channel",), **span))
    wide = rows.pivot(index="channel", columns="kpi", values="value")
    paid = wide[wide["spend"].notna()]
    # per channel: the channel's revenue over the channel's spend
    assert np.allclose(paid["roas"], paid["revenue"] / paid["spend"])
    assert wide.loc["organic_search", ["roas", "roi"]].isna().all()
    # at the total: the paid channels' revenue over all spend; blended: all revenue
    assert total["roas"] == pytest.approx(paid["revenue"].sum() / total["spend"])
    assert total["roi"] == pytest.approx(total["roas"] - 1)
    assert total["blended_roas"] == pytest.approx(total["revenue"] / total["spend"])
    assert total["blended_roi"] == pytest.approx(total["blended_roas"] - 1)
    assert total["blended_roas"] > total["roas"]  # organic customers count there


def test_both_bases_are_in_the_catalogue_in_both_languages():
    for lang, words in (("en", "Blended ROAS"), ("es", "ROAS combinado")):
        table = leadkpi.catalogue(lang).set_index("id")
        assert table.loc["blended_roas", "name"] == words
        assert "organic" in table.loc["blended_roas", "definition"] or lang == "es"
        assert (
            table.loc["roas", "definition"] != table.loc["blended_roas", "definition"]
        )
        assert "paid_revenue" in table.loc["roas", "formula"]


# --- 8. LTV ---------------------------------------------------------------------


def test_ltv_lifetime_is_capped_in_engine_and_table(data):
    import dataclasses

    table = leadkpi.ltv_table(data).set_index("channel")
    rare = table["monthly_churn"].idxmin()  # the churn that would explode 1 / churn
    row = table.loc[rare]
    assert 1 / row["monthly_churn"] > 60
    assert row["ltv_formula"] == pytest.approx(row["arpa"] * 60)
    assert bool(row["few_lost"]) == (row["customers_lost"] < 30)
    assert list(table.columns[:4]) == [
        "customers", "horizon", "mature_customers", "ltv_empirical"
    ]  # fmt: skip  # the realised LTV first
    shorter = data.with_config(dataclasses.replace(data.config, ltv_max_months=24))
    assert leadkpi.ltv_table(shorter).set_index("channel").loc[
        rare, "ltv_formula"
    ] == pytest.approx(row["arpa"] * 24)
    # the engine's ltv follows the same cap, month by month
    engine = pd.DataFrame(compute(shorter, ["ltv", "churn_rate"], by=("month",)))
    ltv = engine[engine["kpi"] == "ltv"].set_index("month")
    churn = engine[engine["kpi"] == "churn_rate"].set_index("month")
    at_start, lost = churn["denominator"], churn["numerator"]
    lifetime = np.minimum(at_start / lost.where(lost > 0), 24).fillna(24)
    expected = ltv["numerator"] / at_start * lifetime
    known = at_start > 0
    assert known.sum() > 12
    assert np.allclose(ltv.loc[known, "value"], expected[known])
    assert (lifetime[known] == 24).any() and (lifetime[known] < 24).any()


def test_ltv_note_names_the_fragile_cells_escaped(data):
    from leadkpi.present.analysis_tables import ltv_display_table, ltv_note

    table = leadkpi.ltv_table(data)
    note = ltv_note(table, cap=60, lang="en").data
    assert "fewer than 30 lost customers" in note and "60 months" in note
    assert "Paid search" in note
    odd = table.assign(channel=["<b>x</b>"] + list(table["channel"][1:]))
    shown_odd = ltv_note(odd, cap=60, lang="es").data
    assert "&lt;b&gt;x&lt;/b&gt;" in shown_odd and "&amp;" not in shown_odd  # once
    shown = ltv_display_table(table).data
    assert list(shown.columns[1:3]) == ["Customers", "Realised LTV"]


# --- 9. small samples in every period shown -------------------------------------


def test_small_samples_are_flagged_in_every_period_shown(data):
    from leadkpi.present.tables import dimension_table, headline_table

    trend = leadkpi.compare(
        compute(data, ["leads", "cac"], by=("month",), start="2026-01", end="2026-10")
    )
    october = pd.Period("2026-10", "M")
    rows = trend[trend["month"] == october].set_index("kpi")
    assert bool(rows.loc["cac", "previous_small_sample"])  # September's CAC too
    shown = headline_table(trend, october).data.set_index("KPI")
    assert shown.loc["Customer acquisition cost (CAC)", "September 2026"].endswith("*")
    assert not shown.loc["Leads generated", "September 2026"].endswith("*")
    ax = plots.plot_trend(trend, "cac", ax=plt.gca())
    small = trend[(trend["kpi"] == "cac") & trend["small_sample"]]
    rings = [line for line in ax.lines if line.get_markerfacecolor() == "white"]
    assert len(rings) == 1 and len(rings[0].get_xdata()) == len(small) > 1
    by_channel = compute(data, ["leads", "cac"], by=("channel",), **OCT)
    table = dimension_table(by_channel, "channel", ["leads", "cac"]).data
    flagged = pd.DataFrame(by_channel).query("kpi == 'leads'")["small_sample"].sum()
    assert table["Leads generated"].str.endswith("*").sum() == flagged > 0


# --- 5. the mode, said and chosen -----------------------------------------------


@pytest.mark.parametrize("mode", ["period", "cohort"])
def test_every_table_and_chart_says_its_mode(data, capsys, mode):
    from leadkpi.present.tables import dimension_table, headline_table

    said = leadkpi.present.i18n.text(f"mode_label_{mode}", "en")
    trend = leadkpi.compare(
        compute(data, ["leads", "cac"], by=("month",), mode=mode, start="2026-09",
                end="2026-10")
    )  # fmt: skip
    october = pd.Period("2026-10", "M")
    assert said in headline_table(trend, october).caption
    by_channel = compute(data, ["leads", "cac"], by=("channel",), mode=mode, **OCT)
    assert said in dimension_table(by_channel, "channel", ["leads", "cac"]).caption
    word = said.split(":")[0]
    for ax in (
        plots.plot_trend(trend, "leads", ax=plt.figure().gca()),
        plots.plot_by_dimension(by_channel, "leads", dim="channel", ax=plt.gca()),
        plots.plot_funnel(funnel(data, mode=mode, **OCT), ax=plt.figure().gca()),
    ):
        assert word in [t.get_text() for t in ax.texts]
    # the CLI asks for the mode and says it in every row
    code, out, _ = _cli(
        capsys, "kpis", "leads", "customers", "--by", "month", "--mode", mode,
        "--start", "2026-10", "--end", "2026-10", "--config", str(data.config.path),
    )  # fmt: skip
    row = pd.read_csv(io.StringIO(out)).set_index("kpi").loc["customers"]
    assert code == 0 and row["mode"] == mode
    engine = _values(compute(data, "customers", by=(), mode=mode, **OCT))
    assert row["value"] == engine["customers"]


def test_a_config_target_for_an_unknown_kpi_stops_the_report(tmp_path, capsys):
    (tmp_path / "leads.csv").write_text(
        "lead_id,created_at\nL1,2025-01-10T10:00:00Z\nL2,2025-01-31T10:00:00Z\n"
    )
    config = tmp_path / "leadkpi.yaml"
    config.write_text("sources:\n  leads: leads.csv\ntargets:\n  leeds: 300\n")
    code, out, err = _cli(capsys, "report", "monthly", "--config", str(config),
                          "--out", str(tmp_path / "reports"))  # fmt: skip
    assert code == 2 and err.count("\n") == 1
    assert "targets='leeds' is not a KPI id; did you mean 'leads'" in err
    assert not (tmp_path / "reports").exists()
