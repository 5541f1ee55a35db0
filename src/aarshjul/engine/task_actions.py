"""What a person does to a task in the web app: complete it, undo that the same day, reassign it.

Completing and undoing go through :func:`~aarshjul.engine.task_status.set_task_status` (the
same conditional update and audit row as ``aarshjul done``). Reassigning (*overdrag*) is for
the ``planning`` role; it is audited as a ``reassign`` event, which the next digest reads to
tell the new owner.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.access.permissions import Viewer
from aarshjul.clock import local_date
from aarshjul.engine.task_status import get_task, set_task_status
from aarshjul.errors import InputError, NotFound, PermissionDenied
from aarshjul.models.base import OPEN_TASK_STATUSES, TaskStatus
from aarshjul.models.cycle import Task, TaskEvent
from aarshjul.models.organisation import Organisation, Person

MAX_NOTE = 2000


def _note(note: str) -> str:
    text = note.strip()
    if len(text) > MAX_NOTE:
        raise InputError(f"note: at most {MAX_NOTE} characters (got {len(text)})")
    return text


def complete_task(
    session: Session,
    *,
    org: Organisation,
    viewer: Viewer,
    task_id: int,
    now: datetime,
    note: str = "",
) -> TaskEvent | None:
    """Mark the task done for ``viewer``; None when it was done already (nothing changes)."""
    _, event = set_task_status(
        session, org=org, task_id=task_id, by_email=viewer.email, status=TaskStatus.done,
        now=now, note=_note(note),
    )  # fmt: skip
    return event


def undo_completion(
    session: Session, *, org: Organisation, viewer: Viewer, task_id: int, now: datetime, today: date
) -> TaskEvent | None:
    """Reopen a task completed today (*fortryd*); refused on a later day."""
    task = get_task(session, org, task_id)
    if task.status != TaskStatus.done:
        return None
    done_on = local_date(task.completed_at, org.timezone) if task.completed_at else None
    if done_on != today:
        raise PermissionDenied(
            f"task {task_id} was completed on {done_on}: undo is only possible the same day"
        )
    _, event = set_task_status(
        session, org=org, task_id=task_id, by_email=viewer.email, status=TaskStatus.open,
        now=now, note="fortrudt / undone",
    )  # fmt: skip
    return event


def reassign_task(
    session: Session,
    *,
    org: Organisation,
    viewer: Viewer,
    task_id: int,
    new_owner_id: int,
    now: datetime,
    note: str = "",
) -> TaskEvent | None:
    """Give an open task to another active person (``planning`` only); None if no change."""
    if not viewer.acts_on_all:
        raise PermissionDenied(
            f"{viewer.email} may not reassign tasks: only the role 'planning' may"
        )
    task = get_task(session, org, task_id)
    new_owner = session.get(Person, new_owner_id)
    if new_owner is None or new_owner.organisation_id != org.id or not new_owner.active:
        raise NotFound(f"owner: no active person with id {new_owner_id} in {org.name}")
    if task.status not in OPEN_TASK_STATUSES:
        raise InputError(
            f"task {task_id} is {task.status.value}: only open tasks can be reassigned"
        )
    if task.owner_id == new_owner_id:
        return None
    previous = task.owner_id
    result: Any = session.connection().execute(
        sa.update(Task)
        .where(col(Task.id) == task_id, col(Task.owner_id) == previous)
        .values(owner_id=new_owner_id, updated_at=now)
    )
    if result.rowcount != 1:
        raise InputError(f"task {task_id} was changed by someone else meanwhile; try again")
    event = TaskEvent(
        task_id=task_id, at=now, actor_id=viewer.person_id, kind="reassign",
        from_status=task.status.value, to_status=task.status.value, note=_note(note),
        data={"from": previous, "to": new_owner_id, "to_email": new_owner.email},
    )  # fmt: skip
    session.add(event)
    session.flush()
    return event
