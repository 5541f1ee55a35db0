"""The årshjul picture drawn from hand-built values: valid SVG, arcs at the right angles, labels
that never overlap, accessible markup, the same bytes for the same day."""

from __future__ import annotations

import dataclasses
import math
import random
from datetime import date, timedelta
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aarshjul.engine.progress_status import ProgressStatus
from aarshjul.wheel.label_layout import spread, wrap
from aarshjul.wheel.picture import R_WEEK_OUT, WheelOptions, draw_wheel, largest_gap
from aarshjul.wheel.wheel_data import (
    Ring,
    WheelClosedDay,
    WheelData,
    WheelMeetingSeries,
    WheelMilestone,
    WheelPhase,
)
from tests import wheel_svg as sv

S = ProgressStatus


def phase(key: str, start: date, end: date, ring: Ring, status: S, **kw: object) -> WheelPhase:
    values: dict[str, object] = {"name": f"Fase {key}", "done": 3, "total": 10, "overdue": 1,
                                 "owner": "Anne Kjær"} | kw  # fmt: skip
    return WheelPhase(key=key, start=start, end=end, ring=ring, status=status, **values)  # type: ignore[arg-type]


def year_2027(**kw: object) -> WheelData:
    d = date
    values: dict[str, object] = {
        "title": "Årshjul 2027",
        "organisation": "Testkommune",
        "span_start": d(2027, 1, 1),
        "span_end": d(2028, 1, 1),
        "today": d(2027, 6, 14),
        "phases": (
            phase("status", d(2027, 1, 4), d(2027, 3, 24), Ring.administration, S.done),
            phase("dialog", d(2027, 2, 1), d(2027, 4, 30), Ring.administration, S.late),
            phase("idea", d(2027, 3, 1), d(2027, 4, 12), Ring.citizens, S.done, name="Idéfase"),
            phase("review", d(2027, 5, 3), d(2027, 6, 8), Ring.political, S.at_risk),
            phase("contrib", d(2027, 5, 3), d(2027, 6, 15), Ring.budget, S.on_track),
            phase("budget", d(2027, 8, 2), d(2027, 10, 14), Ring.budget, S.not_started),
            phase("hearing", d(2027, 9, 2), d(2027, 10, 28), Ring.citizens, S.not_started),
        ),
        "milestones": (
            WheelMilestone(
                key="b1", name="1. behandling af budget", day=d(2027, 9, 9), statutory=True
            ),
            WheelMilestone(
                key="b2",
                name="2. behandling og vedtagelse af budget",
                day=d(2027, 10, 14),
                statutory=True,
            ),
            WheelMilestone(
                key="ka",
                name="Økonomiaftale mellem KL og regeringen (forventet)",
                day=d(2027, 6, 11),
            ),
        ),
        "meetings": (
            WheelMeetingSeries(
                key="kb",
                name="Kommunalbestyrelsen",
                days=tuple(d(2027, m, 24) for m in range(1, 13) if m != 7),
            ),
        ),
        "closed_days": (WheelClosedDay(day=d(2027, 12, 24), name="Juleaftensdag"),),
        "totals": {"done": 30, "total": 70},
    }
    return WheelData(**(values | kw))  # type: ignore[arg-type]


def crowded() -> WheelData:
    """40 phases and 30 milestones, most of them in April: labels must give way to each other."""
    rng = random.Random(7)
    phases = []
    for i in range(40):
        start = date(2027, 4, 1) + timedelta(days=rng.randrange(0, 40))
        phases.append(
            phase(f"p{i}", start, start + timedelta(days=rng.randrange(1, 60)), rng.choice(list(Ring)),
                  rng.choice(list(S)), name=f"En temmelig lang fasebetegnelse nummer {i}")
        )  # fmt: skip
    milestones = tuple(
        WheelMilestone(key=f"m{i}", name=f"Milepæl {i} med et navn", day=date(2027, 4, 10 + i % 15),
                       statutory=i % 3 == 0)
        for i in range(30)
    )  # fmt: skip
    return year_2027(phases=tuple(phases), milestones=milestones)


# -- the SVG ------------------------------------------------------------------------------------


def test_the_picture_is_xml_with_an_accessible_root() -> None:
    root = sv.parse(draw_wheel(year_2027()))
    assert root.tag == f"{sv.SVG}svg"
    assert root.get("role") == "img"
    ids = (root.get("aria-labelledby") or "").split()
    by_id = {node.get("id"): node for node in root.iter() if node.get("id")}
    assert [by_id[i].tag for i in ids] == [f"{sv.SVG}title", f"{sv.SVG}desc"]
    desc = by_id[ids[1]].text or ""
    assert "Idéfase" in desc and "14. juni 2027" in desc and "1. behandling af budget" in desc


