"""The words of leadkpi's reports, tables, charts and lessons: one file per language.

Each language is one TOML file beside this module, named by its code (``en.toml``,
``es.toml``), with the same keys in every file:

* ``[meta]``: the babel ``locale`` that formats its numbers and dates, its month
  (``month_year``) and quarter (``quarter``) patterns;
* ``[text.<subject>]``: sentences and headings by key, with ``{placeholders}``;
* ``[labels.<subject>]``: display names of ids (channels, stages, buckets…);
* ``[kpis.<id>]``: each catalogue KPI's ``name`` and ``definition``;
* ``[checks.*]``, ``[measures.*]``, ``[verbs]``, ``[dimensions]``, ``[provenance]``,
  ``[parameter_names]``, ``[parameter_values]``: the words of the data-quality
  table, the findings, the engine's reasons and the provenance footer.

A new language is one more file with every key (``tests/test_words.py`` checks
that each file has the keys of ``en.toml`` and the same placeholders) and a babel
locale; nothing else changes. The subjects only group keys in the file: keys of
``text`` (and of ``labels``) are one namespace, and a key in two subjects is an
error.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = ["Words", "FOLDER", "languages", "load_words", "words"]

#: The folder of the language files.
FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Words:
    """One language's words, read from its file.

    Attributes
    ----------
    lang : str
        The language code (the file's name).
    locale : str
        The babel locale of its numbers and dates.
    text, labels : mapping
        Sentences and display labels by key (the subjects merged).
    kpis : mapping
        KPI id → ``{"name": …, "definition": …}``.
    other : mapping
        The file's other tables (``meta``, ``checks``, ``measures``, ``verbs``,
        ``dimensions``, ``provenance``…) as read.
    """

    lang: str
    locale: str
    text: Mapping[str, str]
    labels: Mapping[str, str]
    kpis: Mapping[str, Mapping[str, str]]
    other: Mapping[str, Any]

    def __getitem__(self, table: str) -> Any:
        """A table of the file other than text, labels and kpis (``words["verbs"]``)."""
        return self.other[table]


def _merged(path: Path, table: str, subjects: Mapping[str, Any]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for subject, entries in subjects.items():
        for key, value in entries.items():
            if key in merged:
                raise ValueError(
                    f"{path.name}: [{table}.{subject}] repeats the key {key!r} of "
                    f"another [{table}.*] table"
                )
            merged[key] = value
    return merged


def load_words(path: Path) -> Words:
    """Read one language file (``<folder>/<lang>.toml``).

    Raises
    ------
    ValueError
        A key repeated across subjects, or no ``[meta] locale``.
    tomllib.TOMLDecodeError
        The file is not TOML.
    """
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    locale = data.get("meta", {}).get("locale")
    if not locale:
        raise ValueError(f"{path.name}: [meta] has no locale")
    other = {k: v for k, v in data.items() if k not in ("text", "labels", "kpis")}
    return Words(
        lang=path.stem,
        locale=str(locale),
        text=MappingProxyType(_merged(path, "text", data.get("text", {}))),
        labels=MappingProxyType(_merged(path, "labels", data.get("labels", {}))),
        kpis=MappingProxyType(data.get("kpis", {})),
        other=MappingProxyType(other),
    )


def languages(folder: Path = FOLDER) -> tuple[str, ...]:
    """The language codes that have a file in ``folder``, English first."""
    found = sorted(p.stem for p in folder.glob("*.toml"))
    return tuple(sorted(found, key=lambda code: code != "en"))


@cache
def words(lang: str) -> Words:
    """The words of ``lang`` (a code from :func:`languages`), read once."""
    return load_words(FOLDER / f"{lang}.toml")
