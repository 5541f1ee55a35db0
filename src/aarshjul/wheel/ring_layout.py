"""Rings and lanes: which radius each phase's arc and each meeting series is drawn at.

Each :class:`~aarshjul.wheel.wheel_data.Ring` that has something to show gets a band, outside in
in the order of the enum; in a band, phases that overlap in time go on separate lanes (the first
lane that is free when the phase starts, phases taken by start date), and the political ring
also gets one thin lane per meeting series, outermost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from aarshjul.wheel.wheel_data import Ring, WheelData, WheelPhase

MEETING_LANE = 12.0
PAD = 3.0
GAP = 6.0
MIN_LANE, MAX_LANE = 3.0, 34.0


@dataclass(frozen=True)
class Lane:
    """A circular strip from ``r_in`` to ``r_out``."""

    r_in: float
    r_out: float

    @property
    def middle(self) -> float:
        return (self.r_in + self.r_out) / 2


@dataclass
class RingBand:
    """One ring's radii, its phase lanes (outermost first) and its meeting lanes."""

    ring: Ring
    r_in: float = 0.0
    r_out: float = 0.0
    phase_lanes: list[Lane] = field(default_factory=list)
    meeting_lanes: dict[str, Lane] = field(default_factory=dict)
    lane_of: dict[str, int] = field(default_factory=dict)


def lay_out_rings(data: WheelData, *, outer: float, inner: float) -> list[RingBand]:
    """Bands for the rings with content between radii ``inner`` and ``outer``."""
    bands = []
    for ring in Ring:
        phases = [p for p in data.phases if p.ring == ring]
        series = [m.key for m in data.meetings] if ring == Ring.political else []
        if phases or series:
            band = RingBand(ring, lane_of=assign_lanes(phases))
            band.meeting_lanes = dict.fromkeys(series, Lane(0, 0))
            bands.append(band)
    _place(bands, outer=outer, inner=inner)
    return bands


def assign_lanes(phases: Sequence[WheelPhase]) -> dict[str, int]:
    """Lane index per phase key: the first lane whose last phase ended before this one starts."""
    ends: list[date] = []
    out: dict[str, int] = {}
    for phase in sorted(phases, key=lambda p: (p.start, p.end, p.key)):
        lane = next((i for i, end in enumerate(ends) if end < phase.start), len(ends))
        if lane == len(ends):
            ends.append(phase.end)
        else:
            ends[lane] = phase.end
        out[phase.key] = lane
    return out


def _lane_count(band: RingBand) -> int:
    return max(band.lane_of.values(), default=-1) + 1


def _place(bands: list[RingBand], *, outer: float, inner: float) -> None:
    meetings = sum(len(b.meeting_lanes) for b in bands) * MEETING_LANE
    fixed = meetings + len(bands) * 2 * PAD + max(len(bands) - 1, 0) * GAP
    lanes = sum(_lane_count(b) for b in bands)
    # With very many lanes they grow thin (MIN_LANE at the least) rather than reach the centre.
    lane = min(max((outer - inner - fixed) / lanes, MIN_LANE), MAX_LANE) if lanes else MAX_LANE
    r = outer
    for band in bands:
        band.r_out = r
        r -= PAD
        for key in band.meeting_lanes:
            band.meeting_lanes[key] = Lane(r - MEETING_LANE, r)
            r -= MEETING_LANE
        for _ in range(_lane_count(band)):
            band.phase_lanes.append(Lane(r - lane, r))
            r -= lane
        r -= PAD
        band.r_in = r
        r -= GAP
