"""The config schema: every problem of a leadkpi.yaml at once, with its line and key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadkpi import Config, load_config
from leadkpi.cli import main
from leadkpi.config import BusinessHours, parse_business_hours, parse_targets
from leadkpi.config_schema import BusinessHoursSpec, Project, SourceSpec, check
from leadkpi.exceptions import ConfigError
from leadkpi.io.read import OPTIONS

ROOT = Path(__file__).resolve().parents[1]

TYPOS = """\
name: Acme Cloud
timezon: Europe/Madrid
curency: EUR
currency: EURO
locale: xx_YY
targts:
  leads: 300
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "leadkpi.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_typo_is_refused_at_once_with_its_line(tmp_path):
    path = _write(tmp_path, TYPOS)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).splitlines() == [
        f"config {path}: 5 problems",
        "  line 2: 'timezon' is not a setting; did you mean 'timezone'?",
        "  line 3: 'curency' is not a setting; did you mean 'currency'?",
        "  line 4: 'currency' must be an ISO 4217 currency code such as EUR or USD, "
        "not 'EURO'; did you mean 'EUR'?",
        "  line 5: 'locale' must be a locale such as en, es or es_MX, not 'xx_YY'",
        "  line 6: 'targts' is not a setting; did you mean 'targets'?",
    ]
    assert [(line, key) for line, key, _ in info.value.problems] == [
        (2, ("timezon",)),
        (3, ("curency",)),
        (4, ("currency",)),
        (5, ("locale",)),
        (6, ("targts",)),
    ]


