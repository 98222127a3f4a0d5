"""The command line under careless and hostile use: formulas in CSV output, user
mistakes ending in one line and exit 2, sample data that never clobbers files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from leadkpi.cli import main

#: Channel names that a spreadsheet would run as formulas if written as they are.
FORMULAS = [
    '=HYPERLINK("http://x.test","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "-2+3",
]


def _formula_project(tmp_path: Path) -> Path:
    leads = ["lead_id,created_at,channel,won_at,deal_value"]
    spend = ["date,channel,campaign,cost"]
    for number, channel in enumerate(FORMULAS):
        quoted = '"' + channel.replace('"', '""') + '"'
        leads.append(f"L{number},2025-01-1{number}T10:00:00Z,{quoted},,")
        spend.append(f'2025-01-0{number + 1},{quoted},"=1+1",{100 * (number + 1)}')
    spend.append("2025-01-09,email,newsletter,200")
    # one customer worth 50 for 200 of spend: ROI (50 - 200) / 200 = -0.75
    leads.append("L9,2025-01-20T10:00:00Z,email,2025-01-25T10:00:00Z,50")
    (tmp_path / "leads.csv").write_text("\n".join(leads) + "\n", encoding="utf-8")
    (tmp_path / "spend.csv").write_text("\n".join(spend) + "\n", encoding="utf-8")
    config = tmp_path / "leadkpi.yaml"
    config.write_text("sources:\n  leads: leads.csv\n  spend: spend.csv\n")
    return config


def test_kpis_csv_cannot_run_formulas_but_keeps_negative_numbers(tmp_path, capsys):
    config = _formula_project(tmp_path)
    argv = ["kpis", "leads", "roi", "--by", "channel", "--config", str(config)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out)))
    channels = {row["channel"] for row in rows}
    assert channels == {"'" + name for name in FORMULAS} | {"email"}
    roi = next(r for r in rows if r["channel"] == "email" and r["kpi"] == "roi")
    assert roi["value"] == "-0.75"  # a number stays a number, sign and all
    texts = [cell for row in rows for key, cell in row.items() if key != "value"]
    texts = [cell for cell in texts if cell and not _number(cell)]
    assert texts and not [cell for cell in texts if cell[0] in "=+-@\t\r"]


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True
