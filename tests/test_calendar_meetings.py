"""The meeting plan: rules per month, skipped months, relative series, adopted dates, queries."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pydantic import ValidationError

from aarshjul.calendar.expressions import ExpressionError
from aarshjul.calendar.meetings import MeetingPlan, MeetingSeries
from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.errors import CalendarError

CAL = WorkCalendar(closures=("optional",))
KB = MeetingSeries(key="kb", name_da="Kommunalbestyrelsen", name_en="Council", rule="last thu")
OEU = MeetingSeries(key="oeu", name_da="Økonomiudvalget", rule="mon of week before kb")


@pytest.fixture
def plan() -> MeetingPlan:
    return MeetingPlan([OEU, KB], CAL)


def test_last_thursday_every_month_but_july(plan: MeetingPlan) -> None:
    dates = plan.dates("kb", 2026)
    assert len(dates) == 11
    assert all(day.month != 7 for day in dates)
    assert dates[0] == date(2026, 1, 29)
    assert date(2026, 9, 24) in dates
    assert date(2026, 12, 31) not in dates  # Nytårsaften is closed: moved to Wednesday
    assert date(2026, 12, 30) in dates


def test_closed_rule_date_moves_back_and_says_why(plan: MeetingPlan) -> None:
    march = next(m for m in plan.for_year(2027)["kb"] if m.planned.month == 3)
    assert march.planned == date(2027, 3, 25)  # Skærtorsdag is the last Thursday of March 2027
    assert march.day == date(2027, 3, 24)
    assert march.source == "rule"
    assert march.shift_reason == (
        "2027-03-25 er lukket (Skærtorsdag); mødet flyttet til 2027-03-24."
    )


def test_relative_series_meets_the_week_before(plan: MeetingPlan) -> None:
    assert plan.in_month("oeu", 2026, 9) == date(2026, 9, 14)
    for oeu, kb in zip(plan.dates("oeu", 2026), plan.dates("kb", 2026), strict=True):
        assert oeu.weekday() == 0 or oeu < kb
        assert 4 <= (kb - oeu).days <= 12


def test_relative_series_on_a_holiday_monday(plan: MeetingPlan) -> None:
    may = next(m for m in plan.for_year(2027)["oeu"] if m.planned.month == 5)
    assert may.planned == date(2027, 5, 17)  # Anden pinsedag
    assert may.day == date(2027, 5, 14)


def test_month_rules_and_skip_months() -> None:
    series = MeetingSeries(
        key="bu",
        name_da="Børne- og Ungeudvalget",
        rule="1st tue",
        month_rules={6: "2nd wed"},
        skip_months=frozenset({7, 8}),
    )
    dates = MeetingPlan([series], CAL).dates("bu", 2026)
    assert date(2026, 6, 10) in dates
    assert not [day for day in dates if day.month in (7, 8)]
    assert date(2026, 9, 1) in dates


def test_adopted_dates_replace_the_rule_for_that_year() -> None:
    adopted = (date(2027, 1, 28), date(2027, 9, 9), date(2027, 10, 7))
    kb = KB.model_copy(update={"dates": {2027: adopted}})
    plan = MeetingPlan([kb], CAL)
    assert plan.dates("kb", 2027) == adopted
    assert {m.source for m in plan.for_year(2027)["kb"]} == {"adopted"}
    assert len(plan.dates("kb", 2026)) == 11  # other years still follow the rule


def test_month_queries(plan: MeetingPlan) -> None:
    kb = KB.model_copy(update={"dates": {2026: (date(2026, 9, 3), date(2026, 9, 24))}})
    busy = MeetingPlan([kb], CAL)
    assert busy.in_month("kb", 2026, 9) == date(2026, 9, 3)
    assert busy.in_month("kb", 2026, 9, "last") == date(2026, 9, 24)
    with pytest.raises(
        CalendarError, match=re.escape("Mødeserien 'kb' har intet møde i juli 2026.")
    ):
        plan.in_month("kb", 2026, 7)


def test_first_after_and_last_before_are_strict_and_cross_years(plan: MeetingPlan) -> None:
    assert plan.first_after("kb", date(2026, 9, 24)) == date(2026, 10, 29)
    assert plan.first_after("kb", date(2026, 12, 30)) == date(2027, 1, 28)
    assert plan.last_before("kb", date(2026, 9, 24)) == date(2026, 8, 27)
    # The last Thursday of 2025 is Juledag, and 24 December is closed too.
    assert plan.last_before("kb", date(2026, 1, 29)) == date(2025, 12, 23)


def test_no_meeting_found() -> None:
    empty = MeetingPlan([MeetingSeries(key="x", name_da="X")], CAL)
    with pytest.raises(
        CalendarError, match=re.escape("Mødeserien 'x' har intet møde efter 2026-01-01.")
    ):
        empty.first_after("x", date(2026, 1, 1))
    with pytest.raises(
        CalendarError, match=re.escape("Mødeserien 'x' har intet møde før 2026-01-01.")
    ):
        empty.last_before("x", date(2026, 1, 1))


def test_unknown_series_suggests_near_names(plan: MeetingPlan) -> None:
    with pytest.raises(CalendarError, match=re.escape("Ukendt mødeserie 'oue'. Mente du 'oeu'?")):
        plan.dates("oue", 2026)


def test_relative_rule_to_unknown_series() -> None:
    lost = MeetingSeries(key="oeu", name_da="ØU", rule="mon of week before kbb")
    with pytest.raises(
        CalendarError, match=re.escape("henviser til ukendt serie 'kbb'. Mente du 'kb'?")
    ):
        MeetingPlan([lost, KB], CAL)


def test_relative_rules_in_a_ring() -> None:
    a = MeetingSeries(key="a", name_da="A", rule="mon of week before b")
    b = MeetingSeries(key="b", name_da="B", rule="tue of week after a")
    with pytest.raises(CalendarError, match=r"i ring: (a -> b -> a|b -> a -> b)\."):
        MeetingPlan([a, b], CAL)


def test_bad_rules_and_months_are_refused() -> None:
    with pytest.raises(ExpressionError, match="forventede en ugedag"):
        MeetingSeries(key="kb", name_da="KB", rule="last thursdai")
    with pytest.raises(ExpressionError):
        MeetingSeries(key="kb", name_da="KB", month_rules={9: "5th thu"})
    with pytest.raises(ValidationError, match="måneder skal være 1-12"):
        MeetingSeries(key="kb", name_da="KB", skip_months=frozenset({13}))
    with pytest.raises(ValidationError, match="ligger i et andet år: 2027-01-28"):
        MeetingSeries(key="kb", name_da="KB", dates={2026: (date(2027, 1, 28),)})


def test_series_from_yaml_like_data() -> None:
    series = MeetingSeries.model_validate(
        {"key": "kb", "name_da": "KB", "rule": "sidste torsdag", "dates": {2028: ["2028-01-27"]}}
    )
    assert series.dates == {2028: (date(2028, 1, 27),)}
    assert MeetingPlan([series], CAL).dates("kb", 2028) == (date(2028, 1, 27),)