def test_one_arc_per_phase_from_its_first_day_to_the_end_of_its_last() -> None:
    data = year_2027()
    root = sv.parse(draw_wheel(data))
    middle = sv.centre(root)
    items = sv.find_class(root, "wheel-phase")
    assert len(items) == len(data.phases)
    for p in data.phases:
        (item,) = [i for i in items if i.get("id") == f"aarshjul-phase-{p.key}"]
        paths = [n for n in item.iter() if "wheel-arc-fill" in sv.classes(n)]
        assert len(paths) == 1
        drawn = sv.arc_angles(paths[0].get("d", ""), middle)
        # independently: 365 days in 2027, a day starts at 360° · (days since 1 Jan) / 365
        expected = (
            360 * (p.start - date(2027, 1, 1)).days / 365,
            360 * ((p.end - date(2027, 1, 1)).days + 1) / 365,
        )
        assert drawn == pytest.approx(expected, abs=0.01)
        assert (item.find(f"{sv.SVG}title").text or "").startswith(p.name)  # type: ignore[union-attr]


def test_a_school_year_starts_in_august_and_clips_a_phase_begun_before() -> None:
    data = year_2027(
        span_start=date(2027, 8, 1), span_end=date(2028, 8, 1),
        phases=(phase("x", date(2027, 6, 1), date(2027, 9, 30), Ring.budget, S.late),
                phase("y", date(2028, 2, 29), date(2028, 3, 1), Ring.budget, S.done)),
    )  # fmt: skip
    root = sv.parse(draw_wheel(data))
    middle = sv.centre(root)
    arcs = {
        item.get("id"): sv.arc_angles(
            next(n for n in item.iter() if "wheel-arc-fill" in sv.classes(n)).get("d", ""), middle
        )
        for item in sv.find_class(root, "wheel-phase")
    }
    days = 366  # Aug 2027 - Jul 2028 holds 29 Feb 2028
    assert arcs["aarshjul-phase-x"][1] == pytest.approx(360 * 61 / days, abs=0.01)
    assert arcs["aarshjul-phase-x"][0] == pytest.approx(0, abs=0.01) or arcs["aarshjul-phase-x"][
        0
    ] == pytest.approx(360, abs=0.01)
    assert arcs["aarshjul-phase-y"] == pytest.approx((360 * 212 / days, 360 * 214 / days), abs=0.01)
    months = [n for n in root.iter() if "wheel-month" in sv.classes(n)]
    assert "".join(months[0].itertext()) == "August"


def test_the_same_day_gives_the_same_bytes_whatever_the_order_of_the_values() -> None:
    data = year_2027()
    shuffled = dataclasses.replace(
        data, phases=tuple(reversed(data.phases)), milestones=tuple(reversed(data.milestones))
    )
    assert draw_wheel(data) == draw_wheel(shuffled) == draw_wheel(year_2027())
    assert draw_wheel(data) != draw_wheel(year_2027(today=date(2027, 6, 15)))


@pytest.mark.parametrize(
    "data", [year_2027(), crowded(), year_2027(locale="en")], ids=["year", "crowded", "en"]
)
def test_no_two_texts_overlap_and_labels_stay_off_the_wheel(data: WheelData) -> None:
    root = sv.parse(draw_wheel(data))
    boxes = sv.text_boxes(root)
    assert len([b for b in boxes if b.in_item]) >= len(data.phases) + len(data.milestones)
    clashes = [(a.text, b.text) for a, b in combinations(boxes, 2) if a.overlaps(b)]
    assert clashes == []
    cx, cy = sv.centre(root)
    for box in (b for b in boxes if b.in_item):
        nearest_x = min(max(cx, box.x0), box.x1)
        nearest_y = min(max(cy, box.y0), box.y1)
        assert math.hypot(nearest_x - cx, nearest_y - cy) > R_WEEK_OUT, box.text
    view = [float(v) for v in (root.get("viewBox") or "").split()]
    assert all(b.x0 >= 0 and b.x1 <= view[2] and b.y0 >= 0 and b.y1 <= view[3] for b in boxes)


def test_a_crowded_year_makes_the_picture_taller_instead_of_overlapping() -> None:
    plain = sv.parse(draw_wheel(year_2027()))
    tall = sv.parse(draw_wheel(crowded()))
    assert float(tall.get("height", "0")) > float(plain.get("height", "0")) == 1040


def test_every_phase_and_milestone_has_a_title_and_stable_hooks() -> None:
    data = year_2027()
    root = sv.parse(draw_wheel(data))
    for item in sv.find_class(root, "wheel-item"):
        assert (item.find(f"{sv.SVG}title").text or "") != ""  # type: ignore[union-attr]
        assert item.get("data-key") and item.get("id", "").startswith("aarshjul-")
    phases = {i.get("data-key"): i for i in sv.find_class(root, "wheel-phase")}
    late = phases["dialog"]
    assert (late.get("data-status"), late.get("data-done"), late.get("data-total")) == (
        "late",
        "3",
        "10",
    )
    assert late.get("data-start") == "2027-02-01" and late.get("data-ring") == "administration"
    title = late.find(f"{sv.SVG}title").text or ""  # type: ignore[union-attr]
    assert "Forsinket" in title and "3/10 opgaver færdige" in title and "Anne Kjær" in title


