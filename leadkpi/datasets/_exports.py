"""The sample company's spend, e-mail and web tables written as the vendors export them.

Each function takes a canonical table from :func:`generate_sample` and returns the
bytes of the file its tool would let an analyst download, in the layout that the
matching profile of :mod:`leadkpi.io.profiles` reads back to the same table:

- spend, split by platform: Google Ads campaign report (Spanish UI, ``.csv``),
  Microsoft Advertising campaign performance report, Meta Ads Manager export
  (by day), LinkedIn Campaign Manager export (UTF-16, tab-separated); campaigns no
  ad platform reports (programmatic display, webinars, trade fairs) stay in a
  canonical ``spend`` file;
- e-mail: Mailchimp campaign reports export;
- web: GA4 exploration download by day, source / medium and channel group.

Everything is formatted column by column (no loop over rows), so the same table
always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from leadkpi.datasets._company import CAMPAIGNS

__all__ = ["PLATFORMS", "spend_exports", "mailchimp_export", "ga4_export"]

#: Ad platform of each campaign source; other sources stay in a canonical file.
PLATFORMS = {
    "google": "google_ads",
    "bing": "microsoft_ads",
    "facebook": "meta_ads",
    "linkedin": "linkedin",
}
_SOURCE = {c.id: c.source for c in CAMPAIGNS if c.paid}
_MONTHS_ES = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre "
    "noviembre diciembre"
).split()
_MONTHS_EN = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_ACCOUNT = "Nubalia Cloud"


# ------------------------------------------------------------------ formatting
def _text(values: Sequence[object] | np.ndarray | pd.Series) -> pd.Series:
    return pd.Series(np.asarray(values).astype(str), dtype="str")


def _grouped(whole: np.ndarray, sep: str) -> pd.Series:
    """Non-negative integers with digit groups: ``1234567`` → ``1.234.567``."""
    whole = np.asarray(whole, dtype="int64")
    rest = whole // 1000
    low = whole % 1000
    out = _text(np.where(rest > 0, np.char.zfill(low.astype(str), 3), low.astype(str)))
    while (rest > 0).any():
        group, higher = rest % 1000, rest // 1000
        text = np.where(
            higher > 0, np.char.zfill(group.astype(str), 3), group.astype(str)
        )
        out = out.where(rest == 0, _text(text) + sep + out)
        rest = higher
    return out


def _number(
    values: np.ndarray | pd.Series, places: int, *, thousands: str = "", point="."
) -> pd.Series:
    """Fixed decimals from whole hundredths (values are rounded first)."""
    if len(values) == 0:  # numpy's zfill cannot size an empty array
        return pd.Series([], dtype="str")
    scale = 10**places
    scaled = np.round(np.asarray(values, dtype="float64") * scale).astype("int64")
    whole, fraction = np.divmod(scaled, scale)
    text = _grouped(whole, thousands) if thousands else _text(whole)
    if places:
        text = text + point + _text(np.char.zfill(fraction.astype(str), places))
    return text


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num, den = np.asarray(num, "float64"), np.asarray(den, "float64")
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def _parts(dates: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    days = dates.to_numpy("datetime64[D]")
    months = days.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype("int64") + 1970
    month = months.astype("int64") % 12 + 1
    day = (days - months).astype("int64") + 1
    return year, month, day


def _iso(dates: pd.Series, sep: str = "-") -> pd.Series:
    text = _text(np.datetime_as_string(dates.to_numpy("datetime64[D]"), unit="D"))
    return text.str.replace("-", sep, regex=False) if sep != "-" else text


def _us(dates: pd.Series) -> pd.Series:
    """``M/D/YYYY`` (Microsoft Advertising, LinkedIn)."""
    year, month, day = _parts(dates)
    return _text(month) + "/" + _text(day) + "/" + _text(year)


def _quoted(values: pd.Series, delimiter: str, always: bool = False) -> pd.Series:
    text = values.astype("str")
    escaped = '"' + text.str.replace('"', '""', regex=False) + '"'
    if always:
        return escaped
    needs = text.str.contains(f'["\\r\\n{delimiter}]', regex=True)
    return escaped.where(needs, text)


def _lines(
    header: Sequence[str],
    columns: Sequence[pd.Series],
    delimiter: str,
    *,
    quote_all: bool = False,
) -> list[str]:
    """Header and data lines, cells quoted where needed (or always)."""
    cells = [_quoted(c.reset_index(drop=True), delimiter, quote_all) for c in columns]
    head = _quoted(pd.Series(list(header), dtype="str"), delimiter, quote_all)
    body = cells[0]
    for column in cells[1:]:
        body = body + delimiter + column
    return (
        [delimiter.join(head), *body.tolist()] if len(body) else [delimiter.join(head)]
    )


def _encode(lines: Sequence[str], *, newline: str, encoding: str, bom: bool) -> bytes:
    data = (newline.join(lines) + newline).encode(encoding)
    if bom:
        data = ("\ufeff".encode(encoding)) + data
    return data


# ------------------------------------------------------------------ spend
def _google_ads(spend: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> bytes:
    """Google Ads campaign report, Spanish UI, ``.csv`` download, segmented by day."""
    cost, impressions = spend["cost"].to_numpy(), spend["impressions"].to_numpy("int64")
    clicks = spend["clicks"].to_numpy("int64")
    conversions = spend["conversions"].to_numpy("float64")
    ctr = _number(100 * _ratio(clicks, impressions), 2, thousands=".", point=",")
    cpc = _number(_ratio(cost, clicks), 2, thousands=".", point=",")
    kind = np.where(spend["channel"].to_numpy() == "display", "Display", "Búsqueda")
    columns = [
        spend["campaign"],
        _text(kind),
        _iso(spend["date"]),
        _text(np.full(len(spend), "EUR")),
        _number(cost, 2, thousands=".", point=","),
        _grouped(impressions, "."),
        _grouped(clicks, "."),
        (ctr + " %").where(impressions > 0, "--"),
        cpc.where(clicks > 0, "--"),
        _number(conversions, 2, thousands=".", point=","),
    ]
    header = ["Campaña", "Tipo de campaña", "Día", "Código de moneda", "Coste"]
    header += ["Impr.", "Clics", "CTR", "CPC medio", "Conversiones"]
    totals = [
        _number([cost.sum()], 2, thousands=".", point=",")[0],
        _grouped(np.array([impressions.sum()]), ".")[0],
        _grouped(np.array([clicks.sum()]), ".")[0],
        _number([100 * _ratio(clicks.sum(), impressions.sum())], 2, point=",")[0],
        _number([_ratio(cost.sum(), clicks.sum())], 2, point=",")[0],
        _number([conversions.sum()], 2, thousands=".", point=",")[0],
    ]
    total = ",".join(["", "", "EUR", f'"{totals[0]}"', totals[1], totals[2]])
    total += f',"{totals[3]} %","{totals[4]}","{totals[5]}"'

    def day(t: pd.Timestamp) -> str:
        return f"{t.day} de {_MONTHS_ES[t.month - 1]} de {t.year}"

    lines = [
        "Informe de campañas",
        f"{day(first)} - {day(last)}",
        *_lines(header, columns, ","),
        "Total: cuenta," + total,
        "Total: campañas," + total,
    ]
    return _encode(lines, newline="\n", encoding="utf-8", bom=False)


def _microsoft_ads(
    spend: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp
) -> bytes:
    """Microsoft Advertising campaign performance report (web UI download, daily)."""
    n = len(spend)
    columns = [
        _us(spend["date"]),
        _text(np.full(n, _ACCOUNT)),
        spend["campaign"],
        _text(np.full(n, "Active")),
        _text(np.full(n, "EUR")),
        _grouped(spend["impressions"].to_numpy("int64"), ","),
        _grouped(spend["clicks"].to_numpy("int64"), ","),
        _number(spend["cost"], 2, thousands=","),
        _grouped(spend["conversions"].to_numpy("int64"), ","),
    ]
    header = ["Gregorian date", "Account name", "Campaign name", "Campaign status"]
    header += ["Currency code", "Impressions", "Clicks", "Spend", "Conversions"]
    period = _us(pd.Series([first, last]))
    stamp = _us(pd.Series([last + pd.Timedelta(days=3)]))[0]
    preamble = [
        "Report Name: Campaign performance",
        f"Report Time: {period[0]},{period[1]}",
        "Time Zone: (GMT+01:00) Brussels, Copenhagen, Madrid, Paris",
        f"Last Completed Available Day: {stamp} 6:45:00 AM (GMT)",
        f"Last Completed Available Hour: {stamp} 6:45:00 AM (GMT)",
        "Report Aggregation: Daily",
        "Report Filter: ",
        "Potential Incomplete Data: false",
        f"Rows: {n}",
    ]
    lines = [
        *(f'"{line}"' for line in preamble),
        "",
        *_lines(header, columns, ",", quote_all=True),
        "",
        f'"©{last.year} Microsoft Corporation. All rights reserved. "',
    ]
    return _encode(lines, newline="\r\n", encoding="utf-8", bom=True)


def _meta(spend: pd.DataFrame) -> bytes:
    """Meta Ads Manager export, campaign level, breakdown by day (English UI)."""
    impressions = spend["impressions"].to_numpy("int64")
    results = spend["conversions"].fillna(0).to_numpy("int64")
    day = _iso(spend["date"])
    # a day without results leaves Results and its indicator empty, as Meta does
    columns = [
        day,
        day,
        spend["campaign"],
        _text(results).where(results > 0, ""),
        spend["conversion_type"].where(results > 0, ""),
        _text(impressions * 4 // 5),  # reach: people reached, below impressions
        _text(impressions),
        _number(spend["cost"], 2),
        _text(spend["clicks"].to_numpy("int64")),
    ]
    header = ["Reporting starts", "Reporting ends", "Campaign name", "Results"]
    header += ["Result indicator", "Reach", "Impressions", "Amount spent (EUR)"]
    header += ["Link clicks"]
    return _encode(
        _lines(header, columns, ","), newline="\n", encoding="utf-8", bom=True
    )


def _linkedin(spend: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> bytes:
    """LinkedIn Campaign Manager campaign performance export (daily, UTF-16, tab)."""
    n = len(spend)
    ids = {c: str(512_000_100 + i) for i, c in enumerate(sorted(_SOURCE))}
    day = _us(spend["date"])
    columns = [
        day,
        day,
        _text(np.full(n, _ACCOUNT)),
        _text(np.full(n, "Nubalia - Always on")),
        spend["campaign"],
        spend["campaign"].map(ids).astype("str"),
        _text(np.full(n, "Sponsored Update")),
        _text(np.full(n, "ACTIVE")),
        _text(np.full(n, "EUR")),
        _number(spend["cost"], 2),
        _text(spend["impressions"].to_numpy("int64")),
        _text(spend["clicks"].to_numpy("int64")),
        _text(spend["conversions"].to_numpy("int64")),
    ]
    header = ["Start Date (in UTC)", "End Date (in UTC)", "Account Name"]
    header += ["Campaign Group Name", "Campaign Name", "Campaign ID", "Campaign Type"]
    header += ["Campaign Status", "Currency", "Total Spent", "Impressions", "Clicks"]
    header += ["Conversions"]
    period = _us(pd.Series([first, last, last + pd.Timedelta(days=3)]))
    lines = [
        "Campaign Performance Report (in UTC)",
        f"Report Start: {period[0]}, 12:00 AM",
        f"Report End: {period[1]}, 11:59 PM",
        f"Date Generated: {period[2]}, 9:14 AM",
        "",
        *_lines(header, columns, "\t"),
    ]
    return _encode(lines, newline="\r\n", encoding="utf-16-le", bom=True)


def spend_exports(spend: pd.DataFrame) -> dict[str, pd.DataFrame | bytes]:
    """Split the spend table by ad platform, each in its export layout.

    Returns
    -------
    dict
        Platform (``google_ads``, ``microsoft_ads``, ``meta_ads``, ``linkedin``) →
        the export's bytes, and ``other`` → the rows no platform reports, as a
        canonical frame.

    Examples
    --------
    >>> from leadkpi.datasets import generate_sample
    >>> files = spend_exports(generate_sample(300)["spend"])
    >>> files["google_ads"].decode("utf-8").splitlines()[:2]
    ['Informe de campañas', '1 de enero de 2025 - 31 de octubre de 2026']
    >>> sorted(files["other"]["channel"].unique())
    ['display', 'events']
    """
    first, last = spend["date"].min(), spend["date"].max()
    platform = spend["campaign"].map(_SOURCE).map(PLATFORMS)
    part = {name: spend[platform == name] for name in PLATFORMS.values()}
    return {
        "google_ads": _google_ads(part["google_ads"], first, last),
        "microsoft_ads": _microsoft_ads(part["microsoft_ads"], first, last),
        "meta_ads": _meta(part["meta_ads"]),
        "linkedin": _linkedin(part["linkedin"], first, last),
        # what no platform reports has no platform conversion count either
        "other": spend[platform.isna()].reset_index(drop=True),
    }


# ------------------------------------------------------------------ e-mail
#: Subject line and local send time of each campaign of the sample's e-mail table.
_MAILINGS = {
    "newsletter_weekly": (
        "Novedades Nubalia: ventas, CRM y automatización",
        "09:00 am",
    ),
    "nurture_onboarding": ("Bienvenido a Nubalia, ¿empezamos?", "10:30 am"),
    "nurture_reactivation": ("¿Seguimos en contacto?", "11:00 am"),
    "promo_black_friday": ("Black Friday: 3 meses gratis en el plan Pro", "08:00 am"),
    "promo_spring_launch": ("Nuevo: automatización de ventas con IA", "08:00 am"),
}


def _percent(num: np.ndarray, den: np.ndarray) -> pd.Series:
    return _number(100 * _ratio(num, den), 2) + "%"


def mailchimp_export(email: pd.DataFrame) -> bytes:
    """Mailchimp campaign reports export (Reports → Export as CSV).

    Examples
    --------
    >>> from leadkpi.datasets import generate_sample
    >>> text = mailchimp_export(generate_sample(300)["email"]).decode("utf-8")
    >>> text.splitlines()[0][:46]
    '"Title","Subject","List","Send Date","Send Wee'
    """
    n = len(email)
    year, month, day = _parts(email["sent_on"])
    weekday = (email["sent_on"].to_numpy("datetime64[D]").astype("int64") + 3) % 7
    subject = email["campaign"].map({k: v[0] for k, v in _MAILINGS.items()})
    clock = email["campaign"].map({k: v[1] for k, v in _MAILINGS.items()})
    send = (
        _text(np.array(_MONTHS_EN)[month - 1])
        + " "
        + _text(np.char.zfill(day.astype(str), 2))
        + ", "
        + _text(year)
        + " "
        + clock.astype("str").reset_index(drop=True)
    )
    names = ("sent", "delivered", "opens", "clicks", "unsubscribes", "bounces")
    count = {c: email[c].to_numpy("int64") for c in names}
    hard = count["bounces"] // 3
    columns = [
        email["campaign"],
        subject.astype("str"),
        _text(np.full(n, _ACCOUNT)),
        send,
        _text(np.array(_WEEKDAYS)[weekday]),
        _text(count["sent"]),
        _text(count["delivered"]),
        _text(count["bounces"] - hard),
        _text(hard),
        _text(count["bounces"]),
        _text(count["opens"]),
        _percent(count["opens"], count["delivered"]),
        _text(count["clicks"]),
        _percent(count["clicks"], count["delivered"]),
        _text(count["unsubscribes"]),
        _text(np.zeros(n, dtype="int64")),
    ]
    header = ["Title", "Subject", "List", "Send Date", "Send Weekday"]
    header += ["Total Recipients", "Successful Deliveries", "Soft Bounces"]
    header += ["Hard Bounces", "Total Bounces", "Unique Opens", "Open Rate"]
    header += ["Unique Clicks", "Click Rate", "Unsubscribes", "Abuse Complaints"]
    lines = _lines(header, columns, ",", quote_all=True)
    return _encode(lines, newline="\n", encoding="utf-8", bom=False)


# ------------------------------------------------------------------ web
#: leadkpi channel → the label of the property's primary channel group (GA4's
#: default groups plus "Events" for webinars and fairs).
_GA4_LABELS = {
    "paid_search": "Paid Search",
    "organic_search": "Organic Search",
    "paid_social": "Paid Social",
    "organic_social": "Organic Social",
    "email": "Email",
    "referral": "Referral",
    "direct": "Direct",
    "display": "Display",
    "events": "Events",
}


def ga4_export(web: pd.DataFrame) -> bytes:
    """GA4 exploration download: Date × Session source / medium × channel group.

    Examples
    --------
    >>> from leadkpi.datasets import generate_sample
    >>> lines = ga4_export(generate_sample(300)["web"]).decode("utf-8").splitlines()
    >>> lines[7:9]
    ['# Start date: 20250101', '# End date: 20261031']
    """
    first, last = _iso(web["date"].agg(["min", "max"]), sep="")
    columns = [
        _iso(web["date"], sep=""),
        web["source"].astype("str") + " / " + web["medium"].astype("str"),
        web["channel"].map(_GA4_LABELS).astype("str"),
        *(
            _text(web[c].to_numpy("int64"))
            for c in ("users", "sessions", "engaged_sessions", "pageviews")
        ),
        _text(web["engagement_seconds"].to_numpy("float64").round().astype("int64")),
        _text(web["form_submissions"].to_numpy("int64")),
    ]
    header = ["Date", "Session source / medium", "Session primary channel group"]
    header += ["Total users", "Sessions", "Engaged sessions", "Views"]
    header += ["User engagement", "Key events"]
    if "landing_page_sessions" in web.columns:  # the property's custom metric
        columns.append(_text(web["landing_page_sessions"].to_numpy("int64")))
        header.append("Landing page sessions")
    rule = "# " + "-" * 40
    lines = [
        rule,
        "# Free form 1",
        f"# Account: {_ACCOUNT}",
        "# Property: nubalia.cloud - GA4",
        rule,
        "#",
        "# All Users",
        f"# Start date: {first}",
        f"# End date: {last}",
        *_lines(header, columns, ","),
    ]
    return _encode(lines, newline="\n", encoding="utf-8", bom=False)
