"""The lead-quality section of the monthly report, worked by hand."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from IPython.display import Markdown
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from leadkpi import LeadData
from leadkpi.present.scoring_tables import lead_quality_section

# sorted scores 10 20 30 40 60 70 80 90: five equal-count bands cut at the scores
# of positions ceil(q * 7) = 2, 3, 5, 6, that is at 30, 40, 70 and 80
SCORES = {"a": 90, "b": 10, "c": 60, "d": 80, "e": 70, "f": 20, "g": 30, "h": 40}


@pytest.fixture
def scored(small_leads) -> LeadData:
    leads = small_leads.assign(score=small_leads["lead_id"].map(SCORES))
    return LeadData(leads=leads)


def test_section_shows_heading_note_chart_and_table_in_order(scored):
    figures = plt.get_fignums()
    heading, note, fig, table = lead_quality_section(
        scored, pd.Period("2025-02", "M"), lang="es"
    )
    assert isinstance(heading, Markdown) and isinstance(note, Markdown)
    assert heading.data == "## Calidad de los leads"
    assert "febrero de 2025" in note.data
    assert isinstance(fig, Figure) and isinstance(table, Styler)
    assert plt.get_fignums() == figures  # not pyplot's: displayed once, by the caller
    bands = ["≥ 80", "70–80", "40–70", "30–40", "< 30"]
    assert table.data.iloc[:, 0].tolist() == bands
    (ax,) = fig.axes
    assert ax.get_ylabel() == "Tasa MQL→SQL"
    assert [t.get_text() for t in ax.get_xticklabels()] == bands
    # leads by band: a d | e | c h | g | b f; MQL→SQL: a and d (both SQLs), e (an
    # SQL), c (an MQL only), and no MQL at all (no rate) in the two lowest bands
    assert table.data.iloc[:, 1].tolist() == ["2", "1", "2", "1", "2"]
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_array_equal(heights, [1.0, 1.0, 0.0, np.nan, np.nan])


def test_section_without_scores_says_so(small_leads):
    parts = lead_quality_section(LeadData(leads=small_leads), pd.Period("2025-02", "M"))
    assert [p.data for p in parts] == [
        "## Lead quality",
        "Not available: needs a score column in the leads export (see README).",
    ]
