"""Goal follow-up as the web app shows it (*målopfølgning*): "my goals" and one goal's page.

:func:`goal_board` lists the goals a person owns (or, for those allowed, another person's, a
committee's or a policy area's) with each goal's latest status and its open status task;
:func:`goal_page` shows one goal with its indicators, every report grouped by year (newest
first; a year's newest report is its status) and what the report form needs.

Permissions are the tasks' (:mod:`aarshjul.access.permissions`): the goal's owner and
``planning`` read and report, ``direktion`` reads every goal, a committee's secretary reads the
goals of that committee; anything else raises :class:`~aarshjul.errors.PermissionDenied`. The
report itself goes through :func:`~aarshjul.goals.reporting.report_goal_status`, which checks
again. A handful of queries whatever the organisation's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from aarshjul.access.permissions import Viewer
from aarshjul.engine.task_board import Choice, active_people
from aarshjul.errors import NotFound, PermissionDenied
from aarshjul.goals.indicators import indicators_by_goal
from aarshjul.goals.reporting import (
    STATUS_TASK_KEY,
    STATUS_TASK_YEAR_OFFSET,
    default_report_year,
    status_tasks,
)
from aarshjul.models.base import OPEN_TASK_STATUSES, CycleKind, GoalStatus, TaskStatus
from aarshjul.models.cycle import Cycle, Task
from aarshjul.models.goal_tracking import GoalReport, ReportStatus
from aarshjul.models.organisation import Committee, Goal, Organisation, Person, PolicyArea

MAX_GOALS = 1000


@dataclass(frozen=True)
class GoalFilters:
    """Whose goals to list: one person's, a committee's or a policy area's (ids); none = mine."""

    person_id: int | None = None
    committee_id: int | None = None
    policy_area_id: int | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in (self.person_id, self.committee_id, self.policy_area_id))


@dataclass(frozen=True)
class StatusTask:
    """A goal's status task: the year it reports on, its due date and whether it is done."""

    id: int
    year: int
    due: date
    done: bool
    can_act: bool


@dataclass(frozen=True)
class GoalLine:
    """One goal with its latest status (``status`` is a :class:`ReportStatus` value or
    ``not_reported``; ``status_year`` is None when it comes from the organisation file)."""

    id: int
    key: str
    title: str
    level: str
    policy_area: str
    committee: str
    committee_id: int
    owner_id: int
    owner_name: str
    horizon_start: int
    horizon_end: int
    status: str
    status_year: int | None
    reported_at: datetime | None
    task: StatusTask | None = None


@dataclass
class GoalBoard:
    """ "My goals" (or the filtered ones) and, for those allowed, the filter choices."""

    filters: GoalFilters
    goals: list[GoalLine] = field(default_factory=list)
    people: list[Choice] = field(default_factory=list)
    committees: list[Choice] = field(default_factory=list)
    policy_areas: list[Choice] = field(default_factory=list)


@dataclass(frozen=True)
class IndicatorLine:
    """An indicator of the goal (*indikator*) and the value the form starts with (None: empty)."""

    name: str
    unit: str
    target: float | None
    value: float | None = None


@dataclass(frozen=True)
class ReportLine:
    """One report as the history shows it; ``latest`` marks the year's status."""

    year: int
    status: str
    comment: str
    indicators: list[dict[str, Any]]
    reported_by: str
    reported_at: datetime
    latest: bool
    task_id: int | None


@dataclass
class GoalPage:
    """One goal: what it is, its history per year (newest year first) and the report form.

    ``report_years`` are the years one may report on (the goal's horizon up to this year);
    ``form_year`` the year the form reports on (asked for, else the default of
    :func:`~aarshjul.goals.reporting.default_report_year`); ``form_status`` and
    ``form_comment`` the latest report of that year, if any, to start from.
    """

    goal: GoalLine
    description: str
    indicators: list[IndicatorLine]
    years: list[tuple[int, list[ReportLine]]]
    can_report: bool
    report_years: list[int]
    form_year: int | None
    form_status: str | None
    form_comment: str
    status_task: StatusTask | None


_owner = aliased(Person)


def _latest_reports(org: Organisation, key: str | None) -> Any:
    """Each goal's newest report (the most recent year, then the last one filed)."""
    order = (col(GoalReport.year).desc(), col(GoalReport.id).desc())
    rank = sa.func.row_number().over(partition_by=col(GoalReport.goal_id), order_by=order)
    query = (
        sa.select(
            col(GoalReport.goal_id), col(GoalReport.status), col(GoalReport.year),
            col(GoalReport.reported_at), rank.label("rank"),
        )
        .join(Goal, col(Goal.id) == col(GoalReport.goal_id))
        .where(col(Goal.organisation_id) == org.id)
    )  # fmt: skip
    return (query.where(col(Goal.key) == key) if key is not None else query).subquery()


