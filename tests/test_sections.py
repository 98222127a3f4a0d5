"""Report sections: each declares what it needs and degrades to one line without it.

The unit tests build sections on small hand-made tables. The renders run the real
monthly notebook (papermill) on the sample company written as canonical Parquet
exports, once with each optional table removed and once with only leads and spend:
the run succeeds, the section that needed the table says so in one line naming it,
and every other section is there. A Spanish render of the whole sample must show no
English word of the English report's visible text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml
from IPython.display import Markdown

import leadkpi
from leadkpi import LeadData
from leadkpi.present.sections import Section, missing, section, unavailable
from leadkpi.present.traffic_tables import email_section, web_section
from leadkpi.report import render
from leadkpi.report_numbers import ReportNumbers

ROOT = Path(__file__).resolve().parents[1]
MONTH = pd.Period("2026-10", "M")


# --- the mechanism, by hand ----------------------------------------------------------


@pytest.fixture
def small() -> LeadData:
    leads = pd.DataFrame(
        {
            "lead_id": ["a", "b", "c"],
            "created_at": [
                "2026-10-02T10:00Z",
                "2026-10-03T10:00Z",
                "2026-10-20T10:00Z",
            ],
            "channel": ["referral", "paid_search", "referral"],
        }
    )
    email = pd.DataFrame(
        {
            "sent_on": ["2026-10-05", "2026-10-12", "2026-10-07", "2026-09-30"],
            "campaign": ["news", "news", "nurture", "news"],
            "sent": [1000, 1000, 200, 500],
            "delivered": [990, 980, 196, 500],
            "opens": [297, 294, 98, 100],
            "clicks": [30, 19, 49, 10],
            "unsubscribes": [2, 1, 0, 0],
            "bounces": [10, 20, 4, 0],
        }
    )
    web = pd.DataFrame(
        {
            "date": ["2026-10-01", "2026-10-02", "2026-10-01", "2026-11-01"],
            "channel": ["referral", "referral", "organic_search", "referral"],
            "sessions": [40, 60, 300, 999],
            "users": [30, 50, 250, 900],
            "pageviews": [80, 120, 600, 2000],
            "engaged_sessions": [20, 30, 150, 500],
            "bounces": [20, 30, 150, 499],
            "engagement_seconds": [600.0, 900.0, 4500.0, 9000.0],
            "form_submissions": [2, 1, 0, 9],
        }
    )
    return LeadData(leads=leads, email=email, web=web)


def test_missing_names_absent_tables_and_columns(small):
    assert missing(small, ["leads", "email", "customers", "touches"]) == (
        "customers",
        "touches",
    )
    assert missing(small, ["leads.channel", "leads.first_response_at"]) == (
        "leads.first_response_at",
    )
    with pytest.raises(leadkpi.LeadKPIError, match="customer.*expected table names"):
        missing(small, ["customer"])


def test_unavailable_line_in_both_languages():
    assert unavailable(["customers"]).data == (
        "Not available: needs a customers export (see README)."
    )
    assert unavailable(["customers"], lang="es").data == (
        "No disponible: requiere una exportación de clientes (véase el README)."
    )
    assert unavailable(["touches", "spend", "web"]).data == (
        "Not available: needs a touches export, a spend export and a web export "
        "(see README)."
    )


def test_section_builds_only_with_its_inputs(small):
    calls = []

    def build():
        calls.append(1)
        return Section([Markdown("body")], {"t": pd.DataFrame({"x": [1]})})

    lacking = section(small, "retention", ["customers"], build)
    assert calls == [] and not lacking.available
    assert [p.data for p in lacking] == [
        "## Customer retention and lifetime value",
        "Not available: needs a customers export (see README).",
    ]
    assert dict(lacking.numbers) == {}
    built = section(small, "funnel", ["leads"], build, lang="es")
    assert calls == [1] and built.available
    assert [p.data for p in built] == ["## Embudo", "body"]
    assert list(built.numbers) == ["t"]
    plain = section(small, None, ["leads"], lambda: [Markdown("x")])
    assert [p.data for p in plain] == ["x"] and dict(plain.numbers) == {}


def test_report_numbers_take_the_sections_numbers(small):
    one = Section([], {"a": pd.DataFrame({"v": [1.0]})})
    none = Section([Markdown("n/a")], {}, ("customers",))
    numbers = ReportNumbers(one, none, b=pd.DataFrame({"v": [2.0]}))
    assert numbers.to_dict() == {
        "a": {"columns": ["v"], "rows": [[1.0]]},
        "b": {"columns": ["v"], "rows": [[2.0]]},
    }


def test_email_section_rates_by_campaign_worked_by_hand(small):
    part = email_section(small, MONTH)
    heading, note, table = part.parts
    assert heading.data == "## E-mail nurturing" and "October 2026" in note.data
    shown = table.data
    assert list(shown.columns) == [
        "Campaign",
        "Emails sent",
        "Delivery rate",
        "Open rate",
        "Email click-through rate",
        "Click-to-open rate",
        "Unsubscribe rate",
        "Email bounce rate",
    ]
    # news in October: 2,000 sent, 1,970 delivered, 591 opens, 49 clicks, 3
    # unsubscribes, 30 bounces (September's send left out); nurture: 200, 196, 98,
    # 49, 0, 4; all: 2,200, 2,166, 689, 98, 3, 34
    assert shown.values.tolist() == [
        ["news", "2,000", "98.5%", "30.0%", "2.5%", "8.3%", "0.2%", "1.5%"],
        ["nurture", "200", "98.0%", "50.0%", "25.0%", "50.0%", "0.0%", "2.0%"],
        ["All campaigns", "2,200", "98.5%", "31.8%", "4.5%", "14.2%", "0.1%", "1.5%"],
    ]
    email = part.numbers["email"]
    total = email[email["campaign"].isna()].set_index("kpi")["value"]
    assert total["email_bounce_rate"] == pytest.approx(34 / 2200)
    assert total["click_to_open_rate"] == pytest.approx(98 / 689)


def test_web_section_sessions_and_leads_per_session_by_channel(small):
    part = web_section(small, MONTH, lang="es")
    assert part.parts[0].data == "## Tráfico web"
    # referral: 100 sessions, 2 leads; organic search: 300 sessions, no lead;
    # paid search: a lead, no session (no rate); November's sessions left out
    assert part.parts[2].data.values.tolist() == [
        ["Búsqueda orgánica", "300", "0", "0,0\xa0%"],
        ["Referidos", "100", "2", "2,0\xa0%"],
        ["Búsqueda de pago", "–", "1", "–"],
        ["Todos los canales", "400", "3", "0,8\xa0%"],
    ]
    assert list(part.parts[2].data.columns) == [
        "Canal",
        "Sesiones",
        "Leads generados",
        "Conversión de sesión a lead",
    ]


def test_email_and_web_sections_without_their_table_say_so(small):
    bare = small.with_tables(email=None, web=None)
    assert email_section(bare, MONTH).parts[1].data == (
        "Not available: needs an email export (see README)."
    )
    assert web_section(bare, MONTH, lang="es").parts[1].data == (
        "No disponible: requiere una exportación de analítica web (véase el README)."
    )


def test_a_month_without_sends_says_so(small):
    part = email_section(small, pd.Period("2026-08", "M"))
    assert [p.data for p in part][1] == "No e-mail campaign was sent in August 2026."
    assert dict(part.numbers) == {}


# --- the monthly report with tables removed ------------------------------------------

#: Every section heading of the English monthly report that needs no optional table.
ALWAYS = (
    "Funnel",
    "Conversion by cohort",
    "Time between stages",
    "Speed to lead",
    "Lead quality",
    "Data quality appendix",
    "Data-quality checks",
)
#: The section each optional table feeds, and its heading.
FEEDS = {
    "customers": "Customer retention and lifetime value",
    "touches": "Which channels won the month's customers",
    "email": "E-mail nurturing",
    "web": "Web traffic",
    "outreach": "Outbound prospecting",
}
NOT_AVAILABLE = re.compile(r"Not available: needs (.+?) \(see README\)")


class _Text(HTMLParser):
    """The visible text of a page: no style, script or code (the footer's file
    hashes), no attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("style", "script", "title", "code")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("style", "script", "title", "code")

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def _visible(html: str) -> str:
    parser = _Text()
    parser.feed(html[html.index("<body") :])
    return "\n".join(parser.parts)


