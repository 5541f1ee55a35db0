"""Periods other people have (a hearing, an appeal window, the idea phase) never shrink.

The end of such a period rolls *forward* off a closed day; a deadline before a meeting rolls back.
Checked for every start day of an addendum in 2026-2030 and both variants, and through the CLI.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aarshjul.calendar.election import ElectionCycle
from aarshjul.calendar.resolve import Context, resolve_expression
from aarshjul.calendar.rules import Violation, check_rules
from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.cli import app
from aarshjul.errors import TemplateError
from aarshjul.planning.date_plan import DatePlan, resolve_dates, work_calendar
from aarshjul.planning.template_files import BUILTIN, load_builtin_template, load_template
from aarshjul.planning.template_rules import rule_specs
from aarshjul.planning.term_years import template_for_year

TILLAEG = load_builtin_template("tillaeg")
CALENDAR = work_calendar(None, TILLAEG)
LEGAL_WEEKS = {None: 8, "minor": 4}


def _process(start: date, variant: str | None) -> tuple[DatePlan, list[Violation]]:
    plan = resolve_dates(TILLAEG, year=start.year, calendar=CALENDAR, start=start, variant=variant)
    violations = check_rules(
        rule_specs(TILLAEG, variant), plan.named, year=start.year, calendar=CALENDAR,
        meetings=plan.meetings,
    )  # fmt: skip
    return plan, violations


def test_every_start_day_2026_to_2030_keeps_the_legal_periods() -> None:
    day, refused, checked = date(2026, 1, 1), [], 0
    while day <= date(2030, 12, 31):
        for variant, weeks in LEGAL_WEEKS.items():
            plan, violations = _process(day, variant)
            start, end = plan.phase("hearing")
            assert end - start >= timedelta(weeks=weeks), (day, variant, start, end)
            assert CALENDAR.is_workday(end), (day, variant, end)
            appeal_start, appeal_end = plan.phase("publication")
            assert appeal_start == plan.named["published"]  # the window runs from publication
            assert appeal_end - appeal_start >= timedelta(weeks=4), (day, variant)
            assert CALENDAR.is_workday(appeal_end), (day, variant, appeal_end)
            refused += [(day, variant, v.rule_id) for v in violations if v.blocking]
            checked += 1
        day += timedelta(days=1)
    assert checked == 3652 and refused == []


def test_the_audited_cases_hand_checked() -> None:
    # 15 Sep 2026: the first KB meeting after 13 Oct is 29 Oct, so the hearing starts 5 Nov and
    # 8 weeks end on Thu 31 Dec (Nytårsaften, closed). It used to move back to 30 Dec (55 days)
    # and the addendum was refused; now it runs to Mon 4 Jan 2027 (1 Jan is a holiday), with a
    # notice that it runs over Christmas.
    plan, violations = _process(date(2026, 9, 15), None)
    assert plan.phase("hearing") == (date(2026, 11, 5), date(2027, 1, 4))
    assert [(v.rule_id, v.blocking) for v in violations] == [("dk.P7", False)]


def test_appeal_window_and_idea_phase_of_the_annual_wheel() -> None:
    template = load_builtin_template("helhedsplan")
    for year in range(2026, 2031):
        plan = resolve_dates(template, year=year, calendar=work_calendar(None, template))
        start, end = plan.phase("publication")
        assert start == plan.named["plan_published"] and end - start >= timedelta(weeks=4)
        idea_start, idea_end = plan.phase("idea")
        assert idea_end - idea_start >= timedelta(weeks=6)
    # 2026: published Thu 3 Dec; 4 weeks is Thu 31 Dec (Nytårsaften, closed) and 1 Jan is a holiday,
    # so the window runs to Monday 4 January 2027 (it used to end 23 December: 19 days).
    plan_2026 = resolve_dates(template, year=2026, calendar=work_calendar(None, template))
    assert plan_2026.phase("publication") == (date(2026, 12, 3), date(2027, 1, 4))
    # 2028: 6 March + 6 weeks is Easter Monday 17 April; the idea phase runs to Tuesday 18 April
    # (it used to end Wednesday 12 April: 37 days).
    plan_2028 = resolve_dates(template, year=2028, calendar=work_calendar(None, template))
    assert plan_2028.phase("idea") == (date(2028, 3, 6), date(2028, 4, 18))


def test_a_period_end_moves_forward_and_says_why() -> None:
    ctx = Context(2026, WorkCalendar(closures=("optional",)))
    moved = resolve_expression("12-31", ctx, "period_end")
    assert moved.day == date(2027, 1, 4)
    assert moved.shift_reason is not None and "næste arbejdsdag 2027-01-04" in moved.shift_reason
    assert resolve_expression("12-31", ctx, "deadline").day == date(2026, 12, 30)
    assert resolve_expression("12-31", ctx, "exact").day == date(2026, 12, 31)


def test_a_phase_with_a_minimum_length_must_say_its_end_rule(tmp_path: Path) -> None:
    text = (Path(str(_builtin("tillaeg")))).read_text(encoding="utf-8")
    path = tmp_path / "t.yaml"
    path.write_text(text.replace("    end_rule: forward ", "    # end_rule: forward ", 1), "utf-8")
    with pytest.raises(TemplateError) as info:
        load_template(path)
    assert "phases[1].end_rule" in str(info.value) and "'end_rule: forward'" in str(info.value)


def test_minor_change_rule_says_four_weeks() -> None:
    [p4] = [s for s in rule_specs(TILLAEG, "minor") if s.id == "dk.P4"]
    assert "mindst 4 uger" in p4.explanation_da and "8 uger" not in p4.explanation_da
    assert "dk.P3" not in {s.id for s in rule_specs(TILLAEG, "minor")}
    assert "§ 24, stk. 4" in p4.source


def test_hearing_in_july_or_over_christmas_is_a_notice() -> None:
    # Started 20 May 2027 (minor): KB 24 Jun sends it to hearing 1-29 July: all in July.
    _, violations = _process(date(2027, 5, 20), "minor")
    [july] = [v for v in violations if v.rule_id == "dk.P7"]
    assert july.severity == "warning" and not july.blocking and "i juli" in july.explanation_da
    # Started 1 Oct 2026: hearing 3 Dec 2026 - 28 Jan 2027, over Christmas and New Year.
    _, violations = _process(date(2026, 10, 1), None)
    [christmas] = [v for v in violations if v.rule_id == "dk.P7"]
    assert "jul og nytår" in christmas.explanation_da
    # A normal autumn hearing is no notice.
    _, violations = _process(date(2027, 3, 1), None)
    assert [v.rule_id for v in violations] == []


def test_plan_2026_to_2030_passes_every_shipped_rule_including_p1() -> None:
    base = load_builtin_template("helhedsplan")
    seen: set[str] = set()
    for year in range(2026, 2031):
        template = template_for_year(base, year, ElectionCycle())
        plan = resolve_dates(template, year=year, calendar=work_calendar(None, template))
        specs = rule_specs(template)
        violations = check_rules(
            specs, plan.named, year=year, calendar=plan.calendar, meetings=plan.meetings
        )
        assert violations == [], (year, violations)
        seen |= {spec.id for spec in specs}
        assert ("strategy_published" in plan.named) == (year == 2027)  # term year 2 only
        assert ("constituting_meeting" in plan.named) == (year == 2029)  # the election year
        if year == 2029:
            assert plan.named["municipal_election"] == date(2029, 11, 20)
    assert seen >= {"dk.P1", "dk.P2", "dk.P12", "dk.P7", "dk.E1", "dk.A4", "dk.M1", "dk.M4"}


def _builtin(key: str) -> object:
    from importlib.resources import files

    return files(BUILTIN).joinpath(f"{key}.yaml")


def _run(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", url, *args])
    return result.exit_code, result.stdout, result.stderr


def test_start_is_no_longer_refused_and_takes_set_and_waive(sqlite_url: str) -> None:
    assert _run(sqlite_url, "init", "--sample")[0] == 0
    code, out, err = _run(
        sqlite_url, "start", "tillaeg", "--title", "Tillæg 9", "--start", "2026-09-15", "--dry-run"
    )
    assert code == 0, err
    assert "Prøvekørsel" in out
    args = ["start", "tillaeg", "--title", "Tillæg 10", "--start", "2027-03-01"]
    code, _, err = _run(sqlite_url, *args, "--set", "hearing.end=2027-06-01", "--reason", "Kort")
    assert code == 1 and "dk.P3" in err and "--set" in err and "--waive" in err
    code, out, err = _run(
        sqlite_url, *args, "--set", "hearing.end=2027-06-01", "--waive", "dk.P3",
        "--reason", "Ekstraordinær sag", "-f", "json",
    )  # fmt: skip
    assert code == 0, err
    [record] = json.loads(out)
    assert record["notices"] and "dk.P3" in record["notices"][0] and "Ekstraordinær" in out
    code, _, err = _run(sqlite_url, *args, "--waive", "dk.P3")
    assert code == 1 and "--reason" in err


def test_term_bound_dates_are_only_used_in_their_term_years(tmp_path: Path) -> None:
    text = Path(str(_builtin("helhedsplan"))).read_text(encoding="utf-8")
    broken = text.replace(
        "    due: milestone\n    depends_on: [strategy_responses]\n    term_years: [2]",
        "    due: milestone\n    depends_on: [strategy_responses]",
    )
    assert broken != text
    path = tmp_path / "h.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        load_template(path)
    message = str(info.value)
    assert "uses 'strategy_published'" in message and "give it the same term_years" in message
    assert "depends_on[0]" in message
