"""The only module that reads the clock. Everything else takes ``today`` or ``now`` as input.

A :class:`Clock` is part of the runtime context (:mod:`aarshjul.runtime`). A clock with a fixed
day (``--today``, ``AARSHJUL_TODAY``, a simulation) *previews* that day: :meth:`Clock.today`
returns it, and :meth:`Clock.now` is that day at the real time of day, so whatever is stamped
while previewing lands on the previewed day.

>>> clock = Clock(fixed_today=date(2027, 3, 1))
>>> clock.today("Europe/Copenhagen")
datetime.date(2027, 3, 1)
>>> clock.now().tzinfo is UTC
True
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aarshjul.errors import ConfigError


def utcnow() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return datetime.now(UTC)


def ticking_from(start: datetime) -> Callable[[], datetime]:
    """A clock that shows ``start`` now and then advances with real (monotonic) time.

    A long run that is handed its start instant (a delivery run) stamps what it does later with
    the instant it happens, while a test or a preview still chooses where its time starts.

    >>> now = ticking_from(datetime(2027, 10, 15, 5, tzinfo=UTC))
    >>> now() >= datetime(2027, 10, 15, 5, tzinfo=UTC)
    True
    """
    origin = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - origin)


def as_utc(instant: datetime) -> datetime:
    """A stored instant as an aware UTC datetime: SQLite hands instants back without a zone,
    and they are UTC.

    >>> as_utc(datetime(2027, 3, 14, 23, 30))
    datetime.datetime(2027, 3, 14, 23, 30, tzinfo=datetime.timezone.utc)
    """
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def local_date(instant: datetime, timezone: str) -> date:
    """The local date in ``timezone`` of ``instant`` (a stored instant without a zone is UTC).

    >>> local_date(datetime(2027, 3, 14, 23, 30, tzinfo=UTC), "Europe/Copenhagen")
    datetime.date(2027, 3, 15)
    """
    return as_utc(instant).astimezone(zone(timezone)).date()


@lru_cache(maxsize=32)
def zone(name: str) -> ZoneInfo:
    """The time zone ``name``; an unknown one is a :class:`~aarshjul.errors.ConfigError`.

    >>> zone("Europe/Atlantis")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    aarshjul.errors.ConfigError: time zone: value 'Europe/Atlantis': unknown time zone (...)
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            "unknown time zone",
            reason_da="ukendt tidszone",
            field="time zone",
            value=name,
            hint="use an IANA name such as Europe/Copenhagen",
            hint_da="brug et IANA-navn som Europe/Copenhagen",
        ) from exc


def today_in(timezone: str) -> date:
    """Today's local date in ``timezone`` (e.g. ``Europe/Copenhagen``)."""
    return datetime.now(zone(timezone)).date()


@dataclass(frozen=True)
class Clock:
    """Today and now for one runtime context; ``fixed_today`` previews another day.

    ``timezone`` is the wall clock a previewed day is read on (the organisations' default,
    Europe/Copenhagen): :meth:`now` on a previewed day is that day at the real local time there,
    so an instant stamped while previewing falls on the previewed *local* day, in summer and in
    winter, late in the evening too.
    """

    fixed_today: date | None = None
    timezone: str = "Europe/Copenhagen"

    def today(self, timezone: str) -> date:
        """The (previewed) local date in ``timezone``."""
        return self.fixed_today or today_in(timezone)

    def now(self, timezone: str | None = None) -> datetime:
        """The current instant in UTC; on a previewed day, that day at the real local time in
        ``timezone`` (default: the clock's own)."""
        real = datetime.now(zone(timezone or self.timezone))
        if self.fixed_today is None:
            return real.astimezone(UTC)
        return datetime.combine(self.fixed_today, real.timetz()).astimezone(UTC)

    def is_preview(self, timezone: str) -> bool:
        """True when the clock shows a day other than the real today in ``timezone``."""
        return self.fixed_today is not None and self.fixed_today != today_in(timezone)

    @staticmethod
    def previews(day: date, timezone: str) -> bool:
        """True when ``day`` is not the real today in ``timezone`` (a preview or a replay)."""
        return day != today_in(timezone)
