"""The engine's three jobs as plain functions: the daily tick, the weekly board report, next
year's plan. Flows (``aarshjul.flows``) and ``aarshjul simulate`` call these; nothing here imports
Prefect.

Each job opens its own short transactions on the engine it is given and takes ``today`` and
``now`` as inputs. What a flow should tell Prefect (events) comes back as plain
:class:`EventSpec` values, so the domain stays testable without a Prefect server.

>>> day = date(2027, 3, 1)
>>> result = run_tick(engine, organisation_key="jammerbugt", today=day, now=now)  # doctest: +SKIP
>>> result.day.phases.as_dict()["opened"], result.delivery.sent                  # doctest: +SKIP
(['helhedsplan-2027/idefase'], 14)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from aarshjul.config import Settings, get_settings
from aarshjul.db import session_scope
from aarshjul.engine.board_report import BoardReport, board_report
from aarshjul.engine.phases import PhaseChange, PhaseChanges, advance_phases
from aarshjul.errors import AarshjulError
from aarshjul.models.cycle import Cycle, Task
from aarshjul.models.organisation import Organisation, Person
from aarshjul.models.queries import get_organisation
from aarshjul.notifications.board_mail import board_markdown, queue_board_report
from aarshjul.notifications.compose import ComposeResult, compose_digests
from aarshjul.notifications.delivery import DeliveryReport, deliver_pending


@dataclass(frozen=True)
class EventSpec:
    """A domain event for Prefect: name, the resource it is about, related resources, payload."""

    event: str
    resource: dict[str, str]
    related: list[dict[str, str]] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)


def org_resource(org: Organisation) -> dict[str, str]:
    return {
        "prefect.resource.id": f"aarshjul.organisation.{org.key}",
        "prefect.resource.name": org.name,
        "prefect.resource.role": "organisation",
    }


def cycle_resource(cycle_key: str) -> dict[str, str]:
    return {
        "prefect.resource.id": f"aarshjul.cycle.{cycle_key}",
        "prefect.resource.name": cycle_key,
        "prefect.resource.role": "cycle",
    }


def task_event(
    name: str, org: Organisation, task_id: int, title: str, cycle_key: str, **payload: Any
) -> EventSpec:
    """An ``aarshjul.task.*`` or ``aarshjul.escalation`` event about one task."""
    resource = {"prefect.resource.id": f"aarshjul.task.{task_id}", "prefect.resource.name": title}
    return EventSpec(name, resource, [org_resource(org), cycle_resource(cycle_key)], payload)


def completed_event(session: Session, org: Organisation, task: Task, by: str) -> EventSpec:
    """``aarshjul.task.completed`` for a task just marked done by ``by`` (an e-mail)."""
    assert task.id is not None
    cycle = session.get_one(Cycle, task.cycle_id)
    return task_event("aarshjul.task.completed", org, task.id, task.title_da, cycle.key,
                      by=by.strip().lower(), due=task.due.isoformat())  # fmt: skip


def phase_event(name: str, org: Organisation, change: PhaseChange) -> EventSpec:
    resource = {
        "prefect.resource.id": f"aarshjul.phase.{change.phase_id}",
        "prefect.resource.name": change.name_da,
    }
    payload = {"phase": change.phase_key, "open_tasks": change.open_tasks}
    return EventSpec(name, resource, [org_resource(org), cycle_resource(change.cycle_key)], payload)


# -- the daily tick ----------------------------------------------------------------------------


@dataclass
class DayResult:
    """The database part of one tick: phase changes, the day's digests, events to emit."""

    organisation: str
    organisation_id: int
    day: date
    phases: PhaseChanges
    compose: ComposeResult
    events: list[EventSpec] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation, "day": self.day.isoformat(),
            "phases": self.phases.as_dict(), "digests": self.compose.as_dict(),
            "events": len(self.events),
        }  # fmt: skip


@dataclass
class TickResult:
    """One tick: the day's database work and, unless told not to, the delivery run."""

    day: DayResult
    delivery: DeliveryReport | None = None

    def as_dict(self) -> dict[str, Any]:
        delivery = self.delivery.as_dict() if self.delivery else None
        return self.day.as_dict() | {"delivery": delivery}


def prepare_day(
    engine: Engine,
    *,
    organisation_key: str | None,
    today: date,
    now: datetime,
    settings: Settings | None = None,
) -> DayResult:
    """Advance phases and compose ``today``'s digests in one transaction (no I/O but the DB).

    Harmless to repeat: a second call for the same day opens nothing, closes nothing and
    composes nothing (the outbox holds one digest per person and day). After an outage the
    phases catch up and the one digest for ``today`` covers what was missed.
    """
    cfg = settings or get_settings()
    with session_scope(engine) as session:
        org = get_organisation(session, organisation_key)
        assert org.id is not None
        phases = advance_phases(session, organisation=org, today=today, now=now)
        composed = compose_digests(
            session, organisation=org, today=today, overdue_every=cfg.overdue_every, settings=cfg
        )
        events = _day_events(session, org, phases, composed)
    return DayResult(org.key, org.id, today, phases, composed, events)


