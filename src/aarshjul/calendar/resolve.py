"""Evaluate date expressions for a cycle year: one at a time, or a whole set in dependency order.

A date has a *role* (its end rule) that says how it leaves a closed day:

``"deadline"``
    our own deadline (a due date, a milestone, an internal phase's end, a deadline *before* a
    meeting): moves back to the previous workday, so the work is done in time;
``"period_end"``
    the last day of a period other people have (a public hearing, an appeal window, the idea
    phase): moves forward to the next workday, so the period is never shorter than its length;
``"start"``
    the first day of a phase: moves forward to the next workday;
``"exact"``
    never moved (as is any expression ending in ``exact``).

Every move is recorded in :attr:`ResolvedDate.shift_reason`.

>>> cal = WorkCalendar(closures=("optional",))
>>> resolved = resolve_all(
...     {"hearing.start": ("09-01", "start"), "hearing.end": ("start + 8 weeks", "deadline")},
...     year=2026, calendar=cal)
>>> resolved["hearing.end"].day
datetime.date(2026, 10, 27)
"""

from __future__ import annotations

import graphlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from aarshjul.calendar.date_math import add_months, make_date, nth_weekday
from aarshjul.calendar.expressions import (
    AbsoluteDate,
    Base,
    Expr,
    MeetingInMonth,
    MeetingNear,
    MonthDay,
    NthWeekday,
    Offset,
    OwnStart,
    Reference,
    WeekdayOfWeek,
    parse_expression,
)
from aarshjul.calendar.meetings import MeetingPlan
from aarshjul.calendar.names import did_you_mean
from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.errors import CalendarError

Role = Literal["start", "deadline", "period_end", "exact"]
ROLES: tuple[Role, ...] = ("start", "deadline", "period_end", "exact")


