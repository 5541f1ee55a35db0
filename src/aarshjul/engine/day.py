"""The day runner (*dagens kørsel*): the one way a day is run, by every edge.

The Prefect tick flow, ``aarshjul remind``, ``aarshjul tick``, ``aarshjul simulate``, the demo and
the tests all call :func:`run_day`. A day is two steps:

1. :func:`prepare_day` — in one transaction: open and close the phases the calendar has reached,
   compose the day's digests into the outbox (escalations recorded), and collect the day's facts
   (escalations per recipient and step, the overdue listing) that a flow turns into events;
2. :func:`deliver_day` — send the organisation's due outbox rows through the runtime's sender.

What decides whether and how a day runs is here, once: on a weekend, holiday or closure nothing
is composed *and nothing is delivered*; a day that is not the real today (``--today``,
``AARSHJUL_TODAY``) is a *preview* — it is composed and shown in a transaction that is rolled
back, nothing is written or sent — unless delivery is asked for explicitly, which replays the day
for real (:func:`day_mode`). A simulation differs only in its runtime: its clock, a scratch
database and a sender that sends nothing.

Harmless to repeat: a second run on the same day opens nothing, closes nothing, composes nothing
(the outbox holds one digest per person and day) and reports no facts. After an outage the
phases catch up and the one digest for today covers what was missed.

>>> result = run_day(runtime, today=date(2027, 3, 1), deliver=True)  # doctest: +SKIP
>>> result.phases.as_dict()["opened"], result.delivery.sent          # doctest: +SKIP
(['helhedsplan-2027/idefase'], 14)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.clock import Clock
from aarshjul.engine.phases import PhaseChanges, advance_phases
from aarshjul.models.cycle import Cycle, Task
from aarshjul.models.organisation import Person
from aarshjul.notifications.compose import ComposeResult, compose_digests
from aarshjul.notifications.delivery import DeliveryReport, deliver_pending
from aarshjul.runtime import Runtime


@dataclass(frozen=True)
class DayMode:
    """Whether a run writes (phases, outbox) and whether it sends."""

    write: bool
    send: bool


def day_mode(*, preview: bool, deliver: bool | None, dry_run: bool = False) -> DayMode:
    """The one rule for previews: a preview writes and sends only when delivery is asked for.

    ``deliver`` is the edge's explicit choice (``--deliver``/``--no-deliver``) or None; a
    ``dry_run`` writes and sends nothing, whatever the day.

    >>> day_mode(preview=False, deliver=None), day_mode(preview=False, deliver=False)
    (DayMode(write=True, send=True), DayMode(write=True, send=False))
    >>> day_mode(preview=True, deliver=None), day_mode(preview=True, deliver=True)
    (DayMode(write=False, send=False), DayMode(write=True, send=True))
    """
    if dry_run:
        return DayMode(write=False, send=False)
    if preview:
        return DayMode(write=bool(deliver), send=bool(deliver))
    return DayMode(write=True, send=deliver is not False)


@dataclass(frozen=True)
class Escalation:
    """One recipient's escalations at one step today (*eskalering*): plain facts, no Prefect."""

    recipient_id: int
    recipient: str
    step: int
    task_ids: tuple[int, ...]
    cycles: tuple[str, ...]


@dataclass(frozen=True)
class OverdueListing:
    """The overdue tasks listed in today's digests, with their owners and cycles."""

    task_ids: tuple[int, ...] = ()
    owners: dict[str, int] = field(default_factory=dict)
    cycles: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return len(self.task_ids)


@dataclass
class DayResult:
    """One day: phase changes, the digests, the day's facts and (when sent) the delivery.

    ``written`` is False for a preview (everything was rolled back). ``closed`` is the reason
    when the day is a weekend, holiday or closure (then nothing is composed or delivered).
    """

    organisation: str
    organisation_name: str
    organisation_id: int
    day: date
    written: bool
    phases: PhaseChanges
    compose: ComposeResult
    escalations: list[Escalation] = field(default_factory=list)
    overdue: OverdueListing = field(default_factory=OverdueListing)
    delivery: DeliveryReport | None = None

    @property
    def closed(self) -> str | None:
        return self.compose.skipped

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation, "day": self.day.isoformat(),
            "written": self.written, "phases": self.phases.as_dict(),
            "digests": self.compose.as_dict(),
            "escalations": [
                {"recipient": e.recipient, "step": e.step, "tasks": len(e.task_ids)}
                for e in self.escalations
            ],
            "overdue_listed": self.overdue.count,
            "delivery": self.delivery.as_dict() if self.delivery else None,
        }  # fmt: skip


