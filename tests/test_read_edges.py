"""Values and files at the edges: every one loads right, is rejected with its line,
is read as missing with a warning, or is refused with one error naming the limit.

Dates outside the plausible years, "end of time" placeholders, counts beyond 2^53
and ``inf``, a UTF-8 file with Windows-1252 lines past the detection window, and
files that would cost too much (long lines and cells, XLSX and Parquet files that
unpack to more than they look). The last section pins what
``benchmarks/fuzz_exports.py`` found.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leadkpi import read
from leadkpi.exceptions import ConfigError, DataFileError

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _write(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _quiet_read(path: Path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read(path, **kwargs)


def _with_cell(source: Path, column: str, value: str, folder: Path, row: int = 0):
    """A copy of a vendor export with one cell of its first data row replaced."""
    text = source.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = next(i for i, r in enumerate(rows) if column in r)
    rows[header + 1 + row][rows[header].index(column)] = value
    return _write(folder / source.name, rows), header + 2 + row


# ----------------------------------------------------------------- dates (6)
LEADS_HEADER = ["lead_id", "created_at", "won_at"]


@pytest.mark.parametrize(
    "value",
    ["3000-01-01", "1800-01-01", "2262-04-12", "2262-04-12 10:00", "1989-12-31",
     "01/01/3000", "Jan 1, 2101", "2101-06-01T00:00:00+02:00"],
)  # fmt: skip
def test_a_date_outside_the_plausible_years_is_a_reject_with_its_line(tmp_path, value):
    path = _write(
        tmp_path / "leads.csv",
        [LEADS_HEADER, ["L1", "2025-03-01 10:00", ""], ["L2", value, ""]],
    )
    result = _quiet_read(path)
    assert result.rows_loaded == 1 and result.rows_rejected == 1
    reject = result.rejects.iloc[0]
    assert reject["line"] == 3
    assert reject["reason"] == (
        f"created_at = '{value}' is outside the plausible years 1990–2100 (limits)"
    )
    assert result.table["created_at"].dt.year.tolist() == [2025]


@pytest.mark.parametrize(
    "value",
    ["9999-12-31", "4000-12-31", "4712-12-31", "9999-12-31 23:59:59", "12/31/9999",
     "0001-01-01", "1900-01-01", "1970-01-01 00:00:00", "4000-12-31T00:00:00Z"],
)  # fmt: skip
def test_a_placeholder_date_is_missing_with_a_warning_naming_its_line(tmp_path, value):
    path = _write(
        tmp_path / "leads.csv",
        [
            LEADS_HEADER,
            ["L1", "2025-03-01 10:00", "2025-04-01 10:00"],
            ["L2", "2025-03-02 10:00", value],
        ],
    )
    result = read(path)
    assert result.rows_loaded == 2 and result.rows_rejected == 0
    won = result.table["won_at"]
    assert won.iloc[0] == pd.Timestamp("2025-04-01 10:00", tz="UTC")
    assert pd.isna(won.iloc[1])
    (note,) = [w for w in result.warnings if "placeholder" in w]
    assert note.startswith("leads.csv: won_at: 1 placeholder date(s)")
    assert "line(s) 3;" in note and repr(value) in note


def test_a_required_placeholder_date_rejects_its_row_as_empty(tmp_path):
    path = _write(tmp_path / "leads.csv", [LEADS_HEADER, ["L1", "9999-12-31", ""]])
    result = _quiet_read(path)
    assert result.rows_rejected == 1
    assert result.rejects["reason"].tolist() == [
        "created_at is empty; a value is required"
    ]


def test_the_plausible_years_and_placeholders_are_configurable(tmp_path):
    path = _write(
        tmp_path / "leads.csv",
        [
            LEADS_HEADER,
            ["L1", "1985-06-01 10:00", "2099-12-31"],
            ["L2", "2300-01-01", ""],
        ],
    )
    limits = {"years": [1980, 2400], "placeholder_dates": ["2099-12-31"]}
    result = _quiet_read(path, limits=limits)
    assert result.table["created_at"].iloc[0] == pd.Timestamp(
        "1985-06-01 10:00", tz="UTC"
    )
    assert pd.isna(result.table["won_at"].iloc[0])
    # nanosecond timestamps end in 2262, whatever the limits say
    assert result.rejects["reason"].tolist() == [
        "created_at = '2300-01-01' is outside the plausible years 1980–2400 (limits)"
    ]


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"years": [2100, 1990]}, "years = (2100, 1990)"),
        ({"years": "1990"}, "years = '1990'; expected a list"),
        ({"placeholder_dates": ["31/12/9999"]}, "'31/12/9999'; expected YYYY-MM-DD"),
        ({"max_line_bytes": 0}, "max_line_bytes = 0; expected a whole number"),
        ({"bogus": 1}, "unknown field(s) bogus"),
        ("big", "limits = 'big'; expected a mapping"),
    ],
)
def test_bad_limits_are_a_config_error_naming_the_field(limits, message):
    with pytest.raises(ConfigError, match="limits") as caught:
        read(SAMPLE / "spend.csv", limits=limits)
    assert message in str(caught.value)


def test_hubspot_dates_in_2262_are_rejects_not_a_crash(tmp_path):
    path, line = _with_cell(
        EXPORTS / "hubspot" / "deals.csv", "Close Date", "2262-04-12", tmp_path
    )
    result = _quiet_read(path)
    assert result.rows_read == result.rows_loaded + result.rows_rejected
    assert result.rejects.set_index("line")["reason"][line] == (
        "won_at = '2262-04-12' is outside the plausible years 1990–2100 (limits)"
    )


# ------------------------------------------------------------- overflow (7)
@pytest.mark.parametrize(
    ("source", "column", "canonical"),
    [
        (SAMPLE / "ga4_traffic_by_day.csv", "Sessions", "sessions"),
        (SAMPLE / "ga4_traffic_by_day.csv", "Engaged sessions", "engaged_sessions"),
        (EXPORTS / "microsoft_ads" / "campaign_performance.csv", "Impressions",
         "impressions"),
        (SAMPLE / "mailchimp_campaign_reports.csv", "Total Recipients", "sent"),
        (SAMPLE / "spend.csv", "clicks", "clicks"),
    ],
)  # fmt: skip
@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("9223372036854775808", "is too large; expected a whole number below "
         "9,007,199,254,740,992"),
        ("inf", "is not a whole number"),
        ("1e400", "is not a whole number"),
    ],
)  # fmt: skip
def test_a_count_too_large_or_infinite_is_a_reject_with_its_line(
    tmp_path, source, column, canonical, value, problem
):
    path, line = _with_cell(source, column, value, tmp_path)
    result = _quiet_read(path)
    assert result.rows_read == result.rows_loaded + result.rows_rejected
    rejected = result.rejects.set_index("line")["reason"]
    assert rejected[line] == f"{canonical} = '{value}' {problem}"
    assert result.table[canonical].max() < 2**53


@pytest.mark.parametrize("value", ["inf", "9" * 400, "-1e999"])
def test_an_infinite_amount_of_money_is_a_reject(tmp_path, value):
    path = _write(
        tmp_path / "spend.csv",
        [["date", "cost"], ["2025-03-01", "12.5"], ["2025-03-02", value]],
    )
    result = _quiet_read(path)
    assert result.table["cost"].tolist() == [12.5]
    assert result.rejects["reason"].tolist() == [
        f"cost = '{value}' is not a number like 1,234.56"
    ]


def test_the_largest_exact_count_loads_exactly(tmp_path):
    path = _write(
        tmp_path / "spend.csv",
        [["date", "cost", "clicks"], ["2025-03-01", "1", str(2**53 - 1)]],
    )
    assert _quiet_read(path).table["clicks"].tolist() == [2**53 - 1]


# ------------------------------------------------------- mixed encodings (8)
def _names_file(folder: Path, rows: int, foreign_at: list[int]) -> tuple[Path, list]:
    """A UTF-8 leads file of accented names; rows ``foreign_at`` in Windows-1252."""
    names = [f"Lucía Núñez {i}" for i in range(rows)]
    lines = [b"lead_id,created_at,company\n"]
    for i, name in enumerate(names):
        line = f"L{i},2025-03-01 10:00,{name}\n"
        lines.append(line.encode("cp1252" if i in foreign_at else "utf-8"))
    path = folder / "leads.csv"
    path.write_bytes(b"".join(lines))
    return path, names


def test_a_cp1252_line_past_the_detection_window_is_read_as_written(tmp_path):
    path, names = _names_file(tmp_path, 12_000, foreign_at=[9_000, 11_500])
    assert path.stat().st_size > 1 << 18  # the lines lie past the first 256 KB
    result = read(path)
    assert result.table["company"].tolist() == names
    assert result.encoding == "utf-8"
    (note,) = [w for w in result.warnings if "Windows-1252" in w]
    assert note == (
        "leads.csv: 2 line(s) are not UTF-8 like the rest of the file and were "
        "read as Windows-1252: line(s) 9002, 11502; check the text on them"
    )


def test_a_cp1252_file_is_still_read_whole_as_cp1252(tmp_path):
    path, names = _names_file(tmp_path, 50, foreign_at=list(range(50)))
    result = read(path)
    assert result.encoding == "cp1252"
    assert result.table["company"].tolist() == names
    assert not [w for w in result.warnings if "Windows-1252" in w]


def test_a_forced_utf8_file_with_a_cp1252_line_is_refused_naming_the_line(tmp_path):
    path, _ = _names_file(tmp_path, 200, foreign_at=[150])
    with pytest.raises(DataFileError, match="is not utf-8 text") as caught:
        read(path, encoding="utf-8")
    assert caught.value.line == 152


# ------------------------------------------------------- resource limits (3)
def test_a_line_longer_than_the_limit_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_bytes(b"lead_id,created_at,company\nL1,2025-03-01,ok\nL2,2025-03-01,")
    with path.open("ab") as handle:
        handle.write(b"x" * (9 << 20) + b"\nL3,2025-03-01,ok\n")
    with pytest.raises(DataFileError, match="max_line_bytes") as caught:
        read(path)
    assert caught.value.line == 3
    assert "longer than 8,388,608 bytes" in str(caught.value)


def test_a_file_without_line_ends_is_refused(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_bytes(b"lead_id," * 100_000)
    with pytest.raises(DataFileError, match="no line end in its first 262,144 bytes"):
        read(path)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_long_lines_are_refused_before_decoding_other_encodings(tmp_path, encoding):
    text = "lead_id,created_at,company\nL1,2025-03-01,Núñez" + "x" * 5000 + "\n"
    path = tmp_path / "leads.csv"
    path.write_bytes(text.encode(encoding))
    with pytest.raises(DataFileError, match="max_line_bytes") as caught:
        read(path, limits={"max_line_bytes": 4000})
    assert caught.value.line == 2


def test_a_cell_longer_than_the_limit_is_refused_naming_line_and_column(tmp_path):
    path = _write(
        tmp_path / "leads.csv",
        [LEADS_HEADER + ["notes"], ["L1", "2025-03-01", "", "short"],
         ["L2", "2025-03-01", "", "y" * 3000]],
    )  # fmt: skip
    with pytest.raises(DataFileError, match="max_cell_chars") as caught:
        read(path, limits={"max_cell_chars": 2000})
    assert (caught.value.line, caught.value.column) == (3, "notes")
    assert "holds 3,000 characters; the limit is 2,000" in str(caught.value)


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _rewrite_sheet(path: Path, change) -> None:
    """Rewrite the first sheet's XML of a workbook with ``change(xml) -> xml``."""
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = change(parts[name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)


def test_an_xlsx_that_unpacks_to_more_than_the_limit_is_refused(tmp_path):
    path = _workbook(tmp_path / "leads.xlsx", [LEADS_HEADER, ["L1", "2025-03-01", ""]])
    _rewrite_sheet(
        path, lambda xml: xml.replace(b"<sheetData>", b" " * 5_000_000 + b"<sheetData>")
    )
    assert path.stat().st_size < 100_000
    with pytest.raises(DataFileError, match="max_unpacked_bytes") as caught:
        read(path, kind="leads", limits={"max_unpacked_bytes": 1_000_000})
    assert "unpacks to 5,0" in str(caught.value)


def test_an_xlsx_declaring_a_huge_sheet_is_refused_before_it_is_read(tmp_path):
    path = _workbook(tmp_path / "leads.xlsx", [LEADS_HEADER, ["L1", "2025-03-01", ""]])
    _rewrite_sheet(
        path,
        lambda xml: xml.replace(
            b'<dimension ref="A1:C2" />', b'<dimension ref="A1:XFD1048576" />'
        ),
    )
    with pytest.raises(DataFileError, match="max_cells") as caught:
        read(path, kind="leads")
    assert "holds 17,179,869,184 cells or more; the limit is 50,000,000" in str(
        caught.value
    )


def test_an_xlsx_with_more_cells_than_the_limit_is_refused_as_it_is_read(tmp_path):
    rows = [LEADS_HEADER] + [[f"L{i}", "2025-03-01", ""] for i in range(50)]
    path = _workbook(tmp_path / "leads.xlsx", rows)
    _rewrite_sheet(path, lambda xml: xml.replace(b'<dimension ref="A1:C51" />', b""))
    with pytest.raises(DataFileError, match="max_cells"):
        read(path, kind="leads", limits={"max_cells": 100})
    assert read(path, kind="leads", limits={"max_cells": 200}).rows_loaded == 50


def test_an_xlsx_cell_longer_than_the_limit_is_refused(tmp_path):
    path = _workbook(
        tmp_path / "leads.xlsx", [LEADS_HEADER, ["L1", "2025-03-01", "z" * 500]]
    )
    with pytest.raises(DataFileError, match="max_cell_chars") as caught:
        read(path, kind="leads", limits={"max_cell_chars": 100})
    assert (caught.value.line, caught.value.column) == (2, "won_at")


def _dictionary_parquet(path: Path, rows: int, long: str) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "lead_id": [f"L{i}" for i in range(rows)],
            "created_at": ["2025-03-01"] * rows,
            "company": [long] * rows,
        }
    )
    pq.write_table(table, path, use_dictionary=True, compression="zstd")
    return path


