"""leadkpi.read(): choosing a profile, generic mappings, and bad input of every kind.

Every case either loads (with ``rows_read == rows_loaded + rows_rejected`` and the
problem rows in ``rejects``) or raises one leadkpi error that names the file and
says what was found and what was expected.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from leadkpi import read
from leadkpi.exceptions import ConfigError, DataFileError, LeadKPIError
from leadkpi.io.profiles import Profile
from leadkpi.io.profiles.registry import closest, detect, get_profile

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
CONTACTS = (EXPORTS / "hubspot" / "contacts.csv").read_bytes()
HEADER = CONTACTS.split(b"\n", 1)[0] + b"\n"
COLUMNS = next(csv.reader([HEADER.decode()]))
MAPPING = {
    "lead_id": "ID contacto",
    "created_at": "Alta",
    "source": "Origen",
    "lifecycle": "Etapa",
    "deal_value": "Importe",
    "values": {"lifecycle": {"cliente": "customer", "Cualificado marketing": "mql"}},
    "date_format": "%d.%m.%Y %H:%M",
    "currency": "eur",
}


def _contact(**cells: str) -> str:
    """One HubSpot contacts line (every cell quoted), cells named by header."""
    values = {name.replace("_", " "): value for name, value in cells.items()}
    line = ",".join('"' + values.get(c, "") + '"' for c in COLUMNS)
    return line + "\n"


def _write(tmp_path: Path, content: bytes, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _holds(result) -> None:
    assert result.rows_read == result.rows_loaded + result.rows_rejected
    assert len(result.table) == result.rows_loaded


# ------------------------------------------------------------ canonical files
def test_auto_still_reads_the_canonical_sample_data():
    auto = read(SAMPLE / "customers.csv")
    canonical = read(SAMPLE / "customers.csv", profile="canonical")
    assert auto.profile == canonical.profile == "canonical"
    assert auto.kind == "customers" and auto.warnings == ()
    assert_frame_equal(auto.table, canonical.table)


def test_a_canonical_file_names_its_table_or_is_told_it(tmp_path):
    path = _write(tmp_path, b"deal_id,lead_id,created_at,amount\nD1,L1,2025-01-01,5\n")
    with pytest.raises(DataFileError, match=r"look like deals\); pass kind="):
        read(path)
    result = read(path, "deals")
    assert (result.kind, result.profile, result.rows_loaded) == (
        "deals",
        "canonical",
        1,
    )


def test_canonical_files_take_the_reader_options(tmp_path):
    content = "lead_id;created_at;deal_value\nL1;03/04/2025;1.234,5\n"
    path = _write(tmp_path, content.encode("cp1252"), name="leads.csv")
    result = read(path, delimiter=";", dayfirst=True, decimal=",", currency="usd")
    assert result.table["created_at"].tolist() == [pd.Timestamp("2025-04-03", tz="UTC")]
    assert result.table["deal_value"].tolist() == [1234.5]
    assert result.table["currency"].tolist() == ["USD"]


# ------------------------------------------------------------ generic mapping
def test_generic_mapping_cell_by_cell():
    result = read(EXPORTS / "generic" / "leads.csv", mapping=MAPPING)
    assert (result.profile, result.kind, result.rows_read) == ("generic", "leads", 5)
    assert result.delimiter == ";"
    expected = pd.DataFrame(
        {
            "lead_id": ["C-1", "C-2", "C-3", "C-5"],
            "created_at": pd.to_datetime(
                [
                    "2025-03-14 09:21",
                    "2025-03-15 10:00",
                    "2025-03-16 11:30",
                    "2025-03-17 12:45",
                ],
                utc=True,
            ),
            "source": ["Google Ads", "Feria", "Web", "Partner"],
            "lifecycle": ["customer", "mql", "Nuevo", "Cualificado ventas"],
            "deal_value": [1200.0, np.nan, np.nan, np.nan],
            "currency": ["EUR"] * 4,
        }
    )
    assert_frame_equal(result.table, expected, check_dtype=False)
    reject = result.rejects.iloc[0]
    assert (reject["line"], reject["ID contacto"], reject["Alta"]) == (
        5,
        "C-4",
        "31.02.2025 08:00",
    )
    assert "created_at = '31.02.2025 08:00'" in reject["reason"]


def test_mapping_under_columns_and_profile_generic_are_the_same(tmp_path):
    nested = {
        "columns": {k: MAPPING[k] for k in ("lead_id", "created_at")},
        "date_format": MAPPING["date_format"],
    }
    a = read(EXPORTS / "generic" / "leads.csv", profile="generic", mapping=nested)
    b = read(EXPORTS / "generic" / "leads.csv", mapping=MAPPING)
    assert_frame_equal(a.table, b.table[["lead_id", "created_at"]])


def test_mapping_naming_a_column_the_file_lacks(tmp_path):
    mapping = {**MAPPING, "created_at": "Fecha de alta"}
    with pytest.raises(DataFileError) as info:
        read(EXPORTS / "generic" / "leads.csv", mapping=mapping)
    message = str(info.value)
    assert "leads.csv" in message and "'Fecha de alta' not found" in message
    assert "'ID contacto', 'Alta', 'Origen', 'Etapa', 'Importe'" in message
    assert info.value.column == "Fecha de alta"


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"lead_id": "ID contacto"}, "lacks the required column(s) created_at"),
        ({"lead_id": "a", "created_at": 3}, "'created_at' must name one column"),
        ({"lead_id": "a", "created_at": "b", "values": {"x": {}}}, "names x"),
        ({"lead_id": "a", "created_at": "b", "values": ["x"]}, "'values' must be"),
        (["lead_id"], "must map canonical columns"),
    ],
)
def test_malformed_mappings_are_config_errors(mapping, message):
    with pytest.raises(ConfigError) as info:
        read(EXPORTS / "generic" / "leads.csv", mapping=mapping)
    assert message in str(info.value)


def test_generic_without_a_mapping_says_what_is_needed():
    with pytest.raises(ConfigError, match="lacks the required column"):
        read(EXPORTS / "generic" / "leads.csv", profile="generic")


# ------------------------------------------------------------ choosing a profile
def test_a_file_no_profile_knows_lists_its_columns_and_the_closest_profiles(tmp_path):
    path = _write(tmp_path, b"Contact,Signed up,Stage\nA,2025-01-01,New\n")
    with pytest.raises(DataFileError) as info:
        read(path)
    message = str(info.value)
    assert "export.csv" in message
    assert "found 'Contact', 'Signed up', 'Stage'" in message
    assert "closest profiles:" in message and "mapping=" in message


def test_a_named_profile_needs_only_its_required_columns(tmp_path):
    keep = ["Record ID", "Email", "Create Date"]  # the user exported three columns
    lines = [
        ",".join(f'"{c}"' for c in keep),
        '"1","a@b.es","2025-03-01 10:00"',
    ]
    path = _write(tmp_path, ("\n".join(lines) + "\n").encode())
    with pytest.raises(DataFileError, match="closest profiles: hubspot_contacts"):
        read(path)  # too little to recognise
    result = read(path, profile="hubspot_contacts")
    assert result.table.columns.tolist() == ["lead_id", "email", "created_at"]
    assert result.rows_loaded == 1


def test_a_missing_signature_column_names_it(tmp_path):
    content = CONTACTS.replace(b'"Create Date"', b'"Created"', 1)
    path = _write(tmp_path, content)
    with pytest.raises(DataFileError, match="hubspot_contacts") as info:
        read(path)  # auto: HubSpot contacts is the closest, lacking 'Create Date'
    assert "lacks 'Create Date'" in str(info.value)
    with pytest.raises(DataFileError) as info:
        read(path, profile="hubspot_contacts")
    assert "'Create Date' or 'Fecha de creación' not found" in str(info.value)
    assert info.value.line == 1 and "'Created'" in str(info.value)


def test_the_wrong_table_for_a_recognised_export():
    with pytest.raises(DataFileError, match="HubSpot contacts export.*not deals"):
        read(EXPORTS / "hubspot" / "contacts.csv", "deals")
    with pytest.raises(DataFileError, match="fills leads, not deals"):
        read(EXPORTS / "hubspot" / "contacts.csv", "deals", profile="hubspot_contacts")


def test_unknown_profile_option_and_table():
    path = EXPORTS / "hubspot" / "contacts.csv"
    with pytest.raises(DataFileError, match="unknown profile 'hubspot'.*hubspot_deals"):
        read(path, profile="hubspot")
    with pytest.raises(ConfigError, match="unknown reader option.*colour"):
        read(path, colour="red")
    with pytest.raises(DataFileError, match="unknown table 'contacts'"):
        read(path, "contacts")


def test_detection_prefers_the_longest_complete_signature_then_known_columns():
    short = Profile("short", "V", "leads", {"lead_id": ("ID",)}, ("ID",))
    long = Profile(
        "long",
        "V",
        "leads",
        {"lead_id": ("ID",), "created_at": ("When",)},
        ("ID", "When"),
    )
    deals = Profile("deals", "V", "deals", {"deal_id": ("ID",)}, ("ID",))
    rows = [["Report"], ["ID", "When", "x"], ["1", "2025-01-01", "y"]]
    match = detect(rows, profiles=[short, long, deals])
    assert (match.profile.name, match.row) == ("long", 1)
    assert detect(rows, kind="deals", profiles=[short, long, deals]).profile is deals
    assert detect([["nothing"]], profiles=[short, long]) is None
    near = closest([["ID", "Other"]], profiles=[long, deals], kind="leads")
    assert [(m.profile.name, m.missing) for m in near[:1]] == [("long", ("When",))]


def test_get_profile_lists_the_known_names():
    assert get_profile("salesforce_leads").kind == "leads"
    with pytest.raises(KeyError, match="known profiles: .*pipedrive_deals"):
        get_profile("zoho_leads")


# ------------------------------------------------------------ bad input
def test_garbage_bytes_raise_one_error_naming_the_file(tmp_path):
    path = _write(tmp_path, bytes(range(256)) * 8)
    with pytest.raises(LeadKPIError, match="export.csv"):
        read(path)


def test_empty_file(tmp_path):
    with pytest.raises(DataFileError, match="is empty; expected a header") as info:
        read(_write(tmp_path, b""))
    assert info.value.line == 1


def test_header_only_export_loads_an_empty_table(tmp_path):
    result = read(_write(tmp_path, HEADER))
    assert result.profile == "hubspot_contacts"
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (0, 0, 0)
    assert {"lead_id", "created_at", "channel", "mql_at"} <= set(result.table.columns)


def test_truncated_last_line_is_rejected_with_its_line(tmp_path):
    row = _contact(Record_ID="109", Create_Date="2025-03-20 10:00").split(",")
    cut = COLUMNS.index("Create Date") + 1
    content = CONTACTS + ",".join(row[:cut]).encode()  # the file ends mid-line
    result = read(_write(tmp_path, content))
    _holds(result)
    assert result.rows_read == 9 and result.rejects["line"].tolist() == [8, 10]
    reject = result.rejects.set_index("line").loc[10]
    assert "cell" in reject["reason"] and reject["Record ID"] == "109"


def test_wrong_delimiter_names_the_one_that_fits(tmp_path):
    with pytest.raises(DataFileError, match="';'") as info:
        read(EXPORTS / "hubspot" / "contacts.csv", delimiter=";")
    assert "contacts.csv" in str(info.value)


def test_duplicated_lead_id_with_conflicting_values(tmp_path):
    extra = _contact(
        Record_ID="101", Email="other@acme.es", Create_Date="2025-03-20 10:00"
    )
    result = read(_write(tmp_path, CONTACTS + extra.encode()))
    _holds(result)
    assert result.table["lead_id"].tolist().count("101") == 1
    first = result.table.set_index("lead_id").loc["101"]
    assert first["email"] == "ana.garcia@acme.es"  # the first row wins
    dup = result.rejects.set_index("line").loc[10]
    assert dup["reason"] == "lead_id = '101' repeats line 2 with different values"
    assert dup["Email"] == "other@acme.es"


def test_impossible_date_is_a_reject_not_an_error(tmp_path):
    result = read(EXPORTS / "hubspot" / "contacts.csv")
    reasons = result.rejects.set_index("line")["reason"]
    assert reasons.loc[8].startswith("created_at = '31/02/2025' is not")


def test_encoding_option_reads_a_latin1_export(tmp_path):
    country = {"Country/Region": "España"}
    content = HEADER.decode() + _contact(
        Record_ID="201", Create_Date="2025-03-01 10:00", **country
    )
    path = _write(tmp_path, content.encode("latin-1"))
    result = read(path, encoding="latin-1")
    assert result.table["country"].tolist() == ["España"]
    assert result.profile == "hubspot_contacts"


def test_a_file_column_named_like_a_rejects_column_keeps_its_value(tmp_path):
    path = _write(tmp_path, b"id;when;reason\nA;31.02.2025 10:00;moved\n")
    mapping = {"lead_id": "id", "created_at": "when", "date_format": "%d.%m.%Y %H:%M"}
    result = read(path, "leads", mapping=mapping)
    reject = result.rejects.iloc[0]
    assert reject["reason (file)"] == "moved"
    assert reject["reason"].startswith("created_at = '31.02.2025 10:00'")


@pytest.mark.parametrize(
    ("dayfirst", "day"), [(True, "2025-04-03"), (False, "2025-03-04")]
)
def test_mapping_dayfirst_decides_ambiguous_dates(tmp_path, dayfirst, day):
    path = _write(tmp_path, b"Ref,Alta\nA,03/04/2025\n")
    mapping = {"lead_id": "Ref", "created_at": "Alta", "dayfirst": dayfirst}
    result = read(path, "leads", mapping=mapping)
    assert result.table["created_at"].tolist() == [pd.Timestamp(day, tz="UTC")]
    assert not [w for w in result.warnings if "day/month" in w]


def test_a_profile_transform_warning_lands_in_the_result(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text(
        "Campaign report\n1 October 2025 - 31 October 2025\n"
        "Campaign,Cost,Impr.,Clicks\nBrand,1.00,10,1\nGeneric,2.00,20,2\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing escapes the result
        result = read(path)
    assert result.table["date"].astype("str").tolist() == ["2025-10-01"] * 2
    noted = [w for w in result.warnings if "no day column" in w]
    assert noted == [
        "report.csv: Google Ads report has no day column; its rows cover 2025-10-01 "
        "to 2025-10-31 and are dated 2025-10-01. Download it segmented by day for "
        "daily figures."
    ]


def test_loaded_rows_know_their_file_lines(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text(
        "Campaign report\n1 October 2025 - 31 October 2025\n"
        "Campaign,Day,Cost,Impr.,Clicks\n"
        "Brand,2025-10-01,1.00,10,1\n"
        "\n"
        "Brand,2025-10-02,oops,10,1\n"
        "Generic,2025-10-02,2.00,20,2\n"
        "Total: Campaigns,,3.00,30,3\n",
        encoding="utf-8",
    )
    result = read(path)
    assert result.rejects["line"].tolist() == [6]
    np.testing.assert_array_equal(result.lines, np.array([4, 7], dtype=np.int64))
    canonical = tmp_path / "spend.csv"
    canonical.write_text(
        "date,channel,campaign,cost\n2025-10-01,paid_search,brand,1\n\n"
        "2025-10-02,paid_search,brand,2\n",
        encoding="utf-8",
    )
    assert read(canonical).lines.tolist() == [2, 4]
