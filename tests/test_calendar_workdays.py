"""The working-day calendar: real Danish holidays, closures, workday arithmetic, weeks, DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.errors import CalendarError

DK = WorkCalendar()
MUNICIPAL = WorkCalendar(closures=("optional",))

EASTER_SUNDAYS = {
    2024: date(2024, 3, 31),
    2025: date(2025, 4, 20),
    2026: date(2026, 4, 5),
    2027: date(2027, 3, 28),
    2028: date(2028, 4, 16),
    2029: date(2029, 4, 1),
    2030: date(2030, 4, 21),
}


def _holidays(calendar: WorkCalendar, year: int) -> dict[date, str]:
    return {closed.day: closed.name_da for closed in calendar.closed_days(year)}


@pytest.mark.parametrize("year", sorted(EASTER_SUNDAYS))
def test_easter_dependent_holidays(year: int) -> None:
    easter = EASTER_SUNDAYS[year]
    found = _holidays(DK, year)
    expected = {
        -3: "Skærtorsdag",
        -2: "Langfredag",
        0: "Påskedag",
        1: "Anden påskedag",
        39: "Kristi himmelfartsdag",
        49: "Pinsedag",
        50: "Anden pinsedag",
    }
    for offset, name in expected.items():
        assert found[easter + timedelta(days=offset)] == name


def test_research_table_dates_for_2025_to_2027() -> None:
    assert _holidays(DK, 2025)[date(2025, 5, 29)] == "Kristi himmelfartsdag"
    assert _holidays(DK, 2026)[date(2026, 5, 25)] == "Anden pinsedag"
    assert _holidays(DK, 2027)[date(2027, 3, 25)] == "Skærtorsdag"


def test_store_bededag_until_2023_only() -> None:
    assert _holidays(DK, 2023)[date(2023, 5, 5)] == "Store bededag"
    for year in range(2024, 2031):
        assert "Store bededag" not in _holidays(DK, year).values()
    assert DK.is_workday(date(2024, 4, 26))  # the 4th Friday after Easter 2024


def test_fixed_holidays_and_no_optional_days_by_default() -> None:
    found = _holidays(DK, 2026)
    assert found[date(2026, 1, 1)] == "Nytårsdag"
    assert found[date(2026, 12, 25)] == "Juledag"
    assert found[date(2026, 12, 26)] == "Anden juledag"
    assert date(2026, 12, 24) not in found
    assert DK.is_workday(date(2026, 6, 5))


def test_optional_closures_use_the_package_names() -> None:
    closed = {c.day: (c.name_da, c.kind) for c in MUNICIPAL.closed_days(2026)}
    assert closed[date(2026, 5, 1)] == ("Arbejdernes kampdag", "optional")
    assert closed[date(2026, 6, 5)] == ("Grundlovsdag", "optional")
    assert closed[date(2026, 12, 24)] == ("Juleaftensdag", "optional")
    assert closed[date(2026, 12, 31)] == ("Nytårsaften", "optional")
    assert closed[date(2026, 12, 25)] == ("Juledag", "holiday")


def test_fixed_and_single_closures() -> None:
    calendar = WorkCalendar(closures=("12-27", "12-24", "2027-05-07"))
    closed = {c.day: (c.name_da, c.kind) for c in calendar.closed_days(2027)}
    assert closed[date(2027, 12, 27)] == ("Lukkedag", "closure")
    assert closed[date(2027, 12, 24)] == ("Juleaftensdag", "optional")  # keeps its name
    assert closed[date(2027, 5, 7)] == ("Lukkedag", "closure")
    assert date(2027, 5, 1) not in closed
    assert date(2026, 5, 7) not in {c.day for c in calendar.closed_days(2026)}


def test_closure_on_29_february_only_in_leap_years() -> None:
    calendar = WorkCalendar(closures=("02-29",))
    assert not calendar.is_workday(date(2028, 2, 29))
    assert all(c.day.month != 2 for c in calendar.closed_days(2027))


def test_weekends_listed_on_request() -> None:
    days = MUNICIPAL.closed_days(2026, weekends=True)
    weekends = [c for c in days if c.kind == "weekend"]
    # 2026 has 52 Saturdays and 52 Sundays; Påskedag, Pinsedag and Anden juledag stay holidays.
    assert len(weekends) == 101
    assert {c.name_da for c in weekends} == {"Lørdag", "Søndag"}
    assert [c.day for c in days] == sorted(c.day for c in days)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("12/27", "Ugyldig lukkedag '12/27'"),
        ("13-01", "13-01 er ikke en dag"),
        ("2027-02-30", "Ugyldig lukkedag '2027-02-30'"),
        ("holidays", "brug 'optional', 'MM-DD'"),
    ],
)
def test_bad_closure_specs(spec: str, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        WorkCalendar(closures=(spec,))


def test_bad_timezone_and_country() -> None:
    with pytest.raises(CalendarError, match="Ukendt tidszone 'Europe/Aarhus'"):
        WorkCalendar(timezone="Europe/Aarhus")
    with pytest.raises(CalendarError, match="Ukendt land 'XX'"):
        WorkCalendar(country="XX")


def test_next_and_previous_workday_are_strict() -> None:
    friday = date(2026, 9, 11)
    assert DK.next_workday(friday) == date(2026, 9, 14)
    assert DK.previous_workday(date(2026, 9, 14)) == friday
    assert DK.roll_forward(friday) == friday
    assert DK.roll_back(date(2026, 9, 13)) == friday


def test_workday_sum_across_easter() -> None:
    # Wed 1 Apr 2026 + 1 workday skips Skærtorsdag, Langfredag, the weekend and 2. påskedag.
    assert DK.add_workdays(date(2026, 4, 1), 1) == date(2026, 4, 7)
    # 30 Mar-12 Apr: Mon-Wed, then Tue-Fri after Easter.
    assert DK.workdays_between(date(2026, 3, 30), date(2026, 4, 13)) == 7
    assert DK.add_workdays(date(2026, 4, 7), -1) == date(2026, 4, 1)


def test_workday_sum_across_christmas_and_new_year() -> None:
    assert MUNICIPAL.add_workdays(date(2026, 12, 23), 1) == date(2026, 12, 28)
    assert MUNICIPAL.add_workdays(date(2026, 12, 30), 1) == date(2027, 1, 4)
    assert MUNICIPAL.workdays_between(date(2026, 12, 21), date(2027, 1, 4)) == 6
    assert DK.workdays_between(date(2026, 12, 21), date(2027, 1, 4)) == 8


def test_add_zero_and_from_a_weekend() -> None:
    saturday = date(2026, 9, 12)
    assert DK.add_workdays(saturday, 0) == saturday
    assert DK.add_workdays(saturday, 1) == date(2026, 9, 14)
    assert DK.add_workdays(saturday, -1) == date(2026, 9, 11)


def test_workdays_between_is_antisymmetric_and_empty_for_equal_dates() -> None:
    a, b = date(2026, 1, 1), date(2026, 12, 31)
    assert DK.workdays_between(a, a) == 0
    assert DK.workdays_between(b, a) == -DK.workdays_between(a, b)
    # [1 Jan, 31 Dec) 2026 has 260 weekdays; 7 holidays fall on one (Easter, Pinse Sunday don't).
    assert DK.workdays_between(a, b) == 253


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (date(2026, 12, 31), (2026, 53)),
        (date(2027, 1, 3), (2026, 53)),
        (date(2027, 1, 4), (2027, 1)),
        (date(2020, 12, 31), (2020, 53)),
        (date(2024, 12, 30), (2025, 1)),
        (date(2028, 2, 29), (2028, 9)),
    ],
)
def test_iso_week(day: date, week: tuple[int, int]) -> None:
    assert DK.iso_week(day) == week


def test_week_53_exists_only_in_long_years() -> None:
    assert DK.weekday_of_week(2026, 53, 0) == date(2026, 12, 28)
    assert DK.weekday_of_week(2026, 53, 4) == date(2027, 1, 1)
    with pytest.raises(CalendarError, match="Uge 53 findes ikke i 2027"):
        DK.weekday_of_week(2027, 53, 0)


def test_dst_weeks_keep_five_workdays_and_local_dates() -> None:
    # DST starts Sun 29 Mar 2026 and ends Sun 25 Oct 2026 in Europe/Copenhagen.
    assert DK.workdays_between(date(2026, 3, 23), date(2026, 3, 30)) == 5
    assert DK.workdays_between(date(2026, 10, 19), date(2026, 10, 26)) == 5
    assert DK.iso_week(date(2026, 3, 29)) == (2026, 13)
    summer = datetime(2026, 3, 29, 22, 30, tzinfo=UTC)  # 00:30 CEST on Monday
    winter = datetime(2026, 3, 28, 22, 30, tzinfo=UTC)  # 23:30 CET on Saturday
    assert DK.local_date(summer) == date(2026, 3, 30)
    assert DK.local_date(winter) == date(2026, 3, 28)
    assert DK.local_date(datetime(2026, 10, 25, 23, 30, tzinfo=UTC)) == date(2026, 10, 26)


def test_local_date_refuses_naive_datetimes() -> None:
    with pytest.raises(CalendarError, match="uden tidszone"):
        DK.local_date(datetime(2026, 1, 1, 12, 0))  # noqa: DTZ001 - the point of the test


def test_leap_years() -> None:
    assert DK.add_workdays(date(2028, 2, 28), 1) == date(2028, 2, 29)
    assert DK.add_workdays(date(2027, 2, 26), 1) == date(2027, 3, 1)
    assert DK.workdays_between(date(2028, 2, 1), date(2028, 3, 1)) == 21


def test_calendar_is_frozen_and_hashable() -> None:
    assert WorkCalendar(closures=("optional",)) == MUNICIPAL
    assert hash(WorkCalendar(closures=("optional",))) == hash(MUNICIPAL)
    with pytest.raises(AttributeError):
        MUNICIPAL.country = "SE"  # type: ignore[misc]


_days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
_counts = st.integers(min_value=-300, max_value=300)


@settings(max_examples=150, deadline=None)
@given(day=_days, count=_counts)
def test_adding_n_then_minus_n_returns_to_a_workday(day: date, count: int) -> None:
    start = MUNICIPAL.roll_forward(day)
    assert MUNICIPAL.add_workdays(MUNICIPAL.add_workdays(start, count), -count) == start


@settings(max_examples=150, deadline=None)
@given(day=_days, count=_counts)
def test_workdays_between_counts_what_add_added(day: date, count: int) -> None:
    start = MUNICIPAL.roll_forward(day)
    assert MUNICIPAL.workdays_between(start, MUNICIPAL.add_workdays(start, count)) == count


@settings(max_examples=100, deadline=None)
@given(day=_days, count=st.integers(min_value=1, max_value=300))
def test_adding_workdays_always_lands_on_a_workday(day: date, count: int) -> None:
    assert MUNICIPAL.is_workday(MUNICIPAL.add_workdays(day, count))
    assert MUNICIPAL.is_workday(MUNICIPAL.add_workdays(day, -count))
