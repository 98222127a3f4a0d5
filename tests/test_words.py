"""The words files: one per language, the same keys and placeholders in each, and a
new language is one more file."""

from __future__ import annotations

import re
import shutil
import string
from pathlib import Path

import pandas as pd
import pytest
from babel import Locale

from leadkpi.kpis import KPIS
from leadkpi.present import i18n
from leadkpi.present import words as words_module
from leadkpi.present.words import FOLDER, languages, load_words, words

LANGS = languages()
PRESENT = Path(i18n.__file__).parent


def _flat(table: object, prefix: str = "") -> dict[str, object]:
    if isinstance(table, dict):
        out: dict[str, object] = {}
        for key, value in table.items():
            out |= _flat(value, f"{prefix}{key}.")
        return out
    return {prefix.rstrip("."): table}


def _raw(lang: str) -> dict[str, object]:
    import tomllib

    return _flat(tomllib.loads((FOLDER / f"{lang}.toml").read_text("utf-8")))


def _placeholders(value: object) -> set[str]:
    values = value if isinstance(value, list) else [value]
    return {
        name
        for v in values
        if isinstance(v, str)
        for _, name, _, _ in string.Formatter().parse(v)
        if name
    }


def test_english_and_spanish_have_files():
    assert LANGS[:2] == ("en", "es")
    assert i18n.LOCALES == {lang: words(lang).locale for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS[1:])
def test_every_language_has_every_key_of_english(lang):
    english, other = _raw("en"), _raw(lang)
    assert sorted(set(english) - set(other)) == []
    assert sorted(set(other) - set(english)) == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_sentence_fills_only_what_english_fills(lang):
    # a language may leave a value out, or take the form of a name that reads
    # inside a sentence ({channel_inline} for {channel}), never ask for another
    english, other = _raw("en"), _raw(lang)
    differ = {}
    for key, value in other.items():
        offered = _placeholders(english[key])
        offered |= {f"{name}_inline" for name in offered}
        if not _placeholders(value) <= offered:
            differ[key] = sorted(_placeholders(value) - offered)
    assert differ == {}


@pytest.mark.parametrize("lang", LANGS)
def test_no_word_is_empty_and_the_locale_is_babels(lang):
    empty = [k for k, v in _raw(lang).items() if v == "" or v == []]
    assert empty == []
    assert Locale.parse(words(lang).locale).language == lang


@pytest.mark.parametrize("lang", LANGS)
def test_every_catalogue_kpi_is_named_and_defined(lang):
    named = words(lang).kpis
    assert sorted(set(KPIS) - set(named)) == []
    assert sorted(set(named) - set(KPIS)) == []
    assert all(entry["name"] and entry["definition"] for entry in named.values())


def test_the_engine_holds_no_words():
    # the catalogue's KPIs are named by the words files only
    assert all(not k.name and not k.definition for k in KPIS.values())


def test_a_key_in_two_subjects_is_refused(tmp_path):
    path = tmp_path / "xx.toml"
    path.write_text(
        '[meta]\nlocale = "en_GB"\n[text.a]\ntitle = "A"\n[text.b]\ntitle = "B"\n',
        encoding="utf-8",
    )
    repeated = r"xx.toml: \[text.b\] repeats the key 'title'"
    with pytest.raises(ValueError, match=repeated):
        load_words(path)


def test_no_presentation_code_branches_on_a_language():
    # a new language must need no code: no comparison of a language with a code
    branch = re.compile(r"""lang\w*\s*[!=]=\s*["'][a-z]{2}["']""")
    found = [
        f"{path.relative_to(PRESENT)}:{number}"
        for path in sorted(PRESENT.rglob("*.py"))
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if branch.search(line)
    ]
    assert found == []


@pytest.fixture
def french(tmp_path, monkeypatch):
    """A third language made of one file: the Spanish words under a French locale."""
    for lang in LANGS:
        shutil.copy(FOLDER / f"{lang}.toml", tmp_path / f"{lang}.toml")
    source = (FOLDER / "es.toml").read_text("utf-8")
    (tmp_path / "fr.toml").write_text(
        source.replace('locale = "es_ES"', 'locale = "fr_FR"'), encoding="utf-8"
    )
    monkeypatch.setattr(words_module, "FOLDER", tmp_path)
    langs = languages(tmp_path)
    monkeypatch.setattr(i18n, "LANGS", langs)
    monkeypatch.setitem(i18n.LOCALES, "fr", "fr_FR")
    return langs


def test_a_new_language_is_one_file(french):
    from leadkpi.present.tables import format_value, kpi_names

    assert french == ("en", "es", "fr")
    assert i18n.text("headline", "fr") == i18n.text("headline", "es")
    assert i18n.month_name(pd.Period("2026-10", "M"), "fr") == "octobre de 2026"
    money = format_value(1234.5, "currency", lang="fr", currency="EUR")
    assert re.sub(r"\s", " ", money) == "1 234,50 €"
    names = kpi_names(pd.Series(["cost_per_lead"]), lang="fr")
    assert names.tolist() == ["Coste por lead"]
    assert i18n.report_title("monthly", pd.Period("2026-10"), "fr").endswith(
        "(français)"
    )
