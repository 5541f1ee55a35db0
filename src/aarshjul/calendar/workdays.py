"""The working-day calendar (*arbejdsdagskalender*): public holidays plus closures.

Holidays come from the ``holidays`` package (``country_holidays("DK", language="da")``), which
already drops *Store bededag* from 2024; nothing here knows when Easter falls. On top of them an
organisation lists its own closures (*lukkedage*):

``"optional"``
    every day of the package's optional category (1 May, Grundlovsdag, 24 and 31 December);
``"MM-DD"``
    the same day every year, e.g. ``"12-27"`` (an optional day, e.g. ``"12-24"``, keeps its name);
``"YYYY-MM-DD"``
    a single date, e.g. ``"2027-05-07"``;
``"open:MM-DD"``, ``"open:YYYY-MM-DD"``
    open a day that ``optional`` or another closure (also a template's) would close, e.g.
    ``"open:05-01"`` for an office that works on 1 May; a public holiday cannot be opened;
``"half:MM-DD"``, ``"half:YYYY-MM-DD"``
    a half day (*halv lukkedag*, open until 12:00), e.g. ``"half:12-31"``: a workday for
    counting and deadlines, but a meeting on it is flagged (rule ``dk.M4``). It also opens a
    day that a closure would close.

Open and half days win over closures whatever the order. Weekends are Saturday and Sunday.
Every date in and out is a plain :class:`datetime.date`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal, NamedTuple

import holidays
import pendulum

from aarshjul.errors import CalendarError

ClosedKind = Literal["weekend", "holiday", "optional", "closure", "half_day"]
ClosureMode = Literal["closed", "open", "half"]

WEEKEND_NAMES_DA = {5: "Lørdag", 6: "Søndag"}
CLOSURE_NAME_DA = "Lukkedag"
HALF_DAY_NAME_DA = "Halv lukkedag"
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
_ONE_DAY = timedelta(days=1)


class ClosedDay(NamedTuple):
    """A day the offices are closed: its date, Danish name and kind."""

    day: date
    name_da: str
    kind: ClosedKind


@dataclass(frozen=True)
class Closure:
    """One parsed closure spec; ``year`` is ``None`` for a day that recurs every year."""

    spec: str
    optional: bool = False
    month: int = 0
    day: int = 0
    year: int | None = None
    mode: ClosureMode = "closed"

    @classmethod
    def parse(cls, spec: str | date) -> Closure:
        """Parse ``"optional"``, ``"MM-DD"``, ``"YYYY-MM-DD"`` (or a date), each optionally
        prefixed ``open:`` or ``half:``; raise :class:`CalendarError` naming the spec."""
        text = spec.isoformat() if isinstance(spec, date) else spec.strip()
        mode: ClosureMode = "closed"
        prefix, sep, rest = text.partition(":")
        if sep and prefix in ("open", "half"):
            mode, text = ("open" if prefix == "open" else "half"), rest.strip()
        if text == "optional" and mode == "closed":
            return cls(spec=text, optional=True)
        if match := _MONTH_DAY.match(text):
            month, day = int(match[1]), int(match[2])
            _check_month_day(str(spec), month, day)
            return cls(spec=str(spec), month=month, day=day, mode=mode)
        try:
            single = date.fromisoformat(text) if len(text) == 10 else None
        except ValueError:
            single = None
        if single is None:
            raise CalendarError(
                f"Ugyldig lukkedag {spec!r}: brug 'optional', 'MM-DD' (fx '12-27'), "
                "'YYYY-MM-DD' (fx '2027-05-07'), 'open:MM-DD' (fx 'open:05-01') "
                "eller 'half:MM-DD' (fx 'half:12-31')."
            )
        return cls(spec=str(spec), month=single.month, day=single.day, year=single.year, mode=mode)

    def day_in(self, year: int) -> date | None:
        """The closed date in ``year``, if any (``None`` for 29 Feb in a common year)."""
        if self.optional or (self.year is not None and self.year != year):
            return None
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None


def _check_month_day(spec: str, month: int, day: int) -> None:
    try:
        date(2024, month, day)  # a leap year, so 02-29 is accepted
    except ValueError:
        message = f"Ugyldig lukkedag {spec!r}: {month:02d}-{day:02d} er ikke en dag."
        raise CalendarError(message) from None


def opened_holiday(closure: Closure, country: str) -> str | None:
    """Why ``closure`` (``open:``/``half:``) cannot be: it opens a public holiday of ``country``.

    A yearly day is refused when it is a holiday every year (``open:12-25``); one that a moveable
    feast falls on in some years (``open:05-01``: Kristi himmelfartsdag in 2008) stays a holiday
    in those years. ``None`` when the closure may stand.
    """
    if closure.mode == "closed" or closure.optional:
        return None
    years = [closure.year] if closure.year is not None else list(range(2000, 2100))
    found = _holidays_on(closure, country, years)
    if not found or len(found) < len(years):
        return None
    day, name = found[0]
    shown = day.isoformat() if closure.year is not None else day.strftime("%m-%d")
    return (
        f"Lukkedag {closure.spec!r}: {shown} er en helligdag ({name}) og kan ikke åbnes / "
        "is a public holiday and cannot be opened"
    )


def _holidays_on(closure: Closure, country: str, years: list[int]) -> list[tuple[date, str]]:
    found = []
    for year in years:
        day = closure.day_in(year)
        name = _package_days(country, "da", year, "public").get(day) if day else None
        if day is not None and name is not None:
            found.append((day, name))
    return found


@lru_cache(maxsize=256)
def _package_days(country: str, language: str, year: int, category: str) -> dict[date, str]:
    # Building a holidays object is slow compared with the lookups; cache one per year and category.
    try:
        found = holidays.country_holidays(
            country, years=year, language=language, categories=(category,)
        )
    except (NotImplementedError, KeyError) as exc:
        raise CalendarError(f"Ukendt land {country!r} eller kategori {category!r}.") from exc
    return {day: str(name) for day, name in found.items()}


@dataclass(frozen=True)
class WorkCalendar:
    """A country's holidays plus closures, in a timezone; every method is pure.

    >>> cal = WorkCalendar(closures=("optional",))
    >>> cal.add_workdays(date(2026, 12, 23), 1)
    datetime.date(2026, 12, 28)
    """

    country: str = "DK"
    language: str = "da"
    timezone: str = "Europe/Copenhagen"
    closures: tuple[str, ...] = ()
    _parsed: tuple[Closure, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            pendulum.timezone(self.timezone)
        except (ValueError, pendulum.tz.exceptions.TimezoneError) as exc:
            raise CalendarError(f"Ukendt tidszone {self.timezone!r}.") from exc
        parsed = tuple(Closure.parse(spec) for spec in self.closures)
        object.__setattr__(self, "_parsed", parsed)
        _package_days(self.country, self.language, 2000, "public")  # fail early on a bad country

    # -- closed days -------------------------------------------------------------------------

    def closed_days(self, year: int, *, weekends: bool = False) -> list[ClosedDay]:
        """Every closed day of ``year`` in date order (weekends only when asked)."""
        days = dict(self._closed_weekdays(year))
        if weekends:
            for day in _days_of(year):
                if day.weekday() >= 5 and day not in days:
                    days[day] = ClosedDay(day, WEEKEND_NAMES_DA[day.weekday()], "weekend")
        return [days[day] for day in sorted(days)]

    def half_days(self, year: int) -> list[ClosedDay]:
        """The half days of ``year`` (open until 12:00) in date order, kind ``"half_day"``."""
        return [
            ClosedDay(day, name, "half_day") for day, name in sorted(_half_map(self, year).items())
        ]

    def half_day_reason(self, day: date) -> str | None:
        """The name of the half day ``day`` (``"Nytårsaften (halv dag)"``), or ``None``."""
        name = _half_map(self, day.year).get(day)
        return f"{name} (halv dag)" if name is not None else None

    def closed_reason(self, day: date) -> str | None:
        """Why ``day`` is closed, in Danish (``"Juleaftensdag"``, ``"Lørdag"``), or ``None``."""
        found = self._closed_weekdays(day.year).get(day)
        if found is not None:
            return found.name_da
        return WEEKEND_NAMES_DA.get(day.weekday())

    def _closed_weekdays(self, year: int) -> dict[date, ClosedDay]:
        return _closed_map(self, year)

    # -- workdays -------------------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        """True on Monday to Friday unless a holiday or closure."""
        return day.weekday() < 5 and day not in self._closed_weekdays(day.year)

    def next_workday(self, day: date) -> date:
        """The first workday strictly after ``day``."""
        return self.roll_forward(day + _ONE_DAY)

    def previous_workday(self, day: date) -> date:
        """The last workday strictly before ``day``."""
        return self.roll_back(day - _ONE_DAY)

    def roll_forward(self, day: date) -> date:
        """``day`` itself if a workday, else the next workday (how a *start* is shifted)."""
        while not self.is_workday(day):
            day += _ONE_DAY
        return day

    def roll_back(self, day: date) -> date:
        """``day`` itself if a workday, else the previous workday (how a *deadline* is shifted)."""
        while not self.is_workday(day):
            day -= _ONE_DAY
        return day

    def add_workdays(self, day: date, count: int) -> date:
        """The ``count``-th workday after ``day`` (before it when negative); ``day`` when 0.

        ``day`` need not be a workday: 1 workday after a Saturday is the Monday.
        """
        step = self.next_workday if count > 0 else self.previous_workday
        for _ in range(abs(count)):
            day = step(day)
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Workdays in ``[start, end)``; ``-workdays_between(end, start)`` when end < start."""
        if end < start:
            return -self.workdays_between(end, start)
        days = (start + offset * _ONE_DAY for offset in range((end - start).days))
        return sum(1 for day in days if self.is_workday(day))

    # -- weeks and time zone ------------------------------------------------------------------

    @staticmethod
    def iso_week(day: date) -> tuple[int, int]:
        """The ISO (year, week) of ``day``: Danes say *uge 53* of 2026 for 2027-01-01."""
        iso = day.isocalendar()
        return iso.year, iso.week

    @staticmethod
    def weekday_of_week(year: int, week: int, weekday: int) -> date:
        """The ``weekday`` (0 = Monday) of ISO week ``week`` of ``year``; error if no such week."""
        try:
            return date.fromisocalendar(year, week, weekday + 1)
        except ValueError:
            raise CalendarError(f"Uge {week} findes ikke i {year}.") from None

    def local_date(self, instant: datetime) -> date:
        """The date of an aware ``instant`` in the calendar's zone (pendulum handles DST)."""
        if instant.tzinfo is None:
            raise CalendarError("Et tidspunkt uden tidszone kan ikke placeres i kalenderen.")
        return pendulum.instance(instant).in_timezone(self.timezone).date()


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + n * _ONE_DAY for n in range((date(year + 1, 1, 1) - first).days)]


