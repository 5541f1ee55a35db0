"""Set-based writes of a planning run: bulk inserts and updates, never a query per task.

Tasks, audit rows (:class:`TaskEvent`), reminders and dependencies are each written with one
executemany per kind (chunked for very large cycles); closed (done or waived) tasks are never
part of any write.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from aarshjul.models import Task, TaskDependency, TaskEvent, TaskReminder, TaskStatus
from aarshjul.models.bulk import insert_rows
from aarshjul.planning.changes import Changes, StoredTask, TaskKey
from aarshjul.planning.expand import COMPARED_FIELDS, WantedTask

CHUNK = 5000
T = TypeVar("T")


def table(model: Any) -> sa.Table:
    """The Core table of a SQLModel class (typed, for column access in Core statements)."""
    found: sa.Table = model.__table__
    return found


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _columns(
    task: WantedTask, phase_ids: Mapping[str, int], milestone_ids: Mapping[str, int]
) -> dict[str, Any]:
    return {
        "title_da": task.title_da, "title_en": task.title_en, "description": task.description,
        "owner_id": task.owner_id, "committee_id": task.committee_id,
        "policy_area_id": task.policy_area_id, "goal_id": task.goal_id, "due": task.due,
        "phase_id": phase_ids.get(task.phase or ""),
        "milestone_id": milestone_ids.get(task.milestone or ""),
        "escalate_after": task.escalate_after,
    }  # fmt: skip


def _event(task_id: int, kind: str, now: datetime, **extra: Any) -> dict[str, Any]:
    row = {"task_id": task_id, "at": now, "actor_id": None, "kind": kind, "from_status": None,
           "to_status": None, "note": "", "data": {}}  # fmt: skip
    return row | extra


def insert_tasks(
    session: Session,
    cycle_id: int,
    new: Sequence[WantedTask],
    refs: tuple[Mapping[str, int], Mapping[str, int]],
    now: datetime,
) -> dict[TaskKey, int]:
    """Insert the new tasks (RETURNING their ids) and their 'planned' audit rows."""
    ids: dict[TaskKey, int] = {}
    for part in chunks(new):
        rows = [
            {"cycle_id": cycle_id, "key": t.key, "subject": t.subject, "status": TaskStatus.open,
             "note": "", "updated_at": now, **_columns(t, *refs)}
            for t in part
        ]  # fmt: skip
        result = insert_rows(session, table(Task), rows, returning=("id", "key", "subject"))
        ids |= {(key, subject): task_id for task_id, key, subject in result}
    events = [
        _event(
            ids[(t.key, t.subject)],
            "planned",
            now,
            to_status="open",
            data={"due": t.due.isoformat()},
        )
        for t in new
    ]
    _insert_many(session, TaskEvent, events)
    return ids


def update_tasks(
    session: Session,
    changes: Changes,
    refs: tuple[Mapping[str, int], Mapping[str, int]],
    now: datetime,
) -> None:
    """Write moved and updated open tasks, each with a 'moved' or 'updated' audit row."""
    pairs = [*changes.moved, *changes.updated]
    rows = [{"id": old.id, "updated_at": now, **_columns(new, *refs)} for old, new in pairs]
    for part in chunks(rows):
        session.execute(sa.update(Task), part)
    events = [
        _event(old.id, "moved", now, data={"from": old.due.isoformat(), "to": new.due.isoformat()})
        for old, new in changes.moved
    ] + [
        _event(old.id, "updated", now, data={"fields": _changed_fields(old, new)})
        for old, new in changes.updated
    ]
    _insert_many(session, TaskEvent, events)


def _changed_fields(old: StoredTask, new: WantedTask) -> list[str]:
    pairs = zip(COMPARED_FIELDS, old.values, new.compared(), strict=True)
    return [name for name, before, after in pairs if before != after]


def waive_tasks(session: Session, tasks: Sequence[StoredTask], now: datetime) -> None:
    """Waive open tasks whose subject (or template task) is gone; history stays, nothing is deleted."""
    ids = [task.id for task in tasks]
    for part in chunks(ids):
        session.execute(
            sa.update(Task)
            .where(Task.id.in_(part), Task.status.in_([TaskStatus.open, TaskStatus.in_progress]))  # type: ignore[union-attr,attr-defined]
            .values(status=TaskStatus.waived, updated_at=now)
        )
    note = "Emnet findes ikke længere i organisationen eller skabelonen (subject or task no longer planned)."
    events = [
        _event(t.id, "waived", now, from_status=t.status.value, to_status="waived", note=note)
        for t in tasks
    ]
    _insert_many(session, TaskEvent, events)


def sync_reminders(
    session: Session, cycle_id: int, wanted: Mapping[int, tuple[date, ...]], waived: Iterable[int]
) -> None:
    """Make each open task's reminder days what the plan says; waived tasks lose theirs."""
    stored: dict[int, set[date]] = {}
    reminder, task = table(TaskReminder).c, table(Task).c
    query = (
        sa.select(reminder.task_id, reminder.remind_on)
        .join_from(table(TaskReminder), table(Task), task.id == reminder.task_id)
        .where(task.cycle_id == cycle_id)
    )
    for task_id, day in session.execute(query):
        stored.setdefault(task_id, set()).add(day)
    stale = [tid for tid, days in wanted.items() if stored.get(tid, set()) != set(days)]
    stale += [tid for tid in waived if tid in stored]
    _delete_where_in(session, TaskReminder, TaskReminder.task_id, stale)
    rows = [{"task_id": tid, "remind_on": day} for tid in stale for day in wanted.get(tid, ())]
    _insert_many(session, TaskReminder, rows)


def sync_dependencies(
    session: Session, cycle_id: int, wanted: set[tuple[int, int]], open_ids: set[int]
) -> None:
    """Insert missing and delete obsolete dependencies of open tasks (closed ones keep theirs)."""
    dep, task = table(TaskDependency).c, table(Task).c
    query = (
        sa.select(dep.task_id, dep.depends_on_id)
        .join_from(table(TaskDependency), table(Task), task.id == dep.task_id)
        .where(task.cycle_id == cycle_id)
    )
    stored = {(a, b) for a, b in session.execute(query)}
    obsolete = [pair for pair in stored - wanted if pair[0] in open_ids]
    for part in chunks(obsolete):
        pairs = sa.tuple_(dep.task_id, dep.depends_on_id)
        session.execute(sa.delete(table(TaskDependency)).where(pairs.in_(part)))
    rows = [{"task_id": a, "depends_on_id": b} for a, b in sorted(wanted - stored)]
    _insert_many(session, TaskDependency, rows)


def _insert_many(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    for part in chunks(rows):
        insert_rows(session, table(model), part)


def _delete_where_in(session: Session, model: Any, column: Any, ids: Sequence[int]) -> None:
    for part in chunks(ids):
        session.execute(sa.delete(model).where(column.in_(part)))