class ResolveError(CalendarError):
    """One or more named dates could not be resolved; ``problems`` has one line per date."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Datoerne kunne ikke beregnes:\n" + "\n".join(f"- {p}" for p in problems))


@dataclass(frozen=True)
class Definition:
    """A named date to resolve: its expression text and role."""

    expression: str
    role: Role = "deadline"


@dataclass(frozen=True)
class ResolvedDate:
    """A resolved date: ``unshifted`` is what the expression said, ``day`` the date to use."""

    name: str
    expression: str
    role: Role
    unshifted: date
    day: date
    shift_reason: str | None = None

    @property
    def shifted(self) -> bool:
        """True when a closed day moved the date."""
        return self.day != self.unshifted


@dataclass(frozen=True)
class Context:
    """What an expression may use: the year, the calendar, the meetings and known dates."""

    year: int
    calendar: WorkCalendar
    meetings: MeetingPlan | None = None
    values: Mapping[str, date] = field(default_factory=dict)
    own_start: date | None = None


# -- one expression --------------------------------------------------------------------------------


def evaluate(node: Expr | Base, ctx: Context) -> date:
    """The date an expression names, before any shift for closed days."""
    match node:
        case Expr():
            return _apply_offsets(evaluate(node.base, ctx), node.offsets, ctx.calendar)
        case AbsoluteDate():
            return node.day
        case MonthDay():
            return make_date(ctx.year + node.year_offset, node.month, node.day)
        case NthWeekday():
            year = ctx.year + node.year_offset
            return nth_weekday(year, node.month, node.ordinal, node.weekday)
        case WeekdayOfWeek():
            return ctx.calendar.weekday_of_week(
                ctx.year + node.year_offset, node.week, node.weekday
            )
        case Reference():
            return _lookup(node.name, ctx.values)
        case OwnStart():
            return _own_start(ctx)
        case MeetingInMonth():
            year = ctx.year + node.year_offset
            return _plan(ctx).in_month(node.series, year, node.month, node.which)
        case MeetingNear():
            anchor = evaluate(node.anchor, ctx)
            if node.direction == "after":
                return _plan(ctx).first_after(node.series, anchor)
            return _plan(ctx).last_before(node.series, anchor)
    raise AssertionError(f"unknown expression node {node!r}")  # pragma: no cover


def _apply_offsets(day: date, offsets: tuple[Offset, ...], calendar: WorkCalendar) -> date:
    for offset in offsets:
        if offset.unit == "workday":
            day = calendar.add_workdays(day, offset.amount)
        elif offset.unit == "month":
            day = add_months(day, offset.amount)
        else:
            day += timedelta(days=offset.amount * (7 if offset.unit == "week" else 1))
    return day


def _lookup(name: str, values: Mapping[str, date]) -> date:
    if name in values:
        return values[name]
    raise CalendarError(f"Ukendt reference {name!r}.{did_you_mean(name, values)}")


def _own_start(ctx: Context) -> date:
    if ctx.own_start is None:
        raise CalendarError("'start' kan kun bruges i slutningen af en fase (<fase>.end).")
    return ctx.own_start


def _plan(ctx: Context) -> MeetingPlan:
    if ctx.meetings is None:
        raise CalendarError("Udtrykket bruger et møde, men der er ingen mødeplan.")
    return ctx.meetings


def shift(day: date, role: Role, calendar: WorkCalendar) -> tuple[date, str | None]:
    """Move ``day`` off a closed day as its role says; return the date and why it moved."""
    reason = calendar.closed_reason(day)
    if reason is None or role == "exact":
        return day, None
    if role == "start":
        moved = calendar.roll_forward(day)
        return moved, f"{day} er lukket ({reason}); starten flyttes til næste arbejdsdag {moved}."
    if role == "period_end":
        moved = calendar.roll_forward(day)
        return moved, (
            f"{day} er lukket ({reason}); periodens sidste dag flyttes frem til næste arbejdsdag "
            f"{moved}, så perioden ikke bliver kortere."
        )
    moved = calendar.roll_back(day)
    return moved, f"{day} er lukket ({reason}); fristen flyttes til forrige arbejdsdag {moved}."


def resolve_expression(
    expression: str | Expr, ctx: Context, role: Role = "deadline", name: str = ""
) -> ResolvedDate:
    """Parse (if needed), evaluate and shift one expression."""
    expr = parse_expression(expression) if isinstance(expression, str) else expression
    unshifted = evaluate(expr, ctx)
    day, reason = (unshifted, None) if expr.exact else shift(unshifted, role, ctx.calendar)
    return ResolvedDate(name, expr.text, role, unshifted, day, reason)


def dates_of(resolved: Mapping[str, ResolvedDate]) -> dict[str, date]:
    """The final dates by name, as :func:`aarshjul.calendar.rules.check_rules` takes them."""
    return {name: item.day for name, item in resolved.items()}


# -- a set of named dates --------------------------------------------------------------------------


def own_start_name(name: str) -> str | None:
    """``hearing.end`` -> ``hearing.start``: the name ``start`` means inside ``name``."""
    return name.removesuffix(".end") + ".start" if name.endswith(".end") else None


def resolve_all(
    definitions: Mapping[str, Definition | tuple[str, Role]],
    *,
    year: int,
    calendar: WorkCalendar,
    meetings: MeetingPlan | None = None,
    known: Mapping[str, date] | None = None,
) -> dict[str, ResolvedDate]:
    """Resolve every named date for ``year`` in dependency order.

    Names are milestone keys (``budget_2nd_reading``) and phase ends (``hearing.start``,
    ``hearing.end``); ``known`` holds dates fixed elsewhere that expressions may reference.
    Raises :class:`ResolveError` listing every problem: a parse error, an unknown reference, a
    reference loop (``a.end -> b.start -> a.end``), a missing meeting.
    """
    defs = {name: _definition(value) for name, value in definitions.items()}
    problems: list[str] = []
    parsed = _parse_all(defs, problems)
    graph = _dependencies(parsed, set(known or {}), problems)
    order = _order(graph, problems)
    ctx = Context(year, calendar, meetings, dict(known or {}))
    resolved = _resolve_in_order(order, parsed, defs, ctx, problems)
    if problems:
        raise ResolveError(problems)
    return resolved


def _definition(value: Definition | tuple[str, Role]) -> Definition:
    if isinstance(value, Definition):
        return value
    text, role = value
    if role not in ROLES:
        roles = ", ".join(repr(r) for r in ROLES)
        raise CalendarError(f"Ukendt rolle {role!r} for {text!r}: brug {roles}.")
    return Definition(text, role)


def _parse_all(defs: Mapping[str, Definition], problems: list[str]) -> dict[str, Expr]:
    parsed: dict[str, Expr] = {}
    for name, definition in defs.items():
        try:
            parsed[name] = parse_expression(definition.expression)
        except CalendarError as exc:
            problems.append(f"{name}: {exc}")
    return parsed


def _dependencies(
    parsed: Mapping[str, Expr], known: set[str], problems: list[str]
) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, expr in parsed.items():
        needs = expr.references()
        start = own_start_name(name)
        if expr.uses_own_start():
            if start is None:
                problems.append(f"{name}: 'start' kan kun bruges i slutningen af en fase (.end).")
                continue
            needs.add(start)
        available = parsed.keys() | known
        for missing in sorted(needs - available):
            problems.append(
                f"{name}: ukendt reference {missing!r}.{did_you_mean(missing, available)}"
            )
        graph[name] = needs & parsed.keys()
    return graph


def _order(graph: Mapping[str, set[str]], problems: list[str]) -> list[str]:
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        # graphlib lists the loop against the arrows; reverse it to read "a needs b needs a".
        loop = " -> ".join(reversed(exc.args[1]))
        problems.append(f"Referencerne danner en løkke: {loop}.")
        return []
    return [name for name in order if name in graph]  # names dropped for a problem stay out


def _resolve_in_order(
    order: list[str],
    parsed: Mapping[str, Expr],
    defs: Mapping[str, Definition],
    ctx: Context,
    problems: list[str],
) -> dict[str, ResolvedDate]:
    values = dict(ctx.values)
    resolved: dict[str, ResolvedDate] = {}
    for name in order:
        expr = parsed.get(name)
        if expr is None or not _ready(expr, name, values):
            continue  # its own problem, or a dependency's, is already reported
        start = own_start_name(name)
        local = Context(ctx.year, ctx.calendar, ctx.meetings, values, values.get(start or ""))
        try:
            resolved[name] = resolve_expression(expr, local, defs[name].role, name)
        except CalendarError as exc:
            problems.append(f"{name} ({expr.text}): {exc}")
            continue
        values[name] = resolved[name].day
    return resolved


def _ready(expr: Expr, name: str, values: Mapping[str, date]) -> bool:
    needs = expr.references()
    start = own_start_name(name)
    if expr.uses_own_start() and start is not None:
        needs.add(start)
    return needs <= values.keys()
