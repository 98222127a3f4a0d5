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


def _publish(out: Path, text: str) -> None:
    with report_files.locked(out), report_files.staging(out, "report") as stage:
        for name in NAMES:
            (stage / name).write_text(f"{text} {name}")
        report_files.publish(stage, "report", {name: out / name for name in NAMES})


def _visible(out: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in out.iterdir() if not p.name.startswith(".")}


def test_publish_switches_all_three_names_by_one_link(tmp_path):
    out = tmp_path / "2026-10"
    _publish(out, "first")
    first = os.readlink(out / ".report.current")
    _publish(out, "second")
    assert _visible(out) == {name: f"second {name}" for name in NAMES}
    # every name leads through the one link, which the switch replaced
    for name in NAMES:
        assert os.readlink(out / name) == f".report.current/{name}"
    version = os.readlink(out / ".report.current")
    assert version != first and not (out / first).exists()  # the old one is gone
    hidden = {p.name for p in out.iterdir() if p.name.startswith(".")}
    assert hidden == {".report.current", version}  # and no staging folder is left


def test_a_failed_switch_leaves_every_name_on_the_older_report(tmp_path, monkeypatch):
    out = tmp_path / "2026-10"
    _publish(out, "older")
    real = os.replace

    def fails(src, dst):
        if Path(dst).name == ".report.current":
            raise OSError(28, "No space left on device", str(dst))
        return real(src, dst)

    monkeypatch.setattr(report_files.os, "replace", fails)
    with pytest.raises(OutputError, match="No space left"):
        _publish(out, "newer")
    monkeypatch.setattr(report_files.os, "replace", real)
    assert _visible(out) == {name: f"older {name}" for name in NAMES}
    _publish(out, "newest")  # and the half-published version is cleared away
    assert _visible(out) == {name: f"newest {name}" for name in NAMES}
    assert len(list(out.glob(".report.*.v"))) == 1


def test_files_of_an_older_layout_become_links(tmp_path):
    out = tmp_path / "2026-10"
    _older(out)
    _publish(out, "newer")
    assert _visible(out) == {name: f"newer {name}" for name in NAMES}
    assert all((out / name).is_symlink() for name in NAMES)


def test_without_links_the_files_are_moved_into_place(tmp_path, monkeypatch):
    out = tmp_path / "2026-10"
    _older(out)

    def no_links(*args, **kwargs):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(report_files.os, "symlink", no_links)
    _publish(out, "newer")
    assert {p.name: p.read_text() for p in out.iterdir()} == {
        name: f"newer {name}" for name in NAMES
    }  # plain files, and no hidden folder left
    assert not any(p.is_symlink() for p in out.iterdir())


def test_another_reports_versions_are_left_alone(tmp_path):
    out = tmp_path / "2026-10"
    with report_files.locked(out), report_files.staging(out, "report.es") as stage:
        (stage / "report.es.html").write_text("es")
        report_files.publish(
            stage, "report.es", {"report.es.html": out / "report.es.html"}
        )
    _publish(out, "first")
    _publish(out, "second")
    assert (out / "report.es.html").read_text() == "es"


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
    (out / ".report.00000000000a.v").mkdir()  # published, never switched to: removed
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
