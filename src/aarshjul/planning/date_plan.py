"""Every date of a template for one year: phases, milestones, task due dates and reminder days.

Dates come from the calendar package: the working-day calendar of the organisation (its holiday
country, time zone and closures, plus the template's ``calendar.closed``), the template's meeting
plan, and :func:`~aarshjul.calendar.resolve.resolve_all` in dependency order. Overrides replace a
named date before anything that depends on it is resolved.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from aarshjul.calendar.date_math import add_months
from aarshjul.calendar.expressions import parse_expression
from aarshjul.calendar.meetings import MeetingPlan, MeetingSeries
from aarshjul.calendar.resolve import (
    Context,
    Definition,
    ResolvedDate,
    ResolveError,
    Role,
    resolve_all,
    resolve_expression,
)
from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.errors import CalendarError, TemplateError
from aarshjul.models import Organisation
from aarshjul.planning.template_checks import PROCESS_START, date_definitions, date_names
from aarshjul.planning.template_schema import TaskSpec, Template, parse_duration


@dataclass
class DatePlan:
    """The resolved dates of one cycle; ``named`` is what rules and expressions read."""

    year: int
    calendar: WorkCalendar
    meetings: MeetingPlan
    resolved: dict[str, ResolvedDate] = field(default_factory=dict)
    overridden: dict[str, date] = field(default_factory=dict)
    task_due: dict[str, date] = field(default_factory=dict)
    reminders: dict[str, tuple[date, ...]] = field(default_factory=dict)

    @property
    def named(self) -> dict[str, date]:
        """Milestone keys and ``phase.start``/``phase.end`` -> the date used."""
        return {name: item.day for name, item in self.resolved.items()} | self.overridden

    def phase(self, key: str) -> tuple[date, date]:
        named = self.named
        return named[f"{key}.start"], named[f"{key}.end"]


def work_calendar(
    organisation: Organisation | None, template: Template | None = None
) -> WorkCalendar:
    """The organisation's calendar plus the template's closed days, if a template is given
    (defaults: DK, Copenhagen)."""
    closures = list(organisation.closures) if organisation else []
    if template is not None:
        closures += [c for c in template.calendar.closed if c not in closures]
    if organisation is None:
        return WorkCalendar(closures=tuple(closures))
    return WorkCalendar(
        country=organisation.holiday_country,
        timezone=organisation.timezone,
        closures=tuple(closures),
    )


def meeting_plan(template: Template, calendar: WorkCalendar) -> MeetingPlan:
    """The template's meeting series on ``calendar``."""
    series = [
        MeetingSeries(
            key=key, name_da=spec.name.da, name_en=spec.name.en, rule=spec.rule,
            month_rules=dict(spec.months), skip_months=frozenset(spec.skip),
            dates={year: tuple(days) for year, days in spec.dates.items()},
            agenda=_agenda_lead(spec.agenda),
        )
        for key, spec in template.meetings.items()
    ]  # fmt: skip
    return MeetingPlan(series, calendar)


def _agenda_lead(text: str | None) -> tuple[int, Any] | None:
    if text is None:
        return None
    amount, unit = parse_duration(text)
    return amount, f"{unit}s"


def resolve_dates(
    template: Template,
    *,
    year: int,
    calendar: WorkCalendar,
    overrides: Mapping[str, date] | None = None,
    start: date | None = None,
    variant: str | None = None,
) -> DatePlan:
    """Resolve every date of ``template`` for ``year``; :class:`TemplateError` lists all problems.

    ``start`` is a process's start day (``process.start`` in expressions); ``variant`` swaps in a
    variant's date expressions; ``overrides`` fix named dates (``hearing.end``) for this year.
    """
    overrides = dict(overrides or {})
    _check_override_names(template, overrides)
    plan = DatePlan(year, calendar, meeting_plan(template, calendar), overridden=overrides)
    known = dict(overrides) | ({PROCESS_START: start} if start else {})
    definitions = _definitions(template, variant, skip=known.keys())
    try:
        plan.resolved = resolve_all(
            definitions, year=year, calendar=calendar, meetings=plan.meetings, known=known
        )
    except ResolveError as exc:
        raise _template_error(
            template, year, [_with_path(template, p) for p in exc.problems]
        ) from exc
    except CalendarError as exc:
        raise _template_error(template, year, [str(exc)]) from exc
    _check_phase_order(template, plan)
    _resolve_tasks(template, plan)
    return plan


