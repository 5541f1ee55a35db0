"""The default template's dates, hand-checked for 2027, and every statutory rule for 2026-2028."""

from __future__ import annotations

from datetime import date

import pytest

from aarshjul.calendar.rules import check_rules
from aarshjul.planning.date_plan import DatePlan, resolve_dates, work_calendar
from aarshjul.planning.template_files import load_builtin_template
from aarshjul.planning.template_rules import rule_specs


def _dates(year: int) -> DatePlan:
    template = load_builtin_template("helhedsplan")
    return resolve_dates(template, year=year, calendar=work_calendar(None, template))


def test_default_template_2027_hand_checked() -> None:
    named = _dates(2027).named
    # 1 Feb 2027 is a Monday and February has 28 days, so 1 March 2027 is the 1st Monday of March;
    # the idea phase runs six weeks to Monday 12 April.
    assert (named["idea.start"], named["idea.end"]) == (date(2027, 3, 1), date(2027, 4, 12))
    # Easter Sunday 2027 is 28 March: the last Friday of March (26th, Good Friday) and Maundy
    # Thursday (25th) are holidays, so the status phase's deadline rolls back to Wednesday 24 March.
    assert named["goal_status.end"] == date(2027, 3, 24)
    # 31 August 2027 is a Tuesday, so the council's last Thursday in August is the 26th; the
    # hearing starts 7 days later (Thu 2 Sep) and lasts exactly 8 weeks (Thu 28 Oct).
    assert named["plan_to_hearing"] == date(2027, 8, 26)
    assert (named["plan_hearing.start"], named["plan_hearing.end"]) == (
        date(2027, 9, 2),
        date(2027, 10, 28),
    )
    # Budget readings on the 2nd Thursday: 1 Sep 2027 is a Wednesday -> 9 Sep; 1 Oct is a Friday -> 14 Oct.
    assert named["budget_1st_reading"] == date(2027, 9, 9)
    assert named["budget_2nd_reading"] == date(2027, 10, 14)
    # ØU meets on the Wednesday of the week before the council: week 35 -> Wed 1 Sep (by 15 Sep).
    assert named["budget_proposal_to_kb"] == date(2027, 9, 1)
    # Adoption: the first council meeting after the hearing: last Thursday of November = 25 Nov.
    assert named["plan_adoption"] == date(2027, 11, 25)
    # Accounts to the auditors at the April council meeting: last Thursday of April = 29 April.
    assert named["accounts_to_auditors"] == date(2027, 4, 29)


def test_task_due_dates_and_reminders_2027() -> None:
    plan = _dates(2027)
    # goal_status is due 5 workdays before 24 March: 23, 22, 19, 18, 17 -> Wednesday 17 March.
    assert plan.task_due["goal_status"] == date(2027, 3, 17)
    # reminders 10 and 2 workdays earlier: 3 March and 15 March.
    assert plan.reminders["goal_status"] == (date(2027, 3, 3), date(2027, 3, 15))
    # budget remarks: 10 workdays before ØU's meeting on 1 Sep -> Wednesday 18 August.
    assert plan.task_due["budget_remarks"] == date(2027, 8, 18)


@pytest.mark.parametrize("year", [2026, 2027, 2028])
def test_default_template_passes_every_statutory_rule(year: int) -> None:
    template = load_builtin_template("helhedsplan")
    plan = _dates(year)
    violations = check_rules(
        rule_specs(template), plan.named, year=year, calendar=plan.calendar, meetings=plan.meetings
    )
    assert violations == []
    ids = {spec.id for spec in rule_specs(template)}
    assert {"dk.A1", "dk.A2", "dk.A3", "dk.B1", "dk.B2", "dk.B3", "dk.P3", "dk.P8", "dk.M1"} <= ids
