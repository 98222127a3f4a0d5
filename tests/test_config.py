"""Reading leadkpi.yaml."""

import copy
import datetime as dt
import pickle

import pytest

from leadkpi import load_config
from leadkpi.config import DEFAULT_STAGES, Config, Target, parse_targets
from leadkpi.exceptions import ConfigError


def test_sample_config(sample_config, root):
    config = load_config(sample_config)
    assert config.timezone == "Europe/Madrid" and config.currency == "EUR"
    leads = config.source("leads")
    assert leads.path == root / "data/sample/hubspot-crm-exports-all-contacts.csv"
    assert leads.profile == "hubspot_contacts"
    assert config.stages == DEFAULT_STAGES
    assert config.targets["leads"] == Target(300.0)
    cpl = config.targets["cost_per_lead"]
    assert cpl.value == 60 and dict(cpl.by["channel"]) == {
        "paid_search": 80.0,
        "events": 300.0,
    }
    events = {e.name: e for e in config.conversions}
    assert events["demo_request"].touch_type == "demo_request"
    assert events["ad_platforms"].platform and events["ad_platforms"].crm == (
        "form_fill"
    )
    assert all(e.line for e in events.values())  # errors can name the line


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "timezone: Mars/Olympus\n",
            "line 1: 'timezone' must be an IANA timezone such as Europe/Madrid or UTC, "
            "not 'Mars/Olympus'",
        ),
        (
            "sources:\n  prospects: a.csv\n",
            "line 2: 'sources.prospects' is not a table; expected leads, deals,",
        ),
        ("sources: [a.csv]\n", "line 1: 'sources' must be a mapping, not ['a.csv']"),
        ("sla_hours: soon\n", "line 1: 'sla_hours' must be a number, not 'soon'"),
        ("sla_hours: -1\n", "line 1: 'sla_hours' must be greater than 0, not -1"),
        ("a: [1\n", "line 2: not valid YAML: while parsing a flow sequence expected"),
        ("- 1\n", "line 1: must hold settings (name: value lines), not [1]"),
        ("fiscal_year_start: 13\n", "line 1: 'fiscal_year_start' must be a month 1-12"),
        ("fiscal_year_start: 1.5\n", "'fiscal_year_start' must be a whole number"),
        ("channel_rules: {a: 1}\n", "line 1: 'channel_rules' must be a list"),
        (
            "channel_rules:\n  - {medium: cpc, channel: paid}\n  - {medium: cpc}\n",
            "line 3: 'channel_rules[1]' needs a 'channel' and at least one column",
        ),
        (
            "channel_rules: [{medium: '(', channel: x}]\n",
            "line 1: 'channel_rules[0].medium' is not a regular expr",
        ),
        (
            "rates: {USD: dollar}\n",
            "line 1: 'rates.USD' must be a number, not 'dollar'",
        ),
        (
            "rates: {dollar: 0.9}\n",
            "line 1: 'rates.dollar' must be an ISO 4217 currency code such as EUR or "
            "USD, not 'dollar'; did you mean 'USD' (US Dollar)?",
        ),
        (
            "sources:\n  leads: {path: a.csv, mapping: [x]}\n",
            "line 2: 'sources.leads.mapping' must be a mapping, not ['x']",
        ),
        ("targets: [300]\n", "line 1: 'targets' must be a mapping, not [300]"),
        ("targets: {leads: many}\n", "'targets.leads' must be a number, not 'many'"),
        (
            "targets: {cpl: {value: 60, channel: {paid_search: high}}}\n",
            "'targets.cpl.channel.paid_search' must be a number, not 'high'",
        ),
        ("targets: {cpl: {channel: 80}}\n", "'targets.cpl.channel' must be a mapping"),
        ("targets: {cpl: {channel: {}}}\n", "'targets.cpl.channel' must not be empty"),
        ("targets: {cpl: {}}\n", "'targets.cpl' needs a 'value' or targets by a"),
        ("targets: {leads: true}\n", "'targets.leads' must be a number, not True"),
        ("targets: {leads: .inf}\n", "'targets.leads' must be a finite number"),
        (
            "targets: {revenue: {change: 0.2}}\n",
            "line 1: 'targets.revenue' 'change' needs 'against': one of previous_month",
        ),
        (
            "targets: {revenue: {against: previous_year}}\n",
            "'targets.revenue' 'against' needs a 'change' (a fraction: 0.20 for +20 %)",
        ),
        (
            "targets: {revenue: {change: 20, against: previous_year}}\n",
            "'targets.revenue.change' is a fraction (0.20 is +20 %), so 20.0 would be "
            "+2,000 %",
        ),
        (
            "targets: {cac: {change: -1, against: previous_year}}\n",
            "'targets.cac.change' must be more than -1",
        ),
        (
            "targets: {revenue: {change: 0.2, against: last_year}}\n",
            "'targets.revenue.against' must be 'previous_month', "
            "'same_month_last_year'",
        ),
        (
            "targets: {revenue: {value: 9, change: 0.2, against: previous_year}}\n",
            "'targets.revenue' is either absolute (value, targets by a dimension) or "
            "relative (change and against), not both",
        ),
        ("stages: {}\n", "line 1: 'stages' must not be empty"),
        ("name: [Acme]\n", "line 1: 'name' must be text, not ['Acme']"),
        ("locale: no\n", "'locale' must be text, not False (YAML reads yes, no, on"),
    ],
)
def test_bad_settings_are_named_with_their_line(tmp_path, text, message):
    path = tmp_path / "leadkpi.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith(f"config {path}")
    assert message in str(info.value)
    assert "\n" not in str(info.value)  # one problem, one line


