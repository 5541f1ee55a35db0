"""Plain date arithmetic on top of pendulum; every function takes and returns ``datetime.date``."""

from __future__ import annotations

from datetime import date, timedelta

import pendulum

from aarshjul.errors import CalendarError


def _plain(day: date) -> date:
    # pendulum.Date is a date subclass; hand out the plain type so equality and repr stay boring.
    return date(day.year, day.month, day.day)


def nth_weekday(year: int, month: int, ordinal: int, weekday: int) -> date:
    """The ``ordinal``-th (1-4, or -1 for last) ``weekday`` (0 = Monday) of a month."""
    first = pendulum.Date(year, month, 1)
    day_of_week = pendulum.WeekDay(weekday)
    if ordinal == -1:
        return _plain(first.last_of("month", day_of_week))
    return _plain(first.nth_of("month", ordinal, day_of_week))


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months; the 31st clamps to the last day (01-31 + 1 month = 02-28)."""
    return _plain(pendulum.Date(day.year, day.month, day.day).add(months=months))


def make_date(year: int, month: int, day: int) -> date:
    """``date(year, month, day)`` with a Danish error (``02-29`` in a common year)."""
    try:
        return date(year, month, day)
    except ValueError:
        raise CalendarError(f"{month:02d}-{day:02d} findes ikke i {year}.") from None


def weekday_in_week_of(day: date, weekday: int, week_offset: int = 0) -> date:
    """The ``weekday`` of the week of ``day``, moved ``week_offset`` weeks (-1: the week before)."""
    monday = day - timedelta(days=day.weekday())
    return monday + timedelta(weeks=week_offset, days=weekday)
