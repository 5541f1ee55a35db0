""" "My tasks" (*mine opgaver*) and one task's page: what a person sees in the web app.

:func:`task_board` returns a person's tasks in four sections — overdue, due this week, coming up
(the next :data:`HORIZON_DAYS` days) and the last :data:`DONE_SHOWN` done in the last
:data:`DONE_DAYS` days — each with its phase, goal, the template's description and working days
left; planning and the *direktion* may look at another person's, a committee's or a policy
area's tasks, a committee secretary at their committee's. A handful of queries whatever the
organisation's size.

:func:`task_page` returns one task with its audit trail (*historik*). Both raise
:class:`~aarshjul.errors.PermissionDenied` for what the viewer may not read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from aarshjul.access.permissions import Viewer
from aarshjul.clock import local_date
from aarshjul.errors import NotFound, PermissionDenied
from aarshjul.goals.reporting import status_task_year
from aarshjul.models.base import OPEN_TASK_STATUSES, CycleKind, TaskStatus
from aarshjul.models.cycle import Cycle, Phase, Task, TaskEvent
from aarshjul.models.organisation import Committee, Goal, Organisation, Person, PolicyArea
from aarshjul.notifications.compose import work_calendar
from aarshjul.notifications.policy import WorkdayIndex
from aarshjul.reports.task_links import DocumentLink, document_link

HORIZON_DAYS = 60
DONE_DAYS = 14
DONE_SHOWN = 10
MAX_ROWS = 500


@dataclass(frozen=True)
class TaskFilters:
    """Whose tasks to show: one person's, a committee's or a policy area's (ids); none = mine."""

    person_id: int | None = None
    committee_id: int | None = None
    policy_area_id: int | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in (self.person_id, self.committee_id, self.policy_area_id))


@dataclass(frozen=True)
class TaskCard:
    """One task as a page shows it; ``workdays`` > 0 left, < 0 overdue, 0 due today."""

    id: int
    title_da: str
    title_en: str
    description: str
    status: TaskStatus
    due: date
    workdays: int
    phase_da: str | None
    phase_en: str | None
    goal: str | None
    owner_id: int
    owner_name: str
    committee_id: int | None
    completed_at: datetime | None
    completed_by: str | None
    note: str
    can_act: bool
    can_undo: bool
    #: A goal's status task that the viewer may report on: the goal and the year reported on
    #: (completing it is reporting the goal's status, :mod:`aarshjul.goals.goal_pages`).
    goal_key: str | None = None
    report_year: int | None = None

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_da

    def phase(self, locale: str) -> str | None:
        return (self.phase_en if locale == "en" and self.phase_en else self.phase_da) or None

    @property
    def done(self) -> bool:
        return self.status == TaskStatus.done


@dataclass(frozen=True)
class Choice:
    id: int
    label: str


@dataclass
class TaskBoard:
    """The sections of "my tasks" and, for planning and the direktion, the filter choices."""

    today: date
    week_end: date
    filters: TaskFilters
    overdue: list[TaskCard] = field(default_factory=list)
    this_week: list[TaskCard] = field(default_factory=list)
    coming_up: list[TaskCard] = field(default_factory=list)
    done_recently: list[TaskCard] = field(default_factory=list)
    people: list[Choice] = field(default_factory=list)
    committees: list[Choice] = field(default_factory=list)
    policy_areas: list[Choice] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.this_week) + len(self.coming_up)


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    kind: str
    actor: str | None
    from_status: str | None
    to_status: str | None
    note: str
    data: dict[str, Any]


@dataclass
class TaskPage:
    card: TaskCard
    history: list[AuditLine]
    people: list[Choice]
    #: The generated document the task produces (the planning report's draft), if any.
    document: DocumentLink | None = None


_owner = aliased(Person)
_completer = aliased(Person)


def _committee() -> Any:
    """A task's committee: its own, else its policy area's, else its goal's."""
    return sa.func.coalesce(
        col(Task.committee_id), col(PolicyArea.committee_id), col(Goal.committee_id)
    )