def _lines_query(org: Organisation, key: str | None = None) -> Any:
    """Goals with policy area, committee, owner and newest report; one goal when ``key``."""
    latest = _latest_reports(org, key)
    query = (
        sa.select(
            Goal, col(PolicyArea.name), col(Committee.name), col(_owner.name), latest.c.status,
            latest.c.year, latest.c.reported_at,
        )
        .join(PolicyArea, col(PolicyArea.id) == col(Goal.policy_area_id))
        .join(Committee, col(Committee.id) == col(Goal.committee_id))
        .join(_owner, col(_owner.id) == col(Goal.owner_id))
        .outerjoin(latest, sa.and_(latest.c.goal_id == col(Goal.id), latest.c.rank == 1))
        .where(col(Goal.organisation_id) == org.id)
    )  # fmt: skip
    return query.where(col(Goal.key) == key) if key is not None else query


def _line(row: Any, task: StatusTask | None = None) -> GoalLine:
    goal, area, committee, owner, reported, year, at = row
    assert goal.id is not None
    return GoalLine(
        id=goal.id, key=goal.key, title=goal.title, level=goal.level.value, policy_area=area,
        committee=committee, committee_id=goal.committee_id, owner_id=goal.owner_id,
        owner_name=owner, horizon_start=goal.horizon_start, horizon_end=goal.horizon_end,
        status=ReportStatus(reported).value if reported else _file_status(goal.status),
        status_year=year if reported else None, reported_at=at if reported else None, task=task,
    )  # fmt: skip


def _file_status(status: GoalStatus) -> str:
    """A goal nobody reported on keeps its organisation file's status (``done`` = achieved)."""
    return ReportStatus.achieved.value if status == GoalStatus.done else status.value


def _scope(query: Any, viewer: Viewer, filters: GoalFilters) -> Any:
    """Limit ``query`` to the filters, refusing what the viewer may not read."""
    if not filters.any:
        return query.where(col(Goal.owner_id) == viewer.person_id)
    if filters.person_id is not None:
        if filters.person_id != viewer.person_id and not viewer.reads_all:
            raise PermissionDenied("you may only see your own goals")
        query = query.where(col(Goal.owner_id) == filters.person_id)
    if filters.committee_id is not None:
        if not viewer.reads_all and filters.committee_id not in viewer.secretary_of:
            raise PermissionDenied("you may only see the goals of your own committee")
        query = query.where(col(Goal.committee_id) == filters.committee_id)
    if filters.policy_area_id is not None:
        if not viewer.reads_all:
            raise PermissionDenied("only planning and the direktion may filter by policy area")
        query = query.where(col(Goal.policy_area_id) == filters.policy_area_id)
    return query


def goal_board(
    session: Session, *, org: Organisation, viewer: Viewer, filters: GoalFilters | None = None
) -> GoalBoard:
    """The viewer's goals (or the filtered ones) by policy area and key, each with its latest
    status and its open status task (three queries, plus the filter choices for those allowed)."""
    flt = filters or GoalFilters()
    query = _scope(_lines_query(org), viewer, flt)
    rows = session.execute(
        query.order_by(col(PolicyArea.name), col(Goal.key)).limit(MAX_GOALS)
    ).all()
    tasks = _open_status_tasks(session, org, viewer, [row[0].id for row in rows])
    board = GoalBoard(filters=flt, goals=[_line(row, tasks.get(row[0].id)) for row in rows])
    if viewer.reads_all or viewer.secretary_of:
        _choices(session, org, viewer, board)
    return board


def _open_status_tasks(
    session: Session, org: Organisation, viewer: Viewer, goal_ids: list[int]
) -> dict[int, StatusTask]:
    """Each goal's earliest open status task, in one query."""
    if not goal_ids:
        return {}
    query = (
        select(Task, Cycle.year)
        .join(Cycle, col(Cycle.id) == col(Task.cycle_id))
        .where(
            Cycle.organisation_id == org.id,
            Cycle.kind == CycleKind.annual,
            Task.key == STATUS_TASK_KEY,
            col(Task.goal_id).in_(goal_ids),
            col(Task.status).in_(OPEN_TASK_STATUSES),
        )
        .order_by(col(Task.due).desc(), col(Task.id).desc())
    )
    out: dict[int, StatusTask] = {}
    for task, year in session.exec(query):
        assert task.goal_id is not None
        out[task.goal_id] = _status_task(task, year, viewer)  # the earliest due wins
    return out


