"""When something is said: the digest window, the overdue rhythm and escalation steps.

All of it is working-day arithmetic on the organisation's :class:`WorkCalendar`, done in Python
over a precomputed index so that a national database needs no per-task calendar walk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from aarshjul.calendar.workdays import WorkCalendar

_DAY = timedelta(days=1)
#: How far back a digest looks for missed reminders and kickoffs after the engine was down.
CATCH_UP_DAYS = 31


@dataclass(frozen=True)
class Window:
    """The days a digest for ``today`` covers: reminders and kickoffs in ``(after, until]``.

    ``until`` is the day before the next workday, so a lead time that lands on a weekend or a
    closed day is said on the workday before it.
    """

    today: date
    after: date
    until: date

    def covers(self, day: date) -> bool:
        return self.after < day <= self.until


def digest_window(calendar: WorkCalendar, today: date, last_digest_day: date | None) -> Window:
    """The window for ``today`` given the last day a digest was composed.

    Without an earlier digest the window starts after the previous workday; after an outage it
    reaches back to the last digest (at most :data:`CATCH_UP_DAYS`), so one digest covers what
    was missed instead of a burst of stale ones.

    >>> cal = WorkCalendar()
    >>> w = digest_window(cal, date(2027, 10, 15), None)   # a Friday
    >>> w.after, w.until
    (datetime.date(2027, 10, 14), datetime.date(2027, 10, 17))
    """
    until = calendar.next_workday(today) - _DAY
    if last_digest_day is None or last_digest_day >= today:
        after = calendar.previous_workday(today)
    else:
        after = max(last_digest_day, today - timedelta(days=CATCH_UP_DAYS))
    # A day already covered by the previous window (its weekend tail) is not said again.
    if last_digest_day is not None and last_digest_day < today:
        after = max(after, calendar.next_workday(last_digest_day) - _DAY)
    return Window(today=today, after=after, until=until)


@dataclass
class WorkdayIndex:
    """Workday counts between any two dates in O(1) after a one-off walk over the span.

    >>> idx = WorkdayIndex(WorkCalendar())
    >>> idx.between(date(2027, 10, 11), date(2027, 10, 18))   # Monday to Monday
    5
    """

    calendar: WorkCalendar
    _start: date | None = None
    _counts: list[int] = field(default_factory=list)

    def between(self, start: date, end: date) -> int:
        """Workdays in ``[start, end)``, negative when ``end < start`` (as the calendar's)."""
        self.cover(min(start, end), max(start, end))
        assert self._start is not None
        return self._counts[(end - self._start).days] - self._counts[(start - self._start).days]

    def cover(self, low: date, high: date) -> None:
        """Index the days ``[low, high]`` (once, instead of growing call by call)."""
        if self._start is not None and self._start <= low and high <= self._last():
            return
        start = low if self._start is None else min(low, self._start)
        end = high if self._start is None else max(high, self._last())
        counts, total, day = [0], 0, start
        while day <= end:
            total += self.calendar.is_workday(day)
            counts.append(total)
            day += _DAY
        self._start, self._counts = start, counts

    def _last(self) -> date:
        assert self._start is not None
        return self._start + (len(self._counts) - 2) * _DAY


def relisting_cutoff(calendar: WorkCalendar, today: date, every: int) -> date:
    """The latest listing day after which an overdue task is *not* listed again ``today``.

    >>> relisting_cutoff(WorkCalendar(), date(2027, 10, 15), 2)  # Friday: Wednesday
    datetime.date(2027, 10, 13)
    """
    return calendar.add_workdays(today, -every)


def overdue_is_due_again(last_listed: date | None, cutoff: date) -> bool:
    """An overdue task is listed again when it was not listed in the last ``every`` workdays.

    ``cutoff`` is :func:`relisting_cutoff` for today (computed once per day, not per task).
    Robust to outages: it compares with the day it was last *listed*, not with the due date.

    >>> friday = relisting_cutoff(WorkCalendar(), date(2027, 10, 15), 2)
    >>> overdue_is_due_again(date(2027, 10, 13), friday)  # listed Wednesday
    True
    >>> overdue_is_due_again(date(2027, 10, 14), friday)  # listed Thursday
    False
    >>> overdue_is_due_again(None, friday)  # never listed
    True
    """
    return last_listed is None or last_listed <= cutoff


def escalation_step(workdays_overdue: int, escalate_after: int, max_steps: int = 3) -> int:
    """Step 1 after ``escalate_after`` workdays overdue, step 2 after twice that, …; 0 before.

    Steps stop at ``max_steps``: a task nobody will finish must not escalate every week for the
    rest of the year (the board report keeps listing it).

    >>> escalation_step(4, 5), escalation_step(5, 5), escalation_step(11, 5), escalation_step(40, 5)
    (0, 1, 2, 3)
    """
    return min(workdays_overdue // max(escalate_after, 1), max_steps)
