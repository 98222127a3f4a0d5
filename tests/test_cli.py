"""The command line: user errors exit 2 with one line; reports land in reports/."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from leadkpi.cli import main
from leadkpi.kpis import KPIS


def _project(tmp_path: Path) -> Path:
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "lead_id,created_at\nL1,2025-01-10T10:00:00Z\nL2,2025-03-31T10:00:00Z\n"
    )
    config = tmp_path / "leadkpi.yaml"
    config.write_text("sources:\n  leads: leads.csv\n")
    return config


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2025-13"], "invalid month '2025-13': expected YYYY-MM"),
        (
            ["--month", "2025-02"],
            "no leads in 2025-02; months with data: 2025-01, 2025-03",
        ),
        (["--config", "missing.yaml"], "missing.yaml not found"),
        (["--notebook", "nope.ipynb"], "notebook nope.ipynb not found"),
    ],
)
def test_user_errors_exit_2_with_one_line(tmp_path, monkeypatch, capsys, args, message):
    config = _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    code = main(["report", "monthly", "--config", str(config), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "reports").exists()


def test_unknown_report_and_language_are_usage_errors(capsys, sample_config):
    with pytest.raises(SystemExit) as info:
        main(["report", "monthly", "--lang", "fr"])
    assert info.value.code == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err
    assert main(["report", "weekly", "--config", str(sample_config)]) == 2
    err = capsys.readouterr().err
    assert "report='weekly' is not a report or a notebook of the project" in err
    assert "monthly" in err


def test_failing_notebook_exits_1_and_writes_no_html(tmp_path, capsys, root):
    config = _project(tmp_path)
    code = main(
        [
            "report",
            "monthly",
            "--config",
            str(config),
            "--month",
            "2025-01",
            "--out",
            str(tmp_path / "reports"),
            "--quiet",
            "--notebook",
            str(root / "tests/fixtures/notebooks/fails.ipynb"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "cell" in err and "Traceback" not in err
    out = tmp_path / "reports" / "2025-01"
    assert not list(out.glob("*.html"))
    assert list(out.glob("*.failed.ipynb"))


def test_sample_report_lands_with_notebook_and_provenance(sample_report):
    assert sample_report.parent.name == "2026-10"
    assert sample_report.with_suffix(".ipynb").is_file()
    sidecar = json.loads(sample_report.with_suffix(".json").read_text())
    assert sidecar["parameters"]["month"] == "2026-10"
    inputs = {Path(row["file"]).name: row for row in sidecar["inputs"]}
    contacts = "hubspot-crm-exports-all-contacts.csv"
    deals = "hubspot-crm-exports-all-deals.csv"
    assert set(inputs) >= {contacts, "spend.csv", deals}
    leads = inputs[contacts]
    assert leads["rows_read"] == leads["rows_loaded"] + leads["rows_rejected"]
    assert len(leads["sha256"]) == 64


def test_sample_report_html_has_no_code_and_embedded_charts(sample_report):
    html = sample_report.read_text(encoding="utf-8")
    for section in (
        "The month at a glance",
        "What the numbers say",
        "Leads and spend by channel",
        "Top campaigns by spend",
        "Funnel",
        "Data quality appendix",
        "October 2026",
    ):
        assert section in html
    assert "leadkpi.load(" not in html and "import leadkpi" not in html
    assert html.count("data:image/png;base64") >= 3


def _validate(capsys, *argv: str) -> tuple[int, str]:
    code = main(["validate", *argv])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_validate_sample_project_is_clean(capsys, sample_config):
    code, out = _validate(capsys, str(sample_config))
    assert code == 0
    assert "profile hubspot_contacts, table leads" in out
    assert "rows: 6,000 read, 6,000 loaded, 0 rejected" in out
    assert "created_at: 2025-01-01 to 2026-10-31" in out
    assert "[warning] spend_gaps (spend): 62 (9.3%)" in out


def test_validate_files_with_rejected_rows_exits_1(tmp_path, capsys):
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "lead_id,created_at\nL1,2025-01-10T10:00:00Z\nL2,nope\nL1,2025-01-11T10:00:00Z\n"
    )
    code, out = _validate(capsys, str(leads))
    assert code == 1
    assert "rows: 3 read, 1 loaded, 2 rejected" in out
    timestamp = "a timestamp like YYYY-MM-DD[ hh:mm[:ss]][±hh:mm]"
    assert f"line 3: created_at = 'nope' is not {timestamp}" in out
    assert "line 4: lead_id = 'L1' repeats line 2 with different values" in out
    assert "[error] rejected_rows (leads): 2 (66.7%)" in out


def test_validate_unreadable_file_exits_2_with_one_line(tmp_path, capsys):
    bad = tmp_path / "export.csv"
    bad.write_text("id,when\n1,2025-01-01\n")
    good = tmp_path / "leads.csv"
    good.write_text("lead_id,created_at\nL1,2025-01-10T10:00:00Z\n")
    code, out = _validate(capsys, str(bad), str(good))
    assert code == 2
    lines = [line for line in out.splitlines() if "cannot read" in line]
    assert len(lines) == 1 and lines[0].startswith(
        f"cannot read {bad}: columns match no known export: found 'id', 'when'; "
        "closest profiles: "
    )
    code, out = _validate(capsys, str(bad), "--kind", "leads")
    assert code == 2
    assert (
        f"cannot read {bad}: columns match no known export of leads: found 'id', "
        "'when'; closest profiles: canonical (leadkpi leads export) lacks 'lead_id', "
        "'created_at'" in out
    )
    assert "Traceback" not in out


def test_validate_folder_project_counts_superseded_rows_apart(tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    header = "lead_id,created_at\n"
    (folder / "leads-2025-01.csv").write_text(header + "L1,2025-01-10T10:00:00Z\n")
    (folder / "leads-2025-02.csv").write_text(header + "L1,2025-01-10T10:00:00Z\n")
    config = tmp_path / "leadkpi.yaml"
    config.write_text("sources:\n  leads: exports/\n")
    code, out = _validate(capsys, str(config))
    assert code == 0
    assert "rows: 1 read, 0 loaded, 1 rejected (1 superseded by a later file)" in out
    assert "[info] superseded_rows (leads): 1 (50.0%)" in out


def test_validate_project_with_a_missing_file_and_kind_filter(tmp_path, capsys):
    (tmp_path / "leads.csv").write_text("lead_id,created_at\nL1,2025-01-10T10:00:00Z\n")
    config = tmp_path / "leadkpi.yaml"
    config.write_text("sources:\n  leads: leads.csv\n  deals: deals.csv\n")
    code, out = _validate(capsys, str(config))
    assert code == 2
    assert f"cannot read {tmp_path / 'deals.csv'}: not found" in out
    assert "rows: 1 read, 1 loaded, 0 rejected" in out  # the other file still read
    code, out = _validate(capsys, str(config), "--kind", "leads")
    assert code == 0 and "deals.csv" not in out
    code, out = _validate(capsys, str(config), "--profile", "hubspot")
    assert code == 2 and "--profile applies to files" in out


def test_validate_recognises_an_export_and_shows_its_skipped_lines(capsys, root):
    export = root / "tests/fixtures/exports/salesforce/leads.csv"
    code, out = _validate(capsys, str(export))
    assert code == 0
    assert "profile salesforce_leads, table leads" in out
    assert "rows: 5 read, 5 loaded, 0 rejected" in out
    assert "lines skipped (not data): 1 blank, 5 report footer" in out


def test_kpis_lists_the_catalogue_in_either_language(capsys):
    assert main(["kpis", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert "cost_per_lead" in out and "Coste por lead" in out
    assert len(out.splitlines()) == 1 + len(KPIS)  # header + every KPI


def test_kpis_computes_a_tidy_csv(capsys, sample_config):
    argv = ["kpis", "leads", "cost_per_lead", "--config", str(sample_config)]
    argv += ["--by", "month,channel", "--start", "2026-10", "--end", "2026-10"]
    assert main(argv) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(table.columns[:4]) == ["month", "channel", "kpi", "value"]
    assert set(table["kpi"]) == {"leads", "cost_per_lead"}
    assert set(table["month"]) == {"2026-10"}
    paid = table[(table["channel"] == "paid_search") & (table["kpi"] == "leads")]
    assert paid["value"].iloc[0] > 0


def test_kpis_unknown_id_is_a_usage_error(capsys, sample_config):
    assert main(["kpis", "nope", "--config", str(sample_config)]) == 2
    assert "kpis='nope' is not a KPI id" in capsys.readouterr().err
