"""Charts of key figures per year, the focus year against the years before: PNG bytes, SVG text.

One chart per table, as its mapping says (``chart``): population on 1 January as a line,
dwellings completed as bars, the unemployment rate as a line of annual averages. The focus year
(the report's year; by default the latest) is drawn in the accent colour with its value and its
change from the year before in the subtitle; a year that is not complete (periods missing or
suppressed) is drawn hollow or hatched and starred, with the periods it covers in a footnote.
Labels are Danish (``lang="da"``) or English, numbers written as the reader writes them
(``38.512``; ``4,3``). The footer names the source: StatBank's table and the file or API each
figure came from, with the day it was retrieved; a sample's file name says its numbers are
invented.

Drawn with matplotlib's object API on the Agg canvas (no display, no pyplot state), so it runs in
a web worker or a flow. The output is deterministic: the same figures give the same bytes (the
SVG's id salt is fixed and neither file carries a creation date or a software version).
``small=True`` is the size for a page in the web app; the default suits an A4 report (16 cm wide).
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from aarshjul.stats.danish_numbers import format_change, format_number
from aarshjul.stats.figure_store import TableFigures, YearFigure
from aarshjul.stats.statbank_periods import Period, PeriodKind
from aarshjul.stats.table_mappings import ChartKind

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ACCENT = "#b5452b"
PAST = "#5b7a99"
TEXT = "#222222"
MUTED = "#666666"
YEARS_SHOWN = 10
DASH = "\u2013"  # an en dash between the ends of a range
_RC: dict[str, Any] = {
    "svg.hashsalt": "aarshjul",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "axes.unicode_minus": True,
}


def chart_png(
    figures: TableFigures,
    *,
    year: int | None = None,
    lang: str = "da",
    small: bool = False,
    dpi: int = 150,
) -> bytes:
    """The table's chart as PNG bytes (``dpi`` dots per inch; 16 by 8.6 cm, or 12 by 6.5 small)."""
    return _render(figures, year, lang, small, "png", dpi)  # type: ignore[return-value]


def chart_svg(
    figures: TableFigures, *, year: int | None = None, lang: str = "da", small: bool = False
) -> str:
    """The table's chart as SVG text (texts as ``<text>``, so a page can style and search them).

    The ``<svg>`` element carries ``role="img"`` and a ``<title>`` (the chart's title and subtitle)
    for screen readers.
    """
    svg: str = _render(figures, year, lang, small, "svg", 72)  # type: ignore[assignment]
    data = _ChartData.of(figures, year, lang)
    label = figures.mapping.chart.title.get(lang) + (f". {_subtitle(data)}" if data.years else "")
    start = svg.index("<svg")
    end = svg.index(">", start)
    return f'{svg[:end]} role="img">\n <title>{escape(label)}</title>{svg[end + 1 :]}'