def _cards_query(org: Organisation) -> Any:
    return (
        sa.select(
            Task, col(Phase.name_da), col(Phase.name_en), col(Goal.title), col(_owner.name),
            col(_completer.name), _committee().label("committee"), col(Goal.key),
            col(Goal.owner_id), col(Cycle.kind), col(Cycle.year),
        )
        .join(Cycle, col(Task.cycle_id) == col(Cycle.id))
        .join(_owner, col(Task.owner_id) == _owner.id)
        .join(Phase, col(Task.phase_id) == col(Phase.id), isouter=True)
        .join(Goal, col(Task.goal_id) == col(Goal.id), isouter=True)
        .join(PolicyArea, col(Task.policy_area_id) == col(PolicyArea.id), isouter=True)
        .join(_completer, col(Task.completed_by_id) == _completer.id, isouter=True)
        .where(col(Cycle.organisation_id) == org.id)
    )  # fmt: skip


def _scope(query: Any, viewer: Viewer, filters: TaskFilters) -> Any:
    """Limit ``query`` to the filters, refusing what the viewer may not read."""
    if not filters.any:
        return query.where(col(Task.owner_id) == viewer.person_id)
    if filters.person_id is not None:
        if filters.person_id != viewer.person_id and not viewer.reads_all:
            raise PermissionDenied("you may only see your own tasks")
        query = query.where(col(Task.owner_id) == filters.person_id)
    if filters.committee_id is not None:
        if not viewer.reads_all and filters.committee_id not in viewer.secretary_of:
            raise PermissionDenied("you may only see the tasks of your own committee")
        query = query.where(_committee() == filters.committee_id)
    if filters.policy_area_id is not None:
        if not viewer.reads_all:
            raise PermissionDenied("only planning and the direktion may filter by policy area")
        query = query.where(col(Task.policy_area_id) == filters.policy_area_id)
    return query


def task_board(
    session: Session,
    *,
    org: Organisation,
    viewer: Viewer,
    today: date,
    now: datetime,
    filters: TaskFilters | None = None,
) -> TaskBoard:
    """The viewer's (or the filtered) tasks in sections, ordered by due date."""
    flt = filters or TaskFilters()
    week_end = today + timedelta(days=6 - today.weekday())
    board = TaskBoard(today=today, week_end=week_end, filters=flt)
    open_ = sa.and_(
        col(Task.status).in_(OPEN_TASK_STATUSES),
        col(Task.due) <= today + timedelta(days=HORIZON_DAYS),
    )
    recent = sa.and_(
        col(Task.status) == TaskStatus.done,
        col(Task.completed_at) >= now - timedelta(days=DONE_DAYS),
    )
    query = _scope(_cards_query(org), viewer, flt).where(sa.or_(open_, recent))
    rows = session.execute(query.order_by(col(Task.due), col(Task.id)).limit(MAX_ROWS)).all()
    index = WorkdayIndex(work_calendar(org))
    for row in rows:
        card = _card(row, viewer, index, today, org.timezone)
        _section(board, card).append(card)
    board.done_recently.sort(key=lambda c: c.completed_at or now, reverse=True)
    del board.done_recently[DONE_SHOWN:]
    if viewer.reads_all or viewer.secretary_of:
        _choices(session, org, viewer, board)
    return board


def _section(board: TaskBoard, card: TaskCard) -> list[TaskCard]:
    if card.done:
        return board.done_recently
    if card.due < board.today:
        return board.overdue
    return board.this_week if card.due <= board.week_end else board.coming_up