def test_missing_config(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")


def test_source_mapping_options_and_project_settings(tmp_path):
    path = tmp_path / "leadkpi.yaml"
    path.write_text(
        "fiscal_year_start: 4\nlocale: es\nrates: {usd: 0.9}\n"
        "channel_rules:\n  - {utm_medium: '^cpc$', channel: paid_search}\n"
        "sources:\n  leads:\n    path: crm.csv\n    profile: generic\n"
        "    encoding: cp1252\n    mapping: {lead_id: Id, created_at: Created}\n"
    )
    config = load_config(path)
    source = config.source("leads")
    assert source.profile == "generic" and source.path == tmp_path / "crm.csv"
    assert source.mapping == {"lead_id": "Id", "created_at": "Created"}
    assert source.options == {"encoding": "cp1252"}
    assert config.fiscal_year_start == 4 and config.locale == "es"
    assert config.rates == {"USD": 0.9}
    assert config.channel_rules[0]["channel"] == "paid_search"


def test_a_table_can_have_several_sources(tmp_path):
    path = tmp_path / "leadkpi.yaml"
    path.write_text(
        "sources:\n  spend:\n    - {path: google.csv, profile: google_ads}\n"
        "    - meta/\n  leads: crm.csv\n"
    )
    config = load_config(path)
    spend = config.sources_of("spend")
    assert [s.path.name for s in spend] == ["google.csv", "meta"]
    assert [s.profile for s in spend] == ["google_ads", "auto"]  # the default
    assert config.source("spend") == spend[0]
    assert config.sources_of("web") == ()


def test_targets_are_read_only_and_keep_the_simple_form(tmp_path):
    path = tmp_path / "leadkpi.yaml"
    path.write_text(
        "targets:\n  leads: 300\n  cost_per_lead:\n    channel: {paid_search: 80}\n"
        "    country: {ES: 50, 7: 40}\n"
    )
    targets = load_config(path).targets
    assert targets["leads"] == Target(300.0, {})
    cpl = targets["cost_per_lead"]
    assert cpl.value is None and list(cpl.by) == ["channel", "country"]
    assert dict(cpl.by["country"]) == {"ES": 50.0, "7": 40.0}  # keys become text
    with pytest.raises(TypeError):
        targets["leads"] = Target(1.0)  # type: ignore[index]
    with pytest.raises(TypeError):
        cpl.by["channel"]["paid_search"] = 1.0  # type: ignore[index]
    assert load_config(tmp_path / "leadkpi.yaml").targets == targets
    config = load_config(path)
    assert pickle.loads(pickle.dumps(config)) == config  # LeadData may be shipped
    assert copy.deepcopy(config).targets == targets
    assert parse_targets(None) == {} and parse_targets(targets) == targets


def test_targets_given_from_python_are_read_the_same_way():
    from leadkpi import Config

    config = Config(targets={"leads": 300, "cpl": {"channel": {"paid_search": 80}}})
    assert config.targets["leads"] == Target(300.0)
    assert config.targets["cpl"].by["channel"]["paid_search"] == 80.0
    assert Config().targets == {}
    with pytest.raises(ConfigError, match="'targets.leads' must be a number"):
        Config(targets={"leads": "many"})


def test_funnel_stages_listed_out_of_order_are_refused(tmp_path):
    # a tool that re-sorts the mapping (customer, lead, mql, ...) would otherwise
    # give a funnel whose every rate means nothing
    path = tmp_path / "leadkpi.yaml"
    path.write_text(
        "stages:\n  customer: won_at\n  demo: demo_at\n  lead: created_at\n"
        "  won: [Firmado]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="lists 'customer' before 'lead'; list the"):
        load_config(path)
    path.write_text(
        "stages:\n  lead: created_at\n  demo: demo_at\n  customer: won_at\n",
        encoding="utf-8",
    )
    assert [s for s, _ in load_config(path).stages] == ["lead", "demo", "customer"]
    with pytest.raises(ConfigError, match="'sql' is listed before 'mql'"):
        Config(stages=(("lead", "created_at"), ("sql", "sql_at"), ("mql", "mql_at")))


def test_business_hours_and_cumulative_stages(tmp_path):
    path = tmp_path / "leadkpi.yaml"
    path.write_text(
        "cumulative_stages: false\n"
        "business_hours:\n  days: [mon, tue, wed]\n  start: '08:00'\n  end: 17:30\n"
        "  timezone: America/New_York\n  holidays: [2026-12-25]\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.cumulative_stages is False
    hours = config.business_hours
    assert hours.days == (0, 1, 2)
    assert (hours.start, hours.end) == (dt.time(8), dt.time(17, 30))
    assert hours.timezone == "America/New_York"
    assert hours.holidays == (dt.date(2026, 12, 25),)
    assert load_config(tmp_path / "leadkpi.yaml").business_hours == hours


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            "business_hours:\n  days: [funday]\n",
            "line 2: 'business_hours.days[0]' must be a weekday (mon, tue, … sun, or "
            "0-6), not 'funday'",
        ),
        (
            "business_hours:\n  days: 5\n",
            "line 2: 'business_hours.days' must be a list of weekdays, e.g. [mon, tue, "
            "wed, thu, fri], not 5",
        ),
        (
            "business_hours:\n  start: '18:00'\n  end: '09:00'\n",
            "line 1: 'business_hours' end 09:00 must be after start 18:00",
        ),
        (
            "business_hours:\n  start: noon\n",
            "line 2: 'business_hours.start' must be a time like '09:00', not 'noon'",
        ),
        (
            "business_hours:\n  holidays: [xmas]\n",
            "line 2: 'business_hours.holidays[0]' must be a date (YYYY-MM-DD), not "
            "'xmas'",
        ),
        (
            "business_hours:\n  holidays: 2026-12-25\n",
            "line 2: 'business_hours.holidays' must be a list of dates, e.g. "
            "[2026-12-25], not 2026-12-25",
        ),
        (
            "business_hours:\n  timezone: Mars/Base\n",
            "line 2: 'business_hours.timezone' must be an IANA timezone",
        ),
        (
            "business_hours:\n  lunch: 1\n",
            "line 2: 'business_hours.lunch' is not a setting; expected days, start, "
            "end, timezone, holidays",
        ),
        (
            "cumulative_stages: maybe\n",
            "line 1: 'cumulative_stages' must be true or false, not 'maybe'",
        ),
    ],
)
def test_business_hours_errors_name_the_setting(tmp_path, yaml_text, message):
    path = tmp_path / "leadkpi.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert f"config {path} {message}" in str(info.value)
