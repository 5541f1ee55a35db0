"""The årshjul picture: :func:`draw_wheel` turns a :class:`WheelData` into SVG text.

What is drawn, from the outside in: ISO week numbers, the months, a strip with weekends and
closed days, the milestone track (diamonds; filled = statutory), then one ring per kind of work
(citizens, political, budget, administration) with the phases as arcs coloured and patterned by
status and the political meetings as ticks, and the year in the centre with a hand at today.
Labels stand beside the wheel with leader lines and never overlap; a legend explains the marks.

The output is deterministic for the same data (no clock, no randomness, fixed number format).
For embedding, every phase is a ``<g class="wheel-item wheel-phase">`` with a stable id
(``{prefix}-phase-{key}``), ``data-*`` attributes (dates, status, ring, task counts) and a
``<title>``; milestones likewise (``wheel-milestone``). With ``interactive=True`` the items are
focusable (or links, when a phase has a ``link``) and the root is a ``graphics-document``;
otherwise the root is one image (``role="img"``) described by its ``<title>`` and ``<desc>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from aarshjul.engine.progress_status import ProgressStatus
from aarshjul.wheel import wheel_texts as tx
from aarshjul.wheel.arc_geometry import (
    arc_length,
    day_span,
    num,
    point,
    sector_path,
    text_arc_path,
    upside_down,
)
from aarshjul.wheel.callouts import RUN_GAP, Callout, Columns, Line, Run, draw, place
from aarshjul.wheel.label_layout import text_width, wrap
from aarshjul.wheel.ring_layout import Lane, RingBand, lay_out_rings
from aarshjul.wheel.status_style import (
    INK,
    LEGEND_ORDER,
    MUTED,
    PATTERNED,
    badge,
    diamond,
    fill_attrs,
    pattern_defs,
    pattern_id,
)
from aarshjul.wheel.svg_markup import AttrValue, el, group
from aarshjul.wheel.wheel_data import Ring, WheelData, WheelMilestone, WheelPhase

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
WIDTH, MIN_HEIGHT, LEGEND_HEIGHT = 1600.0, 1040.0, 92.0
CX, CY = 800.0, 522.0
R_WEEK_OUT, R_WEEK_IN, R_MONTH_IN, R_DAY_IN = 412.0, 392.0, 358.0, 350.0
R_MILESTONE_IN, R_RINGS_OUT, R_RINGS_IN, R_CENTRE = 328.0, 324.0, 96.0, 88.0
R_LEAD = 420.0
COLUMNS = Columns(
    cx=CX,
    cy=CY,
    lead_r=R_LEAD,
    clear_r=R_WEEK_OUT + 2,
    right_badge=1242.0,
    width=WIDTH,
    text_width=322.0,
    top=100.0,
    top_right=24.0,
)
NAME_SIZE, DETAIL_SIZE, MILESTONE_SIZE = 15.0, 12.5, 13.5
STYLE = (
    ".wheel-item:hover .wheel-arc-fill,.wheel-item:focus .wheel-arc-fill,"
    ".wheel-item:focus-within .wheel-arc-fill{stroke:#1a1a1a;stroke-width:3}"
    ".wheel-item:hover .wheel-label-text,.wheel-item:focus .wheel-label-text,"
    ".wheel-item:focus-within .wheel-label-text{text-decoration:underline}"
    ".wheel-item:focus{outline:none}"
)


@dataclass(frozen=True)
class WheelOptions:
    """How to draw: ``prefix`` makes every id unique on a page with several wheels;
    ``interactive`` makes items focusable for a web page; ``width``/``height`` set the root's size
    attributes (e.g. ``"297mm"`` for print; by default the picture's own units); ``margin`` adds
    white space around the picture (units of the picture: it is 1600 wide)."""

    prefix: str = "aarshjul"
    interactive: bool = False
    width: str | None = None
    height: str | None = None
    margin: float = 0.0


def draw_wheel(data: WheelData, options: WheelOptions | None = None) -> str:
    """The wheel as an SVG document (text). Pure: the same data gives the same bytes.

    >>> from datetime import date
    >>> svg = draw_wheel(WheelData(title="Årshjul 2027", organisation="Testkommune",
    ...     span_start=date(2027, 1, 1), span_end=date(2028, 1, 1), today=date(2027, 6, 14)))
    >>> svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    True
    """
    opts = options or WheelOptions()
    bands = lay_out_rings(data, outer=R_RINGS_OUT, inner=R_RINGS_IN)
    callouts = _callouts(data, bands)
    bottom = place(list(callouts.values()), COLUMNS)
    # The legend stands in the lower left corner: the right column may reach past its top.
    height = max(MIN_HEIGHT, bottom["left"] + 12 + LEGEND_HEIGHT, bottom["right"] + 20)
    body = [
        _defs(data, opts),
        el("rect", {"width": WIDTH, "height": height, "fill": "#ffffff"}),
        _ring_bands(data, bands, opts),
        *_phase_items(data, bands, callouts, opts),
        *_milestone_items(data, callouts, opts),
        _meeting_ticks(data, bands, opts),
        _calendar(data, opts),
        _today_hand(data),
        _centre(data),
        _heading(data),
        _legend(data, height - LEGEND_HEIGHT + 18, opts.prefix),
    ]
    return _root(data, opts, height, body)


# -- root, defs ---------------------------------------------------------------------------------


def _root(data: WheelData, opts: WheelOptions, height: float, body: list[str]) -> str:
    prefix, m = opts.prefix, opts.margin
    root = {
        "xmlns": "http://www.w3.org/2000/svg",
        "viewBox": f"{num(-m)} {num(-m)} {num(WIDTH + 2 * m)} {num(height + 2 * m)}",
        "width": opts.width or num(WIDTH + 2 * m),
        "height": opts.height or num(height + 2 * m),
        "role": "graphics-document" if opts.interactive else "img",
        "aria-labelledby": f"{prefix}-title {prefix}-desc",
        "class": "aarshjul-wheel",
        "lang": data.locale,
        "font-family": FONT,
        "preserveAspectRatio": "xMidYMid meet",
    }
    title = el("title", {"id": f"{prefix}-title"}, _title_text(data))
    desc = el("desc", {"id": f"{prefix}-desc"}, _description(data))
    return group("svg", root, [title, desc, *body]) + "\n"


def _title_text(data: WheelData) -> str:
    return f"{data.title} {tx.DASH} {data.organisation}" if data.organisation else data.title


def _description(data: WheelData) -> str:
    loc = data.locale
    rings = ", ".join(tx.RINGS[loc][r] for r in Ring if any(p.ring == r for p in data.phases))
    first = tx.MONTHS[loc][data.span_start.month - 1].lower()
    parts = [tx.word("desc", loc, title=_title_text(data), first=first, rings=rings or tx.DASH)]
    if data.today:
        parts.append(f"{tx.word('today', loc)}: {tx.long_date(data.today, loc)}.")
    parts += [f"{_phase_sentence(p, data)}." for p in _by_date(data.phases)]
    parts += [f"{_milestone_sentence(m, loc)}." for m in sorted(data.milestones, key=_m_order)]
    return " ".join(parts)


def _defs(data: WheelData, opts: WheelOptions) -> str:
    paths = [el("path", {"id": pid, "d": d}) for pid, d in _text_paths(data, opts.prefix)]
    return group("defs", None, [el("style", None, STYLE), pattern_defs(opts.prefix), *paths])


def _text_paths(data: WheelData, prefix: str) -> list[tuple[str, str]]:
    out = []
    for month, a0, a1 in _months(data):
        radius = _text_radius((R_MONTH_IN + R_WEEK_IN) / 2, 16.0, (a0 + a1) / 2)
        out.append((f"{prefix}-month-{month:%Y-%m}", text_arc_path(CX, CY, radius, a0, a1)))
    return out


def _text_radius(middle: float, size: float, angle: float) -> float:
    """The baseline radius that centres capitals of ``size`` on ``middle``."""
    half_cap = 0.36 * size
    return middle + half_cap if upside_down(angle) else middle - half_cap


# -- rings and phases ---------------------------------------------------------------------------


def _ring_bands(data: WheelData, bands: list[RingBand], opts: WheelOptions) -> str:
    tints = ("#f2f5f8", "#f8f5f0")
    parts = []
    for i, band in enumerate(bands):
        d = sector_path(CX, CY, band.r_in, band.r_out, 0, 360)
        parts.append(el("path", {"d": d, "fill": tints[i % 2], "fill-rule": "evenodd"}))
    parts.append(_month_lines(data, bands))
    gap = largest_gap([span for band in bands for span in _busy(data, band)])
    parts += [_ring_name(data, band, gap, opts) for band in bands]
    return group("g", {"class": "wheel-rings"}, parts)


def _month_lines(data: WheelData, bands: list[RingBand]) -> str:
    if not bands:
        return ""
    inner, outer = bands[-1].r_in, R_DAY_IN
    lines = []
    for _, a0, _ in _months(data):
        (x0, y0), (x1, y1) = point(CX, CY, inner, a0), point(CX, CY, outer, a0)
        lines.append(f"M{num(x0)},{num(y0)}L{num(x1)},{num(y1)}")
    return el("path", {"d": "".join(lines), "stroke": "#d2d6db", "stroke-width": 1})


def _ring_name(
    data: WheelData, band: RingBand, common: tuple[float, float], opts: WheelOptions
) -> str:
    """The ring's name along the ring: where every ring is empty if it fits there (so the names
    stand together like a key), else in the ring's own widest empty stretch."""
    name = tx.RINGS[data.locale][band.ring].upper()
    if not band.phase_lanes:
        return ""
    middle = (band.phase_lanes[0].r_out + band.phase_lanes[-1].r_in) / 2
    size = min(11.5, (band.phase_lanes[0].r_out - band.phase_lanes[-1].r_in) * 0.7)
    path_id = f"{opts.prefix}-ring-{band.ring.value}-name"
    for gap in (common, largest_gap(_busy(data, band))):
        found = _text_in_gap(
            name, middle, gap, size=size, fill="#5d6873", path_id=path_id, bold=True
        )
        if found:
            return found
    return ""


