"""Angles and SVG paths on the wheel: 0° at the top (12 o'clock), clockwise, in degrees.

A day ``d`` of a span starting ``s`` with ``n`` days begins at ``360 · (d - s) / n`` degrees; a
phase from ``start`` to ``end`` (inclusive) covers ``[angle(start), angle(end + 1 day))``.

>>> angle_of(date(2028, 7, 2), date(2028, 1, 1), 366)  # a leap year: 183 days in
180.0
"""

from __future__ import annotations

import math
from datetime import date, timedelta


def angle_of(day: date, span_start: date, days: int) -> float:
    """Where ``day`` begins on a wheel of ``days`` days starting at ``span_start`` (degrees)."""
    return 360.0 * (day - span_start).days / days


def day_span(start: date, end: date, span_start: date, days: int) -> tuple[float, float]:
    """The angles a period from ``start`` to ``end`` (inclusive) covers, clipped to the wheel."""
    first = max(angle_of(start, span_start, days), 0.0)
    last = min(angle_of(end + timedelta(days=1), span_start, days), 360.0)
    return first, last


def point(cx: float, cy: float, radius: float, degrees: float) -> tuple[float, float]:
    """The point at ``radius`` from the centre at ``degrees`` (0 = up, clockwise)."""
    rad = math.radians(degrees)
    return cx + radius * math.sin(rad), cy - radius * math.cos(rad)


def num(value: float) -> str:
    """A coordinate for SVG: two decimals at most, no trailing zeros, never ``-0``.

    >>> num(1.0), num(2.345), num(-0.001)
    ('1', '2.35', '0')
    """
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def sector_path(cx: float, cy: float, r_in: float, r_out: float, a0: float, a1: float) -> str:
    """An annular sector (a ring segment) from ``a0`` to ``a1`` degrees, as path data."""
    if a1 - a0 >= 359.999:  # a full ring: two half arcs per edge, SVG cannot draw a 360° arc
        return _full_ring(cx, cy, r_in, r_out)
    large = 1 if a1 - a0 > 180 else 0
    x0, y0 = point(cx, cy, r_out, a0)
    x1, y1 = point(cx, cy, r_out, a1)
    x2, y2 = point(cx, cy, r_in, a1)
    x3, y3 = point(cx, cy, r_in, a0)
    return (
        f"M{num(x0)},{num(y0)}A{num(r_out)},{num(r_out)} 0 {large} 1 {num(x1)},{num(y1)}"
        f"L{num(x2)},{num(y2)}A{num(r_in)},{num(r_in)} 0 {large} 0 {num(x3)},{num(y3)}Z"
    )


def _full_ring(cx: float, cy: float, r_in: float, r_out: float) -> str:
    parts = []
    for radius, sweep in ((r_out, 1), (r_in, 0)):
        top, bottom = f"{num(cx)},{num(cy - radius)}", f"{num(cx)},{num(cy + radius)}"
        r = f"{num(radius)},{num(radius)}"
        parts.append(f"M{top}A{r} 0 1 {sweep} {bottom}A{r} 0 1 {sweep} {top}Z")
    return "".join(parts)


def text_arc_path(cx: float, cy: float, radius: float, a0: float, a1: float) -> str:
    """An arc for text to follow from ``a0`` to ``a1``, reading left to right.

    On the lower half of the wheel the arc runs counter-clockwise so the text is not upside down.
    """
    mid = (a0 + a1) / 2 % 360
    flip = 90 < mid < 270
    start, end = (a1, a0) if flip else (a0, a1)
    x0, y0 = point(cx, cy, radius, start)
    x1, y1 = point(cx, cy, radius, end)
    large = 1 if abs(a1 - a0) > 180 else 0
    sweep = 0 if flip else 1
    return f"M{num(x0)},{num(y0)}A{num(radius)},{num(radius)} 0 {large} {sweep} {num(x1)},{num(y1)}"


def upside_down(degrees: float) -> bool:
    """True where text set along the circle would read upside down (the lower half)."""
    return 90 < degrees % 360 < 270


def arc_length(radius: float, a0: float, a1: float) -> float:
    """Length of the arc from ``a0`` to ``a1`` degrees at ``radius``."""
    return math.radians(a1 - a0) * radius
