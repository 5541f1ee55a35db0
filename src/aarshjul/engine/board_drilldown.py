"""The board's drill-down (*direktionens detaljevisning*): the year's tasks of one committee,
policy area, person or phase, with status, owner, due date and working days late.

:func:`board_drilldown` makes two queries whatever the organisation's size: one that finds what
was asked for (a committee or policy area by key, a person by e-mail, a phase by
``cycle--phase`` key) and one for its tasks in the year's cycles, joined with their owner,
phase, committee and policy area. The counts on the page are the rows' own, so they always add
up to the list shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.engine.progress import TaskCounts
from aarshjul.errors import NotFound
from aarshjul.models.base import OPEN_TASK_STATUSES
from aarshjul.models.cycle import Cycle, Phase, Task
from aarshjul.models.organisation import Committee, Organisation, Person, PolicyArea
from aarshjul.planning.date_plan import work_calendar

#: Separates a cycle's key from its phase's key in a phase's drill-down key (as on the wheel).
PHASE_KEY_SEPARATOR = "--"


class DrilldownKind(StrEnum):
    """What a drill-down page is about: *udvalg*, *politikområde*, *person*, *fase*."""

    committee = "committee"
    policy_area = "policy_area"
    person = "person"
    phase = "phase"


@dataclass(frozen=True)
class DrilldownTask:
    """One task on a drill-down page; ``overdue`` when it is open past its due day, and then
    ``workdays_late`` counts the working days from the due day to today (else 0)."""

    id: int
    title: str
    status: str
    owner_name: str
    owner_email: str
    due: date
    workdays_late: int
    cycle: str
    phase: str | None
    committee: str | None
    policy_area: str | None
    overdue: bool = False


@dataclass
class Drilldown:
    """The tasks of one committee, policy area, person or phase in ``year``, oldest due first."""

    kind: DrilldownKind
    key: str
    name: str
    year: int
    today: date
    tasks: list[DrilldownTask] = field(default_factory=list)

    @property
    def counts(self) -> TaskCounts:
        """The listed tasks by outcome (open and in progress count as open)."""
        counts = TaskCounts()
        for task in self.tasks:
            counts.add(task.status, 1, 1 if task.overdue else 0)
        return counts


def board_drilldown(
    session: Session,
    *,
    organisation: Organisation,
    kind: DrilldownKind,
    key: str,
    today: date,
    locale: str = "da",
) -> Drilldown:
    """The tasks of ``today.year``'s cycles that belong to the committee, policy area, person
    (by e-mail) or phase (``cycle--phase``) ``key``; titles in ``locale`` where translated.

    Raises :class:`NotFound` when ``key`` names nothing of that kind in the organisation.

    >>> board_drilldown(session, organisation=org, kind=DrilldownKind.committee, key="bsu",
    ...                 today=date(2027, 3, 15)).name                       # doctest: +SKIP
    'Børne- og Skoleudvalget'
    """
    assert organisation.id is not None
    name, condition = _subject(session, organisation.id, kind, key, today.year)
    calendar = work_calendar(organisation)
    tasks = _tasks(session, organisation.id, today, condition, calendar, locale)
    return Drilldown(kind=kind, key=key, name=name, year=today.year, today=today, tasks=tasks)


def _subject(
    session: Session, organisation_id: int, kind: DrilldownKind, key: str, year: int
) -> tuple[str, Any]:
    """The subject's name and the condition on Task that selects its tasks (one query)."""
    query, column = _lookup(organisation_id, kind, key, year)
    row = session.connection().execute(query).first()
    if row is None:
        raise NotFound(_unknown(kind, key))
    return str(row[1]), column == row[0]


def _lookup(organisation_id: int, kind: DrilldownKind, key: str, year: int) -> tuple[Any, Any]:
    if kind == DrilldownKind.committee:
        return sa.select(col(Committee.id), col(Committee.name)).where(
            col(Committee.organisation_id) == organisation_id, col(Committee.key) == key
        ), col(Task.committee_id)
    if kind == DrilldownKind.policy_area:
        return sa.select(col(PolicyArea.id), col(PolicyArea.name)).where(
            col(PolicyArea.organisation_id) == organisation_id, col(PolicyArea.key) == key
        ), col(Task.policy_area_id)
    if kind == DrilldownKind.person:
        return sa.select(col(Person.id), col(Person.name)).where(
            col(Person.organisation_id) == organisation_id,
            sa.func.lower(col(Person.email)) == key.strip().lower(),
        ), col(Task.owner_id)
    cycle_key, _, phase_key = key.partition(PHASE_KEY_SEPARATOR)
    query = (
        sa.select(col(Phase.id), col(Phase.name_da))
        .join(Cycle, col(Phase.cycle_id) == col(Cycle.id))
        .where(col(Cycle.organisation_id) == organisation_id, col(Cycle.year) == year,
               col(Cycle.key) == cycle_key, col(Phase.key) == phase_key)
    )  # fmt: skip
    return query, col(Task.phase_id)


#: English word, Danish word with its negative article (neuter *intet*, common gender *ingen*).
_KIND_WORDS = {
    DrilldownKind.committee: ("committee", "intet udvalg"),
    DrilldownKind.policy_area: ("policy area", "intet politikområde"),
    DrilldownKind.person: ("person", "ingen person"),
    DrilldownKind.phase: ("phase", "ingen fase"),
}


def _unknown(kind: DrilldownKind, key: str) -> str:
    en, da = _KIND_WORDS[kind]
    shown = key if len(key) <= 80 else key[:80] + "…"
    return f"no {en} {shown!r} this year ({da} {shown!r} i år)"


def _tasks(
    session: Session, organisation_id: int, today: date, condition: Any,
    calendar: WorkCalendar, locale: str,
) -> list[DrilldownTask]:  # fmt: skip
    """The subject's tasks in the year's cycles with their names joined in (one query)."""
    query = (
        sa.select(col(Task.id), col(Task.title_da), col(Task.title_en), col(Task.status),
                  col(Person.name), col(Person.email), col(Task.due), col(Cycle.key),
                  col(Phase.name_da), col(Phase.name_en), col(Committee.name),
                  col(PolicyArea.name))
        .join(Cycle, col(Task.cycle_id) == col(Cycle.id))
        .join(Person, col(Task.owner_id) == col(Person.id))
        .join(Phase, col(Task.phase_id) == col(Phase.id), isouter=True)
        .join(Committee, col(Task.committee_id) == col(Committee.id), isouter=True)
        .join(PolicyArea, col(Task.policy_area_id) == col(PolicyArea.id), isouter=True)
        .where(col(Cycle.organisation_id) == organisation_id, col(Cycle.year) == today.year,
               condition)
        .order_by(col(Task.due), col(Task.id))
    )  # fmt: skip
    result: Any = session.connection().execute(query)
    return [_row(row, today, calendar, locale) for row in result]


def _row(row: Any, today: date, calendar: WorkCalendar, locale: str) -> DrilldownTask:
    tid, title_da, title_en, status, owner, email, due, cycle, ph_da, ph_en, comm, area = row
    overdue = status in OPEN_TASK_STATUSES and due < today
    english = locale == "en"
    return DrilldownTask(
        id=tid, title=title_en if english and title_en else title_da, status=str(status),
        owner_name=owner, owner_email=email, due=due,
        workdays_late=calendar.workdays_between(due, today) if overdue else 0, cycle=cycle,
        phase=(ph_en if english and ph_en else ph_da), committee=comm, policy_area=area,
        overdue=overdue,
    )  # fmt: skip
