"""What every flow shares: its runtime context, artifact keys, task options.

A flow builds its :class:`~aarshjul.runtime.Runtime` once, at its start (:func:`flow_runtime`):
from the settings when a runner or worker starts it, or — when ``aarshjul tick``/``report`` run
it in-process — the runtime the command built, handed over with :func:`provided_runtime`
instead of through ``os.environ``. The flow's ``organisation`` and ``today`` parameters are
applied on top; ``today`` previews that day exactly as ``AARSHJUL_TODAY`` and ``--today`` do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from datetime import date
from typing import cast

from aarshjul.clock import Clock
from aarshjul.errors import InputError
from aarshjul.runtime import Runtime, build_runtime

_PROVIDED: ContextVar[Runtime | None] = ContextVar("aarshjul_provided_runtime", default=None)


@contextmanager
def provided_runtime(runtime: Runtime) -> Iterator[None]:
    """Flows started inside this block use ``runtime`` (an in-process run from the CLI)."""
    token = _PROVIDED.set(runtime)
    try:
        yield
    finally:
        _PROVIDED.reset(token)


@contextmanager
def flow_runtime(*, organisation: str | None, today: str | None) -> Iterator[Runtime]:
    """The flow run's runtime: the provided one or one from the settings (closed afterwards)."""
    provided = _PROVIDED.get()
    runtime = provided or build_runtime()
    try:
        day = parse_day(today)
        yield replace(
            runtime,
            organisation_key=organisation or runtime.organisation_key,
            clock=Clock(fixed_today=day) if day else runtime.clock,
        )
    finally:
        if provided is None:
            runtime.close()


def passed(runtime: Runtime) -> Runtime:
    """``runtime`` wrapped for a Prefect task call: handed over as is, never inspected or copied
    by Prefect (it holds an engine and the settings)."""
    from prefect.utilities.annotations import quote

    return cast(Runtime, quote(runtime))


def parse_day(today: str | None) -> date | None:
    """A flow's ``today`` parameter (ISO date) as a date, or None.

    >>> parse_day("2027-03-01")
    datetime.date(2027, 3, 1)
    """
    if not today:
        return None
    try:
        return date.fromisoformat(today)
    except ValueError as exc:
        raise InputError(
            f"{today!r} is not a date in the form YYYY-MM-DD",
            reason_da=f"{today!r} er ikke en dato på formen ÅÅÅÅ-MM-DD",
            field="today",
        ) from exc


def artifact_key(*parts: str) -> str:
    """A Prefect artifact key (lowercase letters, digits and dashes only).

    >>> artifact_key("aarshjul", "board", "Jammer_bugt")
    'aarshjul-board-jammer-bugt'
    """
    return re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")


def delivery_retry_delays(runtime: Runtime) -> list[float]:
    """Prefect retry delays for delivery that match the outbox's own backoff (1x, 2x, 4x)."""
    base = max(runtime.settings.deliver_backoff_seconds, 1)
    return [float(base), float(2 * base), float(4 * base)]
