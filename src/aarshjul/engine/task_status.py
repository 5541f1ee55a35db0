"""Changing a task's status, always with an audit row (:class:`TaskEvent`) in the same transaction.

The change is a conditional UPDATE on the status read, so two people completing the same task at
the same moment produce one change and one audit row, never a lost or doubled completion.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.engine import CursorResult
from sqlmodel import Session, col, insert, select, update

from aarshjul.errors import InputError, NotFound, PermissionDenied
from aarshjul.models.base import OPEN_TASK_STATUSES, Role, TaskStatus
from aarshjul.models.cycle import Cycle, Task, TaskEvent
from aarshjul.models.organisation import Organisation, Person
from aarshjul.models.queries import person_by_email, roles_of

#: Roles that may change any task's status, not only their own.
STEWARD_ROLES = frozenset({Role.planning.value})


def get_task(session: Session, org: Organisation, task_id: int) -> Task:
    """Task ``task_id`` of ``org`` (another organisation's task, or an id no row can have, is
    not found)."""
    if not 0 < task_id < 2**31:  # an INTEGER key: a larger id never reaches the database
        raise NotFound(f"no task with id {task_id} in {org.name}")
    # The row lock makes a re-plan see this change wholly before or wholly after it
    # (aarshjul.planning.locks); SQLite's write lock does the same there.
    task = session.exec(
        select(Task)
        .join(Cycle)
        .where(Task.id == task_id, Cycle.organisation_id == org.id)
        .with_for_update(of=Task)
        .execution_options(populate_existing=True)
    ).first()
    if task is None:
        raise NotFound(
            f"no task with id {task_id} in {org.name}",
            reason_da=f"ingen opgave med id {task_id} i {org.name}",
        )
    return task


def set_task_status(
    session: Session,
    *,
    org: Organisation,
    task_id: int,
    by_email: str,
    status: TaskStatus,
    now: datetime,
    note: str = "",
) -> tuple[Task, TaskEvent | None]:
    """Move a task to ``status`` on behalf of ``by_email``; returns the task and the audit row.

    Only the owner or a person with the ``planning`` role may do it. Setting the status a task
    already has changes nothing and returns no event (a retried command is harmless).
    """
    task = get_task(session, org, task_id)
    actor = person_by_email(session, org, by_email)
    _check_permission(session, task, actor)
    if task.status == status:
        return task, None
    event = _transition(session, task, actor, status, now, note)
    session.refresh(task)
    return task, event


def _check_permission(session: Session, task: Task, actor: Person) -> None:
    assert actor.id is not None
    if task.owner_id == actor.id or roles_of(session, actor.id) & STEWARD_ROLES:
        return
    raise PermissionDenied(
        f"{actor.email} may not change task {task.id}: only its owner or a person with the "
        f"role 'planning' may",
        reason_da=f"{actor.email} må ikke ændre opgave {task.id}: kun dens ejer eller en person "
        f"med rollen 'planning' må",
    )


def _transition(
    session: Session, task: Task, actor: Person, status: TaskStatus, now: datetime, note: str
) -> TaskEvent:
    assert task.id is not None
    previous = task.status
    done = status == TaskStatus.done
    values = {
        "status": status,
        "updated_at": now,
        "completed_at": now if done else None,
        "completed_by_id": actor.id if done else None,
    }
    if note:
        values["note"] = note
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(Task).where(col(Task.id) == task.id, col(Task.status) == previous).values(**values)
    )
    if result.rowcount != 1:
        raise InputError(f"task {task.id} was changed by someone else meanwhile; try again")
    event = TaskEvent(
        task_id=task.id, at=now, actor_id=actor.id, kind="status",
        from_status=previous.value, to_status=status.value, note=note,
    )  # fmt: skip
    session.add(event)
    session.flush()
    return event


def complete_as_owner(
    session: Session, *, task_ids: Sequence[int], now: datetime, note: str
) -> int:
    """Mark open tasks done by their own owners: one UPDATE and one audit row per task.

    Set-based (for the demo's history and imports of completions done elsewhere); tasks that are
    already done or waived are left alone, so running it again changes nothing.
    """
    rows = session.execute(
        select(col(Task.id), col(Task.status), col(Task.owner_id)).where(
            col(Task.id).in_(task_ids), col(Task.status).in_(OPEN_TASK_STATUSES)
        )
    ).all()
    if not rows:
        return 0
    session.execute(
        update(Task)
        .where(col(Task.id).in_([r[0] for r in rows]), col(Task.status).in_(OPEN_TASK_STATUSES))
        .values(status=TaskStatus.done, completed_at=now, completed_by_id=Task.owner_id,
                updated_at=now, note=note)
    )  # fmt: skip
    events = [
        {"task_id": task_id, "at": now, "actor_id": owner_id, "kind": "status",
         "from_status": TaskStatus(status).value, "to_status": TaskStatus.done.value,
         "note": note, "data": {}}
        for task_id, status, owner_id in rows
    ]  # fmt: skip
    session.execute(insert(TaskEvent), events)
    return len(rows)
