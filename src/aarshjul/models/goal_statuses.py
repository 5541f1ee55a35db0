"""The latest status of every goal (*målstatus*): its latest report, else the organisation file's.

Kept in the models layer (it reads only tables) so listings, progress and the board report can
all use it; :mod:`aarshjul.goals` re-exports it.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.models.base import GoalStatus
from aarshjul.models.goal_tracking import GoalReport, ReportStatus
from aarshjul.models.organisation import Goal

#: The status of a goal nobody has reported on.
NOT_REPORTED = GoalStatus.not_reported.value


def latest_goal_statuses(
    session: Session, *, organisation_id: int, year: int | None = None
) -> dict[int, str]:
    """Goal id -> its status: the latest report up to ``year``, else the organisation file's.

    "Latest" is the report on the most recent year (up to ``year``), and the last one filed for
    that year. A goal without reports keeps the status its organisation file states, with the
    file's ``done`` read as ``achieved``; otherwise ``not_reported``. One query for every goal.
    """
    order = (col(GoalReport.year).desc(), col(GoalReport.id).desc())
    rank = sa.func.row_number().over(partition_by=col(GoalReport.goal_id), order_by=order)
    ranked = (
        sa.select(col(GoalReport.goal_id), col(GoalReport.status), rank.label("rank"))
        .join(Goal, col(Goal.id) == col(GoalReport.goal_id))
        .where(col(Goal.organisation_id) == organisation_id)
    )
    if year is not None:
        ranked = ranked.where(col(GoalReport.year) <= year)
    latest = ranked.subquery()
    query = (
        sa.select(col(Goal.id), col(Goal.status), latest.c.status)
        .outerjoin(latest, sa.and_(latest.c.goal_id == col(Goal.id), latest.c.rank == 1))
        .where(col(Goal.organisation_id) == organisation_id)
    )
    return {
        goal_id: ReportStatus(reported).value if reported else _file_status(file_status)
        for goal_id, file_status, reported in session.execute(query)
    }


def _file_status(value: str) -> str:
    status = GoalStatus(value)
    return ReportStatus.achieved.value if status == GoalStatus.done else status.value
