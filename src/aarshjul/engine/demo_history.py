"""The demo's synthetic history: a year that has been worked on, not one where everything is late.

``aarshjul demo`` plans the current year for the sample organisation. Without history, a demo run
in November would show every task of the year overdue and escalated. So the demo marks about
``rate`` of the tasks due before today as done by their owners, each with an audit row that says
it is synthetic. The choice is fixed per task (seeded by its id), so running the demo again
changes nothing. Each task is completed on its own due day (15:00 in the organisation's time
zone), so "done recently" and the audit trail read like a worked year, not like one afternoon.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from sqlmodel import col

from aarshjul.clock import zone
from aarshjul.engine.task_status import complete_as_owner
from aarshjul.models import OPEN_TASK_STATUSES, Cycle, Task
from aarshjul.runtime import Runtime

NOTE = "Demo: syntetisk historik (synthetic history)"


def fill_history(runtime: Runtime, *, today: date, rate: float = 0.9) -> int:
    """Complete about ``rate`` of the organisation's open tasks due before ``today``, each on its
    due day: one set-based completion per due date (a year has a few dozen)."""
    with runtime.session() as session:
        org = runtime.organisation(session)
        due = session.execute(
            sa.select(col(Task.id), col(Task.due))
            .join(Cycle, col(Task.cycle_id) == col(Cycle.id))
            .where(col(Cycle.organisation_id) == org.id, col(Task.due) < today,
                   col(Task.status).in_(OPEN_TASK_STATUSES))
        ).all()  # fmt: skip
        chosen: dict[date, list[int]] = defaultdict(list)
        for task_id, day in due:
            if random.Random(task_id).random() < rate:
                chosen[day].append(task_id)
        local, now = zone(org.timezone), runtime.now()
        return sum(
            complete_as_owner(
                session,
                task_ids=ids,
                note=NOTE,
                now=min(datetime.combine(day, time(15), tzinfo=local).astimezone(UTC), now),
            )
            for day, ids in sorted(chosen.items())
        )