def test_a_parquet_whose_repeated_text_unpacks_past_the_limit_is_refused(tmp_path):
    path = _dictionary_parquet(tmp_path / "leads.parquet", 2_000, "w" * 10_000)
    assert path.stat().st_size < 200_000  # 20 MB of text once decoded
    with pytest.raises(DataFileError, match="max_unpacked_bytes") as caught:
        read(
            path,
            kind="leads",
            profile="canonical",
            limits={"max_unpacked_bytes": 5 << 20},
        )
    assert "text columns unpack to 20,0" in str(caught.value)
    with pytest.raises(DataFileError, match="max_cell_chars") as caught:
        read(path, kind="leads", profile="canonical", limits={"max_cell_chars": 1000})
    assert caught.value.column == "company"
    assert read(path, kind="leads", profile="canonical").rows_loaded == 2_000


def test_a_parquet_with_more_cells_than_the_limit_is_refused(tmp_path):
    path = _dictionary_parquet(tmp_path / "leads.parquet", 100, "ok")
    with pytest.raises(
        DataFileError, match="holds 300 cells or more; the limit is 299"
    ):
        read(path, kind="leads", profile="canonical", limits={"max_cells": 299})


def test_limits_come_from_a_config_source(tmp_path):
    from leadkpi.config import load_config
    from leadkpi.project import read_file

    path = _write(tmp_path / "leads.csv", [LEADS_HEADER, ["L1", "1985-06-01", ""]])
    config_path = tmp_path / "leadkpi.yaml"
    config_path.write_text(
        "sources:\n  leads:\n    path: leads.csv\n"
        "    limits:\n      years: [1980, 2030]\n"
    )
    config = load_config(config_path)
    (source,) = [s for s in config.sources if s.table == "leads"]
    result = read_file(path, source, config)
    assert result.table["created_at"].dt.year.tolist() == [1985]


