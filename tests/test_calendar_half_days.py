"""Closures that open customary closed days, half days, and the agenda of every council meeting."""

from __future__ import annotations

from datetime import date

import pytest

from aarshjul.calendar.danish_rules import DANISH_RULES, danish_rule
from aarshjul.calendar.meetings import MeetingPlan, MeetingSeries
from aarshjul.calendar.resolve import Context, resolve_expression
from aarshjul.calendar.rules import check_rules
from aarshjul.calendar.workdays import Closure, WorkCalendar
from aarshjul.errors import CalendarError
from aarshjul.planning.date_plan import work_calendar
from aarshjul.planning.template_files import load_builtin_template

HALF_DAYS = ("optional", "half:05-01", "half:06-05", "half:12-31")


def test_an_organisation_opens_the_customary_days_the_template_closes() -> None:
    from aarshjul.models import Organisation

    template = load_builtin_template("helhedsplan")  # closes optional + 12-27
    org = Organisation(key="k", name="K", closures=["open:05-01", "open:12-27"])
    calendar = work_calendar(org, template)
    assert calendar.is_workday(date(2026, 5, 1))  # Friday 1 May, opened
    assert calendar.is_workday(date(2027, 12, 27))  # Monday 27 Dec, opened
    assert not calendar.is_workday(date(2026, 12, 24))  # still closed by 'optional'
    assert not calendar.is_workday(date(2026, 12, 25))  # a holiday stays a holiday


def test_half_days_are_workdays_but_christmas_eve_stays_closed() -> None:
    calendar = WorkCalendar(closures=HALF_DAYS)
    assert calendar.is_workday(date(2026, 12, 31))
    assert calendar.half_day_reason(date(2026, 12, 31)) == "Nytårsaften (halv dag)"
    assert [d.day for d in calendar.half_days(2026)] == [
        date(2026, 5, 1), date(2026, 6, 5), date(2026, 12, 31),
    ]  # fmt: skip
    # a deadline on 24 December is still a closed day and moves back
    ctx = Context(2026, calendar)
    assert resolve_expression("12-24", ctx, "deadline").day == date(2026, 12, 23)
    assert resolve_expression("12-31", ctx, "deadline").day == date(2026, 12, 31)


def test_a_holiday_cannot_be_opened_and_bad_specs_are_named() -> None:
    with pytest.raises(CalendarError, match="helligdag"):
        WorkCalendar(closures=("open:12-25",)).is_workday(date(2026, 12, 25))
    with pytest.raises(CalendarError, match="'shut:05-01'"):
        Closure.parse("shut:05-01")
    assert Closure.parse(date(2027, 5, 7)).year == 2027  # an unquoted YAML date


def test_a_meeting_on_a_half_day_is_flagged() -> None:
    calendar = WorkCalendar(closures=HALF_DAYS)
    adopted = MeetingSeries(
        key="kb", name_da="KB", dates={2026: (date(2026, 12, 17), date(2026, 12, 31))}
    )
    plan = MeetingPlan([adopted], calendar)
    [flag] = check_rules([DANISH_RULES["dk.M4"]], {}, year=2026, calendar=calendar, meetings=plan)
    assert flag.severity == "warning" and "kb@2026-12-31" in flag.dates
    assert "Nytårsaften (halv dag)" in flag.explanation_da
    closed = MeetingPlan([adopted], WorkCalendar(closures=("optional",)))
    no_half = check_rules([DANISH_RULES["dk.M4"]], {}, year=2026, calendar=closed.calendar,
                          meetings=closed)  # fmt: skip
    assert no_half == []


def test_every_council_meeting_gets_its_agenda_four_workdays_before() -> None:
    calendar = WorkCalendar(closures=("optional",))
    rule = DANISH_RULES["dk.M1"]
    # The agenda a week before is 5 workdays ahead, except at Christmas: the last Thursday of
    # December 2026 is Nytårsaften, so KB meets Wed 30 Dec; its agenda on Wed 23 Dec leaves only
    # 23, 28 and 29 December (24-27 are closed).
    weekly = MeetingSeries(key="kb", name_da="KB", rule="last thu", agenda=(7, "days"))
    [christmas] = check_rules(
        [rule], {}, year=2026, calendar=calendar, meetings=MeetingPlan([weekly], calendar)
    )
    assert christmas.dates == {
        "kb@2026-12-30": date(2026, 12, 30), "kb@2026-12-30.agenda": date(2026, 12, 23),
    }  # fmt: skip
    # three days before is too late for every meeting of the year (11 meetings, no July)
    late = MeetingSeries(key="kb", name_da="KB", rule="last thu", agenda=(3, "days"))
    [violation] = check_rules(
        [rule], {}, year=2026, calendar=calendar, meetings=MeetingPlan([late], calendar)
    )
    meetings = [k for k in violation.dates if not k.endswith(".agenda")]
    assert len(meetings) == 11 and violation.severity == "warning"
    assert "kb@2026-01-29" in violation.dates
    # a series without an agenda lead cannot be checked: a template error
    bare = MeetingSeries(key="kb", name_da="KB", rule="last thu")
    with pytest.raises(CalendarError, match="dagsordensfrist"):
        check_rules(
            [rule], {}, year=2026, calendar=calendar, meetings=MeetingPlan([bare], calendar)
        )
    # the old binding to one agenda date still works
    assert danish_rule("dk.M1", first="a", second="b").kind == "min_gap"


def test_calendar_holidays_lists_half_days() -> None:
    import json

    from typer.testing import CliRunner

    from aarshjul.cli import app

    result = CliRunner().invoke(
        app, ["--db", "sqlite://", "calendar", "holidays", "2026", "--closure", "half:12-31",
              "-f", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    kinds = {r["date"]: r["kind"] for r in json.loads(result.stdout)}
    assert kinds["2026-12-31"] == "half_day" and kinds["2026-12-24"] == "optional"
