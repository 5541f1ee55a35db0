"""Set-based queries behind the daily digest: one query per kind of item for a whole organisation.

Each function returns plain rows for one organisation and one day; none runs a query per task or
per person. Grouping and working-day arithmetic happen in ``aarshjul.notifications``.

The statements are built once, with bound parameters (``:org``, ``:after``…): a national run
executes each of them once per municipality, and building a ``select()`` costs more than running
some of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.models.base import OPEN_TASK_STATUSES
from aarshjul.models.cycle import Cycle, Phase, Task, TaskEvent, TaskReminder
from aarshjul.models.organisation import Person, PersonRole, PolicyArea
from aarshjul.models.outbox import (
    DigestItem,
    DigestReason,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    TaskEscalation,
)


class TaskRow(NamedTuple):
    """An open task as a digest shows it; ``last_step``/``last_listed`` only for overdue rows.

    ``direktion_from``: the escalation step from which the direktion is told (its cycle's);
    ``area``: the name of its policy area (*politikområde*), if any.
    """

    id: int
    title_da: str
    title_en: str
    due: date
    owner_id: int
    phase_id: int | None
    phase_da: str | None
    phase_en: str | None
    escalate_after: int
    direktion_from: int
    area: str | None
    last_step: int | None = None
    last_listed: date | None = None


class PhaseRow(NamedTuple):
    """A phase that opens within the digest window (a *kickoff*)."""

    id: int
    name_da: str
    name_en: str
    start_date: date
    end_date: date
    owner_id: int | None


class PersonRow(NamedTuple):
    """Who can receive a digest."""

    id: int
    name: str
    email: str
    locale: str
    superior_id: int | None
    active: bool


_TASK_COLUMNS = (
    col(Task.id), col(Task.title_da), col(Task.title_en), col(Task.due), col(Task.owner_id),
    col(Task.phase_id), col(Phase.name_da), col(Phase.name_en), col(Task.escalate_after),
    col(Cycle.escalate_direktion_from), col(PolicyArea.name),
)  # fmt: skip


def _select(*columns: Any) -> Any:
    """``sa.select`` for plain row queries (rows are read into the NamedTuples above)."""
    return sa.select(*columns)


def _run(session: Session, statement: Any, **params: Any) -> list[Any]:
    return list(session.connection().execute(statement, params).all())


def _open_tasks(*extra: Any) -> Any:
    """Open tasks of the organisation ``:org`` with their phase names."""
    return (
        _select(*_TASK_COLUMNS, *extra)
        .join(Cycle, col(Task.cycle_id) == col(Cycle.id))
        .join(Phase, col(Task.phase_id) == col(Phase.id), isouter=True)
        .join(PolicyArea, col(Task.policy_area_id) == col(PolicyArea.id), isouter=True)
        .where(
            col(Cycle.organisation_id) == sa.bindparam("org"),
            col(Task.status).in_(OPEN_TASK_STATUSES),
        )
    )


@cache
def _reminder_tasks() -> Any:
    has_reminder = sa.exists().where(
        col(TaskReminder.task_id) == col(Task.id),
        col(TaskReminder.remind_on) > sa.bindparam("after"),
        col(TaskReminder.remind_on) <= sa.bindparam("until"),
    )
    return _open_tasks().where(has_reminder)


def reminder_tasks(
    session: Session, organisation_id: int, after: date, until: date
) -> list[TaskRow]:
    """Open tasks with a reminder day in ``(after, until]`` (each task once)."""
    rows = _run(session, _reminder_tasks(), org=organisation_id, after=after, until=until)
    return [TaskRow(*row) for row in rows]


def _last_step() -> Any:
    """The highest escalation step already sent for the outer query's task."""
    return (
        sa.select(sa.func.max(TaskEscalation.step))
        .where(col(TaskEscalation.task_id) == col(Task.id))
        .scalar_subquery()
    )


def _last_listed() -> Any:
    """The last day the outer query's task was listed as overdue."""
    return (
        sa.select(sa.func.max(DigestItem.day))
        .where(
            col(DigestItem.task_id) == col(Task.id),
            col(DigestItem.reason) == DigestReason.overdue,
        )
        .scalar_subquery()
    )


@cache
def _due_and_overdue_tasks() -> Any:
    overdue = col(Task.due) < sa.bindparam("today")
    return _open_tasks(
        sa.case((overdue, _last_step()), else_=None),
        sa.case((overdue, _last_listed()), else_=None),
    ).where(col(Task.due) <= sa.bindparam("until"))


def due_and_overdue_tasks(
    session: Session, organisation_id: int, today: date, until: date
) -> list[TaskRow]:
    """Open tasks due up to ``until`` (overdue, due today and up to the next workday) in one scan.

    The last escalation step and overdue listing are read only for the rows due before ``today``.
    """
    rows = _run(session, _due_and_overdue_tasks(), org=organisation_id, today=today, until=until)
    return [TaskRow(*row) for row in rows]


@cache
def _kickoff_phases() -> Any:
    return (
        _select(
            Phase.id, Phase.name_da, Phase.name_en, Phase.start_date, Phase.end_date, Phase.owner_id
        )
        .join(Cycle, col(Phase.cycle_id) == col(Cycle.id))
        .where(
            col(Cycle.organisation_id) == sa.bindparam("org"),
            col(Phase.start_date) > sa.bindparam("after"),
            col(Phase.start_date) <= sa.bindparam("until"),
        )
    )


def kickoff_phases(
    session: Session, organisation_id: int, after: date, until: date
) -> list[PhaseRow]:
    """Phases whose start date lies in ``(after, until]``."""
    rows = _run(session, _kickoff_phases(), org=organisation_id, after=after, until=until)
    return [PhaseRow(*row) for row in rows]


@cache
def _phase_tasks() -> Any:
    return _open_tasks().where(col(Task.phase_id).in_(sa.bindparam("phases", expanding=True)))


def phase_tasks(session: Session, organisation_id: int, phase_ids: Sequence[int]) -> list[TaskRow]:
    """Open tasks of the given phases (the kickoff's lists)."""
    if not phase_ids:
        return []
    rows = _run(session, _phase_tasks(), org=organisation_id, phases=list(phase_ids))
    return [TaskRow(*row) for row in rows]


@cache
def _people() -> Any:
    return _select(
        col(Person.id),
        col(Person.name),
        col(Person.email),
        col(Person.locale),
        col(Person.superior_id),
        col(Person.active),
    ).where(col(Person.organisation_id) == sa.bindparam("org"))


def people(session: Session, organisation_id: int) -> dict[int, PersonRow]:
    """Every person of the organisation by id."""
    return {row[0]: PersonRow(*row) for row in _run(session, _people(), org=organisation_id)}


@cache
def _people_with_role() -> Any:
    return (
        _select(col(PersonRole.person_id))
        .join(Person, col(Person.id) == col(PersonRole.person_id))
        .where(
            col(Person.organisation_id) == sa.bindparam("org"),
            col(PersonRole.role) == sa.bindparam("role"),
            col(Person.active).is_(True),
        )
        .order_by(col(PersonRole.person_id))
    )


def people_with_role(session: Session, organisation_id: int, role: str) -> list[int]:
    """Ids of the active people holding ``role`` (``direktion``, ``planning``…), ordered."""
    return [row[0] for row in _run(session, _people_with_role(), org=organisation_id, role=role)]


@cache
def _last_digest_day() -> Any:
    return sa.select(sa.func.max(OutboxMessage.day)).where(
        col(OutboxMessage.organisation_id) == sa.bindparam("org"),
        col(OutboxMessage.kind) == OutboxKind.digest,
        col(OutboxMessage.day) < sa.bindparam("before"),
    )


def last_digest_day(session: Session, organisation_id: int, before: date) -> date | None:
    """The most recent day before ``before`` for which a digest was composed."""
    day: date | None = _run(session, _last_digest_day(), org=organisation_id, before=before)[0][0]
    return day


@cache
def _reassigned_tasks() -> Any:
    last_compose = (
        sa.select(sa.func.max(OutboxMessage.created_at))
        .where(
            col(OutboxMessage.organisation_id) == sa.bindparam("org"),
            col(OutboxMessage.kind) == OutboxKind.digest,
            col(OutboxMessage.day) < sa.bindparam("today"),
        )
        .scalar_subquery()
    )
    since = sa.func.coalesce(last_compose, sa.bindparam("fallback"))
    return (
        _open_tasks()
        .join(TaskEvent, col(TaskEvent.task_id) == col(Task.id))
        .where(col(TaskEvent.kind) == "reassign", col(TaskEvent.at) > since)
        .distinct()
    )


def reassigned_tasks(
    session: Session, organisation_id: int, today: date, fallback: datetime
) -> list[TaskRow]:
    """Open tasks reassigned (*overdraget*) since the last digest was composed before ``today``
    (``fallback`` when there was none): their new owners are told in today's digest."""
    rows = _run(session, _reassigned_tasks(), org=organisation_id, today=today, fallback=fallback)
    return [TaskRow(*row) for row in rows]


class DeadRow(NamedTuple):
    """A message that died (attempts used up) and was not reported yet: to whom, what, why."""

    id: int
    recipient: str
    subject: str
    day: date
    attempts: int
    error: str


@cache
def _dead_messages() -> Any:
    m = OutboxMessage
    return (
        _select(col(m.id), sa.func.coalesce(col(Person.email), col(m.recipient)), col(m.subject),
                col(m.day), col(m.attempts), col(m.last_error))
        .outerjoin(Person, col(Person.id) == col(m.person_id))  # a receipt: to its recipient
        .where(
            col(m.organisation_id) == sa.bindparam("org"),
            col(m.status) == OutboxStatus.dead,
            col(m.reported_at).is_(None),
        )
        .order_by(col(m.id))
    )  # fmt: skip


def dead_messages(session: Session, organisation_id: int) -> list[DeadRow]:
    """The organisation's dead messages that no digest has reported yet, oldest first."""
    return [DeadRow(*row) for row in _run(session, _dead_messages(), org=organisation_id)]


def mark_reported(session: Session, message_ids: Sequence[int], at: Any) -> None:
    """Record that a digest now reports these dead messages (they are not reported again)."""
    if message_ids:
        stmt = (
            sa.update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(list(message_ids)))
            .values(reported_at=at)
        )
        session.connection().execute(stmt)
