"""Emitting aarshjul's domain events to Prefect, best-effort.

Event names: ``aarshjul.phase.opened``, ``aarshjul.phase.closed``, ``aarshjul.task.overdue``,
``aarshjul.task.completed``, ``aarshjul.escalation``. The resource is the phase or task
(``aarshjul.task.42``); the organisation and the cycle are related resources with the roles
``organisation`` and ``cycle``, so an automation can match e.g. every overdue task of one cycle.

An event that cannot be emitted never fails the caller: the database is the record, events are a
convenience for automations.

>>> done = EventSpec("aarshjul.task.completed", {"prefect.resource.id": "aarshjul.task.42"})
>>> emit_all([done])  # doctest: +SKIP
1
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aarshjul.engine.jobs import EventSpec

log = logging.getLogger(__name__)


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
