"""The meeting plan (*mødeplan*): when each committee and the council meet in a year.

A :class:`MeetingSeries` (``kb`` the council, ``oeu`` the Finance Committee, one per standing
committee) has a rule per month or a default rule, months without meetings (July by default) and,
per year, the adopted dates. Adopted dates replace the rule for that whole year: once the council
has adopted next year's *mødeplan*, that is the plan.

Rule forms (English or Danish):

``last thu`` / ``sidste torsdag``, ``2nd tue`` / ``2. tirsdag``
    the nth (1st-4th) or last weekday of each month;
``mon of week before kb`` / ``mandag i ugen før kb``
    a weekday of the week before (``after``/``efter``, ``of``/``i`` = the same week) another
    series' meeting in the same month; months where that series has no meeting have none either.

A rule that lands on a closed day moves to the previous workday, so FU -> ØU -> KB keeps its order.
"""

from __future__ import annotations

import graphlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from aarshjul.calendar.date_math import add_months, nth_weekday, weekday_in_week_of
from aarshjul.calendar.expressions import (
    MeetingRule,
    NthWeekdayRule,
    RelativeRule,
    Selector,
    parse_meeting_rule,
)
from aarshjul.calendar.names import MONTH_NAMES_DA, did_you_mean
from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.errors import CalendarError

SEARCH_YEARS = 2  # how far first/last-meeting queries look past the year of their anchor


