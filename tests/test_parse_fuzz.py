"""Fuzzing the readers and parsers: only leadkpi errors, and accounting always holds."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadkpi.exceptions import LeadKPIError
from leadkpi.io.canonical import read_canonical
from leadkpi.io.dates import parse_dates
from leadkpi.io.numbers import parse_numbers
from leadkpi.io.text import read_text_table

SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
CELL = st.one_of(
    st.sampled_from(
        ["", "L1", "2025-10-01", "31/02/2025", "1,5", "-", '"', '""', "(not set)", " "]
    ),
    st.text(max_size=8),
)
DELIM = st.sampled_from([",", ";", "\t", "|"])
NEWLINE = st.sampled_from(["\n", "\r\n", "\r"])
ENCODING = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"])


@st.composite
def csvish(draw) -> bytes:
    delimiter, newline = draw(DELIM), draw(NEWLINE)
    header = draw(
        st.sampled_from(
            [
                ["lead_id", "created_at", "deal_value"],
                ["date", "cost", "clicks"],
                ["lead_id", "created_at"],
            ]
        )
    )
    rows = draw(st.lists(st.lists(CELL, max_size=5), max_size=8))
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    encoding = draw(ENCODING)
    return text.encode(encoding, errors="replace")


def _through_readers(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "leads.csv"
        path.write_bytes(data)
        try:
            raw = read_text_table(path)
        except LeadKPIError:
            pass
        else:
            assert len(raw.frame) == len(raw.lines)
            if len(raw.lines) > 1:
                assert (raw.lines[1:] > raw.lines[:-1]).all()
        for kind in ("leads", "spend"):
            try:
                result = read_canonical(path, kind, timezone="Europe/Madrid")
            except LeadKPIError:
                continue
            assert result.rows_read == result.rows_loaded + result.rows_rejected
            assert set(result.rejects["line"]).isdisjoint(result.skipped["line"])


@SETTINGS
@given(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_leadkpi_errors(data):
    _through_readers(data)


@SETTINGS
@given(csvish())
def test_csvish_text_raises_only_leadkpi_errors_and_accounts_for_rows(data):
    _through_readers(data)


@SETTINGS
@given(st.lists(st.one_of(st.none(), st.text(max_size=12), CELL), max_size=12))
def test_number_parser_never_raises(cells):
    parsed = parse_numbers(pd.Series(cells, dtype="object"), locale="es")
    assert len(parsed.values) == len(cells)
    assert not (parsed.invalid & parsed.values.notna()).any()


@SETTINGS
@given(
    st.lists(st.one_of(st.none(), st.text(max_size=14), CELL), max_size=12),
    st.sampled_from(["timestamp", "date"]),
)
def test_date_parser_never_raises(cells, kind):
    parsed = parse_dates(
        pd.Series(cells, dtype="object"), kind=kind, timezone="America/New_York"
    )
    assert len(parsed.values) == len(cells)
    assert not (parsed.invalid & parsed.values.notna()).any()
