"""``aarshjul calendar``: closed days, date expressions and workday counts.

When the database holds an organisation, its closures and its template's meeting plan are used,
so ``meeting kb in sep`` means the organisation's own council meetings; without a database the
commands work on the plain Danish calendar. Each command parses its options, calls
:mod:`aarshjul.calendar` and prints. Errors are :class:`~aarshjul.errors.CalendarError`; the root
CLI prints them and exits 1.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from enum import StrEnum
from typing import Annotated

import typer

from aarshjul.calendar.meetings import MeetingPlan, MeetingSeries
from aarshjul.calendar.names import WEEKDAY_NAMES_DA, year_problem
from aarshjul.calendar.resolve import Context, ResolvedDate, resolve_expression
from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.clock import today_in
from aarshjul.commands.cli_state import YEAR_RANGE, FormatOption
from aarshjul.commands.output import OutputFormat, console, emit, markup
from aarshjul.errors import CalendarError

DEFAULT_TIMEZONE = "Europe/Copenhagen"

app = typer.Typer(
    name="calendar",
    help="Arbejdsdagskalenderen: lukkedage, datoudtryk og arbejdsdage (the working-day calendar).",
    no_args_is_help=True,
    add_completion=False,
)


class RoleChoice(StrEnum):
    start = "start"
    deadline = "deadline"
    period_end = "period_end"
    exact = "exact"


ClosureOption = Annotated[
    list[str] | None,
    typer.Option(
        "--closure",
        help="An extra closed day: MM-DD or YYYY-MM-DD, or open:/half: MM-DD (repeatable).",
        metavar="DAY",
    ),
]
OptionalDaysOption = Annotated[
    bool,
    typer.Option(
        "--optional/--no-optional",
        help="Close the optional days: 1 May, Grundlovsdag, 24 and 31 December.",
    ),
]


def _calendar(closures: list[str] | None, optional_days: bool) -> WorkCalendar:
    """The organisation's calendar (or the plain Danish one) with the options applied."""
    base = _organisation_setup()
    calendar = base[0] if base else WorkCalendar(timezone=DEFAULT_TIMEZONE)
    specs = [c for c in calendar.closures if c != "optional"] + list(closures or [])
    return replace(calendar, closures=tuple((["optional"] if optional_days else []) + specs))


def _organisation_setup() -> tuple[WorkCalendar, list[MeetingSeries]] | None:
    """The organisation's calendar and its template's meetings, if a database holds one."""
    from sqlalchemy.exc import SQLAlchemyError

    from aarshjul.commands import cli_state as common
    from aarshjul.errors import AarshjulError
    from aarshjul.planning.date_plan import meeting_plan, work_calendar
    from aarshjul.planning.template_store import organisation_template

    try:
        with common.org_session() as (session, org):
            template = organisation_template(session, org)
    except (AarshjulError, SQLAlchemyError):
        return None
    calendar = work_calendar(org, template)
    return calendar, list(meeting_plan(template, calendar).series.values())


