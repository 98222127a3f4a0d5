"""A report's three files are replaced together, under a lock, leaving no debris."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from leadkpi import report_files
from leadkpi.exceptions import OutputError
from leadkpi.report import render

NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"
NAMES = ("report.ipynb", "report.json", "report.html")


def _older(out: Path) -> dict[str, str]:
    out.mkdir(parents=True, exist_ok=True)
    older = {name: f"older {name}" for name in NAMES}
    for name, text in older.items():
        (out / name).write_text(text)
    return older


def _staged(stage: Path, out: Path) -> dict[Path, Path]:
    moves = {}
    for name in NAMES:
        (stage / name).write_text(f"newer {name}")
        moves[stage / name] = out / name
    return moves


def test_commit_replaces_all_three(tmp_path):
    out = tmp_path / "2026-10"
    _older(out)
    with report_files.locked(out), report_files.staging(out, "report") as stage:
        report_files.commit(_staged(stage, out))
    assert {p.name: p.read_text() for p in out.iterdir()} == {
        name: f"newer {name}" for name in NAMES
    }  # and the staging folder is gone


def test_a_failed_move_puts_the_older_files_back(tmp_path, monkeypatch):
    out = tmp_path / "2026-10"
    older = _older(out)
    real, moved = os.replace, []

    def fails_on_the_third(src, dst):
        moved.append(dst)
        if len(moved) == 3:
            raise OSError(5, "Input/output error", str(dst))
        return real(src, dst)

    with report_files.locked(out), report_files.staging(out, "report") as stage:
        moves = _staged(stage, out)
        monkeypatch.setattr(report_files.os, "replace", fails_on_the_third)
        with pytest.raises(OutputError, match="report.html: Input/output error"):
            report_files.commit(moves)
        monkeypatch.setattr(report_files.os, "replace", real)
    assert {p.name: p.read_text() for p in out.iterdir()} == older


def test_a_failed_move_removes_files_that_had_no_older_version(tmp_path, monkeypatch):
    out = tmp_path / "new"
    real, moved = os.replace, []

    def fails_on_the_second(src, dst):
        moved.append(dst)
        if len(moved) == 2:
            raise OSError(28, "No space left on device", str(dst))
        return real(src, dst)

    with report_files.locked(out), report_files.staging(out, "report") as stage:
        moves = _staged(stage, out)
        monkeypatch.setattr(report_files.os, "replace", fails_on_the_second)
        with pytest.raises(OutputError, match="No space left"):
            report_files.commit(moves)
        monkeypatch.setattr(report_files.os, "replace", real)
    assert list(out.iterdir()) == []


def test_staging_removes_what_a_killed_render_left(tmp_path):
    out = tmp_path / "2026-10"
    (out / ".report.0123456789ab.tmp").mkdir(parents=True)
    (out / ".report.0123456789ab.tmp" / "report.ipynb").write_text("half")
    (out / ".report.failed.ba9876543210.tmp").write_text("half")
    (out / ".other.0123456789ab.tmp").mkdir()  # another report's: left alone
    with report_files.locked(out), report_files.staging(out, "report") as stage:
        assert sorted(p.name for p in out.iterdir()) == sorted(
            [".other.0123456789ab.tmp", stage.name]
        )
    assert [p.name for p in out.iterdir()] == [".other.0123456789ab.tmp"]


def test_a_concurrent_render_is_refused_before_it_runs(tmp_path):
    out = tmp_path / "2026-10"
    with report_files.locked(out):
        with pytest.raises(OutputError, match="another process is rendering"):
            render(NOTEBOOKS / "plain.ipynb", {}, out, name="report", progress=False)
    assert list(out.iterdir()) == []
    with report_files.locked(out):  # released: a later render may run
        pass
