"""The year's phases and milestones in date order: from a resolved plan, or from the database."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from aarshjul.models import Cycle, Milestone, Organisation, Phase
from aarshjul.planning.date_plan import DatePlan
from aarshjul.planning.template_schema import Template


def _entry(
    cycle: str, kind: str, key: str, name: str, start: date, end: date | None
) -> dict[str, Any]:
    year, week = start.isocalendar()[:2]
    label = f"uge {week}" if year == start.year else f"uge {week} ({year})"
    return {
        "cycle": cycle, "kind": kind, "key": key, "name": name, "start": start.isoformat(),
        "end": (end or start).isoformat(), "week": label,
    }  # fmt: skip


def _ordered(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(entries, key=lambda e: (e["start"], e["kind"] != "phase", e["end"]))


def plan_timeline(template: Template, dates: DatePlan, cycle: str = "") -> list[dict[str, Any]]:
    """Timeline records of a resolved (not necessarily stored) plan."""
    named = dates.named
    entries = [
        _entry(cycle, "phase", p.key, p.name.da, *dates.phase(p.key)) for p in template.phases
    ] + [
        _entry(cycle, "milestone", m.key, m.name.da, named[m.key], None)
        for m in template.milestones
    ]
    return _ordered(entries)


def stored_timeline(
    session: Session, organisation: Organisation, year: int
) -> list[dict[str, Any]]:
    """Timeline records of every cycle of ``year`` in the database (three queries)."""
    cycles = {
        c.id: c.key
        for c in session.exec(
            select(Cycle).where(Cycle.organisation_id == organisation.id, Cycle.year == year)
        )
    }
    ids = list(cycles)
    phases = session.exec(select(Phase).where(col(Phase.cycle_id).in_(ids))).all()
    milestones = session.exec(select(Milestone).where(col(Milestone.cycle_id).in_(ids))).all()
    entries = [
        _entry(cycles[p.cycle_id], "phase", p.key, p.name_da, p.start_date, p.end_date)
        for p in phases
    ] + [
        _entry(cycles[m.cycle_id], "milestone", m.key, m.name_da, m.date, None) for m in milestones
    ]
    return _ordered(entries)