def test_validate_exits_2_with_one_line_per_problem(tmp_path, capsys):
    path = _write(tmp_path, TYPOS)
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert lines[0] == f"leadkpi: error: config {path}: 5 problems"
    assert len(lines) == 6 and all(line.startswith("  line ") for line in lines[1:])
    assert captured.out == "" and "Traceback" not in captured.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "business_hours:\n  dayz: [mon]\n",
            "line 2: 'business_hours.dayz' is not a setting; did you mean 'days'?",
        ),
        (
            "sources:\n  leeds: crm.csv\n",
            "line 2: 'sources.leeds' is not a table; did you mean 'leads'?",
        ),
        (
            "sources:\n  leads:\n    path: crm.csv\n    encodng: cp1252\n",
            "line 4: 'sources.leads.encodng' is not a setting; did you mean "
            "'encoding'?",
        ),
        (
            "sources:\n  spend:\n    - google.csv\n    - {path: meta.csv, profle: x}\n",
            "line 4: 'sources.spend[1].profle' is not a setting; did you mean "
            "'profile'?",
        ),
        (
            "sources:\n  leads: {profile: hubspot_contacts}\n",
            "line 2: 'sources.leads' needs a path (a file, folder or glob) for its "
            "options (profile)",
        ),
        (
            "sources:\n  leads:\n    path: crm.csv\n    encoding: bogus\n",
            "line 4: 'sources.leads.encoding' must be a text encoding such as utf-8, "
            "cp1252 or utf-16, not 'bogus'",
        ),
        (
            "sources:\n  spend:\n    path: s.csv\n    currency: dollars\n",
            "line 4: 'sources.spend.currency' must be an ISO 4217 currency code such "
            "as EUR or USD, not 'dollars'; did you mean 'USD' (US Dollar)?",
        ),
        (
            "sources:\n  leads: {path: a.csv, decimal: ';'}\n",
            "line 2: 'sources.leads.decimal' must be '.' or ',', not ';'",
        ),
        (
            "sources:\n  leads: {path: a.csv, dayfirst: sometimes}\n",
            "line 2: 'sources.leads.dayfirst' must be true or false, not 'sometimes'",
        ),
        (
            "sources:\n  leads: {path: a.csv, locale: xx}\n",
            "line 2: 'sources.leads.locale' must be a locale such as en, es or es_MX",
        ),
        (
            'sources:\n  leads: "exports/\\0leads.csv"\n',
            "line 2: 'sources.leads' must not hold control characters, not "
            "'exports/\\x00leads.csv'",
        ),
        (
            "conversions:\n  demo:\n    touch_type: demo\n    lead_column: x\n",
            "line 2: 'conversions.demo' needs exactly one of touch_type: <a touch "
            "type>, lead_column: <a date column of the leads> or platform: true, not "
            "touch_type and lead_column",
        ),
        (
            "conversions:\n  demo:\n    touch_typ: demo\n",
            "line 3: 'conversions.demo.touch_typ' is not a setting; did you mean "
            "'touch_type'?",
        ),
        (
            "conversions:\n  ads: {platform: yes please}\n",
            "line 2: 'conversions.ads.platform' must be true or false",
        ),
        (
            "timezone: Europe/Madird\n",
            "line 1: 'timezone' must be an IANA timezone such as Europe/Madrid or "
            "UTC, not 'Europe/Madird'; did you mean 'Europe/Madrid'?",
        ),
        (
            "timezone: UTC\ncurrency: EUR\ntimezone: Europe/Madrid\n",
            "line 3: 'timezone' is given twice (lines 1 and 3); keep one",
        ),
    ],
)
def test_nested_problems_name_key_path_and_line(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith(f"config {path} {message}")


@pytest.mark.parametrize(
    ("setting", "value", "read"),
    [
        ("currency", "usd", "USD"),
        ("timezone", "America/Argentina/Buenos_Aires", None),
        ("timezone", "UTC", None),
        ("locale", "es_MX", None),
        ("locale", "es-ES", None),
        ("locale", "en_GB", None),
    ],
)
def test_valid_codes_load(tmp_path, setting, value, read):
    config = load_config(_write(tmp_path, f"{setting}: {value}\n"))
    assert getattr(config, setting) == (read or value)


def test_the_schema_defaults_are_the_config_defaults():
    config, spec = Config(), Project()
    for name in ("name", "timezone", "currency", "locale", "sla_hours"):
        assert getattr(spec, name) == getattr(config, name), name
    assert spec.fiscal_year_start == config.fiscal_year_start
    assert spec.cumulative_stages == config.cumulative_stages
    hours, hours_spec = BusinessHours(), BusinessHoursSpec()
    assert (hours.start, hours.end) == (hours_spec.start, hours_spec.end)
    assert hours.days == tuple(hours_spec.days)


def test_every_reader_option_is_in_the_schema():
    # a source's options go to leadkpi.read, plus its own locale and its consent to
    # read outside the project folder; or it is a table of the backend
    assert set(SourceSpec.model_fields) == {
        "path",
        "table",
        "profile",
        "mapping",
        "locale",
        "outside_project",
        *OPTIONS,
    }


def test_yaml_anchors_and_merge_keys_still_work(tmp_path):
    path = _write(
        tmp_path,
        "sources:\n  spend:\n"
        "    - &google {path: google-es.csv, profile: google_ads, currency: EUR}\n"
        "    - {<<: *google, path: google-mx.csv, currency: MXN}\n",
    )
    spend = load_config(path).sources_of("spend")
    assert [s.path.name for s in spend] == ["google-es.csv", "google-mx.csv"]
    assert [s.options["currency"] for s in spend] == ["EUR", "MXN"]
    assert spend[1].profile == "google_ads"


def test_configs_of_the_repository_load(tmp_path):
    load_config(ROOT / "leadkpi.yaml")
    # the README's example, and the config the report benchmark writes
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Configuration", 1)[1].split("```yaml\n", 1)[1]
    check(yaml.safe_load(example.split("```", 1)[0]))
    settings_ = yaml.safe_load((ROOT / "leadkpi.yaml").read_text(encoding="utf-8"))
    settings_["sources"] = {t: f"data/{t}.parquet" for t in ("leads", "spend")}
    path = _write(tmp_path, yaml.safe_dump(settings_, sort_keys=False))
    assert load_config(path).source("spend").path == tmp_path / "data/spend.parquet"


def test_settings_given_from_python_are_checked_by_the_same_schema():
    with pytest.raises(ConfigError, match=r"^'targets.leads' must be a number"):
        Config(targets={"leads": "many"})
    with pytest.raises(ConfigError) as info:
        parse_business_hours({"days": 5, "lunch": "13:00"})
    assert str(info.value).splitlines() == [
        "2 problems",
        "  'business_hours.days' must be a list of weekdays, e.g. [mon, tue, wed, "
        "thu, fri], not 5",
        "  'business_hours.lunch' is not a setting; expected days, start, end, "
        "timezone, holidays",
    ]
    targets = parse_targets({"leads": 300, "cpl": {"channel": {"paid_search": 80}}})
    assert targets["leads"].value == 300.0 and targets["cpl"].value is None


# --- the file itself: unreadable, malformed, oversized ------------------------------


def test_a_folder_is_not_a_config(tmp_path, capsys):
    folder = tmp_path / "leadkpi.yaml"
    folder.mkdir()
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"leadkpi: error: config {folder}: is a folder; expected a leadkpi.yaml file\n"
    )


