"""The demo's synthetic history: a year that has been worked on, not one where everything is late.

``aarshjul demo`` plans the current year for the sample organisation. Without history, a demo run
in November would show every task of the year overdue and escalated. So the demo marks about
``rate`` of the tasks due before today as done by their owners, each with an audit row that says
it is synthetic. The choice is fixed per task (seeded by its id), so running the demo again
changes nothing.
"""

from __future__ import annotations

import random
from datetime import date

import sqlalchemy as sa
from sqlmodel import col

from aarshjul.engine.task_status import complete_as_owner
from aarshjul.models import OPEN_TASK_STATUSES, Cycle, Task
from aarshjul.runtime import Runtime

NOTE = "Demo: syntetisk historik (synthetic history)"


def fill_history(runtime: Runtime, *, today: date, rate: float = 0.9) -> int:
    """Complete about ``rate`` of the organisation's open tasks due before ``today``."""
    with runtime.session() as session:
        org = runtime.organisation(session)
        due = session.execute(
            sa.select(col(Task.id))
            .join(Cycle, col(Task.cycle_id) == col(Cycle.id))
            .where(col(Cycle.organisation_id) == org.id, col(Task.due) < today,
                   col(Task.status).in_(OPEN_TASK_STATUSES))
        ).scalars().all()  # fmt: skip
        chosen = [task_id for task_id in due if random.Random(task_id).random() < rate]
        return complete_as_owner(session, task_ids=chosen, now=runtime.now(), note=NOTE)
