"""Reading leadkpi.yaml."""

import copy
import datetime as dt
import pickle

import pytest

from leadkpi import load_config
from leadkpi.config import DEFAULT_STAGES, Target, parse_targets
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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("timezone: Mars/Olympus\n", "unknown timezone 'Mars/Olympus'"),
        ("sources:\n  prospects: a.csv\n", "unknown table 'prospects'"),
        ("sources: [a.csv]\n", "'sources' must map table names to files"),
        ("sla_hours: soon\n", "'sla_hours' and 'targets' must be numbers"),
        ("a: [1\n", "not valid YAML"),
        ("- 1\n", "expected a mapping"),
        ("fiscal_year_start: 13\n", "'fiscal_year_start' must be a month 1-12"),
        ("channel_rules: {a: 1}\n", "'channel_rules' must be a list"),
        ("channel_rules: [{medium: cpc}]\n", "channel rule 1"),
        ("channel_rules: [{medium: '(', channel: x}]\n", "is not a regular expr"),
        ("rates: {USD: dollar}\n", "'rates' must map currency codes to numbers"),
        ("sources:\n  leads: {path: a.csv, mapping: [x]}\n", "'mapping' must be a"),
        ("targets: [300]\n", "'targets' must map KPI ids to targets"),
        ("targets: {leads: many}\n", "'targets.leads' must be a number, not 'many'"),
        (
            "targets: {cpl: {value: 60, channel: {paid_search: high}}}\n",
            "'targets.cpl.channel.paid_search' must be a number, not 'high'",
        ),
        ("targets: {cpl: {channel: 80}}\n", "'targets.cpl.channel' must map channel"),
        ("targets: {cpl: {}}\n", "'targets.cpl' needs a 'value' or targets by a"),
        ("targets: {leads: true}\n", "'targets.leads' must be a number, not True"),
    ],
)
def test_bad_settings_are_named(tmp_path, text, message):
    path = tmp_path / "leadkpi.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="leadkpi.yaml") as info:
        load_config(path)
    assert message in str(info.value)


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
        ("business_hours:\n  days: [funday]\n", "'funday' is not a weekday"),
        ("business_hours:\n  start: '18:00'\n  end: '09:00'\n", "must be after start"),
        ("business_hours:\n  start: noon\n", "start must be a time"),
        ("business_hours:\n  holidays: [xmas]\n", "holiday 'xmas' is not an ISO date"),
        ("business_hours:\n  timezone: Mars/Base\n", "unknown timezone 'Mars/Base'"),
        ("business_hours:\n  lunch: 1\n", "unknown setting(s) ['lunch']"),
        ("cumulative_stages: maybe\n", "'cumulative_stages' must be true or false"),
    ],
)
def test_business_hours_errors_name_the_setting(tmp_path, yaml_text, message):
    path = tmp_path / "leadkpi.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert message in str(info.value) and str(path) in str(info.value)
