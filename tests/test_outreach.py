"""Outbound prospecting: the outreach table, its profiles, KPIs and leads.

The fixtures (tests/fixtures/exports/linkedin_archive and lemlist) describe, in
March 2026 (Europe/Madrid), these prospects once folded:

=========  ========  ========  ========  =======  =======  =============
prospect   contact   request   accepted  message  replied  meeting
=========  ========  ========  ========  =======  =======  =============
Marta      02-03     02-03     04-03     05-03    06-03
Jordi      03-03     03-03     03-03     04-03
Ana        09-03     09-03
Pablo      20-03     20-03
Sergio     02-03     02-03     03-03     04-03    05-03    06-03
Nuria      02-03                         02-03    05-03
Tomás      10-03     10-03
Raúl       (an incoming invitation: never contacted)
Elena      2025-11 (a message; her earlier message is no reply, her 2024
           connection no acceptance)
=========  ========  ========  ========  =======  =======  =============

So March has 7 prospects contacted, 6 requests sent, 3 accepted (Jordi accepted on
the day of the request: the archive dates connections by day), 4 messaged, 3
replies and 1 meeting.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import leadkpi
from leadkpi.config import Config
from leadkpi.data import LeadData
from leadkpi.kpis.catalogue_outreach import conversion_rate_contacted
from leadkpi.kpis.definitions import SECTIONS
from leadkpi.outreach import (
    fold_outreach,
    join_leads,
    match_leads,
    normalise_email,
    normalise_profile_url,
)
from leadkpi.project import assemble

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
FILES = (
    "linkedin_archive/Invitations.csv",
    "linkedin_archive/Connections.csv",
    "linkedin_archive/messages.csv",
    "lemlist/activities.csv",
)
TZ = "Europe/Madrid"
OUTREACH_KPIS = list(SECTIONS["outreach"])


@pytest.fixture(scope="module")
def loads():
    return [leadkpi.read(EXPORTS / name, timezone=TZ) for name in FILES]


@pytest.fixture(scope="module")
def data(loads):
    return assemble(loads, Config(timezone=TZ))


def _leads() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lead_id": ["L1", "L2", "L3", "L4"],
            # Marta by e-mail (other case), after contact
            "email": ["MARTA.Ibanez@fundiciones-norte.example ", None, None, None],
            "linkedin_url": [
                None,
                # Jordi by URL (country subdomain, locale subpath), after contact
                "http://es.linkedin.com/in/JordiPuig/en/",
                # Sergio by URL: a lead before the first contact
                "linkedin.com/in/sergio-mora",
                "https://www.linkedin.com/in/nobody-contacted",
            ],
            "created_at": [
                "2026-03-07T10:00:00+01:00",
                "2026-03-20T10:00:00+01:00",
                "2026-02-01T10:00:00+01:00",
                "2026-03-10T10:00:00+01:00",
            ],
        }
    )


def _by_kpi(data: LeadData, **kw: object) -> dict[str, float]:
    result = leadkpi.compute(data, OUTREACH_KPIS, by=("month",), **kw)
    march = result[result["month"].astype(str) == "2026-03"]
    return dict(zip(march["kpi"], march["value"], strict=True))


def test_every_file_accounts_for_every_row(loads):
    for result in loads:
        assert result.rows_read == result.rows_loaded + result.rows_rejected
    assert [r.rows_read for r in loads] == [5, 4, 5, 11]
    lemlist = loads[3]
    assert lemlist.rejects["line"].tolist() == [12]
    assert "createdAt" in lemlist.rejects.columns or len(lemlist.rejects) == 1


def test_invitations_read_outgoing_as_requests_and_incoming_as_no_step(loads):
    table = loads[0].table
    assert table["direction"].tolist() == ["outgoing"] * 4 + ["incoming"]
    incoming = table.iloc[4]
    assert pd.isna(incoming["request_sent_at"]) and pd.isna(incoming["contacted_at"])
    assert incoming["profile_url"] == "https://www.linkedin.com/in/raul-gil-sales"
    assert table["request_sent_at"].iloc[0] == pd.Timestamp("2026-03-02 09:15", tz=TZ)


def test_messages_tell_sent_from_replies_by_the_accounts_owner(loads):
    table = loads[2].table
    assert table["direction"].tolist() == [
        "outgoing",
        "incoming",
        "outgoing",
        "incoming",
        "outgoing",
    ]
    assert table["replied_at"].iloc[1] == pd.Timestamp("2026-03-06 18:45", tz=TZ)
    assert set(table["owner"]) == {"Lucía Ferrer"}


def test_folded_table_has_one_row_per_prospect_and_sequence(data):
    table = data.outreach
    assert len(table) == 9
    assert set(table["channel"]) == {"outbound"}
    sergio = table[table["email"] == "sergio.mora@transportes-mora.example"].iloc[0]
    assert sergio["medium"] == "linkedin"
    assert sergio["campaign"] == "CFO Logística Q1"
    assert sergio["meeting_at"] == pd.Timestamp("2026-03-06 10:00", tz=TZ)
    elena = table[table["profile_url"].str.contains("elena", na=False)].iloc[0]
    assert pd.isna(elena["replied_at"]) and pd.isna(elena["request_accepted_at"])
    note = data.derivations.set_index("column").loc["contacted_at", "detail"]
    assert "24 rows folded into 9" in note and "2 dates before" in note


def test_fold_is_idempotent(data):
    again, counts = fold_outreach(data.outreach)
    pd.testing.assert_frame_equal(again, data.outreach)
    assert counts == {"rows": 9, "prospects": 9, "ignored": 0}


def test_a_prospect_on_two_media_is_multichannel():
    t = pd.Timestamp("2026-03-02 09:00", tz="UTC")
    rows = pd.DataFrame(
        {
            "email": ["a@x.es", "A@X.es"],
            "campaign": ["c", "c"],
            "medium": ["linkedin", "email"],
            "contacted_at": [t, t + pd.Timedelta(hours=1)],
        }
    )
    folded, _ = fold_outreach(rows)
    assert folded["medium"].tolist() == ["multichannel"]
    assert folded["contacted_at"].tolist() == [t]


def test_hand_computed_march_kpis(data):
    costs = pd.DataFrame(
        {
            "month": ["2026-03", "2026-03"],
            "amount": [300.0, 999.0],
            "channel": ["outbound", "paid_search"],
        }
    )
    view = LeadData(outreach=data.outreach, costs=costs, config=data.config)
    got = _by_kpi(view)
    expected = {
        "prospects_contacted": 7,
        "connection_requests_sent": 6,
        "connection_requests_accepted": 3,
        "acceptance_rate": 0.5,
        "outreach_messages_sent": 4,
        "outreach_replies": 3,
        "reply_rate": 3 / 7,
        "meetings_booked": 1,
        "meeting_rate": 1 / 7,
        "cost_per_meeting": 300.0,  # the outbound costs only
    }
    assert {k: got[k] for k in expected} == pytest.approx(expected)
    # no leads: no conversions, and the KPI says so instead of a zero
    assert pd.isna(got["conversion_rate_contacted"])


def test_kpis_by_campaign_and_owner(data):
    result = leadkpi.compute(
        data, ["prospects_contacted", "reply_rate"], by=("owner",), start="2026-03"
    )
    table = result.set_index(["owner", "kpi"])["value"]
    assert table[("Lucía Ferrer", "prospects_contacted")] == 4
    assert table[("Iván Castro", "prospects_contacted")] == 3
    assert table[("Iván Castro", "reply_rate")] == pytest.approx(2 / 3)
    assert table[("Lucía Ferrer", "reply_rate")] == pytest.approx(1 / 4)


def test_conversion_rate_over_prospects_contacted(data):
    view = LeadData(leads=_leads(), outreach=data.outreach, config=data.config)
    table = view.outreach.set_index("profile_url")
    assert table["lead_id"].notna().sum() == 3
    got = _by_kpi(view)
    # Marta and Jordi became leads after the first contact; Sergio was a lead before
    assert got["conversion_rate_contacted"] == pytest.approx(2 / 7)
    assert conversion_rate_contacted(
        outreach_conversions=25, prospects_contacted=500
    ) == pytest.approx(0.05)


def test_match_leads_counts_unmatched_and_prefers_email(data):
    match = match_leads(data.outreach, LeadData(leads=_leads()).leads)
    assert (match.prospects, match.matched, match.unmatched) == (9, 3, 6)
    assert (match.by_email, match.by_profile_url) == (1, 2)
    assert match.rate == pytest.approx(3 / 9)
    assert len(match.table) == len(data.outreach)
    marta = match.table[match.table["email"].str.startswith("marta", na=False)]
    assert marta["matched_by"].tolist() == ["email"]


def test_join_is_stable_when_run_again(data):
    leads = LeadData(leads=_leads()).leads
    once, _ = join_leads(data.outreach, leads)
    twice, _ = join_leads(once, leads)
    pd.testing.assert_frame_equal(once, twice)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/in/ana-ruiz/",
        "http://linkedin.com/in/Ana-Ruiz",
        "https://es.linkedin.com/in/ana-ruiz/en",
        "www.linkedin.com/in/ana-ruiz?trk=public_profile",
        " linkedin.com/in/ana-ruiz/#about ",
    ],
)
def test_profile_urls_normalise_to_one_key(url):
    assert normalise_profile_url(pd.Series([url])).tolist() == [
        "linkedin.com/in/ana-ruiz"
    ]


def test_emails_normalise_and_blank_is_missing():
    got = normalise_email(pd.Series([" Ana@X.ES", "", None, "no-at-sign"]))
    assert got.iloc[0] == "ana@x.es" and got.iloc[1:].isna().all()


def test_generic_canonical_outreach_file_reads_and_rejects_a_bad_date():
    result = leadkpi.read(EXPORTS / "generic" / "outreach.csv", timezone=TZ)
    assert (result.profile, result.rows_loaded, result.rows_rejected) == (
        "canonical",
        5,
        1,
    )
    view = LeadData(outreach=result.table, config=Config(timezone=TZ))
    result = leadkpi.compute(view, OUTREACH_KPIS, by=("month",))
    got = dict(zip(result["kpi"], result["value"], strict=True))
    # April: 5 contacted, 4 requests (3 accepted), 3 replies, 2 meetings
    assert got["acceptance_rate"] == pytest.approx(3 / 4)
    assert got["reply_rate"] == pytest.approx(3 / 5)
    assert got["meeting_rate"] == pytest.approx(2 / 5)


def test_as_of_cuts_outreach_steps_after_the_date(data):
    early = data.as_of("2026-03-04 23:59")
    sergio = early.outreach[early.outreach["prospect_id"] == "lea_01"].iloc[0]
    assert pd.isna(sergio["replied_at"]) and pd.isna(sergio["meeting_at"])
    assert (
        not early.outreach["contacted_at"]
        .gt(pd.Timestamp("2026-03-04 23:59", tz=TZ))
        .any()
    )


def test_catalogue_lists_outreach_kpis_in_both_languages():
    en = leadkpi.catalogue("en", OUTREACH_KPIS).set_index("id")
    es = leadkpi.catalogue("es", OUTREACH_KPIS).set_index("id")
    assert en.loc["acceptance_rate", "name"] == "Acceptance rate"
    assert es.loc["acceptance_rate", "name"] == "Tasa de aceptación"
    assert es.loc["cost_per_meeting", "name"] == "Coste por reunión"
    assert "outreach.converted_at" in en.loc["conversion_rate_contacted", "needs"]


def test_a_project_without_outreach_is_unchanged():
    data = LeadData(
        leads=pd.DataFrame({"lead_id": ["a"], "created_at": ["2026-03-01T10:00Z"]})
    )
    assert data.outreach is None
    assert dataclasses.replace(data.config) == data.config


@pytest.mark.parametrize("lang", ["en", "es"])
def test_report_section_without_outreach_says_it_is_not_available(lang):
    from leadkpi.present.outreach_tables import outreach_section

    parts = list(outreach_section(LeadData(), pd.Period("2026-03", "M"), lang=lang))
    assert len(parts) == 2
    assert (
        parts[1].data
        == {
            "en": "Not available: needs an outreach export (see README).",
            "es": "No disponible: requiere una exportación de prospección "
            "(véase el README).",
        }[lang]
    )


def test_report_section_shows_the_months_tables(data):
    from pandas.io.formats.style import Styler

    from leadkpi.present.outreach_tables import outreach_section

    costs = pd.DataFrame(
        {"month": ["2026-03"], "amount": [300.0], "channel": ["outbound"]}
    )
    view = LeadData(
        leads=_leads(), outreach=data.outreach, costs=costs, config=data.config
    )
    parts = outreach_section(view, pd.Period("2026-03", "M"), lang="es")
    tables = [p for p in parts if isinstance(p, Styler)]
    assert len(tables) == 3  # the month, by sequence, by sender
    overall = tables[0].data
    assert "Coste por reunión" in overall.columns
    words = [p.data for p in parts if not isinstance(p, Styler)]
    assert any(w.startswith("3 de 7 prospectos") for w in words), words
    # without outbound costs: a sentence instead of a cost of 0
    bare = LeadData(outreach=data.outreach, config=data.config)
    parts = outreach_section(bare, pd.Period("2026-03", "M"), lang="en")
    words = [p.data for p in parts if not isinstance(p, Styler)]
    assert any("Cost per meeting is not shown" in w for w in words)


T0 = pd.Timestamp("2026-03-01", tz="UTC")
_STEP_TIMES = st.one_of(
    st.none(), st.integers(0, 20 * 24).map(lambda h: T0 + pd.Timedelta(hours=h))
)


@st.composite
def _activity_rows(draw) -> pd.DataFrame:
    n = draw(st.integers(1, 12))
    columns = {
        "profile_url": st.sampled_from(
            [None, "https://www.linkedin.com/in/a", "linkedin.com/in/A/", "x.es/b"]
        ),
        "email": st.sampled_from([None, "a@x.es", "B@x.es"]),
        "campaign": st.sampled_from([None, "c1", "c2"]),
        "medium": st.sampled_from([None, "linkedin", "email"]),
        "contacted_at": _STEP_TIMES,
        "request_sent_at": _STEP_TIMES,
        "request_accepted_at": _STEP_TIMES,
        "message_sent_at": _STEP_TIMES,
        "replied_at": _STEP_TIMES,
        "meeting_at": _STEP_TIMES,
    }
    rows = {name: [draw(values) for _ in range(n)] for name, values in columns.items()}
    frame = pd.DataFrame(rows)
    for name in list(columns)[:4]:
        frame[name] = frame[name].astype("str")
    for name in list(columns)[4:]:
        frame[name] = pd.to_datetime(frame[name], utc=True)
    return frame


@settings(max_examples=60, deadline=None)
@given(_activity_rows())
def test_fold_invariants(rows):
    folded, counts = fold_outreach(rows)
    assert counts["rows"] == len(rows) and counts["prospects"] == len(folded)
    assert 1 <= len(folded) <= len(rows)
    # the first contact is the earliest outbound step of the prospect's rows
    steps = rows[["contacted_at", "request_sent_at", "message_sent_at"]]
    assert folded["contacted_at"].min() == steps.min(axis=None) or (
        steps.isna().all(axis=None) and folded["contacted_at"].isna().all()
    )
    # no later step dated before its prospect's first contact
    for column in ("replied_at", "meeting_at"):
        early = folded[column] < folded["contacted_at"]
        assert not early.fillna(False).any()
    again, recount = fold_outreach(folded)
    pd.testing.assert_frame_equal(again, folded)
    assert recount["ignored"] == 0


def test_waalaxy_prospects_hand_computed():
    result = leadkpi.read(EXPORTS / "waalaxy" / "prospects.csv", timezone=TZ)
    assert (result.profile, result.rows_loaded, result.rows_rejected) == (
        "waalaxy_prospects",
        5,
        1,
    )
    assert result.table["medium"].tolist() == [
        "linkedin",
        "linkedin",
        "linkedin",
        "email",
        "multichannel",
    ]
    # Inés replied by e-mail (13 April) before LinkedIn (14 April): the earlier
    ines = result.table.iloc[4]
    assert ines["replied_at"] == pd.Timestamp("2026-04-13 11:30", tz=TZ)
    view = LeadData(outreach=result.table, config=Config(timezone=TZ))
    assert len(view.outreach) == 5  # already one row per prospect
    april = leadkpi.compute(view, OUTREACH_KPIS, by=("month",))
    got = dict(zip(april["kpi"], april["value"], strict=True))
    assert {
        k: got[k]
        for k in (
            "prospects_contacted",
            "connection_requests_sent",
            "acceptance_rate",
            "outreach_messages_sent",
            "reply_rate",
        )
    } == pytest.approx(
        {
            "prospects_contacted": 5,
            "connection_requests_sent": 4,
            "acceptance_rate": 3 / 4,
            "outreach_messages_sent": 4,
            "reply_rate": 3 / 5,
        }
    )
    # the export has no meeting date: unknown with its reason, never 0
    meetings = april.set_index("kpi").loc["meetings_booked"]
    assert pd.isna(meetings["value"]) and "meeting_at" in meetings["reason"]
    by_list = leadkpi.compute(view, ["reply_rate"], by=("campaign",))
    rates = dict(zip(by_list["campaign"], by_list["value"], strict=True))
    assert rates == pytest.approx(
        {"Directores financieros Q2": 1 / 3, "Compras industriales": 1.0}
    )


def test_an_unzipped_linkedin_export_folder_is_one_outreach_source(tmp_path):
    import shutil

    import yaml

    folder = tmp_path / "linkedin"
    shutil.copytree(EXPORTS / "linkedin_archive", folder)
    # the archive's other files are not prospecting: they are left out
    (folder / "Profile.csv").write_text("First Name,Last Name,Headline\nA,B,C\n")
    (folder / "Positions.csv").write_text(
        "Company Name,Title,Started On\nX,Y,Jan 2020\n"
    )
    config = tmp_path / "leadkpi.yaml"
    settings = {"timezone": TZ, "sources": {"outreach": "linkedin"}}
    config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    data = leadkpi.load(config)
    assert sorted(r.path.name for r in data.loads) == [
        "Connections.csv",
        "Invitations.csv",
        "messages.csv",
    ]
    assert len(data.outreach) == 6  # the archive's six people, folded


def test_cost_per_meeting_is_unknown_when_no_cost_is_outbound(data):
    costs = pd.DataFrame(
        {"month": ["2026-03"], "amount": [999.0], "channel": ["paid_search"]}
    )
    view = LeadData(outreach=data.outreach, costs=costs, config=data.config)
    result = leadkpi.compute(view, "cost_per_meeting", by=(), start="2026-03")
    assert pd.isna(result["value"].iloc[0])  # not a cost of 0 per meeting
    assert result["reason"].iloc[0] == (
        "the costs table has no rows in the outbound channel "
        "(the cost of outbound prospecting)"
    )