def _render(
    figures: TableFigures, year: int | None, lang: str, small: bool, fmt: str, dpi: int
) -> bytes | str:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        fig = _draw(_ChartData.of(figures, year, lang), small)
        FigureCanvasAgg(fig)
        buffer = io.BytesIO()
        metadata: dict[str, Any] = (
            {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
        )
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
    data = buffer.getvalue()
    return data.decode("utf-8") if fmt == "svg" else data


@dataclass(frozen=True)
class _ChartData:
    """What one chart shows, worked out before anything is drawn."""

    figures: TableFigures
    years: tuple[YearFigure, ...]
    focus: int | None
    lang: str

    @classmethod
    def of(cls, figures: TableFigures, year: int | None, lang: str) -> _ChartData:
        series = figures.series[figures.mapping.chart.series]
        known = [
            y for y in series.years if y.value is not None and (year is None or y.year <= year)
        ]
        # By default the focus is the latest complete year; a later, partial one is drawn after it.
        latest = [y.year for y in known if y.complete] or [y.year for y in known]
        focus = year if year is not None else (latest[-1] if latest else None)
        return cls(figures, tuple(known[-YEARS_SHOWN:]), focus, lang)

    def text(self, da: str, en: str) -> str:
        return en if self.lang == "en" else da

    def number(self, value: float) -> str:
        return format_number(value, self.figures.mapping.decimals, self.lang)


def _draw(data: _ChartData, small: bool) -> Figure:
    from matplotlib.figure import Figure

    width, height = (4.72, 2.56) if small else (6.3, 3.4)
    base = 7.5 if small else 9.0
    fig = Figure(figsize=(width, height))
    mapping = data.figures.mapping
    fig.text(
        0.1 / width, 1 - 0.08 / height, mapping.chart.title.get(data.lang),
        ha="left", va="top", fontsize=base + 3, fontweight="bold", color=TEXT,
    )  # fmt: skip
    footer = _footer_lines(data, small, width, base - 1.5) if data.years else []
    top = (0.08 + (base + 3) * 1.3 / 72 + (base + 0.5) * 1.6 / 72) / height
    bottom = (0.32 + len(footer) * (base - 1.5) * 1.35 / 72) / height
    ax = fig.add_axes((0.8 / width, bottom, 1 - 1.0 / width, 1 - top - bottom - 0.04 / height))
    if not data.years:
        _empty(ax, data, base)
        return fig
    fig.text(
        0.1 / width, 1 - top, _subtitle(data), ha="left", va="bottom", fontsize=base + 0.5,
        color=MUTED,
    )  # fmt: skip
    if mapping.chart.kind is ChartKind.bar:
        _bars(ax, data, base)
    else:
        _line(ax, data, base)
    _axes(ax, data, base)
    fig.text(
        0.1 / width, 0.05 / height, "\n".join(footer), ha="left", va="bottom",
        fontsize=base - 1.5, color=MUTED, linespacing=1.35,
    )  # fmt: skip
    return fig


def _empty(ax: Axes, data: _ChartData, size: float) -> None:
    ax.set_axis_off()
    message = data.text(
        "Ingen tal endnu: importér dem med aarshjul stats import",
        "No figures yet: import them with aarshjul stats import",
    )
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=size + 1, color=MUTED)


def _colour(data: _ChartData, figure: YearFigure) -> str:
    return ACCENT if figure.year == data.focus else PAST


def _bars(ax: Axes, data: _ChartData, size: float) -> None:
    for figure in data.years:
        value = figure.value or 0.0
        colour = _colour(data, figure)
        ax.bar(
            figure.year, value, width=0.7, color=colour if figure.complete else "white",
            edgecolor=colour, hatch=None if figure.complete else "///", linewidth=1.2,
        )  # fmt: skip
        label = data.number(value) + ("" if figure.complete else "*")
        ax.annotate(
            label, (figure.year, value), xytext=(0, 2), textcoords="offset points",
            ha="center", va="bottom", fontsize=size - 1, color=colour,
        )  # fmt: skip


def _line(ax: Axes, data: _ChartData, size: float) -> None:
    years = [f.year for f in data.years]
    values = [f.value or 0.0 for f in data.years]
    solid = next((i for i, f in enumerate(data.years) if not f.complete), len(years))
    ax.plot(years[: solid or 1], values[: solid or 1], color=PAST, linewidth=1.6, zorder=1)
    if solid < len(years):  # the way into a year that is not complete is dashed
        start = max(solid - 1, 0)
        ax.plot(years[start:], values[start:], color=PAST, linewidth=1.4, linestyle="--", zorder=1)
    for figure, value in zip(data.years, values, strict=True):
        colour = _colour(data, figure)
        ax.scatter(
            [figure.year], [value], s=42 if figure.year == data.focus else 22, zorder=2,
            color=colour if figure.complete else "white", edgecolors=colour, linewidths=1.4,
        )  # fmt: skip
    labelled = [
        data.years[0],
        *(f for f in data.years[1:] if f.year == data.focus or not f.complete),
    ]
    for figure in labelled:
        ax.annotate(
            data.number(figure.value or 0.0) + ("" if figure.complete else "*"),
            (figure.year, figure.value or 0.0), xytext=(0, 6), textcoords="offset points",
            ha="center", va="bottom", fontsize=size - 1, color=_colour(data, figure),
        )  # fmt: skip