def _check_phase_order(template: Template, plan: DatePlan) -> None:
    """A phase must not end before it starts (the table refuses it, with a worse message)."""
    problems = []
    for i, phase in enumerate(template.phases):
        start, end = plan.phase(phase.key)
        if end < start:
            problems.append(
                f"phases[{i}]: phase {phase.key!r} ends {end.isoformat()}, before it starts "
                f"{start.isoformat()}: change its start or end (or the --set given)"
            )
    if problems:
        raise _template_error(template, plan.year, problems)


def _definitions(
    template: Template, variant: str | None, skip: Collection[str]
) -> dict[str, Definition]:
    changed = template.variants[variant].dates if variant else {}
    roles = date_roles(template)
    out = {}
    for name, expression, _path in date_definitions(template):
        if name in skip:
            continue
        out[name] = Definition(changed.get(name, expression), roles[name])
    return out


def date_roles(template: Template) -> dict[str, Role]:
    """How each named date leaves a closed day: a start forward, an end or milestone as its
    ``end_rule``/``date_rule`` says (``back``, a deadline, unless told otherwise)."""
    roles: dict[str, Role] = {}
    for phase in template.phases:
        roles[f"{phase.key}.start"] = "start"
        roles[f"{phase.key}.end"] = cast(Role, phase.end_role)
    for milestone in template.milestones:
        roles[milestone.key] = cast(Role, milestone.date_role)
    return roles


def _check_override_names(template: Template, overrides: Mapping[str, date]) -> None:
    names = date_names(template)
    unknown = [key for key in overrides if key not in names or key == PROCESS_START]
    if unknown:
        known = ", ".join(sorted(n for n in names if n != PROCESS_START))
        raise TemplateError(
            f"cannot override {', '.join(map(repr, unknown))}: known dates are {known}"
        )


def _with_path(template: Template, problem: str) -> str:
    name = problem.split(":", 1)[0].split(" (", 1)[0]
    path = date_names(template).get(name)
    return f"{path}: {problem}" if path else problem


def _template_error(template: Template, year: int, problems: list[str]) -> TemplateError:
    lines = [f"{template.source or template.template}: {p}" for p in problems]
    head = f"{template.source or template.template}: dates for {year} cannot be resolved"
    return TemplateError("\n".join([head, *(f"  {p}" for p in lines)]), problems=lines)


def _resolve_tasks(template: Template, plan: DatePlan) -> None:
    named = plan.named
    problems = []
    for i, task in enumerate(template.tasks):
        values = dict(named) | _aliases(task, named)
        ctx = Context(plan.year, plan.calendar, plan.meetings, values)
        try:
            due = resolve_expression(parse_expression(task.due), ctx, "deadline", task.key).day
        except CalendarError as exc:
            problems.append(f"tasks[{i}].due: value {task.due!r}: {exc}")
            continue
        plan.task_due[task.key] = due
        plan.reminders[task.key] = reminder_days(due, _leads(template, task), plan.calendar)
    if problems:
        raise _template_error(template, plan.year, problems)


def _aliases(task: TaskSpec, named: Mapping[str, date]) -> dict[str, date]:
    out: dict[str, date] = {}
    if task.phase is not None:
        out |= {
            "phase.start": named[f"{task.phase}.start"],
            "phase.end": named[f"{task.phase}.end"],
        }
    if task.milestone is not None:
        out["milestone"] = named[task.milestone]
    return out


def _leads(template: Template, task: TaskSpec) -> list[str]:
    return template.defaults.remind if task.remind is None else task.remind


def reminder_days(due: date, leads: list[str], calendar: WorkCalendar) -> tuple[date, ...]:
    """The days to remind on: ``due`` minus each lead time, on a workday (earlier if closed).

    >>> reminder_days(date(2027, 10, 15), ["2 workdays", "1 week"], WorkCalendar())
    (datetime.date(2027, 10, 8), datetime.date(2027, 10, 13))
    """
    days = set()
    for lead in leads:
        amount, unit = parse_duration(lead)
        if unit == "workday":
            day = calendar.add_workdays(due, -amount)
        elif unit == "month":
            day = calendar.roll_back(add_months(due, -amount))
        else:
            day = calendar.roll_back(due - timedelta(days=amount * (7 if unit == "week" else 1)))
        days.add(day)
    return tuple(sorted(days))
