"""A leadkpi.yaml whose sources name a backend: loaded, connected, reported on.

The sample's assembled tables are written into a DuckDB file once per module; the
config names them under other table names, so that the mapping is exercised.
"""

from __future__ import annotations

import re
from pathlib import Path

import ibis
import pandas as pd
import pytest
from cli_runs import render_monthly
from warehouse import write_duckdb

import leadkpi
from leadkpi.config import load_config
from leadkpi.exceptions import ConfigError
from leadkpi.project import connect_config, load, scan_created
from leadkpi.warehouse import RemoteData

ROOT = Path(__file__).resolve().parents[1]


def _settings() -> str:
    """The sample config without its sources: settings, stages, targets."""
    text = (ROOT / "leadkpi.yaml").read_text(encoding="utf-8")
    head, rest = text.split("\nsources:\n", 1)
    return head + "\n" + rest[rest.index("\n# Share of revenue") :]


def _write_config(folder: Path, sources: str, *, sample: bool = True) -> Path:
    """leadkpi.yaml in ``folder``: the sample's settings (or only its timezone)
    and ``sources``."""
    path = folder / "leadkpi.yaml"
    settings = _settings() if sample else "timezone: Europe/Madrid\n"
    path.write_text(settings + "\n" + sources, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sample():
    return leadkpi.load_sample()


@pytest.fixture(scope="module")
def project(tmp_path_factory, sample) -> Path:
    """A project folder: crm.duckdb with the sample's tables as crm_<name>, and a
    leadkpi.yaml naming every one of them through a relative duckdb URL."""
    folder = tmp_path_factory.mktemp("warehouse")
    names = {name: f"crm_{name}" for name in sample.tables}
    write_duckdb(sample, folder / "crm.duckdb", names)
    lines = "".join(f"  {name}: {{table: crm_{name}}}\n" for name in sample.tables)
    return _write_config(
        folder, "sources:\n  backend: duckdb:///crm.duckdb\n" + lines
    ).parent


def test_load_reads_the_backend_tables_as_the_frames_they_were(project, sample):
    data = load(project / "leadkpi.yaml")
    assert set(data.tables) == set(sample.tables)
    for name, frame in sample.tables.items():
        pd.testing.assert_frame_equal(
            data.tables[name][list(frame.columns)], frame, check_like=True
        )
    accounting = data.accounting()
    leads = accounting.set_index("table").loc["leads"]
    assert leads["file"].endswith("crm.duckdb/crm_leads")
    assert (leads["rows_read"], leads["rows_loaded"]) == (6000, 6000)
    assert (accounting["rows_read"] == accounting["rows_loaded"]).all()


def test_scan_created_reads_only_the_creation_times(project, sample):
    created = scan_created(load_config(project / "leadkpi.yaml"))
    expected = sample.leads["created_at"].sort_values(ignore_index=True)
    pd.testing.assert_series_equal(
        created.sort_values(ignore_index=True), expected, check_names=False
    )


def test_connect_config_leaves_the_tables_on_the_backend(project):
    remote = connect_config(project / "leadkpi.yaml")
    assert isinstance(remote, RemoteData)
    assert remote.name == "duckdb"
    assert remote.config.timezone == "Europe/Madrid"
    assert remote.leads.count().execute() == 6000
    assert set(remote.tables) >= {"leads", "spend", "web", "deals"}


def test_backend_table_rows_that_do_not_fit_are_rejects_not_lost(tmp_path):
    con = ibis.duckdb.connect(str(tmp_path / "crm.duckdb"))
    con.create_table(
        "leads",
        pd.DataFrame(
            {
                "lead_id": ["a", "b", "c"],
                "created_at": pd.to_datetime(
                    ["2026-01-05", None, "2026-02-01"], utc=True
                ),
            }
        ),
    )
    con.disconnect()
    config = _write_config(
        tmp_path,
        "sources:\n  backend: crm.duckdb\n  leads: {table: leads}\n",
        sample=False,
    )
    data = load(config)
    assert len(data.leads) == 2
    rejects = data.rejects()
    assert list(rejects["line"]) == [2]
    assert "created_at" in rejects["reason"].iloc[0]


def test_a_table_the_backend_lacks_is_named_with_its_key_line_and_closest_name(
    project, tmp_path
):
    url = f"duckdb:///{project / 'crm.duckdb'}"
    config = _write_config(
        tmp_path,
        f"sources:\n  backend: {{url: '{url}', outside_project: true}}\n"
        "  leads: {table: crm_leads}\n"
        "  spend:\n    - table: crm_spnd\n",
    )
    line = config.read_text().splitlines().index("    - table: crm_spnd") + 1
    with pytest.raises(ConfigError) as info:
        load(config)
    message = str(info.value)
    assert f"line {line}: 'sources.spend[0].table'" in message
    assert "has no table 'crm_spnd'; did you mean 'crm_spend'?" in message


def test_a_backend_table_that_cannot_be_canonical_is_named_with_its_line(tmp_path):
    con = ibis.duckdb.connect(str(tmp_path / "crm.duckdb"))
    con.create_table(
        "contacts",
        pd.DataFrame({"lead_id": ["a"], "created": pd.to_datetime(["2026-01-05"])}),
    )
    con.disconnect()
    config = _write_config(
        tmp_path,
        "sources:\n  backend: crm.duckdb\n  leads: {table: contacts}\n",
        sample=False,
    )
    with pytest.raises(ConfigError) as info:
        load(config)
    message = str(info.value)
    assert "line 5: 'sources.leads.table'" in message
    assert "no required column 'created_at' (did you mean 'created'?)" in message


def test_a_backend_that_cannot_be_opened_is_named_with_its_line(tmp_path):
    config = _write_config(
        tmp_path, "sources:\n  backend: duckdb:///nowhere.duckdb\n  leads: {table: x}\n"
    )
    line = config.read_text().splitlines().index("  backend: duckdb:///nowhere.duckdb")
    with pytest.raises(ConfigError, match=rf"line {line + 1}: 'sources.backend' "):
        connect_config(config)
    with pytest.raises(ConfigError, match="no such DuckDB file"):
        load(config)


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        (
            "  leads: {table: leads}\n",
            r"'sources.leads.table' names a backend table, but sources has no "
            r"backend",
        ),
        (
            "  backend: crm.duckdb\n  leads: {table: leads, path: leads.csv}\n",
            r"'sources.leads' has both a path and a table",
        ),
        (
            "  backend: crm.duckdb\n  leads: {table: leads, profile: hubspot}\n",
            r"'sources.leads' reads a backend table, which has no file options: "
            r"profile",
        ),
        (
            "  backend: crm.duckdb\n  spend:\n    - table: a\n    - path: b.csv\n",
            r"'sources.spend\[0\].table' is one of 2 sources of spend; a backend "
            r"table fills its table alone",
        ),
        (
            "  backnd: crm.duckdb\n",
            r"'sources.backnd' is not a table; did you mean 'backend'\?",
        ),
    ],
)
def test_backend_sources_are_checked_with_the_config(tmp_path, sources, message):
    config = _write_config(tmp_path, "sources:\n" + sources)
    with pytest.raises(ConfigError, match=r"line \d+: " + message):
        load_config(config)


