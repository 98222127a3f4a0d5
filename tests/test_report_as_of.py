"""A report for a past month uses nothing dated after that month.

The sample is written twice as canonical Parquet exports, once whole and once cut
at the end of June 2026 by hand here (rows created later left out, later events
unset); the June report rendered on each must show the same numbers, every one.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

import leadkpi
from leadkpi.cli import main
from leadkpi.report import render

ROOT = Path(__file__).resolve().parents[1]
MONTH = "2026-06"
END = pd.Timestamp("2026-06-30 23:59:59.999999999", tz="Europe/Madrid")
#: table → (the column a row exists from, the event columns that may come later)
CUT = {
    "leads": ("created_at", ("mql_at", "sql_at", "opportunity_at", "won_at",
                             "lost_at", "first_response_at", "opted_out_at",
                             "replied_at", "not_interested_at",
                             "workflow_enrolled_at", "workflow_goal_at",
                             "hard_bounced_at")),
    "deals": ("created_at", ("won_at", "lost_at")),
    "touches": ("touched_at", ()),
    "spend": ("date", ()),
    "email": ("sent_on", ()),
    "web": ("date", ()),
    "customers": ("started_at", ("ended_at",)),
    "costs": ("month", ()),
    "outreach": ("contacted_at", ("request_sent_at", "request_accepted_at",
                                  "message_sent_at", "replied_at", "meeting_at",
                                  "converted_at")),
}  # fmt: skip


def _truncated(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    entry, events = CUT[table]
    when = frame[entry]
    limit = END if when.dt.tz is not None else END.tz_localize(None)
    frame = frame[~(when > limit)].copy()
    for column in events:
        frame.loc[frame[column] > END, column] = pd.NaT
    return frame.reset_index(drop=True)


def _project(folder: Path, tables: dict[str, pd.DataFrame]) -> Path:
    folder.mkdir()
    settings = yaml.safe_load((ROOT / "leadkpi.yaml").read_text(encoding="utf-8"))
    settings["sources"] = {}
    for name, frame in tables.items():
        frame.to_parquet(folder / f"{name}.parquet")
        settings["sources"][name] = f"{name}.parquet"
    config = folder / "leadkpi.yaml"
    text = yaml.safe_dump(settings, allow_unicode=True, sort_keys=False)
    config.write_text(text, encoding="utf-8")
    return config


def _numbers(config: Path, out: Path) -> dict:
    done = render(
        ROOT / "notebooks" / "monthly_report.ipynb",
        {"month": MONTH, "config": str(config), "lang": "en"},
        out,
        progress=False,
        cwd=config.parent,
    )
    return json.loads(done.sidecar.read_text(encoding="utf-8"))["numbers"]


def test_a_past_month_renders_the_same_numbers_on_data_cut_at_its_end(tmp_path, capsys):
    data = leadkpi.load(ROOT / "leadkpi.yaml")
    whole = _project(tmp_path / "whole", data.tables)
    cut = {name: _truncated(name, frame) for name, frame in data.tables.items()}
    assert len(cut["leads"]) < len(data.leads)  # the sample goes on after June
    assert cut["leads"]["won_at"].max() <= END < data.leads["won_at"].max()
    short = _project(tmp_path / "short", cut)
    full = _numbers(whole, tmp_path / "out-whole")
    known = _numbers(short, tmp_path / "out-short")
    assert set(full) == set(known) and len(full) >= 10
    for section in full:
        assert full[section] == known[section], section
    # and the sections hold the engine's answers for June, as of its end
    june = data.as_of(END)
    funnel = _frame(full, "funnel").set_index("stage")["count"]
    assert funnel.notna().all() and (funnel > 0).all()
    engine = leadkpi.compute(
        june,
        ["sessions", "leads", "mqls", "sqls", "opportunities", "customers"],
        by=(),
        mode="period",
        start=MONTH,
        end=MONTH,
    )
    assert funnel.tolist() == engine["value"].tolist()  # one MQL count everywhere
    headline = _frame(full, "headline")
    headline = headline[headline["month"] == MONTH].set_index("kpi")
    again = leadkpi.compute(
        june, ["roas", "cac"], by=("month",), mode="period", start=MONTH, end=MONTH
    ).set_index("kpi")
    for kpi in ("roas", "cac"):
        assert headline.loc[kpi, "value"] == pytest.approx(again.loc[kpi, "value"])
    # the README's command line gives the report's channel table
    capsys.readouterr()
    kpis = "kpis cost_per_lead cac --by month,channel --mode period".split()
    argv = [*kpis, "--start", MONTH, "--end", MONTH, "--config", str(short)]
    assert main(argv) == 0
    cli = pd.read_csv(io.StringIO(capsys.readouterr().out))
    cli = cli.set_index(["channel", "kpi"])["value"]
    channels = _frame(full, "channels").set_index(["channel", "kpi"])["value"]
    shown = channels.loc[cli.index]
    assert len(cli) >= 10 and shown.notna().sum() >= 5
    pd.testing.assert_series_equal(shown, cli, check_names=False, rtol=1e-9)


def _frame(numbers: dict, section: str) -> pd.DataFrame:
    return pd.DataFrame(numbers[section]["rows"], columns=numbers[section]["columns"])