@pytest.fixture(scope="module")
def sample() -> LeadData:
    return leadkpi.load(ROOT / "leadkpi.yaml")


def _conversions(declared: dict, tables: dict) -> dict:
    """The sample's conversion events that the kept tables can count: a project
    without touches (spend) declares no touch (ad-platform) conversions."""
    kept = {}
    for name, event in declared.items():
        needs = {"touches"} if "touch_type" in event else set()
        needs |= {"spend"} if event.get("platform") else set()
        if needs <= set(tables):
            kept[name] = dict(event)
    for event in kept.values():
        if event.get("crm") not in (None, *kept):
            del event["crm"]
    return kept


def _project(folder: Path, tables: dict[str, pd.DataFrame]) -> Path:
    folder.mkdir()
    settings = yaml.safe_load((ROOT / "leadkpi.yaml").read_text(encoding="utf-8"))
    settings["conversions"] = _conversions(settings.get("conversions", {}), tables)
    if not settings["conversions"]:
        del settings["conversions"]
    settings["sources"] = {}
    for name, frame in tables.items():
        frame.to_parquet(folder / f"{name}.parquet")
        settings["sources"][name] = f"{name}.parquet"
    config = folder / "leadkpi.yaml"
    text = yaml.safe_dump(settings, allow_unicode=True, sort_keys=False)
    config.write_text(text, encoding="utf-8")
    return config


def _render(config: Path, out: Path, lang: str = "en") -> str:
    done = render(
        ROOT / "notebooks" / "monthly_report.ipynb",
        {"month": str(MONTH), "config": str(config), "lang": lang},
        out,
        progress=False,
        cwd=config.parent,
    )
    return _visible(done.html.read_text(encoding="utf-8"))