@pytest.mark.parametrize(
    "backend", ["duckdb:///../crm.duckdb", "{tmp}/crm.duckdb", "../parquet"]
)
def test_a_backend_outside_the_project_needs_the_opt_in(tmp_path, backend):
    project = tmp_path / "project"
    project.mkdir()
    backend = backend.format(tmp=tmp_path)
    config = _write_config(
        project, f"sources:\n  backend: '{backend}'\n  leads: {{table: leads}}\n"
    )
    with pytest.raises(ConfigError) as info:
        load_config(config)
    message = str(info.value)
    assert f"line {len(_settings().splitlines()) + 3}: 'sources.backend'" in message
    assert "is outside the project folder" in message
    assert f"backend: {{url: '{backend}', outside_project: true}}" in message
    config = _write_config(
        project,
        f"sources:\n  backend: {{url: '{backend}', outside_project: true}}\n"
        "  leads: {table: leads}\n",
    )
    assert load_config(config).backend.tables == {"leads": "leads"}


def test_a_server_backend_is_kept_as_written(tmp_path):
    config = _write_config(
        tmp_path,
        "sources:\n  backend: postgres://crm.example.com/crm\n"
        "  leads: {table: leads}\n",
    )
    assert load_config(config).backend.target == "postgres://crm.example.com/crm"


def test_a_relative_backend_is_found_next_to_the_config(tmp_path):
    config = _write_config(
        tmp_path,
        "sources:\n  backend: duckdb:///db/crm.duckdb\n  leads: {table: leads}\n",
    )
    backend = load_config(config).backend
    assert backend.target == f"duckdb:///{tmp_path.resolve() / 'db' / 'crm.duckdb'}"
    assert backend.tables == {"leads": "leads"}
    assert backend.lines["leads"] == config.read_text().count("\n")


def test_report_monthly_renders_from_a_duckdb_file(project):
    """The command a user runs, in a subprocess as the report tests do (~15 s)."""
    html = render_monthly(project / "leadkpi.yaml", project / "reports", project)
    text = html.read_text(encoding="utf-8")
    assert html.parent.name == "2026-10"
    assert "crm.duckdb/crm_leads" in text  # the provenance names the table
    assert re.search(r"Nubalia Cloud", text)
