"""How each status looks: a colour-blind-safe colour, a pattern and a badge shape.

Colour is never the only signal. The colours are from Okabe & Ito's palette for colour-blind
readers (blue, orange, vermillion) plus a slate grey, so no status is told from another by red
against green; on top, *at risk* arcs carry light stripes and *late* arcs a dark cross-hatch, and
every label starts with a badge whose **shape** differs: a circle with a tick (done), a circle
with an arrow (on track), a triangle with "!" (at risk), a square with a clock (late) and an empty
circle (not started). The picture stays readable in greyscale.
"""

from __future__ import annotations

from aarshjul.engine.progress_status import ProgressStatus
from aarshjul.wheel.arc_geometry import num
from aarshjul.wheel.svg_markup import el, group

INK = "#1a1a1a"
MUTED = "#5c5c5c"
FILL = {
    ProgressStatus.done: "#7d8b99",
    ProgressStatus.on_track: "#0072b2",
    ProgressStatus.at_risk: "#e69f00",
    ProgressStatus.late: "#d55e00",
    ProgressStatus.not_started: "#e6e9ed",
}
EDGE = {ProgressStatus.not_started: "#7a8591"}
PATTERNED = (ProgressStatus.at_risk, ProgressStatus.late)
LEGEND_ORDER = (
    ProgressStatus.done,
    ProgressStatus.on_track,
    ProgressStatus.at_risk,
    ProgressStatus.late,
    ProgressStatus.not_started,
)


def pattern_id(prefix: str, status: ProgressStatus) -> str:
    """The id of the pattern laid over arcs of ``status`` (only :data:`PATTERNED` have one)."""
    return f"{prefix}-pattern-{status.value}"


def pattern_defs(prefix: str) -> str:
    """``<pattern>`` elements: stripes for at risk, a cross-hatch for late."""
    stripes = group(
        "pattern",
        _pattern_attrs(pattern_id(prefix, ProgressStatus.at_risk)),
        [el("rect", {"width": 3, "height": 8, "fill": "#ffffff", "fill-opacity": "0.6"})],
    )
    hatch = group(
        "pattern",
        _pattern_attrs(pattern_id(prefix, ProgressStatus.late)),
        [
            el("rect", {"width": 1.6, "height": 8, "fill": "#000000", "fill-opacity": "0.45"}),
            el("rect", {"width": 8, "height": 1.6, "fill": "#000000", "fill-opacity": "0.45"}),
        ],
    )
    return stripes + hatch


def _pattern_attrs(pattern: str) -> dict[str, str | int | float | None]:
    return {
        "id": pattern,
        "width": 8,
        "height": 8,
        "patternUnits": "userSpaceOnUse",
        "patternTransform": "rotate(45)",
    }


def fill_attrs(status: ProgressStatus) -> dict[str, str | int | float | None]:
    """Fill and edge of an arc or swatch of ``status``."""
    edge = EDGE.get(status)
    return {
        "fill": FILL[status],
        "stroke": edge or "#ffffff",
        "stroke-width": 1.5 if edge else 1.0,
        "stroke-dasharray": "4 3" if edge else None,
    }


def badge(status: ProgressStatus, x: float, y: float, size: float = 16.0) -> str:
    """The status badge centred on (``x``, ``y``), ``size`` units across."""
    r = size / 2
    draw = {
        ProgressStatus.done: _done,
        ProgressStatus.on_track: _on_track,
        ProgressStatus.at_risk: _at_risk,
        ProgressStatus.late: _late,
        ProgressStatus.not_started: _not_started,
    }[status]
    return group("g", {"class": f"wheel-badge wheel-badge-{status.value}"}, [draw(x, y, r)])


def _done(x: float, y: float, r: float) -> str:
    tick = f"M{num(x - r * 0.45)},{num(y + r * 0.02)}L{num(x - r * 0.1)},{num(y + r * 0.38)}" + (
        f"L{num(x + r * 0.5)},{num(y - r * 0.36)}"
    )
    return el("circle", {"cx": x, "cy": y, "r": r, "fill": FILL[ProgressStatus.done]}) + el(
        "path", {"d": tick, **_white_line(r)}
    )


def _on_track(x: float, y: float, r: float) -> str:
    arrow = (
        f"M{num(x - r * 0.45)},{num(y)}L{num(x + r * 0.4)},{num(y)}"
        f"M{num(x + r * 0.05)},{num(y - r * 0.38)}L{num(x + r * 0.45)},{num(y)}"
        f"L{num(x + r * 0.05)},{num(y + r * 0.38)}"
    )
    return el("circle", {"cx": x, "cy": y, "r": r, "fill": FILL[ProgressStatus.on_track]}) + el(
        "path", {"d": arrow, **_white_line(r)}
    )


def _at_risk(x: float, y: float, r: float) -> str:
    top, base = y - r * 1.02, y + r * 0.82
    triangle = (
        f"M{num(x)},{num(top)}L{num(x + r * 1.08)},{num(base)}L{num(x - r * 1.08)},{num(base)}Z"
    )
    mark = f"M{num(x)},{num(y - r * 0.42)}L{num(x)},{num(y + r * 0.2)}"
    return (
        el(
            "path",
            {"d": triangle, "fill": FILL[ProgressStatus.at_risk], "stroke-linejoin": "round"},
        )
        + el(
            "path", {"d": mark, "stroke": INK, "stroke-width": r * 0.26, "stroke-linecap": "round"}
        )
        + el("circle", {"cx": x, "cy": y + r * 0.52, "r": r * 0.14, "fill": INK})
    )


def _late(x: float, y: float, r: float) -> str:
    square = {"x": x - r, "y": y - r, "width": 2 * r, "height": 2 * r, "rx": r * 0.2}
    hands = (
        f"M{num(x)},{num(y - r * 0.42)}L{num(x)},{num(y)}L{num(x + r * 0.32)},{num(y + r * 0.2)}"
    )
    return (
        el("rect", {**square, "fill": FILL[ProgressStatus.late]})
        + el("circle", {"cx": x, "cy": y, "r": r * 0.62, "fill": "none", **_white_line(r)})
        + el("path", {"d": hands, **_white_line(r)})
    )


def _not_started(x: float, y: float, r: float) -> str:
    return el(
        "circle",
        {"cx": x, "cy": y, "r": r * 0.85, "fill": "#ffffff", "stroke": EDGE[ProgressStatus.not_started],
         "stroke-width": r * 0.22},
    )  # fmt: skip


def _white_line(r: float) -> dict[str, str | int | float | None]:
    return {
        "fill": "none",
        "stroke": "#ffffff",
        "stroke-width": r * 0.24,
        "stroke-linecap": "round",
        "stroke-linejoin": "round",
    }


def diamond(x: float, y: float, size: float, *, statutory: bool) -> str:
    """A milestone marker: filled for a statutory deadline, hollow otherwise."""
    h = size / 2
    d = f"M{num(x)},{num(y - h)}L{num(x + h)},{num(y)}L{num(x)},{num(y + h)}L{num(x - h)},{num(y)}Z"
    fill = INK if statutory else "#ffffff"
    return el("path", {"d": d, "fill": fill, "stroke": INK, "stroke-width": 1.6})