# ------------------------------------------- what benchmarks/fuzz_exports.py found
@pytest.mark.parametrize(
    ("source", "column", "value"),
    [
        # GA4 derives bounces from sessions: an infinite session count crashed it
        (SAMPLE / "ga4_traffic_by_day.csv", "Sessions", "inf"),
        (SAMPLE / "ga4_traffic_by_day.csv", "Engaged sessions", "1e400"),
        (SAMPLE / "ga4_traffic_by_day.csv", "Sessions", "9" * 400),
        # HubSpot and Microsoft Ads dates in 2262 overflowed nanoseconds
        (EXPORTS / "hubspot" / "contacts.csv", "Create Date", "2262-04-12"),
        (EXPORTS / "microsoft_ads" / "campaign_performance.csv", "Gregorian date",
         "4/12/2262"),
    ],
)  # fmt: skip
def test_fuzz_findings_end_in_a_reject(tmp_path, source, column, value):
    path, line = _with_cell(source, column, value, tmp_path)
    result = _quiet_read(path)
    assert result.rows_read == result.rows_loaded + result.rows_rejected
    assert line in result.rejects["line"].tolist()


def test_a_row_quoting_the_utf8_error_text_is_not_a_decoding_problem(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_bytes(
        "lead_id,created_at,company\nL1,2025-03-01,Núñez\n"
        "L2,2025-03-01,invalid UTF8 data,x\n".encode()
    )
    result = _quiet_read(path)
    assert result.encoding == "utf-8"
    assert result.table["company"].tolist() == ["Núñez"]
    assert result.rejects["reason"].tolist() == ["row has 4 cell(s); the header has 3"]


def test_loaded_values_equal_what_the_cells_say(tmp_path):
    cells = ["0", "7", str(2**53 - 1), "1,234", "12"]
    path = _write(
        tmp_path / "spend.csv",
        [["date", "cost", "clicks"]] + [["2025-03-01", "1", c] for c in cells],
    )
    clicks = _quiet_read(path).table["clicks"]
    assert clicks.tolist() == [0, 7, 2**53 - 1, 1234, 12]
    assert np.asarray(clicks, dtype="int64").dtype == np.int64
