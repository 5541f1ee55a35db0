"""Reading the audit trail: task changes and organisation changes, merged in time order.

Two append-only tables make the trail: :class:`~aarshjul.models.cycle.TaskEvent` (every status
change, planning, move and waiver of a task) and :class:`~aarshjul.models.audit.AuditEvent`
(organisation imports, date overrides, rule waivers). :func:`audit_entries` reads both with one
query each, filtered by task, goal or day, and returns the newest ``limit`` in time order.

>>> entries = audit_entries(session, organisation=org, goal_key="skole-m1")  # doctest: +SKIP
>>> entries[-1].change                                                      # doctest: +SKIP
"title: 'Læsning' → 'Læsning og trivsel'"
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from aarshjul.errors import NotFound
from aarshjul.models.audit import AuditEvent
from aarshjul.models.cycle import Cycle, Task, TaskEvent
from aarshjul.models.organisation import Goal, Organisation, Person

ENGINE = "engine"


@dataclass(frozen=True)
class AuditEntry:
    """One line of the trail: when, who, what (entity and key), how, old → new, why."""

    at: datetime
    actor: str
    entity: str
    key: str
    action: str
    change: str
    note: str = ""
    source: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(), "actor": self.actor, "entity": self.entity,
            "key": self.key, "action": self.action, "change": self.change, "note": self.note,
            "source": self.source,
        }  # fmt: skip


def audit_entries(
    session: Session,
    *,
    organisation: Organisation,
    task_id: int | None = None,
    goal_key: str | None = None,
    since: datetime | None = None,
    limit: int = 500,
) -> list[AuditEntry]:
    """The newest ``limit`` entries of ``organisation``'s trail, oldest first.

    ``task_id``: that task's events only; ``goal_key``: the goal's own changes and the events of
    its tasks; ``since``: entries at or after that instant. Raises :class:`NotFound` for a task
    or goal the organisation does not have.
    """
    goal_id = _goal_id(session, organisation, goal_key) if goal_key else None
    if task_id is not None:
        _require_task(session, organisation, task_id)
    # Each query reads newest first (for the limit); reversed, ties keep the order they happened.
    entries = _task_entries(session, organisation, task_id, goal_id, since, limit)[::-1]
    if task_id is None:
        entries += _org_entries(session, organisation, goal_key, since, limit)[::-1]
    entries.sort(key=lambda e: e.at)
    return entries[-limit:]


def _goal_id(session: Session, org: Organisation, key: str) -> int:
    found = session.exec(
        select(Goal.id).where(Goal.organisation_id == org.id, Goal.key == key)
    ).first()
    if found is None:
        raise NotFound(
            f"no goal {key!r} in {org.name}", reason_da=f"intet mål {key!r} i {org.name}"
        )
    return found


def _require_task(session: Session, org: Organisation, task_id: int) -> None:
    found = session.exec(
        select(Task.id).join(Cycle).where(Task.id == task_id, Cycle.organisation_id == org.id)
    ).first()
    if found is None:
        raise NotFound(
            f"no task with id {task_id} in {org.name}",
            reason_da=f"ingen opgave med id {task_id} i {org.name}",
        )


def _task_entries(
    session: Session,
    org: Organisation,
    task_id: int | None,
    goal_id: int | None,
    since: datetime | None,
    limit: int,
) -> list[AuditEntry]:
    actor = aliased(Person)
    query = (
        sa.select(TaskEvent, col(actor.email), col(Task.title_da))
        .join(Task, col(TaskEvent.task_id) == col(Task.id))
        .join(Cycle, col(Task.cycle_id) == col(Cycle.id))
        .join(actor, col(TaskEvent.actor_id) == actor.id, isouter=True)
        .where(col(Cycle.organisation_id) == org.id)
        .order_by(col(TaskEvent.at).desc(), col(TaskEvent.id).desc())
        .limit(limit)
    )
    if task_id is not None:
        query = query.where(col(TaskEvent.task_id) == task_id)
    if goal_id is not None:
        query = query.where(col(Task.goal_id) == goal_id)
    if since is not None:
        query = query.where(col(TaskEvent.at) >= since)
    return [
        AuditEntry(event.at, email or ENGINE, "task", f"#{event.task_id} {title}", event.kind,
                   _task_change(event), event.note)
        for event, email, title in session.execute(query).all()
    ]  # fmt: skip


def _task_change(event: TaskEvent) -> str:
    data = event.data or {}
    if event.kind == "moved":
        return f"due: {data.get('from')} → {data.get('to')}"
    if event.kind == "updated":
        return "fields: " + ", ".join(data.get("fields", []))
    if event.kind == "planned":
        return f"status: → {event.to_status}; due: {data.get('due')}"
    return f"status: {event.from_status or ''} → {event.to_status or ''}".replace(":  →", ": →")


def _org_entries(
    session: Session, org: Organisation, goal_key: str | None, since: datetime | None, limit: int
) -> list[AuditEntry]:
    query = (
        select(AuditEvent)
        .where(AuditEvent.organisation_id == org.id)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(limit)
    )
    if goal_key is not None:
        query = query.where(AuditEvent.entity == "goal", AuditEvent.key == goal_key)
    if since is not None:
        query = query.where(col(AuditEvent.at) >= since)
    return [
        AuditEntry(e.at, e.actor, e.entity, e.key, e.action, describe_changes(e.changes),
                   e.note, e.source)
        for e in session.exec(query).all()
    ]  # fmt: skip


def describe_changes(changes: dict[str, list[Any]]) -> str:
    """``{field: [old, new]}`` as ``field: old → new; …`` (an addition shows ``→ new`` only).

    >>> describe_changes({"title": ["Læsning", "Trivsel"], "roles": [None, ["planning"]]})
    "title: 'Læsning' → 'Trivsel'; roles: → ['planning']"
    """
    parts = []
    for name, (old, new) in changes.items():
        before = "" if old is None else f"{old!r} "
        parts.append(f"{name}: {before}→ {new!r}")
    return "; ".join(parts)
