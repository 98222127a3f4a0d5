"""The command line under careless and hostile use: formulas in CSV output, user
mistakes ending in one line and exit 2, sample data that never clobbers files."""

from __future__ import annotations

import csv
import errno
import io
import os
from pathlib import Path

import pytest

from leadkpi import report_files
from leadkpi.cli import main
from leadkpi.exceptions import ConfigError

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


# --- every user mistake: one line, exit 2; a bug: traceback and a request --------


def _tiny_project(tmp_path: Path) -> Path:
    (tmp_path / "leads.csv").write_text(
        "lead_id,created_at\nL1,2025-01-10T10:00:00Z\nL2,2025-02-03T10:00:00Z\n"
    )
    config = tmp_path / "leadkpi.yaml"
    config.write_text("sources:\n  leads: leads.csv\n")
    return config


def _one_line_error(capsys, code: int, expected: str) -> str:
    err = capsys.readouterr().err
    assert code == 2, err
    errors = [line for line in err.splitlines() if line.startswith("leadkpi: ")]
    assert errors == err.splitlines(), err  # nothing but leadkpi's own lines
    assert errors[-1].startswith("leadkpi: error: "), err
    assert "Traceback" not in err and expected in errors[-1], err
    return errors[-1]


def _report(config: Path, out: Path, *extra: str) -> list[str]:
    notebook = Path(__file__).parent / "fixtures" / "notebooks" / "plain.ipynb"
    return ["report", "monthly", "--config", str(config), "--notebook",
            str(notebook), "--out", str(out), "--quiet", *extra]  # fmt: skip


def test_out_pointing_at_a_file(tmp_path, capsys):
    config = _tiny_project(tmp_path)
    (tmp_path / "taken").write_text("not a folder")
    code = main(_report(config, tmp_path / "taken"))
    _one_line_error(capsys, code, "a file is in the way, not a folder")
    assert (tmp_path / "taken").read_text() == "not a folder"


def test_report_file_name_taken_by_a_folder(tmp_path, capsys):
    config = _tiny_project(tmp_path)
    (tmp_path / "out" / "2025-01" / "monthly_report.html").mkdir(parents=True)
    code = main(_report(config, tmp_path / "out", "--month", "2025-01"))
    _one_line_error(capsys, code, "monthly_report.html is a folder")
    assert not list((tmp_path / "out" / "2025-01").glob(".*.tmp"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_out_in_a_read_only_folder(tmp_path, capsys):
    config = _tiny_project(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    code = main(_report(config, locked / "reports"))
    _one_line_error(capsys, code, "Permission denied")


def test_full_disk_while_writing_the_report(tmp_path, capsys, monkeypatch):
    config = _tiny_project(tmp_path)
    month = tmp_path / "out" / "2025-01"
    month.mkdir(parents=True)
    older = {f"monthly_report{ext}": f"older {ext}" for ext in (".html", ".ipynb")}
    for name, text in older.items():
        (month / name).write_text(text)
    (month / ".monthly_report.0badc0ffee00.tmp").mkdir()  # left by a killed render

    def full(path, mode="r", *args, **kwargs):
        if "w" in mode:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(report_files, "open", full, raising=False)
    code = main(_report(config, tmp_path / "out", "--month", "2025-01"))
    _one_line_error(capsys, code, "No space left on device")
    assert sorted(p.name for p in month.iterdir()) == sorted(older)  # nothing else
    assert all((month / n).read_text() == t for n, t in older.items())


def test_sample_data_with_no_leads(tmp_path, capsys):
    code = main(["sample-data", str(tmp_path / "s"), "--leads", "0"])
    _one_line_error(capsys, code, "n_leads=0 must be at least 1")
    assert not (tmp_path / "s").exists()


def test_kpis_with_a_start_that_is_not_a_period(tmp_path, capsys):
    config = _tiny_project(tmp_path)
    code = main(["kpis", "leads", "--config", str(config), "--start", "garbage"])
    expected = "start='garbage' is not a period; expected '2026' (year)"
    _one_line_error(capsys, code, expected)


def test_an_unreadable_export_is_one_line(tmp_path, capsys, monkeypatch):
    config = _tiny_project(tmp_path)

    def unreadable(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", "leads.csv")

    monkeypatch.setattr("leadkpi.project.load", unreadable)
    code = main(["kpis", "leads", "--config", str(config)])
    _one_line_error(capsys, code, "Permission denied: leads.csv")


def test_leadkpi_errors_print_as_one_line_with_controls_escaped(
    tmp_path, capsys, monkeypatch
):
    def fails(args):
        raise ConfigError("leadkpi.yaml: 2 problems\n  - a\x1b[2J\n  - b")

    monkeypatch.setattr("leadkpi.cli._kpis", fails)
    code = main(["kpis", "leads"])
    err = _one_line_error(capsys, code, "leadkpi.yaml: 2 problems; - a\\x1b[2J; - b")
    assert "\x1b" not in err


def test_a_bug_shows_its_traceback_and_asks_to_be_reported(capsys, monkeypatch):
    def bug(args):
        return 1 / 0

    monkeypatch.setattr("leadkpi.cli._kpis", bug)
    assert main(["kpis", "leads"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError" in err
    assert "this is a bug in leadkpi" in err.splitlines()[-1]
    assert "report it" in err


# --- sample-data never clobbers, and writes all files or none --------------------


def test_sample_data_refuses_a_folder_with_files(tmp_path, capsys):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "spend.csv").write_text("my own numbers")
    code = main(["sample-data", str(target), "--leads", "50"])
    _one_line_error(capsys, code, "is not empty")
    assert [p.name for p in target.iterdir()] == ["spend.csv"]
    assert (target / "spend.csv").read_text() == "my own numbers"


def test_sample_data_force_replaces_its_files_and_keeps_others(tmp_path, capsys):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "spend.csv").write_text("old sample")
    (target / "notes.txt").write_text("mine")
    assert main(["sample-data", str(target), "--leads", "50", "--force"]) == 0
    written = capsys.readouterr().out.splitlines()
    assert len(written) == 13 and str(target / "spend.csv") in written
    assert (target / "spend.csv").read_text().startswith("date,channel,campaign")
    assert (target / "notes.txt").read_text() == "mine"
    assert not list(target.glob(".*"))  # no staging folder left


@pytest.mark.parametrize("exists", [False, True])
def test_sample_data_failing_midway_writes_nothing(
    tmp_path, capsys, monkeypatch, exists
):
    target = tmp_path / "new"
    if exists:
        target.mkdir()
    real, calls = Path.write_bytes, []

    def flaky(self, data):
        calls.append(self)
        if len(calls) == 5:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", flaky)
    code = main(["sample-data", str(target), "--leads", "50"])
    _one_line_error(capsys, code, "No space left on device")
    assert len(calls) == 5
    if exists:
        assert list(target.iterdir()) == []
    else:
        assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
