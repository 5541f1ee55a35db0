"""What the calendar feeds read: set-based, one query per feed whatever the number of rows.

Plus the one write of the organisation feed: :func:`sync_revisions` remembers what it last
published of each event, so a moved phase or milestone gets a higher ``SEQUENCE``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.clock import as_utc
from aarshjul.models.base import OPEN_TASK_STATUSES, CycleKind
from aarshjul.models.bulk import insert_rows
from aarshjul.models.calendar_feed import FeedEntry
from aarshjul.models.cycle import Cycle, Milestone, Phase, Task, TaskEvent


@dataclass(frozen=True)
class TaskRow:
    """An open task as a person's feed shows it; ``moves`` counts its 'moved' audit rows."""

    id: int
    title_da: str
    title_en: str
    description: str
    due: date
    updated_at: datetime
    moves: int
    cycle_title: str
    phase_da: str | None
    phase_en: str | None


def open_tasks_of(session: Session, person_id: int) -> list[TaskRow]:
    """The person's open tasks (open or in progress) by due date, in one query.

    The number of moves comes from the task's audit trail (``task_event.kind = 'moved'``, written
    by re-planning), read by a correlated count on the indexed ``task_event.task_id``.
    """
    moves = (
        sa.select(sa.func.count())
        .where(col(TaskEvent.task_id) == col(Task.id), col(TaskEvent.kind) == "moved")
        .correlate(Task)
        .scalar_subquery()
    )
    query = (
        sa.select(
            col(Task.id), col(Task.title_da), col(Task.title_en), col(Task.description),
            col(Task.due), col(Task.updated_at), moves, col(Cycle.title), col(Phase.name_da),
            col(Phase.name_en),
        )
        .join(Cycle, col(Cycle.id) == col(Task.cycle_id))
        .join(Phase, col(Phase.id) == col(Task.phase_id), isouter=True)
        .where(col(Task.owner_id) == person_id, col(Task.status).in_(OPEN_TASK_STATUSES))
        .order_by(col(Task.due), col(Task.id))
    )  # fmt: skip
    return [TaskRow(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class EntryRow:
    """A phase (``start`` < ``end`` possible) or milestone (one day) of an organisation's cycle."""

    kind: str
    id: int
    name_da: str
    name_en: str
    description: str
    start: date
    end: date
    statutory: bool
    cycle_key: str
    cycle_title: str
    cycle_year: int
    cycle_kind: str
    template_key: str
    template_hash: str


def calendar_entries(session: Session, organisation_id: int, since_year: int) -> list[EntryRow]:
    """Phases and milestones of the organisation's cycles from ``since_year`` on: one query."""
    cycle_columns = (
        col(Cycle.key), col(Cycle.title), col(Cycle.year), col(Cycle.kind),
        col(Cycle.template_key), col(Cycle.template_hash),
    )  # fmt: skip
    in_scope = (col(Cycle.organisation_id) == organisation_id, col(Cycle.year) >= since_year)
    phases: Any = (
        sa.select(
            sa.literal("phase").label("kind"), col(Phase.id), col(Phase.name_da),
            col(Phase.name_en), col(Phase.description), col(Phase.start_date).label("start"),
            col(Phase.end_date).label("end"), sa.false().label("statutory"), *cycle_columns,
        )
        .join(Cycle, col(Cycle.id) == col(Phase.cycle_id))
        .where(*in_scope)
    )  # fmt: skip
    milestones: Any = (
        sa.select(
            sa.literal("milestone").label("kind"), col(Milestone.id), col(Milestone.name_da),
            col(Milestone.name_en), col(Milestone.description), col(Milestone.date).label("start"),
            col(Milestone.date).label("end"), col(Milestone.statutory), *cycle_columns,
        )
        .join(Cycle, col(Cycle.id) == col(Milestone.cycle_id))
        .where(*in_scope)
    )  # fmt: skip
    union = sa.union_all(phases, milestones).subquery()
    query = sa.select(union).order_by(union.c.start, union.c.kind, union.c.id)
    return [_entry(row) for row in session.execute(query)]


def _entry(row: Any) -> EntryRow:
    values = list(row)
    values[7] = bool(values[7])
    values[11] = CycleKind(values[11]).value
    return EntryRow(*values)


def fingerprint(*parts: object) -> str:
    """sha256 of the parts: what a published event looked like."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


@dataclass(frozen=True)
class Revision:
    """``SEQUENCE`` and ``LAST-MODIFIED`` of one published event."""

    sequence: int
    modified: datetime


@dataclass(frozen=True)
class _Stored:
    uid: str
    fingerprint: str
    sequence: int
    modified_at: datetime


def sync_revisions(
    session: Session, organisation_id: int, published: Sequence[tuple[str, str]], now: datetime
) -> dict[str, Revision]:
    """UID -> revision for ``published`` (uid, fingerprint) pairs; new or changed ones stamped ``now``.

    One read; a write only for events that are new or changed since the last feed (none on a
    repeated request). A changed event's sequence goes up by one; two requests racing over the
    same change bump it once (the update is conditional on the old fingerprint).
    """
    query = sa.select(
        col(FeedEntry.uid), col(FeedEntry.fingerprint), col(FeedEntry.sequence),
        col(FeedEntry.modified_at),
    ).where(col(FeedEntry.organisation_id) == organisation_id)  # fmt: skip
    stored = {uid: _Stored(uid, fp, seq, at) for uid, fp, seq, at in session.execute(query)}
    out = {uid: Revision(e.sequence, as_utc(e.modified_at)) for uid, e in stored.items()}
    new = [(uid, fp) for uid, fp in published if uid not in stored]
    changed = [
        (stored[uid], fp)
        for uid, fp in published
        if uid in stored and stored[uid].fingerprint != fp
    ]
    rows = [
        {"organisation_id": organisation_id, "uid": uid, "fingerprint": fp, "sequence": 0,
         "modified_at": now}
        for uid, fp in new
    ]  # fmt: skip
    insert_rows(session, FeedEntry.__table__, rows, skip_conflicts=True)  # type: ignore[attr-defined]
    if changed:
        session.execute(
            _UPDATE,
            [
                {"o_org": organisation_id, "o_uid": entry.uid, "o_fp": entry.fingerprint,
                 "n_fp": fp, "n_seq": entry.sequence + 1, "n_at": now}
                for entry, fp in changed
            ],
        )  # fmt: skip
    out |= {uid: Revision(0, now) for uid, _ in new}
    out |= {entry.uid: Revision(entry.sequence + 1, now) for entry, _ in changed}
    return out


_T = FeedEntry.__table__  # type: ignore[attr-defined]
_UPDATE = (
    _T.update()
    .where(
        _T.c.organisation_id == sa.bindparam("o_org"),
        _T.c.uid == sa.bindparam("o_uid"),
        _T.c.fingerprint == sa.bindparam("o_fp"),
    )
    .values(
        fingerprint=sa.bindparam("n_fp"),
        sequence=sa.bindparam("n_seq"),
        modified_at=sa.bindparam("n_at"),
    )
)