@lru_cache(maxsize=512)
def _closed_map(calendar: WorkCalendar, year: int) -> dict[date, ClosedDay]:
    # Holidays, then closures; a closure never renames a holiday that falls on the same day.
    # Open and half days are taken out again, whatever their place in the list.
    public = _package_days(calendar.country, calendar.language, year, "public")
    days = {day: ClosedDay(day, name, "holiday") for day, name in public.items()}
    optional = _optional_days(calendar.country, calendar.language, year)
    for closure in calendar._parsed:
        if closure.mode == "closed":
            for day, name, kind in _closure_days(closure, year, optional):
                days.setdefault(day, ClosedDay(day, name, kind))
    for closure in calendar._parsed:
        opened = closure.day_in(year) if closure.mode != "closed" else None
        if opened is None:
            continue
        if opened in public:
            if closure.year is None and not _every_year(calendar, opened):
                continue  # a moveable feast on a yearly open day this year: the holiday wins
            raise CalendarError(
                f"Lukkedag {closure.spec!r}: {opened.isoformat()} er en helligdag "
                f"({public[opened]}) og kan ikke åbnes."
            )
        days.pop(opened, None)
    return days


def _every_year(calendar: WorkCalendar, day: date) -> bool:
    """True when ``day``'s month and day is a public holiday the year before and after too
    (Juledag), not a moveable feast that falls on it this year (Easter never repeats a date in
    consecutive years)."""
    for year in (day.year - 1, day.year + 1):
        try:
            other = day.replace(year=year)
        except ValueError:  # 29 February
            return False
        if other not in _package_days(calendar.country, calendar.language, year, "public"):
            return False
    return True


@lru_cache(maxsize=512)
def _half_map(calendar: WorkCalendar, year: int) -> dict[date, str]:
    optional = _optional_days(calendar.country, calendar.language, year)
    closed = _closed_map(calendar, year)  # raises for a public holiday
    half = {}
    for closure in calendar._parsed:
        day = closure.day_in(year) if closure.mode == "half" else None
        if day is not None and day not in closed and day.weekday() < 5:
            half[day] = optional.get(day, HALF_DAY_NAME_DA)
    return half


def _optional_days(country: str, language: str, year: int) -> dict[date, str]:
    try:
        return _package_days(country, language, year, "optional")
    except CalendarError:  # a country without optional days
        return {}


def _closure_days(
    closure: Closure, year: int, optional: dict[date, str]
) -> list[tuple[date, str, ClosedKind]]:
    if closure.optional:
        return [(day, name, "optional") for day, name in optional.items()]
    day = closure.day_in(year)
    if day is None:
        return []
    if day in optional:
        return [(day, optional[day], "optional")]
    return [(day, CLOSURE_NAME_DA, "closure")]