def _status_task(task: Task, cycle_year: int, viewer: Viewer) -> StatusTask:
    assert task.id is not None
    return StatusTask(
        id=task.id, year=cycle_year - STATUS_TASK_YEAR_OFFSET, due=task.due,
        done=task.status == TaskStatus.done, can_act=viewer.can_act(owner_id=task.owner_id),
    )  # fmt: skip


def _choices(session: Session, org: Organisation, viewer: Viewer, board: GoalBoard) -> None:
    committees = select(Committee.id, Committee.name).where(Committee.organisation_id == org.id)
    if not viewer.reads_all:
        committees = committees.where(col(Committee.id).in_(viewer.secretary_of))
    board.committees = [
        Choice(i or 0, n) for i, n in session.exec(committees.order_by(col(Committee.name)))
    ]
    if not viewer.reads_all:
        return
    board.people = active_people(session, org)
    areas = select(PolicyArea.id, PolicyArea.name).where(PolicyArea.organisation_id == org.id)
    board.policy_areas = [
        Choice(i or 0, n) for i, n in session.exec(areas.order_by(col(PolicyArea.name)))
    ]


def goal_page(
    session: Session,
    *,
    org: Organisation,
    viewer: Viewer,
    goal_key: str,
    today: date,
    year: int | None = None,
) -> GoalPage:
    """One goal with its reports and the report form for ``year`` (default: the year a report
    would be about today). :class:`NotFound` for an unknown key, :class:`PermissionDenied` for
    a goal the viewer may not read."""
    row = session.execute(_lines_query(org, goal_key.strip())).first()
    if row is None:
        raise NotFound(f"no goal {goal_key!r} in {org.name}")
    goal: Goal = row[0]
    assert goal.id is not None
    if not viewer.can_read(owner_id=goal.owner_id, committee_id=goal.committee_id):
        raise PermissionDenied(f"{viewer.email} may not see goal {goal.key}")
    years = _history(session, goal.id)
    can_report = viewer.can_act(owner_id=goal.owner_id)
    choices = list(range(goal.horizon_start, min(goal.horizon_end, today.year) + 1))
    form_year = _form_year(session, org, goal, today, year, choices) if can_report else None
    form = next((lines[0] for y, lines in years if y == form_year), None)
    values = {v["name"]: v["value"] for v in form.indicators} if form else {}
    task = _task_for(session, org, goal, viewer, form_year) if form_year else None
    return GoalPage(
        goal=_line(row), description=goal.description,
        indicators=[
            IndicatorLine(i.name, i.unit, i.target, values.get(i.name))
            for i in indicators_by_goal(session, [goal.id]).get(goal.id, [])
        ],
        years=years, can_report=can_report, report_years=choices, form_year=form_year,
        form_status=form.status if form else None, form_comment=form.comment if form else "",
        status_task=task,
    )  # fmt: skip


def _history(session: Session, goal_id: int) -> list[tuple[int, list[ReportLine]]]:
    """The goal's reports grouped by year, newest year and newest report first (one query)."""
    query = (
        select(GoalReport, Person.name)
        .join(Person, col(Person.id) == col(GoalReport.reported_by_id))
        .where(GoalReport.goal_id == goal_id)
        .order_by(col(GoalReport.year).desc(), col(GoalReport.id).desc())
    )
    years: dict[int, list[ReportLine]] = {}
    for report, name in session.exec(query):
        lines = years.setdefault(report.year, [])
        lines.append(
            ReportLine(
                year=report.year, status=report.status.value, comment=report.comment,
                indicators=report.indicators, reported_by=name, reported_at=report.reported_at,
                latest=not lines, task_id=report.task_id,
            )
        )  # fmt: skip
    return list(years.items())


def _form_year(
    session: Session,
    org: Organisation,
    goal: Goal,
    today: date,
    asked: int | None,
    choices: list[int],
) -> int | None:
    if not choices:
        return None
    if asked in choices:
        return asked
    default = default_report_year(session, organisation=org, goal=goal, today=today)
    return default if default in choices else choices[-1]


def _task_for(
    session: Session, org: Organisation, goal: Goal, viewer: Viewer, year: int
) -> StatusTask | None:
    tasks = status_tasks(session, organisation=org, goal=goal, year=year)
    return _status_task(tasks[0], year + STATUS_TASK_YEAR_OFFSET, viewer) if tasks else None