def _busy(data: WheelData, band: RingBand) -> list[tuple[float, float]]:
    spans = [
        day_span(p.start, p.end, data.span_start, data.days)
        for p in data.phases
        if p.ring == band.ring
    ]
    for series in data.meetings if band.meeting_lanes else ():
        spans += [day_span(d, d, data.span_start, data.days) for d in series.days]
    return spans


def _text_in_gap(
    text: str, radius: float, gap: tuple[float, float], *, size: float, fill: str,
    path_id: str, bold: bool = False,
) -> str:  # fmt: skip
    a0, a1 = gap
    need = text_width(text, size, bold=bold) + 16
    if arc_length(radius, a0, a1) < need:
        return ""
    mid = (a0 + a1) / 2
    half = need / 2 / radius * 57.29578
    base = _text_radius(radius, size, mid)
    d = text_arc_path(CX, CY, base, mid - half, mid + half)
    text_path = group(
        "textPath", {"href": f"#{path_id}", "startOffset": "50%"}, [_escape_text(text)]
    )
    label = group(
        "text",
        {"font-size": size, "font-weight": "bold" if bold else None, "fill": fill,
         "text-anchor": "middle", "class": "wheel-ring-name"},
        [text_path],
    )  # fmt: skip
    return el("path", {"id": path_id, "d": d, "fill": "none"}) + label


