"""Opening and closing phases as the calendar reaches them, in a few set-based UPDATEs.

Every change is a conditional ``UPDATE … WHERE status = <old> … RETURNING``, so it is
idempotent (a second tick on the same day changes nothing and reports nothing) and safe when two
ticks race: only the one that really changed a row reports it, so each phase event is emitted once.
Catch-up is free: after an outage every phase whose start has passed opens and every phase whose
end has passed closes, whatever day the engine comes back on.

A phase that ends while some of its tasks are still open is closed *and flagged*:
``open_tasks_at_close`` holds how many, and :attr:`PhaseChanges.flagged` lists it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.models.base import OPEN_TASK_STATUSES, CycleStatus, PhaseStatus
from aarshjul.models.cycle import Cycle, Phase, Task
from aarshjul.models.organisation import Organisation


@dataclass(frozen=True)
class PhaseChange:
    """One phase that changed status, with what an event or a log line needs."""

    phase_id: int
    phase_key: str
    name_da: str
    cycle_id: int
    cycle_key: str
    open_tasks: int = 0


@dataclass
class PhaseChanges:
    """What :func:`advance_phases` did; ``flagged`` are closed phases that still had open tasks."""

    opened: list[PhaseChange] = field(default_factory=list)
    closed: list[PhaseChange] = field(default_factory=list)

    @property
    def flagged(self) -> list[PhaseChange]:
        return [c for c in self.closed if c.open_tasks > 0]

    def as_dict(self) -> dict[str, Any]:
        def keys(changes: list[PhaseChange]) -> list[str]:
            return [f"{c.cycle_key}/{c.phase_key}" for c in changes]

        return {
            "opened": keys(self.opened),
            "closed": keys(self.closed),
            "flagged": {f"{c.cycle_key}/{c.phase_key}": c.open_tasks for c in self.flagged},
        }


def advance_phases(
    session: Session, *, organisation: Organisation, today: date, now: datetime
) -> PhaseChanges:
    """Open the organisation's phases that have started and close those that have ended.

    ``planned`` phases with ``start_date <= today <= end_date`` open; ``planned`` or ``open``
    phases with ``end_date < today`` close (a phase missed entirely during an outage goes
    straight to closed). The caller's transaction holds the writes.

    >>> changes = advance_phases(session, organisation=org, today=date(2027, 3, 1), now=now)  # doctest: +SKIP
    >>> [c.phase_key for c in changes.opened], [c.phase_key for c in changes.flagged]  # doctest: +SKIP
    (['idefase'], ['status'])
    """
    assert organisation.id is not None
    cycles = _org_cycles(organisation.id)
    changes = PhaseChanges()
    changes.closed = _close(session, cycles, today, now)
    changes.opened = _open(session, cycles, today, now)
    _start_cycles(session, organisation.id, [c.cycle_id for c in changes.opened])
    _describe(session, changes)
    return changes


def _org_cycles(organisation_id: int) -> Any:
    return sa.select(col(Cycle.id)).where(col(Cycle.organisation_id) == organisation_id)


def _open_tasks_of_phase() -> Any:
    return (
        sa.select(sa.func.count())
        .where(col(Task.phase_id) == col(Phase.id), col(Task.status).in_(OPEN_TASK_STATUSES))
        .scalar_subquery()
    )


def _close(session: Session, cycles: Any, today: date, now: datetime) -> list[PhaseChange]:
    stmt = (
        sa.update(Phase)
        .where(
            col(Phase.cycle_id).in_(cycles),
            col(Phase.status).in_([PhaseStatus.planned, PhaseStatus.open]),
            col(Phase.end_date) < today,
        )
        .values(
            status=PhaseStatus.closed,
            closed_at=now,
            opened_at=sa.func.coalesce(col(Phase.opened_at), now),
            open_tasks_at_close=_open_tasks_of_phase(),
        )
        .returning(col(Phase.id), col(Phase.cycle_id), col(Phase.open_tasks_at_close))
    )
    rows: Any = session.connection().execute(stmt).all()
    return [PhaseChange(pid, "", "", cid, "", int(n or 0)) for pid, cid, n in rows]


def _open(session: Session, cycles: Any, today: date, now: datetime) -> list[PhaseChange]:
    stmt = (
        sa.update(Phase)
        .where(
            col(Phase.cycle_id).in_(cycles),
            col(Phase.status) == PhaseStatus.planned,
            col(Phase.start_date) <= today,
            col(Phase.end_date) >= today,
        )
        .values(status=PhaseStatus.open, opened_at=now)
        .returning(col(Phase.id), col(Phase.cycle_id))
    )
    rows: Any = session.connection().execute(stmt).all()
    return [PhaseChange(pid, "", "", cid, "") for pid, cid in rows]


def _start_cycles(session: Session, organisation_id: int, cycle_ids: list[int]) -> None:
    """A planned cycle is running from the day its first phase opens."""
    if not cycle_ids:
        return
    session.connection().execute(
        sa.update(Cycle)
        .where(
            col(Cycle.organisation_id) == organisation_id,
            col(Cycle.id).in_(sorted(set(cycle_ids))),
            col(Cycle.status) == CycleStatus.planned,
        )
        .values(status=CycleStatus.running)
    )


def _describe(session: Session, changes: PhaseChanges) -> None:
    """Fill in keys and names with one query (RETURNING gives ids only, portably)."""
    ids = [c.phase_id for c in (*changes.opened, *changes.closed)]
    if not ids:
        return
    query = (
        sa.select(col(Phase.id), col(Phase.key), col(Phase.name_da), col(Cycle.key))
        .join(Cycle, col(Phase.cycle_id) == col(Cycle.id))
        .where(col(Phase.id).in_(ids))
    )
    names = {pid: (key, name, ckey) for pid, key, name, ckey in session.connection().execute(query)}

    def fill(c: PhaseChange) -> PhaseChange:
        key, name, ckey = names[c.phase_id]
        return PhaseChange(c.phase_id, key, name, c.cycle_id, ckey, c.open_tasks)

    changes.opened = sorted(map(fill, changes.opened), key=lambda c: c.phase_id)
    changes.closed = sorted(map(fill, changes.closed), key=lambda c: c.phase_id)
