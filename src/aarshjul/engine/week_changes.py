"""What changed since last week (*siden sidste uge*): the board's week in five numbers.

Counted from the tasks' completion instants and due days and the goal reports' instants, so no
snapshot is needed and a report previewed on any day tells that day's week. The week is the
seven days before ``today``: from ``since`` (``today`` - 7 days) 00:00 local time up to now.

Two queries: one over the year's tasks, one over its goal reports.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.engine.progress import percent
from aarshjul.models.base import OPEN_TASK_STATUSES, TaskStatus
from aarshjul.models.cycle import Task
from aarshjul.models.goal_tracking import GoalReport
from aarshjul.models.organisation import Goal

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class WeekChanges:
    """The week before ``today`` against the state a week ago.

    ``completed``: tasks done since ``since``; ``became_overdue``: open tasks whose due day fell in
    the week (``since`` ≤ due < today); ``goal_reports``: goal status reports made in the week;
    ``percent_then``/``overdue_then``: the year's share done (whole percent, of today's
    non-waived tasks) and the overdue count as they stood on ``since``.
    """

    since: date
    completed: int
    became_overdue: int
    goal_reports: int
    percent_then: int
    overdue_then: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"since": self.since.isoformat()}


def week_changes(
    session: Session, *, cycle_ids: list[int], organisation_id: int, today: date, timezone: str
) -> WeekChanges:
    """The week before ``today`` in the cycles ``cycle_ids`` (see :class:`WeekChanges`)."""
    since = today - WEEK
    start = datetime.combine(since, time(), ZoneInfo(timezone))
    if not cycle_ids:
        return WeekChanges(since, 0, 0, 0, 0, 0)
    row = _task_numbers(session, cycle_ids, since=since, start=start, today=today)
    completed, became, done_then, relevant, overdue_then = (int(v or 0) for v in row)
    return WeekChanges(
        since=since, completed=completed, became_overdue=became,
        goal_reports=_goal_reports(session, organisation_id, start),
        percent_then=percent(done_then, relevant), overdue_then=overdue_then,
    )  # fmt: skip


def _task_numbers(
    session: Session, cycle_ids: list[int], *, since: date, start: datetime, today: date
) -> tuple[Any, ...]:
    done = col(Task.status) == TaskStatus.done
    is_open = col(Task.status).in_(OPEN_TASK_STATUSES)
    done_in_week = sa.and_(done, col(Task.completed_at) >= start)
    # A done task without a completion instant (imported as done) was done before the week.
    done_before = sa.and_(
        done, sa.or_(col(Task.completed_at).is_(None), col(Task.completed_at) < start)
    )
    # Open a week ago: open now, or done (or waived) since; overdue then if due before ``since``.
    open_then = sa.or_(is_open, col(Task.completed_at) >= start)
    query = sa.select(
        _count(done_in_week),
        _count(sa.and_(is_open, col(Task.due) >= since, col(Task.due) < today)),
        _count(done_before),
        _count(col(Task.status) != TaskStatus.waived),
        _count(sa.and_(open_then, col(Task.due) < since)),
    ).where(col(Task.cycle_id).in_(cycle_ids))
    return tuple(session.connection().execute(query).one())


def _count(condition: Any) -> Any:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def _goal_reports(session: Session, organisation_id: int, start: datetime) -> int:
    query = (
        sa.select(sa.func.count())
        .select_from(GoalReport)
        .join(Goal, col(Goal.id) == col(GoalReport.goal_id))
        .where(col(Goal.organisation_id) == organisation_id, col(GoalReport.reported_at) >= start)
    )
    return int(session.connection().execute(query).scalar_one())