def _escape_text(text: str) -> str:
    return el("tspan", None, text)[len("<tspan>") : -len("</tspan>")]


def largest_gap(busy: list[tuple[float, float]]) -> tuple[float, float]:
    """The widest angular stretch (degrees, may pass 360) not covered by any ``busy`` span."""
    if not busy:
        return 0.0, 360.0
    spans = sorted(busy)
    merged = [list(spans[0])]
    for a0, a1 in spans[1:]:
        if a0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], a1)
        else:
            merged.append([a0, a1])
    gaps = [(merged[i][1], merged[i + 1][0]) for i in range(len(merged) - 1)]
    gaps.append((merged[-1][1], merged[0][0] + 360))
    return max(gaps, key=lambda g: (g[1] - g[0], -g[0]))


def _phase_items(
    data: WheelData, bands: list[RingBand], callouts: dict[str, Callout], opts: WheelOptions
) -> list[str]:
    lanes = {k: band.phase_lanes[i] for band in bands for k, i in band.lane_of.items()}
    return [
        _item(
            kind="phase", key=p.key, link=p.link, opts=opts, title=_phase_sentence(p, data),
            data_attrs=_phase_data(p), shape=_phase_arc(p, lanes[p.key], data, opts),
            callout=callouts[f"phase:{p.key}"],
        )
        for p in _by_date(data.phases)
    ]  # fmt: skip


