"""Report sections that say what they need, and degrade to one line without it.

A report section declares its inputs: canonical tables (``"customers"``) or columns
of one (``"leads.first_response_at"``). :func:`section` builds it only when the
project has them all; otherwise the section is its heading and one line,
"Not available: needs a customers export (see README).", and the rest of the report
renders. A :class:`Section` displays itself (one notebook cell, one call) and
carries the tables it drew for the report's sidecar (:class:`ReportNumbers`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from IPython.display import Markdown, display

from leadkpi.data import LeadData
from leadkpi.exceptions import ArgumentError
from leadkpi.present.i18n import check_lang, markdown, text
from leadkpi.schemas import TABLES

__all__ = ["Section", "missing", "unavailable", "section"]


@dataclass(frozen=True, eq=False)
class Section:
    """The parts of one report section, and the tables behind them.

    Parameters
    ----------
    parts : sequence
        What is shown, in order: Markdown, Stylers, matplotlib Figures.
    numbers : mapping of str to DataFrame
        The tables the parts show, by name, for
        :class:`leadkpi.report_numbers.ReportNumbers`; empty when the section is
        not available.
    missing : tuple of str
        The inputs it lacked (empty when it was built).

    Examples
    --------
    >>> shown = Section([Markdown("## Funnel")])
    >>> [p.data for p in shown], shown.available
    (['## Funnel'], True)
    """

    parts: Sequence[Any]
    numbers: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    missing: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        """Whether the section had everything it needs."""
        return not self.missing

    def __iter__(self) -> Iterator[Any]:
        return iter(self.parts)

    def __len__(self) -> int:
        return len(self.parts)

    def __getitem__(self, index: int) -> Any:
        return self.parts[index]

    def _ipython_display_(self) -> None:
        display(*self.parts)


def _present(data: LeadData, need: str) -> bool:
    table, _, column = need.partition(".")
    frame = getattr(data, table, None)
    return frame is not None and (not column or column in frame.columns)


def missing(data: LeadData, needs: Iterable[str]) -> tuple[str, ...]:
    """The inputs of ``needs`` that ``data`` lacks, in the order given.

    Parameters
    ----------
    data : LeadData
    needs : iterable of str
        Table names (``"customers"``) or ``table.column`` (``"leads.score"``).

    Examples
    --------
    >>> import pandas as pd
    >>> data = LeadData(leads=pd.DataFrame(
    ...     {"lead_id": ["a"], "created_at": ["2025-01-03T10:00:00Z"]}))
    >>> missing(data, ["leads", "customers", "leads.first_response_at"])
    ('customers', 'leads.first_response_at')
    """
    needs = tuple(needs)
    unknown = [n for n in needs if n.partition(".")[0] not in TABLES]
    if unknown:
        raise ArgumentError(
            f"needs {unknown}: expected table names among {list(TABLES)}, "
            "or table.column"
        )
    return tuple(n for n in needs if not _present(data, n))


def unavailable(needs: Iterable[str], *, lang: str = "en") -> Markdown:
    """The one line a section shows instead of itself.

    Examples
    --------
    >>> unavailable(["customers"]).data
    'Not available: needs a customers export (see README).'
    >>> unavailable(["touches", "spend"], lang="es").data  # doctest: +ELLIPSIS
    'No disponible: requiere una exportación de interacciones ... y una ...'
    """
    check_lang(lang)
    named = [text(f"needs_{n}", lang) for n in needs]
    if len(named) > 1:
        named = [", ".join(named[:-1]) + text("needs_and", lang) + named[-1]]
    return Markdown(text("section_unavailable", lang, needs=named[0]))  # our words


def section(
    data: LeadData,
    heading: str | None,
    needs: Iterable[str],
    build: Callable[[], Section | Sequence[Any]],
    *,
    lang: str = "en",
    level: int = 2,
) -> Section:
    """A report section: its heading, then ``build()`` or the "not available" line.

    Parameters
    ----------
    data : LeadData
    heading : str or None
        Words key of the heading (:func:`leadkpi.present.i18n.text`); None for none.
    needs : iterable of str
        What the section reads (see :func:`missing`); ``build`` runs only when
        ``data`` has it all.
    build : callable
        Returns the section's parts after the heading, as a :class:`Section` (to
        carry its numbers) or a sequence of parts.
    lang : {"en", "es"}
    level : int
        Heading level.

    Examples
    --------
    >>> import pandas as pd
    >>> data = LeadData(leads=pd.DataFrame(
    ...     {"lead_id": ["a"], "created_at": ["2025-01-03T10:00:00Z"]}))
    >>> part = section(data, "retention", ["customers"], lambda: [], lang="es")
    >>> [p.data for p in part], part.missing
    (['## Retención de clientes y valor de vida', 'No disponible: requiere una \
exportación de clientes (véase el README).'], ('customers',))
    """
    check_lang(lang)
    head = [markdown(heading, lang, level=level)] if heading else []
    lacking = missing(data, needs)
    if lacking:
        return Section([*head, unavailable(lacking, lang=lang)], {}, lacking)
    built = build()
    if isinstance(built, Section):
        return Section([*head, *built.parts], dict(built.numbers))
    return Section([*head, *built])
