"""Fuzzing read(): whatever the bytes, only a leadkpi error escapes, a load that
succeeds accounts for every row, and what loads equals what the cells say.

Every built-in profile is fuzzed in every file type (CSV, TSV, XLSX, Parquet) with
values at the edges; rows past the first 256 KB (where the encoding is detected)
are fuzzed too."""

from __future__ import annotations

import csv
import io
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadkpi import read
from leadkpi.exceptions import DataFileError, LeadKPIError
from leadkpi.io.limits import ReadLimits
from leadkpi.io.profiles import BUILTIN
from leadkpi.io.profiles.registry import header_key
from leadkpi.schemas import table_spec

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


# ------------------------------------------------ every profile, every file type
def _layout(profile) -> tuple[list[str], dict[str, str]]:
    """A header for ``profile`` (its signature, then one name per column) and the
    header cell each canonical column is read from."""
    header: list[str] = list(profile.signature)
    keys = {header_key(h) for h in header}
    for names in profile.columns.values():
        if not keys & {header_key(n) for n in names}:
            header.append(names[0])
            keys.add(header_key(names[0]))
    source = {}
    for column, names in profile.columns.items():
        found = [h for n in names for h in header if header_key(h) == header_key(n)]
        source[column] = found[0]
    return header, source


LAYOUTS = {p.name: (p, *_layout(p)) for p in BUILTIN if p.layout == "table"}
#: Reports of one record written as ``key:, value`` lines (one campaign's report).
KEYED = {p.name: (p, *_layout(p)) for p in BUILTIN if p.layout == "key-value"}
#: Values at the edges, for any cell.
EDGE = st.sampled_from(
    [
        "9999-12-31", "4000-12-31", "0001-01-01", "3000-01-01", "2262-04-12",
        "1677-09-21 00:12:43", "12/31/9999", str(2**63), str(2**53), str(2**64),
        "-1", "inf", "-inf", "NaN", "1e309", "9" * 330, "x" * 20_000, "\x01",
        "\x1b[2J", "\u202e", '"', "a\nb", "=1+1", "",
    ]
)  # fmt: skip


def _good(kind: str) -> st.SearchStrategy[str]:
    return {
        "id": _ID,
        "timestamp": st.just("2025-03-14 09:21"),
        "date": st.just("2025-03-14"),
        "count": st.integers(0, 10**6).map(str),
        "money": st.just("12.50"),
        "number": st.just("3"),
    }.get(kind, st.just("x"))


@st.composite
def _export(draw, name: str, keyed: bool = False) -> tuple[list[str], list[list[str]]]:
    profile, header, source = (KEYED if keyed else LAYOUTS)[name]
    spec = table_spec(profile.kind)
    kinds = {h: "string" for h in header}
    for column, cell in source.items():
        found = spec.column(column)
        kinds[cell] = found.kind if found is not None else "string"
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        rows.append(
            [draw(_good(kinds[h]) if draw(st.integers(0, 4)) else EDGE) for h in header]
        )
    return header, rows


def _write_export(folder: Path, header, rows, form: str) -> Path:
    if form in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if form == "csv" else "\t")
        writer.writerows([header, *rows])
        path = folder / f"export.{form}"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        return path
    if form == "xlsx":
        import openpyxl
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        book = openpyxl.Workbook()
        for row in [header, *rows]:
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in row])
        path = folder / "export.xlsx"
        book.save(path)
        return path
    columns = {h: [r[i] for r in rows] for i, h in enumerate(header)}
    path = folder / "export.parquet"
    pd.DataFrame(columns, dtype="str").to_parquet(path, index=False)
    return path


def _check_values(result, header, rows, source) -> None:
    """What loaded equals what the cells say (plain whole numbers, ISO dates)."""
    spec = table_spec(result.kind)
    if result.path.suffix in (".csv", ".tsv"):  # a cell may span lines
        starts = np.cumsum([0] + [1 + "".join(r).count("\n") for r in rows]) + 2
    else:  # a sheet's or a Parquet file's rows follow each other
        starts = np.arange(len(rows)) + (2 if result.path.suffix == ".xlsx" else 1)
    cells = dict(zip(starts.tolist(), rows, strict=False))
    first, last = ReadLimits().years
    for column in spec.columns:
        if column.name not in result.table or column.name not in source:
            continue
        values = result.table[column.name].tolist()
        at = header.index(source[column.name])
        for line, value in zip(result.lines, values, strict=True):
            cell = cells[int(line)][at].strip()
            if column.kind == "count" and cell.isdigit() and not pd.isna(value):
                assert value == int(cell) < 2**53, (column.name, cell, value)
            if column.kind in ("date", "timestamp") and not pd.isna(value):
                assert first <= value.year <= last, (column.name, cell, value)
                if cell in ("2025-03-14", "2025-03-14 09:21"):
                    assert value.tz_localize(None) == pd.Timestamp(cell)
            if column.kind in ("money", "number", "count") and not pd.isna(value):
                assert np.isfinite(float(value)), (column.name, cell, value)


#: Layouts leadkpi reads (a refused layout, such as a search-terms report, is
#: recognised only to say which report to export instead).
READABLE = sorted(name for name, (p, *_) in LAYOUTS.items() if not p.refusal)


