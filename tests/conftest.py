"""Shared fixtures: the project root, the sample config, small hand-made tables."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from cli_runs import render_monthly  # noqa: E402

from leadkpi import read  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def sample_config() -> Path:
    return ROOT / "leadkpi.yaml"


@pytest.fixture
def small_leads() -> pd.DataFrame:
    """Eight leads over two months and two channels, worked by hand in the tests.

    January: a (x, won 1000 in Feb), b (x), c (y, MQL only)
    February: d (x, won 500 in Feb), e (x, MQL + SQL), f (y), g (no channel), h (y)
    """
    return pd.DataFrame(
        {
            "lead_id": list("abcdefgh"),
            "created_at": [
                "2025-01-05T10:00:00Z",
                "2025-01-20T10:00:00Z",
                "2025-01-31T22:30:00Z",  # 23:30 in Madrid: still January
                "2025-02-01T09:00:00Z",
                "2025-02-10T09:00:00Z",
                "2025-02-11T09:00:00Z",
                "2025-02-12T09:00:00Z",
                "2025-02-28T23:30:00Z",  # 00:30 on 1 March in Madrid
            ],
            "channel": ["x", "x", "y", "x", "x", "y", None, "y"],
            "mql_at": [
                "2025-01-06T10:00:00Z",
                None,
                "2025-02-02T10:00:00Z",
                "2025-02-02T10:00:00Z",
                "2025-02-11T10:00:00Z",
                None,
                None,
                None,
            ],
            "sql_at": [
                "2025-01-10T10:00:00Z",
                None,
                None,
                "2025-02-03T10:00:00Z",
                "2025-02-12T10:00:00Z",
                None,
                None,
                None,
            ],
            "opportunity_at": [None] * 8,
            "won_at": [
                "2025-02-10T10:00:00Z",
                None,
                None,
                "2025-02-20T10:00:00Z",
                None,
                None,
                None,
                None,
            ],
            "deal_value": [1000.0, None, None, 500.0, None, None, None, None],
        }
    )


@pytest.fixture
def small_spend() -> pd.DataFrame:
    """January: x 100 + y 60; February: x 50 + y 30 + z 20 (z has no leads)."""
    return pd.DataFrame(
        {
            "date": [
                "2025-01-01",
                "2025-01-15",
                "2025-02-01",
                "2025-02-03",
                "2025-02-04",
            ],
            "channel": ["x", "y", "x", "y", "z"],
            "campaign": ["cx", "cy", "cx", "cy", "cz"],
            "cost": [100.0, 60.0, 50.0, 30.0, 20.0],
            "impressions": [1000, 500, 800, 300, 100],
            "clicks": [10, 5, 8, 3, 1],
        }
    )


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory) -> Path:
    """The monthly report of the sample data, rendered once by the real command."""
    out = tmp_path_factory.mktemp("reports")
    html = render_monthly(ROOT / "leadkpi.yaml", out, ROOT)
    assert html.is_file()
    return html


@pytest.fixture
def read_warned():
    """``read_warned(path, match, ...)``: read an export with :func:`leadkpi.read`
    and check that its warnings (kept in the result) include one matching ``match``."""

    def read_and_check(path: Path, match: str, *args, **kwargs):
        result = read(path, *args, **kwargs)
        assert any(re.search(match, m) for m in result.warnings), result.warnings
        return result

    return read_and_check


@pytest.fixture
def draw():
    """Call a plot on a fresh Axes; check it returns that Axes and opens no figure."""

    def draw_on_axes(function, *args, **kwargs):
        fig, ax = plt.subplots()
        before = plt.get_fignums()
        returned = function(*args, ax=ax, **kwargs)
        assert returned is ax
        assert plt.get_fignums() == before
        return ax

    return draw_on_axes
