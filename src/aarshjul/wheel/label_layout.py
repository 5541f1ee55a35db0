"""Measuring, wrapping and placing the wheel's labels so that no two overlap.

Widths come from the advance widths of Liberation Sans (= Arial) in
:mod:`aarshjul.wheel.font_metrics`; a label's box runs from its first line's ascent to its last
line's descent. Labels stand in two columns beside the wheel; :func:`spread` moves each column's
labels as little as possible (least squares) from where their leader lines start, keeping their
order and a gap between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aarshjul.wheel import font_metrics as fm


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The advance width of ``text`` at font ``size`` (SVG user units), kerning left out.

    >>> round(text_width("Maj", 20), 1)
    32.2
    """
    table = fm.BOLD if bold else fm.REGULAR
    units = sum(table.get(ord(char), fm.FALLBACK) for char in text)
    return units * size / fm.UNITS_PER_EM


def wrap(
    text: str, size: float, max_width: float, *, bold: bool = False, first_indent: float = 0.0
) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``max_width``.

    The first line has ``first_indent`` less room (for a date set before it). A single word wider
    than the room stays whole on its own line (never cut mid-word).

    >>> wrap("Offentlig høring af forslag til tillæg", 15, 150)
    ['Offentlig høring af', 'forslag til tillæg']
    """
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        room = max_width - (first_indent if len(lines) <= 1 else 0.0)
        if lines and text_width(candidate, size, bold=bold) <= room:
            lines[-1] = candidate
        elif not lines and first_indent and text_width(word, size, bold=bold) > room:
            lines.extend(["", word])
        else:
            lines.append(word)
    return lines or [""]


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: ``x0 <= x1``, ``y0 <= y1`` (SVG user units, y down)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def intersects(self, other: Box) -> bool:
        """True when the two boxes share interior (touching edges do not count)."""
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )


def text_box(
    text: str, *, x: float, baseline: float, size: float, bold: bool = False, anchor: str = "start"
) -> Box:
    """The box of one line of text as SVG draws it at ``x`` with ``text-anchor`` ``anchor``."""
    width = text_width(text, size, bold=bold)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return Box(left, baseline - fm.ASCENT * size, left + width, baseline + fm.DESCENT * size)


def spread(
    ideal: Sequence[float], heights: Sequence[float], *, gap: float, top: float
) -> list[float]:
    """Top edges for boxes stacked in the given order, each as close to its ideal as can be.

    Minimises the sum of squared distances to ``ideal`` subject to every box starting at least
    ``gap`` below the previous one's bottom and the first not above ``top`` (pool adjacent
    violators on the shifted problem; exact and deterministic). The last box may end anywhere:
    the caller makes the picture taller when it ends below the space it has.

    >>> spread([100, 100, 300], [20, 20, 20], gap=10, top=0)
    [85.0, 115.0, 300.0]
    """
    offsets: list[float] = []
    total = 0.0
    for height in heights:
        offsets.append(total)
        total += height + gap
    shifted = [want - offset for want, offset in zip(ideal, offsets, strict=True)]
    fitted = [max(value, top) for value in _isotonic(shifted)]
    return [value + offset for value, offset in zip(fitted, offsets, strict=True)]


def _isotonic(values: Sequence[float]) -> list[float]:
    """The non-decreasing sequence closest to ``values`` in least squares (PAVA)."""
    blocks: list[list[float]] = []  # [mean, count]
    for value in values:
        blocks.append([value, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, count = blocks.pop()
            prev_mean, prev_count = blocks[-1]
            blocks[-1] = [
                (prev_mean * prev_count + mean * count) / (prev_count + count),
                prev_count + count,
            ]
    out: list[float] = []
    for mean, count in blocks:
        out.extend([mean] * int(count))
    return out