def test_a_refused_layout_says_why(tmp_path):
    refused = [p for p, *_ in LAYOUTS.values() if p.refusal]
    assert refused  # the search-terms reports
    for profile in refused:
        _, header, _ = LAYOUTS[profile.name]
        path = _write_export(tmp_path, header, [["x"] * len(header)], "csv")
        message = "Download the Campaigns report instead"
        with pytest.raises(DataFileError, match=message):
            read(path, profile=profile.name)


@pytest.mark.parametrize("name", READABLE)
def test_every_profile_reads_its_own_clean_layout(tmp_path, name):
    profile, header, source = LAYOUTS[name]
    spec = table_spec(profile.kind)
    good = {"id": "101", "timestamp": "2025-03-14 09:21", "date": "2025-03-14",
            "count": "7", "money": "12.50", "number": "3"}  # fmt: skip
    kinds = {cell: spec.column(c).kind for c, cell in source.items() if spec.column(c)}
    row = [good.get(kinds.get(h, "string"), "x") for h in header]
    path = _write_export(tmp_path, header, [row], "csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = read(path, profile=name)
    assert result.rows_read == 1
    _check_values(result, header, [row], source)


@settings(FUZZ, max_examples=40)
@given(
    st.sampled_from(sorted(LAYOUTS)).flatmap(
        lambda n: st.tuples(st.just(n), _export(n))
    ),
    st.sampled_from(["csv", "tsv", "xlsx", "parquet"]),
)
def test_edge_values_in_every_profile_and_file_type(drawn, form):
    name, (header, rows) = drawn
    with tempfile.TemporaryDirectory() as folder:
        path = _write_export(Path(folder), header, rows, form)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = read(path, profile=name)
        except LeadKPIError:
            return
        assert result.rows_read == result.rows_loaded + result.rows_rejected
        assert result.rows_read <= len(rows)
        _check_values(result, header, rows, LAYOUTS[name][2])


#: Clean HubSpot contact rows filling the first 256 KB, where the encoding and
#: delimiter are detected; what the fuzzer draws comes after them.
_WINDOW_ROWS = 5_000
_CONTACT = ["{i}", "ana{i}@example.com", "2025-03-14 09:21", "lead", "Núñez {i}"]
_CONTACT_HEADER = ["Record ID", "Email", "Create Date", "Lifecycle Stage", "Industry"]


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(
    st.lists(
        st.tuples(st.lists(st.one_of(CELLS, EDGE), min_size=5, max_size=5),
                  st.sampled_from(["utf-8", "cp1252"])),
        min_size=1, max_size=4,
    )
)  # fmt: skip
def test_rows_past_the_detection_window(tail):
    lines = [",".join(_CONTACT_HEADER).encode() + b"\n"]
    for i in range(_WINDOW_ROWS):
        lines.append(",".join(c.format(i=i) for c in _CONTACT).encode() + b"\n")
    for cells, encoding in tail:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(cells)
        lines.append(buffer.getvalue().encode(encoding, errors="replace"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contacts.csv"
        path.write_bytes(b"".join(lines))
        assert path.stat().st_size > 1 << 18
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = read(path, profile="hubspot_contacts")
        except LeadKPIError:
            return
    assert result.rows_read == result.rows_loaded + result.rows_rejected
    clean = result.table[result.lines <= _WINDOW_ROWS + 1]
    assert clean["industry"].tolist() == [f"Núñez {i}" for i in range(_WINDOW_ROWS)]


# ------------------------------------------------- one-record (key-value) reports
def _keyed_text(header: list[str], values: list[str], tail: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    buffer.write("Email Campaign Report\n")
    writer.writerows(zip(header, values, strict=True))
    buffer.write("\n")
    writer.writerows(tail)
    return buffer.getvalue()


def test_every_key_value_report_reads_its_own_clean_record(tmp_path):
    assert KEYED  # Mailchimp's single-campaign report
    for name, (profile, header, source) in KEYED.items():
        spec = table_spec(profile.kind)
        good = {"date": "2025-03-14", "count": "7", "timestamp": "2025-03-14 09:21"}
        kinds = {
            cell: spec.column(c).kind for c, cell in source.items() if spec.column(c)
        }
        values = [good.get(kinds.get(h, "string"), "x") for h in header]
        path = tmp_path / f"{name}.csv"
        path.write_text(_keyed_text(header, values, []), encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = read(path)
        assert (result.profile, result.rows_read, result.rows_loaded) == (name, 1, 1)
        counts = [
            c.name for c in spec.columns if c.kind == "count" and c.name in source
        ]
        assert result.table[counts].iloc[0].tolist() == [7] * len(counts)


@settings(FUZZ, max_examples=40)
@given(
    st.sampled_from(sorted(KEYED)).flatmap(
        lambda n: st.tuples(st.just(n), _export(n, keyed=True))
    ),
    st.lists(st.lists(st.one_of(CELLS, EDGE), max_size=4), max_size=6),
)
def test_edge_values_in_every_key_value_report(drawn, tail):
    name, (header, rows) = drawn
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.csv"
        path.write_text(_keyed_text(header, rows[0], tail), encoding="utf-8")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = read(path, profile=name)
        except LeadKPIError:
            return
    assert result.rows_read == 1 == result.rows_loaded + result.rows_rejected
    assert not set(result.rejects["line"]) & set(result.skipped["line"])
