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
from leadkpi.schemas import TABLES

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
                "created_at = 'not a date' is not a timestamp like "
                "YYYY-MM-DD[ hh:mm[:ss]][±hh:mm]",
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


def test_sample_project_loads_every_source_without_rejects(sample_config):
    data = load(sample_config)
    config = data.config
    assert [r.path for r in data.loads] == [s.path for s in config.sources]
    assert len(config.sources_of("spend")) > 1  # one export per ad platform
    assert data.rejects().empty and set(data.tables) == set(TABLES)


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


def test_superseded_rows_name_the_exact_lines_of_exports_with_a_preamble(tmp_path):
    """Two monthly Google Ads exports overlap on 31 October; the later one wins."""
    folder = tmp_path / "google"
    head = "Campaign report\n{period}\nCampaign,Day,Cost,Impr.,Clicks\n"
    _write(
        folder / "google-2025-10.csv",
        head.format(period="1 October 2025 - 31 October 2025")
        + "Brand,2025-10-30,1.00,10,1\n"
        + "\n"  # a blank line: the rows below are one line further down
        + "Brand,2025-10-31,2.00,20,2\n"
        + "Generic,2025-10-31,3.00,30,3\n"
        + "Total: Campaigns,,6.00,60,6\n",
    )
    _write(
        folder / "google-2025-11.csv",
        head.format(period="31 October 2025 - 1 November 2025")
        + "Generic,2025-10-31,3.50,35,4\n"
        + "Brand,2025-10-31,2.50,25,3\n"
        + "Brand,2025-11-01,1.00,10,1\n",
    )
    data = load(_config(tmp_path, Source("spend", folder, profile="auto")))
    expected = pd.DataFrame(
        {
            "file": ["google-2025-10.csv", "google-2025-10.csv"],
            "line": [6, 7],
            "reason": [
                "superseded by google-2025-11.csv line 5",
                "superseded by google-2025-11.csv line 4",
            ],
        }
    )
    rejects = data.rejects()[["file", "line", "reason"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(rejects, expected)
    assert data.spend["cost"].tolist() == [1.0, 3.5, 2.5, 1.0]
    assert [r.lines.tolist() for r in data.loads] == [[4], [4, 5, 6]]


def test_loaded_lines_skip_rejects_and_follow_the_rows_when_not_given(tmp_path):
    table = pd.DataFrame({"lead_id": ["L1", "L3"]})
    rejects = pd.DataFrame({"file": ["a.csv"], "line": [3], "reason": ["bad"]})
    csv = LoadResult(table, rejects, "leads", "canonical", Path("a.csv"), 3)
    assert csv.lines.tolist() == [2, 4]
    parquet = LoadResult(table, rejects, "leads", "canonical", Path("a.parquet"), 3)
    assert parquet.lines.tolist() == [1, 2]
    with pytest.raises(AssertionError, match="1 line numbers for 2 loaded rows"):
        LoadResult(
            table, rejects, "leads", "canonical", Path("a.csv"), 3, lines=[2]
        )  # fmt: skip