def _day_events(
    session: Session, org: Organisation, phases: PhaseChanges, composed: ComposeResult
) -> list[EventSpec]:
    events = [phase_event("aarshjul.phase.opened", org, c) for c in phases.opened]
    events += [phase_event("aarshjul.phase.closed", org, c) for c in phases.closed]
    ids = set(composed.overdue_task_ids) | {t for t, _ in composed.escalated}
    tasks = _task_refs(session, sorted(ids))
    for task_id in composed.overdue_task_ids:
        title, cycle, owner, due = tasks[task_id]
        events.append(task_event("aarshjul.task.overdue", org, task_id, title, cycle,
                                 owner=owner, due=due.isoformat()))  # fmt: skip
    for task_id, step in composed.escalated:
        title, cycle, owner, due = tasks[task_id]
        events.append(task_event("aarshjul.escalation", org, task_id, title, cycle,
                                 owner=owner, due=due.isoformat(), step=step))  # fmt: skip
    return events


def _task_refs(session: Session, ids: list[int]) -> dict[int, tuple[str, str, str, date]]:
    """Title, cycle key, owner e-mail and due date of the given tasks, in one query."""
    if not ids:
        return {}
    query = (
        sa.select(col(Task.id), col(Task.title_da), col(Cycle.key), col(Person.email),
                  col(Task.due))
        .join(Cycle, col(Task.cycle_id) == col(Cycle.id))
        .join(Person, col(Task.owner_id) == col(Person.id))
        .where(col(Task.id).in_(ids))
    )  # fmt: skip
    rows: Any = session.connection().execute(query)
    return {task_id: (title, cycle, owner, due) for task_id, title, cycle, owner, due in rows}


def deliver_day(
    engine: Engine, *, organisation_id: int, now: datetime, settings: Settings | None = None
) -> DeliveryReport:
    """Send the organisation's due outbox rows (digests, board reports, retries)."""
    return deliver_pending(engine, organisation_id=organisation_id, now=now, settings=settings)


def run_tick(
    engine: Engine,
    *,
    organisation_key: str | None,
    today: date,
    now: datetime,
    deliver: bool = True,
    settings: Settings | None = None,
) -> TickResult:
    """The whole daily tick without Prefect: :func:`prepare_day`, then :func:`deliver_day`."""
    day = prepare_day(
        engine, organisation_key=organisation_key, today=today, now=now, settings=settings
    )
    if not deliver:
        return TickResult(day)
    report = deliver_day(engine, organisation_id=day.organisation_id, now=now, settings=settings)
    return TickResult(day, report)


# -- the weekly board report -------------------------------------------------------------------


@dataclass
class BoardJob:
    """The week's board report, its markdown, and how many direktion messages were queued."""

    report: BoardReport
    organisation_id: int
    markdown: str
    queued: int


def prepare_board_report(
    engine: Engine,
    *,
    organisation_key: str | None,
    today: date,
    settings: Settings | None = None,
) -> BoardJob:
    """Compute the board report and queue it for every ``direktion`` member (once per day)."""
    with session_scope(engine) as session:
        org = get_organisation(session, organisation_key)
        assert org.id is not None
        report = board_report(session, organisation=org, today=today)
        added = queue_board_report(
            session, organisation_id=org.id, report=report, settings=settings
        )
    return BoardJob(report, org.id, board_markdown(report, org.locale), len(added))


# -- next year's plan --------------------------------------------------------------------------


@dataclass
class PlanOutcome:
    """Planning next year: the summary text, non-blocking notices, or why nothing was written."""

    organisation: str
    organisation_id: int
    today: date
    year: int
    template: str
    cycle_key: str | None = None
    summary: str = ""
    notices: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def plan_next_year(
    engine: Engine,
    *,
    organisation_key: str | None,
    today: date,
    now: datetime,
    template: str | None = None,
) -> PlanOutcome:
    """Plan ``today.year + 1`` from ``template`` (default: the organisation's template).

    A broken rule or template does not raise: nothing is written and :attr:`PlanOutcome.error`
    says why, so the planning staff can be told. Planning again changes nothing.
    """
    from aarshjul.planning.plan import plan_cycle
    from aarshjul.planning.template_rules import describe
    from aarshjul.planning.template_store import organisation_template

    with session_scope(engine) as session:
        org = get_organisation(session, organisation_key)
        assert org.id is not None
        key = template or org.template_key
        outcome = PlanOutcome(org.key, org.id, today, today.year + 1, key)
        try:
            result = plan_cycle(
                session, organisation=org, template=organisation_template(session, org, key),
                year=outcome.year, now=now,
            )  # fmt: skip
        except AarshjulError as exc:
            session.rollback()
            outcome.error = str(exc)
            return outcome
        outcome.cycle_key = result.cycle_key
        outcome.summary = result.diff.render(org.locale)
        outcome.notices = [describe(v) for v in result.notices]
    return outcome
