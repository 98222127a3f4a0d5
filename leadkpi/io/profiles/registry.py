"""Find a source profile: by its name, or by recognising a file's header.

Auto-detection looks at the first lines of a file (as :func:`leadkpi.io.text.peek_text`
returns them), finds the line that holds a profile's signature headers (for a
key-value report, the first column that holds its keys), and picks the profile whose
signature is the most specific. leadkpi's own canonical layout takes
part as one more profile per table, so ``profile="auto"`` still reads canonical files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from leadkpi.io.profiles.base import Profile
from leadkpi.schemas import TABLES

__all__ = [
    "Match",
    "available",
    "canonical_profiles",
    "closest",
    "detect",
    "get_profile",
    "header_key",
]


@dataclass(frozen=True)
class Match:
    """Where and how well a profile's header was found among a file's first rows.

    Attributes
    ----------
    profile : Profile
        The profile.
    row : int
        0-based index, among the rows looked at, of the line that best matches.
    found : tuple of str
        Signature headers present on that line.
    missing : tuple of str
        Signature headers absent from it (empty for a full match).
    known : int
        How many of the line's cells the profile knows (breaks ties between full
        matches: the profile that understands more of the file wins).
    """

    profile: Profile
    row: int
    found: tuple[str, ...]
    missing: tuple[str, ...]
    known: int

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def rank(self) -> tuple[int, int, int]:
        return (len(self.found) - len(self.missing), len(self.found), self.known)


def header_key(cell: object) -> str:
    """A header cell as matched: trimmed, without BOM or quotes, casefolded."""
    return str(cell).strip().lstrip("\ufeff").strip('"').strip().casefold()


def canonical_profiles() -> tuple[Profile, ...]:
    """leadkpi's own layout, one profile per canonical table (name ``"canonical"``)."""
    return tuple(
        Profile(
            name="canonical",
            vendor="leadkpi",
            kind=spec.name,
            columns={name: (name,) for name in spec.column_names},
            # the time column too: a canonical deals file is told from leads by it
            signature=tuple(dict.fromkeys((*spec.required, spec.time_column))),
        )
        for spec in TABLES.values()
    )


def available(profiles: Iterable[Profile] | None = None) -> tuple[Profile, ...]:
    """The profiles ``read`` chooses from: the built-in ones unless given."""
    if profiles is not None:
        return tuple(profiles)
    from leadkpi.io.profiles import BUILTIN  # the list lives with the package

    return BUILTIN


def get_profile(name: str, profiles: Iterable[Profile] | None = None) -> Profile:
    """Return the profile called ``name``.

    Raises
    ------
    KeyError
        Naming the profiles that exist.

    Examples
    --------
    >>> get_profile("hubspot_contacts").vendor
    'HubSpot'
    """
    candidates = available(profiles)
    for profile in candidates:
        if profile.name == name:
            return profile
    known = ", ".join(sorted({p.name for p in candidates}))
    raise KeyError(f"unknown profile {name!r}; known profiles: {known}")


def _match(profile: Profile, keys: Sequence[set[str]]) -> Match:
    best: Match | None = None
    aliases = {header_key(a) for names in profile.columns.values() for a in names}
    for row, cells in enumerate(keys):
        present = tuple(h for h in profile.signature if header_key(h) in cells)
        if not present and best is not None:
            continue
        missing = tuple(h for h in profile.signature if header_key(h) not in cells)
        candidate = Match(profile, row, present, missing, len(aliases & cells))
        if best is None or candidate.rank > best.rank:
            best = candidate
    if best is None:  # no rows at all
        return Match(profile, 0, (), tuple(profile.signature), 0)
    return best


def _keys(rows: Sequence[Sequence[object]]) -> list[set[str]]:
    return [{header_key(c) for c in row if str(c).strip()} for row in rows]


def _first_cells(rows: Sequence[Sequence[object]]) -> list[set[str]]:
    """The first cell of every row, as one set: a key-value report's keys."""
    return [{header_key(row[0]) for row in rows if row and str(row[0]).strip()}]


def _matches(
    rows: Sequence[Sequence[object]],
    kind: str | None,
    profiles: Iterable[Profile] | None,
) -> list[Match]:
    keys, firsts = _keys(rows), _first_cells(rows)
    candidates = (*available(profiles), *canonical_profiles())
    return [
        _match(p, firsts if p.layout == "key-value" else keys)
        for p in candidates
        if kind is None or p.kind == kind
    ]


def detect(
    rows: Sequence[Sequence[object]],
    *,
    kind: str | None = None,
    profiles: Iterable[Profile] | None = None,
) -> Match | None:
    """Recognise an export from its first rows.

    Parameters
    ----------
    rows : sequence of sequence of str
        The file's first rows, split into cells (preamble lines included).
    kind : str, optional
        Only consider profiles that fill this canonical table.
    profiles : iterable of Profile, optional
        Candidates; default the built-in profiles plus the canonical layout.

    Returns
    -------
    Match or None
        The best complete match: the one with the longest signature, then the one
        that knows most of the header's cells; None when no signature is complete.

    Examples
    --------
    >>> rows = [["Record ID", "Email", "Create Date", "Lifecycle Stage"], ["1"]]
    >>> detect(rows).profile.name
    'hubspot_contacts'
    >>> detect([["lead_id", "created_at", "channel"]]).profile.name
    'canonical'
    """
    matches = _matches(rows, kind, profiles)
    complete = [m for m in matches if m.complete and m.profile.signature]
    if not complete:
        return None
    return max(complete, key=lambda m: (len(m.profile.signature), m.known))


def closest(
    rows: Sequence[Sequence[object]],
    *,
    kind: str | None = None,
    profiles: Iterable[Profile] | None = None,
    n: int = 3,
) -> list[Match]:
    """The ``n`` profiles whose signature comes nearest to the file's header."""
    matches = _matches(rows, kind, profiles)
    ranked = sorted(
        matches,
        key=lambda m: (
            -len(m.found) / max(len(m.profile.signature), 1),
            -m.known,
            m.profile.name,
        ),
    )
    return ranked[:n]
