"""One planner per cycle at a time, and a completion either wholly before or wholly after it.

Planning reads a cycle's tasks, decides what moves, then writes. Two things may interleave
(issue 13, kind 9): a second planner of the same cycle (both would write the same "moved" rows)
and a completion (``aarshjul done``) of a task the planner is about to move (its due date would
change after it was done, and the audit trail would say it moved before it was completed).

* :func:`lock_planning` is taken first, before the planner reads anything of the cycle. On
  PostgreSQL it is a transaction-level advisory lock on the organisation and the cycle (the
  year, for the annual cycle, since a year has one); on SQLite the database's write lock. A
  second planner waits for the first to commit and then sees its work: an identical re-plan
  changes nothing.
* :func:`lock_open_tasks` row-locks the cycle's open tasks (PostgreSQL; SQLite's write lock
  already covers them) before they are read; completion takes the task's row lock
  (:func:`aarshjul.engine.task_status.get_task`). Whichever comes second waits for the first to
  commit and then reads what it did.

Waiting is bounded by the lock timeout (``AARSHJUL_DB_LOCK_TIMEOUT``) on PostgreSQL and the busy
timeout (``AARSHJUL_DB_BUSY_TIMEOUT``) on SQLite.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.models import OPEN_TASK_STATUSES, Organisation, Task


def planning_lock_id(organisation_id: int, scope: str) -> int:
    """A stable signed 64-bit advisory lock id for ``scope`` (``annual:2027``, ``process:KEY``)."""
    digest = hashlib.blake2b(f"aarshjul.plan:{organisation_id}:{scope}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


def lock_planning(session: Session, *, organisation_id: int, scope: str) -> None:
    """Wait until no other planner works on ``scope`` of the organisation; held until commit."""
    dialect = session.connection().dialect.name
    if dialect == "postgresql":
        lock_id = planning_lock_id(organisation_id, scope)
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(lock_id)))
    elif dialect == "sqlite":
        # A write takes SQLite's database-wide write lock now rather than at the first insert,
        # so everything the planner reads afterwards is what it writes against.
        session.execute(
            sa.update(Organisation)
            .where(col(Organisation.id) == organisation_id)
            .values(key=Organisation.key)
        )


def lock_open_tasks(session: Session, cycle_id: int) -> None:
    """Row-lock the cycle's open tasks until commit (PostgreSQL; a no-op on SQLite)."""
    if session.connection().dialect.name != "postgresql":
        return
    session.execute(
        sa.select(col(Task.id))
        .where(col(Task.cycle_id) == cycle_id, col(Task.status).in_(OPEN_TASK_STATUSES))
        .with_for_update()
    ).all()