def _phase_arc(phase: WheelPhase, lane: Lane, data: WheelData, opts: WheelOptions) -> str:
    # Exactly from the first day's start to the last day's end; the white edge (see
    # fill_attrs) keeps two arcs that meet on one lane apart.
    a0, a1 = day_span(phase.start, phase.end, data.span_start, data.days)
    d = sector_path(CX, CY, lane.r_in + 1.2, lane.r_out - 1.2, a0, a1)
    shape = el("path", {"d": d, "class": "wheel-arc-fill", **fill_attrs(phase.status)})
    if phase.status in PATTERNED:
        fill = f"url(#{pattern_id(opts.prefix, phase.status)})"
        shape += el("path", {"d": d, "fill": fill, "pointer-events": "none"})
    return shape


def _phase_data(phase: WheelPhase) -> dict[str, AttrValue]:
    return {
        "data-key": phase.key,
        "data-ring": phase.ring.value,
        "data-status": phase.status.value,
        "data-start": phase.start.isoformat(),
        "data-end": phase.end.isoformat(),
        "data-done": phase.done,
        "data-total": phase.total,
        "data-overdue": phase.overdue,
    }


def _item(
    *, kind: str, key: str, link: str | None, opts: WheelOptions, title: str,
    data_attrs: dict[str, AttrValue], shape: str, callout: Callout,
) -> str:  # fmt: skip
    """One phase or milestone: its shape, leader and label in one group with a ``<title>``."""
    item_id = f"{opts.prefix}-{kind}-{_id_safe(key)}"
    focus = opts.interactive and not link
    values: dict[str, AttrValue] = {
        "id": item_id,
        "class": f"wheel-item wheel-{kind}",
        **data_attrs,
        "tabindex": "0" if focus else None,
        "role": "graphics-symbol" if focus else None,
        "aria-label": title if opts.interactive else None,
    }
    inner = group("g", values, [el("title", None, title), shape, draw(callout, COLUMNS)])
    if link:
        return group(
            "a", {"href": link, "aria-label": title if opts.interactive else None}, [inner]
        )
    return inner


