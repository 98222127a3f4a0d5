"""Paths: sources outside the project only by explicit opt-in, no file content in
errors about files that are not exports, control characters escaped when printed."""

from __future__ import annotations

import pytest

from leadkpi import load
from leadkpi.cli import main
from leadkpi.config import load_config
from leadkpi.exceptions import ConfigError, DataFileError

LEADS = "lead_id,created_at\nL1,2025-01-10T10:00:00Z\n"
SECRET = "root:$6$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"


@pytest.fixture
def outside(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "leads.csv").write_text(LEADS)
    project = tmp_path / "project"
    project.mkdir()
    return project


@pytest.mark.parametrize(
    "path",
    ["../elsewhere/leads.csv", "{tmp}/elsewhere/leads.csv", "../elsewhere/*.csv",
     "link.csv"],
)  # fmt: skip
def test_a_source_outside_the_project_needs_the_opt_in(outside, path):
    (outside / "link.csv").symlink_to(outside.parent / "elsewhere" / "leads.csv")
    path = path.format(tmp=outside.parent)
    config = outside / "leadkpi.yaml"
    config.write_text(f"sources:\n  leads: {{path: '{path}'}}\n")
    with pytest.raises(ConfigError) as info:
        load_config(config)
    message = str(info.value)
    assert f"source 'leads': '{path}' is outside the project folder" in message
    assert "outside_project: true" in message
    config.write_text(f"sources:\n  leads: {{path: '{path}', outside_project: true}}\n")
    assert load(config).leads["lead_id"].tolist() == ["L1"]


@pytest.mark.parametrize("pattern", ["data", "data/*.csv"])
def test_a_link_in_a_source_folder_that_leads_out_needs_the_opt_in(outside, pattern):
    (outside / "data").mkdir()
    (outside / "data" / "a.csv").write_text(LEADS)
    (outside / "data" / "b.csv").symlink_to(outside.parent / "elsewhere" / "leads.csv")
    config = outside / "leadkpi.yaml"
    config.write_text(f"sources:\n  leads: {pattern}\n")
    with pytest.raises(DataFileError) as info:
        load(config)
    message = str(info.value)
    assert "b.csv" in message and "outside the project folder" in message
    assert "outside_project: true" in message
    opt_in = f"{{path: {pattern}, outside_project: true}}"
    config.write_text(f"sources:\n  leads: {opt_in}\n")
    assert load(config).leads["lead_id"].tolist() == ["L1"]


def test_sources_inside_the_project_need_nothing(outside):
    (outside / "data").mkdir()
    (outside / "data" / "leads.csv").write_text(LEADS)
    config = outside / "leadkpi.yaml"
    config.write_text("sources:\n  leads: data/../data/leads.csv\n")
    assert load(config).leads["lead_id"].tolist() == ["L1"]


@pytest.mark.parametrize("profile", ["auto", "canonical"])
def test_errors_do_not_quote_a_file_that_is_not_an_export(tmp_path, profile):
    (tmp_path / "shadow").write_text(SECRET)
    config = tmp_path / "leadkpi.yaml"
    config.write_text(f"sources:\n  leads: {{path: shadow, profile: {profile}}}\n")
    with pytest.raises(DataFileError) as info:
        load(config)
    message = str(info.value)
    assert "no table header (content not shown)" in message
    assert "SECRETHASH" not in message and "root:" not in message


def test_a_near_export_still_shows_its_columns(tmp_path):
    (tmp_path / "leads.csv").write_text("lead_id,created\nL1,2025-01-10\n")
    config = tmp_path / "leadkpi.yaml"
    config.write_text("sources:\n  leads: leads.csv\n")
    with pytest.raises(DataFileError, match="found: lead_id, created"):
        load(config)


def test_control_characters_in_file_names_are_escaped(tmp_path, capsys):
    name = "leads\x1b]0;pwned\x07\x1b[2J.csv"
    (tmp_path / name).write_text(LEADS)
    main(["validate", str(tmp_path / name)])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "leads\\x1b]0;pwned\\x07\\x1b[2J.csv" in out
    target = tmp_path / "sample\x1b[31m"
    assert main(["sample-data", str(target), "--leads", "30"]) == 0
    printed = capsys.readouterr().out
    assert "\x1b" not in printed and "sample\\x1b[31m" in printed
