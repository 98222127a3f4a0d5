"""Channels derived from source, medium and UTM parameters.

A lead's ``channel`` is not typed by hand: it follows from where the lead came from.
The default grouping below is modelled on the default channel group of Google
Analytics 4 (paid media by ``cpc``/``ppc``/``paid*`` media, social sources, ``(direct)``
with ``(none)``, e-mail, referral, display by ``display``/``banner``/``cpm``), plus an
``events`` channel for webinars, events and trade shows. A source that names a
channel itself (``organic_search``, ``DIRECT_TRAFFIC``, ``social``:
:data:`SOURCE_CHANNELS`) is that channel. The rules are data: a
project's ``channel_rules`` are tried first, in order, then the defaults.

A rule is a mapping of column names to regular expressions plus the ``channel`` it
gives, e.g. ``{"utm_medium": "^cpc$", "utm_source": "bing", "channel":
"paid_search"}``: a row takes the channel of the first rule whose every pattern is
found (case-insensitively) in the row's value of that column. The columns ``source``,
``medium`` and ``campaign`` fall back to ``utm_source``, ``utm_medium`` and
``utm_campaign`` where they are empty, so one rule serves CRM fields and UTM tags.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadkpi.exceptions import ConfigError

__all__ = [
    "CHANNELS",
    "DEFAULT_RULES",
    "SOURCE_CHANNELS",
    "UTM_PARAMETERS",
    "ChannelFill",
    "derive_channels",
    "fill_channels",
    "utm_from_url",
]

#: Channel ids, in display order (the labels live in :mod:`leadkpi.present.i18n`).
CHANNELS: tuple[str, ...] = (
    "paid_search",
    "organic_search",
    "paid_social",
    "organic_social",
    "email",
    "referral",
    "direct",
    "display",
    "events",
    "other",
)

#: UTM parameters read from landing-page URLs, by the leads column they fill.
UTM_PARAMETERS: dict[str, str] = {
    "utm_source": "utm_source",
    "utm_medium": "utm_medium",
    "utm_campaign": "utm_campaign",
}

_SEARCH = r"google|bing|yahoo|duckduckgo|ecosia|baidu|yandex|naver|qwant|search"
_SOCIAL = (
    r"facebook|fb\b|instagram|linkedin|lnkd|twitter|^x$|t\.co|tiktok|youtube|"
    r"pinterest|reddit|snapchat|xing|threads|social"
)
_PAID = r"^(.*cp.*|ppc|retargeting|paid.*)$"

#: Source values that name a channel themselves (as HubSpot's "Original Source"
#: does: ``ORGANIC_SEARCH``, ``DIRECT_TRAFFIC``, ``SOCIAL_MEDIA``…), by channel;
#: ``_`` or a space between words. Tried before every other default rule.
SOURCE_CHANNELS: dict[str, tuple[str, ...]] = {
    "paid_search": ("paid search",),
    "organic_search": ("organic search",),
    "paid_social": ("paid social",),
    "organic_social": ("organic social", "social", "social media"),
    "email": ("email", "email marketing"),
    "referral": ("referral", "referrals"),
    "direct": ("direct", "direct traffic"),
    "display": ("display",),
    "events": ("events", "event"),
}


def _named(names: tuple[str, ...]) -> str:
    words = sorted({n.replace(" ", "[ _]") for n in names}, key=len, reverse=True)
    return rf"^({'|'.join(words)})$"


#: The default grouping: ordered rules, first match wins (GA4-like; see module doc).
DEFAULT_RULES: tuple[Mapping[str, str], ...] = (
    *({"source": _named(names), "channel": channel}
      for channel, names in SOURCE_CHANNELS.items()),
    {"source": r"^\(direct\)$", "medium": r"^(\(none\)|\(not set\)|)$",
     "channel": "direct"},
    {"medium": r"webinar|event|conference|trade.?show|meetup", "channel": "events"},
    {"source": r"livestorm|on24|gotowebinar|zoom|webinarjam|bigmarker|eventbrite",
     "channel": "events"},
    {"medium": r"^(paid.?social|social.?(paid|ads?|cpc))$", "channel": "paid_social"},
    {"source": _SOCIAL, "medium": _PAID, "channel": "paid_social"},
    {"medium": r"^(paid.?search|sem|search.?ads?)$", "channel": "paid_search"},
    {"source": _SEARCH, "medium": _PAID, "channel": "paid_search"},
    {"medium": r"^(display|banner|expandable|interstitial|cpm|programmatic)$",
     "channel": "display"},
    {"medium": r"^(cpc|ppc|paid.*)$", "channel": "paid_search"},
    {"medium": r"^organic$", "channel": "organic_search"},
    {"source": _SEARCH, "medium": r"^(|\(none\)|\(not set\)|referral)$",
     "channel": "organic_search"},
    {"medium": r"^(social|social.?network|social.?media|sm|organic.?social)$",
     "channel": "organic_social"},
    {"source": _SOCIAL, "channel": "organic_social"},
    {"medium": r"^(e.?mail|newsletter)$", "channel": "email"},
    {"source": r"^(e.?mail|newsletter)$", "channel": "email"},
    {"medium": r"^(referral|affiliate|partner)s?$", "channel": "referral"},
    {"source": r"^\(direct\)$", "channel": "direct"},
)  # fmt: skip

_FALLBACK = {"source": "utm_source", "medium": "utm_medium", "campaign": "utm_campaign"}
_SOURCE_COLUMNS = ("source", "medium", "campaign", *UTM_PARAMETERS)


def check_rules(rules: Iterable[Mapping[str, Any]]) -> list[tuple[str, dict]]:
    """Validate channel rules; return them as ``(channel, {column: pattern})`` pairs.

    Raises
    ------
    ConfigError
        When a rule has no ``channel`` or no column pattern, or a pattern is not a
        regular expression; the message names the rule by its position.
    """
    checked = []
    for number, rule in enumerate(rules, start=1):
        channel = rule.get("channel") if isinstance(rule, Mapping) else None
        patterns = {k: v for k, v in rule.items() if k != "channel"}
        if not channel or not patterns:
            raise ConfigError(
                f"channel rule {number} ({dict(rule)!r}) needs a 'channel' and at "
                "least one column pattern"
            )
        for column, pattern in patterns.items():
            try:
                re.compile(str(pattern))
            except re.error as exc:
                raise ConfigError(
                    f"channel rule {number}: {column!r} pattern {pattern!r} is not a "
                    f"regular expression ({exc})"
                ) from None
        checked.append((str(channel), {k: str(v) for k, v in patterns.items()}))
    return checked


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column in frame.columns:
        values = frame[column]
    else:
        values = pd.Series(None, index=frame.index, dtype=object)
    if column in _FALLBACK and _FALLBACK[column] in frame.columns:
        values = values.where(_present(values), frame[_FALLBACK[column]])
    return values.fillna("").astype(str).str.strip().str.lower()


def _present(values: pd.Series) -> pd.Series:
    return values.notna() & (values.fillna("").astype(str).str.strip() != "")


def derive_channels(
    frame: pd.DataFrame, rules: Iterable[Mapping[str, Any]] = ()
) -> pd.Series:
    """Derive each row's channel from its source / medium / UTM columns.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any of the columns ``source, medium, campaign, utm_source, utm_medium,
        utm_campaign`` (plus whatever columns ``rules`` name); missing ones count as
        empty. ``source``/``medium``/``campaign`` fall back to their ``utm_*``.
    rules : iterable of mapping
        Rules tried before :data:`DEFAULT_RULES` (usually ``config.channel_rules``).

    Returns
    -------
    pandas.Series
        A channel id per row, same index; ``"other"`` when source data exists but no
        rule matches, missing when the row has no source data at all.

    Raises
    ------
    ConfigError
        When a rule has no ``channel``, no pattern, or a pattern that is not a regex.

    Examples
    --------
    >>> rows = pd.DataFrame({"source": ["google", "google", "(direct)", "acme", None],
    ...                      "medium": ["cpc", "organic", "(none)", "fax", None]})
    >>> derive_channels(rows).tolist()
    ['paid_search', 'organic_search', 'direct', 'other', nan]
    >>> named = pd.DataFrame({"source": ["PAID_SEARCH", "direct_traffic", "Social"]})
    >>> derive_channels(named).tolist()
    ['paid_search', 'direct', 'organic_social']
    >>> rule = {"source": "^acme$", "channel": "partners"}
    >>> derive_channels(rows, [rule]).tolist()[3]
    'partners'
    """
    checked = check_rules([*rules, *DEFAULT_RULES])
    columns = sorted({*_SOURCE_COLUMNS, *(c for _, p in checked for c in p)})
    view = pd.DataFrame({c: _text(frame, c) for c in columns}, index=frame.index)
    # Rules run on the distinct combinations only: a million leads have a few
    # hundred source/medium/campaign combinations.
    group = view.groupby(columns, sort=False).ngroup().to_numpy()
    first = np.unique(group, return_index=True)[1]
    keys = view.iloc[first].reset_index(drop=True)  # row g holds group g
    masks = []
    for _, patterns in checked:
        mask = np.ones(len(keys), dtype=bool)
        for column, pattern in patterns.items():
            with warnings.catch_warnings():  # groups in a pattern are fine here
                warnings.simplefilter("ignore", UserWarning)
                found = keys[column].str.contains(pattern, case=False, regex=True)
            mask &= found.to_numpy(dtype=bool, na_value=False)
        masks.append(mask)
    channel = np.select(masks, [c for c, _ in checked], default="other")
    known = (keys[list(_SOURCE_COLUMNS)] != "").any(axis=1).to_numpy()
    by_group = np.where(known, channel, None)
    return pd.Series(by_group[group], index=frame.index, name="channel")


def utm_from_url(urls: pd.Series) -> pd.DataFrame:
    """Read ``utm_source``, ``utm_medium`` and ``utm_campaign`` out of URLs.

    Values are URL-decoded (``%20`` and ``+`` become spaces).

    Examples
    --------
    >>> urls = pd.Series(["https://a.io/p?utm_source=li&utm_campaign=Q1%20abm", None])
    >>> utm_from_url(urls).iloc[0].fillna("-").tolist()
    ['li', '-', 'Q1 abm']
    """
    text = pa.array(urls.astype(object), type=pa.large_string(), from_pandas=True)
    out = {}
    for column, parameter in UTM_PARAMETERS.items():
        pattern = rf"(?i)[?&]{parameter}=(?P<value>[^&#]*)"
        found = pc.extract_regex(text, pattern=pattern)
        raw = pd.Series(
            pc.struct_field(found, [0]).to_numpy(zero_copy_only=False),
            index=urls.index,
            dtype=object,
        )
        raw = raw.where(np.asarray(found.is_valid()) & (raw != ""))
        distinct = raw.dropna().unique()  # decode each distinct value once
        decoded = {value: unquote_plus(value) for value in distinct}
        out[column] = raw.map(decoded).astype(object)
    return pd.DataFrame(out, index=urls.index)


@dataclass(frozen=True)
class ChannelFill:
    """What :func:`fill_channels` did to one table.

    Attributes
    ----------
    rows : int
        Rows in the table.
    explicit : int
        Rows that already had a channel (left alone).
    derived : int
        Rows whose channel was derived (including those that became ``"other"``).
    other : int
        Derived rows that matched no rule and became ``"other"``.
    unknown : int
        Rows without a channel and without any source data: left missing.
    utm_from_url : int
        Rows whose ``utm_*`` columns were filled from ``landing_page``.
    """

    rows: int
    explicit: int
    derived: int
    other: int
    unknown: int
    utm_from_url: int


def fill_channels(
    frame: pd.DataFrame, rules: Iterable[Mapping[str, Any]] = ()
) -> tuple[pd.DataFrame, ChannelFill]:
    """Fill missing ``channel`` (and ``utm_*`` from ``landing_page``) on a table.

    Rows that carry a channel keep it. Empty ``utm_*`` cells are filled from the
    ``landing_page`` URL's query string when the table has one. The caller's frame is
    not changed.

    Parameters
    ----------
    frame : pandas.DataFrame
        A leads, touches, web or spend table.
    rules : iterable of mapping
        Project rules tried before the defaults (see :func:`derive_channels`).

    Returns
    -------
    frame : pandas.DataFrame
        A copy with ``channel`` filled where it could be.
    fill : ChannelFill
        Counts of explicit, derived, ``other`` and unknown rows.

    Examples
    --------
    >>> from leadkpi import load
    >>> data = load("leadkpi.yaml")
    >>> leads = data.leads.drop(columns=["channel", "utm_source", "utm_medium"])
    >>> filled, fill = fill_channels(leads)
    >>> (filled["channel"] == data.leads["channel"]).all(), fill.utm_from_url > 0
    (np.True_, True)
    """
    out = frame.copy()
    from_url = 0
    if "landing_page" in out.columns:
        # only rows with a URL and an empty UTM column are parsed
        need = out["landing_page"].notna() & ~pd.concat(
            [
                _present(out[c]) if c in out.columns else pd.Series(False, out.index)
                for c in UTM_PARAMETERS
            ],
            axis=1,
        ).all(axis=1)
        parsed = utm_from_url(out.loc[need, "landing_page"])
        for column in UTM_PARAMETERS:
            if column in out.columns:
                current = out[column]
            else:
                current = pd.Series(None, index=out.index, dtype=object)
            values = parsed[column].reindex(out.index)
            from_url_rows = ~_present(current) & values.notna()
            if from_url_rows.any():
                out[column] = current.where(~from_url_rows, values)
            from_url = max(from_url, int(from_url_rows.sum()))
    explicit = (
        _present(out["channel"])
        if "channel" in out.columns
        else pd.Series(False, index=out.index)
    )
    derived = derive_channels(out.loc[~explicit], rules).reindex(out.index)
    if "channel" in out.columns:
        out["channel"] = out["channel"].where(explicit, derived)
    else:
        out["channel"] = derived
    filled_rows = ~explicit & derived.notna()
    fill = ChannelFill(
        rows=len(out),
        explicit=int(explicit.sum()),
        derived=int(filled_rows.sum()),
        other=int((filled_rows & (derived == "other")).sum()),
        unknown=int((~explicit & derived.isna()).sum()),
        utm_from_url=from_url,
    )
    return out, fill