def _card(row: Any, viewer: Viewer, index: WorkdayIndex, today: date, timezone: str) -> TaskCard:
    task, phase_da, phase_en, goal, owner_name, completer, committee = row[:7]
    goal_key, goal_owner, cycle_kind, cycle_year = row[7:]
    assert task.id is not None
    can_act = viewer.can_act(owner_id=task.owner_id)
    year = status_task_year(task_key=task.key, cycle_kind=cycle_kind, cycle_year=cycle_year)
    reports = goal_key is not None and can_act and viewer.can_act(owner_id=goal_owner)
    done_today = task.completed_at is not None and local_date(task.completed_at, timezone) == today
    return TaskCard(
        id=task.id, title_da=task.title_da, title_en=task.title_en,
        description=task.description, status=task.status, due=task.due,
        workdays=index.between(today, task.due), phase_da=phase_da, phase_en=phase_en,
        goal=goal, owner_id=task.owner_id, owner_name=owner_name, committee_id=committee,
        completed_at=task.completed_at, completed_by=completer, note=task.note, can_act=can_act,
        can_undo=can_act and task.status == TaskStatus.done and done_today,
        goal_key=goal_key, report_year=year if reports else None,
    )  # fmt: skip


def _choices(session: Session, org: Organisation, viewer: Viewer, board: TaskBoard) -> None:
    committees = select(Committee.id, Committee.name).where(Committee.organisation_id == org.id)
    if not viewer.reads_all:
        committees = committees.where(col(Committee.id).in_(viewer.secretary_of))
    rows = session.exec(committees.order_by(col(Committee.name)))
    board.committees = [Choice(i or 0, n) for i, n in rows]
    if not viewer.reads_all:
        return
    board.people = active_people(session, org)
    areas = select(PolicyArea.id, PolicyArea.name).where(PolicyArea.organisation_id == org.id)
    rows = session.exec(areas.order_by(col(PolicyArea.name)))
    board.policy_areas = [Choice(i or 0, n) for i, n in rows]


def active_people(session: Session, org: Organisation) -> list[Choice]:
    """Every active person of ``org`` as a choice (``Name <email>``), by name."""
    query = (
        select(Person.id, Person.name, Person.email)
        .where(Person.organisation_id == org.id, col(Person.active).is_(True))
        .order_by(col(Person.name))
    )
    return [Choice(i or 0, f"{n} <{e}>") for i, n, e in session.exec(query)]


def task_card(
    session: Session, *, org: Organisation, viewer: Viewer, task_id: int, today: date
) -> TaskCard:
    """One task as a card; :class:`NotFound` / :class:`PermissionDenied` as the page would."""
    row = session.execute(_cards_query(org).where(col(Task.id) == task_id)).first()
    if row is None:
        raise NotFound(f"no task with id {task_id} in {org.name}")
    card = _card(row, viewer, WorkdayIndex(work_calendar(org)), today, org.timezone)
    if not viewer.can_read(owner_id=card.owner_id, committee_id=card.committee_id):
        raise PermissionDenied(f"{viewer.email} may not see task {task_id}")
    return card


def task_page(
    session: Session, *, org: Organisation, viewer: Viewer, task_id: int, today: date
) -> TaskPage:
    """One task with its audit trail, oldest first, and (for planning) whom it can go to."""
    card = task_card(session, org=org, viewer=viewer, task_id=task_id, today=today)
    actor = aliased(Person)
    events = session.exec(
        select(TaskEvent, actor.name)
        .join(actor, col(TaskEvent.actor_id) == actor.id, isouter=True)
        .where(TaskEvent.task_id == task_id)
        .order_by(col(TaskEvent.at), col(TaskEvent.id))
    ).all()
    history = [
        AuditLine(e.at, e.kind, name, e.from_status, e.to_status, e.note, e.data)
        for e, name in events
    ]
    people = active_people(session, org) if viewer.acts_on_all else []
    return TaskPage(card=card, history=history, people=people, document=_document(session, task_id))


def _document(session: Session, task_id: int) -> DocumentLink | None:
    """The document link of the task's template key in its cycle's year (one small query)."""
    row = session.execute(
        sa.select(col(Task.key), col(Cycle.kind), col(Cycle.year))
        .join(Cycle, col(Cycle.id) == col(Task.cycle_id))
        .where(col(Task.id) == task_id)
    ).first()
    if row is None:
        return None
    key, kind, year = row
    return document_link(key, year, annual=kind == CycleKind.annual)