def test_an_unreadable_config_is_one_line(tmp_path, monkeypatch):
    path = _write(tmp_path, "name: x\n")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == f"config {path}: cannot be read (permission denied)"


def test_text_that_is_not_utf8_names_its_line(tmp_path):
    path = tmp_path / "leadkpi.yaml"
    path.write_bytes("name: Acme\ntimezone: UTC\nname2: Compañía\n".encode("cp1252"))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == (
        f"config {path} line 3: is not UTF-8 text (byte 0xf1); save it as UTF-8"
    )


def test_a_utf8_bom_and_an_empty_file_are_fine(tmp_path):
    path = tmp_path / "leadkpi.yaml"
    path.write_bytes("\ufeffname: Compañía\n".encode())
    assert load_config(path).name == "Compañía"
    path.write_text("# nothing set yet\n", encoding="utf-8")
    assert load_config(path).timezone == "UTC"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: [1\n", "line 2: not valid YAML: while parsing a flow sequence"),
        ("name: a\n---\nname: b\n", "line 2: not valid YAML: expected a single doc"),
        ("name: '\n", "not valid YAML: while scanning a quoted scalar"),
        ("\tname: a\n", "line 1: not valid YAML: while scanning for the next token"),
    ],
)
def test_invalid_yaml_is_one_line(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert message in str(info.value) and "\n" not in str(info.value)


#: The "billion laughs": nine levels of nine aliases, 9^9 strings once expanded.
BOMB = (
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            BOMB,
            " line 1: expands to more than 100,000 values through its aliases "
            "(&anchor / *alias); write the settings out instead",
        ),
        ("name: &a [*a]\n", " line 1: an alias refers to a node that contains it"),
        ("name: " + "[" * 50_000 + "]" * 50_000 + "\n", " line 1: nests more than 32"),
        ("name: " + "{a: " * 5_000 + "}" * 5_000 + "\n", " line 1: nests more than 32"),
        ("".join(" " * i + f"k{i}:\n" for i in range(40)), " line 32: nests more"),
        ("name: x\n" + "# padding\n" * 30_000, ": is larger than 256 KiB"),
    ],
)
def test_yaml_bombs_fail_fast(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith(f"config {path}{message}")


def test_the_command_refuses_a_bomb_without_a_traceback(tmp_path):
    path = _write(tmp_path, BOMB)
    done = subprocess.run(
        [sys.executable, "-m", "leadkpi.cli", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,  # a hang guard, not a speed target
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"leadkpi: error: config {path} line 1: expands")
    assert "Traceback" not in done.stderr


# --- fuzzing: whatever the file holds, a Config or one ConfigError ------------------

_KEYS = [*Project.model_fields, "timezon", "days", "path", "value", "channel", "x"]
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.dates(),
    st.sampled_from(["EUR", "UTC", "es", "mon", "09:00", "leads", "a.csv"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(_KEYS) | st.text(max_size=6), inner, max_size=4
        )
    ),
    max_leaves=20,
)
FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=6))
def test_any_settings_give_a_config_or_a_config_error(tmp_path, data):
    path = _write(tmp_path, yaml.safe_dump(data, allow_unicode=True))
    try:
        config = load_config(path)
    except ConfigError as exc:
        assert str(exc).startswith(f"config {path}")
        assert exc.problems
    else:
        assert isinstance(config, Config)


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_give_a_config_or_a_config_error(tmp_path, raw):
    path = tmp_path / "leadkpi.yaml"
    path.write_bytes(raw)
    try:
        load_config(path)
    except ConfigError as exc:
        assert str(exc).startswith(f"config {path}")