OPTIONAL = (
    "customers",
    "touches",
    "email",
    "web",
    "outreach",
    "deals",
    "spend",
    "costs",
)


@pytest.fixture(scope="module", params=OPTIONAL)
def without(request, sample, tmp_path_factory) -> tuple[str, str]:
    """The report rendered with one optional table removed: (table, visible text)."""
    table = request.param
    assert table in sample.tables  # the sample has it, so removing it means something
    kept = {k: v for k, v in sample.tables.items() if k != table}
    folder = tmp_path_factory.mktemp(f"without-{table}")
    return table, _render(_project(folder / "project", kept), folder / "out")


def test_report_renders_without_each_optional_table(without):
    table, shown = without
    lines = NOT_AVAILABLE.findall(shown)
    if table in FEEDS:
        article = "an" if table[0] in "aeiou" else "a"
        assert lines == [f"{article} {table} export"]
        heading = shown.index(FEEDS[table])
        assert shown.index("Not available", heading) < heading + len(FEEDS[table]) + 5
    else:
        assert lines == []  # deals, spend and costs only thin out some sections
    for heading in (*ALWAYS, *(h for t, h in FEEDS.items() if t != table)):
        assert f"\n{heading}\n" in shown, heading
    assert "Traceback" not in shown


def test_report_renders_with_only_leads_and_spend(sample, tmp_path):
    tables = {k: sample.tables[k] for k in ("leads", "spend")}
    shown = _render(_project(tmp_path / "project", tables), tmp_path / "out", "es")
    lines = re.findall(r"No disponible: requiere (.+?) \(véase el README\)", shown)
    assert lines == [
        "una exportación de clientes",
        "una exportación de interacciones de marketing",
        "una exportación de prospección",
        "una exportación de campañas de correo electrónico",
        "una exportación de analítica web",
    ]
    for heading in (
        "Embudo",
        "Conversión por cohorte",
        "Velocidad de respuesta",
        "Retención de clientes y valor de vida",
        "Qué canales captaron a los clientes del mes",
        "Nutrición por correo electrónico",
        "Tráfico web",
        "Apéndice de calidad de datos",
    ):
        assert f"\n{heading}\n" in shown, heading


# --- no English in a Spanish report ---------------------------------------------

#: Words both languages write the same way: acronyms, borrowings, names of methods.
SHARED = {
    "kpi", "cac", "roi", "roas", "ltv", "sla", "mql", "sql", "ctr", "utc", "sha",
    "leads", "lead", "web", "display", "markov", "shapley", "kaplan", "meier",
    "leadkpi", "readme", "total", "error", "email", "min", "ratios",
    "mar", "may", "jun", "jul", "sept", "oct", "nov",  # months abbreviated alike
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]{3,}")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _data_words(data: LeadData) -> set[str]:
    """Every word the exports themselves carry (names, campaigns, reasons, files),
    and the config's path (the footer shows it)."""
    found = _words(str(data.config.name)) | _words(str(ROOT / "leadkpi.yaml"))
    for frame in (*data.tables.values(), data.accounting()):
        for column in frame.columns:
            values = frame[column]
            if values.dtype.kind in "OSU" or pd.api.types.is_string_dtype(values):
                found |= _words(" ".join(values.dropna().astype(str).unique()))
    return found


def test_spanish_report_shows_no_english_word(sample_report, sample, tmp_path):
    english = _visible(sample_report.read_text(encoding="utf-8"))
    spanish = _render(ROOT / "leadkpi.yaml", tmp_path / "es", "es")
    assert "Embudo" in spanish and "Funnel" in english
    leftover = (_words(english) & _words(spanish)) - SHARED - _data_words(sample)
    assert not leftover, sorted(leftover)
    for phrase in ("Referidos", "Búsqueda de pago", "Redes sociales de pago"):
        assert phrase in spanish, phrase
    footer = spanish[spanish.index("Generado por leadkpi") :]
    assert "idioma: español · modo: periodo" in footer and "'" not in footer


def test_retention_draws_at_most_five_lines_the_rest_pooled(sample):
    from leadkpi.present.monthly_sections import MAX_LINES, retention_section

    curves = retention_section(sample, pd.Period("2026-10", "M")).numbers["retention"]
    every = leadkpi.retention_curve(
        sample, by=("channel",), method="chained", max_age=12, as_of="2026-10-31"
    )
    assert every["channel"].nunique() > MAX_LINES  # the sample has more channels
    assert curves["channel"].nunique() == MAX_LINES
    assert "other" in set(curves["channel"])
    starts = curves[curves["age"] == 0].set_index("channel")["size"]
    everyone = every[every["age"] == 0].set_index("channel")["size"]
    assert starts.sum() == everyone.sum()  # pooled, nobody dropped
    kept = starts.drop("other")
    assert (kept >= everyone.drop(kept.index).max()).all()  # the largest are kept