def _axes(ax: Axes, data: _ChartData, size: float) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    mapping = data.figures.mapping
    ax.set_xticks([f.year for f in data.years])
    ax.set_xticklabels([f"{f.year}" + ("" if f.complete else "*") for f in data.years])
    ax.tick_params(labelsize=size - 0.5, colors=MUTED)
    ax.yaxis.set_major_locator(
        MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10], integer=mapping.decimals == 0)
    )
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _: format_number(v, _tick_decimals(ax), data.lang))
    )
    ax.set_ylabel(mapping.unit.get(data.lang), fontsize=size, color=MUTED)
    if mapping.chart.kind is ChartKind.bar or mapping.chart.from_zero:
        ax.set_ylim(bottom=0)
    top = ax.get_ylim()[1]
    ax.set_ylim(top=top + (top - ax.get_ylim()[0]) * 0.12)  # room for the value labels
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xlim(data.years[0].year - 0.6, data.years[-1].year + 0.6)


def _tick_decimals(ax: Axes) -> int:
    """The fewest decimals that write every tick exactly (1,5 must not read 2)."""
    ticks = list(ax.yaxis.get_majorticklocs())
    for decimals in range(4):
        scale = 10**decimals
        if all(abs(t * scale - round(t * scale)) < 1e-6 for t in ticks):
            return decimals
    return 4


def _subtitle(data: _ChartData) -> str:
    focus = next((f for f in data.years if f.year == data.focus), None)
    if focus is None or focus.value is None:
        return data.text(f"Ingen tal for {data.focus}", f"No figure for {data.focus}")
    text = f"{focus.year}: {data.number(focus.value)}"
    if not focus.complete:
        return text + " " + data.text("(foreløbigt)", "(preliminary)")
    before = next((f for f in data.years if f.year == focus.year - 1 and f.complete), None)
    if before is not None and before.value is not None:
        change = format_change(
            focus.value, before.value, points=data.figures.mapping.chart.change == "points",
            decimals=data.figures.mapping.decimals, lang=data.lang,
        )  # fmt: skip
        text += f" · {change} " + data.text(f"fra {before.year}", f"from {before.year}")
    return text


def _footer_lines(data: _ChartData, small: bool, width: float, size: float) -> list[str]:
    lines = [_source_line(data, small)]
    partial = [f for f in data.years if not f.complete]
    if partial:
        lines.insert(0, "* " + "; ".join(_partial_note(data, f) for f in partial))
    if data.figures.mapping.note and not small:
        lines.insert(0, data.figures.mapping.note.get(data.lang))
    chars = int((width - 0.2) * 72 / (size * 0.56))  # DejaVu Sans averages 0.56 em a character
    return [part for line in lines for part in textwrap.wrap(line, chars)]


def _partial_note(data: _ChartData, figure: YearFigure) -> str:
    covered = _covered(figure.last_period, data.lang) if figure.last_period else ""
    word = data.text("foreløbigt", "preliminary")
    return f"{figure.year} {word}" + (f" ({covered})" if covered else "")


def _covered(last: Period, lang: str) -> str:
    if last.kind is PeriodKind.quarter:
        return f"1.{DASH}{last.index}. kvt." if lang == "da" else f"Q1{DASH}Q{last.index}"
    if last.kind is PeriodKind.month:
        names = _MONTHS_DA if lang == "da" else _MONTHS_EN
        return f"{names[0]}{DASH}{names[last.index - 1]}"
    return f"… {last.code}"


def _source_line(data: _ChartData, small: bool) -> str:
    table = data.figures.mapping.table
    sources = data.figures.sources()
    where = ", ".join(_source_name(source, data.lang) for source, _ in sources[:2])
    latest = max((day for _, day in sources), default=None)
    fetched = (
        data.text(f", hentet {latest:%d.%m.%Y}", f", retrieved {latest.isoformat()}")
        if latest
        else ""
    )
    head = data.text("Kilde: Danmarks Statistik", "Source: Statistics Denmark")
    if small:
        return f"{head}, {table}{fetched}"
    return f"{head}, statistikbanken.dk/{table} ({where}{fetched})"


def _source_name(source: str, lang: str) -> str:
    if source.startswith(("http://", "https://")):
        return "StatBank API"
    return (f"fil {source}" if lang == "da" else f"file {source}")[:90]


_MONTHS_DA = (
    "jan.",
    "feb.",
    "mar.",
    "apr.",
    "maj",
    "jun.",
    "jul.",
    "aug.",
    "sep.",
    "okt.",
    "nov.",
    "dec.",
)
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
