"""Comparing the wanted tasks with the stored ones: what to add, move, update, waive or keep.

Pure functions on snapshots; :mod:`aarshjul.planning.writes` applies the result. A task that is
``done`` or ``waived`` is *closed*: it is never changed, whatever the template says now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from aarshjul.models import OPEN_TASK_STATUSES, Task, TaskStatus
from aarshjul.planning.diff import MovedTask, PlanDiff
from aarshjul.planning.expand import WantedTask

TaskKey = tuple[str, str]


@dataclass(frozen=True)
class StoredTask:
    """The columns of a stored task that planning compares (phase and milestone as keys)."""

    id: int
    key: str
    subject: str
    status: TaskStatus
    due: date
    values: tuple[Any, ...]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATUSES


@dataclass
class Changes:
    """The task changes of one planning run."""

    new: list[WantedTask] = field(default_factory=list)
    moved: list[tuple[StoredTask, WantedTask]] = field(default_factory=list)
    updated: list[tuple[StoredTask, WantedTask]] = field(default_factory=list)
    unchanged: list[tuple[StoredTask, WantedTask]] = field(default_factory=list)
    waive: list[StoredTask] = field(default_factory=list)
    closed: list[StoredTask] = field(default_factory=list)

    def open_pairs(self) -> list[tuple[StoredTask, WantedTask]]:
        """Stored open tasks that stay in the plan (moved, updated or unchanged)."""
        return [*self.moved, *self.updated, *self.unchanged]

    def count_into(self, diff: PlanDiff) -> None:
        diff.added, diff.moved, diff.updated = len(self.new), len(self.moved), len(self.updated)
        diff.waived, diff.unchanged, diff.kept = (
            len(self.waive),
            len(self.unchanged),
            len(self.closed),
        )
        diff.moved_tasks = [
            MovedTask(stored.key, stored.subject, stored.due, wanted.due)
            for stored, wanted in sorted(
                self.moved, key=lambda pair: (pair[1].due, pair[1].key, pair[1].subject)
            )
        ]


def load_stored(
    session: Session,
    cycle_id: int | None,
    phase_keys: Mapping[int, str],
    milestone_keys: Mapping[int, str],
) -> dict[TaskKey, StoredTask]:
    """Every task of the cycle in one query, keyed by (template task key, subject)."""
    if cycle_id is None:
        return {}
    c: Any = Task.__table__.c  # type: ignore[attr-defined]
    columns = (
        c.id, c.key, c.subject, c.status, c.due, c.title_da, c.title_en, c.description,
        c.owner_id, c.committee_id, c.policy_area_id, c.goal_id, c.phase_id, c.milestone_id,
        c.escalate_after,
    )  # fmt: skip
    rows = session.execute(sa.select(*columns).where(c.cycle_id == cycle_id)).all()
    out = {}
    for r in rows:
        values = (*r[5:12], phase_keys.get(r[12]), milestone_keys.get(r[13]), r[14])
        out[(r[1], r[2])] = StoredTask(r[0], r[1], r[2], TaskStatus(r[3]), r[4], values)
    return out


def classify(wanted: Iterable[WantedTask], stored: Mapping[TaskKey, StoredTask]) -> Changes:
    """Sort every wanted and stored task into exactly one bucket."""
    changes = Changes()
    seen: set[TaskKey] = set()
    for task in wanted:
        key = (task.key, task.subject)
        seen.add(key)
        old = stored.get(key)
        if old is None:
            changes.new.append(task)
        elif not old.is_open:
            changes.closed.append(old)
        elif old.due != task.due:
            changes.moved.append((old, task))
        elif old.values != task.compared():
            changes.updated.append((old, task))
        else:
            changes.unchanged.append((old, task))
    for key, old in stored.items():
        if key not in seen:
            (changes.waive if old.is_open else changes.closed).append(old)
    return changes
