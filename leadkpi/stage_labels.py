"""Which CRM stage labels mean won, lost, and each funnel stage.

CRM admins rename pipeline and lifecycle stages ("Closed: won", "Won - signed",
"Ganado", "Cerrada ganada"), and a deals file whose closed stages are not recognised
would load with no won deal at all. The labels are data: multilingual defaults
(:data:`DEFAULT_STAGE_LABELS`, compared trimmed and case-insensitively), to which a
project adds its own under ``stages:`` in ``leadkpi.yaml``::

    stages:
      lead: created_at
      mql: {column: mql_at, labels: [Lead cualificado]}
      won: [Won - signed, Ganado firmado]
      lost: [Closed - no budget]

:func:`unrecognised_closed` finds the labels that look closed ("Cerrada ganada",
"Gewonnen") but mean nothing to leadkpi, so that the reader can warn instead of
counting zeros.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

__all__ = [
    "CLOSED_LOOKING",
    "DEFAULT_STAGES",
    "DEFAULT_STAGE_LABELS",
    "misordered",
    "merge_labels",
    "label_map",
    "unrecognised_closed",
]

#: The default funnel, in order: (stage id, the leads column that dates it).
DEFAULT_STAGES: tuple[tuple[str, str], ...] = (
    ("lead", "created_at"),
    ("mql", "mql_at"),
    ("sql", "sql_at"),
    ("opportunity", "opportunity_at"),
    ("customer", "won_at"),
)


def misordered(stages: Sequence[str]) -> tuple[str, str] | None:
    """The first pair of default stages listed against the order a lead reaches
    them (a later stage before an earlier one), or None.

    A funnel counts each stage among the leads that reached the one before, so a
    mapping re-sorted by a tool (``customer`` before ``lead``) would give numbers
    that mean nothing. Stages of a project's own (``demo``) may stand anywhere.

    Examples
    --------
    >>> misordered(["lead", "demo", "mql", "customer"]) is None
    True
    >>> misordered(["customer", "lead", "mql"])
    ('customer', 'lead')
    """
    rank = {stage: i for i, (stage, _) in enumerate(DEFAULT_STAGES)}
    known = [s for s in stages if s in rank]
    for earlier, later in zip(known, known[1:], strict=False):
        if rank[later] < rank[earlier]:
            return earlier, later
    return None


_WON_EN = (
    "Closed Won",
    "closedwon",
    "Won",
    "Closed - Won",
    "Closed: Won",
    "Closed/Won",
)
_LOST_EN = (
    "Closed Lost", "closedlost", "Lost", "Closed - Lost", "Closed: Lost", "Closed/Lost",
)  # fmt: skip

#: Stage id → labels that mean it, in English, Spanish, Portuguese, French and
#: German CRM UIs (and HubSpot's internal values). ``won`` and ``lost`` are deal
#: outcomes; the others are lifecycle (funnel) stages.
DEFAULT_STAGE_LABELS: Mapping[str, tuple[str, ...]] = {
    "won": (
        *_WON_EN,
        "Ganado", "Ganada", "Cerrado ganado", "Cerrada ganada", "Cerrado - ganado",
        "Cerrada/ganada", "Ganho", "Fechado ganho", "Fechada/ganha", "Gagné",
        "Gagnée", "Fermé gagné", "Fermée/gagnée", "Gewonnen",
        "Geschlossen und gewonnen", "Abgeschlossen - gewonnen",
    ),
    "lost": (
        *_LOST_EN,
        "Perdido", "Perdida", "Cerrado perdido", "Cerrada perdida",
        "Cerrado - perdido", "Cerrada/perdida", "Fechado perdido", "Fechada/perdida",
        "Perdu", "Perdue", "Fermé perdu", "Fermée/perdue", "Verloren",
        "Geschlossen und verloren", "Abgeschlossen - verloren",
    ),
    "subscriber": ("subscriber", "Suscriptor", "Assinante", "Abonné", "Abonnent"),
    "lead": ("lead", "Lead", "Cliente potencial", "Prospect"),
    "mql": (
        "marketingqualifiedlead", "Marketing Qualified Lead", "MQL",
        "Lead cualificado para marketing", "Lead calificado por marketing",
        "Lead qualificado para marketing", "Lead qualifié marketing",
    ),
    "sql": (
        "salesqualifiedlead", "Sales Qualified Lead", "SQL",
        "Lead cualificado para ventas", "Lead calificado por ventas",
        "Lead qualificado para vendas", "Lead qualifié commercial",
    ),
    "opportunity": ("opportunity", "Oportunidad", "Oportunidade", "Opportunité"),
    "customer": ("customer", "Cliente", "Client", "Kunde"),
}  # fmt: skip

#: A label that looks like a closed stage, in the languages above (RE2 syntax).
CLOSED_LOOKING = (
    r"(?i)\b(?:closed?|won|lost|ganad[oa]s?|perdid[oa]s?|cerrad[oa]s?|ganh[oa]s?|"
    r"fechad[oa]s?|gagn[ée]e?s?|perdue?s?|ferm[ée]e?s?|gewonnen|verloren|"
    r"geschlossen|abgeschlossen)\b"
)


def merge_labels(
    extra: Mapping[str, Sequence[str]] | None = None,
    base: Mapping[str, Sequence[str]] = DEFAULT_STAGE_LABELS,
) -> dict[str, tuple[str, ...]]:
    """``base`` with ``extra`` labels added (the defaults stay recognised).

    Examples
    --------
    >>> labels = merge_labels({"won": ["Won - signed"]})
    >>> labels["won"][-1], "Closed Won" in labels["won"]
    ('Won - signed', True)
    """
    out = {stage: tuple(labels) for stage, labels in base.items()}
    for stage, labels in (extra or {}).items():
        known = out.get(stage, ())
        out[stage] = known + tuple(str(x) for x in labels if str(x) not in known)
    return out


def label_map(
    labels: Mapping[str, Sequence[str]], stages: Sequence[str]
) -> dict[str, str]:
    """Label → stage id for the ``stages`` given (a profile's ``values`` map).

    Examples
    --------
    >>> label_map({"won": ["Ganado"], "lost": ["Perdido"], "mql": ["MQL"]}, ["won"])
    {'Ganado': 'won'}
    """
    return {label: stage for stage in stages for label in labels.get(stage, ())}


def unrecognised_closed(
    stage: pd.Series, known: Sequence[str] = ("won", "lost")
) -> pd.Series:
    """Counts of the labels that look closed but are not a known stage id.

    Parameters
    ----------
    stage : pandas.Series
        A deals table's ``stage`` after its labels were mapped (recognised labels
        read ``won`` / ``lost``).
    known : sequence of str
        The stage ids that count as recognised.

    Returns
    -------
    pandas.Series
        Label → number of rows, most frequent first; empty when none.

    Examples
    --------
    >>> stage = pd.Series(["won", "Cerrada/firmada", "Cerrada/firmada", "Prospecting"])
    >>> unrecognised_closed(stage).to_dict()
    {'Cerrada/firmada': 2}
    """
    counts = stage.astype("str").str.strip().value_counts()
    labels = pd.Series(counts.index, index=counts.index, dtype="str")
    closed = labels.str.contains(CLOSED_LOOKING, regex=True).fillna(False)
    closed &= ~labels.str.casefold().isin(list(known))
    return counts[closed.to_numpy()].rename(None).rename_axis(None)
