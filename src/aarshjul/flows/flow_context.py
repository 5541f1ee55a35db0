"""What every flow shares: the database from settings, the day, artifact keys, task options."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy.engine import Engine

from aarshjul.clock import today_in
from aarshjul.config import get_settings
from aarshjul.db import make_engine, require_schema, session_scope
from aarshjul.errors import InputError
from aarshjul.models.organisation import Organisation
from aarshjul.models.queries import get_organisation


@contextmanager
def database() -> Iterator[Engine]:
    """An engine on ``AARSHJUL_DATABASE_URL`` (or the embedded file), disposed afterwards."""
    settings = get_settings()
    engine = make_engine(settings.effective_database_url, timeouts=settings.database_timeouts)
    try:
        require_schema(engine)
        yield engine
    finally:
        engine.dispose()


def organisation(engine: Engine, key: str | None) -> Organisation:
    """The organisation ``key`` (or ``AARSHJUL_ORGANISATION``, or the only one)."""
    with session_scope(engine) as session:
        return get_organisation(session, key or get_settings().organisation)


def resolve_day(org: Organisation, today: str | None) -> date:
    """``today`` as a date, or today's date in the organisation's time zone.

    >>> resolve_day(org, "2027-03-01")  # doctest: +SKIP
    datetime.date(2027, 3, 1)
    """
    if not today:
        return today_in(org.timezone)
    try:
        return date.fromisoformat(today)
    except ValueError as exc:
        raise InputError(f"today: {today!r} is not a date in the form YYYY-MM-DD") from exc


def artifact_key(*parts: str) -> str:
    """A Prefect artifact key (lowercase letters, digits and dashes only).

    >>> artifact_key("aarshjul", "board", "Jammer_bugt")
    'aarshjul-board-jammer-bugt'
    """
    return re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")


def delivery_retry_delays() -> list[float]:
    """Prefect retry delays for delivery that match the outbox's own backoff (1x, 2x, 4x)."""
    base = max(get_settings().deliver_backoff_seconds, 1)
    return [float(base), float(2 * base), float(4 * base)]
