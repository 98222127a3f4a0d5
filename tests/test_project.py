"""Projects: folders and globs of exports, several sources per table, last file wins."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi.config import Config, Source
from leadkpi.exceptions import DataFileError
from leadkpi.io import LoadResult
from leadkpi.project import (
    _deduplicate,
    is_superseded,
    load,
    scan_created,
    source_files,
)

HEADER = "lead_id,created_at,source,medium\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def monthly(tmp_path) -> Path:
    """January has L1, L2; February repeats L2 (changed) behind a bad row, adds L3."""
    folder = tmp_path / "leads"
    _write(
        folder / "leads-2025-01.csv",
        HEADER + "L1,2025-01-05T10:00:00Z,google,cpc\nL2,2025-01-06T10:00:00Z,,\n",
    )
    _write(
        folder / "leads-2025-02.csv",
        HEADER + "L9,not a date,,\n"
        "L2,2025-01-06T10:00:00Z,google,organic\nL3,2025-02-01T10:00:00Z,,\n",
    )
    _write(folder / "notes.md", "not an export\n")
    return folder


def _config(tmp_path: Path, *sources: Source) -> Config:
    return Config(sources=sources, path=tmp_path / "leadkpi.yaml")


def test_a_folder_is_read_in_name_order_and_the_last_file_wins(tmp_path, monthly):
    data = load(_config(tmp_path, Source("leads", monthly)))
    leads = data.leads.set_index("lead_id")
    assert sorted(leads.index) == ["L1", "L2", "L3"]
    assert leads.loc["L2", "channel"] == "organic_search"  # February's version
    accounting = data.accounting()
    assert accounting["file"].map(lambda f: Path(f).name).tolist() == [
        "leads-2025-01.csv",
        "leads-2025-02.csv",
    ]
    counts = accounting[["rows_read", "rows_loaded", "rows_rejected"]]
    assert counts.values.tolist() == [[2, 1, 1], [3, 2, 1]]
    rejects = data.rejects()
    expected = pd.DataFrame(
        {
            "file": ["leads-2025-01.csv", "leads-2025-02.csv"],
            "line": [3, 2],
            "reason": [
                "superseded by leads-2025-02.csv line 3",
                "created_at = 'not a date' is not an ISO 8601 timestamp",
            ],
        }
    )
    pd.testing.assert_frame_equal(
        rejects[["file", "line", "reason"]].reset_index(drop=True), expected
    )
    assert is_superseded(rejects).tolist() == [True, False]


def test_a_glob_picks_its_files(tmp_path, monthly):
    source = Source("leads", monthly / "leads-2025-0[2]*.csv")
    assert [p.name for p in source_files(source)] == ["leads-2025-02.csv"]


def test_an_empty_folder_is_one_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataFileError, match="empty: has no export files"):
        load(_config(tmp_path, Source("leads", tmp_path / "empty")))


def test_several_spend_sources_are_concatenated(tmp_path):
    header = "date,channel,campaign,cost\n"
    google = _write(
        tmp_path / "google.csv",
        header + "2025-01-01,paid_search,brand,10\n2025-01-01,paid_search,brand,5\n",
    )
    meta = _write(
        tmp_path / "meta.csv",
        header + "2025-01-01,paid_social,lf,7\n2025-01-02,paid_search,brand,3\n",
    )
    fix = _write(tmp_path / "fix.csv", header + "2025-01-02,paid_search,brand,4\n")
    config = _config(
        tmp_path, Source("spend", google), Source("spend", meta), Source("spend", fix)
    )
    data = load(config)
    # the two rows within google.csv are both kept; meta's 2 Jan row is superseded
    assert data.spend["cost"].tolist() == [10.0, 5.0, 7.0, 4.0]
    assert data.rejects()["reason"].tolist() == ["superseded by fix.csv line 2"]
    assert data.accounting()["rows_loaded"].tolist() == [2, 1, 1]


def test_scan_created_reads_every_file_once_per_lead(tmp_path, monthly):
    created = scan_created(_config(tmp_path, Source("leads", monthly)))
    assert len(created) == 3
    assert str(created.dt.tz) == "UTC"


def test_sample_project_loads_one_file_per_table(sample_config):
    data = load(sample_config)
    assert len(data.loads) == 7 and data.rejects().empty


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 12), min_size=0, max_size=10, unique=True),
        min_size=2,
        max_size=4,
    )
)
def test_last_file_wins_and_every_row_is_accounted_for(files):
    """Each file lists lead numbers; a lead's value is the number of its file."""
    results = []
    for number, ids in enumerate(files):
        table = pd.DataFrame(
            {"lead_id": [f"L{i}" for i in ids], "score": float(number)}
        )
        rejects = pd.DataFrame(columns=["file", "line", "reason"])
        path = Path(f"leads-{number}.csv")
        results.append(LoadResult(table, rejects, "leads", "canonical", path, len(ids)))
    out = _deduplicate(results)
    kept = pd.concat([r.table for r in out], ignore_index=True)
    last = {f"L{i}": float(n) for n, ids in enumerate(files) for i in ids}
    assert kept["lead_id"].is_unique and set(kept["lead_id"]) == set(last)
    assert dict(zip(kept["lead_id"], kept["score"], strict=True)) == last
    for before, after in zip(results, out, strict=True):
        assert (
            after.rows_read
            == before.rows_read
            == after.rows_loaded + len(after.rejects)
        )
        assert is_superseded(after.rejects).all()
