"""Labels beside the wheel with leader lines to their arcs and ticks (*callouts*).

Every phase and milestone gets a label in the column on its side of the wheel (right for the
first half of the span, left for the second), as near the height where its leader leaves the
wheel as the other labels allow (:func:`~aarshjul.wheel.label_layout.spread`). The leader runs
out from the arc or tick, and along the rim where a straight line would cross the wheel. Texts are
measured with the font's advance widths, so :meth:`Callout.boxes` are the boxes the test checks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from aarshjul.engine.progress_status import ProgressStatus
from aarshjul.wheel import font_metrics as fm
from aarshjul.wheel.arc_geometry import num, point
from aarshjul.wheel.label_layout import Box, spread, text_width
from aarshjul.wheel.status_style import INK, badge, diamond
from aarshjul.wheel.svg_markup import el, group

LEADING = 1.2
GAP = 7.0
RUN_GAP = 0.5
BADGE = 16.0


@dataclass(frozen=True)
class Run:
    """A piece of a line in one weight and colour."""

    text: str
    bold: bool = False
    fill: str = INK


@dataclass(frozen=True)
class Line:
    """One line of a label: runs at ``size``, a space of :data:`RUN_GAP` em between them.

    Lines stand against the label's edge by the marker (left-aligned in the right column,
    right-aligned in the left one), ``indent`` further in; the first run is nearest the marker.
    """

    size: float
    runs: tuple[Run, ...]
    indent: float = 0.0

    def run_widths(self) -> list[float]:
        return [text_width(r.text, self.size, bold=r.bold) for r in self.runs]

    @property
    def width(self) -> float:
        return sum(self.run_widths()) + RUN_GAP * self.size * (len(self.runs) - 1)

    @property
    def height(self) -> float:
        return self.size * LEADING


@dataclass
class Callout:
    """A label: ``marker`` is a status (badge) or ``statutory``/``milestone`` (diamond)."""

    key: str
    angle: float
    anchor_r: float
    lines: list[Line]
    marker: ProgressStatus | str
    side: str = "right"
    top: float = 0.0
    leader: list[tuple[float, float]] = field(default_factory=list)

    @property
    def height(self) -> float:
        return sum(line.height for line in self.lines)

    def baselines(self) -> list[float]:
        """The baseline of each line, from :attr:`top`."""
        out, y = [], self.top
        for line in self.lines:
            out.append(y + (line.height - line.size) / 2 + fm.ASCENT * line.size)
            y += line.height
        return out


@dataclass(frozen=True)
class Columns:
    """Where the two label columns stand: the badge's centre and the text's inner edge.

    The right column may begin higher (``top_right``) than the left (``top``), which has the
    heading above it. Leaders leave the wheel at ``lead_r`` and, from there, keep outside
    ``clear_r`` (the wheel's rim): a straight line that would cut the rim follows the circle at
    ``lead_r`` instead.
    """

    cx: float
    cy: float
    lead_r: float
    clear_r: float
    right_badge: float
    width: float
    text_width: float
    top: float
    top_right: float

    def badge_x(self, side: str) -> float:
        return self.right_badge if side == "right" else self.width - self.right_badge

    def text_edge(self, side: str) -> float:
        gap = BADGE / 2 + 6
        return self.badge_x(side) + (gap if side == "right" else -gap)


def place(callouts: Sequence[Callout], cols: Columns) -> dict[str, float]:
    """Set every callout's side, top and leader; return each column's lowest bottom edge."""
    bottom = {"right": cols.top, "left": cols.top}
    for side in ("right", "left"):
        column = [c for c in callouts if _side(c.angle) == side]
        column.sort(key=lambda c: (_rim_y(c, cols), c.angle if side == "right" else -c.angle))
        ideal = [_rim_y(c, cols) - c.lines[0].height / 2 for c in column]
        top = cols.top_right if side == "right" else cols.top
        tops = spread(ideal, [c.height for c in column], gap=GAP, top=top)
        for callout, top in zip(column, tops, strict=True):
            callout.side, callout.top = side, top
            callout.leader = _leader(callout, cols)
            bottom[side] = max(bottom[side], top + callout.height)
    return bottom


def _side(angle: float) -> str:
    return "right" if angle % 360 < 180 else "left"


def _rim_y(callout: Callout, cols: Columns) -> float:
    return point(cols.cx, cols.cy, cols.lead_r, callout.angle)[1]


def _leader(callout: Callout, cols: Columns) -> list[tuple[float, float]]:
    start = point(cols.cx, cols.cy, callout.anchor_r, callout.angle)
    rim = point(cols.cx, cols.cy, cols.lead_r, callout.angle)
    y = callout.top + callout.lines[0].height / 2
    end_x = cols.badge_x(callout.side) + (-BADGE if callout.side == "right" else BADGE) * 0.75
    end = (end_x, y)
    if _distance_to_centre(rim, end, (cols.cx, cols.cy)) >= cols.clear_r:
        return [start, rim, end]
    return [start, *_along_rim(callout, cols, y), end]


def _along_rim(callout: Callout, cols: Columns, y: float) -> list[tuple[float, float]]:
    """Points on the leader circle from the callout's angle to where it meets height ``y``."""
    ratio = max(-1.0, min(1.0, (cols.cy - y) / cols.lead_r))
    target = math.degrees(math.acos(ratio))
    if callout.side == "left":
        target = 360 - target
    steps = max(2, math.ceil(abs(target - callout.angle) / 3))
    return [
        point(cols.cx, cols.cy, cols.lead_r, callout.angle + (target - callout.angle) * i / steps)
        for i in range(steps + 1)
    ]


def _distance_to_centre(
    a: tuple[float, float], b: tuple[float, float], centre: tuple[float, float]
) -> float:
    (ax, ay), (bx, by), (px, py) = a, b, centre
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(ax + t * dx - px, ay + t * dy - py)


def boxes(callout: Callout, cols: Columns) -> list[Box]:
    """The box of each line and of the marker, as drawn."""
    out = []
    for line, baseline in zip(callout.lines, callout.baselines(), strict=True):
        x0, x1 = _extent(callout, line, cols)
        out.append(Box(x0, baseline - fm.ASCENT * line.size, x1, baseline + fm.DESCENT * line.size))
    bx, by = cols.badge_x(callout.side), callout.top + callout.lines[0].height / 2
    out.append(Box(bx - BADGE / 2, by - BADGE / 2, bx + BADGE / 2, by + BADGE / 2))
    return out


def _extent(callout: Callout, line: Line, cols: Columns) -> tuple[float, float]:
    edge = cols.text_edge(callout.side)
    if callout.side == "right":
        return edge + line.indent, edge + line.indent + line.width
    return edge - line.indent - line.width, edge - line.indent


def draw(callout: Callout, cols: Columns) -> str:
    """The leader, the marker and the text of one callout."""
    return _draw_leader(callout) + _draw_marker(callout, cols) + _draw_text(callout, cols)


def _draw_leader(callout: Callout) -> str:
    points = " ".join(f"{num(x)},{num(y)}" for x, y in callout.leader)
    line = {"points": points, "fill": "none", "stroke-linejoin": "round"}
    parts = [
        el(
            "polyline", {**line, "stroke": "#ffffff", "stroke-width": 3.2, "stroke-opacity": "0.85"}
        ),
        el("polyline", {**line, "stroke": "#6b6b6b", "stroke-width": 1.1}),
    ]
    if isinstance(callout.marker, ProgressStatus):  # a dot on the arc; a tick has its diamond
        x, y = callout.leader[0]
        parts.append(el("circle", {"cx": x, "cy": y, "r": 2.6, "fill": INK, "stroke": "#ffffff",
                                   "stroke-width": 1}))  # fmt: skip
    return group("g", {"class": "wheel-leader"}, parts)


def _draw_marker(callout: Callout, cols: Columns) -> str:
    x, y = cols.badge_x(callout.side), callout.top + callout.lines[0].height / 2
    if isinstance(callout.marker, ProgressStatus):
        return badge(callout.marker, x, y, BADGE)
    return diamond(x, y, BADGE * 0.8, statutory=callout.marker == "statutory")


def _draw_text(callout: Callout, cols: Columns) -> str:
    """Each run anchored on its side nearest the marker, so the font's own widths set the rest."""
    right = callout.side == "right"
    parts = []
    for line, baseline in zip(callout.lines, callout.baselines(), strict=True):
        x = cols.text_edge(callout.side) + (line.indent if right else -line.indent)
        spans = []
        for run, width in zip(line.runs, line.run_widths(), strict=True):
            spans.append(_span(run, x, baseline, "start" if right else "end"))
            step = width + RUN_GAP * line.size
            x += step if right else -step
        parts.append(group("text", {"font-size": line.size}, spans))
    return group("g", {"class": "wheel-label-text"}, parts)


def _span(run: Run, x: float, baseline: float, anchor: str) -> str:
    return el(
        "tspan",
        {"x": x, "y": baseline, "text-anchor": anchor,
         "font-weight": "bold" if run.bold else None,
         "fill": run.fill if run.fill != INK else None},
        run.text,
    )  # fmt: skip
