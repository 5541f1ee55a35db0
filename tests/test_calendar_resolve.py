"""Resolving expressions for a cycle year: every form, shifts by role, dependency order, loops."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest

from aarshjul.calendar.meetings import MeetingPlan, MeetingSeries
from aarshjul.calendar.resolve import (
    Context,
    Definition,
    ResolveError,
    dates_of,
    resolve_all,
    resolve_expression,
)
from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.errors import CalendarError

CAL = WorkCalendar(closures=("optional",))
PLAN = MeetingPlan(
    [
        MeetingSeries(key="kb", name_da="Kommunalbestyrelsen", rule="last thu"),
        MeetingSeries(key="oeu", name_da="Økonomiudvalget", rule="mon of week before kb"),
    ],
    CAL,
)


def _day(text: str, year: int = 2026, **values: date) -> date:
    ctx = Context(year, CAL, PLAN, values)
    return resolve_expression(text, ctx, "deadline").day


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("2027-10-15", 2026, date(2027, 10, 15)),
        ("10-15", 2026, date(2026, 10, 15)),
        ("01-31 next year", 2026, date(2027, 1, 29)),  # Sunday 31 Jan 2027 -> Friday
        ("12-01 previous year", 2026, date(2025, 12, 1)),
        ("2nd tue of sep", 2026, date(2026, 9, 8)),
        ("last thu of jun", 2026, date(2026, 6, 25)),
        ("sidste torsdag i juni", 2026, date(2026, 6, 25)),
        ("mon of week 33", 2026, date(2026, 8, 10)),
        ("mandag i uge 33", 2027, date(2027, 8, 16)),
        ("meeting kb in sep", 2026, date(2026, 9, 24)),
        ("meeting oeu in sep", 2026, date(2026, 9, 14)),
        ("meeting kb in sep - 5 workdays", 2026, date(2026, 9, 17)),
        ("last meeting kb before 10-15", 2026, date(2026, 9, 24)),
        ("first meeting kb after 10-29", 2026, date(2026, 11, 26)),
        ("10-15 + 1 month - 2 days", 2026, date(2026, 11, 13)),
        ("01-31 + 1 month", 2027, date(2027, 2, 26)),  # clamps to Sun 28 Feb, then back to Fri
        ("01-31 + 1 month", 2028, date(2028, 2, 29)),  # leap year
        ("02-29", 2028, date(2028, 2, 29)),
        ("09-01 + 8 weeks", 2026, date(2026, 10, 27)),
    ],
)
def test_forms_resolve_to_real_dates(text: str, year: int, expected: date) -> None:
    assert _day(text, year) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1st thu of oct", date(2026, 10, 1)),
        ("4th thu of oct", date(2026, 10, 22)),
        ("last thu of oct", date(2026, 10, 29)),  # five Thursdays: last is not 4th
        ("4th thu of sep", date(2026, 9, 24)),
        ("last thu of sep", date(2026, 9, 24)),  # four Thursdays: last is 4th
        ("last sun of mar exact", date(2026, 3, 29)),  # the DST switch
        ("fri of week 53 exact", date(2027, 1, 1)),  # week 53 of 2026 ends in 2027
    ],
)
def test_nth_weekday_and_week_edge_cases(text: str, expected: date) -> None:
    assert _day(text) == expected


def test_week_53_only_in_long_years() -> None:
    assert _day("mon of week 53") == date(2026, 12, 28)
    with pytest.raises(CalendarError, match=re.escape("Uge 53 findes ikke i 2027.")):
        _day("mon of week 53", 2027)


def test_29_february_in_a_common_year() -> None:
    with pytest.raises(CalendarError, match=re.escape("02-29 findes ikke i 2027.")):
        _day("02-29", 2027)


def test_deadline_moves_back_start_moves_forward_exact_stays() -> None:
    ctx = Context(2026, CAL)
    deadline = resolve_expression("12-24", ctx, "deadline")
    start = resolve_expression("12-24", ctx, "start")
    exact = resolve_expression("12-24 exact", ctx, "deadline")
    assert (deadline.unshifted, deadline.day) == (date(2026, 12, 24), date(2026, 12, 23))
    assert deadline.shifted
    assert deadline.shift_reason == (
        "2026-12-24 er lukket (Juleaftensdag); fristen flyttes til forrige arbejdsdag 2026-12-23."
    )
    assert start.day == date(2026, 12, 28)
    assert start.shift_reason == (
        "2026-12-24 er lukket (Juleaftensdag); starten flyttes til næste arbejdsdag 2026-12-28."
    )
    assert (exact.day, exact.shift_reason, exact.shifted) == (date(2026, 12, 24), None, False)


def test_easter_shifts() -> None:
    ctx = Context(2027, CAL)
    assert resolve_expression("03-25", ctx, "deadline").day == date(2027, 3, 24)
    assert resolve_expression("03-25", ctx, "start").day == date(2027, 3, 30)


def test_references_and_own_start() -> None:
    ctx = Context(2026, CAL, values={"hearing.start": date(2026, 9, 1)}, own_start=date(2026, 9, 1))
    assert resolve_expression("hearing.start + 8 weeks", ctx).day == date(2026, 10, 27)
    assert resolve_expression("start + 8 weeks", ctx).day == date(2026, 10, 27)
    assert resolve_expression("+ 8 weeks", ctx).day == date(2026, 10, 27)


def test_single_expression_errors() -> None:
    with pytest.raises(CalendarError, match=re.escape("Ukendt reference 'hearng.start'.")):
        _day("hearng.start", **{"hearing.start": date(2026, 9, 1)})
    with pytest.raises(CalendarError, match="'start' kan kun bruges i slutningen af en fase"):
        _day("start + 1 day")
    with pytest.raises(CalendarError, match="ingen mødeplan"):
        resolve_expression("meeting kb in sep", Context(2026, CAL))
    with pytest.raises(CalendarError, match="har intet møde i juli 2026"):
        _day("meeting kb in jul")


def test_resolve_all_in_dependency_order() -> None:
    definitions = {
        "plan_adoption": ("first meeting kb after plan_hearing.end", "deadline"),
        "plan_hearing.end": ("start + 8 weeks", "deadline"),
        "plan_hearing.start": Definition("first meeting kb after 08-01 + 1 day", "start"),
        "budget_1st_reading": ("meeting kb in sep - 2 weeks", "deadline"),
        "budget_2nd_reading": ("budget_1st_reading + 3 weeks", "deadline"),
        "idea.start": ("03-01", "start"),
        "idea.end": ("+ 6 weeks", "deadline"),
    }
    resolved = resolve_all(definitions, year=2026, calendar=CAL, meetings=PLAN)
    days = dates_of(resolved)
    assert days["plan_hearing.start"] == date(2026, 8, 28)
    assert days["plan_hearing.end"] == date(2026, 10, 23)
    assert days["plan_adoption"] == date(2026, 10, 29)
    assert days["budget_1st_reading"] == date(2026, 9, 10)
    assert days["budget_2nd_reading"] == date(2026, 10, 1)
    assert resolved["idea.start"].day == date(2026, 3, 2)  # Sunday 1 March -> Monday
    assert resolved["idea.start"].shift_reason is not None
    assert days["idea.end"] == date(2026, 4, 13)  # 2 Mar + 6 weeks
    assert resolved["idea.end"].expression == "+ 6 weeks"
    assert resolved["idea.end"].role == "deadline"


def test_resolve_all_uses_known_dates() -> None:
    resolved = resolve_all(
        {"x": ("economy_agreement + 5 workdays", "deadline")},
        year=2026,
        calendar=CAL,
        known={"economy_agreement": date(2026, 6, 3)},
    )
    assert resolved["x"].day == date(2026, 6, 11)  # skips Grundlovsdag 5 June


def test_reference_loop_is_named() -> None:
    definitions = {
        "a.end": ("b.start + 1 day", "deadline"),
        "b.start": ("c", "start"),
        "c": ("a.end", "deadline"),
        "fine": ("10-15", "deadline"),
    }
    with pytest.raises(ResolveError) as info:
        resolve_all(definitions, year=2026, calendar=CAL)
    loop = info.value.problems[0]
    assert loop.startswith("Referencerne danner en løkke: ")
    names = loop.removeprefix("Referencerne danner en løkke: ").removesuffix(".").split(" -> ")
    assert names[0] == names[-1]
    assert set(names) == {"a.end", "b.start", "c"}
    # Each arrow reads "needs": a.end needs b.start, b.start needs c, c needs a.end.
    needs = {"a.end": "b.start", "b.start": "c", "c": "a.end"}
    assert all(needs[x] == y for x, y in itertools.pairwise(names))


def test_self_reference_is_a_loop() -> None:
    loops = ("x.end -> x.start -> x.end", "x.start -> x.end -> x.start")
    with pytest.raises(ResolveError, match="|".join(re.escape(loop) for loop in loops)):
        resolve_all(
            {"x.start": ("x.end - 1 week", "start"), "x.end": ("start + 2 weeks", "deadline")},
            year=2026,
            calendar=CAL,
        )


def test_every_problem_is_reported_once() -> None:
    definitions = {
        "hearing.start": ("09-01", "start"),
        "typo": ("hearng.start", "deadline"),
        "no_phase": ("start", "start"),
        "bad": ("2nd foo", "start"),
        "leap": ("02-29", "start"),
        "july": ("meeting kb in jul", "start"),
        "after_july": ("july + 1 day", "start"),
    }
    with pytest.raises(ResolveError) as info:
        resolve_all(definitions, year=2026, calendar=CAL, meetings=PLAN)
    problems = info.value.problems
    assert len(problems) == 5  # after_july only fails because july does
    assert "typo: ukendt reference 'hearng.start'. Mente du 'hearing.start'?" in problems
    assert "no_phase: 'start' kan kun bruges i slutningen af en fase (.end)." in problems
    assert any(p.startswith("bad: Ugyldigt datoudtryk '2nd foo' ved position 4") for p in problems)
    assert "leap (02-29): 02-29 findes ikke i 2026." in problems
    assert "july (meeting kb in jul): Mødeserien 'kb' har intet møde i juli 2026." in problems
    assert str(info.value).startswith("Datoerne kunne ikke beregnes:\n- ")


def test_bad_role() -> None:
    with pytest.raises(CalendarError, match="Ukendt rolle 'due'"):
        resolve_all({"x": ("10-15", "due")}, year=2026, calendar=CAL)  # type: ignore[dict-item]
