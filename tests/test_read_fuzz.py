"""Fuzzing read(): whatever the bytes, only a leadkpi error escapes, and a load that
succeeds accounts for every row."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadkpi import read
from leadkpi.exceptions import LeadKPIError

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

# the headers of real exports, as the vendors write them
HEADERS = {
    "hubspot_contacts": [
        "Record ID",
        "Email",
        "Create Date",
        "Lifecycle Stage",
        "Original Source",
        "Became a Marketing Qualified Lead Date",
        "Became a Customer Date",
    ],
    "hubspot_deals": [
        "Record ID",
        "Deal Name",
        "Deal Stage",
        "Amount",
        "Close Date",
        "Create Date",
        "Associated Contact IDs",
    ],
    "salesforce_opportunities": [
        "Opportunity ID",
        "Stage",
        "Amount",
        "Close Date",
        "Created Date",
        "Won",
    ],
    "pipedrive_deals": [
        "Deal - ID",
        "Deal - Title",
        "Deal - Value",
        "Deal - Status",
        "Deal - Deal created",
        "Deal - Won time",
    ],
}

# cells that look like what exports hold, and what they hold when things go wrong
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "101",
            "101;102",
            "2025-03-14 09:21",
            "14/03/2025",
            "31/02/2025",
            "3/14/2025",
            "12000",
            "-5",
            "1.234,56",
            "Closed Won",
            "Paid Search",
            "PAID_SEARCH",
            "--",
            "(not set)",
            "Grand Totals (3 records)",
            "Total",
            '"',
            "a,b",
            "line\nbreak",
        ]
    ),
    st.text(max_size=12),
)


def _run(content: bytes, name: str = "export.csv", **kwargs) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            result = read(path, **kwargs)
        except LeadKPIError:
            return
        assert result.rows_read == result.rows_loaded + result.rows_rejected
        assert len(result.table) == result.rows_loaded
        assert result.rejects["line"].gt(0).all()
        assert not set(result.rejects["line"]) & set(result.skipped["line"])


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(content):
    _run(content)


@FUZZ
@given(st.binary(max_size=200), st.sampled_from(sorted(HEADERS)))
def test_random_bytes_after_a_real_header(tail, profile):
    header = ",".join(HEADERS[profile]).encode() + b"\n"
    _run(header + tail)


_ID = st.integers(1, 10**9).map(str)
#: What each column holds when nothing is wrong (so that many rows load).
GOOD = {
    "Record ID": _ID,
    "Opportunity ID": _ID,
    "Deal - ID": _ID,
    "Create Date": st.just("2025-03-14 09:21"),
    "Created Date": st.just("2025-03-14"),
    "Deal - Deal created": st.just("2025-03-14 09:21:05"),
    "Amount": st.just("12000"),
    "Deal - Value": st.just("8000.5"),
}


@st.composite
def _rows(draw, profile: str) -> list[list[str]]:
    header = HEADERS[profile]
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 9)) == 0:  # now and then a ragged row
            rows.append(draw(st.lists(CELLS, max_size=len(header) + 2)))
            continue
        good = [GOOD.get(h, st.just("")) for h in header]
        # mostly good cells (hypothesis favours small draws: 0-2 give a good one)
        rows.append([draw(g if draw(st.integers(0, 3)) < 3 else CELLS) for g in good])
    return rows


@FUZZ
@given(
    st.sampled_from(sorted(HEADERS)).flatmap(lambda p: st.tuples(st.just(p), _rows(p))),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    st.booleans(),
)
def test_random_rows_under_a_real_header(drawn, delimiter, encoding, named):
    profile, rows = drawn
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADERS[profile])
    writer.writerows(rows)
    try:
        content = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        content = buffer.getvalue().encode("utf-8")
    _run(content, profile=profile if named else "auto")
