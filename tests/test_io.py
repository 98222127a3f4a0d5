"""Reading canonical files: every row accounted for, clear errors for bad files."""

from __future__ import annotations

import pandas as pd
import pytest

from leadkpi import LeadData, read
from leadkpi.exceptions import DataFileError
from leadkpi.io.canonical import read_canonical

HEADER = "lead_id,created_at,channel,deal_value,won_at\n"


def _write(tmp_path, text, name="leads.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_good_rows_load_bad_rows_are_rejected_with_their_line(tmp_path):
    path = _write(
        tmp_path,
        HEADER
        + "L1,2025-01-01T10:00:00+00:00,email,100.5,\n"
        + "L2,31/02/2025,email,,\n"
        + "L3,2025-01-02T10:00:00Z,,-5,\n"
        + "L1,2025-01-03T10:00:00Z,direct,,\n"
        + "L5,2025-01-04T10:00:00Z,,abc,2025-02-01T00:00:00Z\n",
    )
    result = read(path, timezone="Europe/Madrid")
    assert result.kind == "leads" and result.profile == "canonical"
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (5, 1, 4)
    assert result.table["lead_id"].tolist() == ["L1"]
    assert str(result.table["created_at"].dt.tz) == "Europe/Madrid"
    assert result.table["deal_value"].tolist() == [100.5]
    rejects = result.rejects.set_index("line")
    assert rejects.loc[3, "reason"] == (
        "created_at = '31/02/2025' is not a timestamp like DD/MM/YYYY"
    )
    assert rejects.loc[3, "created_at"] == "31/02/2025"  # original value kept
    assert (
        rejects.loc[4, "reason"] == "deal_value = '-5' is negative; expected 0 or more"
    )
    assert rejects.loc[5, "reason"] == (
        "lead_id = 'L1' repeats line 2 with different values"
    )
    assert (
        rejects.loc[6, "reason"] == "deal_value = 'abc' is not a number like 1,234.56"
    )
    assert set(result.rejects["file"]) == {"leads.csv"}


def test_utf8_bom_and_extra_columns_are_kept(tmp_path):
    path = _write(tmp_path, "\ufefflead_id,created_at,favourite\nL1,2025-01-01,tea\n")
    result = read(path)
    assert result.rows_loaded == 1
    assert result.table["favourite"].tolist() == ["tea"]
    assert len(result.sha256) == 64


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty; expected a header line"),
        ("lead_id,channel\nL1,email\n", "required leads column(s) created_at missing"),
        (b"\xff\xfe\x00garbage\x81\x82", "expected text"),
        ("lead_id,created_at,lead_id\n", "appear twice"),
    ],
)
def test_unreadable_files_raise_one_error_naming_the_file(tmp_path, content, message):
    path = _write(tmp_path, content)
    with pytest.raises(DataFileError, match="leads.csv") as info:
        read(path)
    assert message in str(info.value)


def test_header_only_file_loads_an_empty_table(tmp_path):
    result = read(_write(tmp_path, HEADER))
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (0, 0, 0)
    assert list(result.table.columns) == HEADER.strip().split(",")


def test_missing_file_and_unknown_kind(tmp_path):
    with pytest.raises(DataFileError, match="not found"):
        read(tmp_path / "leads.csv")
    with pytest.raises(DataFileError, match="cannot tell which table"):
        read(_write(tmp_path, HEADER, name="export.csv"))


def test_parquet_files_read_like_csv(tmp_path):
    frame = pd.DataFrame(
        {"date": pd.to_datetime(["2025-01-01", "2025-01-02"]), "cost": [10.0, -1.0]}
    )
    path = tmp_path / "spend.parquet"
    frame.to_parquet(path)
    result = read(path)
    assert (result.rows_loaded, result.rows_rejected) == (1, 1)
    assert result.rejects["line"].tolist() == [2]


def test_counts_must_be_whole_numbers(tmp_path):
    path = _write(
        tmp_path,
        "date,cost,clicks\n2025-01-01,1,3\n2025-01-02,1,2.5\n",
        name="spend.csv",
    )
    result = read(path)
    assert result.table["clicks"].tolist() == [3]
    assert "clicks = '2.5' is not a whole number" in result.rejects["reason"].iloc[0]


def test_leaddata_validates_frames_and_keeps_their_rejects(small_leads):
    broken = small_leads.copy()
    broken.loc[2, "created_at"] = "yesterday"
    data = LeadData(leads=broken)
    assert len(data.leads) == 7
    accounting = data.accounting().iloc[0]
    assert accounting[["rows_read", "rows_loaded", "rows_rejected"]].tolist() == [
        8,
        7,
        1,
    ]
    assert data.rejects()["reason"].tolist() == [
        "created_at = 'yesterday' is not a timestamp like "
        "YYYY-MM-DD[ hh:mm[:ss]][±hh:mm]"
    ]
    assert data.rejects()["line"].tolist() == [3]


def test_truncated_last_line_names_the_line(tmp_path):
    path = _write(tmp_path, HEADER + 'L1,2025-01-01,email,1,\nL2,"2025-01-02')
    with pytest.raises(DataFileError, match="ends inside a quoted field") as info:
        read(path)
    assert info.value.line == 3 and "leads.csv" in str(info.value)