def test_status_is_never_told_by_colour_alone() -> None:
    root = sv.parse(draw_wheel(year_2027()))
    for item in sv.find_class(root, "wheel-phase"):
        status = item.get("data-status")
        badges = [n for n in item.iter() if f"wheel-badge-{status}" in sv.classes(n)]
        assert len(badges) == 1  # a shape per status next to the label
        label = " ".join("".join(t.itertext()) for t in item.iter(f"{sv.SVG}text"))
        assert {"done": "Færdig", "on_track": "Følger planen", "at_risk": "I risiko",
                "late": "Forsinket", "not_started": "Ikke startet"}[status or ""] in label  # fmt: skip
        patterned = [n for n in item.iter() if (n.get("fill") or "").startswith("url(#")]
        assert bool(patterned) == (status in ("at_risk", "late"))
    legend = " ".join(sv.find_class(root, "wheel-legend")[0].itertext())
    assert all(word in legend for word in ("Færdig", "I risiko", "Forsinket", "Ikke startet"))


def test_interactive_items_are_focusable_or_links_with_unique_ids() -> None:
    data = year_2027()
    linked = dataclasses.replace(data.phases[0], link="/board/phase/status")
    svg = draw_wheel(
        dataclasses.replace(data, phases=(linked, *data.phases[1:])),
        WheelOptions(prefix="w2", interactive=True),
    )
    root = sv.parse(svg)
    assert root.get("role") == "graphics-document"
    anchors = list(root.iter(f"{sv.SVG}a"))
    assert [a.get("href") for a in anchors] == ["/board/phase/status"]
    focusable = [i for i in sv.find_class(root, "wheel-phase") if i.get("tabindex") == "0"]
    assert len(focusable) == len(data.phases) - 1
    assert all(i.get("aria-label") for i in sv.find_class(root, "wheel-item"))
    ids = [n.get("id") for n in root.iter() if n.get("id")]
    assert len(ids) == len(set(ids)) and all(i.startswith("w2-") for i in ids)


def test_english_month_names_and_statuses() -> None:
    root = sv.parse(draw_wheel(year_2027(locale="en")))
    months = ["".join(n.itertext()) for n in root.iter() if "wheel-month" in sv.classes(n)]
    assert months[:3] == ["January", "February", "March"]
    assert root.get("lang") == "en"
    assert "Not started" in " ".join(sv.find_class(root, "wheel-legend")[0].itertext())


def test_text_is_escaped() -> None:
    hostile = phase("h", date(2027, 3, 1), date(2027, 3, 9), Ring.citizens, S.done,
                    name='<script>alert("x")</script> & co')  # fmt: skip
    svg = draw_wheel(year_2027(phases=(hostile,)))
    assert "<script>" not in svg
    assert sv.parse(svg) is not None


def test_closed_days_weeks_and_today_are_drawn() -> None:
    root = sv.parse(draw_wheel(year_2027()))
    (closed,) = sv.find_class(root, "wheel-closed-days")
    assert closed.get("d", "").count("M") == 1  # 24 December
    weeks = [n.text for n in sv.find_class(root, "wheel-weeks")[0].iter(f"{sv.SVG}text")]
    # 1-3 Jan 2027 belong to week 53 of 2026: too short a stretch for its number
    assert weeks[0] == "1" and weeks[-1] == "52" and len(weeks) == 52
    (today,) = sv.find_class(root, "wheel-today")
    assert today.get("data-date") == "2027-06-14"


# -- layout helpers -----------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-200, 1200), st.floats(5, 60)), min_size=1, max_size=40),
    st.floats(0, 100),
)
def test_spread_keeps_order_and_gaps(items: list[tuple[float, float]], top: float) -> None:
    items.sort()
    tops = spread([i for i, _ in items], [h for _, h in items], gap=7, top=top)
    assert tops[0] >= top - 1e-9
    for (t0, (_, h0)), t1 in zip(zip(tops, items, strict=True), tops[1:], strict=False):
        assert t1 >= t0 + h0 + 7 - 1e-6


def test_spread_leaves_labels_with_room_where_they_want_to_be() -> None:
    assert spread([10, 200, 400], [20, 20, 20], gap=7, top=0) == [10, 200, 400]


def test_wrap_breaks_at_spaces_and_never_inside_a_word() -> None:
    assert wrap("Offentliggørelse og klagefrist", 15, 120) == ["Offentliggørelse", "og klagefrist"]
    assert wrap("Kommunalbestyrelsesmedlem", 15, 20) == ["Kommunalbestyrelsesmedlem"]


def test_largest_gap_goes_round_the_end_of_the_year() -> None:
    assert largest_gap([(20, 100), (120, 330)]) == (330, 380)
    assert largest_gap([]) == (0, 360)


@pytest.mark.parametrize("bold", [False, True])
def test_the_width_table_is_the_fonts_own(bold: bool) -> None:
    from aarshjul.wheel import font_metrics as fm
    from aarshjul.wheel.label_layout import text_width

    table = fm.BOLD if bold else fm.REGULAR
    text = "".join(chr(code) for code in table)
    assert all(c in text for c in "æøåÆØÅ§\N{EN DASH}")
    assert text_width(text, 15, bold=bold) == pytest.approx(sv.width(text, 15, bold))
