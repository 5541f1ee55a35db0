"""Statutory milestones at risk (*lovbundne milepæle i fare*) and when they can be reached.

A milestone is at risk when an open task it depends on is late: a task of the milestone, or any
task those depend on, however many steps back (``TaskDependency`` followed transitively; a done
or waived task ends the chain, its own dependencies no longer matter).

The **forecast** (*prognose*) keeps the plan's lead times: a late open task is done today at
the earliest (the next workday when today is closed); a task can be done no earlier than its own
due day and, for each open task it depends on, that task's forecast plus the working days the plan
put between the two due days. The milestone's forecast is the latest of its own date and its
tasks' forecasts plus their lead time to it. So five working days late three steps back moves
the milestone five working days, unless the plan had slack (a lead time that is not used is not
assumed to shrink). Tasks of other years' cycles are outside the report and not followed.

Three queries whatever the number of tasks: the year's tasks, their dependencies, the statutory
milestones.

>>> from datetime import date
>>> tasks = {1: TaskNode(1, date(2027, 3, 1), True, None), 2: TaskNode(2, date(2027, 3, 12), True, 7)}
>>> chains = Chains(tasks=tasks, depends_on={2: (1,)}, today=date(2027, 3, 10),
...                 calendar=WorkCalendar(country="DK"))
>>> sorted(chains.upstream_late(2)), chains.forecast(2)  # 1 done on 10 Mar at the earliest
([1], datetime.date(2027, 3, 23))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.models.base import OPEN_TASK_STATUSES
from aarshjul.models.cycle import Cycle, Milestone, Task, TaskDependency


@dataclass(frozen=True)
class MilestoneRisk:
    """A statutory milestone with late open tasks it depends on; ``passed`` when its day is gone.

    ``late_task_ids`` are every late open task on its chains (ids, ascending); ``forecast`` is
    the day it can be reached at the earliest if that work is done from today on (see the module).
    """

    id: int
    key: str
    name: str
    date: date
    cycle: str
    late_task_ids: tuple[int, ...]
    passed: bool
    forecast: dt.date
    #: Working days from the milestone's date to its forecast (0 when it can still be reached).
    workdays_behind: int = 0


@dataclass(frozen=True)
class TaskNode:
    """What the forecast needs of one task: its due day, whether open, its milestone."""

    id: int
    due: date
    open: bool
    milestone_id: int | None


@dataclass
class Chains:
    """The year's dependency graph with memoised forecasts (one instance per report)."""

    tasks: dict[int, TaskNode]
    depends_on: dict[int, tuple[int, ...]]
    today: date
    calendar: WorkCalendar
    _forecast: dict[int, date] = field(default_factory=dict)
    _late: dict[int, frozenset[int]] = field(default_factory=dict)

    def late(self, task: TaskNode) -> bool:
        return task.open and task.due < self.today

    def upstream_late(self, task_id: int) -> frozenset[int]:
        """The late open tasks among ``task_id`` and everything it (transitively) depends on."""
        if task_id in self._late:
            return self._late[task_id]
        self._late[task_id] = frozenset()  # a dependency cycle ends here instead of looping
        task = self.tasks[task_id]
        found: set[int] = set()
        if task.open:
            found = {task_id} if self.late(task) else set()
            for dep in self._deps(task_id):
                found |= self.upstream_late(dep)
        self._late[task_id] = frozenset(found)
        return self._late[task_id]

    def forecast(self, task_id: int) -> date:
        """The day the task can be done at the earliest (its due day when nothing is late)."""
        if task_id in self._forecast:
            return self._forecast[task_id]
        task = self.tasks[task_id]
        self._forecast[task_id] = task.due  # a dependency cycle ends here
        if not self.upstream_late(task_id):
            return task.due
        day = self.calendar.roll_forward(self.today) if self.late(task) else task.due
        for dep in self._deps(task_id):
            if self.upstream_late(dep):
                day = max(day, self._shifted(dep, task.due))
        self._forecast[task_id] = day
        return day

    def _shifted(self, dep_id: int, due: date) -> date:
        """The dependency's forecast plus the plan's lead time from its due day to ``due``."""
        dep = self.tasks[dep_id]
        lead = max(0, self.calendar.workdays_between(dep.due, due))
        return self.calendar.add_workdays(self.forecast(dep_id), lead)

    def _deps(self, task_id: int) -> Iterable[int]:
        return (d for d in self.depends_on.get(task_id, ()) if d in self.tasks)


def milestones_at_risk(
    session: Session, *, cycle_ids: list[int], today: date, calendar: WorkCalendar
) -> list[MilestoneRisk]:
    """The statutory milestones of ``cycle_ids`` with late work on their chains, by date."""
    if not cycle_ids:
        return []
    chains = Chains(
        tasks=_tasks(session, cycle_ids), depends_on=_dependencies(session, cycle_ids),
        today=today, calendar=calendar,
    )  # fmt: skip
    by_milestone: dict[int, list[int]] = {}
    for task in chains.tasks.values():
        if task.milestone_id is not None:
            by_milestone.setdefault(task.milestone_id, []).append(task.id)
    risks = []
    for mid, key, name, day, cycle_key in _statutory(session, cycle_ids):
        own = by_milestone.get(mid, [])
        late = frozenset().union(*(chains.upstream_late(t) for t in own))
        if late:
            forecast = _milestone_forecast(chains, own, day)
            behind = max(0, calendar.workdays_between(day, forecast))
            risks.append(
                MilestoneRisk(mid, key, name, day, cycle_key, tuple(sorted(late)), day < today,
                              forecast, behind)
            )  # fmt: skip
    return sorted(risks, key=lambda m: (m.date, m.key))


def _milestone_forecast(chains: Chains, task_ids: list[int], day: date) -> date:
    forecast = day
    for task_id in task_ids:
        if chains.upstream_late(task_id):
            due = chains.tasks[task_id].due
            lead = max(0, chains.calendar.workdays_between(due, day))
            forecast = max(forecast, chains.calendar.add_workdays(chains.forecast(task_id), lead))
    return forecast


def _tasks(session: Session, cycle_ids: list[int]) -> dict[int, TaskNode]:
    query = sa.select(
        col(Task.id), col(Task.due), col(Task.status).in_(OPEN_TASK_STATUSES),
        col(Task.milestone_id),
    ).where(col(Task.cycle_id).in_(cycle_ids))  # fmt: skip
    result: Any = session.connection().execute(query)
    return {i: TaskNode(i, due, bool(is_open), mid) for i, due, is_open, mid in result}


def _dependencies(session: Session, cycle_ids: list[int]) -> dict[int, tuple[int, ...]]:
    query = (
        sa.select(col(TaskDependency.task_id), col(TaskDependency.depends_on_id))
        .join(Task, col(Task.id) == col(TaskDependency.task_id))
        .where(col(Task.cycle_id).in_(cycle_ids))
    )
    out: dict[int, list[int]] = {}
    for task_id, dep_id in session.connection().execute(query):
        out.setdefault(task_id, []).append(dep_id)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _statutory(session: Session, cycle_ids: list[int]) -> list[tuple[Any, ...]]:
    query = (
        sa.select(col(Milestone.id), col(Milestone.key), col(Milestone.name_da),
                  col(Milestone.date), col(Cycle.key))
        .join(Cycle, col(Milestone.cycle_id) == col(Cycle.id))
        .where(col(Milestone.cycle_id).in_(cycle_ids), col(Milestone.statutory).is_(True))
    )  # fmt: skip
    return [tuple(row) for row in session.connection().execute(query)]
