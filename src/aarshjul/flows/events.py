"""aarshjul's domain events in Prefect's format, emitted best-effort.

The engine returns plain facts (:class:`~aarshjul.engine.day.DayResult`); this module is the only
place that knows Prefect's event format (resource dicts). **The number of events per tick is
bounded, whatever the organisation's size**: at most one event per phase that opened or closed,
one per escalation *recipient and step*, and one summary of the overdue listing. A tick after a
backlog import that escalates 18,000 tasks emits a few dozen events, not 18,000 (Prefect's server
queue holds 10,000 and drops the rest silently).

For automation authors:

=========================== ============================== ===========================================
event                       resource                       payload
=========================== ============================== ===========================================
``aarshjul.phase.opened``   ``aarshjul.phase.<id>``        ``phase`` (key), ``open_tasks``
``aarshjul.phase.closed``   ``aarshjul.phase.<id>``        ``phase``, ``open_tasks`` (> 0: flagged)
``aarshjul.escalation``     ``aarshjul.person.<id>``       ``recipient`` (e-mail), ``step``, ``count``,
                            (who is told)                  ``task_ids`` (first 1,000), ``truncated``
``aarshjul.tasks.overdue``  ``aarshjul.organisation.<k>``  ``count``, ``task_ids`` (first 1,000),
                            (once per tick, if any)        ``truncated``, ``owners`` (e-mail → count)
``aarshjul.task.completed`` ``aarshjul.task.<id>``         ``by`` (e-mail), ``due`` (from ``done``)
=========================== ============================== ===========================================

Every event has the organisation (role ``organisation``) and the cycle(s) concerned (role
``cycle``) as related resources, so an automation can match e.g. every escalation of one cycle.
A preview (a day that was not written) emits nothing.

An event that cannot be emitted never fails the caller: the database is the record, events are a
convenience for automations.

>>> done = EventSpec("aarshjul.task.completed", {"prefect.resource.id": "aarshjul.task.42"})
>>> emit_all([done])  # doctest: +SKIP
1
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

    from aarshjul.engine.day import DayResult
    from aarshjul.engine.phases import PhaseChange
    from aarshjul.models.cycle import Task
    from aarshjul.models.organisation import Organisation

log = logging.getLogger(__name__)

#: How many task ids an event's payload lists at most (``count`` always has them all).
MAX_TASK_IDS = 1000


@dataclass(frozen=True)
class EventSpec:
    """A domain event for Prefect: name, the resource it is about, related resources, payload."""

    event: str
    resource: dict[str, str]
    related: list[dict[str, str]] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)


def org_resource(key: str, name: str) -> dict[str, str]:
    return {
        "prefect.resource.id": f"aarshjul.organisation.{key}",
        "prefect.resource.name": name,
        "prefect.resource.role": "organisation",
    }


def cycle_resource(cycle_key: str) -> dict[str, str]:
    return {
        "prefect.resource.id": f"aarshjul.cycle.{cycle_key}",
        "prefect.resource.name": cycle_key,
        "prefect.resource.role": "cycle",
    }


def _ids(task_ids: Sequence[int]) -> dict[str, Any]:
    return {
        "count": len(task_ids),
        "task_ids": list(task_ids[:MAX_TASK_IDS]),
        "truncated": len(task_ids) > MAX_TASK_IDS,
    }


def day_events(result: DayResult) -> list[EventSpec]:
    """The events of one day: bounded by phases, escalation recipients and steps, plus one."""
    if not result.written:
        return []
    org = org_resource(result.organisation, result.organisation_name)
    events = [_phase("aarshjul.phase.opened", org, c) for c in result.phases.opened]
    events += [_phase("aarshjul.phase.closed", org, c) for c in result.phases.closed]
    for esc in result.escalations:
        resource = {
            "prefect.resource.id": f"aarshjul.person.{esc.recipient_id}",
            "prefect.resource.name": esc.recipient,
        }
        payload = {"recipient": esc.recipient, "step": esc.step, **_ids(esc.task_ids)}
        related = [org, *map(cycle_resource, esc.cycles)]
        events.append(EventSpec("aarshjul.escalation", resource, related, payload))
    overdue = result.overdue
    if overdue.count:
        resource = {k: v for k, v in org.items() if k != "prefect.resource.role"}
        payload = {**_ids(overdue.task_ids), "owners": overdue.owners}
        related = [org, *map(cycle_resource, overdue.cycles)]
        events.append(EventSpec("aarshjul.tasks.overdue", resource, related, payload))
    return events


def _phase(name: str, org: dict[str, str], change: PhaseChange) -> EventSpec:
    resource = {
        "prefect.resource.id": f"aarshjul.phase.{change.phase_id}",
        "prefect.resource.name": change.name_da,
    }
    payload = {"phase": change.phase_key, "open_tasks": change.open_tasks}
    return EventSpec(name, resource, [org, cycle_resource(change.cycle_key)], payload)


def completed_event(session: Session, org: Organisation, task: Task, by: str) -> EventSpec:
    """``aarshjul.task.completed`` for a task just marked done by ``by`` (an e-mail)."""
    from aarshjul.models.cycle import Cycle

    assert task.id is not None
    cycle = session.get_one(Cycle, task.cycle_id)
    resource = {"prefect.resource.id": f"aarshjul.task.{task.id}",
                "prefect.resource.name": task.title_da}  # fmt: skip
    payload = {"by": by.strip().lower(), "due": task.due.isoformat()}
    related = [org_resource(org.key, org.name), cycle_resource(cycle.key)]
    return EventSpec("aarshjul.task.completed", resource, related, payload)


def emit_all(specs: Iterable[EventSpec]) -> int:
    """Emit every event; returns how many Prefect accepted for sending (0 without an API)."""
    from prefect.events import emit_event

    sent = 0
    for spec in specs:
        try:
            event = emit_event(
                event=spec.event, resource=spec.resource,
                related=list(spec.related), payload=dict(spec.payload),
            )  # fmt: skip
        except Exception as exc:  # best effort by design
            log.warning("could not emit %s: %s", spec.event, exc)
            continue
        sent += event is not None
    return sent