def prepare_day(runtime: Runtime, *, today: date, write: bool = True) -> DayResult:
    """Advance phases and compose ``today``'s digests in one transaction (no I/O but the DB).

    With ``write=False`` the same work is done and then rolled back: a preview.
    """
    cfg = runtime.settings
    with runtime.session() as session:
        org = runtime.organisation(session)
        assert org.id is not None
        phases = advance_phases(session, organisation=org, today=today, now=runtime.now())
        composed = compose_digests(
            session, organisation=org, today=today, overdue_every=cfg.overdue_every, settings=cfg
        )
        result = DayResult(org.key, org.name, org.id, today, write, phases, composed)
        _facts(session, result)
        if not write:
            session.rollback()
    return result


def deliver_day(runtime: Runtime, *, organisation_id: int) -> DeliveryReport:
    """Send the organisation's due outbox rows (digests, reports, retries) through the sender."""
    return deliver_pending(
        runtime.bind, organisation_id=organisation_id, now=runtime.now(),
        settings=runtime.settings, sender=runtime.sender,
    )  # fmt: skip


@dataclass(frozen=True)
class DaySteps:
    """How the two steps run: directly (the default) or wrapped, e.g. as Prefect tasks."""

    prepare: Callable[..., DayResult] = prepare_day
    deliver: Callable[..., DeliveryReport] = deliver_day


def run_day(
    runtime: Runtime,
    *,
    today: date | None = None,
    deliver: bool | None = None,
    dry_run: bool = False,
    steps: DaySteps = DaySteps(),
) -> DayResult:
    """Run one day for the runtime's organisation (default: the clock's today).

    ``deliver`` is the edge's explicit choice; None means "yes, unless previewing" (see
    :func:`day_mode`); ``dry_run`` composes and rolls back. Nothing is delivered on a closed
    day.
    """
    _, zone = organisation_of(runtime)
    day = today or runtime.clock.today(zone)
    mode = day_mode(preview=Clock.previews(day, zone), deliver=deliver, dry_run=dry_run)
    result: DayResult = steps.prepare(runtime, today=day, write=mode.write)
    if mode.send and result.closed is None:
        result.delivery = steps.deliver(runtime, organisation_id=result.organisation_id)
    return result


def organisation_of(runtime: Runtime) -> tuple[str, str]:
    """The runtime's organisation key and time zone (one short read)."""
    with runtime.session() as session:
        org = runtime.organisation(session)
        return org.key, org.timezone


def _facts(session: Session, result: DayResult) -> None:
    """Escalations per recipient and step and the overdue listing, with one query for refs."""
    composed = result.compose
    escalated = set(composed.escalated)
    ids = set(composed.overdue_task_ids) | {task_id for task_id, _ in escalated}
    refs = _task_refs(session, sorted(ids))
    by_recipient: dict[tuple[int, str, int], set[int]] = defaultdict(set)
    for digest in composed.digests:
        for task_id, step in digest.escalations:
            if (task_id, step) in escalated:
                by_recipient[(digest.person_id, digest.email, step)].add(task_id)
    result.escalations = [
        Escalation(pid, email, step, tuple(sorted(tasks)),
                   tuple(sorted({refs[t][0] for t in tasks})))
        for (pid, email, step), tasks in sorted(by_recipient.items())
    ]  # fmt: skip
    listed = tuple(composed.overdue_task_ids)
    result.overdue = OverdueListing(
        task_ids=listed,
        owners=dict(sorted(Counter(refs[t][1] for t in listed).items())),
        cycles=tuple(sorted({refs[t][0] for t in listed})),
    )


def _task_refs(session: Session, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Cycle key and owner e-mail of the given tasks, in one query."""
    if not ids:
        return {}
    query = (
        sa.select(col(Task.id), col(Cycle.key), col(Person.email))
        .join(Cycle, col(Task.cycle_id) == col(Cycle.id))
        .join(Person, col(Task.owner_id) == col(Person.id))
        .where(col(Task.id).in_(ids))
    )
    rows: Any = session.connection().execute(query)
    return {task_id: (cycle, owner) for task_id, cycle, owner in rows}