def _id_safe(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", key)


def _phase_sentence(phase: WheelPhase, data: WheelData) -> str:
    loc = data.locale
    name = f"{phase.name} ({phase.context})" if phase.context else phase.name
    parts = [
        f"{name}: {tx.date_range(phase.start, phase.end, loc)} {_year(phase.end)}",
        tx.STATUS[loc][phase.status],
    ]
    if phase.total is not None and phase.done is not None:
        parts.append(tx.word("tasks_done", loc, done=phase.done, total=phase.total))
    if phase.overdue:
        parts.append(
            tx.word("overdue" if phase.overdue == 1 else "overdue_many", loc, n=phase.overdue)
        )
    if phase.owner:
        parts.append(tx.word("owner", loc, name=phase.owner))
    return " · ".join(parts)


def _year(day: date) -> str:
    return str(day.year)


def _by_date(phases: Iterable[WheelPhase]) -> list[WheelPhase]:
    return sorted(phases, key=lambda p: (p.start, p.end, p.key))


# -- milestones and meetings --------------------------------------------------------------------


def _m_order(m: WheelMilestone) -> tuple[date, str]:
    return m.day, m.key


def _milestone_sentence(milestone: WheelMilestone, loc: str) -> str:
    name = f"{milestone.name} ({milestone.context})" if milestone.context else milestone.name
    text = f"{name}: {tx.long_date(milestone.day, loc)}"
    return f"{text} ({tx.word('statutory', loc)})" if milestone.statutory else text


def _milestone_angle(data: WheelData, day: date) -> float:
    a0, a1 = day_span(day, day, data.span_start, data.days)
    return (a0 + a1) / 2


def _milestone_items(
    data: WheelData, callouts: dict[str, Callout], opts: WheelOptions
) -> list[str]:
    items = []
    for m in sorted(data.milestones, key=_m_order):
        x, y = point(CX, CY, (R_MILESTONE_IN + R_DAY_IN) / 2, _milestone_angle(data, m.day))
        attrs: dict[str, AttrValue] = {
            "data-key": m.key, "data-date": m.day.isoformat(), "data-kind": m.kind,
            "data-statutory": "true" if m.statutory else "false",
        }  # fmt: skip
        items.append(
            _item(kind="milestone", key=m.key, link=m.link, opts=opts,
                  title=_milestone_sentence(m, data.locale), data_attrs=attrs,
                  shape=diamond(x, y, 11, statutory=m.statutory),
                  callout=callouts[f"milestone:{m.key}"])
        )  # fmt: skip
    return items


def _meeting_ticks(data: WheelData, bands: list[RingBand], opts: WheelOptions) -> str:
    """Each meeting series on its own thin track, a tick per meeting, its name in a gap."""
    lanes = {k: lane for band in bands for k, lane in band.meeting_lanes.items()}
    parts = []
    for series in data.meetings:
        lane = lanes[series.key]
        track = sector_path(CX, CY, lane.middle - 0.5, lane.middle + 0.5, 0, 360)
        ticks = [el("path", {"d": track, "fill": "#b9c1ca", "fill-rule": "evenodd"})]
        for day in series.days:
            angle = _milestone_angle(data, day)
            (x0, y0), (x1, y1) = (
                point(CX, CY, lane.r_in + 1.5, angle),
                point(CX, CY, lane.r_out - 1.5, angle),
            )
            ticks.append(
                group("line", {"x1": x0, "y1": y0, "x2": x1, "y2": y1, "stroke": "#2f3943",
                               "stroke-width": 2.2, "stroke-linecap": "round"},
                      [el("title", None, f"{series.name}: {tx.long_date(day, data.locale)}")])
            )  # fmt: skip
        name = _text_in_gap(
            series.name, lane.middle, largest_gap(_busy_days(data, series.days)), size=9.5,
            fill="#2f3943", path_id=f"{opts.prefix}-meetings-{_id_safe(series.key)}-name",
        )  # fmt: skip
        parts.append(
            group("g", {"class": "wheel-meetings", "data-series": series.key}, [*ticks, name])
        )
    return group("g", {"class": "wheel-meeting-ticks"}, parts)


def _busy_days(data: WheelData, days: Iterable[date]) -> list[tuple[float, float]]:
    return [day_span(d, d, data.span_start, data.days) for d in days]


# -- callouts -----------------------------------------------------------------------------------


def _callouts(data: WheelData, bands: list[RingBand]) -> dict[str, Callout]:
    lanes = {k: band.phase_lanes[i] for band in bands for k, i in band.lane_of.items()}
    out: dict[str, Callout] = {}
    for p in data.phases:
        a0, a1 = day_span(p.start, p.end, data.span_start, data.days)
        out[f"phase:{p.key}"] = Callout(
            key=p.key, angle=(a0 + a1) / 2, anchor_r=lanes[p.key].middle,
            lines=_phase_lines(p, data.locale), marker=p.status,
        )  # fmt: skip
    for m in data.milestones:
        out[f"milestone:{m.key}"] = Callout(
            key=m.key, angle=_milestone_angle(data, m.day),
            anchor_r=(R_MILESTONE_IN + R_DAY_IN) / 2 + 6, lines=_milestone_lines(m, data.locale),
            marker="statutory" if m.statutory else "milestone",
        )  # fmt: skip
    return out


def _phase_lines(phase: WheelPhase, loc: str) -> list[Line]:
    names = wrap(phase.name, NAME_SIZE, COLUMNS.text_width, bold=True)
    lines = [Line(NAME_SIZE, (Run(text, bold=True),)) for text in names]
    detail = [tx.date_range(phase.start, phase.end, loc), tx.STATUS[loc][phase.status]]
    if phase.total:
        detail.append(tx.word("done_share", loc, done=phase.done, total=phase.total))
    lines.append(Line(DETAIL_SIZE, (Run(" · ".join(detail), fill=MUTED),)))
    return lines


def _milestone_lines(milestone: WheelMilestone, loc: str) -> list[Line]:
    day = ("§ " if milestone.statutory else "") + tx.short_date(milestone.day, loc)
    indent = text_width(day, MILESTONE_SIZE, bold=True) + RUN_GAP * MILESTONE_SIZE
    texts = wrap(milestone.name, MILESTONE_SIZE, COLUMNS.text_width - indent)
    first = Line(MILESTONE_SIZE, (Run(day, bold=True), Run(texts[0])))
    return [first, *(Line(MILESTONE_SIZE, (Run(text),), indent=indent) for text in texts[1:])]


# -- calendar rings -----------------------------------------------------------------------------


def _months(data: WheelData) -> list[tuple[date, float, float]]:
    out = []
    day = data.span_start.replace(day=1)
    while day < data.span_end:
        following = (day + timedelta(days=32)).replace(day=1)
        a0, a1 = day_span(day, following - timedelta(days=1), data.span_start, data.days)
        out.append((day, a0, a1))
        day = following
    return out


def _calendar(data: WheelData, opts: WheelOptions) -> str:
    return group(
        "g",
        {"class": "wheel-calendar"},
        [_day_strip(data), _month_ring(data, opts), _week_ring(data)],
    )


def _day_strip(data: WheelData) -> str:
    closed = {c.day for c in data.closed_days}
    weekend: list[str] = []
    shut: list[str] = []
    day = data.span_start
    while day < data.span_end:
        if day in closed or day.weekday() >= 5:
            a0, a1 = day_span(day, day, data.span_start, data.days)
            (shut if day in closed else weekend).append(
                sector_path(CX, CY, R_DAY_IN, R_MONTH_IN, a0, a1)
            )
        day += timedelta(days=1)
    base = sector_path(CX, CY, R_DAY_IN, R_MONTH_IN, 0, 360)
    return group(
        "g",
        {"class": "wheel-days"},
        [el("path", {"d": base, "fill": "#ffffff", "fill-rule": "evenodd"}),
         el("path", {"d": "".join(weekend), "fill": "#dfe3e8"}),
         el("path", {"d": "".join(shut), "fill": "#59626d", "class": "wheel-closed-days"})],
    )  # fmt: skip


def _month_ring(data: WheelData, opts: WheelOptions) -> str:
    fills = ("#e4e9ef", "#d3dbe4")
    parts = []
    for i, (month, a0, a1) in enumerate(_months(data)):
        d = sector_path(CX, CY, R_MONTH_IN, R_WEEK_IN, a0, a1)
        parts.append(el("path", {"d": d, "fill": fills[i % 2]}))
        name = tx.MONTHS[data.locale][month.month - 1]
        ref = group(
            "textPath",
            {"href": f"#{opts.prefix}-month-{month:%Y-%m}", "startOffset": "50%"},
            [_escape_text(name)],
        )
        parts.append(group("text", {"font-size": 16, "font-weight": "bold", "fill": "#27313c",
                                    "text-anchor": "middle", "class": "wheel-month"}, [ref]))  # fmt: skip
    return group("g", {"class": "wheel-months"}, parts)


def _week_ring(data: WheelData) -> str:
    ring = sector_path(CX, CY, R_WEEK_IN, R_WEEK_OUT, 0, 360)
    parts = [
        el("path", {"d": ring, "fill": "#ffffff", "stroke": "#c3cad2", "fill-rule": "evenodd"})
    ]
    ticks, labels = [], []
    monday = data.span_start - timedelta(days=data.span_start.weekday())
    while monday < data.span_end:
        a0, a1 = day_span(monday, monday + timedelta(days=6), data.span_start, data.days)
        if monday >= data.span_start:
            (x0, y0), (x1, y1) = point(CX, CY, R_WEEK_IN, a0), point(CX, CY, R_WEEK_OUT, a0)
            ticks.append(f"M{num(x0)},{num(y0)}L{num(x1)},{num(y1)}")
        if a1 - a0 >= 4.0:
            labels.append(_week_number(monday.isocalendar().week, (a0 + a1) / 2))
        monday += timedelta(days=7)
    parts.append(el("path", {"d": "".join(ticks), "stroke": "#c3cad2", "stroke-width": 1}))
    return group(
        "g", {"class": "wheel-weeks", "fill": "#4a5561", "font-size": 11}, [*parts, *labels]
    )


def _week_number(week: int, angle: float) -> str:
    middle = (R_WEEK_IN + R_WEEK_OUT) / 2
    if upside_down(angle):
        y, rotate = CY + middle + 4, angle + 180
    else:
        y, rotate = CY - middle + 4, angle
    return el(
        "text",
        {
            "x": CX,
            "y": y,
            "text-anchor": "middle",
            "transform": f"rotate({num(rotate)} {num(CX)} {num(CY)})",
        },
        str(week),
    )


# -- today, centre, heading, legend -------------------------------------------------------------


def _today_hand(data: WheelData) -> str:
    if data.today is None or not data.span_start <= data.today < data.span_end:
        return ""
    angle = _milestone_angle(data, data.today)
    (x0, y0), (x1, y1) = point(CX, CY, R_CENTRE, angle), point(CX, CY, R_DAY_IN - 2, angle)
    tip = point(CX, CY, R_MONTH_IN + 2, angle)
    left, right = (
        point(CX, CY, R_DAY_IN - 12, angle - 1.6),
        point(CX, CY, R_DAY_IN - 12, angle + 1.6),
    )
    arrow = f"M{num(tip[0])},{num(tip[1])}L{num(left[0])},{num(left[1])}L{num(right[0])},{num(right[1])}Z"
    label = f"{tx.word('today', data.locale)}: {tx.long_date(data.today, data.locale)}"
    return group(
        "g",
        {"class": "wheel-today", "data-date": data.today.isoformat()},
        [el("title", None, label),
         el("line", {"x1": x0, "y1": y0, "x2": x1, "y2": y1, "stroke": "#ffffff", "stroke-width": 6}),
         el("line", {"x1": x0, "y1": y0, "x2": x1, "y2": y1, "stroke": INK, "stroke-width": 2.6}),
         el("path", {"d": arrow, "fill": INK, "stroke": "#ffffff", "stroke-width": 1})],
    )  # fmt: skip


def _centre(data: WheelData) -> str:
    loc = data.locale
    parts = [
        el("circle", {"cx": CX, "cy": CY, "r": R_CENTRE, "fill": "#ffffff", "stroke": "#c3cad2"})
    ]
    parts.append(_centre_text(tx.word("wheel", loc), CY - 36, 14, fill=MUTED))
    parts.append(_centre_text(_span_label(data), CY + 6, 34, bold=True))
    if data.today:
        week = data.today.isocalendar().week
        today = f"{tx.word('today', loc)} {tx.short_date(data.today, loc)} · {tx.word('week', loc)} {week}"
        parts.append(_centre_text(today, CY + 28, 12.5))
    if data.totals.get("total"):
        done = tx.word(
            "tasks_done", loc, done=data.totals.get("done", 0), total=data.totals["total"]
        )
        parts.append(_centre_text(done, CY + 46, 11.5, fill=MUTED))
    return group("g", {"class": "wheel-centre"}, parts)


def _span_label(data: WheelData) -> str:
    last = data.span_end - timedelta(days=1)
    if last.year == data.span_start.year:
        return str(data.span_start.year)
    return f"{data.span_start.year}/{last.year % 100:02d}"


def _centre_text(text: str, y: float, size: float, *, bold: bool = False, fill: str = INK) -> str:
    return el(
        "text",
        {"x": CX, "y": y, "font-size": size, "font-weight": "bold" if bold else None,
         "fill": fill, "text-anchor": "middle"},
        text,
    )  # fmt: skip


def _heading(data: WheelData) -> str:
    loc = data.locale
    sub = [data.organisation] if data.organisation else []
    if data.today:
        sub.append(tx.word("status_at", loc, day=tx.long_date(data.today, loc)))
    if data.public:
        sub.append(tx.word("public", loc))
    return group(
        "g",
        {"class": "wheel-heading"},
        [el("text", {"x": 24, "y": 46, "font-size": 30, "font-weight": "bold", "fill": INK}, data.title),
         el("text", {"x": 24, "y": 72, "font-size": 15, "fill": MUTED}, " · ".join(sub))],
    )  # fmt: skip


LegendKey = tuple[Callable[[float, float], str], float, str]


def _legend(data: WheelData, top: float, prefix: str) -> str:
    loc = data.locale
    row1: list[LegendKey] = [(_status_key(s, prefix), 40, tx.STATUS[loc][s]) for s in LEGEND_ORDER]
    row2: list[LegendKey] = [
        (lambda x, y: diamond(x + 7, y, 12, statutory=True), 16, tx.word("statutory_milestone", loc)),
        (lambda x, y: diamond(x + 7, y, 12, statutory=False), 16, tx.word("milestone", loc)),
        (_swatch("#59626d", 10), 12, tx.word("closed", loc)),
        (_swatch("#dfe3e8", 10), 12, tx.word("weekend", loc)),
        (_today_key, 38, tx.word("today", loc)),
    ]  # fmt: skip
    if data.meetings:
        row2.insert(2, (_meeting_key, 12, tx.word("meetings", loc)))
    return group(
        "g",
        {"class": "wheel-legend", "font-size": 14, "fill": INK},
        [_legend_row(row1, top), _legend_row(row2, top + 30)],
    )


def _legend_row(items: list[LegendKey], y: float) -> str:
    x, parts = 24.0, []
    for key, width, label in items:
        parts.append(key(x, y))
        parts.append(el("text", {"x": x + width + 8, "y": y + 5}, label))
        x += width + 8 + text_width(label, 14) + 28
    return "".join(parts)


def _status_key(status: ProgressStatus, prefix: str) -> Callable[[float, float], str]:
    def key(x: float, y: float) -> str:
        rect = {"x": x + 18, "y": y - 7, "width": 22, "height": 14}
        shape = el("rect", {**rect, **fill_attrs(status)})
        if status in PATTERNED:
            shape += el("rect", {**rect, "fill": f"url(#{pattern_id(prefix, status)})"})
        return badge(status, x + 7, y, 14) + shape

    return key


def _swatch(colour: str, width: float) -> Callable[[float, float], str]:
    return lambda x, y: el(
        "rect", {"x": x, "y": y - 7, "width": width, "height": 14, "fill": colour}
    )


def _meeting_key(x: float, y: float) -> str:
    return el("line", {"x1": x + 6, "y1": y - 7, "x2": x + 6, "y2": y + 7, "stroke": "#2f3943",
                       "stroke-width": 2.2, "stroke-linecap": "round"})  # fmt: skip


def _today_key(x: float, y: float) -> str:
    arrow = f"M{num(x + 38)},{num(y)}L{num(x + 29)},{num(y - 5)}L{num(x + 29)},{num(y + 5)}Z"
    line: dict[str, AttrValue] = {"x1": x, "y1": y, "x2": x + 32, "y2": y, "stroke": INK,
                                  "stroke-width": 2.6}  # fmt: skip
    return el("line", line) + el("path", {"d": arrow, "fill": INK})