class MeetingSeries(BaseModel):
    """One series of meetings, e.g. ``kb`` (*Kommunalbestyrelsen*) on the last Thursday."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    name_da: str
    name_en: str = ""
    rule: str | None = None
    month_rules: dict[int, str] = {}
    skip_months: frozenset[int] = frozenset({7})
    dates: dict[int, tuple[date, ...]] = {}
    agenda: tuple[int, Literal["days", "workdays", "weeks", "months"]] | None = None
    """How long before each meeting its agenda goes out, e.g. ``(5, "workdays")``."""

    @field_validator("rule")
    @classmethod
    def _rule_parses(cls, value: str | None) -> str | None:
        if value is not None:
            parse_meeting_rule(value)
        return value

    @field_validator("month_rules")
    @classmethod
    def _month_rules_parse(cls, value: dict[int, str]) -> dict[int, str]:
        _check_months(value)
        for text in value.values():
            parse_meeting_rule(text)
        return value

    @field_validator("skip_months")
    @classmethod
    def _skip_months_valid(cls, value: frozenset[int]) -> frozenset[int]:
        _check_months(value)
        return value

    @model_validator(mode="after")
    def _dates_in_their_year(self) -> MeetingSeries:
        for year, days in self.dates.items():
            wrong = [day.isoformat() for day in days if day.year != year]
            if wrong:
                raise ValueError(f"møder for {year} ligger i et andet år: {', '.join(wrong)}")
        return self

    def rule_for(self, month: int) -> MeetingRule | None:
        """The parsed rule of ``month`` (``None`` when the series does not meet that month)."""
        if month in self.skip_months:
            return None
        text = self.month_rules.get(month, self.rule)
        return parse_meeting_rule(text) if text else None

    def depends_on(self) -> set[str]:
        """Keys of the series this one is placed relative to."""
        rules = (self.rule_for(month) for month in range(1, 13))
        return {rule.series for rule in rules if isinstance(rule, RelativeRule)}


def _check_months(months: Iterable[int]) -> None:
    bad = sorted(month for month in months if not 1 <= month <= 12)
    if bad:
        raise ValueError(f"måneder skal være 1-12, ikke {bad}")


@dataclass(frozen=True)
class Meeting:
    """One meeting: its date, the date the rule gave, where it came from, and why it moved."""

    series: str
    day: date
    planned: date
    source: Literal["rule", "adopted"]
    shift_reason: str | None = None


class MeetingPlan:
    """All series of an organisation on its work calendar; years are computed on demand.

    >>> plan = MeetingPlan([MeetingSeries(key="kb", name_da="KB", rule="last thu")], WorkCalendar())
    >>> plan.in_month("kb", 2026, 9)
    datetime.date(2026, 9, 24)
    """

    def __init__(self, series: Iterable[MeetingSeries], calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.series = {item.key: item for item in series}
        self._order = _series_order(self.series)
        self._years: dict[int, dict[str, tuple[Meeting, ...]]] = {}

    def get(self, key: str) -> MeetingSeries:
        """The series ``key``; a :class:`CalendarError` suggests near names when unknown."""
        if key in self.series:
            return self.series[key]
        raise CalendarError(f"Ukendt mødeserie {key!r}.{did_you_mean(key, self.series)}")

    def for_year(self, year: int) -> dict[str, tuple[Meeting, ...]]:
        """Every series' meetings in ``year``, in date order."""
        if year not in self._years:
            self._years[year] = self._build_year(year)
        return self._years[year]

    def dates(self, key: str, year: int) -> tuple[date, ...]:
        """The meeting dates of series ``key`` in ``year``."""
        self.get(key)
        return tuple(meeting.day for meeting in self.for_year(year)[key])

    def in_month(self, key: str, year: int, month: int, which: Selector = "first") -> date:
        """The first (or last) meeting of ``key`` in a month; error if there is none."""
        found = [day for day in self.dates(key, year) if day.month == month]
        if not found:
            name = MONTH_NAMES_DA[month - 1]
            raise CalendarError(f"Mødeserien {key!r} har intet møde i {name} {year}.")
        return found[0] if which == "first" else found[-1]

    def agenda_day(self, key: str, meeting: date) -> date | None:
        """When the agenda of ``key``'s meeting on ``meeting`` goes out (a deadline: a closed day
        moves it back), or ``None`` when the series has no ``agenda`` lead."""
        lead = self.get(key).agenda
        if lead is None:
            return None
        amount, unit = lead
        if unit == "workdays":
            return self.calendar.add_workdays(meeting, -amount)
        if unit == "months":
            return self.calendar.roll_back(add_months(meeting, -amount))
        days = amount * (7 if unit == "weeks" else 1)
        return self.calendar.roll_back(meeting - timedelta(days=days))

    def first_after(self, key: str, day: date) -> date:
        """The first meeting of ``key`` strictly after ``day`` (looking into the next years)."""
        for year in range(day.year, day.year + SEARCH_YEARS + 1):
            later = [meeting for meeting in self.dates(key, year) if meeting > day]
            if later:
                return later[0]
        raise CalendarError(f"Mødeserien {key!r} har intet møde efter {day.isoformat()}.")

    def last_before(self, key: str, day: date) -> date:
        """The last meeting of ``key`` strictly before ``day`` (looking into earlier years)."""
        for year in range(day.year, day.year - SEARCH_YEARS - 1, -1):
            earlier = [meeting for meeting in self.dates(key, year) if meeting < day]
            if earlier:
                return earlier[-1]
        raise CalendarError(f"Mødeserien {key!r} har intet møde før {day.isoformat()}.")

    def _build_year(self, year: int) -> dict[str, tuple[Meeting, ...]]:
        built: dict[str, tuple[Meeting, ...]] = {}
        for key in self._order:
            series = self.series[key]
            if year in series.dates:
                built[key] = _adopted(series, year)
            else:
                built[key] = self._from_rules(series, year, built)
        return built

    def _from_rules(
        self, series: MeetingSeries, year: int, built: Mapping[str, tuple[Meeting, ...]]
    ) -> tuple[Meeting, ...]:
        meetings: list[Meeting] = []
        for month in range(1, 13):
            rule = series.rule_for(month)
            for planned in _rule_dates(rule, year, month, built):
                meetings.append(self._on_workday(series.key, planned))
        return tuple(sorted(meetings, key=lambda meeting: meeting.day))

    def _on_workday(self, key: str, planned: date) -> Meeting:
        reason = self.calendar.closed_reason(planned)
        if reason is None:
            return Meeting(key, planned, planned, "rule")
        day = self.calendar.roll_back(planned)
        note = f"{planned.isoformat()} er lukket ({reason}); mødet flyttet til {day.isoformat()}."
        return Meeting(key, day, planned, "rule", note)


def _adopted(series: MeetingSeries, year: int) -> tuple[Meeting, ...]:
    days = sorted(series.dates[year])
    return tuple(Meeting(series.key, day, day, "adopted") for day in days)


def _rule_dates(
    rule: MeetingRule | None, year: int, month: int, built: Mapping[str, tuple[Meeting, ...]]
) -> list[date]:
    if isinstance(rule, NthWeekdayRule):
        return [nth_weekday(year, month, rule.ordinal, rule.weekday)]
    if isinstance(rule, RelativeRule):
        anchors = [m.day for m in built[rule.series] if m.planned.month == month]
        return [weekday_in_week_of(day, rule.weekday, rule.week_offset) for day in anchors]
    return []


def _series_order(series: Mapping[str, MeetingSeries]) -> list[str]:
    # Relative rules need their anchor series first; a loop of them can never be placed.
    graph = {key: item.depends_on() for key, item in series.items()}
    for key, needs in graph.items():
        for missing in sorted(needs - series.keys()):
            hint = did_you_mean(missing, series)
            raise CalendarError(f"Mødeserien {key!r} henviser til ukendt serie {missing!r}.{hint}")
    try:
        return list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        loop = " -> ".join(reversed(exc.args[1]))
        raise CalendarError(f"Mødeserierne henviser til hinanden i ring: {loop}.") from None
