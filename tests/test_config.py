"""Reading leadkpi.yaml."""

import pytest

from leadkpi import load_config
from leadkpi.config import DEFAULT_STAGES
from leadkpi.exceptions import ConfigError


def test_sample_config(sample_config, root):
    config = load_config(sample_config)
    assert config.timezone == "Europe/Madrid" and config.currency == "EUR"
    assert config.source("leads").path == root / "data/sample/leads.csv"
    assert config.stages == DEFAULT_STAGES
    assert config.targets["cost_per_lead"] == 60


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("timezone: Mars/Olympus\n", "unknown timezone 'Mars/Olympus'"),
        ("sources:\n  prospects: a.csv\n", "unknown table 'prospects'"),
        ("sources: [a.csv]\n", "'sources' must map table names to files"),
        ("sla_hours: soon\n", "'sla_hours' and 'targets' must be numbers"),
        ("a: [1\n", "not valid YAML"),
        ("- 1\n", "expected a mapping"),
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