def _parse_day(value: str, what: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise CalendarError(f"{what}: {value!r} er ikke en dato (YYYY-MM-DD).") from None
    if (problem := year_problem(day.year)) is not None:
        raise CalendarError(f"{what}: {value!r}: {problem}.")
    return day


@app.command("holidays")
def holidays_command(
    year: Annotated[int, typer.Argument(help="The year, e.g. 2026.", **YEAR_RANGE)],
    fmt: FormatOption = OutputFormat.table,
    closure: ClosureOption = None,
    optional_days: OptionalDaysOption = True,
    weekends: Annotated[bool, typer.Option(help="Also list Saturdays and Sundays.")] = False,
) -> None:
    """List the closed days (and half days) of YEAR with their Danish names and kind.

    Example: aarshjul calendar holidays 2026 --closure 12-27 --format json
    """
    calendar = _calendar(closure, optional_days)
    days = calendar.closed_days(year, weekends=weekends) + calendar.half_days(year)
    records = [
        {
            "date": closed.day.isoformat(),
            "weekday": WEEKDAY_NAMES_DA[closed.day.weekday()],
            "name": closed.name_da,
            "kind": closed.kind,
        }
        for closed in sorted(days, key=lambda closed: closed.day)
    ]
    emit(records, fmt, title=f"Lukkedage {year}")


@app.command("eval")
def eval_command(
    expression: Annotated[str, typer.Argument(help='A date expression, e.g. "2nd tue of sep".')],
    year: Annotated[
        int | None,
        typer.Option("--year", "-y", help="Cycle year (default: this year).", **YEAR_RANGE),
    ] = None,
    role: Annotated[
        RoleChoice,
        typer.Option(
            help="deadline: move back off closed days; start, period_end: forward; exact: keep."
        ),
    ] = RoleChoice.deadline,
    ref: Annotated[
        list[str] | None,
        typer.Option(
            "--ref", help="A known date: NAME=YYYY-MM-DD (repeatable).", metavar="NAME=DAY"
        ),
    ] = None,
    meeting: Annotated[
        list[str] | None,
        typer.Option(
            "--meeting", help='A meeting series: KEY=RULE, e.g. "kb=last thu".', metavar="KEY=RULE"
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    closure: ClosureOption = None,
    optional_days: OptionalDaysOption = True,
) -> None:
    """Evaluate a date EXPRESSION for a cycle year; print the ISO date and any shift.

    Example: aarshjul calendar eval "meeting kb in sep - 5 workdays" -y 2026 --meeting "kb=last thu"
    """
    calendar = _calendar(closure, optional_days)
    cycle_year = year if year is not None else today_in(DEFAULT_TIMEZONE).year
    base = _organisation_setup()
    series = {s.key: s for s in (base[1] if base else [])}
    series |= {s.key: s for s in _meeting_series(meeting or [])}
    plan = MeetingPlan(series.values(), calendar)
    ctx = Context(cycle_year, calendar, plan, _known_dates(ref or []))
    resolved = resolve_expression(expression, ctx, role.value, name="eval")
    _print_resolved(resolved, cycle_year, fmt)


def _known_dates(pairs: list[str]) -> dict[str, date]:
    known: dict[str, date] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CalendarError(f"--ref: {pair!r} skal have formen NAVN=YYYY-MM-DD.")
        known[name.strip()] = _parse_day(value.strip(), f"--ref {name.strip()}")
    return known


def _meeting_series(pairs: list[str]) -> list[MeetingSeries]:
    series = []
    for pair in pairs:
        key, sep, rule = pair.partition("=")
        if not sep or not key.strip():
            raise CalendarError(f"--meeting: {pair!r} skal have formen NØGLE=REGEL.")
        series.append(MeetingSeries(key=key.strip(), name_da=key.strip(), rule=rule.strip()))
    return series


def _print_resolved(resolved: ResolvedDate, year: int, fmt: OutputFormat) -> None:
    record = {
        "expression": resolved.expression,
        "year": year,
        "role": resolved.role,
        "unshifted": resolved.unshifted.isoformat(),
        "date": resolved.day.isoformat(),
        "shift": resolved.shift_reason,
    }
    if fmt != OutputFormat.table:
        emit([record], fmt)
        return
    console().print(resolved.day.isoformat())
    if resolved.shift_reason:
        console().print(f"flyttet: {markup(resolved.shift_reason)}")


@app.command("workdays")
def workdays_command(
    start: Annotated[str, typer.Argument(metavar="FROM", help="First day (counted), YYYY-MM-DD.")],
    end: Annotated[str, typer.Argument(metavar="TO", help="Last day (not counted), YYYY-MM-DD.")],
    fmt: FormatOption = OutputFormat.table,
    closure: ClosureOption = None,
    optional_days: OptionalDaysOption = True,
) -> None:
    """Count the workdays from FROM (inclusive) to TO (exclusive); negative if TO is earlier.

    Example: aarshjul calendar workdays 2026-12-21 2027-01-04
    """
    calendar = _calendar(closure, optional_days)
    first, last = _parse_day(start, "FROM"), _parse_day(end, "TO")
    count = calendar.workdays_between(first, last)
    if fmt == OutputFormat.table:
        console().print(str(count))
        return
    emit([{"from": first.isoformat(), "to": last.isoformat(), "workdays": count}], fmt)


__all__ = ["app"]