def test_a_short_row_among_good_ones_is_a_reject_with_its_line(tmp_path):
    path = _write(tmp_path, HEADER + "L1,2025-01-01,email,1,\nL2,2025-01-02\n")
    result = read(path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 1, 1)
    assert result.rejects[["line", "reason"]].to_dict("records") == [
        {"line": 3, "reason": "row has 2 cell(s); the header has 5"}
    ]


def test_semicolon_file_with_comma_decimals_is_detected(tmp_path):
    path = _write(
        tmp_path,
        "date;cost;clicks\n01/10/2025;1.234,50 €;3\n\n02/10/2025;-5;1\n",
        name="spend.csv",
    )
    result = read_canonical(path, "spend", timezone="Europe/Madrid", locale="es")
    assert (result.encoding, result.delimiter) == ("utf-8", ";")
    expected = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-10-01"]).astype("datetime64[ns]"),
            "cost": [1234.5],
            "clicks": pd.array([3], dtype="Int64"),
            "currency": pd.Series(["EUR"], dtype="str"),
        }
    )
    pd.testing.assert_frame_equal(result.table, expected)
    assert result.rejects[["line", "reason"]].to_dict("records") == [
        {"line": 4, "reason": "cost = '-5' is negative; expected 0 or more"}
    ]
    assert result.skipped[["line", "reason"]].to_dict("records") == [
        {"line": 3, "reason": "blank"}
    ]
    assert result.rows_read == 2  # the blank line is not a row


def test_ambiguous_dates_are_read_by_locale_and_recorded_as_warnings(tmp_path):
    path = _write(tmp_path, "date,cost\n01/02/2025,1\n", name="spend.csv")
    english = read_canonical(path, "spend")
    spanish = read_canonical(path, "spend", locale="es")
    assert english.table["date"].tolist() == [pd.Timestamp("2025-01-02")]
    assert spanish.table["date"].tolist() == [pd.Timestamp("2025-02-01")]
    assert "spend.csv: date: dates like '01/02/2025'" in spanish.warnings[0]


def test_identical_repeated_rows_name_the_first_line(tmp_path):
    row = "L1,2025-01-01,email,1,\n"
    result = read(_write(tmp_path, HEADER + row + row))
    assert result.rejects["reason"].tolist() == [
        "lead_id = 'L1' repeats line 2 (identical row)"
    ]


def test_utf16_tab_separated_canonical_file(tmp_path):
    text = "lead_id\tcreated_at\nL1\t2025-01-01 10:00\n"
    path = _write(tmp_path, text, encoding="utf-16")
    result = read(path, timezone="Europe/Madrid")
    assert (result.encoding, result.delimiter) == ("utf-16-le", "\t")
    assert result.table["created_at"].tolist() == [
        pd.Timestamp("2025-01-01 10:00", tz="Europe/Madrid")
    ]


def test_parse_table_types_columns_alike_on_one_thread_and_on_two(monkeypatch):
    from leadkpi.io import threads
    from leadkpi.io.parse import collect_warnings, parse_table

    raw = pd.DataFrame(
        {
            "date": ["01/10/2025", "02/10/2025", "03/10/2025", "1/10/2025"] * 3,
            "cost": ["1.234,50 €", "7,5", "2", "(3)"] * 3,
            "clicks": ["3", "1.000", "x", "2"] * 3,
            "impressions": ["10", "", "1e3", "4"] * 3,
        }
    )
    out = {}
    for rows in (10**9, 1):  # one thread, then two from the first row
        monkeypatch.setattr(threads, "THREADED_ROWS", rows)
        with collect_warnings() as notes:
            table, rejects = parse_table(raw, "spend", timezone="UTC", file="a.csv")
        out[rows] = table, rejects, notes
    pd.testing.assert_frame_equal(out[1][0], out[10**9][0])
    pd.testing.assert_frame_equal(out[1][1], out[10**9][1])
    assert out[1][2] == out[10**9][2] and out[1][2]
    assert len(out[1][0]) + len(out[1][1]) == len(raw) and len(out[1][1])


def test_parse_table_uses_given_lines_row_problems_and_fills_currency():
    from leadkpi.io.parse import collect_warnings, parse_table
    from leadkpi.io.text import ROW_PROBLEM

    raw = pd.DataFrame(
        {
            "date": ["01/10/2025", "02/10/2025", "03/10/2025", "1/10/2025"],
            "cost": ["1.234,50 €", "7,5", "2", "(3)"],
            "clicks": ["3", "1.000", "x", "2"],
            ROW_PROBLEM: [None, None, None, "has 2 cell(s); the header has 3"],
        }
    )
    with collect_warnings() as notes:
        table, rejects = parse_table(
            raw, "spend", timezone="UTC", file="ads.csv", lines=[5, 6, 9, 12]
        )
    expected = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-01-10", "2025-02-10"]).astype(
                "datetime64[ns]"
            ),
            "cost": [1234.5, 7.5],
            "clicks": pd.array([3, 1000], dtype="Int64"),
            "currency": pd.Series(["EUR", None], dtype="str"),
        }
    )
    pd.testing.assert_frame_equal(table, expected)
    assert rejects[["line", "reason"]].to_dict("records") == [
        {"line": 9, "reason": "clicks = 'x' is not a whole number"},
        {"line": 12, "reason": "row has 2 cell(s); the header has 3"},
    ]
    assert ROW_PROBLEM not in rejects.columns
    assert notes == [
        "ads.csv: date: dates like '01/02/2025' could be day/month or month/day "
        "throughout; read as month/day/year (locale 'en'); pass dayfirst= to choose"
    ]
