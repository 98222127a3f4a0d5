"""The leadkpi chart theme and the axis helpers every plot shares."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib.pyplot as plt
import pandas as pd
from babel.numbers import format_compact_currency, format_compact_decimal
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, MaxNLocator

from leadkpi.arguments import require_columns, unknown
from leadkpi.channels import CHANNELS
from leadkpi.present.i18n import LOCALES, kpi_name, label, month_name, text
from leadkpi.present.tables import format_value, mode_of

__all__ = [
    "PALETTE",
    "series_colours",
    "channel_order",
    "channel_colours",
    "theme",
    "rows_of",
    "kpi_name",
    "tick",
    "value_axis",
    "month_axis",
    "no_data",
    "plain",
    "data_label",
]

#: Colours of the leadkpi theme: main series first.
PALETTE = ("#2f5d8a", "#e07a3f", "#5b9e6e", "#8c6bb1", "#c4554d", "#7f7f7f")


def series_colours(count: int) -> list:
    """One colour per series: the theme's palette, or matplotlib's tab10 when there
    are more series than the palette has colours.

    Examples
    --------
    >>> series_colours(2) == list(PALETTE[:2])
    True
    >>> len(series_colours(8)), series_colours(8)[7] == colormaps["tab10"].colors[7]
    (8, True)
    """
    colours = PALETTE if count <= len(PALETTE) else colormaps["tab10"].colors
    return [colours[i % len(colours)] for i in range(count)]


#: One colour per channel id, the same in every chart of a report (tab10, with
#: ``other`` grey); channels outside :data:`leadkpi.channels.CHANNELS` share the
#: colours after these.
CHANNEL_COLOURS: dict[str, str] = dict(
    zip(
        CHANNELS,
        (
            "#1f77b4", "#aec7e8", "#d62728", "#ff9896", "#2ca02c",
            "#9467bd", "#8c564b", "#e377c2", "#ff7f0e", "#7f7f7f",
        ),
        strict=True,
    )
)  # fmt: skip
_EXTRA_COLOURS = ("#17becf", "#bcbd22", "#98df8a", "#c5b0d5", "#c49c94", "#f7b6d2")


def channel_order(values: object) -> list:
    """Distinct channel ids in the one order every channel chart and table uses:
    :data:`leadkpi.channels.CHANNELS` first, then any other value alphabetically,
    missing values left out.

    Examples
    --------
    >>> channel_order(["events", "zeta", "paid_search", "events", None])
    ['paid_search', 'events', 'zeta']
    """
    seen = [v for v in pd.unique(pd.Series(list(values), dtype=object)) if pd.notna(v)]
    known = [c for c in CHANNELS if c in seen]
    return known + sorted((v for v in seen if v not in CHANNELS), key=str)


def channel_colours(values: object) -> list[str]:
    """The colour of each channel in ``values`` (aligned): the same channel has the
    same colour in every chart, whatever else the chart shows.

    Examples
    --------
    >>> channel_colours(["events", "paid_search"]) == channel_colours(
    ...     ["paid_search", "events"])[::-1]
    True
    """
    values = list(values)
    extra = sorted({str(v) for v in values if v not in CHANNEL_COLOURS})
    more = {v: _EXTRA_COLOURS[i % len(_EXTRA_COLOURS)] for i, v in enumerate(extra)}
    return [CHANNEL_COLOURS.get(v) or more[str(v)] for v in values]


#: seaborn's ``whitegrid`` style (``seaborn.axes_style("whitegrid")``), as data:
#: importing seaborn (and scipy.stats with it) for these settings alone would cost
#: every report kernel a second or more of start-up.
_WHITEGRID = {
    "figure.facecolor": "white",
    "axes.labelcolor": ".15",
    "xtick.direction": "out",
    "ytick.direction": "out",
    "xtick.color": ".15",
    "ytick.color": ".15",
    "axes.axisbelow": True,
    "grid.linestyle": "-",
    "text.color": ".15",
    "font.family": ["sans-serif"],
    "font.sans-serif": [
        "Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"
    ],
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "xtick.top": False,
    "ytick.right": False,
    "axes.grid": True,
    "axes.facecolor": "white",
    "axes.edgecolor": ".8",
    "grid.color": ".8",
    "axes.spines.left": True,
    "axes.spines.bottom": True,
    "axes.spines.right": True,
    "axes.spines.top": True,
    "xtick.bottom": False,
    "ytick.left": False,
}  # fmt: skip


@contextmanager
def theme() -> Iterator[None]:
    """Apply the leadkpi look (seaborn's whitegrid, palette, sizes) inside a block.

    Examples
    --------
    >>> with theme():
    ...     fig, ax = plt.subplots()
    >>> plt.close(fig)
    """
    rc = {
        "figure.figsize": (8, 3.6),
        "figure.dpi": 100,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titleweight": "bold",
        "axes.titlesize": 11,
        "axes.titlelocation": "left",
        "font.size": 9,
    }
    with plt.rc_context(
        {**_WHITEGRID, "axes.prop_cycle": plt.cycler(color=PALETTE), **rc}
    ):
        yield


def plain(words: str) -> str:
    r"""``words`` as matplotlib draws them literally: every ``$`` escaped, so a
    label from data (``"Ads $Q4$"``) is never parsed as mathtext.

    Examples
    --------
    >>> plain("Ads $Q4$"), plain("no dollars")
    ('Ads \\$Q4\\$', 'no dollars')
    >>> fig, ax = plt.subplots()
    >>> title = ax.set_title(plain(r"$\foo$"))
    >>> fig.canvas.draw()  # drawn as the text "$\foo$": no mathtext error
    >>> plt.close(fig)
    """
    return words.replace("$", r"\$")


def data_label(value: object, lang: str) -> str:
    """The display label of a value from data (a channel, a stage, an owner), drawn
    literally (see :func:`plain`)."""
    return plain(label(str(value), lang))


def rows_of(
    result: pd.DataFrame, kpi: str, function: str, columns: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The rows of ``kpi`` in an engine result, refusing any other table."""
    needed = ("kpi", "value", "unit", *columns)
    require_columns(result, needed, function, "leadkpi.compute()")
    rows = result[result["kpi"] == kpi]
    if rows.empty:
        raise unknown("kpi", kpi, result["kpi"].unique(), what="a KPI of the table")
    return rows


def mode_mark(
    ax: Axes, table: pd.DataFrame, lang: str, window: str | None = None
) -> None:
    """Say the table's window (``"October 2026"``, ``"last 12 months"``, when
    given) and counting mode in the Axes' top right corner."""
    mode = mode_of(table)
    words = [plain(window)] if window else []
    if mode:
        words.append(text(f"mode_label_{mode}", lang).split(":")[0])
    if words:
        ax.text(
            1.0, 1.01, " · ".join(words),
            transform=ax.transAxes, ha="right", va="bottom", fontsize=7, color="0.4",
        )  # fmt: skip


def tick(value: float, unit: str, lang: str, currency: str) -> str:
    """An axis tick label: money and counts compact ("€2.5K", "2,5 mil €")."""
    locale = LOCALES[lang]
    if unit == "currency":
        return format_compact_currency(
            value, currency, locale=locale, fraction_digits=1
        )
    if unit == "count":
        return format_compact_decimal(value, locale=locale, fraction_digits=1)
    return format_value(value, unit, lang=lang, currency=currency)


def value_axis(ax: Axes, unit: str, lang: str, currency: str, axis: str = "y") -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins=4 if axis == "x" else 5))
    target.set_major_formatter(
        FuncFormatter(lambda v, _: tick(v, unit, lang, currency))
    )


def month_axis(ax: Axes, months: pd.Series, lang: str) -> None:
    """Month ticks over the (non-empty) months drawn: at most seven labels, the year
    shown on the first tick and wherever it changes."""
    first, last = months.min(), months.max()
    span = (last - first).n + 1
    ticks = pd.period_range(first, last, freq="M")[:: max(1, -(-span // 7))]
    ax.set_xticks([t.to_timestamp() for t in ticks])
    ax.set_xticklabels(
        [
            month_name(t, lang)[:3]
            + (f"\n{t.year}" if i == 0 or t.year != ticks[i - 1].year else "")
            for i, t in enumerate(ticks)
        ]
    )
    pad = pd.Timedelta(days=20)
    ax.set_xlim(first.to_timestamp() - pad, last.to_timestamp() + pad)


def no_data(ax: Axes, lang: str = "en") -> Axes:
    """Write "No data" in the middle of an empty Axes and hide its ticks."""
    ax.text(
        0.5, 0.5, text("no_data", lang), transform=ax.transAxes,
        ha="center", va="center", color="0.4",
    )  # fmt: skip
    ax.set_xticks([])
    ax.set_yticks([])
    return ax
